//! open_url with BOT_CREDENTIALS_OPENER naming the scripted browser: the whole
//! authorization as the terminal and the window do it. One test per process
//! state change, so this file changes the environment in a single test.

mod common;

use bot_credentials_net::{open_url, opener_override, Cancel, CodeFlow};
use common::{client, opener, server, TIMEOUT, WAIT};

#[test]
fn the_opener_named_in_the_environment_is_run() {
    let opener = opener();
    let server = server();
    let c = client(&server, true);

    // The only test in this binary, so no other thread reads the environment.
    std::env::set_var("BOT_CREDENTIALS_OPENER", &opener);
    assert_eq!(opener_override().as_deref(), Some(opener.as_os_str()));
    let flow = CodeFlow::begin(&c, 0).expect("begin");
    open_url(flow.url()).expect("the opener starts");
    let tokens = flow.finish(&c, WAIT, TIMEOUT, &Cancel::default()).expect("authorized");
    assert_eq!(server.issued_access_tokens(), [tokens.access_token.as_str()]);

    std::env::set_var("BOT_CREDENTIALS_OPENER", "/nonexistent/bot-credentials-opener");
    let error = open_url("http://127.0.0.1:9/").expect_err("no such program");
    assert!(error.contains("/nonexistent/bot-credentials-opener"), "{error}");

    let error = open_url("file:///etc/passwd").expect_err("not a web address");
    assert!(error.starts_with("only http and https addresses are opened"), "{error}");

    std::env::set_var("BOT_CREDENTIALS_OPENER", "");
    assert_eq!(opener_override(), None, "empty counts as unset");
    std::env::remove_var("BOT_CREDENTIALS_OPENER");
    assert_eq!(opener_override(), None);
}
