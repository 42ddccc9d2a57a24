//! `bot-credentials`: with a subcommand it runs in the terminal, without one
//! it opens the window.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = bot_credentials::cli::Cli::parse();
    match cli.command {
        Some(command) => bot_credentials::cli::run(cli.db, command),
        None => bot_credentials::app::run(cli.db),
    }
}
