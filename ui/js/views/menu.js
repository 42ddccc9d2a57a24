// Menu buttons: a button (aria-haspopup=menu) that opens a small role=menu
// popup of role=menuitem buttons. Arrow keys / Home / End move, Esc and an
// outside click close, Tab closes and moves on. One menu open at a time.

import { el, icon, uid } from '../dom.js';

let current = null; // { button, menu }

export function closeMenu({ focusButton = false } = {}) {
  if (!current) return;
  const { button, menu } = current;
  current = null;
  menu.remove();
  button.setAttribute('aria-expanded', 'false');
  button.removeAttribute('aria-controls');
  if (focusButton && button.isConnected) button.focus();
}

export function menuIsOpen() { return current !== null; }

function items(menu) { return Array.from(menu.querySelectorAll('[role="menuitem"]')); }

function focusItem(menu, index) {
  const list = items(menu);
  if (list.length === 0) return;
  const i = (index + list.length) % list.length;
  list[i].focus();
}

function position(button, menu) {
  const r = button.getBoundingClientRect();
  const mw = menu.offsetWidth;
  const mh = menu.offsetHeight;
  let left = r.right - mw;
  if (left < 8) left = Math.min(r.left, window.innerWidth - mw - 8);
  let top = r.bottom + 4;
  if (top + mh > window.innerHeight - 8) top = Math.max(8, r.top - mh - 4);
  menu.style.left = `${Math.round(left)}px`;
  menu.style.top = `${Math.round(top)}px`;
}

function openMenu(button, label, getItems, focusLast) {
  closeMenu();
  const id = uid('menu');
  const entries = getItems().filter(Boolean);
  const menu = el('div', { class: 'menu', role: 'menu', id, 'aria-label': label });
  for (const entry of entries) {
    menu.append(el('button', {
      type: 'button',
      role: 'menuitem',
      tabindex: '-1',
      class: 'menu-item',
      on: {
        click: () => {
          closeMenu({ focusButton: true });
          entry.run(button);
        },
      },
    }, entry.label));
  }
  menu.addEventListener('keydown', (event) => {
    const list = items(menu);
    const i = list.indexOf(document.activeElement);
    switch (event.key) {
      case 'ArrowDown': event.preventDefault(); focusItem(menu, i + 1); break;
      case 'ArrowUp': event.preventDefault(); focusItem(menu, i - 1); break;
      case 'Home': event.preventDefault(); focusItem(menu, 0); break;
      case 'End': event.preventDefault(); focusItem(menu, list.length - 1); break;
      case 'Escape': event.preventDefault(); event.stopPropagation(); closeMenu({ focusButton: true }); break;
      case 'Tab': closeMenu({ focusButton: true }); break;
      default:
        if (event.key.length === 1 && /\S/.test(event.key)) {
          const k = event.key.toLowerCase();
          const start = i + 1;
          for (let n = 0; n < list.length; n += 1) {
            const item = list[(start + n) % list.length];
            if (item.textContent.trim().toLowerCase().startsWith(k)) { item.focus(); break; }
          }
        }
    }
  });
  document.body.append(menu);
  position(button, menu);
  button.setAttribute('aria-expanded', 'true');
  button.setAttribute('aria-controls', id);
  current = { button, menu };
  focusItem(menu, focusLast ? -1 : 0);
}

/**
 * A "⋯" button with an accessible name (e.g. "Actions for CRM") opening a
 * menu of { label, run(button) } built when it opens.
 */
export function menuButton(label, getItems) {
  const button = el('button', {
    type: 'button',
    class: 'icon-button menu-button',
    'aria-label': label,
    'aria-haspopup': 'menu',
    'aria-expanded': 'false',
    title: label,
  }, icon('more'));
  button.addEventListener('click', () => {
    if (current && current.button === button) closeMenu();
    else openMenu(button, label, getItems, false);
  });
  button.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openMenu(button, label, getItems, event.key === 'ArrowUp');
    }
  });
  return button;
}

// Outside click, resize and scroll close the open menu.
document.addEventListener('pointerdown', (event) => {
  if (!current) return;
  if (current.menu.contains(event.target) || current.button.contains(event.target)) return;
  closeMenu();
}, true);
window.addEventListener('resize', () => closeMenu());
document.addEventListener('scroll', (event) => {
  if (current && !current.menu.contains(event.target)) closeMenu();
}, true);
document.addEventListener('keydown', (event) => {
  if (current && event.key === 'Escape') {
    event.preventDefault();
    closeMenu({ focusButton: true });
  }
});
