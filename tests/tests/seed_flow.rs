//! Issue #3, the seed flow: a fresh database, an organization, a Consumer
//! Authentication credential, seen in the list and by the CLI.

use bot_credentials_e2e::{App, ORDERS_URL};
use serde_json::Value;

const LOYALTY_URL: &str = "https://login.loyalty.example.net/oauth/authorize?client_id=loyalty-bot&response_type=code&redirect_uri=https%3A%2F%2Fva.idp.liveperson.net%2Fcallback%2F1%2FredirectedCode&scope=points.read";

#[test]
fn seed_flow_adds_a_consumer_authentication_credential() {
    let app = App::launch();

    // The picker on a fresh database: nothing listed, Add Organization offered.
    let orgs = app.cli(&["org", "list", "--json"]);
    assert_eq!(orgs.code, 0, "org list failed: {}", orgs.stderr);
    assert_eq!(orgs.json(), Value::Array(vec![]), "a fresh database has no organization");
    app.button("Add Organization");
    assert_eq!(app.table_rows(), Vec::<Vec<String>>::new(), "the picker lists entries on a fresh database");

    app.add_organization("Acme Bots");
    let entries = app.table_rows();
    assert!(
        entries.len() == 1 && entries[0].iter().any(|c| c.contains("Acme Bots")),
        "the picker lists one entry, Acme Bots: {entries:?}"
    );
    app.open_organization("Acme Bots");
    app.button("Credentials");
    app.button("Add Credentials");

    // Step 1.
    app.click_button("Add Credentials");
    app.expect_dialog();
    app.fill("Name", "Orders API");
    app.select_option("Authentication Type", "Consumer Authentication");
    assert_eq!(app.field_value("Authentication Type"), "Consumer Authentication");
    assert!(app.has_button("Cancel"), "step 1 offers Cancel");
    app.click_button("Next");

    // Step 2.
    app.fill("Authentication URL", ORDERS_URL);
    assert!(app.has_button("Back"), "step 2 offers Back");
    app.click_button("Save");
    app.expect_no_dialog();

    let row = app.expect_row("Orders API");
    assert!(row.iter().any(|c| c.contains("Consumer Authentication")), "the row names the type: {row:?}");
    assert!(row.iter().any(|c| c.contains("accounts.example.com")), "the row shows the URL's host: {row:?}");

    // The CLI reads what the window saved.
    let listed = app.cli(&["list", "--org", "Acme Bots", "--json"]);
    assert_eq!(listed.code, 0, "list failed: {}", listed.stderr);
    let creds = listed.json();
    let creds = creds.as_array().expect("list --json prints an array");
    assert_eq!(creds.len(), 1, "one credential saved: {creds:?}");
    assert_eq!(creds[0]["name"], "Orders API");
    assert_eq!(creds[0]["type"], "consumer_authentication");
    assert_eq!(creds[0]["authentication_url"], ORDERS_URL, "the URL is stored exactly as typed");

    // A second row: rows are sorted by name.
    app.add_consumer_credential("Loyalty API", LOYALTY_URL);
    let names: Vec<String> = app
        .table_rows()
        .iter()
        .filter_map(|r| r.iter().find(|c| *c == "Orders API" || *c == "Loyalty API").cloned())
        .collect();
    assert_eq!(names, ["Loyalty API", "Orders API"], "rows sorted by name");
}
