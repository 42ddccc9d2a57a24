//! Shared by the integration tests: the strict test provider, an OAuth client
//! for it, and the scripted browser (`test-opener`).
//!
//! `test-opener` is a binary of another package, so Cargo does not build it
//! for these tests. [`opener`] builds it once per test binary with
//! `cargo build -p test-oauth-server --bin test-opener` (the same Cargo and
//! target directory as the test run, so usually a no-op) and returns the path
//! Cargo reports. Everything runs on 127.0.0.1; nothing leaves the machine.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::Duration;

use bot_credentials_net::{OAuthClient, Tokens};
use test_oauth_server::{Config, OAuthServer};
use zeroize::Zeroizing;

/// Token requests in tests: short, but far above a loopback round trip.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// How long a test waits for the scripted browser.
pub const WAIT: Duration = Duration::from_secs(20);

pub fn server() -> OAuthServer {
    OAuthServer::start(Config::default())
}

/// The server's one registered client.
pub fn client(server: &OAuthServer, pkce: bool) -> OAuthClient {
    let config = Config::default();
    OAuthClient {
        client_id: config.client_id,
        client_secret: Zeroizing::new(config.client_secret),
        auth_url: Some(server.auth_url()),
        token_url: server.token_url(),
        scope: Some("read write".into()),
        pkce,
    }
}

/// A port nothing listens on: bound, then let go.
pub fn closed_port() -> u16 {
    let socket = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    socket.local_addr().expect("local address").port()
}

/// The path of `test-opener`, built on first use.
pub fn opener() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(build_opener).clone()
}

fn build_opener() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(cargo)
        .args(["build", "--quiet", "-p", "test-oauth-server", "--bin", "test-opener", "--message-format=json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run cargo build -p test-oauth-server --bin test-opener");
    let stdout = child.stdout.take().expect("cargo's stdout");
    let mut path = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read cargo's output");
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        if message["reason"] == "compiler-artifact" && message["target"]["name"] == "test-opener" {
            if let Some(exe) = message["executable"].as_str() {
                path = Some(PathBuf::from(exe));
            }
        }
    }
    let status = child.wait().expect("wait for cargo build");
    assert!(status.success(), "cargo build -p test-oauth-server --bin test-opener failed: {status}");
    path.expect("cargo named no test-opener executable")
}

/// Runs the scripted browser against `url` in the background, with extra environment.
pub fn browse(url: &str, env: &[(&str, &str)]) -> JoinHandle<Output> {
    let mut command = Command::new(opener());
    command.arg(url).stdin(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    std::thread::spawn(move || command.output().expect("run test-opener"))
}

/// What the scripted browser saw; panics with its stderr if it failed.
pub fn page(browser: JoinHandle<Output>) -> String {
    let output = browser.join().expect("test-opener thread");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "test-opener failed: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Signs in through the browser and returns the tokens (PKCE on).
pub fn authorize(server: &OAuthServer) -> Tokens {
    let c = client(server, true);
    let flow = bot_credentials_net::CodeFlow::begin(&c, 0).expect("begin");
    let browser = browse(flow.url(), &[]);
    let tokens = flow.finish(&c, WAIT, TIMEOUT, &Default::default()).expect("authorized");
    page(browser);
    tokens
}
