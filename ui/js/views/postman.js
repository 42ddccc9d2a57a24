// Import of a Postman collection (issue #12): once the chosen file is
// recognised as one, "Import a Postman collection" asks for the
// organization its credentials go to (created when missing) and, optionally,
// the environment file that fills its {{placeholders}} (Rust opens the file
// dialog); Preview has Rust read it and opens the same Import preview as our
// own files. See docs/postman.md.

import * as api from '../api.js';
import { el, button, replaceChildren, setText } from '../dom.js';
import { plural, sentence, fieldMessage } from '../format.js';
import { createModal } from './modal.js';
import { withUnlock } from './unlock.js';
import { state } from '../state.js';
import { baseName, openPreview, problemItems } from './import.js';

/**
 * "Import a Postman collection": the organization (created when missing)
 * and an optional environment file; Preview reads the collection in Rust
 * and opens the same Import preview. Its problems (a placeholder nothing
 * defines, …) are listed here by their place in the collection, so an
 * environment can still be chosen.
 */
export function openPostmanDialog({ opened, onImported }) {
  const st = { environment: null };
  const modal = createModal({ title: 'Import a Postman collection', size: 'medium', className: 'postman-import-dialog' });
  modal.dialog.id = 'postman-import-dialog';
  modal.setSubtitle(baseName(opened.file_name));
  const collection = opened.postman.collection;
  const intro = el('p', { class: 'confirm-text', id: 'postman-import-intro' },
    `Each basic, bearer and OAuth 2.0 auth block of ${collection ? `“${collection}”` : 'the collection'} becomes a credential of the organization. Nothing is imported before the preview.`);
  modal.dialog.setAttribute('aria-describedby', intro.id);

  const orgInput = el('input', {
    id: 'postman-org', name: 'organization', type: 'text', class: 'input', autocomplete: 'off', spellcheck: 'false',
    list: 'postman-org-list', 'aria-required': 'true', 'aria-describedby': 'postman-org-help',
    value: state.org ? state.org.name : '',
  });
  const orgList = el('datalist', { id: 'postman-org-list' });
  api.listOrganizations().then((orgs) => replaceChildren(orgList, orgs.map((o) => el('option', { value: o.name })))).catch(() => {});
  const orgError = el('p', { class: 'field-msg field-error', id: 'postman-org-error', hidden: true });
  const orgField = el('div', { class: 'field' },
    el('label', { for: orgInput.id, class: 'field-label' }, 'Organization', el('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    orgInput, orgList, orgError,
    el('p', { class: 'field-help', id: 'postman-org-help' }, 'Created when there is none of that name.'));

  const envFile = el('span', { class: 'postman-env-file', id: 'postman-env-file' });
  const envChoose = button('Choose environment file…', { attrs: { id: 'postman-env-choose', 'aria-describedby': 'postman-env-file postman-env-help' } });
  const envRemove = button('Remove', { attrs: { id: 'postman-env-remove', 'aria-label': 'Remove the environment file' } });
  const envField = el('div', { class: 'field', role: 'group', 'aria-labelledby': 'postman-env-label' },
    el('span', { class: 'field-label', id: 'postman-env-label' }, 'Environment', el('span', { class: 'optional' }, ' (optional)')),
    el('div', { class: 'postman-env-row' }, envChoose, envFile, envRemove),
    el('p', { class: 'field-help', id: 'postman-env-help' }, 'A Postman environment export: its variables, secret ones too, fill the collection’s {{placeholders}}.'));

  const problemsBox = el('section', { class: 'import-problems', id: 'postman-problems', 'aria-labelledby': 'postman-problems-title', hidden: true });
  modal.body.append(intro, el('div', { class: 'form-grid' }, orgField, envField), problemsBox);
  const cancelButton = button('Cancel', { attrs: { id: 'postman-import-cancel', class: 'cancel-button' }, onClick: () => modal.cancel() });
  const previewButton = button('Preview', { kind: 'primary', type: 'submit', attrs: { id: 'postman-import-preview' } });
  modal.footer.append(el('div', { class: 'footer-spacer' }), cancelButton, previewButton);

  function renderEnvironment() {
    const e = st.environment;
    setText(envFile, e ? `${baseName(e.file_name)}${e.name ? ` (${e.name})` : ''} · ${plural(e.variables, 'variable')}` : 'No environment file');
    envRemove.hidden = !e;
  }

  function setOrgError(message) {
    setText(orgError, message || '');
    orgError.hidden = !message;
    if (message) {
      orgInput.setAttribute('aria-invalid', 'true');
      orgInput.setAttribute('aria-describedby', `${orgError.id} postman-org-help`);
    } else {
      orgInput.removeAttribute('aria-invalid');
      orgInput.setAttribute('aria-describedby', 'postman-org-help');
    }
  }

  function showProblems(err) {
    modal.setError(null);
    setOrgError(null);
    const all = err && err.kind === 'validation' && err.problems ? err.problems : [];
    const forOrg = all.filter((p) => p.field === 'organization');
    const rest = all.filter((p) => p.field !== 'organization');
    if (forOrg.length) setOrgError(fieldMessage('Organization', forOrg[0].message));
    const total = Math.max((err && err.problem_count) || 0, all.length) - forOrg.length;
    problemsBox.hidden = rest.length === 0;
    replaceChildren(problemsBox, rest.length === 0 ? null : [
      el('h3', { class: 'import-section-title', id: 'postman-problems-title' }, `Problems (${total.toLocaleString('en-US')})`),
      el('ul', { class: 'problem-list', id: 'postman-problem-list', tabindex: '0', 'aria-labelledby': 'postman-problems-title' }, problemItems(rest, total)),
    ]);
    if (all.length === 0 && err) modal.setError(sentence(err.message));
    else if (rest.length) modal.setError('Nothing can be imported while the collection has problems.');
  }

  function setBusy(busy) {
    modal.busy = busy;
    for (const b of [previewButton, envChoose, envRemove, cancelButton]) b.disabled = busy;
  }

  envChoose.addEventListener('click', async () => {
    setBusy(true);
    try {
      const chosen = await api.choosePostmanEnvironment();
      if (chosen) {
        st.environment = chosen;
        showProblems(null);
      }
    } catch (err) {
      if (!modal.closed) showProblems(err);
    } finally {
      setBusy(false);
    }
    if (modal.closed) return;
    renderEnvironment();
    envChoose.focus();
  });
  envRemove.addEventListener('click', () => {
    st.environment = null;
    renderEnvironment();
    envChoose.focus();
  });

  modal.onCancel = () => !modal.busy;
  // The modal is busy while this runs (it guards against a second submit).
  modal.onSubmit = async () => {
    const name = orgInput.value.trim();
    if (!name) {
      setOrgError('Type the name of the organization to import into');
      orgInput.focus();
      return;
    }
    setBusy(true);
    let preview;
    try {
      preview = await withUnlock(() => api.openPostmanImport(name, Boolean(st.environment), 'fail'));
    } catch (err) {
      if (modal.closed) return;
      setBusy(false);
      showProblems(err);
      (orgError.hidden ? previewButton : orgInput).focus();
      return;
    }
    if (modal.closed) return;
    modal.close(true);
    openPreview(preview, 'fail', onImported);
  };
  renderEnvironment();
  modal.open(orgInput);
  return modal;
}
