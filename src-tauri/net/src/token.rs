//! Requests at the Token URL (RFC 6749 §4.1.3, §4.4, §6) through oauth2's
//! `BasicClient` with HTTP Basic client authentication.

use std::time::Duration;

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicTokenResponse};
use oauth2::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, EndpointNotSet, EndpointSet, PkceCodeVerifier, RedirectUrl,
    RefreshToken, RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use zeroize::Zeroizing;

use crate::error::NetError;
use crate::http::TokenHttp;
use crate::model::{OAuthClient, Tokens};
use crate::redact::{cap, Redactor};

/// A client whose token endpoint is set.
pub(crate) type TokenClient = BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Requests a token with the client credentials grant (RFC 6749 §4.4), asking
/// for the client's scope. Gives up after `timeout`.
pub fn client_credentials(c: &OAuthClient, timeout: Duration) -> Result<Tokens, NetError> {
    let client = token_client(c)?;
    let redactor = Redactor::for_client(&c.client_id, &c.client_secret);
    let http = TokenHttp::new(&c.token_url, timeout, &redactor);
    let answer = client.exchange_client_credentials().add_scopes(scopes(c)).request(&http);
    tokens(answer, &redactor, &http)
}

/// Exchanges a refresh token for a new access token (RFC 6749 §6). No scope is
/// sent, so the provider keeps the one it granted. When the provider issues no
/// new refresh token, the returned [`Tokens::refresh_token`] is the one given.
pub fn refresh(c: &OAuthClient, refresh_token: &str, timeout: Duration) -> Result<Tokens, NetError> {
    let client = token_client(c)?;
    let redactor = Redactor::for_client(&c.client_id, &c.client_secret).with(refresh_token);
    let http = TokenHttp::new(&c.token_url, timeout, &redactor);
    let refresh_token = RefreshToken::new(refresh_token.to_string());
    let answer = client.exchange_refresh_token(&refresh_token).request(&http);
    let mut tokens = tokens(answer, &redactor, &http)?;
    if tokens.refresh_token.is_none() {
        tokens.refresh_token = Some(Zeroizing::new(refresh_token.secret().clone()));
    }
    Ok(tokens)
}

/// Exchanges an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.5).
pub(crate) fn exchange_code(
    c: &OAuthClient,
    redirect_uri: &str,
    code: &str,
    verifier: Option<PkceCodeVerifier>,
    timeout: Duration,
) -> Result<Tokens, NetError> {
    let redirect = RedirectUrl::new(redirect_uri.to_string())
        .map_err(|e| NetError::Protocol(format!("the redirect URI {redirect_uri} is not a valid URL: {e}")))?;
    let client = token_client(c)?.set_redirect_uri(redirect);
    let mut redactor = Redactor::for_client(&c.client_id, &c.client_secret).with(code);
    if let Some(verifier) = &verifier {
        redactor = redactor.with(verifier.secret());
    }
    let http = TokenHttp::new(&c.token_url, timeout, &redactor);
    let mut request = client.exchange_code(AuthorizationCode::new(code.to_string()));
    if let Some(verifier) = verifier {
        request = request.set_pkce_verifier(verifier);
    }
    tokens(request.request(&http), &redactor, &http)
}

/// oauth2's client for `c`: its id, its secret when it has one, HTTP Basic, the Token URL.
pub(crate) fn token_client(c: &OAuthClient) -> Result<TokenClient, NetError> {
    let token_url = web_url("Token URL", &c.token_url)?;
    let token_url =
        TokenUrl::new(token_url).map_err(|e| NetError::Protocol(format!("the Token URL is not a valid URL: {e}")))?;
    let mut client = BasicClient::new(ClientId::new(c.client_id.clone()))
        .set_auth_type(AuthType::BasicAuth)
        .set_token_uri(token_url);
    if !c.client_secret.is_empty() {
        client = client.set_client_secret(ClientSecret::new(c.client_secret.to_string()));
    }
    Ok(client)
}

/// `url` trimmed, when it is an http or https URL with a host.
pub(crate) fn web_url(what: &str, url: &str) -> Result<String, NetError> {
    let url = url.trim();
    let bad = |why: String| NetError::Protocol(format!("the {what} {why}"));
    if url.is_empty() {
        return Err(bad("is empty".into()));
    }
    let parsed = url::Url::parse(url).map_err(|e| bad(format!("is not a valid URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(bad(format!("must be an http or https address, not {}", cap(url, 80))));
    }
    Ok(url.to_string())
}

/// The client's scope, split at white space.
pub(crate) fn scopes(c: &OAuthClient) -> Vec<Scope> {
    c.scope.as_deref().unwrap_or("").split_whitespace().map(|s| Scope::new(s.to_string())).collect()
}

type Answer = Result<BasicTokenResponse, RequestTokenError<NetError, BasicErrorResponse>>;

/// oauth2's answer as [`Tokens`], or as a [`NetError`] with every secret removed.
fn tokens(answer: Answer, redactor: &Redactor, http: &TokenHttp) -> Result<Tokens, NetError> {
    let host = http.host();
    match answer {
        Ok(response) => Ok(Tokens {
            access_token: Zeroizing::new(response.access_token().secret().clone()),
            token_type: http.token_type().unwrap_or_else(|| response.token_type().as_ref().to_string()),
            refresh_token: response.refresh_token().map(|t| Zeroizing::new(t.secret().clone())),
            scope: response.scopes().map(|s| s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")),
            expires_in: response.expires_in().map(|d| d.as_secs()),
        }),
        Err(RequestTokenError::ServerResponse(e)) => Err(NetError::Provider {
            error: cap(&redactor.clean(e.error().as_ref()), 100),
            description: e.error_description().map(|d| redactor.clean(d)).filter(|d| !d.is_empty()),
        }),
        Err(RequestTokenError::Request(e)) => Err(e),
        // serde's message may quote a value of the answer (a token, say): name the place only.
        Err(RequestTokenError::Parse(e, _)) => {
            let at = e.path().to_string();
            Err(NetError::Protocol(if at.is_empty() || at == "." {
                format!("the answer of {host} is not an OAuth token response")
            } else {
                format!("the answer of {host} is not an OAuth token response (at `{}`)", cap(&at, 60))
            }))
        }
        Err(RequestTokenError::Other(message)) => Err(NetError::Protocol(format!(
            "the answer of {host} is not an OAuth token response: {}",
            redactor.clean(&message)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(token_url: &str, scope: Option<&str>) -> OAuthClient {
        OAuthClient {
            client_id: "id".into(),
            client_secret: Zeroizing::new(String::new()),
            auth_url: None,
            token_url: token_url.into(),
            scope: scope.map(str::to_string),
            pkce: false,
        }
    }

    #[test]
    fn scopes_split_at_white_space() {
        let got: Vec<String> = scopes(&client("https://x.test/t", Some(" read  write\tadmin ")))
            .into_iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(got, ["read", "write", "admin"]);
        assert!(scopes(&client("https://x.test/t", Some("   "))).is_empty());
    }

    #[test]
    fn token_url_must_be_web() {
        for bad in ["", "ftp://x.test/t", "not a url", "file:///etc/passwd"] {
            let e = client_credentials(&client(bad, None), Duration::from_secs(1)).expect_err(bad);
            assert_eq!(e.kind(), "protocol", "{bad}: {e}");
            assert!(e.to_string().starts_with("the Token URL "), "{e}");
        }
    }
}
