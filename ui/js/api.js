// The only module that talks to Rust. One async function per command of
// docs/commands.md. Every rejection is normalized to the error payload
// { kind, message, problems }.

function normalizeError(err) {
  if (err && typeof err === 'object' && typeof err.message === 'string') {
    return {
      kind: typeof err.kind === 'string' ? err.kind : 'unknown',
      message: err.message,
      problems: Array.isArray(err.problems) ? err.problems : [],
    };
  }
  if (typeof err === 'string') return { kind: 'unknown', message: err, problems: [] };
  return { kind: 'unknown', message: 'Something went wrong.', problems: [] };
}

async function call(command, args) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core || typeof tauri.core.invoke !== 'function') {
    throw { kind: 'unavailable', message: 'The app backend is not available.', problems: [] };
  }
  try {
    return await tauri.core.invoke(command, args);
  } catch (err) {
    throw normalizeError(err);
  }
}

export const appStatus = () => call('app_status');
export const credentialTypes = () => call('credential_types');

export const listOrganizations = () => call('list_organizations');
export const createOrganization = (name) => call('create_organization', { name });
export const renameOrganization = (id, name) => call('rename_organization', { id, name });
export const deleteOrganization = (id) => call('delete_organization', { id });

export const listCredentials = (orgId) => call('list_credentials', { orgId });
export const checkCredential = (orgId, credentialId, draft, step) =>
  call('check_credential', { orgId, credentialId: credentialId ?? null, draft, step });
export const createCredential = (orgId, draft) => call('create_credential', { orgId, draft });
export const getCredential = (id) => call('get_credential', { id });
/** `removeSecrets`: optional secrets whose stored value goes (an empty field keeps it). */
export const updateCredential = (id, draft, removeSecrets = []) =>
  call('update_credential', { id, draft, removeSecrets });
export const deleteCredential = (id) => call('delete_credential', { id });

export const undoDelete = (token) => call('undo_delete', { token });

// ---- export and import (Rust opens the native save/open dialogs) ----

/** `null` when the save dialog was cancelled, else { path, organizations, credentials, secrets_included }. */
export const exportFile = (orgId, includeSecrets) =>
  call('export_file', { orgId: orgId ?? null, includeSecrets: includeSecrets === true });
/** `null` when the open dialog was cancelled, else ImportPreview. */
export const chooseImportFile = (onConflict = 'fail') => call('choose_import_file', { onConflict });
export const previewImport = (onConflict) => call('preview_import', { onConflict });

/** Applies the chosen file; `onProgress({ done, total })` is called as it goes. */
export function applyImport(onConflict, onProgress) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core || typeof tauri.core.Channel !== 'function') {
    return Promise.reject({ kind: 'unavailable', message: 'The app backend is not available.', problems: [] });
  }
  const channel = new tauri.core.Channel();
  channel.onmessage = (message) => {
    if (onProgress && message && typeof message === 'object') onProgress(message);
  };
  return call('apply_import', { onConflict, onProgress: channel });
}
