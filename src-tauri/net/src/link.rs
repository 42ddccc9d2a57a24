//! Checking a Consumer Authentication link: what a consumer's browser would get.

use std::time::Duration;

use serde::Serialize;
use url::Url;

use crate::error::NetError;
use crate::http::{agent, host_of, net_error};

/// Redirects followed before giving up (contract: at most 5).
pub(crate) const MAX_REDIRECTS: u32 = 5;

/// What a link answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct LinkReport {
    /// Answered 2xx or 3xx at the end of the chain.
    pub reachable: bool,
    /// The last status seen.
    pub status: Option<u16>,
    /// The last URL asked for.
    pub final_url: Option<String>,
    pub final_host: Option<String>,
    /// Redirects followed.
    pub redirects: u32,
    /// TLS of the last URL asked for.
    pub tls: TlsState,
    /// A plain sentence when not reachable.
    pub problem: Option<String>,
}

/// TLS of the last request. Serialized as `"valid"`, `{"invalid": "…"}`, `"not_used"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsState {
    /// https, and the certificate was accepted.
    Valid,
    /// https, and the TLS handshake failed: why.
    Invalid(String),
    /// http, or no TLS handshake happened (the host could not be reached).
    NotUsed,
}

/// GET, no cookies, at most 5 redirects (followed here, so they can be counted
/// and the final URL and host recorded; a redirect to a scheme other than
/// http or https is not followed), `timeout` overall per request (contract: 10 s).
pub fn check_link(url: &str, timeout: Duration) -> LinkReport {
    let mut report = LinkReport {
        reachable: false,
        status: None,
        final_url: None,
        final_host: None,
        redirects: 0,
        tls: TlsState::NotUsed,
        problem: None,
    };
    let mut current = match Url::parse(url.trim()) {
        Ok(parsed) if is_web(&parsed) => parsed,
        Ok(parsed) => {
            report.problem = Some(format!("only http and https links can be checked, not {}: links", parsed.scheme()));
            return report;
        }
        Err(e) => {
            report.problem = Some(format!("this is not a valid URL ({e})"));
            return report;
        }
    };
    let agent = agent(timeout);
    loop {
        report.final_url = Some(current.to_string());
        report.final_host = current.host_str().map(str::to_string);
        let host = host_of(current.as_str());
        let https = current.scheme() == "https";
        report.tls = TlsState::NotUsed;
        let response = match agent.get(current.as_str()).header("Accept", "text/html,*/*;q=0.8").call() {
            Ok(response) => response,
            Err(e) => {
                let error = net_error(e, &host, timeout);
                if let NetError::Tls(why) = &error {
                    report.tls = TlsState::Invalid(why.clone());
                }
                report.problem = Some(error.to_string());
                return report;
            }
        };
        if https {
            report.tls = TlsState::Valid;
        }
        let status = response.status();
        report.status = Some(status.as_u16());
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
        // The body is not needed; dropping the response closes the connection.
        drop(response);
        let Some(location) = location.filter(|_| status.is_redirection()) else {
            report.reachable = status.is_success() || status.is_redirection();
            if !report.reachable {
                let reason = status.canonical_reason().map(|r| format!(" {r}")).unwrap_or_default();
                report.problem = Some(format!("{host} answered HTTP {}{reason}", status.as_u16()));
            }
            return report;
        };
        if report.redirects == MAX_REDIRECTS {
            report.problem = Some(format!("more than {MAX_REDIRECTS} redirects; stopped at {host}"));
            return report;
        }
        let next = match current.join(&location) {
            Ok(next) if is_web(&next) => next,
            Ok(next) => {
                report.problem =
                    Some(format!("{host} redirects to a {}: address, which is not followed", next.scheme()));
                return report;
            }
            Err(_) => {
                report.problem = Some(format!("{host} redirects to an address that is not a valid URL"));
                return report;
            }
        };
        report.redirects += 1;
        current = next;
    }
}

fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_web_link() {
        let report = check_link("mailto:someone@example.test", Duration::from_secs(1));
        assert!(!report.reachable);
        assert_eq!(report.problem.as_deref(), Some("only http and https links can be checked, not mailto: links"));
        let report = check_link("not a url", Duration::from_secs(1));
        assert!(report.problem.is_some_and(|p| p.starts_with("this is not a valid URL")));
    }

    #[test]
    fn serializes_snake_case() {
        let report = LinkReport {
            reachable: false,
            status: None,
            final_url: None,
            final_host: None,
            redirects: 0,
            tls: TlsState::Invalid("bad".into()),
            problem: Some("x".into()),
        };
        let json = serde_json::to_value(&report).expect("serialize");
        assert_eq!(json["tls"], serde_json::json!({"invalid": "bad"}));
        assert_eq!(serde_json::to_value(TlsState::NotUsed).expect("serialize"), "not_used");
    }
}
