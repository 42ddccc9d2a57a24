//! The authorization endpoint (RFC 6749 §4.1.1, RFC 7636 §4.3): a sign-in form
//! on GET, the user's decision on POST.

use std::time::Instant;

use url::form_urlencoded;

use crate::http::{Params, Request, Response};
use crate::pages;
use crate::state::AuthCode;
use crate::Shared;

/// The parameters the user's decision is made on, besides the authorize request's own.
const FORM_FIELDS: [&str; 3] = ["username", "password", "decision"];

/// An authorize request whose client and redirect URI are trusted.
struct Authorize {
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    scope: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// `GET /authorize`: validate, then show the sign-in form.
pub(crate) fn show(shared: &Shared, req: &Request) -> Response {
    let params = Params::parse(req.query.as_bytes());
    let request = match validate(shared, &params) {
        Ok(request) => request,
        Err(response) => return response,
    };
    if request.state.is_none() {
        shared.lock().requests_without_state += 1;
    }
    sign_in_page(&params, &request, None)
}

/// `POST /authorize`: the user allowed or denied.
pub(crate) fn decide(shared: &Shared, req: &Request) -> Response {
    if !req.is_form() {
        return error_page(shared, "invalid_request", "The form must be sent as application/x-www-form-urlencoded");
    }
    let form = Params::parse(&req.body);
    if let Some(name) = form.repeated() {
        return error_page(shared, "invalid_request", &format!("Parameter {name} was sent more than once"));
    }
    let params = form.without(&FORM_FIELDS);
    let request = match validate(shared, &params) {
        Ok(request) => request,
        Err(response) => return response,
    };
    match form.get("decision") {
        Some("deny") => error_redirect(shared, &request, "access_denied", "The user denied access"),
        Some("allow") => {
            let signed_in = {
                let st = shared.lock();
                form.get("username") == Some(st.config.username.as_str())
                    && form.get("password") == Some(st.config.password.as_str())
            };
            if !signed_in {
                return sign_in_page(&params, &request, Some("Wrong username or password."));
            }
            let code = shared.lock().issue_code(AuthCode {
                client_id: request.client_id.clone(),
                redirect_uri: request.redirect_uri.clone(),
                scope: request.scope.clone(),
                code_challenge: request.code_challenge.clone(),
                code_challenge_method: request.code_challenge_method.clone(),
                issued_at: Instant::now(),
                used: false,
                grant: crate::state::random_token("grant-"),
            });
            let mut pairs = vec![("code", code.as_str())];
            pairs.extend(request.state.as_deref().map(|s| ("state", s)));
            Response::redirect(&with_query(&request.redirect_uri, &pairs))
        }
        _ => error_page(shared, "invalid_request", "decision must be allow or deny"),
    }
}

/// Checks an authorize request. Problems with the client or redirect URI are shown
/// as a page; anything after that is reported to the client by redirect.
fn validate(shared: &Shared, params: &Params) -> Result<Authorize, Response> {
    if let Some(name) = params.repeated() {
        return Err(error_page(shared, "invalid_request", &format!("Parameter {name} was sent more than once")));
    }
    let Some(client_id) = params.get("client_id") else {
        return Err(error_page(shared, "invalid_request", "Missing client_id"));
    };
    if client_id != shared.lock().config.client_id {
        return Err(error_page(shared, "invalid_client", "Unknown client_id"));
    }
    let Some(redirect_uri) = params.get("redirect_uri") else {
        return Err(error_page(shared, "invalid_request", "Missing redirect_uri"));
    };
    if !is_loopback_callback(redirect_uri) {
        return Err(error_page(shared, "invalid_request", "redirect_uri must be http://127.0.0.1:<port>/callback"));
    }
    let request = Authorize {
        client_id: client_id.to_string(),
        redirect_uri: redirect_uri.to_string(),
        state: params.get("state").map(str::to_string),
        scope: params.get("scope").map(str::to_string),
        code_challenge: params.get("code_challenge").map(str::to_string),
        code_challenge_method: params.get("code_challenge_method").map(str::to_string),
    };
    let problem = match params.get("response_type") {
        None => Some(("invalid_request", "Missing response_type")),
        Some("code") => None,
        Some(_) => Some(("unsupported_response_type", "Only response_type=code is supported")),
    };
    let problem = problem.or(match (&request.code_challenge, request.code_challenge_method.as_deref()) {
        (None, None) => None,
        (None, Some(_)) => Some(("invalid_request", "code_challenge_method without code_challenge")),
        (Some(_), method) if method != Some("S256") => Some(("invalid_request", "code_challenge_method must be S256")),
        (Some(challenge), _) if !is_s256_challenge(challenge) => {
            Some(("invalid_request", "code_challenge must be 43 base64url characters"))
        }
        (Some(_), _) => None,
    });
    match problem {
        Some((error, description)) => Err(error_redirect(shared, &request, error, description)),
        None => Ok(request),
    }
}

/// `http://127.0.0.1:<port>/callback`, exactly: no other host, path, query or fragment.
fn is_loopback_callback(uri: &str) -> bool {
    let Some((port, path)) = uri.strip_prefix("http://127.0.0.1:").and_then(|rest| rest.split_once('/')) else {
        return false;
    };
    path == "callback"
        && !port.starts_with('0')
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok()
}

/// A SHA-256 challenge is base64url without padding of 32 bytes: 43 characters.
fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43 && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    format!("{base}?{query}")
}

fn sign_in_page(params: &Params, request: &Authorize, error: Option<&str>) -> Response {
    Response::html(200, pages::sign_in(params, &request.client_id, request.scope.as_deref(), error))
        .header("Cache-Control", "no-store")
}

fn error_page(shared: &Shared, error: &str, description: &str) -> Response {
    shared.record_error(error);
    Response::html(400, pages::error(error, description))
}

fn error_redirect(shared: &Shared, request: &Authorize, error: &str, description: &str) -> Response {
    shared.record_error(error);
    let mut pairs = vec![("error", error), ("error_description", description)];
    pairs.extend(request.state.as_deref().map(|s| ("state", s)));
    Response::redirect(&with_query(&request.redirect_uri, &pairs))
}
