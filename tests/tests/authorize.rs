//! Issue #10, Authorize, in the window. A strict OAuth 2.0 provider runs in
//! this test process on 127.0.0.1 (`test_oauth_server`), and the system
//! browser is its scripted stand-in `test-opener` (`BOT_CREDENTIALS_OPENER`):
//! it signs in (or denies) and brings the redirect back to the window's
//! loopback listener, on the redirect port set on the Security page.
//!
//! As a person: an Authorization Code credential with PKCE is authorized
//! from the dialog (the redirect URI shown with Copy, "Waiting for the
//! browser…" meanwhile), a Client Credentials one too, a token is refreshed
//! from the row menu, and a Consumer Authentication link is checked and
//! opened. A denied sign-in, a provider that is down and a Cancel each say
//! so. No issued access token ever shows in the page, the app's output or
//! its files.

use std::path::PathBuf;
use std::time::Duration;

use bot_credentials_e2e::authorize::{test_opener, OAuthForm};
use bot_credentials_e2e::driver::free_port;
use bot_credentials_e2e::{paths, App};
use test_oauth_server::{Config, OAuthServer};

const ORG: &str = "Acme Bots";
const SECRET: &str = "s3cret-client";
/// What a real Authentication URL carries (without it the dialog warns, and
/// the warnings appearing as Save is clicked move the button under the pointer).
const LINK_QUERY: &str = "?client_id=bot-client&response_type=code&redirect_uri=https%3A%2F%2Fva.idp.liveperson.net%2Fcallback%2F1%2FredirectedCode";

/// The app with the test opener as its browser (and `more` environment),
/// `ORG` added, its redirect port set on the Security page to a free one,
/// and its Credentials list open.
fn launch(tag: &str, more: &[(&str, &std::ffi::OsStr)]) -> (App, u16) {
    let opener = test_opener();
    let mut env = vec![("BOT_CREDENTIALS_OPENER", opener.as_os_str())];
    env.extend_from_slice(more);
    let app = App::launch_with_env(&env);
    app.add_organization(ORG);
    let port = free_port();
    app.open_security();
    app.set_redirect_port(port);
    app.expect_notice(&format!("Authorize now listens on http://127.0.0.1:{port}/callback"));
    app.dismiss_notices();
    app.js("document.getElementById('security-redirect').scrollIntoView({ block: 'end' }); return true;", &[])
        .expect("scrolling to the redirect section");
    artifact(&app, &format!("authorize-{tag}-security.png"));
    app.click_button("Back to Organizations");
    app.open_organization(ORG);
    (app, port)
}

fn code_form<'a>(name: &'a str, server_auth: &'a str, server_token: &'a str) -> OAuthForm<'a> {
    OAuthForm {
        name,
        grant: "Authorization Code",
        client_id: "bot-client",
        client_secret: SECRET,
        scope: "bots:read",
        auth_url: server_auth,
        token_url: server_token,
        pkce: true,
    }
}

/// Fails naming every issued access token found in the page, the app's output or its files.
fn assert_no_token_anywhere(app: &App, server: &OAuthServer) {
    let tokens = server.issued_access_tokens();
    assert!(!tokens.is_empty(), "the provider issued tokens");
    let page = format!("{}\n{}", app.visible_text(), app.page_source());
    let output = app.process_output();
    let needles: Vec<&[u8]> = tokens.iter().map(|t| t.as_bytes()).collect();
    let mut found = paths::leaked(app.db_path(), &needles);
    for t in &tokens {
        if page.contains(t.as_str()) {
            found.push(format!("{t:?} in the page"));
        }
        if output.contains(t.as_str()) {
            found.push(format!("{t:?} in the app's output"));
        }
    }
    assert!(found.is_empty(), "access tokens leaked: {found:#?}");
}

/// A screenshot for looking at, in the artifacts folder only.
fn artifact(app: &App, name: &str) {
    app.screenshot(&paths::artifacts_dir().join("screenshots").join(name));
}

/// The list's screenshot: always in the artifacts folder, and in `docs/` with `scripts/screenshots.sh`.
fn screenshot(app: &App) {
    let name = "authorize.png";
    let artifact = paths::artifacts_dir().join("screenshots").join(name);
    app.screenshot(&artifact);
    let readme: PathBuf = paths::readme_screenshot_named(name);
    if readme != artifact {
        app.screenshot(&readme);
    }
}

#[test]
fn both_grants_are_authorized_a_token_refreshed_and_a_link_checked() {
    let server = OAuthServer::start(Config::default());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let opened = dir.path().join("opened.txt");
    let (app, port) = launch("grants", &[("TEST_OPENER_LOG", opened.as_os_str())]);
    let (auth_url, token_url) = (server.auth_url(), server.token_url());

    // Authorization Code with PKCE: step 2 shows the redirect URI, copyable.
    app.fill_oauth_credential(&code_form("Web Sign-in", &auth_url, &token_url));
    assert_eq!(app.field_value("Redirect URI"), format!("http://127.0.0.1:{port}/callback"));
    app.click_button("Copy");
    app.button("Copied");
    artifact(&app, "authorize-dialog.png");
    assert!(app.has_button("Save") && app.has_button("Authorize"), "{}", app.dialog_text());
    // A slow token exchange keeps the dialog waiting long enough to read it.
    server.set_config(|c| c.delay_ms = 1500);
    app.click_button("Authorize");
    app.wait_until("the dialog to wait for the browser", || {
        let text = app.dialog_text();
        text.contains("Waiting for the browser…") && text.contains("Sign in at the provider; this window will update.")
    });
    assert!(app.has_button("Cancel"), "waiting offers Cancel: {}", app.dialog_text());
    artifact(&app, "authorize-waiting.png");
    app.expect_no_dialog();
    server.set_config(|c| c.delay_ms = 0);
    app.expect_notice("Saved and authorized Web Sign-in");
    app.expect_row_says("Web Sign-in", "Authorized · expires in");
    let sent = std::fs::read_to_string(&opened).expect("the test opener was run");
    assert!(sent.starts_with(&auth_url), "the browser got the Auth URL: {sent}");
    for part in ["code_challenge_method=S256", "code_challenge=", "state=", "response_type=code"] {
        assert!(sent.contains(part), "the authorization URL has {part}: {sent}");
    }
    assert_eq!(server.requests_without_state(), 0);
    assert_eq!(server.issued_access_tokens().len(), 1);

    // Client Credentials: one token request, no browser.
    app.fill_oauth_credential(&OAuthForm {
        name: "Service Token",
        grant: "Client Credentials",
        scope: "",
        ..code_form("", "", &token_url)
    });
    assert!(!app.has_field("Redirect URI"), "Client Credentials has no redirect:\n{}", app.dialog_text());
    app.click_button("Authorize");
    app.expect_no_dialog();
    app.expect_notice("Saved and authorized Service Token");
    app.expect_row_says("Service Token", "Authorized · expires in");
    assert_eq!(server.issued_access_tokens().len(), 2);

    // Save without authorizing: Not authorized.
    app.fill_oauth_credential(&code_form("Later App", &auth_url, &token_url));
    app.click_button("Save");
    app.expect_no_dialog();
    app.expect_row_says("Later App", "Not authorized");

    // Refresh token, from the row menu (the code grant brought a refresh token).
    app.use_menu("Web Sign-in", "Refresh token");
    app.expect_notice("Refreshed the token of Web Sign-in");
    assert_eq!(server.issued_access_tokens().len(), 3, "the refresh issued a new access token");
    app.expect_row_says("Web Sign-in", "Authorized · expires in");
    app.click_button("Actions for Service Token");
    assert!(!app.has_button("Refresh token"), "no refresh token, no Refresh token");
    app.press_escape();

    // Consumer Authentication: Check says what came back; Test link opens it.
    let link = format!("{}{LINK_QUERY}", server.redirecting_url(1));
    app.add_consumer_credential("Consumer Link", &link);
    app.use_menu("Consumer Link", "Check");
    app.expect_notice("Consumer Link: Reachable: 200 from 127.0.0.1 (no TLS), 2 redirects");
    app.add_consumer_credential("Broken Link", &format!("{}{LINK_QUERY}", server.status_url(404)));
    app.use_menu("Broken Link", "Check");
    let host = server.base_url().trim_start_matches("http://").to_owned();
    app.expect_notice(&format!("Broken Link: Not reachable: {host} answered HTTP 404 Not Found"));
    app.use_menu("Consumer Link", "Test link");
    app.expect_notice("Opened the Authentication URL of Consumer Link in your browser");
    app.wait_until("the test opener to get the link", || {
        std::fs::read_to_string(&opened).is_ok_and(|t| t.lines().any(|l| l == link))
    });

    // The CLI reads the same states.
    let listed = app.listed_credentials(ORG);
    let state = |name: &str| {
        listed.iter().find(|c| c["name"] == name).map(|c| c["authorization"]["state"].clone()).unwrap_or_default()
    };
    assert_eq!(
        (state("Web Sign-in"), state("Service Token"), state("Later App")),
        ("authorized".into(), "authorized".into(), "not_authorized".into())
    );

    assert_no_token_anywhere(&app, &server);
    if app.has_button("Dismiss error") {
        app.click_button("Dismiss error");
    }
    app.settle_for_screenshot();
    screenshot(&app);
}

#[test]
fn a_denied_sign_in_an_unreachable_provider_and_cancel_each_say_so() {
    let server = OAuthServer::start(Config::default());
    let (app, _port) = launch("denied", &[("TEST_OPENER_DECISION", "deny".as_ref())]);
    let (auth_url, token_url) = (server.auth_url(), server.token_url());

    // The user denies at the provider: the provider's error and description.
    app.fill_oauth_credential(&code_form("Denied App", &auth_url, &token_url));
    app.click_button("Authorize");
    app.expect_no_dialog();
    app.expect_notice("Saved Denied App. Authorization failed: access_denied: The user denied access");
    app.expect_row_says("Denied App", "Authorization failed: access_denied: The user denied access");
    artifact(&app, "authorize-denied.png");

    // A provider nobody answers at: saved, and told plainly.
    let closed = free_port();
    let down = format!("http://127.0.0.1:{closed}/token");
    app.fill_oauth_credential(&OAuthForm {
        name: "Offline Service",
        grant: "Client Credentials",
        ..code_form("", "", &down)
    });
    app.click_button("Authorize");
    app.expect_no_dialog();
    app.expect_notice("Saved. You are offline; authorize later");
    app.expect_row_says("Offline Service", "Not authorized");

    // A slow provider: the row menu's Authorize waits with Cancel, and Cancel stops it.
    app.dismiss_notices();
    app.fill_oauth_credential(&OAuthForm {
        name: "Slow Service",
        grant: "Client Credentials",
        ..code_form("", "", &token_url)
    });
    app.click_button("Save");
    app.expect_no_dialog();
    server.set_config(|c| c.delay_ms = 8000);
    app.use_menu("Slow Service", "Authorize");
    app.wait_until("the waiting dialog", || app.dialog_text().contains("Requesting a token…"));
    app.click_button("Cancel");
    app.expect_no_dialog();
    app.expect_notice("Authorization of Slow Service cancelled");
    app.expect_row_says("Slow Service", "Not authorized");
    server.set_config(|c| c.delay_ms = 0);
    // After a Cancel the next try works.
    std::thread::sleep(Duration::from_millis(200));
    app.use_menu("Slow Service", "Authorize");
    app.expect_notice("Authorized Slow Service");
    app.expect_row_says("Slow Service", "Authorized · expires in");
    assert_no_token_anywhere(&app, &server);
}

/// Without `BOT_CREDENTIALS_OPENER` the window opens the browser through
/// tauri's opener plugin, from Rust, though the page holds none of the
/// plugin's permissions. The "browser" here is a fake `xdg-open` first on
/// `PATH` that notes the URL and hands it to the test opener.
#[test]
fn without_an_override_the_opener_plugin_opens_the_browser() {
    let server = OAuthServer::start(Config::default());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let opened = dir.path().join("xdg-open.txt");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("a bin folder");
    let script = bin.join("xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$1\" >> '{}'\n'{}' \"$1\" >> '{}' 2>&1 &\nexit 0\n",
            opened.display(),
            test_opener().display(),
            dir.path().join("browser.log").display()
        ),
    )
    .expect("writing the fake xdg-open");
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let path = std::env::join_paths(
        std::iter::once(bin.clone()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("a PATH");
    assert!(std::env::var_os("BOT_CREDENTIALS_OPENER").is_none(), "this test needs the opener plugin");
    let app = App::launch_with_env(&[("PATH", path.as_os_str())]);
    app.add_organization(ORG);
    app.open_security();
    let port = free_port();
    app.set_redirect_port(port);
    app.click_button("Back to Organizations");
    app.open_organization(ORG);

    let link = format!("{}{LINK_QUERY}", server.consumer_url());
    app.add_consumer_credential("Consumer Link", &link);
    app.use_menu("Consumer Link", "Test link");
    app.expect_notice("Opened the Authentication URL of Consumer Link in your browser");
    app.wait_until("xdg-open to get the link", || {
        std::fs::read_to_string(&opened).is_ok_and(|t| t.lines().any(|l| l == link))
    });

    let (auth_url, token_url) = (server.auth_url(), server.token_url());
    app.fill_oauth_credential(&code_form("Web Sign-in", &auth_url, &token_url));
    app.click_button("Authorize");
    app.expect_no_dialog();
    app.expect_notice("Saved and authorized Web Sign-in");
    app.expect_row_says("Web Sign-in", "Authorized · expires in");
    let sent = std::fs::read_to_string(&opened).expect("xdg-open was run");
    assert!(sent.lines().any(|l| l.starts_with(&auth_url)), "xdg-open got the Auth URL: {sent}");
    assert_no_token_anywhere(&app, &server);
}
