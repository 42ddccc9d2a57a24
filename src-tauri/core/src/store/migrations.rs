//! The database schema, as an ordered list of migrations tracked in
//! SQLite's `user_version`, all applied in one transaction. Never edit a
//! released migration: add one.
//!
//! Version 2 seals secrets: it gives the database its id and data key (kept
//! at the default protection level), gives every credential a random uid
//! that sealed values are bound to, and moves every plain secret of a
//! version 1 database into a table of sealed values, in the same
//! transaction. The caller then VACUUMs, so no old page keeps a plain value.

use crate::seal::levels::{KeyPlaces, Protection};
use crate::seal::{hex, random_id, DataKey, Purpose};
use rusqlite::{params, Transaction};
use rusqlite_migration::{HookError, HookResult, Migrations, M};
use std::sync::{Arc, Mutex};

const V1: &str = r#"
CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE credentials (
    id               INTEGER PRIMARY KEY,
    organization_id  INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    type             TEXT NOT NULL,
    fields           TEXT NOT NULL CHECK (json_valid(fields)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (organization_id, name_key)
) STRICT;

-- An organization has at most one Consumer Pre-Authentication credential.
CREATE UNIQUE INDEX credentials_one_pre_authentication
    ON credentials (organization_id) WHERE type = 'consumer_pre_authentication';

-- Secret values live apart, so encryption at rest can be added here alone.
CREATE TABLE credential_secrets (
    credential_id  INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    field          TEXT NOT NULL,
    value          TEXT NOT NULL CHECK (json_valid(value)),
    PRIMARY KEY (credential_id, field)
) STRICT, WITHOUT ROWID;
"#;

const V2: &str = r#"
-- Settings of the database: its id, protection level, key check, wrapped key...
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  ANY NOT NULL
) STRICT, WITHOUT ROWID;

-- Sealed values are bound to this random uid (not the row id, which undo
-- and SQLite may reuse).
ALTER TABLE credentials ADD COLUMN uid BLOB NOT NULL DEFAULT x'';
UPDATE credentials SET uid = randomblob(16);
CREATE UNIQUE INDEX credentials_uid ON credentials (uid);

CREATE TABLE sealed_secrets (
    credential_id  INTEGER NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    field          TEXT NOT NULL,
    sealed         BLOB NOT NULL,
    PRIMARY KEY (credential_id, field)
) STRICT, WITHOUT ROWID;
"#;

// Uids are 128 random bits and only ever read by row id: a unique index on
// them cost a random B-tree insert per new credential (a quarter of a large
// import's insert time) and guarded nothing.
const V3: &str = "DROP INDEX credentials_uid;";

// What Authorize brought back for an OAuth 2.0 credential: the token
// response sealed (NULL after a failure with nothing before it), its expiry
// and whether it can be refreshed in plain for the list, and the last failure.
const V4: &str = r#"
CREATE TABLE credential_tokens (
    credential_id  INTEGER PRIMARY KEY REFERENCES credentials(id) ON DELETE CASCADE,
    sealed         BLOB,
    expires_at     TEXT,
    refreshable    INTEGER NOT NULL DEFAULT 0,
    failure        TEXT,
    updated_at     TEXT NOT NULL
) STRICT;
"#;

/// What version 2 set up, for the caller to undo if the transaction fails.
#[derive(Debug, Clone)]
pub struct Initialized {
    pub db_id: String,
    pub level: Protection,
    pub sealed: usize,
}

pub type InitReport = Arc<Mutex<Option<Initialized>>>;

/// The migrations, with version 2's hook keeping the new key in `places`.
pub fn migrations(places: KeyPlaces, report: InitReport) -> Migrations<'static> {
    let hook = move |tx: &Transaction<'_>| -> HookResult { seal_everything(tx, &places, &report) };
    Migrations::new(vec![M::up(V1), M::up_with_hook(V2, hook), M::up(V3), M::up(V4)])
}

/// The newest schema version this build knows.
pub const LATEST: i64 = 4;

fn seal_everything(tx: &Transaction<'_>, places: &KeyPlaces, report: &InitReport) -> HookResult {
    let db_id = hex(&random_id());
    let key = DataKey::generate();
    let level = places.default_level();
    places.store(level, &db_id, &key).map_err(HookError::Hook)?;
    *report.lock().unwrap_or_else(|p| p.into_inner()) = Some(Initialized { db_id: db_id.clone(), level, sealed: 0 });
    let put = "INSERT INTO meta (key, value) VALUES (?1, ?2)";
    tx.execute(put, params!["db_id", db_id])?;
    tx.execute(put, params!["protection", level.as_str()])?;
    tx.execute(put, params!["key_check", key.seal(&db_id, Purpose::KeyCheck, b"bot-credentials")])?;
    let identity = age::x25519::Identity::generate();
    let identity_text = {
        use age::secrecy::ExposeSecret;
        zeroize::Zeroizing::new(identity.to_string().expose_secret().to_string())
    };
    tx.execute(put, params!["age_identity", key.seal(&db_id, Purpose::AgeIdentity, identity_text.as_bytes())])?;

    let mut sealed = 0;
    {
        let mut read = tx.prepare(
            "SELECT s.credential_id, s.field, s.value, c.uid FROM credential_secrets s
             JOIN credentials c ON c.id = s.credential_id",
        )?;
        let mut write = tx.prepare("INSERT INTO sealed_secrets (credential_id, field, sealed) VALUES (?1, ?2, ?3)")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let field: String = row.get(1)?;
            let plain = zeroize::Zeroizing::new(row.get::<_, String>(2)?);
            let uid: Vec<u8> = row.get(3)?;
            let value = key.seal(&db_id, Purpose::Secret { credential_uid: &uid, field: &field }, plain.as_bytes());
            write.execute(params![id, field, value])?;
            sealed += 1;
        }
    }
    tx.execute_batch("DROP TABLE credential_secrets; ALTER TABLE sealed_secrets RENAME TO credential_secrets;")?;
    if let Some(init) = report.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
        init.sealed = sealed;
    }
    Ok(())
}

/// The version 1 schema alone, for tests that start from an old database.
#[cfg(test)]
pub fn v1_only() -> Migrations<'static> {
    Migrations::new(vec![M::up(V1)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> (tempfile::TempDir, KeyPlaces) {
        KeyPlaces::temporary().expect("tempdir")
    }

    #[test]
    fn migrations_are_valid() {
        let (_d, p) = places();
        assert!(migrations(p, InitReport::default()).validate().is_ok());
    }

    /// The model's `once_per_organization` is the rule; the schema's partial
    /// unique indexes are its guard in the database. They must name the same types.
    #[test]
    fn the_one_per_organization_indexes_follow_the_model() {
        let (_d, p) = places();
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory db");
        migrations(p, InitReport::default()).to_latest(&mut conn).expect("migrate");
        let mut stmt = conn
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'credentials' AND sql LIKE '%UNIQUE%WHERE%'")
            .expect("query");
        let mut guarded: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("rows")
            .map(|sql| {
                let sql = sql.expect("sql");
                assert!(sql.contains("ON credentials (organization_id)"), "a per-organization index: {sql}");
                sql.split("type = '").nth(1).and_then(|t| t.split('\'').next()).expect("WHERE type = '...'").to_string()
            })
            .collect();
        guarded.sort();
        let mut once: Vec<String> =
            crate::model::TYPES.iter().filter(|t| t.once_per_organization).map(|t| t.id.to_string()).collect();
        once.sort();
        assert_eq!(guarded, once);
    }

    #[test]
    fn latest_matches_the_migrations() {
        let (_d, p) = places();
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory db");
        let report = InitReport::default();
        migrations(p.clone(), report.clone()).to_latest(&mut conn).expect("migrate");
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(v, LATEST);
        let init = report.lock().expect("lock").clone().expect("initialized");
        assert_eq!(init.level, Protection::KeyFile);
        assert!(p.key_file_path(&init.db_id).is_file());
    }
}
