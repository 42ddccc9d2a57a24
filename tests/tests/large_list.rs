//! A list of hundreds of credentials: only the rows in view (and a few
//! around them) are in the page, the scrollbar spans them all, scrolling
//! brings the rows it reaches, search looks through all of them, and a
//! saved row is scrolled to, focused and highlighted.

use bot_credentials_e2e::App;
use serde_json::json;

const ROWS: usize = 450;
/// More than a view holds with its overscan, far fewer than the list.
const MOST_DRAWN: usize = 80;

fn app_with_many() -> App {
    let mut app = App::launch();
    let credentials: Vec<_> = (0..ROWS)
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
    app.expect_first_row("Service 000");
    app
}

#[test]
fn a_long_list_draws_only_the_rows_in_view_and_scrolls_through_all() {
    let app = app_with_many();
    let g = app.list_geometry();
    assert_eq!(g.row_count, Some(ROWS as u64 + 1), "aria-rowcount counts every row and the header");
    assert!(g.rows.len() >= 10 && g.rows.len() <= MOST_DRAWN, "{} rows in the page", g.rows.len());
    assert_eq!(g.rows[0], (2, "Service 000".to_owned()), "aria-rowindex 1 is the header row");
    assert!(g.rows.windows(2).all(|w| w[1].0 == w[0].0 + 1), "consecutive rows: {:?}", g.rows);
    assert!(g.scroll_height > 40.0 * ROWS as f64, "the scroll box holds every row: {g:?}");
    assert!(!app.has_button("Show 200 more"), "no paging button");

    // The end: the last rows come, and still only a few are in the page.
    app.scroll_list_to(1.0);
    app.retry("the last row in view", |app| {
        let g = app.list_geometry();
        match g.in_view.last() {
            Some(last) if last == "Service 449" => Ok(()),
            _ => Err(format!("in view: {:?}", g.in_view)),
        }
    });
    let g = app.list_geometry();
    assert!(g.rows.len() <= MOST_DRAWN, "{} rows in the page at the end", g.rows.len());
    assert_eq!(g.rows.last(), Some(&(ROWS as u64 + 1, "Service 449".to_owned())));

    // The middle: the rows there, in order.
    app.scroll_list_to(0.5);
    app.retry("rows from the middle in view", |app| {
        let g = app.list_geometry();
        let names: Vec<usize> = g.in_view.iter().filter_map(|n| n.strip_prefix("Service ")?.parse().ok()).collect();
        let ordered = names.windows(2).all(|w| w[1] == w[0] + 1);
        if names.len() >= 5 && ordered && names.iter().all(|&i| (150..300).contains(&i)) {
            Ok(())
        } else {
            Err(format!("in view: {:?}", g.in_view))
        }
    });

    // Search finds rows that were never drawn; the count says how many.
    app.fill("Search", "Service 44");
    app.expect_result_count("10 of 450");
    let matches: Vec<String> = (440..450).map(|i| format!("Service {i}")).collect();
    app.expect_row_names(&matches.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(app.list_geometry().row_count, Some(11));
    let first = app.expect_row("Service 440");
    assert!(first.iter().any(|c| c.contains("Needs secret")), "imported without token: {first:?}");

    // Cleared: every row again, from the top.
    app.press_escape();
    app.expect_result_count("450 credentials");
    app.expect_first_row("Service 000");

    // Sorted the other way: the last name comes first.
    app.click_button("Name");
    app.expect_first_row("Service 449");
    assert_eq!(app.sorted_column(), Some(("Name".into(), "descending".into())));
}

#[test]
fn a_saved_row_far_down_is_scrolled_to_focused_and_highlighted() {
    let app = app_with_many();
    app.start_credential("Service 999", "Access Token");
    app.click_button("Next");
    app.fill("Access Token", "tok-999");
    app.fill("Token Type", "Bearer");
    app.click_button("Save");
    app.expect_no_dialog();
    app.expect_result_count("451 credentials");
    app.retry("the saved row in view with the focus", |app| {
        let g = app.list_geometry();
        let focused = app
            .js(
                "const tr = document.activeElement && document.activeElement.closest('tr');
                 return tr ? [norm(tr.querySelector('td').innerText), tr.classList.contains('row-new')] : null;",
                &[],
            )
            .map_err(|e| e.to_string())?;
        if g.in_view.iter().any(|n| n == "Service 999") && focused == json!(["Service 999", true]) {
            Ok(())
        } else {
            Err(format!("focused: {focused}, in view: {:?}", g.in_view))
        }
    });
    let g = app.list_geometry();
    assert_eq!(g.rows.last(), Some(&(ROWS as u64 + 2, "Service 999".to_owned())), "the last of 451");
    assert!(g.rows.len() <= MOST_DRAWN);
}
