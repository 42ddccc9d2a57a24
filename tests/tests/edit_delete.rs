//! Issue #4: editing a credential (secrets kept unless retyped, a type change
//! confirmed first), deleting a credential or an organization (confirmed, with
//! Undo that brings the secrets back), renaming an organization.

use bot_credentials_e2e::{paths, App, ORDERS_URL};
use serde_json::Value;

const ORG: &str = "Acme Bots";
const FIRST_PASSWORD: &str = "first-Pass-8Rw2qK";
const SECOND_PASSWORD: &str = "second-Pass-1Zt7mD";
const TOKEN: &str = "tok-edit-5Vb9xH";

/// Adds the Basic Authentication credential "CRM" (svc-bot, [`FIRST_PASSWORD`]).
fn add_crm(app: &App) {
    app.start_credential("CRM", "Basic Authentication");
    app.click_button("Next");
    app.fill("User Name", "svc-bot");
    app.fill("User Password", FIRST_PASSWORD);
    app.click_button("Save");
    app.expect_no_dialog();
    app.expect_row("CRM");
}

/// Opens Edit for `name` and waits for its dialog (notices dismissed first, so
/// that the next "Saved" notice is the edit's own).
fn edit(app: &App, name: &str) {
    app.dismiss_notices();
    app.use_menu(name, "Edit");
    app.expect_dialog();
    app.wait_until("the Edit Credentials dialog", || app.dialog_text().contains("Edit Credentials"));
}

fn save_edit(app: &App, name: &str) {
    app.click_button("Save");
    app.expect_no_dialog();
    app.expect_notice(&format!("Saved {name}"));
}

fn stored_password(app: &App) -> Value {
    app.exported_credential(ORG, "CRM")["password"].clone()
}

#[test]
fn edit_keeps_or_replaces_the_secret_and_a_type_change_is_confirmed() {
    let app = App::launch_in_org(ORG);
    add_crm(&app);

    // The dialog comes prefilled; the secret field is empty with the stored hint.
    edit(&app, "CRM");
    assert_eq!(app.field_value("Name"), "CRM");
    assert_eq!(app.field_value("Authentication Type"), "Basic Authentication");
    app.click_button("Next");
    assert_eq!(app.field_value("User Name"), "svc-bot", "User Name prefilled");
    assert_eq!(app.field_value("User Password"), "", "the stored secret is not put back in the field");
    let hint = app.field_description("User Password");
    assert!(hint.to_lowercase().contains("kept"), "User Password says the stored value is kept: {hint:?}");
    assert!(!app.page_source().contains(FIRST_PASSWORD), "the Edit dialog holds the stored secret");

    // Leaving it empty keeps the stored secret.
    app.fill("User Name", "svc-crm");
    save_edit(&app, "CRM");
    let row = app.expect_row("CRM");
    assert!(row.iter().any(|c| c == "svc-crm"), "the row shows the new user name: {row:?}");
    let crm = app.exported_credential(ORG, "CRM");
    assert_eq!(crm["username"], "svc-crm");
    assert_eq!(crm["password"], FIRST_PASSWORD, "an empty User Password kept the stored one");

    // Typing a new one replaces it.
    edit(&app, "CRM");
    app.click_button("Next");
    app.fill("User Password", SECOND_PASSWORD);
    save_edit(&app, "CRM");
    assert_eq!(stored_password(&app), SECOND_PASSWORD, "the typed User Password replaced the stored one");
    assert_eq!(app.exported_credential(ORG, "CRM")["username"], "svc-crm");

    // Changing the type asks first; Cancel keeps the type.
    edit(&app, "CRM");
    app.choose_option_once("Authentication Type", "Access Token");
    app.wait_until("the Change type confirmation", || app.has_button("Change type"));
    let asked = app.dialog_text();
    assert!(asked.contains("Basic Authentication"), "the confirmation names the fields that go: {asked:?}");
    app.click_button("Cancel");
    app.wait_until("the confirmation to close", || !app.has_button("Change type"));
    assert!(app.dialog_open(), "Cancel on the confirmation closed the Edit dialog too");
    assert_eq!(app.field_value("Authentication Type"), "Basic Authentication", "Cancel keeps the type");

    // Confirming switches the type and clears the old fields.
    app.choose_option_once("Authentication Type", "Access Token");
    app.click_button("Change type");
    app.wait_until("the type to be Access Token", || app.field_value("Authentication Type") == "Access Token");
    assert_eq!(app.field_value("Name"), "CRM", "the name stays");
    app.click_button("Next");
    app.wait_until("the Access Token fields", || app.has_field("Access Token"));
    assert!(!app.has_field("User Name"), "step 2 still asks the old type's User Name");
    assert_eq!(app.field_value("Access Token"), "", "Access Token starts empty");
    assert_eq!(app.field_value("Token Type"), "", "Token Type starts empty");
    let hint = app.field_description("Access Token");
    assert!(!hint.to_lowercase().contains("kept"), "a new type has no stored secret to keep: {hint:?}");
    app.fill("Access Token", TOKEN);
    app.fill("Token Type", "Bearer");
    save_edit(&app, "CRM");
    let row = app.expect_row("CRM");
    assert!(row.iter().any(|c| c == "Access Token"), "the row shows the new type: {row:?}");
    let crm = app.exported_credential(ORG, "CRM");
    assert_eq!(crm["type"], "access_token");
    assert_eq!(crm["access_token"], TOKEN);
    assert_eq!(crm["token_type"], "Bearer");
    assert!(crm.get("username").is_none() && crm.get("password").is_none(), "the old fields are gone: {crm}");
    assert!(!app.page_source().contains(TOKEN), "the page holds the token after saving");
    // Sealed at rest: neither the replaced passwords nor the token lie plain in any file the app wrote.
    let planted: [&[u8]; 3] = [FIRST_PASSWORD.as_bytes(), SECOND_PASSWORD.as_bytes(), TOKEN.as_bytes()];
    assert_eq!(paths::leaked(app.db_path(), &planted), Vec::<String>::new());
}

#[test]
fn delete_is_confirmed_and_undo_brings_the_credential_back_with_its_secret() {
    let app = App::launch_in_org(ORG);
    add_crm(&app);
    app.add_consumer_credential("Orders API", ORDERS_URL);
    app.dismiss_notices();

    // The confirmation names the credential; Cancel deletes nothing.
    app.use_menu("CRM", "Delete");
    app.expect_dialog();
    let asked = app.dialog_text();
    assert!(asked.contains("CRM"), "the confirmation names the credential: {asked:?}");
    assert!(app.has_button("Delete"), "the confirming button says Delete: {asked:?}");
    app.click_button("Cancel");
    app.expect_no_dialog();
    app.expect_row("CRM");
    assert_eq!(app.listed_credentials(ORG).len(), 2, "Cancel deleted something");

    // Delete removes the row.
    app.use_menu("CRM", "Delete");
    app.expect_dialog();
    app.click_button("Delete");
    app.expect_no_dialog();
    app.expect_no_row("CRM");
    app.expect_row("Orders API");
    app.expect_notice("Deleted CRM");
    let names: Vec<Value> = app.listed_credentials(ORG).iter().map(|c| c["name"].clone()).collect();
    assert_eq!(names, [Value::from("Orders API")], "only CRM was deleted");

    // Undo brings it back, secret included.
    app.click_button("Undo");
    app.expect_row("CRM");
    app.expect_notice("Restored CRM");
    assert_eq!(app.listed_credentials(ORG).len(), 2);
    let crm = app.exported_credential(ORG, "CRM");
    assert_eq!(crm["username"], "svc-bot");
    assert_eq!(crm["password"], FIRST_PASSWORD, "Undo restored the secret");
    assert!(!app.table_rows().iter().flatten().any(|c| c.contains("Needs secret")), "the restored row needs no secret");
    let planted: [&[u8]; 1] = [FIRST_PASSWORD.as_bytes()];
    assert_eq!(paths::leaked(app.db_path(), &planted), Vec::<String>::new(), "deleted and restored, still sealed");
}

fn org_names(app: &App) -> Vec<String> {
    let orgs = app.cli_json(&["org", "list", "--json"]);
    orgs.as_array()
        .map(|a| a.iter().filter_map(|o| o["name"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

const CONFIRM_LABEL: &str = "Type the organization name to confirm";

#[test]
fn organization_delete_needs_its_name_undo_restores_it_and_rename_refuses_duplicates() {
    let app = App::launch_in_org(ORG);
    add_crm(&app);
    app.add_consumer_credential("Orders API", ORDERS_URL);
    app.click_button("All organizations");
    let entry = app.expect_row(ORG);
    assert!(entry.iter().any(|c| c == "2 credentials"), "the entry counts its credentials: {entry:?}");
    app.add_organization("Beta Bots");
    app.dismiss_notices();

    // Deleting an organization with credentials: says how many go, needs its name typed.
    app.use_menu(ORG, "Delete");
    app.expect_dialog();
    let asked = app.dialog_text();
    assert!(asked.contains(ORG), "the confirmation names the organization: {asked:?}");
    assert!(asked.contains("2 credentials"), "the confirmation says how many credentials go: {asked:?}");
    assert!(!app.button_enabled("Delete"), "Delete is enabled before the name is typed");
    app.fill(CONFIRM_LABEL, "Acme");
    assert!(!app.button_enabled("Delete"), "Delete is enabled with a partial name");
    app.fill(CONFIRM_LABEL, ORG);
    app.wait_until("Delete to be enabled once the name is typed", || app.button_enabled("Delete"));
    app.click_button("Delete");
    app.expect_no_dialog();
    app.expect_no_row(ORG);
    app.expect_notice(&format!("Deleted {ORG}"));
    assert_eq!(org_names(&app), ["Beta Bots"], "the organization was deleted");

    // Undo restores it with its credentials and their secrets.
    app.click_button("Undo");
    app.expect_row(ORG);
    app.expect_notice(&format!("Restored {ORG}"));
    assert_eq!(org_names(&app), [ORG, "Beta Bots"]);
    assert_eq!(app.listed_credentials(ORG).len(), 2, "Undo restored both credentials");
    assert_eq!(stored_password(&app), FIRST_PASSWORD, "Undo restored the secret");

    // An organization without credentials is deleted without typing its name (Cancel here).
    app.use_menu("Beta Bots", "Delete");
    app.expect_dialog();
    assert!(!app.has_field(CONFIRM_LABEL), "an empty organization asks for its name");
    assert!(app.button_enabled("Delete"), "Delete is disabled for an empty organization");
    app.click_button("Cancel");
    app.expect_no_dialog();

    // Rename: prefilled; a taken name is refused beside Name; a new one is saved.
    app.use_menu("Beta Bots", "Rename");
    app.expect_dialog();
    assert_eq!(app.field_value("Name"), "Beta Bots", "the Name field is prefilled");
    app.fill("Name", " acme bots ");
    app.click_button("Save");
    let problem = app.expect_problem("Name");
    eprintln!("rename to \" acme bots \" refused: {problem}");
    assert!(app.dialog_open(), "a refused rename closed the dialog ({problem})");
    assert_eq!(app.field_value("Name"), " acme bots ", "the typed name was not kept ({problem})");
    app.fill("Name", "Gamma Bots");
    app.click_button("Save");
    app.expect_no_dialog();
    app.expect_row("Gamma Bots");
    app.expect_no_row("Beta Bots");
    app.expect_notice("Gamma Bots");
    assert_eq!(org_names(&app), [ORG, "Gamma Bots"]);
}

#[test]
fn an_optional_stored_secret_can_be_removed_while_the_others_are_kept() {
    let app = App::launch_in_org(ORG);
    app.seed_credential(
        ORG,
        serde_json::json!({"name": "Bank mTLS", "type": "mutual_authentication",
            "key_certificate": {"file_name": "client.p12", "data_base64": "a2V5LWJ5dGVz"},
            "key_certificate_password": "key-Pass-3Jd8", "trust_certificate": null,
            "trust_certificate_password": "trust-Pass-6Qm1", "protocols": ["TLSv1.2"]}),
    );
    app.click_button("Credentials");
    app.expect_row("Bank mTLS");
    edit(&app, "Bank mTLS");
    app.click_button("Next");
    assert!(
        app.field_description("Trust Certificate Password").contains("Stored value kept"),
        "the optional secret says it is kept"
    );
    app.click_button("Remove the stored Trust Certificate Password");
    assert!(app.field_description("Trust Certificate Password").contains("will be removed when you save"));
    assert!(app.has_button("Keep the stored Trust Certificate Password"), "the choice can be taken back");
    assert!(app.has_button("Remove the stored Key Certificate Password"), "the other secret is untouched");
    save_edit(&app, "Bank mTLS");

    let stored = app.exported_credential(ORG, "Bank mTLS");
    assert_eq!(stored["trust_certificate_password"], Value::Null, "removed");
    assert_eq!(stored["key_certificate_password"], "key-Pass-3Jd8", "the other secrets are kept");
    assert_eq!(stored["key_certificate"]["data_base64"], "a2V5LWJ5dGVz");
}
