//! What reaches the terminal is inert and lined up: names are stored exactly,
//! but bidi controls, zero-width and control characters are shown escaped
//! (`\u{202e}`) in tables and messages, and columns are measured by display
//! width (CJK and emoji take two). JSON stays exact.

mod common;

use common::*;
use serde_json::{json, Value};

const URL: &str = "authentication_url=https://a.example.com/x?client_id=a&response_type=code&redirect_uri=b";

/// Nothing a terminal acts on or that reorders or hides text.
fn assert_inert(out: &str, what: &str) {
    for c in out.chars() {
        let raw = c.is_control() && c != '\n'
            || matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060 | 0x2066..=0x2069 | 0xFEFF);
        assert!(!raw, "{what} printed U+{:04X} raw: {out:?}", c as u32);
    }
}

#[test]
fn names_are_stored_exactly_and_shown_escaped_and_aligned_by_display_width() {
    let home = Home::new();
    let db = home.created("main", "Wide");
    let names = ["ab", "r\u{202e}l", "z\u{200b}\u{2066}w", "日本語", "🤖x"];
    for name in names {
        let out = db.ok(&[
            "credential",
            "add",
            "--org",
            "Wide",
            "--name",
            name,
            "--type",
            "consumer_authentication",
            "--set",
            URL,
        ]);
        assert_inert(&out, "add");
    }
    let out = db.ok(&[
        "credential",
        "add",
        "--org",
        "Wide",
        "--name",
        "\u{feff}x\u{2060}",
        "--type",
        "consumer_pre_authentication",
    ]);
    assert_eq!(out, "Added credential \"\\u{feff}x\\u{2060}\" (Consumer Pre-Authentication) to \"Wide\"\n");
    let listed: Value = serde_json::from_str(&db.ok(&["list", "--org", "Wide", "--json"])).expect("json");
    let stored: Vec<&str> =
        listed.as_array().expect("array").iter().map(|c| c["name"].as_str().expect("name")).collect();
    assert_eq!(
        stored,
        ["ab", "r\u{202e}l", "z\u{200b}\u{2066}w", "日本語", "\u{feff}x\u{2060}", "🤖x"],
        "stored exactly"
    );

    let table = db.ok(&["list", "--org", "Wide"]);
    assert_inert(&table, "list");
    let lines: Vec<&str> = table.lines().collect();
    // NAME is as wide as the widest name as shown: z\u{200b}\u{2066}w, 18 columns.
    let row = |name: &str, width: usize, kind: &str, details: &str| {
        format!("{name}{}{kind:<27}  {details:<20}  ", " ".repeat(18 - width + 2))
    };
    assert_eq!(lines[0], format!("{}UPDATED", row("NAME", 4, "TYPE", "DETAILS")));
    let ca = |n: &str, w: usize| row(n, w, "Consumer Authentication", "a.example.com");
    let expected = [
        ca("ab", 2),
        ca("r\\u{202e}l", 10),
        ca("z\\u{200b}\\u{2066}w", 18),
        ca("日本語", 6),
        row("\\u{feff}x\\u{2060}", 17, "Consumer Pre-Authentication", "Consumer's own token"),
        ca("🤖x", 3),
    ];
    assert_eq!(lines.len(), expected.len() + 1, "{table}");
    for (line, want) in lines[1..].iter().zip(expected) {
        assert!(
            line.starts_with(&want) && line.len() == want.len() + "2026-01-01T00:00:00Z".len(),
            "{line:?} is not {want:?}…"
        );
    }

    let shown = db.ok(&["credential", "show", "--org", "Wide", "r\u{202e}l"]);
    assert_inert(&shown, "show");
    assert!(shown.contains(&format!("\n{:<18}  {:<19}  r\\u{{202e}}l\n", "name", "Name")), "{shown}");
    let json: Value =
        serde_json::from_str(&db.ok(&["credential", "show", "--org", "Wide", "r\u{202e}l", "--json"])).expect("json");
    assert_eq!(json["name"], "r\u{202e}l", "JSON is exact");

    let out = db.run(&["credential", "show", "--org", "Wide", "q\u{202e}x\u{1b}[2J"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "bot-credentials: no credential named \"q\\u{202e}x\\u{1b}[2J\" in \"Wide\"\n");
    let out = db.run(
        &[
            "credential",
            "add",
            "--org",
            "Wide",
            "--name",
            "bad\u{1b}[31m",
            "--type",
            "consumer_authentication",
            "--set",
            URL,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "bot-credentials: name: must not contain control characters (tabs, line breaks, \u{2026})\n"
    );
    let out = db.ok(&["credential", "edit", "--org", "Wide", "ab", "--name", "a\u{202d}b"]);
    assert_eq!(out, "Saved credential \"a\\u{202d}b\" (was \"ab\") in \"Wide\"\n");
}

/// A name that came from elsewhere (an older or edited database) with
/// control characters in it still cannot drive the terminal.
#[test]
fn control_characters_already_in_the_database_are_shown_escaped() {
    let home = Home::new();
    let db = home.created("main", "🤖 Bots");
    let evil = "evil\u{1b}]0;pwned\u{7}\u{202e}";
    let conn = rusqlite::Connection::open(&db.path).expect("open");
    conn.execute(
        "INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES (?1, ?2, 'now', 'now')",
        [evil, &evil.to_lowercase()],
    )
    .expect("plant a name");
    drop(conn);
    let table = db.ok(&["org", "list"]);
    assert_inert(&table, "org list");
    let shown = "evil\\u{1b}]0;pwned\\u{7}\\u{202e}";
    assert_eq!(table, format!("NAME{}CREDENTIALS\n{shown}  0\n🤖 Bots{}0\n", " ".repeat(29), " ".repeat(26)));
    let json: Value = serde_json::from_str(&db.ok(&["org", "list", "--json"])).expect("json");
    assert_eq!(json[0]["name"], json!(evil), "JSON is exact");
    assert_eq!(db.ok(&["list", "--org", evil]), format!("\"{shown}\" has no credentials yet.\n"));
    assert_eq!(db.ok(&["org", "rename", evil, "Fine"]), format!("Renamed organization \"{shown}\" to \"Fine\"\n"));
}

#[test]
fn an_import_names_what_needs_a_secret_inertly() {
    let home = Home::new();
    let db = home.db("needs");
    let redacted = export_file(
        &[("Org\u{202e}x", vec![json!({"name": "CRM\u{202e}y", "type": "basic_authentication", "username": "u"})])],
        "redacted",
    );
    let file = home.json_file("redacted.json", &redacted);
    let out = db.ok(&["import", file.to_str().expect("utf-8 path")]);
    assert_inert(&out, "import");
    assert!(out.contains("needs a secret: \"CRM\\u{202e}y\" in \"Org\\u{202e}x\""), "{out}");
}
