//! The database's data key as the store uses it: loaded on first need from
//! its level (keyring, key file) or unlocked with the master passphrase;
//! switching levels; checking that every sealed value still opens.
//!
//! Every switch commits the database's record first and only then removes
//! the key from its old place, so a crash in between leaves a key that still
//! works (and a stale copy that the next unlock removes), never none.

use super::Store;
use crate::error::{Error, Result};
use crate::seal::levels::{LoadError, Protection};
use crate::seal::passphrase::{self, UnwrapError, Wrapped};
use crate::seal::{DataKey, Purpose};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::path::PathBuf;
use zeroize::Zeroizing;

/// What the window's Security place and `status` show.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityStatus {
    pub protection: Protection,
    pub locked: bool,
    pub key_available: bool,
    pub key_problem: Option<String>,
    pub key_file: Option<String>,
    pub database_id: String,
    pub keyring_available: bool,
    pub auto_lock_minutes: Option<u32>,
    pub public_key: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecretProblem {
    pub organization: String,
    pub credential: String,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    pub checked: usize,
    pub problems: Vec<SecretProblem>,
}

/// The key and the database it belongs to, for sealing inside a transaction.
#[derive(Debug, Clone)]
pub(crate) struct Sealer {
    pub key: DataKey,
    pub db_id: String,
}

const NOTHING_CHANGED: &str = "Nothing was changed.";

impl Sealer {
    /// Opens one sealed value of a credential; one that does not open is
    /// named by organization and credential (`names` gives them).
    pub fn open_secret(
        &self,
        uid: &[u8],
        field: &str,
        sealed: &[u8],
        names: impl FnOnce() -> Result<(String, String)>,
    ) -> Result<crate::secret::Secret> {
        let purpose = Purpose::Secret { credential_uid: uid, field };
        let secret = self
            .key
            .open(&self.db_id, purpose, sealed)
            .ok()
            .and_then(|plain| String::from_utf8(plain.to_vec()).ok())
            .and_then(|text| crate::secret::Secret::from_json(Zeroizing::new(text)));
        match secret {
            Some(s) => Ok(s),
            None => {
                let (org, name) = names()?;
                Err(Error::Tampered(format!(
                    "the sealed {field} of \"{name}\" in \"{org}\" does not open: it was altered, or copied from another credential or field. Enter it again (Edit) or import it from a backup"
                )))
            }
        }
    }
}

impl Store {
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    pub(super) fn meta<T: rusqlite::types::FromSql>(&self, key: &str) -> Result<Option<T>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn protection(&self) -> Result<Protection> {
        let raw: String = self.meta("protection")?.unwrap_or_default();
        Protection::parse(&raw).ok_or_else(|| Error::Database(format!("unknown protection level {raw:?}")))
    }

    /// The key file of this database (whether or not it is the level in force).
    pub fn key_file_path(&self) -> PathBuf {
        self.places.key_file_path(&self.db_id)
    }

    pub fn is_locked(&self) -> Result<bool> {
        Ok(self.protection()? == Protection::Passphrase && self.key.borrow().is_none())
    }

    fn missing(&self, level: Protection, why: LoadError) -> Error {
        let id = &self.db_id;
        let recover = "Restore it from a backup, or import an encrypted export into a new database.";
        Error::KeyMissing(match (level, why) {
            (Protection::KeyFile, LoadError::Absent) => format!(
                "the key of this database is missing: there is no key file at {} (it is named by the database id). {recover} {NOTHING_CHANGED}",
                self.key_file_path().display()
            ),
            (Protection::Keyring, LoadError::Absent) => format!(
                "the key of this database is missing: the system keyring has no entry for database {id} (service {}). {recover} {NOTHING_CHANGED}",
                crate::seal::levels::KEYRING_SERVICE
            ),
            (Protection::Keyring, LoadError::Unreachable(e)) => format!(
                "the key of this database is kept in the system keyring, and {e}. Run this in your desktop session with its keyring unlocked. {NOTHING_CHANGED}"
            ),
            (_, LoadError::Unreachable(e) | LoadError::Damaged(e)) => format!("the key of this database cannot be read: {e}. {recover} {NOTHING_CHANGED}"),
            (Protection::Passphrase, LoadError::Absent) => "the master passphrase is needed first".into(),
        })
    }

    /// Proves `key` is this database's (the key check opens).
    fn check_key(&self, key: &DataKey, found_in: &str) -> Result<()> {
        let check: Vec<u8> = self.meta("key_check")?.unwrap_or_default();
        key.open(&self.db_id, Purpose::KeyCheck, &check).map(|_| ()).map_err(|_| {
            Error::KeyMissing(format!(
                "the key in {found_in} does not belong to this database (id {}). Restore this database's own key, or import an encrypted export into a new database. {NOTHING_CHANGED}",
                self.db_id
            ))
        })
    }

    /// The data key: loaded on first need from the keyring or key file, or
    /// `locked` until the master passphrase is given.
    pub(crate) fn sealer(&self) -> Result<Sealer> {
        if let Some(key) = self.key.borrow().as_ref() {
            return Ok(Sealer { key: key.clone(), db_id: self.db_id.clone() });
        }
        let level = self.protection()?;
        if level == Protection::Passphrase {
            return Err(Error::Locked("this needs the master passphrase: unlock first".into()));
        }
        let key = self.places.load(level, &self.db_id).map_err(|why| self.missing(level, why))?;
        let found_in = match level {
            Protection::KeyFile => format!("the key file {}", self.key_file_path().display()),
            _ => "the system keyring".into(),
        };
        self.check_key(&key, &found_in)?;
        *self.key.borrow_mut() = Some(key.clone());
        Ok(Sealer { key, db_id: self.db_id.clone() })
    }

    /// The sealer only when `needed` (so actions without secrets work locked).
    pub(crate) fn sealer_if(&self, needed: bool) -> Result<Option<Sealer>> {
        if needed {
            self.sealer().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Fails (`locked`, `key_missing`) unless the key is at hand.
    pub fn require_key(&self) -> Result<()> {
        self.sealer().map(|_| ())
    }

    /// Whether the key can be had without a passphrase, and if not, why.
    pub fn key_problem(&self) -> Result<Option<String>> {
        match self.sealer() {
            Ok(_) | Err(Error::Locked(_)) => Ok(None),
            Err(Error::KeyMissing(m)) => Ok(Some(m)),
            Err(e) => Err(e),
        }
    }

    pub fn security_status(&self) -> Result<SecurityStatus> {
        let protection = self.protection()?;
        let key_problem = self.key_problem()?;
        Ok(SecurityStatus {
            protection,
            locked: self.is_locked()?,
            key_available: key_problem.is_none(),
            key_problem,
            key_file: (protection == Protection::KeyFile).then(|| self.key_file_path().display().to_string()),
            database_id: self.db_id.clone(),
            keyring_available: self.places.keyring_available(),
            auto_lock_minutes: self.auto_lock_minutes()?,
            public_key: self.key.borrow().is_some().then(|| self.public_key().ok()).flatten(),
        })
    }

    fn wrapped(&self) -> Result<Wrapped> {
        let text: String = self
            .meta("wrapped_key")?
            .ok_or_else(|| Error::Database("the passphrase record is missing from the database".into()))?;
        serde_json::from_str(&text).map_err(|e| Error::Database(format!("the passphrase record is damaged: {e}")))
    }

    fn unwrap_with(&self, pass: &str) -> Result<DataKey> {
        let key = passphrase::unwrap(&self.wrapped()?, pass, &self.db_id).map_err(|e| match e {
            UnwrapError::Wrong => Error::WrongPassphrase(format!("the passphrase is wrong. {NOTHING_CHANGED}")),
            UnwrapError::Damaged(m) => Error::Database(m),
        })?;
        self.check_key(&key, "the passphrase record")?;
        Ok(key)
    }

    /// Gives the master passphrase; removes any stale copy of the key that a
    /// switch interrupted by a crash left in the keyring or a key file.
    pub fn unlock(&mut self, pass: &str) -> Result<()> {
        if self.protection()? != Protection::Passphrase {
            return Ok(());
        }
        let key = self.unwrap_with(pass)?;
        *self.key.borrow_mut() = Some(key);
        for level in [Protection::KeyFile, Protection::Keyring] {
            let _ = self.places.remove(level, &self.db_id);
        }
        Ok(())
    }

    /// Forgets the key (it is wiped); with a passphrase, it must be given again.
    pub fn lock(&mut self) {
        self.key.borrow_mut().take();
    }

    pub(super) fn set_meta(tx: &rusqlite::Transaction<'_>, key: &str, value: &dyn rusqlite::ToSql) -> Result<()> {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Old wrapped records and freed pages leave the -wal file too.
    fn checkpoint(&self) {
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }

    /// Protects the key with a new master passphrase (from keyring or key file).
    pub fn set_passphrase(&mut self, new: &str) -> Result<()> {
        passphrase::check_new(new).map_err(|m| Error::invalid("passphrase", m))?;
        let from = self.protection()?;
        if from == Protection::Passphrase {
            return Err(Error::Conflict("a master passphrase is already set; change or remove it".into()));
        }
        let key = self.sealer()?.key;
        let wrapped = passphrase::wrap(&key, new, &self.db_id).map_err(Error::Database)?;
        let text = serde_json::to_string(&wrapped).map_err(|e| Error::Database(e.to_string()))?;
        let tx = self.conn.transaction()?;
        Self::set_meta(&tx, "wrapped_key", &text)?;
        Self::set_meta(&tx, "protection", &Protection::Passphrase.as_str())?;
        tx.commit()?;
        let _ = self.places.remove(from, &self.db_id);
        self.checkpoint();
        Ok(())
    }

    pub fn change_passphrase(&mut self, current: &str, new: &str) -> Result<()> {
        if self.protection()? != Protection::Passphrase {
            return Err(Error::Conflict("no master passphrase is set; set one first".into()));
        }
        passphrase::check_new(new).map_err(|m| Error::invalid("passphrase", m))?;
        let key = self.unwrap_with(current)?;
        let wrapped = passphrase::wrap(&key, new, &self.db_id).map_err(Error::Database)?;
        let text = serde_json::to_string(&wrapped).map_err(|e| Error::Database(e.to_string()))?;
        let tx = self.conn.transaction()?;
        Self::set_meta(&tx, "wrapped_key", &text)?;
        tx.commit()?;
        *self.key.borrow_mut() = Some(key);
        self.checkpoint();
        Ok(())
    }

    /// Removes the passphrase: the key moves to `to`, by default the keyring
    /// where one answers, else a key file. Returns the new level.
    pub fn remove_passphrase(&mut self, current: &str, to: Option<Protection>) -> Result<Protection> {
        if self.protection()? != Protection::Passphrase {
            return Err(Error::Conflict("no master passphrase is set".into()));
        }
        if to == Some(Protection::Passphrase) {
            return Err(Error::invalid("level", "must be \"keyring\" or \"key_file\""));
        }
        let key = self.unwrap_with(current)?;
        let to = to.unwrap_or_else(|| self.places.default_level());
        self.places.store(to, &self.db_id, &key).map_err(|e| Error::Io(format!("{e}. {NOTHING_CHANGED}")))?;
        let tx = self.conn.transaction()?;
        Self::set_meta(&tx, "protection", &to.as_str())?;
        tx.execute("DELETE FROM meta WHERE key = 'wrapped_key'", [])?;
        tx.commit()?;
        *self.key.borrow_mut() = Some(key);
        self.checkpoint();
        Ok(to)
    }

    /// Moves the key between the keyring and a key file.
    pub fn set_protection(&mut self, to: Protection) -> Result<()> {
        let from = self.protection()?;
        if to == Protection::Passphrase || from == Protection::Passphrase {
            return Err(Error::Conflict("use the passphrase commands to set or remove a master passphrase".into()));
        }
        if to == from {
            return Ok(());
        }
        let key = self.sealer()?.key;
        self.places.store(to, &self.db_id, &key).map_err(|e| Error::Io(format!("{e}. {NOTHING_CHANGED}")))?;
        let tx = self.conn.transaction()?;
        Self::set_meta(&tx, "protection", &to.as_str())?;
        tx.commit()?;
        let _ = self.places.remove(from, &self.db_id);
        Ok(())
    }

    pub fn auto_lock_minutes(&self) -> Result<Option<u32>> {
        Ok(self.meta::<i64>("auto_lock_minutes")?.and_then(|m| u32::try_from(m).ok()).filter(|m| *m > 0))
    }

    pub fn set_auto_lock(&mut self, minutes: Option<u32>) -> Result<()> {
        if minutes.is_some_and(|m| m > 24 * 60) {
            return Err(Error::invalid("minutes", "must be at most 1,440 (one day)"));
        }
        let tx = self.conn.transaction()?;
        match minutes.filter(|m| *m > 0) {
            Some(m) => Self::set_meta(&tx, "auto_lock_minutes", &i64::from(m))?,
            None => {
                tx.execute("DELETE FROM meta WHERE key = 'auto_lock_minutes'", [])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// This database's age identity (its private key), opened with the data key.
    pub fn age_identity(&self) -> Result<age::x25519::Identity> {
        let sealer = self.sealer()?;
        let sealed: Vec<u8> =
            self.meta("age_identity")?.ok_or_else(|| Error::Database("the database has no age identity".into()))?;
        let text = sealer
            .key
            .open(&self.db_id, Purpose::AgeIdentity, &sealed)
            .map_err(|_| Error::Tampered("the sealed age identity of this database does not open".into()))?;
        let text = Zeroizing::new(String::from_utf8_lossy(&text).into_owned());
        text.parse().map_err(|_| Error::Tampered("the sealed age identity of this database is damaged".into()))
    }

    /// The public key (`age1…`) teammates encrypt exports to.
    pub fn public_key(&self) -> Result<String> {
        Ok(self.age_identity()?.to_public().to_string())
    }

    /// Opens every sealed value; reports each that does not.
    pub fn verify_secrets(&self) -> Result<Verified> {
        let sealer = self.sealer()?;
        // Secret fields, then the tokens Authorize stored (field "tokens").
        let mut stmt = self.conn.prepare(
            "SELECT o.name, c.name, c.uid, s.field, s.sealed, o.name_key, c.name_key FROM credential_secrets s
             JOIN credentials c ON c.id = s.credential_id JOIN organizations o ON o.id = c.organization_id
             UNION ALL
             SELECT o.name, c.name, c.uid, 'tokens', t.sealed, o.name_key, c.name_key FROM credential_tokens t
             JOIN credentials c ON c.id = t.credential_id JOIN organizations o ON o.id = c.organization_id
             WHERE t.sealed IS NOT NULL
             ORDER BY 6, 7, 4",
        )?;
        let mut rows = stmt.query([])?;
        let (mut checked, mut problems) = (0, vec![]);
        while let Some(r) = rows.next()? {
            let (org, cred, uid, field, sealed): (String, String, Vec<u8>, String, Vec<u8>) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            checked += 1;
            let purpose = match field.as_str() {
                "tokens" => Purpose::Tokens { credential_uid: &uid },
                _ => Purpose::Secret { credential_uid: &uid, field: &field },
            };
            if sealer.key.open(&self.db_id, purpose, &sealed).is_err() {
                problems.push(SecretProblem {
                    organization: org,
                    credential: cred,
                    field,
                    message: "does not open: it was altered, or copied from another credential or field".into(),
                });
            }
        }
        Ok(Verified { checked, problems })
    }
}
