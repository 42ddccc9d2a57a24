// The organization view (in the shell of shell.js: the way back, left nav
// with Credentials and Security), Add Credentials, Search, the sortable credentials table and row menus.

import * as api from '../api.js';
import { el, icon, button, replaceChildren, setText, copyText, named } from '../dom.js';
import { plural, count, relativeTime } from '../format.js';
import { state, onSecurityChange, USAGE_TEXT } from '../state.js';
import { confirmDialog } from './confirm.js';
import { openCredentialDialog } from './dialog.js';
import { toast, showError, clearError, undoToast } from './toast.js';
import { openExportDialog } from './export.js';
import { startImport } from './import.js';
import { shell } from './shell.js';
import { guideSteps } from './guide.js';
import { withUnlock } from './unlock.js';
import { virtualBody } from './virtual.js';
import { COLUMNS, ROW_HEIGHT, headerRow, showSort, credentialRow, loadingRow, tickAuthorizations } from './rows.js';
import { authorizeRow, refreshRow, testLinkRow, checkLinkRow, failureText } from './authorize.js';

let ctx = null;   // main.js's ctx
let refs = null;  // { search, count, area, orgTitle, main }
/** The table while it is shown: { el, head, vbody, query } (query: what its rows answer). */
let table = null;
/** Numbers the questions asked for a first window: only the latest answer is shown. */
let seq = 0;
/** Rows asked for with each first window (a view holds about 20). */
const FIRST = 100;

export async function showOrg(context, org) {
  ctx = context;
  state.org = org;
  state.search = '';
  state.total = 0;
  state.matched = 0;
  dropTable();
  build();
  await refreshList();
  const main = document.getElementById('main');
  if (main) main.focus();
}

async function reloadOrgInfo() {
  try {
    const orgs = await api.listOrganizations();
    state.orgs = orgs;
    const fresh = orgs.find((o) => o.id === state.org.id);
    if (fresh) {
      state.org = fresh;
      setText(refs.orgTitle, fresh.name);
    }
  } catch { /* the list load reports errors */ }
}

/** What the list shows now: Search and the sort. */
function currentQuery() {
  return { search: state.search, sort: state.sort.key, dir: state.sort.dir };
}

/**
 * Asks Rust for a window of the current query (`extra`: offset, limit, focus).
 * Resolves to { win, query }, or null when a newer question was asked meanwhile
 * or it failed (the error is shown).
 */
async function ask(extra) {
  const mine = ++seq;
  const orgId = state.org.id;
  const query = currentQuery();
  try {
    const win = await api.listWindow(orgId, { ...query, ...extra });
    return mine === seq && state.org && state.org.id === orgId ? { win, query } : null;
  } catch (err) {
    if (mine !== seq) return null;
    showError(err);
    if (err.kind === 'not_found') ctx.backToPicker();
    return null;
  }
}

/** Asks again from the top (Search typed, sort changed) and shows the answer. */
async function requery() {
  const answer = await ask({ offset: 0, limit: FIRST });
  if (answer) show(answer);
}

/** Reload the list where it is; optionally find, focus and highlight one row. */
export async function refreshList({ focusId = null, highlight = false } = {}) {
  if (!state.org || !refs) return;
  const from = table ? Math.max(0, table.vbody.firstInView() - 20) : 0;
  let answer = await ask(focusId === null ? { offset: from, limit: FIRST } : { focus: focusId, limit: FIRST });
  if (answer && focusId !== null && answer.win.focus_index === null && state.search.trim()) {
    // The saved row does not match Search: clear it so the row shows.
    state.search = '';
    refs.search.value = '';
    answer = await ask({ focus: focusId, limit: FIRST });
  }
  if (!answer) return;
  show(answer, { keepPlace: true });
  const at = answer.win.focus_index;
  if (at === null || at === undefined || !table) return;
  table.vbody.scrollTo(at);
  const row = table.vbody.rowAt(at);
  if (row) {
    if (highlight) {
      row.classList.add('row-new');
      setTimeout(() => row.classList.remove('row-new'), 2600);
    }
    row.focus();
  }
}

/** Shows an answer of `ask`: the count, then the table, or the empty or no-match state. */
function show({ win, query }, { keepPlace = false } = {}) {
  state.total = win.total;
  state.matched = win.matched;
  const q = state.search.trim();
  setText(refs.count, q ? `${count(win.matched)} of ${count(win.total)}` : plural(win.total, 'credential'));
  if (win.total === 0 || win.matched === 0) {
    dropTable();
    replaceChildren(refs.area, win.total === 0 ? emptyState() : noMatch(q));
    return;
  }
  if (!table) makeTable();
  table.query = query;
  table.el.setAttribute('aria-rowcount', String(win.matched + 1));
  showSort(table.head, state.sort);
  table.vbody.reset(win.matched, win);
  if (!keepPlace) {
    const top = table.el.getBoundingClientRect().top - refs.main.getBoundingClientRect().top + refs.main.scrollTop;
    table.vbody.scrollToTop(top);
  }
}

const ACTIONS = {
  edit: (c, opener) => openEditCredentials(c, opener),
  copyUsage: () => copyUsage(),
  remove: (c, opener) => deleteCredential(c, opener),
  authorize: (c) => authorizeRow(c, () => refreshList()),
  refresh: (c) => refreshRow(c, () => refreshList()),
  testLink: (c) => testLinkRow(c),
  check: (c) => checkLinkRow(c),
};

function makeTable() {
  const head = el('thead', {}, headerRow((col) => setSort(col)));
  const body = el('tbody');
  const t = el('table', { class: 'cred-table', id: 'credentials-table', 'aria-rowcount': '1' },
    el('caption', { class: 'visually-hidden' }, `Credentials of ${state.org.name}`),
    el('colgroup', {}, COLUMNS.map((col) => el('col', { class: col.cls })), el('col', { class: 'col-actions' })),
    head,
    body);
  replaceChildren(refs.area, el('div', { class: 'table-wrap' }, t));
  const vbody = virtualBody({
    scroller: refs.main,
    body,
    columns: COLUMNS.length + 1,
    rowHeight: ROW_HEIGHT,
    load: (offset, limit) => loadRows(offset, limit),
    renderRow: (c) => credentialRow(c, ACTIONS),
    placeholderRow: () => loadingRow(),
  });
  table = { el: t, head, vbody, query: currentQuery() };
}

function dropTable() {
  if (table) table.vbody.destroy();
  table = null;
}

/** Rows the table scrolled to, for the query its rows answer. */
async function loadRows(offset, limit) {
  if (!table || !state.org) return null;
  try {
    return await api.listWindow(state.org.id, { ...table.query, offset, limit });
  } catch (err) {
    showError(err);
    return null;
  }
}

/** An organization without credentials: what to do first, each with the button that does it. */
function emptyState() {
  return el('section', { class: 'empty-state guide', id: 'credentials-empty', 'aria-labelledby': 'credentials-empty-title' },
    el('div', { class: 'empty-icon' }, icon('key')),
    el('h2', { class: 'empty-title', id: 'credentials-empty-title' }, 'No credentials yet'),
    el('p', { class: 'empty-text' }, named`Use Add Credentials to add the first credential of ${state.org.name}, or import a file.`),
    guideSteps('credentials-guide', [
      {
        title: 'Add a credential',
        text: 'Give it a name and an Authentication Type, then fill in its fields: each value is checked before it is stored.',
        action: button('Add Credentials', {
          kind: 'primary', iconName: 'plus',
          attrs: { id: 'empty-add-credentials' },
          onClick: () => openAddCredentials(),
        }),
      },
      {
        title: 'Import a file',
        text: 'Bring in credentials exported from another installation; the preview shows what changes first.',
        action: button('Import a file', {
          kind: 'secondary', iconName: 'upload',
          attrs: { id: 'empty-import' },
          onClick: () => importFile(),
        }),
      },
    ]));
}

function noMatch(q) {
  return el('div', { class: 'empty-state no-match', id: 'credentials-no-match' },
    el('div', { class: 'empty-icon' }, icon('search')),
    el('p', { class: 'empty-text' }, `No credentials match “${q}”`),
    button('Clear search', { kind: 'secondary', attrs: { id: 'clear-search' }, onClick: clearSearch }));
}

export function focusSearch() {
  if (refs && refs.search.isConnected) {
    refs.search.focus();
    refs.search.select();
  }
}

function build() {
  const search = el('input', {
    type: 'search', id: 'search', class: 'input search-input', autocomplete: 'off',
    spellcheck: 'false', placeholder: 'Name, type or details', title: 'Search (Ctrl+F)',
  });
  search.addEventListener('input', () => { state.search = search.value; requery(); });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && search.value) { e.preventDefault(); clearSearch(); }
  });
  const count = el('p', { class: 'result-count', id: 'result-count', 'aria-live': 'polite' });
  const area = el('div', { class: 'table-area', id: 'table-area' });
  const orgTitle = el('span', { class: 'topbar-org', id: 'org-title' }, state.org.name);
  refs = { search, count, area, orgTitle, main: null };

  const main = el('main', { id: 'main', class: 'content', tabindex: '-1' },
    el('div', { class: 'page-head' },
      el('div', { class: 'page-head-text' },
        el('h1', { class: 'page-title' }, 'Credentials'),
        el('p', { class: 'page-desc' }, 'Credentials the bots of this organization use to call external APIs.')),
      el('div', { class: 'head-actions' },
        button('Import', {
          kind: 'secondary',
          attrs: { id: 'import-button', title: 'Import credentials from an export file' },
          onClick: () => importFile(),
        }),
        button('Export', {
          kind: 'secondary',
          attrs: { id: 'export-button', title: 'Export the credentials of this organization' },
          onClick: () => openExportDialog({ ...state.org, credential_count: state.total }),
        }),
        button('Add Credentials', {
          kind: 'primary', iconName: 'plus',
          attrs: { id: 'add-credentials', title: 'Add Credentials (Ctrl+N)' },
          onClick: () => openAddCredentials(),
        }))),
    el('div', { class: 'toolbar' },
      el('div', { class: 'search-box' },
        el('label', { for: 'search', class: 'search-label' }, 'Search'),
        el('div', { class: 'search-field' }, icon('search', 'search-icon'), search)),
      count),
    area);
  refs.main = main;
  const page = shell(ctx, { org: state.org, current: 'credentials', main, orgTitle, onSame: () => refreshList() });
  replaceChildren(ctx.root, page);
}

function clearSearch() {
  state.search = '';
  refs.search.value = '';
  requery();
  refs.search.focus();
}

async function setSort(col) {
  if (state.sort.key === col.sort) state.sort.dir = state.sort.dir === 'asc' ? 'desc' : 'asc';
  else state.sort = { key: col.sort, dir: col.firstDir || 'asc' };
  if (table) showSort(table.head, state.sort);
  await requery();
  const b = document.querySelector(`.sort-button[data-sort="${col.sort}"]`);
  if (b) b.focus();
}

// The "Secret unavailable" badges follow whether the key is there.
let keyWasAvailable = null;
onSecurityChange((sec) => {
  const now = sec.key_available !== false;
  if (now !== keyWasAvailable && table && refs.area.isConnected) table.vbody.redraw();
  keyWasAvailable = now;
});

/** Re-render relative times and token expiries (called every minute). */
export function tickTimes() {
  for (const t of document.querySelectorAll('time.reltime')) setText(t, relativeTime(t.getAttribute('datetime')));
  tickAuthorizations();
}

export function openAddCredentials() {
  if (!state.org) return;
  if (!state.types.length) {
    showError('The credential types could not be loaded; restart the app.');
    return;
  }
  openCredentialDialog({
    org: state.org,
    types: state.types,
    onSaved: (summary, outcome) => afterSave(summary, outcome),
  });
}

async function openEditCredentials(c, opener) {
  let loaded;
  try {
    loaded = await withUnlock(() => api.getCredential(c.id));
  } catch (err) {
    showError(err);
    if (err.kind === 'not_found') refreshList();
    return;
  }
  if (opener && opener.isConnected) opener.focus();
  openCredentialDialog({
    org: state.org,
    types: state.types,
    credential: loaded,
    onSaved: (summary, outcome) => afterSave(summary, outcome),
  });
}

function importFile() {
  const org = state.org;
  startImport({
    onImported: async () => {
      clearError();
      if (!org || !state.org || state.org.id !== org.id) return;
      await reloadOrgInfo();
      await refreshList();
    },
  });
}

/** After Save, or Authorize (`outcome`: { authorization } or { error }). */
async function afterSave(summary, outcome) {
  clearError();
  await refreshList({ focusId: summary.id, highlight: true });
  reloadOrgInfo();
  const err = outcome && outcome.error;
  if (!outcome) toast(named`Saved ${summary.name}`);
  else if (!err) toast(named`Saved and authorized ${summary.name}`);
  else if (err.kind === 'offline') toast('Saved. You are offline; authorize later');
  else if (err.kind === 'cancelled') toast(named`Saved ${summary.name}. Authorization cancelled`);
  else showError(failureText(err, `Saved ${summary.name}. `));
}

async function copyUsage() {
  if (!(await copyText(USAGE_TEXT))) {
    showError(`Could not copy to the clipboard. The usage is: ${USAGE_TEXT}`);
    return;
  }
  toast('Copied');
}

/** The menu button of the row now at `index` (after a delete), else Search. */
function rowMenuAt(index) {
  const row = table && state.matched > 0 ? table.vbody.rowAt(Math.min(index, state.matched - 1)) : null;
  return row ? row.querySelector('.menu-button') : refs.search;
}

function deleteCredential(c, opener) {
  const tr = opener && opener.closest('tr');
  const index = tr ? Number(tr.dataset.index) || 0 : 0;
  confirmDialog({
    title: named`Delete credential “${c.name}”?`,
    paragraphs: [named`${c.type_label} credential of ${state.org.name}. You can undo this right after.`],
    confirmLabel: 'Delete',
    destructive: true,
    className: 'delete-credential-dialog',
    returnFocus: () => (opener && opener.isConnected ? opener : rowMenuAt(index)),
    action: async () => {
      const res = await api.deleteCredential(c.id);
      clearError();
      await refreshList();
      reloadOrgInfo();
      const name = res.name || c.name;
      undoToast(name, res.undo_token, async () => {
        if (state.org && state.org.id === c.org_id) {
          await refreshList();
          reloadOrgInfo();
        }
      });
    },
  });
}
