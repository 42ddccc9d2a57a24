//! Issue #5: export and import in the window. Export writes the file the
//! native save dialog names (mode 0600, secrets redacted unless asked);
//! Import opens the native open dialog, previews what would happen (counts,
//! conflicts, "Needs secret") and writes nothing before Import is confirmed;
//! a file that cannot be imported is refused with its problems by JSON path.
//! The native dialogs are answered with the keyboard (xdotool).

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use bot_credentials_e2e::{paths, App, ImportPreview, ORDERS_URL};
use serde_json::{json, Value};

const ORG: &str = "Acme Bots";
const PASSWORD: &str = "basic-Pass-7Qx2Lm";
const TOKEN: &str = "tok-export-3Rk9Vd";
const NAMES: &[&str] = &["CRM", "Orders API", "Reports Token"];

/// A fresh window with [`ORG`] (added through the window) and three
/// credentials (seeded): CRM (Basic, [`PASSWORD`]), Orders API (Consumer
/// Authentication, no secret), Reports Token (Access Token, [`TOKEN`]);
/// its Credentials list open.
fn app_with_credentials() -> App {
    let app = App::launch();
    app.add_organization(ORG);
    for draft in [
        json!({ "name": "CRM", "type": "basic_authentication", "username": "svc-bot", "password": PASSWORD }),
        json!({ "name": "Orders API", "type": "consumer_authentication", "authentication_url": ORDERS_URL }),
        json!({ "name": "Reports Token", "type": "access_token", "access_token": TOKEN, "token_type": "Bearer" }),
    ] {
        app.seed_credential(ORG, draft);
    }
    app.open_organization(ORG);
    app.expect_row_names(NAMES);
    app
}

/// A folder for the files that go from one app to another.
fn files_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("bot-credentials-e2e-files-").tempdir().expect("creating a temporary directory")
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn mode_of(path: &Path) -> u32 {
    let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("the export {} is not there: {e}", path.display()));
    meta.permissions().mode() & 0o777
}

/// Checks the written export: a regular file, mode 0600, the expected
/// `secrets` marker, [`ORG`] with [`NAMES`]; returns its text.
fn check_export_file(path: &Path, secrets: &str) -> String {
    assert!(path.is_file(), "the export {} is not a file", path.display());
    assert_eq!(mode_of(path), 0o600, "the export {} is readable by others (mode {:o})", path.display(), mode_of(path));
    let text = read_text(path);
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("the export is not JSON ({e}):\n{text}"));
    assert_eq!(doc["format"], "bot-credentials", "the export's format:\n{text}");
    assert_eq!(doc["secrets"], secrets, "the export's secrets marker:\n{text}");
    let orgs = doc["organizations"].as_array().unwrap_or_else(|| panic!("the export has no organizations:\n{text}"));
    assert_eq!(orgs.len(), 1, "one organization exported:\n{text}");
    assert_eq!(orgs[0]["name"], ORG);
    let names: Vec<&str> = orgs[0]["credentials"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, NAMES, "the exported credentials:\n{text}");
    text
}

/// Clicks Import, answers the open dialog with `file` and waits for the
/// preview to list `rows` credentials.
fn preview(app: &App, file: &Path, rows: usize) -> ImportPreview {
    app.choose_import(file);
    let p = app.expect_import_preview(&format!("{rows} credentials"), |p| p.rows.len() == rows);
    assert_eq!(p.policy, "Fail", "the preview starts with Fail: {p:#?}");
    let name = file.file_name().and_then(|n| n.to_str()).expect("a file name");
    assert!(p.file.contains(name), "the preview names the file {name:?}: {:?}", p.file);
    p
}

/// Clicks Import in the preview and waits for it to close and the notice.
fn confirm_import(app: &App, notice: &str) {
    assert!(app.button_enabled("Import"), "Import is disabled: {:#?}", app.import_preview());
    app.click_button("Import");
    app.expect_no_dialog();
    app.expect_notice(notice);
}

fn needs_secret_rows(app: &App) -> Vec<String> {
    app.table_rows()
        .into_iter()
        .filter(|r| r.iter().any(|c| c.contains("Needs secret")))
        .filter_map(|r| r.into_iter().next())
        .collect()
}

fn org_list(app: &App) -> Value {
    app.cli_json(&["org", "list", "--json"])
}

#[test]
fn export_without_secrets_then_import_into_a_fresh_database() {
    let files = files_dir();
    let file = files.path().join("acme-export.json");

    // App A: Export (without secrets) from the organization's list.
    let a = app_with_credentials();
    a.dismiss_notices();
    a.click_button("Export");
    a.expect_dialog();
    let asked = a.dialog_text();
    assert!(asked.contains("Export credentials"), "the Export dialog: {asked:?}");
    assert!(asked.contains("3 credentials"), "the Export dialog says how many credentials: {asked:?}");
    assert!(a.is_checked("Without secrets"), "Without secrets is the first choice");
    assert!(!a.is_checked("Plain, with secrets") && !a.is_checked("Encrypted, with secrets"));
    assert!(!asked.contains("in plain text"), "the secrets warning shows without Plain, with secrets: {asked:?}");
    a.confirm_export(false, &file);
    a.expect_notice(&format!("Exported 3 credentials to {}", file.display()));
    let text = check_export_file(&file, "redacted");
    for secret in [PASSWORD, TOKEN] {
        assert!(!text.contains(secret), "the export without secrets holds the secret {secret:?}:\n{text}");
    }
    drop(a);

    // App B, a fresh database: Import from the picker, preview, confirm.
    let b = App::launch();
    assert_eq!(org_list(&b), json!([]), "B starts empty");
    let p = preview(&b, &file, 3);
    assert_eq!(p.all_counts(), [1, 3, 0, 0], "counts (organizations to add, to add, to replace, to skip): {p:#?}");
    assert_eq!(p.counts["organizations_added"].0, "Organizations to add");
    assert_eq!(p.counts["added"].0, "Credentials to add");
    assert!(p.problems.is_empty() && p.blocked.is_none(), "a fresh import shows problems: {p:#?}");
    assert!(p.import_enabled, "Import is disabled: {p:#?}");
    for row in &p.rows {
        assert_eq!((row.organization.as_str(), row.action.as_str(), row.data_action.as_str()), (ORG, "Add", "add"));
    }
    let types: Vec<&str> = NAMES.iter().map(|n| p.row(n).type_label.as_str()).collect();
    assert_eq!(types, ["Basic Authentication", "Consumer Authentication", "Access Token"]);
    let needing: Vec<&str> = p.rows.iter().filter(|r| r.needs_secret).map(|r| r.name.as_str()).collect();
    assert_eq!(needing, ["CRM", "Reports Token"], "the credentials marked Needs secret in the preview");
    assert_eq!(org_list(&b), json!([]), "the preview wrote something");

    confirm_import(&b, "Imported 3 credentials");
    let entry = b.expect_row(ORG);
    assert!(entry.iter().any(|c| c == "3 credentials"), "the picker lists the imported organization: {entry:?}");
    b.open_organization(ORG);
    b.expect_row_names(NAMES);
    assert_eq!(needs_secret_rows(&b), ["CRM", "Reports Token"], "the rows marked Needs secret: {:?}", b.table_rows());

    let listed = b.listed_credentials(ORG);
    let names: Vec<&str> = listed.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, NAMES, "list --json in B: {listed:?}");
    let crm = b.exported_credential(ORG, "CRM");
    assert_eq!(crm["username"], "svc-bot");
    assert_eq!(crm["password"], Value::Null, "a redacted export brought a password along: {crm}");
    assert_eq!(b.exported_credential(ORG, "Orders API")["authentication_url"], ORDERS_URL);
}

#[test]
fn conflicts_block_the_import_until_skip_or_replace_is_chosen() {
    let app = app_with_credentials();
    // The organization's own export (made by the CLI), plus one new credential.
    let file = app.temp_dir().join("again.json");
    let out = app.cli(&["export", "--org", ORG, "-o", file.to_str().expect("a UTF-8 path")]);
    assert_eq!(out.code, 0, "export failed: {}", out.stderr);
    let mut doc: Value = serde_json::from_str(&read_text(&file)).expect("the CLI's export is JSON");
    doc["organizations"][0]["credentials"]
        .as_array_mut()
        .expect("credentials")
        .push(json!({ "name": "Loyalty API", "type": "consumer_authentication", "authentication_url": ORDERS_URL }));
    std::fs::write(&file, doc.to_string()).expect("writing the file");

    // Fail: every existing credential is a problem, Import is disabled.
    let p = preview(&app, &file, 4);
    assert_eq!(p.all_counts(), [0, 1, 0, 0], "counts under Fail: {p:#?}");
    assert_eq!(p.problems.len(), 3, "one problem per existing credential: {p:#?}");
    for (i, name) in NAMES.iter().enumerate() {
        let want = format!("organizations[0].credentials[{i}].name: A credential named \"{name}\" already exists");
        assert!(
            p.problems.iter().any(|m| m.to_lowercase().starts_with(&want.to_lowercase())),
            "no problem {want:?} among {:#?}",
            p.problems
        );
        assert_eq!((p.row(name).action.as_str(), p.row(name).data_action.as_str()), ("Conflict", "conflict"));
    }
    assert_eq!(p.row("Loyalty API").data_action, "add");
    let blocked = p.blocked.clone().unwrap_or_default();
    assert!(
        blocked.contains("Skip") && blocked.contains("Replace"),
        "the explanation points at Skip or Replace: {p:#?}"
    );
    assert!(!p.import_enabled, "Import is enabled despite the conflicts: {p:#?}");
    assert!(!app.button_enabled("Import"), "the Import button is enabled despite the conflicts");

    // Skip: the existing ones are kept, Import is enabled.
    app.select_option("When a credential already exists", "Skip");
    let p = app.expect_import_preview("the Skip counts", |p| p.count("skipped") == 3);
    assert_eq!(p.all_counts(), [0, 1, 0, 3], "counts under Skip: {p:#?}");
    assert!(p.problems.is_empty() && p.blocked.is_none(), "problems remain under Skip: {p:#?}");
    assert!(p.import_enabled, "Import is disabled under Skip: {p:#?}");
    assert!(NAMES.iter().all(|n| p.row(n).data_action == "skip"), "rows under Skip: {:#?}", p.rows);
    assert!(p.counts["skipped"].0.contains("skip"), "the count's label: {:?}", p.counts["skipped"]);

    // Replace: the existing ones would be replaced.
    app.select_option("When a credential already exists", "Replace");
    let p = app.expect_import_preview("the Replace counts", |p| p.count("replaced") == 3);
    assert_eq!(p.all_counts(), [0, 1, 3, 0], "counts under Replace: {p:#?}");
    assert!(p.problems.is_empty() && p.import_enabled, "Replace is blocked: {p:#?}");
    assert!(NAMES.iter().all(|n| p.row(n).action == "Replace"), "rows under Replace: {:#?}", p.rows);
    assert_eq!(app.listed_credentials(ORG).len(), 3, "previewing wrote something");

    confirm_import(&app, "Imported 4 credentials (3 replaced)");
    app.expect_row_names(&["CRM", "Loyalty API", "Orders API", "Reports Token"]);
    let listed = app.listed_credentials(ORG);
    let names: Vec<&str> = listed.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["CRM", "Loyalty API", "Orders API", "Reports Token"], "nothing duplicated: {listed:?}");
    assert_eq!(org_list(&app).as_array().map(Vec::len), Some(1), "one organization: {}", org_list(&app));
    // The file had no secrets: replacing kept the stored ones.
    assert_eq!(
        app.exported_credential(ORG, "CRM")["password"],
        PASSWORD,
        "Replace from a redacted file lost CRM's password"
    );
    assert_eq!(app.exported_credential(ORG, "Reports Token")["access_token"], TOKEN);
    assert!(needs_secret_rows(&app).is_empty(), "rows need a secret after Replace: {:?}", app.table_rows());
}

#[test]
fn export_all_with_secrets_then_import_needs_no_secret() {
    let files = files_dir();
    let file = files.path().join("all-with-secrets.json");

    // App A: Export all from the picker, Plain, with secrets.
    let a = app_with_credentials();
    a.click_button("All organizations");
    a.expect_row(ORG);
    a.dismiss_notices();
    a.click_button("Export all");
    a.expect_dialog();
    assert!(
        !a.dialog_text().contains("in plain text"),
        "the secrets warning shows before Plain, with secrets is picked"
    );
    a.choose_radio("Plain, with secrets");
    a.wait_until("the secrets warning", || a.dialog_text().contains("in plain text"));
    assert!(
        a.field_description("Plain, with secrets").contains("in plain text"),
        "the choice is described by the warning: {:?}",
        a.field_description("Plain, with secrets")
    );
    a.choose_radio("Without secrets");
    a.wait_until("the secrets warning to go", || !a.dialog_text().contains("in plain text"));
    a.confirm_export(true, &file);
    a.expect_notice(&format!("Exported 3 credentials to {}", file.display()));
    let text = check_export_file(&file, "included");
    for secret in [PASSWORD, TOKEN] {
        assert!(text.contains(secret), "the export with secrets lacks {secret:?}:\n{text}");
    }
    drop(a);

    // App B: the import needs no secret.
    let b = App::launch();
    let p = preview(&b, &file, 3);
    assert_eq!(p.all_counts(), [1, 3, 0, 0], "counts: {p:#?}");
    assert!(p.rows.iter().all(|r| !r.needs_secret), "rows marked Needs secret: {:#?}", p.rows);
    confirm_import(&b, "Imported 3 credentials");
    b.open_organization(ORG);
    b.expect_row_names(NAMES);
    assert!(needs_secret_rows(&b).is_empty(), "rows need a secret: {:?}", b.table_rows());
    assert_eq!(b.exported_credential(ORG, "CRM")["password"], PASSWORD);
    assert_eq!(b.exported_credential(ORG, "Reports Token")["access_token"], TOKEN);
}

fn fixture(name: &str) -> PathBuf {
    paths::workspace_root().join("tests/fixtures/import").join(name)
}

/// Imports `file`, expects the error dialog listing `problems` (each the start
/// of one listed problem, case-insensitively), closes it.
fn expect_refused(app: &App, file: &Path, intro: &str, problems: &[&str]) {
    app.choose_import(file);
    let e = app.expect_import_error();
    assert_eq!(e.title, "Cannot import this file", "{e:#?}");
    assert_eq!(e.intro, intro, "{e:#?}");
    assert_eq!(e.problems.len(), problems.len(), "{e:#?}");
    for want in problems {
        assert!(
            e.problems.iter().any(|p| p.to_lowercase().starts_with(&want.to_lowercase())),
            "{} is refused without the problem {want:?}: {e:#?}",
            file.display()
        );
    }
    assert!(app.import_preview().is_none(), "a refused file got a preview too");
    app.click_button("Close");
    app.expect_no_dialog();
}

#[test]
fn a_hostile_file_is_refused_with_its_problems_and_nothing_changes() {
    let app = app_with_credentials();
    let orgs = org_list(&app);
    let listed = app.listed_credentials(ORG);

    // From the organization's list: a javascript: URL in the same organization.
    expect_refused(
        &app,
        &fixture("javascript-url.json"),
        "Nothing was imported. The file has a problem:",
        &["organizations[0].credentials[0].authentication_url: must be an absolute https URL"],
    );
    app.expect_row_names(NAMES);

    // Two problems at once, both listed.
    let mut doc: Value =
        serde_json::from_str(&read_text(&fixture("javascript-url.json"))).expect("the fixture is JSON");
    doc["organizations"][0]["credentials"].as_array_mut().expect("credentials").push(
        json!({ "name": "Loyalty API", "type": "consumer_authentication", "authentication_url": "data:text/html,hi" }),
    );
    let two = app.temp_dir().join("two-problems.json");
    std::fs::write(&two, doc.to_string()).expect("writing the file");
    expect_refused(
        &app,
        &two,
        "Nothing was imported. The file has 2 problems:",
        &[
            "organizations[0].credentials[0].authentication_url: must be an absolute https URL",
            "organizations[0].credentials[1].authentication_url: must be an absolute https URL",
        ],
    );

    // From the picker: a truncated file.
    app.click_button("All organizations");
    app.expect_row(ORG);
    expect_refused(
        &app,
        &fixture("truncated.json"),
        "Nothing was imported. The file has a problem:",
        &["Not JSON: EOF while parsing"],
    );
    let entry = app.expect_row(ORG);
    assert!(entry.iter().any(|c| c == "3 credentials"), "the picker entry changed: {entry:?}");
    assert_eq!(app.table_rows().len(), 1, "the picker lists more: {:?}", app.table_rows());

    assert_eq!(org_list(&app), orgs, "org list --json changed");
    assert_eq!(app.listed_credentials(ORG), listed, "list --json changed");
    assert!(!app.page_source().contains("javascript:alert"), "the page holds the refused URL");
}
