// Shared state of the window. Views read it; main.js and the views update it.

export const state = {
  status: null,          // app_status result
  types: [],             // [TypeSpec]
  orgs: [],              // [Organization]
  org: null,             // the open Organization, or null on the picker
  credentials: [],       // [CredentialSummary] of state.org
  search: '',
  sort: { key: 'name', dir: 'asc' },
};

export function typeById(id) {
  return state.types.find((t) => t.id === id) || null;
}

/** Types whose credentials can be used as "Authorization: Bearer" headers. */
export const COPY_USAGE_TYPES = new Set(['consumer_authentication', 'oauth2']);
export const USAGE_TEXT = 'Authorization: Bearer {$botContext.cidp_accessToken}';
