//! Export and import in the window (issue #5): the Import preview and the
//! "Cannot import this file" dialog as a person reads them, and the steps of
//! exporting and importing through the native file dialogs.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::app::App;
use crate::native::FileDialog;

/// Titles the save dialog of an export with plain-text secrets may have.
pub const PLAIN_EXPORT_TITLES: &[&str] =
    &["Export credentials WITH SECRETS in plain text", "Export credentials WITH SECRETS"];

/// One row of the Import preview's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    /// The Organization column.
    pub organization: String,
    /// The credential's name (without the badge).
    pub name: String,
    /// The Authentication Type column.
    pub type_label: String,
    /// The Action column's text: Add, Replace, Skip or Conflict.
    pub action: String,
    /// The row's `data-action`: add, replace, skip or conflict.
    pub data_action: String,
    /// Whether the row has the "Needs secret" badge.
    pub needs_secret: bool,
}

/// What the open Import preview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPreview {
    /// The File line.
    pub file: String,
    /// `#import-counts`: `data-count` key → (label, number).
    pub counts: BTreeMap<String, (String, i64)>,
    /// The chosen option of "When a credential already exists".
    pub policy: String,
    /// The visible problems, "<path>: <message>".
    pub problems: Vec<String>,
    /// The visible explanation of why Import is disabled, if shown.
    pub blocked: Option<String>,
    /// The table's rows.
    pub rows: Vec<PreviewRow>,
    /// Whether Import (`#import-confirm`) is enabled.
    pub import_enabled: bool,
    /// The dialog's error area, if it shows anything.
    pub error: Option<String>,
}

impl ImportPreview {
    /// The number shown for `key` (organizations_added, added, replaced, skipped).
    pub fn count(&self, key: &str) -> i64 {
        self.counts.get(key).map(|c| c.1).unwrap_or_else(|| panic!("the preview shows no count {key:?}: {self:#?}"))
    }

    /// The four counts, in the order organizations_added, added, replaced, skipped.
    pub fn all_counts(&self) -> [i64; 4] {
        ["organizations_added", "added", "replaced", "skipped"].map(|k| self.count(k))
    }

    /// The row of the credential `name`.
    pub fn row(&self, name: &str) -> &PreviewRow {
        self.rows
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("the preview has no row {name:?}: {:#?}", self.rows))
    }
}

/// Reads the open Import preview (null when it is not open).
const READ_PREVIEW: &str = r#"
const d = document.getElementById('import-preview-dialog');
if (!d || !d.open || !visible(d)) return null;
const counts = {};
d.querySelectorAll('#import-counts [data-count]').forEach((c) => {
  const dt = c.querySelector('dt'), dd = c.querySelector('dd');
  counts[c.dataset.count] = [norm(dt ? dt.innerText : ''), Number(norm(dd ? dd.innerText : 'NaN'))];
});
const sel = d.querySelector('#import-on-conflict');
const blocked = d.querySelector('#import-blocked');
const error = [...d.querySelectorAll('[role=alert], .dialog-error, .form-error')].filter(visible).map((e) => norm(e.innerText)).filter(Boolean).join(' ');
const confirm = d.querySelector('#import-confirm');
return {
  file: norm((d.querySelector('#import-file') || {}).innerText),
  counts,
  policy: sel && sel.selectedIndex >= 0 ? norm(sel.options[sel.selectedIndex].text) : '',
  problems: [...d.querySelectorAll('#import-problem-list li')].filter(visible).map((li) => norm(li.innerText)),
  blocked: blocked && visible(blocked) ? norm(blocked.innerText) : null,
  rows: [...d.querySelectorAll('#import-credentials tbody tr')].map((tr) => {
    const cells = [...tr.cells];
    const name = tr.querySelector('.cred-name');
    return {
      organization: norm(cells[0] ? cells[0].innerText : ''),
      name: norm(name ? name.innerText : (cells[1] ? cells[1].innerText : '')),
      type_label: norm(cells[2] ? cells[2].innerText : ''),
      action: norm(cells[3] ? cells[3].innerText : ''),
      data_action: tr.dataset.action || '',
      needs_secret: [...tr.querySelectorAll('.badge')].some((b) => visible(b) && norm(b.innerText) === 'Needs secret'),
    };
  }),
  import_enabled: !!confirm && visible(confirm) && !confirm.disabled,
  error: error || null,
};
"#;

/// Reads the open "Cannot import this file" dialog (null when it is not open).
const READ_IMPORT_ERROR: &str = r#"
const d = document.getElementById('import-error-dialog');
if (!d || !d.open || !visible(d)) return null;
const h = d.querySelector('h1, h2, h3');
return {
  title: norm(h ? h.innerText : ''),
  intro: norm((d.querySelector('#import-error-intro') || {}).innerText),
  problems: [...d.querySelectorAll('#import-error-list li')].map((li) => norm(li.innerText)),
};
"#;

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default()
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn parse_preview(v: &Value) -> ImportPreview {
    let counts = v["counts"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, c)| {
                    (k.clone(), (c[0].as_str().unwrap_or_default().to_owned(), c[1].as_i64().unwrap_or(i64::MIN)))
                })
                .collect()
        })
        .unwrap_or_default();
    let rows = v["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| PreviewRow {
                    organization: text(r, "organization"),
                    name: text(r, "name"),
                    type_label: text(r, "type_label"),
                    action: text(r, "action"),
                    data_action: text(r, "data_action"),
                    needs_secret: r["needs_secret"] == Value::Bool(true),
                })
                .collect()
        })
        .unwrap_or_default();
    ImportPreview {
        file: text(v, "file"),
        counts,
        policy: text(v, "policy"),
        problems: strings(&v["problems"]),
        blocked: v["blocked"].as_str().map(str::to_owned),
        rows,
        import_enabled: v["import_enabled"] == Value::Bool(true),
        error: v["error"].as_str().map(str::to_owned),
    }
}

/// What the "Cannot import this file" dialog shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// Its heading.
    pub title: String,
    /// "Nothing was imported. The file has …".
    pub intro: String,
    /// The listed problems, "<path>: <message>".
    pub problems: Vec<String>,
}

impl App {
    /// The open Import preview, if there is one (no waiting).
    pub fn import_preview(&self) -> Option<ImportPreview> {
        let v = self.js(READ_PREVIEW, &[]).unwrap_or_else(|e| panic!("reading the Import preview: {e}"));
        (!v.is_null()).then(|| parse_preview(&v))
    }

    /// Waits (bounded) until the Import preview is open and `ready` holds for
    /// it, and returns it; panics with `what` and the last preview seen.
    pub fn expect_import_preview(&self, what: &str, mut ready: impl FnMut(&ImportPreview) -> bool) -> ImportPreview {
        self.retry(&format!("waiting for the Import preview to show {what}"), |app| match app.import_preview() {
            Some(p) if ready(&p) => Ok(p),
            Some(p) => Err(format!("the preview shows {p:#?}")),
            None => Err(format!("no Import preview is open; the window shows:\n{}", app.visible_text())),
        })
    }

    /// The open "Cannot import this file" dialog, if there is one (no waiting).
    pub fn import_error(&self) -> Option<ImportError> {
        let v = self.js(READ_IMPORT_ERROR, &[]).unwrap_or_else(|e| panic!("reading the import error dialog: {e}"));
        (!v.is_null()).then(|| ImportError {
            title: text(&v, "title"),
            intro: text(&v, "intro"),
            problems: strings(&v["problems"]),
        })
    }

    /// Waits (bounded) for the "Cannot import this file" dialog and returns what it shows.
    pub fn expect_import_error(&self) -> ImportError {
        self.retry("waiting for the \"Cannot import this file\" dialog", |app| {
            app.import_error().ok_or_else(|| format!("it is not open; the window shows:\n{}", app.visible_text()))
        })
    }

    /// Clicks Import (the picker's or the organization's) and answers the
    /// "Import credentials" open dialog with `file`. What follows (the
    /// preview or the error dialog) is for the caller to wait for.
    pub fn choose_import(&self, file: &Path) {
        self.dismiss_notices();
        self.open_file_dialog("Import credentials", file, FileDialog::Open, |app| app.click_button("Import"));
    }

    /// In the open Export credentials dialog: picks "Plain, with secrets" or
    /// "Without secrets", clicks Export… and answers the save dialog with
    /// `file`; waits for the dialog to close. (The "Exported …" notice is for
    /// the caller to check.)
    pub fn confirm_export(&self, include_secrets: bool, file: &Path) {
        self.choose_radio(if include_secrets { "Plain, with secrets" } else { "Without secrets" });
        let titles: &[&str] = if include_secrets { PLAIN_EXPORT_TITLES } else { &["Export credentials"] };
        self.open_file_dialog_titled(titles, file, FileDialog::Save, |app| app.click_button("Export…"));
        self.expect_no_dialog();
    }
}

impl App {
    /// Clicks the radio button labelled `label` and waits until it is checked.
    pub fn choose_radio(&self, label: &str) {
        if !self.is_checked(label) {
            self.click_field(label);
            self.wait_until(&format!("the choice {label:?} to be picked"), || self.is_checked(label));
        }
    }
}
