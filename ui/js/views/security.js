// The Security page (a view like the picker, in the shell of shell.js): the
// protection in force and what it protects against, a missing key, changing
// the protection, the master passphrase, auto-lock, checking the sealed
// secrets, this installation's public key for encrypted exports and the
// redirect port of Authorize (redirect.js).

import * as api from '../api.js';
import { el, icon, button, replaceChildren, copyText } from '../dom.js';
import { plural, count, sentence } from '../format.js';
import { state, setSecurity, onSecurityChange } from '../state.js';
import {
  LEVELS, levelLabel, levelHelp, inForce, protects, afterRemoval, AUTO_LOCK_CHOICES, autoLockLabel,
} from '../protection.js';
import { shell } from './shell.js';
import { confirmDialog } from './confirm.js';
import { toast, showError, clearError } from './toast.js';
import { withUnlock, askToUnlock } from './unlock.js';
import { openSetPassphraseDialog, openChangePassphraseDialog, openRemovePassphraseDialog } from './passphrase.js';
import { redirectSection } from './redirect.js';

let ctx = null;
let refs = null;     // { main, body, redirect }
let chosen = null;   // the protection picked in the radiogroup, not yet applied
let checked = null;  // the last verify_secrets result
let checking = false;

/** Renders the Security page; `from` is where Back goes: 'org' or 'picker'. */
export async function showSecurity(context, { from = 'picker' } = {}) {
  ctx = context;
  chosen = null;
  checked = null;
  const inOrg = from === 'org' && state.org;
  const body = el('div', { class: 'security-sections', id: 'security-sections' });
  const main = el('main', { id: 'main', class: 'content', tabindex: '-1' },
    el('div', { class: 'security-page' },
      el('div', { class: 'page-head' },
        el('div', { class: 'page-head-text' },
          el('h1', { class: 'page-title' }, 'Security'),
          el('p', { class: 'page-desc' }, 'How the secrets in this database are sealed, and what opens them.')),
        el('div', { class: 'head-actions' },
          button(inOrg ? 'Back to Credentials' : 'Back to Organizations', {
            kind: 'secondary', iconName: 'back',
            attrs: { id: 'security-back' },
            onClick: () => ctx.back(),
          }))),
      body));
  refs = { main, body, redirect: redirectSection() };
  replaceChildren(ctx.root, shell(ctx, { org: inOrg ? state.org : null, current: 'security', main, onSame: () => refresh() }));
  render();
  main.focus();
  await refresh();
}

async function refresh() {
  try {
    setSecurity(await api.securityStatus());
  } catch (err) {
    showError(err);
  }
}

onSecurityChange(() => {
  if (refs && refs.main.isConnected) render();
});

const focusAfter = (id) => () => document.getElementById(id);

function section(id, title, ...children) {
  return el('section', { class: 'security-card', id, 'aria-labelledby': `${id}-title` },
    el('h2', { class: 'security-card-title', id: `${id}-title` }, title), children);
}

/** Draws the sections again from state.security, keeping the focus where it was. */
function render() {
  const sec = state.security;
  const focusedId = refs.body.contains(document.activeElement) ? document.activeElement.id : null;
  if (!sec) {
    replaceChildren(refs.body, el('p', { class: 'muted' }, 'The security status is not available.'));
    return;
  }
  if (chosen === sec.protection) chosen = null;
  replaceChildren(refs.body,
    statusSection(sec),
    protectionSection(sec),
    sec.protection === 'passphrase' ? passphraseSection(sec) : null,
    autoLockSection(sec),
    verifySection(),
    publicKeySection(sec),
    refs.redirect);
  if (focusedId) {
    const again = document.getElementById(focusedId);
    if (again && !again.disabled) again.focus();
    else refs.main.focus();
  }
}

function statusSection(sec) {
  const details = el('dl', { class: 'security-facts' },
    sec.key_file ? el('div', { class: 'security-fact' },
      el('dt', {}, 'Key file'), el('dd', {}, el('code', { id: 'security-key-file' }, sec.key_file))) : null,
    el('div', { class: 'security-fact' },
      el('dt', {}, 'Database id'), el('dd', {}, el('code', { id: 'security-database-id' }, sec.database_id || '—'))));
  return section('security-status', 'Protection in force',
    !sec.key_available ? el('div', { class: 'key-alert', id: 'key-problem', role: 'alert' },
      icon('alert', 'key-alert-icon'),
      el('div', { class: 'key-alert-text' },
        el('p', { class: 'key-alert-title' }, 'The key that opens the secrets is missing'),
        el('p', { class: 'key-alert-message' }, sentence(sec.key_problem || 'The secrets cannot be opened until the key is back.')))) : null,
    el('div', { class: 'security-now' },
      el('span', { class: 'security-now-icon', 'aria-hidden': 'true' }, icon(sec.protection === 'passphrase' ? 'lock' : 'shield')),
      el('div', { class: 'security-now-text' },
        el('p', { class: 'security-level', id: 'security-level' }, inForce(sec),
          sec.protection === 'passphrase'
            ? el('span', { class: ['badge', sec.locked ? 'badge-warning' : 'badge-ok'], id: 'security-lock-state' }, sec.locked ? 'Locked' : 'Unlocked')
            : null),
        el('p', { class: 'security-protects', id: 'security-protects' }, protects(sec)))),
    details);
}

function protectionSection(sec) {
  const current = sec.protection;
  const picked = chosen || current;
  const rows = LEVELS.map((level) => {
    const id = `protection-${level}`;
    const disabled = level === 'keyring' && !sec.keyring_available && current !== 'keyring';
    const helpId = `${id}-help`;
    const input = el('input', {
      type: 'radio', id, name: 'protection', value: level, class: 'radio',
      checked: level === picked, disabled, 'aria-describedby': helpId,
    });
    input.addEventListener('change', () => {
      if (!input.checked) return;
      chosen = level === current ? null : level;
      render();
    });
    return el('div', { class: ['choice', level === picked ? 'choice-picked' : null, disabled ? 'choice-disabled' : null] },
      el('div', { class: 'check-row' }, input, el('label', { for: id }, levelLabel(level)),
        level === current ? el('span', { class: 'badge badge-muted' }, 'In use') : null),
      el('p', { class: 'field-help choice-help', id: helpId },
        disabled ? 'No system keyring answers on this computer, so this choice is not available.' : levelHelp(level)));
  });
  return section('security-protection', 'Change protection',
    el('fieldset', { class: 'field choice-group', id: 'protection-choices' },
      el('legend', { class: 'field-label' }, 'Keep the key that opens the secrets'),
      rows),
    protectionAction(sec));
}

/** The button that applies the picked protection (nothing while it is the one in use). */
function protectionAction(sec) {
  if (!chosen) return null;
  let label;
  let note;
  let run;
  if (chosen === 'passphrase') {
    label = 'Set master passphrase…';
    note = 'You choose a passphrase; from then on the window starts locked.';
    run = () => openSetPassphraseDialog({ run: withUnlock, returnFocus: focusAfter('change-passphrase') });
  } else if (sec.protection === 'passphrase') {
    label = 'Remove passphrase…';
    note = chosen === 'keyring' || !sec.keyring_available ? afterRemoval(sec) : 'The key then moves to a key file of its own.';
    run = () => removePassphrase(sec, chosen);
  } else {
    label = chosen === 'key_file' ? 'Move the key to a key file…' : 'Move the key to the keyring…';
    note = chosen === 'key_file'
      ? 'The key leaves your system keyring for a file only you can read.'
      : 'The key leaves its file for your system keyring.';
    run = () => moveKey(chosen);
  }
  return el('div', { class: 'choice-action', id: 'protection-action' },
    el('p', { class: 'field-help' }, note),
    button(label, { kind: 'primary', attrs: { id: 'apply-protection' }, onClick: () => run() }));
}

function removePassphrase(sec, target) {
  return openRemovePassphraseDialog(sec, {
    run: withUnlock,
    target,
    returnFocus: focusAfter('protection-choices'),
  });
}

function moveKey(level) {
  const toFile = level === 'key_file';
  return confirmDialog({
    title: toFile ? 'Move the key to a key file?' : 'Move the key to the system keyring?',
    paragraphs: toFile
      ? ['The key goes into a file of its own, readable only by you, in the app’s settings folder.',
        'Back that file up apart from the database: the secrets open only with it.']
      : ['The key goes into your system keyring, which opens when you log in.'],
    confirmLabel: 'Move the key',
    className: 'move-key-dialog',
    returnFocus: focusAfter(`protection-${level}`),
    action: async () => {
      setSecurity(await withUnlock(() => api.setProtection(level)));
      clearError();
      toast(toFile ? 'The key is now in a key file' : 'The key is now in your system keyring');
    },
  });
}

function passphraseSection(sec) {
  return section('security-passphrase', 'Master passphrase',
    el('p', { class: 'security-text' }, sec.locked
      ? 'The secrets are locked. Names, the list, search and an export without secrets still work.'
      : 'The secrets are open until you lock them or close the window.'),
    el('div', { class: 'security-buttons' },
      button('Change passphrase', {
        attrs: { id: 'change-passphrase' },
        onClick: () => openChangePassphraseDialog({ run: withUnlock }),
      }),
      button('Remove passphrase', {
        attrs: { id: 'remove-passphrase' },
        onClick: () => removePassphrase(sec, null),
      }),
      sec.locked
        ? button('Unlock…', { kind: 'primary', iconName: 'lock', attrs: { id: 'security-unlock' }, onClick: () => askToUnlock() })
        : button('Lock now', { kind: 'primary', iconName: 'lock', attrs: { id: 'lock-now' }, onClick: () => ctx.lockNow() })));
}

function autoLockSection(sec) {
  const usable = sec.protection === 'passphrase';
  const now = sec.auto_lock_minutes ?? null;
  const select = el('select', {
    id: 'auto-lock', name: 'auto_lock', class: 'select auto-lock-select', disabled: !usable,
    'aria-describedby': 'auto-lock-help',
  }, AUTO_LOCK_CHOICES.map((m) => el('option', { value: m === null ? '' : String(m), selected: m === now }, autoLockLabel(m))));
  select.addEventListener('change', async () => {
    const minutes = select.value === '' ? null : Number(select.value);
    select.disabled = true;
    try {
      setSecurity(await withUnlock(() => api.setAutoLock(minutes)));
    } catch (err) {
      showError(err);
      render();
      return;
    }
    toast(minutes === null ? 'Auto-lock off' : `Locks after ${autoLockLabel(minutes)} without use`);
  });
  return section('security-auto-lock', 'Auto-lock',
    el('div', { class: 'field' },
      el('label', { for: select.id, class: 'field-label' }, 'Lock after inactivity'),
      select,
      el('p', { class: 'field-help', id: 'auto-lock-help' }, usable
        ? 'Locks the secrets when the window has not been used for that long.'
        : 'Auto-lock needs a master passphrase: without one there is nothing to lock.')));
}

function verifySection() {
  const result = el('div', { class: 'verify-result', id: 'verify-result', 'aria-live': 'polite' });
  if (checking) {
    result.append(el('p', { class: 'muted' }, 'Checking…'));
  } else if (checked && checked.problems.length === 0) {
    const n = checked.checked;
    result.append(el('p', { class: 'verify-ok' }, icon('check'),
      el('span', {}, n === 0 ? 'No secrets are stored.' : n === 1 ? 'The 1 secret opens.' : `All ${count(n)} secrets open.`)));
  } else if (checked) {
    const n = checked.problems.length;
    result.append(
      el('p', { class: 'verify-bad' }, `${plural(n, 'secret')} of ${count(checked.checked)} did not open:`),
      el('div', { class: 'table-wrap' },
        el('table', { class: 'verify-table', id: 'verify-problems' },
          el('thead', {}, el('tr', {}, ['Organization', 'Credential', 'Field', 'Problem'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, checked.problems.map((p) => el('tr', {},
            el('td', {}, p.organization), el('td', {}, p.credential),
            el('td', {}, el('code', {}, p.field)), el('td', {}, sentence(p.message))))))));
  }
  return section('security-verify', 'Check sealed secrets',
    el('p', { class: 'security-text' },
      'Opens every stored secret once, to find any that is damaged or was changed behind the app’s back. Nothing is shown or changed.'),
    el('div', { class: 'security-buttons' },
      button('Check sealed secrets', { attrs: { id: 'verify-secrets' }, onClick: () => verify() })),
    result);
}

async function verify() {
  if (checking) return;
  checking = true;
  render();
  try {
    checked = await withUnlock(() => api.verifySecrets());
  } catch (err) {
    checked = null;
    showError(err);
  } finally {
    checking = false;
  }
  if (refs && refs.main.isConnected) render();
}

function publicKeySection(sec) {
  const key = sec.public_key;
  return section('security-public-key', 'Your public key for encrypted exports',
    el('p', { class: 'security-text' },
      'A teammate who exports to this key makes a file that only this installation opens.'),
    key
      ? el('div', { class: 'public-key-row' },
        el('code', { class: 'public-key', id: 'public-key' }, key),
        button('Copy', {
          iconName: 'copy', attrs: { id: 'copy-public-key', 'aria-label': 'Copy your public key' },
          onClick: async () => {
            if (await copyText(key)) toast('Copied');
            else showError(`Could not copy to the clipboard. Your public key is: ${key}`);
          },
        }))
      : el('div', { class: 'public-key-row' },
        el('p', { class: 'muted', id: 'public-key-locked' }, 'Unlock to see it.'),
        sec.locked ? button('Unlock…', { attrs: { id: 'public-key-unlock' }, onClick: () => askToUnlock() }) : null));
}
