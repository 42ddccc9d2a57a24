//! Passphrases from the terminal: from an environment variable when set,
//! else asked on the terminal (hidden). Without either, a clear error that
//! says how to give one. Every passphrase is wiped when dropped.

use bot_credentials_core::error::{Error, Result};
use bot_credentials_core::store::Store;
use zeroize::Zeroizing;

/// The master passphrase of the database.
pub const PASSPHRASE_ENV: &str = "BOT_CREDENTIALS_PASSPHRASE";
/// A new master passphrase (`passphrase set` / `change`).
pub const NEW_PASSPHRASE_ENV: &str = "BOT_CREDENTIALS_NEW_PASSPHRASE";
/// The passphrase of an encrypted export file.
pub const EXPORT_PASSPHRASE_ENV: &str = "BOT_CREDENTIALS_EXPORT_PASSPHRASE";

fn from_env(var: &str) -> Option<Zeroizing<String>> {
    std::env::var_os(var).map(|v| Zeroizing::new(v.to_string_lossy().into_owned()))
}

fn ask(prompt: &str, what: &str, var: &str) -> Result<Zeroizing<String>> {
    rpassword::prompt_password(prompt).map(Zeroizing::new).map_err(|_| {
        Error::Locked(format!("{what} is needed: set {var}, or run this on a terminal to be asked for it"))
    })
}

/// A passphrase that exists already (asked once).
pub fn existing(var: &str, prompt: &str, what: &str) -> Result<Zeroizing<String>> {
    match from_env(var) {
        Some(p) => Ok(p),
        None => ask(prompt, what, var),
    }
}

/// A new passphrase (asked twice on a terminal; the two must agree).
pub fn new(var: &str, prompt: &str, what: &str) -> Result<Zeroizing<String>> {
    if let Some(p) = from_env(var) {
        return Ok(p);
    }
    let first = ask(prompt, what, var)?;
    let again = ask("Type it again: ", what, var)?;
    if first != again {
        return Err(Error::invalid("passphrase", "the two passphrases differ; nothing was changed"));
    }
    Ok(first)
}

/// Gives the master passphrase when the database is locked by one.
pub fn unlock(store: &mut Store) -> Result<()> {
    if store.is_locked()? {
        let pass = existing(PASSPHRASE_ENV, "Master passphrase: ", "the master passphrase of this database")?;
        store.unlock(&pass)?;
    }
    Ok(())
}
