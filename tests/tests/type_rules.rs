//! Issue #4: rules of particular types, seen in the dialog: one Consumer
//! Pre-Authentication per organization, OAuth 2.0's fields following the
//! Grant Type, NLU credentials that must be a JSON object.

use bot_credentials_e2e::App;
use serde_json::Value;

const ORG: &str = "Acme Bots";

fn cancel(app: &App) {
    app.click_button("Cancel");
    app.expect_no_dialog();
}

#[test]
fn a_second_pre_authentication_is_refused_naming_the_first() {
    let app = App::launch_in_org(ORG);
    app.start_credential("Returning Customers", "Consumer Pre-Authentication");
    app.click_button("Save");
    app.expect_no_dialog();
    app.expect_row("Returning Customers");

    app.start_credential("Known Consumers", "Consumer Pre-Authentication");
    app.click_button("Save");
    let problem = app.expect_problem("Authentication Type");
    eprintln!("second pre-authentication refused: {problem}");
    assert!(problem.contains("Returning Customers"), "the refusal names the existing one: {problem:?}");
    assert!(app.dialog_open(), "the refused dialog closed");
    assert_eq!(app.field_value("Name"), "Known Consumers", "the typed name was kept");
    cancel(&app);
    let names: Vec<Value> = app.listed_credentials(ORG).iter().map(|c| c["name"].clone()).collect();
    assert_eq!(names, [Value::from("Returning Customers")], "a second one was stored");
}

#[test]
fn oauth_fields_follow_the_grant_type_and_nlu_json_errors_name_line_and_column() {
    let app = App::launch_in_org(ORG);

    // OAuth 2.0: Client Credentials has no Auth URL and no PKCE.
    app.start_credential("Service OAuth", "OAuth 2.0");
    assert_eq!(app.field_value("Grant Type"), "Authorization Code", "the Grant Type defaults to Authorization Code");
    app.select_option("Grant Type", "Client Credentials");
    app.click_button("Next");
    app.wait_until("the OAuth 2.0 fields", || app.has_field("Token URL"));
    for label in ["Client ID", "Client Secret", "Scope", "Token URL"] {
        assert!(app.has_field(label), "Client Credentials asks {label}");
    }
    for label in ["Auth URL", "PKCE"] {
        assert!(!app.has_field(label), "Client Credentials asks {label}:\n{}", app.dialog_text());
    }
    // Back to Authorization Code: Auth URL and PKCE appear.
    app.click_button("Back");
    app.select_option("Grant Type", "Authorization Code");
    app.click_button("Next");
    app.wait_until("Auth URL for Authorization Code", || app.has_field("Auth URL"));
    assert!(app.has_field("PKCE"), "Authorization Code asks PKCE");
    app.click_button("Back");
    app.select_option("Grant Type", "Client Credentials");
    app.click_button("Next");
    app.fill("Client ID", "service-bot");
    app.fill("Client Secret", "cs-Service-2Hn6");
    app.fill("Token URL", "https://auth.example.com/token");
    app.click_button("Save");
    app.expect_no_dialog();
    let row = app.expect_row("Service OAuth");
    assert!(row.iter().any(|c| c.starts_with("Client Credentials")), "the row shows the grant type: {row:?}");
    let stored = app.exported_credential(ORG, "Service OAuth");
    assert_eq!(stored["grant_type"], "client_credentials");
    assert_eq!(stored["client_secret"], "cs-Service-2Hn6");
    assert_eq!(stored["auth_url"], Value::Null, "Client Credentials stores no Auth URL");

    // NLU: invalid JSON is refused with its line and column; not an object is refused too.
    app.start_credential("Broken NLU", "Third-party NLU");
    app.click_button("Next");
    app.select_option("NLU Provider", "Google Dialogflow");
    app.paste("Credentials", "{\n  \"type\": \"service_account\",\n  \"project_id\": acme\n}");
    app.click_button("Save");
    let problem = app.expect_problem("Credentials");
    eprintln!("invalid JSON refused: {problem}");
    assert!(
        problem.contains("line 3") && problem.contains("column"),
        "the JSON error names line 3 and a column: {problem:?}"
    );
    assert!(app.dialog_open(), "the dialog closed on invalid JSON");
    app.paste("Credentials", "[\"service_account\"]");
    app.click_button("Save");
    app.wait_until("the non-object refusal", || {
        app.field_problem("Credentials").is_some_and(|p| p.to_lowercase().contains("object"))
    });
    app.paste("Credentials", "{\"type\": \"service_account\"}");
    app.click_button("Save");
    app.expect_no_dialog();
    app.expect_row("Broken NLU");
    assert_eq!(app.exported_credential(ORG, "Broken NLU")["credentials"]["type"], "service_account");
}
