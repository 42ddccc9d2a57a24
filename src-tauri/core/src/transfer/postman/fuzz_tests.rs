//! Any collection, tried hard: built at random from Postman's shapes, with
//! placeholders defined, undefined and broken. None may panic, a refusal
//! names its problems, and no stored value keeps a placeholder.

use super::read_collection;
use super::tests::{collection, credentials, folder, request};
use serde_json::{json, Value};

/// A value Postman might hold: plain text, placeholders (some undefined,
/// some broken), numbers, nothing.
fn value_strategy() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    prop_oneof![
        "[a-z]{0,8}".prop_map(Value::from),
        "https://[a-z]{1,6}\\.example\\.com/(\\{\\{p\\}\\}|[a-z]{0,4})".prop_map(Value::from),
        "(\\{\\{(a|b|\\$guid|nope|)\\}\\}|\\{\\{|\\}\\}|x|\\{){1,5}".prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        Just(Value::Null),
    ]
}

fn auth_strategy() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let keys = [
        "clientId",
        "clientSecret",
        "accessTokenUrl",
        "authUrl",
        "scope",
        "grant_type",
        "username",
        "password",
        "token",
    ];
    (
        prop::sample::select(vec!["basic", "bearer", "oauth2", "noauth", "inherit", "apikey", "x"]),
        prop::collection::vec((prop::sample::select(keys.to_vec()), value_strategy()), 0..6),
    )
        .prop_map(|(kind, pairs)| {
            let list: Vec<Value> = pairs.into_iter().map(|(k, v)| json!({"key": k, "value": v})).collect();
            json!({"type": kind, kind: list})
        })
}

fn item_strategy() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = ("[A-Za-z ]{0,6}", proptest::option::of(auth_strategy())).prop_map(|(name, auth)| request(&name, auth));
    leaf.prop_recursive(3, 24, 4, |inner| {
        ("[A-Za-z]{0,6}", proptest::option::of(auth_strategy()), prop::collection::vec(inner, 0..4))
            .prop_map(|(name, auth, items)| folder(&name, auth, Value::from(items)))
    })
}

/// Whether `text` holds a `{{` with a `}}` after it (a lone `{{x` is no
/// placeholder, for Postman either).
fn placeholder_in(text: &str) -> bool {
    text.find("{{").is_some_and(|at| text[at..].contains("}}"))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// Any collection reads without a panic: a clean refusal, or credentials
    /// whose values hold no placeholder.
    #[test]
    fn any_collection_is_read_or_refused_cleanly(
        auth in proptest::option::of(auth_strategy()),
        items in proptest::collection::vec(item_strategy(), 0..5),
    ) {
        let vars = json!([{"key": "a", "value": "va"}, {"key": "b", "value": "{{a}}b"}, {"key": "p", "value": "path"}]);
        match read_collection(&collection(auth, Value::from(items), vars), "Org", None) {
            Ok(p) => {
                for c in credentials(&p) {
                    let plain = Value::Object(c.input.fields.clone()).to_string();
                    proptest::prop_assert!(!placeholder_in(&plain), "{plain}");
                    for s in c.input.secrets.values().flatten() {
                        proptest::prop_assert!(!placeholder_in(s.json()));
                    }
                }
            }
            Err(e) => {
                proptest::prop_assert!(!e.problems().is_empty());
                proptest::prop_assert!(e.problems().iter().all(|p| !p.message.trim().is_empty()));
            }
        }
    }
}
