// Entry point: checks the database, loads the credential types, and
// switches between the organization picker and an organization's view.

import * as api from './api.js';
import { el, replaceChildren, modalOpen } from './dom.js';
import { state } from './state.js';
import { sentence } from './format.js';
import { showPicker, openOrgNameDialog } from './views/picker.js';
import { showOrg, focusSearch, openAddCredentials, tickTimes } from './views/list.js';
import { showError, clearError } from './views/toast.js';
import { closeMenu, menuIsOpen } from './views/menu.js';

const root = document.getElementById('app');

function fatal(title, message, dbPath) {
  replaceChildren(root, el('section', { class: 'fatal', role: 'alert', 'aria-labelledby': 'fatal-title' },
    el('h1', { id: 'fatal-title', class: 'fatal-title' }, title),
    el('p', { class: 'fatal-message' }, sentence(message)),
    dbPath ? el('p', { class: 'fatal-path' }, 'Database: ', el('code', {}, dbPath)) : null));
}

const ctx = {
  root,
  openOrg: (org) => {
    clearError();
    closeMenu();
    showOrg(ctx, org);
  },
  backToPicker: () => {
    const from = state.org;
    state.org = null;
    state.credentials = [];
    closeMenu();
    showPicker(ctx, { focusOrgId: from ? from.id : null });
  },
};

function onKeydown(event) {
  const mod = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
  if (!mod || modalOpen() || !root.querySelector('#main')) return;
  const key = event.key.toLowerCase();
  if (key === 'n') {
    event.preventDefault();
    if (menuIsOpen()) closeMenu();
    if (state.org) openAddCredentials();
    else openOrgNameDialog();
  } else if (key === 'f' && state.org) {
    event.preventDefault();
    if (menuIsOpen()) closeMenu();
    focusSearch();
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
  document.addEventListener('keydown', onKeydown);
  setInterval(tickTimes, 60 * 1000);
  await showPicker(ctx);
  const main = document.getElementById('main');
  if (main) main.focus();
}

start();
