use super::*;
use crate::model::name_key;
use crate::store::{Action, OnConflict};
use proptest::prelude::*;
use serde_json::json;

fn no_progress() -> impl FnMut(usize, usize) {
    |_, _| {}
}

fn import_value(store: &mut Store, v: &Value, policy: OnConflict) -> crate::store::ImportReport {
    let file = parse_value(v).expect("valid file");
    store.import(&file, policy, false, &mut no_progress()).expect("import")
}

/// Every secret field of every type, filled with a recognizable value.
fn credentials_with_planted_secrets() -> Vec<Value> {
    vec![
        json!({"name": "Basic", "type": "basic_authentication", "username": "svc", "password": "PLANTED-1"}),
        json!({"name": "Token", "type": "access_token", "access_token": "PLANTED-2", "token_type": "Bearer"}),
        json!({"name": "OAuth", "type": "oauth2", "grant_type": "client_credentials", "client_id": "id", "client_secret": "PLANTED-3",
               "scope": null, "token_url": "https://a.example.com/token"}),
        json!({"name": "NLU", "type": "nlu", "provider": "Dialogflow", "credentials": {"private_key": "PLANTED-4"}}),
        json!({"name": "mTLS", "type": "mutual_authentication",
               "key_certificate": {"file_name": "k.p12", "data_base64": "UExBTlRFRC01"},
               "key_certificate_password": "PLANTED-6", "trust_certificate": null,
               "trust_certificate_password": "PLANTED-7", "protocols": ["TLSv1.2"]}),
    ]
}

fn doc(creds: Vec<Value>) -> Value {
    json!({"format": FORMAT, "version": 1, "secrets": "included", "organizations": [{"name": "Acme", "credentials": creds}]})
}

#[test]
fn a_default_export_contains_no_secret() {
    let mut s = Store::open_in_memory().expect("store");
    import_value(&mut s, &doc(credentials_with_planted_secrets()), OnConflict::Fail);
    let text = to_text(&export(&s, &[], false).expect("export"));
    assert!(!text.contains("PLANTED"), "{text}");
    assert!(!text.contains("UExBTlRFRC01"));
    assert!(text.contains("\"secrets\": \"redacted\""));
    let with = to_text(&export(&s, &[], true).expect("export"));
    for n in 1..=7 {
        if n != 5 {
            assert!(with.contains(&format!("PLANTED-{n}")), "secret {n} included on request");
        }
    }
}

#[test]
fn export_order_and_shape_are_defined() {
    let mut s = Store::open_in_memory().expect("store");
    for org in ["zeta", "Alpha", "beta"] {
        s.create_org(org).expect("org");
    }
    let a = s.org_by_name("Alpha").expect("org").id;
    for name in ["b cred", "A cred", "c cred"] {
        s.create_credential(a, &json!({"name": name, "type": "consumer_pre_authentication"})).ok();
        s.create_credential(
            a,
            &json!({"name": name, "type": "access_token", "access_token": "t", "token_type": "Bearer"}),
        )
        .ok();
    }
    let d = export(&s, &[], false).expect("export");
    let orgs: Vec<&str> =
        d["organizations"].as_array().expect("orgs").iter().filter_map(|o| o["name"].as_str()).collect();
    assert_eq!(orgs, ["Alpha", "beta", "zeta"]);
    let creds: Vec<&str> = d["organizations"][0]["credentials"]
        .as_array()
        .expect("creds")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(creds, ["A cred", "b cred", "c cred"]);
    let keys: Vec<&str> = d.as_object().expect("top").keys().map(String::as_str).collect();
    assert_eq!(keys, ["format", "version", "exported_at", "secrets", "organizations"]);
    let only = export(&s, &["BETA".to_string()], false).expect("one org");
    assert_eq!(only["organizations"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        export(&s, &["nope".to_string()], false).expect_err("unknown").to_string(),
        "no organization named \"nope\""
    );
}

#[test]
fn a_null_secret_keeps_the_stored_one_or_marks_the_credential() {
    let mut s = Store::open_in_memory().expect("store");
    import_value(&mut s, &doc(credentials_with_planted_secrets()), OnConflict::Fail);
    let redacted = export(&s, &[], false).expect("export");
    let report = import_value(&mut s, &redacted, OnConflict::Replace);
    assert_eq!(report.replaced, 5);
    assert!(report.credentials.iter().all(|c| !c.needs_secret), "stored secrets were kept");
    let with = to_text(&export(&s, &[], true).expect("export"));
    assert!(with.contains("PLANTED-1"));

    let mut fresh = Store::open_in_memory().expect("store");
    let report = import_value(&mut fresh, &redacted, OnConflict::Fail);
    assert_eq!(report.added, 5);
    let needing: Vec<&str> = report.credentials.iter().filter(|c| c.needs_secret).map(|c| c.name.as_str()).collect();
    assert_eq!(needing, ["Basic", "mTLS", "NLU", "OAuth", "Token"]);
    let org = fresh.org_by_name("Acme").expect("org");
    assert!(fresh.list_credentials(org.id).expect("list").iter().all(|c| !c.missing_secrets().is_empty()));
}

#[test]
fn conflicts_fail_skip_or_replace_and_a_failure_writes_nothing() {
    let mut s = Store::open_in_memory().expect("store");
    let first = doc(vec![json!({"name": "T", "type": "access_token", "access_token": "one", "token_type": "Bearer"})]);
    import_value(&mut s, &first, OnConflict::Fail);
    let second = doc(vec![
        json!({"name": "New", "type": "access_token", "access_token": "x", "token_type": "Bearer"}),
        json!({"name": "t", "type": "access_token", "access_token": "two", "token_type": "MAC"}),
    ]);
    let file = parse_value(&second).expect("valid");
    let report = s.import(&file, OnConflict::Fail, false, &mut no_progress()).expect("ran");
    assert!(!report.applied);
    assert_eq!(report.problems[0].field, "organizations[0].credentials[1].name");
    let org = s.org_by_name("Acme").expect("org");
    assert_eq!(s.list_credentials(org.id).expect("list").len(), 1, "nothing of the failed import was kept");

    let report = s.import(&file, OnConflict::Skip, false, &mut no_progress()).expect("skip");
    assert_eq!((report.added, report.skipped), (1, 1));
    let report = s.import(&file, OnConflict::Replace, true, &mut no_progress()).expect("dry run");
    assert_eq!(report.credentials[1].action, Action::Replace);
    assert!(!report.applied);
    assert_eq!(
        s.list_credentials(org.id).expect("list")[1].fields["token_type"],
        json!("Bearer"),
        "dry run wrote nothing"
    );
    s.import(&file, OnConflict::Replace, false, &mut no_progress()).expect("replace");
    assert_eq!(s.list_credentials(org.id).expect("list")[1].fields["token_type"], json!("MAC"));
}

#[test]
fn every_fixture_is_refused_with_its_named_problem() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import");
    let expected: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("manifest")).expect("json");
    assert!(expected.len() >= 15);
    for (file, want) in expected {
        let err = read_file(&dir.join(&file)).expect_err(&file);
        let all: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
        assert!(all.iter().any(|p| p.contains(&want)), "{file}: wanted {want:?}, got {all:?}");
    }
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let dir = tempfile::tempdir().expect("tmp");
    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(MAX_FILE_BYTES + 1).expect("sparse file");
    let err = read_file(&big).expect_err("too big");
    assert!(err.to_string().contains("larger than 64 MiB"), "{err}");
}

#[test]
fn atomic_write_is_private_and_replaces_the_old_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("export.json");
    std::fs::write(&path, "old").expect("old");
    crate::fsutil::write_atomic(&path, b"new").expect("write");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1, "no temporary file is left");
}

// ---- round trip: random organizations and credentials of every type ----

fn name_strategy() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 _.<>&'\"-]{0,20}[A-Za-z0-9]".prop_map(|s| s)
}

fn url_strategy() -> impl Strategy<Value = String> {
    ("[a-z]{1,10}", "[a-z0-9/]{0,12}", proptest::bool::ANY).prop_map(|(host, path, query)| {
        let q = if query { "?client_id=a&response_type=code&redirect_uri=x" } else { "" };
        format!("https://{host}.example.com/{path}{q}")
    })
}

fn secret_strategy() -> impl Strategy<Value = String> {
    "[ -~]{1,24}"
}

fn credential_strategy() -> impl Strategy<Value = Value> {
    let b64 = "[A-Za-z0-9+/]{4,16}".prop_map(|s| {
        let len = s.len() / 4 * 4;
        s[..len].to_string()
    });
    prop_oneof![
        url_strategy().prop_map(|u| json!({"type": "consumer_authentication", "authentication_url": u})),
        Just(json!({"type": "consumer_pre_authentication"})),
        (proptest::bool::ANY, "[a-z0-9]{1,12}", secret_strategy(), proptest::option::of("[a-z ]{1,10}"), url_strategy(), url_strategy(), proptest::bool::ANY)
            .prop_map(|(code, id, secret, scope, auth, token, pkce)| {
                if code {
                    json!({"type": "oauth2", "grant_type": "authorization_code", "client_id": id, "client_secret": secret,
                           "scope": scope.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()), "auth_url": auth, "token_url": token, "pkce": pkce})
                } else {
                    json!({"type": "oauth2", "grant_type": "client_credentials", "client_id": id, "client_secret": secret,
                           "scope": scope.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()), "auth_url": null, "token_url": token, "pkce": null})
                }
            }),
        (b64.clone(), proptest::option::of(secret_strategy()), proptest::option::of(b64), proptest::sample::subsequence(vec!["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"], 1..=4))
            .prop_map(|(key, pw, trust, protocols)| json!({"type": "mutual_authentication",
                "key_certificate": {"file_name": "client.p12", "data_base64": key}, "key_certificate_password": pw,
                "trust_certificate": trust.map(|t| json!({"file_name": "ca.pem", "data_base64": t})), "trust_certificate_password": null,
                "protocols": protocols})),
        ("[a-z][a-z0-9-]{0,10}", secret_strategy()).prop_map(|(u, p)| json!({"type": "basic_authentication", "username": u, "password": p})),
        (secret_strategy(), "[A-Za-z]{1,8}").prop_map(|(t, k)| json!({"type": "access_token", "access_token": t, "token_type": k})),
        ("[A-Za-z ]{0,10}[A-Za-z]", "[a-z]{1,8}", secret_strategy())
            .prop_map(|(p, k, v)| json!({"type": "nlu", "provider": p.trim(), "credentials": {k: v, "nested": {"n": 1}}})),
    ]
}

fn file_strategy() -> impl Strategy<Value = Value> {
    let org = (name_strategy(), proptest::collection::vec((name_strategy(), credential_strategy()), 0..6));
    proptest::collection::vec(org, 0..4).prop_map(|orgs| {
        let mut seen_orgs = std::collections::HashSet::new();
        let organizations: Vec<Value> = orgs
            .into_iter()
            .filter(|(name, _)| seen_orgs.insert(name_key(name)))
            .map(|(name, creds)| {
                let mut seen = std::collections::HashSet::new();
                let mut pre = false;
                let credentials: Vec<Value> = creds
                    .into_iter()
                    .filter(|(n, c)| {
                        let is_pre = c["type"] == "consumer_pre_authentication";
                        let ok = seen.insert(name_key(n)) && !(is_pre && pre);
                        pre |= is_pre && ok;
                        ok
                    })
                    .map(|(n, mut c)| {
                        c["name"] = json!(n);
                        c
                    })
                    .collect();
                json!({"name": name, "credentials": credentials})
            })
            .collect();
        json!({"format": FORMAT, "version": 1, "secrets": "included", "organizations": organizations})
    })
}

fn schema() -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/export-v1.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema file")).expect("schema json");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn assert_matches_schema(v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "export does not match docs/export-v1.schema.json: {errors:?}");
}

#[test]
fn exports_of_every_type_match_the_published_schema() {
    let v = schema();
    let mut s = Store::open_in_memory().expect("store");
    let mut creds = credentials_with_planted_secrets();
    creds.push(json!({"name": "Consumer", "type": "consumer_authentication", "authentication_url": "https://a.example.com/x?client_id=1"}));
    creds.push(json!({"name": "Pre", "type": "consumer_pre_authentication"}));
    creds.push(json!({"name": "Code", "type": "oauth2", "grant_type": "authorization_code", "client_id": "c", "client_secret": "s",
        "scope": "a b", "auth_url": "http://localhost:8080/auth", "token_url": "https://t.example.com/token", "pkce": true}));
    import_value(&mut s, &doc(creds), OnConflict::Fail);
    for include in [false, true] {
        assert_matches_schema(&v, &export(&s, &[], include).expect("export"));
    }
    // The schema is not a rubber stamp.
    let mut bad = export(&s, &[], false).expect("export");
    bad["organizations"][0]["credentials"][0]["colour"] = json!("red");
    assert!(!v.is_valid(&bad));
    bad = export(&s, &[], false).expect("export");
    bad["version"] = json!(2);
    assert!(!v.is_valid(&bad));
}

fn without_date(mut v: Value) -> Value {
    v.as_object_mut().map(|o| o.remove("exported_at"));
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn export_import_export_is_stable(file in file_strategy()) {
        let validator = schema();
        let mut a = Store::open_in_memory().expect("store");
        let parsed = parse_value(&file).expect("generated file is valid");
        let report = a.import(&parsed, OnConflict::Fail, false, &mut no_progress()).expect("import");
        prop_assert!(report.applied, "{:?}", report.problems);
        for include_secrets in [false, true] {
            let first = export(&a, &[], include_secrets).expect("export");
            prop_assert!(validator.is_valid(&first), "export does not match the schema");
            let mut b = Store::open_in_memory().expect("store");
            let text = to_text(&first);
            let again = parse_bytes(text.as_bytes()).expect("own export reads back");
            b.import(&again, OnConflict::Fail, false, &mut no_progress()).expect("import");
            let second = export(&b, &[], include_secrets).expect("export");
            prop_assert_eq!(without_date(first), without_date(second));
        }
    }
}

/// The published schema and the one type table agree, field by field, both
/// ways: every type has one branch and every branch one type; a branch's
/// properties are exactly `name`, `type` and the type's fields; it requires
/// exactly the plain fields that are always asked; secrets and conditional
/// fields may be null; choices list exactly the table's options.
#[test]
fn the_schema_and_the_type_table_agree_both_ways() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/export-v1.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
    let branches = schema["$defs"]["credential"]["oneOf"].as_array().expect("credential branches");
    let ids: Vec<&str> =
        branches.iter().map(|b| b["properties"]["type"]["const"].as_str().expect("type const")).collect();
    assert_eq!(ids, crate::model::TYPES.iter().map(|t| t.id).collect::<Vec<_>>(), "one branch per type, in order");
    for (branch, kind) in branches.iter().zip(crate::model::TYPES) {
        let props = branch["properties"].as_object().expect("properties");
        let mut names: Vec<&str> = vec!["name", "type"];
        names.extend(kind.fields.iter().map(|f| f.name));
        assert_eq!(
            props.keys().map(String::as_str).collect::<Vec<_>>(),
            names,
            "{}: properties, in export order",
            kind.id
        );
        assert_eq!(branch["additionalProperties"], false, "{}", kind.id);
        let mut required: Vec<&str> = vec!["name", "type"];
        required.extend(kind.fields.iter().filter(|f| f.required && !f.secret && f.when.is_none()).map(|f| f.name));
        let listed: Vec<&str> =
            branch["required"].as_array().expect("required").iter().filter_map(Value::as_str).collect();
        assert_eq!(listed, required, "{}: required fields", kind.id);
        for f in kind.fields {
            let p = &props[f.name];
            let nullable = p["oneOf"].as_array().is_some_and(|alts| alts.iter().any(|a| a["type"] == "null"));
            assert_eq!(
                nullable,
                f.secret || !f.required || f.when.is_some(),
                "{}.{}: may it be null?",
                kind.id,
                f.name
            );
            if f.older_values {
                // The choices, or the text an older file carried.
                let alts = p["anyOf"].as_array().expect("a choice or an older text");
                let values: Vec<&str> = f.options.iter().map(|(v, _)| *v).collect();
                assert_eq!(alts[0]["enum"], json!(values), "{}.{}: choices", kind.id, f.name);
                assert_eq!(alts[1]["type"], "string", "{}.{}: older values", kind.id, f.name);
            } else if !f.options.is_empty() {
                let inner = p["oneOf"].as_array().and_then(|a| a.iter().find(|a| a["type"] != "null")).unwrap_or(p);
                let choices = if inner["enum"].is_array() { &inner["enum"] } else { &inner["items"]["enum"] };
                let values: Vec<&str> = f.options.iter().map(|(v, _)| *v).collect();
                assert_eq!(choices, &json!(values), "{}.{}: choices", kind.id, f.name);
            }
        }
    }
}

/// The streamed export is exactly the pretty JSON of the document it
/// holds, with a final newline: what the export always wrote.
#[test]
fn the_streamed_export_is_the_pretty_document_it_holds() {
    let mut s = Store::open_in_memory().expect("store");
    let org = s.create_org("Zeta").expect("org").id;
    s.create_org("acme").expect("org");
    s.create_credential(org, &json!({"name": "b", "type": "basic_authentication", "username": "u", "password": "pw"}))
        .expect("c");
    s.create_credential(
        org,
        &json!({"name": "A", "type": "nlu", "provider": "IBM Watson", "credentials": "{\"k\": [1, 2]}"}),
    )
    .expect("c");
    for include in [false, true] {
        let mut out = Vec::new();
        let counts = crate::transfer::write_export(&s, &[], include, &mut out).expect("export");
        assert_eq!(counts, crate::transfer::ExportCounts { organizations: 2, credentials: 2 });
        let text = String::from_utf8(out).expect("utf-8");
        let doc: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(to_text(&doc), text);
        let names: Vec<&str> = doc["organizations"][1]["credentials"]
            .as_array()
            .expect("creds")
            .iter()
            .map(|c| c["name"].as_str().expect("name"))
            .collect();
        assert_eq!(names, ["A", "b"], "credentials by name, case-insensitively");
        assert_eq!(doc["organizations"][0]["name"], "acme");
        assert_eq!(
            doc["organizations"][1]["credentials"][1]["password"],
            if include { json!("pw") } else { Value::Null }
        );
    }
}

/// The bytes reader (one-pass skeleton, credentials checked on every core)
/// and the parsed-document reader name the same problems, in the same order.
#[test]
fn both_readers_agree_on_every_fixture_and_on_shapes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).unwrap_or_default())
        .collect();
    let cred = json!({"name": "A", "type": "access_token", "access_token": "t", "token_type": "Bearer"});
    let many: Vec<Value> =
        (0..600).map(|i| json!({"name": format!("c{i}"), "type": "consumer_pre_authentication"})).collect();
    for doc in [
        json!([1, 2]),
        json!({"format": FORMAT, "version": 1, "organizations": {"a": 1}}),
        json!({"format": FORMAT, "version": 1, "organizations": [7, [1], null, {"name": "x", "credentials": "no"}]}),
        json!({"format": FORMAT, "version": 1, "extra": true, "organizations": [{"name": "x", "credentials": null, "more": 1}]}),
        json!({"format": FORMAT, "version": 1, "organizations": [{"name": "x", "credentials": [cred.clone(), cred, 5]}]}),
        json!({"format": FORMAT, "version": 1, "organizations": [{"name": "big", "credentials": many}]}),
    ] {
        texts.push(doc.to_string());
    }
    let problems = |r: Result<ImportFile>| match r {
        Ok(f) => vec![format!("ok {}", f.credential_count())],
        Err(e) => e.problems().iter().map(ToString::to_string).collect::<Vec<_>>(),
    };
    for text in texts {
        let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
        assert_eq!(
            problems(parse_bytes(text.as_bytes())),
            problems(parse_value(&value)),
            "{}",
            &text[..text.len().min(200)]
        );
    }
}

/// Past one batch and across threads: the same pretty document, in order,
/// every secret opened; a value that does not open stops the export by name.
#[test]
fn a_large_streamed_export_is_the_same_document_in_order() {
    let mut s = Store::open_in_memory().expect("store");
    let creds: Vec<Value> = (0..2500)
        .rev()
        .map(|i| json!({"name": format!("cred {i:05}"), "type": "basic_authentication", "username": "u", "password": format!("pw-{i}")}))
        .collect();
    import_value(&mut s, &doc(creds), OnConflict::Fail);
    let mut out = Vec::new();
    let counts = write_export(&s, &[], true, &mut out).expect("export");
    assert_eq!(counts.credentials, 2500);
    let text = String::from_utf8(out).expect("utf-8");
    let parsed: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(to_text(&parsed), text);
    let list = parsed["organizations"][0]["credentials"].as_array().expect("creds");
    for (i, c) in list.iter().enumerate() {
        assert_eq!(
            (c["name"].as_str(), c["password"].as_str()),
            (Some(&*format!("cred {i:05}")), Some(&*format!("pw-{i}")))
        );
    }
    s.conn_for_tests()
        .execute(
            "UPDATE credential_secrets SET sealed = (SELECT sealed FROM credential_secrets ORDER BY credential_id LIMIT 1)
             WHERE credential_id = (SELECT max(credential_id) FROM credential_secrets)",
            [],
        )
        .expect("move a sealed value");
    let err = write_export(&s, &[], true, &mut Vec::new()).expect_err("tampered");
    assert_eq!(err.kind(), "tampered");
    assert!(err.to_string().contains("\"cred 00000\" in \"Acme\""), "{err}");
}

/// A reply (the window's preview, an error) carries the first 20 problems
/// and how many there are in all.
#[test]
fn replies_carry_the_first_twenty_problems_and_their_count() {
    let mut s = Store::open_in_memory().expect("store");
    let creds: Vec<Value> = (0..45)
        .map(|i| json!({"name": format!("t{i}"), "type": "access_token", "access_token": "x", "token_type": "Bearer"}))
        .collect();
    import_value(&mut s, &doc(creds.clone()), OnConflict::Fail);
    let file = parse_value(&doc(creds)).expect("valid");
    let report = s.import(&file, OnConflict::Fail, true, &mut no_progress()).expect("dry run");
    assert_eq!((report.problems.len(), report.problem_count), (45, 45));
    let sent = serde_json::to_value(&report).expect("json");
    assert_eq!(sent["problems"].as_array().map(Vec::len), Some(20));
    assert_eq!(sent["problem_count"], 45);
    let err = serde_json::to_value(Error::Invalid(report.problems)).expect("json");
    assert_eq!((err["problems"].as_array().map(Vec::len), err["problem_count"].as_u64()), (Some(20), Some(45)));
    assert_eq!(crate::error::more_problems(45).as_deref(), Some("… and 25 more problems"));
    assert_eq!(crate::error::more_problems(21).as_deref(), Some("… and 1 more problem"));
    assert_eq!(crate::error::more_problems(20), None);
}

/// Issue #12: the NLU Provider became a choice. An older file's other
/// provider still imports, is listed and exported as it was, and survives an
/// edit that leaves it; a new value must be one of the choices.
#[test]
fn an_older_files_nlu_provider_imports_and_is_kept() {
    let mut s = Store::open_in_memory().expect("store");
    let nlu = |name: &str, provider: &str| json!({"name": name, "type": "nlu", "provider": provider, "credentials": {"k": "v"}});
    let report =
        import_value(&mut s, &doc(vec![nlu("Old", "Dialogflow ES"), nlu("Loose", "ibm watson")]), OnConflict::Fail);
    assert!(report.applied, "{:?}", report.problems);
    let org = s.org_by_name("Acme").expect("org");
    let rows: Vec<(String, String)> =
        s.list_credentials(org.id).expect("list").iter().map(|c| (c.name.clone(), c.summary())).collect();
    assert_eq!(rows, [("Loose".into(), "IBM Watson".into()), ("Old".into(), "Dialogflow ES".into())]);
    let exported = export(&s, &[], false).expect("export");
    assert_eq!(exported["organizations"][0]["credentials"][1]["provider"], "Dialogflow ES");
    assert_matches_schema(&schema(), &exported);

    let old = s.credential_named(org.id, "Old").expect("old");
    let edit = json!({"name": "Old NLU", "type": "nlu", "provider": "Dialogflow ES", "credentials": ""});
    assert!(s
        .check_credential(org.id, Some(old.id), &edit, crate::validate::Step::All)
        .expect("check")
        .problems
        .is_empty());
    let renamed = s.update_credential(old.id, &edit, &[]).expect("an edit keeps the older provider");
    assert_eq!(renamed.fields["provider"], "Dialogflow ES");
    let other = json!({"name": "Old NLU", "type": "nlu", "provider": "Rasa", "credentials": ""});
    let err = s.update_credential(old.id, &other, &[]).expect_err("a new value must be a choice");
    assert_eq!(err.problems()[0].field, "provider");
    let fresh = json!({"name": "New", "type": "nlu", "provider": "Dialogflow ES", "credentials": "{\"a\": 1}"});
    let err = s.create_credential(org.id, &fresh).expect_err("nor may a new credential take an older value");
    assert_eq!(err.problems().iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["provider"]);
}
