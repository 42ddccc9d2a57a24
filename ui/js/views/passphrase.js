// Passphrase fields (masked, with show/hide like the secret fields of
// fields.js) and the Security page's passphrase dialogs: Set master
// passphrase, Change passphrase, Remove passphrase. Each dialog stays open
// when Rust refuses, with Rust's message beside the field it is about.

import * as api from '../api.js';
import { el, uid, icon, button, replaceChildren, setText } from '../dom.js';
import { sentence, fieldMessage } from '../format.js';
import { setSecurity } from '../state.js';
import { afterRemoval } from '../protection.js';
import { createModal } from './modal.js';
import { toast } from './toast.js';

export const MIN_PASSPHRASE = 8;
export const GOOD_PASSPHRASE = 12;

/**
 * A masked passphrase input with its <label>, a show/hide button, an error
 * shown beside it (aria-invalid + aria-describedby) and an optional hint.
 * @returns {{ node, input, setError(msg), setHint(msg), clear() }}
 */
export function passphraseField({ label, name = 'passphrase', help = null, required = true }) {
  const id = uid('passphrase');
  const input = el('input', {
    type: 'password', id, name, class: 'input passphrase-input', autocomplete: 'off',
    spellcheck: 'false', autocapitalize: 'off', 'aria-required': required ? 'true' : null,
  });
  const toggle = el('button', {
    type: 'button', class: 'icon-button secret-toggle', 'aria-label': `Show ${label}`, 'aria-pressed': 'false',
    title: `Show ${label}`,
  }, icon('eye'));
  toggle.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    const text = `${show ? 'Hide' : 'Show'} ${label}`;
    toggle.setAttribute('aria-label', text);
    toggle.setAttribute('title', text);
    toggle.setAttribute('aria-pressed', show ? 'true' : 'false');
    replaceChildren(toggle, icon(show ? 'eyeOff' : 'eye'));
  });
  const errorEl = el('p', { class: 'field-msg field-error', id: `${id}-error`, hidden: true });
  const hintEl = el('p', { class: 'field-msg field-hint passphrase-hint', id: `${id}-hint`, hidden: true });
  const helpEl = help ? el('p', { class: 'field-help', id: `${id}-help` }, help) : null;

  const describe = () => {
    const ids = [!errorEl.hidden ? errorEl.id : null, !hintEl.hidden ? hintEl.id : null, helpEl ? helpEl.id : null]
      .filter(Boolean);
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    else input.removeAttribute('aria-describedby');
  };
  const field = {
    input,
    node: el('div', { class: 'field field-passphrase', dataset: { field: name } },
      el('label', { for: id, class: 'field-label' }, label,
        required ? el('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      el('div', { class: 'input-group' }, input, toggle),
      errorEl, hintEl, helpEl),
    setError(message) {
      setText(errorEl, message || '');
      errorEl.hidden = !message;
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      field.node.classList.toggle('has-error', !!message);
      describe();
    },
    setHint(message) {
      setText(hintEl, message || '');
      hintEl.hidden = !message;
      describe();
    },
    clear() {
      input.value = '';
      field.setError(null);
    },
  };
  input.addEventListener('input', () => { if (!errorEl.hidden) field.setError(null); });
  describe();
  return field;
}

/**
 * A new passphrase and its confirmation: at least MIN_PASSPHRASE characters,
 * both the same; a hint while it is shorter than GOOD_PASSPHRASE.
 * @returns {{ nodes, first, second, value(), check(): Element|null }}
 */
export function newPassphrasePair({ label = 'New passphrase', confirmLabel = 'Confirm passphrase' } = {}) {
  const first = passphraseField({ label, name: 'new_passphrase' });
  const second = passphraseField({ label: confirmLabel, name: 'confirm_passphrase' });
  const hint = () => {
    const n = Array.from(first.input.value).length;
    if (n === 0 || n >= GOOD_PASSPHRASE) first.setHint(null);
    else if (n < MIN_PASSPHRASE) first.setHint(`At least ${MIN_PASSPHRASE} characters.`);
    else first.setHint(`Longer is stronger: ${GOOD_PASSPHRASE} characters or more is better.`);
  };
  first.input.addEventListener('input', hint);
  return {
    nodes: [first.node, second.node],
    first,
    second,
    value: () => first.input.value,
    /** Shows what is wrong beside each field; returns the first field to fix, or null. */
    check() {
      const a = first.input.value;
      const b = second.input.value;
      let bad = null;
      if (Array.from(a).length < MIN_PASSPHRASE) {
        first.setHint(null);
        first.setError(a ? `Use at least ${MIN_PASSPHRASE} characters` : `${label} is required`);
        bad = first.input;
      } else {
        first.setError(null);
      }
      if (a !== b) {
        second.setError(b ? 'The two passphrases are not the same' : `${confirmLabel} is required`);
        bad = bad || second.input;
      } else {
        second.setError(null);
      }
      return bad;
    },
  };
}

/** Rust's refusal shown beside `field` (wrong passphrase, validation) or in the dialog. */
function showRefusal(modal, err, byKind) {
  const target = byKind[err.kind];
  const problems = err.problems || [];
  if (target) {
    target.setError(sentence(err.message));
    target.input.focus();
    target.input.select();
    return;
  }
  if (err.kind === 'validation' && problems.length && byKind.validation) {
    byKind.validation.setError(problems.map((p) => fieldMessage('Passphrase', p.message)).join(' '));
    byKind.validation.input.focus();
    return;
  }
  modal.setError(sentence(err.message));
}

function footer(modal, confirmLabel, id, destructive = false) {
  modal.footer.append(
    el('div', { class: 'footer-spacer' }),
    button('Cancel', { onClick: () => modal.cancel(), attrs: { class: 'cancel-button' } }),
    button(confirmLabel, { kind: destructive ? 'danger' : 'primary', type: 'submit', attrs: { id, class: 'submit-button' } }));
}

/**
 * "Set master passphrase": protection becomes passphrase. `run(fn)` wraps the
 * call (withUnlock). Resolves true once set.
 */
export function openSetPassphraseDialog({ run = (fn) => fn(), returnFocus = null } = {}) {
  return new Promise((resolve) => {
    const modal = createModal({ title: 'Set master passphrase', className: 'passphrase-dialog' });
    modal.dialog.id = 'set-passphrase-dialog';
    const pair = newPassphrasePair();
    const intro = el('p', { class: 'confirm-text', id: uid('passphrase-intro') },
      'Secrets will open only with this passphrase, and the window starts locked.');
    const warning = el('p', { class: 'secrets-warning', id: uid('passphrase-warning') },
      'If you forget it, nobody can recover the secrets: keep it somewhere safe.');
    modal.dialog.setAttribute('aria-describedby', `${intro.id} ${warning.id}`);
    modal.body.append(intro, el('div', { class: 'form-grid' }, pair.nodes), warning);
    footer(modal, 'Set passphrase', 'set-passphrase-confirm');
    modal.returnFocus = returnFocus;
    modal.onClose = (ok) => resolve(ok === true);
    modal.onSubmit = async () => {
      modal.setError(null);
      const bad = pair.check();
      if (bad) { bad.focus(); return; }
      try {
        setSecurity(await run(() => api.setPassphrase(pair.value())));
      } catch (err) {
        if (modal.closed) return;
        showRefusal(modal, err, { validation: pair.first });
        return;
      }
      modal.close(true);
      toast('Master passphrase set. The window starts locked from now on.');
    };
    modal.open(pair.first.input);
  });
}

/** "Change passphrase": current, new, confirm. Resolves true once changed. */
export function openChangePassphraseDialog({ run = (fn) => fn(), returnFocus = null } = {}) {
  return new Promise((resolve) => {
    const modal = createModal({ title: 'Change passphrase', className: 'passphrase-dialog' });
    modal.dialog.id = 'change-passphrase-dialog';
    const current = passphraseField({ label: 'Current passphrase', name: 'current' });
    const pair = newPassphrasePair();
    modal.body.append(el('div', { class: 'form-grid' }, current.node, pair.nodes));
    footer(modal, 'Change passphrase', 'change-passphrase-confirm');
    modal.returnFocus = returnFocus;
    modal.onClose = (ok) => resolve(ok === true);
    modal.onSubmit = async () => {
      modal.setError(null);
      let bad = pair.check();
      if (!current.input.value) {
        current.setError('Current passphrase is required');
        bad = current.input;
      }
      if (bad) { bad.focus(); return; }
      try {
        setSecurity(await run(() => api.changePassphrase(current.input.value, pair.value())));
      } catch (err) {
        if (modal.closed) return;
        showRefusal(modal, err, { wrong_passphrase: current, validation: pair.first });
        return;
      }
      modal.close(true);
      toast('Passphrase changed');
    };
    modal.open(current.input);
  });
}

/**
 * "Remove passphrase": the key moves to `target` ("keyring" | "key_file"), by
 * default the keyring where one answers, else a key file (the dialog says
 * which), in one step in Rust. Resolves true once removed.
 */
export function openRemovePassphraseDialog(sec, { run = (fn) => fn(), target = null, returnFocus = null } = {}) {
  return new Promise((resolve) => {
    const modal = createModal({ title: 'Remove passphrase?', className: 'passphrase-dialog' });
    modal.dialog.id = 'remove-passphrase-dialog';
    const where = target === 'key_file'
      ? 'The key then moves to a key file of its own.'
      : afterRemoval(sec);
    const intro = el('p', { class: 'confirm-text', id: uid('remove-intro') },
      `${where} The window no longer starts locked.`);
    const current = passphraseField({ label: 'Current passphrase', name: 'current' });
    modal.dialog.setAttribute('aria-describedby', intro.id);
    modal.body.append(intro, el('div', { class: 'form-grid' }, current.node));
    footer(modal, 'Remove passphrase', 'remove-passphrase-confirm');
    modal.returnFocus = returnFocus;
    modal.onClose = (ok) => resolve(ok === true);
    modal.onSubmit = async () => {
      modal.setError(null);
      if (!current.input.value) {
        current.setError('Current passphrase is required');
        current.input.focus();
        return;
      }
      let status;
      try {
        status = await run(() => api.removePassphrase(current.input.value, target));
        setSecurity(status);
      } catch (err) {
        if (modal.closed) return;
        showRefusal(modal, err, { wrong_passphrase: current });
        return;
      }
      modal.close(true);
      toast(status.protection === 'keyring'
        ? 'Passphrase removed. The key is now in your system keyring.'
        : 'Passphrase removed. The key is now in a key file.');
    };
    modal.open(current.input);
  });
}
