//! export and import on the command line: files, exit codes, and that a bad
//! file never changes the database.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bot-credentials"));
    c.env_remove("DISPLAY").env_remove("BOT_CREDENTIALS_DB").env("BOT_CREDENTIALS_KEYRING", "off");
    c
}

/// The config folder of the databases in `db`'s folder (their key files).
fn config_of(db: &Path) -> PathBuf {
    db.parent().expect("db in a folder").join("config")
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin().arg("--db").arg(db).env("XDG_CONFIG_HOME", config_of(db)).args(args).output().expect("run")
}

/// The store of `db` in-process, keys where the CLI run by `run` keeps them.
fn open_store(db: &Path) -> bot_credentials_core::store::Store {
    let places = bot_credentials_core::seal::levels::KeyPlaces {
        key_dir: config_of(db).join("dev.botcredentials.desktop/keys"),
        use_keyring: false,
    };
    bot_credentials_core::store::Store::open_with(db, places).expect("store")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import")
}

/// A database with one organization and two credentials (one secret).
fn seeded(dir: &Path) -> PathBuf {
    let db = dir.join("seed.sqlite3");
    let mut store = open_store(&db);
    let org = store.create_org("Acme Bots").expect("org");
    let url = "https://accounts.example.com/authorize?client_id=abc&response_type=code&redirect_uri=x";
    store
        .create_credential(
            org.id,
            &serde_json::json!({"name": "Orders API", "type": "consumer_authentication", "authentication_url": url}),
        )
        .expect("c1");
    store
        .create_credential(org.id, &serde_json::json!({"name": "CRM", "type": "basic_authentication", "username": "svc", "password": "PLANTED"}))
        .expect("c2");
    db
}

/// The database's bytes after a checkpoint (WAL folded in), for comparison.
fn db_bytes(db: &Path) -> Vec<u8> {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    drop(conn);
    std::fs::read(db).expect("read db")
}

#[test]
fn export_to_a_file_then_import_into_a_fresh_database() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = seeded(dir.path());
    let file = dir.path().join("out/../acme.json");
    std::fs::create_dir_all(dir.path().join("out")).expect("mkdir");
    let out = run(&db, &["export", "-o", file.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let exported = std::fs::read_to_string(&file).expect("file");
    assert!(!exported.contains("PLANTED"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777, 0o600);
    }

    let fresh = dir.path().join("fresh.sqlite3");
    let dry = run(&fresh, &["import", file.to_str().expect("utf8"), "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(text(&dry.stdout).contains("would add 2 credentials and 1 organization,"), "{}", text(&dry.stdout));
    let listed = run(&fresh, &["org", "list", "--json"]);
    assert_eq!(text(&listed.stdout).trim(), "[]", "a dry run writes nothing");

    let done = run(&fresh, &["import", file.to_str().expect("utf8")]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(text(&done.stdout).contains("needs a secret: \"CRM\""), "{}", text(&done.stdout));
    let list: Value =
        serde_json::from_slice(&run(&fresh, &["list", "--org", "Acme Bots", "--json"]).stdout).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(2));

    let again = run(&fresh, &["import", file.to_str().expect("utf8")]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("organizations[0].credentials[0].name: a credential named \"CRM\" already exists")
    );
    assert!(run(&fresh, &["import", file.to_str().expect("utf8"), "--on-conflict", "skip"]).status.success());
}

#[test]
fn export_to_stdout_with_secrets_only_when_asked() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = seeded(dir.path());
    let plain = run(&db, &["export"]);
    assert!(plain.status.success());
    let doc: Value = serde_json::from_slice(&plain.stdout).expect("json");
    assert_eq!(doc["secrets"], "redacted");
    assert_eq!(doc["organizations"][0]["credentials"][0]["password"], Value::Null);
    let with = run(&db, &["export", "--include-secrets", "--org", "acme bots"]);
    let doc: Value = serde_json::from_slice(&with.stdout).expect("json");
    assert_eq!(doc["secrets"], "included");
    assert_eq!(doc["organizations"][0]["credentials"][0]["password"], "PLANTED");
    let unknown = run(&db, &["export", "--org", "Nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr).contains("no organization named \"Nope\""));
}

#[test]
fn every_hostile_file_is_refused_by_name_and_leaves_the_database_unchanged() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = seeded(dir.path());
    let before = db_bytes(&db);
    let expected: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("expected.json")).expect("manifest"))
            .expect("json");
    for (file, want) in &expected {
        let path = fixtures().join(file);
        let out = run(&db, &["import", path.to_str().expect("utf8"), "--on-conflict", "replace"]);
        assert_eq!(out.status.code(), Some(1), "{file} must be refused");
        let err = text(&out.stderr);
        assert!(err.contains(want.as_str()), "{file}: wanted {want:?} in {err}");
        assert!(err.len() < 4096, "{file}: the message stays short ({} bytes)", err.len());
        assert_eq!(db_bytes(&db), before, "{file} changed the database");
    }
}

#[test]
fn import_of_a_missing_file_names_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = run(&dir.path().join("db.sqlite3"), &["import", "/nonexistent/file.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("/nonexistent/file.json"));
}

/// An import whose every credential conflicts names the first 20 problems
/// and counts the rest, instead of printing one line per credential.
#[test]
fn many_problems_print_the_first_twenty_and_a_count_of_the_rest() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("many.sqlite3");
    let creds: Vec<Value> = (0..125)
        .map(|i| serde_json::json!({"name": format!("Token {i:03}"), "type": "access_token", "access_token": "t", "token_type": "Bearer"}))
        .collect();
    let file = dir.path().join("many.json");
    let doc = serde_json::json!({"format": "bot-credentials", "version": 1, "secrets": "included",
                                 "organizations": [{"name": "Acme", "credentials": creds}]});
    std::fs::write(&file, doc.to_string()).expect("write");
    let first = run(&db, &["import", file.to_str().expect("utf8")]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let again = run(&db, &["import", file.to_str().expect("utf8")]);
    assert_eq!(again.status.code(), Some(1));
    let err = text(&again.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 21, "{err}");
    assert!(lines[0].contains("organizations[0].credentials[0].name") && lines[0].contains("already exists"), "{err}");
    assert_eq!(lines[20], "bot-credentials: … and 105 more problems");
}
