//! The authorization code grant against the strict test provider, with the
//! scripted browser delivering the redirect to the loopback listener.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use bot_credentials_net::{Cancel, CodeFlow, NetError};
use common::{browse, client, page, server, TIMEOUT, WAIT};
use url::Url;

fn query(url: &str) -> Vec<(String, String)> {
    Url::parse(url).expect("authorization URL").query_pairs().into_owned().collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[test]
fn pkce_success() {
    let server = server();
    let c = client(&server, true);
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    let pairs = query(flow.url());
    assert!(flow.url().starts_with(&server.auth_url()), "{}", flow.url());
    assert_eq!(param(&pairs, "response_type"), Some("code"));
    assert_eq!(param(&pairs, "client_id"), Some("bot-client"));
    assert_eq!(param(&pairs, "redirect_uri"), Some(flow.redirect_uri()));
    assert_eq!(param(&pairs, "scope"), Some("read write"));
    assert_eq!(param(&pairs, "code_challenge_method"), Some("S256"));
    assert_eq!(param(&pairs, "code_challenge").map(str::len), Some(43));
    assert!(param(&pairs, "state").is_some_and(|s| s.len() >= 16));
    assert!(flow.redirect_uri().starts_with("http://127.0.0.1:") && flow.redirect_uri().ends_with("/callback"));

    let browser = browse(flow.url(), &[]);
    let tokens = flow.finish(&c, WAIT, TIMEOUT, &Cancel::default()).expect("authorized");
    assert!(page(browser).contains("Authorized. You can close this tab."));
    assert_eq!(server.issued_access_tokens(), [tokens.access_token.as_str()]);
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.scope.as_deref(), Some("read write"));
    assert_eq!(tokens.expires_in, Some(3600));
    assert!(tokens.refresh_token.is_some());
    assert_eq!(server.body_client_auth_requests(), 0, "the client authenticates with HTTP Basic");
}

#[test]
fn without_pkce_no_challenge_is_sent() {
    let server = server();
    let c = client(&server, false);
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    assert!(param(&query(flow.url()), "code_challenge").is_none());
    let browser = browse(flow.url(), &[]);
    let tokens = flow.finish(&c, WAIT, TIMEOUT, &Cancel::default()).expect("authorized");
    page(browser);
    assert_eq!(server.issued_access_tokens(), [tokens.access_token.as_str()]);
}

#[test]
fn denied_is_a_provider_error() {
    let server = server();
    let c = client(&server, true);
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    let browser = browse(flow.url(), &[("TEST_OPENER_DECISION", "deny")]);
    let error = flow.finish(&c, WAIT, TIMEOUT, &Cancel::default()).expect_err("denied");
    let shown = page(browser);
    match &error {
        NetError::Provider { error, description } => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("The user denied access"));
        }
        other => panic!("expected access_denied, got {other:?}"),
    }
    assert_eq!(error.to_string(), "access_denied: The user denied access");
    assert!(shown.contains("Authorization failed: access_denied: The user denied access."), "{shown}");
    assert_eq!(server.token_requests(), 0);
}

#[test]
fn wrong_state_is_refused_before_any_exchange() {
    let server = server();
    let c = client(&server, true);
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    let browser = browse(flow.url(), &[("TEST_OPENER_STATE", "wrong")]);
    let error = flow.finish(&c, WAIT, TIMEOUT, &Cancel::default()).expect_err("state mismatch");
    let shown = page(browser);
    assert!(matches!(error, NetError::StateMismatch), "{error:?}");
    assert_eq!(error.kind(), "state_mismatch");
    assert!(shown.contains("Authorization failed: state mismatch"), "{shown}");
    assert_eq!(server.token_requests(), 0, "the code must not be exchanged");
}

#[test]
fn wrong_client_secret_is_invalid_client() {
    let server = server();
    let mut c = client(&server, true);
    c.client_secret = zeroize::Zeroizing::new("not-the-secret".into());
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    let browser = browse(flow.url(), &[]);
    let error = flow.finish(&c, WAIT, TIMEOUT, &Cancel::default()).expect_err("invalid_client");
    let shown = page(browser);
    assert!(matches!(&error, NetError::Provider { error, .. } if error == "invalid_client"), "{error:?}");
    assert!(shown.contains("Authorization failed: invalid_client"), "{shown}");
    assert!(!format!("{error} {error:?} {shown}").contains("not-the-secret"));
}

#[test]
fn cancel_while_waiting_returns_quickly() {
    let server = server();
    let c = client(&server, true);
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    let cancel = Cancel::default();
    let trigger = cancel.clone();
    let started = Instant::now();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        trigger.cancel();
    });
    let error = flow.finish(&c, Duration::from_secs(30), TIMEOUT, &cancel).expect_err("cancelled");
    assert!(matches!(error, NetError::Cancelled), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(300 + 700), "took {:?}", started.elapsed());
}

#[test]
fn nobody_coming_back_times_out() {
    let server = server();
    let c = client(&server, true);
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    let started = Instant::now();
    let error = flow.finish(&c, Duration::from_millis(300), TIMEOUT, &Cancel::default()).expect_err("timeout");
    assert!(matches!(error, NetError::Timeout(_)), "{error:?}");
    assert!(error.to_string().contains("did not come back"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn port_in_use_is_a_listener_error() {
    let server = server();
    let busy = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = busy.local_addr().expect("address").port();
    let error = CodeFlow::begin(&client(&server, true), port).expect_err("port in use");
    assert!(matches!(error, NetError::Listener(_)), "{error:?}");
    assert_eq!(error.to_string(), format!("port {port} on 127.0.0.1 is in use by another program; choose another redirect port (Security page, Sign-in redirect; or --port)"));
}

#[test]
fn a_fixed_port_is_used_in_the_redirect_uri() {
    let server = server();
    let port = common::closed_port();
    let flow = CodeFlow::begin(&client(&server, true), port).expect("begin");
    assert_eq!(flow.redirect_uri(), bot_credentials_net::redirect_uri(port));
    assert_eq!(flow.redirect_uri(), format!("http://127.0.0.1:{port}/callback"));
}

#[test]
fn no_auth_url_is_refused_before_binding() {
    let server = server();
    let mut c = client(&server, true);
    c.auth_url = None;
    let error = CodeFlow::begin(&c, 0).expect_err("no Auth URL");
    assert_eq!(error.kind(), "protocol");
    assert!(error.to_string().contains("Auth URL"), "{error}");
}

/// One raw HTTP GET to the listener; returns the whole answer.
fn raw_get(redirect_uri: &str, target: &str) -> String {
    let url = Url::parse(redirect_uri).expect("redirect URI");
    let mut stream = TcpStream::connect(("127.0.0.1", url.port().expect("port"))).expect("connect");
    write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

#[test]
fn other_paths_get_404_and_silent_connections_do_not_block() {
    // Built before the wait starts: the helper thread starts the browser late.
    common::opener();
    let server = server();
    let c = client(&server, true);
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    let redirect = flow.redirect_uri().to_string();
    let url = flow.url().to_string();
    let helper = std::thread::spawn(move || {
        // A pre-connect that never speaks, then a favicon request, then the real browser.
        let port = Url::parse(&redirect).expect("uri").port().expect("port");
        let silent = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let favicon = raw_get(&redirect, "/favicon.ico");
        let shown = page(browse(&url, &[]));
        drop(silent);
        (favicon, shown)
    });
    let tokens = flow.finish(&c, WAIT, TIMEOUT, &Cancel::default()).expect("authorized");
    let (favicon, shown) = helper.join().expect("helper");
    assert!(favicon.starts_with("HTTP/1.1 404 "), "{favicon}");
    assert!(shown.contains("Authorized."), "{shown}");
    assert!(!tokens.access_token.is_empty());
}

#[test]
fn an_error_description_is_html_escaped_in_the_page() {
    let server = server();
    let c = client(&server, true);
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    let state = param(&query(flow.url()), "state").expect("state").to_string();
    let redirect = flow.redirect_uri().to_string();
    let helper = std::thread::spawn(move || {
        let target = format!("/callback?state={state}&error=%3Cb%3Ebad%3C%2Fb%3E&error_description=a%26b");
        raw_get(&redirect, &target)
    });
    let error = flow.finish(&c, WAIT, TIMEOUT, &Cancel::default()).expect_err("provider error");
    let answer = helper.join().expect("helper");
    assert!(matches!(&error, NetError::Provider { error, .. } if error == "<b>bad</b>"), "{error:?}");
    assert!(answer.contains("Authorization failed: &lt;b&gt;bad&lt;/b&gt;: a&amp;b."), "{answer}");
}
