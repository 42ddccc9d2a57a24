//! Encrypted exports between databases (contract: "Encrypted export (age)"):
//! each database has its own age identity; `key` prints its public key; an
//! export sealed to it, to a recipients file, to an `age-keygen` identity or
//! with a passphrase imports there and nowhere else.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const BINARY_HEADER: &[u8] = b"age-encryption.org/v1\n";
const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END: &str = "-----END AGE ENCRYPTED FILE-----";

/// The sender ("Planted" with every secret) and two other databases.
fn three(home: &Home) -> (Db, Db, Db) {
    let a = home.db("a");
    let file = home.json_file("planted.json", &planted_file("Planted"));
    a.ok(&["import", file.to_str().expect("utf8")]);
    (a, home.created("b", "Bee"), home.created("c", "Sea"))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8")
}

/// The file is age and carries no planted secret in the clear.
fn assert_sealed(path: &Path, armored: bool) {
    let bytes = std::fs::read(path).expect("read the age file");
    if armored {
        let t = text(&bytes);
        assert_eq!(t.lines().next(), Some(ARMOR_BEGIN), "{t}");
        assert_eq!(t.trim_end().lines().last(), Some(ARMOR_END));
    } else {
        assert!(bytes.starts_with(BINARY_HEADER), "binary age header");
    }
    for needle in planted_needles() {
        assert!(!contains(&bytes, &needle), "{} holds {:?}", path.display(), text(&needle));
    }
    #[cfg(unix)]
    assert_eq!(mode(path), 0o600);
}

fn assert_refused_as_not_recipient(db: &Db, file: &Path) {
    let before = db.snapshot();
    let err = db.fail(&["import", s(file)], &[]);
    assert!(err.contains(&format!("{}: this file is encrypted to other age keys", file.display())), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    db.assert_unchanged(&before, "an import of a file for another recipient");
}

#[test]
fn key_prints_one_age_public_key_line_of_this_database() {
    let home = Home::new();
    let (a, b, _) = three(&home);
    let out = a.ok(&["key"]);
    assert_eq!(out.lines().count(), 1, "{out:?}");
    assert!(out.ends_with('\n'));
    let key = out.trim_end();
    assert!(key.starts_with("age1") && key.len() == 62, "{key:?}");
    assert!(key[4..].chars().all(|c| "qpzry9x8gf2tvdw0s3jn54khce6mua7l".contains(c)), "bech32: {key}");
    assert_eq!(a.key(&[]), key, "stable across runs");
    assert_ne!(b.key(&[]), key, "each database has its own identity");
}

#[test]
fn a_recipient_export_imports_into_the_database_it_is_sealed_to_only() {
    let home = Home::new();
    let (a, b, c) = three(&home);
    let f = home.file("to-b.age");
    a.ok(&["export", "--recipient", &b.key(&[]), "-o", s(&f)]);
    assert_sealed(&f, false);
    assert_refused_as_not_recipient(&c, &f);
    let out = b.ok(&["import", s(&f)]);
    assert_eq!(out, "added 5 credentials and 1 organization, replaced 0, skipped 0\n");
    assert_planted_in(&b.secrets(&[]), "Planted");
}

#[test]
fn a_recipients_file_with_comments_and_blank_lines_seals_to_each_key() {
    let home = Home::new();
    let (a, b, c) = three(&home);
    let list = home.file("team.txt");
    let body = format!("# the team\n\n{}\n   \n# and Sea, indented:\n   {}  \n\n", b.key(&[]), c.key(&[]));
    std::fs::write(&list, body).expect("write");
    let f = home.file("team.age");
    let out = a.run(&["export", "--recipients-file", s(&list), "-o", s(&f)], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!("bot-credentials: wrote {} (encrypted to 2 age keys, secrets included)\n", f.display())
    );
    assert_sealed(&f, false);
    for db in [&b, &c] {
        db.ok(&["import", s(&f)]);
        assert_planted_in(&db.secrets(&[]), "Planted");
    }
    assert_refused_as_not_recipient(&a, &f);
}

#[test]
fn armor_writes_age_ascii_armor_that_imports() {
    let home = Home::new();
    let (a, b, _) = three(&home);
    let f = home.file("to-b.asc");
    a.ok(&["export", "--recipient", &b.key(&[]), "--armor", "-o", s(&f)]);
    assert_sealed(&f, true);
    b.ok(&["import", s(&f)]);
    assert_planted_in(&b.secrets(&[]), "Planted");
    // Armor to standard output, too.
    let out = a.ok(&["export", "--recipient", &b.key(&[]), "--armor"]);
    assert!(out.starts_with(&format!("{ARMOR_BEGIN}\n")), "{out}");
}

#[test]
fn a_file_for_another_recipient_is_refused_and_nothing_is_written() {
    let home = Home::new();
    let (a, b, c) = three(&home);
    for armor in [false, true] {
        let f = home.file(if armor { "to-c.asc" } else { "to-c.age" });
        let mut args = vec!["export", "--recipient"];
        let key = c.key(&[]);
        args.push(&key);
        args.extend(["-o", s(&f)]);
        if armor {
            args.push("--armor");
        }
        a.ok(&args);
        assert_refused_as_not_recipient(&b, &f);
    }
    let listed: Value = serde_json::from_str(&b.ok(&["org", "list", "--json"])).expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "only Bee: {listed}");
}

#[test]
fn an_identity_file_made_by_age_keygen_opens_a_file_sealed_to_it() {
    require("age-keygen");
    let home = Home::new();
    let (a, b, _) = three(&home);
    let id = home.file("id.txt");
    let gen = std::process::Command::new("age-keygen").arg("-o").arg(&id).output().expect("age-keygen");
    assert!(gen.status.success(), "{}", text(&gen.stderr));
    let public = std::process::Command::new("age-keygen").arg("-y").arg(&id).output().expect("age-keygen -y");
    let public = text(&public.stdout).trim().to_string();
    assert!(public.starts_with("age1"), "{public}");

    let f = home.file("to-id.age");
    a.ok(&["export", "--recipient", &public, "-o", s(&f)]);
    assert_sealed(&f, false);
    let before = b.snapshot();
    let err = b.fail(&["import", s(&f)], &[]);
    assert!(err.contains("give the right one with --identity FILE"), "{err}");
    b.assert_unchanged(&before, "import without the identity");
    b.ok(&["import", s(&f), "--identity", s(&id)]);
    assert_planted_in(&b.secrets(&[]), "Planted");
}

#[test]
fn a_passphrase_export_imports_with_it_and_a_wrong_one_writes_nothing() {
    let home = Home::new();
    let (a, b, _) = three(&home);
    let pass = [(EXPORT_PASSPHRASE_ENV, "export pass 2026")];
    let f = home.file("pass.age");

    // No variable and no terminal: refused, no file.
    let err = a.fail(&["export", "--passphrase", "-o", s(&f)], &[]);
    assert!(err.contains("a passphrase for the export file is needed"), "{err}");
    assert!(err.contains("BOT_CREDENTIALS_EXPORT_PASSPHRASE"), "{err}");
    assert!(!f.exists());

    let out = a.run(&["export", "--passphrase", "-o", s(&f)], &pass);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_sealed(&f, false);
    let bytes = std::fs::read(&f).expect("read");
    assert!(contains(&bytes, b"\n-> scrypt "), "sealed with age's scrypt recipient");

    let before = b.snapshot();
    let err = b.fail(&["import", s(&f)], &[(EXPORT_PASSPHRASE_ENV, "not the pass 2026")]);
    assert!(err.contains(&format!("{}: the passphrase of this file is wrong", f.display())), "{err}");
    b.assert_unchanged(&before, "an import with a wrong export passphrase");
    let err = b.fail(&["import", s(&f)], &[]);
    assert!(err.contains("BOT_CREDENTIALS_EXPORT_PASSPHRASE"), "says how to give it: {err}");
    b.assert_unchanged(&before, "an import without the export passphrase");

    // Into a database that does not exist yet: none is created.
    let fresh = home.db("fresh");
    let err = fresh.fail(&["import", s(&f)], &[(EXPORT_PASSPHRASE_ENV, "not the pass 2026")]);
    assert!(err.contains("the passphrase of this file is wrong"), "{err}");
    assert!(!fresh.path.exists(), "a wrong passphrase created the database {}", fresh.path.display());

    b.ok_env(&["import", s(&f)], &pass);
    assert_planted_in(&b.secrets(&[]), "Planted");
}
