//! A micro-benchmark of the core in-process (not the benchmark, which is
//! `scripts/bench.sh`): times the core operations on a realistic database.
//! It prints a table against goals; not a test: numbers depend on the machine.

use bot_credentials_core::seal::levels::KeyPlaces;
use bot_credentials_core::store::{OnConflict, Store};
use bot_credentials_core::transfer;
use bot_credentials_core::validate::Step;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const CREDENTIALS: usize = 10_000;
const ORGS: usize = 20;

fn draft(i: usize) -> Value {
    let name = format!("Credential {i:05}");
    match i % 6 {
        0 => json!({"name": name, "type": "consumer_authentication",
            "authentication_url": format!("https://accounts{i}.example.com/authorize?client_id=c{i}&response_type=code&redirect_uri=https%3A%2F%2Fva.idp.liveperson.net%2Fcb&scope=read")}),
        1 => {
            json!({"name": name, "type": "oauth2", "grant_type": "authorization_code", "client_id": format!("client-{i}"),
            "client_secret": "s3cret-value-of-some-length", "scope": "read write", "auth_url": "https://auth.example.com/authorize",
            "token_url": "https://auth.example.com/token", "pkce": true})
        }
        2 => {
            json!({"name": name, "type": "basic_authentication", "username": format!("svc-{i}"), "password": "hunter2-hunter2"})
        }
        3 => {
            json!({"name": name, "type": "access_token", "access_token": "tok-0123456789abcdef", "token_type": "Bearer"})
        }
        4 => {
            json!({"name": name, "type": "nlu", "provider": "Google Dialogflow", "credentials": "{\"type\":\"service_account\",\"private_key\":\"xyz\"}"})
        }
        _ => json!({"name": name, "type": "mutual_authentication",
            "key_certificate": {"file_name": "client.p12", "data_base64": "A".repeat(4096)}, "key_certificate_password": "pw",
            "trust_certificate": null, "trust_certificate_password": null, "protocols": ["TLSv1.2", "TLSv1.1"]}),
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

struct Row {
    what: String,
    took: Duration,
    goal: Duration,
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.sqlite3");
    let mut rows: Vec<Row> = vec![];
    let mut row = |what: &str, took: Duration, goal_ms: f64| {
        rows.push(Row { what: what.into(), took, goal: Duration::from_secs_f64(goal_ms / 1000.0) })
    };

    // Key files in a temporary folder: a benchmark never leaves keys in the user's config.
    let (_keys, places) = KeyPlaces::temporary().expect("key folder");
    let (store, took) = time(|| Store::open_with(&path, places.clone()).expect("open"));
    row("open a new database (create + migrate)", took, 50.0);
    let mut store = store;
    let orgs: Vec<i64> = (0..ORGS).map(|i| store.create_org(&format!("Org {i:02}")).expect("org").id).collect();

    let per_org = CREDENTIALS / ORGS;
    let (_, took) = time(|| {
        for i in 0..CREDENTIALS {
            store.create_credential(orgs[i / per_org], &draft(i)).expect("create");
        }
    });
    row(&format!("save one credential (mean of {CREDENTIALS})"), took / CREDENTIALS as u32, 5.0);

    let big = orgs[0];
    let one_org = per_org;
    let samples: Vec<Duration> = (0..20).map(|_| time(|| store.list_credentials(big).expect("list")).1).collect();
    row(&format!("list an organization of {one_org} credentials (median)"), median(samples), 20.0);

    // One organization with all credentials: the worst case for the list.
    let all = store.create_org("Everything").expect("org").id;
    let import_doc = json!({"format": "bot-credentials", "version": 1, "organizations": [{"name": "Everything",
        "credentials": (0..CREDENTIALS).map(draft).collect::<Vec<_>>()}]});
    let file = transfer::parse_value(&import_doc).expect("valid");
    store.import(&file, OnConflict::Replace, false, &mut |_, _| {}).expect("import");
    let samples: Vec<Duration> = (0..10).map(|_| time(|| store.list_credentials(all).expect("list")).1).collect();
    row(&format!("list an organization of {CREDENTIALS} credentials (median)"), median(samples), 100.0);

    let d = draft(7);
    let samples: Vec<Duration> =
        (0..200).map(|_| time(|| store.check_credential(big, None, &d, Step::All).expect("check")).1).collect();
    row("check a draft as the user types (median)", median(samples), 2.0);

    let (doc, took) = time(|| transfer::export(&store, &[], false).expect("export"));
    let text = transfer::to_text(&doc);
    row(&format!("export {} credentials, redacted ({} KiB)", CREDENTIALS * 2, text.len() / 1024), took, 1500.0);
    let (with, took) = time(|| transfer::to_text(&transfer::export(&store, &[], true).expect("export")));
    row(&format!("export {} credentials with secrets ({} KiB)", CREDENTIALS * 2, with.len() / 1024), took, 2000.0);

    let (parsed, took) = time(|| transfer::parse_bytes(with.as_bytes()).expect("parse"));
    row(&format!("read and check an export of {} credentials", CREDENTIALS * 2), took, 1500.0);
    let mut fresh = Store::open_with(&dir.path().join("fresh.sqlite3"), places.clone()).expect("open");
    let (_, took) = time(|| fresh.import(&parsed, OnConflict::Fail, false, &mut |_, _| {}).expect("import"));
    row(&format!("import {} credentials into an empty database", CREDENTIALS * 2), took, 3000.0);
    let (_, took) = time(|| fresh.import(&parsed, OnConflict::Replace, true, &mut |_, _| {}).expect("preview"));
    row(&format!("preview (dry run) of {} replacements", CREDENTIALS * 2), took, 3000.0);

    let bin = std::env::current_exe().ok().and_then(|p| p.parent()?.parent().map(|d| d.join("bot-credentials")));
    if let Some(bin) = bin.filter(|b| b.exists()) {
        let samples: Vec<Duration> = (0..20)
            .map(|_| {
                time(|| {
                    std::process::Command::new(&bin)
                        .args(["--db"])
                        .arg(&path)
                        .args(["org", "list"])
                        .output()
                        .expect("run")
                })
                .1
            })
            .collect();
        // Any binary linked with WebKitGTK pays ~70,000 symbol relocations
        // at start (measured with perf: ld.so's do_lookup_x); ~90 ms here.
        row("CLI `org list` start to exit (median)", median(samples), 150.0);
    }

    println!("{:<58} {:>10} {:>10}  result", "operation", "took", "goal");
    println!("{}", "-".repeat(90));
    for r in &rows {
        let verdict = if r.took <= r.goal { "ok" } else { "SLOWER THAN GOAL" };
        println!(
            "{:<58} {:>8.2}ms {:>8.1}ms  {verdict}",
            r.what,
            r.took.as_secs_f64() * 1000.0,
            r.goal.as_secs_f64() * 1000.0
        );
    }
    println!("{}", "-".repeat(90));
    println!("peak memory (resident): {} MiB", peak_rss_kib() / 1024);
    println!("database size: {} KiB", std::fs::metadata(&path).map(|m| m.len() / 1024).unwrap_or(0));
}
