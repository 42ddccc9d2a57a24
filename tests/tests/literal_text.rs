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
