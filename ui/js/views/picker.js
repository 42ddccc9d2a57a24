// The start screen, in the shell of shell.js (Organizations, Security): one
// entry per organization (its credentials counted with the locale's
// thousands separators, the one opened last marked), Search by name, Add
// Organization, the organization menu (Rename, Delete with type-to-confirm,
// Undo toast), "Open the last organization at start" and, on a database
// without organizations, a short guide whose buttons do its three steps.

import * as api from '../api.js';
import { el, icon, button, replaceChildren, setText, named } from '../dom.js';
import { plural, count as formatCount, initials, fieldMessage, sentence } from '../format.js';
import { state } from '../state.js';
import { lastOrgId, reopenAtStart, setReopenAtStart } from '../prefs.js';
import { createModal } from './modal.js';
import { confirmDialog } from './confirm.js';
import { menuButton } from './menu.js';
import { toast, showError, clearError, undoToast } from './toast.js';
import { openExportDialog } from './export.js';
import { startImport } from './import.js';
import { shell } from './shell.js';
import { guideSteps } from './guide.js';
import { openAddCredentials } from './list.js';

let ctx = null; // main.js's ctx
/** What the picker's Search holds; kept while the picker is redrawn, cleared when an organization opens. */
let query = '';
/** The parts of the picker that Search redraws: { search, count, area }. */
let refs = null;

/** Load the organizations and render the picker into ctx.root. */
export async function showPicker(context, { focusOrgId = null } = {}) {
  ctx = context;
  try {
    state.orgs = await api.listOrganizations();
  } catch (err) {
    showError(err);
    state.orgs = [];
  }
  render(focusOrgId);
}

/** Ctrl+F on the picker: the focus in Search, its text selected. */
export function focusOrgSearch() {
  if (refs && refs.search && refs.search.isConnected) {
    refs.search.focus();
    refs.search.select();
  }
}

function orgButtonFor(id) {
  return document.querySelector(`.org-item[data-org-id="${CSS.escape(String(id))}"] .org-open`);
}

/** Search's rule, as the list's: the trimmed, lower-cased query within the name. */
function matches(org, q) {
  return String(org.name).toLowerCase().includes(q);
}

function openOrg(org) {
  query = '';
  ctx.openOrg(org);
}

function orgEntry(org, last) {
  const isLast = org.id === last;
  return el('li', { class: ['org-item', isLast ? 'org-last' : null], dataset: { orgId: org.id } },
    el('button', {
      type: 'button',
      class: 'org-open',
      on: { click: () => openOrg(org) },
    },
    el('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(org.name)),
    el('span', { class: 'org-text' },
      el('span', { class: 'org-name' }, org.name),
      el('span', { class: 'org-count' }, plural(org.credential_count, 'credential'))),
    isLast ? el('span', { class: 'badge badge-muted org-last-badge' }, 'Last opened') : null,
    icon('chevron', 'org-chevron')),
    menuButton(`Actions for ${org.name}`, () => [
      { label: 'Rename', run: () => openOrgNameDialog(org) },
      { label: 'Delete', run: () => deleteOrganization(org) },
    ]));
}

/** The list, or "no match", for what Search holds; and the count line. */
function renderEntries() {
  const q = query.trim().toLowerCase();
  const shown = q ? state.orgs.filter((o) => matches(o, q)) : state.orgs;
  const total = state.orgs.length;
  setText(refs.count, q ? `${formatCount(shown.length)} of ${formatCount(total)}` : plural(total, 'organization'));
  if (shown.length === 0) {
    replaceChildren(refs.area, el('div', { class: 'empty-state no-match', id: 'orgs-no-match' },
      el('div', { class: 'empty-icon' }, icon('search')),
      el('p', { class: 'empty-text' }, `No organizations match “${query.trim()}”`),
      button('Clear search', { kind: 'secondary', attrs: { id: 'clear-org-search' }, onClick: clearSearch })));
    return;
  }
  const last = lastOrgId();
  replaceChildren(refs.area, el('ul', { class: 'org-list', id: 'org-list', 'aria-label': 'Organizations' },
    shown.map((org) => orgEntry(org, last))));
}

function clearSearch() {
  query = '';
  refs.search.value = '';
  renderEntries();
  refs.search.focus();
}

/** Search, the count and "Open the last organization at start", above and below the list. */
function listParts() {
  const search = el('input', {
    type: 'search', id: 'org-search', class: 'input search-input', autocomplete: 'off',
    spellcheck: 'false', placeholder: 'Organization name', title: 'Search (Ctrl+F)', value: query,
  });
  search.addEventListener('input', () => { query = search.value; renderEntries(); });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && search.value) { e.preventDefault(); clearSearch(); }
  });
  const countLine = el('p', { class: 'result-count', id: 'org-count', 'aria-live': 'polite' });
  const area = el('div', { class: 'org-area', id: 'org-area' });
  refs = { search, count: countLine, area };

  const reopen = el('input', { type: 'checkbox', id: 'reopen-last', class: 'checkbox', checked: reopenAtStart() });
  reopen.addEventListener('change', () => setReopenAtStart(reopen.checked));
  const toolbar = el('div', { class: 'toolbar' },
    el('div', { class: 'search-box' },
      el('label', { for: search.id, class: 'search-label' }, 'Search'),
      el('div', { class: 'search-field' }, icon('search', 'search-icon'), search)),
    countLine);
  const foot = el('div', { class: 'picker-foot check-row' },
    reopen, el('label', { for: reopen.id }, 'Open the last organization at start'));
  return [toolbar, area, foot];
}

/** A fresh database: what to do first, each step a button that does it. */
function firstRunGuide() {
  return el('section', { class: 'empty-state guide', id: 'orgs-empty', 'aria-labelledby': 'orgs-empty-title' },
    el('div', { class: 'empty-icon' }, icon('building')),
    el('h2', { class: 'empty-title', id: 'orgs-empty-title' }, 'No organizations yet'),
    el('p', { class: 'empty-text' }, 'There are no organizations yet. Three ways to start:'),
    guideSteps('guide-step', [
      {
        title: 'Add an organization',
        text: 'An organization holds the credentials its bots use, as in Bot Accounts.',
        action: button('Add Organization', {
          kind: 'primary', iconName: 'plus',
          attrs: { id: 'empty-add-organization' },
          onClick: () => openOrgNameDialog(),
        }),
      },
      {
        title: 'Add a credential',
        text: 'Name the organization it belongs to, then give the credential a name, an Authentication Type and its fields.',
        action: button('Add a credential', {
          kind: 'secondary', iconName: 'key',
          attrs: { id: 'guide-add-credential' },
          onClick: () => openOrgNameDialog(null, { thenAddCredential: true }),
        }),
      },
      {
        title: 'Import a file',
        text: 'Bring in the credentials a teammate exported, or your own backup: the preview shows what changes before anything is written.',
        action: button('Import a file', {
          kind: 'secondary', iconName: 'upload',
          attrs: { id: 'guide-import' },
          onClick: () => importFile(),
        }),
      },
    ]));
}

function render(focusOrgId) {
  const hadSearchFocus = !!refs && document.activeElement === refs.search;
  const caret = hadSearchFocus ? [refs.search.selectionStart, refs.search.selectionEnd] : null;
  const addButton = button('Add Organization', {
    kind: 'primary', iconName: 'plus',
    attrs: { id: 'add-organization', title: 'Add Organization (Ctrl+N)' },
    onClick: () => openOrgNameDialog(),
  });

  const transferButtons = el('div', { class: 'head-actions' },
    button('Import', {
      kind: 'secondary',
      attrs: { id: 'import-button', title: 'Import credentials from an export file' },
      onClick: () => importFile(),
    }),
    state.orgs.length > 0 ? button('Export all', {
      kind: 'secondary',
      attrs: { id: 'export-all-button', title: 'Export the credentials of every organization' },
      onClick: () => openExportDialog(null, { count: state.orgs.length }),
    }) : null,
    addButton);

  let content;
  if (state.orgs.length === 0) {
    refs = null;
    query = '';
    content = firstRunGuide();
  } else {
    content = listParts();
  }

  const main = el('main', { id: 'main', class: 'content', tabindex: '-1' },
    el('div', { class: 'picker' },
      el('div', { class: 'page-head' },
        el('div', { class: 'page-head-text' },
          el('h1', { class: 'page-title' }, 'Organizations'),
          el('p', { class: 'page-desc' }, 'Choose an organization to manage the credentials its bots use.')),
        transferButtons),
      content));
  const page = shell(ctx, { org: null, current: 'organizations', main, onSame: () => showPicker(ctx) });

  replaceChildren(ctx.root, page);
  if (refs) renderEntries();
  if (hadSearchFocus && refs) {
    refs.search.focus();
    refs.search.setSelectionRange(caret[0], caret[1]);
  } else if (focusOrgId !== null) {
    const b = orgButtonFor(focusOrgId);
    if (b) b.focus();
  }
}

function importFile() {
  startImport({
    onImported: async () => {
      clearError();
      if (state.org !== null) return;
      await showPicker(ctx);
      const b = document.getElementById('import-button');
      if (b) b.focus();
    },
  });
}

/**
 * Add Organization (no org) or Rename (org given). `thenAddCredential`: the
 * first-run guide's "Add a credential": once created, the organization opens
 * with its Add Credentials dialog.
 */
export function openOrgNameDialog(org = null, { thenAddCredential = false } = {}) {
  const renaming = org !== null;
  const modal = createModal({ title: renaming ? 'Edit Organization' : 'Add Organization', className: 'org-dialog' });
  if (thenAddCredential) modal.setSubtitle('A credential belongs to an organization: name that first.');
  const inputId = 'org-name';
  const errorId = `${inputId}-error`;
  const input = el('input', {
    type: 'text', id: inputId, name: 'name', class: 'input', autocomplete: 'off',
    'aria-required': 'true', value: renaming ? org.name : '',
  });
  const fieldError = el('p', { class: 'field-msg field-error', id: errorId, hidden: true });
  const setFieldError = (message) => {
    fieldError.textContent = message || '';
    fieldError.hidden = !message;
    if (message) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', errorId);
    } else {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    }
  };
  input.addEventListener('input', () => { if (!fieldError.hidden) setFieldError(null); });

  modal.body.append(el('div', { class: 'field', dataset: { field: 'name' } },
    el('label', { for: inputId, class: 'field-label' }, 'Name', el('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    input, fieldError));
  modal.footer.append(
    el('div', { class: 'footer-spacer' }),
    button('Cancel', { onClick: () => modal.cancel(), attrs: { class: 'cancel-button' } }),
    button(renaming ? 'Save' : 'Create', { kind: 'primary', type: 'submit', attrs: { class: 'submit-button' } }));

  let savedId = null;
  modal.returnFocus = () => (savedId !== null ? orgButtonFor(savedId) : null);
  modal.onSubmit = async () => {
    modal.setError(null);
    setFieldError(null);
    let result;
    try {
      result = renaming ? await api.renameOrganization(org.id, input.value) : await api.createOrganization(input.value);
    } catch (err) {
      const onName = (err.problems || []).filter((p) => String(p.field).split(/[.[]/)[0] === 'name');
      const other = (err.problems || []).filter((p) => !onName.includes(p));
      if (onName.length) setFieldError(onName.map((p) => fieldMessage('Name', p.message)).join(' '));
      else if (err.kind === 'validation' || err.kind === 'conflict') setFieldError(sentence(err.message));
      else modal.setError(sentence(err.message));
      if (other.length) modal.setError(other.map((p) => (p.field ? `${p.field}: ${p.message}` : sentence(p.message))));
      input.focus();
      return;
    }
    savedId = result.id;
    clearError();
    // A new organization shows even when Search would hide it.
    if (!renaming) query = '';
    if (thenAddCredential) {
      modal.close(true);
      toast(named`Created ${result.name}`);
      await ctx.openOrg(result);
      openAddCredentials();
      return;
    }
    await showPicker(ctx);
    modal.close(true);
    toast(renaming ? named`Renamed to ${result.name}` : named`Created ${result.name}`);
  };
  modal.open(input);
  if (renaming) input.select();
  return modal;
}

function deleteOrganization(org) {
  const opener = document.activeElement;
  const index = state.orgs.findIndex((o) => o.id === org.id);
  const nextFocus = () => {
    const buttons = document.querySelectorAll('.org-item .org-open');
    if (buttons.length === 0) return document.getElementById('add-organization');
    return buttons[Math.min(Math.max(index, 0), buttons.length - 1)];
  };
  const count = org.credential_count;
  const paragraphs = count > 0
    ? [`Its ${plural(count, 'credential')} will be deleted too.`, 'You can undo this right after.']
    : ['It has no credentials. You can undo this right after.'];
  confirmDialog({
    title: named`Delete organization “${org.name}”?`,
    paragraphs,
    confirmLabel: 'Delete',
    destructive: true,
    typeToConfirm: count > 0 ? org.name : null,
    typeLabel: 'Type the organization name to confirm',
    className: 'delete-org-dialog',
    returnFocus: () => (opener && opener.isConnected ? opener : nextFocus()),
    action: async () => {
      const res = await api.deleteOrganization(org.id);
      clearError();
      await showPicker(ctx);
      undoToast(res.name || org.name, res.undo_token, async () => {
        if (state.org === null && ctx) await showPicker(ctx, { focusOrgId: org.id });
      });
    },
  });
}
