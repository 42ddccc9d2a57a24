// Light and dark themes. "System" (the default) follows the desktop's
// prefers-color-scheme, also when it changes while the window is open;
// "Light" and "Dark" hold whatever the desktop says. The choice is kept in
// the web view's local storage, so it is there after a restart. The colors
// themselves are CSS variables keyed on <html data-theme> (app.css);
// theme-boot.js applies the stored choice before the first paint.

const KEY = 'bot-credentials.theme';
export const THEMES = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

const media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
const listeners = new Set();

function stored() {
  let v = null;
  try { v = window.localStorage.getItem(KEY); } catch { v = null; }
  return v === 'light' || v === 'dark' ? v : 'system';
}

let chosen = stored();

/** 'system' | 'light' | 'dark', as chosen (System when nothing valid is stored). */
export function themeChoice() {
  return chosen;
}

/** 'light' | 'dark': the theme shown now. */
export function shownTheme() {
  return document.documentElement.getAttribute('data-theme') === 'dark' ? 'dark' : 'light';
}

function apply() {
  const choice = themeChoice();
  const dark = choice === 'dark' || (choice === 'system' && !!media && media.matches);
  const root = document.documentElement;
  root.setAttribute('data-theme', dark ? 'dark' : 'light');
  root.setAttribute('data-theme-choice', choice);
  for (const listener of listeners) listener(choice);
}

/** Remembers `choice` ('system' | 'light' | 'dark') and shows it at once. */
export function setTheme(choice) {
  const value = THEMES.some((t) => t.value === choice) ? choice : 'system';
  chosen = value;
  try {
    if (value === 'system') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, value);
  } catch { /* storage refused: the choice still holds until the window closes */ }
  apply();
}

/** Calls `listener(choice)` after each change (another switch shows it). */
export function onThemeChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (media) {
  const follow = () => { if (themeChoice() === 'system') apply(); };
  if (typeof media.addEventListener === 'function') media.addEventListener('change', follow);
  else if (typeof media.addListener === 'function') media.addListener(follow);
}
apply();
