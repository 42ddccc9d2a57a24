//! Applying an import file: all or nothing, in one transaction. A dry run
//! (the window's preview, `--dry-run`) does the same writes and rolls back,
//! so what it reports is exactly what a real run does.

use super::credentials::{insert_prepared, other_of_type, prepare, secret_names, update_input};
use super::orgs::insert_org;
use super::{now, Store};
use crate::error::{Error, Problem, Result};
use crate::model::{missing_secrets, name_key, CredImport, ImportFile};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

/// What to do with a credential whose organization and name exist already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnConflict {
    #[default]
    Fail,
    Skip,
    Replace,
}

impl OnConflict {
    /// Every policy by its name, as the CLI and the window spell it.
    pub const ALL: [(&'static str, OnConflict); 3] =
        [("fail", OnConflict::Fail), ("skip", OnConflict::Skip), ("replace", OnConflict::Replace)];
}

impl std::str::FromStr for OnConflict {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.iter().find(|(name, _)| *name == s).map(|(_, p)| *p).ok_or_else(|| {
            format!("must be one of {}", Self::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Add,
    Existing,
    Replace,
    Skip,
    Conflict,
}

#[derive(Debug, Serialize)]
pub struct OrgOutcome {
    pub name: String,
    pub action: Action,
}

#[derive(Debug, Serialize)]
pub struct CredOutcome {
    pub path: String,
    pub organization: String,
    pub name: String,
    pub type_label: &'static str,
    pub action: Action,
    pub needs_secret: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub organizations: Vec<OrgOutcome>,
    pub credentials: Vec<CredOutcome>,
    /// Every problem; a reply carries the first few (`problem_count` says how many in all).
    #[serde(serialize_with = "crate::error::first_problems")]
    pub problems: Vec<Problem>,
    pub problem_count: usize,
    pub added: usize,
    pub replaced: usize,
    pub skipped: usize,
    pub organizations_added: usize,
    /// True when the changes were committed.
    pub applied: bool,
}

fn existing_credential(tx: &Transaction<'_>, org_id: i64, name: &str) -> Result<Option<i64>> {
    let mut stmt = tx.prepare_cached("SELECT id FROM credentials WHERE organization_id = ?1 AND name_key = ?2")?;
    Ok(stmt.query_row(params![org_id, name_key(name)], |r| r.get(0)).optional()?)
}

impl Store {
    /// Imports `file`; with problems (or `dry_run`) nothing is kept.
    /// `progress(done, total)` is called as credentials are processed.
    pub fn import(
        &mut self,
        file: &ImportFile,
        on_conflict: OnConflict,
        dry_run: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        let total = file.credential_count();
        let mut report = ImportReport::default();
        let needs_key = file.organizations.iter().flat_map(|o| &o.credentials).any(|c| c.input.has_new_secrets());
        let sealer = self.sealer_if(needs_key)?;
        // Uids, fields as JSON and sealed secrets for new rows, on every core
        // (wasted only for the few that turn out to exist already).
        let all: Vec<&CredImport> = file.organizations.iter().flat_map(|o| &o.credentials).collect();
        let prepared =
            crate::par::map(&all, |c| prepare(sealer.as_ref(), &c.input)).into_iter().collect::<Result<Vec<_>>>()?;
        let mut prepared = prepared.iter();
        let tx = self.conn.transaction()?;
        let at = now();
        let mut done = 0;
        for org in &file.organizations {
            let found: Option<i64> = tx
                .prepare_cached("SELECT id FROM organizations WHERE name_key = ?1")?
                .query_row([name_key(&org.name)], |r| r.get(0))
                .optional()?;
            // An organization created by this import holds nothing yet, and the
            // file was checked for repeated names and a second pre-authentication.
            let new_org = found.is_none();
            let org_id = match found {
                Some(id) => {
                    report.organizations.push(OrgOutcome { name: org.name.clone(), action: Action::Existing });
                    id
                }
                None => {
                    report.organizations_added += 1;
                    report.organizations.push(OrgOutcome { name: org.name.clone(), action: Action::Add });
                    insert_org(&tx, &org.name, &at)?
                }
            };
            for cred in &org.credentials {
                let input = &cred.input;
                let ready = prepared.next().ok_or_else(|| Error::Io("import: a credential was not prepared".into()))?;
                let existing = if new_org { None } else { existing_credential(&tx, org_id, &input.name)? };
                let mut action = match (existing, on_conflict) {
                    (None, _) => Action::Add,
                    (Some(_), OnConflict::Fail) => {
                        report.problems.push(Problem::new(
                            format!("{}.name", cred.path),
                            format!(
                                "a credential named \"{}\" already exists in \"{}\" (choose skip or replace)",
                                input.name, org.name
                            ),
                        ));
                        Action::Conflict
                    }
                    (Some(_), OnConflict::Skip) => Action::Skip,
                    (Some(_), OnConflict::Replace) => Action::Replace,
                };
                if !new_org && matches!(action, Action::Add | Action::Replace) && input.kind.once_per_organization {
                    if let Some(other) = other_of_type(&tx, org_id, input.kind.id, existing)? {
                        report.problems.push(Problem::new(
                            format!("{}.type", cred.path),
                            format!(
                                "\"{}\" already has a {} credential, \"{other}\"; only one is allowed",
                                org.name, input.kind.label
                            ),
                        ));
                        action = Action::Conflict;
                    }
                }
                let id = match (action, existing) {
                    (Action::Add, _) => {
                        report.added += 1;
                        Some(insert_prepared(&tx, org_id, input, ready, &at)?)
                    }
                    (Action::Replace, Some(id)) => {
                        report.replaced += 1;
                        update_input(&tx, sealer.as_ref(), id, input, &at)?;
                        // An imported credential starts Not authorized.
                        super::tokens::forget(&tx, id)?;
                        Some(id)
                    }
                    (Action::Skip, _) => {
                        report.skipped += 1;
                        None
                    }
                    _ => None,
                };
                let stored = match (action, id) {
                    // A new row holds exactly the secrets the file gave.
                    (Action::Add, Some(_)) => {
                        input.secrets.iter().filter(|(_, v)| v.is_some()).map(|(k, _)| k.to_string()).collect()
                    }
                    (_, Some(id)) => secret_names(&tx, id)?,
                    (_, None) => Default::default(),
                };
                let needs_secret = id.is_some() && !missing_secrets(input.kind, &input.fields, &stored).is_empty();
                report.credentials.push(CredOutcome {
                    path: cred.path.clone(),
                    organization: org.name.clone(),
                    name: input.name.clone(),
                    type_label: input.kind.label,
                    action,
                    needs_secret,
                });
                done += 1;
                progress(done, total);
            }
        }
        report.problem_count = report.problems.len();
        if report.problems.is_empty() && !dry_run {
            tx.commit()?;
            report.applied = true;
        } else {
            tx.rollback()?;
        }
        Ok(report)
    }
}
