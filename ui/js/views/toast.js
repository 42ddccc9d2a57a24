// Notices: success/undo toasts in the role=status region, errors that are
// not tied to a field in the role=alert region. Both regions live in
// index.html so they exist before anything is announced.

import { el, icon, replaceChildren, named } from '../dom.js';
import { sentence } from '../format.js';
import * as api from '../api.js';

const TOAST_MS = 8000;
const MAX_TOASTS = 3;

function statusRegion() { return document.getElementById('status-region'); }
function alertRegion() { return document.getElementById('alert-region'); }

/**
 * Show a short notice. With `action` ({ label, run }) the toast has a button
 * (e.g. Undo); running it dismisses the toast. The timer pauses while the
 * pointer or the focus is inside the toast.
 */
export function toast(message, { action = null, duration = TOAST_MS } = {}) {
  const region = statusRegion();
  if (!region) return null;
  const node = el('div', { class: 'toast' });
  let timer = null;
  let remaining = duration;
  let started = 0;
  let hovered = false;
  let focused = false;

  const dismiss = () => {
    clearTimeout(timer);
    const hadFocus = node.contains(document.activeElement);
    node.remove();
    if (hadFocus) {
      const main = document.querySelector('main');
      if (main) main.focus();
    }
  };
  const pause = () => {
    if (!timer) return;
    clearTimeout(timer);
    timer = null;
    remaining -= Date.now() - started;
  };
  const resume = () => {
    if (timer || hovered || focused) return;
    started = Date.now();
    timer = setTimeout(dismiss, Math.max(remaining, 1500));
  };

  node.append(el('p', { class: 'toast-message' }, message));
  if (action) {
    node.append(el('button', {
      type: 'button',
      class: 'btn btn-link toast-action',
      on: {
        click: async () => {
          dismiss();
          await action.run();
        },
      },
    }, action.label));
  }
  node.append(el('button', {
    type: 'button',
    class: 'icon-button toast-close',
    'aria-label': 'Dismiss notification',
    on: { click: dismiss },
  }, icon('x')));

  node.addEventListener('mouseenter', () => { hovered = true; pause(); });
  node.addEventListener('mouseleave', () => { hovered = false; resume(); });
  node.addEventListener('focusin', () => { focused = true; pause(); });
  node.addEventListener('focusout', (e) => {
    if (node.contains(e.relatedTarget)) return;
    focused = false;
    resume();
  });

  region.append(node);
  while (region.children.length > MAX_TOASTS) region.firstElementChild.remove();
  resume();
  return { dismiss };
}

/** Show an error (an error payload or a plain message) in the alert region. */
export function showError(error) {
  const region = alertRegion();
  if (!region) return;
  const message = typeof error === 'string' ? error : (error && error.message) || 'Something went wrong.';
  replaceChildren(region, el('div', { class: 'alert-banner' },
    icon('alert', 'alert-icon'),
    el('p', { class: 'alert-message' }, isolateQuoted(sentence(message))),
    el('button', {
      type: 'button',
      class: 'icon-button alert-close',
      'aria-label': 'Dismiss error',
      on: { click: clearError },
    }, icon('x'))));
}

/** The "quoted" names in a message from Rust, each isolated (see dom.js named). */
function isolateQuoted(message) {
  const parts = [];
  let last = 0;
  for (const m of message.matchAll(/"([^"]*)"/g)) {
    parts.push(message.slice(last, m.index + 1), el('bdi', {}, m[1]), '"');
    last = m.index + m[0].length;
  }
  parts.push(message.slice(last));
  return parts.filter((p) => p !== '');
}

export function clearError() {
  const region = alertRegion();
  if (region) replaceChildren(region);
}

/**
 * "Deleted <name>" with an Undo button that restores what the delete with
 * `undoToken` removed, then runs `afterRestore` and says "Restored <name>".
 */
export function undoToast(name, undoToken, afterRestore) {
  toast(named`Deleted ${name}`, {
    action: {
      label: 'Undo',
      run: async () => {
        try {
          await api.undoDelete(undoToken);
        } catch (err) {
          showError(err);
          return;
        }
        await afterRestore();
        toast(named`Restored ${name}`);
      },
    },
  });
}
