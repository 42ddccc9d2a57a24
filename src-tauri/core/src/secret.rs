//! A secret value (password, token, private key, ...). It is held as its
//! JSON text in memory that is wiped when dropped, its Debug output is
//! redacted so a secret never reaches a log or an error by accident, and
//! the value leaves only through [`Secret::expose`] / [`Secret::json`].

use serde_json::Value;
use zeroize::{Zeroize, Zeroizing};

#[derive(Clone, PartialEq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Takes the value, wiping the strings of the one given.
    pub fn new(mut value: Value) -> Self {
        let text = Zeroizing::new(value.to_string());
        wipe(&mut value);
        Secret(text)
    }

    /// From JSON text already known to be valid (as stored).
    pub fn from_json(text: Zeroizing<String>) -> Option<Self> {
        serde_json::from_str::<serde::de::IgnoredAny>(&text).ok()?;
        Some(Secret(text))
    }

    /// The value itself, for an export that asked for secrets.
    pub fn expose(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }

    /// The value as JSON text (what is sealed).
    pub fn json(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(••••)")
    }
}

/// Overwrites every string inside `value` (keys of objects excepted) with
/// zeros before it is dropped.
pub fn wipe(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => map.values_mut().for_each(wipe),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new(Value::String("hunter2".into()));
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.expose(), Value::String("hunter2".into()));
        assert_eq!(s.json(), "\"hunter2\"");
    }

    #[test]
    fn wipe_zeroes_nested_strings() {
        let mut v = serde_json::json!({"a": ["xy", {"b": "zz"}], "n": 1});
        wipe(&mut v);
        assert_eq!(v, serde_json::json!({"a": ["", {"b": ""}], "n": 1}));
    }
}
