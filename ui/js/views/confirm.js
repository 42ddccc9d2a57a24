// Confirmation dialogs (never the browser's confirm()). The action runs
// while the dialog is open: if it fails, its message shows in the dialog
// and the dialog stays open.

import { el, uid, button } from '../dom.js';
import { createModal } from './modal.js';
import { sentence } from '../format.js';

/**
 * @param {object} o
 * @param {string} o.title            e.g. 'Delete credential “CRM”?'
 * @param {Array<string>} [o.paragraphs]
 * @param {string} o.confirmLabel     'Delete', 'Change type', ...
 * @param {boolean} [o.destructive]   red confirm button
 * @param {string|null} [o.typeToConfirm] text the user must type to enable the confirm button
 * @param {string} [o.typeLabel]      label of that input
 * @param {() => Promise<any>} [o.action] runs on confirm; a thrown error payload is shown
 * @param {() => Element|null} [o.returnFocus]
 * @param {string} [o.className]
 * @returns {Promise<boolean>} true when confirmed (and the action succeeded)
 */
export function confirmDialog({
  title,
  paragraphs = [],
  confirmLabel,
  destructive = false,
  typeToConfirm = null,
  typeLabel = 'Type the name to confirm',
  action = null,
  returnFocus = null,
  className = '',
}) {
  return new Promise((resolve) => {
    const modal = createModal({ title, size: 'small', alert: true, className: ['confirm-dialog', className].join(' ') });
    const descIds = [];
    for (const text of paragraphs) {
      const id = uid('confirm-text');
      descIds.push(id);
      modal.body.append(el('p', { class: 'confirm-text', id }, text));
    }
    if (descIds.length) modal.dialog.setAttribute('aria-describedby', descIds.join(' '));

    const confirmButton = button(confirmLabel, {
      kind: destructive ? 'danger' : 'primary',
      type: 'submit',
      attrs: { class: 'confirm-button' },
    });
    const cancelButton = button('Cancel', { onClick: () => modal.cancel(), attrs: { class: 'cancel-button' } });

    let input = null;
    const matches = () => !input || input.value.trim() === String(typeToConfirm).trim();
    if (typeToConfirm !== null) {
      const inputId = uid('confirm-input');
      input = el('input', {
        type: 'text',
        id: inputId,
        class: 'input confirm-input',
        autocomplete: 'off',
        spellcheck: 'false',
      });
      modal.body.append(el('div', { class: 'field' },
        el('label', { for: inputId, class: 'field-label' }, typeLabel),
        input));
      confirmButton.disabled = true;
      input.addEventListener('input', () => { confirmButton.disabled = !matches(); });
    }

    modal.footer.append(el('div', { class: 'footer-spacer' }), cancelButton, confirmButton);
    modal.returnFocus = returnFocus;
    modal.onClose = (result) => resolve(result === true);
    modal.onSubmit = async () => {
      if (!matches()) return;
      modal.setError(null);
      if (action) {
        try {
          await action();
        } catch (err) {
          modal.setError(sentence(err && err.message ? err.message : String(err)));
          return;
        }
      }
      modal.close(true);
    };
    modal.open(input || confirmButton);
  });
}
