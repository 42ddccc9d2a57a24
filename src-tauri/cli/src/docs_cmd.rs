//! `completions bash|zsh|fish` and the hidden `man`: made from the clap
//! definition itself, so they never drift from what the binary accepts.
//! Neither opens a database nor writes logs (a packaging script runs them
//! at build time: `bot-credentials man > bot-credentials.1`).

use crate::commands::{output, Cli};
use crate::usage::Failure;
use clap::{ArgAction, CommandFactory, ValueEnum};
use clap_mangen::roff::{bold, italic, roman, Inline, Roff};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// The program's name, as completions and the man page call it.
const BIN: &str = "bot-credentials";

pub fn completions(shell: Shell, out: &mut dyn Write) -> Result<(), Failure> {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut buf = vec![];
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut buf);
    let mut script = String::from_utf8_lossy(&buf).into_owned();
    if shell == clap_complete::Shell::Bash {
        // clap_complete (up to 4.6.12 at least, clap-rs/clap#6421) spells the
        // subcommands' case labels of a hyphenated program differently from
        // the state its loop builds, so nothing past the first word would
        // complete; the labels are made to match.
        script = script.replace("bot__subcmd__credentials", "bot__credentials");
    }
    out.write_all(script.as_bytes()).and_then(|()| out.flush()).map_err(output)?;
    Ok(())
}

pub fn man(out: &mut dyn Write) -> Result<(), Failure> {
    out.write_all(page().as_bytes()).and_then(|()| out.flush()).map_err(output)?;
    Ok(())
}

/// One roff page, `bot-credentials(1)`: the program, its global options,
/// then every command (nested ones by their full name) with its synopsis,
/// description, arguments and options.
pub fn page() -> String {
    let mut cmd = Cli::command().bin_name(BIN);
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_string();

    let mut r = Roff::new();
    r.control("SH", ["NAME"]);
    let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
    r.text([roman(format!("{BIN} - {about}"))]);

    r.control("SH", ["SYNOPSIS"]);
    r.text([
        bold(BIN),
        roman(" ["),
        bold("--db"),
        roman(" "),
        italic("PATH"),
        roman("] "),
        italic("COMMAND"),
        roman(" ..."),
    ]);
    r.control("br", []);
    r.text([bold(BIN)]);

    r.control("SH", ["DESCRIPTION"]);
    for paragraph in DESCRIPTION {
        r.control("PP", []);
        r.text([roman(*paragraph)]);
    }

    r.control("SH", ["OPTIONS"]);
    options(&mut r, &cmd, true);

    r.control("SH", ["COMMANDS"]);
    for (name, sub) in commands(&cmd, BIN) {
        r.control("SS", [name.as_str()]);
        let usage = sub.clone().bin_name(&name).render_usage().to_string();
        let usage = usage.trim_start_matches("Usage:").trim();
        let rest = usage.strip_prefix(name.as_str()).unwrap_or(usage).trim_start();
        r.text([bold(name.as_str()), roman(" "), roman(rest)]);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            r.control("PP", []);
            r.text([roman(about.to_string())]);
        }
        options(&mut r, sub, false);
    }

    for (heading, items) in SECTIONS {
        r.control("SH", [*heading]);
        for (term, text) in *items {
            r.control("TP", []);
            r.text([bold(*term)]);
            r.text([roman(*text)]);
        }
    }
    r.control("SH", ["EXAMPLES"]);
    for (what, example) in EXAMPLES {
        r.control("PP", []);
        r.text([roman(*what)]);
        r.control("RS", []);
        r.control("nf", []);
        r.text([roman(*example)]);
        r.control("fi", []);
        r.control("RE", []);
    }
    r.control("SH", ["SEE ALSO"]);
    r.text([bold("age"), roman("(1)")]);

    // The title first, so the page starts with .TH (written out: an empty
    // date must stay an argument); the body brings roff's apostrophe
    // definition with it. Non-ASCII characters (…, ·) as groff's \[uXXXX]
    // escapes, so the page reads the same with or without preconv.
    let mut page = format!(".TH BOT-CREDENTIALS 1 \"\" \"{BIN} {version}\" \"User Commands\"\n");
    for c in r.render().chars() {
        if c.is_ascii() {
            page.push(c);
        } else {
            page.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    page
}

/// Every visible command that runs something, by its full name
/// (`bot-credentials org add`), depth first, in definition order.
fn commands<'a>(cmd: &'a clap::Command, path: &str) -> Vec<(String, &'a clap::Command)> {
    let mut out = vec![];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let name = format!("{path} {}", sub.get_name());
        if sub.has_subcommands() {
            out.extend(commands(sub, &name));
        } else {
            out.push((name, sub));
        }
    }
    out
}

/// Arguments and options as tagged paragraphs; a command's own only (the
/// global --db and --help, --version are described once, at the top).
fn options(r: &mut Roff, cmd: &clap::Command, top: bool) {
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let generic = matches!(
            arg.get_action(),
            ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
        );
        if !top && (arg.is_global_set() || generic) {
            continue;
        }
        let value = || {
            let name = arg
                .get_value_names()
                .and_then(|v| v.first())
                .map_or_else(|| arg.get_id().as_str().to_uppercase(), |v| v.to_string());
            let repeat = if matches!(arg.get_action(), ArgAction::Append) { "..." } else { "" };
            italic(format!("{name}{repeat}"))
        };
        let mut head: Vec<Inline> = vec![];
        if arg.is_positional() {
            head.push(value());
        } else {
            if let Some(short) = arg.get_short() {
                head.push(bold(format!("-{short}")));
                head.push(roman(", "));
            }
            if let Some(long) = arg.get_long() {
                head.push(bold(format!("--{long}")));
            }
            if arg.get_action().takes_values() {
                head.push(roman(" "));
                head.push(value());
            }
        }
        let mut text = arg.get_long_help().or_else(|| arg.get_help()).map(|h| h.to_string()).unwrap_or_default();
        let possible: Vec<String> =
            arg.get_possible_values().iter().filter(|p| !p.is_hide_set()).map(|p| p.get_name().to_string()).collect();
        if !possible.is_empty() {
            text.push_str(&format!(". One of: {}", possible.join(", ")));
        }
        let defaults: Vec<String> = arg.get_default_values().iter().map(|d| d.to_string_lossy().into_owned()).collect();
        if !defaults.is_empty() && arg.get_action().takes_values() {
            text.push_str(&format!(". Default: {}", defaults.join(", ")));
        }
        r.control("TP", []);
        r.text(head);
        r.text([roman(text)]);
    }
}

const DESCRIPTION: &[&str] = &[
    "Bot Credentials keeps the credentials of LivePerson Conversation Builder bots in one local SQLite file, \
     organized by organization, with their secrets sealed (XChaCha20-Poly1305, the data key in the system keyring, \
     a key file or behind a master passphrase).",
    "With no command it opens the window (it runs bot-credentials-window, installed beside it, with the same \
     arguments and environment). With a command it runs in the terminal and needs no display.",
    "Secrets are never given on the command line: --secret-stdin FIELD reads one from standard input, or asks for \
     it hidden on a terminal. They are never printed, except by an export that asks for them.",
    "FIELD is a field name of the export file (e.g. authentication_url, client_id, username, protocols); TYPE is a \
     type id: consumer_authentication, consumer_pre_authentication, oauth2, mutual_authentication, \
     basic_authentication, access_token, nlu.",
];

const EXAMPLES: &[(&str, &str)] = &[
    ("Add a Consumer Authentication credential:", "bot-credentials credential add --org \"Acme Bots\" --name \"Orders API\" \\\n    --type consumer_authentication --set authentication_url=https://accounts.example.com/authorize"),
    ("Add a Basic Authentication credential, its password from a file:", "bot-credentials credential add --org \"Acme Bots\" --name CRM --type basic_authentication \\\n    --set username=svc-bot --secret-stdin password < password.txt"),
    ("Give a Mutual Authentication credential a new key certificate:", "bot-credentials credential edit --org \"Acme Bots\" \"Payments\" --set-file key_certificate=client.p12"),
    ("Delete an organization from a script:", "bot-credentials org delete \"Old Bots\" --yes"),
];

type Items = &'static [(&'static str, &'static str)];

const SECTIONS: &[(&str, Items)] = &[
    (
        "EXIT STATUS",
        &[
            ("0", "Done."),
            ("1", "Bad input or a failure; every problem on standard error, one line each, named by its field."),
            ("2", "Wrong usage (an unknown option, a secret given on the command line, a delete not confirmed)."),
        ],
    ),
    (
        "ENVIRONMENT",
        &[
            ("BOT_CREDENTIALS_DB", "The database file, unless --db is given."),
            ("BOT_CREDENTIALS_PASSPHRASE", "The master passphrase, when the database has one (else it is asked)."),
            ("BOT_CREDENTIALS_NEW_PASSPHRASE", "A new master passphrase for passphrase set and change."),
            ("BOT_CREDENTIALS_EXPORT_PASSPHRASE", "The passphrase of an encrypted export file."),
            ("BOT_CREDENTIALS_KEYRING", "off: behave as if no system keyring answered."),
            ("BOT_CREDENTIALS_OAUTH_PORT", "The port of the OAuth 2.0 redirect URI, unless --port is given."),
            ("BOT_CREDENTIALS_OPENER", "A program run with the authorization URL instead of the browser."),
            ("BOT_CREDENTIALS_LOG", "The log level: error, warn, info (the default), debug or off."),
        ],
    ),
    (
        "FILES",
        &[
            ("~/.local/share/dev.botcredentials.desktop/credentials.sqlite3", "The database (mode 0600), by default."),
            ("~/.config/dev.botcredentials.desktop/keys/", "Key files, when the data key is kept in one."),
            ("~/.local/share/dev.botcredentials.desktop/logs/", "One log file a day, never a secret in it."),
        ],
    ),
];
