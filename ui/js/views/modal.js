// A modal <dialog> with a form: header, body, error area, footer.
// Submitting never closes the dialog by itself: the owner decides (so a
// refusal from Rust keeps everything the user typed). Esc (the dialog's
// `cancel` event) closes it; focus returns to the opener. The focus stays
// inside the top-most dialog: Tab from its last control goes to its first,
// Shift+Tab from its first to its last, and focus that lands outside it
// (a click on the backdrop, a control that went away) comes back in.

import { el, uid, replaceChildren, setText } from '../dom.js';

const openModals = new Set();

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

/** The controls Tab stops at inside `root`, in order (one radio button per group). */
export function tabbables(root) {
  const out = [];
  for (const node of root.querySelectorAll(FOCUSABLE)) {
    if (node.disabled || node.tabIndex < 0 || node.getClientRects().length === 0) continue;
    if (getComputedStyle(node).visibility === 'hidden' || node.closest('[inert], [hidden]')) continue;
    if (node instanceof HTMLInputElement && node.type === 'radio' && node.name) {
      const group = [...root.querySelectorAll('input[type="radio"]')]
        .filter((r) => r.name === node.name && !r.disabled && r.getClientRects().length > 0);
      if ((group.find((r) => r.checked) || group[0]) !== node) continue;
    }
    out.push(node);
  }
  return out;
}

// A click does not focus a button in WebKit: the control clicked last is
// the opener a dialog gives the focus back to when nothing else had it.
let lastClicked = null;
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button, a[href], [role="menuitem"]') : null;
  lastClicked = target ? { target, at: Date.now() } : null;
}, true);

/** Where the focus goes back to: what had it, else the control just clicked. */
function openerNow() {
  const active = document.activeElement;
  const idle = !active || active === document.body || active === document.documentElement || active.id === 'main';
  if (!idle) return active;
  if (lastClicked && lastClicked.target.isConnected && Date.now() - lastClicked.at < 2000) return lastClicked.target;
  return active;
}

/**
 * Focuses `el`. What was drawn while the dialog was open was inert then, and
 * WebKit keeps it so until the styles are worked out again: reading a
 * computed style does that first (else focus() is silently refused).
 */
function giveFocus(el) {
  if (!el) return;
  getComputedStyle(el).getPropertyValue('visibility');
  el.focus();
  if (document.activeElement === el) return;
  // Still refused: again once the next frames are drawn, as long as the
  // focus went nowhere else meanwhile.
  const lost = () => {
    const now = document.activeElement;
    return el.isConnected && (!now || now === document.body || now === document.documentElement || !now.isConnected);
  };
  let tries = 0;
  const again = () => {
    if (!lost()) return;
    el.focus();
    tries += 1;
    if (tries < 5) setTimeout(() => requestAnimationFrame(again), 40 * tries);
  };
  requestAnimationFrame(again);
}

/** The top-most open modal, if any. */
function topModal() {
  const all = Array.from(openModals);
  return all.length ? all[all.length - 1] : null;
}

// Focus that escapes the top-most dialog goes back to its first control.
document.addEventListener('focusin', (event) => {
  const top = topModal();
  if (!top || !top.dialog.open || top.dialog.contains(event.target)) return;
  // A menu or a dialog opened on top of this one keeps its focus.
  if (event.target instanceof Element && event.target.closest('[role="menu"], dialog[open]')) return;
  const first = tabbables(top.dialog)[0];
  (first || top.dialog).focus();
});

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
    // Focusable itself, so focus has somewhere to go back to inside it.
    tabindex: '-1',
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
      modal.opener = openerNow();
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
      // The opener was drawn again meanwhile (the sidebar's foot, a row): its successor by id.
      if (target && !target.isConnected && target.id) target = document.getElementById(target.id) || target;
      if (!target || !target.isConnected || typeof target.focus !== 'function') target = document.getElementById('main');
      giveFocus(target);
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

  // Tab wraps around inside the dialog.
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab' || event.ctrlKey || event.altKey || event.metaKey) return;
    const stops = tabbables(dialog);
    if (stops.length === 0) {
      event.preventDefault();
      return;
    }
    const first = stops[0];
    const last = stops[stops.length - 1];
    const at = document.activeElement;
    if (event.shiftKey && (at === first || !dialog.contains(at))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (at === last || !dialog.contains(at))) {
      event.preventDefault();
      first.focus();
    }
  });

  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    modal.cancel();
  });

  return modal;
}
