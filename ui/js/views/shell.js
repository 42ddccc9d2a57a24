// The window's frame around the picker, an organization's list and the
// Security page: a "Skip to content" link, the top bar, the left navigation
// and, at its foot, the Theme switch, Lock (with a passphrase, while
// unlocked) and About. The foot follows setSecurity, so Lock shows and goes
// as the window locks and unlocks.

import * as api from '../api.js';
import { el, icon, button, replaceChildren } from '../dom.js';
import { state, setSecurity, onSecurityChange } from '../state.js';
import { sentence } from '../format.js';
import { inForce, protects, stateNote, isLocked } from '../protection.js';
import { THEMES, themeChoice, setTheme, onThemeChange } from '../theme.js';
import { createModal } from './modal.js';
import { toast, showError } from './toast.js';

let ctx = null;

/**
 * @param {object} context   main.js's ctx (openOrg, backToPicker, openSecurity, lockNow, unlockHere)
 * @param {object} o
 * @param {object|null} o.org          the organization whose nav to show (Credentials), or null (Organizations)
 * @param {string} o.current           'organizations' | 'credentials' | 'security'
 * @param {Element} o.main             the <main id="main"> of the page
 * @param {Element} [o.orgTitle]       the top bar's organization name (list.js updates it)
 * @param {() => void} [o.onSame]      clicking the entry of the current page
 */
export function shell(context, { org = null, current, main, orgTitle = null, onSame = null }) {
  ctx = context;
  const title = org ? orgTitle || el('span', { class: 'topbar-org', id: 'org-title' }, org.name) : null;
  const go = (key, run) => (event) => {
    event.preventDefault();
    if (key === current && onSame) onSame();
    else if (key !== current) run();
  };
  const entry = (key, id, iconName, label, run) => el('li', {},
    el('a', {
      href: `#${key}`, class: 'nav-item', id, 'aria-current': key === current ? 'page' : null,
      on: { click: go(key, run) },
    }, icon(iconName), el('span', {}, label)));

  const entries = org
    ? [entry('credentials', 'nav-credentials', 'key', 'Credentials', () => ctx.openOrg(org))]
    : [entry('organizations', 'nav-organizations', 'building', 'Organizations', () => ctx.backToPicker())];
  entries.push(entry('security', 'nav-security', 'shield', 'Security', () => ctx.openSecurity()));

  const foot = el('div', { class: 'sidenav-foot', id: 'sidenav-foot' });
  renderFoot(foot);

  const skip = el('a', {
    href: '#main', class: 'skip-link', id: 'skip-to-content',
    on: {
      click: (event) => {
        event.preventDefault();
        main.focus();
      },
    },
  }, 'Skip to content');

  return el('div', { class: 'app-shell' },
    skip,
    el('header', { class: 'topbar' },
      el('div', { class: 'topbar-left' },
        el('span', { class: 'logo', 'aria-hidden': 'true' }, icon('key')),
        el('span', { class: 'brand-name' }, 'Bot Credentials'),
        org ? [el('span', { class: 'topbar-sep', 'aria-hidden': 'true' }, '/'), title] : null),
      org ? button('All organizations', {
        kind: 'ghost', iconName: 'back',
        attrs: { id: 'back-to-organizations', title: 'Back to all organizations' },
        onClick: () => ctx.backToPicker(),
      }) : null),
    el('div', { class: 'shell-body' },
      el('nav', { class: 'sidenav', 'aria-label': org ? 'Organization' : 'Bot Credentials' },
        el('p', { class: 'sidenav-heading' }, 'Bot Accounts'),
        el('ul', { class: 'nav-list' }, entries),
        themeSwitch(),
        foot),
      main));
}

/** The Theme switch: System (follows the desktop), Light or Dark; remembered. */
function themeSwitch() {
  const select = el('select', { id: 'theme-select', name: 'theme', class: 'select theme-select' },
    THEMES.map((t) => el('option', { value: t.value, selected: t.value === themeChoice() }, t.label)));
  select.addEventListener('change', () => setTheme(select.value));
  return el('div', { class: 'theme-switch' },
    el('label', { for: select.id, class: 'theme-label' }, 'Theme'),
    select);
}

onThemeChange((choice) => {
  const select = document.getElementById('theme-select');
  if (select && select.value !== choice) select.value = choice;
});

function renderFoot(foot) {
  const sec = state.security;
  const passphrase = !!sec && sec.protection === 'passphrase';
  replaceChildren(foot,
    passphrase && !sec.locked ? button('Lock', {
      kind: 'ghost', iconName: 'lock',
      attrs: { id: 'lock-button', class: 'foot-button', title: 'Lock the secrets now (your passphrase opens them again)' },
      onClick: () => ctx && ctx.lockNow(),
    }) : null,
    isLocked(sec) ? button('Unlock…', {
      kind: 'ghost', iconName: 'lock',
      attrs: { id: 'unlock-open', class: 'foot-button foot-locked', title: 'The secrets are locked: type your passphrase to open them' },
      onClick: () => ctx && ctx.unlockHere(),
    }) : null,
    button('About', {
      kind: 'ghost', iconName: 'info',
      attrs: { id: 'about-button', class: 'foot-button', title: 'About Bot Credentials' },
      onClick: () => openAboutDialog(),
    }));
}

onSecurityChange(() => {
  const foot = document.getElementById('sidenav-foot');
  if (foot) {
    const hadFocus = foot.contains(document.activeElement);
    renderFoot(foot);
    if (hadFocus) {
      const first = foot.querySelector('button');
      if (first) first.focus();
    }
  }
});

function item(label, ...value) {
  return el('div', { class: 'about-item' },
    el('dt', { class: 'about-label' }, label),
    el('dd', { class: 'about-value' }, value));
}

/** The protection in plain words, with its state ("unlocked", "key missing"). */
function protectionText(sec) {
  if (!sec) return 'Not known (the database is not open)';
  const note = stateNote(sec);
  return note ? `${inForce(sec)} (${note})` : inForce(sec);
}

/**
 * The About box: name, version, the database file (and a button that opens
 * its folder), the protection in plain words. Rust's `about` says all three.
 */
export async function openAboutDialog() {
  const modal = createModal({ title: 'About Bot Credentials', size: 'medium', className: 'about-dialog' });
  modal.dialog.id = 'about-dialog';
  const st = state.status || {};
  let info = {
    version: st.version || null,
    database_path: st.db_path || null,
    database_folder: null,
    security: state.security,
  };
  const list = el('dl', { class: 'about-list', id: 'about-list' });
  const openFolder = button('Open folder', {
    kind: 'secondary', iconName: 'folder',
    attrs: {
      id: 'about-open-folder', class: 'about-open-folder', disabled: true,
      'aria-describedby': 'about-database-path', title: 'Show the folder that holds the database file',
    },
    onClick: () => showFolder(),
  });
  const fill = () => {
    const sec = info.security;
    replaceChildren(list,
      item('Application', 'Bot Credentials'),
      item('Version', el('span', { id: 'about-version' }, info.version || 'unknown')),
      item('Database',
        el('code', { class: 'about-path', id: 'about-database-path' }, info.database_path || 'unknown'),
        el('span', { class: 'about-actions' }, openFolder)),
      item('Protection',
        el('span', { class: 'about-protection', id: 'about-protection' }, protectionText(sec)),
        sec ? el('span', { class: 'about-protects' }, protects(sec)) : null));
    openFolder.disabled = !info.database_folder;
  };
  async function showFolder() {
    modal.setError(null);
    try {
      const folder = await api.openDatabaseFolder();
      toast(`Opened the folder ${folder}`);
    } catch (err) {
      modal.setError(sentence(err.message || 'the folder could not be opened.'));
    }
  }
  fill();
  modal.body.append(el('div', { class: 'about-brand' },
    el('span', { class: 'logo', 'aria-hidden': 'true' }, icon('key')),
    el('p', { class: 'about-tagline' }, 'Credentials the bots of your organizations use, sealed at rest.')), list);
  const close = button('Close', { kind: 'primary', type: 'submit', attrs: { id: 'about-close' } });
  modal.footer.append(el('div', { class: 'footer-spacer' }), close);
  modal.onSubmit = async () => modal.close(true);
  modal.open(close);
  try {
    info = await api.about();
    if (info.security) setSecurity(info.security);
    if (!modal.closed) fill();
  } catch (err) {
    if (err.kind !== 'unavailable') showError(err);
  }
  return modal;
}
