//! `credential add|edit|show|delete`: what the window's dialog and row menu
//! do, from the terminal, through the same core calls (check, create,
//! update, delete) and so the same rules and messages. Secrets come from
//! standard input or a hidden prompt, never the command line, and are
//! never printed: `show` says only whether each is stored.

use crate::commands::{output, print_json};
use crate::draft::{self, Filled, Values};
use crate::prompt;
use crate::table::{print_table, quoted};
use crate::usage::{usage, Failure};
use bot_credentials_core::error::{Error, Problem, Result};
use bot_credentials_core::model::{type_def, Credential, FieldKind, Organization, TypeDef, TYPES};
use bot_credentials_core::store::{AuthState, Authorization, Store};
use bot_credentials_core::transfer::credential_json;
use bot_credentials_core::validate::{human_bytes, Step};
use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::Subcommand;
use serde_json::{Map, Value};
use std::io::Write;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum CredentialCommand {
    /// Add a credential to an organization (secrets from standard input or a hidden prompt, never the command line)
    Add {
        /// The organization's name
        #[arg(long, value_name = "ORG")]
        org: String,
        /// The credential's name (1 to 200 characters, unique in the organization)
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The authentication type
        #[arg(long = "type", value_name = "TYPE", value_parser = type_ids())]
        type_id: String,
        /// OAuth 2.0: the grant type (default: authorization_code)
        #[arg(long, value_name = "G", value_parser = grant_types())]
        grant_type: Option<String>,
        #[command(flatten)]
        values: Values,
    },
    /// Change a credential's name or fields; what is not given is kept, stored secrets included
    Edit {
        /// The organization's name
        #[arg(long, value_name = "ORG")]
        org: String,
        /// The credential's name
        name: String,
        /// Rename it
        #[arg(long = "name", value_name = "NEW")]
        new_name: Option<String>,
        #[command(flatten)]
        values: Values,
        /// Empty a field (repeatable); for an optional secret, its stored value is removed
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
    /// Show a credential's fields; secrets only as stored or not, never their values
    Show {
        /// The organization's name
        #[arg(long, value_name = "ORG")]
        org: String,
        /// The credential's name
        name: String,
        /// Print the credential as `list --json` does (secrets as null)
        #[arg(long)]
        json: bool,
    },
    /// Delete a credential (asks on a terminal; --yes deletes without asking)
    Delete {
        /// The organization's name
        #[arg(long, value_name = "ORG")]
        org: String,
        /// The credential's name
        name: String,
        /// Delete without asking (needed when not on a terminal)
        #[arg(long)]
        yes: bool,
    },
}

/// The type ids, with their labels as help (and for shell completion).
fn type_ids() -> PossibleValuesParser {
    PossibleValuesParser::new(TYPES.iter().map(|t| PossibleValue::new(t.id).help(t.label)))
}

/// OAuth 2.0's grant types, as the type describes them.
fn grant_types() -> PossibleValuesParser {
    let options = type_def("oauth2").and_then(|t| t.field("grant_type")).map_or(&[][..], |f| f.options);
    PossibleValuesParser::new(options.iter().map(|(value, label)| PossibleValue::new(*value).help(*label)))
}

/// The operation and what it is about, for the log: names and the fields
/// given, never a value (only names of fields some type has, so a value
/// typed where a field name belongs is not logged either).
pub fn describe(cmd: &CredentialCommand) -> (&'static str, String) {
    let fields = |values: &Values, clear: &[String]| {
        let known: Vec<&str> =
            values.field_names(clear).filter(|f| TYPES.iter().any(|t| t.field(f).is_some())).collect();
        if known.is_empty() {
            String::new()
        } else {
            format!(", fields {}", known.join(", "))
        }
    };
    match cmd {
        CredentialCommand::Add { org, name, type_id, values, .. } => {
            ("credential add", format!("{name:?} ({type_id}) in {org:?}{}", fields(values, &[])))
        }
        CredentialCommand::Edit { org, name, new_name, values, clear } => {
            let renamed = new_name.as_ref().map(|n| format!(" renamed to {n:?}")).unwrap_or_default();
            ("credential edit", format!("{name:?} in {org:?}{renamed}{}", fields(values, clear)))
        }
        CredentialCommand::Show { org, name, .. } => ("credential show", format!("{name:?} in {org:?}")),
        CredentialCommand::Delete { org, name, .. } => ("credential delete", format!("{name:?} in {org:?}")),
    }
}

pub fn execute(path: &Path, cmd: CredentialCommand, out: &mut dyn Write) -> Result<(), Failure> {
    match cmd {
        CredentialCommand::Add { org, name, type_id, grant_type, mut values } => {
            let kind =
                type_def(&type_id).ok_or_else(|| Error::invalid("type", format!("{type_id:?} is not a known type")))?;
            if let Some(g) = grant_type {
                if values.set.iter().any(|s| s.split_once('=').is_some_and(|(f, _)| f.trim() == "grant_type")) {
                    return Err(usage("grant_type is given twice: give it once, with --grant-type"));
                }
                values.set.push(format!("grant_type={g}"));
            }
            let given = draft::given(&values, &[], kind, false)?;
            let mut store = Store::open_existing(path)?;
            let org = store.org_by_name(&org)?;
            if draft::gives_secrets(&given) {
                prompt::unlock(&mut store)?;
            }
            let mut fields = draft::new_draft(&name, kind);
            let filled = draft::fill(&mut fields, given, kind);
            let (saved, warnings) = save(&mut store, &org, None, fields, filled, kind)?;
            writeln!(out, "Added credential {} ({}) to {}", quoted(&saved.name), saved.kind.label, quoted(&org.name))
                .map_err(output)?;
            warn(&warnings);
        }
        CredentialCommand::Edit { org, name, new_name, values, clear } => {
            if values.is_empty() && clear.is_empty() && new_name.is_none() {
                return Err(usage("nothing to change: give --name, --set, --set-file, --secret-stdin or --clear"));
            }
            let mut store = Store::open_existing(path)?;
            let org = store.org_by_name(&org)?;
            let current = store.credential_named(org.id, &name)?;
            let given = draft::given(&values, &clear, current.kind, true)?;
            if draft::gives_secrets(&given) {
                prompt::unlock(&mut store)?;
            }
            let mut fields = match credential_json(&current, None) {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            if let Some(new_name) = new_name {
                fields.insert("name".into(), Value::String(new_name));
            }
            let filled = draft::fill(&mut fields, given, current.kind);
            let (saved, warnings) = save(&mut store, &org, Some(current.id), fields, filled, current.kind)?;
            let was =
                if saved.name == current.name { String::new() } else { format!(" (was {})", quoted(&current.name)) };
            writeln!(out, "Saved credential {}{was} in {}", quoted(&saved.name), quoted(&org.name)).map_err(output)?;
            warn(&warnings);
        }
        CredentialCommand::Show { org, name, json } => {
            let store = Store::open_existing(path)?;
            let org = store.org_by_name(&org)?;
            let c = store.credential_named(org.id, &name)?;
            let auth = store.authorization(c.id)?;
            if json {
                print_json(out, &listed_json(&c, auth.as_ref()))?;
            } else {
                print_table(out, &["FIELD", "LABEL", "VALUE"], show_rows(&org, &c, auth.as_ref())).map_err(output)?;
            }
        }
        CredentialCommand::Delete { org, name, yes } => {
            let mut store = Store::open_existing(path)?;
            let org = store.org_by_name(&org)?;
            let c = store.credential_named(org.id, &name)?;
            prompt::confirm(&format!("Delete credential {} of {}?", quoted(&c.name), quoted(&org.name)), yes)?;
            store.delete_credential(c.id)?;
            writeln!(out, "Deleted credential {} from {}", quoted(&c.name), quoted(&org.name)).map_err(output)?;
        }
    }
    Ok(())
}

/// Checks the draft as the dialog's Save does (every problem at once, each
/// by its field, with those found reading files or standard input), then
/// creates or updates. The draft's values are wiped afterwards.
fn save(
    store: &mut Store,
    org: &Organization,
    id: Option<i64>,
    fields: Map<String, Value>,
    filled: Filled,
    kind: &'static TypeDef,
) -> Result<(Credential, Vec<Problem>)> {
    let mut draft = Value::Object(fields);
    let result = (|| {
        let report = store.check_credential(org.id, id, &draft, Step::All)?;
        let mut problems = filled.problems;
        let already: Vec<String> = problems.iter().map(|p| p.field.clone()).collect();
        problems.extend(report.problems.into_iter().filter(|p| !already.contains(&p.field)));
        if !problems.is_empty() {
            return Err(Error::Invalid(hinted(problems, kind)));
        }
        let saved = match id {
            None => store.create_credential(org.id, &draft),
            Some(id) => store.update_credential(id, &draft, &filled.remove),
        };
        let saved = saved.map_err(|e| match e {
            Error::Invalid(problems) => Error::Invalid(hinted(problems, kind)),
            other => other,
        })?;
        Ok((saved, report.warnings))
    })();
    bot_credentials_core::secret::wipe(&mut draft);
    result
}

/// A required secret or certificate that is missing: how to give it.
fn hinted(mut problems: Vec<Problem>, kind: &'static TypeDef) -> Vec<Problem> {
    let hints: Vec<Problem> = problems
        .iter()
        .filter(|p| p.message == "is required")
        .filter_map(|p| kind.field(&p.field))
        .filter(|def| def.secret || def.kind == FieldKind::File)
        .map(|def| {
            let f = def.name;
            let how = if def.kind == FieldKind::File {
                format!("--set-file {f}=PATH")
            } else {
                format!("--secret-stdin {f} (standard input, or asked hidden on a terminal)")
            };
            Problem::new("", format!("give {f} with {how}"))
        })
        .collect();
    problems.extend(hints);
    problems
}

/// The window's advice beside a field (look-alike host, no client_id…):
/// on standard error, after the save.
fn warn(warnings: &[Problem]) {
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "bot-credentials: warning: {}", crate::table::inert(&w.to_string()));
    }
}

/// A credential as `list --json` prints it: shaped as in the export file,
/// secrets `null`, and OAuth 2.0 rows with their authorization.
pub fn listed_json(c: &Credential, auth: Option<&Authorization>) -> Value {
    let mut v = credential_json(c, None);
    if let (Some(a), Some(obj)) = (auth, v.as_object_mut()) {
        obj.insert("authorization".into(), serde_json::to_value(a).unwrap_or(Value::Null));
    }
    v
}

/// `show`'s rows: FIELD (as the export file and --set name it), LABEL (as
/// the window does), VALUE (a secret only as stored or not).
fn show_rows(org: &Organization, c: &Credential, auth: Option<&Authorization>) -> Vec<Vec<String>> {
    let row = |f: &str, l: &str, v: String| vec![f.to_string(), l.to_string(), v];
    let mut rows = vec![
        row("name", "Name", c.name.clone()),
        row("type", "Authentication Type", format!("{} ({})", c.kind.id, c.kind.label)),
        row("organization", "Organization", org.name.clone()),
    ];
    for def in c.kind.fields.iter().filter(|d| c.kind.applies(d, &c.fields)) {
        let value = if def.secret {
            match (c.stored_secrets.contains(def.name), def.required) {
                (true, _) => "stored".to_string(),
                (false, true) => "not stored (needs a secret)".to_string(),
                (false, false) => "not stored".to_string(),
            }
        } else {
            shown_value(c.fields.get(def.name).unwrap_or(&Value::Null))
        };
        rows.push(row(def.name, def.label, value));
    }
    if let Some(a) = auth {
        rows.push(row("authorization", "Authorization", authorization_text(a)));
    }
    rows.push(row("created_at", "Created", c.created_at.clone()));
    rows.push(row("updated_at", "Updated", c.updated_at.clone()));
    rows
}

/// A plain value as `--set` takes it back; a file by its name and size.
fn shown_value(v: &Value) -> String {
    match v {
        Value::Null => "(not set)".into(),
        Value::String(s) if s.is_empty() => "(not set)".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(|i| i.as_str().unwrap_or("?")).collect::<Vec<_>>().join(","),
        Value::Object(file) => {
            let name = file.get("file_name").and_then(Value::as_str).unwrap_or("?");
            let data = file.get("data_base64").and_then(Value::as_str).unwrap_or("");
            let bytes = (data.len() / 4 * 3).saturating_sub(data.chars().rev().take_while(|c| *c == '=').count());
            format!("{name} ({})", human_bytes(bytes))
        }
    }
}

fn authorization_text(a: &Authorization) -> String {
    let refresh = if a.refreshable { ", a refresh token is stored" } else { "" };
    match a.state {
        AuthState::Authorized => match &a.expires_at {
            Some(at) => format!("authorized, the access token expires at {at}{refresh}"),
            None => format!("authorized{refresh}"),
        },
        AuthState::Expired => format!("expired{refresh}"),
        AuthState::NotAuthorized => "not authorized".into(),
        AuthState::Failed => format!("failed: {}", a.error.as_deref().unwrap_or("unknown error")),
    }
}
