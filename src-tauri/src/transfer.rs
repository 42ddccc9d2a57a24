//! Credentials as JSON objects shaped like the export file's (version 1):
//! `{ name, type, ...every field of the type in its listed order }`.

use crate::model::Credential;
use crate::secret::Secret;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One credential as the export file writes it. Secrets are written from
/// `secrets` when given, else as `null` (redacted); a field that is empty
/// or does not apply is `null`.
pub fn credential_json(c: &Credential, secrets: Option<&BTreeMap<String, Secret>>) -> Value {
    let mut obj = Map::new();
    obj.insert("name".into(), Value::String(c.name.clone()));
    obj.insert("type".into(), Value::String(c.kind.id.into()));
    for def in c.kind.fields {
        let value = if def.secret {
            secrets.and_then(|s| s.get(def.name)).map(|s| s.expose().clone()).unwrap_or(Value::Null)
        } else {
            c.fields.get(def.name).cloned().unwrap_or(Value::Null)
        };
        obj.insert(def.name.into(), value);
    }
    Value::Object(obj)
}
