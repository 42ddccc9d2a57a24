//! `export` (plain, redacted, or encrypted with age) and `import` (plain or
//! age, all or nothing; or, `--from postman`, a Postman collection).

use crate::commands::{output, SealArgs};
use crate::prompt::{self, EXPORT_PASSPHRASE_ENV};
use crate::table::{count, inert, quoted};
use crate::usage::{usage, Failure};
use bot_credentials_core::envelope::{self, Encryption, Sealing};
use bot_credentials_core::error::{Error, Problem, Result, SHOWN_PROBLEMS};
use bot_credentials_core::model::ImportFile;
use bot_credentials_core::store::{Action, OnConflict, Store};
use bot_credentials_core::transfer::{self, postman};
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

/// What `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFrom {
    /// A Bot Credentials export file (plain or age)
    Ours,
    /// A Postman collection v2.1: each auth block (basic, bearer, oauth2) becomes a credential
    Postman,
}

/// `import --from postman --org ORG [--environment ENV.json]`.
#[derive(Debug, clap::Args)]
pub struct FromArgs {
    /// What FILE is
    #[arg(long, value_enum, default_value_t = ImportFrom::Ours)]
    pub from: ImportFrom,
    /// With --from postman: a Postman environment export whose variables (secret ones too) fill the collection's {{placeholders}}
    #[arg(long, value_name = "ENV.json")]
    pub environment: Option<PathBuf>,
    /// With --from postman: the organization that gets the credentials (created when missing)
    #[arg(long, value_name = "ORG", required_if_eq("from", "postman"))]
    pub org: Option<String>,
}

/// `import`: our export file, or with `--from postman` a Postman collection.
/// A flag of the other kind of file is wrong usage (exit 2).
pub fn import(
    db: &Path,
    file: &Path,
    on_conflict: OnConflict,
    dry_run: bool,
    identity: Option<&Path>,
    from: &FromArgs,
    out: &mut dyn Write,
) -> std::result::Result<(), Failure> {
    match (from.from, from.org.as_deref()) {
        (ImportFrom::Ours, _) => {
            if from.org.is_some() || from.environment.is_some() {
                let flag = if from.org.is_some() { "--org" } else { "--environment" };
                return Err(usage(format!(
                    "{flag} goes with --from postman (an export file names its own organizations)"
                )));
            }
            Ok(import_ours(db, file, on_conflict, dry_run, identity, out)?)
        }
        (ImportFrom::Postman, _) if identity.is_some() => {
            Err(usage("--identity opens an encrypted export file; a Postman collection is plain JSON"))
        }
        (ImportFrom::Postman, Some(org)) => {
            Ok(import_postman(db, file, from.environment.as_deref(), org, on_conflict, dry_run, out)?)
        }
        (ImportFrom::Postman, None) => Err(usage("--from postman needs --org ORG, the organization to import into")),
    }
}

/// Reads and opens the file first; only then opens (or creates) the
/// database, so a file that cannot be read or opened creates nothing.
fn import_ours(
    db: &Path,
    file: &Path,
    on_conflict: OnConflict,
    dry_run: bool,
    identity: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let raw = transfer::read_limited(file).map_err(|e| in_file(file, e))?;
    let plain = if envelope::is_age(&raw) { open_age(db, &raw, identity).map_err(|e| in_file(file, e))? } else { raw };
    let parsed = transfer::parse_bytes(&plain).map_err(|e| match in_file(file, e) {
        // Why it is not ours, and how it would import.
        Error::Invalid(mut problems) if postman::is_collection(&plain) => {
            let hint = "this is a Postman collection: import it with --from postman --org ORG [--environment ENV.json]";
            problems.push(Problem::new(file.display().to_string(), hint));
            Error::Invalid(problems)
        }
        other => other,
    })?;
    drop(plain);
    apply(db, file, &parsed, on_conflict, dry_run, out)
}

/// A Postman collection: read with its environment, then imported as our
/// own files are.
fn import_postman(
    db: &Path,
    file: &Path,
    environment: Option<&Path>,
    org: &str,
    on_conflict: OnConflict,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let raw = transfer::read_limited(file).map_err(|e| in_file(file, e))?;
    let environment = match environment {
        Some(path) => {
            let bytes = transfer::read_limited(path).map_err(|e| in_file(path, e))?;
            Some(postman::read_environment(&bytes).map_err(|e| in_file(path, e))?)
        }
        None => None,
    };
    let read = postman::read_collection(&raw, org, environment.as_ref()).map_err(|e| match in_file(file, e) {
        Error::Invalid(problems) => Error::Invalid(
            problems
                .into_iter()
                .map(|p| if p.field == "organization" { Problem::new("--org", p.message) } else { p })
                .collect(),
        ),
        other => other,
    })?;
    drop((raw, environment));
    apply(db, file, &read.file, on_conflict, dry_run, out)?;
    // What was left out, once the rest is in (or would be).
    let mut err = std::io::stderr().lock();
    for note in read.notes.iter().take(SHOWN_PROBLEMS) {
        let _ = writeln!(err, "bot-credentials: note: {}", inert(&note.to_string()));
    }
    let more = read.notes.len().saturating_sub(SHOWN_PROBLEMS);
    if more > 0 {
        let _ = writeln!(err, "bot-credentials: note: … and {more} more not imported");
    }
    Ok(())
}

/// Opens (or creates) the database and imports `parsed`: all or nothing.
fn apply(
    db: &Path,
    file: &Path,
    parsed: &ImportFile,
    on_conflict: OnConflict,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<()> {
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
    let report = store.import(parsed, on_conflict, dry_run, &mut progress)?;
    if !report.problems.is_empty() {
        return Err(in_file(file, Error::Invalid(report.problems)));
    }
    for c in report.credentials.iter().filter(|c| c.needs_secret) {
        writeln!(out, "needs a secret: {} in {}", quoted(&c.name), quoted(&c.organization)).map_err(output)?;
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
