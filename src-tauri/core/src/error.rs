//! The one error type of the core. It reaches the UI as `{ kind, message }`
//! (plus `problems` for validation) and the terminal as its message.

use serde::Serialize;
use std::path::PathBuf;

/// One thing wrong with an input, named by its field (`name`,
/// `authentication_url`) or, for a file, by its JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input breaks one or more rules; nothing was written.
    #[error("{}", summarize(.0))]
    Invalid(Vec<Problem>),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the database {path} could not be opened: {reason}")]
    Open { path: PathBuf, reason: String },
    #[error("database error: {0}")]
    Database(String),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Unavailable(String),
    /// The action needs the data key, and the master passphrase was not given yet.
    #[error("{0}")]
    Locked(String),
    #[error("{0}")]
    WrongPassphrase(String),
    /// The data key cannot be found (key file deleted, keyring entry gone,
    /// database moved without its key); the message says how to recover.
    #[error("{0}")]
    KeyMissing(String),
    /// A sealed value did not open; the message names its place.
    #[error("{0}")]
    Tampered(String),
    /// An encrypted file that is not sealed to any key we were given.
    #[error("{0}")]
    NotRecipient(String),
    /// A network call (Authorize, a link check) failed. `kind` is one of
    /// offline, timeout, cancelled, provider, state_mismatch, tls, listener,
    /// protocol; the message carries no secret.
    #[error("{message}")]
    Network { kind: &'static str, message: String },
}

fn summarize(problems: &[Problem]) -> String {
    match problems {
        [] => "the input is not valid".into(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more problems)", rest.len()),
    }
}

impl Error {
    /// The stable machine-readable kind the UI switches on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "validation",
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::Open { .. } | Error::Database(_) => "database",
            Error::Io(_) => "io",
            Error::Unavailable(_) => "unavailable",
            Error::Locked(_) => "locked",
            Error::WrongPassphrase(_) => "wrong_passphrase",
            Error::KeyMissing(_) => "key_missing",
            Error::Tampered(_) => "tampered",
            Error::NotRecipient(_) => "not_recipient",
            Error::Network { kind, .. } => kind,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![Problem::new(field, message)])
    }

    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid(p) => p,
            _ => &[],
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

/// What a damaged database file is told as: nothing is written to it, and
/// the way out.
pub const DAMAGED: &str = "the database file is damaged (SQLite found pages it cannot read); nothing was changed. \
Restore it from a backup or import your last export, or save what can still be read with `sqlite3 FILE .recover`";

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        // rusqlite's messages never carry bound values, so no secret leaks here.
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
                Error::Database("the database is locked by another program; try again".into())
            }
            Some(rusqlite::ErrorCode::ReadOnly) => {
                Error::Database("the database is read-only; nothing was changed".into())
            }
            Some(rusqlite::ErrorCode::DiskFull) => Error::Database("the disk is full; nothing was changed".into()),
            Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase) => {
                Error::Database(DAMAGED.into())
            }
            _ => Error::Database(e.to_string()),
        }
    }
}

/// How many problems a person is shown, in the window and the terminal; the
/// rest are counted ("… and 99,980 more problems"), so a file whose every
/// entry fails does not print (or send over IPC) one line per entry.
pub const SHOWN_PROBLEMS: usize = 20;

/// Serializes the first [`SHOWN_PROBLEMS`] of `problems`.
pub fn first_problems<S: serde::Serializer>(problems: &[Problem], s: S) -> Result<S::Ok, S::Error> {
    problems[..problems.len().min(SHOWN_PROBLEMS)].serialize(s)
}

/// "… and 80 more problems" when there are more than are shown.
pub fn more_problems(total: usize) -> Option<String> {
    let more = total.checked_sub(SHOWN_PROBLEMS).filter(|n| *n > 0)?;
    Some(format!("… and {more} more problem{}", if more == 1 { "" } else { "s" }))
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct First<'a>(&'a [Problem]);
        impl Serialize for First<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                first_problems(self.0, s)
            }
        }
        let mut st = s.serialize_struct("Error", 4)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("message", &self.to_string())?;
        st.serialize_field("problems", &First(self.problems()))?;
        st.serialize_field("problem_count", &self.problems().len())?;
        st.end()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
