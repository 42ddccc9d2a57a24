//! How a terminal command fails: with the core's error (bad input or a
//! failure, exit 1) or because it was used wrongly in a way clap cannot see
//! (exit 2): a secret on the command line, a delete nobody confirmed; or
//! the person at the terminal said no (exit 1).

use bot_credentials_core::error::Error;

#[derive(Debug)]
pub enum Failure {
    /// Bad input or a failure: exit 1.
    Core(Error),
    /// Wrong usage: exit 2; the message says how to use it.
    Usage(String),
    /// The person at the terminal answered no: nothing was done, exit 1.
    Declined(String),
}

impl Failure {
    /// The kind for the log: the core's kind, or `usage`.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Core(e) => e.kind(),
            Failure::Usage(_) => "usage",
            Failure::Declined(_) => "cancelled",
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Core(e) => e.fmt(f),
            Failure::Usage(m) | Failure::Declined(m) => f.write_str(m),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

/// A wrong usage (exit 2).
pub fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}
