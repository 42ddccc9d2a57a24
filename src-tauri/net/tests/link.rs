//! check_link against the test server's consumer page, redirect chains and statuses.

mod common;

use std::time::Duration;

use bot_credentials_net::{check_link, TlsState};
use common::{closed_port, server};

const TIMEOUT: Duration = Duration::from_secs(5);

fn host(server: &test_oauth_server::OAuthServer) -> String {
    url::Url::parse(&server.base_url()).expect("base URL").host_str().expect("host").to_string()
}

#[test]
fn consumer_page_is_reachable() {
    let server = server();
    let report = check_link(&server.consumer_url(), TIMEOUT);
    assert!(report.reachable, "{report:?}");
    assert_eq!(report.status, Some(200));
    assert_eq!(report.redirects, 0);
    assert_eq!(report.final_url.as_deref(), Some(server.consumer_url().as_str()));
    assert_eq!(report.final_host, Some(host(&server)));
    assert_eq!(report.tls, TlsState::NotUsed);
    assert_eq!(report.problem, None);
}

#[test]
fn redirects_are_followed_and_counted() {
    let server = server();
    // /redirect/2 → /redirect/1 → /redirect/0 → /consumer: three redirects.
    let report = check_link(&server.redirecting_url(2), TIMEOUT);
    assert!(report.reachable, "{report:?}");
    assert_eq!(report.redirects, 3);
    assert_eq!(report.status, Some(200));
    assert_eq!(report.final_url.as_deref(), Some(server.consumer_url().as_str()));
    assert_eq!(report.final_host, Some(host(&server)));
}

#[test]
fn five_redirects_are_allowed() {
    let server = server();
    let report = check_link(&server.redirecting_url(4), TIMEOUT);
    assert!(report.reachable, "{report:?}");
    assert_eq!(report.redirects, 5);
}

#[test]
fn more_than_five_redirects_is_not_reachable() {
    let server = server();
    for hops in [5, 6] {
        let report = check_link(&server.redirecting_url(hops), TIMEOUT);
        assert!(!report.reachable, "{report:?}");
        assert_eq!(report.redirects, 5);
        assert!(report.problem.as_deref().is_some_and(|p| p.starts_with("more than 5 redirects")), "{report:?}");
    }
}

#[test]
fn an_error_status_is_not_reachable() {
    let server = server();
    let report = check_link(&server.status_url(404), TIMEOUT);
    assert!(!report.reachable, "{report:?}");
    assert_eq!(report.status, Some(404));
    let port = url::Url::parse(&server.base_url()).expect("url").port().expect("port");
    assert_eq!(report.problem, Some(format!("127.0.0.1:{port} answered HTTP 404 Not Found")));
    let report = check_link(&server.status_url(503), TIMEOUT);
    assert!(!report.reachable && report.status == Some(503), "{report:?}");
}

#[test]
fn a_closed_port_is_not_reachable() {
    let port = closed_port();
    let report = check_link(&format!("http://127.0.0.1:{port}/login"), TIMEOUT);
    assert!(!report.reachable, "{report:?}");
    assert_eq!(report.status, None);
    assert_eq!(report.problem, Some(format!("you are offline or 127.0.0.1:{port} cannot be reached")));
    assert_eq!(report.final_host.as_deref(), Some("127.0.0.1"));
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_problem() {
    let server = server();
    let url = server.consumer_url().replacen("http://", "https://", 1);
    let report = check_link(&url, TIMEOUT);
    assert!(!report.reachable, "{report:?}");
    assert!(matches!(report.tls, TlsState::Invalid(_)), "{report:?}");
    assert!(report.problem.as_deref().is_some_and(|p| p.starts_with("TLS with 127.0.0.1:")), "{report:?}");
}

#[test]
fn report_serializes_for_the_window_and_terminal() {
    let server = server();
    let json = serde_json::to_value(check_link(&server.consumer_url(), TIMEOUT)).expect("serialize");
    assert_eq!(json["reachable"], true);
    assert_eq!(json["status"], 200);
    assert_eq!(json["tls"], "not_used");
    assert_eq!(json["redirects"], 0);
}
