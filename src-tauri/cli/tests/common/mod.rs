//! Shared by the sealed-secrets, age, keyring and terminal tests: the real
//! binary run in a private temporary "home" (its own HOME, XDG_CONFIG_HOME
//! and XDG_DATA_HOME, keyring off, stdin null, no terminal), planted
//! secrets, byte snapshots of a database, and (terminal.rs) standard input
//! or a pseudo-terminal.
#![allow(dead_code)]

use base64::Engine as _;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub mod terminal;

/// `credential add` of Basic Authentication "CRM" in "Acme", its password from standard input.
pub const ADD_BASIC_CRM: [&str; 12] = [
    "credential",
    "add",
    "--org",
    "Acme",
    "--name",
    "CRM",
    "--type",
    "basic_authentication",
    "--set",
    "username=u",
    "--secret-stdin",
    "password",
];

pub const BIN: &str = env!("CARGO_BIN_EXE_bot-credentials");
pub const PASSPHRASE_ENV: &str = "BOT_CREDENTIALS_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "BOT_CREDENTIALS_NEW_PASSPHRASE";
pub const EXPORT_PASSPHRASE_ENV: &str = "BOT_CREDENTIALS_EXPORT_PASSPHRASE";

/// A temporary folder standing in for a user's home: databases in
/// `ROOT/NAME/credentials.sqlite3`, config (key files) in `ROOT/config`.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home { dir: tempfile::tempdir().expect("tempdir") }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn config(&self) -> PathBuf {
        self.root().join("config")
    }

    /// Where the CLI keeps key files: `$XDG_CONFIG_HOME/dev.botcredentials.desktop/keys`.
    pub fn key_dir(&self) -> PathBuf {
        self.config().join("dev.botcredentials.desktop/keys")
    }

    /// A database (not created yet) in its own folder.
    pub fn db(&self, name: &str) -> Db {
        Db { path: self.root().join(name).join("credentials.sqlite3"), root: self.root().to_path_buf() }
    }

    /// A database created with one organization.
    pub fn created(&self, name: &str, org: &str) -> Db {
        let db = self.db(name);
        db.ok(&["org", "add", org]);
        db
    }

    /// A path for a file the test writes or the CLI writes (`ROOT/files/NAME`).
    pub fn file(&self, name: &str) -> PathBuf {
        let dir = self.root().join("files");
        std::fs::create_dir_all(&dir).expect("files dir");
        dir.join(name)
    }

    /// Writes `value` as JSON to `file(name)`.
    pub fn json_file(&self, name: &str, value: &Value) -> PathBuf {
        let path = self.file(name);
        std::fs::write(&path, serde_json::to_vec_pretty(value).expect("json")).expect("write file");
        path
    }
}

pub struct Db {
    pub path: PathBuf,
    root: PathBuf,
}

impl Db {
    pub fn p(&self) -> &str {
        self.path.to_str().expect("utf-8 path")
    }

    /// The CLI on this database, in the private home, with nothing inherited
    /// but PATH: no DISPLAY, no D-Bus, no passphrase variables.
    pub fn cmd(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut c = Command::new(BIN);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root.join("home"))
            .env("XDG_CONFIG_HOME", self.root.join("config"))
            .env("XDG_DATA_HOME", self.root.join("data"))
            .env("BOT_CREDENTIALS_KEYRING", "off")
            .envs(env.iter().copied())
            .arg("--db")
            .arg(&self.path)
            .args(args)
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.cmd(args, env).output().expect("run bot-credentials")
    }

    /// Runs and asserts exit 0; returns stdout.
    pub fn ok_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.run(args, env);
        assert_eq!(out.status.code(), Some(0), "{args:?} failed: {}", text(&out.stderr));
        text(&out.stdout)
    }

    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_env(args, &[])
    }

    /// Runs and asserts exit 1 with nothing on stdout; returns stderr.
    pub fn fail(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.run(args, env);
        assert_eq!(out.status.code(), Some(1), "{args:?} must exit 1; stderr: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "", "{args:?} printed on stdout while failing");
        text(&out.stderr)
    }

    pub fn status(&self) -> Value {
        serde_json::from_str(&self.ok(&["status", "--json"])).expect("status --json is JSON")
    }

    pub fn id(&self) -> String {
        self.status()["database_id"].as_str().expect("database_id").to_string()
    }

    /// `key`: the database's age public key, without the newline.
    pub fn key(&self, env: &[(&str, &str)]) -> String {
        let out = self.ok_env(&["key"], env);
        out.strip_suffix('\n').expect("one line").to_string()
    }

    /// `export --include-secrets` to stdout, parsed.
    pub fn secrets(&self, env: &[(&str, &str)]) -> Value {
        serde_json::from_str(&self.ok_env(&["export", "--include-secrets"], env)).expect("export is JSON")
    }

    /// Every file of the database's folder (db, -wal, -shm), name and bytes.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let dir = self.path.parent().expect("db folder");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .expect("read db folder")
            .map(|e| {
                let e = e.expect("entry");
                (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read"))
            })
            .collect();
        files.sort();
        files
    }

    pub fn assert_unchanged(&self, before: &[(String, Vec<u8>)], what: &str) {
        let after = self.snapshot();
        let names = |s: &[(String, Vec<u8>)]| s.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&after), names(before), "{what}: the database folder's files changed");
        assert!(after == before, "{what}: the database changed (bytes differ)");
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

/// Panics unless `tool` runs: the tests need it, they never skip.
pub fn require(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{tool}` is not installed: run scripts/setup.sh (it installs age, gnome-keyring, dbus, libsecret-tools)"
    );
}

pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts").join(name)
}

/// An export file (version 1) with the given organizations' credentials.
pub fn export_file(orgs: &[(&str, Vec<Value>)], secrets: &str) -> Value {
    let orgs: Vec<Value> = orgs.iter().map(|(name, creds)| json!({"name": name, "credentials": creds})).collect();
    json!({"format": "bot-credentials", "version": 1, "secrets": secrets, "organizations": orgs})
}

pub fn basic(name: &str, password: &str) -> Value {
    json!({"name": name, "type": "basic_authentication", "username": "svc-bot", "password": password})
}

/// One organization with one Basic Authentication credential whose password is `password`.
pub fn one_secret(org: &str, password: &str) -> Value {
    export_file(&[(org, vec![basic("CRM", password)])], "included")
}

/// The password of credential `cred` of organization `org` in an export.
pub fn password_in(export: &Value, org: &str, cred: &str) -> Value {
    credential_in(export, org, cred)["password"].clone()
}

pub fn credential_in(export: &Value, org: &str, cred: &str) -> Value {
    let orgs = export["organizations"].as_array().expect("organizations");
    let o = orgs.iter().find(|o| o["name"] == org).unwrap_or_else(|| panic!("no organization {org} in {export}"));
    let creds = o["credentials"].as_array().expect("credentials");
    creds.iter().find(|c| c["name"] == cred).unwrap_or_else(|| panic!("no credential {cred} in {org}")).clone()
}

/// Raw bytes of the planted key certificate (binary, like a real .p12).
pub const PLANT_KEY_CERT: &[u8] = b"PLANT-7c1e-key-certificate-data\x00\x01\x02\xfe\xff-end";

/// Every secret field of every type, each with a distinct planted value:
/// (credential, field, planted value as stored in the file).
pub fn planted() -> Vec<(&'static str, &'static str, Value)> {
    let cert = base64::engine::general_purpose::STANDARD.encode(PLANT_KEY_CERT);
    vec![
        ("OAuth", "client_secret", json!("PLANT-7c1e-oauth2-client-secret")),
        ("Basic", "password", json!("PLANT-7c1e-basic-password")),
        ("Token", "access_token", json!("PLANT-7c1e-access-token")),
        ("Mutual", "key_certificate", json!({"file_name": "client.p12", "data_base64": cert})),
        ("Mutual", "key_certificate_password", json!("PLANT-7c1e-key-cert-password")),
        ("Mutual", "trust_certificate_password", json!("PLANT-7c1e-trust-cert-password")),
        ("NLU", "credentials", json!({"type": "service_account", "private_key": "PLANT-7c1e-nlu-private-key"})),
    ]
}

/// The strings that must never be found in plain text at rest.
pub fn planted_needles() -> Vec<Vec<u8>> {
    let cert = base64::engine::general_purpose::STANDARD.encode(PLANT_KEY_CERT);
    vec![
        b"PLANT-7c1e-oauth2-client-secret".to_vec(),
        b"PLANT-7c1e-basic-password".to_vec(),
        b"PLANT-7c1e-access-token".to_vec(),
        b"PLANT-7c1e-key-certificate-data".to_vec(),
        cert.into_bytes(),
        b"PLANT-7c1e-key-cert-password".to_vec(),
        b"PLANT-7c1e-trust-cert-password".to_vec(),
        b"PLANT-7c1e-nlu-private-key".to_vec(),
    ]
}

/// An export file, secrets included, with every planted secret in organization `org`.
pub fn planted_file(org: &str) -> Value {
    let p = planted();
    let v = |cred: &str, field: &str| p.iter().find(|x| x.0 == cred && x.1 == field).expect("planted").2.clone();
    let creds = vec![
        json!({"name": "OAuth", "type": "oauth2", "grant_type": "client_credentials", "client_id": "bot-client",
               "client_secret": v("OAuth", "client_secret"), "scope": "orders.read",
               "token_url": "https://auth.example.com/token"}),
        json!({"name": "Basic", "type": "basic_authentication", "username": "svc-bot", "password": v("Basic", "password")}),
        json!({"name": "Token", "type": "access_token", "access_token": v("Token", "access_token"), "token_type": "Bearer"}),
        json!({"name": "Mutual", "type": "mutual_authentication", "key_certificate": v("Mutual", "key_certificate"),
               "key_certificate_password": v("Mutual", "key_certificate_password"),
               "trust_certificate": {"file_name": "ca.pem", "data_base64": "dHJ1c3QtY2VydA=="},
               "trust_certificate_password": v("Mutual", "trust_certificate_password"), "protocols": ["TLSv1.2"]}),
        json!({"name": "NLU", "type": "nlu", "provider": "Google Dialogflow", "credentials": v("NLU", "credentials")}),
    ];
    export_file(&[(org, creds)], "included")
}

/// Asserts every planted secret of organization `org` comes back in `export`.
pub fn assert_planted_in(export: &Value, org: &str) {
    assert_eq!(export["secrets"], "included");
    for (cred, field, want) in planted() {
        assert_eq!(credential_in(export, org, cred)[field], want, "{org}/{cred}.{field}");
    }
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
