//! Issue #12: a Postman collection comes in through the window as a person
//! would bring it: Import, the collection, its organization and environment
//! file, the preview, Import. Secrets resolved from the environment are
//! stored sealed; an unresolved placeholder is named by its place and
//! nothing is written.

use bot_credentials_e2e::{paths, App, FileDialog};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    paths::workspace_root().join("tests/fixtures/postman").join(name)
}

const NAMES: [&str; 4] = ["Collection", "Orders", "Orders / Admin", "Payments / Charge"];

#[test]
fn a_collection_and_its_environment_come_in_through_the_import_dialog() {
    let app = App::launch();
    app.choose_import(&fixture("acme.postman_collection.json"));
    app.expect_text("Import a Postman collection");
    app.fill("Organization", "Acme Bots");
    app.open_file_dialog(
        "Choose a Postman environment",
        &fixture("acme-staging.postman_environment.json"),
        FileDialog::Open,
        |a| a.click_button("Choose environment file…"),
    );
    app.expect_text("acme-staging.postman_environment.json");
    app.click_button("Preview");
    let p = app.expect_import_preview("the collection's credentials", |p| p.rows.len() == NAMES.len());
    for name in NAMES {
        p.row(name);
    }
    assert!(p.import_enabled, "Import is disabled: {p:#?}");
    app.click_button("Import");
    app.expect_notice("Imported 4 credentials");

    app.open_organization("Acme Bots");
    app.expect_row_names(&NAMES);
    assert_eq!(app.exported_credential("Acme Bots", "Orders")["password"], "PM-SECRET-orders-password");
    assert_eq!(app.exported_credential("Acme Bots", "Orders / Admin")["access_token"], "PM-SECRET-admin-token");
    let planted: [&[u8]; 2] = [b"PM-SECRET-orders-password", b"PM-SECRET-admin-token"];
    assert_eq!(paths::leaked(app.db_path(), &planted), Vec::<String>::new(), "sealed at rest");
}

#[test]
fn an_unresolved_placeholder_is_named_by_its_place_and_nothing_is_written() {
    let app = App::launch();
    app.choose_import(&fixture("unresolved.postman_collection.json"));
    app.expect_text("Import a Postman collection");
    app.fill("Organization", "Acme Bots");
    app.click_button("Preview");
    app.wait_until("the unresolved placeholder to be named", || {
        let text = app.visible_text();
        text.contains("is not defined") && text.contains("{{")
    });
    app.click_button("Cancel");
    let orgs = app.cli(&["org", "list", "--json"]);
    assert_eq!(orgs.code, 0, "{}", orgs.stderr);
    assert_eq!(orgs.json(), serde_json::json!([]), "nothing was written");
}
