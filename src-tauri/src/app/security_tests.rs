//! The Security commands and encrypted import through Tauri's mock runtime.

use super::state::PendingImport;
use super::tests::{app, call, memory_app};
use super::AppState;
use bot_credentials_core::envelope::{self, Encryption, Sealing};
use bot_credentials_core::store::Store;
use serde_json::{json, Value};
use zeroize::Zeroizing;

fn org_with_secret(w: &tauri::WebviewWindow<tauri::test::MockRuntime>) -> Value {
    let org = call(w, "create_organization", json!({"name": "Acme"})).expect("org");
    let draft = json!({"name": "CRM", "type": "basic_authentication", "username": "svc", "password": "hunter2-SECRET"});
    call(w, "create_credential", json!({"orgId": org["id"], "draft": draft})).expect("create");
    org
}

#[test]
fn the_status_says_which_protection_is_in_force() {
    let (_app, w) = memory_app();
    let status = call(&w, "app_status", json!({})).expect("status");
    let sec = &status["security"];
    assert_eq!(sec["protection"], "key_file");
    assert_eq!(sec["locked"], false);
    assert_eq!(sec["key_available"], true);
    assert_eq!(sec["keyring_available"], false);
    assert!(sec["key_file"].as_str().is_some_and(|p| p.ends_with(".key")), "{sec}");
    assert!(sec["public_key"].as_str().is_some_and(|k| k.starts_with("age1")), "{sec}");
    assert_eq!(sec["database_id"].as_str().map(str::len), Some(32));
}

#[test]
fn a_passphrase_locks_saving_secrets_until_unlocked() {
    let (_app, w) = memory_app();
    let org = org_with_secret(&w);
    let err = call(&w, "set_passphrase", json!({"passphrase": "short"})).expect_err("too short");
    assert_eq!(err["kind"], "validation");
    let status = call(&w, "set_passphrase", json!({"passphrase": "correct horse"})).expect("set");
    assert_eq!(status["protection"], "passphrase");
    assert_eq!(status["key_file"], Value::Null);
    let status = call(&w, "lock", json!({})).expect("lock");
    assert_eq!(status["locked"], true);
    assert_eq!(status["public_key"], Value::Null);
    // Locked: the list works, a secret cannot be saved, a draft without one can.
    let list = call(&w, "list_window", json!({"orgId": org["id"], "query": {}})).expect("list");
    assert_eq!(list["rows"][0]["has_secrets"], true);
    let secret = json!({"name": "T", "type": "access_token", "access_token": "tok", "token_type": "Bearer"});
    assert_eq!(
        call(&w, "create_credential", json!({"orgId": org["id"], "draft": secret})).expect_err("locked")["kind"],
        "locked"
    );
    let plain = json!({"name": "Pre", "type": "consumer_pre_authentication"});
    call(&w, "create_credential", json!({"orgId": org["id"], "draft": plain})).expect("no secret: fine locked");
    let err = call(&w, "unlock", json!({"passphrase": "wrong horse"})).expect_err("wrong");
    assert_eq!(err["kind"], "wrong_passphrase");
    assert!(!err.to_string().contains("wrong horse"), "{err}");
    assert_eq!(call(&w, "unlock", json!({"passphrase": "correct horse"})).expect("unlock")["locked"], false);
    call(&w, "create_credential", json!({"orgId": org["id"], "draft": secret})).expect("unlocked");
    let status = call(&w, "change_passphrase", json!({"current": "correct horse", "passphrase": "new long one"}))
        .expect("change");
    assert_eq!(status["protection"], "passphrase");
    let err = call(&w, "remove_passphrase", json!({"current": "new long one", "level": "passphrase"}))
        .expect_err("bad level");
    assert_eq!(err["kind"], "validation");
    let status =
        call(&w, "remove_passphrase", json!({"current": "new long one", "level": "key_file"})).expect("remove");
    assert_eq!(status["protection"], "key_file");
    assert_eq!(call(&w, "verify_secrets", json!({})).expect("verify"), json!({"checked": 2, "problems": []}));
}

#[test]
fn auto_lock_is_a_setting_and_levels_are_checked() {
    let (_app, w) = memory_app();
    assert_eq!(call(&w, "set_auto_lock", json!({"minutes": 5})).expect("set")["auto_lock_minutes"], 5);
    assert_eq!(call(&w, "set_auto_lock", json!({"minutes": null})).expect("never")["auto_lock_minutes"], Value::Null);
    assert_eq!(call(&w, "set_auto_lock", json!({"minutes": 100000})).expect_err("too long")["kind"], "validation");
    assert_eq!(call(&w, "set_protection", json!({"level": "passphrase"})).expect_err("not here")["kind"], "validation");
    let err = call(&w, "set_protection", json!({"level": "keyring"})).expect_err("no keyring in tests");
    assert_eq!(err["kind"], "io");
    assert_eq!(call(&w, "security_status", json!({})).expect("status")["protection"], "key_file");
}

fn pending_app(
    sealed: Vec<u8>,
) -> (tauri::App<tauri::test::MockRuntime>, tauri::WebviewWindow<tauri::test::MockRuntime>) {
    let state = AppState::new(Store::open_in_memory(), ":memory:".into());
    let sealing = envelope::sealing(&sealed).expect("age");
    state.set_pending_import(PendingImport {
        path: "team.json.age".into(),
        raw: Zeroizing::new(sealed),
        sealing: Some(sealing),
        file: None,
        postman: None,
    });
    app(state)
}

const FILE: &str = r#"{"format":"bot-credentials","version":1,"organizations":[{"name":"Team","credentials":[
  {"name":"CRM","type":"basic_authentication","username":"svc","password":"PLANT-pw"}]}]}"#;

#[test]
fn an_encrypted_import_asks_for_its_passphrase_and_a_wrong_one_is_refused() {
    let sealed = envelope::seal(FILE.as_bytes(), &Encryption::Passphrase(Zeroizing::new("team pass 42".into())), true)
        .expect("seal");
    assert_eq!(envelope::sealing(&sealed).expect("kind"), Sealing::Passphrase);
    let (_app, w) = pending_app(sealed);
    let opened = call(&w, "open_encrypted_import", json!({"passphrase": null, "onConflict": "fail"})).expect("ask");
    assert_eq!(opened["needs_passphrase"], true);
    assert_eq!(opened["encryption"], "passphrase");
    let err =
        call(&w, "open_encrypted_import", json!({"passphrase": "nope nope", "onConflict": "fail"})).expect_err("wrong");
    assert_eq!(err["kind"], "wrong_passphrase");
    let opened =
        call(&w, "open_encrypted_import", json!({"passphrase": "team pass 42", "onConflict": "fail"})).expect("open");
    assert_eq!(opened["preview"]["report"]["added"], 1);
    assert!(!opened.to_string().contains("PLANT"), "{opened}");
}

#[test]
fn a_file_for_another_key_is_refused_by_name() {
    let other = age::x25519::Identity::generate();
    let sealed =
        envelope::seal(FILE.as_bytes(), &Encryption::Recipients(vec![other.to_public()]), false).expect("seal");
    let (_app, w) = pending_app(sealed);
    let err =
        call(&w, "open_encrypted_import", json!({"passphrase": null, "onConflict": "fail"})).expect_err("not ours");
    assert_eq!(err["kind"], "not_recipient");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("age1")), "{err}");
}
