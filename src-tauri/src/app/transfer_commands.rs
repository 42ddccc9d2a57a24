//! Export and import from the window. File paths never come from the web
//! page: Rust opens the save and open dialogs itself, so the page needs no
//! file-system or dialog permission at all.

use super::state::AppState;
use crate::error::{Error, Result};
use crate::store::{ImportReport, OnConflict};
use crate::transfer;
use serde::Serialize;
use std::path::PathBuf;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

#[derive(Serialize)]
pub struct ExportDone {
    path: String,
    organizations: usize,
    credentials: usize,
    secrets_included: bool,
}

/// A file name for the save dialog: `<org or "all">-credentials-<date>.json`.
fn suggested_name(org_name: Option<&str>) -> String {
    let date = crate::store::now().chars().take(10).collect::<String>();
    let stem: String = org_name
        .map(|n| n.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect())
        .unwrap_or_else(|| "all".into());
    let stem = stem.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    let stem = if stem.is_empty() { "organization".to_string() } else { stem };
    format!("{stem}-credentials-{date}.json")
}

fn dialog_path(picked: Option<tauri_plugin_dialog::FilePath>) -> Result<Option<PathBuf>> {
    match picked {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|e| Error::Io(format!("that location cannot be used: {e}"))),
    }
}

/// Asks where to save, then writes the export file. `null` when cancelled.
#[tauri::command]
pub async fn export_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    org_id: Option<i64>,
    include_secrets: bool,
) -> Result<Option<ExportDone>> {
    let names = match org_id {
        Some(id) => vec![state.with_store(|s| s.get_org(id))?.name],
        None => vec![],
    };
    let picked = app
        .dialog()
        .file()
        .set_title(if include_secrets { "Export credentials WITH SECRETS" } else { "Export credentials" })
        .set_file_name(suggested_name(names.first().map(String::as_str)))
        .add_filter("JSON", &["json"])
        .blocking_save_file();
    let Some(path) = dialog_path(picked)? else { return Ok(None) };
    let doc = state.with_store(|s| transfer::export(s, &names, include_secrets))?;
    let organizations = doc["organizations"].as_array().map_or(0, Vec::len);
    let credentials = doc["organizations"]
        .as_array()
        .map_or(0, |orgs| orgs.iter().map(|o| o["credentials"].as_array().map_or(0, Vec::len)).sum());
    transfer::write_atomic(&path, transfer::to_text(&doc).as_bytes())?;
    Ok(Some(ExportDone {
        path: path.display().to_string(),
        organizations,
        credentials,
        secrets_included: include_secrets,
    }))
}

#[derive(Serialize)]
pub struct ImportPreview {
    file_name: String,
    report: ImportReport,
}

fn preview(state: &AppState, on_conflict: OnConflict) -> Result<ImportPreview> {
    state.with_pending_import(|path, file| {
        let report = state.with_store(|s| s.import(file, on_conflict, true, &mut |_, _| {}))?;
        Ok(ImportPreview { file_name: path.display().to_string(), report })
    })
}

/// Asks for a file, reads and checks it, and previews the import (nothing
/// is written). `null` when cancelled. A file that cannot be imported at all
/// fails with its problems.
#[tauri::command]
pub async fn choose_import_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on_conflict: OnConflict,
) -> Result<Option<ImportPreview>> {
    let picked = app.dialog().file().set_title("Import credentials").add_filter("JSON", &["json"]).blocking_pick_file();
    let Some(path) = dialog_path(picked)? else { return Ok(None) };
    state.clear_pending_import();
    let file = transfer::read_file(&path)?;
    state.set_pending_import(path, file);
    preview(&state, on_conflict).map(Some)
}

/// Previews the chosen file again with another conflict policy.
#[tauri::command]
pub fn preview_import(state: State<'_, AppState>, on_conflict: OnConflict) -> Result<ImportPreview> {
    preview(&state, on_conflict)
}

#[derive(Clone, Serialize)]
pub struct Progress {
    done: usize,
    total: usize,
}

/// Imports the chosen file: all or nothing.
#[tauri::command]
pub async fn apply_import(
    state: State<'_, AppState>,
    on_conflict: OnConflict,
    on_progress: Channel<Progress>,
) -> Result<ImportReport> {
    let report = state.with_pending_import(|_, file| {
        let mut last = 0;
        let mut progress = |done: usize, total: usize| {
            // At most ~100 messages, whatever the file's size.
            if done == total || done - last >= (total / 100).max(1) {
                last = done;
                let _ = on_progress.send(Progress { done, total });
            }
        };
        state.with_store(|s| s.import(file, on_conflict, false, &mut progress))
    })?;
    if !report.problems.is_empty() {
        return Err(Error::Invalid(report.problems));
    }
    state.clear_pending_import();
    Ok(report)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggested_names_are_safe_and_dated() {
        let name = super::suggested_name(Some("Acme Bots/<x>"));
        assert!(name.starts_with("acme-bots-x-credentials-20"), "{name}");
        assert!(name.ends_with(".json"));
        assert!(super::suggested_name(None).starts_with("all-credentials-"));
        assert!(super::suggested_name(Some("***")).starts_with("organization-credentials-"));
    }
}
