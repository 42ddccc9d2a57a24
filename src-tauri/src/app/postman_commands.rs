//! A Postman collection chosen in the import dialog (issue #12): its
//! environment file, then the collection read for an organization and
//! previewed like any import file (`transfer_commands` recognised it when
//! it was chosen, and `apply_import` imports it).

use super::state::{AppState, PostmanPending};
use super::transfer_commands::{dialog_path, preview, ImportPreview};
use bot_credentials_core::error::{Error, Problem, Result};
use bot_credentials_core::store::OnConflict;
use bot_credentials_core::transfer::{self, postman};
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// The Postman environment chosen for the pending collection: its file,
/// its name and how many variables it has (never a value).
#[derive(Debug, Serialize)]
pub struct EnvironmentChosen {
    file_name: String,
    name: Option<String>,
    variables: usize,
}

fn postman_pending(postman: &mut Option<PostmanPending>) -> Result<&mut PostmanPending> {
    postman.as_mut().ok_or_else(|| Error::invalid("", "the chosen file is not a Postman collection"))
}

/// Asks for a Postman environment file for the chosen collection and reads
/// it (its problems name the file or `environment.values[i]`). `null` when
/// cancelled; the one chosen before stays.
#[tauri::command]
pub async fn choose_postman_environment<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<EnvironmentChosen>> {
    state.with_pending_import(|p| postman_pending(&mut p.postman).map(|_| ()))?;
    let picked = app
        .dialog()
        .file()
        .set_title("Choose a Postman environment")
        .add_filter("Postman environment", &["json"])
        .blocking_pick_file();
    let Some(path) = dialog_path(picked)? else { return Ok(None) };
    use_environment(&state, path).map(Some)
}

/// Reads the environment file at `path` for the pending collection.
pub(super) fn use_environment(state: &AppState, path: PathBuf) -> Result<EnvironmentChosen> {
    state.with_pending_import(|p| postman_pending(&mut p.postman).map(|_| ()))?;
    let file_name = path.display().to_string();
    let named = |e: Error| match e {
        Error::Invalid(problems) => Error::Invalid(
            problems
                .into_iter()
                .map(|p| if p.field.is_empty() { Problem::new(file_name.clone(), p.message) } else { p })
                .collect(),
        ),
        other => other,
    };
    let environment = postman::read_environment(&transfer::read_limited(&path).map_err(named)?).map_err(named)?;
    let chosen = EnvironmentChosen {
        file_name: file_name.clone(),
        name: environment.name.clone(),
        variables: environment.len(),
    };
    state.with_pending_import(|p| {
        postman_pending(&mut p.postman)?.environment = Some((path, environment));
        p.file = None;
        Ok(())
    })?;
    Ok(chosen)
}

/// Reads the chosen Postman collection for `organization` (created when
/// missing), with the chosen environment when `environment` is true, and
/// previews its import; nothing is written. Problems name their place in
/// the collection (`item[1].request.auth.oauth2.clientSecret`), or
/// `organization`.
#[tauri::command(async)]
pub fn open_postman_import(
    state: State<'_, AppState>,
    organization: String,
    environment: bool,
    on_conflict: OnConflict,
) -> Result<ImportPreview> {
    state.with_pending_import(|pending| {
        pending.file = None;
        let postman = postman_pending(&mut pending.postman)?;
        let env = match (&postman.environment, environment) {
            (_, false) => None,
            (Some((_, env)), true) => Some(env),
            (None, true) => return Err(Error::invalid("environment", "no environment file is chosen")),
        };
        let read = postman::read_collection(&pending.raw, &organization, env)?;
        postman.notes = read.notes;
        pending.file = Some(read.file);
        Ok(())
    })?;
    preview(&state, on_conflict)
}
