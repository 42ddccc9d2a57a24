//! Issue #3: a database that cannot be opened gets a clear message in the
//! window, and the file is left untouched.

use bot_credentials_e2e::App;

#[test]
fn a_file_that_is_not_a_database_is_reported_in_the_window_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("credentials.sqlite3");
    let content = b"These are my notes, not a database. Please do not overwrite them.\n".repeat(20);
    std::fs::write(&db, &content).expect("write");

    let app = App::launch_with_db(&db);
    app.expect_text("The database could not be opened");
    let text = app.visible_text();
    assert!(text.contains("not an SQLite database"), "the reason is named: {text}");
    assert!(text.contains("credentials.sqlite3"), "the file is named: {text}");
    assert!(!app.has_button("Add Organization"), "nothing else is offered on a broken database");
    drop(app);

    assert_eq!(std::fs::read(&db).expect("read"), content, "the file is left untouched");
}
