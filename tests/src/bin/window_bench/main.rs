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

mod memory;
mod scripts;

use bot_credentials_e2e::js::PRELUDE;
use bot_credentials_e2e::{run_cli_binary, App, Element, Ready};
use memory::measure_memory;
use scripts::*;
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
