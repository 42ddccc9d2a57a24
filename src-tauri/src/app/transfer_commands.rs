//! Export and import from the window. File paths never come from the web
//! page: Rust opens the save and open dialogs itself, so the page needs no
//! file-system or dialog permission at all.

use super::state::{AppState, PendingImport, PostmanPending};
use bot_credentials_core::envelope::{self, Encryption, Sealing};
use bot_credentials_core::error::{Error, Problem, Result};
use bot_credentials_core::store::{ImportReport, OnConflict};
use bot_credentials_core::transfer::{self, postman};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use zeroize::Zeroizing;

#[derive(Serialize)]
pub struct ExportDone {
    path: String,
    organizations: usize,
    credentials: usize,
    secrets_included: bool,
    encrypted: bool,
}

/// How the page asks for an encrypted export.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptionArg {
    passphrase: Option<String>,
    recipients: Option<Vec<String>>,
}

impl EncryptionArg {
    fn into_encryption(self) -> Result<Encryption> {
        match (self.passphrase, self.recipients) {
            (Some(p), None) => {
                let p = Zeroizing::new(p);
                bot_credentials_core::seal::passphrase::check_new(&p).map_err(|m| Error::invalid("passphrase", m))?;
                Ok(Encryption::Passphrase(p))
            }
            (None, Some(r)) => Ok(Encryption::Recipients(envelope::parse_recipients(&r, "recipients line")?)),
            _ => Err(Error::invalid("encryption", "give either a passphrase or recipients")),
        }
    }
}

/// A file name for the save dialog: `<org or "all">-credentials-<date>.json`.
fn suggested_name(org_name: Option<&str>, encrypted: bool, armor: bool) -> String {
    let date = bot_credentials_core::store::now().chars().take(10).collect::<String>();
    let stem: String = org_name
        .map(|n| n.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect())
        .unwrap_or_else(|| "all".into());
    let stem = stem.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    let stem = if stem.is_empty() { "organization".to_string() } else { stem };
    let ext = match (encrypted, armor) {
        (false, _) => "json",
        (true, false) => "json.age",
        (true, true) => "json.age.txt",
    };
    format!("{stem}-credentials-{date}.{ext}")
}

pub(super) fn dialog_path(picked: Option<tauri_plugin_dialog::FilePath>) -> Result<Option<PathBuf>> {
    match picked {
        None => Ok(None),
        Some(p) => p.into_path().map(Some).map_err(|e| Error::Io(format!("that location cannot be used: {e}"))),
    }
}

/// Asks where to save, then writes the export file (encrypted with age
/// when `encryption` is given). `null` when cancelled.
#[tauri::command]
pub async fn export_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    org_id: Option<i64>,
    include_secrets: bool,
    encryption: Option<EncryptionArg>,
    armor: Option<bool>,
) -> Result<Option<ExportDone>> {
    let encryption = encryption.map(EncryptionArg::into_encryption).transpose()?;
    let armor = armor.unwrap_or(false) && encryption.is_some();
    let with_secrets = include_secrets || encryption.is_some();
    let names = match org_id {
        Some(id) => vec![state.with_store(|s| s.get_org(id))?.name],
        None => vec![],
    };
    // Ask for the key before the save dialog, so a locked store unlocks first.
    if with_secrets {
        state.with_store(|s| s.require_key())?;
    }
    let title = match (&encryption, with_secrets) {
        (Some(_), _) => "Export credentials, encrypted",
        (None, true) => "Export credentials WITH SECRETS in plain text",
        (None, false) => "Export credentials",
    };
    let mut dialog = app.dialog().file().set_title(title).set_file_name(suggested_name(
        names.first().map(String::as_str),
        encryption.is_some(),
        armor,
    ));
    dialog = if encryption.is_some() {
        dialog.add_filter("age", &["age", "txt"])
    } else {
        dialog.add_filter("JSON", &["json"])
    };
    let Some(path) = dialog_path(dialog.blocking_save_file())? else { return Ok(None) };
    let subject = format!(
        "{} to {}{}",
        if names.is_empty() { "every organization".to_string() } else { format!("{:?}", names[0]) },
        path.display(),
        match (&encryption, with_secrets) {
            (Some(_), _) => ", encrypted",
            (None, true) => ", WITH SECRETS in plain text",
            (None, false) => ", secrets redacted",
        }
    );
    let counts = super::log::outcome(
        "export",
        &subject,
        state.with_store(|s| transfer::export_to_file(s, &names, include_secrets, encryption.as_ref(), armor, &path)),
    )?;
    tracing::info!(op = "export", organizations = counts.organizations, credentials = counts.credentials, "written");
    Ok(Some(ExportDone {
        path: path.display().to_string(),
        organizations: counts.organizations,
        credentials: counts.credentials,
        secrets_included: with_secrets,
        encrypted: encryption.is_some(),
    }))
}

#[derive(Debug, Serialize)]
pub struct ImportPreview {
    file_name: String,
    report: ImportReport,
    /// What a Postman collection left out, by place (the first few; `note_count` in all).
    #[serde(serialize_with = "bot_credentials_core::error::first_problems")]
    notes: Vec<Problem>,
    note_count: usize,
}

/// What choosing (or opening) an import file gave.
#[derive(Debug, Serialize)]
pub struct ImportOpened {
    file_name: String,
    encryption: &'static str,
    needs_passphrase: bool,
    preview: Option<ImportPreview>,
    /// A Postman collection: ask for its organization (and environment),
    /// then `open_postman_import`.
    postman: Option<PostmanOpened>,
}

#[derive(Debug, Serialize)]
pub struct PostmanOpened {
    /// The collection's name.
    collection: Option<String>,
}

pub(super) fn preview(state: &AppState, on_conflict: OnConflict) -> Result<ImportPreview> {
    state.with_pending_import(|pending| {
        let file = pending.file.as_ref().ok_or_else(|| Error::Locked("the chosen file is not opened yet".into()))?;
        let report = state.with_store(|s| s.import(file, on_conflict, true, &mut |_, _| {}))?;
        let notes = pending.postman.as_ref().map(|p| p.notes.clone()).unwrap_or_default();
        Ok(ImportPreview { file_name: pending.path.display().to_string(), report, note_count: notes.len(), notes })
    })
}

/// Opens the pending file: plain JSON as it is, an age file with the given
/// passphrase, the identities of an identity file, or this database's own.
fn open_pending(
    state: &AppState,
    passphrase: Option<&str>,
    identities: Option<&[Box<dyn age::Identity>]>,
    on_conflict: OnConflict,
) -> Result<ImportOpened> {
    let (file_name, sealing) = state.with_pending_import(|pending| {
        if pending.postman.is_some() && pending.file.is_none() {
            return Err(Error::invalid("", "this is a Postman collection: choose its organization first"));
        }
        if pending.file.is_none() {
            let plain = match (pending.sealing, identities, passphrase) {
                (None, _, _) => Some(Zeroizing::new(pending.raw.to_vec())),
                (Some(_), Some(ids), _) => {
                    Some(envelope::open_with_identities(&pending.raw, ids, "that identity file")?)
                }
                (Some(Sealing::Passphrase), None, Some(p)) => Some(envelope::open_with_passphrase(&pending.raw, p)?),
                (Some(Sealing::Passphrase), None, None) => None,
                (Some(Sealing::Recipients), None, _) => {
                    let me = state.with_store(|s| s.age_identity())?;
                    let whose = format!("this database's key ({}): choose an identity file", me.to_public());
                    Some(envelope::open_with_identities(&pending.raw, &[Box::new(me)], &whose)?)
                }
            };
            if let Some(plain) = plain {
                pending.file = Some(transfer::parse_bytes(&plain)?);
            }
        }
        Ok((pending.path.display().to_string(), pending.sealing))
    })?;
    let opened = state.with_pending_import(|p| Ok(p.file.is_some()))?;
    let encryption = sealing.map_or("none", Sealing::as_str);
    if !opened {
        return Ok(ImportOpened { file_name, encryption, needs_passphrase: true, preview: None, postman: None });
    }
    let preview = Some(preview(state, on_conflict)?);
    Ok(ImportOpened { file_name, encryption, needs_passphrase: false, preview, postman: None })
}

/// Asks for a file, reads it, and (when it is plain or sealed to us) checks
/// and previews the import; nothing is written. `null` when cancelled. A
/// file that cannot be imported at all fails with its problems. A Postman
/// collection (`info.schema` names getpostman.com) is checked and then
/// waits for its organization (`postman` is set, `preview` null).
#[tauri::command]
pub async fn choose_import_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on_conflict: OnConflict,
) -> Result<Option<ImportOpened>> {
    let picked = app
        .dialog()
        .file()
        .set_title("Import credentials")
        .add_filter("Export files", &["json", "age", "txt"])
        .blocking_pick_file();
    let Some(path) = dialog_path(picked)? else { return Ok(None) };
    open_chosen(&state, path, on_conflict).map(Some)
}

/// The chosen import file: read, then previewed, opened as far as it can
/// be without a passphrase, or (a Postman collection) checked.
pub(super) fn open_chosen(state: &AppState, path: PathBuf, on_conflict: OnConflict) -> Result<ImportOpened> {
    state.clear_pending_import();
    let raw = transfer::read_limited(&path)?;
    let sealing = if envelope::is_age(&raw) { Some(envelope::sealing(&raw)?) } else { None };
    if sealing.is_none() && postman::is_collection(&raw) {
        let collection = postman::collection_name(&raw)?;
        let file_name = path.display().to_string();
        let postman = Some(PostmanPending::default());
        state.set_pending_import(PendingImport { path, raw, sealing, file: None, postman });
        let postman = Some(PostmanOpened { collection });
        return Ok(ImportOpened { file_name, encryption: "none", needs_passphrase: false, preview: None, postman });
    }
    state.set_pending_import(PendingImport { path, raw, sealing, file: None, postman: None });
    open_pending(state, None, None, on_conflict)
}

/// Opens the chosen encrypted file with a passphrase (or, with `null`,
/// this database's own key again, e.g. after an unlock).
#[tauri::command(async)]
pub fn open_encrypted_import(
    state: State<'_, AppState>,
    passphrase: Option<String>,
    on_conflict: OnConflict,
) -> Result<ImportOpened> {
    let passphrase = passphrase.map(Zeroizing::new);
    open_pending(&state, passphrase.as_deref().map(String::as_str), None, on_conflict)
}

/// Asks for an age identity file and opens the chosen import file with it.
#[tauri::command]
pub async fn choose_identity_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on_conflict: OnConflict,
) -> Result<Option<ImportOpened>> {
    state.with_pending_import(|_| Ok(()))?;
    let picked = app.dialog().file().set_title("Choose an age identity file").blocking_pick_file();
    let Some(path) = dialog_path(picked)? else { return Ok(None) };
    let ids = envelope::read_identity_file(&path)?;
    open_pending(&state, None, Some(&ids), on_conflict).map(Some)
}

/// Previews the chosen file again with another conflict policy.
#[tauri::command(async)]
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
    let report = state.with_pending_import(|pending| {
        let file = pending.file.as_ref().ok_or_else(|| Error::Locked("the chosen file is not opened yet".into()))?;
        let mut last = 0;
        let mut progress = |done: usize, total: usize| {
            // At most ~100 messages, whatever the file's size.
            if done == total || done - last >= (total / 100).max(1) {
                last = done;
                let _ = on_progress.send(Progress { done, total });
            }
        };
        state.with_store(|s| s.import(file, on_conflict, false, &mut progress))
    });
    let report = super::log::outcome("import", &format!("{on_conflict:?}"), report)?;
    if !report.problems.is_empty() {
        tracing::warn!(op = "import", problems = report.problems.len(), "refused: nothing was imported");
        return Err(Error::Invalid(report.problems));
    }
    tracing::info!(
        op = "import",
        added = report.added,
        replaced = report.replaced,
        skipped = report.skipped,
        "applied"
    );
    state.clear_pending_import();
    Ok(report)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggested_names_are_safe_and_dated() {
        let name = super::suggested_name(Some("Acme Bots/<x>"), false, false);
        assert!(name.starts_with("acme-bots-x-credentials-20"), "{name}");
        assert!(name.ends_with(".json"));
        assert!(super::suggested_name(None, false, false).starts_with("all-credentials-"));
        assert!(super::suggested_name(Some("***"), false, false).starts_with("organization-credentials-"));
        assert!(super::suggested_name(None, true, false).ends_with(".json.age"));
        assert!(super::suggested_name(None, true, true).ends_with(".json.age.txt"));
    }
}
