//! From `--set`, `--set-file`, `--secret-stdin` and `--clear` to a draft
//! (the object the window's dialog edits, shaped like a credential in the
//! export file), which the core then checks as it checks the dialog's.
//! Only how a value is given is decided here: a secret never on the
//! command line, a file only from a file (wrong usage, exit 2). Whether a
//! value is right is the core's to say (exit 1).

use crate::table::inert;
use crate::usage::{usage, Failure};
use base64::Engine as _;
use bot_credentials_core::error::{Error, Problem, Result};
use bot_credentials_core::model::{FieldDef, FieldKind, TypeDef};
use bot_credentials_core::validate::human_bytes;
use clap::Args;
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use zeroize::Zeroizing;

/// How field values are given, for `credential add` and `credential edit`.
#[derive(Debug, Args)]
pub struct Values {
    /// Set a field that is not a secret (repeatable): FIELD=VALUE, FIELD named as in the export file; a list as
    /// comma-separated values (protocols=TLSv1.2,TLSv1.3), a checkbox as true or false
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// Set a certificate field from a file, stored with its file name (repeatable): FIELD=PATH
    #[arg(long = "set-file", value_name = "FIELD=PATH")]
    pub set_file: Vec<String>,
    /// Read this secret field from standard input (all of it, one trailing newline dropped), or ask for it hidden
    /// on a terminal
    #[arg(long = "secret-stdin", value_name = "FIELD")]
    pub secret_stdin: Option<String>,
}

impl Values {
    /// The names of the fields given (never a value), for the log.
    pub fn field_names<'a>(&'a self, clear: &'a [String]) -> impl Iterator<Item = &'a str> + 'a {
        let before_eq = |s: &'a String| s.split_once('=').map_or("", |(f, _)| f);
        self.set
            .iter()
            .map(before_eq)
            .chain(self.set_file.iter().map(before_eq))
            .chain(self.secret_stdin.as_deref())
            .chain(clear.iter().map(String::as_str))
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.set_file.is_empty() && self.secret_stdin.is_none()
    }
}

/// Where one field's new value comes from.
#[derive(Debug)]
enum Source {
    Text(String),
    File(PathBuf),
    Stdin,
    Clear,
}

/// One field the command gives a value to (or clears).
#[derive(Debug)]
pub struct Given {
    pub field: String,
    def: Option<&'static FieldDef>,
    source: Source,
}

/// Reads the flags, refusing what is wrong usage whatever the values: a
/// secret or a file given with `--set`, a file field not from a file, a
/// field given twice, `name` or `type` as fields. Fields the type does not
/// have pass, so the core names them as it names them for the window.
pub fn given(values: &Values, clear: &[String], kind: &'static TypeDef, editing: bool) -> Result<Vec<Given>, Failure> {
    let mut out: Vec<Given> = vec![];
    let split = |flag: &str, what: &str, s: &str| -> Result<(String, String), Failure> {
        match s.split_once('=') {
            Some((field, rest)) if !field.trim().is_empty() => Ok((field.trim().to_string(), rest.to_string())),
            _ => Err(usage(format!(
                "{flag} takes FIELD={what}, FIELD named as in the export file (e.g. {flag} username=svc-bot)"
            ))),
        }
    };
    let mut all = vec![];
    for s in &values.set {
        let (field, value) = split("--set", "VALUE", s)?;
        all.push((field, Source::Text(value)));
    }
    for s in &values.set_file {
        let (field, path) = split("--set-file", "PATH", s)?;
        all.push((field, Source::File(PathBuf::from(path))));
    }
    if let Some(field) = &values.secret_stdin {
        all.push((field.trim().to_string(), Source::Stdin));
    }
    for field in clear {
        all.push((field.trim().to_string(), Source::Clear));
    }
    for (field, source) in all {
        let shown = inert(&field).into_owned();
        match field.as_str() {
            "name" => return Err(usage(format!("the name is given with --name, not as a field ({shown})"))),
            "type" if editing => {
                return Err(usage("a credential keeps its type: delete it and add it again with another --type"))
            }
            "type" => return Err(usage("the type is given with --type, not as a field")),
            _ => {}
        }
        if out.iter().any(|g| g.field == field) {
            return Err(usage(format!("{shown} is given twice: give each field once")));
        }
        let def = kind.field(&field);
        if let Some(def) = def {
            refuse_wrong_source(def, &source)?;
        }
        out.push(Given { field, def, source });
    }
    Ok(out)
}

fn refuse_wrong_source(def: &FieldDef, source: &Source) -> Result<(), Failure> {
    let f = def.name;
    let is_file = def.kind == FieldKind::File;
    match source {
        Source::Text(_) if is_file => Err(usage(format!("{f} is a file: give it with --set-file {f}=PATH"))),
        Source::Text(_) if def.secret => Err(usage(format!(
            "{f} is a secret and is never given on the command line (it would stay in the shell's history and the \
             process list): give it with --secret-stdin {f} (standard input, or asked hidden on a terminal)"
        ))),
        Source::File(_) if !is_file && def.secret => {
            Err(usage(format!("{f} is not a file: give it with --secret-stdin {f}")))
        }
        Source::File(_) if !is_file => Err(usage(format!("{f} is not a file: give it with --set {f}=VALUE"))),
        Source::Stdin if is_file => Err(usage(format!("{f} is a file: give it with --set-file {f}=PATH"))),
        Source::Stdin if !def.secret => {
            Err(usage(format!("{f} is not a secret: give it with --set {f}=VALUE; --secret-stdin is for secrets")))
        }
        _ => Ok(()),
    }
}

/// Whether any of `given` carries a new secret value (which needs the key).
pub fn gives_secrets(given: &[Given]) -> bool {
    given.iter().any(|g| g.def.is_some_and(|d| d.secret) && !matches!(g.source, Source::Clear))
}

/// A new credential's draft: name, type and the type's defaults (as the
/// dialog starts: Authorization Code, PKCE off, TLS 1.2 and 1.1).
pub fn new_draft(name: &str, kind: &'static TypeDef) -> Map<String, Value> {
    let mut draft = Map::new();
    draft.insert("name".into(), Value::String(name.into()));
    draft.insert("type".into(), Value::String(kind.id.into()));
    for def in kind.fields {
        let default = def.default.to_json();
        if !default.is_null() {
            draft.insert(def.name.into(), default);
        }
    }
    draft
}

/// What [`fill`] made of the flags: problems found reading files or
/// standard input (named by field), and the stored secrets to remove.
#[derive(Debug, Default)]
pub struct Filled {
    pub problems: Vec<Problem>,
    pub remove: Vec<String>,
}

/// Puts the given values into `draft`, reading files and standard input.
/// A field the type does not have goes in as `null`, unread, so the core
/// names it. Then a field kept from before that no longer applies (an
/// Auth URL after a switch to Client Credentials) is emptied, as the
/// dialog hides it.
pub fn fill(draft: &mut Map<String, Value>, given: Vec<Given>, kind: &'static TypeDef) -> Filled {
    let mut filled = Filled::default();
    let named: Vec<String> = given.iter().map(|g| g.field.clone()).collect();
    for Given { field, def, source } in given {
        let value = match (def, source) {
            (None, _) => Ok(Value::Null),
            (Some(def), Source::Text(text)) => text_value(def, text),
            (Some(def), Source::File(path)) => file_value(def, &path),
            (Some(def), Source::Stdin) => crate::prompt::secret_value(def.name, def.label)
                .map(|mut s| Value::String(std::mem::take(&mut *s)))
                .map_err(|e| problems_of(def.name, e)),
            (Some(def), Source::Clear) => {
                if def.secret {
                    filled.remove.push(def.name.to_string());
                }
                Ok(Value::Null)
            }
        };
        match value {
            Ok(v) => {
                draft.insert(field, v);
            }
            Err(problems) => {
                filled.problems.extend(problems);
                draft.insert(field, Value::Null);
            }
        }
    }
    for def in kind.fields.iter().filter(|d| d.when.is_some()) {
        if !kind.applies(def, draft) && !named.iter().any(|n| n == def.name) {
            draft.insert(def.name.into(), Value::Null);
        }
    }
    filled
}

fn problems_of(field: &str, e: Error) -> Vec<Problem> {
    match e {
        Error::Invalid(p) => p,
        other => vec![Problem::new(field, other.to_string())],
    }
}

/// A `--set` value as the dialog would hold it: a checkbox true or false,
/// a list split at commas, anything else the text itself.
fn text_value(def: &FieldDef, text: String) -> std::result::Result<Value, Vec<Problem>> {
    Ok(match def.kind {
        FieldKind::Checkbox => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" | "" => Value::Bool(false),
            _ => return Err(vec![Problem::new(def.name, "must be true or false")]),
        },
        FieldKind::Multiselect => Value::Array(
            text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| Value::String(s.into())).collect(),
        ),
        _ => Value::String(text),
    })
}

/// A certificate file as the dialog sends it: its file name and its bytes
/// in base64. Refused before reading when it is larger than the field allows.
fn file_value(def: &FieldDef, path: &std::path::Path) -> std::result::Result<Value, Vec<Problem>> {
    let problem = |m: String| vec![Problem::new(def.name, m)];
    let shown = inert(&path.display().to_string()).into_owned();
    let meta = std::fs::metadata(path).map_err(|e| problem(format!("cannot read {shown}: {e}")))?;
    if meta.is_dir() {
        return Err(problem(format!("cannot read {shown}: it is a folder")));
    }
    if let Some(max) = def.max_bytes.filter(|max| meta.len() > *max as u64) {
        return Err(problem(format!("is larger than {} ({shown})", human_bytes(max))));
    }
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| problem(format!("{shown} has a file name that is not UTF-8 text")))?;
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| problem(format!("cannot read {shown}: {e}")))?);
    let mut data = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&*bytes));
    Ok(json!({ "file_name": file_name, "data_base64": std::mem::take(&mut *data) }))
}
