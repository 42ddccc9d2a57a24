//! Postman in (issue #12): the `auth` blocks of a Postman collection v2.1
//! become credentials of one organization. The collection is turned into
//! the same checked [`ImportFile`] our own export file gives, through the
//! same checks (`validate::credential`, a name twice), so the store imports,
//! previews and refuses it exactly as it does our files. Every problem is
//! named by its place in the collection, e.g.
//! `item[1].item[0].request.auth.oauth2.clientSecret`.
//!
//! - [`collection`]: the walk over the collection's folders and requests;
//! - [`auth`]: one block's attributes as a credential draft;
//! - [`environment`]: the environment file, the collection's variables and
//!   `{{name}}` placeholders.

mod auth;
mod collection;
mod environment;

pub use environment::{read_environment, Environment};

use super::read::{org_credentials, Places};
use super::MAX_FILE_BYTES;
use crate::error::{Error, Problem, Result};
use crate::model::{ImportFile, OrgImport};
use crate::validate;
use serde_json::Value;

/// The `info.schema` of the collections read here.
pub const SCHEMA_V21: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// A collection made ready to import.
#[derive(Debug)]
pub struct PostmanImport {
    /// What the store imports: one organization (none when no block made a
    /// credential) with a credential per `auth` block, each named by the
    /// place of its block (`item[0].auth`).
    pub file: ImportFile,
    /// What was left out, by place, and why (an auth type we have no
    /// credential type for, a grant type the product does not offer): not
    /// problems, the rest imports.
    pub notes: Vec<Problem>,
    /// The collection's own name (`info.name`), when it has one.
    pub collection: Option<String>,
}

/// Whether `bytes` hold a Postman collection (`info.schema` names
/// getpostman.com), of any version. Cheap for a file that is not one.
pub fn is_collection(bytes: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Sniff {
        info: Option<Info>,
    }
    #[derive(serde::Deserialize)]
    struct Info {
        schema: Option<Value>,
    }
    if memchr::memmem::find(bytes, b"getpostman").is_none() {
        return false;
    }
    let schema = serde_json::from_slice::<Sniff>(bytes).ok().and_then(|s| s.info).and_then(|i| i.schema);
    schema.as_ref().and_then(Value::as_str).is_some_and(|s| s.contains("getpostman"))
}

/// Checks that `bytes` are a Postman collection this build reads, before
/// its organization and environment are asked for; gives its name.
pub fn collection_name(bytes: &[u8]) -> Result<Option<String>> {
    let doc = Wiped(json_of(bytes, "collection")?);
    Ok(collection::top(&doc.0)?.name)
}

/// Reads a Postman collection v2.1 for `organization`, resolving its
/// placeholders from `environment` (and the collection's own variables).
/// All or nothing: any problem fails the whole file, every problem named.
pub fn read_collection(bytes: &[u8], organization: &str, environment: Option<&Environment>) -> Result<PostmanImport> {
    let doc = Wiped(json_of(bytes, "collection")?);
    let top = collection::top(&doc.0)?;
    let mut problems = vec![];
    let organization = match validate::name(organization) {
        Ok(name) => Some(name),
        Err(m) => {
            problems.push(Problem::new("organization", m));
            None
        }
    };
    let variables = environment::Variables::new(environment, top.variables, &mut problems);
    let mut notes = vec![];
    let blocks = collection::blocks(&top, &mut problems, &mut notes);
    let (origins, checked): (Vec<auth::Origin>, Vec<_>) =
        blocks.iter().filter_map(|b| auth::convert(b, &variables, &mut problems, &mut notes)).unzip();
    let credentials = org_credentials(checked.into_iter(), &InCollection(&origins), &mut problems);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let organizations = match organization {
        Some(name) if !credentials.is_empty() => vec![OrgImport { path: "organization".into(), name, credentials }],
        _ => vec![],
    };
    if organizations.is_empty() {
        notes.push(Problem::new("", "no auth block of the collection makes a credential (basic, bearer or oauth2)"));
    }
    Ok(PostmanImport { file: ImportFile { organizations }, notes, collection: top.name })
}

/// Where the credentials made from a collection's blocks come from.
struct InCollection<'a>(&'a [auth::Origin]);

impl Places for InCollection<'_> {
    fn credential(&self, j: usize) -> String {
        self.0[j].block.clone()
    }
    fn field(&self, j: usize, credential: &str, field: &str) -> String {
        self.0[j].place_of(field).unwrap_or_else(|| {
            if field.is_empty() {
                credential.to_string()
            } else {
                format!("{credential}.{field}")
            }
        })
    }
}

/// A parsed document whose strings (secrets among them) are wiped when it
/// is dropped.
struct Wiped(Value);

impl Drop for Wiped {
    fn drop(&mut self) {
        crate::secret::wipe(&mut self.0);
    }
}

fn file_problem(message: impl Into<String>) -> Error {
    Error::Invalid(vec![Problem::new("", message)])
}

/// The bytes of a Postman file (`what`: collection or environment) as JSON.
fn json_of(bytes: &[u8], what: &str) -> Result<Value> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(file_problem("the file is larger than 64 MiB; nothing was read"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| file_problem(format!("not UTF-8 text (invalid byte at offset {})", e.valid_up_to())))?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or("").to_string();
        file_problem(format!("not a Postman {what}: not JSON: {message} at line {}, column {}", e.line(), e.column()))
    })?;
    if !value.is_object() {
        return Err(file_problem(format!("not a Postman {what}: the file must hold a JSON object")));
    }
    Ok(value)
}

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod tests;
