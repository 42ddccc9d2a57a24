//! What a token request needs and what it returns. `Debug` never shows a secret.

use std::fmt;

use zeroize::Zeroizing;

/// One OAuth 2.0 client, as stored in a credential.
#[derive(Clone)]
pub struct OAuthClient {
    pub client_id: String,
    /// Empty for a public client: then `client_id` goes in the body and no
    /// `Authorization` header is sent (HTTP Basic needs a secret).
    pub client_secret: Zeroizing<String>,
    /// The authorization endpoint; needed by the authorization code grant only.
    pub auth_url: Option<String>,
    pub token_url: String,
    /// Space-separated, as typed; empty or `None` sends no `scope`.
    pub scope: Option<String>,
    /// Send an S256 code challenge and the verifier (authorization code grant).
    pub pkce: bool,
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &Hidden(self.client_secret.len()))
            .field("auth_url", &self.auth_url)
            .field("token_url", &self.token_url)
            .field("scope", &self.scope)
            .field("pkce", &self.pkce)
            .finish()
    }
}

/// What the Token URL granted.
#[derive(Clone)]
pub struct Tokens {
    pub access_token: Zeroizing<String>,
    /// As the provider spelled it, e.g. `Bearer`.
    pub token_type: String,
    /// After [`refresh`](crate::refresh) this is the refresh token that was
    /// used when the provider did not issue a new one, so it can always be
    /// stored as given.
    pub refresh_token: Option<Zeroizing<String>>,
    /// The granted scope, if the provider said.
    pub scope: Option<String>,
    /// Seconds from the answer, if the provider said (0 for a negative value).
    pub expires_in: Option<u64>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &Hidden(self.access_token.len()))
            .field("token_type", &self.token_type)
            .field("refresh_token", &self.refresh_token.as_ref().map(|t| Hidden(t.len())))
            .field("scope", &self.scope)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// A secret in `Debug`: `***` and its length.
struct Hidden(usize);

impl fmt::Debug for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "*** ({} chars)", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let client = OAuthClient {
            client_id: "id".into(),
            client_secret: Zeroizing::new("hunter2-secret".into()),
            auth_url: None,
            token_url: "https://example.test/token".into(),
            scope: Some("read".into()),
            pkce: true,
        };
        let tokens = Tokens {
            access_token: Zeroizing::new("at-value-123".into()),
            token_type: "Bearer".into(),
            refresh_token: Some(Zeroizing::new("rt-value-456".into())),
            scope: None,
            expires_in: Some(60),
        };
        let text = format!("{client:?} {tokens:?} {client:#?} {tokens:#?}");
        for secret in ["hunter2-secret", "at-value-123", "rt-value-456"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("*** (14 chars)"), "{text}");
    }
}
