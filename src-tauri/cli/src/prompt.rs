//! Passphrases from the terminal: from an environment variable when set,
//! else asked on the terminal (hidden). Without either, a clear error that
//! says how to give one. Every passphrase is wiped when dropped. Also a
//! secret field's value (`--secret-stdin`) and the question a delete asks.

use crate::usage::{usage, Failure};
use bot_credentials_core::error::{Error, Result};
use bot_credentials_core::store::Store;
use std::io::{BufRead, IsTerminal, Read, Write};
use zeroize::{Zeroize, Zeroizing};

/// The most `--secret-stdin` reads (the largest secret, NLU credentials, is
/// 64 KiB of JSON).
const MAX_STDIN_BYTES: u64 = 1024 * 1024;

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

/// A secret field's value for `--secret-stdin`: asked hidden when standard
/// input is a terminal, else the whole of standard input with one trailing
/// newline (`\n` or `\r\n`) dropped. Problems name the field.
pub fn secret_value(field: &str, label: &str) -> Result<Zeroizing<String>> {
    let stdin = std::io::stdin();
    let value = if stdin.is_terminal() {
        let asked = rpassword::prompt_password(format!("{label} ({field}): "))
            .map_err(|e| Error::invalid(field, format!("could not be read from the terminal: {e}")))?;
        Zeroizing::new(asked)
    } else {
        let mut bytes = Zeroizing::new(Vec::with_capacity(64 * 1024));
        stdin
            .lock()
            .take(MAX_STDIN_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::invalid(field, format!("could not be read from standard input: {e}")))?;
        if bytes.len() as u64 > MAX_STDIN_BYTES {
            return Err(Error::invalid(field, "is more than 1 MiB on standard input"));
        }
        let text = match String::from_utf8(std::mem::take(&mut *bytes)) {
            Ok(text) => Zeroizing::new(text),
            Err(e) => {
                e.into_bytes().zeroize();
                return Err(Error::invalid(field, "is not UTF-8 text on standard input"));
            }
        };
        let mut text = text;
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
        text
    };
    if value.is_empty() {
        return Err(Error::invalid(field, "is empty: nothing was given on standard input"));
    }
    Ok(value)
}

/// Asks before a delete, unless `--yes`. On a terminal: `question [y/N]`,
/// and anything but y or yes deletes nothing (exit 1). Without a terminal
/// and without `--yes` it refuses (exit 2).
pub fn confirm(question: &str, yes: bool) -> std::result::Result<(), Failure> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(usage(
            "a delete is confirmed on a terminal: run it on one to be asked, or add --yes to delete without asking",
        ));
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question} This cannot be undone. [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).map_err(|e| Error::Io(format!("could not read the answer: {e}")))?;
    match answer.trim().to_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Failure::Declined("nothing was deleted".into())),
    }
}
