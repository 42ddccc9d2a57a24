//! Where a database's data key lives, outside the database: the system
//! keyring (Secret Service, through the `keyring` crate) or a key file of
//! its own (mode 0600, in the platform config folder, named by the
//! database's id). The third level, a master passphrase, keeps it wrapped
//! inside the database instead (see `passphrase`).

use super::DataKey;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::Serialize;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// `BOT_CREDENTIALS_KEYRING=off`: behave as if no keyring answered.
pub const KEYRING_ENV: &str = "BOT_CREDENTIALS_KEYRING";
/// The keyring service name of every entry (the user is the database id).
pub const KEYRING_SERVICE: &str = crate::IDENTIFIER;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    Keyring,
    KeyFile,
    Passphrase,
}

impl Protection {
    pub fn as_str(self) -> &'static str {
        match self {
            Protection::Keyring => "keyring",
            Protection::KeyFile => "key_file",
            Protection::Passphrase => "passphrase",
        }
    }

    pub fn parse(s: &str) -> Option<Protection> {
        match s {
            "keyring" => Some(Protection::Keyring),
            "key_file" => Some(Protection::KeyFile),
            "passphrase" => Some(Protection::Passphrase),
            _ => None,
        }
    }

    /// In plain words, for the window and `status`.
    pub fn describe(self) -> &'static str {
        match self {
            Protection::Keyring => "system keyring",
            Protection::KeyFile => "key file",
            Protection::Passphrase => "master passphrase",
        }
    }
}

fn keyring_disabled() -> bool {
    std::env::var(KEYRING_ENV)
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "off" | "0" | "no" | "false"))
}

fn entry(db_id: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(KEYRING_SERVICE, db_id).map_err(|e| e.to_string())
}

/// Where keys may be kept: a folder for key files, and whether the system
/// keyring may be used. The real app uses [`KeyPlaces::system`]; tests use
/// a temporary folder and no keyring, so they never touch the user's.
#[derive(Debug, Clone)]
pub struct KeyPlaces {
    pub key_dir: PathBuf,
    pub use_keyring: bool,
}

/// Why a key could not be loaded from its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The place answered and has no key for this database.
    Absent,
    /// The place could not be asked (keyring not answering, unreadable file).
    Unreachable(String),
    /// Something is there, but it is not a key.
    Damaged(String),
}

impl KeyPlaces {
    /// `<config>/dev.botcredentials.desktop/keys`, and the keyring unless
    /// `BOT_CREDENTIALS_KEYRING=off`.
    pub fn system() -> Result<KeyPlaces, String> {
        let base = dirs::config_dir().ok_or("cannot find the config folder: set HOME or XDG_CONFIG_HOME")?;
        Ok(KeyPlaces { key_dir: base.join(crate::IDENTIFIER).join("keys"), use_keyring: !keyring_disabled() })
    }

    /// Key files in a new temporary folder and no keyring: in-memory stores
    /// and tests, which must never touch the user's keys. The folder lives
    /// as long as the returned guard.
    pub fn temporary() -> std::io::Result<(tempfile::TempDir, KeyPlaces)> {
        let dir = tempfile::tempdir()?;
        let places = KeyPlaces { key_dir: dir.path().join("keys"), use_keyring: false };
        Ok((dir, places))
    }

    /// Whether a Secret Service answers (a missing entry is an answer).
    pub fn keyring_available(&self) -> bool {
        self.use_keyring
            && matches!(
                entry("availability-probe").map(|e| e.get_password()),
                Ok(Ok(_)) | Ok(Err(keyring::Error::NoEntry))
            )
    }

    /// The level a new database starts at: the keyring where one answers.
    pub fn default_level(&self) -> Protection {
        if self.keyring_available() {
            Protection::Keyring
        } else {
            Protection::KeyFile
        }
    }

    pub fn key_file_path(&self, db_id: &str) -> PathBuf {
        self.key_dir.join(format!("{db_id}.key"))
    }

    /// Puts the key at `level` (keyring or key file) and reads it back.
    pub fn store(&self, level: Protection, db_id: &str, key: &DataKey) -> Result<(), String> {
        match level {
            Protection::Keyring => self.keyring_store(db_id, key),
            Protection::KeyFile => self.key_file_store(db_id, key),
            Protection::Passphrase => Ok(()),
        }
    }

    pub fn load(&self, level: Protection, db_id: &str) -> Result<DataKey, LoadError> {
        match level {
            Protection::Keyring => self.keyring_load(db_id),
            Protection::KeyFile => self.key_file_load(db_id),
            Protection::Passphrase => Err(LoadError::Absent),
        }
    }

    pub fn remove(&self, level: Protection, db_id: &str) -> Result<(), String> {
        match level {
            Protection::Keyring if self.use_keyring => match entry(db_id)?.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(format!("the system keyring entry could not be removed: {e}")),
            },
            Protection::Keyring | Protection::Passphrase => Ok(()),
            Protection::KeyFile => {
                let path = self.key_file_path(db_id);
                match std::fs::remove_file(&path) {
                    Ok(()) => {
                        crate::fsutil::sync_dir(&self.key_dir);
                        Ok(())
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    Err(e) => Err(format!("cannot remove the key file {}: {e}", path.display())),
                }
            }
        }
    }

    fn keyring_store(&self, db_id: &str, key: &DataKey) -> Result<(), String> {
        if !self.use_keyring {
            return Err(format!("the system keyring is turned off ({KEYRING_ENV}=off)"));
        }
        let text = Zeroizing::new(B64.encode(key.as_bytes()));
        entry(db_id)?.set_password(&text).map_err(|e| format!("the system keyring refused the key: {e}"))?;
        match self.keyring_load(db_id) {
            Ok(back) if back.as_bytes() == key.as_bytes() => Ok(()),
            Ok(_) => Err("the system keyring did not keep the key".into()),
            Err(LoadError::Absent) => Err("the system keyring did not keep the key".into()),
            Err(LoadError::Unreachable(e) | LoadError::Damaged(e)) => Err(e),
        }
    }

    fn keyring_load(&self, db_id: &str) -> Result<DataKey, LoadError> {
        if !self.use_keyring {
            return Err(LoadError::Unreachable(format!("the system keyring is turned off ({KEYRING_ENV}=off)")));
        }
        let e = entry(db_id).map_err(LoadError::Unreachable)?;
        match e.get_password() {
            Ok(text) => {
                let text = Zeroizing::new(text);
                let damaged = || LoadError::Damaged("the system keyring's entry for this database is not a key".into());
                let bytes = Zeroizing::new(B64.decode(text.trim()).map_err(|_| damaged())?);
                DataKey::from_bytes(&bytes).ok_or_else(damaged)
            }
            Err(keyring::Error::NoEntry) => Err(LoadError::Absent),
            Err(e) => Err(LoadError::Unreachable(format!("the system keyring did not answer ({e})"))),
        }
    }

    fn key_file_store(&self, db_id: &str, key: &DataKey) -> Result<(), String> {
        create_private_dir(&self.key_dir).map_err(|e| format!("cannot create {}: {e}", self.key_dir.display()))?;
        let body = Zeroizing::new(format!("{KEY_FILE_HEAD}database {db_id}\n{}\n", B64.encode(key.as_bytes())));
        crate::fsutil::write_atomic(&self.key_file_path(db_id), body.as_bytes()).map_err(|e| e.to_string())
    }

    fn key_file_load(&self, db_id: &str) -> Result<DataKey, LoadError> {
        let path = self.key_file_path(db_id);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => Zeroizing::new(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(LoadError::Absent),
            Err(e) => return Err(LoadError::Unreachable(format!("cannot read the key file {}: {e}", path.display()))),
        };
        let line =
            text.lines().map(str::trim).rfind(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("database "));
        let bytes = line.and_then(|l| B64.decode(l).ok()).map(Zeroizing::new);
        bytes
            .and_then(|b| DataKey::from_bytes(&b))
            .ok_or_else(|| LoadError::Damaged(format!("the key file {} is damaged", path.display())))
    }
}

const KEY_FILE_HEAD: &str = "# Bot Credentials data key. Keep it private and back it up apart from the database:\n# without it the database's secrets cannot be opened.\n";

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> (tempfile::TempDir, KeyPlaces) {
        KeyPlaces::temporary().expect("tempdir")
    }

    #[test]
    fn a_key_file_round_trips_private_and_is_removed() {
        let (_dir, p) = places();
        let key = DataKey::generate();
        assert_eq!(p.load(Protection::KeyFile, "abc").expect_err("refused"), LoadError::Absent);
        p.store(Protection::KeyFile, "abc", &key).expect("store");
        assert_eq!(p.load(Protection::KeyFile, "abc").expect("load").as_bytes(), key.as_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |path: &Path| std::fs::metadata(path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&p.key_file_path("abc")), 0o600);
            assert_eq!(mode(&p.key_dir), 0o700);
        }
        p.remove(Protection::KeyFile, "abc").expect("remove");
        assert!(!p.key_file_path("abc").exists());
    }

    #[test]
    fn a_damaged_key_file_is_named() {
        let (_dir, p) = places();
        p.store(Protection::KeyFile, "abc", &DataKey::generate()).expect("store");
        std::fs::write(p.key_file_path("abc"), "# nothing here\nnot base64!\n").expect("write");
        assert!(matches!(p.load(Protection::KeyFile, "abc"), Err(LoadError::Damaged(m)) if m.contains("abc.key")));
    }

    #[test]
    fn without_the_keyring_the_default_is_a_key_file() {
        let (_dir, p) = places();
        assert!(!p.keyring_available());
        assert_eq!(p.default_level(), Protection::KeyFile);
        assert!(p.store(Protection::Keyring, "abc", &DataKey::generate()).is_err());
    }
}
