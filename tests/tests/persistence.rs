//! Issue #3 (b): what the window saved is there after a restart.

use bot_credentials_e2e::{App, ORDERS_URL};

#[test]
fn organization_and_credential_survive_a_restart() {
    let mut app = App::launch();
    app.add_organization("Acme Bots");
    app.open_organization("Acme Bots");
    app.add_consumer_credential("Orders API", ORDERS_URL);
    assert!(app.db_path().is_file(), "the database file was created at BOT_CREDENTIALS_DB");

    app.restart();

    app.expect_text("Acme Bots");
    app.open_organization("Acme Bots");
    let row = app.expect_row("Orders API");
    assert!(
        row.iter().any(|c| c.contains("accounts.example.com")),
        "the row still shows the URL's host after a restart: {row:?}"
    );

    // The CLI reads the same stored URL.
    let listed = app.cli(&["list", "--org", "Acme Bots", "--json"]);
    assert_eq!(listed.code, 0, "list failed: {}", listed.stderr);
    assert_eq!(listed.json()[0]["authentication_url"], ORDERS_URL);
}
