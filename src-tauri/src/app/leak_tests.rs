//! Issue #11: planted secrets leak nowhere. Every command the window
//! registers is driven through the mock runtime (the same IPC path the page
//! uses) on a database that holds a planted secret of every kind, a
//! passphrase and a token issued by the test provider; then no planted
//! value may appear in any IPC reply (success or error), in the log lines
//! the commands wrote, or in the database's files. A command that needs a
//! person at a native dialog or opens another program is listed in
//! `NEEDS_A_PERSON`, and the end-to-end scans cover it; the test fails when
//! the window registers a command that is in neither list.

use super::state::PendingImport;
use super::tests::{app, call};
use super::AppState;
use bot_credentials_core::seal::levels::KeyPlaces;
use bot_credentials_core::store::Store;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};
use tauri::Manager as _;
use test_oauth_server::{Config, OAuthServer};
use zeroize::Zeroizing;

const PLANTED: &[&str] = &[
    "PLANT-oauth-secret-7f3a",
    "PLANT-basic-pw-19c2",
    "PLANT-token-88d1",
    "PLANT-keypw-2b7e",
    "PLANT-trustpw-61aa",
    "PLANT-nlu-key-4c9d",
    "PLANT-edited-pw-03bb",
    "PLANT-imported-pw-9e41",
    "PLANT-passphrase-long-1",
    "PLANT-passphrase-long-2",
    "PLANT-export-passphrase-3",
];

/// Commands driven only end to end (tests/tests/*.rs): a file dialog, or a browser or file manager.
const NEEDS_A_PERSON: &[&str] = &[
    "export_file",
    "choose_import_file",
    "choose_identity_file",
    "choose_postman_environment",
    "open_postman_import",
    "open_link",
    "open_database_folder",
];

/// Log lines written by any test of this binary while this one runs.
fn captured_logs() -> &'static Mutex<Vec<u8>> {
    static LOGS: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        struct Sink;
        impl std::io::Write for Sink {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                captured_logs().lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| Sink)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");
        Mutex::new(Vec::new())
    })
}

struct Scan<'a> {
    w: &'a tauri::WebviewWindow<tauri::test::MockRuntime>,
    called: BTreeSet<String>,
    replies: String,
}

impl Scan<'_> {
    fn call(&mut self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.called.insert(cmd.to_owned());
        let reply = call(self.w, cmd, args);
        let text = match &reply {
            Ok(v) | Err(v) => v.to_string(),
        };
        self.replies.push_str(&format!("{cmd}: {text}\n"));
        reply
    }

    fn ok(&mut self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args.clone()).unwrap_or_else(|e| panic!("{cmd} {args}: {e}"))
    }

    fn err(&mut self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args.clone()) {
            Err(e) => e,
            Ok(v) => panic!("{cmd} {args} must fail: {v}"),
        }
    }
}

fn export_with(org: &str, password: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"format": "bot-credentials", "version": 1, "secrets": "included",
        "organizations": [{"name": org, "credentials": [
            {"name": "Imported", "type": "basic_authentication", "username": "svc", "password": password}]}]}))
    .expect("json")
}

fn pending(path: &str, raw: Vec<u8>, sealing: Option<bot_credentials_core::envelope::Sealing>) -> PendingImport {
    PendingImport { path: path.into(), raw: Zeroizing::new(raw), sealing, file: None, postman: None }
}

#[test]
fn no_planted_secret_reaches_a_reply_a_log_line_or_the_files_through_any_command() {
    let logs = captured_logs();
    let server = OAuthServer::start(Config::default());
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("credentials.sqlite3");
    let places = KeyPlaces { key_dir: dir.path().join("keys"), use_keyring: false };
    let state = AppState::new(Store::open_with(&db, places), db.display().to_string());
    let (_app, w) = app(state);
    let state = w.state::<AppState>();
    let mut s = Scan { w: &w, called: BTreeSet::new(), replies: String::new() };

    s.ok("app_status", json!({}));
    s.ok("credential_types", json!({}));
    s.ok("outside_changes", json!({}));
    let org = s.ok("create_organization", json!({"name": "Acme"}))["id"].clone();
    s.ok("rename_organization", json!({"id": org, "name": "Acme Bots"}));
    s.ok("list_organizations", json!({}));
    let cert = "TUlJQ2VqQ0NBZU9nQXdJQkFnSUJBREFOQmdrcWhraUc5dzBCQVFRRkFEQk5NUXN3Q1FZRA==";
    let drafts = [
        json!({"name": "OAuth", "type": "oauth2", "grant_type": "client_credentials", "client_id": "bot-client",
               "client_secret": "s3cret-client", "token_url": server.token_url()}),
        json!({"name": "OAuth planted", "type": "oauth2", "grant_type": "client_credentials", "client_id": "cid",
               "client_secret": PLANTED[0], "token_url": "https://auth.example.com/token"}),
        json!({"name": "Basic", "type": "basic_authentication", "username": "svc", "password": PLANTED[1]}),
        json!({"name": "Token", "type": "access_token", "access_token": PLANTED[2], "token_type": "Bearer"}),
        json!({"name": "Mutual", "type": "mutual_authentication",
               "key_certificate": {"file_name": "client.p12", "data_base64": cert},
               "key_certificate_password": PLANTED[3],
               "trust_certificate": {"file_name": "ca.pem", "data_base64": cert},
               "trust_certificate_password": PLANTED[4], "protocols": ["TLSv1.2"]}),
        json!({"name": "NLU", "type": "nlu", "provider": "Google Dialogflow",
               "credentials": format!("{{\"private_key\": \"{}\"}}", PLANTED[5])}),
        json!({"name": "Link", "type": "consumer_authentication",
               "authentication_url": format!("{}?client_id=a&response_type=code&redirect_uri=x", server.consumer_url())}),
    ];
    let mut ids = vec![];
    for draft in &drafts {
        s.ok("check_credential", json!({"orgId": org, "credentialId": null, "draft": draft, "step": 2}));
        ids.push(s.ok("create_credential", json!({"orgId": org, "draft": draft}))["id"].clone());
    }
    // A draft refused for its secret's neighbour: the problem names fields, never values.
    let bad = json!({"name": "Basic", "type": "basic_authentication", "username": "", "password": PLANTED[1]});
    s.err("create_credential", json!({"orgId": org, "draft": bad}));
    s.ok("list_window", json!({"orgId": org, "query": {}}));
    s.ok("list_window", json!({"orgId": org, "query": {"search": "PLANT"}}));
    for id in &ids {
        s.ok("get_credential", json!({"id": id}));
    }
    let edited = json!({"name": "Basic", "type": "basic_authentication", "username": "svc2", "password": PLANTED[6]});
    s.ok("update_credential", json!({"id": ids[2], "draft": edited}));
    let deleted = s.ok("delete_credential", json!({"id": ids[3]}));
    s.ok("undo_delete", json!({"token": deleted["undo_token"]}));

    // Authorize against the test provider on 127.0.0.1: the issued token is a secret too.
    s.ok("oauth_settings", json!({}));
    s.ok("set_oauth_port", json!({"port": 53690}));
    s.ok("authorize_credential", json!({"id": ids[0]}));
    s.err("refresh_token", json!({"id": ids[0]}));
    s.ok("cancel_authorization", json!({}));
    s.ok("check_link", json!({"id": ids[6]}));
    s.ok("about", json!({}));

    // Security: a passphrase set, locked, a wrong and a right unlock, changed, removed.
    s.ok("security_status", json!({}));
    s.ok("verify_secrets", json!({}));
    s.err("set_passphrase", json!({"passphrase": "short"}));
    s.ok("set_passphrase", json!({"passphrase": PLANTED[8]}));
    s.ok("set_auto_lock", json!({"minutes": 5}));
    s.ok("lock", json!({}));
    s.err("unlock", json!({"passphrase": PLANTED[9]}));
    s.ok("unlock", json!({"passphrase": PLANTED[8]}));
    s.err("change_passphrase", json!({"current": PLANTED[9], "passphrase": PLANTED[8]}));
    s.ok("change_passphrase", json!({"current": PLANTED[8], "passphrase": PLANTED[9]}));
    s.ok("remove_passphrase", json!({"current": PLANTED[9], "level": "key_file"}));
    s.ok("set_protection", json!({"level": "key_file"}));

    // Import: a plain file, then one sealed with a passphrase (its wrong and right passphrase).
    state.set_pending_import(pending("team.json", export_with("Team", PLANTED[7]), None));
    s.ok("open_encrypted_import", json!({"passphrase": null, "onConflict": "fail"}));
    s.ok("preview_import", json!({"onConflict": "fail"}));
    s.ok("apply_import", json!({"onConflict": "fail", "onProgress": "__CHANNEL__:1"}));
    let sealed = bot_credentials_core::envelope::seal(
        &export_with("Sealed", PLANTED[7]),
        &bot_credentials_core::envelope::Encryption::Passphrase(Zeroizing::new(PLANTED[10].into())),
        false,
    )
    .expect("seal");
    let sealing = bot_credentials_core::envelope::sealing(&sealed).expect("an age file");
    state.set_pending_import(pending("team.json.age", sealed, Some(sealing)));
    s.err("open_encrypted_import", json!({"passphrase": PLANTED[9], "onConflict": "fail"}));
    s.ok("open_encrypted_import", json!({"passphrase": PLANTED[10], "onConflict": "fail"}));
    s.ok("apply_import", json!({"onConflict": "fail", "onProgress": "__CHANNEL__:2"}));

    let gone = s.ok("delete_organization", json!({"id": org}));
    s.ok("undo_delete", json!({"token": gone["undo_token"]}));
    s.ok("list_organizations", json!({}));

    // Every registered command was driven here, or is listed as needing a person.
    let registered = super::wiring_tests::handler();
    let person: BTreeSet<String> = NEEDS_A_PERSON.iter().map(|c| c.to_string()).collect();
    let missed: Vec<_> = registered.difference(&s.called).filter(|c| !person.contains(*c)).collect();
    assert!(missed.is_empty(), "commands the scan does not drive: {missed:?}");
    let stale: Vec<_> = person.iter().filter(|c| !registered.contains(*c)).collect();
    assert!(stale.is_empty(), "NEEDS_A_PERSON names commands that are not registered: {stale:?}");

    let mut planted: Vec<String> = PLANTED.iter().map(|p| p.to_string()).collect();
    planted.extend(server.issued_access_tokens());
    assert!(planted.len() > PLANTED.len(), "the provider issued a token");
    let logs = String::from_utf8_lossy(&logs.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
    assert!(logs.contains("create_credential"), "the commands were logged: {logs}");
    for p in &planted {
        assert!(!s.replies.contains(p.as_str()), "{p} in an IPC reply:\n{}", s.replies);
        assert!(!logs.contains(p.as_str()), "{p} in the log:\n{logs}");
    }
    drop(_app);
    for entry in std::fs::read_dir(dir.path()).expect("dir").flatten() {
        if entry.path().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            for p in &planted {
                assert!(!bytes.windows(p.len()).any(|w| w == p.as_bytes()), "{p} in {}", entry.path().display());
            }
        }
    }
}
