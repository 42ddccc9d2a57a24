//! Opening a URL for the user: the system browser, or a stand-in named by
//! `BOT_CREDENTIALS_OPENER` (the test opener in end-to-end tests).

use std::ffi::{OsStr, OsString};
use std::process::{Command, Stdio};

/// The environment variable naming a program to run instead of the browser.
pub const OPENER_ENV: &str = "BOT_CREDENTIALS_OPENER";

/// The program open_url would run, if BOT_CREDENTIALS_OPENER is set (the window uses tauri's opener
/// plugin otherwise). An empty value counts as unset.
pub fn opener_override() -> Option<OsString> {
    std::env::var_os(OPENER_ENV).filter(|v| !v.is_empty())
}

/// The system's own opener.
fn system_opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

/// Opens `url` for the user: the program named by env BOT_CREDENTIALS_OPENER when set (run with the URL
/// as its one argument, not waited for but reaped in a background thread), else `xdg-open`
/// (`open` on macOS). Error text says which program failed. Only http and
/// https URLs are opened. The variable names a program, not a command line.
///
/// The program's standard input and output are closed, so that nothing it
/// prints mixes with ours (the terminal prints the URL alone on its first
/// line); its standard error is kept for diagnostics.
pub fn open_url(url: &str) -> Result<(), String> {
    // Also keeps a "URL" from being read as an option (`--help`) by the program.
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
        _ => {
            return Err(format!(
                "only http and https addresses are opened in the browser, not {}",
                crate::redact::cap(url, 80)
            ))
        }
    }
    let program = opener_override().unwrap_or_else(|| system_opener().into());
    spawn_opener(&program, url.as_ref(), " to open the browser")
}

/// Runs `program` with `arg` as its one argument, not waited for but reaped
/// in a background thread; its standard input and output closed, its
/// standard error kept. The error says which program failed, and `purpose`
/// (e.g. " to open the browser") why it was run.
pub fn spawn_opener(program: &OsStr, arg: &OsStr, purpose: &str) -> Result<(), String> {
    let shown = program.to_string_lossy().into_owned();
    let mut child = Command::new(program)
        .arg(arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not run {shown}{purpose}: {e}"))?;
    let reaper = std::thread::Builder::new().name("opener-reaper".into()).spawn(move || {
        let _ = child.wait();
    });
    // Without a thread the child is reaped when this process ends.
    drop(reaper);
    Ok(())
}
