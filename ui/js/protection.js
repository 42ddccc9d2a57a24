// The three protection levels of the data key, in plain words, shared by
// the Security page, the About box and the unlock screen.

export const LEVELS = ['keyring', 'key_file', 'passphrase'];

const LABELS = {
  keyring: 'System keyring',
  key_file: 'Key file',
  passphrase: 'Master passphrase',
};

const IN_FORCE = {
  keyring: 'Protected by your system keyring',
  key_file: 'Protected by a key file',
  passphrase: 'Protected by your master passphrase',
};

/** "System keyring", "Key file", "Master passphrase". */
export function levelLabel(level) {
  return LABELS[level] || String(level || '');
}

/** What each choice of the Security page means, before it is chosen. */
export function levelHelp(level) {
  switch (level) {
    case 'keyring': return 'The key is kept in your system keyring and opens when you log in.';
    case 'key_file': return 'The key is kept in a file of its own, readable only by you.';
    case 'passphrase': return 'Secrets open only after you type your master passphrase.';
    default: return '';
  }
}

/** The protection in force as a heading: "Protected by your system keyring". */
export function inForce(sec) {
  return sec ? IN_FORCE[sec.protection] || levelLabel(sec.protection) : 'Unknown';
}

/** One line on what the protection in force protects against. */
export function protects(sec) {
  if (!sec) return '';
  switch (sec.protection) {
    case 'keyring':
      return 'The key is kept in your system keyring, unlocked when you log in. A copy of the database file alone reveals nothing.';
    case 'key_file':
      return `The key is in a file of its own at ${sec.key_file || 'the app’s keys folder'}. `
        + 'Back it up apart from the database; the database file alone reveals nothing.';
    case 'passphrase':
      return 'Secrets open only with your master passphrase. Nobody can read them from a copy of the database or its backups without it.';
    default:
      return '';
  }
}

/** The state beside the protection in the About box: "unlocked", "locked, key missing", or "". */
export function stateNote(sec) {
  if (!sec) return '';
  const parts = [];
  if (sec.protection === 'passphrase') parts.push(sec.locked ? 'locked' : 'unlocked');
  if (!sec.key_available) parts.push('key missing');
  return parts.join(', ');
}

/** Where the key goes when the passphrase is removed. */
export function afterRemoval(sec) {
  return sec && sec.keyring_available
    ? 'The key then moves to your system keyring.'
    : 'No system keyring answers on this computer, so the key then moves to a key file of its own.';
}

export const AUTO_LOCK_CHOICES = [null, 1, 5, 15, 30, 60];

export function autoLockLabel(minutes) {
  if (minutes === null || minutes === undefined) return 'Never';
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** True when the window holds the passphrase-protected key shut. */
export function isLocked(sec) {
  return !!sec && sec.protection === 'passphrase' && sec.locked === true;
}
