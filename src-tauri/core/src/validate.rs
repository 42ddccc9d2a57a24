//! The rules every value from outside (the dialog, the command line, an
//! import file) passes before it is stored. One function per rule; messages
//! name the problem but never repeat a secret value.

use crate::error::Problem;
use crate::model::CredentialInput;
use crate::model::{type_def, FieldDef, FieldKind, TypeDef, MAX_NAME_CHARS, MAX_URL_CHARS, TYPES};
use crate::secret::Secret;
use base64::Engine as _;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const MAX_TEXT_CHARS: usize = 1000;
const MAX_SECRET_CHARS: usize = 16 * 1024;
const MAX_JSON_BYTES: usize = 64 * 1024;
const MAX_FILE_NAME_CHARS: usize = 255;

/// How missing secret values are treated.
#[derive(Debug, Clone, Copy)]
pub enum SecretMode<'a> {
    /// A new credential from the dialog: required secrets must be given.
    Create,
    /// An edit: an empty secret keeps the stored one, listed here.
    Update(&'a BTreeSet<String>),
    /// An import: a `null` secret keeps or marks the credential as needing one.
    Import,
}

/// Which of the dialog's steps to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    One,
    All,
}

#[derive(Debug, Default)]
pub struct Checked {
    pub input: Option<CredentialInput>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

pub fn has_control_chars(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A name of an organization or credential: trimmed, 1 to 200 characters,
/// no control characters. Returns the trimmed name.
pub fn name(raw: &str) -> Result<String, String> {
    if has_control_chars(raw) {
        return Err("must not contain control characters (tabs, line breaks, …)".into());
    }
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err("must not be empty".into());
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(format!("must be at most {MAX_NAME_CHARS} characters"));
    }
    Ok(trimmed.to_string())
}

/// A URL field: absolute https (http only for localhost), a host, no
/// credentials, no control characters, at most 2,048 characters.
pub fn url(raw: &str) -> Result<String, String> {
    if has_control_chars(raw) {
        return Err("must not contain control characters (tabs, line breaks, …)".into());
    }
    let trimmed = raw.trim();
    if trimmed.chars().count() > MAX_URL_CHARS {
        return Err(format!("must be at most {} characters", "2,048"));
    }
    let https_rule = "must be an absolute https URL (http is allowed only for localhost)";
    let parsed = match url::Url::parse(trimmed) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => return Err(https_rule.into()),
        Err(url::ParseError::EmptyHost) => return Err("must name a host, e.g. https://accounts.example.com/…".into()),
        Err(e) => return Err(format!("is not a valid URL: {e}")),
    };
    let host = parsed.host_str().unwrap_or("");
    match parsed.scheme() {
        "https" => {}
        "http" if matches!(host, "localhost" | "127.0.0.1" | "[::1]") => {}
        _ => return Err(https_rule.into()),
    }
    if host.is_empty() {
        return Err("must name a host, e.g. https://accounts.example.com/…".into());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not contain a user name or password (user:password@)".into());
    }
    Ok(trimmed.to_string())
}

/// Non-blocking advice on any URL field: look-alike host names (an
/// international name is shown in its ASCII form, which is what the
/// browser goes to), an IP address instead of a host name, an odd port.
pub fn url_warnings(valid_url: &str) -> Vec<String> {
    let Ok(parsed) = url::Url::parse(valid_url) else { return vec![] };
    let mut out = vec![];
    match parsed.host() {
        Some(url::Host::Domain(ascii)) => {
            let typed =
                valid_url.split("://").nth(1).and_then(|rest| rest.split(['/', '?', '#', ':']).next()).unwrap_or("");
            if !typed.is_ascii() || ascii.split('.').any(|label| label.starts_with("xn--")) {
                out.push(format!(
                    "has an international host name: \"{typed}\" is {ascii} to the browser; check that it is the site you mean (letters from other alphabets can look alike)"
                ));
            }
        }
        Some(url::Host::Ipv4(ip)) if !ip.is_loopback() => out.push(format!(
            "names an IP address ({ip}), not a host name; a provider's sign-in page normally has a name"
        )),
        Some(url::Host::Ipv6(ip)) if !ip.is_loopback() => out.push(format!(
            "names an IP address ([{ip}]), not a host name; a provider's sign-in page normally has a name"
        )),
        _ => {}
    }
    let local = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if let (Some(port), false) = (parsed.port(), local) {
        out.push(format!("uses port {port}; https sign-in pages are normally on the default port (443)"));
    }
    out
}

/// Non-blocking advice on a Consumer Authentication URL.
pub fn authentication_url_warnings(valid_url: &str) -> Vec<String> {
    let Ok(parsed) = url::Url::parse(valid_url) else { return vec![] };
    let keys: BTreeSet<String> = parsed.query_pairs().map(|(k, _)| k.to_ascii_lowercase()).collect();
    let mut out = vec![];
    if !keys.contains("client_id") {
        out.push("has no client_id parameter; most providers need one".to_string());
    }
    if !keys.contains("response_type") {
        out.push("has no response_type parameter (usually response_type=code)".to_string());
    }
    if !keys.iter().any(|k| k.starts_with("redirect")) {
        out.push("has no redirect_uri parameter pointing back at the bot platform".to_string());
    }
    out
}

fn text(raw: &str, max: usize) -> Result<String, String> {
    if has_control_chars(raw) {
        return Err("must not contain control characters (tabs, line breaks, …)".into());
    }
    let trimmed = raw.trim();
    if trimmed.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    Ok(trimmed.to_string())
}

fn secret_text(raw: &str) -> Result<String, String> {
    if has_control_chars(raw) {
        return Err("must not contain control characters (tabs, line breaks, …)".into());
    }
    if raw.chars().count() > MAX_SECRET_CHARS {
        return Err(format!("must be at most {MAX_SECRET_CHARS} characters"));
    }
    Ok(raw.to_string())
}

fn file(value: &Value, def: &FieldDef) -> Result<Value, String> {
    let Some(obj) = value.as_object() else {
        return Err("must be an object with file_name and data_base64".into());
    };
    if let Some(extra) = obj.keys().find(|k| *k != "file_name" && *k != "data_base64") {
        return Err(format!("has an unknown field \"{extra}\" (expected file_name and data_base64)"));
    }
    let file_name = obj.get("file_name").and_then(Value::as_str).ok_or("needs a file_name")?;
    let data = obj.get("data_base64").and_then(Value::as_str).ok_or("needs data_base64")?;
    if file_name.trim().is_empty() || file_name.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(format!("needs a file name of 1 to {MAX_FILE_NAME_CHARS} characters"));
    }
    if has_control_chars(file_name) || file_name.contains(['/', '\\']) {
        return Err("has a file name with a path or control characters".into());
    }
    let lower = file_name.to_lowercase();
    if !def.accept.iter().any(|ext| lower.ends_with(ext)) {
        return Err(format!("must be a {} file", def.accept.join(", ")));
    }
    let max = def.max_bytes.unwrap_or(usize::MAX);
    // Reject oversized data before decoding it.
    if data.len() / 4 * 3 > max + 3 {
        return Err(format!("is larger than {}", human_bytes(max)));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| "has data that is not valid base64".to_string())?;
    if bytes.is_empty() {
        return Err("is an empty file".into());
    }
    if bytes.len() > max {
        return Err(format!("is larger than {}", human_bytes(max)));
    }
    Ok(serde_json::json!({ "file_name": file_name, "data_base64": data }))
}

pub fn human_bytes(n: usize) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else if n >= 1024 {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// The NLU credentials: a JSON object, given as text (from the dialog) or
/// as an object (from a file).
fn json_object(value: &Value) -> Result<Value, String> {
    let parsed = match value {
        Value::String(s) => {
            if s.len() > MAX_JSON_BYTES {
                return Err(format!("must be at most {}", human_bytes(MAX_JSON_BYTES)));
            }
            serde_json::from_str::<Value>(s).map_err(|e| {
                let what = e.to_string();
                let what = what.split(" at line ").next().unwrap_or("").to_string();
                format!("is not valid JSON: {what} at line {}, column {}", e.line(), e.column())
            })?
        }
        other => other.clone(),
    };
    if !parsed.is_object() {
        return Err("must be a JSON object ({ … })".into());
    }
    Ok(parsed)
}

/// True when a value counts as "not given".
fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Bool(b) => !b,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(_) => false,
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The choice of a select with older values that `s` names, its value or
/// its label, ignoring case and runs of spaces ("ibm  watson").
fn choice_named(def: &FieldDef, s: &str) -> Option<&'static str> {
    let key = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let wanted = key(s);
    def.options.iter().find(|(v, l)| key(v) == wanted || key(l) == wanted).map(|(v, _)| *v)
}

/// Checks one field's given value; `Ok(None)` means not given. `older_ok`:
/// a select with older values may keep a text outside its options.
fn field_value(def: &FieldDef, value: &Value, older_ok: bool) -> Result<Option<Value>, String> {
    if is_blank(value) && !matches!(def.kind, FieldKind::Checkbox) {
        return Ok(None);
    }
    let want_string =
        |v: &Value| v.as_str().map(str::to_owned).ok_or_else(|| format!("must be a string, not {}", kind_name(v)));
    let out = match def.kind {
        FieldKind::Text => Value::String(text(&want_string(value)?, MAX_TEXT_CHARS)?),
        FieldKind::Url => Value::String(url(&want_string(value)?)?),
        FieldKind::Secret => Value::String(secret_text(&want_string(value)?)?),
        FieldKind::Checkbox => match value {
            Value::Null => Value::Bool(false),
            Value::Bool(b) => Value::Bool(*b),
            other => return Err(format!("must be true or false, not {}", kind_name(other))),
        },
        FieldKind::Select => {
            let s = want_string(value)?;
            if def.options.iter().any(|(v, _)| *v == s) {
                Value::String(s)
            } else if let Some(choice) = choice_named(def, &s).filter(|_| def.older_values) {
                Value::String(choice.into())
            } else if older_ok && def.older_values {
                Value::String(text(&s, MAX_TEXT_CHARS)?)
            } else {
                return Err(format!("must be one of: {}", option_values(def)));
            }
        }
        FieldKind::Multiselect => {
            let items = value.as_array().ok_or_else(|| format!("must be an array, not {}", kind_name(value)))?;
            let mut chosen = BTreeSet::new();
            for item in items {
                let s = item.as_str().unwrap_or("");
                if !def.options.iter().any(|(v, _)| *v == s) {
                    return Err(format!("may only contain: {}", option_values(def)));
                }
                chosen.insert(s);
            }
            // Keep the options' own order, without duplicates.
            Value::Array(
                def.options
                    .iter()
                    .filter(|(v, _)| chosen.contains(v))
                    .map(|(v, _)| Value::String((*v).into()))
                    .collect(),
            )
        }
        FieldKind::File => file(value, def)?,
        FieldKind::Json => json_object(value)?,
    };
    Ok(Some(out))
}

fn option_values(def: &FieldDef) -> String {
    def.options.iter().map(|(v, _)| *v).collect::<Vec<_>>().join(", ")
}

fn known_types() -> String {
    TYPES.iter().map(|t| t.id).collect::<Vec<_>>().join(", ")
}

/// Checks a credential draft (`{ name, type, ...fields }`) and turns it
/// into a [`CredentialInput`] when nothing is wrong. Uniqueness rules that
/// need the database are the store's.
pub fn credential(draft: &Value, mode: SecretMode<'_>, step: Step) -> Checked {
    credential_kept(draft, mode, step, &Map::new())
}

/// As [`credential`], for an edit of a credential whose stored plain values
/// are `kept`: an older value of a select (one that is no longer a choice)
/// is accepted again when it is left as it is.
pub fn credential_kept(draft: &Value, mode: SecretMode<'_>, step: Step, kept: &Map<String, Value>) -> Checked {
    let mut c = Checked::default();
    let Some(obj) = draft.as_object() else {
        c.problems.push(Problem::new("", format!("must be an object, not {}", kind_name(draft))));
        return c;
    };
    let name = match obj.get("name") {
        Some(Value::String(s)) => name(s).map_err(|m| c.problems.push(Problem::new("name", m))).ok(),
        None | Some(Value::Null) => {
            c.problems.push(Problem::new("name", "must not be empty"));
            None
        }
        Some(other) => {
            c.problems.push(Problem::new("name", format!("must be a string, not {}", kind_name(other))));
            None
        }
    };
    let kind: Option<&'static TypeDef> = match obj.get("type").and_then(Value::as_str) {
        Some(id) => type_def(id).or_else(|| {
            c.problems.push(Problem::new("type", format!("\"{id}\" is not a known type (known: {})", known_types())));
            None
        }),
        None => {
            c.problems.push(Problem::new("type", format!("is required (one of: {})", known_types())));
            None
        }
    };
    let Some(kind) = kind else { return c };

    for key in obj.keys() {
        if key != "name" && key != "type" && kind.field(key).is_none() {
            c.problems.push(Problem::new(key.as_str(), format!("is not a field of {} credentials", kind.label)));
        }
    }

    // Step-1 fields first, so `when` conditions can look at them.
    let mut fields = Map::new();
    let mut secrets = BTreeMap::new();
    let mut ordered: Vec<&'static FieldDef> = kind.fields.iter().collect();
    ordered.sort_by_key(|f| f.step);
    for def in ordered {
        if step == Step::One && def.step != 1 {
            continue;
        }
        let given = obj.get(def.name).unwrap_or(&Value::Null);
        if !kind.applies(def, &fields) {
            if !is_blank(given) {
                let (other, wanted) = def.when.unwrap_or(("", ""));
                c.problems.push(Problem::new(def.name, format!("applies only when {other} is {wanted}")));
            }
            continue;
        }
        let older_ok = def.older_values
            && match mode {
                SecretMode::Import => true,
                SecretMode::Create => false,
                SecretMode::Update(_) => {
                    given.as_str().is_some_and(|s| kept.get(def.name).and_then(Value::as_str) == Some(s.trim()))
                }
            };
        let value = match field_value(def, given, older_ok) {
            Ok(v) => v,
            Err(m) => {
                c.problems.push(Problem::new(def.name, m));
                continue;
            }
        };
        if def.secret {
            let stored = matches!(mode, SecretMode::Update(s) if s.contains(def.name));
            if value.is_none() && def.required && matches!(mode, SecretMode::Create | SecretMode::Update(_)) && !stored
            {
                c.problems.push(Problem::new(def.name, "is required"));
            }
            secrets.insert(def.name, value.map(Secret::new));
            continue;
        }
        if value.is_none() && def.required {
            c.problems.push(Problem::new(def.name, "is required"));
        }
        // Advice is for the dialog; an import does not show it, so it does not pay for it.
        if let (Some(Value::String(u)), FieldKind::Url, false) = (&value, def.kind, matches!(mode, SecretMode::Import))
        {
            c.warnings.extend(url_warnings(u).into_iter().map(|m| Problem::new(def.name, m)));
            if def.name == "authentication_url" {
                c.warnings.extend(authentication_url_warnings(u).into_iter().map(|m| Problem::new(def.name, m)));
            }
        }
        fields.insert(def.name.to_string(), value.unwrap_or(Value::Null));
    }

    if c.problems.is_empty() && step == Step::All {
        if let Some(name) = name {
            c.input = Some(CredentialInput { name, kind, fields, secrets });
        }
    }
    c
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
