// Form fields rendered from a FieldSpec. Each field gets a <label for>,
// an error message (class field-error, id <input id>-error) and a warning
// message (class field-warning, id <input id>-warning), both hidden until
// the dialog shows them; help and the stored-secret hint are linked with
// aria-describedby.

import { el, icon, replaceChildren, setText } from '../dom.js';
import { bytes, fieldMessage } from '../format.js';

export const FIELD_ID_PREFIX = 'cred-';

export function emptyValue(spec) {
  switch (spec.kind) {
    case 'checkbox': return false;
    case 'multiselect': return [];
    case 'file': return null;
    default: return '';
  }
}

function clone(v) {
  return v === null || typeof v !== 'object' ? v : JSON.parse(JSON.stringify(v));
}

export function defaultValue(spec) {
  return spec.default !== null && spec.default !== undefined ? clone(spec.default) : emptyValue(spec);
}

/** Coerce a value from a stored draft into what the field edits. */
export function normalizeValue(spec, value) {
  switch (spec.kind) {
    case 'checkbox': return value === true;
    case 'multiselect': return Array.isArray(value) ? value.map(String) : [];
    case 'file': return value && typeof value === 'object' && typeof value.file_name === 'string' ? { ...value } : null;
    case 'json':
      if (value === null || value === undefined) return '';
      return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    default: return value === null || value === undefined ? '' : String(value);
  }
}

export function isShown(spec, draft) {
  return !spec.when || draft[spec.when.field] === spec.when.equals;
}

function labelFor(id, spec, { optionalMark = true } = {}) {
  return el('label', { for: id, class: 'field-label' }, spec.label,
    spec.required ? el('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
    !spec.required && optionalMark ? el('span', { class: 'optional' }, ' (optional)') : null);
}

/**
 * @param {object} spec FieldSpec
 * @param {object} env { draft, stored: Set, fileOrigin: {}, onChange(name), onBlur(name), setClientProblem(name, msg),
 *                       missingSecret(name): true when editing a credential whose required secret has no stored value }
 * @returns field record
 */
export function renderField(spec, env) {
  const id = `${FIELD_ID_PREFIX}${spec.name}`;
  const name = spec.name;
  const rec = {
    name, spec, id,
    node: null,
    focusTarget: null,
    invalidTargets: [],
    describedTarget: null,
    errorEl: el('p', { class: 'field-msg field-error', id: `${id}-error`, hidden: true }),
    warningEl: el('p', { class: 'field-msg field-warning', id: `${id}-warning`, hidden: true }),
    staticDescribedBy: [],
  };
  const value = env.draft[name];
  const set = (v) => { env.draft[name] = v; env.onChange(name); };
  const blur = () => env.onBlur(name);

  const help = spec.help ? el('p', { class: 'field-help', id: `${id}-help` }, spec.help) : null;
  let hint = null;
  const emptyNow = spec.kind === 'file' ? value === null : value === '' || value === null;
  if (spec.secret && env.stored.has(name) && emptyNow) {
    const keptText = spec.kind === 'file' ? 'Stored file kept: choose a file to replace it' : 'Stored value kept unless you type a new one';
    const text = el('span', {}, keptText);
    hint = el('p', { class: 'field-hint stored-hint', id: `${id}-stored` }, text);
    if (!spec.required && env.remove) {
      // An optional secret can also be removed (an empty field keeps it).
      const removeText = `The stored ${spec.kind === 'file' ? 'file' : 'value'} will be removed when you save`;
      const toggle = el('button', { type: 'button', class: 'link-button', id: `${id}-remove`, 'aria-pressed': 'false' }, 'Remove stored value');
      const sync = () => {
        const removing = env.remove.has(name);
        text.textContent = removing ? removeText : keptText;
        toggle.textContent = removing ? 'Keep stored value' : 'Remove stored value';
        toggle.setAttribute('aria-pressed', removing ? 'true' : 'false');
        toggle.setAttribute('aria-label', `${removing ? 'Keep' : 'Remove'} the stored ${spec.label}`);
      };
      toggle.addEventListener('click', () => {
        if (env.remove.has(name)) env.remove.delete(name);
        else env.remove.add(name);
        sync();
      });
      sync();
      hint.append(' · ', toggle);
    }
  } else if (spec.secret && spec.required && emptyNow && env.missingSecret && env.missingSecret(name)) {
    hint = el('p', { class: 'field-hint missing-hint', id: `${id}-missing` },
      spec.kind === 'file' ? 'No file is stored: choose one to complete this credential' : 'No value is stored: type one to complete this credential');
  }
  if (hint) rec.staticDescribedBy.push(hint.id);
  if (help) rec.staticDescribedBy.push(help.id);

  const common = { id, name, 'aria-required': spec.required ? 'true' : null };
  let control;
  let body;

  switch (spec.kind) {
    case 'checkbox': {
      control = el('input', { ...common, type: 'checkbox', class: 'checkbox', checked: value === true });
      control.addEventListener('change', () => set(control.checked));
      control.addEventListener('blur', blur);
      rec.node = el('div', { class: 'field field-checkbox', dataset: { field: name } },
        el('div', { class: 'check-row' }, control, labelFor(id, spec, { optionalMark: false })),
        rec.errorEl, rec.warningEl, hint, help);
      rec.focusTarget = control;
      rec.invalidTargets = [control];
      rec.describedTarget = control;
      return rec;
    }
    case 'multiselect': {
      const chosen = new Set(Array.isArray(value) ? value : []);
      const boxes = (spec.options || []).map((opt, i) => {
        const boxId = `${id}-${i}`;
        const box = el('input', { type: 'checkbox', id: boxId, name, value: opt.value, class: 'checkbox', checked: chosen.has(opt.value) });
        box.addEventListener('change', () => {
          const now = (spec.options || []).filter((o, j) => document.getElementById(`${id}-${j}`)?.checked).map((o) => o.value);
          set(now);
        });
        box.addEventListener('blur', blur);
        return { box, row: el('div', { class: 'check-row' }, box, el('label', { for: boxId }, opt.label)) };
      });
      const legend = el('legend', { class: 'field-label' }, spec.label,
        spec.required ? el('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : el('span', { class: 'optional' }, ' (optional)'));
      const fieldset = el('fieldset', { class: 'field field-multi', id, dataset: { field: name } },
        legend, el('div', { class: 'check-grid' }, boxes.map((b) => b.row)), rec.errorEl, rec.warningEl, hint, help);
      rec.node = fieldset;
      rec.focusTarget = boxes.length ? boxes[0].box : fieldset;
      rec.invalidTargets = boxes.map((b) => b.box);
      rec.describedTarget = fieldset;
      return rec;
    }
    case 'select': {
      const options = spec.options || [];
      const known = options.some((o) => o.value === value);
      // A value an older file carried that is no longer a choice (spec.older_values):
      // shown as one more option and kept unless another is picked.
      const older = !known && spec.older_values && value ? String(value) : null;
      control = el('select', { ...common, class: 'select' },
        !known && !older ? el('option', { value: '', disabled: spec.required, selected: true }, 'Choose…') : null,
        options.map((o) => el('option', { value: o.value, selected: o.value === value }, o.label)),
        older ? el('option', { value: older, selected: true }, `${older} (older value)`) : null);
      control.addEventListener('change', () => set(control.value));
      control.addEventListener('blur', blur);
      body = control;
      break;
    }
    case 'json': {
      control = el('textarea', {
        ...common, class: 'textarea mono', rows: '7', spellcheck: 'false', autocomplete: 'off',
        placeholder: spec.placeholder || null,
      });
      control.value = value || '';
      control.addEventListener('input', () => set(control.value));
      control.addEventListener('blur', blur);
      body = control;
      break;
    }
    case 'file': {
      control = el('input', { ...common, type: 'file', class: 'file-input', accept: spec.accept || null });
      const status = el('div', { class: 'file-status', id: `${id}-file` });
      const refresh = () => {
        const v = env.draft[name];
        if (v) {
          const origin = env.fileOrigin[name] === 'picked' ? 'Chosen file' : 'Current file';
          const size = v.data_base64 ? ` (${bytes(Math.floor((v.data_base64.length * 3) / 4))})` : '';
          replaceChildren(status, icon('file'), el('span', { class: 'file-name' }, `${origin}: ${v.file_name}${size}`),
            el('button', {
              type: 'button', class: 'btn btn-link file-remove', 'aria-label': `Remove ${spec.label} file`,
              on: { click: () => { env.draft[name] = null; control.value = ''; refresh(); env.onChange(name); control.focus(); } },
            }, 'Remove'));
        } else {
          replaceChildren(status, el('span', { class: 'muted' }, env.stored.has(name) ? 'No new file chosen' : 'No file chosen'));
        }
      };
      control.addEventListener('change', () => {
        const file = control.files && control.files[0];
        if (!file) return;
        if (spec.max_bytes && file.size > spec.max_bytes) {
          env.setClientProblem(name, `${file.name} is too large (${bytes(file.size)}); the limit is ${bytes(spec.max_bytes)}.`);
          control.value = '';
          return;
        }
        const reader = new FileReader();
        reader.addEventListener('load', () => {
          const url = String(reader.result);
          env.draft[name] = { file_name: file.name, data_base64: url.slice(url.indexOf(',') + 1) };
          env.fileOrigin[name] = 'picked';
          env.setClientProblem(name, null);
          refresh();
          env.onChange(name);
          env.onBlur(name);
        });
        reader.addEventListener('error', () => env.setClientProblem(name, `${file.name} could not be read.`));
        reader.readAsDataURL(file);
      });
      refresh();
      rec.staticDescribedBy.unshift(status.id);
      body = el('div', { class: 'file-row' }, control, status);
      break;
    }
    default: { // text, url, secret
      const isSecret = spec.kind === 'secret';
      control = el('input', {
        ...common,
        type: isSecret ? 'password' : 'text',
        class: 'input',
        autocomplete: 'off',
        spellcheck: spec.kind === 'text' ? null : 'false',
        autocapitalize: 'off',
        inputmode: spec.kind === 'url' ? 'url' : null,
        placeholder: spec.placeholder || null,
        value: value || '',
      });
      control.addEventListener('input', () => set(control.value));
      control.addEventListener('blur', blur);
      body = control;
      if (isSecret) {
        const toggle = el('button', {
          type: 'button', class: 'icon-button secret-toggle', 'aria-label': `Show ${spec.label}`, 'aria-pressed': 'false',
          title: `Show ${spec.label}`,
        }, icon('eye'));
        toggle.addEventListener('click', () => {
          const show = control.type === 'password';
          control.type = show ? 'text' : 'password';
          const text = `${show ? 'Hide' : 'Show'} ${spec.label}`;
          toggle.setAttribute('aria-label', text);
          toggle.setAttribute('title', text);
          toggle.setAttribute('aria-pressed', show ? 'true' : 'false');
          replaceChildren(toggle, icon(show ? 'eyeOff' : 'eye'));
        });
        body = el('div', { class: 'input-group' }, control, toggle);
      }
    }
  }

  rec.node = el('div', { class: ['field', `field-${spec.kind}`], dataset: { field: name } },
    labelFor(id, spec), body, rec.errorEl, rec.warningEl, hint, help);
  rec.focusTarget = control;
  rec.invalidTargets = [control];
  rec.describedTarget = control;
  return rec;
}

/** Show (or hide) a field's error and warning and wire the ARIA. */
export function showMessages(rec, rawErrors, rawWarnings) {
  const label = rec.spec && rec.spec.label;
  const errors = rawErrors.map((m) => fieldMessage(label, m));
  const warnings = rawWarnings.map((m) => fieldMessage(label, m));
  setText(rec.errorEl, errors.join('\n'));
  rec.errorEl.hidden = errors.length === 0;
  const showWarning = errors.length === 0 && warnings.length > 0;
  setText(rec.warningEl, showWarning ? warnings.join('\n') : '');
  rec.warningEl.hidden = !showWarning;
  for (const t of rec.invalidTargets) {
    if (errors.length) t.setAttribute('aria-invalid', 'true');
    else t.removeAttribute('aria-invalid');
  }
  const ids = [errors.length ? rec.errorEl.id : null, showWarning ? rec.warningEl.id : null, ...rec.staticDescribedBy].filter(Boolean);
  if (ids.length) rec.describedTarget.setAttribute('aria-describedby', ids.join(' '));
  else rec.describedTarget.removeAttribute('aria-describedby');
  rec.node.classList.toggle('has-error', errors.length > 0);
  rec.node.classList.toggle('has-warning', showWarning);
}
