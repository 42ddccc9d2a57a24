//! `import --from postman` (issue #12) with the real binary: a collection's
//! auth blocks become credentials, placeholders come from the environment
//! file, and everything else behaves as the import of our own files: all or
//! nothing, `--dry-run`, `--on-conflict`, problems by place, exit codes.

mod common;

use common::{credential_in, text, Db, Home};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/postman").join(name);
    assert!(path.is_file(), "{} is missing", path.display());
    path.to_str().expect("utf-8 path").to_string()
}

fn collection() -> String {
    fixture("acme.postman_collection.json")
}

fn environment() -> String {
    fixture("acme-staging.postman_environment.json")
}

const PLANTED: &[&str] = &[
    "PM-SECRET-collection-client-secret",
    "PM-SECRET-orders-password",
    "PM-SECRET-admin-token",
    "PM-SECRET-payments-secret",
];

fn import_args<'a>(file: &'a str, org: &'a str, env: Option<&'a str>, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["import", "--from", "postman", file, "--org", org];
    if let Some(env) = env {
        args.extend(["--environment", env]);
    }
    args.extend(extra);
    args
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

#[test]
fn a_collection_with_its_environment_becomes_credentials_of_the_organization() {
    let home = Home::new();
    let db = home.db("main");
    let env = environment();
    let out = db.run(&import_args(&collection(), "Acme Bots", Some(&env), &[]), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "added 4 credentials and 1 organization, replaced 0, skipped 0\n");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bot-credentials: note: item[2].auth: API Key (\"apikey\") has no matching credential type"),
        "{stderr}"
    );
    for secret in PLANTED {
        assert!(!text(&out.stdout).contains(secret) && !stderr.contains(secret), "{secret} was printed");
    }

    let mut list: Value = serde_json::from_str(&db.ok(&["list", "--org", "Acme Bots", "--json"])).expect("json");
    let names: Vec<&str> = list.as_array().expect("array").iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["Collection", "Orders", "Orders / Admin", "Payments / Charge"]);
    let authorization = list[0].as_object_mut().and_then(|c| c.remove("authorization")).expect("authorization");
    assert_eq!(authorization["state"], "not_authorized");
    assert_eq!(
        list[0],
        json!({"name": "Collection", "type": "oauth2", "grant_type": "authorization_code", "client_id": "acme-bots",
               "client_secret": null, "scope": "orders:read orders:write",
               "auth_url": "https://auth.staging.acme.example.com/oauth2/authorize",
               "token_url": "https://auth.staging.acme.example.com/oauth2/token", "pkce": true})
    );
    let exported = db.secrets(&[]);
    assert_eq!(credential_in(&exported, "Acme Bots", "Orders")["password"], "PM-SECRET-orders-password");
    assert_eq!(credential_in(&exported, "Acme Bots", "Orders / Admin")["access_token"], "PM-SECRET-admin-token");
    assert_eq!(
        credential_in(&exported, "Acme Bots", "Payments / Charge")["client_secret"],
        "PM-SECRET-payments-secret"
    );
    assert_eq!(credential_in(&exported, "Acme Bots", "Orders / Admin")["token_type"], "Bearer");

    // The secrets are sealed at rest.
    for (_, bytes) in db.snapshot() {
        for secret in PLANTED {
            assert!(!common::contains(&bytes, secret.as_bytes()), "{secret} in plain text in the database");
        }
    }
}

#[test]
fn an_unresolved_placeholder_names_itself_and_its_place_and_nothing_is_written() {
    let home = Home::new();
    let db = home.created("main", "Acme Bots");
    let before = db.snapshot();
    let env = environment();
    let err = db.fail(&import_args(&fixture("unresolved.postman_collection.json"), "Acme Bots", Some(&env), &[]), &[]);
    assert_eq!(
        err,
        "bot-credentials: item[1].item[0].request.auth.oauth2.clientSecret: {{crm_client_secret}} is not defined in the environment\n"
    );
    db.assert_unchanged(&before, "an unresolved placeholder");

    // Without the environment: every placeholder it alone defines, each by its place.
    let err = db.fail(&import_args(&collection(), "Acme Bots", None, &[]), &[]);
    assert_eq!(
        lines(&err),
        [
            "bot-credentials: auth.oauth2.clientSecret: {{client_secret}} is not defined (no environment file was given)",
            "bot-credentials: item[0].auth.basic.username: {{orders_user}} is disabled in the collection",
            "bot-credentials: item[0].auth.basic.password: {{orders_password}} is not defined (no environment file was given)",
            "bot-credentials: item[0].item[2].auth.bearer.token: {{admin_token}} is not defined (no environment file was given)",
            "bot-credentials: item[1].item[0].request.auth.oauth2.clientSecret: {{payments_client_secret}} is not defined (no environment file was given)",
        ]
    );
    db.assert_unchanged(&before, "a collection without its environment");
}

#[test]
fn dry_run_and_on_conflict_work_as_for_our_own_files() {
    let home = Home::new();
    let db = home.created("main", "acme bots");
    let before = db.snapshot();
    let env = environment();
    let file = collection();
    let out = db.ok(&import_args(&file, "Acme Bots", Some(&env), &["--dry-run"]));
    assert_eq!(
        out,
        "would add 4 credentials and 0 organizations, would replace 0, would skip 0 (dry run: nothing was written)\n"
    );
    db.assert_unchanged(&before, "a dry run");

    db.ok(&import_args(&file, "Acme Bots", Some(&env), &[]));
    let err = db.fail(&import_args(&file, "Acme Bots", Some(&env), &[]), &[]);
    assert_eq!(
        lines(&err)[0],
        "bot-credentials: auth.name: a credential named \"Collection\" already exists in \"Acme Bots\" (choose skip or replace)"
    );
    assert_eq!(lines(&err).len(), 4, "{err}");
    let out = db.ok(&import_args(&file, "Acme Bots", Some(&env), &["--on-conflict", "skip"]));
    assert_eq!(out, "added 0 credentials and 0 organizations, replaced 0, skipped 4\n");
    let out = db.ok(&import_args(&file, "Acme Bots", Some(&env), &["--on-conflict", "replace"]));
    assert_eq!(out, "added 0 credentials and 0 organizations, replaced 4, skipped 0\n");
    let orgs: Value = serde_json::from_str(&db.ok(&["org", "list", "--json"])).expect("json");
    assert_eq!(orgs[0]["name"], "acme bots", "the existing organization, matched by name");
    assert_eq!(orgs[0]["credentials"], 4);
}

#[test]
fn wrong_usage_exits_2() {
    let home = Home::new();
    let db = home.created("main", "Acme");
    let env = environment();
    let file = collection();
    let cases: Vec<Vec<&str>> = vec![
        vec!["import", "--from", "postman", &file],
        vec!["import", "--from", "bruno", &file, "--org", "Acme"],
        vec!["import", &file, "--org", "Acme"],
        vec!["import", &file, "--environment", &env],
        vec!["import", "--from", "postman", &file, "--org", "Acme", "--identity", &env],
    ];
    for args in cases {
        let out = db.run(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "");
    }
    let out = db.run(&["import", &file, "--org", "Acme"], &[]);
    assert!(text(&out.stderr).contains("--org goes with --from postman"), "{}", text(&out.stderr));
}

#[test]
fn other_files_are_refused_with_a_clear_message() {
    let home = Home::new();
    let db = home.created("main", "Acme");
    let before = db.snapshot();
    let err = db.fail(&import_args(&fixture("legacy-v2.0.postman_collection.json"), "Acme", None, &[]), &[]);
    assert_eq!(
        err,
        "bot-credentials: info.schema: this is a Postman collection v2.0.0; this build reads v2.1: in Postman, export the collection again as Collection v2.1\n"
    );
    // Our own import of a collection says how to import it.
    let err = db.fail(&["import", &collection()], &[]);
    assert!(err.starts_with("bot-credentials: format: must be \"bot-credentials\""), "{err}");
    assert!(
        err.ends_with(
            ": this is a Postman collection: import it with --from postman --org ORG [--environment ENV.json]\n"
        ),
        "{err}"
    );
    // A bad environment file is named.
    let bad_env = home.json_file("env.json", &json!({"name": "E", "values": [{"value": "no key"}]}));
    let bad_env = bad_env.to_str().expect("utf-8");
    let err = db.fail(&import_args(&collection(), "Acme", Some(bad_env), &[]), &[]);
    assert_eq!(err, "bot-credentials: environment.values[0]: must be an object with a key (a string) and a value\n");
    let err = db.fail(&import_args(&collection(), "Acme", Some(&collection()), &[]), &[]);
    assert!(err.contains("acme.postman_collection.json: this is a Postman collection, not an environment"), "{err}");
    let err = db.fail(&import_args(&collection(), " ", Some(&environment()), &[]), &[]);
    assert_eq!(err, "bot-credentials: --org: must not be empty\n");
    db.assert_unchanged(&before, "refused files");
}

/// A collection of `n` requests, each with a bearer token nobody defines.
fn unresolved(home: &Home, n: usize) -> PathBuf {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({"name": format!("R{i}"), "request": {"method": "GET", "url": "https://api.example.com",
                   "auth": {"type": "bearer", "bearer": [{"key": "token", "value": format!("{{{{t{i}}}}}"), "type": "string"}]}}})
        })
        .collect();
    let doc = json!({"info": {"name": "Many", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
                     "item": items});
    home.json_file("many.json", &doc)
}

#[test]
fn problems_are_capped_as_for_our_own_files() {
    let home = Home::new();
    let db: Db = home.db("main");
    let file = unresolved(&home, 25);
    let err = db.fail(&import_args(file.to_str().expect("utf-8"), "Acme", None, &[]), &[]);
    let got = lines(&err);
    assert_eq!(got.len(), 21, "{err}");
    assert_eq!(
        got[0],
        "bot-credentials: item[0].request.auth.bearer.token: {{t0}} is not defined (no environment file was given)"
    );
    assert_eq!(got[20], "bot-credentials: … and 5 more problems");
    assert!(!db.path.exists(), "a file that cannot be imported creates no database");
}
