//! Interop with the reference `age` CLI (Debian package `age`, 1.1.x): our
//! encrypted exports open with `age -d`, and files `age` makes import here.
//! Passphrases are typed at age's prompts by scripts/age-tty.sh.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

const PASS: &str = "interop pass 2026";

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8")
}

fn age(args: &[&str]) {
    require("age");
    let out = Command::new("age").args(args).stdin(Stdio::null()).output().expect("run age");
    assert!(out.status.success(), "age {args:?}: {}", text(&out.stderr));
}

/// `age` with PASS typed at its prompts.
fn age_tty(args: &[&str]) {
    require("age");
    require("script");
    let out = Command::new(script("age-tty.sh"))
        .arg(PASS)
        .arg("--")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run scripts/age-tty.sh");
    assert!(out.status.success(), "age-tty.sh {args:?}: {}{}", text(&out.stdout), text(&out.stderr));
}

/// An identity made by age-keygen, and its public key.
fn keygen(home: &Home) -> (std::path::PathBuf, String) {
    require("age-keygen");
    let id = home.file("id.txt");
    let gen = Command::new("age-keygen").arg("-o").arg(&id).output().expect("age-keygen");
    assert!(gen.status.success(), "{}", text(&gen.stderr));
    let public = Command::new("age-keygen").arg("-y").arg(&id).output().expect("age-keygen -y");
    (id, text(&public.stdout).trim().to_string())
}

/// A database holding every planted secret in "Planted".
fn sender(home: &Home) -> Db {
    let a = home.db("a");
    let file = home.json_file("seed.json", &planted_file("Planted"));
    a.ok(&["import", file.to_str().expect("utf8")]);
    a
}

/// An export's JSON without its `exported_at` (the only part that differs between two exports).
fn without_time(mut v: Value) -> Value {
    v.as_object_mut().expect("object").remove("exported_at").expect("exported_at");
    v
}

/// `path` holds the version 1 JSON, exactly what `export --include-secrets` gives.
fn assert_plain_export_of(path: &Path, db: &Db) {
    let bytes = std::fs::read(path).expect("read the decrypted file");
    assert!(bytes.starts_with(b"{"), "plain JSON, not age");
    let inside: Value = serde_json::from_slice(&bytes).expect("the decrypted file is JSON");
    assert_eq!(inside["format"], "bot-credentials");
    assert_eq!(inside["version"], 1);
    assert_eq!(without_time(inside), without_time(db.secrets(&[])));
}

#[test]
fn our_passphrase_export_opens_with_age_and_imports_as_plain_json() {
    let home = Home::new();
    let a = sender(&home);
    let f = home.file("ours.age");
    a.ok_env(&["export", "--passphrase", "-o", s(&f)], &[(EXPORT_PASSPHRASE_ENV, PASS)]);
    let out = home.file("out.json");
    age_tty(&["-d", "-o", s(&out), s(&f)]);
    assert_plain_export_of(&out, &a);
    let b = home.created("b", "Bee");
    b.ok(&["import", s(&out)]);
    assert_planted_in(&b.secrets(&[]), "Planted");
}

#[test]
fn a_file_age_encrypts_with_a_passphrase_imports_here() {
    let home = Home::new();
    let plain = home.json_file("plain.json", &planted_file("Planted"));
    for (name, armor) in [("b", false), ("c", true)] {
        let f = home.file(&format!("theirs-{name}.age"));
        if armor {
            age_tty(&["-p", "-a", "-o", s(&f), s(&plain)]);
        } else {
            age_tty(&["-p", "-o", s(&f), s(&plain)]);
        }
        let bytes = std::fs::read(&f).expect("read");
        let head: &[u8] = if armor { b"-----BEGIN AGE ENCRYPTED FILE-----" } else { b"age-encryption.org/v1\n" };
        assert!(bytes.starts_with(head), "{}", text(&bytes[..40.min(bytes.len())]));
        let db = home.created(name, "Other");
        let before = db.snapshot();
        let err = db.fail(&["import", s(&f)], &[(EXPORT_PASSPHRASE_ENV, "not the interop pass")]);
        assert!(err.contains("the passphrase of this file is wrong"), "{err}");
        db.assert_unchanged(&before, "a wrong passphrase");
        let out = db.ok_env(&["import", s(&f)], &[(EXPORT_PASSPHRASE_ENV, PASS)]);
        assert_eq!(out, "added 5 credentials and 1 organization, replaced 0, skipped 0\n");
        assert_planted_in(&db.secrets(&[]), "Planted");
    }
}

#[test]
fn a_file_age_encrypts_to_our_key_imports_with_this_databases_own_identity() {
    let home = Home::new();
    let plain = home.json_file("plain.json", &planted_file("Planted"));
    let b = home.created("b", "Bee");
    let key = b.key(&[]);
    let other = home.created("c", "Sea");
    for (file, armor) in [("to-b.age", false), ("to-b.asc", true)] {
        let f = home.file(file);
        if armor {
            age(&["-r", &key, "-a", "-o", s(&f), s(&plain)]);
        } else {
            age(&["-r", &key, "-o", s(&f), s(&plain)]);
        }
        let before = other.snapshot();
        let err = other.fail(&["import", s(&f)], &[]);
        assert!(err.contains("this file is encrypted to other age keys"), "{err}");
        other.assert_unchanged(&before, "a file for another recipient");
        b.ok(&["import", s(&f), "--on-conflict", "replace"]);
        assert_planted_in(&b.secrets(&[]), "Planted");
    }
}

#[test]
fn age_opens_our_recipient_exports_armored_and_binary() {
    let home = Home::new();
    let a = sender(&home);
    let (id, public) = keygen(&home);
    for (file, armor) in [("to-id.age", false), ("to-id.asc", true)] {
        let f = home.file(file);
        let mut args = vec!["export", "--recipient", public.as_str(), "-o", s(&f)];
        if armor {
            args.push("--armor");
        }
        a.ok(&args);
        let out = home.file(&format!("{file}.json"));
        age(&["-d", "-i", s(&id), "-o", s(&out), s(&f)]);
        assert_plain_export_of(&out, &a);
        let b = home.db(&format!("b-{armor}"));
        b.ok(&["import", s(&out)]);
        assert_planted_in(&b.secrets(&[]), "Planted");
    }
}
