//! Sealed secrets on the command line (contract: "Sealed secrets"): status,
//! the key file, the master passphrase levels, a missing key, and that no
//! planted secret is ever found in plain text at rest.

mod common;

use common::*;
use serde_json::Value;

const OLD: &str = "correct horse battery";
const NEW: &str = "tr0ub4dor & staple";

/// A database with organization "Acme" holding one secret (`PLANT-…-seed`).
fn seeded(home: &Home, name: &str) -> Db {
    let db = home.db(name);
    let file = home.json_file(&format!("{name}-seed.json"), &one_secret("Acme", "PLANT-5d2a-seed-password"));
    db.ok(&["import", file.to_str().expect("utf8")]);
    db
}

fn set_passphrase(db: &Db, pass: &str) {
    let out = db.ok_env(&["passphrase", "set"], &[(NEW_PASSPHRASE_ENV, pass)]);
    assert_eq!(out, "The data key is now protected by your master passphrase.\n");
}

fn assert_wrong(db: &Db, args: &[&str], env: &[(&str, &str)]) {
    let before = db.snapshot();
    let err = db.fail(args, env);
    assert!(err.contains("the passphrase is wrong"), "{args:?}: {err}");
    db.assert_unchanged(&before, &format!("{args:?} with a wrong passphrase"));
}

#[test]
fn status_json_reports_the_database_and_its_private_key_file_outside_its_folder() {
    let home = Home::new();
    let db = seeded(&home, "main");
    let file = home
        .json_file("more.json", &export_file(&[("Beta", vec![basic("One", "x1"), basic("Two", "x2")])], "included"));
    db.ok(&["import", file.to_str().expect("utf8")]);
    let s = db.status();
    assert_eq!(s["database"], db.p());
    assert_eq!(s["schema_version"], 4);
    assert_eq!(s["protection"], "key_file");
    assert_eq!(s["organizations"], 2);
    assert_eq!(s["credentials"], 3);
    let id = s["database_id"].as_str().expect("database_id");
    assert!(id.len() >= 16 && id.chars().all(|c| c.is_ascii_alphanumeric()), "id {id:?}");

    let key_file = home.key_dir().join(format!("{id}.key"));
    assert_eq!(s["key_file"], key_file.to_str().expect("utf8"));
    assert!(key_file.is_file(), "no key file at {}", key_file.display());
    let names: Vec<String> = std::fs::read_dir(home.key_dir())
        .expect("key dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [format!("{id}.key")]);
    #[cfg(unix)]
    assert_eq!(mode(&key_file), 0o600);
    let db_folder = db.path.parent().expect("folder");
    assert!(!key_file.starts_with(db_folder), "the key file is inside the database's folder");
    assert!(!contains(&std::fs::read(&key_file).expect("key"), b"PLANT-5d2a"));
}

#[test]
fn status_works_on_a_passphrase_database_without_any_passphrase() {
    let home = Home::new();
    let db = seeded(&home, "main");
    set_passphrase(&db, OLD);
    let out = db.run(&["status", "--json"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(s["database"], db.p());
    assert_eq!(s["schema_version"], 4);
    assert_eq!(s["protection"], "passphrase");
    assert_eq!(s["organizations"], 1);
    assert_eq!(s["credentials"], 1);
    let plain = db.ok(&["status"]);
    assert!(plain.contains("master passphrase"), "{plain}");
}

#[test]
fn a_master_passphrase_is_set_checked_changed_and_removed() {
    let home = Home::new();
    let db = seeded(&home, "main");
    let key_file = home.key_dir().join(format!("{}.key", db.id()));
    assert!(key_file.is_file());

    set_passphrase(&db, OLD);
    assert_eq!(db.status()["protection"], "passphrase");
    assert!(!key_file.exists(), "the key file must be gone once a passphrase protects the key");

    // What never needs the key works locked, without a passphrase.
    let orgs: Value = serde_json::from_str(&db.ok(&["org", "list", "--json"])).expect("json");
    assert_eq!(orgs[0]["name"], "Acme");
    assert_eq!(orgs[0]["credentials"], 1);
    let list: Value = serde_json::from_str(&db.ok(&["list", "--org", "Acme", "--json"])).expect("json");
    assert_eq!(list[0]["name"], "CRM");
    assert_eq!(list[0]["password"], Value::Null);
    let redacted: Value = serde_json::from_str(&db.ok(&["export"])).expect("json");
    assert_eq!(redacted["secrets"], "redacted");
    assert_eq!(password_in(&redacted, "Acme", "CRM"), Value::Null);

    // What needs the key, without the variable and without a terminal.
    let before = db.snapshot();
    let more = home.json_file("more.json", &one_secret("Other", "PLANT-5d2a-more"));
    let needs: [&[&str]; 3] = [&["export", "--include-secrets"], &["key"], &["import", more.to_str().expect("utf8")]];
    for args in needs {
        let err = db.fail(args, &[]);
        assert_eq!(
            err,
            "bot-credentials: the master passphrase of this database is needed: set BOT_CREDENTIALS_PASSPHRASE, or run this on a terminal to be asked for it\n",
            "{args:?}"
        );
    }
    db.assert_unchanged(&before, "commands refused for want of a passphrase");

    assert_wrong(&db, &["export", "--include-secrets"], &[(PASSPHRASE_ENV, "not the passphrase")]);
    assert_eq!(password_in(&db.secrets(&[(PASSPHRASE_ENV, OLD)]), "Acme", "CRM"), "PLANT-5d2a-seed-password");

    // change: the current one must be right; then only the new one opens.
    assert_wrong(&db, &["passphrase", "change"], &[(PASSPHRASE_ENV, "not the passphrase"), (NEW_PASSPHRASE_ENV, NEW)]);
    let out = db.ok_env(&["passphrase", "change"], &[(PASSPHRASE_ENV, OLD), (NEW_PASSPHRASE_ENV, NEW)]);
    assert_eq!(out, "Changed the master passphrase.\n");
    assert_eq!(db.status()["protection"], "passphrase");
    assert_wrong(&db, &["export", "--include-secrets"], &[(PASSPHRASE_ENV, OLD)]);
    assert_eq!(password_in(&db.secrets(&[(PASSPHRASE_ENV, NEW)]), "Acme", "CRM"), "PLANT-5d2a-seed-password");
    assert!(!key_file.exists());

    // remove: back to a key file; nothing needs a passphrase any more.
    assert_wrong(&db, &["passphrase", "remove"], &[(PASSPHRASE_ENV, OLD)]);
    let out = db.ok_env(&["passphrase", "remove"], &[(PASSPHRASE_ENV, NEW)]);
    assert_eq!(
        out,
        format!("Removed the master passphrase; the data key is now kept in a key file ({}).\n", key_file.display())
    );
    assert_eq!(db.status()["protection"], "key_file");
    assert!(key_file.is_file());
    #[cfg(unix)]
    assert_eq!(mode(&key_file), 0o600);
    assert_eq!(password_in(&db.secrets(&[]), "Acme", "CRM"), "PLANT-5d2a-seed-password");
    db.ok(&["import", more.to_str().expect("utf8")]);
    assert_eq!(password_in(&db.secrets(&[]), "Other", "CRM"), "PLANT-5d2a-more");
}

#[test]
fn a_missing_key_file_is_named_with_how_to_recover_and_nothing_changes() {
    let home = Home::new();
    let db = seeded(&home, "main");
    let key_file = home.key_dir().join(format!("{}.key", db.id()));
    std::fs::remove_file(&key_file).expect("delete the key file");
    let before = db.snapshot();

    let more = home.json_file("more.json", &one_secret("Other", "PLANT-5d2a-more"));
    for args in [&["export", "--include-secrets"][..], &["import", more.to_str().expect("utf8")][..]] {
        let err = db.fail(args, &[]);
        assert!(err.contains("the key of this database is missing"), "{args:?}: {err}");
        assert!(err.contains(&format!("no key file at {}", key_file.display())), "{args:?}: {err}");
        assert!(err.contains("Restore it from a backup"), "{args:?} says how to recover: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        db.assert_unchanged(&before, &format!("{args:?} without the key"));
    }

    let list = db.ok(&["list", "--org", "Acme"]);
    assert!(list.contains("CRM"), "{list}");
    let listed: Value = serde_json::from_str(&db.ok(&["list", "--org", "Acme", "--json"])).expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let redacted: Value = serde_json::from_str(&db.ok(&["export"])).expect("json");
    assert_eq!(password_in(&redacted, "Acme", "CRM"), Value::Null);
    let s = db.status();
    assert_eq!(s["protection"], "key_file");
    assert_eq!(s["credentials"], 1);
    db.assert_unchanged(&before, "list, export and status without the key");
    assert!(!key_file.exists(), "nothing recreated the key file");
}

#[test]
fn planted_secrets_are_never_in_plain_text_at_rest_and_all_come_back() {
    let home = Home::new();
    let db = home.created("main", "Before");
    // A reader kept open: the CLI's writes stay in the -wal file (and -shm) to be scanned too.
    let reader = rusqlite::Connection::open(&db.path).expect("open a reader");
    let _: i64 = reader.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).expect("read");
    let file = home.json_file("planted.json", &planted_file("Planted"));
    let out = db.ok(&["import", file.to_str().expect("utf8")]);
    assert_eq!(out, "added 5 credentials and 1 organization, replaced 0, skipped 0\n");
    let listed = db.ok(&["list", "--org", "Planted", "--json"]);
    std::fs::remove_file(&file).expect("remove the input file before scanning");

    let files = files_under(home.root());
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let wal = db.path.with_file_name("credentials.sqlite3-wal");
    assert!(files.contains(&db.path) && files.contains(&wal), "{names:?}");
    assert!(std::fs::metadata(&wal).expect("wal").len() > 0, "the import's pages are in the -wal file");
    assert!(files.iter().any(|f| f.starts_with(home.key_dir())), "the key file is scanned too: {names:?}");
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        for needle in planted_needles() {
            assert!(!contains(&bytes, &needle), "{} holds {:?} in plain text", f.display(), text(&needle));
        }
    }
    for needle in planted_needles() {
        assert!(!contains(listed.as_bytes(), &needle), "list --json shows {:?}", text(&needle));
    }
    drop(reader);
    assert_planted_in(&db.secrets(&[]), "Planted");
}

#[test]
fn status_of_a_path_without_a_database_is_an_error_and_creates_nothing() {
    let home = Home::new();
    let db = home.db("none");
    let err = db.fail(&["status", "--json"], &[]);
    assert!(err.contains(&format!("no database at {}", db.p())), "{err}");
    assert!(!db.path.exists(), "status created {}", db.path.display());
    assert!(!home.key_dir().exists(), "status made a key file");
}
