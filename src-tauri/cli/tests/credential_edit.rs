//! `credential edit` and `credential delete` (contract: "Everything from
//! the terminal"): what is not given is kept, secrets included; a delete is
//! confirmed on a terminal or with --yes; a secret asked on a terminal is
//! hidden.

mod common;

use common::*;
use serde_json::{json, Value};

fn acme() -> (Home, Db) {
    let home = Home::new();
    let db = home.created("main", "Acme");
    (home, db)
}

fn add(db: &Db, args: &[&str], secret: &str) {
    let base = ["credential", "add", "--org", "Acme"];
    db.ok_stdin(&[&base[..], args].concat(), secret.as_bytes());
}

fn cred(db: &Db, name: &str) -> Value {
    credential_in(&db.secrets(&[]), "Acme", name)
}

fn basic(db: &Db, name: &str, secret: &str) {
    add(
        db,
        &["--name", name, "--type", "basic_authentication", "--set", "username=svc", "--secret-stdin", "password"],
        secret,
    );
}

#[test]
fn edit_renames_and_changes_fields_and_keeps_the_stored_secret() {
    let (_home, db) = acme();
    basic(&db, "CRM", "PLANT-ce1-first");
    let out = db.ok(&["credential", "edit", "--org", "Acme", "crm", "--name", "CRM 2", "--set", "username=other"]);
    assert_eq!(out, "Saved credential \"CRM 2\" (was \"CRM\") in \"Acme\"\n");
    assert_eq!(
        cred(&db, "CRM 2"),
        json!({"name": "CRM 2", "type": "basic_authentication", "username": "other", "password": "PLANT-ce1-first"})
    );
    let out = db.ok_stdin(
        &["credential", "edit", "--org", "Acme", "CRM 2", "--secret-stdin", "password"],
        b"PLANT-ce1-second\n",
    );
    assert_eq!(out, "Saved credential \"CRM 2\" in \"Acme\"\n");
    assert_eq!(cred(&db, "CRM 2")["password"], "PLANT-ce1-second");
    assert!(!out.contains("PLANT"));
}

#[test]
fn edit_names_every_problem_and_writes_nothing() {
    let (_home, db) = acme();
    basic(&db, "CRM", "pw");
    basic(&db, "Other", "pw");
    let before = db.secrets(&[]);
    let out = db.run(&["credential", "edit", "--org", "Acme", "CRM", "--name", "other", "--clear", "username"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "bot-credentials: username: is required\n\
         bot-credentials: name: a credential named \"Other\" already exists in this organization\n"
    );
    let out = db.run(&["credential", "edit", "--org", "Acme", "CRM", "--clear", "password"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "bot-credentials: password: is required and cannot be removed\n");
    let out = db.run(&["credential", "edit", "--org", "Acme", "Nope", "--set", "username=x"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "bot-credentials: no credential named \"Nope\" in \"Acme\"\n");
    let mut after = db.secrets(&[]);
    after["exported_at"] = before["exported_at"].clone();
    assert_eq!(after, before, "nothing changed");
}

#[test]
fn clear_removes_an_optional_secret_and_empties_a_field() {
    let (home, db) = acme();
    let key = home.file("client.pfx");
    std::fs::write(&key, b"key-bytes").expect("write key");
    let k = format!("key_certificate={}", key.display());
    add(
        &db,
        &[
            "--name",
            "M",
            "--type",
            "mutual_authentication",
            "--set-file",
            &k,
            "--secret-stdin",
            "key_certificate_password",
        ],
        "kcp",
    );
    assert_eq!(cred(&db, "M")["key_certificate_password"], "kcp");
    db.ok(&["credential", "edit", "--org", "Acme", "M", "--clear", "key_certificate_password"]);
    let m = cred(&db, "M");
    assert_eq!(m["key_certificate_password"], Value::Null);
    assert_eq!(m["key_certificate"]["file_name"], "client.pfx", "the rest is kept");
    let shown = db.ok(&["credential", "show", "--org", "Acme", "M"]);
    assert!(
        shown.contains(&format!(
            "\n{:<26}  {:<26}  not stored\n",
            "key_certificate_password", "Key Certificate Password"
        )),
        "{shown}"
    );
    add(
        &db,
        &[
            "--name",
            "OA",
            "--type",
            "oauth2",
            "--grant-type",
            "client_credentials",
            "--set",
            "client_id=c",
            "--set",
            "scope=read",
            "--set",
            "token_url=https://a.example.com/t",
            "--secret-stdin",
            "client_secret",
        ],
        "cs",
    );
    db.ok(&["credential", "edit", "--org", "Acme", "OA", "--clear", "scope"]);
    assert_eq!(cred(&db, "OA")["scope"], Value::Null);
}

#[test]
fn a_new_grant_type_drops_the_fields_that_no_longer_apply_as_the_dialog_hides_them() {
    let (_home, db) = acme();
    let args =
        ["--name", "OA", "--type", "oauth2", "--set", "client_id=c", "--set", "auth_url=https://a.example.com/auth"];
    add(
        &db,
        &[
            &args[..],
            &[
                "--set",
                "token_url=https://a.example.com/token",
                "--set",
                "pkce=true",
                "--secret-stdin",
                "client_secret",
            ],
        ]
        .concat(),
        "PLANT-ce1-cs",
    );
    assert_eq!(
        (cred(&db, "OA")["pkce"].clone(), cred(&db, "OA")["grant_type"].clone()),
        (json!(true), json!("authorization_code"))
    );
    db.ok(&["credential", "edit", "--org", "Acme", "OA", "--set", "grant_type=client_credentials"]);
    let oa = cred(&db, "OA");
    assert_eq!(oa["grant_type"], "client_credentials");
    assert_eq!((oa["auth_url"].clone(), oa["pkce"].clone()), (Value::Null, Value::Null));
    assert_eq!(oa["client_secret"], "PLANT-ce1-cs", "the secret applies to both grants and is kept");
    let out =
        db.run(&["credential", "edit", "--org", "Acme", "OA", "--set", "auth_url=https://a.example.com/auth"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "bot-credentials: auth_url: applies only when grant_type is authorization_code\n");
}

#[test]
fn delete_needs_yes_without_a_terminal() {
    let (_home, db) = acme();
    basic(&db, "CRM", "pw");
    let out = db.run(&["credential", "delete", "--org", "Acme", "CRM"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "bot-credentials: a delete is confirmed on a terminal: run it on one to be asked, or add --yes to delete without asking\n"
    );
    assert_eq!(db.secrets(&[])["organizations"][0]["credentials"].as_array().map(Vec::len), Some(1), "still there");
    assert_eq!(
        db.ok(&["credential", "delete", "--org", "Acme", "crm", "--yes"]),
        "Deleted credential \"CRM\" from \"Acme\"\n"
    );
    assert_eq!(db.ok(&["list", "--org", "Acme", "--json"]), "[]\n");
    let out = db.run(&["credential", "delete", "--org", "Acme", "CRM", "--yes"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "bot-credentials: no credential named \"CRM\" in \"Acme\"\n");
}

#[test]
fn delete_on_a_terminal_asks_and_only_yes_deletes() {
    let (_home, db) = acme();
    basic(&db, "CRM", "pw");
    let question = "Delete credential \"CRM\" of \"Acme\"? This cannot be undone. [y/N] ";
    let no = db.on_terminal(&["credential", "delete", "--org", "Acme", "CRM"], question, "n");
    assert_eq!(no.code, Some(1), "{}", no.shown);
    assert!(no.shown.contains("bot-credentials: nothing was deleted"), "{}", no.shown);
    assert!(db.ok(&["list", "--org", "Acme"]).contains("CRM"), "still there");
    let yes = db.on_terminal(&["credential", "delete", "--org", "Acme", "CRM"], question, "y");
    assert_eq!(yes.code, Some(0), "{}", yes.shown);
    assert!(yes.shown.contains("Deleted credential \"CRM\" from \"Acme\""), "{}", yes.shown);
    assert_eq!(db.ok(&["list", "--org", "Acme", "--json"]), "[]\n");
}

#[test]
fn on_a_terminal_the_secret_is_asked_hidden() {
    let (_home, db) = acme();
    let secret = "PLANT-ce1-typed-secret";
    let args = ADD_BASIC_CRM;
    let screen = db.on_terminal(&args, "User Password (password): ", secret);
    assert_eq!(screen.code, Some(0), "{}", screen.shown);
    assert!(screen.shown.contains("Added credential \"CRM\" (Basic Authentication) to \"Acme\""), "{}", screen.shown);
    assert!(!screen.shown.contains(secret), "the typed secret was shown: {}", screen.shown);
    assert_eq!(cred(&db, "CRM")["password"], secret);
}
