//! Issue #3 (d): names are shown as text, never interpreted as markup.

use bot_credentials_e2e::{App, ORDERS_URL};
use serde_json::Value;

const MARKUP: &str = "<img src=x onerror=alert(1)>";

fn assert_no_injected_markup(app: &App, when: &str) {
    let found =
        app.js("return document.querySelectorAll('img, [onerror]').length;", &[]).expect("counting injected elements");
    // The window draws its icons as inline SVG: any <img> here came from a name.
    assert_eq!(found, Value::from(0), "markup from a name became elements {when}");
}

#[test]
fn markup_in_names_is_shown_literally() {
    let app = App::launch();
    app.add_organization(MARKUP);
    assert!(app.visible_text().contains(MARKUP), "the picker shows the name as typed");
    assert_no_injected_markup(&app, "in the picker");

    app.open_organization(MARKUP);
    assert_no_injected_markup(&app, "on the organization's page");

    app.add_consumer_credential(MARKUP, ORDERS_URL);
    let row = app.expect_row(MARKUP);
    assert!(row.iter().any(|c| c == MARKUP), "the row shows the name literally: {row:?}");
    assert_no_injected_markup(&app, "in the list");

    let listed = app.cli(&["list", "--org", MARKUP, "--json"]);
    assert_eq!(listed.code, 0, "list failed: {}", listed.stderr);
    assert_eq!(listed.json()[0]["name"], MARKUP, "the name is stored as typed");
}

/// A right-to-left override and a zero-width space: shown as typed, and
/// unable to reorder the words of a sentence around them.
const BIDI: &str = "CRM\u{202e}lave\u{200b}";
const BIDI_ORG: &str = "Acme\u{202e}stoB";

/// The text of every `<bdi>` inside the elements matching `css`.
fn isolated(app: &App, css: &str) -> Vec<String> {
    let found = app
        .js(
            "return [...document.querySelectorAll(arguments[0])].flatMap(e => [...e.querySelectorAll('bdi')]).map(b => b.textContent);",
            &[Value::from(css)],
        )
        .expect("reading the isolated names");
    found.as_array().expect("array").iter().map(|v| v.as_str().expect("text").to_owned()).collect()
}

#[test]
fn bidi_overrides_zero_width_and_long_names_stay_inert_everywhere() {
    let app = App::launch();
    app.add_organization(BIDI_ORG);
    app.open_organization(BIDI_ORG);
    app.add_consumer_credential(BIDI, ORDERS_URL);
    let row = app.expect_row(BIDI);
    assert!(row.iter().any(|c| c == BIDI), "the row shows the name exactly: {row:?}");
    // The notice names it inside an isolate, so the override ends with the name.
    app.wait_until("the saved notice to isolate the name", || {
        isolated(&app, ".toast-message").iter().any(|n| n == BIDI)
    });
    app.dismiss_notices();

    app.use_menu(BIDI, "Delete");
    app.wait_until("the confirmation to isolate both names", || {
        let names = isolated(&app, "dialog[open] .modal-title, dialog[open] .confirm-text");
        names.iter().any(|n| n == BIDI) && names.iter().any(|n| n == BIDI_ORG)
    });
    app.click_button("Cancel");
    assert_eq!(app.title(), "Bot Credentials", "the window's title never carries a name");

    // A name of 200 characters without a space wraps instead of widening the window.
    let long = "W".repeat(200);
    app.add_consumer_credential(&long, ORDERS_URL);
    app.expect_row(&long);
    app.wait_until("the saved notice", || isolated(&app, ".toast-message").iter().any(|n| n == &long));
    let overflow = app
        .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", &[])
        .expect("measuring");
    assert_eq!(overflow, Value::from(0), "the page is wider than the window");

    let listed = app.cli(&["list", "--org", BIDI_ORG, "--json"]);
    assert_eq!(listed.code, 0, "list failed: {}", listed.stderr);
    let names: Vec<String> =
        listed.json().as_array().expect("array").iter().map(|c| c["name"].as_str().expect("name").to_owned()).collect();
    assert!(names.contains(&BIDI.to_owned()) && names.contains(&long), "stored exactly as typed: {names:?}");
    let table = app.cli(&["list", "--org", BIDI_ORG]);
    assert!(table.stdout.contains("CRM\\u{202e}lave\\u{200b}"), "the terminal shows them escaped: {}", table.stdout);
    assert!(!table.stdout.contains('\u{202e}'), "never raw on a terminal");
}
