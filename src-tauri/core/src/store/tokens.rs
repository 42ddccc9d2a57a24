//! OAuth 2.0 tokens: what an Authorize brought back, sealed like every
//! secret (bound to the credential's uid), and the state the list shows.
//! Tokens are never exported, and an imported, retyped or re-pointed
//! credential starts Not authorized.

use super::Store;
use crate::error::{Error, Result};
use crate::seal::Purpose;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use zeroize::Zeroizing;

/// What the list and `list --json` say about an OAuth 2.0 credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthState {
    Authorized,
    Expired,
    NotAuthorized,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Authorization {
    pub state: AuthState,
    /// When the access token expires (RFC 3339), if the provider said.
    pub expires_at: Option<String>,
    /// A refresh token is stored, so Refresh token can renew it.
    pub refreshable: bool,
    /// The last attempt's failure (the provider's `error: error_description`,
    /// secrets removed), when it failed.
    pub error: Option<String>,
    /// When it was last authorized or last failed.
    pub updated_at: Option<String>,
}

impl Authorization {
    fn none() -> Self {
        Authorization {
            state: AuthState::NotAuthorized,
            expires_at: None,
            refreshable: false,
            error: None,
            updated_at: None,
        }
    }
}

/// A token response, kept sealed; its Debug shows no value.
#[derive(Clone, Serialize, Deserialize)]
pub struct TokenSet {
    pub access_token: Zeroizing<String>,
    pub token_type: String,
    pub refresh_token: Option<Zeroizing<String>>,
    /// The granted scope, if the provider said.
    pub scope: Option<String>,
    /// RFC 3339, if the provider gave `expires_in`.
    pub expires_at: Option<String>,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &format_args!("<{} bytes>", self.access_token.len()))
            .field("token_type", &self.token_type)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<set>"))
            .field("scope", &self.scope)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl TokenSet {
    /// `expires_in` seconds from now, as the expiry to store.
    pub fn expiry_after(expires_in: Option<u64>) -> Option<String> {
        let secs = i64::try_from(expires_in?).ok()?;
        let at = OffsetDateTime::now_utc().replace_nanosecond(0).ok()? + time::Duration::seconds(secs);
        at.format(&Rfc3339).ok()
    }

    /// Expired now (a token without an expiry never is).
    pub fn is_expired(&self) -> bool {
        self.expires_at.as_deref().is_some_and(is_past)
    }
}

fn is_past(at: &str) -> bool {
    OffsetDateTime::parse(at, &Rfc3339).map(|t| t <= OffsetDateTime::now_utc()).unwrap_or(true)
}

/// What a token request needs from an OAuth 2.0 credential.
#[derive(Clone)]
pub struct OAuthSettings {
    pub grant_type: String,
    pub client_id: String,
    pub client_secret: Zeroizing<String>,
    pub auth_url: Option<String>,
    pub token_url: String,
    pub scope: Option<String>,
    pub pkce: bool,
}

impl std::fmt::Debug for OAuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthSettings")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

fn state_of(sealed: bool, expires_at: &Option<String>, failure: &Option<String>) -> AuthState {
    match (failure, sealed) {
        (Some(_), _) => AuthState::Failed,
        (None, false) => AuthState::NotAuthorized,
        (None, true) if expires_at.as_deref().is_some_and(is_past) => AuthState::Expired,
        (None, true) => AuthState::Authorized,
    }
}

pub(super) fn authorization_of(conn: &rusqlite::Connection, id: i64) -> Result<Authorization> {
    let row = conn
        .prepare_cached(
            "SELECT sealed IS NOT NULL, expires_at, refreshable, failure, updated_at FROM credential_tokens WHERE credential_id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get::<_, bool>(0)?, r.get::<_, Option<String>>(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    Ok(match row {
        None => Authorization::none(),
        Some((sealed, expires_at, refreshable, error, updated_at)) => Authorization {
            state: state_of(sealed, &expires_at, &error),
            expires_at,
            refreshable,
            error,
            updated_at: Some(updated_at),
        },
    })
}

/// Fills in the authorization of the OAuth 2.0 rows of a list window.
pub(super) fn fill(conn: &rusqlite::Connection, rows: &mut [crate::model::CredentialSummary]) -> Result<()> {
    for row in rows.iter_mut().filter(|r| r.type_id == "oauth2") {
        row.authorization = Some(Box::new(authorization_of(conn, row.id)?));
    }
    Ok(())
}

/// Drops a credential's tokens (it was retyped, re-pointed or replaced).
pub(super) fn forget(tx: &rusqlite::Connection, id: i64) -> Result<()> {
    tx.execute("DELETE FROM credential_tokens WHERE credential_id = ?1", [id])?;
    Ok(())
}

/// The loopback port Authorize listens on unless the user chose another:
/// unassigned by IANA, above the ephemeral range that Linux hands out
/// first, so it is free on most machines and stable enough to register at
/// a provider as `http://127.0.0.1:53682/callback`.
pub const DEFAULT_OAUTH_PORT: u16 = 53682;

/// The redirect URI for a loopback port (RFC 8252 section 7.3).
pub fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}/callback")
}

impl Store {
    /// The port of the redirect URI (a setting of this database).
    pub fn oauth_port(&self) -> Result<u16> {
        Ok(self.meta::<i64>("oauth_port")?.and_then(|p| u16::try_from(p).ok()).unwrap_or(DEFAULT_OAUTH_PORT))
    }

    /// Sets the redirect URI's port (1024 to 65535: no privileges needed).
    pub fn set_oauth_port(&mut self, port: u16) -> Result<()> {
        if port < 1024 {
            return Err(Error::invalid("port", "must be between 1024 and 65535"));
        }
        let tx = self.conn.transaction()?;
        Self::set_meta(&tx, "oauth_port", &i64::from(port))?;
        tx.commit()?;
        Ok(())
    }

    /// The authorization state of an OAuth 2.0 credential (no key needed);
    /// `None` for other types.
    pub fn authorization(&self, id: i64) -> Result<Option<Authorization>> {
        let c = self.get_credential(id)?;
        if c.kind.id != "oauth2" {
            return Ok(None);
        }
        authorization_of(&self.conn, id).map(Some)
    }

    /// The authorization of every OAuth 2.0 credential of an organization.
    pub fn authorizations_in(&self, org_id: i64) -> Result<std::collections::HashMap<i64, Authorization>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT id FROM credentials WHERE organization_id = ?1 AND type = 'oauth2'")?;
        let ids: Vec<i64> = stmt.query_map([org_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| Ok((id, authorization_of(&self.conn, id)?))).collect()
    }

    /// What a token request needs, with the client secret opened (key needed).
    pub fn oauth_settings(&self, id: i64) -> Result<OAuthSettings> {
        let c = self.get_credential(id)?;
        if c.kind.id != "oauth2" {
            return Err(Error::Invalid(vec![crate::error::Problem::new(
                "type",
                format!("\"{}\" is a {} credential; only OAuth 2.0 credentials are authorized", c.name, c.kind.label),
            )]));
        }
        let text = |k: &str| c.fields.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        let secrets = self.credential_secrets(id)?;
        let client_secret = secrets
            .get("client_secret")
            .and_then(|s| s.expose().as_str().map(|v| Zeroizing::new(v.to_string())))
            .ok_or_else(|| {
                Error::Invalid(vec![crate::error::Problem::new(
                    "client_secret",
                    format!("\"{}\" has no Client Secret stored; enter it (Edit) before authorizing", c.name),
                )])
            })?;
        Ok(OAuthSettings {
            grant_type: text("grant_type").unwrap_or_default(),
            client_id: text("client_id").unwrap_or_default(),
            client_secret,
            auth_url: text("auth_url"),
            token_url: text("token_url").unwrap_or_default(),
            scope: text("scope"),
            pkce: c.fields.get("pkce").and_then(Value::as_bool).unwrap_or(false),
        })
    }

    /// Stores a token response, sealed; clears any earlier failure.
    pub fn save_tokens(&mut self, id: i64, tokens: &TokenSet) -> Result<Authorization> {
        let sealer = self.sealer()?;
        let uid = super::credentials::uid_of(&self.conn, id)?;
        let json = Zeroizing::new(serde_json::to_string(tokens).map_err(|e| Error::Io(e.to_string()))?);
        let sealed = sealer.key.seal(&sealer.db_id, Purpose::Tokens { credential_uid: &uid }, json.as_bytes());
        self.conn.execute(
            "INSERT INTO credential_tokens (credential_id, sealed, expires_at, refreshable, failure, updated_at)
             VALUES (?1, ?2, ?3, ?4, NULL, ?5)
             ON CONFLICT (credential_id) DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at,
                 refreshable = excluded.refreshable, failure = NULL, updated_at = excluded.updated_at",
            params![id, sealed, tokens.expires_at, tokens.refresh_token.is_some(), super::now()],
        )?;
        authorization_of(&self.conn, id)
    }

    /// Records that authorizing failed (`message` carries no secret); the
    /// tokens stored before, if any, stay for a later refresh.
    pub fn record_authorization_failure(&mut self, id: i64, message: &str) -> Result<Authorization> {
        self.get_credential(id)?;
        self.conn.execute(
            "INSERT INTO credential_tokens (credential_id, sealed, expires_at, refreshable, failure, updated_at)
             VALUES (?1, NULL, NULL, 0, ?2, ?3)
             ON CONFLICT (credential_id) DO UPDATE SET failure = excluded.failure, updated_at = excluded.updated_at",
            params![id, message, super::now()],
        )?;
        authorization_of(&self.conn, id)
    }

    /// The stored tokens, opened (key needed); `None` when not authorized.
    pub fn tokens(&self, id: i64) -> Result<Option<TokenSet>> {
        let sealed: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT sealed FROM credential_tokens WHERE credential_id = ?1 AND sealed IS NOT NULL")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(sealed) = sealed else { return Ok(None) };
        let sealer = self.sealer()?;
        let uid = super::credentials::uid_of(&self.conn, id)?;
        let opened = sealer
            .key
            .open(&sealer.db_id, Purpose::Tokens { credential_uid: &uid }, &sealed)
            .ok()
            .and_then(|plain| serde_json::from_slice::<TokenSet>(&plain).ok());
        match opened {
            Some(t) => Ok(Some(t)),
            None => {
                let c = self.get_credential(id)?;
                Err(Error::Tampered(format!(
                    "the sealed tokens of \"{}\" do not open: they were altered or copied from another credential. Authorize it again",
                    c.name
                )))
            }
        }
    }
}
