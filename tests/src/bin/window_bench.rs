//! `window_bench`: the window half of `scripts/bench.sh`. Drives the real
//! window (the binary given, e.g. `target/release/bot-credentials`) through
//! tauri-driver, on a database of the benchmark's data set and on an empty
//! one, and prints what it measured as JSON for `scripts/bench.py` to merge
//! into the table (issue #9, "The benchmark").
//!
//! ```text
//! xvfb-run -a window_bench --app target/release/bot-credentials --dataset bench.json \
//!     [--runs 5] [--big-org "Org 000 Big"] [--query 04217]... [--work DIR] [--out FILE]
//! ```
//!
//! It looks at the window only as a person does: the picker's entries and
//! its Add Organization button, the Credentials table's rows, the field
//! labelled Search and the count line `#result-count`, never the page's code,
//! so it measures whatever the list's implementation is. Every time is taken
//! in the page with `performance.now()` after two animation frames
//! (`requestAnimationFrame` twice), so the paint is included:
//!
//! - start: wall clock from the moment the WebDriver session is asked for
//!   (`POST /session`, which makes WebKitWebDriver start the app: exec, GTK,
//!   WebKit's processes, the page, its first IPC calls) until the picker's
//!   organizations and Add Organization are shown and painted. The end is the
//!   page's clock (`performance.timeOrigin + performance.now()`, the same
//!   system clock), so WebDriver's reply does not count; a MutationObserver
//!   installed as soon as the page answers catches the moment.
//! - open: from the `click` event on the organization's entry in the picker
//!   to the first Credentials row (with its name) and the count painted.
//! - search: from each `keydown` in Search to the list repainted for the new
//!   query: the count line changed, the page has been quiet for
//!   [`QUIET_MS`], and two frames after the last change.
//! - the floor of these: two animation frames with nothing to paint
//!   (`search.two_idle_frames_ms`), at least one frame interval by construction.
//! - memory: the sum of VmRSS of the app's process and its WebKit processes
//!   (WebKitWebProcess, WebKitNetworkProcess), found by walking /proc from
//!   tauri-driver's pid, a second after the list opened (or the empty picker showed).

use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bot_credentials_e2e::js::PRELUDE;
use bot_credentials_e2e::{run_cli_binary, App, Element, Ready};
use serde_json::{json, Value};

/// A keystroke's list counts as repainted once nothing in the page changed for this long.
const QUIET_MS: u64 = 250;
/// The longest wait for a keystroke's count line to change (then the sample is flagged).
const KEY_MAX_MS: u64 = 3000;
/// The organization of ten credentials added to the big database, the baseline of "open".
const TEN_ORG: &str = "Org Ten";
/// Default queries: digits of credential names, so that every keystroke narrows
/// (or, clearing, widens) the 50,000 and the count changes each time: on the
/// full data set "04217" and "38605" give 5 different counts each, so typing
/// both and clearing them is 20 keystrokes, each with a repaint to wait for.
const DEFAULT_QUERIES: &[&str] = &["04217", "38605"];
/// WebDriver's Backspace key.
const BACKSPACE: &str = "\u{E003}";

struct Options {
    app: PathBuf,
    dataset: PathBuf,
    runs: usize,
    big_org: String,
    queries: Vec<String>,
    work: Option<PathBuf>,
    out: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!(
        "usage: window_bench --app BINARY --dataset FILE.json [--runs N] [--big-org NAME] \
         [--query TEXT]... [--work DIR] [--out FILE]"
    );
    std::process::exit(2)
}

fn parse_args() -> Options {
    let mut args = std::env::args().skip(1);
    let (mut app, mut dataset, mut work, mut out) = (None, None, None, None);
    let mut runs = 5;
    let mut big_org = "Org 000 Big".to_owned();
    let mut queries = vec![];
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--app" => app = Some(PathBuf::from(value())),
            "--dataset" => dataset = Some(PathBuf::from(value())),
            "--runs" => runs = value().parse().unwrap_or_else(|_| usage()),
            "--big-org" => big_org = value(),
            "--query" => queries.push(value()),
            "--work" => work = Some(PathBuf::from(value())),
            "--out" => out = Some(PathBuf::from(value())),
            _ => usage(),
        }
    }
    if queries.is_empty() {
        queries = DEFAULT_QUERIES.iter().map(|q| (*q).to_owned()).collect();
    }
    let (Some(app), Some(dataset)) = (app, dataset) else { usage() };
    if runs == 0 {
        usage();
    }
    let absolute = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    Options { app: absolute(app), dataset: absolute(dataset), runs, big_org, queries, work, out }
}

/// Waits for the picker: Add Organization and, when `arguments[0]` is not
/// null, the entry of that organization. Finishes with the page's clock two
/// frames after it showed; `late` when it was already there as the script
/// started (the time is then an upper bound).
const WAIT_PICKER: &str = r#"
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
const FIND_BUTTON: &str = "return findClickable(arguments[0]).el;";
/// `arguments[0]`: a label's text. Returns the field (or null).
const FIND_FIELD: &str = "return findField(arguments[0]).el;";

/// Before the click on an organization: notes the time of the next `click`
/// and, after it, the moment a Credentials row with a name and the count line
/// are there (then two frames later: painted).
const ARM_OPEN: &str = r#"
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
const WAIT_OPEN: &str = r#"
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
const ARM_SEARCH: &str = r#"
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
const WAIT_KEY: &str = r#"
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
const FRAME_FLOOR: &str = r#"
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

fn epoch_ms(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or_else(|| panic!("no number {key:?} in {v}"))
}

fn launch(opts: &Options, db: &Path) -> App {
    let app = App::launch_binary(&opts.app, db, Ready::Session);
    app.wd().set_script_timeout(Duration::from_secs(180)).unwrap_or_else(|e| panic!("setting the script timeout: {e}"));
    app
}

/// Window start, from the session request to the picker painted (see the module's doc).
fn measure_start(app: &App, org: Option<&str>) -> Value {
    let t0 = app.session_requested_at().expect("the session was asked for");
    let session_ms = SystemTime::now().duration_since(t0).map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let script = format!("{PRELUDE}{WAIT_PICKER}");
    let mut last = String::new();
    for _ in 0..500 {
        match app.wd().execute_async(&script, &[json!(org)]) {
            Ok(v) if v.get("painted").is_some() => {
                let end = num(&v, "origin") + num(&v, "painted");
                return json!({
                    "ms": end - epoch_ms(t0),
                    "in_page_ms": num(&v, "painted"),
                    "session_ms": session_ms,
                    "late": v.get("late").cloned().unwrap_or(Value::Null),
                });
            }
            Ok(v) if v.get("timeout").is_some() => panic!("the picker did not show within 60 s: {v}"),
            Ok(v) => last = v.to_string(),
            // The page may be replaced under the script while it loads: ask again.
            Err(e) => last = e.to_string(),
        }
        sleep(Duration::from_millis(10));
    }
    panic!("could not wait for the picker: {last}")
}

fn find(app: &App, script: &str, name: &str) -> Element {
    let script = format!("{PRELUDE}{script}");
    for _ in 0..600 {
        if let Ok(v) = app.wd().execute(&script, &[json!(name)]) {
            if let Some(el) = Element::from_json(&v) {
                return el;
            }
        }
        sleep(Duration::from_millis(50));
    }
    panic!("{name:?} did not show within 30 s; the window shows:\n{}", app.visible_text())
}

/// Click on the organization `org` in the picker to its first rows painted.
fn measure_open(app: &App, org: &str) -> Value {
    let entry = find(app, FIND_BUTTON, org);
    app.js(ARM_OPEN, &[]).unwrap_or_else(|e| panic!("arming the open of {org:?}: {e}"));
    app.wd().click(&entry).unwrap_or_else(|e| panic!("clicking {org:?}: {e}"));
    let v = app.wd().execute_async(WAIT_OPEN, &[]).unwrap_or_else(|e| panic!("waiting for {org:?} to open: {e}"));
    if v.get("timeout").is_some() {
        panic!("the rows of {org:?} did not show within 120 s: {v}\n{}", app.visible_text());
    }
    let click = num(&v, "click");
    json!({ "ms": num(&v, "painted") - click, "shown_ms": num(&v, "ready") - click })
}

/// Types each query into Search and clears it again with Backspace, one key
/// at a time, waiting for each keystroke's repaint. Returns the samples.
fn measure_search(app: &App, queries: &[String]) -> Vec<Value> {
    let field = find(app, FIND_FIELD, "Search");
    app.js(ARM_SEARCH, &[]).unwrap_or_else(|e| panic!("arming Search: {e}"));
    let mut keystrokes: Vec<String> = vec![];
    for q in queries {
        keystrokes.extend(q.chars().map(String::from));
        keystrokes.extend(q.chars().map(|_| BACKSPACE.to_owned()));
    }
    let mut samples = vec![];
    for (i, key) in keystrokes.iter().enumerate() {
        app.wd().send_keys(&field, key).unwrap_or_else(|e| panic!("typing {key:?} into Search: {e}"));
        let v = app
            .wd()
            .execute_async(WAIT_KEY, &[json!(i), json!(QUIET_MS), json!(KEY_MAX_MS)])
            .unwrap_or_else(|e| panic!("waiting for keystroke {i}: {e}"));
        if v.get("missing").is_some() {
            panic!("{v}");
        }
        samples.push(v);
    }
    let left = app.js("return findField('Search').el.value;", &[]).unwrap_or_default();
    if left.as_str() != Some("") {
        eprintln!("window_bench: Search still holds {left} after clearing");
    }
    samples
}

struct Proc {
    pid: u32,
    ppid: u32,
    comm: String,
}

fn processes() -> Vec<Proc> {
    let mut out = vec![];
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // pid (comm) state ppid ...: comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let comm = stat[open + 1..close].to_owned();
        let Some(ppid) = stat[close + 1..].split_whitespace().nth(1).and_then(|s| s.parse().ok()) else { continue };
        out.push(Proc { pid, ppid, comm });
    }
    out
}

fn descendants(root: u32, procs: &[Proc]) -> Vec<u32> {
    let mut found = vec![];
    let mut todo = vec![root];
    while let Some(p) = todo.pop() {
        for c in procs.iter().filter(|c| c.ppid == p) {
            found.push(c.pid);
            todo.push(c.pid);
        }
    }
    found
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn exe_name(pid: u32) -> String {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// VmRSS of the app (the process tauri-driver's WebKitWebDriver started,
/// now `bot-credentials-window`) and of its WebKit processes.
fn measure_memory(app: &App) -> Value {
    let driver = app.driver_pid().expect("tauri-driver runs");
    let procs = processes();
    let under_driver = descendants(driver, &procs);
    let app_pid = under_driver
        .iter()
        .copied()
        .find(|p| matches!(exe_name(*p).as_str(), "bot-credentials-window" | "bot-credentials"))
        .unwrap_or_else(|| panic!("no bot-credentials process under tauri-driver (pid {driver})"));
    let mut members = vec![app_pid];
    members.extend(
        descendants(app_pid, &procs)
            .into_iter()
            .filter(|p| procs.iter().any(|x| x.pid == *p && x.comm.starts_with("WebKit"))),
    );
    let mut total = 0;
    let mut parts = vec![];
    for pid in members {
        let rss = rss_kib(pid).unwrap_or(0);
        total += rss;
        let comm = procs.iter().find(|x| x.pid == pid).map_or("", |x| x.comm.as_str());
        parts.push(json!({ "pid": pid, "comm": comm, "rss_kib": rss }));
    }
    let others: Vec<Value> = descendants(app_pid, &procs)
        .into_iter()
        .filter_map(|p| procs.iter().find(|x| x.pid == p))
        .filter(|x| !x.comm.starts_with("WebKit"))
        .map(|x| json!({ "pid": x.pid, "comm": x.comm, "rss_kib": rss_kib(x.pid) }))
        .collect();
    json!({ "kib": total, "processes": parts, "not_counted": others })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    // Nearest rank: the smallest sample with at least p of them at or below it.
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn search_summary(samples: &[Value]) -> Value {
    let mut ms: Vec<f64> = samples
        .iter()
        .filter(|s| s.get("changed") == Some(&Value::Bool(true)))
        .filter_map(|s| s.get("ms").and_then(Value::as_f64))
        .collect();
    ms.sort_by(f64::total_cmp);
    let flagged = samples.len() - ms.len();
    if ms.is_empty() {
        return json!({ "median_ms": null, "p95_ms": null, "keystrokes": samples.len(), "unchanged": flagged, "samples": samples });
    }
    json!({
        "median_ms": percentile(&ms, 0.5),
        "p95_ms": percentile(&ms, 0.95),
        "keystrokes": samples.len(),
        "unchanged": flagged,
        "samples": samples,
    })
}

/// Ten credentials of a few types in one organization ([`TEN_ORG`]), as an export file.
fn ten_file(path: &Path) {
    let creds: Vec<Value> = (1..=10)
        .map(|i| {
            let name = format!("Ten API {i:02}");
            match i % 3 {
                0 => json!({ "name": name, "type": "basic_authentication", "username": format!("svc-ten-{i}"), "password": format!("pw-{i:02}-0123456789") }),
                1 => json!({ "name": name, "type": "access_token", "access_token": format!("tok-{i:02}-{}", "a".repeat(56)), "token_type": "Bearer" }),
                _ => json!({ "name": name, "type": "consumer_authentication", "authentication_url": format!(
                    "https://orders-ten{i:02}.example.com/oauth2/authorize?client_id=ten{i:02}&response_type=code&redirect_uri=https%3A%2F%2Fva.idp.liveperson.net%2Fcallback%2F1%2FredirectedCode&scope=orders.read") }),
            }
        })
        .collect();
    let doc = json!({ "format": "bot-credentials", "version": 1, "secrets": "included",
        "organizations": [{ "name": TEN_ORG, "credentials": creds }] });
    std::fs::write(path, doc.to_string()).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

fn import(opts: &Options, db: &Path, file: &Path) {
    let file = file.to_str().expect("a UTF-8 path");
    let out = run_cli_binary(&opts.app, db, &["import", file]);
    assert_eq!(out.code, 0, "import {file} into {} failed: {}", db.display(), out.stderr);
}

fn main() {
    let opts = parse_args();
    let tmp = tempfile::Builder::new().prefix("window-bench-").tempdir().expect("a temporary directory");
    let work = opts.work.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    for sub in ["big", "empty"] {
        let dir = work.join(sub);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("emptying {}: {e}", dir.display()));
        }
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    }
    let big_db = work.join("big").join("credentials.sqlite3");
    // No file yet: the first window on it creates it (the warm-up below).
    let empty_db = work.join("empty").join("credentials.sqlite3");

    eprintln!("window_bench: importing {} and an organization of ten", opts.dataset.display());
    import(&opts, &big_db, &opts.dataset);
    let ten = work.join("ten.json");
    ten_file(&ten);
    import(&opts, &big_db, &ten);

    // One warm-up window on each database (page cache, WebKit's caches, the
    // empty database's creation); not measured.
    for (db, org) in [(&big_db, Some(opts.big_org.as_str())), (&empty_db, None)] {
        let app = launch(&opts, db);
        measure_start(&app, org);
    }

    let mut start_big = vec![];
    let mut start_empty = vec![];
    let mut start_big_again = vec![];
    let mut open_big = vec![];
    let mut open_ten = vec![];
    let mut memory_big = vec![];
    let mut memory_empty = vec![];
    let mut search_runs = vec![];
    let mut frame_floor = vec![];
    for run in 0..opts.runs {
        // Alternate which side goes first.
        let order: &[&str] = if run % 2 == 0 { &["big", "empty", "ten"] } else { &["empty", "ten", "big"] };
        for side in order {
            eprintln!("window_bench: run {}/{}: {side}", run + 1, opts.runs);
            match *side {
                "big" => {
                    let app = launch(&opts, &big_db);
                    start_big.push(measure_start(&app, Some(&opts.big_org)));
                    open_big.push(measure_open(&app, &opts.big_org));
                    sleep(Duration::from_secs(1));
                    memory_big.push(measure_memory(&app));
                    search_runs.push(search_summary(&measure_search(&app, &opts.queries)));
                    let floor =
                        app.wd().execute_async(FRAME_FLOOR, &[]).unwrap_or_else(|e| panic!("timing frames: {e}"));
                    let mut floor: Vec<f64> =
                        floor.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
                    floor.sort_by(f64::total_cmp);
                    if !floor.is_empty() {
                        frame_floor.push(percentile(&floor, 0.5));
                    }
                }
                "empty" => {
                    let app = launch(&opts, &empty_db);
                    start_empty.push(measure_start(&app, None));
                    sleep(Duration::from_secs(1));
                    memory_empty.push(measure_memory(&app));
                }
                _ => {
                    let app = launch(&opts, &big_db);
                    start_big_again.push(measure_start(&app, Some(TEN_ORG)));
                    open_ten.push(measure_open(&app, TEN_ORG));
                }
            }
        }
    }
    let ms = |v: &[Value]| v.iter().map(|s| s["ms"].clone()).collect::<Vec<_>>();
    let kib = |v: &[Value]| v.iter().map(|s| s["kib"].clone()).collect::<Vec<_>>();
    let result = json!({
        "app": opts.app,
        "dataset": opts.dataset,
        "runs": opts.runs,
        "start_ms": { "big": ms(&start_big), "empty": ms(&start_empty) },
        "open_ms": { "big": ms(&open_big), "ten": ms(&open_ten) },
        "search": {
            "queries": opts.queries,
            "median_ms": search_runs.iter().map(|r| r["median_ms"].clone()).collect::<Vec<_>>(),
            "p95_ms": search_runs.iter().map(|r| r["p95_ms"].clone()).collect::<Vec<_>>(),
            "runs": search_runs,
            "two_idle_frames_ms": frame_floor,
        },
        "memory_kib": { "big": kib(&memory_big), "empty": kib(&memory_empty) },
        "detail": {
            "start_big": start_big, "start_empty": start_empty, "start_big_second_window": start_big_again,
            "open_big": open_big, "open_ten": open_ten,
            "memory_big": memory_big, "memory_empty": memory_empty,
        },
    });
    let text = serde_json::to_string_pretty(&result).expect("JSON");
    match &opts.out {
        Some(path) => std::fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display())),
        None => println!("{text}"),
    }
}
