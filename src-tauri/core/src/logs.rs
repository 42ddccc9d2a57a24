//! Structured logs (issue #11): one line per operation, with what it was
//! about (the operation, the organization, the credential's name, counts,
//! an error's kind and message) and never a value. Lines go to a file in the
//! app's log folder, `$XDG_DATA_HOME/dev.botcredentials.desktop/logs`, one
//! file a day per door (`window.YYYY-MM-DD.log`, `cli.…`), the last 14 kept.
//!
//! `BOT_CREDENTIALS_LOG` sets the level: `error`, `warn`, `info` (the
//! default), `debug` or `off`. Messages of this app's errors never carry a
//! secret (see error.rs), so an error can be logged as it is.

use std::path::PathBuf;
use tracing_subscriber::filter::LevelFilter;

/// The level variable.
pub const LOG_ENV: &str = "BOT_CREDENTIALS_LOG";
/// Days of logs kept.
const KEPT_FILES: usize = 14;

/// The app's log folder.
pub fn log_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(crate::IDENTIFIER).join("logs"))
}

/// Keeps the log writer running; drop it last (it flushes).
pub struct LogGuard(#[allow(dead_code)] tracing_appender::non_blocking::WorkerGuard);

fn level() -> LevelFilter {
    match std::env::var(LOG_ENV).unwrap_or_default().trim().to_ascii_lowercase().as_str() {
        "off" => LevelFilter::OFF,
        "error" => LevelFilter::ERROR,
        "warn" => LevelFilter::WARN,
        "debug" => LevelFilter::DEBUG,
        "trace" => LevelFilter::TRACE,
        _ => LevelFilter::INFO,
    }
}

/// Starts logging for `door` ("window" or "cli"). Without a log folder that
/// can be written, the app runs without logs (it says so on standard error).
pub fn init(door: &str) -> Option<LogGuard> {
    let level = level();
    if level == LevelFilter::OFF {
        return None;
    }
    let dir = log_dir()?;
    if let Err(e) = create_private_dir(&dir) {
        eprintln!("bot-credentials: no logs: cannot create {}: {e}", dir.display());
        return None;
    }
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(door)
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(&dir);
    let appender = match appender {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bot-credentials: no logs: cannot write in {}: {e}", dir.display());
            return None;
        }
    };
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_target(false)
        .with_max_level(level)
        .finish();
    tracing::subscriber::set_global_default(subscriber).ok()?;
    Some(LogGuard(guard))
}

fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}
