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
/** Changes when another program commits to the database (the terminal, another window). */
export const outsideChanges = () => call('outside_changes');
export const credentialTypes = () => call('credential_types');

export const listOrganizations = () => call('list_organizations');
export const createOrganization = (name) => call('create_organization', { name });
export const renameOrganization = (id, name) => call('rename_organization', { id, name });
export const deleteOrganization = (id) => call('delete_organization', { id });

/**
 * One window of the organization's list, searched and sorted in Rust:
 * { total, matched, offset, rows: [CredentialSummary], focus_index }.
 * `query`: { search, sort: 'name'|'type'|'details'|'updated', dir: 'asc'|'desc', offset, limit, focus: id|null }.
 */
export const listWindow = (orgId, query) => call('list_window', { orgId, query });
export const checkCredential = (orgId, credentialId, draft, step) =>
  call('check_credential', { orgId, credentialId: credentialId ?? null, draft, step });
export const createCredential = (orgId, draft) => call('create_credential', { orgId, draft });
export const getCredential = (id) => call('get_credential', { id });
/** `removeSecrets`: optional secrets whose stored value goes (an empty field keeps it). */
export const updateCredential = (id, draft, removeSecrets = []) =>
  call('update_credential', { id, draft, removeSecrets });
export const deleteCredential = (id) => call('delete_credential', { id });

export const undoDelete = (token) => call('undo_delete', { token });

// ---- sealed secrets (issue #8) ----

/** SecurityStatus: protection, locked, key_available, key_problem, key_file, database_id, ... */
export const securityStatus = () => call('security_status');
/** Rejects with kind `wrong_passphrase` when the passphrase does not open the key. */
export const unlock = (passphrase) => call('unlock', { passphrase });
export const lock = () => call('lock');
export const setPassphrase = (passphrase) => call('set_passphrase', { passphrase });
export const changePassphrase = (current, passphrase) => call('change_passphrase', { current, passphrase });
/** The key moves to the keyring where one answers, else to a key file. */
/** `level`: "keyring" | "key_file" | null (the keyring where one answers, else a key file). */
export const removePassphrase = (current, level = null) => call('remove_passphrase', { current, level });
/** `level`: "keyring" | "key_file" (from a passphrase, use removePassphrase). */
export const setProtection = (level) => call('set_protection', { level });
/** `minutes`: a number, or null for never. */
export const setAutoLock = (minutes) => call('set_auto_lock', { minutes: minutes ?? null });
/** { checked, problems: [{ organization, credential, field, message }] } */
export const verifySecrets = () => call('verify_secrets');

// ---- export and import (Rust opens the native save/open dialogs) ----

/**
 * `null` when the save dialog was cancelled, else
 * { path, organizations, credentials, secrets_included, encrypted }.
 * `encryption`: null, { passphrase } or { recipients: [age1…] } (implies secrets included).
 */
export const exportFile = (orgId, includeSecrets, { encryption = null, armor = false } = {}) =>
  call('export_file', {
    orgId: orgId ?? null,
    includeSecrets: includeSecrets === true || encryption !== null,
    encryption,
    armor: encryption !== null && armor === true,
  });
/** `null` when the open dialog was cancelled, else ImportOpened { file_name, encryption, needs_passphrase, preview }. */
export const chooseImportFile = (onConflict = 'fail') => call('choose_import_file', { onConflict });
/** ImportOpened for the already chosen encrypted file; `passphrase` null tries this installation's key again. */
export const openEncryptedImport = (passphrase, onConflict = 'fail') =>
  call('open_encrypted_import', { passphrase: passphrase ?? null, onConflict });
/** Rust asks for an age identity file and opens the chosen import file with it: `null` when cancelled, else ImportOpened. */
export const chooseIdentityFile = (onConflict = 'fail') => call('choose_identity_file', { onConflict });
export const previewImport = (onConflict) => call('preview_import', { onConflict });
/** For a chosen Postman collection: Rust asks for an environment file; `null` when cancelled, else { file_name, name, variables }. */
export const choosePostmanEnvironment = () => call('choose_postman_environment');
/** ImportPreview of the chosen Postman collection into `organization`, with the chosen environment when `environment`. */
export const openPostmanImport = (organization, environment, onConflict = 'fail') =>
  call('open_postman_import', { organization, environment, onConflict });

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

// ---- Authorize (issue #10): OAuth 2.0 tokens, Consumer Authentication links ----
// Network errors come with kind offline | timeout | cancelled | provider |
// state_mismatch | tls | listener | protocol, and a plain message.

/** { port, redirect_uri, default_port }: the loopback redirect URI Authorize listens on. */
export const oauthSettings = () => call('oauth_settings');
/** `port`: 1024 to 65535; resolves to the new { port, redirect_uri, default_port }. */
export const setOauthPort = (port) => call('set_oauth_port', { port });
/**
 * Authorization { state, expires_at, refreshable, error, updated_at }. Authorization Code
 * waits for the browser (up to 300 s); cancelAuthorization() stops it (kind `cancelled`).
 */
export const authorizeCredential = (id) => call('authorize_credential', { id });
/** true when an authorization or refresh was in progress. */
export const cancelAuthorization = () => call('cancel_authorization');
export const refreshToken = (id) => call('refresh_token', { id });
/** LinkReport { reachable, status, final_url, final_host, redirects, tls, problem }. */
export const checkLink = (id) => call('check_link', { id });
/** Opens a Consumer Authentication link in the system browser. */
export const openLink = (id) => call('open_link', { id });

// ---- the About box (issue #12) ----

/**
 * { version, database_path, database_folder, protection, security }: protection is the level
 * ("keyring" | "key_file" | "passphrase"), security the whole SecurityStatus; both null without a database.
 */
export const about = () => call('about');
/** Opens the database's folder in the file manager; resolves to the folder's path. */
export const openDatabaseFolder = () => call('open_database_folder');
