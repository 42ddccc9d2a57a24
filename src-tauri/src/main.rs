//! `bot-credentials-window`: the window. Users start it as `bot-credentials`
//! (which executes this binary with the same arguments); the one option it
//! takes is `--db PATH`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    bot_credentials_core::perms::private_from_birth();
    let mut db: Option<PathBuf> = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "--db" {
            match args.next() {
                Some(path) => db = Some(path.into()),
                None => return usage("--db needs a PATH"),
            }
        } else if let Some(path) = text.strip_prefix("--db=") {
            db = Some(path.into());
        } else {
            return usage(&format!("unexpected argument {text:?}"));
        }
    }
    // GTK panics without a display; say so plainly instead.
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    if cfg!(target_os = "linux") && !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
        eprintln!(
            "bot-credentials: the window needs a desktop session and none was found (DISPLAY and WAYLAND_DISPLAY are unset); the terminal commands work without one: bot-credentials --help"
        );
        return ExitCode::from(1);
    }
    bot_credentials_window::app::run(db)
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("bot-credentials-window: {problem}\nUsage: bot-credentials-window [--db PATH]   (or: bot-credentials [--db PATH])");
    ExitCode::from(2)
}
