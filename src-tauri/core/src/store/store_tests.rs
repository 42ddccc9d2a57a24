use super::*;
use crate::validate::Step;
use serde_json::{json, Value};

const URL: &str = "https://accounts.example.com/authorize?client_id=abc&response_type=code&redirect_uri=https%3A%2F%2Fva.idp.liveperson.net%2Fcb";

fn store_with_org() -> (Store, i64) {
    let mut s = Store::open_in_memory().expect("store");
    let org = s.create_org("Acme Bots").expect("org");
    (s, org.id)
}

fn consumer(name: &str) -> Value {
    json!({"name": name, "type": "consumer_authentication", "authentication_url": URL})
}

#[test]
fn organizations_are_unique_by_trimmed_case_insensitive_name() {
    let (mut s, _) = store_with_org();
    let err = s.create_org("  acme BOTS ").expect_err("duplicate");
    assert_eq!(err.kind(), "validation");
    assert!(err.to_string().contains("\"Acme Bots\" already exists"), "{err}");
    assert_eq!(s.create_org("   ").expect_err("blank").problems()[0].field, "name");
    let other = s.create_org("Zeta").expect("zeta");
    assert!(s.rename_org(other.id, "ACME bots").is_err());
    assert_eq!(s.rename_org(other.id, " Omega ").expect("rename").name, "Omega");
    let names: Vec<String> = s.list_orgs().expect("list").into_iter().map(|o| o.name).collect();
    assert_eq!(names, ["Acme Bots", "Omega"]);
}

#[test]
fn unknown_organization_is_named() {
    let (s, _) = store_with_org();
    assert_eq!(s.org_by_name("Nope").expect_err("missing").to_string(), "no organization named \"Nope\"");
    assert_eq!(s.org_by_name(" acme bots").expect("found").name, "Acme Bots");
}

#[test]
fn a_credential_is_saved_listed_and_counted() {
    let (mut s, org) = store_with_org();
    let c = s.create_credential(org, &consumer(" Orders API ")).expect("create");
    assert_eq!(c.name, "Orders API");
    assert_eq!(c.summary(), "accounts.example.com");
    let list = s.list_credentials(org).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].fields["authentication_url"], json!(URL));
    assert_eq!(s.get_org(org).expect("org").credential_count, 1);
}

#[test]
fn credential_names_are_unique_within_an_organization_only() {
    let (mut s, org) = store_with_org();
    s.create_credential(org, &consumer("Orders API")).expect("create");
    let err = s.create_credential(org, &consumer(" orders api ")).expect_err("duplicate");
    assert_eq!(err.problems()[0].field, "name");
    assert!(err.problems()[0].message.contains("\"Orders API\" already exists"));
    let report = s.check_credential(org, None, &consumer("ORDERS API"), Step::One).expect("check");
    assert_eq!(report.problems.len(), 1);
    let other = s.create_org("Other").expect("org").id;
    s.create_credential(other, &consumer("Orders API")).expect("same name elsewhere is fine");
}

#[test]
fn refused_input_writes_nothing() {
    let (mut s, org) = store_with_org();
    let bad = json!({"name": "X", "type": "consumer_authentication", "authentication_url": "http://example.com"});
    assert!(s.create_credential(org, &bad).is_err());
    assert!(s.list_credentials(org).expect("list").is_empty());
}

#[test]
fn only_one_pre_authentication_per_organization_and_the_message_names_it() {
    let (mut s, org) = store_with_org();
    s.create_credential(org, &json!({"name": "Pre", "type": "consumer_pre_authentication"})).expect("first");
    let err =
        s.create_credential(org, &json!({"name": "Pre 2", "type": "consumer_pre_authentication"})).expect_err("second");
    assert_eq!(err.problems()[0].field, "type");
    assert!(err.problems()[0].message.contains("\"Pre\""));
}

#[test]
fn secrets_are_stored_apart_kept_on_edit_and_replaced() {
    let (mut s, org) = store_with_org();
    let draft = json!({"name": "CRM", "type": "basic_authentication", "username": "svc", "password": "hunter2"});
    let c = s.create_credential(org, &draft).expect("create");
    assert!(!c.fields.contains_key("password"));
    assert!(c.missing_secrets().is_empty());

    let edit = json!({"name": "CRM", "type": "basic_authentication", "username": "svc2", "password": ""});
    s.update_credential(c.id, &edit, &[]).expect("update keeps secret");
    assert_eq!(s.credential_secrets(c.id).expect("secrets")["password"].expose(), json!("hunter2"));
    assert_eq!(s.get_credential(c.id).expect("get").fields["username"], json!("svc2"));

    let replace = json!({"name": "CRM", "type": "basic_authentication", "username": "svc2", "password": "new"});
    s.update_credential(c.id, &replace, &[]).expect("replace");
    assert_eq!(s.credential_secrets(c.id).expect("secrets")["password"].expose(), json!("new"));

    // Changing the type drops secrets the new type does not have.
    let token = json!({"name": "CRM", "type": "access_token", "access_token": "t0k", "token_type": "Bearer"});
    s.update_credential(c.id, &token, &[]).expect("change type");
    let secrets = s.credential_secrets(c.id).expect("secrets");
    assert_eq!(secrets.keys().collect::<Vec<_>>(), ["access_token"]);
}

#[test]
fn delete_and_restore_bring_back_everything() {
    let (mut s, org) = store_with_org();
    let c = s
        .create_credential(
            org,
            &json!({"name": "CRM", "type": "basic_authentication", "username": "svc", "password": "pw"}),
        )
        .expect("create");
    let (org_id, snap) = s.delete_credential(c.id).expect("delete");
    assert!(s.list_credentials(org).expect("list").is_empty());
    let back = s.restore_credential(org_id, &snap).expect("restore");
    assert_eq!(s.credential_secrets(back.id).expect("secrets")["password"].expose(), json!("pw"));
    assert_eq!(back.created_at, c.created_at);

    let org_snap = s.delete_org(org).expect("delete org");
    assert_eq!(org_snap.credentials.len(), 1);
    assert!(s.list_orgs().expect("orgs").is_empty());
    let restored = s.restore_org(&org_snap).expect("restore org");
    assert_eq!(restored.credential_count, 1);
}

#[test]
fn restore_refuses_a_name_taken_meanwhile() {
    let (mut s, org) = store_with_org();
    let c = s.create_credential(org, &consumer("A")).expect("create");
    let (org_id, snap) = s.delete_credential(c.id).expect("delete");
    s.create_credential(org, &consumer("a")).expect("reuse name");
    assert_eq!(s.restore_credential(org_id, &snap).expect_err("taken").kind(), "conflict");
}

#[test]
fn a_file_database_is_created_private_and_reopened() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("nested/folder/credentials.sqlite3");
    {
        let mut s = Store::open(&path).expect("open");
        let org = s.create_org("Acme").expect("org");
        s.create_credential(org.id, &consumer("Orders")).expect("cred");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
    }
    let s = Store::open(&path).expect("reopen");
    let org = s.org_by_name("Acme").expect("org");
    assert_eq!(s.list_credentials(org.id).expect("list").len(), 1);
}

#[test]
fn a_file_that_is_not_ours_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let garbage = dir.path().join("garbage.sqlite3");
    std::fs::write(&garbage, b"this is not a database, just some text that is long enough to look like a header....")
        .expect("write");
    let before = std::fs::read(&garbage).expect("read");
    let err = Store::open(&garbage).err().expect("refused");
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
    assert!(err.to_string().contains("garbage.sqlite3"), "names the file: {err}");
    assert_eq!(std::fs::read(&garbage).expect("read"), before);

    let foreign = dir.path().join("foreign.sqlite3");
    rusqlite::Connection::open(&foreign).expect("create").execute_batch("CREATE TABLE notes(x);").expect("table");
    let before = std::fs::read(&foreign).expect("read");
    let err = Store::open(&foreign).err().expect("refused");
    assert!(err.to_string().contains("another program"), "{err}");
    assert_eq!(std::fs::read(&foreign).expect("read"), before);

    let newer = dir.path().join("newer.sqlite3");
    rusqlite::Connection::open(&newer).expect("create").execute_batch("PRAGMA user_version = 99;").expect("version");
    let before = std::fs::read(&newer).expect("read");
    let err = Store::open(&newer).err().expect("refused");
    assert!(err.to_string().contains("newer version"), "{err}");
    assert_eq!(std::fs::read(&newer).expect("read"), before);

    let folder = dir.path().join("afolder");
    std::fs::create_dir(&folder).expect("mkdir");
    assert!(Store::open(&folder).err().expect("refused").to_string().contains("folder"));
}

#[test]
fn timestamps_are_rfc3339_utc_seconds() {
    let t = now();
    assert_eq!(t.len(), 20, "{t}");
    assert!(t.ends_with('Z'));
}

#[test]
fn a_locked_database_fails_with_a_clear_message_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("locked.sqlite3");
    let mut s = Store::open(&path).expect("open");
    s.create_org("Before").expect("org");
    let other = rusqlite::Connection::open(&path).expect("second connection");
    other.execute_batch("BEGIN EXCLUSIVE; INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES ('x', 'x', 'now', 'now');").expect("lock");
    s.set_busy_timeout(Duration::from_millis(50)).expect("timeout");
    let err = s.create_org("During").expect_err("locked");
    assert_eq!(err.kind(), "database");
    assert!(err.to_string().contains("locked by another program"), "{err}");
    other.execute_batch("ROLLBACK").expect("unlock");
    let names: Vec<String> = s.list_orgs().expect("list").into_iter().map(|o| o.name).collect();
    assert_eq!(names, ["Before"]);
}

#[test]
fn list_summaries_show_the_essentials_and_no_secret() {
    let (mut s, org) = store_with_org();
    let mutual = s
        .create_credential(
            org,
            &json!({"name": "M", "type": "mutual_authentication", "key_certificate": {"file_name": "k.p12", "data_base64": "YWJj"},
                    "protocols": ["TLSv1.1", "TLSv1.2"]}),
        )
        .expect("mutual");
    assert_eq!(mutual.summary(), "TLS 1.2, TLS 1.1");
    let oauth = s
        .create_credential(
            org,
            &json!({"name": "O", "type": "oauth2", "grant_type": "client_credentials", "client_id": "id",
                    "client_secret": "SECRET", "token_url": "https://auth.example.com/token"}),
        )
        .expect("oauth");
    assert_eq!(oauth.summary(), "Client Credentials · auth.example.com");
    let basic = s
        .create_credential(
            org,
            &json!({"name": "B", "type": "basic_authentication", "username": "svc", "password": "SECRET"}),
        )
        .expect("basic");
    assert_eq!(basic.summary(), "svc");
}

#[test]
fn an_optional_secret_can_be_removed_on_edit_but_a_required_one_cannot() {
    let (mut s, org) = store_with_org();
    let draft = json!({"name": "M", "type": "mutual_authentication", "key_certificate": {"file_name": "k.p12", "data_base64": "YWJj"},
        "key_certificate_password": "pw", "trust_certificate_password": "tpw", "protocols": ["TLSv1.2"]});
    let c = s.create_credential(org, &draft).expect("create");
    let mut edit = draft.clone();
    edit["key_certificate"] = Value::Null;
    edit["key_certificate_password"] = json!("");
    edit["trust_certificate_password"] = json!("");
    let kept = s.update_credential(c.id, &edit, &["trust_certificate_password".into()]).expect("remove optional");
    assert_eq!(
        kept.stored_secrets.iter().map(String::as_str).collect::<Vec<_>>(),
        ["key_certificate", "key_certificate_password"]
    );

    let err = s.update_credential(c.id, &edit, &["key_certificate".into()]).expect_err("required");
    assert!(err.problems()[0].message.contains("required"));
    let err = s.update_credential(c.id, &edit, &["protocols".into()]).expect_err("not a secret");
    assert_eq!(err.problems()[0].field, "protocols");
    assert_eq!(s.get_credential(c.id).expect("get").stored_secrets.len(), 2, "a refused edit changes nothing");

    // Typing a new value in the same edit wins over removing.
    edit["key_certificate_password"] = json!("new");
    s.update_credential(c.id, &edit, &["key_certificate_password".into()]).expect("new value");
    assert_eq!(s.credential_secrets(c.id).expect("secrets")["key_certificate_password"].expose(), json!("new"));
}

/// Writers take their turn: an import that starts while another program
/// holds the write lock waits for it and then succeeds (a deferred
/// transaction would read first and fail at once when the other commits).
#[test]
fn a_write_waits_for_another_programs_transaction_and_then_succeeds() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("turns.sqlite3");
    let mut s = Store::open(&path).expect("open");
    s.create_org("Acme").expect("org");
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let other_path = path.clone();
    let other = std::thread::spawn(move || {
        let c = rusqlite::Connection::open(&other_path).expect("second connection");
        c.execute_batch("BEGIN IMMEDIATE; INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES ('Other', 'other', 'now', 'now');")
            .expect("lock");
        locked_tx.send(()).expect("signal");
        std::thread::sleep(Duration::from_millis(400));
        c.execute_batch("COMMIT").expect("commit");
    });
    locked_rx.recv().expect("the other program holds the lock");
    let doc = json!({"format": "bot-credentials", "version": 1, "organizations": [{"name": "Acme", "credentials": [
        {"name": "Late", "type": "consumer_pre_authentication"}]}]});
    let file = crate::transfer::parse_value(&doc).expect("file");
    let started = std::time::Instant::now();
    let report = s.import(&file, OnConflict::Fail, false, &mut |_, _| {}).expect("waited its turn");
    assert!(started.elapsed() >= Duration::from_millis(300), "it waited for the other writer");
    assert_eq!(report.added, 1);
    other.join().expect("other program");
    let names: Vec<String> = s.list_orgs().expect("list").into_iter().map(|o| o.name).collect();
    assert_eq!(names, ["Acme", "Other"]);
}

#[test]
fn another_programs_commit_is_noticed_and_our_own_is_not() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("watched.sqlite3");
    let mut s = Store::open(&path).expect("open");
    let before = s.outside_changes().expect("stamp");
    s.create_org("Ours").expect("org");
    assert_eq!(s.outside_changes().expect("stamp"), before, "our own write is not another program's");
    let other = rusqlite::Connection::open(&path).expect("second connection");
    other
        .execute("INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES ('Theirs', 'theirs', 'now', 'now')", [])
        .expect("insert");
    assert_ne!(s.outside_changes().expect("stamp"), before);
}

#[test]
fn a_failed_migration_leaves_the_file_untouched_and_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("old.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).expect("v1 db");
        conn.execute_batch("PRAGMA journal_mode = WAL;").expect("wal");
        migrations::v1_only().to_latest(&mut conn).expect("v1 schema");
        conn.execute("INSERT INTO organizations VALUES (1, 'Acme', 'acme', 't', 't')", []).expect("org");
        // A table someone added by hand, in the way of version 2's `meta`: the upgrade must fail.
        conn.execute_batch("CREATE TABLE meta (note TEXT);").expect("meta");
    }
    let files = |d: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into())
            .collect();
        names.sort();
        names
    };
    let before = std::fs::read(&path).expect("read");
    assert_eq!(files(dir.path()), ["old.sqlite3"]);
    let (keys, places) = KeyPlaces::temporary().expect("key places");
    for attempt in 1..=2 {
        let err = Store::open_with(&path, places.clone()).err().expect("the upgrade fails");
        let text = err.to_string();
        assert!(text.contains("could not update the database schema"), "attempt {attempt}: {text}");
        assert!(text.contains("nothing was changed"), "attempt {attempt}: {text}");
        assert!(text.contains("old.sqlite3"), "attempt {attempt}: names the file: {text}");
        assert_eq!(std::fs::read(&path).expect("read"), before, "attempt {attempt}: the file changed");
        assert_eq!(files(dir.path()), ["old.sqlite3"], "attempt {attempt}: no journal or other file left");
        let left: Vec<_> = walk(keys.path());
        assert_eq!(
            left,
            Vec::<PathBuf>::new(),
            "attempt {attempt}: no key was left for a database that was not upgraded"
        );
    }
    // Once the obstacle is gone, the same file upgrades and keeps its data.
    rusqlite::Connection::open(&path).expect("open").execute_batch("DROP TABLE meta;").expect("drop");
    let s = Store::open_with(&path, places).expect("upgraded");
    assert_eq!(s.schema_version().expect("version"), migrations::LATEST);
    assert_eq!(s.org_by_name("Acme").expect("org").name, "Acme");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = vec![];
    for e in std::fs::read_dir(dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            found.extend(walk(&p));
        } else {
            found.push(p);
        }
    }
    found
}
