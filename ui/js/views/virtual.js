// A virtualized table body: only the rows in view (plus a few above and
// below) are in the DOM, between two hidden spacer rows that give the table
// the height of all its rows, so the scrollbar says where you are. Rows come
// by window from `load(offset, limit)` as the view moves (debounced, a little
// kept around the view); replies to an older reset are dropped.

import { el } from '../dom.js';

const OVERSCAN = 6;      // rows drawn beyond each edge of the view
const AHEAD = 100;       // rows loaded beyond each edge of the view
const MAX_LOAD = 400;    // rows asked for at once
const KEEP = 1200;       // rows kept in memory; the farthest go first
const SETTLE_MS = 60;    // scrolling pauses this long before a load

/**
 * @param {object} o
 * @param {HTMLElement} o.scroller      the element that scrolls (the page's main)
 * @param {HTMLTableSectionElement} o.body  the table's tbody (emptied)
 * @param {number} o.columns            cells per row (for the spacers)
 * @param {number} o.rowHeight          the CSS height of a row, in px (checked once drawn)
 * @param {(offset: number, limit: number) => Promise<{offset: number, rows: any[]}|null>} o.load
 * @param {(item: any, index: number) => HTMLTableRowElement} o.renderRow
 * @param {(index: number) => HTMLTableRowElement} o.placeholderRow
 */
export function virtualBody({ scroller, body, columns, rowHeight, load, renderRow, placeholderRow }) {
  const spacer = () => {
    const cell = el('td', { colspan: String(columns) });
    return { row: el('tr', { class: 'spacer-row', 'aria-hidden': 'true', hidden: true }, cell), cell };
  };
  const top = spacer();
  const bottom = spacer();
  body.replaceChildren(top.row, bottom.row);

  let count = 0;
  let height = rowHeight;
  let measured = false;
  let gen = 0;                 // bumped by reset(): older replies are dropped
  const items = new Map();     // index → item
  const drawn = new Map();     // index → { tr, item }
  let loading = false;
  let settle = null;
  let frame = 0;

  function setSpacer(s, rows) {
    const px = Math.max(0, rows) * height;
    s.cell.style.height = `${px}px`;
    s.row.hidden = px === 0;
  }

  /** Where row 0 starts, in the scroller's content coordinates. */
  function bodyTop() {
    return body.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  }

  /** Rows [first, last) that are in view. */
  function inView() {
    const y = scroller.scrollTop - bodyTop();
    const first = Math.max(0, Math.floor(y / height));
    const last = Math.min(count, Math.ceil((y + scroller.clientHeight) / height));
    return [Math.min(first, count), Math.max(last, Math.min(first, count))];
  }

  function draw() {
    frame = 0;
    if (!body.isConnected) return;
    const [first, last] = inView();
    const start = Math.max(0, first - OVERSCAN);
    const end = Math.min(count, last + OVERSCAN);
    for (const [i, d] of drawn) {
      if (i < start || i >= end || d.item !== (items.get(i) ?? null)) {
        d.tr.remove();
        drawn.delete(i);
      }
    }
    let ref = top.row.nextSibling;
    for (let i = start; i < end; i += 1) {
      let d = drawn.get(i);
      if (!d) {
        const item = items.get(i) ?? null;
        const tr = item === null ? placeholderRow(i) : renderRow(item, i);
        tr.dataset.index = String(i);
        tr.setAttribute('aria-rowindex', String(i + 2));
        d = { tr, item };
        drawn.set(i, d);
      }
      if (d.tr === ref) ref = ref.nextSibling;
      else body.insertBefore(d.tr, ref);
    }
    setSpacer(top, start);
    setSpacer(bottom, count - end);
    if (!measured) checkHeight();
  }

  /** Rows are as tall as the CSS says; if not, use what they are. */
  function checkHeight() {
    const real = [...drawn.values()].find((d) => d.item !== null);
    if (!real) return;
    measured = true;
    const h = real.tr.getBoundingClientRect().height;
    if (h > 0 && Math.abs(h - height) > 0.5) {
      height = h;
      draw();
    }
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  /** The first missing row around the view, and how many to ask for. */
  function missing() {
    const [first, last] = inView();
    const from = Math.max(0, first - AHEAD);
    const to = Math.min(count, last + AHEAD);
    let a = -1;
    for (let i = from; i < to; i += 1) {
      if (!items.has(i)) { a = i; break; }
    }
    if (a < 0) return null;
    return { offset: a, limit: Math.min(MAX_LOAD, to - a) };
  }

  function forgetFar() {
    if (items.size <= KEEP) return;
    const [first, last] = inView();
    const middle = (first + last) / 2;
    for (const i of items.keys()) {
      if (Math.abs(i - middle) > KEEP / 2) items.delete(i);
    }
  }

  function store(offset, rows) {
    // Rows already here stay (same answer since the last reset): their drawn
    // rows, focus and highlight with them.
    rows.forEach((item, k) => { if (!items.has(offset + k)) items.set(offset + k, item); });
    forgetFar();
  }

  async function fetchMissing() {
    if (loading || !body.isConnected) return;
    const want = missing();
    if (!want) return;
    loading = true;
    const mine = gen;
    let win = null;
    try {
      win = await load(want.offset, want.limit);
    } finally {
      loading = false;
    }
    if (mine === gen && win) {
      store(win.offset, win.rows);
      draw();
    }
    // A reset came meanwhile, or more is missing: go on.
    if (mine !== gen || (win && win.rows.length)) fetchMissing();
  }

  function onScroll() {
    schedule();
    clearTimeout(settle);
    settle = setTimeout(fetchMissing, SETTLE_MS);
  }
  scroller.addEventListener('scroll', onScroll, { passive: true });
  window.addEventListener('resize', onScroll);

  return {
    /** New rows (after a search, sort or write): `count` rows, `win` already loaded. */
    reset(newCount, win) {
      gen += 1;
      count = newCount;
      items.clear();
      if (win) store(win.offset, win.rows);
      draw();
      fetchMissing();
    },
    /** Draws every row again (e.g. its badges changed). */
    redraw() {
      for (const d of drawn.values()) d.tr.remove();
      drawn.clear();
      draw();
    },
    /** Scrolls so that row `index` is in view: `center` puts it in the middle, else only if hidden. */
    scrollTo(index, { center = false } = {}) {
      const y = bodyTop() + index * height;
      const view = scroller.clientHeight;
      const head = body.parentElement && body.parentElement.tHead ? body.parentElement.tHead.offsetHeight : 0;
      if (center) scroller.scrollTop = Math.max(0, y - (view - height) / 2);
      else if (y < scroller.scrollTop + head) scroller.scrollTop = y - head;
      else if (y + height > scroller.scrollTop + view) scroller.scrollTop = y + height - view;
      draw();
      fetchMissing();
    },
    /** Scrolls back so the table's top shows, when the view is below it. */
    scrollToTop(tableTop) {
      if (scroller.scrollTop > tableTop) {
        scroller.scrollTop = tableTop;
        draw();
      }
    },
    /** The drawn row at `index`, if any. */
    rowAt(index) {
      const d = drawn.get(index);
      return d && d.item !== null ? d.tr : null;
    },
    /** The first row in view. */
    firstInView() {
      return inView()[0];
    },
    destroy() {
      gen += 1;
      clearTimeout(settle);
      if (frame) cancelAnimationFrame(frame);
      scroller.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
    },
  };
}
