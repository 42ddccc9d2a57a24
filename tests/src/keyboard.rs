//! The keyboard alone (issue #12): Tab and Shift+Tab, arrows, typing into
//! whatever has the focus, and reading what has it.

use serde_json::Value;

use crate::app::App;
use crate::webdriver::keys;

/// What has the keyboard focus, as a person would tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focused {
    /// Lower-case tag name (`button`, `input`, `body`…).
    pub tag: String,
    /// Its `id`, if any.
    pub id: String,
    /// Its name: aria-label, else its label's text (a field, without a trailing `*`), else its text, else its title.
    pub name: String,
    /// Whether it is inside an open dialog, and that dialog's title.
    pub dialog: Option<String>,
}

const FOCUSED: &str = r#"
const a = document.activeElement;
if (!a || a === document.body || a === document.documentElement) return { tag: 'body', id: '', name: '', dialog: null };
const labelled = a.labels && a.labels.length ? labelText(a.labels[0]) : '';
const name = norm(a.getAttribute('aria-label')) || labelled || norm(a.innerText) || norm(a.getAttribute('title'));
const d = a.closest('dialog[open], [role=dialog], [role=alertdialog]');
const h = d ? d.querySelector('h1, h2, h3') : null;
return { tag: a.tagName.toLowerCase(), id: a.id || '', name, dialog: d ? norm(h ? h.textContent : '') : null };
"#;

/// Marks every control Tab should stop at in the top-most dialog (else the
/// page outside dialogs): visible, enabled, not taken out of the tab order,
/// one radio button per group (the checked one). Moves the focus to just
/// before the first of them and returns their names.
const MARK_TAB_STOPS: &str = r#"
document.querySelectorAll('[data-e2e-tab]').forEach((e) => e.removeAttribute('data-e2e-tab'));
const d = topDialog();
const root = d || document.body;
const all = [...root.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
  .filter((e) => visible(e) && !e.disabled && e.tabIndex >= 0 && (d || outside(e)) && !e.closest('[inert]'));
const stops = all.filter((e) => {
  if (e.type !== 'radio' || !e.name) return true;
  const group = all.filter((r) => r.type === 'radio' && r.name === e.name);
  return (group.find((r) => r.checked) || group[0]) === e;
});
stops.forEach((e, i) => e.setAttribute('data-e2e-tab', String(i)));
if (d) d.focus(); else if (document.activeElement) document.activeElement.blur();
const label = (e) => (e.labels && e.labels.length ? labelText(e.labels[0]) : '');
return stops.map((e) => norm(e.getAttribute('aria-label')) || label(e) || norm(e.innerText) || e.id || e.tagName.toLowerCase());
"#;

impl App {
    /// Presses Tab through the top-most dialog (else the page) and returns
    /// the controls it never stopped at: every visible, enabled control
    /// should be reachable by the keyboard alone.
    pub fn controls_tab_misses(&self) -> Vec<String> {
        let names = self.js(MARK_TAB_STOPS, &[]).unwrap_or_else(|e| panic!("listing the tab stops: {e}"));
        let names: Vec<String> = names
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let mut reached = vec![false; names.len()];
        for _ in 0..names.len() * 2 + 5 {
            self.press_tab();
            let at = self
                .js("const a = document.activeElement; return a ? a.getAttribute('data-e2e-tab') : null;", &[])
                .unwrap_or_else(|e| panic!("reading the focus: {e}"));
            if let Some(i) = at.as_str().and_then(|s| s.parse::<usize>().ok()) {
                if let Some(r) = reached.get_mut(i) {
                    *r = true;
                }
            }
            if reached.iter().all(|r| *r) {
                break;
            }
        }
        names.into_iter().zip(reached).filter(|(_, r)| !r).map(|(n, _)| n).collect()
    }

    /// What has the keyboard focus now.
    pub fn focused(&self) -> Focused {
        let v = self.js(FOCUSED, &[]).unwrap_or_else(|e| panic!("reading the focus: {e}"));
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        Focused {
            tag: s("tag"),
            id: s("id"),
            name: s("name"),
            dialog: v.get("dialog").and_then(Value::as_str).map(str::to_owned),
        }
    }

    /// Presses one key (a [`keys`] code, or a character) where the focus is.
    pub fn press_key(&self, key: &str) {
        self.wd().press_key(key).unwrap_or_else(|e| panic!("pressing {key:?}: {e}"));
    }

    /// Presses Tab.
    pub fn press_tab(&self) {
        self.press_key(keys::TAB);
    }

    /// Presses Shift+Tab.
    pub fn press_shift_tab(&self) {
        self.wd().press_chord(keys::SHIFT, keys::TAB).unwrap_or_else(|e| panic!("pressing Shift+Tab: {e}"));
    }

    /// Types `text` into whatever has the focus, key by key.
    pub fn type_text(&self, text: &str) {
        let el = self.wd().active_element().unwrap_or_else(|e| panic!("typing {text:?}: nothing has the focus: {e}"));
        self.wd().send_keys(&el, text).unwrap_or_else(|e| panic!("typing {text:?}: {e}"));
    }

    /// Presses Tab until the focus is on something named `name` (at most `limit`
    /// presses); panics listing where the focus went.
    pub fn tab_to(&self, name: &str, limit: usize) -> Focused {
        let mut seen = Vec::new();
        for _ in 0..limit {
            self.press_tab();
            let f = self.focused();
            if f.name == name {
                return f;
            }
            seen.push(format!("{} {:?}", f.tag, f.name));
        }
        panic!("Tab did not reach {name:?} in {limit} presses; the focus went to: {}", seen.join(" → "));
    }
}
