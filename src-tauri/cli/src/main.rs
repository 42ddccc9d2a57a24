//! `bot-credentials`: with a subcommand it runs in the terminal; with none
//! it opens the window by executing `bot-credentials-window`, installed
//! beside it, with the same arguments and environment, in its place. This
//! binary links no GTK, WebKit or libsoup, so it runs over SSH and on
//! servers without the desktop libraries.

mod authorize_cmd;
mod commands;
mod credential_cmd;
mod docs_cmd;
mod draft;
mod org_cmd;
mod prompt;
mod security;
mod table;
mod transfer_cmd;
mod usage;

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The window binary's file name, beside this one.
const WINDOW_BINARY: &str = "bot-credentials-window";

fn main() -> ExitCode {
    bot_credentials_core::perms::private_from_birth();
    let cli = commands::Cli::parse();
    bot_credentials_core::store::on_notice(|notice| eprintln!("bot-credentials: warning: {}", table::inert(notice)));
    bot_credentials_core::store::on_waiting(|waited| {
        eprintln!(
            "bot-credentials: waiting for another program to finish writing to the database ({} s so far)…",
            waited.as_secs()
        );
    });
    match cli.command {
        Some(command) => {
            let _logs = command.is_logged().then(|| bot_credentials_core::logs::init("cli"));
            commands::run(cli.db, command)
        }
        None => open_window(),
    }
}

/// Replaces this process by the window binary (same pid, arguments and
/// environment, so tauri-driver and desktop launchers see one program).
fn open_window() -> ExitCode {
    let window = match std::env::current_exe() {
        Ok(me) => me.with_file_name(WINDOW_BINARY),
        Err(e) => {
            eprintln!("bot-credentials: cannot find where this program is installed: {e}");
            return ExitCode::from(1);
        }
    };
    let mut command = std::process::Command::new(&window);
    command.args(std::env::args_os().skip(1));
    #[cfg(unix)]
    let err = {
        use std::os::unix::process::CommandExt;
        command.exec()
    };
    #[cfg(not(unix))]
    let err = match command.status() {
        Ok(status) => return ExitCode::from(status.code().unwrap_or(1).clamp(0, 255) as u8),
        Err(e) => e,
    };
    if err.kind() == std::io::ErrorKind::NotFound {
        eprintln!(
            "bot-credentials: the window is not installed: {} is missing (the terminal commands work without it; see bot-credentials --help)",
            window.display()
        );
    } else {
        eprintln!("bot-credentials: cannot start the window ({}): {err}", window.display());
    }
    ExitCode::from(1)
}
