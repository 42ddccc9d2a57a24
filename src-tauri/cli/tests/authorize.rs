//! `authorize`, `token` and `check` against a strict OAuth 2.0 provider on
//! 127.0.0.1 (tests/oauth-server), with its scripted browser standing in for
//! the system one. Nothing leaves the machine.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;
use test_oauth_server::{Config, OAuthServer};

const SECRET: &str = "s3cret-client";

/// The scripted browser, built beside this binary (by `cargo test
/// --workspace`, or here when this crate's tests run alone).
fn opener() -> PathBuf {
    let path = PathBuf::from(BIN).with_file_name("test-opener");
    if !path.is_file() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args(["build", "-p", "test-oauth-server", "--bin", "test-opener"])
            .status()
            .expect("run cargo build for test-opener");
        assert!(status.success(), "cargo build -p test-oauth-server --bin test-opener failed");
    }
    assert!(path.is_file(), "test-opener not found at {}", path.display());
    path
}

fn code_grant(name: &str, server: &OAuthServer, secret: &str, pkce: bool) -> Value {
    json!({"name": name, "type": "oauth2", "grant_type": "authorization_code", "client_id": "bot-client",
           "client_secret": secret, "scope": "read", "auth_url": server.auth_url(), "token_url": server.token_url(), "pkce": pkce})
}

fn client_grant(name: &str, token_url: &str, secret: &str) -> Value {
    json!({"name": name, "type": "oauth2", "grant_type": "client_credentials", "client_id": "bot-client",
           "client_secret": secret, "scope": "read", "token_url": token_url})
}

fn seeded(home: &Home, creds: Vec<Value>) -> Db {
    let db = home.db("main");
    let file = home.json_file("seed.json", &export_file(&[("Acme", creds)], "included"));
    db.ok(&["import", file.to_str().expect("utf8")]);
    db
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn authorization(db: &Db, name: &str) -> Value {
    let list: Value = serde_json::from_str(&db.ok(&["list", "--org", "Acme", "--json"])).expect("list --json");
    let row = list.as_array().expect("array").iter().find(|c| c["name"] == name).expect("listed").clone();
    row["authorization"].clone()
}

/// `authorize` of an Authorization Code credential, the scripted browser as the system one.
fn authorize_code(db: &Db, name: &str, env: &[(&str, &str)]) -> std::process::Output {
    let opener = opener();
    let port = free_port().to_string();
    let mut all = vec![("BOT_CREDENTIALS_OPENER", opener.to_str().expect("utf8"))];
    all.extend_from_slice(env);
    db.run(&["authorize", "--org", "Acme", name, "--port", &port, "--timeout", "30"], &all)
}

#[test]
fn client_credentials_are_authorized_and_token_prints_the_access_token() {
    let server = OAuthServer::start(Config::default());
    let home = Home::new();
    let db = seeded(&home, vec![client_grant("CC", &server.token_url(), SECRET)]);
    assert_eq!(authorization(&db, "CC")["state"], "not_authorized");
    let out = db.ok(&["authorize", "--org", "Acme", "CC"]);
    assert!(out.starts_with("Authorized \"CC\" in \"Acme\"; the access token expires at "), "{out}");
    let issued = server.issued_access_tokens();
    assert_eq!(issued.len(), 1);
    assert_eq!(db.ok(&["token", "--org", "Acme", "CC"]), format!("{}\n", issued[0]));
    let j: Value = serde_json::from_str(&db.ok(&["token", "--org", "Acme", "CC", "--json"])).expect("json");
    assert_eq!((j["access_token"].as_str(), j["token_type"].as_str()), (Some(issued[0].as_str()), Some("Bearer")));
    assert!(j["expires_at"].is_string());
    let auth = authorization(&db, "CC");
    assert_eq!(auth["state"], "authorized");
    assert_eq!(auth["expires_at"], j["expires_at"]);
    // Exports never carry tokens, not even with secrets included.
    let export = db.ok(&["export", "--include-secrets"]);
    assert!(!export.contains(&issued[0]), "the token was exported");
    assert!(!std::fs::read(&db.path).expect("db").windows(issued[0].len()).any(|w| w == issued[0].as_bytes()));
}

#[test]
fn the_code_grant_with_pkce_prints_the_url_first_and_stores_the_tokens() {
    let server = OAuthServer::start(Config::default());
    let home = Home::new();
    let db = seeded(&home, vec![code_grant("Code", &server, SECRET, true)]);
    let out = authorize_code(&db, "Code", &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let first = stdout.lines().next().expect("a first line");
    assert!(first.starts_with(&format!("{}?", server.auth_url())), "{first}");
    for part in
        ["response_type=code", "client_id=bot-client", "code_challenge_method=S256", "code_challenge=", "state="]
    {
        assert!(first.contains(part), "{part} in {first}");
    }
    assert!(stdout.lines().nth(1).expect("second line").starts_with("Authorized \"Code\" in \"Acme\""), "{stdout}");
    let issued = server.issued_access_tokens();
    assert_eq!(db.ok(&["token", "--org", "Acme", "Code"]).trim(), issued[0]);
    assert_eq!(authorization(&db, "Code")["state"], "authorized");
}

#[test]
fn no_browser_leaves_the_url_to_the_user_and_waits_for_the_redirect() {
    let server = OAuthServer::start(Config::default());
    let home = Home::new();
    let db = seeded(&home, vec![code_grant("Code", &server, SECRET, false)]);
    let port = free_port().to_string();
    let mut child = db
        .cmd(&["authorize", "--org", "Acme", "Code", "--no-browser", "--port", &port], &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let url = lines.next().expect("a line").expect("utf8");
    assert!(url.contains(&format!("redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Fcallback")), "{url}");
    let browsed = std::process::Command::new(opener()).arg(&url).output().expect("run the scripted browser");
    assert!(browsed.status.success(), "{}", text(&browsed.stderr));
    assert!(text(&browsed.stdout).contains("You can close this tab"), "{}", text(&browsed.stdout));
    assert!(lines.next().expect("a second line").expect("utf8").starts_with("Authorized"));
    assert!(child.wait().expect("wait").success());
}

#[test]
fn a_denied_authorization_names_the_provider_error_and_the_list_says_failed() {
    let server = OAuthServer::start(Config::default());
    let home = Home::new();
    let db = seeded(&home, vec![code_grant("Code", &server, SECRET, true)]);
    let out = authorize_code(&db, "Code", &[("TEST_OPENER_DECISION", "deny")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bot-credentials: access_denied: The user denied access"), "{err}");
    let auth = authorization(&db, "Code");
    assert_eq!(auth["state"], "failed");
    assert_eq!(auth["error"], "access_denied: The user denied access");
    assert!(db.fail(&["token", "--org", "Acme", "Code"], &[]).contains("is not authorized"));
}

#[test]
fn a_redirect_with_another_state_is_refused_and_nothing_is_stored() {
    let server = OAuthServer::start(Config::default());
    let home = Home::new();
    let db = seeded(&home, vec![code_grant("Code", &server, SECRET, true)]);
    let out = authorize_code(&db, "Code", &[("TEST_OPENER_STATE", "forged")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("state"), "{}", text(&out.stderr));
    assert_eq!(server.token_requests(), 0, "no code was exchanged");
    assert_eq!(authorization(&db, "Code")["state"], "failed");
}

#[test]
fn a_wrong_client_secret_is_named_without_showing_it() {
    let server = OAuthServer::start(Config::default());
    let home = Home::new();
    let db = seeded(&home, vec![client_grant("CC", &server.token_url(), "PLANTED-wrong-secret")]);
    let err = db.fail(&["authorize", "--org", "Acme", "CC"], &[]);
    assert!(err.contains("invalid_client"), "{err}");
    assert!(!err.contains("PLANTED-wrong-secret"), "{err}");
    assert_eq!(authorization(&db, "CC")["state"], "failed");
}

#[test]
fn an_expired_token_is_refreshed_by_token_and_a_refused_refresh_says_so() {
    let server = OAuthServer::start(Config { token_lifetime_secs: 0, ..Config::default() });
    let home = Home::new();
    let db = seeded(&home, vec![code_grant("Code", &server, SECRET, true)]);
    assert_eq!(authorize_code(&db, "Code", &[]).status.code(), Some(0));
    assert_eq!(authorization(&db, "Code")["state"], "expired");
    let fresh = db.ok(&["token", "--org", "Acme", "Code"]);
    let issued = server.issued_access_tokens();
    assert_eq!(issued.len(), 2, "token refreshed the expired one");
    assert_eq!(fresh.trim(), issued[1]);

    server.set_config(|c| c.refuse_refresh = true);
    let err = db.fail(&["token", "--org", "Acme", "Code"], &[]);
    assert!(err.contains("the refresh was refused") && err.contains("invalid_grant"), "{err}");
    assert_eq!(authorization(&db, "Code")["state"], "failed");
}

#[test]
fn offline_says_so_and_records_nothing() {
    let home = Home::new();
    let closed = format!("http://127.0.0.1:{}/token", free_port());
    let db = seeded(&home, vec![client_grant("CC", &closed, SECRET)]);
    let err = db.fail(&["authorize", "--org", "Acme", "CC"], &[]);
    assert!(err.contains("offline"), "{err}");
    assert_eq!(authorization(&db, "CC")["state"], "not_authorized");
}

#[test]
fn waiting_for_the_browser_ends_at_the_timeout() {
    let server = OAuthServer::start(Config::default());
    let home = Home::new();
    let db = seeded(&home, vec![code_grant("Code", &server, SECRET, true)]);
    let port = free_port().to_string();
    let out = db.run(&["authorize", "--org", "Acme", "Code", "--no-browser", "--port", &port, "--timeout", "1"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with(&server.auth_url()));
    assert!(text(&out.stderr).contains("1 s"), "{}", text(&out.stderr));
}

#[test]
fn check_reports_a_consumer_link_and_fails_on_a_broken_one() {
    let server = OAuthServer::start(Config::default());
    let home = Home::new();
    let link =
        |name: &str, url: String| json!({"name": name, "type": "consumer_authentication", "authentication_url": url});
    let db = seeded(
        &home,
        vec![link("Good", server.redirecting_url(1)), link("Gone", server.status_url(404)), basic("Basic", "x")],
    );
    let out = db.ok(&["check", "--org", "Acme", "Good"]);
    assert!(out.contains("200") && out.contains("127.0.0.1") && out.contains("2 redirects"), "{out}");
    let out = db.run(&["check", "--org", "Acme", "Gone"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("404"), "{}", text(&out.stdout));
    assert!(db.fail(&["check", "--org", "Acme", "Basic"], &[]).contains("Consumer Authentication"));
}
