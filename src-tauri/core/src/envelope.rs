//! Encrypted export files in the standard age format (the `age` crate), so a
//! teammate opens them with this app or with the `age` / `rage` tools:
//! sealed with a passphrase (age's scrypt recipient) or to age public keys
//! (`age1…`). Inside is the version 1 JSON, unchanged.

use crate::error::{Error, Result};
use crate::transfer::MAX_FILE_BYTES;
use age::secrecy::SecretString;
use std::io::{Read, Write};
use std::path::Path;
use zeroize::Zeroizing;

const BINARY_HEADER: &[u8] = b"age-encryption.org/v1\n";
const ARMOR_HEADER: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// How an export is encrypted.
pub enum Encryption {
    Passphrase(Zeroizing<String>),
    Recipients(Vec<age::x25519::Recipient>),
}

impl std::fmt::Debug for Encryption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Encryption::Passphrase(_) => f.write_str("Passphrase(••••)"),
            Encryption::Recipients(r) => write!(f, "Recipients({})", r.len()),
        }
    }
}

/// What an age file is sealed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
    Passphrase,
    Recipients,
}

impl Sealing {
    pub fn as_str(self) -> &'static str {
        match self {
            Sealing::Passphrase => "passphrase",
            Sealing::Recipients => "recipients",
        }
    }
}

/// Whether `bytes` start like an age file, binary or ASCII-armored.
pub fn is_age(bytes: &[u8]) -> bool {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    bytes.starts_with(BINARY_HEADER) || bytes[start..].starts_with(ARMOR_HEADER)
}

/// One public key, `age1…`; the message names what is wrong with it.
pub fn parse_recipient(text: &str) -> std::result::Result<age::x25519::Recipient, String> {
    let t = text.trim();
    if t.starts_with("ssh-") {
        return Err("is an SSH key; only age public keys (age1…) are supported".into());
    }
    if t.starts_with("AGE-SECRET-KEY-") {
        return Err("is a private key (AGE-SECRET-KEY-…), not a public key: never share it".into());
    }
    t.parse().map_err(|_| "is not an age public key (age1…)".to_string())
}

/// Parses public keys, one per entry; blank entries and `#` comments are skipped
/// (age's recipients file format). Every bad one is named by its place.
pub fn parse_recipients(lines: &[String], source: &str) -> Result<Vec<age::x25519::Recipient>> {
    let mut out = vec![];
    let mut problems = vec![];
    for (i, line) in lines.iter().flat_map(|l| l.lines()).enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        match parse_recipient(t) {
            Ok(r) => out.push(r),
            Err(m) => problems.push(crate::Problem::new(format!("{source} {}", i + 1), m)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    if out.is_empty() {
        return Err(Error::invalid(source, "names no age public key (age1…)"));
    }
    Ok(out)
}

pub fn read_recipients_file(path: &Path) -> Result<Vec<age::x25519::Recipient>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
    parse_recipients(&[text], &format!("{} line", path.display()))
}

/// Encrypts `plain` (ASCII armor when `armor`).
pub fn seal(plain: &[u8], encryption: &Encryption, armor: bool) -> Result<Vec<u8>> {
    let mut out = vec![];
    seal_into(&mut out, encryption, armor, &mut |w| w.write_all(plain).map_err(|e| Error::Io(e.to_string())))?;
    Ok(out)
}

/// Encrypts what `fill` writes into `out`, streamed (ASCII armor when `armor`).
pub fn seal_into(
    out: &mut dyn Write,
    encryption: &Encryption,
    armor: bool,
    fill: &mut dyn FnMut(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| Error::Io(format!("the file could not be encrypted: {e}"));
    let encryptor = match encryption {
        Encryption::Passphrase(p) => {
            crate::seal::passphrase::check_new(p).map_err(|m| Error::invalid("passphrase", m))?;
            age::Encryptor::with_user_passphrase(SecretString::from(p.to_string()))
        }
        Encryption::Recipients(rs) => {
            age::Encryptor::with_recipients(rs.iter().map(|r| r as &dyn age::Recipient)).map_err(|e| fail(&e))?
        }
    };
    let format = if armor { age::armor::Format::AsciiArmor } else { age::armor::Format::Binary };
    let armored = age::armor::ArmoredWriter::wrap_output(out, format).map_err(|e| fail(&e))?;
    let mut writer = encryptor.wrap_output(armored).map_err(|e| fail(&e))?;
    fill(&mut writer)?;
    writer.finish().and_then(|a| a.finish()).map_err(|e| fail(&e))?;
    Ok(())
}

fn decryptor(bytes: &[u8]) -> Result<age::Decryptor<age::armor::ArmoredReader<std::io::BufReader<&[u8]>>>> {
    age::Decryptor::new(age::armor::ArmoredReader::new(bytes))
        .map_err(|e| Error::invalid("", format!("not a readable age file: {e}")))
}

/// What the age file is sealed with.
pub fn sealing(bytes: &[u8]) -> Result<Sealing> {
    Ok(if decryptor(bytes)?.is_scrypt() { Sealing::Passphrase } else { Sealing::Recipients })
}

fn read_plain(mut reader: impl Read) -> Result<Zeroizing<Vec<u8>>> {
    let mut plain = Zeroizing::new(Vec::new());
    reader.by_ref().take(MAX_FILE_BYTES + 1).read_to_end(&mut plain).map_err(|e| {
        Error::invalid("", format!("the encrypted file is damaged or was cut short ({e}); nothing was read"))
    })?;
    if plain.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::invalid("", "the file inside the encryption is larger than 64 MiB; nothing was read"));
    }
    Ok(plain)
}

/// Opens a passphrase-sealed file.
pub fn open_with_passphrase(bytes: &[u8], passphrase: &str) -> Result<Zeroizing<Vec<u8>>> {
    let d = decryptor(bytes)?;
    if !d.is_scrypt() {
        return Err(Error::NotRecipient(
            "this file is encrypted to age public keys, not with a passphrase: open it with an identity file".into(),
        ));
    }
    let identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_string()));
    match d.decrypt(std::iter::once(&identity as &dyn age::Identity)) {
        Ok(r) => read_plain(r),
        Err(age::DecryptError::ExcessiveWork { required, target }) => Err(Error::invalid(
            "",
            format!("the file asks for too much passphrase work (2^{required}; this machine allows 2^{target}); nothing was read"),
        )),
        Err(_) => Err(Error::WrongPassphrase("the passphrase of this file is wrong; nothing was imported".into())),
    }
}

/// Opens a file sealed to public keys with any of `identities`.
pub fn open_with_identities(
    bytes: &[u8],
    identities: &[Box<dyn age::Identity>],
    whose: &str,
) -> Result<Zeroizing<Vec<u8>>> {
    let d = decryptor(bytes)?;
    if d.is_scrypt() {
        return Err(Error::Locked("this file is encrypted with a passphrase".into()));
    }
    match d.decrypt(identities.iter().map(|i| i.as_ref())) {
        Ok(r) => read_plain(r),
        Err(age::DecryptError::NoMatchingKeys) => Err(Error::NotRecipient(format!(
            "this file is encrypted to other age keys, not to {whose}; nothing was imported"
        ))),
        Err(e) => Err(Error::invalid("", format!("the encrypted file could not be opened: {e}; nothing was imported"))),
    }
}

/// Reads an age identity file (`AGE-SECRET-KEY-1…` lines, age's format).
pub fn read_identity_file(path: &Path) -> Result<Vec<Box<dyn age::Identity>>> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path).map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?,
    );
    let bad = |what: String| Error::invalid(path.display().to_string(), what);
    let file = age::IdentityFile::from_buffer(text.as_bytes())
        .map_err(|e| bad(format!("is not an age identity file: {e}")))?;
    let ids = file.into_identities().map_err(|e| bad(format!("is not an age identity file: {e}")))?;
    if ids.is_empty() {
        return Err(bad("holds no identity".into()));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_file_opens_only_with_its_passphrase() {
        let sealed =
            seal(b"{\"x\":1}", &Encryption::Passphrase(Zeroizing::new("correct horse".into())), false).expect("seal");
        assert!(is_age(&sealed));
        assert_eq!(sealing(&sealed).expect("sealing"), Sealing::Passphrase);
        assert_eq!(&open_with_passphrase(&sealed, "correct horse").expect("open")[..], b"{\"x\":1}");
        assert!(matches!(open_with_passphrase(&sealed, "wrong horse"), Err(Error::WrongPassphrase(_))));
    }

    #[test]
    fn a_recipient_file_opens_only_with_its_identity_armored_or_not() {
        let me = age::x25519::Identity::generate();
        let other = age::x25519::Identity::generate();
        for armor in [false, true] {
            let sealed = seal(b"plain", &Encryption::Recipients(vec![me.to_public()]), armor).expect("seal");
            assert!(is_age(&sealed));
            assert_eq!(armor, sealed.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
            let mine: Vec<Box<dyn age::Identity>> = vec![Box::new(me.clone())];
            assert_eq!(&open_with_identities(&sealed, &mine, "me").expect("open")[..], b"plain");
            let theirs: Vec<Box<dyn age::Identity>> = vec![Box::new(other.clone())];
            assert!(matches!(open_with_identities(&sealed, &theirs, "them"), Err(Error::NotRecipient(_))));
        }
    }

    #[test]
    fn bad_recipients_are_named_by_line() {
        let key = age::x25519::Identity::generate().to_public().to_string();
        let lines = vec![format!("# team\n{key}\n\nssh-ed25519 AAAA\nnope")];
        let Err(Error::Invalid(problems)) = parse_recipients(&lines, "recipients line") else { panic!("refused") };
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].field, "recipients line 4");
        assert!(problems[0].message.contains("SSH"));
        assert_eq!(problems[1].field, "recipients line 5");
        assert_eq!(parse_recipients(&[key], "r").expect("one").len(), 1);
        assert!(!is_age(b"{\"format\": \"bot-credentials\"}"));
    }
}
