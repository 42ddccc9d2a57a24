//! Bot Credentials' core: the model of the seven credential types,
//! validation, the sealed SQLite store, export and import. Plain Rust: it
//! depends on neither tauri, GTK nor clap. The window (`bot-credentials-window`)
//! and the terminal (`bot-credentials`) are two thin doors into it.

pub mod collate;
pub mod envelope;
pub mod error;
pub mod fsutil;
pub mod logs;
pub mod model;
mod par;
pub mod perms;
pub mod seal;
pub mod secret;
pub mod spec;
pub mod store;
pub mod transfer;
pub mod validate;

pub use error::{Error, Problem, Result};

/// The bundle identifier; the default database lives under the platform's
/// data directory in a folder of this name (as Tauri's app_data_dir).
pub const IDENTIFIER: &str = "dev.botcredentials.desktop";
pub const DB_ENV: &str = "BOT_CREDENTIALS_DB";
pub const DB_FILE_NAME: &str = "credentials.sqlite3";

/// Where the database is: `--db`, else `BOT_CREDENTIALS_DB`, else the
/// platform data directory.
pub fn db_path(flag: Option<std::path::PathBuf>) -> Result<std::path::PathBuf> {
    if let Some(p) = flag {
        return Ok(p);
    }
    if let Some(p) = std::env::var_os(DB_ENV).filter(|v| !v.is_empty()) {
        return Ok(p.into());
    }
    let base = dirs::data_dir()
        .ok_or_else(|| Error::Io("cannot find the data directory: set HOME or BOT_CREDENTIALS_DB".into()))?;
    Ok(base.join(IDENTIFIER).join(DB_FILE_NAME))
}

#[cfg(test)]
mod fuzz_tests;
