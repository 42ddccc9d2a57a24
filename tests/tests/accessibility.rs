//! Issue #12, accessible: axe-core (vendored, injected through WebDriver)
//! finds no serious or critical violation (color contrast included) on any
//! screen of the window, in the light and in the dark theme: the picker (on
//! a fresh database and with organizations), the list (empty and full), a
//! row's menu, each step of Add Credentials for every type (with a problem
//! shown too), a delete confirmation, Export, the Import preview, the
//! Security page with its passphrase dialog and the unlock screen, and the
//! About box. With `scripts/screenshots.sh` the walk also rewrites the
//! README's screenshots of both themes (`docs/*-light.png`, `docs/*-dark.png`).

use std::path::PathBuf;

use bot_credentials_e2e::{paths, App, ORDERS_URL};
use serde_json::{json, Value};

const ORG: &str = "Acme Bots";
const MASTER: &str = "correct horse battery staple";

/// Where a README screenshot goes: `docs/` with `scripts/screenshots.sh`, else the artifacts folder.
fn shot(app: &App, name: &str, theme: &str) {
    app.settle_for_screenshot();
    app.screenshot(&paths::readme_screenshot_named(&format!("{name}-{theme}.png")));
}

fn shot_dialog(app: &App, name: &str, theme: &str) {
    // The dialog keeps its focus ring out of the picture too, but stays open.
    std::thread::sleep(std::time::Duration::from_millis(400));
    app.js("document.activeElement && document.activeElement.blur(); return true;", &[]).expect("blur");
    app.screenshot(&paths::readme_screenshot_named(&format!("{name}-{theme}.png")));
}

/// A picture for a person to look at, never for the README: always in the artifacts folder.
fn look(app: &App, name: &str, theme: &str) {
    std::thread::sleep(std::time::Duration::from_millis(400));
    app.screenshot(&paths::artifacts_dir().join("screenshots").join(format!("{name}-{theme}.png")));
}

/// Five credentials of five types, and (imported without its secret) one that needs a secret.
fn seed(app: &App) {
    for draft in [
        json!({ "name": "Orders API", "type": "consumer_authentication", "authentication_url": ORDERS_URL }),
        json!({ "name": "CRM", "type": "basic_authentication", "username": "svc-bot", "password": "basic-Pass-7Qx2Lm" }),
        json!({ "name": "Reports Token", "type": "access_token", "access_token": "tok-3Rk9Vd", "token_type": "Bearer" }),
        json!({ "name": "Payments OAuth", "type": "oauth2", "grant_type": "client_credentials", "client_id": "payments-bot",
                "client_secret": "oauth-Secret-7Kq2vX", "scope": "payments.read", "auth_url": "",
                "token_url": "https://auth.example.com/oauth/token", "pkce": false }),
        json!({ "name": "Returning Customers", "type": "consumer_pre_authentication" }),
    ] {
        app.seed_credential(ORG, draft);
    }
    let file = app.temp_dir().join("legacy.json");
    let doc = json!({ "format": "bot-credentials", "version": 1, "organizations": [{ "name": ORG, "credentials": [
        { "name": "Legacy Token", "type": "access_token", "access_token": null, "token_type": "Bearer" }] }] });
    std::fs::write(&file, doc.to_string()).expect("writing the file");
    let imported = app.cli(&["import", file.to_str().expect("a UTF-8 path")]);
    assert_eq!(imported.code, 0, "import: {}", imported.stderr);
}

/// The labels of the credential types, in the dialog's order.
fn type_labels(app: &App) -> Vec<(String, bool)> {
    let types = app.invoke("credential_types", json!({}));
    types
        .as_array()
        .expect("credential types")
        .iter()
        .map(|t| {
            let label = t["label"].as_str().expect("a label").to_owned();
            let has_step2 = t["fields"].as_array().is_some_and(|f| !f.is_empty());
            (label, has_step2)
        })
        .collect()
}

fn import_file(app: &App) -> PathBuf {
    let file = app.temp_dir().join("teammate-export.json");
    let doc = json!({ "format": "bot-credentials", "version": 1, "secrets": "redacted", "organizations": [
        { "name": ORG, "credentials": [
            { "name": "CRM", "type": "basic_authentication", "username": "svc-bot", "password": null },
            { "name": "Billing Token", "type": "access_token", "access_token": null, "token_type": "Bearer" } ] },
        { "name": "Beta Bots", "credentials": [
            { "name": "Orders API", "type": "consumer_authentication", "authentication_url": ORDERS_URL } ] } ] });
    std::fs::write(&file, doc.to_string()).expect("writing the import file");
    file
}

/// Every screen, checked by axe in `theme` ("Light" or "Dark").
fn walk(theme: &str) {
    let t = theme.to_lowercase();
    let app = App::launch();
    app.choose_theme(theme);
    assert_eq!(app.shown_theme(), t, "the Theme switch shows the {theme} theme");

    // A fresh database: the picker's first-run guide.
    app.expect_text("No organizations yet");
    app.assert_accessible("the picker on a fresh database");
    shot(&app, "first-run", &t);

    // The Add Organization dialog.
    app.click_button("Add Organization");
    app.expect_dialog();
    app.assert_accessible("the Add Organization dialog");
    app.press_escape();
    app.expect_no_dialog();

    // The picker with organizations (a toast showing too).
    app.add_organization(ORG);
    app.add_organization("Beta Bots");
    seed(&app);
    app.click_button("Organizations");
    app.expect_text("6 credentials");
    app.expect_notice("Created Beta Bots");
    app.assert_accessible("the picker, a notice showing");
    shot(&app, "picker", &t);
    app.use_menu("Beta Bots", "Rename");
    app.expect_dialog();
    app.assert_accessible("the Edit Organization dialog");
    app.press_escape();
    app.expect_no_dialog();

    // An organization without credentials: its guide.
    app.open_organization("Beta Bots");
    app.expect_text("No credentials yet");
    app.assert_accessible("an empty organization's list");
    app.click_button("All organizations");

    // The list, and a row's menu.
    app.open_organization(ORG);
    app.expect_row_names(&[
        "CRM",
        "Legacy Token",
        "Orders API",
        "Payments OAuth",
        "Reports Token",
        "Returning Customers",
    ]);
    app.expect_text("Needs secret");
    app.assert_accessible("the Credentials list");
    shot(&app, "list", &t);
    app.click_button("Actions for CRM");
    app.wait_until("the row menu", || {
        app.js("return !!document.querySelector('[role=menu]');", &[]).ok() == Some(Value::Bool(true))
    });
    app.assert_accessible("a row's menu");
    app.press_escape();

    // Add Credentials, step 1 and, for each type, step 2 (Consumer Authentication with a problem shown).
    app.click_button("Add Credentials");
    app.expect_dialog();
    app.assert_accessible("Add Credentials, step 1");
    app.fill("Name", "Orders API");
    app.click_button("Next");
    app.expect_problem("Name");
    app.assert_accessible("Add Credentials, step 1 with a problem");
    app.fill("Name", "Loyalty API");
    shot_dialog(&app, "add-credentials-step1", &t);
    for (label, has_step2) in type_labels(&app) {
        app.select_option("Authentication Type", &label);
        if !has_step2 {
            continue;
        }
        app.click_button("Next");
        app.button("Back");
        if label == "Consumer Authentication" {
            app.fill("Authentication URL", "http://accounts.example.com/authorize");
            app.click_button("Save");
            app.expect_problem("Authentication URL");
            app.assert_accessible("Add Credentials, step 2 of Consumer Authentication with a problem");
            app.fill("Authentication URL", ORDERS_URL);
            shot_dialog(&app, "add-credentials-step2", &t);
        } else if label == "OAuth 2.0" {
            app.button("Authorize");
            app.assert_accessible("Add Credentials, step 2 of OAuth 2.0 (Authorization Code, the redirect URI)");
            look(&app, "oauth-step2", &t);
        } else {
            app.assert_accessible(&format!("Add Credentials, step 2 of {label}"));
        }
        app.click_button("Back");
        app.field("Authentication Type");
    }
    app.press_escape();
    app.expect_no_dialog();

    // Edit (stored secrets kept), a delete confirmation and Export.
    app.use_menu("CRM", "Edit");
    app.expect_dialog();
    app.click_button("Next");
    app.expect_text("Stored value kept");
    app.assert_accessible("Edit Credentials, step 2");
    app.press_escape();
    app.expect_no_dialog();
    app.use_menu("Reports Token", "Delete");
    app.expect_dialog();
    app.assert_accessible("the delete confirmation");
    app.press_escape();
    app.expect_no_dialog();
    app.click_button("Export");
    app.expect_dialog();
    app.choose_radio("Encrypted, with secrets");
    app.assert_accessible("the Export dialog");
    app.press_escape();
    app.expect_no_dialog();

    // The Import preview (conflicts, a credential that needs a secret).
    app.dismiss_notices();
    let file = import_file(&app);
    app.choose_import(&file);
    let preview = app.expect_import_preview("3 credentials", |p| p.rows.len() == 3);
    assert!(preview.blocked.is_some(), "CRM conflicts under Fail: {preview:#?}");
    app.assert_accessible("the Import preview");
    look(&app, "import-preview", &t);
    app.click_button("Cancel");
    app.expect_no_dialog();

    // The About box.
    app.click_button("About");
    app.expect_dialog();
    app.expect_text("Protected by a key file");
    app.assert_accessible("the About box");
    look(&app, "about", &t);
    app.click_button("Close");
    app.expect_no_dialog();

    // The Security page, its passphrase dialog, then locked: the unlock screen.
    app.open_security();
    app.assert_accessible("the Security page");
    shot(&app, "security", &t);
    app.choose_radio("Master passphrase");
    app.click_button("Set master passphrase…");
    app.expect_dialog();
    app.assert_accessible("the Set master passphrase dialog");
    app.fill("New passphrase", MASTER);
    app.fill("Confirm passphrase", MASTER);
    app.click_button("Set passphrase");
    app.expect_no_dialog();
    app.expect_protection("Protected by your master passphrase");
    app.assert_accessible("the Security page with a master passphrase");
    app.click_button("Lock now");
    app.expect_unlock_screen();
    app.unlock_screen_with("not the passphrase");
    app.expect_problem("Passphrase");
    app.assert_accessible("the unlock screen with a problem");
    look(&app, "unlock", &t);
    app.click_button("Continue locked");
    app.expect_text("Unlock to see it");
    app.assert_accessible("the Security page while locked");
}

#[test]
fn every_screen_passes_axe_in_the_light_theme() {
    walk("Light");
}

#[test]
fn every_screen_passes_axe_in_the_dark_theme() {
    walk("Dark");
}
