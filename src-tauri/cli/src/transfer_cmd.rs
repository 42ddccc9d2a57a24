//! `export` (plain, redacted, or encrypted with age) and `import` (plain or
//! age, all or nothing).

use crate::commands::{output, SealArgs};
use crate::prompt::{self, EXPORT_PASSPHRASE_ENV};
use crate::table::count;
use bot_credentials_core::envelope::{self, Encryption, Sealing};
use bot_credentials_core::error::{Error, Problem, Result};
use bot_credentials_core::store::{Action, OnConflict, Store};
use bot_credentials_core::transfer;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

fn encryption(seal: &SealArgs) -> Result<Option<Encryption>> {
    if seal.passphrase {
        let p =
            prompt::new(EXPORT_PASSPHRASE_ENV, "Passphrase for the export file: ", "a passphrase for the export file")?;
        bot_credentials_core::seal::passphrase::check_new(&p).map_err(|m| Error::invalid("export passphrase", m))?;
        return Ok(Some(Encryption::Passphrase(p)));
    }
    let mut recipients = vec![];
    if !seal.recipient.is_empty() {
        recipients.extend(envelope::parse_recipients(&seal.recipient, "--recipient")?);
    }
    if let Some(file) = &seal.recipients_file {
        recipients.extend(envelope::read_recipients_file(file)?);
    }
    Ok((!recipients.is_empty()).then_some(Encryption::Recipients(recipients)))
}

pub fn export(
    store: &mut Store,
    orgs: &[String],
    file: Option<PathBuf>,
    include_secrets: bool,
    seal: &SealArgs,
    armor: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let encryption = encryption(seal)?;
    let with_secrets = include_secrets || encryption.is_some();
    if encryption.is_some() && !armor && file.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::invalid(
            "--output",
            "an encrypted export is binary: write it to a file with -o FILE, or use --armor",
        ));
    }
    if with_secrets {
        prompt::unlock(store)?;
    }
    match file {
        Some(path) => {
            transfer::export_to_file(store, orgs, include_secrets, encryption.as_ref(), armor, &path)?;
            let what = match &encryption {
                Some(Encryption::Passphrase(_)) => "encrypted with a passphrase, secrets included".to_string(),
                Some(Encryption::Recipients(r)) => {
                    format!("encrypted to {}, secrets included", count(r.len(), "age key"))
                }
                None if with_secrets => "with secrets, in plain text".into(),
                None => "secrets redacted".into(),
            };
            eprintln!("bot-credentials: wrote {} ({what})", path.display());
        }
        None => {
            let mut buffered = std::io::BufWriter::with_capacity(256 * 1024, out);
            transfer::write_export_sealed(store, orgs, include_secrets, encryption.as_ref(), armor, &mut buffered)?;
            buffered.flush().map_err(output)?;
        }
    }
    Ok(())
}

/// Opens an age file: with `--identity`, else this database's own identity
/// (which needs the database to exist), else a passphrase.
fn open_age(db: &Path, bytes: &[u8], identity: Option<&Path>) -> Result<Zeroizing<Vec<u8>>> {
    if let Some(file) = identity {
        let ids = envelope::read_identity_file(file)?;
        return envelope::open_with_identities(bytes, &ids, &format!("the identity in {}", file.display()));
    }
    match envelope::sealing(bytes)? {
        Sealing::Passphrase => {
            let p = prompt::existing(
                EXPORT_PASSPHRASE_ENV,
                "Passphrase of the file: ",
                "the passphrase of this encrypted file",
            )?;
            envelope::open_with_passphrase(bytes, &p)
        }
        Sealing::Recipients => {
            let mut store = Store::open_existing(db).map_err(|_| {
                Error::NotRecipient(format!(
                    "this file is encrypted to age public keys and there is no database at {} whose key could open it; give the identity with --identity FILE",
                    db.display()
                ))
            })?;
            let store = &mut store;
            prompt::unlock(store)?;
            let me = store.age_identity()?;
            let whose = format!("this database's key ({}); give the right one with --identity FILE", me.to_public());
            envelope::open_with_identities(bytes, &[Box::new(me)], &whose)
        }
    }
}

/// Reads and opens the file first; only then opens (or creates) the
/// database, so a file that cannot be read or opened creates nothing.
pub fn import(
    db: &Path,
    file: &Path,
    on_conflict: OnConflict,
    dry_run: bool,
    identity: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let raw = transfer::read_limited(file).map_err(|e| in_file(file, e))?;
    let plain = if envelope::is_age(&raw) { open_age(db, &raw, identity).map_err(|e| in_file(file, e))? } else { raw };
    let parsed = transfer::parse_bytes(&plain).map_err(|e| in_file(file, e))?;
    drop(plain);
    let mut store = Store::open(db)?;
    let store = &mut store;
    if parsed.organizations.iter().flat_map(|o| &o.credentials).any(|c| c.input.has_new_secrets()) {
        prompt::unlock(store)?;
    }
    let show = std::io::stderr().is_terminal() && parsed.credential_count() >= 200;
    let mut progress = |done: usize, total: usize| {
        if show && (done.is_multiple_of(100) || done == total) {
            eprint!("\rbot-credentials: importing {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    let report = store.import(&parsed, on_conflict, dry_run, &mut progress)?;
    if !report.problems.is_empty() {
        return Err(in_file(file, Error::Invalid(report.problems)));
    }
    for c in report.credentials.iter().filter(|c| c.needs_secret) {
        writeln!(out, "needs a secret: \"{}\" in \"{}\"", c.name, c.organization).map_err(output)?;
    }
    let verb = if dry_run { "would add" } else { "added" };
    let (r, sk) = if dry_run { ("would replace", "would skip") } else { ("replaced", "skipped") };
    let orgs = report.organizations.iter().filter(|o| o.action == Action::Add).count();
    writeln!(
        out,
        "{verb} {} and {}, {r} {}, {sk} {}{}",
        count(report.added, "credential"),
        count(orgs, "organization"),
        report.replaced,
        report.skipped,
        if dry_run { " (dry run: nothing was written)" } else { "" }
    )
    .map_err(output)?;
    Ok(())
}

/// File-level problems (not JSON, too big, not openable) name the file.
fn in_file(file: &Path, e: Error) -> Error {
    let name = file.display().to_string();
    match e {
        Error::Invalid(problems) => Error::Invalid(
            problems
                .into_iter()
                .map(|p| if p.field.is_empty() { Problem::new(name.clone(), p.message) } else { p })
                .collect(),
        ),
        Error::WrongPassphrase(m) => Error::WrongPassphrase(format!("{name}: {m}")),
        Error::NotRecipient(m) => Error::NotRecipient(format!("{name}: {m}")),
        other => other,
    }
}
