// The Export credentials dialog: one organization (Export) or all of them
// (Export all). Three ways: without secrets, encrypted with secrets (an age
// file, to a passphrase or to age public keys) or plain with secrets. Rust
// opens the native save dialog and writes the file; the page never sees a
// path before Rust reports where the file went.

import * as api from '../api.js';
import { el, uid, button, named } from '../dom.js';
import { plural, sentence, fieldMessage } from '../format.js';
import { state } from '../state.js';
import { createModal } from './modal.js';
import { toast } from './toast.js';
import { newPassphrasePair } from './passphrase.js';
import { withUnlock, askToUnlock } from './unlock.js';

export const SECRETS_WARNING = 'The file will contain passwords, tokens and keys in plain text. '
  + 'Share it only over a channel you would trust with the passwords themselves.';

const AGE_KEY = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{50,}$/;

/** The lines of the Recipients box that are keys (blank lines and # comments left out). */
function recipientLines(text) {
  return String(text).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** A radio button with its label and a description under it. */
function choice(name, value, label, help, { checked = false } = {}) {
  const id = uid(`${name}-${value}`);
  const helpEl = el('p', { class: 'field-help choice-help', id: `${id}-help` }, help);
  const input = el('input', { type: 'radio', id, name, value, class: 'radio', checked, 'aria-describedby': helpEl.id });
  const node = el('div', { class: 'choice' }, el('div', { class: 'check-row' }, input, el('label', { for: id }, label)), helpEl);
  return { input, node, helpEl };
}

/**
 * @param {object|null} org  the Organization to export, or null for all
 * @param {number} [count]   how many organizations "all" means (for the text)
 */
export function openExportDialog(org = null, { count = null } = {}) {
  const modal = createModal({ title: 'Export credentials', size: 'medium', className: 'export-dialog' });
  modal.dialog.id = 'export-dialog';

  const what = org
    ? named`Saves the ${plural(org.credential_count, 'credential')} of ${org.name} to a file.`
    : `Saves the credentials of ${count === null ? 'every organization' : plural(count, 'organization')} to a file.`;
  const intro = el('p', { class: 'confirm-text', id: 'export-what' }, what);

  const none = choice('export-secrets', 'none', 'Without secrets',
    'Passwords, tokens and keys are left out: after an import they have to be typed again.', { checked: true });
  none.helpEl.id = 'export-redacted';
  none.input.setAttribute('aria-describedby', none.helpEl.id);
  const encrypted = choice('export-secrets', 'encrypted', 'Encrypted, with secrets',
    'An age file with the secrets sealed inside: a teammate opens it with this app or the age tool.');
  const plain = choice('export-secrets', 'plain', 'Plain, with secrets',
    'A JSON file with every secret readable.');
  const warning = el('p', { class: 'secrets-warning', id: 'export-secrets-warning', hidden: true }, SECRETS_WARNING);
  plain.node.append(warning);

  // Under Encrypted: a passphrase, or age public keys; ASCII armor.
  const byPassphrase = choice('export-encryption', 'passphrase', 'With a passphrase',
    'Whoever opens the file types this passphrase. Tell it to them some other way than the file.', { checked: true });
  const byKeys = choice('export-encryption', 'recipients', 'To age public keys',
    'Only the holders of these keys open the file; no passphrase to pass on.');
  const pair = newPassphrasePair({ label: 'Passphrase', confirmLabel: 'Confirm passphrase' });
  const passphraseBox = el('div', { class: 'sub-fields', id: 'export-passphrase-fields' }, pair.nodes);

  const recipientsId = uid('export-recipients');
  const recipients = el('textarea', {
    id: recipientsId, name: 'recipients', class: 'textarea mono recipients-input', rows: '3',
    spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off', placeholder: 'age1…',
  });
  const recipientsHelp = el('p', { class: 'field-help', id: `${recipientsId}-help` }, 'One age1… key per line.');
  const recipientsError = el('p', { class: 'field-msg field-error', id: `${recipientsId}-error`, hidden: true });
  const setRecipientsError = (message) => {
    recipientsError.textContent = message || '';
    recipientsError.hidden = !message;
    if (message) recipients.setAttribute('aria-invalid', 'true');
    else recipients.removeAttribute('aria-invalid');
    recipients.setAttribute('aria-describedby', [message ? recipientsError.id : null, recipientsHelp.id].filter(Boolean).join(' '));
  };
  setRecipientsError(null);
  recipients.addEventListener('input', () => { if (!recipientsError.hidden) setRecipientsError(null); });
  const addMine = button('Add my public key', {
    attrs: { id: 'export-add-my-key', class: 'add-my-key' },
    onClick: () => addMyKey(),
  });
  const keysBox = el('div', { class: 'sub-fields', id: 'export-recipient-fields', hidden: true },
    el('div', { class: 'field' },
      el('label', { for: recipientsId, class: 'field-label' }, 'Recipients', el('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
      recipients, recipientsError, recipientsHelp),
    el('div', {}, addMine));
  byPassphrase.node.append(passphraseBox);
  byKeys.node.append(keysBox);

  const armor = el('input', { type: 'checkbox', id: uid('export-armor'), name: 'armor', class: 'checkbox' });
  const encryptionBox = el('div', { class: 'sub-options', id: 'export-encryption', hidden: true },
    el('fieldset', { class: 'field choice-group' },
      el('legend', { class: 'field-label' }, 'Encrypt'),
      byPassphrase.node, byKeys.node),
    el('div', { class: 'check-row' }, armor, el('label', { for: armor.id }, 'ASCII armor (text you can paste)')));
  encrypted.node.append(encryptionBox);

  const cancelButton = button('Cancel', { attrs: { id: 'export-cancel', class: 'cancel-button' }, onClick: () => modal.cancel() });
  const confirmButton = button('Export…', { kind: 'primary', type: 'submit', attrs: { id: 'export-confirm' } });

  const mode = () => (encrypted.input.checked ? 'encrypted' : plain.input.checked ? 'plain' : 'none');
  const sync = () => {
    const m = mode();
    warning.hidden = m !== 'plain';
    plain.input.setAttribute('aria-describedby', m === 'plain' ? `${plain.helpEl.id} ${warning.id}` : plain.helpEl.id);
    encryptionBox.hidden = m !== 'encrypted';
    passphraseBox.hidden = !byPassphrase.input.checked;
    keysBox.hidden = !byKeys.input.checked;
  };
  for (const r of [none, encrypted, plain, byPassphrase, byKeys]) r.input.addEventListener('change', sync);

  async function addMyKey() {
    if (!state.security || (!state.security.public_key && state.security.locked)) {
      if (!(await askToUnlock())) return;
    }
    const key = state.security && state.security.public_key;
    if (!key) {
      setRecipientsError('Your public key is not available: see Security.');
      recipients.focus();
      return;
    }
    const lines = recipientLines(recipients.value);
    if (!lines.includes(key)) {
      const text = recipients.value.replace(/\s+$/, '');
      recipients.value = text ? `${text}\n${key}` : key;
    }
    setRecipientsError(null);
    recipients.focus();
  }

  /** Checks in the page (Rust checks again); returns the field to fix, or null. */
  function check() {
    if (mode() !== 'encrypted') return null;
    if (byPassphrase.input.checked) return pair.check();
    const lines = recipientLines(recipients.value);
    if (lines.length === 0) {
      setRecipientsError('Add at least one age public key, one per line.');
      return recipients;
    }
    const bad = lines.filter((l) => !AGE_KEY.test(l));
    if (bad.length) {
      setRecipientsError(`Not an age public key (age1…): ${bad.join(', ')}`);
      return recipients;
    }
    setRecipientsError(null);
    return null;
  }

  function encryption() {
    if (mode() !== 'encrypted') return null;
    return byPassphrase.input.checked ? { passphrase: pair.value() } : { recipients: recipientLines(recipients.value) };
  }

  /** Rust's refusal: beside the field it names, else in the dialog. */
  function showRefusal(err) {
    const problems = err.problems || [];
    // "passphrase", "recipients[1]", "encryption.passphrase", "encryption.recipients[0]"…
    const keyOf = (field) => {
      const parts = String(field || '').split(/[.[\]]+/).filter(Boolean);
      return parts[0] === 'encryption' ? parts[1] : parts[0];
    };
    const on = (key) => problems.filter((p) => keyOf(p.field) === key);
    let focus = confirmButton;
    if (on('passphrase').length && byPassphrase.input.checked) {
      pair.first.setError(on('passphrase').map((p) => fieldMessage('Passphrase', p.message)).join(' '));
      focus = pair.first.input;
    }
    if (on('recipients').length && byKeys.input.checked) {
      setRecipientsError(on('recipients').map((p) => fieldMessage('Recipients', p.message)).join(' '));
      focus = recipients;
    }
    modal.setError(sentence(err.message));
    focus.focus();
  }

  modal.dialog.setAttribute('aria-describedby', intro.id);
  modal.setSubtitle(org ? org.name : 'All organizations');
  modal.body.append(intro, el('fieldset', { class: 'field choice-group', id: 'export-secrets' },
    el('legend', { class: 'field-label' }, 'Secrets'),
    none.node, encrypted.node, plain.node));
  modal.footer.append(
    el('div', { class: 'footer-spacer' }),
    cancelButton,
    confirmButton);
  sync();

  // While Rust's save dialog is up, Esc / Cancel here would only confuse.
  modal.onCancel = () => !modal.busy;
  modal.onSubmit = async () => {
    modal.setError(null);
    const bad = check();
    if (bad) {
      bad.focus();
      return;
    }
    const controls = Array.from(modal.form.querySelectorAll('input, textarea, button'));
    const wasDisabled = new Map(controls.map((c) => [c, c.disabled]));
    for (const c of controls) c.disabled = true;
    const m = mode();
    let done;
    try {
      done = await withUnlock(() => api.exportFile(org ? org.id : null, m !== 'none', {
        encryption: encryption(),
        armor: armor.checked,
      }));
    } catch (err) {
      if (modal.closed) return;
      for (const c of controls) c.disabled = wasDisabled.get(c);
      showRefusal(err);
      return;
    }
    modal.close(done !== null);
    if (done) {
      toast(`Exported ${plural(done.credentials, 'credential')} to ${done.path}${done.encrypted ? ' (encrypted)' : ''}`);
    }
  };
  modal.open(none.input);
  return modal;
}
