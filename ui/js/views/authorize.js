// Authorize (issue #10): the redirect URI with Copy (dialog step 2 of
// OAuth 2.0 Authorization Code, the Security page), the "Waiting for the
// browser…" panel with Cancel, and the row actions Authorize, Refresh token,
// Test link and Check. Rust does the network and keeps the tokens: the page
// only ever sees an Authorization ({ state, expires_at, refreshable, error })
// or a LinkReport, never a token.

import * as api from '../api.js';
import { el, icon, button, replaceChildren, setText, copyText, named } from '../dom.js';
import { sentence, linkReportText } from '../format.js';
import { createModal } from './modal.js';
import { toast, showError } from './toast.js';
import { whileBusy, withUnlock } from './unlock.js';

/** How long a token request may take before its panel (with Cancel) shows. */
const PANEL_DELAY_MS = 400;

let redirect = null; // Promise of { port, redirect_uri, default_port }

/** The redirect settings, asked once (setRedirect replaces them). */
export function loadRedirect() {
  if (!redirect) redirect = api.oauthSettings().catch((err) => { redirect = null; throw err; });
  return redirect;
}

export function setRedirect(settings) {
  redirect = Promise.resolve(settings);
}

/** A Copy button for `getText()`: it says "Copied" for a moment. */
export function copyButton(getText, { id, title }) {
  const label = el('span', { class: 'btn-label' }, 'Copy');
  const mark = icon('copy');
  const b = el('button', { type: 'button', class: 'btn btn-secondary copy-button', id, title }, mark, label);
  let timer = null;
  b.addEventListener('click', async () => {
    const text = getText();
    if (!text) return;
    if (!(await copyText(text))) {
      showError(`Could not copy to the clipboard. The text is: ${text}`);
      return;
    }
    setText(label, 'Copied');
    replaceChildren(b, icon('check'), label);
    clearTimeout(timer);
    timer = setTimeout(() => { setText(label, 'Copy'); replaceChildren(b, mark, label); }, 2000);
  });
  return b;
}

/**
 * The redirect URI as a read-only field (its text can be selected and
 * copied) with Copy; `idPrefix` keeps ids unique per place.
 */
export function redirectUriField({ idPrefix = 'cred', help = true } = {}) {
  const id = `${idPrefix}-redirect-uri`;
  const input = el('input', {
    id, type: 'text', class: 'input mono redirect-uri', readOnly: true, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': help ? `${id}-help` : null, value: '',
  });
  input.addEventListener('focus', () => input.select());
  const fill = (s) => { input.value = s.redirect_uri; };
  loadRedirect().then(fill, (err) => { input.value = ''; input.placeholder = sentence(err.message); });
  const node = el('div', { class: 'field field-redirect', dataset: { field: 'redirect_uri' } },
    el('label', { for: id, class: 'field-label' }, 'Redirect URI'),
    el('div', { class: 'input-group' }, input,
      copyButton(() => input.value, { id: `${id}-copy`, title: 'Copy the redirect URI' })),
    help ? el('p', { class: 'field-help', id: `${id}-help` },
      'Register this address at the provider: Authorize listens on it for the sign-in’s answer.') : null);
  return { node, input, fill };
}

/** The panel shown while Rust waits: for the browser (Authorization Code) or for the provider. */
function waitingPanel(codeFlow, what) {
  return el('div', { class: 'auth-waiting', id: 'auth-waiting', role: 'status', 'aria-live': 'polite' },
    el('span', { class: 'auth-spinner', 'aria-hidden': 'true' }),
    el('div', { class: 'auth-waiting-text' },
      el('p', { class: 'auth-waiting-title' }, codeFlow ? 'Waiting for the browser…' : `${what}…`),
      el('p', { class: 'auth-waiting-help' }, codeFlow
        ? 'Sign in at the provider; this window will update.'
        : 'Asking the provider’s Token URL; this takes a few seconds at most.')));
}

/**
 * Shows the waiting panel in `modal` (its body and footer are replaced,
 * Cancel and Esc cancel), runs `request()` and resolves with its answer
 * or rejects with its error ({ kind: 'cancelled' } after Cancel).
 */
export async function waitIn(modal, request, { codeFlow, what = 'Requesting a token' }) {
  replaceChildren(modal.body, waitingPanel(codeFlow, what));
  const cancel = button('Cancel', { attrs: { id: 'auth-cancel', class: 'cancel-button' }, onClick: () => stop() });
  replaceChildren(modal.footer, el('div', { class: 'footer-spacer' }), cancel);
  modal.setError(null);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    cancel.disabled = true;
    api.cancelAuthorization().catch(() => {});
  };
  const before = modal.onCancel;
  modal.onCancel = () => { stop(); return false; };
  cancel.focus();
  try {
    return await request();
  } finally {
    modal.onCancel = before;
  }
}

/**
 * The dialog's Authorize, once the credential is saved: waits in the dialog
 * and resolves with the outcome, { authorization } or { error }.
 */
export async function authorizeSaved(modal, id, codeFlow) {
  modal.setSubtitle(codeFlow ? 'Saved · signing in at the provider' : 'Saved · requesting a token');
  try {
    return { authorization: await waitIn(modal, () => whileBusy(() => withUnlock(() => api.authorizeCredential(id))), { codeFlow }) };
  } catch (error) {
    return { error };
  }
}

/**
 * Runs `request` for a row action; after PANEL_DELAY_MS (at once for the
 * browser) a dialog titled `title` shows the waiting panel with Cancel.
 */
async function withPanel(title, request, { codeFlow, what }) {
  let modal = null;
  let release = null;
  const running = request();
  const show = () => {
    modal = createModal({ title, className: 'authorize-dialog' });
    modal.dialog.id = 'authorize-dialog';
    modal.open(null);
    waitIn(modal, () => new Promise((resolve) => { release = resolve; }), { codeFlow, what });
  };
  const timer = setTimeout(show, codeFlow ? 0 : PANEL_DELAY_MS);
  try {
    return await running;
  } finally {
    clearTimeout(timer);
    if (release) release();
    if (modal) modal.close(true);
  }
}

/** Whether a row's OAuth 2.0 credential uses the browser (its summary names the grant). */
export const usesBrowser = (c) => !String(c.summary || '').startsWith('Client Credentials');

/** How an authorization that did not succeed is told: `prefix` + the reason. */
export function failureText(err, prefix) {
  if (err.kind === 'offline') return `${prefix}You are offline; authorize later.`;
  if (err.kind === 'cancelled') return `${prefix}Authorization cancelled.`;
  if (err.kind === 'provider') return `${prefix}Authorization failed: ${err.message}`;
  return `${prefix}${sentence(err.message)}`;
}

/** Row menu: Authorize. `done()` reloads the list. */
export async function authorizeRow(c, done) {
  const codeFlow = usesBrowser(c);
  try {
    await withPanel(named`Authorize ${c.name}`, () => whileBusy(() => withUnlock(() => api.authorizeCredential(c.id))), { codeFlow });
    toast(named`Authorized ${c.name}`);
  } catch (err) {
    if (err.kind === 'cancelled') toast(named`Authorization of ${c.name} cancelled`);
    else showError(failureText(err, `${c.name}: `));
  }
  await done();
}

/** Row menu: Refresh token. */
export async function refreshRow(c, done) {
  try {
    await withPanel(named`Refresh the token of ${c.name}`, () => whileBusy(() => withUnlock(() => api.refreshToken(c.id))),
      { codeFlow: false, what: 'Refreshing the token' });
    toast(named`Refreshed the token of ${c.name}`);
  } catch (err) {
    if (err.kind === 'cancelled') toast(named`Refreshing ${c.name} cancelled`);
    else showError(`${c.name}: ${err.kind === 'provider' ? `the refresh was refused: ${err.message}` : sentence(err.message)}`);
  }
  await done();
}

/** Row menu: Test link, the Authentication URL in the browser. */
export async function testLinkRow(c) {
  try {
    await api.openLink(c.id);
    toast(named`Opened the Authentication URL of ${c.name} in your browser`);
  } catch (err) {
    showError(err);
  }
}

/** Row menu: Check, what the Authentication URL answers, said plainly. */
export async function checkLinkRow(c) {
  const note = toast(named`Checking ${c.name}…`);
  let report;
  try {
    report = await api.checkLink(c.id);
  } catch (err) {
    if (note) note.dismiss();
    showError(err);
    return;
  }
  if (note) note.dismiss();
  const text = `${c.name}: ${linkReportText(report)}`;
  if (report.reachable) toast(text);
  else showError(text);
}
