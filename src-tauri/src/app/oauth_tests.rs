//! The Authorize commands through Tauri's mock runtime: the redirect port
//! setting, what each command refuses before any network, and a Client
//! Credentials authorization and a refused refresh against the test provider on
//! 127.0.0.1 (no browser needed).

use super::tests::{call, memory_app};
use serde_json::{json, Value};
use tauri::test::MockRuntime;
use test_oauth_server::{Config, OAuthServer};

type Window = tauri::WebviewWindow<MockRuntime>;

fn org(w: &Window) -> Value {
    call(w, "create_organization", json!({"name": "Acme"})).expect("org")["id"].clone()
}

fn create(w: &Window, org: &Value, draft: Value) -> Value {
    call(w, "create_credential", json!({"orgId": org, "draft": draft})).expect("create")["id"].clone()
}

fn client_credentials(token_url: &str, secret: &str) -> Value {
    json!({"name": format!("Service {secret}"), "type": "oauth2", "grant_type": "client_credentials",
        "client_id": "bot-client", "client_secret": secret, "scope": "", "token_url": token_url})
}

fn row(w: &Window, org: &Value, id: &Value) -> Value {
    let list = call(w, "list_window", json!({"orgId": org, "query": {}})).expect("list");
    list["rows"].as_array().and_then(|r| r.iter().find(|r| r["id"] == *id).cloned()).expect("the row")
}

fn expect_validation(err: &Value, field: &str) {
    assert_eq!(err["kind"], "validation", "{err}");
    assert_eq!(err["problems"][0]["field"], field, "{err}");
}

#[test]
fn the_redirect_port_is_a_setting_with_its_redirect_uri() {
    let (_app, w) = memory_app();
    let now = call(&w, "oauth_settings", json!({})).expect("settings");
    let default = now["default_port"].as_u64().expect("default_port");
    assert_eq!(now["port"].as_u64(), Some(default));
    assert_eq!(now["redirect_uri"], format!("http://127.0.0.1:{default}/callback"));

    let set = call(&w, "set_oauth_port", json!({"port": 54321})).expect("set");
    assert_eq!(
        (set["port"].clone(), set["redirect_uri"].clone()),
        (json!(54321), json!("http://127.0.0.1:54321/callback"))
    );
    assert_eq!(call(&w, "oauth_settings", json!({})).expect("settings")["port"], 54321);

    for bad in [json!(80), json!(1023), json!(65536), json!(-1), json!(1.5), json!("8080"), Value::Null] {
        let err = call(&w, "set_oauth_port", json!({"port": bad})).expect_err("refused");
        expect_validation(&err, "port");
        assert!(err["message"].as_str().is_some_and(|m| m.contains("1024 and 65535")), "{err}");
    }
    assert_eq!(call(&w, "oauth_settings", json!({})).expect("settings")["port"], 54321, "unchanged");
}

#[test]
fn each_command_refuses_the_wrong_type_before_any_network() {
    let (_app, w) = memory_app();
    let org = org(&w);
    let link = create(
        &w,
        &org,
        json!({"name": "Orders API", "type": "consumer_authentication",
            "authentication_url": "https://accounts.example.com/authorize?client_id=a&response_type=code&redirect_uri=x"}),
    );
    // Port 9 on 127.0.0.1 (discard) is never asked: the checks come first.
    let oauth = create(&w, &org, client_credentials("http://127.0.0.1:9/token", "s3cret"));

    let err = call(&w, "authorize_credential", json!({"id": link})).expect_err("not OAuth");
    expect_validation(&err, "type");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("Consumer Authentication")), "{err}");
    expect_validation(&call(&w, "refresh_token", json!({"id": link})).expect_err("not OAuth"), "type");
    for cmd in ["check_link", "open_link"] {
        let err = call(&w, cmd, json!({"id": oauth})).expect_err("not a link");
        expect_validation(&err, "type");
        assert!(err["message"].as_str().is_some_and(|m| m.contains("OAuth 2.0")), "{cmd}: {err}");
    }
    // Not authorized yet: nothing to refresh.
    expect_validation(&call(&w, "refresh_token", json!({"id": oauth})).expect_err("no token"), "refresh_token");
    for cmd in ["authorize_credential", "refresh_token", "check_link", "open_link"] {
        assert_eq!(call(&w, cmd, json!({"id": 999})).expect_err("missing")["kind"], "not_found", "{cmd}");
    }
    assert_eq!(call(&w, "cancel_authorization", json!({})).expect("cancel"), json!(false), "nothing to cancel");
    assert_eq!(row(&w, &org, &oauth)["authorization"]["state"], "not_authorized");
}

#[test]
fn client_credentials_authorize_against_the_test_provider() {
    let server = OAuthServer::start(Config::default());
    let (_app, w) = memory_app();
    let org = org(&w);
    let id = create(&w, &org, client_credentials(&server.token_url(), "s3cret-client"));

    let auth = call(&w, "authorize_credential", json!({"id": id})).expect("authorized");
    assert_eq!(auth["state"], "authorized", "{auth}");
    assert!(auth["expires_at"].is_string(), "{auth}");
    assert_eq!(auth["refreshable"], false, "client credentials bring no refresh token");
    assert_eq!(row(&w, &org, &id)["authorization"]["state"], "authorized");
    let issued = server.issued_access_tokens();
    assert_eq!(issued.len(), 1);
    assert!(!auth.to_string().contains(&issued[0]), "the reply carries no token: {auth}");
    assert!(!row(&w, &org, &id).to_string().contains(&issued[0]));

    // A wrong secret: the provider's error is shown and kept on the row, secrets removed.
    let wrong = create(&w, &org, client_credentials(&server.token_url(), "wrong-secret-Zq9"));
    let err = call(&w, "authorize_credential", json!({"id": wrong})).expect_err("refused");
    assert_eq!(err["kind"], "provider", "{err}");
    assert!(err["message"].as_str().is_some_and(|m| m.starts_with("invalid_client")), "{err}");
    assert!(!err.to_string().contains("wrong-secret-Zq9"), "{err}");
    let failed = row(&w, &org, &wrong)["authorization"].clone();
    assert_eq!(failed["state"], "failed", "{failed}");
    assert!(failed["error"].as_str().is_some_and(|m| m.starts_with("invalid_client")), "{failed}");
}

#[test]
fn offline_is_said_plainly_and_leaves_the_state_alone() {
    // A port nobody listens on: the connection is refused at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let (_app, w) = memory_app();
    let org = org(&w);
    let id = create(&w, &org, client_credentials(&format!("http://127.0.0.1:{closed}/token"), "s3cret"));
    let err = call(&w, "authorize_credential", json!({"id": id})).expect_err("offline");
    assert_eq!(err["kind"], "offline", "{err}");
    assert!(!err.to_string().contains("s3cret"), "{err}");
    assert_eq!(row(&w, &org, &id)["authorization"]["state"], "not_authorized", "being offline is no failure");
}

#[test]
fn a_refused_refresh_is_shown_on_the_row() {
    // Tokens as a code exchange would have stored them, then Refresh token.
    let server = OAuthServer::start(Config { token_lifetime_secs: 0, ..Config::default() });
    let (app, w) = memory_app();
    let org = org(&w);
    let id = create(
        &w,
        &org,
        json!({"name": "Web", "type": "oauth2", "grant_type": "authorization_code", "client_id": "bot-client",
            "client_secret": "s3cret-client", "scope": "", "auth_url": server.auth_url(),
            "token_url": server.token_url(), "pkce": true}),
    );
    // A refresh token the provider does not know is refused: the row says so.
    {
        use tauri::Manager;
        let state = app.state::<super::AppState>();
        let set = bot_credentials_core::store::TokenSet {
            access_token: "old-access".to_string().into(),
            token_type: "Bearer".into(),
            refresh_token: Some("unknown-refresh".to_string().into()),
            scope: None,
            expires_at: Some("2000-01-01T00:00:00Z".into()),
        };
        state.with_store(|s| s.save_tokens(id.as_i64().expect("id"), &set)).expect("saved");
    }
    assert_eq!(row(&w, &org, &id)["authorization"]["state"], "expired");
    assert_eq!(row(&w, &org, &id)["authorization"]["refreshable"], true);
    let err = call(&w, "refresh_token", json!({"id": id})).expect_err("unknown refresh token");
    assert_eq!(err["kind"], "provider", "{err}");
    assert!(!err.to_string().contains("unknown-refresh"), "{err}");
    assert_eq!(row(&w, &org, &id)["authorization"]["state"], "failed");
}

#[test]
fn a_busy_redirect_port_is_named_before_any_browser_opens() {
    let (_app, w) = memory_app();
    let org = org(&w);
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = busy.local_addr().expect("addr").port();
    call(&w, "set_oauth_port", json!({"port": port})).expect("port");
    // The Auth URL is never opened: binding the redirect port comes first.
    let id = create(
        &w,
        &org,
        json!({"name": "Web", "type": "oauth2", "grant_type": "authorization_code", "client_id": "bot-client",
            "client_secret": "s3cret", "scope": "", "auth_url": "http://127.0.0.1:9/authorize",
            "token_url": "http://127.0.0.1:9/token", "pkce": true}),
    );
    let err = call(&w, "authorize_credential", json!({"id": id})).expect_err("port in use");
    assert_eq!(err["kind"], "listener", "{err}");
    assert!(err["message"].as_str().is_some_and(|m| m.contains(&port.to_string())), "{err}");
    assert_eq!(row(&w, &org, &id)["authorization"]["state"], "not_authorized");
    // Nothing stays in progress: the next attempt is not refused as a second one.
    drop(busy);
    assert_eq!(call(&w, "cancel_authorization", json!({})).expect("cancel"), json!(false));
}
