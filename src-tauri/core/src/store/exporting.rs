//! Reading an organization's credentials in export order, with their
//! secrets opened, one query per organization, for streaming an export.

use super::credentials::{credential_from_row, SELECT_CREDENTIAL};
use super::keys::Sealer;
use super::Store;
use crate::error::Result;
use crate::model::Credential;
use crate::secret::Secret;
use std::collections::BTreeMap;

/// What receives each exported credential, with its secrets when asked.
pub(crate) type EachExported<'a> = dyn FnMut(&Credential, Option<&BTreeMap<String, Secret>>) -> Result<()> + 'a;

impl Store {
    /// Calls `each` for every credential of the organization, by name
    /// (case-insensitively), with its secrets opened when `sealer` is given.
    pub(crate) fn each_for_export(
        &self,
        org_id: i64,
        org_name: &str,
        sealer: Option<&Sealer>,
        each: &mut EachExported<'_>,
    ) -> Result<()> {
        let Some(sealer) = sealer else {
            let mut stmt = self
                .conn
                .prepare_cached(&format!("{SELECT_CREDENTIAL} WHERE organization_id = ?1 ORDER BY name_key"))?;
            let mut rows = stmt.query([org_id])?;
            while let Some(row) = rows.next()? {
                each(&credential_from_row(row)?, None)?;
            }
            return Ok(());
        };
        // Each credential's row, once per secret (or once with none), in export order.
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.organization_id, c.name, c.type, c.fields, c.created_at, c.updated_at, c.uid, s.field, s.sealed
             FROM credentials c LEFT JOIN credential_secrets s ON s.credential_id = c.id
             WHERE c.organization_id = ?1 ORDER BY c.name_key, s.field",
        )?;
        let mut rows = stmt.query([org_id])?;
        let mut current: Option<(Credential, BTreeMap<String, Secret>)> = None;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            if current.as_ref().is_some_and(|(c, _)| c.id != id) {
                if let Some((c, secrets)) = current.take() {
                    each(&c, Some(&secrets))?;
                }
            }
            let (cred, secrets) = match &mut current {
                Some(entry) => entry,
                None => current.insert((credential_from_row(row)?, BTreeMap::new())),
            };
            if let Some(field) = row.get::<_, Option<String>>(8)? {
                let uid: Vec<u8> = row.get(7)?;
                let sealed: Vec<u8> = row.get(9)?;
                let name = cred.name.clone();
                let secret = sealer.open_secret(&uid, &field, &sealed, || Ok((org_name.to_string(), name)))?;
                secrets.insert(field, secret);
            }
        }
        if let Some((c, secrets)) = current.take() {
            each(&c, Some(&secrets))?;
        }
        Ok(())
    }
}
