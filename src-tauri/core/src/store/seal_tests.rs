//! Sealing at rest, tested over the raw bytes of the files the store writes.

use super::*;
use crate::seal::levels::{KeyPlaces, Protection};
use base64::Engine as _;
use serde_json::{json, Value};

/// Distinct planted secrets, one per secret field of every type.
const PLANTED: &[&str] = &[
    "PLANT-oauth-secret-7f3a",
    "PLANT-basic-pw-19c2",
    "PLANT-token-88d1",
    "PLANT-keypw-2b7e",
    "PLANT-trustpw-61aa",
    "PLANT-nlu-key-4c9d",
    "PLANT-cert-bytes-55e0",
];

fn cert_b64() -> String {
    base64::engine::general_purpose::STANDARD.encode(b"PLANT-cert-bytes-55e0 and more certificate bytes")
}

fn drafts() -> Vec<Value> {
    vec![
        json!({"name": "OAuth", "type": "oauth2", "grant_type": "client_credentials", "client_id": "cid",
               "client_secret": PLANTED[0], "token_url": "https://auth.example.com/token"}),
        json!({"name": "Basic", "type": "basic_authentication", "username": "svc", "password": PLANTED[1]}),
        json!({"name": "Token", "type": "access_token", "access_token": PLANTED[2], "token_type": "Bearer"}),
        json!({"name": "Mutual", "type": "mutual_authentication",
               "key_certificate": {"file_name": "client.p12", "data_base64": cert_b64()},
               "key_certificate_password": PLANTED[3],
               // The trust certificate is public (a CA's), so it is stored plain.
               "trust_certificate": {"file_name": "ca.pem", "data_base64": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"},
               "trust_certificate_password": PLANTED[4], "protocols": ["TLSv1.2"]}),
        json!({"name": "NLU", "type": "nlu", "provider": "Google Dialogflow",
               "credentials": format!("{{\"private_key\": \"{}\"}}", PLANTED[5])}),
    ]
}

struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        Place { dir: tempfile::tempdir().expect("tempdir") }
    }
    fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("data/credentials.sqlite3")
    }
    fn places(&self) -> KeyPlaces {
        KeyPlaces { key_dir: self.dir.path().join("config/keys"), use_keyring: false }
    }
    fn open(&self) -> Store {
        Store::open_with(&self.db(), self.places()).expect("open")
    }
    /// Every planted secret (and the certificate's base64) found in any file under the folder.
    fn leaks(&self) -> Vec<String> {
        let mut needles: Vec<String> = PLANTED.iter().map(|s| s.to_string()).collect();
        needles.push(cert_b64());
        let mut found = vec![];
        for entry in walk(self.dir.path()) {
            let bytes = std::fs::read(&entry).expect("read");
            for n in &needles {
                if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                    found.push(format!("{n} in {}", entry.display()));
                }
            }
        }
        found
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn add_all(s: &mut Store) -> i64 {
    let org = s.create_org("Acme Bots").expect("org").id;
    for d in drafts() {
        s.create_credential(org, &d).expect("create");
    }
    org
}

#[test]
fn planted_secrets_never_reach_any_file_and_still_read_back() {
    let place = Place::new();
    {
        let mut s = place.open();
        let org = add_all(&mut s);
        // Edit (replace a secret), delete and undo, delete an organization and undo it.
        let basic = s.list_credentials(org).expect("list").into_iter().find(|c| c.name == "Basic").expect("basic");
        let edit = json!({"name": "Basic", "type": "basic_authentication", "username": "svc", "password": "PLANT-basic-pw-19c2-2"});
        s.update_credential(basic.id, &edit, &[]).expect("edit");
        let token = s.list_credentials(org).expect("list").into_iter().find(|c| c.name == "Token").expect("token");
        let (org_id, snap) = s.delete_credential(token.id).expect("delete");
        s.restore_credential(org_id, &snap).expect("undo");
        let gone = s.delete_org(org).expect("delete org");
        let org = s.restore_org(&gone).expect("undo org").id;
        for c in s.list_credentials(org).expect("list") {
            let secrets = s.credential_secrets(c.id).expect("secrets open after undo");
            assert!(!secrets.is_empty(), "{} lost its secrets", c.name);
        }
        let basic = s.list_credentials(org).expect("list").into_iter().find(|c| c.name == "Basic").expect("basic");
        assert_eq!(
            s.credential_secrets(basic.id).expect("secrets")["password"].expose(),
            json!("PLANT-basic-pw-19c2-2")
        );
        // While the store is open, the -wal file is there too.
        assert_eq!(place.leaks(), Vec::<String>::new());
    }
    assert_eq!(place.leaks(), Vec::<String>::new());
    let s = place.open();
    assert_eq!(s.verify_secrets().expect("verify").problems.len(), 0);
    assert_eq!(s.verify_secrets().expect("verify").checked, 7, "OAuth 1, Basic 1, Token 1, Mutual 3, NLU 1");
}

#[test]
fn a_database_of_the_old_schema_is_sealed_and_no_page_keeps_a_plain_secret() {
    let place = Place::new();
    std::fs::create_dir_all(place.db().parent().expect("parent")).expect("mkdir");
    {
        let mut conn = rusqlite::Connection::open(place.db()).expect("v1 db");
        conn.execute_batch("PRAGMA journal_mode = WAL;").expect("wal");
        migrations::v1_only().to_latest(&mut conn).expect("v1 schema");
        conn.execute("INSERT INTO organizations VALUES (1, 'Acme', 'acme', 't', 't')", []).expect("org");
        for (i, secret) in PLANTED.iter().enumerate() {
            conn.execute(
                "INSERT INTO credentials VALUES (?1, 1, ?2, ?3, 'basic_authentication', '{\"username\":\"u\"}', 't', 't')",
                rusqlite::params![i as i64 + 1, format!("C{i}"), format!("c{i}")],
            )
            .expect("cred");
            conn.execute(
                "INSERT INTO credential_secrets VALUES (?1, 'password', ?2)",
                rusqlite::params![i as i64 + 1, json!(secret).to_string()],
            )
            .expect("secret");
        }
        // Delete one so a freed page holds a plain value too.
        conn.execute("DELETE FROM credentials WHERE id = 1", []).expect("delete");
    }
    assert!(!place.leaks().is_empty(), "the planted secrets must be in the old file to begin with");
    {
        let s = place.open();
        assert_eq!(s.schema_version().expect("version"), migrations::LATEST);
        let org = s.org_by_name("Acme").expect("org");
        let list = s.list_credentials(org.id).expect("list");
        assert_eq!(list.len(), PLANTED.len() - 1);
        for c in &list {
            let i: usize = c.name[1..].parse().expect("index");
            assert_eq!(s.credential_secrets(c.id).expect("opens")["password"].expose(), json!(PLANTED[i]));
        }
        assert_eq!(place.leaks(), Vec::<String>::new());
    }
    assert_eq!(place.leaks(), Vec::<String>::new());
}

#[test]
fn a_tampered_or_moved_sealed_value_is_named_and_never_opens() {
    let place = Place::new();
    let mut s = place.open();
    let org = add_all(&mut s);
    let list = s.list_credentials(org).expect("list");
    let id = |name: &str| list.iter().find(|c| c.name == name).expect("cred").id;
    // Move Basic's password onto Token's access_token row: another credential and field.
    s.conn
        .execute(
            "UPDATE credential_secrets SET sealed = (SELECT sealed FROM credential_secrets WHERE credential_id = ?1 AND field = 'password')
             WHERE credential_id = ?2 AND field = 'access_token'",
            rusqlite::params![id("Basic"), id("Token")],
        )
        .expect("move");
    let err = s.credential_secrets(id("Token")).expect_err("moved value refused");
    assert_eq!(err.kind(), "tampered");
    assert!(err.to_string().contains("access_token of \"Token\" in \"Acme Bots\""), "{err}");
    assert!(!err.to_string().contains("PLANT"), "{err}");
    // Flip one byte of the OAuth secret.
    s.conn
        .execute(
            "UPDATE credential_secrets SET sealed = CAST(substr(sealed, 1, 30) || X'00' || substr(sealed, 32) AS BLOB) WHERE credential_id = ?1",
            [id("OAuth")],
        )
        .expect("tamper");
    assert_eq!(s.credential_secrets(id("OAuth")).expect_err("tampered").kind(), "tampered");
    let verified = s.verify_secrets().expect("verify");
    let named: Vec<(String, String)> =
        verified.problems.iter().map(|p| (p.credential.clone(), p.field.clone())).collect();
    assert_eq!(
        named,
        [("OAuth".to_string(), "client_secret".to_string()), ("Token".to_string(), "access_token".to_string())]
    );
    // Everything else still opens.
    assert!(s.credential_secrets(id("Basic")).is_ok());
}

#[test]
fn a_passphrase_locks_the_key_and_a_wrong_one_changes_nothing() {
    let place = Place::new();
    {
        let mut s = place.open();
        add_all(&mut s);
        assert_eq!(s.protection().expect("level"), Protection::KeyFile);
        assert!(s.key_file_path().is_file());
        s.set_passphrase("correct horse battery").expect("set");
        assert_eq!(s.protection().expect("level"), Protection::Passphrase);
        assert!(!s.key_file_path().exists(), "the key file goes when a passphrase protects the key");
    }
    assert_eq!(place.leaks(), Vec::<String>::new());
    let before = std::fs::read(place.db()).expect("bytes");
    let mut s = place.open();
    assert!(s.is_locked().expect("locked"));
    // Locked: names, the list and a redacted export still work.
    let org = s.org_by_name("Acme Bots").expect("org").id;
    assert_eq!(s.list_credentials(org).expect("list").len(), 5);
    crate::transfer::export(&s, &[], false).expect("redacted export works locked");
    assert_eq!(crate::transfer::export(&s, &[], true).expect_err("needs key").kind(), "locked");
    // Saving a secret needs the key; saving a credential without one does not.
    let draft = json!({"name": "More", "type": "basic_authentication", "username": "u", "password": "p"});
    assert_eq!(s.create_credential(org, &draft).expect_err("locked").kind(), "locked");
    let err = s.unlock("Correct horse battery").expect_err("wrong");
    assert_eq!(err.kind(), "wrong_passphrase");
    assert!(err.to_string().contains("wrong"), "{err}");
    drop(s);
    assert_eq!(std::fs::read(place.db()).expect("bytes"), before, "a wrong passphrase changes nothing");
    let mut s = place.open();
    s.unlock("correct horse battery").expect("unlock");
    s.create_credential(org, &draft).expect("unlocked: saves");
    // Change re-wraps: the old passphrase no longer opens, the new one does.
    s.change_passphrase("correct horse battery", "staple 2 horses").expect("change");
    drop(s);
    let mut s = place.open();
    assert_eq!(s.unlock("correct horse battery").expect_err("old").kind(), "wrong_passphrase");
    s.unlock("staple 2 horses").expect("new");
    s.lock();
    assert_eq!(s.credential_secrets(1).expect_err("locked again").kind(), "locked");
    s.unlock("staple 2 horses").expect("unlock again");
    assert_eq!(s.remove_passphrase("staple 2 horses", None).expect("remove"), Protection::KeyFile);
    drop(s);
    let s = place.open();
    assert!(!s.is_locked().expect("not locked"));
    assert_eq!(s.verify_secrets().expect("opens with the key file").problems.len(), 0);
}

#[test]
fn a_missing_key_file_is_named_the_list_still_works_and_nothing_is_written() {
    let place = Place::new();
    {
        let mut s = place.open();
        add_all(&mut s);
    }
    let key_file = place.places().key_file_path(place.open().db_id());
    std::fs::remove_file(&key_file).expect("remove key file");
    let before = std::fs::read(place.db()).expect("bytes");
    {
        let mut s = place.open();
        let org = s.org_by_name("Acme Bots").expect("org").id;
        assert_eq!(s.list_credentials(org).expect("list still works").len(), 5);
        let status = s.security_status().expect("status");
        assert!(!status.key_available);
        let problem = status.key_problem.expect("problem");
        assert!(problem.contains(&key_file.display().to_string()) && problem.contains("Restore"), "{problem}");
        let draft = json!({"name": "More", "type": "basic_authentication", "username": "u", "password": "p"});
        assert_eq!(s.create_credential(org, &draft).expect_err("no key").kind(), "key_missing");
        assert_eq!(crate::transfer::export(&s, &[], true).expect_err("no key").kind(), "key_missing");
    }
    assert_eq!(std::fs::read(place.db()).expect("bytes"), before);
    // Another database's key file under this one's name is refused, not used.
    let other = Place::new();
    let o = other.open();
    std::fs::copy(other.places().key_file_path(o.db_id()), &key_file).expect("copy");
    let s = place.open();
    let err = s.verify_secrets().expect_err("wrong key");
    assert!(err.to_string().contains("does not belong to this database"), "{err}");
}

#[test]
fn the_age_identity_is_sealed_and_gives_a_stable_public_key() {
    let place = Place::new();
    let key = place.open().public_key().expect("key");
    assert!(key.starts_with("age1"), "{key}");
    assert_eq!(place.open().public_key().expect("again"), key);
    let mut s = place.open();
    s.set_passphrase("a long passphrase").expect("set");
    drop(s);
    let mut s = place.open();
    assert_eq!(s.public_key().expect_err("locked").kind(), "locked");
    s.unlock("a long passphrase").expect("unlock");
    assert_eq!(s.public_key().expect("unlocked"), key);
}
