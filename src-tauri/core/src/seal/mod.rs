//! Sealing secrets at rest. Each database has its own random 256-bit data
//! key; every secret value is encrypted with it by XChaCha20-Poly1305
//! (RustCrypto's `chacha20poly1305`) under a fresh random 192-bit nonce, with
//! associated data that names the database, the credential and the field,
//! so a value copied onto another row or field fails to open.
//!
//! A sealed value is `version (1 byte) || nonce (24) || ciphertext || tag (16)`.
//! The data key itself is never stored in the database in plain text: see
//! [`levels`] for where it lives (system keyring, key file, or wrapped by a
//! key derived from a master passphrase).

pub mod levels;
pub mod passphrase;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::Zeroizing;

/// The first byte of every sealed value: the scheme, so it can change later.
pub const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// The shortest sealed value: version, nonce and tag around nothing.
pub const MIN_SEALED_LEN: usize = 1 + NONCE_LEN + TAG_LEN;
pub const KEY_LEN: usize = 32;

/// What a sealed value is bound to (its associated data).
#[derive(Debug, Clone, Copy)]
pub enum Purpose<'a> {
    /// A credential's secret field: the credential's uid and the field name.
    Secret { credential_uid: &'a [u8], field: &'a str },
    /// An OAuth 2.0 credential's tokens (what Authorize brought back).
    Tokens { credential_uid: &'a [u8] },
    /// A known value that proves a key belongs to this database.
    KeyCheck,
    /// This installation's age identity.
    AgeIdentity,
}

/// A data key in memory, wiped when dropped.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(••••)")
    }
}

/// Why a sealed value did not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// Not produced by this scheme (too short, or an unknown version byte).
    Malformed,
    /// The tag did not verify: another key, another place, or altered bytes.
    Rejected,
}

impl DataKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> DataKey {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        DataKey(key)
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<DataKey> {
        let array: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(DataKey(Zeroizing::new(array)))
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_ref().into())
    }

    /// Encrypts `plain` for `purpose` in the database `db_id`.
    pub fn seal(&self, db_id: &str, purpose: Purpose<'_>, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        // ThreadRng is a CSPRNG seeded from the OS; much cheaper per value than a syscall.
        rand::thread_rng().fill_bytes(&mut nonce);
        let aad = associated_data(db_id, purpose);
        let sealed =
            self.cipher().encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: &aad }).unwrap_or_default(); // encryption fails only for inputs over 256 GiB
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts a value sealed by [`DataKey::seal`] with the same purpose.
    pub fn open(&self, db_id: &str, purpose: Purpose<'_>, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
        if sealed.len() < MIN_SEALED_LEN || sealed[0] != VERSION {
            return Err(OpenError::Malformed);
        }
        let (nonce, body) = sealed[1..].split_at(NONCE_LEN);
        let aad = associated_data(db_id, purpose);
        self.cipher()
            .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: &aad })
            .map(Zeroizing::new)
            .map_err(|_| OpenError::Rejected)
    }
}

/// `bot-credentials/v1` NUL db_id NUL purpose..., unambiguous because every
/// variable part is length-prefixed.
fn associated_data(db_id: &str, purpose: Purpose<'_>) -> Vec<u8> {
    let mut aad = b"bot-credentials/v1\0".to_vec();
    let mut part = |bytes: &[u8]| {
        aad.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        aad.extend_from_slice(bytes);
    };
    part(db_id.as_bytes());
    match purpose {
        Purpose::Secret { credential_uid, field } => {
            part(b"secret");
            part(credential_uid);
            part(field.as_bytes());
        }
        Purpose::Tokens { credential_uid } => {
            part(b"tokens");
            part(credential_uid);
        }
        Purpose::KeyCheck => part(b"key-check"),
        Purpose::AgeIdentity => part(b"age-identity"),
    }
    aad
}

/// A new random id (128 bits, lowercase hex): database ids and credential uids.
pub fn random_id() -> [u8; 16] {
    let mut id = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut id);
    id
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DB: &str = "0123456789abcdef0123456789abcdef";

    fn secret<'a>(uid: &'a [u8], field: &'a str) -> Purpose<'a> {
        Purpose::Secret { credential_uid: uid, field }
    }

    #[test]
    fn a_value_opens_only_where_it_was_sealed() {
        let key = DataKey::generate();
        let sealed = key.seal(DB, secret(b"uid-a", "password"), b"hunter2");
        assert_eq!(sealed[0], VERSION);
        assert_eq!(sealed.len(), MIN_SEALED_LEN + 7);
        assert_eq!(&key.open(DB, secret(b"uid-a", "password"), &sealed).expect("opens")[..], b"hunter2");
        assert_eq!(key.open(DB, secret(b"uid-b", "password"), &sealed).expect_err("refused"), OpenError::Rejected);
        assert_eq!(key.open(DB, secret(b"uid-a", "client_secret"), &sealed).expect_err("refused"), OpenError::Rejected);
        assert_eq!(
            key.open("another-db", secret(b"uid-a", "password"), &sealed).expect_err("refused"),
            OpenError::Rejected
        );
        assert_eq!(
            DataKey::generate().open(DB, secret(b"uid-a", "password"), &sealed).expect_err("refused"),
            OpenError::Rejected
        );
    }

    #[test]
    fn every_seal_uses_a_fresh_nonce_and_tampering_is_caught() {
        let key = DataKey::generate();
        let a = key.seal(DB, Purpose::KeyCheck, b"same");
        let b = key.seal(DB, Purpose::KeyCheck, b"same");
        assert_ne!(a, b);
        for i in 0..a.len() {
            let mut bad = a.clone();
            bad[i] ^= 0x40;
            assert!(key.open(DB, Purpose::KeyCheck, &bad).is_err(), "flipping byte {i} went unnoticed");
        }
        assert_eq!(key.open(DB, Purpose::KeyCheck, &a[..10]).expect_err("refused"), OpenError::Malformed);
    }

    #[test]
    fn parts_of_the_associated_data_cannot_be_shifted() {
        // ("ab", "c") and ("a", "bc") must differ.
        assert_ne!(associated_data(DB, secret(b"ab", "c")), associated_data(DB, secret(b"a", "bc")));
    }
}
