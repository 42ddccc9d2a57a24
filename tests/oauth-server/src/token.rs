//! The token endpoint (RFC 6749 §3.2, §4.1.3, §4.4, §6; RFC 7636 §4.6).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::http::{form_decode, Params, Request, Response};
use crate::state::{random_token, Tokens};
use crate::Shared;

/// An error answer (RFC 6749 §5.2).
struct OAuthError {
    status: u16,
    error: &'static str,
    description: String,
}

fn err(error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError { status: 400, error, description: description.into() }
}

fn invalid_client() -> OAuthError {
    OAuthError { status: 401, error: "invalid_client", description: "Client authentication failed".into() }
}

fn pkce_failed() -> OAuthError {
    err("invalid_grant", "PKCE verification failed")
}

/// `POST /token`.
pub(crate) fn exchange(shared: &Shared, req: &Request) -> Response {
    let delay = {
        let mut st = shared.lock();
        st.token_requests += 1;
        st.config.delay_ms
    };
    if delay > 0 {
        std::thread::sleep(std::time::Duration::from_millis(delay));
    }
    match handle(shared, req) {
        Ok(body) => Response::json(200, &body).header("Pragma", "no-cache"),
        Err(e) => {
            shared.record_error(e.error);
            let body = json!({ "error": e.error, "error_description": e.description });
            let response = Response::json(e.status, &body).header("Pragma", "no-cache");
            if e.status == 401 {
                response.header("WWW-Authenticate", "Basic realm=\"test-oauth-server\"")
            } else {
                response
            }
        }
    }
}

fn handle(shared: &Shared, req: &Request) -> Result<Value, OAuthError> {
    if !req.is_form() {
        return Err(err("invalid_request", "The body must be application/x-www-form-urlencoded"));
    }
    let params = Params::parse(&req.body);
    if let Some(name) = params.repeated() {
        return Err(err("invalid_request", format!("Parameter {name} was sent more than once")));
    }
    let client_id = authenticate(shared, req, &params)?;
    match params.get("grant_type") {
        None => Err(err("invalid_request", "Missing grant_type")),
        Some("authorization_code") => authorization_code(shared, &client_id, &params),
        Some("client_credentials") => client_credentials(shared, &client_id, &params),
        Some("refresh_token") => refresh_token(shared, &client_id, &params),
        Some(_) => Err(err("unsupported_grant_type", "The grant_type is not supported")),
    }
}

/// Client authentication (RFC 6749 §2.3.1): HTTP Basic with form-urlencoded
/// id and secret, or both in the body when there is no `Authorization` header.
/// Using both methods at once is refused. Returns the client id.
fn authenticate(shared: &Shared, req: &Request, params: &Params) -> Result<String, OAuthError> {
    let (id, secret) = match req.header("authorization") {
        Some(header) => {
            if req.header_count("authorization") > 1 {
                return Err(err("invalid_request", "More than one Authorization header"));
            }
            if params.get("client_secret").is_some() {
                return Err(err("invalid_request", "The client used more than one authentication method"));
            }
            let (id, secret) = parse_basic(header).ok_or_else(invalid_client)?;
            if params.get("client_id").is_some_and(|body_id| body_id != id) {
                return Err(invalid_client());
            }
            (id, secret)
        }
        None => {
            let (Some(id), Some(secret)) = (params.get("client_id"), params.get("client_secret")) else {
                return Err(invalid_client());
            };
            shared.lock().body_client_auth += 1;
            (id.to_string(), secret.to_string())
        }
    };
    let st = shared.lock();
    if id == st.config.client_id && secret == st.config.client_secret {
        Ok(id)
    } else {
        Err(invalid_client())
    }
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))` → (id, secret).
pub(crate) fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, credentials) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(credentials.trim()).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((form_decode(id)?, form_decode(secret)?))
}

/// base64url-no-pad(SHA-256(verifier)).
pub(crate) fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// RFC 7636 §4.1: 43 to 128 unreserved characters.
fn is_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

fn authorization_code(shared: &Shared, client_id: &str, params: &Params) -> Result<Value, OAuthError> {
    let code = params.get("code").ok_or_else(|| err("invalid_request", "Missing code"))?;
    let redirect_uri = params.get("redirect_uri");
    let verifier = params.get("code_verifier");
    let mut st = shared.lock();
    let with_refresh = st.config.issue_refresh_token;
    let Some(entry) = st.code_mut(code) else {
        return Err(err("invalid_grant", "Unknown authorization code"));
    };
    if entry.used {
        let grant = entry.grant.clone();
        st.revoke_grant(&grant);
        return Err(err("invalid_grant", "Authorization code already used"));
    }
    // One attempt per code, successful or not.
    entry.used = true;
    if entry.expired() {
        return Err(err("invalid_grant", "Authorization code expired"));
    }
    if entry.client_id != client_id {
        return Err(err("invalid_grant", "Authorization code was issued to another client"));
    }
    let Some(redirect_uri) = redirect_uri else {
        return Err(err("invalid_request", "Missing redirect_uri"));
    };
    if redirect_uri != entry.redirect_uri {
        return Err(err("invalid_grant", "redirect_uri does not match the authorization request"));
    }
    match (&entry.code_challenge, verifier) {
        (None, None) => {}
        (Some(challenge), Some(verifier)) => {
            let method_ok = entry.code_challenge_method.as_deref() == Some("S256");
            if !method_ok || !is_verifier(verifier) || s256(verifier) != *challenge {
                return Err(pkce_failed());
            }
        }
        // A verifier for a code that had no challenge, or no verifier when one is due.
        _ => return Err(pkce_failed()),
    }
    let (grant, scope) = (entry.grant.clone(), entry.scope.clone());
    let tokens = st.issue_tokens(&grant, client_id, scope.as_deref(), with_refresh);
    Ok(token_body(&st.config, tokens, scope.as_deref()))
}

fn client_credentials(shared: &Shared, client_id: &str, params: &Params) -> Result<Value, OAuthError> {
    let scope = params.get("scope");
    let mut st = shared.lock();
    let tokens = st.issue_tokens(&random_token("grant-"), client_id, scope, false);
    Ok(token_body(&st.config, tokens, scope))
}

fn refresh_token(shared: &Shared, client_id: &str, params: &Params) -> Result<Value, OAuthError> {
    let token = params.get("refresh_token").ok_or_else(|| err("invalid_request", "Missing refresh_token"))?;
    let mut st = shared.lock();
    if st.config.refuse_refresh {
        return Err(err("invalid_grant", "Refresh token revoked"));
    }
    let Some(grant) = st.refresh_grant(token).cloned() else {
        return Err(err("invalid_grant", "Unknown refresh token"));
    };
    if grant.client_id != client_id {
        return Err(err("invalid_grant", "Refresh token was issued to another client"));
    }
    // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
    let scope = match params.get("scope") {
        None => grant.scope.clone(),
        Some(asked) => {
            let granted: Vec<&str> = grant.scope.as_deref().unwrap_or("").split(' ').collect();
            if !asked.split(' ').all(|s| granted.contains(&s)) {
                return Err(err("invalid_scope", "The requested scope exceeds the original grant"));
            }
            Some(asked.to_string())
        }
    };
    let rotate = st.config.issue_refresh_token;
    if rotate {
        st.remove_refresh(token);
    }
    let tokens = st.issue_tokens(&grant.grant, client_id, grant.scope.as_deref(), rotate);
    Ok(token_body(&st.config, tokens, scope.as_deref()))
}

/// The success body (RFC 6749 §5.1).
fn token_body(config: &crate::Config, tokens: Tokens, scope: Option<&str>) -> Value {
    let mut body = Map::new();
    body.insert("access_token".into(), tokens.access_token.into());
    body.insert("token_type".into(), "Bearer".into());
    body.insert("expires_in".into(), config.token_lifetime_secs.into());
    if let Some(refresh) = tokens.refresh_token {
        body.insert("refresh_token".into(), refresh.into());
    }
    if let Some(scope) = scope {
        body.insert("scope".into(), scope.into());
    }
    Value::Object(body)
}
