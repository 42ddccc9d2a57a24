//! The window: Tauri builder, state and commands. Everything here is a thin
//! adapter over the core.

pub mod about_commands;
pub mod commands;
mod instance;
mod log;
pub mod oauth_commands;
pub mod postman_commands;
pub mod security_commands;
mod state;
pub mod transfer_commands;
mod window_state;

pub use state::AppState;

use std::path::PathBuf;
use std::process::ExitCode;

/// Registers the app's state and commands on a builder (the real one, or
/// the mock runtime's in tests).
pub fn register<R: tauri::Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_dialog::init())
        // Rust opens the browser (Authorize, Test link); the page gets none of
        // the plugin's permissions and no script of it.
        .plugin(tauri_plugin_opener::Builder::new().open_js_links_on_click(false).build())
        .manage(state)
        .manage(oauth_commands::Authorizing::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::outside_changes,
            commands::credential_types,
            commands::list_organizations,
            commands::create_organization,
            commands::rename_organization,
            commands::delete_organization,
            commands::list_window,
            commands::check_credential,
            commands::create_credential,
            commands::get_credential,
            commands::update_credential,
            commands::delete_credential,
            commands::undo_delete,
            transfer_commands::export_file,
            transfer_commands::choose_import_file,
            transfer_commands::open_encrypted_import,
            transfer_commands::choose_identity_file,
            transfer_commands::preview_import,
            transfer_commands::apply_import,
            postman_commands::choose_postman_environment,
            postman_commands::open_postman_import,
            security_commands::security_status,
            security_commands::unlock,
            security_commands::lock,
            security_commands::set_passphrase,
            security_commands::change_passphrase,
            security_commands::remove_passphrase,
            security_commands::set_protection,
            security_commands::set_auto_lock,
            security_commands::verify_secrets,
            oauth_commands::oauth_settings,
            oauth_commands::set_oauth_port,
            oauth_commands::authorize_credential,
            oauth_commands::cancel_authorization,
            oauth_commands::refresh_token,
            oauth_commands::check_link,
            oauth_commands::open_link,
            about_commands::about,
            about_commands::open_database_folder,
        ])
}

/// Opens the window. A database that cannot be opened is reported on the
/// terminal and in the window (which then shows only that message).
pub fn run(db: Option<PathBuf>) -> ExitCode {
    let _logs = bot_credentials_core::logs::init("window");
    tracing::info!(op = "start", version = env!("CARGO_PKG_VERSION"), "window");
    let state = AppState::open(db);
    if let Some(e) = state.startup_error() {
        eprintln!("bot-credentials: {e}");
    }
    // First, so that a second launch on this database exits before it does anything.
    let builder = tauri::Builder::default().plugin(instance::plugin(&state.db_path));
    // The window's size, position and maximized state come back at the next start (issue #12).
    let builder = builder.plugin(window_state::plugin()).on_window_event(window_state::on_window_event);
    match register(builder, state).run(tauri::generate_context!()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bot-credentials: the window could not be opened: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod about_tests;
#[cfg(test)]
mod hardening_tests;
#[cfg(test)]
mod leak_tests;
#[cfg(test)]
mod oauth_tests;
#[cfg(test)]
mod postman_tests;
#[cfg(test)]
mod security_tests;
#[cfg(test)]
mod spec_ui_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod wiring_tests;
