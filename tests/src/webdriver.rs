//! A small blocking W3C WebDriver client over ureq 3.
//!
//! Only what the end-to-end tests need: sessions, script execution, element
//! click / clear / send keys, key actions and screenshots. HTTP error statuses
//! are returned as responses (not transport errors) so that WebDriver's own
//! error JSON, `{"value":{"error","message"}}`, can be reported as it is.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

/// The key under which W3C WebDriver serializes an element reference.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// WebDriver key codes.
pub mod keys {
    /// The Enter key.
    pub const ENTER: &str = "\u{E007}";
    /// The Escape key.
    pub const ESCAPE: &str = "\u{E00C}";
    /// The Tab key.
    pub const TAB: &str = "\u{E004}";
    /// The Control key (held with [`super::WebDriver::press_chord`]).
    pub const CONTROL: &str = "\u{E009}";
    /// The Shift key (held with [`super::WebDriver::press_chord`]).
    pub const SHIFT: &str = "\u{E008}";
    /// The Down arrow.
    pub const ARROW_DOWN: &str = "\u{E015}";
    /// The Up arrow.
    pub const ARROW_UP: &str = "\u{E013}";
    /// The space bar.
    pub const SPACE: &str = "\u{E00D}";
}

/// A failed WebDriver call: a transport problem (status 0) or WebDriver's error JSON.
#[derive(Debug, Clone)]
pub struct WdError {
    /// What was asked, e.g. `POST /session/…/element/…/click`.
    pub request: String,
    /// The HTTP status, or 0 when the request did not get an answer.
    pub status: u16,
    /// WebDriver's error code, e.g. `no such element`, or `transport`.
    pub error: String,
    /// WebDriver's message.
    pub message: String,
}

impl fmt::Display for WdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {} (HTTP {}): {}", self.request, self.error, self.status, self.message)
    }
}

impl std::error::Error for WdError {}

/// A reference to an element of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element(pub String);

impl Element {
    /// Reads an element reference out of a JSON value, if it is one.
    pub fn from_json(v: &Value) -> Option<Element> {
        v.get(ELEMENT_KEY).and_then(Value::as_str).map(|id| Element(id.to_owned()))
    }

    /// The JSON form used to pass this element as a script argument.
    pub fn to_json(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_connect(Some(Duration::from_secs(5)))
        .timeout_global(Some(Duration::from_secs(90)))
        .build()
        .new_agent()
}

/// Sends one WebDriver request and returns the `value` member of the answer.
fn request(agent: &ureq::Agent, method: &str, url: &str, body: Option<&Value>) -> Result<Value, WdError> {
    let what = format!("{method} {url}");
    let transport = |message: String| WdError { request: what.clone(), status: 0, error: "transport".into(), message };
    let sent = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        ("POST", Some(b)) => agent.post(url).send_json(b),
        ("POST", None) => agent.post(url).send_json(json!({})),
        _ => return Err(transport(format!("unsupported method {method}"))),
    };
    let mut response = sent.map_err(|e| transport(e.to_string()))?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| transport(format!("reading the answer: {e}")))?;
    let parsed: Value = serde_json::from_str(&text).map_err(|e| WdError {
        request: what.clone(),
        status,
        error: "invalid answer".into(),
        message: format!("{e}: {}", text.chars().take(500).collect::<String>()),
    })?;
    let value = parsed.get("value").cloned().unwrap_or(Value::Null);
    let error = value.get("error").and_then(Value::as_str);
    if status >= 400 || error.is_some() {
        return Err(WdError {
            request: what,
            status,
            error: error.unwrap_or("unknown error").to_owned(),
            message: value.get("message").and_then(Value::as_str).unwrap_or(&text).to_owned(),
        });
    }
    Ok(value)
}

/// One WebDriver session.
pub struct WebDriver {
    agent: ureq::Agent,
    base: String,
    session: String,
}

impl WebDriver {
    /// Opens a session on the WebDriver server at `base` (e.g. `http://127.0.0.1:4444`)
    /// that starts the Tauri application at `application`.
    pub fn new_session(base: &str, application: &Path) -> Result<WebDriver, WdError> {
        let agent = agent();
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": { "application": application.to_string_lossy() }
                }
            }
        });
        let value = request(&agent, "POST", &format!("{base}/session"), Some(&caps))?;
        let session = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| WdError {
                request: format!("POST {base}/session"),
                status: 200,
                error: "invalid answer".into(),
                message: format!("no sessionId in {value}"),
            })?
            .to_owned();
        Ok(WebDriver { agent, base: base.to_owned(), session })
    }

    /// The session's id.
    pub fn session_id(&self) -> &str {
        &self.session
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, WdError> {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        request(&self.agent, method, &url, body)
    }

    /// Ends the session (the application is closed).
    pub fn delete_session(&self) -> Result<(), WdError> {
        self.call("DELETE", "", None).map(|_| ())
    }

    /// Runs `script` as the body of a function called with `args`; returns its result.
    pub fn execute(&self, script: &str, args: &[Value]) -> Result<Value, WdError> {
        let body = json!({ "script": script, "args": args });
        self.call("POST", "/execute/sync", Some(&body))
    }

    /// Sets how long a script may run (`execute`, `execute_async`) before
    /// WebDriver gives up on it (the default is 30 s).
    pub fn set_script_timeout(&self, timeout: Duration) -> Result<(), WdError> {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        self.call("POST", "/timeouts", Some(&json!({ "script": ms }))).map(|_| ())
    }

    /// The document's title.
    pub fn title(&self) -> Result<String, WdError> {
        Ok(self.call("GET", "/title", None)?.as_str().unwrap_or_default().to_owned())
    }

    /// Clicks an element (WebDriver scrolls it into view first).
    pub fn click(&self, el: &Element) -> Result<(), WdError> {
        self.call("POST", &format!("/element/{}/click", el.0), None).map(|_| ())
    }

    /// Clears an editable element.
    pub fn clear(&self, el: &Element) -> Result<(), WdError> {
        self.call("POST", &format!("/element/{}/clear", el.0), None).map(|_| ())
    }

    /// Types `text` into an element, key by key.
    pub fn send_keys(&self, el: &Element, text: &str) -> Result<(), WdError> {
        let body = json!({ "text": text });
        self.call("POST", &format!("/element/{}/value", el.0), Some(&body)).map(|_| ())
    }

    /// The focused element.
    pub fn active_element(&self) -> Result<Element, WdError> {
        let v = self.call("GET", "/element/active", None)?;
        Element::from_json(&v).ok_or_else(|| WdError {
            request: "GET /element/active".into(),
            status: 200,
            error: "invalid answer".into(),
            message: format!("not an element: {v}"),
        })
    }

    /// Presses and releases one key (e.g. [`keys::ENTER`]) wherever the focus is.
    pub fn press_key(&self, key: &str) -> Result<(), WdError> {
        let body = json!({ "actions": [ {
            "type": "key", "id": "keyboard",
            "actions": [ { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key } ]
        } ] });
        let result = self.call("POST", "/actions", Some(&body)).map(|_| ());
        // Release whatever is left pressed; a failure here changes nothing.
        let _ = self.call("DELETE", "/actions", None);
        result
    }

    /// Holds `modifier` (e.g. [`keys::CONTROL`]) while pressing `key`, wherever the focus is.
    pub fn press_chord(&self, modifier: &str, key: &str) -> Result<(), WdError> {
        let body = json!({ "actions": [ {
            "type": "key", "id": "keyboard",
            "actions": [
                { "type": "keyDown", "value": modifier },
                { "type": "keyDown", "value": key },
                { "type": "keyUp", "value": key },
                { "type": "keyUp", "value": modifier }
            ]
        } ] });
        let result = self.call("POST", "/actions", Some(&body)).map(|_| ());
        let _ = self.call("DELETE", "/actions", None);
        result
    }

    /// Whether the element is enabled (not `disabled`).
    pub fn is_enabled(&self, el: &Element) -> Result<bool, WdError> {
        Ok(self.call("GET", &format!("/element/{}/enabled", el.0), None)?.as_bool().unwrap_or(false))
    }

    /// Runs `script` as the body of an async function; it finishes by calling
    /// `arguments[arguments.length - 1]` with its result.
    pub fn execute_async(&self, script: &str, args: &[Value]) -> Result<Value, WdError> {
        let body = json!({ "script": script, "args": args });
        self.call("POST", "/execute/async", Some(&body))
    }

    /// The window's position and size: `(x, y, width, height)` in CSS pixels.
    pub fn window_rect(&self) -> Result<(i64, i64, i64, i64), WdError> {
        let v = self.call("GET", "/window/rect", None)?;
        let n = |k: &str| v.get(k).and_then(Value::as_f64).map_or(0, |f| f.round() as i64);
        Ok((n("x"), n("y"), n("width"), n("height")))
    }

    /// Moves and resizes the window (W3C Set Window Rect); returns the rect it got.
    pub fn set_window_rect(&self, x: i64, y: i64, width: i64, height: i64) -> Result<(i64, i64, i64, i64), WdError> {
        let body = json!({ "x": x, "y": y, "width": width, "height": height });
        self.call("POST", "/window/rect", Some(&body))?;
        self.window_rect()
    }

    /// A PNG screenshot of the window's page.
    pub fn screenshot_png(&self) -> Result<Vec<u8>, WdError> {
        let v = self.call("GET", "/screenshot", None)?;
        let b64 = v.as_str().unwrap_or_default();
        base64::engine::general_purpose::STANDARD.decode(b64).map_err(|e| WdError {
            request: "GET /screenshot".into(),
            status: 200,
            error: "invalid answer".into(),
            message: format!("screenshot is not base64: {e}"),
        })
    }
}
