use super::*;
use serde_json::json;

const GOOD_URL: &str = "https://accounts.example.com/authorize?client_id=abc&response_type=code&redirect_uri=https%3A%2F%2Fva.idp.liveperson.net%2Fcallback&scope=x";

fn check(draft: Value) -> Checked {
    credential(&draft, SecretMode::Create, Step::All)
}

fn problem_fields(c: &Checked) -> Vec<&str> {
    c.problems.iter().map(|p| p.field.as_str()).collect()
}

#[test]
fn names_are_trimmed_and_bounded() {
    assert_eq!(name("  Orders API ").as_deref(), Ok("Orders API"));
    assert!(name("").is_err());
    assert!(name("   ").is_err());
    assert!(name("a\tb").is_err());
    assert!(name(&"x".repeat(200)).is_ok());
    assert!(name(&"x".repeat(201)).is_err());
    assert_eq!(name("<img src=x onerror=alert(1)>").as_deref(), Ok("<img src=x onerror=alert(1)>"));
}

#[test]
fn urls_must_be_absolute_https_with_a_host() {
    assert!(url(GOOD_URL).is_ok());
    assert!(url("http://localhost:8080/cb").is_ok());
    assert!(url("http://127.0.0.1/cb").is_ok());
    assert!(url("http://[::1]/cb").is_ok());
    for bad in [
        "http://example.com/x",
        "notaurl",
        "/relative/path",
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://example.com/",
        "https://user:pw@example.com/",
        "https://user@example.com/",
        "https://exa\nmple.com/",
        "https://example.com/\u{7}",
        "https://",
    ] {
        assert!(url(bad).is_err(), "{bad} should be refused");
    }
    let long = format!("https://example.com/?q={}", "a".repeat(2048));
    assert!(url(&long).expect_err("too long").contains("2,048"));
}

#[test]
fn missing_query_parameters_warn_but_do_not_block() {
    let c = check(
        json!({"name": "A", "type": "consumer_authentication", "authentication_url": "https://example.com/authorize"}),
    );
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert!(c.input.is_some());
    assert_eq!(c.warnings.len(), 3);
    assert!(c.warnings.iter().all(|w| w.field == "authentication_url"));
    assert!(check(json!({"name": "A", "type": "consumer_authentication", "authentication_url": GOOD_URL}))
        .warnings
        .is_empty());
}

#[test]
fn consumer_authentication_requires_a_valid_url() {
    let c = check(json!({"name": "A", "type": "consumer_authentication", "authentication_url": ""}));
    assert_eq!(problem_fields(&c), ["authentication_url"]);
    let c = check(json!({"name": "A", "type": "consumer_authentication", "authentication_url": "http://example.com"}));
    assert!(c.problems[0].message.contains("https"));
    assert!(c.input.is_none());
}

#[test]
fn unknown_type_and_unknown_fields_are_named() {
    let c = check(json!({"name": "A", "type": "magic"}));
    assert_eq!(problem_fields(&c), ["type"]);
    let c =
        check(json!({"name": "A", "type": "consumer_authentication", "authentication_url": GOOD_URL, "colour": "red"}));
    assert_eq!(problem_fields(&c), ["colour"]);
}

#[test]
fn step_one_checks_only_step_one_fields() {
    let c = credential(&json!({"name": "", "type": "consumer_authentication"}), SecretMode::Create, Step::One);
    assert_eq!(problem_fields(&c), ["name"]);
    let c =
        credential(&json!({"name": "A", "type": "oauth2", "grant_type": "password"}), SecretMode::Create, Step::One);
    assert_eq!(problem_fields(&c), ["grant_type"]);
    let c = credential(
        &json!({"name": "A", "type": "oauth2", "grant_type": "client_credentials"}),
        SecretMode::Create,
        Step::One,
    );
    assert!(c.problems.is_empty());
}

#[test]
fn oauth2_fields_follow_the_grant_type() {
    let code = json!({"name": "O", "type": "oauth2", "grant_type": "authorization_code", "client_id": "id",
        "client_secret": "s3cr3t", "scope": "", "auth_url": "https://a.example.com/auth", "token_url": "https://a.example.com/token", "pkce": true});
    let c = check(code.clone());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let input = c.input.expect("valid");
    assert_eq!(input.fields["pkce"], json!(true));
    assert_eq!(input.fields["scope"], Value::Null);

    let mut cc = code.clone();
    cc["grant_type"] = json!("client_credentials");
    let c = check(cc.clone());
    assert_eq!(problem_fields(&c), ["auth_url", "pkce"], "auth-code-only fields are refused for client credentials");
    cc["auth_url"] = json!("");
    cc["pkce"] = json!(false);
    let input = check(cc).input.expect("valid");
    assert!(!input.fields.contains_key("auth_url"));

    let mut missing = code;
    missing["client_secret"] = json!("");
    missing["token_url"] = json!("http://a.example.com/token");
    assert_eq!(problem_fields(&check(missing)), ["client_secret", "token_url"]);
}

#[test]
fn secrets_are_required_on_create_kept_on_update_optional_on_import() {
    let draft = json!({"name": "B", "type": "basic_authentication", "username": "svc", "password": null});
    assert_eq!(problem_fields(&check(draft.clone())), ["password"]);

    let stored: BTreeSet<String> = ["password".to_string()].into();
    let c = credential(&draft, SecretMode::Update(&stored), Step::All);
    assert!(c.problems.is_empty());
    assert!(c.input.expect("valid").secrets["password"].is_none(), "empty keeps the stored value");

    let none = BTreeSet::new();
    assert_eq!(problem_fields(&credential(&draft, SecretMode::Update(&none), Step::All)), ["password"]);

    let c = credential(&draft, SecretMode::Import, Step::All);
    assert!(c.problems.is_empty());

    let mut given = draft;
    given["password"] = json!("pa ss");
    let input = check(given).input.expect("valid");
    assert_eq!(input.secrets["password"].as_ref().map(Secret::expose), Some(json!("pa ss")));
    assert!(!input.fields.contains_key("password"), "secrets never sit among the plain fields");
}

#[test]
fn secret_values_never_appear_in_problems() {
    let c =
        check(json!({"name": "T", "type": "access_token", "access_token": "tok\nen-SECRET", "token_type": "Bearer"}));
    assert_eq!(problem_fields(&c), ["access_token"]);
    assert!(!format!("{:?}", c.problems).contains("SECRET"));
    let c = check(json!({"name": "N", "type": "nlu", "provider": "X", "credentials": "{\"key\": SECRET}"}));
    assert!(!format!("{:?}", c.problems).contains("SECRET"));
}

#[test]
fn nlu_credentials_must_be_a_json_object_with_position_of_errors() {
    let c = check(
        json!({"name": "N", "type": "nlu", "provider": "Google Dialogflow", "credentials": "{\n  \"a\": 1,\n  oops\n}"}),
    );
    assert_eq!(problem_fields(&c), ["credentials"]);
    assert!(c.problems[0].message.contains("line 3, column"), "{}", c.problems[0].message);
    let c = check(json!({"name": "N", "type": "nlu", "provider": "Google Dialogflow", "credentials": "[1,2]"}));
    assert!(c.problems[0].message.contains("JSON object"));
    let input = check(json!({"name": "N", "type": "nlu", "provider": "Google Dialogflow", "credentials": "{\"a\":1}"}))
        .input
        .expect("valid");
    assert_eq!(input.secrets["credentials"].as_ref().map(Secret::expose), Some(json!({"a": 1})));
}

#[test]
fn the_nlu_provider_is_one_of_the_two_engines_and_older_values_still_import() {
    let nlu = |provider: &str| json!({"name": "N", "type": "nlu", "provider": provider, "credentials": "{\"a\":1}"});
    let provider_of = |c: Checked| c.input.expect("valid").fields["provider"].clone();
    assert_eq!(provider_of(check(nlu("IBM Watson"))), json!("IBM Watson"));
    assert_eq!(provider_of(check(nlu("  google   DIALOGFLOW "))), json!("Google Dialogflow"), "named loosely");
    let c = check(nlu("Rasa"));
    assert_eq!(problem_fields(&c), ["provider"]);
    assert_eq!(c.problems[0].message, "must be one of: Google Dialogflow, IBM Watson");
    assert_eq!(problem_fields(&check(nlu(""))), ["provider"], "required");

    // An older export file's free text is kept as it was, trimmed.
    let older = credential(&nlu(" Dialogflow ES "), SecretMode::Import, Step::All);
    assert_eq!(provider_of(older), json!("Dialogflow ES"));
    let c = credential(&nlu("Wit\u{7}ai"), SecretMode::Import, Step::All);
    assert_eq!(problem_fields(&c), ["provider"], "still text: no control characters");

    // An edit keeps the older value stored, but a new value must be a choice.
    let none = BTreeSet::new();
    let kept: Map<String, Value> = [("provider".to_string(), json!("Dialogflow ES"))].into_iter().collect();
    let edit = |p: &str| credential_kept(&nlu(p), SecretMode::Update(&none), Step::All, &kept);
    assert_eq!(provider_of(edit("Dialogflow ES")), json!("Dialogflow ES"));
    assert_eq!(problem_fields(&edit("Dialogflow CX")), ["provider"]);
    assert_eq!(provider_of(edit("IBM Watson")), json!("IBM Watson"));
    let other = credential(&nlu("Dialogflow ES"), SecretMode::Update(&none), Step::All);
    assert_eq!(problem_fields(&other), ["provider"], "only the value that credential has");

    // Other selects keep their exact values.
    let grant = json!({"name": "O", "type": "oauth2", "grant_type": "Client_Credentials"});
    assert_eq!(problem_fields(&credential(&grant, SecretMode::Import, Step::One)), ["grant_type"]);
}

#[test]
fn certificates_check_extension_size_and_encoding() {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let draft = |file: Value| json!({"name": "M", "type": "mutual_authentication", "key_certificate": file, "protocols": ["TLSv1.2"]});
    assert!(check(draft(json!({"file_name": "key.P12", "data_base64": b64(b"abc")}))).problems.is_empty());
    let c = check(draft(json!({"file_name": "key.txt", "data_base64": b64(b"abc")})));
    assert!(c.problems[0].message.contains(".pfx"));
    let c = check(draft(json!({"file_name": "key.p12", "data_base64": "***"})));
    assert!(c.problems[0].message.contains("base64"));
    let c = check(draft(json!({"file_name": "key.p12", "data_base64": b64(&vec![0u8; 1024 * 1024 + 1])})));
    assert!(c.problems[0].message.contains("1 MiB"), "{}", c.problems[0].message);
    let c = check(draft(json!({"file_name": "../key.p12", "data_base64": b64(b"abc")})));
    assert_eq!(problem_fields(&c), ["key_certificate"]);
}

#[test]
fn protocols_keep_option_order_and_refuse_unknown_values() {
    let d = json!({"name": "M", "type": "mutual_authentication",
        "key_certificate": {"file_name": "k.pfx", "data_base64": "YWJj"}, "protocols": ["TLSv1.1", "TLSv1.2", "TLSv1.1"]});
    let input = check(d.clone()).input.expect("valid");
    assert_eq!(input.fields["protocols"], json!(["TLSv1.2", "TLSv1.1"]));
    let mut bad = d.clone();
    bad["protocols"] = json!(["SSLv3"]);
    assert_eq!(problem_fields(&check(bad)), ["protocols"]);
    let mut none = d;
    none["protocols"] = json!([]);
    assert_eq!(problem_fields(&check(none)), ["protocols"]);
}

#[test]
fn pre_authentication_has_no_fields() {
    let c = check(json!({"name": "Pre", "type": "consumer_pre_authentication"}));
    assert!(c.problems.is_empty());
    assert!(c.input.expect("valid").fields.is_empty());
}

#[test]
fn wrong_json_types_are_named() {
    let c = check(json!({"name": 5, "type": "basic_authentication", "username": ["x"], "password": "p"}));
    assert_eq!(problem_fields(&c), ["name", "username"]);
    assert!(c.problems[1].message.contains("must be a string"));
}

/// Look-alike hosts, IP addresses and odd ports are warned about (the
/// ASCII form beside the typed one), not refused; the URL is kept as typed.
#[test]
fn homographs_ip_literals_and_odd_ports_warn_and_keep_the_url_as_typed() {
    let query = "?client_id=abc&response_type=code&redirect_uri=x";
    let cases = [
        // Cyrillic "а" in "exаmple".
        (
            format!("https://accounts.ex\u{0430}mple.com/authorize{query}"),
            "is accounts.xn--exmple-4nf.com to the browser",
        ),
        (format!("https://xn--pple-43d.com/authorize{query}"), "international host name"),
        (format!("https://203.0.113.7/authorize{query}"), "names an IP address (203.0.113.7)"),
        (format!("https://[2001:db8::1]/authorize{query}"), "names an IP address ([2001:db8::1])"),
        (format!("https://accounts.example.com:8443/authorize{query}"), "uses port 8443"),
    ];
    for (url, warning) in cases {
        let c = check(json!({"name": "Link", "type": "consumer_authentication", "authentication_url": url}));
        assert!(c.problems.is_empty(), "{url}: {:?}", c.problems);
        let all: Vec<&str> = c.warnings.iter().map(|w| w.message.as_str()).collect();
        assert!(all.iter().any(|w| w.contains(warning)), "{url}: {all:?}");
        assert_eq!(c.input.expect("kept").fields["authentication_url"], json!(url), "stored as typed");
    }
    // The Token URL of OAuth 2.0 gets the same advice; plain local URLs get none.
    let c = check(json!({"name": "O", "type": "oauth2", "grant_type": "client_credentials", "client_id": "c",
                         "client_secret": "s", "token_url": "https://198.51.100.2:9443/token"}));
    assert_eq!(c.warnings.iter().filter(|w| w.field == "token_url").count(), 2, "{:?}", c.warnings);
    let c = check(
        json!({"name": "L", "type": "consumer_authentication", "authentication_url": format!("http://127.0.0.1:8080/authorize{query}")}),
    );
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    // Refused, as before: other schemes and user:password@.
    for bad in ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "https://u:p@accounts.example.com/a"] {
        let c = check(json!({"name": "B", "type": "consumer_authentication", "authentication_url": bad}));
        assert_eq!(problem_fields(&c), ["authentication_url"], "{bad}");
    }
}
