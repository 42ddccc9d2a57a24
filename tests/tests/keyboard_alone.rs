//! Issue #12: the keyboard alone. Tab reaches every control of every screen
//! (the skip link first), dialogs keep the focus inside them (Tab and
//! Shift+Tab wrap around) and give it back to what opened them, and a
//! credential is added, deleted and restored without the mouse, its notices
//! announced in the role=status region.

use bot_credentials_e2e::{App, ORDERS_URL};
use serde_json::json;

const ORG: &str = "Acme Bots";

fn assert_all_reached(app: &App, what: &str) {
    let missed = app.controls_tab_misses();
    assert!(missed.is_empty(), "Tab never reaches these controls of {what}: {missed:?}");
}

/// In the open dialog: Tab and Shift+Tab go round its controls and never leave it.
fn assert_focus_stays_inside(app: &App, dialog: &str, presses: usize) {
    for i in 0..presses {
        app.press_tab();
        let f = app.focused();
        assert_eq!(
            f.dialog.as_deref(),
            Some(dialog),
            "Tab #{} left the dialog {dialog:?}: the focus is on {f:?}",
            i + 1
        );
    }
    for i in 0..presses {
        app.press_shift_tab();
        let f = app.focused();
        assert_eq!(
            f.dialog.as_deref(),
            Some(dialog),
            "Shift+Tab #{} left the dialog {dialog:?}: the focus is on {f:?}",
            i + 1
        );
    }
}

fn assert_focus_on(app: &App, name: &str, when: &str) {
    app.retry(&format!("the focus to be on {name:?} {when}"), |app| {
        let f = app.focused();
        if f.name == name {
            Ok(())
        } else {
            Err(format!("it is on {f:?}"))
        }
    });
}

#[test]
fn tab_reaches_every_control_and_dialogs_keep_and_give_back_the_focus() {
    let app = App::launch();
    // The way past the navigation, first in the page: Enter on it focuses the content.
    app.tab_to("Skip to content", 40);
    app.press_enter();
    assert_eq!(app.focused().tag, "main", "Skip to content moves the focus to the page's content");
    assert_all_reached(&app, "the picker on a fresh database");

    // Add Organization: focus inside, wrapping; Escape gives it back to the button.
    app.button("Add Organization");
    app.js("document.getElementById('add-organization').focus(); return true;", &[]).expect("focus");
    app.press_enter();
    app.expect_dialog();
    assert_focus_on(&app, "Name", "when Add Organization opens");
    assert_focus_stays_inside(&app, "Add Organization", 5);
    app.press_escape();
    app.expect_no_dialog();
    assert_focus_on(&app, "Add Organization", "after Escape");

    app.add_organization(ORG);
    app.seed_credential(
        ORG,
        json!({ "name": "CRM", "type": "basic_authentication", "username": "svc", "password": "pw-1" }),
    );
    app.seed_credential(
        ORG,
        json!({ "name": "Orders API", "type": "consumer_authentication", "authentication_url": ORDERS_URL }),
    );
    app.click_button("Organizations");
    app.expect_text("2 credentials");
    app.dismiss_notices();
    assert_all_reached(&app, "the picker");

    app.open_organization(ORG);
    app.expect_row_names(&["CRM", "Orders API"]);
    assert_all_reached(&app, "the Credentials list");

    // Add Credentials, both steps.
    app.js("document.getElementById('add-credentials').focus(); return true;", &[]).expect("focus");
    app.press_enter();
    app.expect_dialog();
    assert_focus_on(&app, "Name", "when Add Credentials opens");
    assert_all_reached(&app, "Add Credentials, step 1");
    assert_focus_stays_inside(&app, "Add Credentials", 6);
    app.fill("Name", "Loyalty API");
    app.click_button("Next");
    app.field("Authentication URL");
    assert_all_reached(&app, "Add Credentials, step 2");
    assert_focus_stays_inside(&app, "Add Credentials", 6);
    app.press_escape();
    app.expect_no_dialog();
    assert_focus_on(&app, "Add Credentials", "after the dialog closed");

    // A row's menu, then Edit: closing gives the focus back to the menu button.
    app.use_menu("CRM", "Edit");
    app.expect_dialog();
    assert_focus_stays_inside(&app, "Edit Credentials", 4);
    app.press_escape();
    app.expect_no_dialog();
    assert_focus_on(&app, "Actions for CRM", "after Edit closed");

    // The delete confirmation, an alertdialog.
    app.use_menu("CRM", "Delete");
    app.expect_dialog();
    assert_focus_on(&app, "Delete", "in the delete confirmation");
    assert_focus_stays_inside(&app, "Delete credential “CRM”?", 3);
    app.press_escape();
    app.expect_no_dialog();
    assert_focus_on(&app, "Actions for CRM", "after the confirmation closed");

    // The About box, and the Security page.
    app.js("document.getElementById('about-button').focus(); return true;", &[]).expect("focus");
    app.press_enter();
    app.expect_dialog();
    assert_all_reached(&app, "the About box");
    assert_focus_stays_inside(&app, "About Bot Credentials", 3);
    app.press_escape();
    app.expect_no_dialog();
    assert_focus_on(&app, "About", "after the About box closed");
    app.open_security();
    assert_all_reached(&app, "the Security page");
}

#[test]
fn a_credential_is_added_deleted_and_restored_with_the_keyboard_alone() {
    let app = App::launch();

    // Ctrl+N on the picker: Add Organization; Enter creates it and focuses its entry.
    // (Right after the start a key can come before the page listens: then once more.)
    app.button("Add Organization");
    app.press_ctrl("n");
    if !app.becomes(std::time::Duration::from_secs(2), || app.dialog_open()) {
        app.press_ctrl("n");
    }
    app.expect_dialog();
    assert_focus_on(&app, "Name", "in Add Organization");
    app.type_text(ORG);
    app.press_enter();
    app.expect_no_dialog();
    app.expect_notice(&format!("Created {ORG}"));
    app.retry("the focus on the new organization", |app| {
        let f = app.focused();
        if f.name.contains(ORG) && f.tag == "button" {
            Ok(())
        } else {
            Err(format!("it is on {f:?}"))
        }
    });
    app.press_enter();
    app.button("Add Credentials");

    // Tab to Add Credentials; Enter; the first type is Consumer Authentication.
    app.tab_to("Add Credentials", 12);
    app.press_enter();
    app.expect_dialog();
    assert_focus_on(&app, "Name", "in Add Credentials");
    app.type_text("Orders API");
    app.press_tab();
    assert_focus_on(&app, "Authentication Type", "after Tab from Name");
    app.press_enter();
    app.field("Authentication URL");
    assert_focus_on(&app, "Authentication URL", "on step 2");
    app.type_text(ORDERS_URL);
    app.press_enter();
    app.expect_no_dialog();
    app.expect_row("Orders API");
    app.expect_notice("Saved Orders API");

    // The saved row has the focus; Tab reaches its menu; End, Enter: Delete.
    app.tab_to("Actions for Orders API", 3);
    app.press_enter();
    assert_focus_on(&app, "Edit", "in the row menu");
    app.press_key(bot_credentials_e2e::keys::ARROW_UP);
    assert_focus_on(&app, "Delete", "after Up from the first item");
    app.press_enter();
    app.expect_dialog();
    assert_focus_on(&app, "Delete", "in the delete confirmation");
    app.press_enter();
    app.expect_no_dialog();
    app.expect_notice("Deleted Orders API");
    app.expect_text("No credentials yet");

    // Undo, from the keyboard: the notice's button is in the tab order.
    app.tab_to("Undo", 15);
    app.press_enter();
    app.expect_notice("Restored Orders API");
    app.expect_row("Orders API");
    assert_eq!(app.listed_credentials(ORG).len(), 1, "Undo restored the credential");

    // Sorting from the keyboard: the column header is a button.
    app.js("document.querySelector('.sort-button[data-sort=\"name\"]').focus(); return true;", &[]).expect("focus");
    app.press_enter();
    app.retry("Name to sort descending", |app| match app.sorted_column() {
        Some((c, d)) if c == "Name" && d == "descending" => Ok(()),
        other => Err(format!("{other:?}")),
    });
}
