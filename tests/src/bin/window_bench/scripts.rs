//! The in-page scripts the window benchmark runs through WebDriver: each
//! waits for what a person would see, and times it with performance.now().

/// Waits for the picker: Add Organization and, when `arguments[0]` is not
/// null, the entry of that organization. Finishes with the page's clock two
/// frames after it showed; `late` when it was already there as the script
/// started (the time is then an upper bound).
pub const WAIT_PICKER: &str = r#"
const done = arguments[arguments.length - 1];
const want = arguments[0];
if (location.href === 'about:blank' || !document.body) { done({ retry: 'the page is not loaded yet' }); return; }
const isReady = () => {
  const add = findClickable('Add Organization').el;
  if (!add || !outside(add)) return false;
  return want === null || !!findClickable(want).el;
};
const finish = (late) => {
  const ready = performance.now();
  requestAnimationFrame(() => requestAnimationFrame(() =>
    done({ late, ready, painted: performance.now(), origin: performance.timeOrigin })));
};
if (isReady()) { finish(true); return; }
let fired = false;
const check = () => {
  if (fired || !isReady()) return;
  fired = true; obs.disconnect(); clearInterval(iv); clearTimeout(to);
  finish(false);
};
const obs = new MutationObserver(check);
obs.observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
const iv = setInterval(check, 5);
const to = setTimeout(() => { obs.disconnect(); clearInterval(iv); done({ timeout: String(document.body.innerText).slice(0, 500) }); }, 60000);
"#;

/// `arguments[0]`: a button's text. Returns the element (or null).
pub const FIND_BUTTON: &str = "return findClickable(arguments[0]).el;";
/// `arguments[0]`: a label's text. Returns the field (or null).
pub const FIND_FIELD: &str = "return findField(arguments[0]).el;";

/// Before the click on an organization: notes the time of the next `click`
/// and, after it, the moment a Credentials row with a name and the count line
/// are there (then two frames later: painted).
pub const ARM_OPEN: &str = r#"
const b = { click: null, ready: null, painted: null };
window.__benchOpen = b;
addEventListener('click', () => { if (b.click === null) b.click = performance.now(); }, { capture: true, once: true });
const named = (r) => { const c = r.querySelector('td, th, [role=cell], [role=gridcell], [role=rowheader]'); return !!c && norm(c.textContent) !== ''; };
const rowShown = () => {
  const count = document.getElementById('result-count');
  if (!count || norm(count.textContent) === '') return false;
  let r = [...document.querySelectorAll('main table tbody tr')].find(named);
  if (!r) r = [...document.querySelectorAll('main [role=row]')].find((x) => x.querySelector('[role=cell], [role=gridcell]') && named(x));
  return !!r && visible(r);
};
const check = () => {
  if (b.click === null || b.ready !== null || !rowShown()) return;
  b.ready = performance.now();
  obs.disconnect(); clearInterval(iv);
  requestAnimationFrame(() => requestAnimationFrame(() => { b.painted = performance.now(); }));
};
const obs = new MutationObserver(check);
obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
const iv = setInterval(check, 5);
return true;
"#;

/// Waits (in the page) until the armed open has painted.
pub const WAIT_OPEN: &str = r#"
const done = arguments[arguments.length - 1];
const started = performance.now();
const poll = () => {
  const b = window.__benchOpen;
  if (b && b.painted !== null) { done(b); return; }
  if (performance.now() - started > 120000) { done({ timeout: JSON.stringify(b) }); return; }
  setTimeout(poll, 5);
};
poll();
"#;

/// Before typing in Search: each `keydown` starts a sample; every change of
/// the page after it is noted, and the frame two animation frames after the
/// latest change is its `painted` time.
pub const ARM_SEARCH: &str = r#"
const count = () => { const c = document.getElementById('result-count'); return c ? norm(c.textContent) : ''; };
const s = { samples: [], count };
window.__benchSearch = s;
addEventListener('keydown', (e) => {
  s.samples.push({ key: e.key, t: performance.now(), before: count(), muts: 0, last: null, painted: null, seq: 0 });
}, { capture: true });
new MutationObserver(() => {
  const cur = s.samples[s.samples.length - 1];
  if (!cur) return;
  cur.muts += 1;
  cur.last = performance.now();
  const seq = ++cur.seq;
  requestAnimationFrame(() => requestAnimationFrame(() => { if (cur.seq === seq) cur.painted = performance.now(); }));
}).observe(document.body, { subtree: true, childList: true, characterData: true });
return true;
"#;

/// `arguments[0]`: the sample's index, `[1]`: quiet ms, `[2]`: max ms. Waits
/// until that keystroke's count line changed and the page has been quiet, then
/// returns the sample (`changed: false` when the count never changed).
pub const WAIT_KEY: &str = r#"
const done = arguments[arguments.length - 1];
const [index, quiet, max] = arguments;
const s = window.__benchSearch;
const started = performance.now();
const poll = () => {
  const now = performance.now();
  const cur = s.samples[index];
  if (!cur) {
    if (now - started > max) { done({ missing: `no keydown seen for keystroke ${index}` }); return; }
    setTimeout(poll, 5); return;
  }
  const after = s.count();
  const changed = after !== cur.before;
  const settled = cur.painted !== null && now - cur.last >= quiet;
  if ((changed && settled) || now - cur.t > max) {
    done({ key: cur.key, t: cur.t, ms: cur.painted === null ? null : cur.painted - cur.t,
           shown_ms: cur.last === null ? null : cur.last - cur.t, muts: cur.muts, changed,
           before: cur.before, after, settled });
    return;
  }
  setTimeout(poll, 5);
};
poll();
"#;

/// Two animation frames with nothing to paint, ten times, from moments spread
/// over a frame: the least any "two frames after" figure above can be here.
pub const FRAME_FLOOR: &str = r#"
const done = arguments[arguments.length - 1];
const raf = () => new Promise((r) => requestAnimationFrame(r));
(async () => {
  const out = [];
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 50 + (i * 7) % 17));
    const t = performance.now();
    await raf(); await raf();
    out.push(performance.now() - t);
  }
  done(out);
})();
"#;
