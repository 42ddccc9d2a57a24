//! A small, strict OAuth 2.0 authorization server, for tests only.
//!
//! It speaks the authorization code grant with PKCE (S256 only), client
//! credentials and refresh tokens over plain HTTP on `127.0.0.1`, and refuses
//! what a careful provider refuses: unknown clients, redirect URIs other than
//! `http://127.0.0.1:<port>/callback`, reused or expired codes, wrong
//! `redirect_uri` or `code_verifier`, repeated parameters, two client
//! authentication methods at once.
//!
//! ```no_run
//! let server = test_oauth_server::OAuthServer::start(Default::default());
//! println!("authorize at {}, exchange at {}", server.auth_url(), server.token_url());
//! ```
//!
//! The `test-opener` binary of this crate plays the user's browser: give the
//! app its path instead of a real browser and it signs in and delivers the
//! redirect to the app's loopback listener.

mod authorize;
mod http;
mod pages;
mod routes;
mod state;
mod token;

#[cfg(test)]
mod tests;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use state::State;

/// How the server behaves. Change it while running with [`OAuthServer::set_config`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The one registered client.
    pub client_id: String,
    pub client_secret: String,
    /// The one user who can sign in.
    pub username: String,
    pub password: String,
    /// Sent as `expires_in`. Zero or negative issues tokens that are already expired.
    pub token_lifetime_secs: i64,
    /// Whether code and refresh grants return a `refresh_token` (client credentials never do).
    pub issue_refresh_token: bool,
    /// When true, every `grant_type=refresh_token` gets `400 invalid_grant`.
    pub refuse_refresh: bool,
    /// Milliseconds to sleep before answering `/token`.
    pub delay_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            client_id: "bot-client".into(),
            client_secret: "s3cret-client".into(),
            username: "admin".into(),
            password: "correct horse".into(),
            token_lifetime_secs: 3600,
            issue_refresh_token: true,
            refuse_refresh: false,
            delay_ms: 0,
        }
    }
}

/// What the listener and connection threads share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub base_url: String,
    state: Mutex<State>,
}

impl Shared {
    /// The state, even if a handler panicked while holding it.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn record_error(&self, error: &str) {
        self.lock().last_error = Some(error.to_string());
    }
}

/// A running server on `127.0.0.1` with a random port. Dropping it stops the listener.
#[derive(Debug)]
pub struct OAuthServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    listener: Option<JoinHandle<()>>,
}

impl OAuthServer {
    /// Binds `127.0.0.1:0` and starts answering. Panics if it cannot bind.
    pub fn start(config: Config) -> OAuthServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the test OAuth server to 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address of the test OAuth server");
        let shared = Arc::new(Shared { base_url: format!("http://{addr}"), state: Mutex::new(State::new(config)) });
        let stop = Arc::new(AtomicBool::new(false));
        let handle = {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("test-oauth-server".into())
                .spawn(move || accept_loop(&listener, &shared, &stop))
                .expect("spawn the test OAuth server thread")
        };
        OAuthServer { addr, shared, stop, listener: Some(handle) }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The authorization endpoint.
    pub fn auth_url(&self) -> String {
        format!("{}/authorize", self.shared.base_url)
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.shared.base_url)
    }

    /// A plain HTML page (`200 text/html`).
    pub fn consumer_url(&self) -> String {
        format!("{}/consumer", self.shared.base_url)
    }

    /// `/redirect/N`: `hops` redirects to `/redirect/0`, which redirects to the consumer page.
    pub fn redirecting_url(&self, hops: u32) -> String {
        format!("{}/redirect/{hops}", self.shared.base_url)
    }

    /// `/status/CODE`: answers with that status.
    pub fn status_url(&self, code: u16) -> String {
        format!("{}/status/{code}", self.shared.base_url)
    }

    /// Changes the behaviour of the running server.
    pub fn set_config(&self, f: impl FnOnce(&mut Config)) {
        f(&mut self.shared.lock().config);
    }

    /// Every access token issued so far, oldest first.
    pub fn issued_access_tokens(&self) -> Vec<String> {
        self.shared.lock().issued_access_tokens()
    }

    /// How many `POST /token` requests arrived (failed ones included).
    pub fn token_requests(&self) -> usize {
        self.shared.lock().token_requests
    }

    /// The last OAuth error code the server answered with, e.g. `"invalid_client"`.
    pub fn last_error(&self) -> Option<String> {
        self.shared.lock().last_error.clone()
    }

    /// Access and refresh tokens revoked because their authorization code was used twice.
    pub fn revoked_tokens(&self) -> Vec<String> {
        self.shared.lock().revoked_tokens()
    }

    /// How many `GET /authorize` requests carried no `state`.
    pub fn requests_without_state(&self) -> usize {
        self.shared.lock().requests_without_state
    }

    /// How many token requests sent `client_id`/`client_secret` in the body instead of HTTP Basic.
    pub fn body_client_auth_requests(&self) -> usize {
        self.shared.lock().body_client_auth
    }
}

impl Drop for OAuthServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept; if that fails the thread is left to die with the process.
        if TcpStream::connect(self.addr).is_ok() {
            if let Some(handle) = self.listener.take() {
                let _ = handle.join();
            }
        }
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(shared);
        let spawned =
            std::thread::Builder::new().name("test-oauth-conn".into()).spawn(move || routes::serve(stream, &shared));
        // Out of threads: the connection is dropped and the client sees it closed.
        drop(spawned);
    }
}
