//! The command line as a script uses it: real binary, temporary database.

use serde_json::Value;
use std::process::{Command, Output};

struct Db(tempfile::TempDir);

impl Db {
    fn new() -> Db {
        Db(tempfile::tempdir().expect("tempdir"))
    }

    /// Where the CLI run by `run` keeps this database's key.
    fn places(&self) -> bot_credentials_core::seal::levels::KeyPlaces {
        bot_credentials_core::seal::levels::KeyPlaces {
            key_dir: self.0.path().join("config/dev.botcredentials.desktop/keys"),
            use_keyring: false,
        }
    }

    fn path(&self) -> std::path::PathBuf {
        self.0.path().join("db/credentials.sqlite3")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_bot-credentials"));
        c.arg("--db")
            .arg(self.path())
            .args(args)
            .env_remove("DISPLAY")
            .env("XDG_CONFIG_HOME", self.0.path().join("config"))
            .env("BOT_CREDENTIALS_KEYRING", "off");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run bot-credentials")
    }

    fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.cmd(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn bot-credentials")
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn org_add_then_list_as_text_and_json() {
    let db = Db::new();
    let out = db.run(&["org", "add", "Acme Bots"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(db.run(&["org", "add", "Zeta"]).status.success());
    let text = db.run(&["org", "list"]);
    assert!(stdout(&text).contains("Acme Bots"));
    let json: Value = serde_json::from_str(&stdout(&db.run(&["org", "list", "--json"]))).expect("json");
    assert_eq!(json[0]["name"], "Acme Bots");
    assert_eq!(json[0]["credentials"], 0);
    assert_eq!(json[1]["name"], "Zeta");
}

#[test]
fn the_database_is_created_private_without_a_display() {
    let db = Db::new();
    assert!(db.run(&["org", "add", "Acme"]).status.success());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(db.path()).expect("db file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn the_environment_variable_points_at_the_database() {
    let db = Db::new();
    let out = Command::new(env!("CARGO_BIN_EXE_bot-credentials"))
        .env("XDG_CONFIG_HOME", db.0.path().join("config"))
        .env("BOT_CREDENTIALS_KEYRING", "off")
        .args(["org", "add", "FromEnv"])
        .env("BOT_CREDENTIALS_DB", db.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&db.run(&["org", "list"])).contains("FromEnv"));
}

#[test]
fn duplicate_and_blank_organization_names_are_refused_with_status_1() {
    let db = Db::new();
    assert!(db.run(&["org", "add", "Acme"]).status.success());
    let dup = db.run(&["org", "add", " acme "]);
    assert_eq!(dup.status.code(), Some(1));
    assert!(stderr(&dup).contains("an organization named \"Acme\" already exists"), "{}", stderr(&dup));
    let blank = db.run(&["org", "add", "   "]);
    assert_eq!(blank.status.code(), Some(1));
    assert!(stderr(&blank).contains("must not be empty"));
}

#[test]
fn list_of_an_unknown_organization_names_it() {
    let db = Db::new();
    assert!(db.run(&["org", "add", "Acme"]).status.success());
    let out = db.run(&["list", "--org", "Nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no organization named \"Nope\""), "{}", stderr(&out));
}

#[test]
fn a_read_command_never_creates_a_database() {
    let db = Db::new();
    for args in [&["org", "list"][..], &["list", "--org", "Acme"], &["export"], &["status"], &["key"]] {
        let out = db.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&out), format!("bot-credentials: no database at {}\n", db.path().display()), "{args:?}");
        assert!(!db.path().exists(), "{args:?} created the database");
        assert!(!db.0.path().join("config").exists(), "{args:?} created a key");
    }
}

#[test]
fn list_json_is_an_array_shaped_like_the_export_file() {
    let db = Db::new();
    assert!(db.run(&["org", "add", "Acme"]).status.success());
    {
        let mut store = bot_credentials_core::store::Store::open_with(&db.path(), db.places()).expect("store");
        let org = store.org_by_name("Acme").expect("org");
        let url = "https://accounts.example.com/authorize?client_id=abc&response_type=code&redirect_uri=x";
        store
            .create_credential(org.id, &serde_json::json!({"name": "Orders API", "type": "consumer_authentication", "authentication_url": url}))
            .expect("create");
        store
            .create_credential(
                org.id,
                &serde_json::json!({"name": "CRM", "type": "basic_authentication", "username": "svc", "password": "SECRET-pw"}),
            )
            .expect("create");
    }
    let out = db.run(&["list", "--org", "acme", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("SECRET-pw"), "secrets are redacted");
    let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(json[0]["name"], "CRM");
    assert_eq!(json[0]["password"], Value::Null);
    assert_eq!(json[1]["name"], "Orders API");
    assert_eq!(json[1]["type"], "consumer_authentication");
    assert!(json[1]["authentication_url"].as_str().is_some_and(|u| u.starts_with("https://accounts.example.com/")));
    let keys: Vec<&String> = json[1].as_object().expect("object").keys().collect();
    assert_eq!(keys, ["name", "type", "authentication_url"]);
    assert!(stdout(&db.run(&["list", "--org", "Acme"])).contains("accounts.example.com"));
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_kept() {
    let db = Db::new();
    std::fs::create_dir_all(db.path().parent().expect("parent")).expect("mkdir");
    std::fs::write(db.path(), "not sqlite at all, really not, this is text").expect("write");
    let out = db.run(&["org", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not an SQLite database"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(db.path()).expect("read"), "not sqlite at all, really not, this is text");
}

#[test]
fn wrong_usage_exits_2() {
    let db = Db::new();
    assert_eq!(db.run(&["org", "frobnicate"]).status.code(), Some(2));
    assert_eq!(db.run(&["list"]).status.code(), Some(2));
}

/// The terminal links no desktop library, so it starts over SSH and on
/// servers without them (issue #9); the window is a separate binary.
#[test]
fn the_terminal_binary_links_no_gtk_webkit_or_libsoup() {
    let out = Command::new("ldd").arg(env!("CARGO_BIN_EXE_bot-credentials")).output().expect("run ldd");
    assert!(out.status.success(), "ldd failed: {}", stderr(&out));
    let libs = stdout(&out);
    for desktop in ["gtk", "gdk", "webkit", "javascriptcore", "soup", "glib"] {
        assert!(!libs.to_lowercase().contains(desktop), "bot-credentials links {desktop}:\n{libs}");
    }
    assert!(libs.contains("libc.so"), "ldd listed the libraries: {libs}");
}

/// Runs a program just written: another test's fork may hold its file open
/// for a moment (ETXTBSY), so a few bounded retries.
fn run_fresh(cmd: &mut Command) -> Output {
    for _ in 0..50 {
        match cmd.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            other => return other.expect("run"),
        }
    }
    panic!("{cmd:?} stayed busy for a second")
}

/// With no subcommand it runs the window binary beside it; when that is not
/// installed it says so, and the terminal commands still work.
#[test]
fn without_a_subcommand_it_runs_the_window_binary_beside_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let alone = dir.path().join("bot-credentials");
    std::fs::copy(env!("CARGO_BIN_EXE_bot-credentials"), &alone).expect("copy the binary alone");
    let out = run_fresh(Command::new(&alone).env_remove("DISPLAY"));
    assert_eq!(out.status.code(), Some(1));
    let expected = format!("{} is missing", dir.path().join("bot-credentials-window").display());
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    // A stand-in window binary beside it receives the same arguments and environment.
    let window = dir.path().join("bot-credentials-window");
    std::fs::write(&window, "#!/bin/sh\necho \"window $* $MARK\"\n").expect("stand-in");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&window, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let out = run_fresh(Command::new(&alone).args(["--db", "/x/y.sqlite3"]).env("MARK", "same-env"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "window --db /x/y.sqlite3 same-env\n");
}

/// A write that finds another program writing waits its turn, says so with
/// the time so far, and then succeeds.
#[test]
fn a_write_waits_for_another_program_and_says_so() {
    let db = Db::new();
    assert_eq!(db.run(&["org", "add", "First"]).status.code(), Some(0));
    let other = rusqlite::Connection::open(db.path()).expect("second connection");
    other
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES ('Other', 'other', 'now', 'now');")
        .expect("hold the write lock");
    let child = db.spawn(&["org", "add", "Second"]);
    std::thread::sleep(std::time::Duration::from_millis(2300));
    other.execute_batch("COMMIT").expect("release the lock");
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("waiting for another program to finish writing to the database (1 s so far)"), "{err}");
    let listed = String::from_utf8_lossy(&db.run(&["org", "list"]).stdout).to_string();
    for name in ["First", "Other", "Second"] {
        assert!(listed.contains(name), "{listed}");
    }
}
