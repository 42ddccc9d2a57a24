//! The HTTP client: one ureq agent setup (rustls, system roots, no cookies,
//! no redirects, timeouts), ureq's errors as [`NetError`]s, and the
//! [`oauth2::SyncHttpClient`] the token requests go through.

use std::cell::RefCell;
use std::io::ErrorKind;
use std::time::Duration;

use oauth2::{HttpRequest, HttpResponse, SyncHttpClient};
use serde_json::Value;
use ureq::tls::{RootCerts, TlsConfig};

use crate::error::{seconds, NetError};
use crate::redact::Redactor;

/// Connecting (DNS, TCP, TLS) gets at most this much of a longer timeout.
const CONNECT_AT_MOST: Duration = Duration::from_secs(10);

/// A token answer larger than this is not a token answer.
const MAX_TOKEN_BODY: u64 = 1024 * 1024;

/// An agent that follows no redirect, turns no status into an error, keeps no
/// cookies (ureq's `cookies` feature is off), and gives up after `timeout`.
pub(crate) fn agent(timeout: Duration) -> ureq::Agent {
    let tls = TlsConfig::builder().root_certs(RootCerts::PlatformVerifier).build();
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout.min(CONNECT_AT_MOST)))
        .tls_config(tls)
        .user_agent(concat!("bot-credentials/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// `host` or `host:port` of a URL, for messages; the URL itself when it has no host.
pub(crate) fn host_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            _ => url.to_string(),
        },
        Err(_) => url.to_string(),
    }
}

/// A ureq error as a person would be told.
pub(crate) fn net_error(error: ureq::Error, host: &str, timeout: Duration) -> NetError {
    let offline = || NetError::Offline(format!("you are offline or {host} cannot be reached"));
    let timed_out = || NetError::Timeout(format!("{host} did not answer within {}", seconds(timeout)));
    match error {
        ureq::Error::Timeout(_) => timed_out(),
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => offline(),
        ureq::Error::Io(e) => match e.kind() {
            ErrorKind::ConnectionRefused
            | ErrorKind::NetworkUnreachable
            | ErrorKind::HostUnreachable
            | ErrorKind::NetworkDown
            | ErrorKind::AddrNotAvailable => offline(),
            _ if rustls_error(&e).is_some() => rustls_error(&e).map_or_else(offline, |e| tls_error(e, host)),
            ErrorKind::TimedOut | ErrorKind::WouldBlock => timed_out(),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::UnexpectedEof => {
                NetError::Protocol(format!("{host} closed the connection before it answered"))
            }
            _ => NetError::Protocol(format!("talking to {host} failed: {e}")),
        },
        ureq::Error::Rustls(e) => tls_error(&e, host),
        ureq::Error::Tls(e) => NetError::Tls(format!("TLS with {host} failed: {e}")),
        ureq::Error::Pem(e) => NetError::Tls(format!("TLS with {host} failed: {e:?}")),
        other => NetError::Protocol(format!("talking to {host} failed: {other}")),
    }
}

/// A rustls error that reaches us wrapped in an I/O error (the handshake's).
fn rustls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref()?.downcast_ref::<rustls::Error>()
}

/// A TLS failure in a sentence; certificate problems named plainly.
fn tls_error(e: &rustls::Error, host: &str) -> NetError {
    use rustls::CertificateError as C;
    let plain = match e {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::Expired | C::ExpiredContext { .. } => Some("has expired"),
            C::NotValidYet | C::NotValidYetContext { .. } => Some("is not valid yet"),
            C::UnknownIssuer => Some("is not signed by an authority this computer trusts"),
            C::NotValidForName | C::NotValidForNameContext { .. } => Some("was issued for another name"),
            C::Revoked => Some("has been revoked"),
            _ => None,
        },
        _ => None,
    };
    NetError::Tls(match (plain, e) {
        (Some(plain), _) => format!("the certificate of {host} {plain}"),
        (None, rustls::Error::InvalidCertificate(cert)) => format!("the certificate of {host} is not valid ({cert:?})"),
        (None, _) => format!("TLS with {host} failed: {e}"),
    })
}

/// The token endpoint's HTTP client for oauth2. Besides moving the request, it
/// refuses redirects and answers that are not OAuth (an HTML error page, HTTP
/// 500 with a stack trace) with a [`NetError::Protocol`] naming the status,
/// the body shown only after redaction.
pub(crate) struct TokenHttp<'a> {
    agent: ureq::Agent,
    host: String,
    timeout: Duration,
    redactor: &'a Redactor,
    /// `token_type` of the last success as sent: oauth2 lowercases it.
    token_type: RefCell<Option<String>>,
}

impl<'a> TokenHttp<'a> {
    pub fn new(token_url: &str, timeout: Duration, redactor: &'a Redactor) -> TokenHttp<'a> {
        TokenHttp { agent: agent(timeout), host: host_of(token_url), timeout, redactor, token_type: RefCell::new(None) }
    }

    /// The `token_type` of the last successful answer, spelled as the provider did.
    pub fn token_type(&self) -> Option<String> {
        self.token_type.borrow().clone()
    }

    pub fn host(&self) -> &str {
        &self.host
    }
}

impl SyncHttpClient for TokenHttp<'_> {
    type Error = NetError;

    fn call(&self, request: HttpRequest) -> Result<HttpResponse, NetError> {
        let response = self.agent.run(request).map_err(|e| net_error(e, &self.host, self.timeout))?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(MAX_TOKEN_BODY)
            .read_to_vec()
            .map_err(|e| net_error(e, &self.host, self.timeout))?;
        let status = parts.status;
        if status.is_redirection() {
            return Err(NetError::Protocol(format!(
                "the Token URL at {} answered with a redirect (HTTP {}); token requests do not follow redirects, \
                 so check the Token URL",
                self.host,
                status.as_u16()
            )));
        }
        let bytes = if status == oauth2::http::StatusCode::OK {
            *self.token_type.borrow_mut() = raw_token_type(&bytes);
            normalize_expires_in(bytes)
        } else if is_oauth_error(&bytes) {
            bytes
        } else {
            let text = String::from_utf8_lossy(&bytes);
            let shown = self.redactor.clean(&text);
            let reason = status.canonical_reason().unwrap_or("");
            return Err(NetError::Protocol(if shown.is_empty() {
                format!("{} answered HTTP {} {reason} without an OAuth error", self.host, status.as_u16())
            } else {
                format!("{} answered HTTP {} {reason} without an OAuth error: {shown}", self.host, status.as_u16())
            }));
        };
        Ok(HttpResponse::from_parts(parts, bytes))
    }
}

/// A JSON object with a string `error` (RFC 6749 §5.2).
fn is_oauth_error(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body).is_ok_and(|v| v.get("error").is_some_and(Value::is_string))
}

fn raw_token_type(body: &[u8]) -> Option<String> {
    let value = serde_json::from_slice::<Value>(body).ok()?;
    value.get("token_type")?.as_str().map(str::to_string)
}

/// Some providers send `expires_in` as a string (`"3599"`) or a negative or
/// fractional number; oauth2 wants an unsigned integer. Left alone otherwise.
fn normalize_expires_in(body: Vec<u8>) -> Vec<u8> {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(&body) else { return body };
    let fixed = match map.get("expires_in") {
        None | Some(Value::Null) => return body,
        Some(Value::Number(n)) if n.is_u64() => return body,
        Some(Value::Number(n)) => n.as_f64().map(|f| f.max(0.0) as u64),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok().map(|f| f.max(0.0) as u64),
        Some(_) => None,
    };
    match fixed {
        Some(secs) => map.insert("expires_in".into(), secs.into()),
        None => map.remove("expires_in"),
    };
    serde_json::to_vec(&Value::Object(map)).unwrap_or(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_is_made_unsigned() {
        let fix = |s: &str| String::from_utf8(normalize_expires_in(s.as_bytes().to_vec())).expect("utf-8");
        assert_eq!(fix(r#"{"a":1,"expires_in":"3599"}"#), r#"{"a":1,"expires_in":3599}"#);
        assert_eq!(fix(r#"{"expires_in":-5}"#), r#"{"expires_in":0}"#);
        assert_eq!(fix(r#"{"expires_in":12.7}"#), r#"{"expires_in":12}"#);
        assert_eq!(fix(r#"{"expires_in":"soon","x":2}"#), r#"{"x":2}"#);
        assert_eq!(fix(r#"{ "expires_in": 60 }"#), r#"{ "expires_in": 60 }"#);
        assert_eq!(fix("not json"), "not json");
    }

    #[test]
    fn oauth_errors_are_recognized() {
        assert!(is_oauth_error(br#"{"error":"invalid_client"}"#));
        assert!(!is_oauth_error(br#"{"error":5}"#));
        assert!(!is_oauth_error(b"<html>500</html>"));
    }

    #[test]
    fn hosts_for_messages() {
        assert_eq!(host_of("https://login.example.com/oauth/token"), "login.example.com");
        assert_eq!(host_of("http://127.0.0.1:8080/token"), "127.0.0.1:8080");
        assert_eq!(host_of("nonsense"), "nonsense");
    }
}
