// The credentials table's parts: its column headers (sort buttons with
// aria-sort), one row per credential (badges, an OAuth 2.0 credential's
// authorization under its details, row menu) and the row shown while a
// window of rows is on its way.

import { el, icon, setText } from '../dom.js';
import { relativeTime, fullTime, authorizationText } from '../format.js';
import { state, COPY_USAGE_TYPES } from '../state.js';
import { menuButton } from './menu.js';

/** `sort`: the key list_window sorts by. */
export const COLUMNS = [
  { sort: 'name', label: 'Name', cls: 'col-name' },
  { sort: 'type', label: 'Authentication Type', cls: 'col-type' },
  { sort: 'details', label: 'Details', cls: 'col-details' },
  { sort: 'updated', label: 'Last updated', cls: 'col-updated', firstDir: 'desc' },
];

/** The height of a row in px: `.cred-row` in table.css says the same. */
export const ROW_HEIGHT = 44;

/** The header row; `onSort(col)` when a column's button is clicked. */
export function headerRow(onSort) {
  return el('tr', { 'aria-rowindex': '1' }, COLUMNS.map((col) => el('th', { scope: 'col', class: col.cls, dataset: { sort: col.sort } },
    el('button', {
      type: 'button',
      class: 'sort-button',
      dataset: { sort: col.sort },
      on: { click: () => onSort(col) },
    }, el('span', {}, col.label), el('span', { class: 'sort-indicator', 'aria-hidden': 'true' }, icon('chevron'))))),
  el('th', { scope: 'col', class: 'col-actions' }, el('span', { class: 'visually-hidden' }, 'Actions')));
}

/** Marks the sorted column (aria-sort, the arrow) in `head`. */
export function showSort(head, sort) {
  for (const th of head.querySelectorAll('th[data-sort]')) {
    const active = th.dataset.sort === sort.key;
    const dir = active ? sort.dir : null;
    if (active) th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
    const b = th.querySelector('.sort-button');
    b.classList.remove('sorted-asc', 'sorted-desc');
    if (active) b.classList.add(`sorted-${dir}`);
  }
}

/** The authorization line of an OAuth 2.0 row (text only; tickAuthorizations keeps it current). */
function authorizationLine(a) {
  const { text, tone } = authorizationText(a);
  const line = el('span', { class: ['auth-status', `auth-${tone}`], dataset: { auth: JSON.stringify(a || null) } }, text);
  return line;
}

/** Re-reads every shown authorization line against the clock (an expiry passes). */
export function tickAuthorizations() {
  for (const line of document.querySelectorAll('.auth-status[data-auth]')) {
    let a = null;
    try { a = JSON.parse(line.dataset.auth); } catch { continue; }
    const { text, tone } = authorizationText(a);
    setText(line, text);
    line.className = `auth-status auth-${tone}`;
  }
}

/** The row menu's entries for `c`. */
function menuEntries(c, actions) {
  const oauth = c.type === 'oauth2';
  const link = c.type === 'consumer_authentication';
  return [
    { label: 'Edit', run: (b) => actions.edit(c, b) },
    oauth ? { label: 'Authorize', run: () => actions.authorize(c) } : null,
    oauth && c.authorization && c.authorization.refreshable ? { label: 'Refresh token', run: () => actions.refresh(c) } : null,
    link ? { label: 'Test link', run: () => actions.testLink(c) } : null,
    link ? { label: 'Check', run: () => actions.check(c) } : null,
    COPY_USAGE_TYPES.has(c.type) ? { label: 'Copy usage', run: () => actions.copyUsage() } : null,
    { label: 'Delete', run: (b) => actions.remove(c, b) },
  ];
}

/**
 * One credential's row.
 * @param {object} c CredentialSummary
 * @param {{ edit, copyUsage, remove, authorize, refresh, testLink, check }} actions
 */
export function credentialRow(c, actions) {
  const keyMissing = !!state.security && state.security.key_available === false;
  const unavailable = keyMissing && c.has_secrets;
  const oauth = c.type === 'oauth2';
  const auth = oauth ? authorizationText(c.authorization) : null;
  const details = [
    c.needs_secret ? [el('span', { class: 'badge badge-warning needs-secret', title: 'A required secret is missing: edit the credential to add it' }, 'Needs secret'), ' '] : null,
    unavailable ? [el('span', { class: 'badge badge-danger secret-unavailable', title: 'The key that opens this credential’s secrets is missing: see Security' }, 'Secret unavailable'), ' '] : null,
    c.summary || (c.needs_secret || unavailable ? null : el('span', { class: 'muted' }, '—')),
  ];
  return el('tr', { class: 'cred-row', tabindex: '-1', dataset: { id: c.id, type: c.type } },
    el('td', { class: 'cell-name', title: c.name }, el('span', { class: 'cred-name' }, c.name)),
    el('td', { class: 'cell-type' }, c.type_label),
    // The badges sit in Details so the Name cell holds the name alone; an
    // OAuth 2.0 row says under its details whether it is authorized.
    oauth
      ? el('td', { class: 'cell-details cell-two-lines', title: [c.summary, auth.text].filter(Boolean).join('\n') },
        el('span', { class: 'details-line' }, details), authorizationLine(c.authorization))
      : el('td', { class: 'cell-details', title: c.summary || '' }, details),
    el('td', { class: 'cell-updated' },
      el('time', { datetime: c.updated_at, title: fullTime(c.updated_at), class: 'reltime' }, relativeTime(c.updated_at))),
    el('td', { class: 'cell-actions' }, menuButton(`Actions for ${c.name}`, () => menuEntries(c, actions))));
}

/** A row whose credential is still loading. */
export function loadingRow() {
  return el('tr', { class: 'cred-row row-loading', 'aria-busy': 'true' },
    el('td', { class: 'cell-name' }, el('span', { class: 'muted' }, 'Loading…')),
    el('td', {}), el('td', {}), el('td', {}), el('td', { class: 'cell-actions' }));
}
