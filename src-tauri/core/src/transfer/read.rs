//! Reading an export file back: limits, the document's shape, and every
//! credential checked, each problem named by its JSON path.
//!
//! The bytes are first split into the document's skeleton (top fields,
//! organizations, and each credential as raw JSON text, validated but not yet
//! parsed); the credentials, nearly all of the work, are then parsed and
//! checked on every core, and the file-wide rules (a name twice, a second
//! pre-authentication) run in file order afterwards. A parsed document
//! ([`parse_value`]) goes through the same checks.

use super::{FORMAT, MAX_DEPTH, MAX_FILE_BYTES, VERSION};
use crate::error::{Error, Problem, Result};
use crate::model::{name_key, CredImport, ImportFile, OrgImport};
use crate::validate::{self, Checked, SecretMode, Step};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::HashMap;

const TOP_FIELDS: &[&str] = &["format", "version", "exported_at", "secrets", "organizations"];
const ORG_FIELDS: &[&str] = &["name", "credentials"];

fn file_problem(message: impl Into<String>) -> Error {
    Error::Invalid(vec![Problem::new("", message)])
}

/// One credential of the file, parsed already or still raw text.
trait Source: Sync {
    fn check(&self) -> Checked;
}

impl Source for &Value {
    fn check(&self) -> Checked {
        validate::credential(self, SecretMode::Import, Step::All)
    }
}

impl Source for &RawValue {
    fn check(&self) -> Checked {
        match serde_json::from_str::<Value>(self.get()) {
            Ok(mut value) => {
                let checked = validate::credential(&value, SecretMode::Import, Step::All);
                crate::secret::wipe(&mut value);
                checked
            }
            // The skeleton validated this text; kept as a named problem all the same.
            Err(e) => Checked { problems: vec![Problem::new("", format!("not JSON: {e}"))], ..Checked::default() },
        }
    }
}

/// The document without its credentials' contents: small values parsed,
/// credentials left to [`Source`].
struct Skeleton<C> {
    /// The top-level fields other than `organizations`, in file order.
    top: Map<String, Value>,
    /// `None` when `organizations` is missing or not an array.
    organizations: Option<Vec<OrgSkeleton<C>>>,
}

enum OrgSkeleton<C> {
    NotObject,
    Object { fields: Map<String, Value>, credentials: Credentials<C> },
}

enum Credentials<C> {
    List(Vec<C>),
    NotArray,
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
    // One pass builds the skeleton; each credential stays raw text for the cores.
    let mut de = serde_json::Deserializer::from_str(text);
    let skeleton = de.deserialize_map(TopVisitor).and_then(|s| de.end().map(|()| s)).map_err(|e| {
        if e.classify() == serde_json::error::Category::Data {
            return file_problem("not a Bot Credentials export: the file must hold a JSON object");
        }
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or("").to_string();
        file_problem(format!("not JSON: {what} at line {}, column {}", e.line(), e.column()))
    })?;
    check(skeleton)
}

/// Checks a parsed export document; every problem names its place.
pub fn parse_value(value: &Value) -> Result<ImportFile> {
    let Some(top) = value.as_object() else {
        return Err(file_problem("not a Bot Credentials export: the file must hold a JSON object"));
    };
    let organizations = top.get("organizations").and_then(Value::as_array).map(|orgs| {
        orgs.iter()
            .map(|org| match org.as_object() {
                None => OrgSkeleton::NotObject,
                Some(obj) => OrgSkeleton::Object {
                    fields: obj
                        .iter()
                        .filter(|(k, _)| *k != "credentials")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    credentials: match obj.get("credentials") {
                        None | Some(Value::Null) => Credentials::List(vec![]),
                        Some(Value::Array(a)) => Credentials::List(a.iter().collect()),
                        Some(_) => Credentials::NotArray,
                    },
                },
            })
            .collect()
    });
    let top = top.iter().filter(|(k, _)| *k != "organizations").map(|(k, v)| (k.clone(), v.clone())).collect();
    check(Skeleton { top, organizations })
}

fn check<C: Source>(doc: Skeleton<C>) -> Result<ImportFile> {
    let top = &doc.top;
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
    unknown_fields(top.keys(), TOP_FIELDS, "", &mut problems);
    if top.get("exported_at").is_some_and(|v| !v.is_string() && !v.is_null()) {
        problems.push(Problem::new("exported_at", "must be a string (a date)"));
    }
    if top.get("secrets").is_some_and(|v| !matches!(v.as_str(), Some("redacted" | "included")) && !v.is_null()) {
        problems.push(Problem::new("secrets", "must be \"redacted\" or \"included\""));
    }
    let Some(orgs) = doc.organizations else {
        problems.push(Problem::new("organizations", "is required and must be an array"));
        return Err(Error::Invalid(problems));
    };
    let all: Vec<&C> = orgs
        .iter()
        .flat_map(|o| match o {
            OrgSkeleton::Object { credentials: Credentials::List(list), .. } => list.iter().collect(),
            _ => vec![],
        })
        .collect();
    // Nearly all of the work: parse and check each credential, on every core.
    let mut checked = crate::par::map(&all, |c| c.check()).into_iter();
    let mut organizations = vec![];
    let mut org_seen: HashMap<String, String> = HashMap::new();
    for (i, org) in orgs.iter().enumerate() {
        let path = format!("organizations[{i}]");
        if let Some(o) = check_org(org, &path, &mut checked, &mut problems) {
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

fn check_org<C>(
    org: &OrgSkeleton<C>,
    path: &str,
    checked: &mut impl Iterator<Item = Checked>,
    problems: &mut Vec<Problem>,
) -> Option<OrgImport> {
    let OrgSkeleton::Object { fields, credentials } = org else {
        problems.push(Problem::new(path, "must be an object with name and credentials"));
        return None;
    };
    unknown_fields(fields.keys(), ORG_FIELDS, path, problems);
    let name = match fields.get("name").and_then(Value::as_str).map(validate::name) {
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
    let count = match credentials {
        Credentials::List(list) => list.len(),
        Credentials::NotArray => {
            problems.push(Problem::new(format!("{path}.credentials"), "must be an array"));
            0
        }
    };
    let out = org_credentials(checked.take(count), &InFile(path), problems);
    Some(OrgImport { path: path.to_string(), name: name?, credentials: out })
}

/// Where the credentials of one organization and their fields are in the
/// file they came from, for problems.
pub(super) trait Places {
    /// The credential `j` itself (what a name twice is "also at").
    fn credential(&self, j: usize) -> String;
    /// Its field `field` (`""`: the credential as a whole).
    fn field(&self, j: usize, credential: &str, field: &str) -> String;
}

/// An export file: `organizations[0].credentials[3].client_id`.
struct InFile<'a>(&'a str);

impl Places for InFile<'_> {
    fn credential(&self, j: usize) -> String {
        format!("{}.credentials[{j}]", self.0)
    }
    fn field(&self, _: usize, credential: &str, field: &str) -> String {
        if field.is_empty() {
            credential.to_string()
        } else {
            format!("{credential}.{field}")
        }
    }
}

/// One organization's credentials, each checked already: their problems
/// named by `places`, then the rules across them (a name twice, a second
/// pre-authentication). Any file that is imported passes here.
pub(super) fn org_credentials(
    checked: impl Iterator<Item = Checked>,
    places: &dyn Places,
    problems: &mut Vec<Problem>,
) -> Vec<CredImport> {
    let mut out = Vec::with_capacity(checked.size_hint().0);
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut pre_auth: Option<String> = None;
    for (j, c) in checked.enumerate() {
        let cpath = places.credential(j);
        problems.extend(c.problems.into_iter().map(|p| Problem::new(places.field(j, &cpath, &p.field), p.message)));
        let Some(input) = c.input else { continue };
        if let Some(first) = seen.insert(name_key(&input.name), cpath.clone()) {
            problems.push(Problem::new(
                places.field(j, &cpath, "name"),
                format!("\"{}\" appears twice (also at {first})", input.name),
            ));
        }
        if input.kind.once_per_organization {
            if let Some(first) = pre_auth.replace(cpath.clone()) {
                problems.push(Problem::new(
                    places.field(j, &cpath, "type"),
                    format!("an organization can have only one {} credential (another at {first})", input.kind.label),
                ));
            }
        }
        out.push(CredImport { path: cpath, input });
    }
    out
}

fn unknown_fields<'a>(
    keys: impl Iterator<Item = &'a String>,
    allowed: &[&str],
    path: &str,
    problems: &mut Vec<Problem>,
) {
    for key in keys.filter(|k| !allowed.contains(&k.as_str())) {
        let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        problems.push(Problem::new(at, format!("unknown field (expected one of: {})", allowed.join(", "))));
    }
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

// The skeleton in one pass: serde visitors that take what the format
// expects and, for anything else, skip the value and note its shape.

/// Implements the visit methods of the JSON shapes a visitor does not
/// expect, each skipping its value and returning `$other`.
macro_rules! other_shapes {
    ($other:expr; $($skip:ident)*) => {
        fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> { Ok($other) }
        fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> { Ok($other) }
        fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> { Ok($other) }
        fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> { Ok($other) }
        fn visit_str<E>(self, _: &str) -> std::result::Result<Self::Value, E> { Ok($other) }
        $(other_shapes!(@$skip $other);)*
    };
    (@unit $other:expr) => {
        fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> { Ok($other) }
    };
    (@seq $other:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($other)
        }
    };
    (@map $other:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($other)
        }
    };
}

/// A seed that is its own visitor, read with `deserialize_any`.
macro_rules! seed {
    ($t:ty) => {
        impl<'de> DeserializeSeed<'de> for $t {
            type Value = <$t as Visitor<'de>>::Value;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
    };
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Skeleton<&'de RawValue>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let mut skeleton = Skeleton { top: Map::new(), organizations: None };
        while let Some(key) = map.next_key::<String>()? {
            if key == "organizations" {
                skeleton.organizations = map.next_value_seed(OrgsSeed)?;
            } else {
                skeleton.top.insert(key, map.next_value()?);
            }
        }
        Ok(skeleton)
    }
}

/// `organizations`: an array of organizations, else `None`.
struct OrgsSeed;
seed!(OrgsSeed);

impl<'de> Visitor<'de> for OrgsSeed {
    type Value = Option<Vec<OrgSkeleton<&'de RawValue>>>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of organizations")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
        let mut orgs = vec![];
        while let Some(org) = seq.next_element_seed(OrgSeed)? {
            orgs.push(org);
        }
        Ok(Some(orgs))
    }
    other_shapes!(None; unit map);
}

/// One organization: its fields, its credentials still raw.
struct OrgSeed;
seed!(OrgSeed);

impl<'de> Visitor<'de> for OrgSeed {
    type Value = OrgSkeleton<&'de RawValue>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an organization")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let mut fields = Map::new();
        let mut credentials = Credentials::List(vec![]);
        while let Some(key) = map.next_key::<String>()? {
            if key == "credentials" {
                credentials = map.next_value_seed(CredsSeed)?;
            } else {
                fields.insert(key, map.next_value()?);
            }
        }
        Ok(OrgSkeleton::Object { fields, credentials })
    }
    other_shapes!(OrgSkeleton::NotObject; unit seq);
}

/// `credentials`: an array (or null), each item kept as raw JSON text.
struct CredsSeed;
seed!(CredsSeed);

impl<'de> Visitor<'de> for CredsSeed {
    type Value = Credentials<&'de RawValue>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of credentials")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            list.push(raw);
        }
        Ok(Credentials::List(list))
    }
    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(Credentials::List(vec![]))
    }
    other_shapes!(Credentials::NotArray; map);
}
