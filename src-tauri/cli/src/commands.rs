//! The terminal door: `bot-credentials <command>`. Never touches GTK.
//! Exit status: 0 done, 1 bad input or failure, 2 wrong usage (clap, or
//! what only the command can see: a secret on the command line, a delete
//! not confirmed).

use crate::credential_cmd::CredentialCommand;
use crate::table::{inert, print_table, quoted};
use crate::usage::Failure;
use bot_credentials_core::error::{Error, Result};
use bot_credentials_core::model::CredentialSummary;
use bot_credentials_core::store::{OnConflict, Store};
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
    /// Add, edit, show or delete a credential (secrets from standard input, never the command line)
    #[command(subcommand)]
    Credential(CredentialCommand),
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
    /// Import an export file, or a Postman collection (--from postman): all or nothing
    Import {
        /// The export file to read (with --from postman: the collection)
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
        #[command(flatten)]
        from: crate::transfer_cmd::FromArgs,
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
    /// Print a shell completion script (e.g. bot-credentials completions bash > /etc/bash_completion.d/bot-credentials)
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: crate::docs_cmd::Shell,
    },
    /// Print the man page, bot-credentials(1), in roff
    #[command(hide = true)]
    Man,
}

impl Command {
    /// Whether the command is about the database and so is logged (the
    /// completions and the man page are not: packaging runs them).
    pub fn is_logged(&self) -> bool {
        !matches!(self, Command::Completions { .. } | Command::Man)
    }
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
    /// Rename an organization
    Rename {
        /// Its name now
        old: String,
        /// Its new name (1 to 200 characters, unique)
        new: String,
    },
    /// Delete an organization and every credential in it (asks on a terminal; --yes deletes without asking)
    Delete {
        /// Its name
        name: String,
        /// Delete without asking (needed when not on a terminal)
        #[arg(long)]
        yes: bool,
    },
}

/// Runs a subcommand, printing results on stdout and errors on stderr, and
/// logging it (the command and what it was about; never a value). Every
/// line on standard error is made inert (names may hold bidi controls).
pub fn run(db: Option<PathBuf>, command: Command) -> ExitCode {
    let (op, subject) = describe(&command);
    let mut out = std::io::stdout().lock();
    // For naming the database in its errors ("the database PATH: the disk is full…").
    let db_file = bot_credentials_core::db_path(db.clone()).ok();
    match execute(db, command, &mut out) {
        Ok(()) => {
            tracing::info!(op, subject, "done");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::warn!(op, subject, kind = e.kind(), "failed: {e}");
            match e {
                Failure::Core(e) => {
                    report(&e, db_file.as_deref());
                    ExitCode::from(1)
                }
                Failure::Usage(m) => {
                    eprintln!("bot-credentials: {}", inert(&m));
                    ExitCode::from(2)
                }
                Failure::Declined(m) => {
                    eprintln!("bot-credentials: {}", inert(&m));
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// The command's name and what it is about, for the log (no secret is ever
/// an argument: they come from prompts, standard input or the environment).
fn describe(command: &Command) -> (&'static str, String) {
    match command {
        Command::Org(OrgCommand::Add { name }) => ("org add", format!("{name:?}")),
        Command::Org(OrgCommand::List { .. }) => ("org list", String::new()),
        Command::Org(OrgCommand::Rename { old, new }) => ("org rename", format!("{old:?} to {new:?}")),
        Command::Org(OrgCommand::Delete { name, .. }) => ("org delete", format!("{name:?}")),
        Command::Credential(cmd) => crate::credential_cmd::describe(cmd),
        Command::Completions { shell } => ("completions", format!("{shell:?}")),
        Command::Man => ("man", String::new()),
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

fn report(e: &Error, db_file: Option<&std::path::Path>) {
    let mut err = std::io::stderr().lock();
    match e {
        Error::Invalid(problems) if !problems.is_empty() => {
            for p in problems.iter().take(bot_credentials_core::error::SHOWN_PROBLEMS) {
                let _ = writeln!(err, "bot-credentials: {}", inert(&p.to_string()));
            }
            if let Some(more) = bot_credentials_core::error::more_problems(problems.len()) {
                let _ = writeln!(err, "bot-credentials: {more}");
            }
        }
        Error::Database(m) if db_file.is_some() => {
            let file = db_file.map(|p| p.display().to_string()).unwrap_or_default();
            let m = m.replace("sqlite3 FILE", &format!("sqlite3 {file}"));
            let _ = writeln!(err, "bot-credentials: the database {}: {}", inert(&file), inert(&m));
        }
        other => {
            let _ = writeln!(err, "bot-credentials: {}", inert(&other.to_string()));
        }
    }
}

fn execute(db: Option<PathBuf>, command: Command, out: &mut dyn Write) -> Result<(), Failure> {
    // Made from the command line's definition: no database.
    let command = match command {
        Command::Completions { shell } => return crate::docs_cmd::completions(shell, out),
        Command::Man => return crate::docs_cmd::man(out),
        other => other,
    };
    let path = bot_credentials_core::db_path(db)?;
    // Only `org add` and `import` may create the database; the rest need one.
    let existing = || Store::open_existing(&path);
    match command {
        Command::Org(OrgCommand::Add { name }) => crate::org_cmd::add(&mut Store::open(&path)?, &name, out)?,
        Command::Org(OrgCommand::Rename { old, new }) => crate::org_cmd::rename(&mut existing()?, &old, &new, out)?,
        Command::Org(OrgCommand::Delete { name, yes }) => crate::org_cmd::delete(&mut existing()?, &name, yes, out)?,
        Command::Credential(cmd) => crate::credential_cmd::execute(&path, cmd, out)?,
        Command::Completions { .. } | Command::Man => {}
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
                let list: Vec<Value> =
                    creds.iter().map(|c| crate::credential_cmd::listed_json(c, auth.get(&c.id))).collect();
                print_json(out, &list)?;
            } else if creds.is_empty() {
                writeln!(out, "{} has no credentials yet.", quoted(&org.name)).map_err(output)?;
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
        Command::Import { file, on_conflict, dry_run, identity, from } => {
            crate::transfer_cmd::import(&path, &file, on_conflict, dry_run, identity.as_deref(), &from, out)?
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
