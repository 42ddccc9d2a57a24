//! The export file, version 1 (see the contract): writing it, and reading
//! one back with limits, every problem named by its JSON path.

use crate::error::{Error, Problem, Result};
use crate::model::{Credential, ImportFile};
use crate::secret::Secret;
use crate::store::Store;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;
use zeroize::Zeroizing;

pub mod postman;
mod read;
mod write;
pub use read::{parse_bytes, parse_value};
pub use write::{chosen_orgs, export_to_file, write_export, write_export_sealed, ExportCounts};

pub const FORMAT: &str = "bot-credentials";
pub const VERSION: i64 = 1;
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Deepest nesting a file may have (the format itself needs 5 levels; the
/// rest is room for the NLU credentials object).
pub const MAX_DEPTH: usize = 32;

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

/// The export document as a value (tests, small exports): what
/// [`write_export`] writes, parsed back.
pub fn export(store: &Store, org_names: &[String], include_secrets: bool) -> Result<Value> {
    let text = export_text(store, org_names, include_secrets)?;
    serde_json::from_str(&text).map_err(|e| Error::Io(format!("the export is not JSON: {e}")))
}

/// The export document as text: pretty, with a final newline.
pub fn to_text(doc: &Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}

fn file_problem(message: impl Into<String>) -> Error {
    Error::Invalid(vec![Problem::new("", message)])
}

/// Reads a file of at most 64 MiB (refused before reading); the bytes are
/// wiped when dropped, as they may hold secrets.
pub fn read_limited(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(Error::Io(format!("cannot read {}: it is a folder", path.display())));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(file_problem(format!("the file is larger than 64 MiB ({} bytes); nothing was read", meta.len())));
    }
    std::fs::read(path).map(Zeroizing::new).map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))
}

/// Reads a plain export file from disk and checks it.
pub fn read_file(path: &Path) -> Result<ImportFile> {
    parse_bytes(&read_limited(path)?)
}

/// The export document as text, wiped when dropped.
pub fn export_text(store: &Store, org_names: &[String], include_secrets: bool) -> Result<Zeroizing<String>> {
    let mut bytes = Zeroizing::new(Vec::new());
    write_export(store, org_names, include_secrets, &mut *bytes)?;
    let text = String::from_utf8(std::mem::take(&mut *bytes)).map_err(|e| Error::Io(e.to_string()))?;
    Ok(Zeroizing::new(text))
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
