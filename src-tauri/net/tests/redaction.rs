//! A provider that echoes what it was sent: whatever we show of its answer has
//! every secret we sent removed. The strict test server never echoes, so a
//! tiny fake on a std `TcpListener` answers here.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::Duration;

use bot_credentials_net::{client_credentials, refresh, NetError, OAuthClient};
use zeroize::Zeroizing;

const SECRET: &str = "echo-me s3cret&value";
const TIMEOUT: Duration = Duration::from_secs(5);

/// Answers one request with `answer(request text)` as `status` and `content_type`.
fn fake(status: &str, content_type: &str, answer: fn(&str) -> String) -> (String, JoinHandle<String>) {
    let socket = TcpListener::bind("127.0.0.1:0").expect("bind the fake provider");
    let url = format!("http://{}/token", socket.local_addr().expect("address"));
    let (status, content_type) = (status.to_string(), content_type.to_string());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = socket.accept().expect("accept");
        let request = read_request(&mut stream);
        let body = answer(&request);
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body.as_bytes())).expect("answer");
        request
    });
    (url, handle)
}

/// The head and the body (by Content-Length).
fn read_request(stream: &mut std::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).expect("read the request");
        data.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return text;
            }
        }
        if n == 0 {
            return String::from_utf8_lossy(&data).into_owned();
        }
    }
}

fn client(token_url: String) -> OAuthClient {
    OAuthClient {
        client_id: "bot-client".into(),
        client_secret: Zeroizing::new(SECRET.into()),
        auth_url: None,
        token_url,
        scope: None,
        pkce: false,
    }
}

/// A careless provider: the secret, the Authorization header and the body, in the description.
fn echo_in_description(request: &str) -> String {
    let (head, body) = request.split_once("\r\n\r\n").unwrap_or((request, ""));
    let auth = head.lines().find(|l| l.to_ascii_lowercase().starts_with("authorization:")).unwrap_or("");
    let description = format!("secret {SECRET} is wrong; you sent {auth}; body {body}");
    serde_json::json!({"error": "invalid_client", "error_description": description}).to_string()
}

fn assert_clean(shown: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret:?} in {shown}");
    }
}

#[test]
fn an_echoed_client_secret_is_removed_from_the_description() {
    let (url, provider) = fake("401 Unauthorized", "application/json", echo_in_description);
    let error = client_credentials(&client(url), TIMEOUT).expect_err("refused");
    let request = provider.join().expect("fake provider");
    assert!(request.contains("Authorization: Basic ") || request.contains("authorization: Basic "), "{request}");
    let NetError::Provider { error: code, description } = &error else {
        panic!("expected a provider error: {error:?}")
    };
    assert_eq!(code, "invalid_client");
    let description = description.as_deref().expect("a description");
    assert!(description.starts_with("secret [redacted] is wrong; you sent "), "{description}");
    assert!(description.contains("Basic [redacted]"), "{description}");
    assert!(description.chars().count() <= 301, "capped: {description}");
    let basic = request.lines().find_map(|l| l.split_once("Basic ").map(|(_, b)| b.trim().to_string()));
    let basic = basic.expect("a Basic credential");
    let shown = format!("{error} {error:?}");
    assert_clean(&shown, &[SECRET, "echo-me+s3cret%26value", "s3cret", &basic]);
}

#[test]
fn an_echoed_refresh_token_is_removed() {
    let (url, provider) = fake("400 Bad Request", "application/json", echo_in_description);
    let error = refresh(&client(url), "rt-very-secret-123", TIMEOUT).expect_err("refused");
    provider.join().expect("fake provider");
    assert_clean(&format!("{error} {error:?}"), &["rt-very-secret-123", "s3cret"]);
    assert_eq!(error.kind(), "provider");
}

#[test]
fn a_non_oauth_error_page_is_shown_redacted_with_its_status() {
    let (url, provider) = fake("500 Internal Server Error", "text/html", |request| {
        format!("<h1>Crash</h1><pre>{}</pre>", request.replace("\r\n", "\n"))
    });
    let error = client_credentials(&client(url), TIMEOUT).expect_err("HTTP 500");
    provider.join().expect("fake provider");
    assert_eq!(error.kind(), "protocol", "{error:?}");
    let shown = error.to_string();
    assert!(
        shown.contains("answered HTTP 500 Internal Server Error without an OAuth error: <h1>Crash</h1>"),
        "{shown}"
    );
    assert!(shown.contains("[redacted]"), "{shown}");
    assert_clean(&format!("{shown} {error:?}"), &["s3cret", "echo-me"]);
}

#[test]
fn a_redirect_from_the_token_url_is_not_followed() {
    let (url, provider) = fake("302 Found\r\nLocation: http://127.0.0.1:9/elsewhere", "text/plain", |_| String::new());
    let error = client_credentials(&client(url), TIMEOUT).expect_err("redirect");
    provider.join().expect("fake provider");
    assert_eq!(error.kind(), "protocol");
    assert!(error.to_string().contains("do not follow redirects"), "{error}");
}

#[test]
fn a_token_answer_that_is_not_json_is_a_protocol_error() {
    let (url, provider) = fake("200 OK", "application/json", |_| "{\"access_token\": 5}".into());
    let error = client_credentials(&client(url), TIMEOUT).expect_err("bad JSON");
    provider.join().expect("fake provider");
    assert_eq!(error.kind(), "protocol");
    assert!(error.to_string().contains("is not an OAuth token response"), "{error}");
}

#[test]
fn a_string_expires_in_is_accepted() {
    let (url, provider) = fake("200 OK", "application/json; charset=utf-8", |_| {
        r#"{"access_token":"at-1","token_type":"bearer","expires_in":"3599"}"#.into()
    });
    let tokens = client_credentials(&client(url), TIMEOUT).expect("token");
    provider.join().expect("fake provider");
    assert_eq!(tokens.access_token.as_str(), "at-1");
    assert_eq!(tokens.token_type, "bearer", "as the provider spelled it");
    assert_eq!(tokens.expires_in, Some(3599));
}
