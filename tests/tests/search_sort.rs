//! Issue #4: Search filters the list as you type (by name, type and details),
//! the column headers sort it, and the keyboard shortcuts Ctrl+N / Ctrl+F work.
//! The six credentials are seeded through the backend (what is checked here is
//! the list, not the dialog).

use bot_credentials_e2e::{App, ORDERS_URL};
use serde_json::json;

const ORG: &str = "Acme Bots";
const LOYALTY_URL: &str = "https://login.loyalty.example.net/oauth/authorize?client_id=loyalty-bot&response_type=code&redirect_uri=https%3A%2F%2Fva.idp.liveperson.net%2Fcallback%2F1%2FredirectedCode&scope=points.read";

/// By name: Billing Token, CRM, Dialogflow NLU, Loyalty API, Orders API, Payments OAuth.
const BY_NAME: &[&str] = &["Billing Token", "CRM", "Dialogflow NLU", "Loyalty API", "Orders API", "Payments OAuth"];

/// The window on an organization with six credentials of five types, its list open.
fn app_with_six() -> App {
    let app = App::launch();
    app.add_organization(ORG);
    for draft in [
        json!({ "name": "Orders API", "type": "consumer_authentication", "authentication_url": ORDERS_URL }),
        json!({ "name": "Loyalty API", "type": "consumer_authentication", "authentication_url": LOYALTY_URL }),
        json!({ "name": "CRM", "type": "basic_authentication", "username": "svc-crm", "password": "pw-crm-1" }),
        json!({ "name": "Billing Token", "type": "access_token", "access_token": "tok-1", "token_type": "Bearer" }),
        json!({ "name": "Payments OAuth", "type": "oauth2", "grant_type": "client_credentials",
                "client_id": "payments-bot", "client_secret": "cs-1",
                "token_url": "https://auth.payments.example.com/token" }),
        json!({ "name": "Dialogflow NLU", "type": "nlu", "provider": "Google Dialogflow",
                "credentials": "{\"type\": \"service_account\"}" }),
    ] {
        app.seed_credential(ORG, draft);
    }
    app.open_organization(ORG);
    app.expect_row_names(BY_NAME);
    app.expect_result_count("6 credentials");
    app
}

/// Types `text` into Search (no Enter) and waits for the rows and the count.
fn search(app: &App, text: &str, rows: &[&str], count: &str) {
    app.fill("Search", text);
    app.expect_row_names(rows);
    app.expect_result_count(count);
}

#[test]
fn search_filters_as_you_type_by_name_type_and_host() {
    let app = app_with_six();

    // Each key narrows the list; no Enter needed.
    app.focus("Search");
    let el = app.field("Search");
    for (key, rows) in
        [("a", BY_NAME), ("p", &["Loyalty API", "Orders API"][..]), ("i", &["Loyalty API", "Orders API"][..])]
    {
        app.wd().send_keys(&el, key).unwrap_or_else(|e| panic!("typing {key:?} into Search: {e}"));
        app.expect_row_names(rows);
    }
    app.expect_result_count("2 of 6");

    search(&app, "orders", &["Orders API"], "1 of 6");
    // By type label, any case.
    search(&app, "BASIC auth", &["CRM"], "1 of 6");
    search(&app, "consumer authentication", &["Loyalty API", "Orders API"], "2 of 6");
    // By the Details column: a URL's host, a token type, a provider.
    search(&app, "login.loyalty.example.net", &["Loyalty API"], "1 of 6");
    search(&app, "accounts.example", &["Orders API"], "1 of 6");
    search(&app, "bearer", &["Billing Token"], "1 of 6");
    search(&app, "dialogflow", &["Dialogflow NLU"], "1 of 6");

    // Nothing matches: a message and Clear search, which brings every row back.
    app.fill("Search", "no-such-credential");
    app.expect_text("No credentials match");
    assert!(app.row_names().is_empty(), "rows shown although nothing matches: {:?}", app.row_names());
    app.expect_result_count("0 of 6");
    app.click_button("Clear search");
    app.expect_row_names(BY_NAME);
    app.expect_result_count("6 credentials");
    assert_eq!(app.field_value("Search"), "", "Clear search empties Search");
    assert!(app.has_focus("Search"), "Clear search leaves the focus in Search");
}

#[test]
fn headers_sort_both_ways_and_shortcuts_open_add_and_focus_search() {
    let app = app_with_six();
    assert_eq!(app.sorted_column(), Some(("Name".into(), "ascending".into())), "sorted by name at first");

    app.click_button("Name");
    let mut reversed = BY_NAME.to_vec();
    reversed.reverse();
    app.expect_row_names(&reversed);
    assert_eq!(app.sorted_column(), Some(("Name".into(), "descending".into())));
    app.click_button("Name");
    app.expect_row_names(BY_NAME);
    assert_eq!(app.sorted_column(), Some(("Name".into(), "ascending".into())));

    // By Authentication Type (ties by name): Access Token, Basic Authentication,
    // Consumer Authentication ×2, OAuth 2.0, Third-party NLU; then the other way.
    let by_type = ["Billing Token", "CRM", "Loyalty API", "Orders API", "Payments OAuth", "Dialogflow NLU"];
    app.click_button("Authentication Type");
    app.expect_row_names(&by_type);
    assert_eq!(app.sorted_column(), Some(("Authentication Type".into(), "ascending".into())));
    app.click_button("Authentication Type");
    let mut by_type_desc = by_type.to_vec();
    by_type_desc.reverse();
    app.expect_row_names(&by_type_desc);
    assert_eq!(app.sorted_column(), Some(("Authentication Type".into(), "descending".into())));

    // By Details (the summary, any case): a URL's host, a token type, a grant, a provider, a user.
    app.click_button("Details");
    app.expect_row_names(&["Orders API", "Billing Token", "Payments OAuth", "Dialogflow NLU", "Loyalty API", "CRM"]);
    assert_eq!(app.sorted_column(), Some(("Details".into(), "ascending".into())));
    // Last updated starts with the newest: the last seeded comes first.
    app.click_button("Last updated");
    assert_eq!(app.sorted_column(), Some(("Last updated".into(), "descending".into())));
    app.click_button("Authentication Type");
    app.click_button("Authentication Type");
    app.expect_row_names(&by_type_desc);

    // Search keeps the order.
    search(&app, "consumer", &["Orders API", "Loyalty API"], "2 of 6");

    // Ctrl+F puts the focus in Search with its text selected: typing replaces it.
    app.click_button("Authentication Type");
    assert!(!app.has_focus("Search"), "Search has the focus before Ctrl+F");
    app.press_ctrl("f");
    app.wait_until("Ctrl+F to focus Search", || app.has_focus("Search"));
    let focused = app.wd().active_element().expect("the focused element");
    app.wd().send_keys(&focused, "crm").expect("typing into the focused Search");
    assert_eq!(app.field_value("Search"), "crm", "Ctrl+F selects what Search held");
    app.expect_row_names(&["CRM"]);

    // Ctrl+N opens Add Credentials at its first step.
    app.press_ctrl("n");
    app.expect_dialog();
    app.wait_until("the Add Credentials dialog", || app.dialog_text().contains("Add Credentials"));
    assert!(app.has_field("Name") && app.has_field("Authentication Type"), "Ctrl+N opens step 1");
    assert!(app.has_focus("Name"), "the dialog opens with the focus in Name");
    app.press_escape();
    app.expect_no_dialog();

    // On the organization picker, Ctrl+N opens Add Organization.
    app.click_button("All organizations");
    app.button("Add Organization");
    app.press_ctrl("n");
    app.expect_dialog();
    app.wait_until("the Add Organization dialog", || app.dialog_text().contains("Add Organization"));
    app.press_escape();
    app.expect_no_dialog();
}
