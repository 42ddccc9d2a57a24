//! The Credentials list and the organization picker as a person reads them:
//! rows, row menus, notices (with Undo), the Search count and the sorted column;
//! and the long list's scrolling (only the rows in view are in the page).

use std::time::Duration;

use serde_json::{json, Value};

use crate::app::App;
use crate::js;

impl App {
    /// The first cell of every visible row, top to bottom (the credential names).
    pub fn row_names(&self) -> Vec<String> {
        self.table_rows().into_iter().filter_map(|r| r.into_iter().next()).collect()
    }

    /// Waits until the rows' names are `names`, in that order.
    pub fn expect_row_names(&self, names: &[&str]) {
        let want: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        self.retry(&format!("the rows to be {want:?}"), |app| {
            let now = app.row_names();
            if now == want {
                Ok(())
            } else {
                Err(format!("the rows are {now:?}"))
            }
        });
    }

    /// Waits until no row has a cell that is exactly `name`.
    pub fn expect_no_row(&self, name: &str) {
        self.retry(&format!("the row {name:?} to go"), |app| {
            let rows = app.table_rows();
            if rows.iter().any(|r| r.iter().any(|c| c == name)) {
                Err(format!("rows are {rows:?}"))
            } else {
                Ok(())
            }
        });
    }

    /// Opens the menu "Actions for `item`" (a credential's row or an organization's
    /// entry) and clicks its entry `entry` (Edit, Delete, Rename…).
    pub fn use_menu(&self, item: &str, entry: &str) {
        self.click_button(&format!("Actions for {item}"));
        self.retry(&format!("finding {entry:?} in the menu of {item:?}"), |app| {
            let open = app.js("return !!document.querySelector('[role=menu]');", &[]).map_err(|e| e.to_string())?;
            if open == Value::Bool(true) {
                Ok(())
            } else {
                Err("no menu (role=menu) opened".to_owned())
            }
        });
        self.click_button(entry);
    }

    /// Waits until a notice (`role=status` / `role=alert`) contains `text`.
    pub fn expect_notice(&self, text: &str) {
        self.wait_until(&format!("a notice saying {text:?}"), || self.notices().contains(text));
    }

    /// Closes every notice with its "Dismiss notification" button.
    pub fn dismiss_notices(&self) {
        for _ in 0..10 {
            if !self.has_button("Dismiss notification") {
                return;
            }
            self.click_button("Dismiss notification");
        }
    }

    /// The visible text of the first element matching `css`, if any.
    pub fn text_of(&self, css: &str) -> Option<String> {
        let v = self.js(js::TEXT_OF, &[json!(css)]).unwrap_or_else(|e| panic!("reading {css}: {e}"));
        v.as_str().map(str::to_owned)
    }

    /// The list's count line (e.g. "6 credentials", "2 of 6").
    pub fn result_count(&self) -> String {
        self.text_of("#result-count").unwrap_or_default()
    }

    /// Waits until the count line reads `text`.
    pub fn expect_result_count(&self, text: &str) {
        self.retry(&format!("the count to read {text:?}"), |app| {
            let now = app.result_count();
            if now == text {
                Ok(())
            } else {
                Err(format!("it reads {now:?}"))
            }
        });
    }

    /// The sorted column: its header's text and `aria-sort` (`ascending` / `descending`).
    pub fn sorted_column(&self) -> Option<(String, String)> {
        let v = self.js(js::SORTED_COLUMN, &[]).unwrap_or_else(|e| panic!("reading the sorted column: {e}"));
        let a = v.as_array()?;
        Some((a.first()?.as_str()?.to_owned(), a.get(1)?.as_str()?.to_owned()))
    }

    /// Scrolls the page's `main` to `fraction` (0.0 top, 1.0 bottom) of its height,
    /// as dragging the scrollbar does.
    pub fn scroll_list_to(&self, fraction: f64) {
        self.js(js::SCROLL_MAIN, &[json!(fraction)]).unwrap_or_else(|e| panic!("scrolling the list: {e}"));
    }

    /// The Credentials table as assistive technology reads it.
    pub fn list_geometry(&self) -> ListGeometry {
        let v = self.js(js::LIST_GEOMETRY, &[]).unwrap_or_else(|e| panic!("reading the list: {e}"));
        let text = |x: &Value| x.as_str().unwrap_or_default().to_owned();
        let list = |x: &Value| x.as_array().cloned().unwrap_or_default();
        ListGeometry {
            row_count: v["row_count"].as_u64(),
            rows: list(&v["rows"]).iter().map(|r| (r[0].as_u64().unwrap_or(0), text(&r[1]))).collect(),
            in_view: list(&v["in_view"]).iter().map(text).collect(),
            scroll_height: v["scroll_height"].as_f64().unwrap_or(0.0),
            client_height: v["client_height"].as_f64().unwrap_or(0.0),
            scroll_top: v["scroll_top"].as_f64().unwrap_or(0.0),
        }
    }

    /// Waits until the first visible row's name is `name`.
    pub fn expect_first_row(&self, name: &str) {
        self.retry(&format!("the first row to be {name:?}"), |app| match app.row_names().first() {
            Some(n) if n == name => Ok(()),
            other => Err(format!("it is {other:?}")),
        });
    }

    /// The page's markup and every form control's value: for checking that
    /// something (a secret) is nowhere in the page, shown or not.
    pub fn page_source(&self) -> String {
        let v = self.js(js::PAGE_SOURCE, &[]).unwrap_or_else(|e| panic!("reading the page source: {e}"));
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Gets the window ready for a screenshot: notices dismissed, the new-row
    /// highlight faded, no focus ring.
    pub fn settle_for_screenshot(&self) {
        self.dismiss_notices();
        std::thread::sleep(Duration::from_secs(3));
        self.js("document.activeElement && document.activeElement.blur(); return true;", &[])
            .unwrap_or_else(|e| panic!("moving the focus away for the screenshot: {e}"));
    }
}

/// The Credentials table: its `aria-rowcount`, the `aria-rowindex` and name of
/// each row in the page, which of them are within the window's view, and the
/// scroll box's heights.
#[derive(Debug, Clone)]
pub struct ListGeometry {
    pub row_count: Option<u64>,
    /// `(aria-rowindex, name)` of every row element in the table's body.
    pub rows: Vec<(u64, String)>,
    /// The names of the rows at least partly in view.
    pub in_view: Vec<String>,
    pub scroll_height: f64,
    pub client_height: f64,
    pub scroll_top: f64,
}
