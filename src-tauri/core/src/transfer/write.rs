//! Writing the export file, streamed: each organization's credentials are
//! read by one query and serialized straight into the writer (a file, an age
//! envelope, standard output), so a large export never sits in memory as a
//! whole. The text is the same pretty JSON as `to_text` gives.

use super::{credential_json, FORMAT, VERSION};
use crate::error::{Error, Result};
use crate::model::{name_key, Organization};
use crate::store::Store;
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use std::cell::RefCell;
use std::io::Write;
use zeroize::{Zeroize, Zeroizing};

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub organizations: usize,
    pub credentials: usize,
}

/// The named organizations (all when none is named), by name case-insensitively.
pub fn chosen_orgs(store: &Store, org_names: &[String]) -> Result<Vec<Organization>> {
    let mut orgs = if org_names.is_empty() {
        store.list_orgs()?
    } else {
        let mut chosen: Vec<Organization> = Vec::new();
        for wanted in org_names {
            let org = store.org_by_name(wanted)?;
            if !chosen.iter().any(|o| o.id == org.id) {
                chosen.push(org);
            }
        }
        chosen
    };
    orgs.sort_by(|a, b| name_key(&a.name).cmp(&name_key(&b.name)).then(a.name.cmp(&b.name)));
    Ok(orgs)
}

/// How a failed write of the export begins; [`export_to_file`] puts the
/// file's name in its place.
const WRITE_FAILED: &str = "cannot write the export: ";

/// Writes the export file of `org_names` to `out`, secrets included only
/// when asked (then it needs the key, asked for before anything is written).
pub fn write_export(
    store: &Store,
    org_names: &[String],
    include_secrets: bool,
    out: &mut dyn Write,
) -> Result<ExportCounts> {
    let orgs = chosen_orgs(store, org_names)?;
    let sealer = if include_secrets { Some(store.sealer()?) } else { None };
    let doc = Doc {
        store,
        orgs: &orgs,
        sealer: sealer.as_ref(),
        exported_at: crate::store::now(),
        failed: RefCell::new(None),
        credentials: RefCell::new(0),
    };
    let mut ser =
        serde_json::Serializer::with_formatter(&mut *out, serde_json::ser::PrettyFormatter::with_indent(b"  "));
    if let Err(e) = doc.serialize(&mut ser) {
        return Err(doc.failed.take().unwrap_or_else(|| Error::Io(format!("{WRITE_FAILED}{e}"))));
    }
    out.write_all(b"\n").map_err(|e| Error::Io(format!("{WRITE_FAILED}{e}")))?;
    Ok(ExportCounts { organizations: orgs.len(), credentials: doc.credentials.into_inner() })
}

/// Writes the export to `out`, inside an age envelope when `encryption` is
/// given (an encrypted export always includes the secrets).
pub fn write_export_sealed(
    store: &Store,
    org_names: &[String],
    include_secrets: bool,
    encryption: Option<&crate::envelope::Encryption>,
    armor: bool,
    out: &mut dyn Write,
) -> Result<ExportCounts> {
    let Some(encryption) = encryption else { return write_export(store, org_names, include_secrets, out) };
    // Ask for the key before the envelope's header is written.
    store.require_key()?;
    let mut counts = ExportCounts::default();
    crate::envelope::seal_into(out, encryption, armor, &mut |w| {
        counts = write_export(store, org_names, true, w)?;
        Ok(())
    })?;
    Ok(counts)
}

/// Writes the export file at `path` atomically (0600): a failure leaves no
/// half-written file there, and an existing file as it was.
pub fn export_to_file(
    store: &Store,
    org_names: &[String],
    include_secrets: bool,
    encryption: Option<&crate::envelope::Encryption>,
    armor: bool,
    path: &std::path::Path,
) -> Result<ExportCounts> {
    // The writer asks for the key before it writes; a failure removes the temporary file.
    let mut counts = ExportCounts::default();
    crate::fsutil::write_atomic_with(path, |w| -> Result<()> {
        counts = write_export_sealed(store, org_names, include_secrets, encryption, armor, w)?;
        Ok(())
    })
    .map_err(|e| match e {
        // A write that failed midway (a full disk): name the file, which was left as it was.
        Error::Io(m) => match m.strip_prefix(WRITE_FAILED) {
            Some(why) => Error::Io(format!("cannot write {}: {why}; the file was left as it was", path.display())),
            None => Error::Io(m),
        },
        other => other,
    })?;
    Ok(counts)
}

struct Doc<'a> {
    store: &'a Store,
    orgs: &'a [Organization],
    sealer: Option<&'a crate::store::Sealer>,
    exported_at: String,
    /// The store's error that stopped the serialization, if one did.
    failed: RefCell<Option<Error>>,
    credentials: RefCell<usize>,
}

impl Serialize for Doc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("format", FORMAT)?;
        map.serialize_entry("version", &VERSION)?;
        map.serialize_entry("exported_at", &self.exported_at)?;
        map.serialize_entry("secrets", if self.sealer.is_some() { "included" } else { "redacted" })?;
        map.serialize_entry("organizations", &Orgs(self))?;
        map.end()
    }
}

struct Orgs<'a>(&'a Doc<'a>);

impl Serialize for Orgs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.orgs.len()))?;
        for org in self.0.orgs {
            seq.serialize_element(&OrgOut { doc: self.0, org })?;
        }
        seq.end()
    }
}

struct OrgOut<'a> {
    doc: &'a Doc<'a>,
    org: &'a Organization,
}

impl Serialize for OrgOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("name", &self.org.name)?;
        map.serialize_entry("credentials", &Creds { doc: self.doc, org: self.org })?;
        map.end()
    }
}

struct Creds<'a> {
    doc: &'a Doc<'a>,
    org: &'a Organization,
}

impl Serialize for Creds<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut ser_error: Option<S::Error> = None;
        let (org_name, sealer) = (self.org.name.as_str(), self.doc.sealer);
        let read = self.doc.store.each_batch_for_export(self.org.id, sealer.is_some(), &mut |rows| {
            // Parsing, opening and formatting on every core; writing in order.
            for text in crate::par::map(rows, |row| credential_text(row, org_name, sealer)) {
                let text = text?;
                let written = seq.serialize_element(&*text);
                wipe_raw(text);
                *self.doc.credentials.borrow_mut() += 1;
                written.map_err(|e| {
                    ser_error = Some(e);
                    Error::Io("the export could not be written".into())
                })?;
            }
            Ok(())
        });
        if let Some(e) = ser_error {
            return Err(e);
        }
        if let Err(e) = read {
            let message = e.to_string();
            *self.doc.failed.borrow_mut() = Some(e);
            return Err(S::Error::custom(message));
        }
        seq.end()
    }
}

/// Where a credential sits in the pretty document: top object, organizations
/// array, organization object, credentials array.
const CREDENTIAL_INDENT: &str = "        ";

/// One credential as the pretty document holds it, ready to be written
/// verbatim at its place (every line after the first indented to its depth).
fn credential_text(
    row: &crate::store::ExportRow,
    org_name: &str,
    sealer: Option<&crate::store::Sealer>,
) -> Result<Box<RawValue>> {
    let (c, secrets) = row.open(org_name, sealer)?;
    let mut value = credential_json(&c, secrets.as_ref());
    let text = serde_json::to_string_pretty(&value);
    crate::secret::wipe(&mut value);
    let mut text = Zeroizing::new(text.map_err(|e| Error::Io(format!("{WRITE_FAILED}{e}")))?);
    let mut indented = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            indented.push('\n');
            indented.push_str(CREDENTIAL_INDENT);
        }
        indented.push_str(line);
    }
    text.zeroize();
    // The text was just made by serde_json: this only checks it again.
    RawValue::from_string(indented).map_err(|e| Error::Io(format!("{WRITE_FAILED}{e}")))
}

/// Wipes a written credential's text: it may hold secrets.
fn wipe_raw(raw: Box<RawValue>) {
    let text: Box<str> = raw.into();
    text.into_string().zeroize();
}
