//! `status` and `passphrase set|change|remove`.

use crate::commands::{output, print_json, PassphraseCommand};
use crate::prompt::{self, NEW_PASSPHRASE_ENV, PASSPHRASE_ENV};
use bot_credentials_core::error::Result;
use bot_credentials_core::seal::levels::Protection;
use bot_credentials_core::store::Store;
use serde_json::json;
use std::io::Write;

/// What the database is and how it is protected; needs no key.
pub fn status(store: &Store, as_json: bool, out: &mut dyn Write) -> Result<()> {
    let orgs = store.list_orgs()?;
    let credentials: i64 = orgs.iter().map(|o| o.credential_count).sum();
    let protection = store.protection()?;
    let key_file = (protection == Protection::KeyFile).then(|| store.key_file_path().display().to_string());
    let key_problem = store.key_problem()?;
    let database = store.path().map(|p| p.display().to_string()).unwrap_or_default();
    if as_json {
        return print_json(
            out,
            &json!({
                "database": database,
                "database_id": store.db_id(),
                "schema_version": store.schema_version()?,
                "protection": protection,
                "key_file": key_file,
                "key_available": key_problem.is_none(),
                "key_problem": key_problem,
                "auto_lock_minutes": store.auto_lock_minutes()?,
                "organizations": orgs.len(),
                "credentials": credentials,
            }),
        );
    }
    let mut level = protection.describe().to_string();
    if let Some(path) = &key_file {
        level = format!("{level} ({path})");
    }
    let rows = [
        ["database", &database],
        ["database id", store.db_id()],
        ["schema version", &store.schema_version()?.to_string()],
        ["protection", &level],
        ["organizations", &orgs.len().to_string()],
        ["credentials", &credentials.to_string()],
    ];
    for row in rows {
        writeln!(out, "{:<16}{}", row[0], row[1]).map_err(output)?;
    }
    if let Some(problem) = key_problem {
        writeln!(out, "warning: {problem}").map_err(output)?;
    }
    Ok(())
}

pub fn passphrase(store: &mut Store, cmd: PassphraseCommand, out: &mut dyn Write) -> Result<()> {
    let current = || prompt::existing(PASSPHRASE_ENV, "Current master passphrase: ", "the current master passphrase");
    let new = || prompt::new(NEW_PASSPHRASE_ENV, "New master passphrase: ", "a new master passphrase");
    match cmd {
        PassphraseCommand::Set => {
            if store.protection()? == Protection::Passphrase {
                return Err(bot_credentials_core::Error::Conflict(
                    "a master passphrase is set already: use `passphrase change` or `passphrase remove`".into(),
                ));
            }
            store.set_passphrase(&new()?)?;
            writeln!(out, "The data key is now protected by your master passphrase.").map_err(output)?;
        }
        PassphraseCommand::Change => {
            let cur = current()?;
            store.change_passphrase(&cur, &new()?)?;
            writeln!(out, "Changed the master passphrase.").map_err(output)?;
        }
        PassphraseCommand::Remove => {
            let to = store.remove_passphrase(&current()?, None)?;
            let place = match to {
                Protection::KeyFile => format!("a key file ({})", store.key_file_path().display()),
                _ => "the system keyring".into(),
            };
            writeln!(out, "Removed the master passphrase; the data key is now kept in {place}.").map_err(output)?;
        }
    }
    Ok(())
}
