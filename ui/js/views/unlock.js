// Unlocking: the full-window unlock screen (start, Lock, auto-lock), the
// "Unlock to continue" dialog for an action that needs the key while the
// window is locked (withUnlock), and the idle timer behind auto-lock.

import * as api from '../api.js';
import { el, icon, button, replaceChildren, uid } from '../dom.js';
import { sentence } from '../format.js';
import { state, setSecurity, onSecurityChange } from '../state.js';
import { createModal } from './modal.js';
import { passphraseField } from './passphrase.js';

let screenShown = false;

/** True while the unlock screen fills the window. */
export function unlockScreenShown() {
  return screenShown && document.getElementById('unlock-screen') !== null;
}

/** Rust's refusal of an unlock: beside the field (wrong passphrase), else in `showOther`. */
function refused(field, err, showOther) {
  if (err.kind === 'wrong_passphrase') {
    field.setError(sentence(err.message));
  } else {
    showOther(sentence(err.message));
  }
  field.input.focus();
  field.input.select();
}

/**
 * The full-window unlock screen in ctx.root.
 * @param {object} ctx
 * @param {object} o
 * @param {() => void} o.onUnlocked  after a successful unlock
 * @param {() => void} o.onContinue  "Continue locked"
 */
export function showUnlockScreen(ctx, { onUnlocked, onContinue }) {
  screenShown = true;
  ctx.view = 'unlock';
  const field = passphraseField({ label: 'Passphrase' });
  const error = el('div', { class: 'form-error unlock-error', role: 'alert', id: uid('unlock-error') });
  const setError = (message) => replaceChildren(error, message ? el('p', {}, message) : null);
  const unlockButton = button('Unlock', { kind: 'primary', type: 'submit', attrs: { id: 'unlock-button' } });
  const continueButton = button('Continue locked', {
    kind: 'secondary',
    attrs: { id: 'continue-locked', title: 'Names, the list, search and an export without secrets work while locked' },
    onClick: () => {
      screenShown = false;
      onContinue();
    },
  });
  const form = el('form', { class: 'unlock-form', novalidate: true },
    field.node, error, el('div', { class: 'unlock-actions' }, unlockButton, continueButton));
  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (!field.input.value) {
      field.setError('Type your master passphrase');
      field.input.focus();
      return;
    }
    busy = true;
    form.setAttribute('aria-busy', 'true');
    let status;
    try {
      status = await api.unlock(field.input.value);
    } catch (err) {
      busy = false;
      form.removeAttribute('aria-busy');
      refused(field, err, setError);
      return;
    }
    field.clear();
    screenShown = false;
    setSecurity(status);
    onUnlocked();
  });

  replaceChildren(ctx.root, el('main', { id: 'main', class: 'unlock-screen', tabindex: '-1' },
    el('section', { class: 'unlock-card', id: 'unlock-screen', 'aria-labelledby': 'unlock-title' },
      el('span', { class: 'logo unlock-logo', 'aria-hidden': 'true' }, icon('lock')),
      el('h1', { class: 'unlock-title', id: 'unlock-title' }, 'Bot Credentials is locked'),
      el('p', { class: 'unlock-text' }, 'Type your master passphrase to open the secrets.'),
      form,
      el('p', { class: 'unlock-note' },
        'Locked, you can still see the names, search the list and export without secrets.'))));
  field.input.focus();
}

/** The "Unlock to continue" dialog, on top of whatever is open; resolves true once unlocked. */
function unlockDialog() {
  return new Promise((resolve) => {
    const modal = createModal({ title: 'Unlock to continue', className: 'unlock-dialog' });
    modal.dialog.id = 'unlock-dialog';
    const field = passphraseField({ label: 'Passphrase' });
    const intro = el('p', { class: 'confirm-text', id: uid('unlock-intro') },
      'This needs the secrets: type your master passphrase to unlock them.');
    modal.dialog.setAttribute('aria-describedby', intro.id);
    modal.body.append(intro, el('div', { class: 'form-grid' }, field.node));
    modal.footer.append(
      el('div', { class: 'footer-spacer' }),
      button('Cancel', { onClick: () => modal.cancel(), attrs: { class: 'cancel-button', id: 'unlock-cancel' } }),
      button('Unlock', { kind: 'primary', type: 'submit', attrs: { id: 'unlock-confirm' } }));
    modal.onClose = (ok) => resolve(ok === true);
    modal.onSubmit = async () => {
      modal.setError(null);
      if (!field.input.value) {
        field.setError('Type your master passphrase');
        field.input.focus();
        return;
      }
      let status;
      try {
        status = await api.unlock(field.input.value);
      } catch (err) {
        if (modal.closed) return;
        refused(field, err, (m) => modal.setError(m));
        return;
      }
      setSecurity(status);
      modal.close(true);
    };
    modal.open(field.input);
  });
}

let pending = null;

/** Asks for the passphrase (one dialog, however many actions wait for it); resolves true once unlocked. */
export function askToUnlock() {
  if (!pending) pending = unlockDialog().finally(() => { pending = null; });
  return pending;
}

/**
 * After `err` (kind `locked`): asks for the passphrase, then runs `fn` once.
 * Cancel rejects with `err`, so the caller shows it where it shows errors.
 */
export async function afterUnlock(err, fn) {
  if (state.security && !state.security.locked && state.security.protection === 'passphrase') {
    setSecurity({ ...state.security, locked: true, public_key: null });
  }
  const unlocked = await askToUnlock();
  if (!unlocked) throw err;
  return fn();
}

/** Runs `fn`; when it rejects with kind `locked`, unlocks (dialog) and runs it once more. */
export async function withUnlock(fn) {
  try {
    return await fn();
  } catch (err) {
    if (!err || err.kind !== 'locked') throw err;
    return afterUnlock(err, fn);
  }
}

// ---- auto-lock ----

const ACTIVITY = ['keydown', 'pointerdown', 'wheel'];
/** Work in progress that counts as use (an authorization waiting for the browser). */
let busy = 0;

/** Runs `work()`; until it settles, the auto-lock does not lock. */
export async function whileBusy(work) {
  busy += 1;
  try {
    return await work();
  } finally {
    busy -= 1;
  }
}
const THROTTLE_MS = 1000;
const CHECK_MS = 5000;

/**
 * Calls `onIdle()` when the window, unlocked with a passphrase, has had no
 * key, pointer or wheel activity for `auto_lock_minutes`.
 */
export function startAutoLock(onIdle) {
  let last = Date.now();
  const active = () => {
    const now = Date.now();
    if (now - last >= THROTTLE_MS) last = now;
  };
  for (const type of ACTIVITY) document.addEventListener(type, active, { capture: true, passive: true });
  let wasLocked = state.security ? state.security.locked : false;
  onSecurityChange((sec) => {
    if (wasLocked && !sec.locked) last = Date.now(); // a fresh unlock starts the clock again
    wasLocked = sec.locked;
  });
  setInterval(() => {
    const sec = state.security;
    if (!sec || sec.protection !== 'passphrase' || sec.locked || !sec.auto_lock_minutes) return;
    if (unlockScreenShown()) return;
    if (busy > 0) {
      last = Date.now();
      return;
    }
    if (Date.now() - last >= sec.auto_lock_minutes * 60 * 1000) {
      last = Date.now();
      onIdle();
    }
  }, CHECK_MS);
}
