//! Acting as a person would: by visible texts and labels, scoped to the
//! top-most open dialog when one is open (else the whole document), each with
//! a bounded wait and a failure message that lists what *is* visible.

use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::app::App;
use crate::js;
use crate::webdriver::{keys, Element};

const POLL: Duration = Duration::from_millis(100);

fn describe_missing(kind: &str, name: &str, found: &Value) -> String {
    let scope = found.get("scope").and_then(Value::as_str).unwrap_or("the page");
    let seen: Vec<String> = found
        .get("seen")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|v| format!("{v}")).collect())
        .unwrap_or_default();
    let text = found.get("text").and_then(Value::as_str).unwrap_or_default();
    format!("no {kind} {name:?} in {scope}.\n{kind}s there: [{}]\ntext there:\n{text}", seen.join(", "))
}

impl App {
    /// How long helpers wait for something to appear (default 5 s, `E2E_WAIT_SECS` overrides).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Repeats `attempt` until it gives `Ok`, for at most [`App::timeout`];
    /// then panics with `what` and the last error.
    pub fn retry<T>(&self, what: &str, attempt: impl FnMut(&App) -> Result<T, String>) -> T {
        self.retry_for(self.timeout, what, attempt)
    }

    /// [`App::retry`] with an explicit time limit.
    pub fn retry_for<T>(&self, limit: Duration, what: &str, mut attempt: impl FnMut(&App) -> Result<T, String>) -> T {
        let deadline = Instant::now() + limit;
        loop {
            match attempt(self) {
                Ok(v) => return v,
                Err(e) if Instant::now() >= deadline => {
                    panic!("{what}: gave up after {limit:?}: {e}")
                }
                Err(_) => sleep(POLL),
            }
        }
    }

    /// Waits until `cond` holds (bounded); panics naming `desc` and showing the page text.
    pub fn wait_until(&self, desc: &str, mut cond: impl FnMut() -> bool) {
        let deadline = Instant::now() + self.timeout;
        while !cond() {
            if Instant::now() >= deadline {
                panic!("waited {:?} for {desc}; the window shows:\n{}", self.timeout, self.visible_text());
            }
            sleep(POLL);
        }
    }

    /// Whether `cond` holds at some point within `limit` (no panic).
    pub fn becomes(&self, limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            if cond() {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            sleep(POLL);
        }
    }

    fn js_ok(&self, body: &str, args: &[Value]) -> Value {
        self.js(body, args).unwrap_or_else(|e| panic!("script in the page failed: {e}"))
    }

    fn find(&self, script: &str, kind: &str, name: &str) -> Result<Element, String> {
        let found = self.js(script, &[json!(name)]).map_err(|e| e.to_string())?;
        found.get("el").and_then(Element::from_json).ok_or_else(|| describe_missing(kind, name, &found))
    }

    /// The button (or link, menu item, tab…) whose trimmed visible text or
    /// aria-label is `name`; failing an exact match, one containing an element with that text.
    pub fn button(&self, name: &str) -> Element {
        self.retry(&format!("finding button {name:?}"), |app| app.find(js::FIND_CLICKABLE, "button", name))
    }

    /// Whether such a button is visible right now (no waiting).
    pub fn has_button(&self, name: &str) -> bool {
        self.find(js::FIND_CLICKABLE, "button", name).is_ok()
    }

    /// Clicks the button named `name` (see [`App::button`]).
    pub fn click_button(&self, name: &str) {
        self.retry(&format!("clicking button {name:?}"), |app| {
            let el = app.find(js::FIND_CLICKABLE, "button", name)?;
            app.wd().click(&el).map_err(|e| e.to_string())
        });
    }

    /// The input, select or textarea tied to the label whose text is `label`
    /// (a trailing `*`, `:` or `(optional)` ignored).
    pub fn field(&self, label: &str) -> Element {
        self.retry(&format!("finding field {label:?}"), |app| app.find(js::FIND_FIELD, "field", label))
    }

    /// Whether such a field is there right now (no waiting).
    pub fn has_field(&self, label: &str) -> bool {
        self.find(js::FIND_FIELD, "field", label).is_ok()
    }

    /// Clears the field and types `text` into it, key by key.
    pub fn fill(&self, label: &str, text: &str) {
        self.retry(&format!("typing into field {label:?}"), |app| {
            let el = app.find(js::FIND_FIELD, "field", label)?;
            app.wd().clear(&el).map_err(|e| e.to_string())?;
            if !text.is_empty() {
                app.wd().send_keys(&el, text).map_err(|e| e.to_string())?;
            }
            Ok(())
        });
    }

    /// Clears the field and puts `text` in as a paste would (for long texts that
    /// take too long to type): all but the last character pasted, the last one typed.
    pub fn paste(&self, label: &str, text: &str) {
        let mut chars = text.chars();
        let last = chars.next_back().map(String::from).unwrap_or_default();
        let head = chars.as_str();
        self.retry(&format!("pasting into field {label:?}"), |app| {
            let el = app.find(js::FIND_FIELD, "field", label)?;
            app.wd().clear(&el).map_err(|e| e.to_string())?;
            app.wd().click(&el).map_err(|e| e.to_string())?;
            let pasted = app.js(js::PASTE, &[el.to_json(), json!(head)]).map_err(|e| e.to_string())?;
            if pasted != Value::Bool(true) {
                return Err(format!("the field did not take the pasted text (maxlength?): {pasted}"));
            }
            app.wd().send_keys(&el, &last).map_err(|e| e.to_string())
        });
    }

    /// Clicks into the field (giving it the focus).
    pub fn focus(&self, label: &str) {
        self.retry(&format!("clicking into field {label:?}"), |app| {
            let el = app.find(js::FIND_FIELD, "field", label)?;
            app.wd().click(&el).map_err(|e| e.to_string())
        });
    }

    /// Picks `path` in the file input (`<input type=file>`) labelled `label`, as the
    /// system's file chooser would: WebDriver sends the absolute path to the input.
    pub fn choose_file(&self, label: &str, path: &Path) {
        assert!(path.is_absolute(), "choose_file needs an absolute path, not {}", path.display());
        assert!(path.is_file(), "choose_file: {} is not a file", path.display());
        let text = path.to_str().unwrap_or_else(|| panic!("choose_file: {} is not UTF-8", path.display()));
        self.retry(&format!("choosing the file {} in {label:?}", path.display()), |app| {
            let el = app.find(js::FIND_FIELD, "field", label)?;
            let kind = app.js(js::INPUT_TYPE, &[el.to_json()]).map_err(|e| e.to_string())?;
            if kind != "file" {
                return Err(format!("field {label:?} is not a file input but {kind}"));
            }
            app.wd().send_keys(&el, text).map_err(|e| e.to_string())
        });
    }

    /// Whether the checkbox labelled `label` is checked.
    pub fn is_checked(&self, label: &str) -> bool {
        match self.field_value(label).as_str() {
            "on" => true,
            "off" => false,
            other => panic!("field {label:?} is not a checkbox (its value is {other:?})"),
        }
    }

    /// Clicks the checkbox labelled `label` when it is not already in the state `checked`.
    pub fn set_checked(&self, label: &str, checked: bool) {
        if self.is_checked(label) != checked {
            self.click_field(label);
            self.wait_until(
                &format!("checkbox {label:?} to be {}", if checked { "checked" } else { "unchecked" }),
                || self.is_checked(label) == checked,
            );
        }
    }

    /// Clicks the field labelled `label` (a checkbox, a radio button, a file input…).
    pub fn click_field(&self, label: &str) {
        self.retry(&format!("clicking field {label:?}"), |app| {
            let el = app.find(js::FIND_FIELD, "field", label)?;
            app.wd().click(&el).map_err(|e| e.to_string())
        });
    }

    /// The `<select>` labelled `label` and its option whose text is `option`.
    fn find_option(&self, label: &str, option: &str) -> Result<(Element, Element), String> {
        let sel = self.find(js::FIND_FIELD, "field", label)?;
        let found = self.js(js::FIND_OPTION, &[sel.to_json(), json!(option)]).map_err(|e| e.to_string())?;
        let opt =
            found.get("el").and_then(Element::from_json).ok_or_else(|| describe_missing("option", option, &found))?;
        Ok((sel, opt))
    }

    /// Picks `option` in the `<select>` labelled `label` once, without insisting that it
    /// stays picked: for selects whose change asks for a confirmation first (the select
    /// keeps its old value until then). Clicks the option; when that fired no `change`,
    /// selects it from script once.
    pub fn choose_option_once(&self, label: &str, option: &str) {
        let (sel, opt) = self.retry(&format!("finding {option:?} in {label:?}"), |app| app.find_option(label, option));
        self.js_ok(js::WATCH_CHANGE, &[sel.to_json()]);
        let _ = self.wd().click(&opt);
        self.js_ok(js::PICKED_OR_FORCE, &[sel.to_json(), opt.to_json()]);
    }

    /// Whether the button named `name` is enabled (waits for the button itself).
    pub fn button_enabled(&self, name: &str) -> bool {
        let el = self.button(name);
        self.wd().is_enabled(&el).unwrap_or_else(|e| panic!("reading whether {name:?} is enabled: {e}"))
    }

    /// Whether the field labelled `label` has the keyboard focus.
    pub fn has_focus(&self, label: &str) -> bool {
        let r = self.retry(&format!("finding field {label:?}"), |app| {
            let r = app.js(js::FIELD_FOCUSED, &[json!(label)]).map_err(|e| e.to_string())?;
            if r.get("found") == Some(&Value::Bool(true)) {
                Ok(r)
            } else {
                Err(describe_missing("field", label, &r))
            }
        });
        r.get("focused") == Some(&Value::Bool(true))
    }

    /// Presses Ctrl + `key` (e.g. `"n"`) where the focus is.
    pub fn press_ctrl(&self, key: &str) {
        self.wd().press_chord(keys::CONTROL, key).unwrap_or_else(|e| panic!("pressing Ctrl+{key}: {e}"));
    }

    /// Picks the option whose text is `option` in the `<select>` labelled `label`.
    pub fn select_option(&self, label: &str, option: &str) {
        self.retry(&format!("choosing {option:?} in {label:?}"), |app| {
            let (sel, opt) = app.find_option(label, option)?;
            // Clicking an <option> selects it in WebKitWebDriver; if it did not,
            // select it from script (firing input/change) rather than fail.
            let _ = app.wd().click(&opt);
            app.js(js::FORCE_OPTION, &[sel.to_json(), opt.to_json()]).map_err(|e| e.to_string()).and_then(|v| {
                if v == Value::Bool(true) {
                    Ok(())
                } else {
                    Err(format!("option {option:?} did not get selected"))
                }
            })
        });
    }

    fn press(&self, key: &str, name: &str) {
        if let Err(first) = self.wd().press_key(key) {
            // Fall back to sending the key to the focused element.
            let el = self
                .wd()
                .active_element()
                .unwrap_or_else(|e| panic!("pressing {name}: {first}; no focused element: {e}"));
            self.wd().send_keys(&el, key).unwrap_or_else(|e| panic!("pressing {name}: {first}; then: {e}"));
        }
    }

    /// Presses Enter where the focus is.
    pub fn press_enter(&self) {
        self.press(keys::ENTER, "Enter");
    }

    /// Presses Escape where the focus is.
    pub fn press_escape(&self) {
        self.press(keys::ESCAPE, "Escape");
    }

    /// The problem shown for the field: the text of what its `aria-describedby`
    /// points at while it has `aria-invalid="true"`; `None` when it is valid.
    pub fn field_problem(&self, label: &str) -> Option<String> {
        let r = self.retry(&format!("finding field {label:?}"), |app| {
            let r = app.js(js::FIELD_PROBLEM, &[json!(label)]).map_err(|e| e.to_string())?;
            if r.get("found") == Some(&Value::Bool(true)) {
                Ok(r)
            } else {
                Err(describe_missing("field", label, &r))
            }
        });
        r.get("problem").and_then(Value::as_str).map(str::to_owned)
    }

    /// Waits until the field shows a problem and returns its text (non-empty).
    pub fn expect_problem(&self, label: &str) -> String {
        let deadline = Instant::now() + self.timeout;
        loop {
            match self.field_problem(label) {
                Some(p) if !p.is_empty() => return p,
                other if Instant::now() >= deadline => panic!(
                    "field {label:?} shows no problem (aria-invalid=\"true\" with an aria-describedby message) \
                     within {:?}; got {other:?}.\nnotices: {}\ndialog:\n{}",
                    self.timeout,
                    self.notices(),
                    self.dialog_text()
                ),
                _ => sleep(POLL),
            }
        }
    }

    /// The field's current value (a `<select>`: the chosen option's text).
    pub fn field_value(&self, label: &str) -> String {
        self.field_info(label)
            .get("value")
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .unwrap_or_default()
    }

    /// The text the field's `aria-describedby` points at (hints, warnings, problems).
    pub fn field_description(&self, label: &str) -> String {
        self.field_info(label).get("hint").and_then(Value::as_str).unwrap_or_default().to_owned()
    }

    fn field_info(&self, label: &str) -> Value {
        self.retry(&format!("reading field {label:?}"), |app| {
            let r = app.js(js::FIELD_VALUE, &[json!(label)]).map_err(|e| e.to_string())?;
            if r.get("found") == Some(&Value::Bool(true)) {
                Ok(r)
            } else {
                Err(describe_missing("field", label, &r))
            }
        })
    }

    /// Whether a dialog (`<dialog open>`, `role=dialog` or `alertdialog`) is visible.
    pub fn dialog_open(&self) -> bool {
        self.js_ok(js::DIALOG_OPEN, &[]) == Value::Bool(true)
    }

    /// Waits for a dialog to be open.
    pub fn expect_dialog(&self) {
        self.wait_until("a dialog to open", || self.dialog_open());
    }

    /// Waits for every dialog to be closed.
    pub fn expect_no_dialog(&self) {
        self.wait_until("the dialog to close", || !self.dialog_open());
    }

    /// The top-most dialog's text ("" when none is open).
    pub fn dialog_text(&self) -> String {
        self.js_ok(js::DIALOG_TEXT, &[]).as_str().unwrap_or_default().to_owned()
    }

    /// The whole window's visible text.
    pub fn visible_text(&self) -> String {
        self.js_ok(js::VISIBLE_TEXT, &[]).as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the window shows `text` somewhere.
    pub fn expect_text(&self, text: &str) {
        self.wait_until(&format!("the text {text:?}"), || self.visible_text().contains(text));
    }

    /// Texts of `role=status` / `role=alert` regions (notices).
    pub fn notices(&self) -> String {
        self.js_ok(js::NOTICES, &[]).as_str().unwrap_or_default().to_owned()
    }

    /// Cell texts of the visible rows (table body rows, else `role=row`, else list items
    /// in `main`), outside dialogs.
    pub fn table_rows(&self) -> Vec<Vec<String>> {
        let v = self.js_ok(js::TABLE_ROWS, &[]);
        v.as_array()
            .map(|rows| {
                rows.iter()
                    .map(|r| {
                        r.as_array()
                            .map(|cells| cells.iter().map(|c| c.as_str().unwrap_or_default().to_owned()).collect())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits for a row one of whose cells is exactly `name`, and returns its cells.
    pub fn expect_row(&self, name: &str) -> Vec<String> {
        self.retry(&format!("finding the row {name:?}"), |app| {
            let rows = app.table_rows();
            rows.iter().find(|r| r.iter().any(|c| c == name)).cloned().ok_or_else(|| format!("rows are {rows:?}"))
        })
    }
}
