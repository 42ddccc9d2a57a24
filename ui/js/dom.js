// Text-only DOM helpers. Nothing in this app builds markup from strings:
// every piece of text goes through createTextNode / textContent.

const SVG_NS = 'http://www.w3.org/2000/svg';
const PROPS = new Set(['value', 'checked', 'selected', 'indeterminate', 'disabled', 'hidden', 'multiple', 'readOnly']);

let counter = 0;
/** A document-unique id with a readable prefix. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

function append(parent, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) {
    for (const c of child) append(parent, c);
  } else if (child instanceof Node) {
    parent.appendChild(child);
  } else {
    parent.appendChild(document.createTextNode(String(child)));
  }
}

function applyAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'style' || (key !== 'on' && /^on/i.test(key))) {
      throw new Error(`el(): "${key}" is not allowed (use classes and the "on" map)`);
    }
    if (key === 'on') {
      for (const [type, handler] of Object.entries(value)) node.addEventListener(type, handler);
    } else if (key === 'class') {
      node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
    } else if (key === 'text') {
      node.textContent = String(value);
    } else if (PROPS.has(key)) {
      node[key] = value;
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

/** el('button', { class: 'btn', on: { click } }, 'Text', childNode, [more]) */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Replace all children of `node` with `children` (text or nodes). */
export function replaceChildren(node, ...children) {
  while (node.firstChild) node.removeChild(node.firstChild);
  append(node, children);
  return node;
}

export function setText(node, text) {
  if (Array.isArray(text)) return replaceChildren(node, text);
  node.textContent = text == null ? '' : String(text);
  return node;
}

/**
 * named`Saved ${name}` → ['Saved ', <bdi>name</bdi>]: each name put in a
 * sentence is isolated (Unicode's bidi isolation), so a right-to-left
 * override or embedding inside a name cannot reorder the words around it.
 * The text itself is exactly the name, as typed.
 */
export function named(strings, ...names) {
  const parts = [];
  strings.forEach((s, i) => {
    if (s) parts.push(s);
    if (i < names.length) parts.push(el('bdi', {}, String(names[i])));
  });
  return parts;
}

/** Set or clear an attribute (null/false removes it). */
export function attr(node, name, value) {
  if (value === null || value === undefined || value === false) node.removeAttribute(name);
  else node.setAttribute(name, value === true ? '' : String(value));
}

// ---- icons (inline SVG built node by node) ----

const ICONS = {
  plus: ['M12 5v14', 'M5 12h14'],
  more: null, // three dots, drawn as circles below
  back: ['M19 12H5', 'M12 19l-7-7 7-7'],
  search: ['M21 21l-4.35-4.35', 'M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14z'],
  eye: ['M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z', 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z'],
  eyeOff: ['M17.94 17.94A10.07 10.07 0 0 1 12 19c-7 0-11-7-11-7a18.45 18.45 0 0 1 5.06-5.94',
    'M9.9 4.24A9.12 9.12 0 0 1 12 4c7 0 11 7 11 7a18.5 18.5 0 0 1-2.16 3.19', 'M1 1l22 22',
    'M14.12 14.12a3 3 0 1 1-4.24-4.24'],
  key: ['M21 2l-2 2', 'M15.5 7.5l3 3L22 7l-3-3', 'M11.39 11.61a5.5 5.5 0 1 1-7.78 7.78 5.5 5.5 0 0 1 7.78-7.78z', 'M11.39 11.61L19 4'],
  building: ['M3 21h18', 'M5 21V5a2 2 0 0 1 2-2h6a2 2 0 0 1 2 2v16', 'M15 9h2a2 2 0 0 1 2 2v10', 'M9 7h2', 'M9 11h2', 'M9 15h2'],
  x: ['M18 6L6 18', 'M6 6l12 12'],
  alert: ['M12 9v4', 'M12 17h.01', 'M10.29 3.86L1.82 18a2 2 0 0 0 1.71 3h16.94a2 2 0 0 0 1.71-3L13.71 3.86a2 2 0 0 0-3.42 0z'],
  file: ['M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z', 'M14 2v6h6'],
  chevron: ['M6 9l6 6 6-6'],
  list: ['M8 6h13', 'M8 12h13', 'M8 18h13', 'M3 6h.01', 'M3 12h.01', 'M3 18h.01'],
  lock: ['M19 11H5a2 2 0 0 0-2 2v7a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-7a2 2 0 0 0-2-2z', 'M7 11V7a5 5 0 0 1 10 0v4'],
  shield: ['M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z'],
  info: ['M12 22a10 10 0 1 1 0-20 10 10 0 0 1 0 20z', 'M12 16v-4', 'M12 8h.01'],
  copy: ['M20 9h-9a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h9a2 2 0 0 0 2-2v-9a2 2 0 0 0-2-2z', 'M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1'],
  check: ['M20 6L9 17l-5-5'],
  folder: ['M22 19a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h5l2 3h9a2 2 0 0 1 2 2z'],
  upload: ['M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4', 'M17 8l-5-5-5 5', 'M12 3v12'],
};

/** An inline SVG icon, decorative (aria-hidden). */
export function icon(name, extraClass = '') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `icon icon-${name} ${extraClass}`.trim());
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  if (name === 'more') {
    for (const cx of [5, 12, 19]) {
      const c = document.createElementNS(SVG_NS, 'circle');
      c.setAttribute('cx', String(cx));
      c.setAttribute('cy', '12');
      c.setAttribute('r', '1.6');
      c.setAttribute('fill', 'currentColor');
      c.setAttribute('stroke', 'none');
      svg.appendChild(c);
    }
    return svg;
  }
  for (const d of ICONS[name] || []) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

/** A standard button. kind: primary | secondary | danger | ghost | link */
export function button(label, { kind = 'secondary', type = 'button', iconName = null, attrs = {}, onClick = null } = {}) {
  const { class: extra, ...rest } = attrs;
  const b = el('button', { ...rest, type, class: ['btn', `btn-${kind}`, extra] },
    iconName ? icon(iconName) : null, el('span', { class: 'btn-label' }, label));
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

/** True when some modal dialog is open. */
export function modalOpen() {
  return document.querySelector('dialog[open]') !== null;
}

/** Copies `text` to the clipboard; false when neither way worked. */
export async function copyText(text) {
  try {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back below */ }
  // Fallback for webviews without the async clipboard API.
  const ta = el('textarea', { class: 'clipboard-helper', readonly: true, 'aria-hidden': 'true' });
  ta.value = text;
  const back = document.activeElement;
  (document.querySelector('dialog[open]') || document.body).append(ta);
  ta.select();
  const ok = !!(document.execCommand && document.execCommand('copy'));
  ta.remove();
  if (back && back.isConnected && typeof back.focus === 'function') back.focus();
  return ok;
}
