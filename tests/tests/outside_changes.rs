//! Issue #11: the window notices what another program (here the terminal)
//! changes in its database, and refreshes the picker and the list where the
//! user is, without closing an open dialog.

use bot_credentials_e2e::{App, ORDERS_URL};
use serde_json::json;

fn import(app: &App, org: &str, names: &[&str]) {
    let creds: Vec<_> = names
        .iter()
        .map(|n| json!({"name": n, "type": "consumer_authentication", "authentication_url": ORDERS_URL}))
        .collect();
    let doc =
        json!({"format": "bot-credentials", "version": 1, "organizations": [{"name": org, "credentials": creds}]});
    let file = app.temp_dir().join(format!("{org}-{}.json", names.len()));
    std::fs::write(&file, doc.to_string()).expect("write the file");
    let out = app.cli(&["import", file.to_str().expect("utf-8 path")]);
    assert_eq!(out.code, 0, "import failed: {}", out.stderr);
}

#[test]
fn the_picker_and_the_list_show_what_the_terminal_changed() {
    let app = App::launch();
    app.add_organization("Acme Bots");
    // The picker: an organization the terminal adds appears, and a dialog opened meanwhile stays open.
    let out = app.cli(&["org", "add", "Beta Bots"]);
    assert_eq!(out.code, 0, "org add failed: {}", out.stderr);
    app.expect_text("Beta Bots");

    app.open_organization("Acme Bots");
    app.add_consumer_credential("Orders API", ORDERS_URL);
    app.expect_row_names(&["Orders API"]);
    app.click_button("Add Credentials");
    app.expect_dialog();
    import(&app, "Acme Bots", &["Billing API", "Returns API"]);
    app.expect_row_names(&["Billing API", "Orders API", "Returns API"]);
    assert!(app.dialog_open(), "the Add Credentials dialog stayed open through the refresh");
    app.press_escape();
    app.expect_no_dialog();
    app.expect_text("3 credentials");

    // The organization deleted by another program (the sqlite3 shell): back
    // to the picker, with a notice.
    let conn = std::process::Command::new("sqlite3")
        .arg(app.db_path())
        .arg("PRAGMA foreign_keys = ON; DELETE FROM organizations WHERE name = 'Acme Bots';")
        .status()
        .expect("run sqlite3");
    assert!(conn.success(), "sqlite3 deleted the organization");
    app.expect_notice("\"Acme Bots\" was deleted by another program");
    app.expect_text("Beta Bots");
}
