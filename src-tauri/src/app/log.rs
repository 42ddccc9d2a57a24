//! One log line per operation of the window (see bot_credentials_core::logs):
//! the operation, what it was about (an organization or credential by name,
//! counts), and for a failure the error's kind and message. Never a value:
//! the app's error messages carry no secret, and nothing else is logged.

use bot_credentials_core::error::Result;

/// Logs `result` of `op` about `subject`, and hands it back.
pub fn outcome<T>(op: &str, subject: &str, result: Result<T>) -> Result<T> {
    match &result {
        Ok(_) => tracing::info!(op, subject, "done"),
        Err(e) => tracing::warn!(op, subject, kind = e.kind(), "failed: {e}"),
    }
    result
}

/// "\"name\"" of a draft (as typed; names are not secret), for a subject.
pub fn draft_name(draft: &serde_json::Value) -> String {
    format!("{:?}", draft.get("name").and_then(serde_json::Value::as_str).unwrap_or(""))
}
