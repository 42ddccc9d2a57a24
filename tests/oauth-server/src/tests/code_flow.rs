//! The authorization code grant with PKCE, and everything that must break it.

use super::*;
use crate::{Config, OAuthServer};

#[test]
fn full_code_flow_with_pkce_succeeds() {
    let server = OAuthServer::start(Config::default());
    let verifier = verifier();
    let url = authorize_url(&server, REDIRECT_URI, Some("state-42"), Some(&verifier));
    let page = get(&url);
    assert_eq!(page.status, 200);
    assert!(page.content_type.as_deref().is_some_and(|t| t.starts_with("text/html")));
    assert!(page.body.contains(r#"<form method="post" action="/authorize">"#), "{}", page.body);
    assert!(page.body.contains(r#"<input type="hidden" name="state" value="state-42">"#));
    assert!(page.body.contains(r#"name="decision" value="allow""#));
    assert!(page.body.contains(r#"name="decision" value="deny""#));

    let code = obtain_code(&server, Some(&verifier));
    let reply = exchange(&server, &code, REDIRECT_URI, Some(&verifier));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    assert_eq!(reply.cache_control.as_deref(), Some("no-store"));
    let body = reply.json();
    let access = body["access_token"].as_str().expect("access_token");
    assert!(access.starts_with("at-") && access.len() == 35, "{access}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["refresh_token"].as_str().is_some_and(|t| t.starts_with("rt-")));
    assert_eq!(body["scope"], "bots:read bots:write");
    assert_eq!(server.issued_access_tokens(), vec![access.to_string()]);
    assert_eq!(server.token_requests(), 1);
    assert_eq!(server.last_error(), None);
    assert_eq!(server.requests_without_state(), 0);
}

#[test]
fn wrong_or_missing_verifier_fails() {
    let server = OAuthServer::start(Config::default());
    let verifier = verifier();

    let code = obtain_code(&server, Some(&verifier));
    let reply = exchange(&server, &code, REDIRECT_URI, Some(&super::verifier()));
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"], "invalid_grant");
    assert_eq!(reply.json()["error_description"], "PKCE verification failed");

    let code = obtain_code(&server, Some(&verifier));
    let reply = exchange(&server, &code, REDIRECT_URI, None);
    assert_eq!((reply.status, reply.json()["error_description"].as_str()), (400, Some("PKCE verification failed")));

    // A verifier for a code that had no challenge is refused too.
    let code = obtain_code(&server, None);
    let reply = exchange(&server, &code, REDIRECT_URI, Some(&verifier));
    assert_eq!(reply.error(), "invalid_grant");

    assert_eq!(server.last_error().as_deref(), Some("invalid_grant"));
    assert!(server.issued_access_tokens().is_empty());
}

#[test]
fn code_without_pkce_works_when_no_challenge_was_sent() {
    let server = OAuthServer::start(Config::default());
    let code = obtain_code(&server, None);
    assert_eq!(exchange(&server, &code, REDIRECT_URI, None).status, 200);
}

#[test]
fn code_reuse_fails_and_revokes_what_it_issued() {
    let server = OAuthServer::start(Config::default());
    let verifier = verifier();
    let code = obtain_code(&server, Some(&verifier));
    let first = exchange(&server, &code, REDIRECT_URI, Some(&verifier)).json();
    let second = exchange(&server, &code, REDIRECT_URI, Some(&verifier));
    assert_eq!(second.status, 400);
    assert_eq!(second.error(), "invalid_grant");

    let revoked = server.revoked_tokens();
    let (access, refresh) = (first["access_token"].as_str(), first["refresh_token"].as_str());
    assert!(revoked.iter().any(|t| Some(t.as_str()) == access), "{revoked:?}");
    assert!(revoked.iter().any(|t| Some(t.as_str()) == refresh), "{revoked:?}");
    let refresh = refresh.expect("refresh token");
    let reply = post_form(
        &server.token_url(),
        default_client(),
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    );
    assert_eq!(reply.error(), "invalid_grant");
}

#[test]
fn wrong_or_missing_redirect_uri_fails() {
    let server = OAuthServer::start(Config::default());
    let code = obtain_code(&server, None);
    let reply = exchange(&server, &code, "http://127.0.0.1:43211/callback", None);
    assert_eq!((reply.status, reply.error()), (400, "invalid_grant".to_string()));

    let code = obtain_code(&server, None);
    let reply =
        post_form(&server.token_url(), default_client(), &[("grant_type", "authorization_code"), ("code", &code)]);
    assert_eq!(reply.error(), "invalid_request");
}

#[test]
fn unknown_code_fails() {
    let server = OAuthServer::start(Config::default());
    assert_eq!(exchange(&server, "code-nope", REDIRECT_URI, None).error(), "invalid_grant");
}

#[test]
fn deny_redirects_with_access_denied() {
    let server = OAuthServer::start(Config::default());
    let url = authorize_url(&server, REDIRECT_URI, Some("xyz"), Some(&verifier()));
    let reply = sign_in(&url, "", "", "deny");
    assert_eq!(reply.status, 302);
    assert_eq!(
        reply.location.as_deref(),
        Some("http://127.0.0.1:43210/callback?error=access_denied&error_description=The+user+denied+access&state=xyz")
    );
    assert_eq!(server.last_error().as_deref(), Some("access_denied"));
}

#[test]
fn wrong_password_shows_the_form_again() {
    let server = OAuthServer::start(Config::default());
    let url = authorize_url(&server, REDIRECT_URI, Some("s"), None);
    let reply = sign_in(&url, "admin", "wrong", "allow");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.location, None);
    assert!(reply.body.contains("Wrong username or password."), "{}", reply.body);
    assert!(reply.body.contains(r#"<input type="hidden" name="state" value="s">"#));
    assert!(!reply.body.contains("wrong"), "the password must not be echoed");
}

#[test]
fn unknown_client_or_bad_redirect_uri_is_a_page_not_a_redirect() {
    let server = OAuthServer::start(Config::default());
    let good = authorize_url(&server, REDIRECT_URI, Some("s"), None);

    let unknown = good.replace("client_id=bot-client", "client_id=other");
    let reply = get(&unknown);
    assert_eq!((reply.status, reply.location.as_deref()), (400, None));
    assert_eq!(server.last_error().as_deref(), Some("invalid_client"));

    for bad in [
        "http://localhost:43210/callback",
        "https://127.0.0.1:43210/callback",
        "http://127.0.0.1/callback",
        "http://127.0.0.1:43210/other",
        "http://127.0.0.1:43210/callback?x=1",
        "http://127.0.0.1:43210/callback#f",
        "http://127.0.0.1:99999/callback",
    ] {
        let reply = get(&authorize_url(&server, bad, Some("s"), None));
        assert_eq!((reply.status, reply.location.as_deref()), (400, None), "{bad}");
        // Nor can the form be posted with it.
        let reply = sign_in(&authorize_url(&server, bad, Some("s"), None), "admin", "correct horse", "allow");
        assert_eq!((reply.status, reply.location.as_deref()), (400, None), "{bad}");
    }
}

#[test]
fn bad_requests_after_the_redirect_uri_is_trusted_are_redirected() {
    let server = OAuthServer::start(Config::default());
    let good = authorize_url(&server, REDIRECT_URI, Some("s"), Some(&verifier()));

    let reply = get(&good.replace("response_type=code", "response_type=token"));
    assert_eq!(param(&reply.location_params(), "error"), Some("unsupported_response_type"));
    assert_eq!(param(&reply.location_params(), "state"), Some("s"));

    let reply = get(&good.replace("code_challenge_method=S256", "code_challenge_method=plain"));
    assert_eq!(param(&reply.location_params(), "error"), Some("invalid_request"));

    let reply = get(&format!("{good}&state=again"));
    assert_eq!((reply.status, reply.location.as_deref()), (400, None), "repeated parameters are refused");
}

#[test]
fn missing_state_is_allowed_but_recorded() {
    let server = OAuthServer::start(Config::default());
    let url = authorize_url(&server, REDIRECT_URI, None, None);
    assert_eq!(get(&url).status, 200);
    assert_eq!(server.requests_without_state(), 1);
    let reply = sign_in(&url, "admin", "correct horse", "allow");
    let params = reply.location_params();
    assert!(param(&params, "code").is_some());
    assert_eq!(param(&params, "state"), None);
}
