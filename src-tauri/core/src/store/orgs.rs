//! The organizations table.

use super::credentials::{insert_snapshot, CredentialSnapshot};
use super::{now, Store};
use crate::error::{Error, Result};
use crate::model::{name_key, Organization};
use crate::validate;
use rusqlite::{params, OptionalExtension, Row, Transaction};

/// Everything a deleted organization held, to undo the delete.
#[derive(Debug, Clone)]
pub struct OrgSnapshot {
    pub name: String,
    pub created_at: String,
    pub credentials: Vec<CredentialSnapshot>,
}

const SELECT_ORG: &str = "SELECT o.id, o.name, o.created_at, o.updated_at,
        (SELECT count(*) FROM credentials c WHERE c.organization_id = o.id)
     FROM organizations o";

fn org_from_row(r: &Row<'_>) -> rusqlite::Result<Organization> {
    Ok(Organization {
        id: r.get(0)?,
        name: r.get(1)?,
        created_at: r.get(2)?,
        updated_at: r.get(3)?,
        credential_count: r.get(4)?,
    })
}

/// Refuses a name another organization already has.
fn ensure_org_name_free(tx: &Transaction<'_>, name: &str, except: Option<i64>) -> Result<()> {
    let existing: Option<String> = tx
        .query_row(
            "SELECT name FROM organizations WHERE name_key = ?1 AND id IS NOT ?2",
            params![name_key(name), except],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(other) => Err(Error::invalid("name", format!("an organization named \"{other}\" already exists"))),
        None => Ok(()),
    }
}

fn no_org(id: i64) -> Error {
    Error::NotFound(format!("no organization with id {id} (it may have been deleted)"))
}

pub(super) fn insert_org(tx: &Transaction<'_>, name: &str, created_at: &str) -> Result<i64> {
    ensure_org_name_free(tx, name, None)?;
    tx.execute(
        "INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![name, name_key(name), created_at],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    pub fn list_orgs(&self) -> Result<Vec<Organization>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_ORG} ORDER BY o.name_key, o.id"))?;
        let rows = stmt.query_map([], org_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn get_org(&self, id: i64) -> Result<Organization> {
        self.conn
            .query_row(&format!("{SELECT_ORG} WHERE o.id = ?1"), [id], org_from_row)
            .optional()?
            .ok_or_else(|| no_org(id))
    }

    /// Fails with `not_found` unless the organization exists (without counting its credentials).
    pub(super) fn ensure_org(&self, id: i64) -> Result<()> {
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM organizations WHERE id = ?1")?;
        if stmt.exists([id])? {
            Ok(())
        } else {
            Err(no_org(id))
        }
    }

    pub fn org_by_name(&self, name: &str) -> Result<Organization> {
        self.conn
            .query_row(&format!("{SELECT_ORG} WHERE o.name_key = ?1"), [name_key(name)], org_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no organization named \"{name}\"")))
    }

    pub fn create_org(&mut self, raw_name: &str) -> Result<Organization> {
        let name = validate::name(raw_name).map_err(|m| Error::invalid("name", m))?;
        let tx = self.conn.transaction()?;
        let id = insert_org(&tx, &name, &now())?;
        tx.commit()?;
        self.get_org(id)
    }

    pub fn rename_org(&mut self, id: i64, raw_name: &str) -> Result<Organization> {
        let name = validate::name(raw_name).map_err(|m| Error::invalid("name", m))?;
        self.get_org(id)?;
        let tx = self.conn.transaction()?;
        ensure_org_name_free(&tx, &name, Some(id))?;
        tx.execute(
            "UPDATE organizations SET name = ?1, name_key = ?2, updated_at = ?3 WHERE id = ?4",
            params![name, name_key(&name), now(), id],
        )?;
        tx.commit()?;
        self.get_org(id)
    }

    /// Deletes the organization and its credentials; returns what it held.
    pub fn delete_org(&mut self, id: i64) -> Result<OrgSnapshot> {
        let org = self.get_org(id)?;
        let tx = self.conn.transaction()?;
        let credentials = super::credentials::snapshots_of_org(&tx, id)?;
        tx.execute("DELETE FROM organizations WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(OrgSnapshot { name: org.name, created_at: org.created_at, credentials })
    }

    /// Puts a deleted organization back, with its credentials and secrets.
    pub fn restore_org(&mut self, snap: &OrgSnapshot) -> Result<Organization> {
        let tx = self.conn.transaction()?;
        let id = insert_org(&tx, &snap.name, &snap.created_at).map_err(|e| match e {
            Error::Invalid(_) => {
                Error::Conflict(format!("cannot undo: an organization named \"{}\" exists again", snap.name))
            }
            other => other,
        })?;
        for c in &snap.credentials {
            insert_snapshot(&tx, id, c)?;
        }
        tx.commit()?;
        self.get_org(id)
    }
}
