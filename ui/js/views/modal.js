// A modal <dialog> with a form: header, body, error area, footer.
// Submitting never closes the dialog by itself: the owner decides (so a
// refusal from Rust keeps everything the user typed). Esc (the dialog's
// `cancel` event) closes it; focus returns to the opener.

import { el, uid, replaceChildren, setText } from '../dom.js';

const openModals = new Set();

/** Closes every open dialog, the top-most first (before the window locks). */
export function closeAllModals() {
  for (const modal of Array.from(openModals).reverse()) modal.close(false);
}

/**
 * @param {object} o
 * @param {string} o.title
 * @param {string} [o.size] 'small' | 'medium'
 * @param {boolean} [o.alert] role=alertdialog (confirmations)
 * @param {string} [o.className]
 */
export function createModal({ title, size = 'small', alert = false, className = '' }) {
  const titleId = uid('dialog-title');
  const descId = uid('dialog-desc');
  const heading = el('h2', { id: titleId, class: 'modal-title' }, title);
  const subtitle = el('p', { class: 'modal-subtitle', id: descId, hidden: true });
  const body = el('div', { class: 'modal-body' });
  const error = el('div', { class: 'form-error', role: 'alert', id: uid('dialog-error') });
  const footer = el('div', { class: 'modal-footer' });
  const form = el('form', { class: 'modal-form', novalidate: true },
    el('div', { class: 'modal-header' }, heading, subtitle), body, error, footer);
  const dialog = el('dialog', {
    class: ['modal', `modal-${size}`, className],
    'aria-labelledby': titleId,
    role: alert ? 'alertdialog' : null,
  }, form);

  const modal = {
    dialog, form, body, footer, heading, subtitle, error,
    opener: null,
    /** Called with the submitter on Enter / submit button. */
    onSubmit: null,
    /** Called before an Esc/Cancel close; return false to stay open. */
    onCancel: null,
    /** Called after the dialog closed (any reason). */
    onClose: null,
    /** Function returning the element to focus after close (default: opener). */
    returnFocus: null,
    busy: false,
    closed: false,

    open(focusTarget) {
      modal.opener = document.activeElement;
      openModals.add(modal);
      document.body.append(dialog);
      dialog.showModal();
      const target = typeof focusTarget === 'function' ? focusTarget() : focusTarget;
      if (target) target.focus();
      return modal;
    },

    close(result) {
      if (modal.closed) return;
      modal.closed = true;
      openModals.delete(modal);
      if (dialog.open) dialog.close();
      dialog.remove();
      let target = typeof modal.returnFocus === 'function' ? modal.returnFocus() : null;
      if (!target || !target.isConnected) target = modal.opener;
      if (target && target.isConnected && typeof target.focus === 'function') {
        target.focus();
      } else {
        const main = document.getElementById('main');
        if (main) main.focus();
      }
      if (modal.onClose) modal.onClose(result);
    },

    cancel() {
      if (modal.onCancel && modal.onCancel() === false) return;
      modal.close(false);
    },

    setTitle(text) { setText(heading, text); },

    setSubtitle(text) {
      setText(subtitle, text || '');
      subtitle.hidden = !text;
      if (text) dialog.setAttribute('aria-describedby', descId);
      else dialog.removeAttribute('aria-describedby');
    },

    /** Show a message (string or list of strings) in the dialog's error area. */
    setError(message) {
      const lines = (Array.isArray(message) ? message : [message]).filter(Boolean);
      if (lines.length === 0) {
        replaceChildren(error);
      } else if (lines.length === 1) {
        replaceChildren(error, el('p', {}, lines[0]));
      } else {
        replaceChildren(error, el('ul', {}, lines.map((l) => el('li', {}, l))));
      }
    },

    setBusy(busy) {
      modal.busy = busy;
      if (busy) form.setAttribute('aria-busy', 'true');
      else form.removeAttribute('aria-busy');
    },
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (modal.busy || !modal.onSubmit) return;
    modal.setBusy(true);
    try {
      await modal.onSubmit(event.submitter || null);
    } finally {
      modal.setBusy(false);
    }
  });

  // Enter submits from selects and checkboxes too (browsers only do it for text inputs).
  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.ctrlKey || event.altKey || event.metaKey || event.shiftKey || event.isComposing) return;
    const t = event.target;
    const isCheck = t instanceof HTMLInputElement && (t.type === 'checkbox' || t.type === 'radio');
    if (t instanceof HTMLSelectElement || isCheck) {
      event.preventDefault();
      if (typeof form.requestSubmit === 'function') form.requestSubmit();
      else form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });

  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    modal.cancel();
  });

  return modal;
}
