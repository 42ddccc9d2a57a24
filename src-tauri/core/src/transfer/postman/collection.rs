//! The walk over a collection: its own `auth`, then every folder and
//! request in file order, each block with the name of its credential.

use super::SCHEMA_V21;
use crate::error::{Error, Problem, Result};
use serde_json::{Map, Value};

/// The collection's own block is named `Collection`; a folder's or a
/// request's after the item names down to it, joined by this.
pub const COLLECTION_NAME: &str = "Collection";
pub const NAME_SEPARATOR: &str = " / ";

/// What the top of a collection holds.
pub(super) struct Top<'a> {
    pub name: Option<String>,
    pub auth: Option<&'a Value>,
    pub items: &'a [Value],
    pub variables: Option<&'a Value>,
}

/// One `auth` block that may make a credential.
pub(super) struct Block<'a> {
    /// Where it is: `auth`, `item[0].auth`, `item[1].item[0].request.auth`.
    pub place: String,
    /// The credential's name: `Collection`, `Folder / Sub`, `Folder / Request`.
    pub name: String,
    /// Where a problem with that name is shown: the item's `name`.
    pub name_place: String,
    /// Its type (`basic`, `bearer`, `oauth2`) and the block itself.
    pub kind: &'static str,
    pub auth: &'a Map<String, Value>,
}

fn refused(field: &str, message: impl Into<String>) -> Error {
    Error::Invalid(vec![Problem::new(field, message)])
}

/// Checks that `doc` is a collection v2.1 and takes its top apart.
pub(super) fn top(doc: &Value) -> Result<Top<'_>> {
    let info = doc.get("info");
    let schema = info.and_then(|i| i.get("schema")).and_then(Value::as_str).unwrap_or("");
    if !schema.contains("getpostman.com") {
        if doc.get("format").and_then(Value::as_str) == Some(super::super::FORMAT) {
            return Err(refused("", "this is a Bot Credentials export, not a Postman collection: import it as it is"));
        }
        if doc.get("values").is_some_and(Value::is_array) {
            return Err(refused("", "this is a Postman environment, not a collection: give it as the environment"));
        }
        return Err(refused("info.schema", format!("is not a Postman collection's; this build reads {SCHEMA_V21}")));
    }
    if !schema.contains("/collection/v2.1") {
        let version = schema.split("/collection/").nth(1).and_then(|v| v.split('/').next()).unwrap_or("?");
        return Err(refused(
            "info.schema",
            format!(
                "this is a Postman collection {version}; this build reads v2.1: in Postman, export the collection again as Collection v2.1"
            ),
        ));
    }
    let Some(items) = doc.get("item").and_then(Value::as_array) else {
        return Err(refused("item", "is required and must be an array (the collection's folders and requests)"));
    };
    let name = info.and_then(|i| i.get("name")).and_then(Value::as_str).map(str::to_string);
    Ok(Top { name, auth: doc.get("auth"), items, variables: doc.get("variable") })
}

/// Every block that may make a credential, in file order; blocks that
/// inherit or say "no auth" add nothing, other types become notes.
pub(super) fn blocks<'a>(top: &Top<'a>, problems: &mut Vec<Problem>, notes: &mut Vec<Problem>) -> Vec<Block<'a>> {
    let mut walk = Walk { problems, notes, out: vec![] };
    if let Some(auth) = top.auth {
        walk.block(auth, "auth".into(), &[(COLLECTION_NAME, "auth".into())]);
    }
    walk.items(top.items, "", &[]);
    walk.out
}

struct Walk<'a, 'p> {
    problems: &'p mut Vec<Problem>,
    notes: &'p mut Vec<Problem>,
    out: Vec<Block<'a>>,
}

impl<'a> Walk<'a, '_> {
    /// `items` at `prefix` (`""` or `item[1].`), under the folders `names`
    /// (each with the place of its name).
    fn items(&mut self, items: &'a [Value], prefix: &str, names: &[(&'a str, String)]) {
        for (i, item) in items.iter().enumerate() {
            let place = format!("{prefix}item[{i}]");
            let Some(obj) = item.as_object() else {
                self.problems.push(Problem::new(place, "must be an object (a folder or a request)"));
                continue;
            };
            let name_place = format!("{place}.name");
            let mut path = names.to_vec();
            path.push((obj.get("name").and_then(Value::as_str).unwrap_or(""), name_place));
            match obj.get("item") {
                Some(Value::Array(children)) => {
                    if let Some(auth) = obj.get("auth") {
                        self.block(auth, format!("{place}.auth"), &path);
                    }
                    self.items(children, &format!("{place}."), &path);
                }
                Some(_) => self.problems.push(Problem::new(format!("{place}.item"), "must be an array")),
                None => {
                    if let Some(auth) = obj.get("request").and_then(|r| r.get("auth")) {
                        self.block(auth, format!("{place}.request.auth"), &path);
                    }
                }
            }
        }
    }

    /// One `auth` value at `place`, for the item path `path`.
    fn block(&mut self, auth: &'a Value, place: String, path: &[(&str, String)]) {
        let obj = match auth {
            Value::Null => return, // inherits
            Value::Object(obj) => obj,
            _ => {
                self.problems.push(Problem::new(place, "must be an object with a type"));
                return;
            }
        };
        let kind = match obj.get("type") {
            Some(Value::String(t)) => t.as_str(),
            _ => {
                let message = "must be the auth type, a string (e.g. \"basic\", \"noauth\")";
                self.problems.push(Problem::new(format!("{place}.type"), message));
                return;
            }
        };
        let kind = match kind {
            "noauth" | "inherit" => return,
            "basic" => "basic",
            "bearer" => "bearer",
            "oauth2" => "oauth2",
            other => {
                let what = match other {
                    "apikey" => "API Key",
                    "awsv4" => "AWS Signature",
                    "digest" => "Digest Auth",
                    "edgegrid" => "Akamai EdgeGrid",
                    "hawk" => "Hawk Authentication",
                    "ntlm" => "NTLM Authentication",
                    "oauth1" => "OAuth 1.0",
                    "jwt" => "JWT Bearer",
                    "asap" => "ASAP (Atlassian)",
                    _ => "this auth type",
                };
                let message = format!(
                    "{what} ({other:?}) has no matching credential type (basic, bearer and oauth2 do); not imported"
                );
                self.notes.push(Problem::new(place, message));
                return;
            }
        };
        let (name, name_place) = match path.iter().find(|(n, _)| n.trim().is_empty()) {
            Some((_, at)) => {
                let message = format!("must be a non-empty string: it names the credential made from {place}");
                self.problems.push(Problem::new(at.clone(), message));
                return;
            }
            None => {
                let name = path.iter().map(|(n, _)| n.trim()).collect::<Vec<_>>().join(NAME_SEPARATOR);
                (name, path.last().map(|(_, at)| at.clone()).unwrap_or_default())
            }
        };
        self.out.push(Block { place, name, name_place, kind, auth: obj });
    }
}
