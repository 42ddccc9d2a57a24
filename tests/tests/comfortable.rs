//! Issue #12, comfortable: the Theme switch (System, Light, Dark) remembered
//! across restarts; the window's size and position remembered; the picker's
//! Search, counts with thousands separators and the organization opened last
//! (focused and marked, or opened at start when asked); the first-run guide
//! whose buttons do what they say; the About box with the version, the
//! database (and a button that opens its folder) and the protection.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::time::Duration;

use bot_credentials_e2e::{App, FileDialog, ORDERS_URL};
use serde_json::json;

fn body_background(app: &App) -> String {
    app.js("return getComputedStyle(document.body).backgroundColor;", &[])
        .expect("reading the background")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_theme_follows_the_switch_and_is_remembered_across_restarts() {
    let mut app = App::launch();
    app.button("Add Organization");
    assert_eq!(app.field_value("Theme"), "System", "the theme follows the system at first");
    let system = app.shown_theme();
    assert!(system == "light" || system == "dark", "a theme shows: {system:?}");

    app.choose_theme("Dark");
    assert_eq!(app.shown_theme(), "dark");
    let dark = body_background(&app);
    app.choose_theme("Light");
    assert_eq!(app.shown_theme(), "light");
    assert_ne!(body_background(&app), dark, "the colors change with the theme");

    app.choose_theme("Dark");
    app.restart();
    app.button("Add Organization");
    assert_eq!(app.field_value("Theme"), "Dark", "the choice is remembered");
    assert_eq!(app.shown_theme(), "dark");
    assert_eq!(body_background(&app), dark, "the first paint after a restart is dark already");

    app.choose_theme("System");
    assert_eq!(app.shown_theme(), system, "System follows the desktop again");
    app.restart();
    app.button("Add Organization");
    assert_eq!(app.field_value("Theme"), "System");
}

#[test]
fn the_window_keeps_its_size_and_position_across_restarts() {
    let mut app = App::launch();
    app.button("Add Organization");
    let got = app.wd().set_window_rect(40, 30, 900, 640).expect("resizing the window");
    assert_eq!((got.2, got.3), (900, 640), "the window took the new size: {got:?}");
    // Moves and resizes reach the app as events; give it a moment to note them.
    std::thread::sleep(Duration::from_millis(800));
    app.restart();
    app.button("Add Organization");
    let (x, y, w, h) = app.wd().window_rect().expect("the window's rect");
    assert_eq!((w, h), (900, 640), "the size came back after a restart");
    assert!((x - 40).abs() <= 2 && (y - 30).abs() <= 2, "the position came back after a restart: ({x}, {y})");
    let saved =
        app.db_path().parent().expect("the folder").join("config/dev.botcredentials.desktop/.window-state.json");
    assert!(saved.is_file(), "the window state is kept beside the key files: {}", saved.display());
}

/// An export file with `n` Access Tokens in "Acme Bots" and two in "Beta Bots".
fn many(app: &App, n: usize) -> std::path::PathBuf {
    let creds: Vec<_> = (0..n)
        .map(|i| json!({"name": format!("Service {i:04}"), "type": "access_token", "access_token": null, "token_type": "Bearer"}))
        .collect();
    let doc = json!({"format": "bot-credentials", "version": 1, "organizations": [
        {"name": "Acme Bots", "credentials": creds},
        {"name": "Beta Bots", "credentials": [
            {"name": "CRM", "type": "basic_authentication", "username": "svc", "password": null},
            {"name": "Orders API", "type": "consumer_authentication", "authentication_url": ORDERS_URL}]}]});
    let file = app.temp_dir().join("many.json");
    std::fs::write(&file, doc.to_string()).expect("writing the file");
    file
}

fn entry_names(app: &App) -> Vec<String> {
    app.table_rows().iter().filter_map(|r| r.iter().find(|c| c.ends_with("Bots") || *c == "Gamma").cloned()).collect()
}

#[test]
fn the_picker_searches_counts_and_remembers_the_last_organization() {
    let mut app = App::launch();
    let file = many(&app, 1234);
    let imported = app.cli(&["import", file.to_str().expect("a UTF-8 path")]);
    assert_eq!(imported.code, 0, "import: {}", imported.stderr);
    assert_eq!(app.cli(&["org", "add", "Gamma"]).code, 0);
    app.click_button("Organizations");
    let acme = app.expect_row("Acme Bots");
    assert!(acme.iter().any(|c| c == "1,234 credentials"), "thousands are separated: {acme:?}");
    assert_eq!(app.text_of("#org-count").as_deref(), Some("3 organizations"));

    // Search filters by name, as the list's Search does.
    app.fill("Search", "BOTS");
    app.wait_until("two entries", || entry_names(&app) == ["Acme Bots", "Beta Bots"]);
    assert_eq!(app.text_of("#org-count").as_deref(), Some("2 of 3"));
    app.fill("Search", "zzz");
    app.expect_text("No organizations match “zzz”");
    app.click_button("Clear search");
    app.wait_until("every entry", || entry_names(&app) == ["Acme Bots", "Beta Bots", "Gamma"]);
    assert!(app.has_focus("Search"), "Clear search leaves the focus in Search");
    app.click_button("Organizations");
    app.press_ctrl("f");
    app.wait_until("Ctrl+F to focus the picker's Search", || app.has_focus("Search"));

    // The list counts the same way.
    app.open_organization("Acme Bots");
    app.expect_result_count("1,234 credentials");
    app.fill("Search", "Service 1");
    app.expect_result_count("234 of 1,234");
    app.click_button("All organizations");

    // The organization opened last: focused at start, and marked.
    app.restart();
    app.expect_row("Acme Bots");
    let entry = app.expect_row("Acme Bots");
    assert!(entry.iter().any(|c| c == "Last opened"), "the last organization is marked: {entry:?}");
    let beta = app.expect_row("Beta Bots");
    assert!(!beta.iter().any(|c| c == "Last opened"), "only the last one is marked: {beta:?}");
    let f = app.focused();
    assert!(f.tag == "button" && f.name.contains("Acme Bots"), "the last organization has the focus: {f:?}");
    app.press_enter();
    app.expect_result_count("1,234 credentials");

    // Asked to, the window opens it at start.
    app.click_button("All organizations");
    app.set_checked("Open the last organization at start", true);
    app.open_organization("Beta Bots");
    app.restart();
    app.button("Add Credentials");
    app.expect_row_names(&["CRM", "Orders API"]);
    assert_eq!(app.text_of("#org-title").as_deref(), Some("Beta Bots"));
    app.click_button("All organizations");
    app.set_checked("Open the last organization at start", false);
    app.restart();
    app.button("Add Organization");
    app.expect_row("Gamma");
}

#[test]
fn the_first_run_guide_does_what_it_says() {
    let app = App::launch();
    app.expect_text("No organizations yet");
    for step in ["Add an organization", "Add a credential", "Import a file"] {
        app.expect_text(step);
    }
    assert!(app.table_rows().is_empty(), "the guide is no list of organizations: {:?}", app.table_rows());

    // "Add a credential": the organization first, then Add Credentials in it.
    app.click_button("Add a credential");
    app.expect_dialog();
    assert!(app.dialog_text().contains("A credential belongs to an organization"), "{}", app.dialog_text());
    app.fill("Name", "Acme Bots");
    app.click_button("Create");
    app.wait_until("the Add Credentials dialog", || app.dialog_text().contains("Add Credentials"));
    assert!(app.has_field("Authentication Type"), "step 1 of Add Credentials: {}", app.dialog_text());
    app.press_escape();
    app.expect_no_dialog();
    assert_eq!(app.text_of("#org-title").as_deref(), Some("Acme Bots"));

    // An empty organization: its own guide, Add Credentials and Import a file.
    app.expect_text("No credentials yet");
    app.click_button("Add Credentials");
    app.expect_dialog();
    app.press_escape();
    app.expect_no_dialog();
    let file = app.temp_dir().join("backup.json");
    let doc = json!({"format": "bot-credentials", "version": 1, "organizations": [{"name": "Acme Bots", "credentials": [
        {"name": "Orders API", "type": "consumer_authentication", "authentication_url": ORDERS_URL}]}]});
    std::fs::write(&file, doc.to_string()).expect("writing the file");
    app.open_file_dialog("Import credentials", &file, FileDialog::Open, |app| app.click_button("Import a file"));
    app.expect_import_preview("1 credential", |p| p.rows.len() == 1);
    app.click_button("Import");
    app.expect_no_dialog();
    app.expect_notice("Imported 1 credential");
    app.expect_row("Orders API");
}

fn recording_opener(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let record = dir.join("opened.txt");
    let script = dir.join("opener.sh");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", record.display())).expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    (script, record)
}

#[test]
fn the_about_box_names_version_database_and_protection_and_opens_the_folder() {
    let dir = tempfile::Builder::new().prefix("bot-credentials-e2e-opener-").tempdir().expect("a folder");
    let (script, record) = recording_opener(dir.path());
    let app = App::launch_with_env(&[("BOT_CREDENTIALS_OPENER", script.as_os_str())]);
    app.button("Add Organization");
    app.click_button("About");
    app.expect_dialog();
    app.wait_until("the About box to fill in", || app.button_enabled("Open folder"));
    let text = app.dialog_text();
    assert!(text.contains(env!("CARGO_PKG_VERSION")), "About names the version: {text}");
    let db = app.db_path().to_str().expect("a UTF-8 path").to_owned();
    assert!(text.contains(&db), "About names the database {db}: {text}");
    assert!(text.contains("Protected by a key file"), "About names the protection: {text}");

    app.click_button("Open folder");
    let folder = std::fs::canonicalize(app.db_path().parent().expect("a folder")).expect("canonical");
    let folder = folder.display().to_string();
    app.wait_until("the opener to be run with the database's folder", || {
        std::fs::read_to_string(&record).is_ok_and(|t| t.lines().any(|l| l == folder))
    });
    app.expect_notice(&format!("Opened the folder {folder}"));
    app.click_button("Close");
    app.expect_no_dialog();
    assert_eq!(app.focused().name, "About", "the focus goes back to About");
}
