//! Authorize (issue #10): OAuth 2.0 tokens and Consumer Authentication links
//! from the window. Thin adapters: the store reads what a request needs and
//! keeps what it brings back (sealed), `bot_credentials_net` does the
//! network. The store's lock is never held while the network or the browser
//! is waited for: read, release, wait (off the main thread), lock again to
//! save. Replies carry an `Authorization` or a `LinkReport`, never a token
//! or a secret, and nothing here writes a log line.

use super::state::AppState;
use bot_credentials_core::error::{Error, Result as CoreResult};
use bot_credentials_core::store::{redirect_uri, Authorization, DEFAULT_OAUTH_PORT};
use bot_credentials_net::bridge;
use bot_credentials_net::{Cancel, CodeFlow, LinkReport, NetError, Tokens};
use serde::Serialize;
use serde_json::Value;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

/// How long the browser has to bring the code back.
const BROWSER_WAIT: Duration = Duration::from_secs(300);
/// Every token request.
const NETWORK_TIMEOUT: Duration = Duration::from_secs(15);
/// Checking a Consumer Authentication link (contract: 10 s).
const LINK_TIMEOUT: Duration = Duration::from_secs(10);

// Errors are the core's: a network failure is `Error::Network { kind, .. }`
// (offline, timeout, cancelled, provider, state_mismatch, tls, listener,
// protocol) through bot_credentials_net::bridge, its message a plain
// sentence without secrets.
type Result<T> = std::result::Result<T, Error>;

// ---- the authorization in progress ----

struct Flight {
    serial: u64,
    cancel: Cancel,
}

/// The one authorization (or refresh) in progress, so Cancel can stop it.
/// One at a time: the redirect listener has one port.
#[derive(Default)]
pub struct Authorizing {
    current: Mutex<(u64, Option<Flight>)>,
}

/// Clears the slot when the authorization ends, however it ends.
struct FlightGuard<'a> {
    slot: &'a Authorizing,
    serial: u64,
}

impl Drop for FlightGuard<'_> {
    fn drop(&mut self) {
        let mut guard = self.slot.current.lock().unwrap_or_else(|p| p.into_inner());
        if guard.1.as_ref().is_some_and(|f| f.serial == self.serial) {
            guard.1 = None;
        }
    }
}

impl Authorizing {
    fn begin(&self) -> CoreResult<(FlightGuard<'_>, Cancel)> {
        let mut guard = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if guard.1.is_some() {
            return Err(Error::Conflict(
                "another authorization is in progress; finish it in the browser or cancel it first".into(),
            ));
        }
        guard.0 += 1;
        let serial = guard.0;
        let cancel = Cancel::default();
        guard.1 = Some(Flight { serial, cancel: cancel.clone() });
        Ok((FlightGuard { slot: self, serial }, cancel))
    }

    /// Cancels what is in progress; false when nothing was.
    fn cancel(&self) -> bool {
        let guard = self.current.lock().unwrap_or_else(|p| p.into_inner());
        match &guard.1 {
            Some(f) => {
                f.cancel.cancel();
                true
            }
            None => false,
        }
    }
}

/// Runs `work` (bounded by its own timeouts) on a thread of its own and
/// waits for it, giving up at once when `cancel` is set (the answer that
/// comes later is dropped, nothing is stored).
fn cancellable<T: Send + 'static>(
    cancel: &Cancel,
    work: impl FnOnce() -> std::result::Result<T, NetError> + Send + 'static,
) -> std::result::Result<T, NetError> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("oauth-request".into())
        .spawn(move || {
            let _ = tx.send(work());
        })
        .map_err(|e| NetError::Protocol(format!("the request could not be started: {e}")))?;
    loop {
        match rx.recv_timeout(Duration::from_millis(25)) {
            Ok(answer) => return answer,
            Err(RecvTimeoutError::Timeout) if cancel.is_cancelled() => return Err(NetError::Cancelled),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(NetError::Protocol("the request stopped without an answer".into()))
            }
        }
    }
}

/// Opens `url` in the system browser: tauri's opener plugin, or the program
/// named by `BOT_CREDENTIALS_OPENER` when set (the tests' scripted browser).
/// The message never carries the URL (it holds `state`).
fn open_in_browser<R: Runtime>(app: &AppHandle<R>, url: &str) -> CoreResult<()> {
    let opened = if bot_credentials_net::opener_override().is_some() {
        bot_credentials_net::open_url(url)
    } else {
        app.opener().open_url(url, None::<&str>).map_err(|e| e.to_string())
    };
    opened.map_err(|e| Error::Io(format!("the browser could not be opened: {}", e.replace(url, "<the URL>"))))
}

/// Runs blocking work off the main thread and the async runtime's workers.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| Error::Io(format!("the request stopped unexpectedly: {e}")))?
}

/// After a token request: the tokens saved, or the failure recorded (when it
/// says something about the credential) and returned.
fn keep(state: &AppState, id: i64, answer: std::result::Result<Tokens, NetError>) -> Result<Authorization> {
    // The wait was use of the window: the auto-lock must not lock the key away before the save.
    state.touch();
    let subject = format!("credential {id}");
    match &answer {
        Ok(_) => tracing::info!(op = "authorize", subject, "tokens received"),
        Err(e) => tracing::warn!(op = "authorize", subject, kind = e.kind(), "failed: {e}"),
    }
    match answer {
        Ok(tokens) => {
            let set = bridge::token_set(tokens);
            Ok(state.with_store(|s| s.save_tokens(id, &set))?)
        }
        Err(e) => {
            if bridge::is_about_the_credential(&e) {
                state.with_store(|s| s.record_authorization_failure(id, &e.to_string()))?;
            }
            Err(e.into())
        }
    }
}

// ---- commands ----

/// The redirect URI the window listens on, for the dialog (Copy) and Security.
#[derive(Serialize)]
pub struct RedirectSettings {
    port: u16,
    redirect_uri: String,
    default_port: u16,
}

fn redirect_settings(port: u16) -> RedirectSettings {
    RedirectSettings { port, redirect_uri: redirect_uri(port), default_port: DEFAULT_OAUTH_PORT }
}

#[tauri::command(async)]
pub fn oauth_settings(state: State<'_, AppState>) -> CoreResult<RedirectSettings> {
    state.with_store(|s| s.oauth_port()).map(redirect_settings)
}

/// `port`: a whole number from 1024 to 65535.
#[tauri::command(async)]
pub fn set_oauth_port(state: State<'_, AppState>, port: Value) -> CoreResult<RedirectSettings> {
    let port = port
        .as_u64()
        .filter(|p| (1024..=65535).contains(p))
        .and_then(|p| u16::try_from(p).ok())
        .ok_or_else(|| Error::invalid("port", "must be a whole number between 1024 and 65535"))?;
    state
        .with_store(|s| {
            s.set_oauth_port(port)?;
            s.oauth_port()
        })
        .map(redirect_settings)
}

/// Authorizes an OAuth 2.0 credential. Authorization Code: the Auth URL in
/// the browser, the redirect on 127.0.0.1 at the store's port, at most 300 s;
/// Client Credentials: one token request. The tokens are sealed; the reply
/// is the new Authorization.
#[tauri::command]
pub async fn authorize_credential<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    authorizing: State<'_, Authorizing>,
    id: i64,
) -> Result<Authorization> {
    let (settings, port) = state.with_store(|s| Ok((s.oauth_settings(id)?, s.oauth_port()?)))?;
    let code_flow = match settings.grant_type.as_str() {
        "authorization_code" => true,
        "client_credentials" => false,
        other => {
            return Err(Error::invalid("grant_type", format!("{other:?} is not a grant type this app can authorize")))
        }
    };
    let client = bridge::client(&settings);
    drop(settings);
    let (_flight, cancel) = authorizing.begin()?;
    let answer = blocking(move || {
        if code_flow {
            // A refused start (a busy port, an Auth URL that is not one) is kept like any answer.
            let flow = match CodeFlow::begin(&client, port) {
                Ok(flow) => flow,
                Err(e) => return Ok(Err(e)),
            };
            open_in_browser(&app, flow.url())?;
            Ok(flow.finish(&client, BROWSER_WAIT, NETWORK_TIMEOUT, &cancel))
        } else {
            Ok(cancellable(&cancel, move || bot_credentials_net::client_credentials(&client, NETWORK_TIMEOUT)))
        }
    })
    .await?;
    keep(&state, id, answer)
}

/// Cancels the authorization or refresh in progress; false when there was none.
#[tauri::command(async)]
pub fn cancel_authorization(authorizing: State<'_, Authorizing>) -> bool {
    authorizing.cancel()
}

/// Renews an OAuth 2.0 credential's access token with its refresh token.
#[tauri::command]
pub async fn refresh_token(
    state: State<'_, AppState>,
    authorizing: State<'_, Authorizing>,
    id: i64,
) -> Result<Authorization> {
    let (settings, refresh) = state.with_store(|s| {
        let settings = s.oauth_settings(id)?;
        let refresh = s.tokens(id)?.and_then(|t| t.refresh_token);
        Ok((settings, refresh))
    })?;
    let Some(refresh) = refresh else {
        return Err(Error::invalid("refresh_token", "no refresh token is stored; authorize it again"));
    };
    let client = bridge::client(&settings);
    drop(settings);
    let (_flight, cancel) = authorizing.begin()?;
    let answer = blocking(move || {
        Ok(cancellable(&cancel, move || bot_credentials_net::refresh(&client, &refresh, NETWORK_TIMEOUT)))
    })
    .await?;
    keep(&state, id, answer)
}

/// The Authentication URL of a Consumer Authentication credential.
fn authentication_url(state: &AppState, id: i64) -> CoreResult<String> {
    state.with_store(|s| {
        let c = s.get_credential(id)?;
        if c.kind.id != "consumer_authentication" {
            return Err(Error::invalid(
                "type",
                format!(
                    "\"{}\" is a {} credential; only Consumer Authentication links are checked",
                    c.name, c.kind.label
                ),
            ));
        }
        c.fields
            .get("authentication_url")
            .and_then(Value::as_str)
            .filter(|u| !u.is_empty())
            .map(str::to_string)
            .ok_or_else(|| Error::invalid("authentication_url", "is not set"))
    })
}

/// GETs a Consumer Authentication link (no cookies, at most 5 redirects, 10 s)
/// and says what came back.
#[tauri::command]
pub async fn check_link(state: State<'_, AppState>, id: i64) -> Result<LinkReport> {
    let url = authentication_url(&state, id)?;
    blocking(move || Ok(bot_credentials_net::check_link(&url, LINK_TIMEOUT))).await
}

/// Test link: opens a Consumer Authentication link in the browser, as the consumer will see it.
#[tauri::command]
pub async fn open_link<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, id: i64) -> Result<()> {
    let url = authentication_url(&state, id)?;
    blocking(move || open_in_browser(&app, &url)).await
}
