//! Tests that drive the server over real HTTP with ureq (redirects never followed).

mod code_flow;
mod endpoints;
mod grants;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::distributions::{Alphanumeric, DistString};
use serde_json::Value;
use url::{form_urlencoded, Url};

use crate::OAuthServer;

/// A redirect URI the server accepts (nothing listens there; redirects are never followed).
pub(super) const REDIRECT_URI: &str = "http://127.0.0.1:43210/callback";

/// What came back from one request.
#[derive(Debug)]
pub(super) struct Reply {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub www_authenticate: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `error` of a JSON error body.
    pub fn error(&self) -> String {
        self.json()["error"].as_str().map(str::to_string).unwrap_or_else(|| panic!("no error in {}", self.body))
    }

    /// The query parameters of the `Location` header.
    pub fn location_params(&self) -> Vec<(String, String)> {
        let location = self.location.as_deref().unwrap_or_else(|| panic!("no Location; status {}", self.status));
        let url = Url::parse(location).expect("Location is an absolute URL");
        url.query_pairs().into_owned().collect()
    }
}

pub(super) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

pub(super) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(20)))
        .build()
        .into()
}

fn reply(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (location, content_type) = (header("location"), header("content-type"));
    let (cache_control, www_authenticate) = (header("cache-control"), header("www-authenticate"));
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().expect("read the response body");
    Reply { status, location, content_type, cache_control, www_authenticate, body }
}

pub(super) fn get(url: &str) -> Reply {
    reply(agent().get(url).call().expect("GET"))
}

/// POSTs a form, with `Authorization: Basic` when `basic` is given.
pub(super) fn post_form(url: &str, basic: Option<(&str, &str)>, fields: &[(&str, &str)]) -> Reply {
    let mut request = agent().post(url);
    if let Some((id, secret)) = basic {
        request = request.header("Authorization", basic_header(id, secret));
    }
    reply(request.send_form(fields.iter().copied()).expect("POST"))
}

/// RFC 6749 §2.3.1: form-urlencode id and secret, then base64 them.
pub(super) fn basic_header(id: &str, secret: &str) -> String {
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!("Basic {}", STANDARD.encode(format!("{}:{}", enc(id), enc(secret))))
}

pub(super) fn default_client() -> Option<(&'static str, &'static str)> {
    Some(("bot-client", "s3cret-client"))
}

/// A fresh 64-character PKCE verifier.
pub(super) fn verifier() -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), 64)
}

/// The authorize URL a client would open.
pub(super) fn authorize_url(
    server: &OAuthServer,
    redirect_uri: &str,
    state: Option<&str>,
    verifier: Option<&str>,
) -> String {
    let mut url = Url::parse(&server.auth_url()).expect("auth URL");
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", "bot-client")
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "bots:read bots:write");
        if let Some(state) = state {
            q.append_pair("state", state);
        }
        if let Some(verifier) = verifier {
            q.append_pair("code_challenge", &crate::token::s256(verifier));
            q.append_pair("code_challenge_method", "S256");
        }
    }
    url.into()
}

/// Submits the sign-in form for an authorize URL, as the user would.
pub(super) fn sign_in(authorize_url: &str, username: &str, password: &str, decision: &str) -> Reply {
    let url = Url::parse(authorize_url).expect("authorize URL");
    let mut fields: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    fields.push(("username".into(), username.into()));
    fields.push(("password".into(), password.into()));
    fields.push(("decision".into(), decision.into()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post_form(&format!("{}/authorize", url.origin().ascii_serialization()), None, &fields)
}

/// Signs in and returns the code from the redirect (checking the state came back).
pub(super) fn obtain_code(server: &OAuthServer, verifier: Option<&str>) -> String {
    let url = authorize_url(server, REDIRECT_URI, Some("state-42"), verifier);
    assert_eq!(get(&url).status, 200);
    let reply = sign_in(&url, "admin", "correct horse", "allow");
    assert_eq!(reply.status, 302, "{}", reply.body);
    let location = reply.location.as_deref().expect("Location");
    assert!(location.starts_with(&format!("{REDIRECT_URI}?code=")), "{location}");
    let params = reply.location_params();
    assert_eq!(param(&params, "state"), Some("state-42"));
    param(&params, "code").expect("code in the redirect").to_string()
}

/// `grant_type=authorization_code` with the default client over Basic.
pub(super) fn exchange(server: &OAuthServer, code: &str, redirect_uri: &str, verifier: Option<&str>) -> Reply {
    let mut fields = vec![("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect_uri)];
    if let Some(verifier) = verifier {
        fields.push(("code_verifier", verifier));
    }
    post_form(&server.token_url(), default_client(), &fields)
}
