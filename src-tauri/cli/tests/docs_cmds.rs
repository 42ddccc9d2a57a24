//! `completions bash|zsh|fish` and the hidden `man`, as a packaging script
//! calls them: `bot-credentials man > bot-credentials.1`. Neither needs or
//! creates a database, nor writes logs.

mod common;

use common::*;

/// Every command that runs something, by its full name.
const COMMANDS: &[&str] = &[
    "org add",
    "org list",
    "org rename",
    "org delete",
    "credential add",
    "credential edit",
    "credential show",
    "credential delete",
    "list",
    "export",
    "import",
    "status",
    "passphrase set",
    "passphrase change",
    "passphrase remove",
    "key",
    "authorize",
    "token",
    "check",
    "completions",
];

fn nothing_written(home: &Home, db: &Db) {
    assert!(!db.path.exists(), "a database was created");
    for dir in ["data", "config", "home"] {
        assert!(!home.root().join(dir).exists(), "{dir} was written to");
    }
}

#[test]
fn completions_are_printed_for_each_shell_and_know_the_commands() {
    let home = Home::new();
    let db = home.db("none");
    for (shell, marker) in [
        ("bash", "complete -F _bot__credentials"),
        ("zsh", "#compdef bot-credentials"),
        ("fish", "complete -c bot-credentials"),
    ] {
        let out = db.ok(&["completions", shell]);
        assert!(out.len() > 1000, "{shell}: {} bytes", out.len());
        assert!(out.contains(marker), "{shell} lacks {marker:?}");
        for word in ["credential", "secret-stdin", "set-file", "basic_authentication"] {
            assert!(out.contains(word), "{shell} completions lack {word}");
        }
    }
    let fish = db.ok(&["completions", "fish"]);
    assert!(fish.contains("__fish_seen_subcommand_from add\" -l type"), "TYPE is completed");
    let out = db.run(&["completions", "powershell"], &[]);
    assert_eq!(out.status.code(), Some(2), "only the shells of the contract");
    nothing_written(&home, &db);
}

/// What bash offers for the words typed so far (the last one being completed).
fn bash_completes(script: &std::path::Path, words: &[&str]) -> String {
    let line = format!(
        "source \"$1\" && COMP_WORDS=({words}) && COMP_CWORD={cword} && _bot__credentials bot-credentials {cur} {prev} && echo \"${{COMPREPLY[*]}}\"",
        words = words.join(" "),
        cword = words.len() - 1,
        cur = words[words.len() - 1],
        prev = words[words.len() - 2],
    );
    let out =
        std::process::Command::new("bash").arg("-c").arg(line).arg("bash").arg(script).output().expect("run bash");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// bash itself takes the script and completes commands, options and types
/// past the first word (which clap_complete alone gets wrong for a
/// program whose name has a hyphen).
#[test]
fn bash_completes_with_the_script() {
    let home = Home::new();
    let db = home.db("none");
    let script = home.file("bot-credentials.bash");
    std::fs::write(&script, db.ok(&["completions", "bash"])).expect("write the script");
    assert_eq!(bash_completes(&script, &["bot-credentials", "cred"]), "credential\n");
    assert_eq!(bash_completes(&script, &["bot-credentials", "credential", "e"]), "edit\n");
    assert_eq!(bash_completes(&script, &["bot-credentials", "credential", "add", "--secret-s"]), "--secret-stdin\n");
    assert_eq!(
        bash_completes(&script, &["bot-credentials", "credential", "add", "--type", "basic"]),
        "basic_authentication\n"
    );
    assert_eq!(bash_completes(&script, &["bot-credentials", "org", "delete", "--y"]), "--yes\n");
}

#[test]
fn man_prints_one_roff_page_with_every_command() {
    let home = Home::new();
    let db = home.db("none");
    let page = db.ok(&["man"]);
    let first = page.lines().next().expect("a first line");
    let title =
        format!(".TH BOT-CREDENTIALS 1 \"\" \"bot-credentials {}\" \"User Commands\"", env!("CARGO_PKG_VERSION"));
    assert_eq!(first, title);
    assert_eq!(page.matches(".TH ").count(), 1, "one page, not several concatenated");
    assert!(page.is_ascii(), "non-ASCII characters are written as roff escapes");
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "\"EXIT STATUS\"", "ENVIRONMENT", "FILES"]
    {
        assert!(page.contains(&format!("\n.SH {section}\n")), "no section {section}");
    }
    for command in COMMANDS {
        let heading = format!("\n.SS \"bot-credentials {command}\"\n");
        assert!(page.contains(&heading), "the page has no section for {command}: {heading:?}");
    }
    assert!(page.contains("\\fB\\-\\-secret\\-stdin\\fR \\fIFIELD\\fR"), "options are described");
    assert!(!page.contains(".SS \"bot-credentials man\""), "man itself stays hidden");
    nothing_written(&home, &db);
}

#[test]
fn man_is_hidden_from_help() {
    let home = Home::new();
    let db = home.db("none");
    let help = db.ok(&["--help"]);
    assert!(help.contains("completions") && help.contains("credential"), "{help}");
    assert!(!help.lines().any(|l| l.trim_start().starts_with("man ")), "{help}");
}
