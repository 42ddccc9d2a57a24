//! The About box (issue #12): the version, the database file with a way to
//! open its folder, and the protection in force (the Security place's status).
//! The page never supplies a path: the folder opened is always the one of the
//! database this window has open.

use super::state::AppState;
use bot_credentials_core::error::{Error, Result};
use bot_credentials_core::seal::levels::Protection;
use bot_credentials_core::store::SecurityStatus;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

#[derive(Debug, Serialize)]
pub struct About {
    version: &'static str,
    /// The database file, as given (`--db`, `BOT_CREDENTIALS_DB`) or the default one.
    database_path: String,
    /// The folder that holds it, absolute; `null` when there is none to open.
    database_folder: Option<String>,
    /// `"keyring"`, `"key_file"` or `"passphrase"`; `null` when the database is not open.
    protection: Option<Protection>,
    /// The whole status the Security page shows (locked, key missing…); `null` likewise.
    security: Option<SecurityStatus>,
}

#[tauri::command]
pub fn about(state: State<'_, AppState>) -> About {
    // Reading the status is not use of the window (the auto-lock keeps counting).
    let security = state.with_store_unattended(|s| s.security_status()).ok();
    About {
        version: env!("CARGO_PKG_VERSION"),
        database_path: state.db_path.clone(),
        database_folder: database_folder(&state.db_path).ok().map(|p| p.display().to_string()),
        protection: security.as_ref().map(|s| s.protection),
        security,
    }
}

/// Opens the database's folder in the file manager (the system's opener, or
/// the program named by `BOT_CREDENTIALS_OPENER`, run with the folder as its
/// one argument, as the tests do).
#[tauri::command]
pub async fn open_database_folder<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<String> {
    let folder = database_folder(&state.db_path)?;
    let shown = folder.display().to_string();
    tauri::async_runtime::spawn_blocking(move || open_folder_with(&folder, |f| open_folder(&app, f)))
        .await
        .map_err(|e| Error::Io(format!("opening the folder stopped unexpectedly: {e}")))??;
    tracing::info!(op = "open_database_folder", subject = shown.as_str(), "done");
    Ok(shown)
}

/// The absolute folder of the database file `db_path`; an error naming the
/// path when there is none (an in-memory database, a folder that is gone).
pub fn database_folder(db_path: &str) -> Result<PathBuf> {
    if db_path.is_empty() || db_path == ":memory:" {
        return Err(Error::NotFound("this database is not a file, so it has no folder to open".into()));
    }
    let absolute = std::path::absolute(Path::new(db_path))
        .map_err(|e| Error::Io(format!("the folder of {db_path} could not be found: {e}")))?;
    let folder = absolute.parent().map(Path::to_path_buf).unwrap_or(absolute);
    if !folder.is_dir() {
        return Err(Error::NotFound(format!("the database's folder {} does not exist", folder.display())));
    }
    Ok(std::fs::canonicalize(&folder).unwrap_or(folder))
}

/// Runs `open` on `folder`, its error put as a sentence naming the folder.
pub fn open_folder_with(folder: &Path, open: impl FnOnce(&Path) -> std::result::Result<(), String>) -> Result<()> {
    open(folder).map_err(|e| Error::Io(format!("the folder {} could not be opened: {e}", folder.display())))
}

fn open_folder<R: Runtime>(app: &AppHandle<R>, folder: &Path) -> std::result::Result<(), String> {
    match bot_credentials_net::opener_override() {
        Some(program) => bot_credentials_net::spawn_opener(&program, folder.as_os_str(), ""),
        None => app.opener().open_path(folder.to_string_lossy(), None::<&str>).map_err(|e| e.to_string()),
    }
}
