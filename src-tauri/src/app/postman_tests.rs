//! A Postman collection through the window's import (issue #12), over the
//! mock runtime: recognised when chosen, its organization and environment
//! asked for, the same preview, conflict policy and all-or-nothing import
//! as our own files; no secret in any reply. The native file dialogs are
//! what `open_chosen` and `use_environment` stand behind.

use super::postman_commands::use_environment;
use super::tests::{app, call};
use super::transfer_commands::open_chosen;
use super::AppState;
use bot_credentials_core::store::{OnConflict, Store};
use serde_json::{json, Value};
use std::path::PathBuf;
use tauri::Manager;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/postman").join(name)
}

/// The app with the Acme collection chosen, as the open dialog leaves it.
fn chosen() -> (tauri::App<tauri::test::MockRuntime>, tauri::WebviewWindow<tauri::test::MockRuntime>, Value) {
    let state = AppState::new(Store::open_in_memory(), ":memory:".into());
    let opened = open_chosen(&state, fixture("acme.postman_collection.json"), OnConflict::Fail).expect("opened");
    let opened = serde_json::to_value(&opened).expect("json");
    let (app, w) = app(state);
    (app, w, opened)
}

fn no_secret(v: &Value) {
    let text = v.to_string();
    assert!(!text.contains("PM-SECRET"), "a secret reached the page: {text}");
}

#[test]
fn a_collection_asks_for_its_organization_then_previews_and_imports_as_any_file() {
    let (app, w, opened) = chosen();
    assert_eq!(opened["postman"], json!({"collection": "Acme Orders API"}));
    assert_eq!((opened["preview"].clone(), opened["encryption"].clone()), (Value::Null, json!("none")));

    // Without its environment: every placeholder it cannot resolve, by place.
    let err = call(
        &w,
        "open_postman_import",
        json!({"organization": "Acme Bots", "environment": false, "onConflict": "fail"}),
    )
    .expect_err("placeholders");
    assert_eq!(err["kind"], "validation");
    assert_eq!(err["problems"][0]["field"], "auth.oauth2.clientSecret");
    assert_eq!(err["problem_count"], 5);
    let err = call(
        &w,
        "open_postman_import",
        json!({"organization": "Acme Bots", "environment": true, "onConflict": "fail"}),
    )
    .expect_err("none chosen");
    assert_eq!(err["problems"][0]["field"], "environment");
    call(&w, "apply_import", json!({"onConflict": "fail", "onProgress": "__CHANNEL__:1"}))
        .expect_err("nothing to apply before it is read");

    let state = app.state::<AppState>();
    let env = use_environment(&state, fixture("acme-staging.postman_environment.json")).expect("environment");
    let env = serde_json::to_value(&env).expect("json");
    assert_eq!((env["name"].clone(), env["variables"].clone()), (json!("Acme Staging"), json!(9)));
    no_secret(&env);

    let preview = call(
        &w,
        "open_postman_import",
        json!({"organization": "Acme Bots", "environment": true, "onConflict": "fail"}),
    )
    .expect("preview");
    no_secret(&preview);
    let report = &preview["report"];
    assert_eq!((report["added"].clone(), report["organizations_added"].clone()), (json!(4), json!(1)));
    assert_eq!(report["applied"], false);
    let rows: Vec<(String, String)> = report["credentials"]
        .as_array()
        .expect("credentials")
        .iter()
        .map(|c| (c["name"].as_str().unwrap_or("").into(), c["type_label"].as_str().unwrap_or("").into()))
        .collect();
    assert_eq!(
        rows,
        [
            ("Collection".into(), "OAuth 2.0".into()),
            ("Orders".into(), "Basic Authentication".into()),
            ("Orders / Admin".into(), "Access Token".into()),
            ("Payments / Charge".into(), "OAuth 2.0".into())
        ]
    );
    assert_eq!(preview["note_count"], 1);
    assert_eq!(preview["notes"][0]["field"], "item[2].auth");
    assert!(call(&w, "list_organizations", json!({})).expect("orgs").as_array().is_some_and(Vec::is_empty));

    let done = call(&w, "apply_import", json!({"onConflict": "fail", "onProgress": "__CHANNEL__:1"})).expect("applied");
    no_secret(&done);
    assert_eq!((done["applied"].clone(), done["added"].clone()), (json!(true), json!(4)));
    let orgs = call(&w, "list_organizations", json!({})).expect("orgs");
    assert_eq!((orgs[0]["name"].clone(), orgs[0]["credential_count"].clone()), (json!("Acme Bots"), json!(4)));
    let list = call(&w, "list_window", json!({"orgId": orgs[0]["id"], "query": {}})).expect("list");
    no_secret(&list);
    assert!(list["rows"].as_array().expect("rows").iter().all(|r| r["needs_secret"] == false));

    // The same collection again: the conflicts of the preview, then Replace.
    open_chosen(&state, fixture("acme.postman_collection.json"), OnConflict::Fail).expect("chosen again");
    use_environment(&state, fixture("acme-staging.postman_environment.json")).expect("environment");
    let again = call(
        &w,
        "open_postman_import",
        json!({"organization": "acme bots", "environment": true, "onConflict": "fail"}),
    )
    .expect("preview");
    assert_eq!(again["report"]["problem_count"], 4);
    assert_eq!(again["report"]["problems"][0]["field"], "auth.name");
    let replace = call(&w, "preview_import", json!({"onConflict": "replace"})).expect("preview");
    assert_eq!(
        (replace["report"]["replaced"].clone(), replace["report"]["problem_count"].clone()),
        (json!(4), json!(0))
    );
    let done =
        call(&w, "apply_import", json!({"onConflict": "replace", "onProgress": "__CHANNEL__:2"})).expect("applied");
    assert_eq!(done["replaced"], 4);
}

#[test]
fn a_collection_this_build_cannot_read_is_refused_when_chosen() {
    let state = AppState::new(Store::open_in_memory(), ":memory:".into());
    let err = open_chosen(&state, fixture("legacy-v2.0.postman_collection.json"), OnConflict::Fail).expect_err("v2.0");
    assert_eq!(err.problems()[0].field, "info.schema");
    assert!(err.problems()[0].message.contains("export the collection again as Collection v2.1"));
    // An environment is only for a collection, and a bad one is named by its file.
    let err = use_environment(&state, fixture("acme-staging.postman_environment.json")).expect_err("no collection");
    assert_eq!(err.kind(), "not_found");
    open_chosen(&state, fixture("acme.postman_collection.json"), OnConflict::Fail).expect("chosen");
    let err = use_environment(&state, fixture("acme.postman_collection.json")).expect_err("a collection");
    assert!(err.problems()[0].field.ends_with("acme.postman_collection.json"), "{:?}", err.problems());
    assert!(err.problems()[0].message.contains("not an environment"));
}

#[test]
fn a_bad_organization_name_is_a_problem_of_the_organization_field() {
    let (_app, w, _) = chosen();
    let err =
        call(&w, "open_postman_import", json!({"organization": "  ", "environment": false, "onConflict": "fail"}))
            .expect_err("blank");
    assert_eq!(err["problems"][0], json!({"field": "organization", "message": "must not be empty"}));
    let err =
        call(&w, "open_encrypted_import", json!({"passphrase": null, "onConflict": "fail"})).expect_err("not age");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("Postman collection")), "{err}");
}
