//! What the server remembers: its configuration, authorization codes, refresh
//! tokens, every token it issued, and counters the tests assert on.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::Config;

/// How long an authorization code can be exchanged.
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(60);

/// An authorization code and everything the authorize request bound to it.
#[derive(Debug)]
pub(crate) struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub issued_at: Instant,
    /// Set on the first exchange attempt; a second attempt revokes the grant.
    pub used: bool,
    /// Ties the tokens issued for this code together so they can be revoked.
    pub grant: String,
}

impl AuthCode {
    pub fn expired(&self) -> bool {
        self.issued_at.elapsed() > CODE_LIFETIME
    }
}

/// What a live refresh token stands for.
#[derive(Debug, Clone)]
pub(crate) struct RefreshGrant {
    pub client_id: String,
    pub scope: Option<String>,
    pub grant: String,
}

#[derive(Debug)]
struct IssuedAccess {
    token: String,
    grant: String,
}

/// A freshly issued token pair.
#[derive(Debug)]
pub(crate) struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
}

#[derive(Debug)]
pub(crate) struct State {
    pub config: Config,
    codes: HashMap<String, AuthCode>,
    refresh: HashMap<String, RefreshGrant>,
    access: Vec<IssuedAccess>,
    revoked: Vec<String>,
    /// POST /token requests received.
    pub token_requests: usize,
    /// GET /authorize requests that carried no `state`.
    pub requests_without_state: usize,
    /// Token requests that authenticated with `client_secret` in the body instead of HTTP Basic.
    pub body_client_auth: usize,
    /// The last OAuth error code returned, from any endpoint.
    pub last_error: Option<String>,
}

impl State {
    pub fn new(config: Config) -> State {
        State {
            config,
            codes: HashMap::new(),
            refresh: HashMap::new(),
            access: Vec::new(),
            revoked: Vec::new(),
            token_requests: 0,
            requests_without_state: 0,
            body_client_auth: 0,
            last_error: None,
        }
    }

    /// Stores a code and returns it.
    pub fn issue_code(&mut self, code: AuthCode) -> String {
        let value = random_token("code-");
        self.codes.insert(value.clone(), code);
        value
    }

    pub fn code_mut(&mut self, code: &str) -> Option<&mut AuthCode> {
        self.codes.get_mut(code)
    }

    /// Issues an access token, and a refresh token when `with_refresh`, for one grant.
    pub fn issue_tokens(&mut self, grant: &str, client_id: &str, scope: Option<&str>, with_refresh: bool) -> Tokens {
        let access_token = random_token("at-");
        self.access.push(IssuedAccess { token: access_token.clone(), grant: grant.to_string() });
        let refresh_token = with_refresh.then(|| {
            let token = random_token("rt-");
            let value = RefreshGrant {
                client_id: client_id.to_string(),
                scope: scope.map(str::to_string),
                grant: grant.to_string(),
            };
            self.refresh.insert(token.clone(), value);
            token
        });
        Tokens { access_token, refresh_token }
    }

    pub fn refresh_grant(&self, token: &str) -> Option<&RefreshGrant> {
        self.refresh.get(token)
    }

    /// Forgets a refresh token (it was rotated).
    pub fn remove_refresh(&mut self, token: &str) {
        self.refresh.remove(token);
    }

    /// Revokes every token issued under a grant: refresh tokens stop working and
    /// both kinds are listed as revoked.
    pub fn revoke_grant(&mut self, grant: &str) {
        let refresh: Vec<String> =
            self.refresh.iter().filter(|(_, g)| g.grant == grant).map(|(t, _)| t.clone()).collect();
        for token in refresh {
            self.refresh.remove(&token);
            self.revoked.push(token);
        }
        for issued in self.access.iter().filter(|a| a.grant == grant) {
            if !self.revoked.contains(&issued.token) {
                self.revoked.push(issued.token.clone());
            }
        }
    }

    pub fn issued_access_tokens(&self) -> Vec<String> {
        self.access.iter().map(|a| a.token.clone()).collect()
    }

    pub fn revoked_tokens(&self) -> Vec<String> {
        self.revoked.clone()
    }
}

/// `prefix` followed by 32 random hex digits.
pub(crate) fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let mut out = String::with_capacity(prefix.len() + 32);
    out.push_str(prefix);
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}
