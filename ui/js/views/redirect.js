// The Security page's "Sign-in redirect" section: the loopback port that
// Authorize listens on (a setting of the database) and the redirect URI it
// makes, with Copy, to register at the providers. Rust checks the port.

import * as api from '../api.js';
import { el, button, setText } from '../dom.js';
import { fieldMessage, sentence } from '../format.js';
import { toast, showError } from './toast.js';
import { loadRedirect, setRedirect, redirectUriField } from './authorize.js';

/** The section, built once per visit of the page (it keeps what was typed across redraws). */
export function redirectSection() {
  const input = el('input', {
    id: 'redirect-port', name: 'port', type: 'text', class: 'input', inputmode: 'numeric', autocomplete: 'off',
    spellcheck: 'false', maxlength: '5', 'aria-describedby': 'redirect-port-help',
  });
  const error = el('p', { class: 'field-msg field-error', id: 'redirect-port-error', hidden: true });
  const help = el('p', { class: 'field-help', id: 'redirect-port-help' });
  const uri = redirectUriField({ idPrefix: 'security', help: false });
  let saved = null;

  const showProblem = (message) => {
    setText(error, message || '');
    error.hidden = !message;
    if (message) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'redirect-port-error redirect-port-help');
    } else {
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', 'redirect-port-help');
    }
  };
  const show = (s) => {
    saved = s;
    input.value = String(s.port);
    setText(help, `From 1024 to 65535; ${s.default_port} unless you change it.`);
    uri.fill(s);
  };
  loadRedirect().then(show, (err) => showError(err));

  const form = el('form', { class: 'redirect-form', novalidate: true },
    el('div', { class: 'field' },
      el('label', { for: 'redirect-port', class: 'field-label' }, 'Redirect port'),
      el('div', { class: 'redirect-port-row' }, input,
        button('Save port', { type: 'submit', attrs: { id: 'save-redirect-port' } })),
      error, help),
    uri.node);
  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const text = input.value.trim();
    if (saved && text === String(saved.port)) {
      showProblem(null);
      return;
    }
    busy = true;
    try {
      // Digits go as a number; anything else as typed, for Rust to refuse by name.
      const s = await api.setOauthPort(/^\d{1,5}$/.test(text) ? Number(text) : text);
      setRedirect(s);
      showProblem(null);
      show(s);
      toast(`Authorize now listens on ${s.redirect_uri}`);
    } catch (err) {
      const p = (err.problems || []).find((x) => x.field === 'port');
      if (p) showProblem(fieldMessage('Redirect port', p.message));
      else showError(sentence(err.message));
      input.focus();
    } finally {
      busy = false;
    }
  });

  return el('section', { class: 'security-card redirect-section', id: 'security-redirect', 'aria-labelledby': 'security-redirect-title' },
    el('h2', { class: 'security-card-title', id: 'security-redirect-title' }, 'Sign-in redirect (OAuth 2.0)'),
    el('p', { class: 'security-text' },
      'Authorize waits on this computer (127.0.0.1 only) for the provider to send the sign-in back. Register the redirect URI at each provider; change the port if another program uses it.'),
    form);
}
