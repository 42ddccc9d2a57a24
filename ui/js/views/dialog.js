// The Add / Edit Credentials dialog, rendered from the TypeSpecs that Rust
// sends. Step 1: Name, Authentication Type (+ the type's step1 fields).
// Step 2: the type's fields (OAuth 2.0 Authorization Code: the redirect URI
// with Copy too). OAuth 2.0 ends with Authorize (save, then authorize) or
// Save. Rust validates; this module shows what it says beside each field
// and never loses what the user typed.

import * as api from '../api.js';
import { el, button, replaceChildren } from '../dom.js';
import { createModal } from './modal.js';
import { sentence } from '../format.js';
import { confirmDialog } from './confirm.js';
import { withUnlock } from './unlock.js';
import { redirectUriField, authorizeSaved } from './authorize.js';
import {
  renderField, showMessages, defaultValue, normalizeValue, isShown, FIELD_ID_PREFIX,
} from './fields.js';

const NAME_SPEC = {
  name: 'name', label: 'Name', kind: 'text', required: true, secret: false,
  placeholder: 'e.g. Orders API', help: null, options: null, default: null, when: null,
};
const CHECK_DELAY_MS = 200;

const fieldKey = (path) => String(path).split(/[.[]/)[0];

/**
 * @param {object} o
 * @param {object} o.org          Organization
 * @param {Array} o.types         [TypeSpec]
 * @param {object|null} [o.credential] get_credential result when editing
 * @param {(summary, outcome?) => void} o.onSaved  outcome: after Authorize, { authorization } or { error }
 */
export function openCredentialDialog({ org, types, credential = null, onSaved }) {
  if (!types.length) return null;
  const editing = credential !== null;
  const typeOf = (id) => types.find((t) => t.id === id) || null;
  const specsOf = (t) => (t ? [...(t.step1 || []), ...(t.fields || [])] : []);

  function freshDraft(typeId, name) {
    const d = { name, type: typeId };
    for (const spec of specsOf(typeOf(typeId))) d[spec.name] = defaultValue(spec);
    return d;
  }

  function loadedDraft() {
    const src = credential.draft || {};
    const t = typeOf(src.type) || types[0];
    const d = { name: typeof src.name === 'string' ? src.name : '', type: t.id };
    for (const spec of specsOf(t)) {
      d[spec.name] = spec.name in src ? normalizeValue(spec, src[spec.name]) : defaultValue(spec);
    }
    return d;
  }

  const st = {
    step: 1,
    draft: editing ? loadedDraft() : freshDraft(types[0].id, ''),
    stored: new Set(editing ? credential.stored_secrets || [] : []),
    remove: new Set(),         // optional stored secrets to remove on Save
    fileOrigin: {},
    cache: {},                 // typed drafts per type (new credentials only)
    dirty: new Set(),
    touched: new Set(),
    attempted: { 1: false, 2: false },
    problems: [],
    warnings: [],
    clientProblems: {},
    formError: null,
    fields: [],
    timer: null,
    seq: 0,
  };
  const original = editing ? { draft: JSON.parse(JSON.stringify(st.draft)), stored: new Set(st.stored) } : null;

  const modal = createModal({ title: editing ? 'Edit Credentials' : 'Add Credentials', size: 'medium', className: 'credential-dialog' });

  const type = () => typeOf(st.draft.type);
  const hasStep2 = () => (type().fields || []).length > 0;
  const isOAuth = () => st.draft.type === 'oauth2';
  const codeFlow = () => isOAuth() && st.draft.grant_type === 'authorization_code';
  const step1Names = () => new Set(['name', 'type', ...(type().step1 || []).map((s) => s.name)]);
  const knownNames = () => new Set(['name', 'type', ...specsOf(type()).map((s) => s.name)]);
  const stepOf = (name) => (step1Names().has(name) ? 1 : 2);

  /** The draft sent to Rust: fields hidden by `when` go as empty values. */
  function outgoing() {
    const d = { name: st.draft.name, type: st.draft.type };
    for (const spec of specsOf(type())) {
      d[spec.name] = isShown(spec, st.draft) ? st.draft[spec.name] : normalizeValue(spec, null);
    }
    return d;
  }

  // ---- rendering ----

  const env = {
    get draft() { return st.draft; },
    get stored() { return st.stored; },
    get remove() { return st.remove; },
    get fileOrigin() { return st.fileOrigin; },
    onChange: (name) => onEdited(name),
    onBlur: (name) => onBlur(name),
    missingSecret: (name) => editing && st.draft.type === original.draft.type && !st.stored.has(name),
    setClientProblem: (name, msg) => {
      if (msg) st.clientProblems[name] = msg;
      else delete st.clientProblems[name];
      renderMessages();
    },
  };

  function typeField() {
    const id = `${FIELD_ID_PREFIX}type`;
    const t = type();
    const select = el('select', { id, name: 'type', class: 'select', 'aria-required': 'true' },
      types.map((x) => el('option', { value: x.id, selected: x.id === t.id }, x.label)));
    select.addEventListener('change', () => onTypeSelected(select));
    const help = t.description ? el('p', { class: 'field-help', id: `${id}-help` }, t.description) : null;
    const rec = {
      name: 'type', id, spec: { name: 'type', label: 'Authentication Type' },
      errorEl: el('p', { class: 'field-msg field-error', id: `${id}-error`, hidden: true }),
      warningEl: el('p', { class: 'field-msg field-warning', id: `${id}-warning`, hidden: true }),
      staticDescribedBy: help ? [help.id] : [],
      focusTarget: select, invalidTargets: [select], describedTarget: select,
    };
    rec.node = el('div', { class: 'field field-select', dataset: { field: 'type' } },
      el('label', { for: id, class: 'field-label' }, 'Authentication Type', el('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
      select, rec.errorEl, rec.warningEl, help);
    return rec;
  }

  function renderStep() {
    const t = type();
    const recs = [];
    if (st.step === 1) {
      recs.push(renderField(NAME_SPEC, env), typeField());
      for (const spec of t.step1 || []) if (isShown(spec, st.draft)) recs.push(renderField(spec, env));
    } else {
      for (const spec of t.fields || []) if (isShown(spec, st.draft)) recs.push(renderField(spec, env));
    }
    st.fields = recs;
    const extra = st.step === 2 && codeFlow() ? redirectUriField().node : null;
    modal.setSubtitle(hasStep2()
      ? `Step ${st.step} of 2 · ${st.step === 1 ? 'Name and type' : t.label}`
      : `${org.name}`);
    modal.dialog.dataset.step = String(st.step);
    replaceChildren(modal.body, el('div', { class: 'form-grid' }, extra, recs.map((r) => r.node)));
    renderFooter();
    renderMessages();
  }

  function renderFooter() {
    const cancel = button('Cancel', { attrs: { id: 'cred-cancel', class: 'cancel-button' }, onClick: () => modal.cancel() });
    if (st.step === 1) {
      const primary = hasStep2()
        ? button('Next', { kind: 'primary', type: 'submit', attrs: { id: 'cred-next' } })
        : button('Save', { kind: 'primary', type: 'submit', attrs: { id: 'cred-save' } });
      replaceChildren(modal.footer, el('div', { class: 'footer-spacer' }), cancel, primary);
    } else {
      // OAuth 2.0: Save (first, so Enter saves without opening a browser) and Authorize.
      replaceChildren(modal.footer,
        button('Back', { attrs: { id: 'cred-back' }, onClick: back }),
        el('div', { class: 'footer-spacer' }), cancel,
        button('Save', { kind: isOAuth() ? 'secondary' : 'primary', type: 'submit', attrs: { id: 'cred-save' } }),
        isOAuth() ? button('Authorize', { kind: 'primary', type: 'submit', attrs: { id: 'cred-authorize' } }) : null);
    }
  }

  function renderMessages() {
    const matched = new Set();
    for (const rec of st.fields) {
      const name = rec.name;
      const show = st.touched.has(name) || st.attempted[stepOf(name)];
      const errors = show ? st.problems.filter((p) => fieldKey(p.field) === name).map((p) => p.message) : [];
      if (st.clientProblems[name]) errors.push(st.clientProblems[name]);
      const warnings = st.warnings.filter((p) => fieldKey(p.field) === name).map((p) => p.message);
      showMessages(rec, errors, warnings);
    }
    for (const p of st.problems) if (knownNames().has(fieldKey(p.field))) matched.add(p);
    const lines = [];
    if (st.formError) lines.push(st.formError);
    if (st.attempted[1] || st.attempted[2]) {
      for (const p of st.problems) if (!matched.has(p)) lines.push(p.field ? `${p.field}: ${p.message}` : sentence(p.message));
    }
    modal.setError(lines);
  }

  function focusFirstInvalid() {
    const rec = st.fields.find((r) => !r.errorEl.hidden);
    if (rec) rec.focusTarget.focus();
    else if (modal.error.textContent) modal.error.scrollIntoView({ block: 'nearest' });
  }

  function focusFirst() {
    if (st.fields.length) st.fields[0].focusTarget.focus();
  }

  // ---- checking ----

  function cancelPendingCheck() {
    clearTimeout(st.timer);
    st.timer = null;
    st.seq += 1;
  }

  function scheduleCheck() {
    clearTimeout(st.timer);
    st.timer = setTimeout(runCheck, CHECK_DELAY_MS);
  }

  async function runCheck() {
    clearTimeout(st.timer);
    st.timer = null;
    st.seq += 1;
    const seq = st.seq;
    const step = st.step;
    let res;
    try {
      res = await api.checkCredential(org.id, editing ? credential.id : null, outgoing(), step);
    } catch (err) {
      if (modal.closed || seq !== st.seq) return;
      st.formError = sentence(err.message);
      renderMessages();
      return;
    }
    if (modal.closed || seq !== st.seq || step !== st.step) return;
    st.problems = res.problems || [];
    st.warnings = res.warnings || [];
    st.formError = null;
    renderMessages();
  }

  function onEdited(name) {
    st.dirty.add(name);
    const spec = specsOf(type()).find((x) => x.name === name);
    if (spec && ['select', 'checkbox', 'multiselect', 'file'].includes(spec.kind)) st.touched.add(name);
    const structural = specsOf(type()).some((s) => s.when && s.when.field === name);
    if (structural) {
      const focusedId = document.activeElement && document.activeElement.id;
      renderStep();
      const again = focusedId && document.getElementById(focusedId);
      if (again) again.focus();
    }
    scheduleCheck();
  }

  function onBlur(name) {
    if (modal.closed || !st.dirty.has(name)) return;
    st.touched.add(name);
    runCheck();
  }

  // ---- type changes ----

  function applyType(newId) {
    const name = st.draft.name;
    if (!editing) st.cache[st.draft.type] = st.draft;
    if (editing && newId === original.draft.type) {
      st.draft = JSON.parse(JSON.stringify(original.draft));
      st.draft.name = name;
      st.stored = new Set(original.stored);
    } else if (!editing && st.cache[newId]) {
      st.draft = st.cache[newId];
      st.draft.name = name;
    } else {
      st.draft = freshDraft(newId, name);
      st.stored = new Set();
    }
    st.fileOrigin = {};
    st.clientProblems = {};
    st.problems = st.problems.filter((p) => fieldKey(p.field) === 'name');
    st.warnings = [];
    st.touched = new Set([...st.touched].filter((n) => n === 'name').concat('type'));
    st.dirty = new Set([...st.dirty].filter((n) => n === 'name').concat('type'));
    st.attempted = { 1: false, 2: false };
    renderStep();
    const select = document.getElementById(`${FIELD_ID_PREFIX}type`);
    if (select) select.focus();
    scheduleCheck();
  }

  function onTypeSelected(select) {
    const newId = select.value;
    if (newId === st.draft.type) return;
    if (!editing) {
      applyType(newId);
      return;
    }
    const oldLabel = type().label;
    select.value = st.draft.type; // stays until confirmed
    confirmDialog({
      title: 'Change type?',
      paragraphs: [`The fields of ${oldLabel} will be cleared.`],
      confirmLabel: 'Change type',
      className: 'change-type-dialog',
      returnFocus: () => document.getElementById(`${FIELD_ID_PREFIX}type`),
    }).then((ok) => { if (ok && !modal.closed) applyType(newId); });
  }

  // ---- navigation and saving ----

  async function next() {
    cancelPendingCheck();
    const seq = st.seq;
    st.attempted[1] = true;
    st.formError = null;
    let res;
    try {
      res = await api.checkCredential(org.id, editing ? credential.id : null, outgoing(), 1);
    } catch (err) {
      if (modal.closed) return;
      st.formError = sentence(err.message);
      if (err.problems && err.problems.length) st.problems = err.problems;
      renderMessages();
      focusFirstInvalid();
      return;
    }
    if (modal.closed || seq !== st.seq) return;
    st.problems = res.problems || [];
    st.warnings = res.warnings || [];
    const blocking = st.problems.filter((p) => stepOf(fieldKey(p.field)) === 1 || !knownNames().has(fieldKey(p.field)));
    if (blocking.length === 0) {
      st.step = 2;
      st.problems = [];
      renderStep();
      focusFirst();
      runCheck();
    } else {
      renderMessages();
      focusFirstInvalid();
    }
  }

  function back() {
    cancelPendingCheck();
    st.step = 1;
    renderStep();
    focusFirst();
  }

  async function save(authorize = false) {
    cancelPendingCheck();
    const seq = st.seq;
    st.attempted[st.step] = true;
    st.formError = null;
    if (Object.keys(st.clientProblems).length) {
      renderMessages();
      focusFirstInvalid();
      return;
    }
    let summary;
    try {
      // Sealing a secret needs the key: a locked window asks for the passphrase first.
      summary = await withUnlock(() => (editing
        ? api.updateCredential(credential.id, outgoing(), [...st.remove].filter((n) => st.stored.has(n)))
        : api.createCredential(org.id, outgoing())));
    } catch (err) {
      if (modal.closed) return;
      const problems = err.problems || [];
      if (problems.length) {
        st.problems = problems;
        st.attempted = { 1: true, 2: true };
        if (!problems.some((p) => knownNames().has(fieldKey(p.field)))) st.formError = sentence(err.message);
        const onStep1 = problems.some((p) => step1Names().has(fieldKey(p.field)));
        if (onStep1 && st.step === 2) {
          st.step = 1;
          renderStep();
        } else {
          renderMessages();
        }
      } else {
        st.formError = sentence(err.message);
        renderMessages();
      }
      if (seq === st.seq) focusFirstInvalid();
      return;
    }
    // Authorize: saved; now the provider (the dialog waits, with Cancel).
    const outcome = authorize ? await authorizeSaved(modal, summary.id, codeFlow()) : undefined;
    if (!modal.closed) modal.close(true);
    onSaved(summary, outcome);
  }

  modal.onSubmit = async (submitter) => {
    if (st.step === 1 && hasStep2()) await next();
    else await save(!!submitter && submitter.id === 'cred-authorize' && isOAuth());
  };
  modal.onClose = () => cancelPendingCheck();

  renderStep();
  modal.open(() => st.fields[0].focusTarget);
  return modal;
}
