//! `org rename` and `org delete` (contract: "Everything from the terminal").

mod common;

use common::*;
use serde_json::{json, Value};

fn orgs(db: &Db) -> Value {
    serde_json::from_str(&db.ok(&["org", "list", "--json"])).expect("org list --json is JSON")
}

fn names(db: &Db) -> Vec<String> {
    orgs(db).as_array().expect("array").iter().map(|o| o["name"].as_str().expect("name").to_string()).collect()
}

#[test]
fn rename_keeps_the_credentials_and_names_every_problem() {
    let home = Home::new();
    let db = home.created("main", "Acme");
    db.ok(&["org", "add", "Zeta"]);
    db.ok_stdin(&ADD_BASIC_CRM, b"PLANT-oc1-pw");
    assert_eq!(db.ok(&["org", "rename", "acme", "Acme Bots"]), "Renamed organization \"Acme\" to \"Acme Bots\"\n");
    assert_eq!(names(&db), ["Acme Bots", "Zeta"]);
    assert_eq!(password_in(&db.secrets(&[]), "Acme Bots", "CRM"), json!("PLANT-oc1-pw"));
    for (args, want) in [
        (["org", "rename", "Nope", "X"], "no organization named \"Nope\""),
        (
            ["org", "rename", "Zeta", " acme bots "],
            "organization name \" acme bots \": an organization named \"Acme Bots\" already exists",
        ),
        (["org", "rename", "Zeta", "   "], "organization name \"   \": must not be empty"),
    ] {
        assert_eq!(db.fail(&args, &[]), format!("bot-credentials: {want}\n"), "{args:?}");
    }
    assert_eq!(names(&db), ["Acme Bots", "Zeta"], "nothing changed");
    assert_eq!(db.run(&["org", "rename", "Zeta"], &[]).status.code(), Some(2), "NEW is required");
}

#[test]
fn rename_and_delete_never_create_a_database() {
    let home = Home::new();
    let db = home.db("none");
    for args in [&["org", "rename", "A", "B"][..], &["org", "delete", "A", "--yes"]] {
        assert_eq!(db.fail(args, &[]), format!("bot-credentials: no database at {}\n", db.p()));
        assert!(!db.path.exists(), "{args:?} created the database");
    }
}

#[test]
fn delete_without_a_terminal_needs_yes_and_then_takes_the_credentials_with_it() {
    let home = Home::new();
    let db = home.created("main", "Acme");
    db.ok(&["org", "add", "Zeta"]);
    db.ok(&["credential", "add", "--org", "Acme", "--name", "Pre", "--type", "consumer_pre_authentication"]);
    let out = db.run(&["org", "delete", "Acme"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "bot-credentials: a delete is confirmed on a terminal: run it on one to be asked, or add --yes to delete without asking\n"
    );
    assert_eq!(names(&db), ["Acme", "Zeta"], "nothing was deleted");
    assert_eq!(db.ok(&["org", "delete", "ACME", "--yes"]), "Deleted organization \"Acme\" and its 1 credential\n");
    assert_eq!(names(&db), ["Zeta"]);
    assert_eq!(db.status()["credentials"], 0, "its credentials went with it");
    assert_eq!(db.fail(&["org", "delete", "Acme", "--yes"], &[]), "bot-credentials: no organization named \"Acme\"\n");
}

#[test]
fn delete_on_a_terminal_asks_and_only_yes_deletes() {
    let home = Home::new();
    let db = home.created("main", "Acme");
    let question = "Delete organization \"Acme\" and its 0 credentials? This cannot be undone. [y/N] ";
    for answer in ["", "no", "maybe"] {
        let screen = db.on_terminal(&["org", "delete", "Acme"], question, answer);
        assert_eq!(screen.code, Some(1), "{answer:?}: {}", screen.shown);
        assert!(screen.shown.contains("bot-credentials: nothing was deleted"), "{}", screen.shown);
        assert_eq!(names(&db), ["Acme"]);
    }
    let screen = db.on_terminal(&["org", "delete", "Acme"], question, "YES");
    assert_eq!(screen.code, Some(0), "{}", screen.shown);
    assert!(screen.shown.contains("Deleted organization \"Acme\" and its 0 credentials"), "{}", screen.shown);
    assert_eq!(orgs(&db), json!([]));
}
