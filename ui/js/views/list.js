// The organization view (in the shell of shell.js: the way back, left nav
// with Credentials and Security), Add Credentials, Search, the sortable credentials table and row menus.

import * as api from '../api.js';
import { el, icon, button, replaceChildren, setText, copyText } from '../dom.js';
import { plural, relativeTime, fullTime } from '../format.js';
import { state, onSecurityChange, COPY_USAGE_TYPES, USAGE_TEXT } from '../state.js';
import { menuButton } from './menu.js';
import { confirmDialog } from './confirm.js';
import { openCredentialDialog } from './dialog.js';
import { toast, showError, clearError, undoToast } from './toast.js';
import { openExportDialog } from './export.js';
import { startImport } from './import.js';
import { shell } from './shell.js';
import { withUnlock } from './unlock.js';

let ctx = null;   // main.js's ctx
let refs = null;  // { search, count, area, orgTitle }

const COLUMNS = [
  { key: 'name', label: 'Name', cls: 'col-name' },
  { key: 'type_label', label: 'Authentication Type', cls: 'col-type' },
  { key: 'summary', label: 'Details', cls: 'col-details' },
  { key: 'updated_at', label: 'Last updated', cls: 'col-updated', firstDir: 'desc' },
];

export async function showOrg(context, org) {
  shown = PAGE;
  ctx = context;
  state.org = org;
  state.search = '';
  state.credentials = [];
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

/** Reload the credentials; optionally focus and highlight one row. */
export async function refreshList({ focusId = null, highlight = false } = {}) {
  if (!state.org || !refs) return;
  try {
    state.credentials = await api.listCredentials(state.org.id);
  } catch (err) {
    showError(err);
    if (err.kind === 'not_found') { ctx.backToPicker(); return; }
  }
  if (focusId !== null && state.credentials.some((c) => c.id === focusId)
      && !visible().some((c) => c.id === focusId)) {
    state.search = '';
    refs.search.value = '';
  }
  if (focusId !== null) {
    const at = visible().findIndex((c) => c.id === focusId);
    if (at >= shown) shown = Math.ceil((at + 1) / PAGE) * PAGE;
  }
  renderTable();
  if (focusId !== null) {
    const row = rowFor(focusId);
    if (row) {
      if (highlight) {
        row.classList.add('row-new');
        setTimeout(() => row.classList.remove('row-new'), 2600);
      }
      row.focus();
    }
  }
}

export function focusSearch() {
  if (refs && refs.search.isConnected) {
    refs.search.focus();
    refs.search.select();
  }
}

function rowFor(id) {
  return document.querySelector(`tr.cred-row[data-id="${CSS.escape(String(id))}"]`);
}

function build() {
  const search = el('input', {
    type: 'search', id: 'search', class: 'input search-input', autocomplete: 'off',
    spellcheck: 'false', placeholder: 'Name, type or details', title: 'Search (Ctrl+F)',
  });
  search.addEventListener('input', () => { state.search = search.value; shown = PAGE; renderTable(); });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && search.value) { e.preventDefault(); clearSearch(); }
  });
  const count = el('p', { class: 'result-count', id: 'result-count', 'aria-live': 'polite' });
  const area = el('div', { class: 'table-area', id: 'table-area' });
  const orgTitle = el('span', { class: 'topbar-org', id: 'org-title' }, state.org.name);
  refs = { search, count, area, orgTitle };

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
          onClick: () => openExportDialog({ ...state.org, credential_count: state.credentials.length }),
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
  const page = shell(ctx, { org: state.org, current: 'credentials', main, orgTitle, onSame: () => refreshList() });
  replaceChildren(ctx.root, page);
}

function clearSearch() {
  state.search = '';
  refs.search.value = '';
  renderTable();
  refs.search.focus();
}

// Rows drawn at once; the rest come with "Show more", so a list of thousands
// stays quick to open and to filter as you type.
const PAGE = 200;
let shown = PAGE;

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const haystacks = new WeakMap();

/** Lower-cased text search looks in, computed once per credential. */
function haystack(c) {
  let h = haystacks.get(c);
  if (h === undefined) {
    h = [c.name, c.type_label, c.summary].map((v) => String(v || '').toLowerCase()).join('\n');
    haystacks.set(c, h);
  }
  return h;
}

function matches(c, q) {
  return haystack(c).includes(q);
}

function visible() {
  const q = state.search.trim().toLowerCase();
  const list = q ? state.credentials.filter((c) => matches(c, q)) : state.credentials.slice();
  const { key, dir } = state.sort;
  const sign = dir === 'asc' ? 1 : -1;
  list.sort((a, b) => {
    let r;
    if (key === 'updated_at') r = (Date.parse(a.updated_at) || 0) - (Date.parse(b.updated_at) || 0);
    else r = collator.compare(String(a[key] || ''), String(b[key] || ''));
    if (r === 0) r = collator.compare(String(a.name), String(b.name));
    return r * sign;
  });
  return list;
}

function setSort(col) {
  if (state.sort.key === col.key) state.sort.dir = state.sort.dir === 'asc' ? 'desc' : 'asc';
  else state.sort = { key: col.key, dir: col.firstDir || 'asc' };
  renderTable();
  const b = document.querySelector(`.sort-button[data-sort="${col.key}"]`);
  if (b) b.focus();
}

function renderTable() {
  const total = state.credentials.length;
  const rows = visible();
  const q = state.search.trim();
  setText(refs.count, q ? `${rows.length} of ${total}` : plural(total, 'credential'));

  if (total === 0) {
    replaceChildren(refs.area, el('div', { class: 'empty-state', id: 'credentials-empty' },
      el('div', { class: 'empty-icon' }, icon('key')),
      el('h2', { class: 'empty-title' }, 'No credentials yet'),
      el('p', { class: 'empty-text' }, `Use Add Credentials to add the first credential of ${state.org.name}.`),
      button('Add Credentials', {
        kind: 'secondary', iconName: 'plus',
        attrs: { id: 'empty-add-credentials' },
        onClick: () => openAddCredentials(),
      })));
    return;
  }
  if (rows.length === 0) {
    replaceChildren(refs.area, el('div', { class: 'empty-state no-match', id: 'credentials-no-match' },
      el('div', { class: 'empty-icon' }, icon('search')),
      el('p', { class: 'empty-text' }, `No credentials match “${q}”`),
      button('Clear search', { kind: 'secondary', attrs: { id: 'clear-search' }, onClick: clearSearch })));
    return;
  }

  const head = el('tr', {}, COLUMNS.map((col) => {
    const active = state.sort.key === col.key;
    const dir = active ? state.sort.dir : null;
    return el('th', {
      scope: 'col',
      class: col.cls,
      'aria-sort': active ? (dir === 'asc' ? 'ascending' : 'descending') : null,
    }, el('button', {
      type: 'button',
      class: ['sort-button', active ? `sorted-${dir}` : null],
      dataset: { sort: col.key },
      on: { click: () => setSort(col) },
    }, el('span', {}, col.label), el('span', { class: 'sort-indicator', 'aria-hidden': 'true' }, icon('chevron'))));
  }), el('th', { scope: 'col', class: 'col-actions' }, el('span', { class: 'visually-hidden' }, 'Actions')));

  const keyMissing = !!state.security && state.security.key_available === false;
  const body = el('tbody', {}, rows.slice(0, shown).map((c) => el('tr', {
    class: 'cred-row', tabindex: '-1', dataset: { id: c.id, type: c.type },
  },
  el('td', { class: 'cell-name' }, el('span', { class: 'cred-name' }, c.name)),
  el('td', { class: 'cell-type' }, c.type_label),
  // The badge sits in Details so the Name cell holds the name alone.
  el('td', { class: 'cell-details', title: c.summary || '' },
    c.needs_secret ? [el('span', { class: 'badge badge-warning needs-secret', title: 'A required secret is missing: edit the credential to add it' }, 'Needs secret'), ' '] : null,
    keyMissing && c.has_secrets ? [el('span', { class: 'badge badge-danger secret-unavailable', title: 'The key that opens this credential’s secrets is missing: see Security' }, 'Secret unavailable'), ' '] : null,
    c.summary || (c.needs_secret || (keyMissing && c.has_secrets) ? null : el('span', { class: 'muted' }, '—'))),
  el('td', { class: 'cell-updated' },
    el('time', { datetime: c.updated_at, title: fullTime(c.updated_at), class: 'reltime' }, relativeTime(c.updated_at))),
  el('td', { class: 'cell-actions' }, menuButton(`Actions for ${c.name}`, () => [
    { label: 'Edit', run: (b) => openEditCredentials(c, b) },
    COPY_USAGE_TYPES.has(c.type) ? { label: 'Copy usage', run: () => copyUsage() } : null,
    { label: 'Delete', run: (b) => deleteCredential(c, b) },
  ])))));

  const table = el('table', { class: 'cred-table', id: 'credentials-table' },
    el('caption', { class: 'visually-hidden' }, `Credentials of ${state.org.name}`),
    el('colgroup', {}, COLUMNS.map((col) => el('col', { class: col.cls })), el('col', { class: 'col-actions' })),
    el('thead', {}, head),
    body);
  const rest = rows.length - Math.min(shown, rows.length);
  const more = rest > 0
    ? el('div', { class: 'show-more' },
      el('span', { class: 'muted' }, `Showing ${shown} of ${rows.length}`),
      button(`Show ${Math.min(rest, PAGE)} more`, {
        kind: 'secondary',
        attrs: { id: 'show-more' },
        onClick: () => {
          shown += PAGE;
          renderTable();
          const next = document.getElementById('show-more');
          if (next) next.focus();
        },
      }))
    : null;
  replaceChildren(refs.area, el('div', { class: 'table-wrap' }, table), more);
}

// The "Secret unavailable" badges follow whether the key is there.
let keyWasAvailable = null;
onSecurityChange((sec) => {
  const now = sec.key_available !== false;
  if (now !== keyWasAvailable && refs && refs.area.isConnected && state.org) renderTable();
  keyWasAvailable = now;
});

/** Re-render relative times (called every minute). */
export function tickTimes() {
  for (const t of document.querySelectorAll('time.reltime')) setText(t, relativeTime(t.getAttribute('datetime')));
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
    onSaved: (summary) => afterSave(summary),
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
    onSaved: (summary) => afterSave(summary),
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

async function afterSave(summary) {
  clearError();
  await refreshList({ focusId: summary.id, highlight: true });
  reloadOrgInfo();
  toast(`Saved ${summary.name}`);
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
  const buttons = document.querySelectorAll('tr.cred-row .menu-button');
  if (buttons.length === 0) return refs.search;
  return buttons[Math.min(index, buttons.length - 1)];
}

function deleteCredential(c, opener) {
  const index = Array.from(document.querySelectorAll('tr.cred-row')).findIndex((r) => r.dataset.id === String(c.id));
  confirmDialog({
    title: `Delete credential “${c.name}”?`,
    paragraphs: [`${c.type_label} credential of ${state.org.name}. You can undo this right after.`],
    confirmLabel: 'Delete',
    destructive: true,
    className: 'delete-credential-dialog',
    returnFocus: () => (opener && opener.isConnected ? opener : rowMenuAt(Math.max(index, 0))),
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
