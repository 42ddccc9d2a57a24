// The window's frame around the picker, an organization's list and the
// Security page: the top bar, the left navigation and, at its foot, Lock
// (with a passphrase, while unlocked) and About. The foot follows
// setSecurity, so Lock shows and goes as the window locks and unlocks.

import * as api from '../api.js';
import { el, icon, button, replaceChildren } from '../dom.js';
import { state, setSecurity, onSecurityChange } from '../state.js';
import { inForce, protects, stateNote, isLocked } from '../protection.js';
import { createModal } from './modal.js';
import { showError } from './toast.js';

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

  return el('div', { class: 'app-shell' },
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
        foot),
      main));
}

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

/** The About box: name, version, database, protection in plain words. */
export async function openAboutDialog() {
  const modal = createModal({ title: 'About Bot Credentials', className: 'about-dialog' });
  modal.dialog.id = 'about-dialog';
  const st = state.status || {};
  const list = el('dl', { class: 'about-list', id: 'about-list' });
  const fill = () => {
    const sec = state.security;
    replaceChildren(list,
      item('Application', 'Bot Credentials'),
      item('Version', st.version || 'unknown'),
      item('Database', el('code', { class: 'about-path' }, st.db_path || 'unknown')),
      item('Protection',
        el('span', { class: 'about-protection' }, !sec ? 'Not known (the database is not open)'
          : stateNote(sec) ? `${inForce(sec)} (${stateNote(sec)})` : inForce(sec)),
        sec ? el('span', { class: 'about-protects' }, protects(sec)) : null));
  };
  fill();
  modal.body.append(el('div', { class: 'about-brand' },
    el('span', { class: 'logo', 'aria-hidden': 'true' }, icon('key')),
    el('p', { class: 'about-tagline' }, 'Credentials the bots of your organizations use, sealed at rest.')), list);
  const close = button('Close', { kind: 'primary', type: 'submit', attrs: { id: 'about-close' } });
  modal.footer.append(el('div', { class: 'footer-spacer' }), close);
  modal.onSubmit = async () => modal.close(true);
  modal.open(close);
  if (state.security) {
    try {
      setSecurity(await api.securityStatus());
      if (!modal.closed) fill();
    } catch (err) {
      if (err.kind !== 'unavailable') showError(err);
    }
  }
  return modal;
}
