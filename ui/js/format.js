// Small text formatters.

/**
 * Numbers in the user's language. A desktop without one (LANG=C, "POSIX")
 * would write 1234 without a separator: then en-US's grouping is used.
 */
function numberFormat() {
  const wanted = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language])
    .filter((l) => typeof l === 'string' && l !== '' && !/^(c|posix)([._-]|$)/i.test(l));
  try {
    const format = new Intl.NumberFormat(wanted.length ? wanted : ['en-US']);
    if (!/-u-va-posix/i.test(format.resolvedOptions().locale)) return format;
  } catch { /* a tag Intl does not know: en-US below */ }
  return new Intl.NumberFormat('en-US');
}

const NUMBERS = numberFormat();

/** A count as the user's locale writes it, thousands separated: "12,345". */
export function count(n) {
  const v = Number(n);
  return Number.isFinite(v) ? NUMBERS.format(v) : String(n);
}

/** "1 credential", "12,345 credentials". */
export function plural(n, one, many = `${one}s`) {
  return `${count(n)} ${Number(n) === 1 ? one : many}`;
}

/** "just now", "2 min ago", "3 h ago", "yesterday", "5 days ago", or a date. */
export function relativeTime(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso || '';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 30) return `${d} days ago`;
  return new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Full local timestamp for a title attribute, with the UTC value. */
export function fullTime(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso || '';
  const local = new Date(t).toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  return `${local} (${iso})`;
}

/** "1.5 MB" style sizes. */
export function bytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Two-letter initials for an avatar (decorative). */
export function initials(name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const chars = words.length === 1 ? Array.from(words[0]).slice(0, 2) : [Array.from(words[0])[0], Array.from(words[1])[0]];
  return chars.join('').toUpperCase();
}

/** The text with its first letter upper-cased (Rust's messages start lowercase). */
export function sentence(text) {
  const s = text == null ? '' : String(text);
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

/** Verbs a Rust message may start with, and their plural forms. */
const PREDICATES = { is: 'are', are: 'are', has: 'have', does: 'do', contains: 'contain' };

/**
 * A problem's message as shown beside its field. A message that starts with
 * a verb gets the field's label in front ("is required" → "Client ID is
 * required", "has no client_id parameter" → "Authentication URL has no
 * client_id parameter", "Credentials are required"); anything else gets a
 * capital first letter ("must not be empty" → "Must not be empty").
 */
export function fieldMessage(label, message) {
  const m = message == null ? '' : String(message);
  const verb = (/^([a-z]+)\s/.exec(m) || [])[1];
  if (label && verb && Object.prototype.hasOwnProperty.call(PREDICATES, verb)) {
    const plural = /[^s]s$/.test(label);
    return `${label} ${plural ? PREDICATES[verb] + m.slice(verb.length) : m}`;
  }
  return sentence(m);
}

/** "expires in 53 min", "expires in 2 h", "expires in 3 days", "expires in less than a minute". */
export function expiresIn(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.floor((t - now) / 1000);
  if (s < 60) return 'expires in less than a minute';
  const m = Math.floor(s / 60);
  if (m < 60) return `expires in ${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `expires in ${h} h`;
  return `expires in ${Math.floor(h / 24)} days`;
}

/**
 * What the list says about an OAuth 2.0 credential's Authorization
 * ({ state, expires_at, refreshable, error }): { text, tone: ok|warn|bad|none }.
 * An authorized token whose expiry has passed since it was listed reads Expired.
 */
export function authorizationText(a, now = Date.now()) {
  if (!a || a.state === 'not_authorized') return { text: 'Not authorized', tone: 'none' };
  if (a.state === 'failed') return { text: `Authorization failed: ${a.error || 'no reason given'}`, tone: 'bad' };
  const past = a.expires_at && !(Date.parse(a.expires_at) > now);
  if (a.state === 'expired' || past) return { text: 'Expired', tone: 'warn' };
  return { text: a.expires_at ? `Authorized · ${expiresIn(a.expires_at, now)}` : 'Authorized', tone: 'ok' };
}

/**
 * A Consumer Authentication link's check (LinkReport) in one sentence:
 * "Reachable: 200 from accounts.example.com (TLS valid), 2 redirects" or "Not reachable: …".
 */
export function linkReportText(r) {
  const redirects = r.redirects === 1 ? ', 1 redirect' : r.redirects > 1 ? `, ${r.redirects} redirects` : '';
  let tls = '';
  if (r.tls === 'valid') tls = ' (TLS valid)';
  else if (r.tls === 'not_used') tls = r.final_url && r.final_url.startsWith('http:') ? ' (no TLS)' : '';
  else if (r.tls && typeof r.tls === 'object' && 'invalid' in r.tls) tls = ` (TLS invalid: ${r.tls.invalid})`;
  const from = r.final_host ? ` from ${r.final_host}` : '';
  if (r.reachable) return `Reachable: ${r.status}${from}${tls}${redirects}`;
  if (r.problem) return `Not reachable: ${r.problem}${redirects}`;
  return `Not reachable: ${r.status ?? 'no answer'}${from}${tls}${redirects}`;
}
