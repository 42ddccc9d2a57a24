//! The export file, version 1 (see the contract): writing it, and reading
//! one back with limits, every problem named by its JSON path.

use crate::error::{Error, Problem, Result};
use crate::model::{name_key, CredImport, Credential, ImportFile, OrgImport};
use crate::secret::Secret;
use crate::store::Store;
use crate::validate::{self, SecretMode, Step};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use zeroize::Zeroizing;

mod write;
pub use write::{chosen_orgs, export_to_file, write_export, write_export_sealed, ExportCounts};

pub const FORMAT: &str = "bot-credentials";
pub const VERSION: i64 = 1;
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Deepest nesting a file may have (the format itself needs 5 levels; the
/// rest is room for the NLU credentials object).
pub const MAX_DEPTH: usize = 32;

const TOP_FIELDS: &[&str] = &["format", "version", "exported_at", "secrets", "organizations"];
const ORG_FIELDS: &[&str] = &["name", "credentials"];

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

/// Parses and checks the bytes of an export file.
pub fn parse_bytes(bytes: &[u8]) -> Result<ImportFile> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(file_problem("the file is larger than 64 MiB; nothing was read"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| file_problem(format!("not UTF-8 text (invalid byte at offset {})", e.valid_up_to())))?;
    if let Some(depth_at) = too_deep(text) {
        return Err(file_problem(format!(
            "nests deeper than {MAX_DEPTH} levels (at byte {depth_at}); not a Bot Credentials export"
        )));
    }
    let mut value: Value = serde_json::from_str(text).map_err(|e| {
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or("").to_string();
        file_problem(format!("not JSON: {what} at line {}, column {}", e.line(), e.column()))
    })?;
    let parsed = parse_value(&value);
    crate::secret::wipe(&mut value);
    parsed
}

/// The byte offset where nesting first passes [`MAX_DEPTH`], if it does.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn unknown_fields(obj: &Map<String, Value>, allowed: &[&str], path: &str, problems: &mut Vec<Problem>) {
    for key in obj.keys().filter(|k| !allowed.contains(&k.as_str())) {
        let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        problems.push(Problem::new(at, format!("unknown field (expected one of: {})", allowed.join(", "))));
    }
}

/// Checks a parsed export document; every problem names its place.
pub fn parse_value(value: &Value) -> Result<ImportFile> {
    let Some(top) = value.as_object() else {
        return Err(file_problem("not a Bot Credentials export: the file must hold a JSON object"));
    };
    let mut problems = vec![];
    match top.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        _ => {
            problems.push(Problem::new("format", format!("must be \"{FORMAT}\": this is not a Bot Credentials export")))
        }
    }
    match top.get("version") {
        Some(v) if v.as_i64() == Some(VERSION) => {}
        Some(v) => problems
            .push(Problem::new("version", format!("version {v} is not supported; this build reads version {VERSION}"))),
        None => problems.push(Problem::new("version", format!("is required; this build reads version {VERSION}"))),
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    unknown_fields(top, TOP_FIELDS, "", &mut problems);
    if top.get("exported_at").is_some_and(|v| !v.is_string() && !v.is_null()) {
        problems.push(Problem::new("exported_at", "must be a string (a date)"));
    }
    if top.get("secrets").is_some_and(|v| !matches!(v.as_str(), Some("redacted" | "included")) && !v.is_null()) {
        problems.push(Problem::new("secrets", "must be \"redacted\" or \"included\""));
    }
    let Some(orgs) = top.get("organizations").and_then(Value::as_array) else {
        problems.push(Problem::new("organizations", "is required and must be an array"));
        return Err(Error::Invalid(problems));
    };
    let mut organizations = vec![];
    let mut org_seen: HashMap<String, String> = HashMap::new();
    for (i, org) in orgs.iter().enumerate() {
        let path = format!("organizations[{i}]");
        if let Some(o) = parse_org(org, &path, &mut problems) {
            if let Some(first) = org_seen.insert(name_key(&o.name), path.clone()) {
                problems.push(Problem::new(
                    format!("{path}.name"),
                    format!("\"{}\" appears twice (also at {first})", o.name),
                ));
            }
            organizations.push(o);
        }
    }
    if problems.is_empty() {
        Ok(ImportFile { organizations })
    } else {
        Err(Error::Invalid(problems))
    }
}

fn parse_org(org: &Value, path: &str, problems: &mut Vec<Problem>) -> Option<OrgImport> {
    let Some(obj) = org.as_object() else {
        problems.push(Problem::new(path, "must be an object with name and credentials"));
        return None;
    };
    unknown_fields(obj, ORG_FIELDS, path, problems);
    let name = match obj.get("name").and_then(Value::as_str).map(validate::name) {
        Some(Ok(n)) => Some(n),
        Some(Err(m)) => {
            problems.push(Problem::new(format!("{path}.name"), m));
            None
        }
        None => {
            problems.push(Problem::new(format!("{path}.name"), "is required and must be a string"));
            None
        }
    };
    let empty = vec![];
    let creds = match obj.get("credentials") {
        None | Some(Value::Null) => &empty,
        Some(Value::Array(a)) => a,
        Some(_) => {
            problems.push(Problem::new(format!("{path}.credentials"), "must be an array"));
            &empty
        }
    };
    let mut credentials = vec![];
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut pre_auth: Option<String> = None;
    for (j, c) in creds.iter().enumerate() {
        let cpath = format!("{path}.credentials[{j}]");
        let checked = validate::credential(c, SecretMode::Import, Step::All);
        let prefix = |p: Problem| {
            let field = if p.field.is_empty() { cpath.clone() } else { format!("{cpath}.{}", p.field) };
            Problem::new(field, p.message)
        };
        problems.extend(checked.problems.into_iter().map(prefix));
        let Some(input) = checked.input else { continue };
        if let Some(first) = seen.insert(name_key(&input.name), cpath.clone()) {
            problems.push(Problem::new(
                format!("{cpath}.name"),
                format!("\"{}\" appears twice (also at {first})", input.name),
            ));
        }
        if input.kind.once_per_organization {
            if let Some(first) = pre_auth.replace(cpath.clone()) {
                problems.push(Problem::new(
                    format!("{cpath}.type"),
                    format!("an organization can have only one {} credential (another at {first})", input.kind.label),
                ));
            }
        }
        credentials.push(CredImport { path: cpath, input });
    }
    Some(OrgImport { path: path.to_string(), name: name?, credentials })
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
