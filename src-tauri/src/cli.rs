//! The terminal door: `bot-credentials <command>`. Never touches GTK.
//! Exit status: 0 done, 1 bad input or failure, 2 wrong usage (clap).

use crate::error::{Error, Result};
use crate::model::CredentialSummary;
use crate::store::{Action, OnConflict, Store};
use crate::transfer::{self, credential_json};
use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "bot-credentials", version, about = "Manage the credentials of Conversation Builder bots, offline.", long_about = None)]
pub struct Cli {
    /// The database file (default: $BOT_CREDENTIALS_DB, else the platform data directory)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage organizations
    #[command(subcommand)]
    Org(OrgCommand),
    /// List the credentials of an organization (secrets are never shown)
    List {
        /// The organization's name
        #[arg(long, value_name = "NAME")]
        org: String,
        /// Print a JSON array, each credential shaped as in the export file
        #[arg(long)]
        json: bool,
    },
    /// Write organizations and their credentials to an export file (secrets redacted unless asked)
    Export {
        /// Only this organization (repeatable); default: all
        #[arg(long, value_name = "NAME")]
        org: Vec<String>,
        /// The file to write (mode 0600); default: standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write secret values too (handle the file like a password)
        #[arg(long)]
        include_secrets: bool,
    },
    /// Import an export file: all or nothing
    Import {
        /// The export file to read
        file: PathBuf,
        /// When a credential with the same organization and name exists
        #[arg(long, value_enum, default_value_t = OnConflict::Fail)]
        on_conflict: OnConflict,
        /// Check and report what would change, without writing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an organization
    Add {
        /// Its name (1 to 200 characters, unique)
        name: String,
    },
    /// List the organizations
    List {
        /// Print a JSON array of { name, credentials }
        #[arg(long)]
        json: bool,
    },
}

/// Runs a subcommand, printing results on stdout and errors on stderr.
pub fn run(db: Option<PathBuf>, command: Command) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match execute(db, command, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::from(1)
        }
    }
}

fn report(e: &Error) {
    let mut err = std::io::stderr().lock();
    match e {
        Error::Invalid(problems) if !problems.is_empty() => {
            for p in problems {
                let _ = writeln!(err, "bot-credentials: {p}");
            }
        }
        other => {
            let _ = writeln!(err, "bot-credentials: {other}");
        }
    }
}

fn execute(db: Option<PathBuf>, command: Command, out: &mut dyn Write) -> Result<()> {
    let path = crate::db_path(db)?;
    let mut store = Store::open(&path)?;
    let io = |e: std::io::Error| Error::Io(format!("cannot write the output: {e}"));
    match command {
        Command::Org(OrgCommand::Add { name }) => {
            let org = store.create_org(&name).map_err(|e| match e {
                Error::Invalid(p) => Error::Invalid(
                    p.into_iter()
                        .map(|p| crate::Problem::new(format!("organization name {:?}", name), p.message))
                        .collect(),
                ),
                other => other,
            })?;
            writeln!(out, "Added organization \"{}\"", org.name).map_err(io)?;
        }
        Command::Org(OrgCommand::List { json }) => {
            let orgs = store.list_orgs()?;
            if json {
                let list: Vec<Value> = orgs
                    .iter()
                    .map(|o| json!({ "name": o.name, "credentials": o.credential_count, "created_at": o.created_at, "updated_at": o.updated_at }))
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&list).unwrap_or_default()).map_err(io)?;
            } else if orgs.is_empty() {
                writeln!(out, "No organizations yet. Add one with: bot-credentials org add NAME").map_err(io)?;
            } else {
                let rows = orgs.iter().map(|o| vec![o.name.clone(), o.credential_count.to_string()]).collect();
                print_table(out, &["NAME", "CREDENTIALS"], rows).map_err(io)?;
            }
        }
        Command::List { org, json } => {
            let org = store.org_by_name(&org)?;
            let creds = store.list_credentials(org.id)?;
            if json {
                let list: Vec<Value> = creds.iter().map(|c| credential_json(c, None)).collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&list).unwrap_or_default()).map_err(io)?;
            } else if creds.is_empty() {
                writeln!(out, "\"{}\" has no credentials yet.", org.name).map_err(io)?;
            } else {
                let rows = creds
                    .iter()
                    .map(CredentialSummary::from)
                    .map(|s| {
                        let details = if s.needs_secret { format!("{} (needs secret)", s.summary) } else { s.summary };
                        vec![s.name, s.type_label.to_string(), details, s.updated_at]
                    })
                    .collect();
                print_table(out, &["NAME", "TYPE", "DETAILS", "UPDATED"], rows).map_err(io)?;
            }
        }
        Command::Export { org, output, include_secrets } => {
            let text = transfer::to_text(&transfer::export(&store, &org, include_secrets)?);
            match output {
                Some(path) => {
                    transfer::write_atomic(&path, text.as_bytes())?;
                    let what = if include_secrets { "with secrets" } else { "secrets redacted" };
                    eprintln!("bot-credentials: wrote {} ({what})", path.display());
                }
                None => out.write_all(text.as_bytes()).map_err(io)?,
            }
        }
        Command::Import { file, on_conflict, dry_run } => {
            let parsed = transfer::read_file(&file).map_err(|e| in_file(&file, e))?;
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
                return Err(in_file(&file, Error::Invalid(report.problems)));
            }
            for c in report.credentials.iter().filter(|c| c.needs_secret) {
                writeln!(out, "needs a secret: \"{}\" in \"{}\"", c.name, c.organization).map_err(io)?;
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
            .map_err(io)?;
        }
    }
    Ok(())
}

/// "1 credential", "2 credentials".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// File-level problems (not JSON, too big) name the file.
fn in_file(file: &std::path::Path, e: Error) -> Error {
    match e {
        Error::Invalid(problems) => {
            Error::Invalid(
                problems
                    .into_iter()
                    .map(|p| {
                        if p.field.is_empty() {
                            crate::Problem::new(file.display().to_string(), p.message)
                        } else {
                            p
                        }
                    })
                    .collect(),
            )
        }
        other => other,
    }
}

/// Left-aligned columns; names are printed with control characters escaped.
fn print_table(out: &mut dyn Write, header: &[&str], rows: Vec<Vec<String>>) -> std::io::Result<()> {
    let clean = |s: &str| s.chars().map(|c| if c.is_control() { '?' } else { c }).collect::<String>();
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| clean(c)).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let last = cells.len() - 1;
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| if i == last { c.to_string() } else { format!("{c:<w$}", w = widths[i]) })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}
