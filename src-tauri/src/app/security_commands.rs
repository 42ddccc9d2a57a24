//! The window's Security place: protection level, unlock and lock, the
//! master passphrase, auto-lock, and checking every sealed value. Thin
//! adapters over the store; passphrases from the page are wiped after use.

use super::state::AppState;
use bot_credentials_core::error::{Error, Result};
use bot_credentials_core::seal::levels::Protection;
use bot_credentials_core::store::{SecurityStatus, Verified};
use tauri::State;
use zeroize::Zeroizing;

#[tauri::command]
pub fn security_status(state: State<'_, AppState>) -> Result<SecurityStatus> {
    state.with_store(|s| s.security_status())
}

#[tauri::command]
pub fn unlock(state: State<'_, AppState>, passphrase: String) -> Result<SecurityStatus> {
    let passphrase = Zeroizing::new(passphrase);
    state.with_store(|s| {
        s.unlock(&passphrase)?;
        s.security_status()
    })
}

#[tauri::command]
pub fn lock(state: State<'_, AppState>) -> Result<SecurityStatus> {
    state.with_store(|s| {
        s.lock();
        s.security_status()
    })
}

#[tauri::command]
pub fn set_passphrase(state: State<'_, AppState>, passphrase: String) -> Result<SecurityStatus> {
    let passphrase = Zeroizing::new(passphrase);
    state.with_store(|s| {
        s.set_passphrase(&passphrase)?;
        s.security_status()
    })
}

#[tauri::command]
pub fn change_passphrase(state: State<'_, AppState>, current: String, passphrase: String) -> Result<SecurityStatus> {
    let (current, passphrase) = (Zeroizing::new(current), Zeroizing::new(passphrase));
    state.with_store(|s| {
        s.change_passphrase(&current, &passphrase)?;
        s.security_status()
    })
}

/// `level`: where the key goes ("keyring" or "key_file"); by default the
/// keyring where one answers, else a key file.
#[tauri::command]
pub fn remove_passphrase(state: State<'_, AppState>, current: String, level: Option<String>) -> Result<SecurityStatus> {
    let current = Zeroizing::new(current);
    let to = level.map(|l| key_level(&l)).transpose()?;
    state.with_store(|s| {
        s.remove_passphrase(&current, to)?;
        s.security_status()
    })
}

fn key_level(level: &str) -> Result<Protection> {
    match Protection::parse(level) {
        Some(l @ (Protection::Keyring | Protection::KeyFile)) => Ok(l),
        _ => Err(Error::invalid("level", "must be \"keyring\" or \"key_file\"")),
    }
}

#[tauri::command]
pub fn set_protection(state: State<'_, AppState>, level: String) -> Result<SecurityStatus> {
    let to = key_level(&level)?;
    state.with_store(|s| {
        s.set_protection(to)?;
        s.security_status()
    })
}

#[tauri::command]
pub fn set_auto_lock(state: State<'_, AppState>, minutes: Option<u32>) -> Result<SecurityStatus> {
    state.with_store(|s| {
        s.set_auto_lock(minutes)?;
        s.security_status()
    })
}

#[tauri::command]
pub fn verify_secrets(state: State<'_, AppState>) -> Result<Verified> {
    state.with_store(|s| s.verify_secrets())
}
