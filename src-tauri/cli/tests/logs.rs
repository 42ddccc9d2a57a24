//! Structured logs of the terminal (issue #11): one line per command in
//! `$XDG_DATA_HOME/dev.botcredentials.desktop/logs/cli.<date>.log`, naming
//! the operation and what it was about, never a secret; BOT_CREDENTIALS_LOG
//! sets the level.

mod common;

use common::*;

fn log_text(home: &Home) -> String {
    let dir = home.root().join("data/dev.botcredentials.desktop/logs");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        assert!(name.starts_with("cli.") && name.ends_with(".log"), "{name}");
        text.push_str(&std::fs::read_to_string(&path).expect("read log"));
    }
    text
}

#[test]
fn every_command_is_logged_by_name_and_no_secret_is() {
    let home = Home::new();
    let db = home.db("main");
    let file = home.json_file("seed.json", &one_secret("Acme Bots", "PLANT-log-secret-51c"));
    db.ok(&["import", file.to_str().expect("utf8")]);
    db.ok(&["list", "--org", "Acme Bots"]);
    let export = db.ok(&["export", "--include-secrets"]);
    assert!(export.contains("PLANT-log-secret-51c"), "the secret was exported, so it passed through");
    db.fail(&["list", "--org", "Nobody"], &[]);
    db.ok_env(&["passphrase", "set"], &[(NEW_PASSPHRASE_ENV, "PLANT-log-passphrase-7e")]);

    let log = log_text(&home);
    assert!(log.contains("op=\"import\"") && log.contains("seed.json"), "{log}");
    assert!(log.contains("INFO done op=\"list\" subject=\"\\\"Acme Bots\\\"\""), "{log}");
    assert!(
        log.contains("op=\"export\"")
            && log.contains("every organization to standard output, WITH SECRETS in plain text"),
        "{log}"
    );
    assert!(log.contains("kind=\"not_found\"") && log.contains("no organization named"), "{log}");
    assert!(log.contains("op=\"passphrase set\""), "{log}");
    for secret in ["PLANT-log-secret-51c", "PLANT-log-passphrase-7e"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}

#[test]
fn the_level_can_be_lowered_or_logging_turned_off() {
    let home = Home::new();
    let db = home.created("main", "Acme");
    db.ok_env(&["org", "list"], &[("BOT_CREDENTIALS_LOG", "warn")]);
    db.fail(&["list", "--org", "Nobody"], &[("BOT_CREDENTIALS_LOG", "warn")]);
    let log = log_text(&home);
    assert!(!log.contains("op=\"org list\""), "info lines are left out at warn: {log}");
    assert!(log.contains("kind=\"not_found\""), "{log}");
    let off = Home::new();
    let db = off.db("main");
    db.ok_env(&["org", "add", "Acme"], &[("BOT_CREDENTIALS_LOG", "off")]);
    assert!(!off.root().join("data/dev.botcredentials.desktop/logs").exists());
}
