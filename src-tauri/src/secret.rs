//! A secret value (password, token, private key, ...). Its Debug output is
//! redacted so a secret never reaches a log or an error by accident; the
//! value leaves only through [`Secret::expose`].

use serde_json::Value;

#[derive(Clone, PartialEq)]
pub struct Secret(Value);

impl Secret {
    pub fn new(value: Value) -> Self {
        Secret(value)
    }

    /// The value itself, for storage or an export that asked for secrets.
    pub fn expose(&self) -> &Value {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(••••)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new(Value::String("hunter2".into()));
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.expose(), &Value::String("hunter2".into()));
    }
}
