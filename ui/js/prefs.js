// What the window remembers between runs besides the theme (theme.js): the
// organization opened last on each database, and whether to open it again
// at start. Kept in the web view's local storage, keyed by the database's
// path (two databases share the web view's storage). Nothing secret: an
// organization's id, a yes or no.

import { state } from './state.js';

const LAST_ORG = 'bot-credentials.last-org:';
const REOPEN = 'bot-credentials.reopen-last-org';

function get(key) {
  try { return window.localStorage.getItem(key); } catch { return null; }
}

function put(key, value) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch { /* storage refused: nothing is remembered */ }
}

const dbKey = () => LAST_ORG + String((state.status && state.status.db_path) || '');

/** The id of the organization opened last on this database, or null. */
export function lastOrgId() {
  const v = Number(get(dbKey()));
  return Number.isSafeInteger(v) && v > 0 ? v : null;
}

/** Notes that `org` was opened (or forgets it: null). */
export function rememberOrg(org) {
  put(dbKey(), org ? String(org.id) : null);
}

/** Whether the window opens the last organization at start instead of the picker. */
export function reopenAtStart() {
  return get(REOPEN) === '1';
}

export function setReopenAtStart(on) {
  put(REOPEN, on ? '1' : null);
}
