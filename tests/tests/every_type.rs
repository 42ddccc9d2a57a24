//! Issue #4: one credential of each of the seven types, added through the
//! dialog by its visible labels; the list shows each with its type and a
//! summary and never a secret; the CLI finds every secret stored (with
//! `export --include-secrets`) and none in `list --json`. Its end state is
//! the README's screenshot.

use std::path::PathBuf;

use base64::Engine as _;
use bot_credentials_e2e::{paths, App, ORDERS_URL};
use serde_json::{json, Value};

const ORG: &str = "Acme Bots";

const CLIENT_SECRET: &str = "oauth-Secret-7Kq2vX";
const KEY_PASSWORD: &str = "p12-Pass-9Wd4rT";
const TRUST_PASSWORD: &str = "trust-Pass-3Jx8nB";
const USER_PASSWORD: &str = "basic-Pass-5Mn1cS";
const ACCESS_TOKEN: &str = "tok-4Hf8Zr2LqW9e";
const NLU_KEY: &str = "nlu-Key-6Tb3yU";
/// Bytes of the key certificate: what the export must carry, base64-encoded.
const P12_BYTES: &[u8] = b"0\x82\x01\x0a\x02\x01\x03p12-bytes-Kc5Qz\x00\xff\x10 not a real PKCS#12 store";
const PEM_TEXT: &str = "-----BEGIN CERTIFICATE-----\nTUlJQnRydXN0LWNlcnQ=\n-----END CERTIFICATE-----\n";

fn nlu_json() -> String {
    format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-nlu\",\n  \"private_key\": \"{NLU_KEY}\",\n  \"client_email\": \"bot@acme-nlu.iam.example.com\"\n}}"
    )
}

fn write_file(app: &App, name: &str, bytes: &[u8]) -> PathBuf {
    let path = app.temp_dir().join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    path
}

/// Saves the dialog and waits for the new row.
fn save(app: &App, name: &str) {
    app.click_button("Save");
    app.expect_no_dialog();
    app.expect_row(name);
    app.expect_notice(&format!("Saved {name}"));
}

fn add_pre_authentication(app: &App) {
    app.start_credential("Returning Customers", "Consumer Pre-Authentication");
    assert!(
        app.becomes(app.timeout(), || app.has_button("Save") && !app.has_button("Next")),
        "step 1 of Consumer Pre-Authentication offers Save instead of Next:\n{}",
        app.dialog_text()
    );
    save(app, "Returning Customers");
}

fn add_oauth(app: &App) {
    app.start_credential("Payments OAuth", "OAuth 2.0");
    app.select_option("Grant Type", "Authorization Code");
    app.click_button("Next");
    app.fill("Client ID", "payments-bot");
    app.fill("Client Secret", CLIENT_SECRET);
    app.fill("Scope", "payments.read payments.write");
    app.fill("Auth URL", "https://auth.payments.example.com/authorize");
    app.fill("Token URL", "https://auth.payments.example.com/token");
    assert!(!app.is_checked("PKCE"), "PKCE starts unchecked");
    app.set_checked("PKCE", true);
    save(app, "Payments OAuth");
}

fn add_mutual(app: &App) {
    let p12 = write_file(app, "client.p12", P12_BYTES);
    let pem = write_file(app, "ca.pem", PEM_TEXT.as_bytes());
    let txt = write_file(app, "key.txt", b"not a key store");

    app.start_credential("Bank mTLS", "Mutual Authentication");
    app.click_button("Next");

    // A file of the wrong kind is refused beside the field, before and on Save.
    app.choose_file("Key Certificate", &txt);
    let problem = app.expect_problem("Key Certificate");
    eprintln!("key.txt refused: {problem}");
    assert!(
        problem.contains(".p12") && problem.contains(".pfx"),
        "the refusal of key.txt names the accepted kinds: {problem:?}"
    );
    app.click_button("Save");
    assert!(app.dialog_open(), "Save with key.txt closed the dialog");
    app.expect_problem("Key Certificate");

    app.choose_file("Key Certificate", &p12);
    app.wait_until("the Key Certificate problem to clear after choosing client.p12", || {
        app.field_problem("Key Certificate").is_none()
    });
    app.fill("Key Certificate Password", KEY_PASSWORD);
    app.choose_file("Trust Certificate", &pem);
    app.fill("Trust Certificate Password", TRUST_PASSWORD);

    // Cryptographic Protocols: TLS 1.2 and TLS 1.1 by default.
    let checked = |l: &str| app.is_checked(l);
    assert_eq!(
        [checked("TLS 1.3"), checked("TLS 1.2"), checked("TLS 1.1"), checked("TLS 1.0")],
        [false, true, true, false],
        "the default protocols are TLS 1.2 and TLS 1.1"
    );
    app.set_checked("TLS 1.3", true);
    app.set_checked("TLS 1.1", false);
    save(app, "Bank mTLS");
}

fn add_basic(app: &App) {
    app.start_credential("CRM", "Basic Authentication");
    app.click_button("Next");
    app.fill("User Name", "svc-bot");
    app.fill("User Password", USER_PASSWORD);
    save(app, "CRM");
}

fn add_access_token(app: &App) {
    app.start_credential("Weather API", "Access Token");
    app.click_button("Next");
    app.fill("Access Token", ACCESS_TOKEN);
    app.fill("Token Type", "Bearer");
    save(app, "Weather API");
}

fn add_nlu(app: &App) {
    app.start_credential("Dialogflow NLU", "Third-party NLU");
    app.click_button("Next");
    app.select_option("NLU Provider", "Google Dialogflow");
    app.paste("Credentials", &nlu_json());
    save(app, "Dialogflow NLU");
}

/// The rows, by name: (type label, summary).
const EXPECTED_ROWS: &[(&str, &str, &str)] = &[
    ("Bank mTLS", "Mutual Authentication", "TLS 1.3, TLS 1.2"),
    ("CRM", "Basic Authentication", "svc-bot"),
    ("Dialogflow NLU", "Third-party NLU", "Google Dialogflow"),
    ("Orders API", "Consumer Authentication", "accounts.example.com"),
    ("Payments OAuth", "OAuth 2.0", "Authorization Code · auth.payments.example.com"),
    ("Returning Customers", "Consumer Pre-Authentication", "Consumer's own token"),
    ("Weather API", "Access Token", "Bearer"),
];

fn secrets() -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(P12_BYTES);
    [CLIENT_SECRET, KEY_PASSWORD, TRUST_PASSWORD, USER_PASSWORD, ACCESS_TOKEN, NLU_KEY]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([b64])
        .collect()
}

#[test]
fn every_type_is_added_through_the_dialog_and_its_secrets_stored() {
    let app = App::launch();
    app.add_organization(ORG);
    app.open_organization(ORG);

    app.add_consumer_credential("Orders API", ORDERS_URL);
    add_pre_authentication(&app);
    add_oauth(&app);
    add_mutual(&app);
    add_basic(&app);
    add_access_token(&app);
    add_nlu(&app);

    // The list: one row per type, by name, each with its type and summary.
    app.expect_row_names(&EXPECTED_ROWS.iter().map(|r| r.0).collect::<Vec<_>>());
    let rows = app.table_rows();
    for (name, label, summary) in EXPECTED_ROWS {
        let row = rows.iter().find(|r| r.first().map(String::as_str) == Some(name)).expect("row listed");
        assert_eq!(row.get(1).map(String::as_str), Some(*label), "the type of {name}: {row:?}");
        // An OAuth 2.0 row says under its summary whether it is authorized (issue #10).
        let details = row.get(2).map(String::as_str).unwrap_or_default();
        let want = if *label == "OAuth 2.0" { format!("{summary} Not authorized") } else { (*summary).to_owned() };
        assert_eq!(details, want, "the details of {name}: {row:?}");
    }
    assert_eq!(app.result_count(), "7 credentials");

    // No secret anywhere in the window: not shown, not in the markup.
    let text = app.visible_text();
    let source = app.page_source();
    for secret in secrets() {
        assert!(!text.contains(&secret), "the window shows the secret {secret:?}:\n{text}");
        assert!(!source.contains(&secret), "the page holds the secret {secret:?} in its markup or a field");
    }

    // list --json: every credential, every secret null.
    let listed = app.listed_credentials(ORG);
    assert_eq!(listed.len(), 7, "seven credentials stored: {listed:#?}");
    let listed_text = serde_json::to_string(&listed).expect("serializing");
    for secret in secrets() {
        assert!(!listed_text.contains(&secret), "list --json shows the secret {secret:?}: {listed_text}");
    }
    let by_name = |name: &str| listed.iter().find(|c| c["name"] == name).cloned().expect("listed");
    for (name, field) in [
        ("Payments OAuth", "client_secret"),
        ("Bank mTLS", "key_certificate"),
        ("Bank mTLS", "key_certificate_password"),
        ("Bank mTLS", "trust_certificate_password"),
        ("CRM", "password"),
        ("Weather API", "access_token"),
        ("Dialogflow NLU", "credentials"),
    ] {
        assert_eq!(by_name(name)[field], Value::Null, "list --json redacts {name}.{field}");
    }
    assert_eq!(by_name("Returning Customers")["type"], "consumer_pre_authentication");
    assert_eq!(by_name("Orders API")["authentication_url"], ORDERS_URL);

    // export --include-secrets: each secret stored exactly as given.
    let oauth = app.exported_credential(ORG, "Payments OAuth");
    assert_eq!(oauth["type"], "oauth2");
    assert_eq!(oauth["grant_type"], "authorization_code");
    assert_eq!(oauth["client_id"], "payments-bot");
    assert_eq!(oauth["client_secret"], CLIENT_SECRET);
    assert_eq!(oauth["scope"], "payments.read payments.write");
    assert_eq!(oauth["auth_url"], "https://auth.payments.example.com/authorize");
    assert_eq!(oauth["token_url"], "https://auth.payments.example.com/token");
    assert_eq!(oauth["pkce"], true);

    let mutual = app.exported_credential(ORG, "Bank mTLS");
    assert_eq!(mutual["type"], "mutual_authentication");
    assert_eq!(
        mutual["key_certificate"],
        json!({ "file_name": "client.p12", "data_base64": base64::engine::general_purpose::STANDARD.encode(P12_BYTES) }),
        "the key certificate's bytes are stored exactly"
    );
    assert_eq!(mutual["key_certificate_password"], KEY_PASSWORD);
    assert_eq!(
        mutual["trust_certificate"],
        json!({ "file_name": "ca.pem", "data_base64": base64::engine::general_purpose::STANDARD.encode(PEM_TEXT) })
    );
    assert_eq!(mutual["trust_certificate_password"], TRUST_PASSWORD);
    assert_eq!(mutual["protocols"], json!(["TLSv1.3", "TLSv1.2"]));

    let basic = app.exported_credential(ORG, "CRM");
    assert_eq!((basic["username"].as_str(), basic["password"].as_str()), (Some("svc-bot"), Some(USER_PASSWORD)));

    let token = app.exported_credential(ORG, "Weather API");
    assert_eq!((token["access_token"].as_str(), token["token_type"].as_str()), (Some(ACCESS_TOKEN), Some("Bearer")));

    let nlu = app.exported_credential(ORG, "Dialogflow NLU");
    assert_eq!(nlu["provider"], "Google Dialogflow");
    let typed: Value = serde_json::from_str(&nlu_json()).expect("the typed JSON parses");
    assert_eq!(nlu["credentials"], typed, "the NLU credentials are stored as the JSON object typed");

    // Sealed at rest: no planted secret in any file the app wrote (the
    // database, its -wal and -shm, the key file, the web view's folders).
    let p12_b64 = base64::engine::general_purpose::STANDARD.encode(P12_BYTES);
    let planted: [&[u8]; 8] = [
        CLIENT_SECRET.as_bytes(),
        KEY_PASSWORD.as_bytes(),
        TRUST_PASSWORD.as_bytes(),
        USER_PASSWORD.as_bytes(),
        ACCESS_TOKEN.as_bytes(),
        NLU_KEY.as_bytes(),
        b"p12-bytes-Kc5Qz",
        p12_b64.as_bytes(),
    ];
    assert!(
        paths::app_files(app.db_path()).iter().any(|f| f.extension().is_some_and(|e| e == "key")),
        "a key file was written"
    );
    assert_eq!(paths::leaked(app.db_path(), &planted), Vec::<String>::new());
    // Nor in what the app (and tauri-driver, WebKitWebDriver) wrote to standard output and error.
    assert!(app.driver_log_path().is_file(), "the processes' output is captured in the driver log");
    let output = app.process_output();
    for p in planted {
        let p = String::from_utf8_lossy(p);
        assert!(!output.contains(&*p), "{p} in the processes' standard output or error");
    }
    // That scan covers the window's log (issue #11), which names every save.
    let logs: Vec<_> =
        paths::app_files(app.db_path()).into_iter().filter(|f| f.to_string_lossy().contains("/logs/window.")).collect();
    app.wait_until("the window's log to name the saves", || {
        let text: String = logs.iter().filter_map(|f| std::fs::read_to_string(f).ok()).collect();
        text.matches("op=\"create_credential\"").count() >= 7
    });

    // The README's screenshot: every type listed, notices dismissed.
    app.settle_for_screenshot();
    app.screenshot(&paths::readme_screenshot());
}
