//! Reading an organization's credentials in export order for streaming an
//! export: one query per organization hands out the rows as stored (fields
//! as JSON text, secrets still sealed), in batches; parsing and opening them
//! is the caller's work, done on every core ([`ExportRow::open`]).

use super::credentials::StoredRow;
use super::keys::Sealer;
use super::Store;
use crate::error::Result;
use crate::model::Credential;
use crate::secret::Secret;
use std::collections::BTreeMap;

/// Rows handed out at a time.
pub(crate) const BATCH: usize = 1024;

/// One credential as stored: nothing parsed, nothing opened.
pub(crate) struct ExportRow {
    row: StoredRow,
    uid: Vec<u8>,
    sealed: Vec<(String, Vec<u8>)>,
}

impl ExportRow {
    /// The credential, and its secrets opened when `sealer` is given.
    pub fn open(
        &self,
        org_name: &str,
        sealer: Option<&Sealer>,
    ) -> Result<(Credential, Option<BTreeMap<String, Secret>>)> {
        let c = self.row.parse()?;
        let Some(sealer) = sealer else { return Ok((c, None)) };
        let mut secrets = BTreeMap::new();
        for (field, sealed) in &self.sealed {
            let names = || Ok((org_name.to_string(), c.name.clone()));
            secrets.insert(field.clone(), sealer.open_secret(&self.uid, field, sealed, names)?);
        }
        Ok((c, Some(secrets)))
    }
}

impl Store {
    /// Hands `each` the organization's credentials by name (case-insensitively),
    /// [`BATCH`] at a time, with their sealed secrets when `with_secrets`.
    pub(crate) fn each_batch_for_export(
        &self,
        org_id: i64,
        with_secrets: bool,
        each: &mut dyn FnMut(&[ExportRow]) -> Result<()>,
    ) -> Result<()> {
        // Each credential's row, once per secret (or once with none), in export order.
        let columns = StoredRow::COLUMNS;
        let sql = if with_secrets {
            format!(
                "SELECT {columns}, c.uid, s.field, s.sealed
                 FROM credentials c LEFT JOIN credential_secrets s ON s.credential_id = c.id
                 WHERE c.organization_id = ?1 ORDER BY c.name_key, s.field"
            )
        } else {
            format!("SELECT {columns}, c.uid, NULL, NULL FROM credentials c WHERE c.organization_id = ?1 ORDER BY c.name_key")
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([org_id])?;
        let mut batch: Vec<ExportRow> = Vec::with_capacity(BATCH);
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            if batch.last().is_none_or(|last| last.row.id != id) {
                if batch.len() == BATCH {
                    each(&batch)?;
                    batch.clear();
                }
                batch.push(ExportRow { row: StoredRow::read(row)?, uid: row.get(7)?, sealed: vec![] });
            }
            if let (Some(field), Some(last)) = (row.get::<_, Option<String>>(8)?, batch.last_mut()) {
                last.sealed.push((field, row.get(9)?));
            }
        }
        if !batch.is_empty() {
            each(&batch)?;
        }
        Ok(())
    }
}
