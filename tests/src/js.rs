//! JavaScript run in the page to find things the way a person does: by visible
//! texts and labels, inside the top-most open dialog when there is one.
//!
//! Every script is [`PRELUDE`] followed by a body; the body's `return` value is
//! what WebDriver hands back (elements come back as element references).

/// Helper functions shared by all scripts.
pub const PRELUDE: &str = r#"
const norm = (s) => String(s == null ? '' : s).replace(/\s+/g, ' ').trim();
const visible = (el) => {
  if (!el || !el.isConnected || el.getClientRects().length === 0) return false;
  const st = getComputedStyle(el);
  return st.visibility !== 'hidden' && st.visibility !== 'collapse';
};
const DIALOGS = 'dialog, [role=dialog], [role=alertdialog]';
const dialogs = () => [...document.querySelectorAll(DIALOGS)]
  .filter((d) => (d.tagName !== 'DIALOG' || d.open) && visible(d));
const topDialog = () => {
  const all = dialogs();
  if (all.length === 0) return null;
  let modal = [];
  try { modal = all.filter((d) => d.matches(':modal')); } catch (e) { modal = []; }
  const pool = modal.length ? modal : all;
  return pool[pool.length - 1];
};
const scope = () => topDialog() || document.body;
const scopeName = () => {
  const d = topDialog();
  if (!d) return 'the document';
  const h = d.querySelector('h1, h2, h3, legend');
  return 'the dialog' + (h ? ' "' + norm(h.textContent) + '"' : '');
};
const stripLabel = (t) => {
  let prev;
  do { prev = t; t = t.replace(/\s*(\*|:|\(optional\))\s*$/i, ''); } while (t !== prev);
  return t;
};
const textOfIds = (ids) => norm(String(ids || '').split(/\s+/).filter(Boolean)
  .map((id) => { const r = document.getElementById(id); return r ? r.textContent : ''; }).join(' '));
const labelText = (label) => {
  const c = label.cloneNode(true);
  c.querySelectorAll('input, select, textarea, button').forEach((n) => n.remove());
  return stripLabel(norm(c.textContent));
};
const CONTROLS = 'input:not([type=hidden]), select, textarea';
const fieldsIn = (root) => {
  const out = [];
  root.querySelectorAll('label').forEach((l) => {
    if (visible(l) && l.control) out.push({ label: labelText(l), el: l.control });
  });
  root.querySelectorAll(CONTROLS).forEach((c) => {
    if (c.hasAttribute('aria-label')) out.push({ label: stripLabel(norm(c.getAttribute('aria-label'))), el: c });
    if (c.hasAttribute('aria-labelledby')) out.push({ label: stripLabel(textOfIds(c.getAttribute('aria-labelledby'))), el: c });
  });
  return out;
};
const findField = (name) => {
  const fs = fieldsIn(scope());
  const want = norm(name);
  const hit = fs.find((f) => f.label === want)
    || fs.find((f) => f.label.toLowerCase() === want.toLowerCase());
  return { el: hit ? hit.el : null, seen: [...new Set(fs.map((f) => f.label))], scope: scopeName() };
};
const CLICKABLE = 'button, [role=button], a[href], [role=link], [role=menuitem], [role=menuitemradio], '
  + '[role=menuitemcheckbox], [role=tab], [role=option], [role=treeitem], summary, '
  + 'input[type=button], input[type=submit], input[type=reset]';
const namesOf = (el) => [el.getAttribute('aria-label'), textOfIds(el.getAttribute('aria-labelledby')),
  el.innerText, el.tagName === 'INPUT' ? el.value : '', el.getAttribute('title')]
  .map(norm).filter(Boolean);
const findClickable = (name) => {
  const all = [...scope().querySelectorAll(CLICKABLE)].filter(visible);
  const want = norm(name);
  const lower = want.toLowerCase();
  const cands = all.map((el) => ({ el, names: namesOf(el) }));
  const hit = cands.find((c) => c.names.includes(want))
    || cands.find((c) => c.names.some((n) => n.toLowerCase() === lower))
    || cands.find((c) => [...c.el.querySelectorAll('*')]
      .some((d) => visible(d) && norm(d.textContent) === want));
  return { el: hit ? hit.el : null, seen: [...new Set(cands.map((c) => c.names[0] || '(unnamed)'))], scope: scopeName() };
};
const outside = (el) => !el.closest(DIALOGS);
const rows = () => {
  const vis = (els) => [...els].filter((el) => visible(el) && outside(el));
  const trs = vis(document.querySelectorAll('table tbody tr'));
  if (trs.length) return trs.map((tr) => [...tr.querySelectorAll(':scope > td, :scope > th')].map((c) => norm(c.innerText)));
  const rr = vis(document.querySelectorAll('[role=row]')).filter((r) => r.querySelector('[role=cell], [role=gridcell]'));
  if (rr.length) return rr.map((r) => [...r.querySelectorAll('[role=cell], [role=gridcell], [role=rowheader]')].map((c) => norm(c.innerText)));
  const lis = vis(document.querySelectorAll('main li'));
  return lis.map((li) => li.innerText.split('\n').map(norm).filter(Boolean));
};
const scopeText = () => String(scope().innerText || '').slice(0, 2000);
"#;

/// `arguments[0]`: the button's text. Returns `{el, seen, scope, text}`.
pub const FIND_CLICKABLE: &str = "const r = findClickable(arguments[0]); r.text = scopeText(); return r;";

/// `arguments[0]`: the label's text. Returns `{el, seen, scope, text}`.
pub const FIND_FIELD: &str = "const r = findField(arguments[0]); r.text = scopeText(); return r;";

/// `arguments[0]`: a `<select>`, `arguments[1]`: an option's text.
/// Returns `{el, seen}`: the matching `<option>` and all option texts.
pub const FIND_OPTION: &str = r#"
const sel = arguments[0];
const want = norm(arguments[1]);
const opts = [...sel.options];
const hit = opts.find((o) => norm(o.text) === want) || opts.find((o) => norm(o.text).toLowerCase() === want.toLowerCase());
return { el: hit || null, seen: opts.map((o) => norm(o.text)) };
"#;

/// `arguments[0]`: a `<select>`, `arguments[1]`: an `<option>` of it.
/// Selects it as a last resort, firing `input` and `change`; returns whether it is selected.
pub const FORCE_OPTION: &str = r#"
const sel = arguments[0], opt = arguments[1];
if (!opt.selected) {
  opt.selected = true;
  sel.dispatchEvent(new Event('input', { bubbles: true }));
  sel.dispatchEvent(new Event('change', { bubbles: true }));
}
return opt.selected;
"#;

/// `arguments[0]`: the label's text. Returns `{found, seen, problem}`; `problem` is null
/// unless the field has `aria-invalid="true"`, then the text of its `aria-describedby`.
pub const FIELD_PROBLEM: &str = r#"
const f = findField(arguments[0]);
if (!f.el) return { found: false, seen: f.seen, scope: f.scope, problem: null };
if (f.el.getAttribute('aria-invalid') !== 'true') return { found: true, problem: null };
return { found: true, problem: textOfIds(f.el.getAttribute('aria-describedby')) };
"#;

/// `arguments[0]`: the label's text. Returns `{found, seen, value, hint}`: the field's value
/// (for a `<select>`, the selected option's text) and the text its `aria-describedby` points at.
pub const FIELD_VALUE: &str = r#"
const f = findField(arguments[0]);
if (!f.el) return { found: false, seen: f.seen, scope: f.scope };
const el = f.el;
let value = el.value;
if (el.tagName === 'SELECT') value = el.selectedIndex >= 0 ? norm(el.options[el.selectedIndex].text) : '';
if (el.type === 'checkbox' || el.type === 'radio') value = el.checked ? 'on' : 'off';
return { found: true, value, hint: textOfIds(el.getAttribute('aria-describedby')) };
"#;

/// `arguments[0]`: an input or textarea, `arguments[1]`: text. Puts the text in
/// as a paste does (cut at `maxlength`, one `input` event of type `insertFromPaste`).
pub const PASTE: &str = r#"
const el = arguments[0];
const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
// A real paste is cut at maxlength too.
const text = el.maxLength >= 0 ? arguments[1].slice(0, el.maxLength) : arguments[1];
Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, text);
el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste', data: text }));
return el.value === arguments[1];
"#;

/// Returns whether a dialog is open.
pub const DIALOG_OPEN: &str = "return topDialog() !== null;";

/// Returns the text of the top-most dialog, or "" when none is open.
pub const DIALOG_TEXT: &str = "const d = topDialog(); return d ? String(d.innerText || '') : '';";

/// Returns the visible text of the whole page.
pub const VISIBLE_TEXT: &str = "return String(document.body ? document.body.innerText : '');";

/// Returns the visible rows: arrays of cell texts.
pub const TABLE_ROWS: &str = "return rows();";

/// Returns the text of `role=status` / `role=alert` regions (and `output`, `aria-live`).
pub const NOTICES: &str = r#"
return [...document.querySelectorAll('[role=status], [role=alert], output, [aria-live]')]
  .map((el) => norm(el.innerText)).filter(Boolean).join('\n');
"#;

/// Returns whether the page is loaded and the app has rendered.
pub const READY: &str = "return document.readyState === 'complete' && !!document.querySelector('main, [role=alert]');";

/// `arguments[0]`: the label's text. Returns `{found, seen, scope, focused}`: whether
/// that field has the focus.
pub const FIELD_FOCUSED: &str = r#"
const f = findField(arguments[0]);
if (!f.el) return { found: false, seen: f.seen, scope: f.scope };
return { found: true, focused: f.el === document.activeElement };
"#;

/// `arguments[0]`: an input. Returns its `type` (`file`, `text`, `checkbox`…).
pub const INPUT_TYPE: &str = "return String(arguments[0].type || arguments[0].tagName.toLowerCase());";

/// `arguments[0]`: a `<select>`. Notes (on the element) whether a `change` event
/// follows; [`PICKED_OR_FORCE`] reads the note.
pub const WATCH_CHANGE: &str = r#"
const sel = arguments[0];
sel.__e2eChanged = false;
sel.addEventListener('change', () => { sel.__e2eChanged = true; }, { once: true });
return true;
"#;

/// `arguments[0]`: a `<select>` watched by [`WATCH_CHANGE`], `arguments[1]`: an `<option>`.
/// When clicking the option fired no `change`, selects it from script once (firing
/// `input` and `change`). Returns `changed`, `forced` or `unchanged`.
pub const PICKED_OR_FORCE: &str = r#"
const sel = arguments[0], opt = arguments[1];
if (sel.__e2eChanged) return 'changed';
if (opt.selected) return 'unchanged';
opt.selected = true;
sel.dispatchEvent(new Event('input', { bubbles: true }));
sel.dispatchEvent(new Event('change', { bubbles: true }));
return 'forced';
"#;

/// `arguments[0]`: a CSS selector. Returns the first match's visible text, or null.
pub const TEXT_OF: &str = "const el = document.querySelector(arguments[0]); return el ? norm(el.innerText) : null;";

/// Returns `[header text, aria-sort]` of the sorted column header, or null.
pub const SORTED_COLUMN: &str = r#"
const th = [...document.querySelectorAll('th[aria-sort]')].find((t) => visible(t) && outside(t));
return th ? [norm(th.innerText), th.getAttribute('aria-sort')] : null;
"#;

/// `arguments[0]`: a fraction. Scrolls `main` to it (0 top, 1 bottom) and returns the new `scrollTop`.
pub const SCROLL_MAIN: &str = r#"
const m = document.querySelector('main');
m.scrollTop = arguments[0] * (m.scrollHeight - m.clientHeight);
m.dispatchEvent(new Event('scroll'));
return m.scrollTop;
"#;

/// Returns the Credentials table's geometry (see `ListGeometry` in list.rs).
pub const LIST_GEOMETRY: &str = r#"
const m = document.querySelector('main');
const t = document.querySelector('main table');
const box = m.getBoundingClientRect();
const trs = t ? [...t.querySelectorAll('tbody tr')].filter((tr) => visible(tr)) : [];
const name = (tr) => { const c = tr.querySelector('td'); return c ? norm(c.innerText) : ''; };
return {
  row_count: t && t.hasAttribute('aria-rowcount') ? Number(t.getAttribute('aria-rowcount')) : null,
  rows: trs.map((tr) => [Number(tr.getAttribute('aria-rowindex') || 0), name(tr)]),
  in_view: trs.filter((tr) => { const r = tr.getBoundingClientRect(); return r.bottom > box.top && r.top < box.bottom; }).map(name),
  scroll_height: m.scrollHeight, client_height: m.clientHeight, scroll_top: m.scrollTop,
};
"#;

/// Returns the whole document's markup plus the values of every form control
/// (values typed into inputs are not in the markup).
pub const PAGE_SOURCE: &str = r#"
const values = [...document.querySelectorAll('input, textarea, select')].map((c) => c.value).join('\n');
return document.documentElement.outerHTML + '\n' + values;
"#;

/// Async script: `arguments[0]` a command, `arguments[1]` its args. Calls the
/// app's backend and finishes with `{ok: result}` or `{err: error}`.
pub const INVOKE: &str = r#"
const done = arguments[arguments.length - 1];
window.__TAURI__.core.invoke(arguments[0], arguments[1]).then((v) => done({ ok: v }), (e) => done({ err: e }));
"#;
