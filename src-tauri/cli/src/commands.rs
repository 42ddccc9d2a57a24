//! The terminal door: `bot-credentials <command>`. Never touches GTK.
//! Exit status: 0 done, 1 bad input or failure, 2 wrong usage (clap).

use crate::table::print_table;
use bot_credentials_core::error::{Error, Result};
use bot_credentials_core::model::CredentialSummary;
use bot_credentials_core::store::{OnConflict, Store};
use bot_credentials_core::transfer::credential_json;
use clap::{Args, Parser, Subcommand};
use serde_json::{json, Value};
use std::io::Write;
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
        /// Write secret values too, in plain text (handle the file like a password)
        #[arg(long)]
        include_secrets: bool,
        #[command(flatten)]
        seal: SealArgs,
        /// Write age's ASCII armor instead of binary (with an encrypted export)
        #[arg(long, requires = "encryption")]
        armor: bool,
    },
    /// Import an export file: all or nothing
    Import {
        /// The export file to read
        file: PathBuf,
        /// When a credential with the same organization and name exists
        #[arg(long, default_value = "fail", value_parser = on_conflict_parser())]
        on_conflict: OnConflict,
        /// Check and report what would change, without writing
        #[arg(long)]
        dry_run: bool,
        /// An age identity file to open an encrypted file with
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
    },
    /// Show the database, its schema and how its secrets are protected (needs no key)
    Status {
        /// Print a JSON object
        #[arg(long)]
        json: bool,
    },
    /// Protect the data key with a master passphrase, change it, or remove it
    #[command(subcommand)]
    Passphrase(PassphraseCommand),
    /// Print this database's age public key (age1…), for encrypted exports sent to you
    Key,
    /// Authorize an OAuth 2.0 credential at its provider and store the tokens, sealed
    Authorize {
        /// The organization's name
        #[arg(long, value_name = "ORG")]
        org: String,
        /// The credential's name
        name: String,
        /// Only print the authorization URL; do not open a browser
        #[arg(long)]
        no_browser: bool,
        /// The redirect URI's port (default: $BOT_CREDENTIALS_OAUTH_PORT, else the app's setting)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        port: Option<u16>,
        /// How long to wait for the browser's redirect, in seconds
        #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: u64,
    },
    /// Print a valid access token of an OAuth 2.0 credential (refreshed first when it has expired)
    Token {
        /// The organization's name
        #[arg(long, value_name = "ORG")]
        org: String,
        /// The credential's name
        name: String,
        /// Print {"access_token", "token_type", "expires_at"}
        #[arg(long)]
        json: bool,
    },
    /// Check that a Consumer Authentication link answers (GET, no cookies, at most 5 redirects, 10 s)
    Check {
        /// The organization's name
        #[arg(long, value_name = "ORG")]
        org: String,
        /// The credential's name
        name: String,
    },
}

/// Encrypted export: an age file, secrets included.
#[derive(Debug, Args)]
#[group(id = "encryption", multiple = false)]
pub struct SealArgs {
    /// Encrypt with a passphrase ($BOT_CREDENTIALS_EXPORT_PASSPHRASE, else asked twice)
    #[arg(long)]
    pub(crate) passphrase: bool,
    /// Encrypt to this age public key (repeatable)
    #[arg(long, value_name = "AGE_KEY")]
    pub(crate) recipient: Vec<String>,
    /// Encrypt to the age public keys in this file (age's recipients file format)
    #[arg(long, value_name = "FILE")]
    pub(crate) recipients_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PassphraseCommand {
    /// Set a master passphrase ($BOT_CREDENTIALS_NEW_PASSPHRASE, else asked twice)
    Set,
    /// Change it (current from $BOT_CREDENTIALS_PASSPHRASE or asked; new as for set)
    Change,
    /// Remove it: the key goes to the system keyring where one answers, else to a key file
    Remove,
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

/// Runs a subcommand, printing results on stdout and errors on stderr, and
/// logging it (the command and what it was about; never a value).
pub fn run(db: Option<PathBuf>, command: Command) -> ExitCode {
    let (op, subject) = describe(&command);
    let mut out = std::io::stdout().lock();
    match execute(db, command, &mut out) {
        Ok(()) => {
            tracing::info!(op, subject, "done");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::warn!(op, subject, kind = e.kind(), "failed: {e}");
            report(&e);
            ExitCode::from(1)
        }
    }
}

/// The command's name and what it is about, for the log (no secret is ever
/// an argument: they come from prompts, standard input or the environment).
fn describe(command: &Command) -> (&'static str, String) {
    match command {
        Command::Org(OrgCommand::Add { name }) => ("org add", format!("{name:?}")),
        Command::Org(OrgCommand::List { .. }) => ("org list", String::new()),
        Command::List { org, .. } => ("list", format!("{org:?}")),
        Command::Export { org, output, include_secrets, seal, .. } => {
            let what = if seal.passphrase || !seal.recipient.is_empty() || seal.recipients_file.is_some() {
                "encrypted"
            } else if *include_secrets {
                "WITH SECRETS in plain text"
            } else {
                "secrets redacted"
            };
            let to = output.as_ref().map_or("standard output".to_string(), |p| p.display().to_string());
            let orgs = if org.is_empty() { "every organization".to_string() } else { format!("{org:?}") };
            ("export", format!("{orgs} to {to}, {what}"))
        }
        Command::Import { file, on_conflict, dry_run, .. } => {
            ("import", format!("{} ({on_conflict:?}{})", file.display(), if *dry_run { ", dry run" } else { "" }))
        }
        Command::Status { .. } => ("status", String::new()),
        Command::Passphrase(PassphraseCommand::Set) => ("passphrase set", String::new()),
        Command::Passphrase(PassphraseCommand::Change) => ("passphrase change", String::new()),
        Command::Passphrase(PassphraseCommand::Remove) => ("passphrase remove", String::new()),
        Command::Key => ("key", String::new()),
        Command::Authorize { org, name, .. } => ("authorize", format!("{name:?} in {org:?}")),
        Command::Token { org, name, .. } => ("token", format!("{name:?} in {org:?}")),
        Command::Check { org, name } => ("check", format!("{name:?} in {org:?}")),
    }
}

fn report(e: &Error) {
    let mut err = std::io::stderr().lock();
    match e {
        Error::Invalid(problems) if !problems.is_empty() => {
            for p in problems.iter().take(bot_credentials_core::error::SHOWN_PROBLEMS) {
                let _ = writeln!(err, "bot-credentials: {p}");
            }
            if let Some(more) = bot_credentials_core::error::more_problems(problems.len()) {
                let _ = writeln!(err, "bot-credentials: {more}");
            }
        }
        other => {
            let _ = writeln!(err, "bot-credentials: {other}");
        }
    }
}

fn execute(db: Option<PathBuf>, command: Command, out: &mut dyn Write) -> Result<()> {
    let path = bot_credentials_core::db_path(db)?;
    // Only `org add` and `import` may create the database; the rest need one.
    let existing = || Store::open_existing(&path);
    match command {
        Command::Org(OrgCommand::Add { name }) => {
            let org = Store::open(&path)?.create_org(&name).map_err(|e| match e {
                Error::Invalid(p) => Error::Invalid(
                    p.into_iter()
                        .map(|p| bot_credentials_core::Problem::new(format!("organization name {:?}", name), p.message))
                        .collect(),
                ),
                other => other,
            })?;
            writeln!(out, "Added organization \"{}\"", org.name).map_err(output)?;
        }
        Command::Org(OrgCommand::List { json }) => {
            let orgs = existing()?.list_orgs()?;
            if json {
                let list: Vec<Value> = orgs
                    .iter()
                    .map(|o| json!({ "name": o.name, "credentials": o.credential_count, "created_at": o.created_at, "updated_at": o.updated_at }))
                    .collect();
                print_json(out, &list)?;
            } else if orgs.is_empty() {
                writeln!(out, "No organizations yet. Add one with: bot-credentials org add NAME").map_err(output)?;
            } else {
                let rows = orgs.iter().map(|o| vec![o.name.clone(), o.credential_count.to_string()]).collect();
                print_table(out, &["NAME", "CREDENTIALS"], rows).map_err(output)?;
            }
        }
        Command::List { org, json } => {
            let store = existing()?;
            let org = store.org_by_name(&org)?;
            let creds = store.list_credentials(org.id)?;
            if json {
                let auth = store.authorizations_in(org.id)?;
                let list: Vec<Value> = creds
                    .iter()
                    .map(|c| {
                        let mut v = credential_json(c, None);
                        if let (Some(a), Some(obj)) = (auth.get(&c.id), v.as_object_mut()) {
                            obj.insert("authorization".into(), serde_json::to_value(a).unwrap_or(Value::Null));
                        }
                        v
                    })
                    .collect();
                print_json(out, &list)?;
            } else if creds.is_empty() {
                writeln!(out, "\"{}\" has no credentials yet.", org.name).map_err(output)?;
            } else {
                let rows = creds
                    .iter()
                    .map(CredentialSummary::from)
                    .map(|s| {
                        let details = if s.needs_secret { format!("{} (needs secret)", s.summary) } else { s.summary };
                        vec![s.name, s.type_label.to_string(), details, s.updated_at]
                    })
                    .collect();
                print_table(out, &["NAME", "TYPE", "DETAILS", "UPDATED"], rows).map_err(output)?;
            }
        }
        Command::Export { org, output: file, include_secrets, seal, armor } => {
            crate::transfer_cmd::export(&mut existing()?, &org, file, include_secrets, &seal, armor, out)?
        }
        Command::Import { file, on_conflict, dry_run, identity } => {
            crate::transfer_cmd::import(&path, &file, on_conflict, dry_run, identity.as_deref(), out)?
        }
        Command::Status { json } => crate::security::status(&existing()?, json, out)?,
        Command::Passphrase(cmd) => crate::security::passphrase(&mut existing()?, cmd, out)?,
        Command::Authorize { org, name, no_browser, port, timeout } => {
            let args = crate::authorize_cmd::AuthorizeArgs { org: &org, name: &name, no_browser, port, timeout };
            crate::authorize_cmd::authorize(&mut existing()?, args, out)?
        }
        Command::Token { org, name, json } => crate::authorize_cmd::token(&mut existing()?, &org, &name, json, out)?,
        Command::Check { org, name } => crate::authorize_cmd::check(&existing()?, &org, &name, out)?,
        Command::Key => {
            let mut store = existing()?;
            crate::prompt::unlock(&mut store)?;
            writeln!(out, "{}", store.public_key()?).map_err(output)?;
        }
    }
    Ok(())
}

/// `fail|skip|replace`, the names the core gives its policies.
fn on_conflict_parser() -> impl clap::builder::TypedValueParser<Value = OnConflict> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(OnConflict::ALL.map(|(name, _)| name)).try_map(|s| s.parse::<OnConflict>())
}

pub(crate) fn output(e: std::io::Error) -> Error {
    Error::Io(format!("cannot write the output: {e}"))
}

pub(crate) fn print_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    writeln!(out, "{}", serde_json::to_string_pretty(value).unwrap_or_default()).map_err(output)
}
