//! Issue #3 (c): each refused input is shown in place, the dialog stays open
//! and what was typed stays; nothing is saved.

use std::time::Duration;

use bot_credentials_e2e::{App, ORDERS_URL};
use serde_json::Value;

/// Closes the open dialog the way a person would (Cancel, else Escape).
fn dismiss(app: &App) {
    if app.has_button("Cancel") {
        app.click_button("Cancel");
    } else {
        app.press_escape();
    }
    app.expect_no_dialog();
}

fn credential_count(app: &App) -> usize {
    let listed = app.cli(&["list", "--org", "Acme Bots", "--json"]);
    assert_eq!(listed.code, 0, "list failed: {}", listed.stderr);
    listed.json().as_array().map_or(0, Vec::len)
}

/// Step 1 with `name`, Next: the name is refused beside the field.
fn assert_name_refused(app: &App, name: &str) {
    app.start_credential(name, "Consumer Authentication");
    app.click_button("Next");
    let problem = app.expect_problem("Name");
    eprintln!("name {name:?} refused: {problem}");
    assert!(app.dialog_open(), "dialog closed after refusing name {name:?}");
    assert_eq!(app.field_value("Name"), name, "the typed name was not kept ({problem})");
    assert!(!app.has_field("Authentication URL"), "went on to step 2 although name {name:?} was refused ({problem})");
    dismiss(app);
}

#[test]
fn credential_names_refused_in_place() {
    let app = App::launch_in_org("Acme Bots");
    app.add_consumer_credential("Orders API", ORDERS_URL);

    assert_name_refused(&app, "");
    assert_name_refused(&app, "   ");
    assert_name_refused(&app, " orders api ");
    assert_eq!(credential_count(&app), 1, "a refused name saved something");
}

/// Step 2 with `url`, Save: the URL is refused beside the field.
fn assert_url_refused(app: &App, url: &str) {
    app.start_credential("Bad URL", "Consumer Authentication");
    app.click_button("Next");
    if url.chars().count() > 200 {
        app.paste("Authentication URL", url);
    } else {
        app.fill("Authentication URL", url);
    }
    app.click_button("Save");
    let problem = app.expect_problem("Authentication URL");
    eprintln!("URL {:?} refused: {problem}", url.chars().take(60).collect::<String>());
    assert!(app.dialog_open(), "dialog closed after refusing URL {url:?}");
    assert_eq!(app.field_value("Authentication URL"), url, "the typed URL was not kept ({problem})");
    dismiss(app);
}

#[test]
fn authentication_urls_refused_in_place() {
    let app = App::launch_in_org("Acme Bots");
    assert_url_refused(&app, "http://example.com/x");
    assert_url_refused(&app, "https://user:pw@example.com/");
    assert_url_refused(&app, "notaurl");
    let long = format!("https://example.com/authorize?client_id={}", "a".repeat(2048));
    assert_url_refused(&app, &long);
    assert_url_refused(&app, "");
    assert_eq!(credential_count(&app), 0, "a refused URL saved something");
}

#[test]
fn url_without_client_id_warns_but_saves() {
    let app = App::launch_in_org("Acme Bots");
    let url = "https://accounts.example.com/authorize?response_type=code&redirect_uri=https%3A%2F%2Fva.idp.liveperson.net%2Fcallback%2F1%2FredirectedCode&scope=orders.read";
    app.start_credential("No Client", "Consumer Authentication");
    app.click_button("Next");
    app.fill("Authentication URL", url);
    let mentions = |t: &str| {
        let t = t.to_lowercase();
        t.contains("client_id") || t.contains("client id")
    };
    // The warning may show while typing, on Save (keeping the dialog for a
    // second Save), or in the notice after saving: it must show somewhere.
    let mut warned = app.becomes(Duration::from_secs(2), || mentions(&app.dialog_text()));
    app.click_button("Save");
    if !app.becomes(app.timeout(), || !app.dialog_open()) {
        warned |= mentions(&app.dialog_text());
        assert!(warned, "Save neither closed the dialog nor showed a client_id warning:\n{}", app.dialog_text());
        assert_eq!(app.field_problem("Authentication URL"), None, "a missing client_id is a warning, not a refusal");
        app.click_button("Save");
        app.expect_no_dialog();
    }
    eprintln!("warning seen in the dialog: {warned}; notices: {}", app.notices());
    warned |= mentions(&app.notices());
    assert!(warned, "no warning mentioned the missing client_id");
    app.expect_row("No Client");
    let listed = app.cli(&["list", "--org", "Acme Bots", "--json"]);
    assert_eq!(listed.json()[0]["authentication_url"], Value::from(url));
}

/// Add Organization with `name`: refused beside the name field.
fn assert_org_refused(app: &App, name: &str) {
    app.submit_organization(name);
    let label = app.first_field_of(bot_credentials_e2e::flows::ORG_NAME_LABELS);
    let problem = app.expect_problem(&label);
    eprintln!("organization {name:?} refused: {problem}");
    assert!(app.dialog_open(), "dialog closed after refusing organization {name:?}");
    assert_eq!(app.field_value(&label), name, "the typed name was not kept ({problem})");
    dismiss(app);
}

#[test]
fn organization_names_refused_in_place() {
    let app = App::launch();
    app.add_organization("Acme Bots");
    assert_org_refused(&app, "");
    assert_org_refused(&app, "   ");
    assert_org_refused(&app, " acme bots ");
    let orgs = app.cli(&["org", "list", "--json"]);
    assert_eq!(orgs.code, 0, "org list failed: {}", orgs.stderr);
    let names: Vec<Value> =
        orgs.json().as_array().map(|a| a.iter().map(|o| o["name"].clone()).collect()).unwrap_or_default();
    assert_eq!(names, vec![Value::from("Acme Bots")], "a refused name saved something");
}
