// Import: Rust opens the native open dialog and reads the file. An
// encrypted file first asks for its passphrase (or an age identity file). A
// file that cannot be imported at all gets the "Cannot import this file"
// dialog (its problems by JSON path); otherwise the Import preview shows what
// would happen, lets the user pick the conflict policy, and applies it with a
// progress bar. Nothing is written before Import is confirmed. A Postman
// collection first asks for the organization its credentials go to and,
// optionally, the environment file that fills its {{placeholders}}.

import * as api from '../api.js';
import { el, button, replaceChildren, setText } from '../dom.js';
import { plural, sentence } from '../format.js';
import { createModal } from './modal.js';
import { toast, showError } from './toast.js';
import { passphraseField } from './passphrase.js';
import { withUnlock, afterUnlock } from './unlock.js';
import { openPostmanDialog } from './postman.js';

export const POLICIES = [
  { value: 'fail', label: 'Fail', help: 'Import nothing while a credential in the file already exists.' },
  { value: 'skip', label: 'Skip', help: 'Keep the existing credentials; import only the new ones.' },
  { value: 'replace', label: 'Replace', help: 'Overwrite existing credentials with the ones in the file.' },
];
const ACTION_LABELS = { add: 'Add', replace: 'Replace', skip: 'Skip', conflict: 'Conflict' };
const MAX_ROWS = 500;

let choosing = false;

/** One problem as "<path>: <message>" (the message alone for the file as a whole). */
/** The problems a reply carries (the first 20), and a last item counting the rest. */
export function problemItems(problems, total, noun = 'problem') {
  const items = problems.map(problemItem);
  const more = (total || problems.length) - problems.length;
  if (more > 0) items.push(el('li', { class: 'problem-item problem-more' }, `… and ${more.toLocaleString('en-US')} more ${more === 1 ? noun : `${noun}s`}`));
  return items;
}

function problemItem(p) {
  const field = p && p.field ? String(p.field) : '';
  const message = p && p.message ? String(p.message) : '';
  return el('li', { class: 'problem-item' },
    field ? [el('code', { class: 'problem-path' }, field), ': ', message] : sentence(message));
}

export function baseName(path) {
  const parts = String(path || '').split(/[\\/]/);
  return parts[parts.length - 1] || String(path || '');
}

/**
 * Asks Rust for a file (native dialog) and shows the preview; an encrypted
 * file first asks for its passphrase or an identity file.
 * @param {object} o
 * @param {(report) => Promise<void>|void} o.onImported  refreshes the view after an import
 */
export async function startImport({ onImported }) {
  if (choosing) return;
  choosing = true;
  let opened;
  try {
    opened = await api.chooseImportFile('fail');
  } catch (err) {
    await openFailed(err, onImported);
    return;
  } finally {
    choosing = false;
  }
  if (!opened) return; // cancelled
  await continueWith(opened, onImported);
}

/** An ImportOpened: the preview, else what the encrypted file needs first. */
async function continueWith(opened, onImported) {
  if (opened.postman) {
    openPostmanDialog({ opened, onImported });
  } else if (opened.preview) {
    openPreview(opened.preview, 'fail', onImported);
  } else if (opened.encryption === 'recipients') {
    // Sealed to this installation's key, which is locked: unlock, then try it again.
    const locked = { kind: 'locked', message: 'Unlock to open this file: it is encrypted to your key.', problems: [] };
    let again;
    try {
      again = await afterUnlock(locked, () => api.openEncryptedImport(null, 'fail'));
    } catch (err) {
      await openFailed(err, onImported);
      return;
    }
    if (again && again.preview) openPreview(again.preview, 'fail', onImported);
  } else {
    openEncryptedDialog({ opened, onImported });
  }
}

/** A refusal while opening a file: its problems, the encrypted-file dialog, or the alert. */
async function openFailed(err, onImported) {
  if (err.kind === 'locked') {
    let opened;
    try {
      opened = await afterUnlock(err, () => api.openEncryptedImport(null, 'fail'));
    } catch (again) {
      if (again.kind === 'locked') showError(again);
      else await openFailed(again, onImported);
      return;
    }
    await continueWith(opened, onImported);
  } else if (err.kind === 'not_recipient') {
    openEncryptedDialog({ opened: { encryption: 'recipients', file_name: '' }, message: sentence(err.message), onImported });
  } else if (err.kind === 'validation' || err.kind === 'io') {
    showRejected(err);
  } else {
    showError(err);
  }
}

/**
 * "This file is encrypted with a passphrase" (Passphrase, Open) or, for a
 * file sealed to age public keys that are not ours, "Use an identity file…".
 */
function openEncryptedDialog({ opened, message = null, onImported }) {
  const forPassphrase = opened.encryption === 'passphrase';
  const modal = createModal({
    title: forPassphrase ? 'This file is encrypted with a passphrase' : 'This file is encrypted to age public keys',
    className: 'encrypted-import-dialog',
  });
  modal.dialog.id = 'encrypted-import-dialog';
  if (opened.file_name) modal.setSubtitle(baseName(opened.file_name));
  const intro = el('p', { class: 'confirm-text', id: 'encrypted-import-intro' }, forPassphrase
    ? 'Type the passphrase it was exported with. Nothing is imported before the preview.'
    : 'It opens with the age identity (secret key) of one of the keys it was encrypted to.');
  modal.dialog.setAttribute('aria-describedby', intro.id);
  const field = forPassphrase ? passphraseField({ label: 'Passphrase' }) : null;
  modal.body.append(intro);
  if (field) modal.body.append(el('div', { class: 'form-grid' }, field.node));
  if (message) modal.setError(message);

  // The primary button: Open (passphrase files) or Use an identity file… (recipient files).
  const primary = forPassphrase
    ? button('Open', { kind: 'primary', type: 'submit', attrs: { id: 'encrypted-import-open' } })
    : button('Use an identity file…', { kind: 'primary', type: 'submit', attrs: { id: 'import-identity' } });
  const cancelButton = button('Cancel', { attrs: { id: 'encrypted-import-cancel', class: 'cancel-button' }, onClick: () => modal.cancel() });
  modal.footer.append(el('div', { class: 'footer-spacer' }), cancelButton, primary);

  /** Runs `open` (a command giving ImportOpened or null), then the preview. */
  async function attempt(open) {
    modal.setError(null);
    let next;
    try {
      next = await open();
    } catch (err) {
      if (modal.closed) return;
      if (err.kind === 'wrong_passphrase' && field) {
        field.setError(sentence(err.message));
        field.input.focus();
        field.input.select();
      } else if (err.kind === 'validation' || err.kind === 'io') {
        modal.close(false);
        showRejected(err);
      } else {
        modal.setError(sentence(err.message));
        if (field) field.input.focus();
      }
      return;
    }
    if (modal.closed || next === null) return; // the identity file dialog was cancelled
    modal.close(true);
    await continueWith(next, onImported);
  }

  modal.onCancel = () => !modal.busy;
  modal.onSubmit = async () => {
    if (!forPassphrase) {
      await attempt(() => api.chooseIdentityFile('fail'));
      return;
    }
    if (!field.input.value) {
      field.setError('Type the passphrase of the file');
      field.input.focus();
      return;
    }
    await attempt(() => api.openEncryptedImport(field.input.value, 'fail'));
  };
  modal.open(field ? field.input : primary);
  return modal;
}

/** "Cannot import this file": every problem, nothing written. */
export function showRejected(err) {
  const problems = err.problems && err.problems.length ? err.problems : [{ field: '', message: err.message }];
  const total = Math.max(err.problem_count || 0, problems.length);
  const modal = createModal({ title: 'Cannot import this file', size: 'medium', alert: true, className: 'import-error-dialog' });
  modal.dialog.id = 'import-error-dialog';
  const intro = el('p', { class: 'confirm-text', id: 'import-error-intro' },
    `Nothing was imported. ${total === 1 ? 'The file has a problem:' : `The file has ${total.toLocaleString('en-US')} problems:`}`);
  const list = el('ul', { class: 'problem-list', id: 'import-error-list', 'aria-labelledby': intro.id, tabindex: '0' },
    problemItems(problems, total));
  modal.dialog.setAttribute('aria-describedby', intro.id);
  modal.body.append(intro, list);
  const close = button('Close', { kind: 'primary', type: 'submit', attrs: { id: 'import-error-close' } });
  modal.footer.append(el('div', { class: 'footer-spacer' }), close);
  modal.onSubmit = async () => modal.close(false);
  modal.open(close);
  return modal;
}

function countItem(key, label, value) {
  return el('div', { class: 'count-item', dataset: { count: key } },
    el('dt', { class: 'count-label' }, label),
    el('dd', { class: 'count-value' }, String(value)));
}

function credentialRow(c) {
  const action = String(c.action || '');
  return el('tr', { class: ['import-row', `import-${action}`], dataset: { action, path: c.path || '' } },
    el('td', { class: 'cell-org' }, c.organization),
    el('td', { class: 'cell-name' },
      el('span', { class: 'cred-name' }, c.name),
      c.needs_secret ? ' ' : null,
      c.needs_secret ? el('span', { class: 'badge badge-warning', title: 'The file has no value for a required secret: edit the credential after the import to add it' }, 'Needs secret') : null),
    el('td', { class: 'cell-type' }, c.type_label),
    el('td', { class: 'cell-action' },
      el('span', { class: ['action-badge', `action-${action}`] }, ACTION_LABELS[action] || action)));
}

/** The Import preview dialog for an already chosen file. */
export function openPreview(initial, initialPolicy, onImported) {
  const st = { preview: initial, policy: initialPolicy, seq: 0, loading: false, applying: false };
  const modal = createModal({ title: 'Import preview', size: 'large', className: 'import-dialog' });
  modal.dialog.id = 'import-preview-dialog';

  const fileName = el('span', { class: 'import-file-name', id: 'import-file-name' });
  const filePath = el('span', { class: 'import-file-path', id: 'import-file-path' });
  const fileLine = el('p', { class: 'import-file', id: 'import-file' }, 'File: ', fileName, ' ', filePath);
  const counts = el('dl', { class: 'import-counts', id: 'import-counts' });

  const select = el('select', { id: 'import-on-conflict', name: 'on_conflict', class: 'select', 'aria-describedby': 'import-on-conflict-help' },
    POLICIES.map((p) => el('option', { value: p.value, selected: p.value === st.policy }, p.label)));
  const policyHelp = el('p', { class: 'field-help', id: 'import-on-conflict-help' });
  const policyField = el('div', { class: 'field import-policy' },
    el('label', { for: select.id, class: 'field-label' }, 'When a credential already exists'),
    select, policyHelp);

  const problemsBox = el('section', { class: 'import-problems', id: 'import-problems', 'aria-labelledby': 'import-problems-title', hidden: true });
  // What a Postman collection left out (an auth type without a credential type, …).
  const notesBox = el('section', { class: 'import-notes', id: 'import-notes', 'aria-labelledby': 'import-notes-title', hidden: true });
  const blocked = el('p', { class: 'import-blocked', id: 'import-blocked', hidden: true });
  const tableArea = el('div', { class: 'import-table-area', id: 'import-table-area' });

  const progress = el('progress', { id: 'import-progress', class: 'import-progress-bar', max: '1' });
  const progressText = el('span', { class: 'import-progress-text', id: 'import-progress-text', 'aria-hidden': 'true' });
  const progressArea = el('div', { class: 'import-progress', id: 'import-progress-area', hidden: true },
    el('label', { for: progress.id, class: 'field-label' }, 'Importing…'), progress, progressText);

  const cancelButton = button('Cancel', { attrs: { id: 'import-cancel', class: 'cancel-button' }, onClick: () => modal.cancel() });
  const importButton = button('Import', { kind: 'primary', type: 'submit', attrs: { id: 'import-confirm' } });

  modal.body.append(fileLine, counts, policyField, problemsBox, blocked, notesBox, tableArea);
  modal.footer.append(progressArea, el('div', { class: 'footer-spacer' }), cancelButton, importButton);

  const report = () => st.preview.report || {};
  const problems = () => report().problems || [];
  const isBlocked = () => problems().length > 0;

  function updateButtons() {
    importButton.disabled = st.applying || st.loading || isBlocked();
    cancelButton.disabled = st.applying;
    select.disabled = st.applying;
    if (isBlocked() && !st.applying) importButton.setAttribute('aria-describedby', blocked.id);
    else importButton.removeAttribute('aria-describedby');
  }

  function renderBlocked() {
    const creds = report().credentials || [];
    const conflicts = creds.some((c) => c.action === 'conflict')
      || problems().some((p) => /already exists/i.test(String(p.message)));
    blocked.hidden = !isBlocked();
    setText(blocked, !isBlocked() ? ''
      : conflicts && st.policy === 'fail'
        ? 'Some credentials already exist. To import, pick Skip or Replace under “When a credential already exists”.'
        : 'Nothing can be imported while the file has problems. Fix the file and import it again.');
  }

  function render() {
    const r = report();
    const creds = r.credentials || [];
    const full = String(st.preview.file_name || '');
    setText(fileName, baseName(full));
    const dir = full.slice(0, Math.max(0, full.length - baseName(full).length)).replace(/[\\/]$/, '');
    setText(filePath, dir ? `in ${dir}` : '');
    fileName.title = full;

    replaceChildren(counts,
      countItem('organizations_added', 'Organizations to add', r.organizations_added || 0),
      countItem('added', 'Credentials to add', r.added || 0),
      countItem('replaced', 'Credentials to replace', r.replaced || 0),
      countItem('skipped', 'Credentials to skip', r.skipped || 0));

    setText(policyHelp, (POLICIES.find((p) => p.value === st.policy) || POLICIES[0]).help);
    if (select.value !== st.policy) select.value = st.policy;

    const list = problems();
    const total = Math.max(report().problem_count || 0, list.length);
    problemsBox.hidden = list.length === 0;
    replaceChildren(problemsBox,
      el('h3', { class: 'import-section-title', id: 'import-problems-title' }, `Problems (${total.toLocaleString('en-US')})`),
      el('ul', { class: 'problem-list', id: 'import-problem-list' }, problemItems(list, total)));
    renderBlocked();

    const notes = st.preview.notes || [];
    const noteTotal = Math.max(st.preview.note_count || 0, notes.length);
    notesBox.hidden = notes.length === 0;
    replaceChildren(notesBox, notes.length === 0 ? null : [
      el('h3', { class: 'import-section-title', id: 'import-notes-title' }, `Not imported (${noteTotal.toLocaleString('en-US')})`),
      el('ul', { class: 'problem-list', id: 'import-note-list' }, problemItems(notes, noteTotal, 'block')),
    ]);

    if (creds.length === 0) {
      replaceChildren(tableArea, el('p', { class: 'muted import-empty' }, 'The file has no credentials.'));
    } else {
      const shown = creds.slice(0, MAX_ROWS);
      replaceChildren(tableArea,
        el('h3', { class: 'import-section-title', id: 'import-credentials-title' }, `Credentials in the file (${creds.length})`),
        el('div', { class: 'import-table-wrap' },
          el('table', { class: 'import-table', id: 'import-credentials', 'aria-labelledby': 'import-credentials-title' },
            el('thead', {}, el('tr', {},
              ['Organization', 'Name', 'Authentication Type', 'Action'].map((h) => el('th', { scope: 'col' }, h)))),
            el('tbody', {}, shown.map(credentialRow)))),
        creds.length > shown.length
          ? el('p', { class: 'muted import-more' }, `… and ${creds.length - shown.length} more`)
          : null);
    }
    updateButtons();
  }

  select.addEventListener('change', async () => {
    const policy = select.value;
    st.seq += 1;
    const seq = st.seq;
    st.loading = true;
    updateButtons();
    let fresh;
    try {
      fresh = await withUnlock(() => api.previewImport(policy));
    } catch (err) {
      if (modal.closed || seq !== st.seq) return;
      st.loading = false;
      select.value = st.policy;
      modal.setError(sentence(err.message));
      updateButtons();
      return;
    }
    if (modal.closed || seq !== st.seq) return;
    st.loading = false;
    st.preview = fresh;
    st.policy = policy;
    modal.setError(null);
    render();
  });

  function onProgress({ done, total }) {
    if (modal.closed || typeof done !== 'number' || typeof total !== 'number') return;
    progress.max = Math.max(total, 1);
    progress.value = Math.min(done, Math.max(total, 1));
    setText(progressText, `${done} of ${total}`);
  }

  modal.onCancel = () => !st.applying;
  modal.onSubmit = async () => {
    if (isBlocked() || st.loading || st.applying) return;
    st.applying = true;
    modal.setError(null);
    progress.removeAttribute('value'); // indeterminate until the first message
    setText(progressText, '');
    progressArea.hidden = false;
    updateButtons();
    let done;
    try {
      done = await withUnlock(() => api.applyImport(st.policy, onProgress));
    } catch (err) {
      if (modal.closed) return;
      st.applying = false;
      progressArea.hidden = true;
      if (err.problems && err.problems.length) {
        // Something changed since the preview: preview again so the table
        // and counts match, keeping the problems that stopped the import.
        let fresh = null;
        try { fresh = await api.previewImport(st.policy); } catch { fresh = null; }
        if (modal.closed) return;
        const base = fresh || st.preview;
        const freshProblems = fresh && fresh.report && fresh.report.problems && fresh.report.problems.length;
        st.preview = freshProblems ? fresh : { ...base, report: { ...(base.report || {}), problems: err.problems, problem_count: err.problem_count } };
        render();
        modal.setError('Nothing was imported.');
      } else {
        modal.setError(`Nothing was imported. ${sentence(err.message)}`);
        updateButtons();
      }
      select.focus();
      return;
    }
    modal.close(true);
    const n = (done.added || 0) + (done.replaced || 0);
    const details = [
      done.replaced ? `${done.replaced} replaced` : null,
      done.skipped ? `${done.skipped} skipped` : null,
    ].filter(Boolean);
    toast(`Imported ${plural(n, 'credential')}${details.length ? ` (${details.join(', ')})` : ''}`);
    if (onImported) await onImported(done);
  };

  render();
  modal.open(isBlocked() ? select : importButton);
  return modal;
}
