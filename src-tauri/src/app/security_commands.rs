//! The window's Security place: protection level, unlock and lock, the
//! master passphrase, auto-lock, and checking every sealed value. Thin
//! adapters over the store; passphrases from the page are wiped after use.

use super::state::AppState;
use bot_credentials_core::error::{Error, Result};
use bot_credentials_core::seal::levels::Protection;
use bot_credentials_core::store::{SecurityStatus, Verified};
use tauri::State;
use zeroize::Zeroizing;

/// Runs `f` on the store (logged as `op`), then answers the protection now in force.
fn changed<T>(
    state: &AppState,
    op: &str,
    f: impl FnOnce(&mut bot_credentials_core::store::Store) -> Result<T>,
) -> Result<SecurityStatus> {
    super::log::outcome(
        op,
        "",
        state.with_store(|s| {
            f(s)?;
            s.security_status()
        }),
    )
}

#[tauri::command(async)]
pub fn security_status(state: State<'_, AppState>) -> Result<SecurityStatus> {
    state.with_store(|s| s.security_status())
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, passphrase: String) -> Result<SecurityStatus> {
    let passphrase = Zeroizing::new(passphrase);
    changed(&state, "unlock", |s| s.unlock(&passphrase))
}

#[tauri::command(async)]
pub fn lock(state: State<'_, AppState>) -> Result<SecurityStatus> {
    changed(&state, "lock", |s| {
        s.lock();
        Ok(())
    })
}

#[tauri::command(async)]
pub fn set_passphrase(state: State<'_, AppState>, passphrase: String) -> Result<SecurityStatus> {
    let passphrase = Zeroizing::new(passphrase);
    changed(&state, "set_passphrase", |s| s.set_passphrase(&passphrase))
}

#[tauri::command(async)]
pub fn change_passphrase(state: State<'_, AppState>, current: String, passphrase: String) -> Result<SecurityStatus> {
    let (current, passphrase) = (Zeroizing::new(current), Zeroizing::new(passphrase));
    changed(&state, "change_passphrase", |s| s.change_passphrase(&current, &passphrase))
}

/// `level`: where the key goes ("keyring" or "key_file"); by default the
/// keyring where one answers, else a key file.
#[tauri::command(async)]
pub fn remove_passphrase(state: State<'_, AppState>, current: String, level: Option<String>) -> Result<SecurityStatus> {
    let current = Zeroizing::new(current);
    let to = level.map(|l| key_level(&l)).transpose()?;
    changed(&state, "remove_passphrase", |s| s.remove_passphrase(&current, to))
}

fn key_level(level: &str) -> Result<Protection> {
    match Protection::parse(level) {
        Some(l @ (Protection::Keyring | Protection::KeyFile)) => Ok(l),
        _ => Err(Error::invalid("level", "must be \"keyring\" or \"key_file\"")),
    }
}

#[tauri::command(async)]
pub fn set_protection(state: State<'_, AppState>, level: String) -> Result<SecurityStatus> {
    let to = key_level(&level)?;
    changed(&state, "set_protection", |s| s.set_protection(to))
}

#[tauri::command(async)]
pub fn set_auto_lock(state: State<'_, AppState>, minutes: Option<u32>) -> Result<SecurityStatus> {
    changed(&state, "set_auto_lock", |s| s.set_auto_lock(minutes))
}

#[tauri::command(async)]
pub fn verify_secrets(state: State<'_, AppState>) -> Result<Verified> {
    state.with_store(|s| s.verify_secrets())
}
