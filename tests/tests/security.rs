//! Issue #8: secrets sealed at rest, and shared sealed. A master passphrase
//! set from the Security page locks the window at the next start: a wrong
//! passphrase is refused beside the field, the right one opens the picker;
//! Lock now locks again; Continue locked still lists and searches names, and
//! an action that needs the key asks for the passphrase on the spot. An
//! export encrypted with a passphrase opens in another database only with it.
//! (The harness gives each database its own config folder and no keyring, so
//! the key goes to a key file in the test's temporary directory.)

use std::path::{Path, PathBuf};

use bot_credentials_e2e::{App, ORDERS_URL};
use serde_json::json;

const ORG: &str = "Acme Bots";
const PASSWORD: &str = "basic-Pass-7Qx2Lm";
const NEW_PASSWORD: &str = "basic-Pass-8Rz3Nn";
const TOKEN: &str = "tok-sealed-3Rk9Vd";
const MASTER: &str = "correct horse battery staple";
const EXPORT_PASSPHRASE: &str = "export-pass-4Wq8Zt";

/// Where a screenshot goes: `docs/` with `scripts/screenshots.sh`, else the artifacts folder.
fn shot(name: &str) -> PathBuf {
    bot_credentials_e2e::paths::readme_screenshot_named(&format!("{name}.png"))
}

/// [`ORG`] (added through the window) with CRM (Basic, [`PASSWORD`]) and Orders
/// API (Consumer Authentication, no secret), seeded; its Credentials list open.
fn add_credentials(app: &App) {
    app.add_organization(ORG);
    app.seed_credential(
        ORG,
        json!({ "name": "CRM", "type": "basic_authentication", "username": "svc-bot", "password": PASSWORD }),
    );
    app.seed_credential(
        ORG,
        json!({ "name": "Orders API", "type": "consumer_authentication", "authentication_url": ORDERS_URL }),
    );
    app.open_organization(ORG);
    app.expect_row_names(&["CRM", "Orders API"]);
}

fn under(path: &str, dir: &Path) -> bool {
    Path::new(path).starts_with(dir)
}

#[test]
fn a_master_passphrase_locks_the_window_until_it_is_typed() {
    let dir = tempfile::Builder::new().prefix("bot-credentials-e2e-sealed-").tempdir().expect("a temporary directory");
    let db = dir.path().join("credentials.sqlite3");

    // Without a keyring, the key is in a key file in this test's config folder.
    let app = App::launch_with_db(&db);
    add_credentials(&app);
    app.open_security();
    app.expect_protection("Protected by a key file");
    let status = app.security_status();
    assert_eq!(status["protection"], "key_file", "{status}");
    let key_file = status["key_file"].as_str().unwrap_or_else(|| panic!("no key file in {status}")).to_owned();
    assert!(
        under(&key_file, dir.path()),
        "the key file {key_file} is outside the test's folder {}",
        dir.path().display()
    );
    let page = app.visible_text();
    assert!(page.contains(&key_file), "the Security page shows the key file's path: {page}");
    assert!(page.contains("the database file alone reveals nothing"), "what it protects against: {page}");
    assert!(
        app.field_description("System keyring").contains("No system keyring"),
        "the keyring choice says why it is not available: {:?}",
        app.field_description("System keyring")
    );
    assert_eq!(app.field_value("Lock after inactivity"), "Never");
    assert!(!app.has_button("Lock"), "Lock shows without a passphrase");

    // The About box names the database and the protection.
    app.click_button("About");
    app.expect_dialog();
    let about = app.dialog_text();
    assert!(about.contains(db.to_str().expect("a UTF-8 path")), "About names the database: {about}");
    assert!(about.contains("Protected by a key file"), "About names the protection: {about}");
    app.click_button("Close");
    app.expect_no_dialog();
    app.settle_for_screenshot();
    app.screenshot(&shot("security-key-file"));

    // Set master passphrase: checked in the page first.
    app.choose_radio("Master passphrase");
    app.click_button("Set master passphrase…");
    app.expect_dialog();
    app.fill("New passphrase", "short");
    app.fill("Confirm passphrase", "short");
    app.click_button("Set passphrase");
    let problem = app.expect_problem("New passphrase");
    assert!(problem.contains("8 characters"), "a short passphrase is refused: {problem:?}");
    app.fill("New passphrase", MASTER);
    app.fill("Confirm passphrase", "correct horse battery stapler");
    app.click_button("Set passphrase");
    let problem = app.expect_problem("Confirm passphrase");
    assert!(problem.contains("not the same"), "two different passphrases are refused: {problem:?}");
    app.click_button("Cancel");
    app.expect_no_dialog();
    assert_eq!(app.security_status()["protection"], "key_file", "Cancel changed the protection");

    app.set_master_passphrase(MASTER);
    assert!(app.has_button("Lock now") && app.has_button("Lock"), "Lock now and Lock show once unlocked");
    assert_eq!(app.security_status()["locked"], false);
    app.select_option("Lock after inactivity", "15 minutes");
    app.wait_until("auto-lock to be stored", || app.security_status()["auto_lock_minutes"] == 15);
    app.settle_for_screenshot();
    app.screenshot(&shot("security-passphrase"));
    drop(app);

    // The next start shows the unlock screen, not the picker.
    let app = App::launch_with_db(&db);
    app.expect_unlock_screen();
    assert!(app.visible_text().contains("Bot Credentials is locked"), "{}", app.visible_text());
    assert!(!app.has_button("Add Organization"), "the picker shows behind the unlock screen");
    app.settle_for_screenshot();
    app.screenshot(&shot("unlock-screen"));

    // A wrong passphrase: Rust's message beside the field, which keeps the focus.
    app.unlock_screen_with("not the passphrase");
    let problem = app.expect_problem("Passphrase");
    assert!(!problem.is_empty());
    assert!(app.has_focus("Passphrase"), "the passphrase field keeps the focus after a refusal");
    assert!(app.on_unlock_screen(), "a wrong passphrase left the unlock screen");
    assert_eq!(app.security_status()["locked"], true);

    // The right one: the picker.
    app.unlock_screen_with(MASTER);
    app.button("Add Organization");
    app.expect_row(ORG);
    assert!(!app.on_unlock_screen());

    // Lock now (Security page): the unlock screen again.
    app.open_security();
    app.expect_protection("Protected by your master passphrase");
    app.click_button("Lock now");
    app.expect_unlock_screen();
    assert_eq!(app.security_status()["locked"], true);

    // Continue locked: names, the list and search still work.
    app.click_button("Continue locked");
    app.expect_text("Unlock to see it");
    assert!(app.has_button("Unlock…") && !app.has_button("Lock"), "the sidebar offers Unlock… while locked");
    app.click_button("Organizations");
    app.open_organization(ORG);
    app.expect_row_names(&["CRM", "Orders API"]);
    app.fill("Search", "Ord");
    app.expect_result_count("1 of 2");
    app.focus("Search");
    app.press_escape();
    app.expect_row_names(&["CRM", "Orders API"]);

    // Saving a new secret needs the key: the window asks for the passphrase, then saves.
    app.use_menu("CRM", "Edit");
    app.expect_dialog();
    app.click_button("Next");
    app.fill("User Password", NEW_PASSWORD);
    app.click_button("Save");
    app.unlock_dialog_with("still not the passphrase");
    let problem = app.expect_problem("Passphrase");
    assert!(!problem.is_empty());
    app.unlock_dialog_with(MASTER);
    app.expect_no_dialog();
    app.expect_notice("Saved CRM");
    assert_eq!(app.security_status()["locked"], false);

    // Check sealed secrets: every one opens.
    app.dismiss_notices();
    app.open_security();
    app.click_button("Check sealed secrets");
    app.expect_text("The 1 secret opens.");
    assert!(app.text_of("#public-key").is_some_and(|k| k.starts_with("age1")), "the public key shows once unlocked");

    // Remove passphrase: without a keyring the key goes back to a key file, and
    // the CLI reads the password saved while the window was locked.
    app.click_button("Remove passphrase");
    app.wait_until("the Remove passphrase dialog", || app.dialog_text().contains("Remove passphrase?"));
    assert!(app.dialog_text().contains("key file"), "the dialog says where the key goes: {}", app.dialog_text());
    app.fill("Current passphrase", "not it either");
    app.click_button("Remove passphrase");
    assert!(!app.expect_problem("Current passphrase").is_empty());
    app.fill("Current passphrase", MASTER);
    app.click_button("Remove passphrase");
    app.expect_no_dialog();
    app.expect_protection("Protected by a key file");
    let status = app.security_status();
    assert!(
        status["key_file"].as_str().is_some_and(|k| under(k, dir.path())),
        "the key file is in the test's folder: {status}"
    );
    assert_eq!(app.exported_credential(ORG, "CRM")["password"], NEW_PASSWORD, "the CLI reads the new password");
}

#[test]
fn an_export_encrypted_with_a_passphrase_opens_in_another_database() {
    let files = tempfile::Builder::new().prefix("bot-credentials-e2e-files-").tempdir().expect("a temporary directory");
    let file = files.path().join("acme-credentials.age");

    // App A: Export, Encrypted, with secrets, with a passphrase, ASCII armor.
    let a = App::launch();
    add_credentials(&a);
    a.seed_credential(
        ORG,
        json!({ "name": "Reports Token", "type": "access_token", "access_token": TOKEN, "token_type": "Bearer" }),
    );
    a.click_button("Credentials");
    a.expect_row_names(&["CRM", "Orders API", "Reports Token"]);
    a.dismiss_notices();
    a.click_button("Export");
    a.expect_dialog();
    a.choose_radio("Encrypted, with secrets");
    assert!(a.is_checked("With a passphrase"), "an encrypted export starts with a passphrase");
    assert!(!a.dialog_text().contains("in plain text"), "the plain-text warning shows for an encrypted export");
    a.set_checked("ASCII armor (text you can paste)", true);
    a.fill("Passphrase", EXPORT_PASSPHRASE);
    a.fill("Confirm passphrase", "export-pass-4Wq8Zx");
    a.click_button("Export…");
    let problem = a.expect_problem("Confirm passphrase");
    assert!(problem.contains("not the same"), "{problem:?}");
    a.fill("Confirm passphrase", EXPORT_PASSPHRASE);
    a.confirm_encrypted_export(&file);
    a.expect_notice(&format!("Exported 3 credentials to {}", file.display()));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
    assert!(text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"), "an armored age file:\n{text}");
    for secret in [PASSWORD, TOKEN, "svc-bot", "Orders API"] {
        assert!(!text.contains(secret), "the encrypted export shows {secret:?}:\n{text}");
    }
    drop(a);

    // App B, a fresh database: Import asks for the passphrase, then the preview.
    let b = App::launch();
    b.choose_import(&file);
    b.wait_until("the passphrase dialog", || b.dialog_text().contains("This file is encrypted with a passphrase"));
    b.fill("Passphrase", "export-pass-wrong1");
    b.click_button("Open");
    let problem = b.expect_problem("Passphrase");
    assert!(!problem.is_empty());
    assert!(b.import_preview().is_none(), "a wrong passphrase opened the preview");
    b.fill("Passphrase", EXPORT_PASSPHRASE);
    b.click_button("Open");
    let p = b.expect_import_preview("3 credentials", |p| p.rows.len() == 3);
    assert_eq!(p.all_counts(), [1, 3, 0, 0], "counts: {p:#?}");
    assert!(p.rows.iter().all(|r| !r.needs_secret), "the secrets came along: {:#?}", p.rows);
    assert!(b.button_enabled("Import"));
    b.click_button("Import");
    b.expect_no_dialog();
    b.expect_notice("Imported 3 credentials");
    b.open_organization(ORG);
    b.expect_row_names(&["CRM", "Orders API", "Reports Token"]);
    assert_eq!(b.exported_credential(ORG, "CRM")["password"], PASSWORD);
    assert_eq!(b.exported_credential(ORG, "Reports Token")["access_token"], TOKEN);
}
