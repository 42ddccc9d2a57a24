//! `credential add` and `credential show` (contract: "Everything from the
//! terminal"): secrets from standard input only, stored sealed and never
//! printed; certificates from files; every problem named by its field.

mod common;

use base64::Engine as _;
use common::*;
use serde_json::{json, Value};

const SECRET: &str = "PLANT-cc1-basic-password";

fn acme() -> (Home, Db) {
    let home = Home::new();
    let db = home.created("main", "Acme");
    (home, db)
}

fn add_basic(db: &Db, name: &str, password: &str) -> String {
    let args = ["credential", "add", "--org", "Acme", "--name", name, "--type", "basic_authentication"];
    let rest = ["--set", "username=svc-bot", "--secret-stdin", "password"];
    db.ok_stdin(&[&args[..], &rest[..]].concat(), format!("{password}\n").as_bytes())
}

fn list_json(db: &Db) -> Value {
    serde_json::from_str(&db.ok(&["list", "--org", "Acme", "--json"])).expect("list --json is JSON")
}

/// Runs and asserts the exit code and that nothing went to stdout; returns stderr.
fn refused(out: std::process::Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    text(&out.stderr)
}

#[test]
fn a_secret_from_standard_input_is_stored_sealed_and_never_printed() {
    let (_home, db) = acme();
    assert_eq!(add_basic(&db, "CRM", SECRET), "Added credential \"CRM\" (Basic Authentication) to \"Acme\"\n");
    assert_eq!(password_in(&db.secrets(&[]), "Acme", "CRM"), json!(SECRET), "the one trailing newline is dropped");
    for (name, bytes) in db.snapshot() {
        assert!(!contains(&bytes, SECRET.as_bytes()), "the secret is in plain text in {name}");
    }
    for args in [
        &["list", "--org", "Acme"][..],
        &["list", "--org", "Acme", "--json"],
        &["credential", "show", "--org", "Acme", "CRM"],
        &["credential", "show", "--org", "Acme", "CRM", "--json"],
    ] {
        let out = db.run(args, &[]);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(!text(&out.stdout).contains(SECRET) && !text(&out.stderr).contains(SECRET), "{args:?} printed it");
    }
    let shown: Value =
        serde_json::from_str(&db.ok(&["credential", "show", "--org", "acme", "crm", "--json"])).expect("json");
    assert_eq!(shown, json!({"name": "CRM", "type": "basic_authentication", "username": "svc-bot", "password": null}));
    assert_eq!(shown, list_json(&db)[0], "show --json is shaped as list --json");
}

#[test]
fn show_lists_every_field_by_name_and_label_and_a_secret_only_as_stored() {
    let (_home, db) = acme();
    add_basic(&db, "CRM", SECRET);
    let out = db.ok(&["credential", "show", "--org", "Acme", "CRM"]);
    let lines: Vec<&str> = out.lines().collect();
    let row = |f: &str, l: &str, v: &str| format!("{f:<12}  {l:<19}  {v}");
    assert_eq!(
        lines[..6],
        [
            row("FIELD", "LABEL", "VALUE"),
            row("name", "Name", "CRM"),
            row("type", "Authentication Type", "basic_authentication (Basic Authentication)"),
            row("organization", "Organization", "Acme"),
            row("username", "User Name", "svc-bot"),
            row("password", "User Password", "stored"),
        ]
    );
    assert!(lines[6].starts_with(&row("created_at", "Created", "20")), "{out}");
    assert!(lines[7].starts_with(&row("updated_at", "Updated", "20")), "{out}");
    assert_eq!(lines.len(), 8, "{out}");
}

#[test]
fn only_one_trailing_newline_is_dropped_and_empty_input_is_refused() {
    let (_home, db) = acme();
    let args = ADD_BASIC_CRM;
    let err = refused(db.with_stdin(&args, &[], b"pw\n\n"), 1);
    assert_eq!(err, "bot-credentials: password: must not contain control characters (tabs, line breaks, \u{2026})\n");
    let err = refused(db.with_stdin(&args, &[], b""), 1);
    assert_eq!(err, "bot-credentials: password: is empty: nothing was given on standard input\n");
    assert_eq!(list_json(&db), json!([]), "nothing was written");
    db.ok_stdin(&args, b"pw\r\n");
    assert_eq!(password_in(&db.secrets(&[]), "Acme", "CRM"), json!("pw"));
}

#[test]
fn a_secret_on_the_command_line_is_refused_with_exit_2_and_never_repeated() {
    let (home, db) = acme();
    let plant = "PLANT-cc1-on-the-command-line";
    let set = format!("password={plant}");
    let args = ["credential", "add", "--org", "Acme", "--name", "CRM", "--type", "basic_authentication"];
    let err = refused(db.run(&[&args[..], &["--set", "username=u", "--set", &set]].concat(), &[]), 2);
    assert_eq!(
        err,
        "bot-credentials: password is a secret and is never given on the command line (it would stay in the shell's \
         history and the process list): give it with --secret-stdin password (standard input, or asked hidden on a terminal)\n"
    );
    assert_eq!(list_json(&db), json!([]));
    add_basic(&db, "CRM", SECRET);
    let err = refused(db.run(&["credential", "edit", "--org", "Acme", "CRM", "--set", &set], &[]), 2);
    assert!(err.starts_with("bot-credentials: password is a secret and is never given on the command line"), "{err}");
    assert_eq!(password_in(&db.secrets(&[]), "Acme", "CRM"), json!(SECRET), "unchanged");
    let err = refused(db.run(&["credential", "edit", "--org", "Acme", "CRM", "--set", "hunter2"], &[]), 2);
    assert_eq!(
        err,
        "bot-credentials: --set takes FIELD=VALUE, FIELD named as in the export file (e.g. --set username=svc-bot)\n"
    );
    let log = std::fs::read_dir(home.root().join("data/dev.botcredentials.desktop/logs"))
        .expect("logs")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read log"))
        .collect::<String>();
    assert!(log.contains("op=\"credential add\" subject=\"\\\"CRM\\\" (basic_authentication) in \\\"Acme\\\", fields username, password\" kind=\"usage\""), "{log}");
    for value in [plant, "hunter2", SECRET] {
        assert!(!log.contains(value), "{value} in the log:\n{log}");
    }
}

#[test]
fn how_a_field_is_given_must_fit_its_kind() {
    let (_home, db) = acme();
    add_basic(&db, "CRM", SECRET);
    let edit = |extra: &[&str]| {
        refused(db.run(&[&["credential", "edit", "--org", "Acme", "CRM"][..], extra].concat(), &[]), 2)
    };
    assert_eq!(
        edit(&["--secret-stdin", "username"]),
        "bot-credentials: username is not a secret: give it with --set username=VALUE; --secret-stdin is for secrets\n"
    );
    assert_eq!(
        edit(&["--set-file", "username=/etc/hostname"]),
        "bot-credentials: username is not a file: give it with --set username=VALUE\n"
    );
    assert_eq!(
        edit(&["--set", "username=a", "--set", "username=b"]),
        "bot-credentials: username is given twice: give each field once\n"
    );
    assert_eq!(edit(&["--set", "name=x"]), "bot-credentials: the name is given with --name, not as a field (name)\n");
    assert_eq!(
        edit(&["--set", "type=oauth2"]),
        "bot-credentials: a credential keeps its type: delete it and add it again with another --type\n"
    );
    assert_eq!(
        edit(&[]),
        "bot-credentials: nothing to change: give --name, --set, --set-file, --secret-stdin or --clear\n"
    );
    let err = refused(
        db.run(
            &[
                "credential",
                "add",
                "--org",
                "Acme",
                "--name",
                "M",
                "--type",
                "mutual_authentication",
                "--set",
                "key_certificate=x",
            ],
            &[],
        ),
        2,
    );
    assert_eq!(err, "bot-credentials: key_certificate is a file: give it with --set-file key_certificate=PATH\n");
    let err = refused(db.run(&["credential", "add", "--org", "Acme", "--name", "X", "--type", "frobnicate"], &[]), 2);
    assert!(err.contains("invalid value 'frobnicate' for '--type <TYPE>'"), "{err}");
}

#[test]
fn every_problem_is_named_by_its_field_as_in_the_window_exit_1() {
    let (_home, db) = acme();
    let args = [
        "credential",
        "add",
        "--org",
        "Acme",
        "--name",
        "OA",
        "--type",
        "oauth2",
        "--set",
        "colour=blue",
        "--set",
        "token_url=http://example.com/token",
        "--secret-stdin",
        "client_secret",
    ];
    let err = refused(db.with_stdin(&args, &[], b"s3cret\n"), 1);
    assert_eq!(
        err,
        "bot-credentials: colour: is not a field of OAuth 2.0 credentials\n\
         bot-credentials: client_id: is required\n\
         bot-credentials: auth_url: is required\n\
         bot-credentials: token_url: must be an absolute https URL (http is allowed only for localhost)\n"
    );
    let err = refused(
        db.run(
            &[
                "credential",
                "add",
                "--org",
                "Acme",
                "--name",
                "T",
                "--type",
                "access_token",
                "--set",
                "token_type=Bearer",
            ],
            &[],
        ),
        1,
    );
    assert_eq!(
        err,
        "bot-credentials: access_token: is required\n\
         bot-credentials: give access_token with --secret-stdin access_token (standard input, or asked hidden on a terminal)\n"
    );
    add_basic(&db, "CRM", SECRET);
    let again = [
        "credential",
        "add",
        "--org",
        "Acme",
        "--name",
        " crm ",
        "--type",
        "basic_authentication",
        "--set",
        "username=u",
        "--secret-stdin",
        "password",
    ];
    let err = refused(db.with_stdin(&again, &[], b"x"), 1);
    assert_eq!(err, "bot-credentials: name: a credential named \"CRM\" already exists in this organization\n");
    let err = refused(db.with_stdin(&[&again[..2], &["--org", "Nope"], &again[4..]].concat(), &[], b"x"), 1);
    assert_eq!(err, "bot-credentials: no organization named \"Nope\"\n");
    assert_eq!(list_json(&db).as_array().map(Vec::len), Some(1), "nothing more was written");
}

#[test]
fn the_window_s_advice_is_shown_after_saving_and_defaults_are_the_dialog_s() {
    let (_home, db) = acme();
    let out = db.run(
        &[
            "credential",
            "add",
            "--org",
            "Acme",
            "--name",
            "Orders",
            "--type",
            "consumer_authentication",
            "--set",
            "authentication_url=https://accounts.example.com/authorize?client_id=a&response_type=code",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "bot-credentials: warning: authentication_url: has no redirect_uri parameter pointing back at the bot platform\n"
    );
    db.ok_stdin(
        &[
            "credential",
            "add",
            "--org",
            "Acme",
            "--name",
            "OA",
            "--type",
            "oauth2",
            "--set",
            "client_id=c",
            "--set",
            "auth_url=https://a.example.com/auth",
            "--set",
            "token_url=https://a.example.com/token",
            "--secret-stdin",
            "client_secret",
        ],
        b"s",
    );
    let oa = credential_in(&db.secrets(&[]), "Acme", "OA");
    assert_eq!((oa["grant_type"].clone(), oa["pkce"].clone()), (json!("authorization_code"), json!(false)));
}

#[test]
fn certificates_are_read_from_files_and_stored_with_their_file_names() {
    let (home, db) = acme();
    let key = home.file("client.p12");
    std::fs::write(&key, PLANT_KEY_CERT).expect("write key");
    let ca = home.file("ca.pem");
    std::fs::write(&ca, b"-----BEGIN CERTIFICATE-----\n").expect("write ca");
    let (k, c) = (format!("key_certificate={}", key.display()), format!("trust_certificate={}", ca.display()));
    let add = ["credential", "add", "--org", "Acme", "--name", "M", "--type", "mutual_authentication"];
    let out = db.ok(&[&add[..], &["--set-file", &k, "--set-file", &c, "--set", "protocols=TLSv1.3, TLSv1.2"]].concat());
    assert_eq!(out, "Added credential \"M\" (Mutual Authentication) to \"Acme\"\n");
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let m = credential_in(&db.secrets(&[]), "Acme", "M");
    assert_eq!(m["key_certificate"], json!({"file_name": "client.p12", "data_base64": b64(PLANT_KEY_CERT)}));
    assert_eq!(
        m["trust_certificate"],
        json!({"file_name": "ca.pem", "data_base64": b64(b"-----BEGIN CERTIFICATE-----\n")})
    );
    assert_eq!(m["protocols"], json!(["TLSv1.3", "TLSv1.2"]));
    for (name, bytes) in db.snapshot() {
        assert!(
            !contains(&bytes, b"PLANT-7c1e-key-certificate-data"),
            "the key certificate is in plain text in {name}"
        );
    }
    let shown = db.ok(&["credential", "show", "--org", "Acme", "M"]);
    let row = |f: &str, l: &str, v: &str| format!("\n{f:<26}  {l:<26}  {v}\n");
    assert!(shown.contains(&row("key_certificate", "Key Certificate", "stored")), "{shown}");
    assert!(shown.contains(&row("trust_certificate", "Trust Certificate", "ca.pem (28 bytes)")), "{shown}");
    assert!(shown.contains(&row("key_certificate_password", "Key Certificate Password", "not stored")), "{shown}");

    let big = home.file("big.p12");
    std::fs::write(&big, vec![7u8; 1024 * 1024 + 1]).expect("write big");
    let txt = home.file("key.txt");
    std::fs::write(&txt, b"x").expect("write txt");
    let missing = home.file("missing.p12");
    for (path, want) in [
        (&big, format!("key_certificate: is larger than 1 MiB ({})", big.display())),
        (&txt, "key_certificate: must be a .pfx, .p12, .jks file".to_string()),
        (
            &missing,
            format!("key_certificate: cannot read {}: No such file or directory (os error 2)", missing.display()),
        ),
    ] {
        let k = format!("key_certificate={}", path.display());
        let err = refused(
            db.run(
                &[
                    "credential",
                    "add",
                    "--org",
                    "Acme",
                    "--name",
                    "M2",
                    "--type",
                    "mutual_authentication",
                    "--set-file",
                    &k,
                ],
                &[],
            ),
            1,
        );
        assert_eq!(err, format!("bot-credentials: {want}\n"));
    }
}

#[test]
fn a_secret_needs_the_master_passphrase_and_a_plain_credential_does_not() {
    let (_home, db) = acme();
    db.ok_env(&["passphrase", "set"], &[(NEW_PASSPHRASE_ENV, "correct horse battery")]);
    let args = ADD_BASIC_CRM;
    let err = refused(db.with_stdin(&args, &[], b"pw"), 1);
    assert_eq!(
        err,
        "bot-credentials: the master passphrase of this database is needed: set BOT_CREDENTIALS_PASSPHRASE, or run this on a terminal to be asked for it\n"
    );
    assert_eq!(list_json(&db), json!([]));
    let out = db.with_stdin(&args, &[(PASSPHRASE_ENV, "correct horse battery")], b"pw");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    db.ok(&["credential", "add", "--org", "Acme", "--name", "Pre", "--type", "consumer_pre_authentication"]);
    db.ok(&["credential", "edit", "--org", "Acme", "CRM", "--set", "username=v"]);
    assert_eq!(list_json(&db)[0]["username"], "v", "an edit without a secret needs no key");
}
