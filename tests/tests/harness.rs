//! The harness itself: a session opens on the built binary, the page reads,
//! a screenshot is taken, and a restart keeps the same database.

use bot_credentials_e2e::App;

#[test]
fn session_opens_and_screenshot_is_png() {
    let mut app = App::launch_unchecked();
    let title = app.title();
    assert!(!title.trim().is_empty(), "the page has a title");
    let png = app.temp_dir().join("window.png");
    app.screenshot(&png);
    let bytes = std::fs::read(&png).expect("reading the screenshot back");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "the screenshot is not a PNG");
    assert!(bytes.len() > 1000, "the screenshot is suspiciously small");
    let db = app.db_path().to_path_buf();
    app.restart();
    assert_eq!(app.db_path(), db, "restart keeps the database");
    assert!(!app.title().is_empty(), "the page reads after a restart");
}

/// A small page standing in for the app, to check the helpers themselves.
const FIXTURE: &str = r#"
document.body.innerHTML = `
<main>
  <button type="button" id="open"><svg aria-hidden="true"></svg><span>Add Thing</span></button>
  <label for="outside">Name</label><input id="outside">
  <table><tbody></tbody></table>
</main>
<dialog id="d"><form id="f" novalidate>
  <label>Name *<input id="n" aria-describedby="n-err"></label><p id="n-err"></p>
  <label for="t">Type:</label>
  <select id="t"><option value="a">Alpha</option><option value="b">Beta</option></select>
  <label for="notes">Notes (optional)</label><textarea id="notes"></textarea>
  <button type="submit">Next</button><button type="button" id="cancel">Cancel</button>
</form></dialog>`;
const d = document.getElementById('d');
const n = document.getElementById('n');
document.getElementById('open').addEventListener('click', () => { document.getElementById('f').reset(); d.showModal(); n.focus(); });
document.getElementById('cancel').addEventListener('click', () => d.close());
document.getElementById('f').addEventListener('submit', (e) => {
  e.preventDefault();
  if (n.value.trim() === '') {
    n.setAttribute('aria-invalid', 'true');
    document.getElementById('n-err').textContent = 'Name must not be empty';
    return;
  }
  n.removeAttribute('aria-invalid');
  const t = document.getElementById('t');
  const tr = document.createElement('tr');
  for (const text of [n.value, t.options[t.selectedIndex].text]) {
    const td = document.createElement('td'); td.textContent = text; tr.append(td);
  }
  document.querySelector('tbody').append(tr);
  d.close();
});
return true;
"#;

#[test]
fn helpers_find_by_label_and_text_inside_the_dialog() {
    let app = App::launch_unchecked();
    app.js(FIXTURE, &[]).expect("installing the fixture page");

    assert!(!app.dialog_open());
    app.fill("Name", "outside");
    app.click_button("Add Thing");
    app.expect_dialog();
    assert_eq!(app.field_value("Name"), "", "inside the dialog, Name is the dialog's field");
    assert!(app.has_field("Notes"), "a trailing (optional) is ignored");

    // Enter submits; the problem is read through aria-describedby.
    app.focus("Name");
    app.press_enter();
    let problem = app.expect_problem("Name");
    assert_eq!(problem, "Name must not be empty");
    assert!(app.dialog_open());

    app.select_option("Type", "Beta");
    assert_eq!(app.field_value("Type"), "Beta");
    app.fill("Name", "Widget");
    assert_eq!(app.field_value("Name"), "Widget");
    app.click_button("Next");
    app.expect_no_dialog();
    assert_eq!(app.expect_row("Widget"), ["Widget", "Beta"]);
    assert_eq!(app.field_value("Name"), "outside", "outside the dialog, Name is the page's field");

    app.click_button("Add Thing");
    app.expect_dialog();
    app.press_escape();
    app.expect_no_dialog();

    let missing = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        app.retry_for(std::time::Duration::from_millis(300), "finding", |a| {
            if a.has_button("Nope") {
                Ok(())
            } else {
                Err("absent".to_owned())
            }
        })
    }));
    assert!(missing.is_err(), "retry gives up on what is not there");
}
