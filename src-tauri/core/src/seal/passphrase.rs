//! The master passphrase level: the data key wrapped (XChaCha20-Poly1305)
//! by a key derived from the passphrase with Argon2id. The parameters are
//! stored beside the wrapped key, so they can be raised later without
//! breaking older databases. Changing the passphrase re-wraps the data key;
//! the sealed values stay as they are.

use super::{DataKey, KEY_LEN};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// Argon2id cost: 64 MiB, 3 passes, 1 lane. Above OWASP's minimum
/// recommendation (19 MiB, 2 passes, 1 lane) on every axis.
pub const MEMORY_KIB: u32 = 64 * 1024;
pub const PASSES: u32 = 3;
pub const LANES: u32 = 1;
/// Shortest passphrase accepted.
pub const MIN_CHARS: usize = 8;

/// What the database keeps for the passphrase level (as JSON in `meta`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Wrapped {
    pub kdf: String,
    pub version: u32,
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
    pub salt: String,
    pub nonce: String,
    pub wrapped_key: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum UnwrapError {
    /// The passphrase is not the one the key was wrapped with.
    Wrong,
    /// The stored record is not one this build understands.
    Damaged(String),
}

fn aad(db_id: &str) -> Vec<u8> {
    format!("bot-credentials/v1 wrapped data key of {db_id}").into_bytes()
}

fn derive(
    passphrase: &str,
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Result<Zeroizing<[u8; 32]>, String> {
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32)).map_err(|e| e.to_string())?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(passphrase.as_bytes(), salt, out.as_mut()).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Checks a new passphrase; the message is shown beside the field.
pub fn check_new(passphrase: &str) -> Result<(), String> {
    if passphrase.chars().count() < MIN_CHARS {
        return Err(format!("must be at least {MIN_CHARS} characters"));
    }
    if passphrase.trim().is_empty() {
        return Err("must not be only spaces".into());
    }
    Ok(())
}

/// Wraps `key` with `passphrase` (a new salt and nonce every time).
pub fn wrap(key: &DataKey, passphrase: &str, db_id: &str) -> Result<Wrapped, String> {
    wrap_with(key, passphrase, db_id, MEMORY_KIB, PASSES, LANES)
}

pub fn wrap_with(
    key: &DataKey,
    passphrase: &str,
    db_id: &str,
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Result<Wrapped, String> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let kek = derive(passphrase, &salt, memory_kib, passes, lanes)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let wrapped = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.as_bytes(), aad: &aad(db_id) })
        .map_err(|_| "the key could not be wrapped".to_string())?;
    Ok(Wrapped {
        kdf: "argon2id".into(),
        version: 0x13,
        memory_kib,
        passes,
        lanes,
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        wrapped_key: B64.encode(wrapped),
    })
}

/// Unwraps the data key; a wrong passphrase is told apart from a damaged record.
pub fn unwrap(w: &Wrapped, passphrase: &str, db_id: &str) -> Result<DataKey, UnwrapError> {
    let damaged = |what: &str| UnwrapError::Damaged(format!("the stored passphrase record is damaged ({what})"));
    if w.kdf != "argon2id" || w.version != 0x13 {
        return Err(UnwrapError::Damaged(format!(
            "the passphrase record uses {} version {}, which this build does not know",
            w.kdf, w.version
        )));
    }
    let salt = B64.decode(&w.salt).map_err(|_| damaged("salt"))?;
    let nonce = B64.decode(&w.nonce).map_err(|_| damaged("nonce"))?;
    let body = B64.decode(&w.wrapped_key).map_err(|_| damaged("wrapped key"))?;
    if nonce.len() != 24 {
        return Err(damaged("nonce"));
    }
    let kek = derive(passphrase, &salt, w.memory_kib, w.passes, w.lanes).map_err(|e| damaged(&e))?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &body, aad: &aad(db_id) })
            .map_err(|_| UnwrapError::Wrong)?,
    );
    if plain.len() != KEY_LEN {
        return Err(damaged("key length"));
    }
    DataKey::from_bytes(&plain).ok_or_else(|| damaged("key length"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Small costs keep the unit tests quick; the real ones are tested in store tests.
    fn quick(key: &DataKey, pass: &str) -> Wrapped {
        wrap_with(key, pass, "db", 1024, 1, 1).expect("wrap")
    }

    #[test]
    fn the_right_passphrase_unwraps_and_a_wrong_one_is_told_so() {
        let key = DataKey::generate();
        let w = quick(&key, "correct horse");
        assert_eq!(unwrap(&w, "correct horse", "db").expect("unwrap").as_bytes(), key.as_bytes());
        assert_eq!(unwrap(&w, "Correct horse", "db").expect_err("refused"), UnwrapError::Wrong);
        assert_eq!(unwrap(&w, "correct horse", "another db").expect_err("refused"), UnwrapError::Wrong);
        let mut bad = w.clone();
        bad.kdf = "pbkdf2".into();
        assert!(matches!(unwrap(&bad, "correct horse", "db"), Err(UnwrapError::Damaged(_))));
    }

    #[test]
    fn rewrapping_uses_new_salt_and_nonce() {
        let key = DataKey::generate();
        let (a, b) = (quick(&key, "same pass"), quick(&key, "same pass"));
        assert_ne!(a.salt, b.salt);
        assert_ne!(a.wrapped_key, b.wrapped_key);
    }

    #[test]
    fn the_default_cost_is_at_least_owasps_minimum() {
        const { assert!(MEMORY_KIB >= 19 * 1024 && PASSES >= 2 && LANES >= 1) };
        assert!(check_new("short").is_err());
        assert!(check_new("        ").is_err());
        assert!(check_new("long enough").is_ok());
    }
}
