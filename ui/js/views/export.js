// The Export credentials dialog: one organization (Export) or all of them
// (Export all). Rust opens the native save dialog and writes the file; the
// page never sees a path before Rust reports where the file went.

import * as api from '../api.js';
import { el, button } from '../dom.js';
import { plural, sentence } from '../format.js';
import { createModal } from './modal.js';
import { toast } from './toast.js';

export const SECRETS_WARNING = 'The file will contain passwords, tokens and keys in plain text. '
  + 'Share it only over a channel you would trust with the passwords themselves.';

/**
 * @param {object|null} org  the Organization to export, or null for all
 * @param {number} [count]   how many organizations "all" means (for the text)
 */
export function openExportDialog(org = null, { count = null } = {}) {
  const modal = createModal({ title: 'Export credentials', className: 'export-dialog' });
  modal.dialog.id = 'export-dialog';

  const what = org
    ? `Saves the ${plural(org.credential_count, 'credential')} of ${org.name} to a JSON file.`
    : `Saves the credentials of ${count === null ? 'every organization' : plural(count, 'organization')} to a JSON file.`;
  const intro = el('p', { class: 'confirm-text', id: 'export-what' }, what);
  const redacted = el('p', { class: 'field-help', id: 'export-redacted' },
    'Without secrets, passwords, tokens and keys are left out: after an import they have to be typed again.');
  const checkbox = el('input', { type: 'checkbox', id: 'export-include-secrets', name: 'include_secrets', class: 'checkbox' });
  const warning = el('p', { class: 'secrets-warning', id: 'export-secrets-warning', hidden: true }, SECRETS_WARNING);
  const cancelButton = button('Cancel', { attrs: { id: 'export-cancel', class: 'cancel-button' }, onClick: () => modal.cancel() });
  const confirmButton = button('Export…', { kind: 'primary', type: 'submit', attrs: { id: 'export-confirm' } });

  const sync = () => {
    const on = checkbox.checked;
    warning.hidden = !on;
    redacted.hidden = on;
    checkbox.setAttribute('aria-describedby', on ? warning.id : redacted.id);
  };
  checkbox.addEventListener('change', sync);

  modal.dialog.setAttribute('aria-describedby', intro.id);
  modal.setSubtitle(org ? org.name : 'All organizations');
  modal.body.append(intro, el('div', { class: 'field field-checkbox' },
    el('div', { class: 'check-row' }, checkbox, el('label', { for: checkbox.id }, 'Include secrets')),
    redacted, warning));
  modal.footer.append(
    el('div', { class: 'footer-spacer' }),
    cancelButton,
    confirmButton);
  sync();

  // While Rust's save dialog is up, Esc / Cancel here would only confuse.
  modal.onCancel = () => !modal.busy;
  modal.onSubmit = async () => {
    modal.setError(null);
    const controls = [checkbox, cancelButton, confirmButton];
    for (const c of controls) c.disabled = true;
    let done;
    try {
      done = await api.exportFile(org ? org.id : null, checkbox.checked);
    } catch (err) {
      if (modal.closed) return;
      for (const c of controls) c.disabled = false;
      modal.setError(sentence(err.message));
      confirmButton.focus();
      return;
    }
    modal.close(done !== null);
    if (done) toast(`Exported ${plural(done.credentials, 'credential')} to ${done.path}`);
  };
  modal.open(checkbox);
  return modal;
}
