// Entry point: checks the database, loads the credential types, and
// switches between the views: the organization picker, an organization's
// view, the Security page and, with a master passphrase, the unlock screen.
// At start the picker has the organization opened last in focus (Enter
// opens it), or that organization opens at once when the picker's "Open
// the last organization at start" is on.

import * as api from './api.js';
import { el, replaceChildren, modalOpen } from './dom.js';
import { state, setSecurity } from './state.js';
import './theme.js';
import { lastOrgId, rememberOrg, reopenAtStart } from './prefs.js';
import { sentence } from './format.js';
import { isLocked } from './protection.js';
import { showPicker, openOrgNameDialog, focusOrgSearch } from './views/picker.js';
import { showOrg, focusSearch, openAddCredentials, tickTimes } from './views/list.js';
import { showSecurity } from './views/security.js';
import { showUnlockScreen, startAutoLock, askToUnlock } from './views/unlock.js';
import { closeAllModals } from './views/modal.js';
import { showError, clearError, toast } from './views/toast.js';
import { closeMenu, menuIsOpen } from './views/menu.js';
import { watchOutsideChanges } from './outside.js';

const root = document.getElementById('app');

function fatal(title, message, dbPath) {
  replaceChildren(root, el('section', { class: 'fatal', role: 'alert', 'aria-labelledby': 'fatal-title' },
    el('h1', { id: 'fatal-title', class: 'fatal-title' }, title),
    el('p', { class: 'fatal-message' }, sentence(message)),
    dbPath ? el('p', { class: 'fatal-path' }, 'Database: ', el('code', {}, dbPath)) : null));
}

function focusMain() {
  const main = document.getElementById('main');
  if (main) main.focus();
}

const ctx = {
  root,
  view: 'picker',        // 'picker' | 'org' | 'security' | 'unlock'
  securityFrom: 'picker', // where the Security page goes back to
  openOrg: (org) => {
    clearError();
    closeMenu();
    ctx.view = 'org';
    rememberOrg(org);
    return showOrg(ctx, org);
  },
  backToPicker: () => {
    const from = state.org;
    state.org = null;
    state.total = 0;
    closeMenu();
    ctx.view = 'picker';
    showPicker(ctx, { focusOrgId: from ? from.id : null });
  },
  openSecurity: () => {
    clearError();
    closeMenu();
    ctx.securityFrom = state.org ? 'org' : 'picker';
    ctx.view = 'security';
    showSecurity(ctx, { from: ctx.securityFrom });
  },
  /** From the Security page, back to where the user was. */
  back: () => {
    if (ctx.securityFrom === 'org' && state.org) ctx.openOrg(state.org);
    else ctx.backToPicker();
  },
  /** Locks now (Lock, Lock now, auto-lock): dialogs close, the unlock screen shows. */
  lockNow: async () => {
    closeAllModals();
    closeMenu();
    const was = ctx.view === 'unlock' ? 'picker' : ctx.view;
    let status;
    try {
      status = await api.lock();
    } catch (err) {
      showError(err);
      return;
    }
    clearError();
    setSecurity(status);
    showLocked(was);
  },
  /** The sidebar's Unlock…: the dialog, then the same page with the key open. */
  unlockHere: () => askToUnlock(),
};

/** Shows the view `view` again (after the unlock screen). */
function resume(view) {
  if (view === 'org' && state.org) ctx.openOrg(state.org);
  else if (view === 'security') {
    ctx.view = 'security';
    showSecurity(ctx, { from: ctx.securityFrom });
  } else {
    ctx.view = 'picker';
    state.org = null;
    showPicker(ctx).then(focusMain);
  }
}

function showLocked(view) {
  showUnlockScreen(ctx, { onUnlocked: () => resume(view), onContinue: () => resume(view) });
}

function onKeydown(event) {
  const mod = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
  if (!mod || modalOpen() || !root.querySelector('#main')) return;
  if (ctx.view !== 'picker' && ctx.view !== 'org') return;
  const key = event.key.toLowerCase();
  if (key === 'n') {
    event.preventDefault();
    if (menuIsOpen()) closeMenu();
    if (state.org) openAddCredentials();
    else openOrgNameDialog();
  } else if (key === 'f') {
    event.preventDefault();
    if (menuIsOpen()) closeMenu();
    if (state.org) focusSearch();
    else focusOrgSearch();
  }
}

async function start() {
  let status;
  try {
    status = await api.appStatus();
  } catch (err) {
    fatal('The database could not be opened', err.message, null);
    return;
  }
  state.status = status;
  if (status && status.error) {
    fatal('The database could not be opened', status.error.message, status.db_path);
    return;
  }
  try {
    state.types = await api.credentialTypes();
  } catch (err) {
    showError(err);
    state.types = [];
  }
  if (status && status.security) setSecurity(status.security);
  for (const notice of (status && status.notices) || []) toast(notice, { duration: 15000 });
  document.addEventListener('keydown', onKeydown);
  setInterval(tickTimes, 60 * 1000);
  startAutoLock(() => ctx.lockNow());
  watchOutsideChanges(ctx);
  if (isLocked(state.security)) {
    showLocked('picker');
    return;
  }
  const last = lastOrgId();
  await showPicker(ctx, { focusOrgId: last });
  const org = last === null ? null : state.orgs.find((o) => o.id === last);
  if (org && reopenAtStart()) await ctx.openOrg(org);
  else if (!org) focusMain();
}

start();
