//! The authorization code grant (RFC 6749 §4.1) with PKCE (RFC 7636) for a
//! native app: the browser brings the code back to a loopback listener
//! (RFC 8252 §7.3), and the code is exchanged at the Token URL.

use std::fmt;
use std::time::Duration;

use oauth2::{AuthUrl, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl};
use subtle::ConstantTimeEq;

use crate::cancel::Cancel;
use crate::error::NetError;
use crate::listener::{self, Listener};
use crate::model::{OAuthClient, Tokens};
use crate::redact::{cap, Redactor};
use crate::token::{self, scopes, web_url};

/// One authorization in progress: the bound listener, the `state` and the PKCE verifier.
pub struct CodeFlow {
    listener: Listener,
    url: String,
    redirect_uri: String,
    state: CsrfToken,
    verifier: Option<PkceCodeVerifier>,
}

impl fmt::Debug for CodeFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeFlow")
            .field("url", &self.url)
            .field("redirect_uri", &self.redirect_uri)
            .field("pkce", &self.verifier.is_some())
            .finish_non_exhaustive()
    }
}

impl CodeFlow {
    /// Binds 127.0.0.1:port (0 = any free port, for tests) and builds the authorization URL
    /// (response_type=code, client_id, redirect_uri, scope, state; code_challenge + S256 when pkce).
    ///
    /// The Auth URL and the Token URL are checked first, so a typo is reported
    /// before the user signs in.
    pub fn begin(c: &OAuthClient, port: u16) -> Result<CodeFlow, NetError> {
        let auth_url = web_url("Auth URL", c.auth_url.as_deref().unwrap_or(""))?;
        let auth_url =
            AuthUrl::new(auth_url).map_err(|e| NetError::Protocol(format!("the Auth URL is not a valid URL: {e}")))?;
        let client = token::token_client(c)?.set_auth_uri(auth_url);
        let listener = listener::bind(port)?;
        let redirect_uri = crate::redirect_uri(listener.port());
        let redirect = RedirectUrl::new(redirect_uri.clone())
            .map_err(|e| NetError::Protocol(format!("the redirect URI {redirect_uri} is not a valid URL: {e}")))?;
        let client = client.set_redirect_uri(redirect);
        let mut request = client.authorize_url(CsrfToken::new_random).add_scopes(scopes(c));
        let verifier = if c.pkce {
            let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
            request = request.set_pkce_challenge(challenge);
            Some(verifier)
        } else {
            None
        };
        let (url, state) = request.url();
        Ok(CodeFlow { listener, url: url.into(), redirect_uri, state, verifier })
    }

    /// The authorization URL to open in the browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `http://127.0.0.1:PORT/callback`, with the port actually bound.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the browser's redirect at most `wait` (checking `cancel` every
    /// 25 ms), ignoring other paths such as /favicon.ico with 404; checks
    /// `state` (constant-time compare), then exchanges the code at the Token URL
    /// (with the PKCE verifier) within `timeout`. The browser is answered with
    /// a small HTML page once the outcome is known: "Authorized. You can close
    /// this tab." or "Authorization failed: <problem>. You can close this tab.".
    ///
    /// An error redirect (`?error=access_denied…`) is [`NetError::Provider`];
    /// a redirect whose `state` is missing or differs is
    /// [`NetError::StateMismatch`], even when it carries an error.
    pub fn finish(
        self,
        c: &OAuthClient,
        wait: Duration,
        timeout: Duration,
        cancel: &Cancel,
    ) -> Result<Tokens, NetError> {
        let CodeFlow { listener, url: _, redirect_uri, state, verifier } = self;
        let callback = listener::wait(&listener, wait, cancel)?;
        // Nothing else is accepted from here on.
        drop(listener);
        let state_matches =
            callback.param("state").is_some_and(|got| bool::from(got.as_bytes().ct_eq(state.secret().as_bytes())));
        if !state_matches {
            callback.answer(Err("state mismatch; nothing was stored".into()));
            return Err(NetError::StateMismatch);
        }
        if let Some(error) = callback.param("error") {
            let redactor = Redactor::for_client(&c.client_id, &c.client_secret);
            let error = NetError::Provider {
                error: cap(&redactor.clean(error), 100),
                description: callback.param("error_description").map(|d| redactor.clean(d)).filter(|d| !d.is_empty()),
            };
            callback.answer(Err(error.to_string()));
            return Err(error);
        }
        let Some(code) = callback.param("code").filter(|code| !code.is_empty()).map(str::to_string) else {
            callback.answer(Err("the provider sent no code".into()));
            return Err(NetError::Protocol(format!(
                "the redirect to {redirect_uri} carried neither a code nor an error"
            )));
        };
        if cancel.is_cancelled() {
            callback.answer(Err("cancelled".into()));
            return Err(NetError::Cancelled);
        }
        let result = token::exchange_code(c, &redirect_uri, &code, verifier, timeout);
        callback.answer(result.as_ref().map(|_| ()).map_err(ToString::to_string));
        result
    }
}
