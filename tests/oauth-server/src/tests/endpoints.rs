//! The helper endpoints, routing, and the small parsers.

use super::*;
use crate::http::{form_decode, Params};
use crate::token::{parse_basic, s256};
use crate::{Config, OAuthServer};

#[test]
fn urls_are_on_loopback() {
    let server = OAuthServer::start(Config::default());
    let base = server.base_url();
    assert!(base.starts_with("http://127.0.0.1:") && !base.ends_with('/'), "{base}");
    assert_eq!(server.auth_url(), format!("{base}/authorize"));
    assert_eq!(server.token_url(), format!("{base}/token"));
    assert_eq!(server.consumer_url(), format!("{base}/consumer"));
    assert_eq!(server.redirecting_url(3), format!("{base}/redirect/3"));
    assert_eq!(server.status_url(503), format!("{base}/status/503"));
}

#[test]
fn consumer_redirects_and_statuses() {
    let server = OAuthServer::start(Config::default());
    let consumer = get(&server.consumer_url());
    assert_eq!(consumer.status, 200);
    assert!(consumer.content_type.as_deref().is_some_and(|t| t.starts_with("text/html")));

    let mut url = server.redirecting_url(2);
    for next in [server.redirecting_url(1), server.redirecting_url(0), server.consumer_url()] {
        let reply = get(&url);
        assert_eq!((reply.status, reply.location.as_deref()), (302, Some(next.as_str())));
        url = next;
    }

    for code in [200, 204, 301, 404, 418, 500, 503] {
        assert_eq!(get(&server.status_url(code)).status, code);
    }
    assert_eq!(get(&format!("{}/nowhere", server.base_url())).status, 404);
    assert_eq!(get(&format!("{}/redirect/x", server.base_url())).status, 404);
    assert_eq!(get(&server.token_url()).status, 405);
}

#[test]
fn following_redirects_ends_on_the_consumer_page() {
    let server = OAuthServer::start(Config::default());
    let following: ureq::Agent = ureq::Agent::config_builder().max_redirects(10).build().into();
    let mut response = following.get(&server.redirecting_url(5)).call().expect("follow the chain");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.body_mut().read_to_string().expect("body").contains("Consumer"));
}

#[test]
fn server_stops_on_drop() {
    let server = OAuthServer::start(Config::default());
    let addr = server.base_url().trim_start_matches("http://").to_string();
    drop(server);
    assert!(std::net::TcpStream::connect(addr).is_err());
}

#[test]
fn parsers() {
    assert_eq!(form_decode("a+b%20c%2B"), Some("a b c+".to_string()));
    assert_eq!(form_decode("%zz"), None);
    assert_eq!(form_decode("%+1"), None);
    assert_eq!(form_decode("%"), None);
    assert_eq!(parse_basic(&basic_header("id:x", "s p")), Some(("id:x".into(), "s p".into())));
    assert_eq!(parse_basic("Bearer abc"), None);
    assert_eq!(parse_basic("Basic !!!"), None);
    // RFC 7636 appendix B.
    assert_eq!(s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    let params = Params::parse(b"a=1&b=&a=2");
    assert_eq!(params.get("b"), None);
    assert_eq!(params.repeated(), Some("a"));
}
