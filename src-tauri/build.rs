//! Generates the Tauri context and one `allow-<command>` permission per app
//! command, so the capability file can grant exactly the commands the UI uses.

const COMMANDS: &[&str] = &[
    "app_status",
    "outside_changes",
    "credential_types",
    "list_organizations",
    "create_organization",
    "rename_organization",
    "delete_organization",
    "list_window",
    "check_credential",
    "create_credential",
    "get_credential",
    "update_credential",
    "delete_credential",
    "undo_delete",
    "export_file",
    "choose_import_file",
    "open_encrypted_import",
    "choose_identity_file",
    "preview_import",
    "apply_import",
    "choose_postman_environment",
    "open_postman_import",
    "security_status",
    "unlock",
    "lock",
    "set_passphrase",
    "change_passphrase",
    "remove_passphrase",
    "set_protection",
    "set_auto_lock",
    "verify_secrets",
    "oauth_settings",
    "set_oauth_port",
    "authorize_credential",
    "cancel_authorization",
    "refresh_token",
    "check_link",
    "open_link",
    "about",
    "open_database_folder",
];

fn main() {
    // The window's files are embedded at compile time: rebuild when they change.
    println!("cargo:rerun-if-changed=../ui");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    println!("cargo:rerun-if-changed=capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
