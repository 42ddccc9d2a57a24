//! One window per database: a second launch on the same database brings the
//! first window to the front and exits (tauri's single-instance plugin, over
//! a D-Bus name on Linux). A launch on another database opens its own
//! window; the terminal is never affected.

use std::path::{Path, PathBuf};
use tauri::{Manager, Runtime};

/// The D-Bus name prefix: the bundle identifier (tauri.conf.json).
const IDENTIFIER: &str = "dev.botcredentials.desktop";

/// The page's event for "you were started again" (see ui/js/outside.js).
const RELAUNCHED_SCRIPT: &str = "window.dispatchEvent(new CustomEvent('bot-credentials:relaunched'))";

/// The plugin, keyed by the database this window opens.
pub fn plugin<R: Runtime>(db_path: &str) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance_id(Path::new(db_path)))
        .callback(|app, _argv, _cwd| bring_to_front(app))
        .build()
}

/// A well-known D-Bus name for the database: the identifier and a stable
/// hash of the file's canonical path (the same file reached by two paths is
/// one database). Only letters, digits and dots, as D-Bus names require.
pub fn instance_id(db: &Path) -> String {
    format!("{IDENTIFIER}.db{:016x}", fnv1a(canonical(db).as_os_str().as_encoded_bytes()))
}

fn canonical(db: &Path) -> PathBuf {
    if let Ok(path) = std::fs::canonicalize(db) {
        return path;
    }
    // Not created yet: its folder may exist.
    match (db.parent().and_then(|d| std::fs::canonicalize(d).ok()), db.file_name()) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf()),
    }
}

/// FNV-1a, 64 bits: an identifier, not a secret (and stable across builds,
/// unlike std's hasher, so two versions of the app agree on it).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

fn bring_to_front<R: Runtime>(app: &tauri::AppHandle<R>) {
    tracing::info!(op = "second_launch", "the window was started again on its database; brought to the front");
    let Some(window) = app.get_webview_window("main") else { return };
    let _ = window.unminimize();
    let _ = window.show();
    let _ = window.set_focus();
    let _ = window.eval(RELAUNCHED_SCRIPT);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_per_database_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("a.sqlite3");
        std::fs::write(&db, b"").expect("write");
        let via_dots = dir.path().join(".").join("a.sqlite3");
        assert_eq!(instance_id(&db), instance_id(&via_dots), "two paths to one file are one database");
        assert_ne!(instance_id(&db), instance_id(&dir.path().join("b.sqlite3")));
        let id = instance_id(&db);
        assert!(id.starts_with("dev.botcredentials.desktop.db"), "{id}");
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'), "a valid D-Bus name: {id}");
    }

    #[test]
    fn a_database_not_created_yet_has_the_name_it_will_have() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("new.sqlite3");
        let before = instance_id(&db);
        std::fs::write(&db, b"").expect("write");
        assert_eq!(before, instance_id(&db));
    }

    #[test]
    fn the_identifier_is_the_bundle_identifier() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).expect("tauri.conf.json");
        assert_eq!(conf["identifier"], IDENTIFIER);
    }
}
