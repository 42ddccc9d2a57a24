//! Between the core's stored types and this crate's: what the terminal (and
//! anyone else holding a `Store`) needs to call the network and keep the
//! answer. Nothing here touches the database.

use bot_credentials_core::error::Error;
use bot_credentials_core::store::{OAuthSettings, TokenSet};

use crate::error::NetError;
use crate::link::{LinkReport, TlsState};
use crate::model::{OAuthClient, Tokens};

/// The client a token request needs, from a credential's settings.
pub fn client(s: &OAuthSettings) -> OAuthClient {
    OAuthClient {
        client_id: s.client_id.clone(),
        client_secret: s.client_secret.clone(),
        auth_url: s.auth_url.clone(),
        token_url: s.token_url.clone(),
        scope: s.scope.clone(),
        pkce: s.pkce,
    }
}

/// What the store keeps of a token response: its expiry counted from now.
pub fn token_set(t: Tokens) -> TokenSet {
    TokenSet {
        access_token: t.access_token,
        token_type: t.token_type,
        refresh_token: t.refresh_token,
        scope: t.scope,
        expires_at: TokenSet::expiry_after(t.expires_in),
    }
}

/// Whether a failure says something about the credential, so the list
/// shows it ("Authorization failed: …"): what the provider refused, a
/// forged state, a TLS or protocol problem. Being offline, a timeout,
/// Cancel or a busy port say nothing about it and leave its state as it was.
pub fn is_about_the_credential(e: &NetError) -> bool {
    matches!(e, NetError::Provider { .. } | NetError::StateMismatch | NetError::Tls(_) | NetError::Protocol(_))
}

/// One line for a person: reachable or not, the status, the final host, the
/// redirects and TLS, e.g. `reachable: HTTP 200 from login.example.com after
/// 2 redirects, TLS valid`.
pub fn describe_link(r: &LinkReport) -> String {
    let mut facts = Vec::new();
    match (r.status, &r.final_host) {
        (Some(status), Some(host)) => facts.push(format!("HTTP {status} from {host}")),
        (Some(status), None) => facts.push(format!("HTTP {status}")),
        (None, Some(host)) => facts.push(format!("no answer from {host}")),
        (None, None) => {}
    }
    match r.redirects {
        0 => {}
        1 => facts.push("after 1 redirect".into()),
        n => facts.push(format!("after {n} redirects")),
    }
    match &r.tls {
        TlsState::Valid => facts.push("TLS valid".into()),
        TlsState::Invalid(_) => facts.push("TLS not valid".into()),
        TlsState::NotUsed => {}
    }
    let facts = join_facts(&facts);
    match (r.reachable, &r.problem) {
        (true, _) => format!("reachable: {facts}"),
        (false, Some(problem)) if facts.is_empty() => format!("not reachable: {problem}"),
        (false, Some(problem)) => format!("not reachable: {problem} ({facts})"),
        (false, None) => format!("not reachable: {facts}"),
    }
}

/// "HTTP 200 from x after 2 redirects, TLS valid"
fn join_facts(facts: &[String]) -> String {
    let mut out = String::new();
    for (i, fact) in facts.iter().enumerate() {
        if i > 0 {
            out.push_str(if fact.starts_with("after ") { " " } else { ", " });
        }
        out.push_str(fact);
    }
    out
}

/// A network failure as the core's error: `Network { kind, message }` with
/// [`NetError::kind`] and the sentence (no secret in either).
impl From<NetError> for Error {
    fn from(e: NetError) -> Self {
        Error::Network { kind: e.kind(), message: e.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(reachable: bool, status: Option<u16>, redirects: u32, tls: TlsState) -> LinkReport {
        LinkReport {
            reachable,
            status,
            final_url: Some("https://login.example.test/".into()),
            final_host: Some("login.example.test".into()),
            redirects,
            tls,
            problem: (!reachable).then(|| "login.example.test answered HTTP 404 Not Found".to_string()),
        }
    }

    #[test]
    fn describes_links() {
        assert_eq!(
            describe_link(&report(true, Some(200), 2, TlsState::Valid)),
            "reachable: HTTP 200 from login.example.test after 2 redirects, TLS valid"
        );
        assert_eq!(
            describe_link(&report(false, Some(404), 1, TlsState::NotUsed)),
            "not reachable: login.example.test answered HTTP 404 Not Found (HTTP 404 from login.example.test after 1 redirect)"
        );
        let mut offline = report(false, None, 0, TlsState::NotUsed);
        offline.final_host = None;
        offline.problem = Some("you are offline or x cannot be reached".into());
        assert_eq!(describe_link(&offline), "not reachable: you are offline or x cannot be reached");
    }

    #[test]
    fn net_errors_become_network_errors() {
        let e = Error::from(NetError::Provider { error: "invalid_grant".into(), description: None });
        assert_eq!(e.kind(), "provider");
        assert_eq!(e.to_string(), "invalid_grant");
    }
}
