//! Issue #11: a full disk, a read-only file or folder, and a damaged
//! database. Each gets a clear message that names the problem, the
//! database stays byte for byte as it was, and no half-written export is
//! left behind. The full disk and the read-only places are small tmpfs
//! mounts made by the test (it runs as root, as CI does, and says so when
//! it cannot mount).

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted on `dir` (created), unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).expect("mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(dir)
            .output()
            .expect("running mount");
        assert!(
            out.status.success(),
            "these tests mount a small tmpfs and need root (CI runs as root): mount said {}",
            text(&out.stderr)
        );
        Tmpfs { dir: dir.to_path_buf() }
    }

    /// Remounts it read-only (root included: EROFS spares no one).
    fn read_only(&self) {
        let out = Command::new("mount").args(["-o", "remount,ro"]).arg(&self.dir).output().expect("remount");
        assert!(out.status.success(), "remount ro: {}", text(&out.stderr));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

/// A read-only bind mount of one file over itself (its folder stays writable).
struct ReadOnlyFile {
    path: PathBuf,
}

impl ReadOnlyFile {
    fn over(path: &Path) -> ReadOnlyFile {
        for args in [vec!["--bind"], vec!["-o", "remount,bind,ro"]] {
            let out = Command::new("mount").args(&args).arg(path).arg(path).output().expect("mount --bind");
            assert!(out.status.success(), "mount {args:?}: {}", text(&out.stderr));
        }
        ReadOnlyFile { path: path.to_path_buf() }
    }
}

impl Drop for ReadOnlyFile {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

fn tokens(prefix: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            json!({"name": format!("{prefix} {i:05}"), "type": "access_token",
                   "access_token": format!("tok-{i:05}-{}", "x".repeat(200)), "token_type": "Bearer"})
        })
        .collect()
}

/// An export file `name` of `n` Access Tokens in organization `org`.
fn tokens_file(home: &Home, name: &str, org: &str, prefix: &str, n: usize) -> PathBuf {
    home.json_file(name, &export_file(&[(org, tokens(prefix, n))], "included"))
}

/// Imports `n` Access Tokens into `org`, asserting it succeeds.
fn import_tokens(home: &Home, db: &Db, org: &str, prefix: &str, n: usize) {
    db.ok(&["import", tokens_file(home, &format!("{prefix}.json"), org, prefix, n).to_str().expect("utf-8 path")]);
}

/// The database file itself in a [`Db::snapshot`] (not its journal).
fn main_file(snapshot: &[(String, Vec<u8>)]) -> Option<&(String, Vec<u8>)> {
    snapshot.iter().find(|f| f.0 == "credentials.sqlite3")
}

fn integrity(path: &Path) -> String {
    let c = rusqlite::Connection::open(path).expect("open");
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into())
        .collect();
    names.sort();
    names
}

#[test]
fn an_import_onto_a_full_disk_fails_clearly_and_changes_nothing() {
    let home = Home::new();
    let db = home.db("full");
    let _disk = Tmpfs::mount(db.path.parent().expect("folder"), "1m");
    import_tokens(&home, &db, "Acme", "Small", 20);
    let before = db.snapshot();
    // About 3 MB of credentials cannot fit in 1 MiB.
    let big = tokens_file(&home, "big.json", "Big", "Big", 10_000);
    let err = db.fail(&["import", big.to_str().expect("utf-8 path")], &[]);
    assert!(err.contains("the disk is full"), "the problem is named: {err}");
    assert!(err.contains("nothing was changed"), "and what became of the database: {err}");
    assert!(!err.contains("SQLITE") && !err.contains("(code"), "no raw SQLite message: {err}");
    assert_eq!(integrity(&db.path), "ok");
    let listed: Value = serde_json::from_str(&db.ok(&["org", "list", "--json"])).expect("json");
    let names: Vec<(&Value, &Value)> =
        listed.as_array().expect("array").iter().map(|o| (&o["name"], &o["credentials"])).collect();
    assert_eq!(names, [(&json!("Acme"), &json!(20))], "nothing of the failed import was kept");
    // The main file is as before (a -wal may hold the rolled-back attempt's frames, never committed).
    assert!(main_file(&db.snapshot()) == main_file(&before), "the database file changed");
}

#[test]
fn an_export_onto_a_full_disk_leaves_no_file_and_keeps_the_old_one() {
    let home = Home::new();
    let db = home.db("source");
    import_tokens(&home, &db, "Big", "Big", 5_000);
    let target_dir = home.root().join("small-disk");
    let _disk = Tmpfs::mount(&target_dir, "512k");
    let target = target_dir.join("export.json");
    std::fs::write(&target, b"the previous export").expect("an older export");
    let err = db.fail(&["export", "--include-secrets", "-o", target.to_str().expect("utf-8 path")], &[]);
    assert!(err.contains("export.json"), "the file is named: {err}");
    assert!(err.contains("No space left on device"), "the problem is named: {err}");
    assert_eq!(std::fs::read(&target).expect("read"), b"the previous export", "the older export is untouched");
    assert_eq!(entries(&target_dir), ["export.json"], "no temporary file is left behind");
}

#[test]
fn a_database_on_a_read_only_disk_is_refused_clearly_and_left_as_it_was() {
    let home = Home::new();
    let db = home.db("ro");
    let disk = Tmpfs::mount(db.path.parent().expect("folder"), "4m");
    db.ok(&["org", "add", "Acme"]);
    let before = db.snapshot();
    disk.read_only();
    for args in [&["org", "add", "Beta"][..], &["org", "list"], &["status"]] {
        let err = db.fail(args, &[]);
        assert!(err.contains(db.p()), "{args:?}: the file is named: {err}");
        assert!(err.contains("read-only"), "{args:?}: the problem is named: {err}");
        db.assert_unchanged(&before, &format!("{args:?}"));
    }
}

#[test]
fn a_read_only_database_file_is_refused_clearly_and_left_as_it_was() {
    let home = Home::new();
    let db = home.created("ro-file", "Acme");
    let before = db.snapshot();
    let _ro = ReadOnlyFile::over(&db.path);
    for args in [
        &["org", "add", "Beta"][..],
        &["import", home.json_file("one.json", &one_secret("Beta", "pw-1")).to_str().expect("utf-8 path")],
    ] {
        let err = db.fail(args, &[]);
        assert!(err.contains(db.p()), "{args:?}: the file is named: {err}");
        assert!(err.contains("read-only"), "{args:?}: the problem is named: {err}");
        db.assert_unchanged(&before, &format!("{args:?}"));
    }
}

/// Overwrites the middle half of the file's pages with a pattern, as a
/// failing disk or a careless tool would.
fn damage_pages(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read");
    let page = 4096;
    let pages = bytes.len() / page;
    assert!(pages > 40, "the database is large enough to damage ({pages} pages)");
    for p in pages / 4..pages * 3 / 4 {
        bytes[p * page..(p + 1) * page].fill(0xA5);
    }
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn a_damaged_database_is_named_as_such_and_never_made_worse() {
    let home = Home::new();
    let db = home.db("damaged");
    import_tokens(&home, &db, "Big", "Big", 2_000);
    // Closed cleanly: the WAL is checkpointed into the file and removed.
    assert_eq!(entries(db.path.parent().expect("folder")), ["credentials.sqlite3"]);
    damage_pages(&db.path);
    let before = db.snapshot();
    let out = home.file("out.json");
    let new_org = tokens_file(&home, "more.json", "Big", "More", 50);
    let commands: [&[&str]; 3] = [
        &["list", "--org", "Big"],
        &["export", "--include-secrets", "-o", out.to_str().expect("utf-8 path")],
        &["import", new_org.to_str().expect("utf-8 path"), "--on-conflict", "skip"],
    ];
    for args in commands {
        let err = db.fail(args, &[]);
        assert!(err.contains("the database file is damaged"), "{args:?}: the problem is named: {err}");
        assert!(err.contains(&format!("the database {}: ", db.p())), "{args:?}: the file is named: {err}");
        assert!(err.contains(&format!("`sqlite3 {} .recover`", db.p())), "{args:?}: and what to do: {err}");
        assert!(!err.contains("malformed"), "{args:?}: no raw SQLite message: {err}");
        let after = db.snapshot();
        assert!(main_file(&after) == main_file(&before), "{args:?}: the damaged file was changed");
    }
    assert!(!out.exists(), "no half-written export");
}

#[test]
fn a_database_open_to_others_is_made_private_and_the_terminal_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let db = home.created("loose", "Acme");
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = db.run(&["org", "list"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!("bot-credentials: warning: the file {} was open to others (mode 0644); it is now 0600\n", db.p())
    );
    assert_eq!(mode(&db.path), 0o600);
    let again = db.run(&["org", "list"], &[]);
    assert_eq!(text(&again.stderr), "", "once repaired, nothing more to say");
    // Whatever the umask, what the app creates (here its log) is born private.
    let logs = home.root().join("data/dev.botcredentials.desktop/logs");
    let made: Vec<_> = std::fs::read_dir(&logs).expect("the log folder").flatten().map(|e| e.path()).collect();
    assert!(!made.is_empty(), "the CLI logged");
    for f in made {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
}
