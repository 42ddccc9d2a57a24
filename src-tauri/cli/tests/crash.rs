//! Kill -9 in the middle (issue #11): an import, an export and a passphrase
//! change are killed at random moments. Afterwards the database is as before
//! or fully changed, `PRAGMA integrity_check` says ok, no half-written export
//! lies at the target path, and the old or the new passphrase opens it.
//!
//! Every run kills each a few times on a small file; the long run (the
//! figures in docs/reliability.md) is
//! `BOT_CREDENTIALS_CRASH_RUNS=50 BOT_CREDENTIALS_CRASH_CREDENTIALS=100000 cargo test --release -p bot-credentials-cli --test crash`.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn runs() -> usize {
    std::env::var("BOT_CREDENTIALS_CRASH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(4)
}

fn size() -> usize {
    std::env::var("BOT_CREDENTIALS_CRASH_CREDENTIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(3000)
}

/// A pseudo-random moment in `0..limit` (no dependency; varied per run).
fn moment(run: usize, limit: Duration) -> Duration {
    let seed = (run as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(std::process::id());
    let frac = (seed >> 11) as f64 / (1u64 << 53) as f64;
    limit.mul_f64(frac)
}

fn big_file(home: &Home, n: usize) -> std::path::PathBuf {
    let creds: Vec<Value> = (0..n)
        .map(|i| json!({"name": format!("Token {i:06}"), "type": "access_token", "access_token": format!("t-{i}"), "token_type": "Bearer"}))
        .collect();
    home.json_file("big.json", &export_file(&[("Big", creds)], "included"))
}

fn integrity(db: &Db) -> String {
    let c = rusqlite::Connection::open(&db.path).expect("open");
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check")
}

fn credentials(db: &Db) -> i64 {
    let c = rusqlite::Connection::open(&db.path).expect("open");
    c.query_row("SELECT count(*) FROM credentials", [], |r| r.get(0)).expect("count")
}

/// How long `args` takes when left alone: the window to kill it in.
fn duration_of(db: &Db, args: &[&str], env: &[(&str, &str)]) -> Duration {
    let started = Instant::now();
    let out = db.run(args, env);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
    started.elapsed()
}

/// Starts `args`, kills it (SIGKILL) after `after`; whether it had finished.
fn kill_after(db: &Db, args: &[&str], env: &[(&str, &str)], after: Duration) -> bool {
    let mut child = db
        .cmd(args, env)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(after);
    let finished = child.try_wait().expect("try_wait").is_some();
    let _ = child.kill();
    let _ = child.wait();
    finished
}

#[test]
fn an_import_killed_at_any_moment_leaves_the_database_as_before_or_fully_imported() {
    let home = Home::new();
    let n = size();
    let file = big_file(&home, n);
    let file = file.to_str().expect("utf8");
    let probe = home.created("probe", "Seed");
    let took = duration_of(&probe, &["import", file], &[]);
    let (mut before_seen, mut after_seen) = (0, 0);
    for run in 0..runs() {
        let db = home.created(&format!("import-{run}"), "Seed");
        let base = credentials(&db);
        kill_after(&db, &["import", file], &[], moment(run, took));
        assert_eq!(integrity(&db), "ok", "run {run}");
        match credentials(&db) - base {
            0 => before_seen += 1,
            added if added == n as i64 => after_seen += 1,
            added => panic!("run {run}: a half import ({added} of {n} credentials)"),
        }
        // The database still works: the same import goes through now, or conflicts whole.
        let again = db.run(&["import", file, "--on-conflict", "skip"], &[]);
        assert_eq!(again.status.code(), Some(0), "run {run}: {}", text(&again.stderr));
        assert_eq!(credentials(&db) - base, n as i64);
    }
    eprintln!("import killed {} times: {before_seen} as before, {after_seen} fully imported", runs());
}

#[test]
fn an_export_killed_at_any_moment_leaves_no_half_written_file() {
    let home = Home::new();
    let db = home.db("export");
    let file = big_file(&home, size());
    db.ok(&["import", file.to_str().expect("utf8")]);
    let target = home.file("out.json");
    let target_s = target.to_str().expect("utf8");
    let took = duration_of(&db, &["export", "--include-secrets", "-o", target_s], &[]);
    let whole = std::fs::read(&target).expect("a complete export");
    for run in 0..runs() {
        std::fs::remove_file(&target).ok();
        kill_after(&db, &["export", "--include-secrets", "-o", target_s], &[], moment(run, took));
        if let Ok(bytes) = std::fs::read(&target) {
            let doc: Value =
                serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("run {run}: a half-written export: {e}"));
            assert_eq!(doc["organizations"][0]["credentials"].as_array().map(Vec::len), Some(size()), "run {run}");
            assert_eq!(bytes.len(), whole.len(), "run {run}");
        }
        let leftovers: Vec<_> = std::fs::read_dir(target.parent().expect("dir"))
            .expect("ls")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "out.json" && n != "big.json")
            .collect();
        // A killed writer may leave its temporary file (never at the target path).
        assert!(leftovers.iter().all(|n| n.starts_with('.')), "run {run}: {leftovers:?}");
    }
}

#[test]
fn a_passphrase_change_killed_at_any_moment_leaves_the_old_or_the_new_one_working() {
    let home = Home::new();
    let (old, new) = ("old passphrase 1", "new passphrase 2");
    for run in 0..runs() {
        let db = home.db(&format!("pass-{run}"));
        db.ok(&[
            "import",
            home.json_file(&format!("seed-{run}.json"), &one_secret("Acme", "PLANT-crash")).to_str().expect("utf8"),
        ]);
        db.ok_env(&["passphrase", "set"], &[(NEW_PASSPHRASE_ENV, old)]);
        let change = ["passphrase", "change"];
        let env = [(PASSPHRASE_ENV, old), (NEW_PASSPHRASE_ENV, new)];
        // Argon2id makes a change take a few hundred milliseconds: kill inside that.
        kill_after(&db, &change, &env, moment(run, Duration::from_millis(900)));
        assert_eq!(integrity(&db), "ok", "run {run}");
        let opens =
            |pass: &str| db.run(&["export", "--include-secrets"], &[(PASSPHRASE_ENV, pass)]).status.code() == Some(0);
        let (with_old, with_new) = (opens(old), opens(new));
        assert!(with_old ^ with_new, "run {run}: old opens {with_old}, new opens {with_new}");
    }
}
