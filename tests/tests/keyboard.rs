//! Issue #3 (e): the dialog works from the keyboard.

use std::time::Duration;

use bot_credentials_e2e::App;

#[test]
fn escape_closes_the_dialog_without_saving() {
    let app = App::launch_in_org("Acme Bots");
    app.click_button("Add Credentials");
    app.expect_dialog();
    app.fill("Name", "Orders API");
    app.press_escape();
    app.expect_no_dialog();
    assert!(!app.becomes(Duration::from_secs(1), || app.dialog_open()), "the dialog came back after Escape");
    let listed = app.cli(&["list", "--org", "Acme Bots", "--json"]);
    assert_eq!(listed.code, 0, "list failed: {}", listed.stderr);
    assert_eq!(listed.json().as_array().map(Vec::len), Some(0), "Escape saved nothing");

    // The dialog opens again after Escape, with step 1 fresh.
    app.click_button("Add Credentials");
    app.expect_dialog();
    assert!(app.has_field("Name"), "reopened dialog shows step 1");
    app.press_escape();
    app.expect_no_dialog();
}

#[test]
fn enter_on_step_one_acts_as_next() {
    let app = App::launch_in_org("Acme Bots");
    app.start_credential("Orders API", "Consumer Authentication");
    assert!(!app.has_field("Authentication URL"), "step 2 shown too early");
    app.focus("Name");
    app.press_enter();
    app.wait_until("step 2 (Authentication URL) after Enter on step 1", || app.has_field("Authentication URL"));
    assert!(app.dialog_open(), "Enter on step 1 closed the dialog");
    assert!(app.has_button("Save"), "step 2 offers Save");
}
