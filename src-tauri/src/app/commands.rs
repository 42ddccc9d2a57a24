//! The window's commands: parse arguments, call the core, map errors. See
//! docs/commands.md for the contract with ui/js/api.js.

use super::log::{draft_name, outcome};
use super::state::{AppState, Deleted};
use bot_credentials_core::error::{Error, Result};
use bot_credentials_core::model::{CredentialSummary, Organization};
use bot_credentials_core::spec::TypeSpec;
use bot_credentials_core::store::{ListQuery, ListWindow, Report};
use bot_credentials_core::transfer::credential_json;
use bot_credentials_core::validate::Step;
use serde::Serialize;
use serde_json::Value;
use tauri::State;

#[derive(Serialize)]
pub struct AppStatus {
    db_path: String,
    version: &'static str,
    error: Option<Error>,
    /// How secrets are protected; `null` when the database could not be opened.
    security: Option<bot_credentials_core::store::SecurityStatus>,
    /// Files or folders found open to others on opening, repaired or warned about.
    notices: Vec<String>,
}

#[tauri::command(async)]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    let error = state.startup_error().map(Error::Unavailable);
    let security = if error.is_none() { state.with_store(|s| s.security_status()).ok() } else { None };
    let notices = state.with_store_unattended(|s| Ok(s.notices().to_vec())).unwrap_or_default();
    AppStatus { db_path: state.db_path.clone(), version: env!("CARGO_PKG_VERSION"), error, security, notices }
}

/// A number that changes when another program commits to the database;
/// the page polls it (and asks on focus) to refresh the picker or the list.
#[tauri::command(async)]
pub fn outside_changes(state: State<'_, AppState>) -> Result<i64> {
    state.with_store_unattended(|s| s.outside_changes())
}

#[tauri::command(async)]
pub fn credential_types() -> Vec<TypeSpec> {
    bot_credentials_core::spec::credential_types()
}

#[tauri::command(async)]
pub fn list_organizations(state: State<'_, AppState>) -> Result<Vec<Organization>> {
    state.with_store(|s| s.list_orgs())
}

#[tauri::command(async)]
pub fn create_organization(state: State<'_, AppState>, name: String) -> Result<Organization> {
    outcome("create_organization", &format!("{name:?}"), state.with_store(|s| s.create_org(&name)))
}

#[tauri::command(async)]
pub fn rename_organization(state: State<'_, AppState>, id: i64, name: String) -> Result<Organization> {
    outcome(
        "rename_organization",
        &format!("organization {id} to {name:?}"),
        state.with_store(|s| s.rename_org(id, &name)),
    )
}

#[derive(Serialize)]
pub struct DeleteResult {
    undo_token: String,
    name: String,
    credential_count: usize,
}

#[tauri::command(async)]
pub fn delete_organization(state: State<'_, AppState>, id: i64) -> Result<DeleteResult> {
    let snap = outcome("delete_organization", &format!("organization {id}"), state.with_store(|s| s.delete_org(id)))?;
    let (name, credential_count) = (snap.name.clone(), snap.credentials.len());
    tracing::info!(
        op = "delete_organization",
        subject = format!("{name:?}"),
        credentials = credential_count,
        "deleted"
    );
    let undo_token = state.remember(Deleted::Organization(snap));
    Ok(DeleteResult { undo_token, name, credential_count })
}

/// One window of the Credentials list: searched, sorted and counted in the
/// core. Off the main thread: building a large organization's index takes a moment.
#[tauri::command(async)]
pub fn list_window(state: State<'_, AppState>, org_id: i64, query: ListQuery) -> Result<ListWindow> {
    state.with_store(|s| s.list_window(org_id, &query))
}

#[tauri::command(async)]
pub fn check_credential(
    state: State<'_, AppState>,
    org_id: i64,
    credential_id: Option<i64>,
    draft: Value,
    step: u8,
) -> Result<Report> {
    let step = if step == 1 { Step::One } else { Step::All };
    state.with_store(|s| s.check_credential(org_id, credential_id, &draft, step))
}

#[tauri::command(async)]
pub fn create_credential(state: State<'_, AppState>, org_id: i64, draft: Value) -> Result<CredentialSummary> {
    let subject = format!("{} in organization {org_id}", draft_name(&draft));
    outcome(
        "create_credential",
        &subject,
        state.with_store(|s| s.create_credential(org_id, &draft).map(|c| CredentialSummary::from(&c))),
    )
}

#[derive(Serialize)]
pub struct CredentialForEdit {
    id: i64,
    org_id: i64,
    /// The credential as a draft; secret fields are `null`.
    draft: Value,
    stored_secrets: Vec<String>,
}

#[tauri::command(async)]
pub fn get_credential(state: State<'_, AppState>, id: i64) -> Result<CredentialForEdit> {
    state.with_store(|s| {
        let c = s.get_credential(id)?;
        Ok(CredentialForEdit {
            id: c.id,
            org_id: c.org_id,
            draft: credential_json(&c, None),
            stored_secrets: c.stored_secrets.iter().cloned().collect(),
        })
    })
}

#[tauri::command(async)]
pub fn update_credential(
    state: State<'_, AppState>,
    id: i64,
    draft: Value,
    remove_secrets: Option<Vec<String>>,
) -> Result<CredentialSummary> {
    let remove = remove_secrets.unwrap_or_default();
    let subject = format!("credential {id} as {}", draft_name(&draft));
    outcome(
        "update_credential",
        &subject,
        state.with_store(|s| s.update_credential(id, &draft, &remove).map(|c| CredentialSummary::from(&c))),
    )
}

#[tauri::command(async)]
pub fn delete_credential(state: State<'_, AppState>, id: i64) -> Result<DeleteResult> {
    let (org_id, snapshot) =
        outcome("delete_credential", &format!("credential {id}"), state.with_store(|s| s.delete_credential(id)))?;
    let name = snapshot.name.clone();
    let undo_token = state.remember(Deleted::Credential { org_id, snapshot });
    Ok(DeleteResult { undo_token, name, credential_count: 1 })
}

#[tauri::command(async)]
pub fn undo_delete(state: State<'_, AppState>, token: String) -> Result<()> {
    let item = state.take(&token)?;
    let restored = state.with_store(|s| match &item {
        Deleted::Credential { org_id, snapshot } => s.restore_credential(*org_id, snapshot).map(|_| ()),
        Deleted::Organization(snap) => s.restore_org(snap).map(|_| ()),
    });
    if restored.is_err() {
        state.put_back(token, item);
    }
    restored
}
