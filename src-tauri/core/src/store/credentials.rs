//! The credentials table and, beside it, the secrets table.

use super::keys::Sealer;
use super::{now, Store};
use crate::error::{Error, Problem, Result};
use crate::model::{name_key, type_def, Credential, CredentialInput, TypeDef};
use crate::seal::Purpose;
use crate::secret::Secret;
use crate::validate::{self, SecretMode, Step};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What `check_credential` found: blocking problems and advice.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// A credential with its secret values still sealed (so undo needs no
/// key, and nothing plain waits in memory), to undo a delete.
#[derive(Debug, Clone)]
pub struct CredentialSnapshot {
    pub name: String,
    pub type_id: String,
    pub fields: Map<String, Value>,
    uid: Vec<u8>,
    secrets: BTreeMap<String, Sealed>,
    pub created_at: String,
    pub updated_at: String,
}

/// A sealed value as stored (ciphertext; its Debug shows only its length).
#[derive(Clone)]
struct Sealed(Vec<u8>);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({} bytes)", self.0.len())
    }
}

pub(super) const SELECT_CREDENTIAL: &str =
    "SELECT id, organization_id, name, type, fields, created_at, updated_at FROM credentials";

pub(super) fn credential_from_row(r: &Row<'_>) -> rusqlite::Result<Credential> {
    let type_id: String = r.get(3)?;
    let fields: String = r.get(4)?;
    let (kind, fields) = kind_and_fields(&type_id, &fields)
        .map_err(|(col, e)| rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, e))?;
    Ok(Credential {
        id: r.get(0)?,
        org_id: r.get(1)?,
        name: r.get(2)?,
        kind,
        fields,
        stored_secrets: BTreeSet::new(),
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

/// A credential row as stored, its fields still JSON text (a parsed row
/// holds several times the memory): what the list's index and an export
/// read in bulk before parsing each row on its own core.
pub(super) struct StoredRow {
    pub id: i64,
    org_id: i64,
    name: String,
    type_id: String,
    fields: String,
    created_at: String,
    updated_at: String,
}

impl StoredRow {
    /// The columns [`StoredRow::read`] expects first, in order.
    pub const COLUMNS: &'static str = "c.id, c.organization_id, c.name, c.type, c.fields, c.created_at, c.updated_at";

    pub fn read(r: &Row<'_>) -> rusqlite::Result<StoredRow> {
        Ok(StoredRow {
            id: r.get(0)?,
            org_id: r.get(1)?,
            name: r.get(2)?,
            type_id: r.get(3)?,
            fields: r.get(4)?,
            created_at: r.get(5)?,
            updated_at: r.get(6)?,
        })
    }

    /// The credential, parsed (its stored secrets not filled in).
    pub fn parse(&self) -> Result<Credential> {
        let (kind, fields) = kind_and_fields(&self.type_id, &self.fields)
            .map_err(|(_, e)| Error::Database(format!("credential {} cannot be read: {e}", self.id)))?;
        Ok(Credential {
            id: self.id,
            org_id: self.org_id,
            name: self.name.clone(),
            kind,
            fields,
            stored_secrets: BTreeSet::new(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
        })
    }
}

type ColumnError = (usize, Box<dyn std::error::Error + Send + Sync>);

fn kind_and_fields(
    type_id: &str,
    fields: &str,
) -> std::result::Result<(&'static TypeDef, Map<String, Value>), ColumnError> {
    let kind = type_def(type_id).ok_or_else(|| (3, format!("unknown credential type {type_id:?}").into()))?;
    let fields =
        serde_json::from_str(fields).map_err(|e| (4, Box::new(e) as Box<dyn std::error::Error + Send + Sync>))?;
    Ok((kind, fields))
}

pub(super) fn secret_names(tx: &rusqlite::Connection, credential_id: i64) -> Result<BTreeSet<String>> {
    let mut stmt = tx.prepare_cached("SELECT field FROM credential_secrets WHERE credential_id = ?1")?;
    let names = stmt.query_map([credential_id], |r| r.get(0))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn uid_of(conn: &rusqlite::Connection, id: i64) -> Result<Vec<u8>> {
    Ok(conn.prepare_cached("SELECT uid FROM credentials WHERE id = ?1")?.query_row([id], |r| r.get(0))?)
}

fn sealed_of(conn: &rusqlite::Connection, credential_id: i64) -> Result<BTreeMap<String, Sealed>> {
    let mut stmt = conn.prepare_cached("SELECT field, sealed FROM credential_secrets WHERE credential_id = ?1")?;
    let rows = stmt.query_map([credential_id], |r| Ok((r.get::<_, String>(0)?, Sealed(r.get(1)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Opens the sealed values of one credential; one that does not open is
/// named by organization, credential and field.
fn secrets_of(conn: &rusqlite::Connection, sealer: &Sealer, credential_id: i64) -> Result<BTreeMap<String, Secret>> {
    let uid = uid_of(conn, credential_id)?;
    let mut out = BTreeMap::new();
    for (field, sealed) in sealed_of(conn, credential_id)? {
        let names = || -> Result<(String, String)> {
            Ok(conn.query_row(
                "SELECT o.name, c.name FROM credentials c JOIN organizations o ON o.id = c.organization_id WHERE c.id = ?1",
                [credential_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        };
        let secret = sealer.open_secret(&uid, &field, &sealed.0, names)?;
        out.insert(field, secret);
    }
    Ok(out)
}

/// The name of another credential of `type_id` in the organization, if any.
pub(super) fn other_of_type(
    conn: &rusqlite::Connection,
    org_id: i64,
    type_id: &str,
    except: Option<i64>,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM credentials WHERE organization_id = ?1 AND type = ?2 AND id IS NOT ?3",
            params![org_id, type_id, except],
            |r| r.get(0),
        )
        .optional()?)
}

/// The problems only the database can see: a taken name, a second
/// Consumer Pre-Authentication.
/// Fails with the uniqueness problems of `input`, if it has any now.
fn still_unique(tx: &Transaction<'_>, org_id: i64, except: Option<i64>, input: &CredentialInput) -> Result<()> {
    let problems = uniqueness_problems(tx, org_id, except, &input.name, Some(input.kind.id))?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

fn uniqueness_problems(
    conn: &rusqlite::Connection,
    org_id: i64,
    except: Option<i64>,
    name: &str,
    type_id: Option<&str>,
) -> Result<Vec<Problem>> {
    let mut problems = vec![];
    let taken: Option<String> = conn
        .query_row(
            "SELECT name FROM credentials WHERE organization_id = ?1 AND name_key = ?2 AND id IS NOT ?3",
            params![org_id, name_key(name), except],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = taken {
        problems
            .push(Problem::new("name", format!("a credential named \"{other}\" already exists in this organization")));
    }
    if let Some(kind) = type_id.and_then(type_def).filter(|k| k.once_per_organization) {
        if let Some(other) = other_of_type(conn, org_id, kind.id, except)? {
            problems.push(Problem::new(
                "type",
                format!("this organization already has a {} credential, \"{other}\"; only one is allowed", kind.label),
            ));
        }
    }
    Ok(problems)
}

/// Seals and writes the secrets `input` gives to the existing row `id`,
/// and drops those that no longer apply (another type or grant type).
fn write_secrets(tx: &Transaction<'_>, sealer: Option<&Sealer>, id: i64, input: &CredentialInput) -> Result<()> {
    if input.secrets.values().any(Option::is_some) {
        let sealer =
            sealer.ok_or_else(|| Error::Locked("saving a secret needs the master passphrase: unlock first".into()))?;
        let uid = uid_of(tx, id)?;
        for (field, secret) in &input.secrets {
            if let Some(secret) = secret {
                let purpose = Purpose::Secret { credential_uid: &uid, field };
                put_sealed(tx, id, field, &sealer.key.seal(&sealer.db_id, purpose, secret.json().as_bytes()))?;
            }
        }
    }
    let keep: Vec<&str> = input.secrets.keys().copied().collect();
    for field in secret_names(tx, id)? {
        if !keep.contains(&field.as_str()) {
            tx.execute("DELETE FROM credential_secrets WHERE credential_id = ?1 AND field = ?2", params![id, field])?;
        }
    }
    Ok(())
}

/// One credential row: its organization, name, type and plain fields.
struct NewRow<'a> {
    org_id: i64,
    name: &'a str,
    type_id: &'a str,
    /// The plain fields as JSON text.
    fields: &'a str,
    uid: &'a [u8],
    created_at: &'a str,
    updated_at: &'a str,
}

/// Inserts one credential row; returns its id.
fn insert_row(tx: &Transaction<'_>, row: NewRow<'_>) -> Result<i64> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO credentials (organization_id, name, name_key, type, fields, uid, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    stmt.execute(params![
        row.org_id,
        row.name,
        name_key(row.name),
        row.type_id,
        row.fields,
        row.uid,
        row.created_at,
        row.updated_at
    ])?;
    Ok(tx.last_insert_rowid())
}

fn put_sealed(tx: &Transaction<'_>, id: i64, field: &str, sealed: &[u8]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO credential_secrets (credential_id, field, sealed) VALUES (?1, ?2, ?3)
         ON CONFLICT (credential_id, field) DO UPDATE SET sealed = excluded.sealed",
    )?;
    stmt.execute(params![id, field, sealed])?;
    Ok(())
}

pub(super) fn insert_input(
    tx: &Transaction<'_>,
    sealer: Option<&Sealer>,
    org_id: i64,
    input: &CredentialInput,
    at: &str,
) -> Result<i64> {
    insert_prepared(tx, org_id, input, &prepare(sealer, input)?, at)
}

/// A new row's work that needs no database (its uid, plain fields as JSON
/// and sealed secrets), so an import can do it on every core beforehand.
pub(super) struct Prepared {
    pub uid: [u8; 16],
    pub fields: String,
    pub sealed: Vec<(&'static str, Vec<u8>)>,
}

pub(super) fn prepare(sealer: Option<&Sealer>, input: &CredentialInput) -> Result<Prepared> {
    let uid = crate::seal::random_id();
    let mut sealed = vec![];
    if input.secrets.values().any(Option::is_some) {
        let sealer =
            sealer.ok_or_else(|| Error::Locked("saving a secret needs the master passphrase: unlock first".into()))?;
        for (field, secret) in &input.secrets {
            if let Some(secret) = secret {
                let purpose = Purpose::Secret { credential_uid: &uid, field };
                sealed.push((*field, sealer.key.seal(&sealer.db_id, purpose, secret.json().as_bytes())));
            }
        }
    }
    Ok(Prepared { uid, fields: fields_json(&input.fields), sealed })
}

pub(super) fn insert_prepared(
    tx: &Transaction<'_>,
    org_id: i64,
    input: &CredentialInput,
    prepared: &Prepared,
    at: &str,
) -> Result<i64> {
    let row = NewRow {
        org_id,
        name: &input.name,
        type_id: input.kind.id,
        fields: &prepared.fields,
        uid: &prepared.uid,
        created_at: at,
        updated_at: at,
    };
    let id = insert_row(tx, row)?;
    for (field, sealed) in &prepared.sealed {
        put_sealed(tx, id, field, sealed)?;
    }
    Ok(id)
}

fn fields_json(fields: &Map<String, Value>) -> String {
    serde_json::to_string(fields).unwrap_or_else(|_| "{}".into())
}

pub(super) fn update_input(
    tx: &Transaction<'_>,
    sealer: Option<&Sealer>,
    id: i64,
    input: &CredentialInput,
    at: &str,
) -> Result<()> {
    let fields = fields_json(&input.fields);
    let before: String = tx.query_row("SELECT fields FROM credentials WHERE id = ?1", [id], |r| r.get(0))?;
    tx.execute(
        "UPDATE credentials SET name = ?1, name_key = ?2, type = ?3, fields = ?4, updated_at = ?5 WHERE id = ?6",
        params![input.name, name_key(&input.name), input.kind.id, fields, at, id],
    )?;
    // Tokens belong to the client and URLs they were granted for.
    if before != fields || input.has_new_secrets() {
        super::tokens::forget(tx, id)?;
    }
    write_secrets(tx, sealer, id, input)
}

pub(super) fn insert_snapshot(tx: &Transaction<'_>, org_id: i64, snap: &CredentialSnapshot) -> Result<i64> {
    let problems = uniqueness_problems(tx, org_id, None, &snap.name, Some(&snap.type_id))?;
    if let Some(p) = problems.first() {
        return Err(Error::Conflict(format!("cannot undo: {}", p.message)));
    }
    let row = NewRow {
        org_id,
        name: &snap.name,
        type_id: &snap.type_id,
        fields: &fields_json(&snap.fields),
        uid: &snap.uid,
        created_at: &snap.created_at,
        updated_at: &snap.updated_at,
    };
    let id = insert_row(tx, row)?;
    for (field, sealed) in &snap.secrets {
        put_sealed(tx, id, field, &sealed.0)?;
    }
    Ok(id)
}

pub(super) fn snapshots_of_org(conn: &rusqlite::Connection, org_id: i64) -> Result<Vec<CredentialSnapshot>> {
    let mut stmt = conn.prepare(&format!("{SELECT_CREDENTIAL} WHERE organization_id = ?1 ORDER BY name_key"))?;
    let rows: Vec<Credential> = stmt.query_map([org_id], credential_from_row)?.collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(|c| snapshot(conn, c)).collect()
}

fn snapshot(conn: &rusqlite::Connection, c: Credential) -> Result<CredentialSnapshot> {
    Ok(CredentialSnapshot {
        uid: uid_of(conn, c.id)?,
        secrets: sealed_of(conn, c.id)?,
        name: c.name,
        type_id: c.kind.id.to_string(),
        fields: c.fields,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

impl Store {
    pub fn list_credentials(&self, org_id: i64) -> Result<Vec<Credential>> {
        self.get_org(org_id)?;
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SELECT_CREDENTIAL} WHERE organization_id = ?1 ORDER BY name_key, id"))?;
        let mut list: Vec<Credential> =
            stmt.query_map([org_id], credential_from_row)?.collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.credential_id, s.field FROM credential_secrets s
             JOIN credentials c ON c.id = s.credential_id WHERE c.organization_id = ?1",
        )?;
        let mut stored: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
        for row in stmt.query_map([org_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, field) = row?;
            stored.entry(id).or_default().insert(field);
        }
        for c in &mut list {
            c.stored_secrets = stored.remove(&c.id).unwrap_or_default();
        }
        Ok(list)
    }

    pub fn get_credential(&self, id: i64) -> Result<Credential> {
        let mut c = self
            .conn
            .query_row(&format!("{SELECT_CREDENTIAL} WHERE id = ?1"), [id], credential_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no credential with id {id} (it may have been deleted)")))?;
        c.stored_secrets = secret_names(&self.conn, id)?;
        Ok(c)
    }

    /// The credential of an organization by its name (as matched on save:
    /// trimmed, case-insensitive).
    pub fn credential_named(&self, org_id: i64, name: &str) -> Result<Credential> {
        let org = self.get_org(org_id)?;
        let id: i64 = self
            .conn
            .prepare_cached("SELECT id FROM credentials WHERE organization_id = ?1 AND name_key = ?2")?
            .query_row(params![org_id, name_key(name)], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no credential named \"{}\" in \"{}\"", name.trim(), org.name)))?;
        self.get_credential(id)
    }

    /// The secret values of one credential (for an export that asked for
    /// them): needs the key.
    pub fn credential_secrets(&self, id: i64) -> Result<BTreeMap<String, Secret>> {
        secrets_of(&self.conn, &self.sealer()?, id)
    }

    /// Checks a draft without writing: the dialog's Next and live warnings.
    pub fn check_credential(&self, org_id: i64, except: Option<i64>, draft: &Value, step: Step) -> Result<Report> {
        self.get_org(org_id)?;
        let (stored, kept) = match except {
            Some(id) => {
                let current = self.get_credential(id)?;
                (current.stored_secrets, current.fields)
            }
            None => (BTreeSet::new(), Map::new()),
        };
        let mode = if except.is_some() { SecretMode::Update(&stored) } else { SecretMode::Create };
        let checked = validate::credential_kept(draft, mode, step, &kept);
        let mut problems = checked.problems;
        if let Some(name) = draft.get("name").and_then(Value::as_str).and_then(|n| validate::name(n).ok()) {
            problems.extend(uniqueness_problems(
                &self.conn,
                org_id,
                except,
                &name,
                draft.get("type").and_then(Value::as_str),
            )?);
        }
        Ok(Report { problems, warnings: checked.warnings })
    }

    pub fn create_credential(&mut self, org_id: i64, draft: &Value) -> Result<Credential> {
        self.get_org(org_id)?;
        let input = self.validated(org_id, None, draft, SecretMode::Create, &Map::new())?;
        let sealer = self.sealer_if(input.has_new_secrets())?;
        let tx = self.conn.transaction()?;
        // Checked again holding the write lock: a race with another program
        // gets the same message as a conflict found before.
        still_unique(&tx, org_id, None, &input)?;
        let id = insert_input(&tx, sealer.as_ref(), org_id, &input, &now())?;
        tx.commit()?;
        self.get_credential(id)
    }

    /// Replaces a credential's fields; an empty secret keeps the stored
    /// one, unless it is named in `remove` (optional secrets only).
    pub fn update_credential(&mut self, id: i64, draft: &Value, remove: &[String]) -> Result<Credential> {
        let current = self.get_credential(id)?;
        let mode = SecretMode::Update(&current.stored_secrets);
        let input = self.validated(current.org_id, Some(id), draft, mode, &current.fields)?;
        let mut problems = vec![];
        for field in remove {
            match input.kind.field(field) {
                Some(def) if def.secret && !def.required => {}
                Some(def) if def.secret => {
                    problems.push(Problem::new(field.as_str(), "is required and cannot be removed"))
                }
                _ => problems.push(Problem::new(
                    field.as_str(),
                    format!("is not an optional secret of {} credentials", input.kind.label),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let sealer = self.sealer_if(input.has_new_secrets())?;
        let tx = self.conn.transaction()?;
        still_unique(&tx, current.org_id, Some(id), &input)?;
        update_input(&tx, sealer.as_ref(), id, &input, &now())?;
        for field in remove {
            // A new value typed in the same edit wins over removing the old one.
            if !matches!(input.secrets.get(field.as_str()), Some(Some(_))) {
                tx.execute(
                    "DELETE FROM credential_secrets WHERE credential_id = ?1 AND field = ?2",
                    params![id, field],
                )?;
            }
        }
        tx.commit()?;
        self.get_credential(id)
    }

    fn validated(
        &self,
        org_id: i64,
        except: Option<i64>,
        draft: &Value,
        mode: SecretMode<'_>,
        kept: &Map<String, Value>,
    ) -> Result<CredentialInput> {
        let checked = validate::credential_kept(draft, mode, Step::All, kept);
        let mut problems = checked.problems;
        if let Some(input) = &checked.input {
            problems.extend(uniqueness_problems(&self.conn, org_id, except, &input.name, Some(input.kind.id))?);
        }
        match checked.input {
            Some(input) if problems.is_empty() => Ok(input),
            _ => Err(Error::Invalid(problems)),
        }
    }

    /// Deletes a credential; returns it with its secrets, to undo.
    pub fn delete_credential(&mut self, id: i64) -> Result<(i64, CredentialSnapshot)> {
        let c = self.get_credential(id)?;
        let org_id = c.org_id;
        let tx = self.conn.transaction()?;
        let snap = snapshot(&tx, c)?;
        tx.execute("DELETE FROM credentials WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok((org_id, snap))
    }

    pub fn restore_credential(&mut self, org_id: i64, snap: &CredentialSnapshot) -> Result<Credential> {
        self.get_org(org_id)
            .map_err(|_| Error::Conflict(format!("cannot undo: the organization of \"{}\" was deleted", snap.name)))?;
        let tx = self.conn.transaction()?;
        let id = insert_snapshot(&tx, org_id, snap)?;
        tx.commit()?;
        self.get_credential(id)
    }
}
