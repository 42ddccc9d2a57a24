//! What can go wrong on the network, as a person would be told.

/// Every string in here is a complete sentence for a person (no secret in it);
/// `Display` shows it as is.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// DNS failure, connection refused, no route:
    /// "you are offline or <host> cannot be reached".
    #[error("{0}")]
    Offline(String),
    /// "<host> did not answer within N s" (or the browser did not come back in time).
    #[error("{0}")]
    Timeout(String),
    #[error("the authorization was cancelled")]
    Cancelled,
    /// An RFC 6749 error response (token endpoint or redirect), with every
    /// secret we sent removed from both fields.
    #[error("{}", provider_line(error, description.as_deref()))]
    Provider { error: String, description: Option<String> },
    /// The redirect's `state` differs from the one this authorization sent.
    #[error("the answer did not come from this authorization (state mismatch); nothing was stored")]
    StateMismatch,
    /// Certificate and other TLS problems.
    #[error("{0}")]
    Tls(String),
    /// The loopback redirect listener, e.g.
    /// "port 8765 on 127.0.0.1 is in use by another program; choose another redirect port (Security page, Sign-in redirect; or --port)".
    #[error("{0}")]
    Listener(String),
    /// Anything else unexpected (bad JSON, HTTP 500 without an OAuth error,
    /// a URL that is not one...), secrets removed.
    #[error("{0}")]
    Protocol(String),
}

impl NetError {
    /// A stable name for scripts and the window:
    /// `offline`, `timeout`, `cancelled`, `provider`, `state_mismatch`, `tls`, `listener`, `protocol`.
    pub fn kind(&self) -> &'static str {
        match self {
            NetError::Offline(_) => "offline",
            NetError::Timeout(_) => "timeout",
            NetError::Cancelled => "cancelled",
            NetError::Provider { .. } => "provider",
            NetError::StateMismatch => "state_mismatch",
            NetError::Tls(_) => "tls",
            NetError::Listener(_) => "listener",
            NetError::Protocol(_) => "protocol",
        }
    }
}

/// `error`, then `: description` when there is one.
fn provider_line(error: &str, description: Option<&str>) -> String {
    match description {
        Some(description) if !description.is_empty() => format!("{error}: {description}"),
        _ => error.to_string(),
    }
}

/// "10 s", "0.5 s": how a timeout is named in messages.
pub(crate) fn seconds(duration: std::time::Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn provider_display() {
        let e =
            NetError::Provider { error: "access_denied".into(), description: Some("The user denied access".into()) };
        assert_eq!(e.to_string(), "access_denied: The user denied access");
        assert_eq!(e.kind(), "provider");
        let e = NetError::Provider { error: "invalid_grant".into(), description: None };
        assert_eq!(e.to_string(), "invalid_grant");
    }

    #[test]
    fn kinds_and_sentences() {
        assert_eq!(NetError::Cancelled.kind(), "cancelled");
        assert_eq!(NetError::StateMismatch.kind(), "state_mismatch");
        assert!(NetError::StateMismatch.to_string().contains("nothing was stored"));
        assert_eq!(NetError::Offline("you are offline".into()).to_string(), "you are offline");
    }

    #[test]
    fn seconds_are_readable() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(500)), "0.5 s");
    }
}
