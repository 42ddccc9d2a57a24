//! Client authentication, client credentials, refresh, and the knobs in Config.

use std::time::{Duration, Instant};

use super::*;
use crate::{Config, OAuthServer};

fn client_credentials(server: &OAuthServer, basic: Option<(&str, &str)>, extra: &[(&str, &str)]) -> Reply {
    let mut fields = vec![("grant_type", "client_credentials")];
    fields.extend_from_slice(extra);
    post_form(&server.token_url(), basic, &fields)
}

#[test]
fn wrong_client_secret_is_401_invalid_client() {
    let server = OAuthServer::start(Config::default());
    let reply = client_credentials(&server, Some(("bot-client", "wrong")), &[]);
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.json(),
        serde_json::json!({"error": "invalid_client", "error_description": "Client authentication failed"})
    );
    assert!(reply.www_authenticate.as_deref().is_some_and(|v| v.starts_with("Basic")), "{reply:?}");
    assert_eq!(server.last_error().as_deref(), Some("invalid_client"));

    // No authentication at all, and a wrong secret in the body, fail the same way.
    assert_eq!(client_credentials(&server, None, &[]).status, 401);
    let body_auth = [("client_id", "bot-client"), ("client_secret", "wrong")];
    assert_eq!(client_credentials(&server, None, &body_auth).status, 401);
    assert!(server.issued_access_tokens().is_empty());
    assert_eq!(server.token_requests(), 3);
}

#[test]
fn basic_credentials_are_form_urlencoded() {
    let secret = "p@ss:wo+rd/ %é";
    let server = OAuthServer::start(Config { client_secret: secret.into(), ..Config::default() });
    assert_eq!(client_credentials(&server, Some(("bot-client", secret)), &[]).status, 200);

    // Sent without the encoding, the `+` and `%` mean something else.
    let raw = format!("Basic {}", STANDARD.encode(format!("bot-client:{secret}")));
    let reply = agent()
        .post(&server.token_url())
        .header("Authorization", raw)
        .send_form([("grant_type", "client_credentials")])
        .expect("POST");
    assert_eq!(reply.status().as_u16(), 401);
}

#[test]
fn client_secret_in_the_body_is_accepted_but_recorded() {
    let server = OAuthServer::start(Config::default());
    let body_auth = [("client_id", "bot-client"), ("client_secret", "s3cret-client")];
    assert_eq!(client_credentials(&server, None, &body_auth).status, 200);
    assert_eq!(server.body_client_auth_requests(), 1);

    // Both methods at once is refused.
    let reply = client_credentials(&server, default_client(), &body_auth);
    assert_eq!((reply.status, reply.error()), (400, "invalid_request".to_string()));
    // A client_id in the body next to Basic is fine when it agrees.
    assert_eq!(client_credentials(&server, default_client(), &[("client_id", "bot-client")]).status, 200);
    assert_eq!(client_credentials(&server, default_client(), &[("client_id", "other")]).status, 401);
    assert_eq!(server.body_client_auth_requests(), 1);
}

#[test]
fn client_credentials_issues_a_token_without_refresh() {
    let server = OAuthServer::start(Config::default());
    let reply = client_credentials(&server, default_client(), &[("scope", "bots:read")]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "bots:read");
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(server.issued_access_tokens(), vec![body["access_token"].as_str().expect("token").to_string()]);

    let body = client_credentials(&server, default_client(), &[]).json();
    assert!(body.get("scope").is_none(), "{body}");
}

#[test]
fn refresh_rotates_and_refuse_refresh_refuses() {
    let server = OAuthServer::start(Config::default());
    let code = obtain_code(&server, None);
    let first = exchange(&server, &code, REDIRECT_URI, None).json();
    let refresh = first["refresh_token"].as_str().expect("refresh token").to_string();

    let refresh_with = |token: &str| {
        post_form(&server.token_url(), default_client(), &[("grant_type", "refresh_token"), ("refresh_token", token)])
    };
    let reply = refresh_with(&refresh);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let second = reply.json();
    assert_ne!(second["access_token"], first["access_token"]);
    assert_eq!(second["scope"], "bots:read bots:write");
    let rotated = second["refresh_token"].as_str().expect("rotated refresh token").to_string();
    assert_ne!(rotated, refresh);
    assert_eq!(server.issued_access_tokens().len(), 2);

    // The old one is gone after rotation.
    assert_eq!(refresh_with(&refresh).error(), "invalid_grant");

    server.set_config(|c| c.refuse_refresh = true);
    let reply = refresh_with(&rotated);
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"], "invalid_grant");
    assert_eq!(reply.json()["error_description"], "Refresh token revoked");
    assert_eq!(server.last_error().as_deref(), Some("invalid_grant"));

    server.set_config(|c| c.refuse_refresh = false);
    let narrower = post_form(
        &server.token_url(),
        default_client(),
        &[("grant_type", "refresh_token"), ("refresh_token", &rotated), ("scope", "bots:read")],
    );
    assert_eq!(narrower.json()["scope"], "bots:read");
}

#[test]
fn refresh_cannot_widen_the_scope() {
    let server = OAuthServer::start(Config::default());
    let code = obtain_code(&server, None);
    let body = exchange(&server, &code, REDIRECT_URI, None).json();
    let refresh = body["refresh_token"].as_str().expect("refresh token");
    let fields = [("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", "bots:read admin")];
    assert_eq!(post_form(&server.token_url(), default_client(), &fields).error(), "invalid_scope");
}

#[test]
fn config_knobs_shape_the_token_response() {
    let config = Config { token_lifetime_secs: 0, issue_refresh_token: false, ..Config::default() };
    let server = OAuthServer::start(config);
    let code = obtain_code(&server, None);
    let body = exchange(&server, &code, REDIRECT_URI, None).json();
    assert_eq!(body["expires_in"], 0);
    assert!(body.get("refresh_token").is_none(), "{body}");
}

#[test]
fn grant_type_must_be_known_and_the_body_a_form() {
    let server = OAuthServer::start(Config::default());
    let reply = post_form(&server.token_url(), default_client(), &[("grant_type", "password")]);
    assert_eq!((reply.status, reply.error()), (400, "unsupported_grant_type".to_string()));
    assert_eq!(post_form(&server.token_url(), default_client(), &[]).error(), "invalid_request");

    let reply = agent()
        .post(&server.token_url())
        .header("Authorization", basic_header("bot-client", "s3cret-client"))
        .send_json(serde_json::json!({"grant_type": "client_credentials"}))
        .expect("POST");
    assert_eq!(reply.status().as_u16(), 400);

    let fields = [("grant_type", "client_credentials"), ("grant_type", "client_credentials")];
    assert_eq!(post_form(&server.token_url(), default_client(), &fields).error(), "invalid_request");
}

#[test]
fn delay_ms_delays_the_token_endpoint() {
    let server = OAuthServer::start(Config { delay_ms: 400, ..Config::default() });
    let started = Instant::now();
    assert_eq!(client_credentials(&server, default_client(), &[]).status, 200);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");

    // A client with a shorter timeout gives up; the request still counts.
    let impatient: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_millis(100)))
        .build()
        .into();
    let result = impatient
        .post(&server.token_url())
        .header("Authorization", basic_header("bot-client", "s3cret-client"))
        .send_form([("grant_type", "client_credentials")]);
    assert!(matches!(result, Err(ureq::Error::Timeout(_))), "{result:?}");

    server.set_config(|c| c.delay_ms = 0);
    let started = Instant::now();
    assert_eq!(client_credentials(&server, default_client(), &[]).status, 200);
    assert!(started.elapsed() < Duration::from_millis(300));
    assert_eq!(server.token_requests(), 3);
}
