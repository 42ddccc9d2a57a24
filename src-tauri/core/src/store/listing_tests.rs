//! The Credentials list's windows: search, sorts, counts, the names-only
//! first window and when the index is rebuilt.

use super::*;
use crate::seal::levels::KeyPlaces;
use serde_json::{json, Value};

fn token(name: &str, token_type: &str) -> Value {
    json!({"name": name, "type": "access_token", "access_token": "t", "token_type": token_type})
}

fn basic(name: &str, user: &str) -> Value {
    json!({"name": name, "type": "basic_authentication", "username": user, "password": "p"})
}

fn consumer(name: &str, host: &str) -> Value {
    let url =
        format!("https://{host}/authorize?client_id=a&response_type=code&redirect_uri=https%3A%2F%2Fx.example%2Fcb");
    json!({"name": name, "type": "consumer_authentication", "authentication_url": url})
}

/// Six credentials of four types (the e2e tests' organization, more or less).
fn six() -> (Store, i64) {
    let mut s = Store::open_in_memory().expect("store");
    let org = s.create_org("Acme Bots").expect("org").id;
    for d in [
        consumer("Orders API", "accounts.example.com"),
        consumer("Loyalty API", "login.loyalty.example.net"),
        basic("CRM", "svc-crm"),
        token("Billing Token", "Bearer"),
        token("API 10", "MAC"),
        basic("api 9", "Émile"),
    ] {
        s.create_credential(org, &d).expect("create");
    }
    (s, org)
}

fn query(search: &str, sort: SortKey, dir: SortDir) -> ListQuery {
    ListQuery { search: search.into(), sort, dir, ..ListQuery::default() }
}

fn names(w: &ListWindow) -> Vec<&str> {
    w.rows.iter().map(|r| r.name.as_str()).collect()
}

fn window(s: &Store, org: i64, q: &ListQuery) -> ListWindow {
    s.list_window(org, q).expect("window")
}

/// Builds the index first (a search does), so what follows is cut from it.
fn indexed(s: &Store, org: i64) {
    window(s, org, &query("x", SortKey::Name, SortDir::Asc));
}

const BY_NAME: [&str; 6] = ["api 9", "API 10", "Billing Token", "CRM", "Loyalty API", "Orders API"];

#[test]
fn by_name_numbers_by_value_then_reversed() {
    let (s, org) = six();
    // The names-only first window, then the same from the index.
    for _ in 0..2 {
        let w = window(&s, org, &query("", SortKey::Name, SortDir::Asc));
        assert_eq!(names(&w), BY_NAME);
        assert_eq!((w.total, w.matched, w.offset, w.focus_index), (6, 6, 0, None));
        let mut reversed = BY_NAME;
        reversed.reverse();
        assert_eq!(names(&window(&s, org, &query("", SortKey::Name, SortDir::Desc))), reversed);
        indexed(&s, org);
    }
}

#[test]
fn search_looks_in_name_type_and_details_trimmed_and_case_folded() {
    let (s, org) = six();
    let found = |text: &str| {
        let w = window(&s, org, &query(text, SortKey::Name, SortDir::Asc));
        assert_eq!(w.total, 6);
        assert_eq!(w.matched, w.rows.len());
        names(&w).into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(found("  orders "), ["Orders API"]);
    assert_eq!(found("BASIC auth"), ["api 9", "CRM"]);
    assert_eq!(found("consumer authentication"), ["Loyalty API", "Orders API"]);
    assert_eq!(found("login.loyalty.example.net"), ["Loyalty API"]);
    assert_eq!(found("bearer"), ["Billing Token"]);
    assert_eq!(found("émile"), ["api 9"]);
    assert_eq!(found("api"), ["api 9", "API 10", "Loyalty API", "Orders API"]);
    assert!(found("no-such-credential").is_empty());
    assert!(found("bearer\0").is_empty());
    assert_eq!(found("\u{feff} \t").len(), 6, "a blank search shows every row");
    // The secret values are not searched.
    assert!(found("svc-crm\npassword").is_empty());
}

#[test]
fn each_column_sorts_both_ways_with_ties_by_name() {
    let (s, org) = six();
    let by =
        |sort, dir| names(&window(&s, org, &query("", sort, dir))).into_iter().map(str::to_owned).collect::<Vec<_>>();
    // Access Token ×2, Basic Authentication ×2, Consumer Authentication ×2.
    let by_type = ["API 10", "Billing Token", "api 9", "CRM", "Loyalty API", "Orders API"];
    assert_eq!(by(SortKey::Type, SortDir::Asc), by_type);
    let mut rev = by_type;
    rev.reverse();
    assert_eq!(by(SortKey::Type, SortDir::Desc), rev);
    // Details: accounts.example.com, Bearer, Émile, login…, MAC, svc-crm.
    let by_details = ["Orders API", "Billing Token", "api 9", "Loyalty API", "API 10", "CRM"];
    assert_eq!(by(SortKey::Details, SortDir::Asc), by_details);

    for (name, at) in [
        ("CRM", "2026-01-03T00:00:00Z"),
        ("Loyalty API", "2026-01-02T00:00:00Z"),
        ("Billing Token", "2026-01-02T00:00:00Z"),
        ("API 10", "2026-01-01T12:00:00Z"),
        // 11:00 UTC: as a time before API 10, as a text after it.
        ("Orders API", "2026-01-01T13:00:00+02:00"),
        ("api 9", "not a time"),
    ] {
        s.conn.execute("UPDATE credentials SET updated_at = ?1 WHERE name = ?2", [at, name]).expect("update");
    }
    let by_updated = by(SortKey::Updated, SortDir::Desc);
    assert_eq!(by_updated, ["CRM", "Loyalty API", "Billing Token", "API 10", "Orders API", "api 9"]);
    let mut oldest = by(SortKey::Updated, SortDir::Asc);
    oldest.reverse();
    assert_eq!(oldest, by_updated, "the tie (Loyalty API, Billing Token) goes by name both ways");
}

#[test]
fn names_equal_but_for_accents_keep_the_base_order_both_ways() {
    let mut s = Store::open_in_memory().expect("store");
    let org = s.create_org("Acme").expect("org").id;
    for n in ["Zeta", "Café", "cafe"] {
        s.create_credential(org, &token(n, "Bearer")).expect("create");
    }
    // Base order: name key "cafe" < "café"; equal to the collation, so kept both ways.
    for _ in 0..2 {
        assert_eq!(names(&window(&s, org, &query("", SortKey::Name, SortDir::Asc))), ["cafe", "Café", "Zeta"]);
        assert_eq!(names(&window(&s, org, &query("", SortKey::Name, SortDir::Desc))), ["Zeta", "cafe", "Café"]);
        indexed(&s, org);
    }
}

#[test]
fn windows_page_through_the_matches_and_find_a_row() {
    let mut s = Store::open_in_memory().expect("store");
    let org = s.create_org("Big").expect("org").id;
    let mut ids = vec![];
    for i in 0..450 {
        ids.push(s.create_credential(org, &token(&format!("Service {i}"), "Bearer")).expect("create").id);
    }
    let page = |offset, limit, search: &str| {
        window(&s, org, &ListQuery { offset, limit, search: search.into(), ..ListQuery::default() })
    };
    let first = page(0, 100, "");
    assert_eq!((first.total, first.matched, first.rows.len()), (450, 450, 100));
    assert_eq!(first.rows[10].name, "Service 10", "numbers by value");
    let mut all: Vec<String> = vec![];
    for offset in (0..450).step_by(100) {
        all.extend(page(offset, 100, "").rows.into_iter().map(|r| r.name));
    }
    assert_eq!(all, (0..450).map(|i| format!("Service {i}")).collect::<Vec<_>>());
    assert_eq!(page(445, 100, "").rows.len(), 5);
    assert!(page(900, 100, "").rows.is_empty());

    let w = page(0, 100, "service 44");
    assert_eq!((w.total, w.matched), (450, 11));
    assert_eq!(w.rows.first().map(|r| r.name.as_str()), Some("Service 44"));
    assert_eq!(names(&page(5, 3, "service 44")), ["Service 444", "Service 445", "Service 446"]);

    // The window around a row: its place, and the rows around it.
    let around = |focus, search: &str| {
        window(&s, org, &ListQuery { focus: Some(focus), limit: 50, search: search.into(), ..ListQuery::default() })
    };
    let w = around(ids[300], "");
    assert_eq!(w.focus_index, Some(300));
    assert_eq!(w.offset, 275);
    assert_eq!(w.rows[25].name, "Service 300");
    let w = around(ids[449], "");
    assert_eq!((w.focus_index, w.offset, w.rows.len()), (Some(449), 400, 50));
    assert_eq!(around(ids[3], "").offset, 0);
    assert_eq!(around(ids[445], "service 44").focus_index, Some(6));
    assert_eq!(around(ids[3], "service 44").focus_index, None, "not among the matches");
    assert_eq!(around(-1, "").focus_index, None);
    assert!(window(&s, org, &ListQuery { limit: 10_000, ..ListQuery::default() }).rows.len() <= MAX_WINDOW);
}

#[test]
fn this_connections_writes_show_at_once() {
    let (mut s, org) = six();
    indexed(&s, org);
    let crm = window(&s, org, &query("crm", SortKey::Name, SortDir::Asc)).rows[0].clone();
    assert!(!crm.needs_secret && crm.has_secrets);
    s.update_credential(crm.id, &basic("CRM", "svc-other"), &[]).expect("update");
    assert_eq!(window(&s, org, &query("svc-other", SortKey::Name, SortDir::Asc)).matched, 1);
    s.delete_credential(crm.id).expect("delete");
    assert_eq!(window(&s, org, &query("", SortKey::Type, SortDir::Asc)).total, 5);
    s.create_credential(org, &token("Aardvark", "Bearer")).expect("create");
    assert_eq!(window(&s, org, &query("", SortKey::Name, SortDir::Asc)).rows[0].name, "Aardvark");
    s.delete_org(org).expect("delete org");
    assert_eq!(s.list_window(org, &ListQuery::default()).expect_err("gone").kind(), "not_found");
}

#[test]
fn another_programs_writes_show_too() {
    let dir = tempfile::tempdir().expect("dir");
    let (_keys, places) = KeyPlaces::temporary().expect("keys");
    let path = dir.path().join("db.sqlite3");
    let mut writer = Store::open_with(&path, places.clone()).expect("writer");
    let org = writer.create_org("Acme").expect("org").id;
    writer.create_credential(org, &token("One", "Bearer")).expect("create");
    let reader = Store::open_with(&path, places).expect("reader");
    indexed(&reader, org);
    assert_eq!(window(&reader, org, &query("", SortKey::Name, SortDir::Asc)).total, 1);
    let two = writer.create_credential(org, &token("Two", "MAC")).expect("create");
    let w = window(&reader, org, &query("mac", SortKey::Name, SortDir::Asc));
    assert_eq!((w.total, names(&w)), (2, vec!["Two"]));
    // A secret removed elsewhere: the row now needs it.
    writer.conn.execute("DELETE FROM credential_secrets WHERE credential_id = ?1", [two.id]).expect("delete");
    let w = window(&reader, org, &query("mac", SortKey::Name, SortDir::Asc));
    assert!(w.rows[0].needs_secret && !w.rows[0].has_secrets);
}

#[test]
fn the_names_only_window_is_the_indexs_first_window() {
    let (s, org) = six();
    s.conn
        .execute(
            "DELETE FROM credential_secrets WHERE credential_id IN (SELECT id FROM credentials WHERE name LIKE 'api%')",
            [],
        )
        .expect("delete");
    let as_json = |w: &ListWindow| serde_json::to_value(w).expect("json");
    for dir in [SortDir::Asc, SortDir::Desc] {
        let q = ListQuery { dir, limit: 4, ..ListQuery::default() };
        // Any write drops the index.
        s.conn.execute("UPDATE organizations SET name = name WHERE id = ?1", [org]).expect("touch");
        let names_only = window(&s, org, &q);
        indexed(&s, org);
        assert_eq!(as_json(&names_only), as_json(&window(&s, org, &q)));
    }
    let w = window(&s, org, &query("api", SortKey::Name, SortDir::Asc));
    let flags: Vec<(&str, bool, bool)> =
        w.rows.iter().map(|r| (r.name.as_str(), r.needs_secret, r.has_secrets)).collect();
    assert_eq!(
        flags,
        [("api 9", true, false), ("API 10", true, false), ("Loyalty API", false, false), ("Orders API", false, false)]
    );
}

/// Times the list on a real database (release build):
/// `LISTING_DB=big.sqlite3 cargo test --release -p bot-credentials-core listing_timings -- --ignored --nocapture`
/// (with the key places of that database: `XDG_CONFIG_HOME`, `BOT_CREDENTIALS_KEYRING=off`).
#[test]
#[ignore]
fn listing_timings() {
    use std::time::Instant;
    let Some(path) = std::env::var_os("LISTING_DB") else { return };
    let s = Store::open(std::path::Path::new(&path)).expect("open");
    let org = s.list_orgs().expect("orgs").into_iter().max_by_key(|o| o.credential_count).expect("an organization");
    let time = |what: &str, q: &ListQuery| {
        let t = Instant::now();
        let w = s.list_window(org.id, q).expect("window");
        println!(
            "{what:<44} {:>8.2} ms  ({} of {}, {} rows)",
            t.elapsed().as_secs_f64() * 1e3,
            w.matched,
            w.total,
            w.rows.len()
        );
    };
    let first = ListQuery { limit: 100, ..ListQuery::default() };
    time("first window, no index (names only)", &first);
    time("next window: builds the index", &ListQuery { offset: 100, ..first.clone() });
    time("first window from the index", &first);
    time("a window deep down (offset 40000)", &ListQuery { offset: 40_000, ..first.clone() });
    for text in ["o", "or", "ord", "orde", "order", "orders", "orders b", "000123", "example.com", "zzzz"] {
        time(&format!("search {text:?}"), &ListQuery { search: text.into(), ..first.clone() });
    }
    for (sort, dir) in [
        (SortKey::Type, SortDir::Asc),
        (SortKey::Details, SortDir::Asc),
        (SortKey::Updated, SortDir::Desc),
        (SortKey::Name, SortDir::Desc),
    ] {
        time(&format!("sort by {sort:?} {dir:?} (first time)"), &ListQuery { sort, dir, ..first.clone() });
        time(&format!("sort by {sort:?} {dir:?} (again)"), &ListQuery { sort, dir, ..first.clone() });
    }
    time(
        "search \"api\" sorted by details",
        &ListQuery { search: "api".into(), sort: SortKey::Details, ..first.clone() },
    );
}
