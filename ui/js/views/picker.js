// The start screen, in the shell of shell.js (Organizations, Security): one
// entry per organization, Add Organization, and the organization menu
// (Rename, Delete with type-to-confirm, Undo toast).

import * as api from '../api.js';
import { el, icon, button, replaceChildren } from '../dom.js';
import { plural, initials, fieldMessage, sentence } from '../format.js';
import { state } from '../state.js';
import { createModal } from './modal.js';
import { confirmDialog } from './confirm.js';
import { menuButton } from './menu.js';
import { toast, showError, clearError, undoToast } from './toast.js';
import { openExportDialog } from './export.js';
import { startImport } from './import.js';
import { shell } from './shell.js';

let ctx = null; // main.js's ctx

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

function orgButtonFor(id) {
  return document.querySelector(`.org-item[data-org-id="${CSS.escape(String(id))}"] .org-open`);
}

function render(focusOrgId) {
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
    content = el('div', { class: 'empty-state', id: 'orgs-empty' },
      el('div', { class: 'empty-icon' }, icon('building')),
      el('h2', { class: 'empty-title' }, 'No organizations yet'),
      el('p', { class: 'empty-text' }, 'There are no organizations yet. Add one to start managing its bot credentials.'),
      button('Add Organization', {
        kind: 'secondary', iconName: 'plus',
        attrs: { id: 'empty-add-organization' },
        onClick: () => openOrgNameDialog(),
      }));
  } else {
    content = el('ul', { class: 'org-list', id: 'org-list', 'aria-label': 'Organizations' },
      state.orgs.map((org) => el('li', { class: 'org-item', dataset: { orgId: org.id } },
        el('button', {
          type: 'button',
          class: 'org-open',
          on: { click: () => ctx.openOrg(org) },
        },
        el('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(org.name)),
        el('span', { class: 'org-text' },
          el('span', { class: 'org-name' }, org.name),
          el('span', { class: 'org-count' }, plural(org.credential_count, 'credential'))),
        icon('chevron', 'org-chevron')),
        menuButton(`Actions for ${org.name}`, () => [
          { label: 'Rename', run: () => openOrgNameDialog(org) },
          { label: 'Delete', run: () => deleteOrganization(org) },
        ]))));
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
  if (focusOrgId !== null) {
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

/** Add Organization (no org) or Rename (org given). */
export function openOrgNameDialog(org = null) {
  const renaming = org !== null;
  const modal = createModal({ title: renaming ? 'Edit Organization' : 'Add Organization', className: 'org-dialog' });
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
    await showPicker(ctx);
    modal.close(true);
    toast(renaming ? `Renamed to ${result.name}` : `Created ${result.name}`);
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
    title: `Delete organization “${org.name}”?`,
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
