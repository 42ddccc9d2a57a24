//! The About box's commands through Tauri's mock runtime: what `about`
//! answers, and which folder `open_database_folder` opens (never one the page
//! names, never one that is not there).

use super::about_commands::{database_folder, open_folder_with};
use super::tests::{app, call, memory_app};
use super::AppState;
use bot_credentials_core::error::Error;
use bot_credentials_core::store::Store;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[test]
fn about_names_the_version_the_database_and_the_protection() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("credentials.sqlite3");
    let path = db.display().to_string();
    let (_app, w) = app(AppState::new(Store::open(&db), path.clone()));
    let about = call(&w, "about", json!({})).expect("about");
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(about["database_path"], path.as_str());
    let folder = std::fs::canonicalize(dir.path()).expect("the folder");
    assert_eq!(about["database_folder"], folder.display().to_string().as_str());
    // The same status the Security place shows, and its level on its own.
    let status = call(&w, "security_status", json!({})).expect("status");
    assert_eq!(about["security"], status);
    assert_eq!(about["protection"], status["protection"]);
    assert!(matches!(about["protection"].as_str(), Some("keyring" | "key_file" | "passphrase")), "{about}");
}

#[test]
fn about_follows_the_protection_and_the_lock() {
    let (_app, w) = memory_app();
    call(&w, "set_passphrase", json!({"passphrase": "correct horse"})).expect("set");
    call(&w, "lock", json!({})).expect("lock");
    let about = call(&w, "about", json!({})).expect("about");
    assert_eq!(about["protection"], "passphrase");
    assert_eq!(about["security"]["locked"], true);
    assert_eq!(about["security"]["public_key"], Value::Null, "nothing locked away leaks through About");
}

#[test]
fn a_database_that_could_not_be_opened_still_has_an_about_box() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("broken.sqlite3");
    let state = AppState::new(Err(Error::Io("not a database".into())), db.display().to_string());
    let (_app, w) = app(state);
    let about = call(&w, "about", json!({})).expect("about answers without a database");
    assert_eq!(about["protection"], Value::Null);
    assert_eq!(about["security"], Value::Null);
    assert_eq!(about["database_path"], db.display().to_string().as_str());
}

#[test]
fn an_in_memory_database_has_no_folder_to_open() {
    let (_app, w) = memory_app();
    let about = call(&w, "about", json!({})).expect("about");
    assert_eq!(about["database_folder"], Value::Null);
    let err = call(&w, "open_database_folder", json!({})).expect_err("no folder");
    assert_eq!(err["kind"], "not_found");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("not a file")), "{err}");
}

#[test]
fn a_folder_that_is_gone_is_named_and_not_opened() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let gone = dir.path().join("gone").join("credentials.sqlite3");
    let path = gone.display().to_string();
    let err = database_folder(&path).expect_err("no such folder");
    assert_eq!(err.kind(), "not_found");
    assert!(err.to_string().contains(&dir.path().join("gone").display().to_string()), "{err}");
    let (_app, w) = app(AppState::new(Err(Error::Io("not there".into())), path));
    let err = call(&w, "open_database_folder", json!({})).expect_err("nothing to open");
    assert_eq!(err["kind"], "not_found");
}

#[test]
fn the_folder_opened_is_the_databases_own() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("credentials.sqlite3");
    let folder = database_folder(&db.display().to_string()).expect("the folder");
    assert_eq!(folder, std::fs::canonicalize(dir.path()).expect("canonical"));
    // A relative path is the folder it names from where the window was started.
    let here = std::env::current_dir().expect("the current folder");
    assert_eq!(database_folder("credentials.sqlite3").expect("relative"), std::fs::canonicalize(here).expect("c"));

    let mut opened: Option<PathBuf> = None;
    open_folder_with(&folder, |f: &Path| {
        opened = Some(f.to_path_buf());
        Ok(())
    })
    .expect("opened");
    assert_eq!(opened.as_deref(), Some(folder.as_path()));
    let err = open_folder_with(&folder, |_| Err("no file manager".into())).expect_err("refused");
    assert_eq!(err.kind(), "io");
    assert!(err.to_string().contains("no file manager") && err.to_string().contains(&folder.display().to_string()));
}
