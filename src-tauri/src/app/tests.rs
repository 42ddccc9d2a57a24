//! The commands through Tauri's mock runtime: the same IPC path the window
//! uses, without a window.

use super::{register, AppState};
use bot_credentials_core::store::Store;
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

pub(super) fn app(state: AppState) -> (tauri::App<MockRuntime>, tauri::WebviewWindow<MockRuntime>) {
    let app = register(mock_builder(), state).build(mock_context(noop_assets())).expect("app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
    (app, window)
}

pub(super) fn memory_app() -> (tauri::App<MockRuntime>, tauri::WebviewWindow<MockRuntime>) {
    app(AppState::new(Store::open_in_memory(), ":memory:".into()))
}

pub(super) fn call(w: &tauri::WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let res = get_ipc_response(
        w,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        },
    );
    res.map(|b| b.deserialize::<Value>().expect("json"))
}

#[test]
fn the_seed_flow_through_the_commands() {
    let (_app, w) = memory_app();
    let org = call(&w, "create_organization", json!({"name": "Acme Bots"})).expect("org");
    let org_id = org["id"].clone();
    let draft = json!({"name": "Orders API", "type": "consumer_authentication",
        "authentication_url": "https://accounts.example.com/authorize?client_id=a&response_type=code&redirect_uri=x"});
    let report =
        call(&w, "check_credential", json!({"orgId": org_id, "credentialId": null, "draft": draft, "step": 1}))
            .expect("check");
    assert_eq!(report["problems"], json!([]));
    let saved = call(&w, "create_credential", json!({"orgId": org_id, "draft": draft})).expect("create");
    assert_eq!(saved["type_label"], "Consumer Authentication");
    assert_eq!(saved["summary"], "accounts.example.com");
    let list = call(&w, "list_window", json!({"orgId": org_id, "query": {}})).expect("list");
    assert_eq!(list["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!((list["total"].clone(), list["matched"].clone()), (json!(1), json!(1)));
}

#[test]
fn errors_reach_the_ui_as_kind_message_and_problems() {
    let (_app, w) = memory_app();
    let err = call(&w, "create_organization", json!({"name": "  "})).expect_err("blank");
    assert_eq!(err["kind"], "validation");
    assert_eq!(err["problems"][0]["field"], "name");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("must not be empty")));
    let err = call(&w, "list_window", json!({"orgId": 999, "query": {}})).expect_err("missing");
    assert_eq!(err["kind"], "not_found");
}

#[test]
fn secrets_never_travel_to_the_ui() {
    let (_app, w) = memory_app();
    let org = call(&w, "create_organization", json!({"name": "Acme"})).expect("org");
    let draft = json!({"name": "CRM", "type": "basic_authentication", "username": "svc", "password": "hunter2-SECRET"});
    let saved = call(&w, "create_credential", json!({"orgId": org["id"], "draft": draft})).expect("create");
    let list = call(&w, "list_window", json!({"orgId": org["id"], "query": {"search": "crm"}})).expect("list");
    let got = call(&w, "get_credential", json!({"id": saved["id"]})).expect("get");
    for v in [&saved, &list, &got] {
        assert!(!v.to_string().contains("hunter2-SECRET"), "{v}");
    }
    assert_eq!(got["draft"]["password"], Value::Null);
    assert_eq!(got["stored_secrets"], json!(["password"]));
    let bad = json!({"name": "CRM2", "type": "basic_authentication", "username": "svc", "password": "bad\u{1}SECRET"});
    let err = call(&w, "create_credential", json!({"orgId": org["id"], "draft": bad})).expect_err("control char");
    assert!(!err.to_string().contains("SECRET"));
}

#[test]
fn delete_then_undo_restores_the_credential() {
    let (_app, w) = memory_app();
    let org = call(&w, "create_organization", json!({"name": "Acme"})).expect("org");
    let draft = json!({"name": "Token", "type": "access_token", "access_token": "t", "token_type": "Bearer"});
    let saved = call(&w, "create_credential", json!({"orgId": org["id"], "draft": draft})).expect("create");
    let deleted = call(&w, "delete_credential", json!({"id": saved["id"]})).expect("delete");
    assert_eq!(deleted["name"], "Token");
    assert_eq!(call(&w, "list_window", json!({"orgId": org["id"], "query": {}})).expect("list")["rows"], json!([]));
    call(&w, "undo_delete", json!({"token": deleted["undo_token"]})).expect("undo");
    let list = &call(&w, "list_window", json!({"orgId": org["id"], "query": {}})).expect("list")["rows"];
    assert_eq!(list[0]["name"], "Token");
    assert!(!list[0]["needs_secret"].as_bool().unwrap_or(true), "the secret came back too");
    let again = call(&w, "undo_delete", json!({"token": deleted["undo_token"]})).expect_err("used token");
    assert_eq!(again["kind"], "not_found");
}

#[test]
fn a_database_that_failed_to_open_is_reported_and_commands_are_unavailable() {
    let failed =
        Err(bot_credentials_core::Error::Open { path: "/x/db".into(), reason: "it is not an SQLite database".into() });
    let (_app, w) = app(AppState::new(failed, "/x/db".into()));
    let status = call(&w, "app_status", json!({})).expect("status");
    assert_eq!(status["error"]["kind"], "unavailable");
    assert!(status["error"]["message"].as_str().is_some_and(|m| m.contains("/x/db")));
    let err = call(&w, "list_organizations", json!({})).expect_err("unavailable");
    assert_eq!(err["kind"], "unavailable");
}

#[test]
fn the_list_comes_in_windows_searched_and_sorted_in_rust() {
    let (_app, w) = memory_app();
    let org = call(&w, "create_organization", json!({"name": "Acme"})).expect("org");
    let mut ids = vec![];
    for i in 0..30 {
        let kind = if i % 3 == 0 { "MAC" } else { "Bearer" };
        let draft =
            json!({"name": format!("Token {i}"), "type": "access_token", "access_token": "t", "token_type": kind});
        ids.push(
            call(&w, "create_credential", json!({"orgId": org["id"], "draft": draft})).expect("create")["id"].clone(),
        );
    }
    let window = |query: Value| call(&w, "list_window", json!({"orgId": org["id"], "query": query})).expect("window");
    let names = |v: &Value| -> Vec<String> {
        v["rows"].as_array().expect("rows").iter().map(|r| r["name"].as_str().unwrap_or_default().to_owned()).collect()
    };
    let first = window(json!({"limit": 3}));
    assert_eq!(names(&first), ["Token 0", "Token 1", "Token 2"], "numbers by value");
    assert_eq!(
        (first["total"].clone(), first["matched"].clone(), first["offset"].clone()),
        (json!(30), json!(30), json!(0))
    );
    let found = window(json!({"search": " mac ", "sort": "name", "dir": "desc", "offset": 2, "limit": 2}));
    assert_eq!(found["matched"], 10);
    assert_eq!(names(&found), ["Token 21", "Token 18"]);
    let around = window(json!({"focus": ids[20], "limit": 10}));
    assert_eq!((around["focus_index"].clone(), around["offset"].clone()), (json!(20), json!(15)));
    assert_eq!(names(&around)[5], "Token 20");
    let by_details = window(json!({"sort": "details", "limit": 1}));
    assert_eq!(names(&by_details), ["Token 1"], "Bearer before MAC");
    for bad in [json!({"sort": "secret"}), json!({"dir": "up"}), json!({"offset": -1})] {
        call(&w, "list_window", json!({"orgId": org["id"], "query": bad})).expect_err("refused");
    }
}

#[test]
fn files_open_to_others_are_repaired_on_opening_and_told_in_the_status() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("credentials.sqlite3");
    let (_keys, places) = bot_credentials_core::seal::levels::KeyPlaces::temporary().expect("keys");
    drop(Store::open_with(&db, places.clone()).expect("create"));
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let (_app, w) = app(AppState::new(Store::open_with(&db, places), db.display().to_string()));
    let status = call(&w, "app_status", json!({})).expect("status");
    let notices = status["notices"].as_array().expect("notices");
    assert_eq!(notices.len(), 1, "{notices:?}");
    let told = notices[0].as_str().expect("text");
    assert!(told.contains("credentials.sqlite3") && told.contains("0644") && told.contains("0600"), "{told}");
    assert_eq!(std::fs::metadata(&db).expect("meta").permissions().mode() & 0o777, 0o600);
}
