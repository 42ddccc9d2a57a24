//! The system keyring level against a real Secret Service: each scenario runs
//! all its commands in ONE `scripts/with-keyring.sh` session (a private
//! D-Bus bus and an unlocked gnome-keyring, fresh each time), WITHOUT
//! BOT_CREDENTIALS_KEYRING=off. The scenario script records every step's
//! exit status, stdout and stderr in files this test then checks.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SERVICE: &str = "dev.botcredentials.desktop";
const PASS: &str = "keyring pass 2026";

/// A shell-quoted word.
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

struct Step {
    rc: i32,
    out: String,
    err: String,
}

/// A scenario script: steps run in order, each recorded by name.
struct Scenario {
    root: PathBuf,
    db: PathBuf,
    lines: Vec<String>,
}

impl Scenario {
    fn new(home: &Home) -> Scenario {
        let root = home.root().to_path_buf();
        let db = root.join("db/credentials.sqlite3");
        let head = [
            "set -u".to_string(),
            // Key files go to this test's folder (the daemon already runs in with-keyring's own).
            format!("export XDG_CONFIG_HOME={}", q(s(&home.config()))),
            "unset BOT_CREDENTIALS_KEYRING BOT_CREDENTIALS_DB".into(),
            format!("OUT={}; mkdir -p \"$OUT\"", q(s(&root.join("steps")))),
            "step() { n=$1; shift; \"$@\" >\"$OUT/$n.out\" 2>\"$OUT/$n.err\" </dev/null; echo $? >\"$OUT/$n.rc\"; }"
                .into(),
        ];
        Scenario { root, db, lines: head.to_vec() }
    }

    /// `bot-credentials --db DB ARGS` with `env` set, recorded as `name`.
    fn cli(&mut self, name: &str, env: &[(&str, &str)], args: &[&str]) -> &mut Scenario {
        let env: Vec<String> = env.iter().map(|(k, v)| q(&format!("{k}={v}"))).collect();
        let args: Vec<String> = args.iter().map(|a| q(a)).collect();
        self.lines.push(format!(
            "step {name} env {} {} --db {} {}",
            env.join(" "),
            q(BIN),
            q(s(&self.db)),
            args.join(" ")
        ));
        self
    }

    /// What the Secret Service holds for our service, and the key folder's files.
    fn look(&mut self, name: &str) -> &mut Scenario {
        self.lines.push(format!("step {name}-keyring secret-tool search --all service {SERVICE}"));
        let keys = format!("{}/dev.botcredentials.desktop/keys", "$XDG_CONFIG_HOME");
        self.lines.push(format!("step {name}-keys sh -c 'ls -A \"{keys}\" 2>/dev/null; true'"));
        self
    }

    fn run(&self) -> BTreeMap<String, Step> {
        require("secret-tool");
        require("gnome-keyring-daemon");
        require("dbus-daemon");
        require("dbus-send");
        let file = self.root.join("scenario.sh");
        std::fs::write(&file, self.lines.join("\n") + "\n").expect("write scenario");
        let out = Command::new(script("with-keyring.sh"))
            .arg("sh")
            .arg(&file)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TMPDIR", &self.root)
            .stdin(Stdio::null())
            .output()
            .expect("run scripts/with-keyring.sh");
        assert!(out.status.success(), "with-keyring.sh: {}{}", text(&out.stdout), text(&out.stderr));
        let dir = self.root.join("steps");
        let read = |n: &str, ext: &str| std::fs::read_to_string(dir.join(format!("{n}.{ext}"))).expect("step file");
        let mut steps = BTreeMap::new();
        for e in std::fs::read_dir(&dir).expect("steps") {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            if let Some(n) = name.strip_suffix(".rc") {
                let rc = read(n, "rc").trim().parse().expect("rc");
                steps.insert(n.to_string(), Step { rc, out: read(n, "out"), err: read(n, "err") });
            }
        }
        steps
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8")
}

fn ok<'a>(steps: &'a BTreeMap<String, Step>, name: &str) -> &'a str {
    let st = steps.get(name).unwrap_or_else(|| panic!("step {name} did not run"));
    assert_eq!(st.rc, 0, "{name}: {}", st.err);
    &st.out
}

fn json(steps: &BTreeMap<String, Step>, name: &str) -> Value {
    serde_json::from_str(ok(steps, name)).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"))
}

/// The `attribute.username` of every Secret Service item of our service.
fn keyring_users(steps: &BTreeMap<String, Step>, name: &str) -> Vec<String> {
    let st = &steps[&format!("{name}-keyring")];
    let all = format!("{}{}", st.out, st.err);
    all.lines().filter_map(|l| l.trim().strip_prefix("attribute.username = ")).map(str::to_string).collect()
}

fn key_files(steps: &BTreeMap<String, Step>, name: &str) -> Vec<String> {
    ok(steps, &format!("{name}-keys")).lines().map(str::to_string).collect()
}

#[test]
fn a_new_database_keeps_its_key_in_the_system_keyring_and_secrets_round_trip() {
    let home = Home::new();
    let plain = home.json_file("planted.json", &planted_file("Planted"));
    let mut sc = Scenario::new(&home);
    sc.cli("add", &[], &["org", "add", "Acme"])
        .cli("status", &[], &["status", "--json"])
        .look("new")
        .cli("import", &[], &["import", s(&plain)])
        .cli("export", &[], &["export", "--include-secrets"])
        .cli("key", &[], &["key"]);
    let steps = sc.run();

    let status = json(&steps, "status");
    assert_eq!(status["protection"], "keyring");
    assert_eq!(status["schema_version"], 4);
    assert_eq!(status["database"], s(&sc.db));
    let id = status["database_id"].as_str().expect("database_id").to_string();
    assert_eq!(key_files(&steps, "new"), Vec::<String>::new(), "no key file with the keyring");
    assert!(!home.key_dir().join(format!("{id}.key")).exists());
    assert_eq!(keyring_users(&steps, "new"), vec![id.clone()], "one keyring entry, user = database id");

    ok(&steps, "import");
    let export: Value = json(&steps, "export");
    assert_planted_in(&export, "Planted");
    assert!(ok(&steps, "key").starts_with("age1"));

    // No planted secret at rest, and no key file anywhere under the test's folder.
    std::fs::remove_file(&plain).expect("remove the input");
    for f in files_under(home.root()).iter().filter(|f| !f.starts_with(home.root().join("steps"))) {
        assert!(!f.to_string_lossy().ends_with(".key"), "a key file exists: {}", f.display());
        let bytes = std::fs::read(f).expect("read");
        for needle in planted_needles() {
            assert!(!contains(&bytes, &needle), "{} holds {:?}", f.display(), text(&needle));
        }
    }
}

#[test]
fn a_passphrase_takes_the_key_out_of_the_keyring_and_removing_it_puts_it_back() {
    let home = Home::new();
    let seed = home.json_file("seed.json", &one_secret("Acme", "PLANT-91b4-keyring-password"));
    let mut sc = Scenario::new(&home);
    sc.cli("import", &[], &["import", s(&seed)])
        .cli("status0", &[], &["status", "--json"])
        .look("before")
        .cli("set", &[(NEW_PASSPHRASE_ENV, PASS)], &["passphrase", "set"])
        .cli("status1", &[], &["status", "--json"])
        .look("locked")
        .cli("locked", &[], &["export", "--include-secrets"])
        .cli("unlocked", &[(PASSPHRASE_ENV, PASS)], &["export", "--include-secrets"])
        .cli("remove", &[(PASSPHRASE_ENV, PASS)], &["passphrase", "remove"])
        .cli("status2", &[], &["status", "--json"])
        .look("after")
        .cli("export", &[], &["export", "--include-secrets"]);
    let steps = sc.run();

    let id = json(&steps, "status0")["database_id"].as_str().expect("id").to_string();
    assert_eq!(json(&steps, "status0")["protection"], "keyring");
    assert_eq!(keyring_users(&steps, "before"), vec![id.clone()]);

    assert_eq!(ok(&steps, "set"), "The data key is now protected by your master passphrase.\n");
    assert_eq!(json(&steps, "status1")["protection"], "passphrase");
    assert_eq!(keyring_users(&steps, "locked"), Vec::<String>::new(), "passphrase set removes the keyring entry");
    assert_eq!(key_files(&steps, "locked"), Vec::<String>::new());
    let locked = &steps["locked"];
    assert_eq!(locked.rc, 1, "{}", locked.err);
    assert!(locked.err.contains("the master passphrase of this database is needed: set BOT_CREDENTIALS_PASSPHRASE"));
    let unlocked: Value = json(&steps, "unlocked");
    assert_eq!(password_in(&unlocked, "Acme", "CRM"), "PLANT-91b4-keyring-password");

    assert_eq!(
        ok(&steps, "remove"),
        "Removed the master passphrase; the data key is now kept in the system keyring.\n"
    );
    assert_eq!(json(&steps, "status2")["protection"], "keyring");
    assert_eq!(keyring_users(&steps, "after"), vec![id.clone()], "passphrase remove puts the key back in the keyring");
    assert_eq!(key_files(&steps, "after"), Vec::<String>::new(), "and not in a key file");
    let export: Value = json(&steps, "export");
    assert_eq!(password_in(&export, "Acme", "CRM"), "PLANT-91b4-keyring-password");
}
