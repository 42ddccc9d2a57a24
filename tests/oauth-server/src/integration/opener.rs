//! Runs the built `test-opener` against the server, with a tiny listener
//! standing in for the app's loopback callback.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rand::distributions::{Alphanumeric, DistString};
use sha2::{Digest, Sha256};
use test_oauth_server::{Config, OAuthServer};
use url::Url;

fn verifier() -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), 64)
}

/// The authorize URL the app would hand to the opener.
fn authorize_url(server: &OAuthServer, redirect_uri: &str, state: &str, verifier: Option<&str>) -> String {
    let mut url = Url::parse(&server.auth_url()).expect("auth URL");
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", "bot-client")
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state);
        if let Some(verifier) = verifier {
            q.append_pair("code_challenge", &URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())));
            q.append_pair("code_challenge_method", "S256");
        }
    }
    url.into()
}

/// Exchanges a code as the app would; returns the status.
fn exchange(server: &OAuthServer, code: &str, redirect_uri: &str, verifier: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
    let basic = format!("Basic {}", STANDARD.encode("bot-client:s3cret-client"));
    let response = agent
        .post(&server.token_url())
        .header("Authorization", basic)
        .send_form([
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ])
        .expect("POST /token");
    response.status().as_u16()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

const APP_PAGE: &str = "Signed in. You can close this window.";

/// Listens like the app would and hands over the request target of the one request it gets.
fn fake_app() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the fake app");
    let redirect_uri = format!("http://{}/callback", listener.local_addr().expect("fake app address"));
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else { return };
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).is_err() {
            return;
        }
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) if line == "\r\n" || line == "\n" => break,
                Ok(_) => {}
            }
        }
        let target = request_line.split(' ').nth(1).unwrap_or_default().to_string();
        let mut stream = reader.into_inner();
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{APP_PAGE}",
            APP_PAGE.len()
        );
        let _ = tx.send(target);
    });
    (redirect_uri, rx)
}

fn run_opener(url: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_test-opener"));
    command.arg(url);
    for name in
        ["TEST_OPENER_USERNAME", "TEST_OPENER_PASSWORD", "TEST_OPENER_DECISION", "TEST_OPENER_STATE", "TEST_OPENER_LOG"]
    {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().expect("run test-opener")
}

fn callback_params(rx: &mpsc::Receiver<String>) -> Vec<(String, String)> {
    let target = rx.recv_timeout(Duration::from_secs(10)).expect("the fake app got a request");
    let (path, query) = target.split_once('?').expect("a query on the callback");
    assert_eq!(path, "/callback");
    url::form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

#[test]
fn opener_signs_in_and_delivers_the_code() {
    let server = OAuthServer::start(Config::default());
    let (redirect_uri, rx) = fake_app();
    let verifier = verifier();
    let url = authorize_url(&server, &redirect_uri, "st-123", Some(&verifier));
    let log = std::env::temp_dir().join(format!("test-opener-{}-{}.log", std::process::id(), verifier));

    let output = run_opener(&url, &[("TEST_OPENER_LOG", log.to_str().expect("UTF-8 temp path"))]);
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), APP_PAGE);

    let params = callback_params(&rx);
    assert_eq!(param(&params, "state"), Some("st-123"));
    let code = param(&params, "code").expect("a code");
    assert_eq!(exchange(&server, code, &redirect_uri, &verifier), 200);

    let logged = std::fs::read_to_string(&log).expect("the log was written");
    let _ = std::fs::remove_file(&log);
    assert_eq!(logged, format!("{url}\n"));
}

#[test]
fn opener_can_deny_and_forge_the_state() {
    let server = OAuthServer::start(Config::default());

    let (redirect_uri, rx) = fake_app();
    let url = authorize_url(&server, &redirect_uri, "st-1", None);
    let output = run_opener(&url, &[("TEST_OPENER_DECISION", "deny")]);
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let params = callback_params(&rx);
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert_eq!(param(&params, "state"), Some("st-1"));

    let (redirect_uri, rx) = fake_app();
    let url = authorize_url(&server, &redirect_uri, "st-2", None);
    let output = run_opener(&url, &[("TEST_OPENER_STATE", "forged")]);
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let params = callback_params(&rx);
    assert_eq!(param(&params, "state"), Some("forged"));
    assert!(param(&params, "code").is_some());
}

#[test]
fn opener_fails_on_a_wrong_password_or_a_bad_request() {
    let server = OAuthServer::start(Config::default());
    let (redirect_uri, rx) = fake_app();
    let url = authorize_url(&server, &redirect_uri, "s", None);
    let output = run_opener(&url, &[("TEST_OPENER_PASSWORD", "nope")]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Wrong username or password"), "{stderr}");
    assert!(rx.try_recv().is_err(), "nothing reached the app");

    let output = run_opener(&url.replace("client_id=bot-client", "client_id=nobody"), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Unknown client_id"));

    assert_eq!(run_opener("not a url", &[]).status.code(), Some(1));
}
