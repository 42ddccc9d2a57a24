//! The database schema, as an ordered list of migrations tracked in
//! SQLite's `user_version`. Never edit a released migration: add one.

use rusqlite_migration::{Migrations, M};

const MIGRATION_SLICE: &[M<'static>] = &[M::up(
    r#"
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
"#,
)];

pub const MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_SLICE);

/// The newest schema version this build knows.
pub const LATEST: i64 = MIGRATION_SLICE.len() as i64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(MIGRATIONS.validate().is_ok());
    }

    #[test]
    fn latest_matches_the_migrations() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory db");
        MIGRATIONS.to_latest(&mut conn).expect("migrate");
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(v, LATEST);
    }
}
