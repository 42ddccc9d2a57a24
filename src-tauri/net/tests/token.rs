//! Client credentials and refresh against the strict test provider; network
//! failures (slow server, closed port).

mod common;

use std::time::{Duration, Instant};

use bot_credentials_net::{client_credentials, refresh, NetError};
use common::{authorize, client, closed_port, server, TIMEOUT};
use zeroize::Zeroizing;

#[test]
fn client_credentials_success() {
    let server = server();
    let c = client(&server, false);
    let tokens = client_credentials(&c, TIMEOUT).expect("token");
    assert_eq!(server.issued_access_tokens(), [tokens.access_token.as_str()]);
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.scope.as_deref(), Some("read write"));
    assert_eq!(tokens.expires_in, Some(3600));
    assert!(tokens.refresh_token.is_none(), "client credentials never get a refresh token");
    assert_eq!(server.body_client_auth_requests(), 0, "the client authenticates with HTTP Basic");
    let shown = format!("{tokens:?}");
    assert!(!shown.contains(tokens.access_token.as_str()), "{shown}");
}

#[test]
fn client_credentials_without_scope() {
    let server = server();
    let mut c = client(&server, false);
    c.scope = Some("  ".into());
    let tokens = client_credentials(&c, TIMEOUT).expect("token");
    assert_eq!(tokens.scope, None);
}

#[test]
fn wrong_client_secret_is_invalid_client() {
    let server = server();
    let mut c = client(&server, false);
    c.client_secret = Zeroizing::new("wrong-secret-value".into());
    let error = client_credentials(&c, TIMEOUT).expect_err("refused");
    match &error {
        NetError::Provider { error, description } => {
            assert_eq!(error, "invalid_client");
            assert_eq!(description.as_deref(), Some("Client authentication failed"));
        }
        other => panic!("expected invalid_client, got {other:?}"),
    }
    assert_eq!(error.kind(), "provider");
    assert_eq!(error.to_string(), "invalid_client: Client authentication failed");
    assert_eq!(server.last_error().as_deref(), Some("invalid_client"));
}

#[test]
fn refresh_success_rotates_the_refresh_token() {
    let server = server();
    let first = authorize(&server);
    let old = first.refresh_token.clone().expect("a refresh token");
    let tokens = refresh(&client(&server, true), &old, TIMEOUT).expect("refreshed");
    assert_ne!(tokens.access_token, first.access_token);
    assert_eq!(server.issued_access_tokens().last().map(String::as_str), Some(tokens.access_token.as_str()));
    let new = tokens.refresh_token.expect("a new refresh token");
    assert_ne!(new, old, "the server rotates refresh tokens");
    assert_eq!(tokens.scope.as_deref(), Some("read write"));
}

#[test]
fn an_expired_token_is_refreshed() {
    let server = server();
    server.set_config(|config| config.token_lifetime_secs = -60);
    let first = authorize(&server);
    assert_eq!(first.expires_in, Some(0), "a negative expires_in means already expired");
    server.set_config(|config| config.token_lifetime_secs = 3600);
    let old = first.refresh_token.expect("a refresh token");
    let tokens = refresh(&client(&server, true), &old, TIMEOUT).expect("refreshed");
    assert_eq!(tokens.expires_in, Some(3600));
}

#[test]
fn refresh_without_rotation_keeps_the_refresh_token() {
    let server = server();
    let first = authorize(&server);
    server.set_config(|config| config.issue_refresh_token = false);
    let old = first.refresh_token.expect("a refresh token");
    let tokens = refresh(&client(&server, true), &old, TIMEOUT).expect("refreshed");
    assert_eq!(tokens.refresh_token.as_deref().map(String::as_str), Some(old.as_str()));
}

#[test]
fn refused_refresh_is_invalid_grant() {
    let server = server();
    let first = authorize(&server);
    server.set_config(|config| config.refuse_refresh = true);
    let old = first.refresh_token.expect("a refresh token");
    let error = refresh(&client(&server, true), &old, TIMEOUT).expect_err("refused");
    assert!(matches!(&error, NetError::Provider { error, .. } if error == "invalid_grant"), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(old.as_str()));
}

#[test]
fn unknown_refresh_token_is_invalid_grant() {
    let server = server();
    let error = refresh(&client(&server, false), "no-such-token", TIMEOUT).expect_err("refused");
    assert_eq!(error.to_string(), "invalid_grant: Unknown refresh token");
}

#[test]
fn slow_server_times_out() {
    let server = server();
    server.set_config(|config| config.delay_ms = 3_000);
    let started = Instant::now();
    let error = client_credentials(&client(&server, false), Duration::from_millis(300)).expect_err("timeout");
    assert!(matches!(error, NetError::Timeout(_)), "{error:?}");
    let host = server.base_url().trim_start_matches("http://").to_string();
    assert_eq!(error.to_string(), format!("{host} did not answer within 0.3 s"));
    assert!(started.elapsed() < Duration::from_millis(2_000), "took {:?}", started.elapsed());
}

#[test]
fn closed_port_is_offline() {
    let port = closed_port();
    let mut c = client(&server(), false);
    c.token_url = format!("http://127.0.0.1:{port}/token");
    let error = client_credentials(&c, TIMEOUT).expect_err("offline");
    assert!(matches!(error, NetError::Offline(_)), "{error:?}");
    assert_eq!(error.kind(), "offline");
    assert_eq!(error.to_string(), format!("you are offline or 127.0.0.1:{port} cannot be reached"));
}
