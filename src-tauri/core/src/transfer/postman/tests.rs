use super::*;
use crate::model::CredImport;
use crate::store::{Action, OnConflict, Store};
use serde_json::json;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/postman").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn acme_env() -> Environment {
    read_environment(&fixture("acme-staging.postman_environment.json")).expect("environment")
}

pub(super) fn collection(auth: Option<Value>, items: Value, variables: Value) -> Vec<u8> {
    let mut doc = json!({"info": {"name": "Test", "schema": SCHEMA_V21}, "item": items, "variable": variables});
    if let Some(auth) = auth {
        doc["auth"] = auth;
    }
    serde_json::to_vec(&doc).expect("json")
}

fn env(values: Value) -> Environment {
    read_environment(&serde_json::to_vec(&json!({"name": "E", "values": values})).expect("json")).expect("env")
}

/// Postman's `[{ key, value, type }]` from pairs.
fn attrs(pairs: &[(&str, &str)]) -> Value {
    pairs.iter().map(|(k, v)| json!({"key": k, "value": v, "type": "string"})).collect()
}

fn basic(user: &str, password: &str) -> Value {
    json!({"type": "basic", "basic": attrs(&[("password", password), ("username", user)])})
}

fn oauth2(pairs: &[(&str, &str)]) -> Value {
    json!({"type": "oauth2", "oauth2": attrs(pairs)})
}

pub(super) fn request(name: &str, auth: Option<Value>) -> Value {
    let mut r = json!({"method": "GET", "header": [], "url": {"raw": "https://api.example.com/x"}});
    if let Some(auth) = auth {
        r["auth"] = auth;
    }
    json!({"name": name, "request": r, "response": []})
}

pub(super) fn folder(name: &str, auth: Option<Value>, items: Value) -> Value {
    let mut f = json!({"name": name, "item": items});
    if let Some(auth) = auth {
        f["auth"] = auth;
    }
    f
}

pub(super) fn credentials(p: &PostmanImport) -> Vec<&CredImport> {
    p.file.organizations.iter().flat_map(|o| &o.credentials).collect()
}

fn problems(r: Result<PostmanImport>) -> Vec<String> {
    match r {
        Err(Error::Invalid(ps)) => ps.iter().map(ToString::to_string).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

fn secret(c: &CredImport, field: &str) -> Value {
    c.input.secrets[field].as_ref().map(|s| s.expose()).unwrap_or(Value::Null)
}

#[test]
fn each_auth_block_becomes_a_credential_named_after_where_it_was_found() {
    let env = acme_env();
    assert_eq!((env.name.as_deref(), env.len()), (Some("Acme Staging"), 9));
    let p = read_collection(&fixture("acme.postman_collection.json"), " Acme Bots ", Some(&env)).expect("imports");
    assert_eq!(p.collection.as_deref(), Some("Acme Orders API"));
    assert_eq!(p.file.organizations.len(), 1);
    assert_eq!(p.file.organizations[0].name, "Acme Bots", "trimmed as any name");
    let creds = credentials(&p);
    let found: Vec<(&str, &str, &str)> =
        creds.iter().map(|c| (c.input.name.as_str(), c.input.kind.id, c.path.as_str())).collect();
    assert_eq!(
        found,
        [
            ("Collection", "oauth2", "auth"),
            ("Orders", "basic_authentication", "item[0].auth"),
            ("Orders / Admin", "access_token", "item[0].item[2].auth"),
            ("Payments / Charge", "oauth2", "item[1].item[0].request.auth"),
        ],
        "the requests that inherit (no auth, \"inherit\") and \"noauth\" add nothing"
    );

    let code = &creds[0].input;
    assert_eq!(
        Value::Object(code.fields.clone()),
        json!({"grant_type": "authorization_code", "client_id": "acme-bots", "scope": "orders:read orders:write",
               "auth_url": "https://auth.staging.acme.example.com/oauth2/authorize",
               "token_url": "https://auth.staging.acme.example.com/oauth2/token", "pkce": true}),
        "authorization_code_with_pkce; the environment's auth_base over the collection's"
    );
    assert_eq!(secret(creds[0], "client_secret"), json!("PM-SECRET-collection-client-secret"));

    assert_eq!(creds[1].input.fields["username"], json!("svc-orders-staging"), "the collection's is disabled");
    assert_eq!(secret(creds[1], "password"), json!("PM-SECRET-orders-password"));
    assert_eq!(creds[2].input.fields["token_type"], json!("Bearer"));
    assert_eq!(secret(creds[2], "access_token"), json!("PM-SECRET-admin-token"));

    let client = &creds[3].input;
    assert_eq!(
        Value::Object(client.fields.clone()),
        json!({"grant_type": "client_credentials", "client_id": "payments-bot", "scope": "payments:write payments:read",
               "token_url": "https://auth.staging.acme.example.com/oauth2/token"}),
        "no Auth URL or PKCE for client credentials"
    );
    assert_eq!(secret(creds[3], "client_secret"), json!("PM-SECRET-payments-secret"));

    let notes: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("item[2].auth: API Key (\"apikey\") has no matching credential type"), "{notes:?}");
}

#[test]
fn without_its_environment_the_collection_names_every_placeholder_it_cannot_resolve() {
    let all = problems(read_collection(&fixture("acme.postman_collection.json"), "Acme", None));
    assert_eq!(
        all,
        [
            "auth.oauth2.clientSecret: {{client_secret}} is not defined (no environment file was given)",
            "item[0].auth.basic.username: {{orders_user}} is disabled in the collection",
            "item[0].auth.basic.password: {{orders_password}} is not defined (no environment file was given)",
            "item[0].item[2].auth.bearer.token: {{admin_token}} is not defined (no environment file was given)",
            "item[1].item[0].request.auth.oauth2.clientSecret: {{payments_client_secret}} is not defined (no environment file was given)",
        ]
    );
    let env = acme_env();
    let all = problems(read_collection(&fixture("unresolved.postman_collection.json"), "Acme", Some(&env)));
    assert_eq!(
        all,
        ["item[1].item[0].request.auth.oauth2.clientSecret: {{crm_client_secret}} is not defined in the environment"],
        "the collection's own variables count too (crm_password)"
    );
}

#[test]
fn placeholders_resolve_as_postman_does() {
    let items = json!([request("R", Some(basic("{{user}}-{{n}}", "{{outer}}")),)]);
    let vars = json!([{"key": "user", "value": "from-collection"}, {"key": "n", "value": 7},
                      {"key": "outer", "value": "<{{inner}}>"}, {"key": "inner", "value": "{{deep}}!"}]);
    let e = env(json!([{"key": "user", "value": "from-env", "type": "default", "enabled": true},
                       {"key": "deep", "value": "s3cr3t", "type": "secret", "enabled": true},
                       {"key": "n", "value": "ignored", "enabled": false}]));
    let p = read_collection(&collection(None, items, vars), "A", Some(&e)).expect("imports");
    let c = credentials(&p)[0];
    assert_eq!(c.input.fields["username"], json!("from-env-7"), "environment first; a disabled one does not count");
    assert_eq!(secret(c, "password"), json!("<s3cr3t!>"), "defined through others");
}

#[test]
fn a_placeholder_that_cannot_be_resolved_says_why() {
    let with = |password: &str, vars: Value, e: Option<&Environment>| {
        let items = json!([folder("F", None, json!([request("R", Some(basic("u", password)))]))]);
        problems(read_collection(&collection(None, items, vars), "A", e))
    };
    let place = "item[0].item[0].request.auth.basic.password";
    let e = env(json!([{"key": "off", "value": "x", "enabled": false}]));
    assert_eq!(
        with("{{nope}}", json!([]), Some(&e)),
        [format!("{place}: {{{{nope}}}} is not defined in the environment")]
    );
    assert_eq!(with("{{off}}", json!([]), Some(&e)), [format!("{place}: {{{{off}}}} is disabled in the environment")]);
    assert_eq!(
        with("{{$guid}}", json!([]), None),
        [format!("{place}: {{{{$guid}}}} is one of Postman's dynamic variables; a credential needs a fixed value")]
    );
    let looped = json!([{"key": "a", "value": "{{b}}"}, {"key": "b", "value": "x{{a}}"}]);
    let got = with("{{a}}", looped, None);
    assert!(got[0].starts_with(&format!("{place}: {{{{a}}}} is defined through itself")), "{got:?}");
    // Braces that are not a placeholder are never stored as a value.
    let got = with("{{a{b}}", json!([]), None);
    assert!(got[0].contains("not a placeholder Postman resolves"), "{got:?}");
    assert!(!got[0].contains("a{b"), "the value is not repeated: {got:?}");
}

#[test]
fn grant_types_map_onto_the_two_of_the_bot_accounts_screen() {
    let common = [
        ("clientId", "c"),
        ("clientSecret", "s"),
        ("authUrl", "https://a.example.com/authorize"),
        ("accessTokenUrl", "https://a.example.com/token"),
        ("useBrowser", "false"),
        ("tokenName", "t"),
    ];
    let with = |grant: Option<&str>| {
        let mut pairs = common.to_vec();
        if let Some(g) = grant {
            pairs.push(("grant_type", g));
        }
        read_collection(&collection(Some(oauth2(&pairs)), json!([]), json!([])), "A", None).expect("reads")
    };
    let fields = |p: &PostmanImport| credentials(p).first().map(|c| Value::Object(c.input.fields.clone()));
    for (grant, pkce) in
        [(Some("authorization_code"), false), (None, false), (Some("authorization_code_with_pkce"), true)]
    {
        let p = with(grant);
        let f = fields(&p).expect("a credential");
        assert_eq!(
            (f["grant_type"].clone(), f["pkce"].clone()),
            (json!("authorization_code"), json!(pkce)),
            "{grant:?}"
        );
        assert_eq!(f["auth_url"], json!("https://a.example.com/authorize"));
    }
    let p = with(Some("client_credentials"));
    assert_eq!(fields(&p).expect("a credential").get("auth_url"), None);
    for other in ["password_credentials", "implicit"] {
        let p = with(Some(other));
        assert!(credentials(&p).is_empty(), "{other} makes no credential");
        assert!(p.file.organizations.is_empty(), "nor an organization");
        assert_eq!(p.notes[0].field, "auth.oauth2.grant_type");
        assert!(p.notes[0].message.contains("is not a grant type of the Bot Accounts screen"), "{:?}", p.notes);
    }
}

#[test]
fn every_problem_is_named_by_its_place_in_the_collection() {
    let items = json!([
        request(
            "Same",
            Some(oauth2(&[
                ("grant_type", "client_credentials"),
                ("clientId", "c"),
                ("accessTokenUrl", "http://example.com/t")
            ]))
        ),
        request("Same", Some(json!({"type": "bearer", "bearer": attrs(&[("token", "t")])}))),
        folder("", Some(basic("u", "p")), json!([])),
        request("Broken", Some(json!({"type": "basic", "basic": [{"value": "x"}]}))),
        request("Untyped", Some(json!({"basic": []}))),
        folder("Bad", None, json!({"not": "a list"})),
        "not an item",
        request("Text", Some(basic("u\u{1}", "p"))),
    ]);
    let all = problems(read_collection(&collection(None, items, json!([])), "A", None));
    assert_eq!(
        all,
        [
            "item[2].name: must be a non-empty string: it names the credential made from item[2].auth",
            "item[4].request.auth.type: must be the auth type, a string (e.g. \"basic\", \"noauth\")",
            "item[5].item: must be an array",
            "item[6]: must be an object (a folder or a request)",
            "item[3].request.auth.basic[0]: must be an object with a key and a value",
            "item[0].request.auth.oauth2.accessTokenUrl: must be an absolute https URL (http is allowed only for localhost)",
            "item[3].request.auth.basic.username: is required",
            "item[7].request.auth.basic.username: must not contain control characters (tabs, line breaks, …)",
        ]
    );
    // A name twice (the second says where the first is), and the organization.
    let items = json!([request("Same", Some(basic("u", "p"))), request("same ", Some(basic("u", "p")))]);
    let all = problems(read_collection(&collection(None, items, json!([])), " ", None));
    assert_eq!(
        all,
        ["organization: must not be empty", "item[1].name: \"same\" appears twice (also at item[0].request.auth)"]
    );
}

#[test]
fn other_files_are_refused_with_a_message_that_says_what_they_are() {
    let first = |bytes: &[u8]| problems(read_collection(bytes, "A", None)).remove(0);
    assert_eq!(
        first(&fixture("legacy-v2.0.postman_collection.json")),
        "info.schema: this is a Postman collection v2.0.0; this build reads v2.1: in Postman, export the collection again as Collection v2.1"
    );
    let ours = br#"{"format": "bot-credentials", "version": 1, "organizations": []}"#;
    assert!(first(ours).contains("this is a Bot Credentials export, not a Postman collection"));
    assert!(first(&fixture("acme-staging.postman_environment.json")).contains("this is a Postman environment"));
    assert!(first(b"{\"info\": {}, \"item\": []}").starts_with("info.schema: is not a Postman collection's"));
    assert!(first(b"[1]").contains("must hold a JSON object"));
    assert!(first(b"{\"info\": ").starts_with("not a Postman collection: not JSON: EOF while parsing"));
    assert!(first(b"\xff\xfe").starts_with("not UTF-8 text"));
    let no_items = format!(r#"{{"info": {{"schema": "{SCHEMA_V21}"}}}}"#);
    assert!(first(no_items.as_bytes()).starts_with("item: is required and must be an array"));
    // Deep nesting is refused as JSON, never a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(first(deep.as_bytes()).contains("recursion limit"));
}

#[test]
fn the_environment_file_is_checked_and_named() {
    let read = |v: Value| read_environment(&serde_json::to_vec(&v).expect("json"));
    let all =
        |r: Result<Environment>| r.expect_err("refused").problems().iter().map(ToString::to_string).collect::<Vec<_>>();
    assert_eq!(
        all(read(
            json!({"name": "E", "values": [{"value": "x"}, {"key": "k", "value": {"a": 1}}, {"key": "ok", "value": 1}]})
        )),
        [
            "environment.values[0]: must be an object with a key (a string) and a value",
            "environment.values[1].value: must be text, a number or a boolean"
        ]
    );
    assert_eq!(
        all(read(json!({"name": "E"}))),
        ["environment.values: is required: a Postman environment export lists its variables in values"]
    );
    assert_eq!(
        all(read_environment(&fixture("acme.postman_collection.json"))),
        ["this is a Postman collection, not an environment"]
    );
    let e = read(json!({"values": []})).expect("an empty one is fine");
    assert!(e.is_empty() && e.name.is_none());
    assert!(!format!("{:?}", acme_env()).contains("PM-SECRET"), "Debug shows no value");
}

#[test]
fn secrets_never_appear_in_problems_or_notes() {
    let items = json!([
        request("A", Some(oauth2(&[("clientId", "PM-SECRET-id\u{7}"), ("clientSecret", "PM-SECRET-1\u{7}")]))),
        request("B", Some(json!({"type": "bearer", "bearer": attrs(&[("token", "PM-SECRET-2{{missing}}")])}))),
        request("C", Some(json!({"type": "apikey", "apikey": attrs(&[("value", "PM-SECRET-3")])}))),
    ]);
    let e = env(json!([{"key": "x", "value": "PM-SECRET-4", "type": "secret"}]));
    let err = read_collection(&collection(None, items, json!([])), "A", Some(&e)).expect_err("refused");
    let text = format!("{err} {err:?} {}", serde_json::to_string(&err).expect("json"));
    assert!(text.contains("{{missing}}"), "{text}");
    assert!(!text.contains("PM-SECRET"), "{text}");
}

#[test]
fn is_collection_recognises_postman_collections_only() {
    assert!(is_collection(&fixture("acme.postman_collection.json")));
    assert!(is_collection(&fixture("legacy-v2.0.postman_collection.json")), "any version: then refused by name");
    assert!(!is_collection(&fixture("acme-staging.postman_environment.json")));
    let ours = json!({"format": "bot-credentials", "version": 1, "organizations": [{"name": "A", "credentials": [
        {"name": "getpostman", "type": "consumer_pre_authentication"}]}]});
    assert!(!is_collection(&serde_json::to_vec(&ours).expect("json")));
    assert!(!is_collection(b"not json getpostman"));
}

fn import(store: &mut Store, p: &PostmanImport, policy: OnConflict, dry_run: bool) -> crate::store::ImportReport {
    store.import(&p.file, policy, dry_run, &mut |_, _| {}).expect("import")
}

#[test]
fn the_store_imports_a_collection_as_any_file_all_or_nothing() {
    let mut s = Store::open_in_memory().expect("store");
    let env = acme_env();
    let p = read_collection(&fixture("acme.postman_collection.json"), "acme bots", Some(&env)).expect("reads");
    let preview = import(&mut s, &p, OnConflict::Fail, true);
    assert!(!preview.applied && preview.problems.is_empty());
    assert_eq!((preview.added, preview.organizations_added), (4, 1), "the organization is created when missing");
    assert!(s.list_orgs().expect("orgs").is_empty(), "a preview writes nothing");

    s.create_org("Acme Bots").expect("org");
    let done = import(&mut s, &p, OnConflict::Fail, false);
    assert!(done.applied);
    assert_eq!((done.added, done.organizations_added), (4, 0), "an existing organization, by its name");
    assert_eq!(done.credentials.iter().map(|c| c.path.as_str()).collect::<Vec<_>>()[3], "item[1].item[0].request.auth");
    assert!(done.credentials.iter().all(|c| !c.needs_secret));
    let org = s.org_by_name("Acme Bots").expect("org");
    let stored = s.credential_named(org.id, "Orders / Admin").expect("stored");
    assert_eq!(
        s.credential_secrets(stored.id).expect("secrets")["access_token"].expose(),
        json!("PM-SECRET-admin-token")
    );

    let again = import(&mut s, &p, OnConflict::Fail, false);
    assert!(!again.applied);
    assert_eq!(again.problem_count, 4);
    assert_eq!(
        again.problems[0].to_string(),
        "auth.name: a credential named \"Collection\" already exists in \"acme bots\" (choose skip or replace)"
    );
    let skipped = import(&mut s, &p, OnConflict::Skip, false);
    assert_eq!((skipped.skipped, skipped.added), (4, 0));
    let replaced = import(&mut s, &p, OnConflict::Replace, false);
    assert_eq!(replaced.replaced, 4);
    assert!(replaced.credentials.iter().all(|c| c.action == Action::Replace));
    assert_eq!(s.list_credentials(org.id).expect("list").len(), 4);
}
