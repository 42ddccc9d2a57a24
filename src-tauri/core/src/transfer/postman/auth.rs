//! One `auth` block as a credential draft: Postman's attributes mapped onto
//! our type's fields, placeholders resolved, then the same check as any
//! imported credential.

use super::collection::Block;
use super::environment::Variables;
use crate::error::Problem;
use crate::validate::{self, Checked, SecretMode, Step};
use serde_json::{Map, Value};

/// Where a block's credential and each of its fields came from.
pub(super) struct Origin {
    /// The block's place: the credential's place in problems and the preview.
    pub block: String,
    /// The item's name, which names the credential.
    name: String,
    /// Our field → its place in the collection (`item[0].auth.basic.username`).
    fields: Vec<(&'static str, String)>,
}

impl Origin {
    /// Where a problem with `field` is shown.
    pub fn place_of(&self, field: &str) -> Option<String> {
        if field == "name" {
            return Some(self.name.clone());
        }
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, at)| at.clone())
    }
}

/// A Postman grant type as ours: (grant_type, PKCE), or `None` when the
/// Bot Accounts screen has no such grant. Postman's default is the
/// authorization code.
fn grant(postman: &str) -> Option<(&'static str, bool)> {
    match postman {
        "" | "authorization_code" => Some(("authorization_code", false)),
        "authorization_code_with_pkce" => Some(("authorization_code", true)),
        "client_credentials" => Some(("client_credentials", false)),
        _ => None,
    }
}

/// Our credential type for a block of `kind`, and the fields it takes:
/// (our field, Postman key).
fn mapping(kind: &str) -> (&'static str, &'static [(&'static str, &'static str)]) {
    match kind {
        "basic" => ("basic_authentication", &[("username", "username"), ("password", "password")]),
        "bearer" => ("access_token", &[("access_token", "token")]),
        _ => (
            "oauth2",
            &[
                ("client_id", "clientId"),
                ("client_secret", "clientSecret"),
                ("scope", "scope"),
                ("auth_url", "authUrl"),
                ("token_url", "accessTokenUrl"),
            ],
        ),
    }
}

/// A block's attributes: Postman's list of `{ key, value, type }` (or, as
/// some tools write it, an object of key → value).
fn attributes<'a>(block: &Block<'a>, problems: &mut Vec<Problem>) -> Vec<(&'a str, &'a Value)> {
    let at = format!("{}.{}", block.place, block.kind);
    match block.auth.get(block.kind) {
        None | Some(Value::Null) => vec![],
        Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        Some(Value::Array(list)) => {
            let mut out = Vec::with_capacity(list.len());
            for (i, attr) in list.iter().enumerate() {
                match attr.get("key").and_then(Value::as_str) {
                    Some(key) => out.push((key, attr.get("value").unwrap_or(&Value::Null))),
                    None => {
                        problems.push(Problem::new(format!("{at}[{i}]"), "must be an object with a key and a value"))
                    }
                }
            }
            out
        }
        Some(_) => {
            problems.push(Problem::new(at, "must be a list of attributes ({ key, value })"));
            vec![]
        }
    }
}

/// The draft being made from one block.
struct Draft<'v> {
    vars: &'v Variables<'v>,
    values: Map<String, Value>,
    origin: Origin,
    /// Problems by our field name.
    problems: Vec<Problem>,
    /// Fields whose placeholders could not be resolved.
    failed: Vec<&'static str>,
}

impl Draft<'_> {
    /// Our field `ours` from the Postman value at `place`: text with its
    /// placeholders resolved, other JSON as it is (the check names its kind).
    fn put(&mut self, ours: &'static str, place: String, value: Option<&Value>) {
        self.origin.fields.push((ours, place));
        match value {
            None | Some(Value::Null) => {}
            Some(Value::String(text)) => match self.vars.resolve(text) {
                Ok(resolved) => {
                    self.values.insert(ours.into(), Value::String(resolved.to_string()));
                }
                Err(message) => {
                    self.failed.push(ours);
                    self.problems.push(Problem::new(ours, message));
                }
            },
            Some(other) => {
                self.values.insert(ours.into(), other.clone());
            }
        }
    }

    /// Checks the draft as any imported credential; a field whose
    /// placeholder could not be resolved has that problem only.
    fn check(mut self) -> (Origin, Checked) {
        let mut draft = Value::Object(std::mem::take(&mut self.values));
        let mut checked = validate::credential(&draft, SecretMode::Import, Step::All);
        crate::secret::wipe(&mut draft);
        checked.problems.retain(|p| !self.failed.contains(&p.field.as_str()));
        self.problems.append(&mut checked.problems);
        if !self.problems.is_empty() {
            checked.input = None;
        }
        checked.problems = self.problems;
        (self.origin, checked)
    }
}

/// Converts one block; `None` when it makes no credential (a note says
/// why). A malformed attribute list is one of the file's `problems`.
pub(super) fn convert(
    block: &Block<'_>,
    vars: &Variables<'_>,
    problems: &mut Vec<Problem>,
    notes: &mut Vec<Problem>,
) -> Option<(Origin, Checked)> {
    let attrs = attributes(block, problems);
    let get = |key: &str| attrs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let at = |key: &str| format!("{}.{}.{key}", block.place, block.kind);
    let (type_id, keys) = mapping(block.kind);
    let mut values = Map::new();
    values.insert("name".into(), Value::String(block.name.clone()));
    values.insert("type".into(), Value::String(type_id.into()));
    let origin = Origin {
        block: block.place.clone(),
        name: block.name_place.clone(),
        fields: vec![("type", format!("{}.type", block.place))],
    };
    let mut draft = Draft { vars, values, origin, problems: vec![], failed: vec![] };
    if block.kind == "oauth2" {
        draft.origin.fields.push(("grant_type", at("grant_type")));
        draft.origin.fields.push(("pkce", at("grant_type")));
        let given = match get("grant_type").and_then(Value::as_str).map(|g| vars.resolve(g)) {
            None => String::new(),
            Some(Ok(g)) => g.trim().to_string(),
            Some(Err(message)) => {
                // Without its grant type the rest cannot be checked.
                draft.problems.push(Problem::new("grant_type", message));
                let checked = Checked { problems: draft.problems, ..Checked::default() };
                return Some((draft.origin, checked));
            }
        };
        let Some((grant_type, pkce)) = grant(&given) else {
            let label = match given.as_str() {
                "password_credentials" => "Password Credentials",
                "implicit" => "Implicit",
                _ => "unknown",
            };
            let message = format!(
                "{given:?} ({label}) is not a grant type of the Bot Accounts screen (Authorization Code, Client Credentials); not imported"
            );
            notes.push(Problem::new(at("grant_type"), message));
            return None;
        };
        draft.values.insert("grant_type".into(), Value::String(grant_type.into()));
        for (ours, key) in keys {
            // The Auth URL (and PKCE) belong to the authorization code grant only.
            if *ours != "auth_url" || grant_type == "authorization_code" {
                draft.put(ours, at(key), get(key));
            }
        }
        if grant_type == "authorization_code" {
            draft.values.insert("pkce".into(), Value::Bool(pkce));
        }
    } else {
        for (ours, key) in keys {
            draft.put(ours, at(key), get(key));
        }
        if block.kind == "bearer" {
            draft.values.insert("token_type".into(), Value::String("Bearer".into()));
        }
    }
    Some(draft.check())
}
