// Changes made by another program (the terminal, a second window): the page
// asks every few seconds, and when the window gets focus, whether the
// database changed, and then refreshes what it shows where it is: the
// picker keeps its scroll and the focused organization, the list its place.
// A dialog stays open; the picker waits for it to close.

import * as api from './api.js';
import { modalOpen, named } from './dom.js';
import { state } from './state.js';
import { showPicker } from './views/picker.js';
import { refreshList } from './views/list.js';
import { toast } from './views/toast.js';

const EVERY_MS = 3000;

/** Starts watching; `ctx` is main.js's view switcher. */
export function watchOutsideChanges(ctx) {
  let seen = null;
  let busy = false;
  const check = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const stamp = await api.outsideChanges();
      if (seen === null || stamp === seen) {
        seen = stamp;
      } else if (await refresh(ctx)) {
        seen = stamp;
      }
    } catch {
      // Locked, or the database went away: the next check tries again.
    } finally {
      busy = false;
    }
  };
  setInterval(check, EVERY_MS);
  window.addEventListener('focus', check);
  // A second launch on this database brings this window forward instead.
  window.addEventListener('bot-credentials:relaunched', () => {
    toast('Bot Credentials is already open on this database: this is its window');
    check();
  });
  check();
}

/** Refreshes the current view; false when it has to wait (a dialog is open on the picker). */
async function refresh(ctx) {
  if (ctx.view === 'org' && state.org) {
    const orgs = await api.listOrganizations();
    const org = orgs.find((o) => o.id === state.org.id);
    state.orgs = orgs;
    if (!org) {
      if (modalOpen()) return false;
      const name = state.org.name;
      ctx.backToPicker();
      toast(named`"${name}" was deleted by another program`);
      return true;
    }
    // The focused row stays focused (never while a dialog has the focus).
    const active = document.activeElement;
    const row = !modalOpen() && active && active.closest ? active.closest('tr.cred-row') : null;
    await refreshList(row ? { focusId: Number(row.dataset.id) } : {});
    return true;
  }
  if (ctx.view === 'picker') {
    if (modalOpen()) return false;
    const main = document.getElementById('main');
    const scroll = main ? main.scrollTop : 0;
    const active = document.activeElement;
    const item = active && active.closest ? active.closest('.org-item') : null;
    await showPicker(ctx, { focusOrgId: item ? Number(item.dataset.orgId) : null });
    const after = document.getElementById('main');
    if (after) after.scrollTop = scroll;
    return true;
  }
  return true;
}
