//! Hostile input, tried hard (issue #11): the import reader, the age
//! envelope and validation get arbitrary bytes and mutated valid files. None
//! may panic, and every rejection is a clean error with a message.
//!
//! Each property runs 256 cases by default; `BOT_CREDENTIALS_FUZZ_CASES=N`
//! runs N (the long run: `BOT_CREDENTIALS_FUZZ_CASES=20000 cargo test -p
//! bot-credentials-core --release fuzz`).

use crate::error::Error;
use crate::validate::{self, SecretMode, Step};
use proptest::prelude::*;
use serde_json::{json, Value};

fn cases() -> u32 {
    std::env::var("BOT_CREDENTIALS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

/// A rejection a person can act on: a kind, and a message (or named problems).
fn clean(e: &Error) -> bool {
    !e.to_string().trim().is_empty() && e.problems().iter().all(|p| !p.message.trim().is_empty())
}

fn valid_file() -> Value {
    json!({"format": "bot-credentials", "version": 1, "secrets": "included", "organizations": [
        {"name": "Acme", "credentials": [
            {"name": "Orders", "type": "consumer_authentication",
             "authentication_url": "https://accounts.example.com/authorize?client_id=a&response_type=code&redirect_uri=x"},
            {"name": "CRM", "type": "basic_authentication", "username": "svc", "password": "pw"},
            {"name": "Pay", "type": "oauth2", "grant_type": "authorization_code", "client_id": "c", "client_secret": "s",
             "scope": null, "auth_url": "https://a.example.com/authorize", "token_url": "https://a.example.com/token", "pkce": true},
            {"name": "NLU", "type": "nlu", "provider": "IBM Watson", "credentials": {"k": [1, 2, {"x": null}]}},
            {"name": "Pre", "type": "consumer_pre_authentication"}]}]})
}

/// Any JSON value, a few levels deep, with hostile strings in it.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "(javascript:|data:|file:|https://u:p@|\u{202e}|\u{200b}|<script>|\u{0}){0,3}[a-z.:/]{0,20}"
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,18}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The valid file with one place replaced by an arbitrary value.
fn mutated_file() -> impl Strategy<Value = Value> {
    (0usize..64, any_json()).prop_map(|(at, value)| {
        let mut doc = valid_file();
        let mut seen = 0;
        replace_nth(&mut doc, at % 40, &mut seen, value);
        doc
    })
}

fn replace_nth(v: &mut Value, n: usize, seen: &mut usize, with: Value) -> bool {
    if *seen == n {
        *v = with;
        return true;
    }
    *seen += 1;
    match v {
        Value::Array(items) => items.iter_mut().any(|i| replace_nth(i, n, seen, with.clone())),
        Value::Object(map) => map.values_mut().any(|i| replace_nth(i, n, seen, with.clone())),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fuzz_arbitrary_bytes_never_panic_the_reader(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Err(e) = crate::transfer::parse_bytes(&bytes) {
            prop_assert!(clean(&e), "{e:?}");
        }
    }

    #[test]
    fn fuzz_mutated_files_are_read_or_refused_by_name(doc in mutated_file()) {
        let text = doc.to_string();
        let from_bytes = crate::transfer::parse_bytes(text.as_bytes());
        let from_value = crate::transfer::parse_value(&doc);
        prop_assert_eq!(from_bytes.is_ok(), from_value.is_ok());
        if let Err(e) = from_bytes {
            prop_assert!(clean(&e), "{e:?}");
            prop_assert_eq!(e.kind(), "validation");
        }
    }

    #[test]
    fn fuzz_truncated_files_are_refused_cleanly(cut in 0usize..2000) {
        let text = serde_json::to_string_pretty(&valid_file()).expect("json");
        let cut = cut.min(text.len().saturating_sub(1));
        let e = crate::transfer::parse_bytes(&text.as_bytes()[..cut]).expect_err("a truncated file");
        prop_assert!(clean(&e), "{e:?}");
        prop_assert!(e.to_string().contains("not JSON") || cut == 0 || !e.problems().is_empty(), "{e}");
    }

    #[test]
    fn fuzz_any_draft_is_checked_without_panic(draft in any_json()) {
        for step in [Step::One, Step::All] {
            let checked = validate::credential(&draft, SecretMode::Create, step);
            prop_assert!(checked.input.is_some() || !checked.problems.is_empty());
        }
    }

    #[test]
    fn fuzz_hostile_urls_are_refused_or_kept_as_typed(url in ".{0,80}") {
        match validate::url(&url) {
            Ok(kept) => {
                prop_assert!(kept.starts_with("https://") || kept.starts_with("http://"), "{kept}");
                prop_assert!(!validate::has_control_chars(&kept));
            }
            Err(message) => prop_assert!(!message.trim().is_empty()),
        }
    }

    #[test]
    fn fuzz_age_look_alikes_are_refused_cleanly(tail in prop::collection::vec(any::<u8>(), 0..512), armor in any::<bool>()) {
        let head: &[u8] = if armor { b"-----BEGIN AGE ENCRYPTED FILE-----\n" } else { b"age-encryption.org/v1\n" };
        let bytes = [head, &tail].concat();
        prop_assert!(crate::envelope::is_age(&bytes));
        let e = crate::envelope::open_with_passphrase(&bytes, "a passphrase").expect_err("not a real age file");
        prop_assert!(clean(&e), "{e:?}");
    }
}
