//! A list of hundreds of credentials opens with the first 200 rows and
//! shows more on request; search looks through all of them.

use bot_credentials_e2e::App;
use serde_json::json;

#[test]
fn a_long_list_is_paged_and_search_reaches_every_row() {
    let mut app = App::launch();
    let credentials: Vec<_> = (0..450)
        .map(|i| json!({"name": format!("Service {i:03}"), "type": "access_token", "access_token": null, "token_type": "Bearer"}))
        .collect();
    let file = app.temp_dir().join("many.json");
    let doc = json!({"format": "bot-credentials", "version": 1, "organizations": [{"name": "Big Org", "credentials": credentials}]});
    std::fs::write(&file, doc.to_string()).expect("write file");
    let imported = app.cli(&["import", file.to_str().expect("utf-8 path")]);
    assert_eq!(imported.code, 0, "import failed: {}", imported.stderr);

    app.restart();
    app.open_organization("Big Org");
    app.expect_result_count("450 credentials");
    app.wait_until("the first page of 200 rows", || app.row_names().len() == 200);
    app.expect_text("Showing 200 of 450");
    app.click_button("Show 200 more");
    app.wait_until("400 rows", || app.row_names().len() == 400);
    app.click_button("Show 50 more");
    app.wait_until("all 450 rows", || app.row_names().len() == 450);
    assert!(!app.has_button("Show 50 more"), "no more to show");
    assert_eq!(app.row_names().last().map(String::as_str), Some("Service 449"));

    // Search finds rows that were beyond the first page.
    app.fill("Search", "Service 44");
    app.expect_result_count("10 of 450");
    app.expect_row_names(&[
        "Service 440",
        "Service 441",
        "Service 442",
        "Service 443",
        "Service 444",
        "Service 445",
        "Service 446",
        "Service 447",
        "Service 448",
        "Service 449",
    ]);
    let first = app.expect_row("Service 440");
    assert!(first.iter().any(|c| c.contains("Needs secret")), "imported without token: {first:?}");
}
