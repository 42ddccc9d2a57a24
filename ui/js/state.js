// Shared state of the window. Views read it; main.js and the views update it.

export const state = {
  status: null,          // app_status result
  security: null,        // SecurityStatus, or null when the database is not open
  types: [],             // [TypeSpec]
  orgs: [],              // [Organization]
  org: null,             // the open Organization, or null on the picker
  total: 0,              // credentials in state.org (from the last list window)
  matched: 0,            // of those, the ones Search matches
  search: '',
  sort: { key: 'name', dir: 'asc' },   // key: 'name' | 'type' | 'details' | 'updated'
};

export function typeById(id) {
  return state.types.find((t) => t.id === id) || null;
}

const securityListeners = new Set();

/** Store a SecurityStatus from Rust and tell whoever shows it. */
export function setSecurity(status) {
  if (!status || typeof status !== 'object') return;
  state.security = status;
  for (const listener of securityListeners) listener(status);
}

/** Call `listener(status)` after each setSecurity; returns the way to stop. */
export function onSecurityChange(listener) {
  securityListeners.add(listener);
  return () => securityListeners.delete(listener);
}

/** Types whose credentials can be used as "Authorization: Bearer" headers. */
export const COPY_USAGE_TYPES = new Set(['consumer_authentication', 'oauth2']);
export const USAGE_TEXT = 'Authorization: Bearer {$botContext.cidp_accessToken}';
