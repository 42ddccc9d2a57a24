//! What the window's commands share: the store (or why it could not be
//! opened) and the recently deleted items that Undo can bring back.

use bot_credentials_core::envelope::Sealing;
use bot_credentials_core::error::{Error, Problem, Result};
use bot_credentials_core::model::ImportFile;
use bot_credentials_core::seal::levels::Protection;
use bot_credentials_core::store::{CredentialSnapshot, OrgSnapshot, Store};
use bot_credentials_core::transfer::postman::Environment;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// How long a delete can be undone.
const UNDO_WINDOW: Duration = Duration::from_secs(120);

pub enum Deleted {
    Credential { org_id: i64, snapshot: CredentialSnapshot },
    Organization(OrgSnapshot),
}

/// Deleted items by undo token, with when they were deleted.
#[derive(Default)]
struct Trash {
    counter: u64,
    items: HashMap<String, (Instant, Deleted)>,
}

/// The file chosen for import: its bytes (wiped when dropped) and, once
/// opened (decrypted when it is an age file) and checked, its content.
pub struct PendingImport {
    pub path: PathBuf,
    pub raw: Zeroizing<Vec<u8>>,
    pub sealing: Option<Sealing>,
    pub file: Option<ImportFile>,
    /// Set when the file is a Postman collection (issue #12).
    pub postman: Option<PostmanPending>,
}

/// A Postman collection chosen for import: the environment file picked for
/// it, and what the last reading of it left out.
#[derive(Default)]
pub struct PostmanPending {
    pub environment: Option<(PathBuf, Environment)>,
    pub notes: Vec<Problem>,
}

pub struct AppState {
    db: Mutex<std::result::Result<Store, Error>>,
    pub db_path: String,
    trash: Mutex<Trash>,
    pending_import: Mutex<Option<PendingImport>>,
    /// When a command last ran: the auto-lock measures idleness from it.
    last_activity: Mutex<Instant>,
}

impl AppState {
    pub fn open(flag: Option<PathBuf>) -> AppState {
        let (db, db_path) = match bot_credentials_core::db_path(flag) {
            Ok(path) => (Store::open(&path), path.display().to_string()),
            Err(e) => (Err(e), String::new()),
        };
        AppState::new(db, db_path)
    }

    pub fn new(db: Result<Store>, db_path: String) -> AppState {
        AppState {
            db: Mutex::new(db),
            db_path,
            trash: Mutex::new(Trash::default()),
            pending_import: Mutex::new(None),
            last_activity: Mutex::new(Instant::now()),
        }
    }

    pub fn startup_error(&self) -> Option<String> {
        match &*self.db.lock().unwrap_or_else(|p| p.into_inner()) {
            Ok(_) => None,
            Err(e) => Some(e.to_string()),
        }
    }

    /// Runs `f` on the store, or fails with `unavailable` when it could not
    /// be opened.
    /// be opened. A passphrase-protected store idle for longer than its
    /// auto-lock time is locked first (the page locks itself too; this holds
    /// even if the page did not).
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.store_for(true, f)
    }

    /// As [`AppState::with_store`], but not counted as use of the window (the
    /// page's background checks must not keep the auto-lock from locking).
    pub fn with_store_unattended<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.store_for(false, f)
    }

    fn store_for<T>(&self, used: bool, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let mut guard = self.db.lock().unwrap_or_else(|p| p.into_inner());
        match &mut *guard {
            Ok(store) => {
                let mut last = self.last_activity.lock().unwrap_or_else(|p| p.into_inner());
                if let Ok(Some(minutes)) = store.auto_lock_minutes() {
                    let idle = last.elapsed() >= Duration::from_secs(u64::from(minutes) * 60);
                    if idle && store.protection().is_ok_and(|p| p == Protection::Passphrase) {
                        store.lock();
                    }
                }
                if used {
                    *last = Instant::now();
                }
                drop(last);
                f(store)
            }
            Err(e) => Err(Error::Unavailable(format!("no database: {e}"))),
        }
    }

    /// Counts as use of the window (the auto-lock's idle clock starts again):
    /// an authorization that waited for the browser was the user at work.
    pub fn touch(&self) {
        *self.last_activity.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    /// Keeps a deleted item for Undo; returns its token.
    pub fn remember(&self, item: Deleted) -> String {
        let mut guard = self.trash.lock().unwrap_or_else(|p| p.into_inner());
        guard.items.retain(|_, (at, _)| at.elapsed() < UNDO_WINDOW);
        guard.counter += 1;
        let token = format!("undo-{}", guard.counter);
        guard.items.insert(token.clone(), (Instant::now(), item));
        token
    }

    pub fn take(&self, token: &str) -> Result<Deleted> {
        let mut guard = self.trash.lock().unwrap_or_else(|p| p.into_inner());
        match guard.items.remove(token) {
            Some((at, item)) if at.elapsed() < UNDO_WINDOW => Ok(item),
            _ => Err(Error::NotFound("that delete can no longer be undone".into())),
        }
    }

    /// Puts an item back in the trash when restoring it failed.
    pub fn put_back(&self, token: String, item: Deleted) {
        let mut guard = self.trash.lock().unwrap_or_else(|p| p.into_inner());
        guard.items.insert(token, (Instant::now(), item));
    }

    pub fn set_pending_import(&self, pending: PendingImport) {
        *self.pending_import.lock().unwrap_or_else(|p| p.into_inner()) = Some(pending);
    }

    pub fn clear_pending_import(&self) {
        *self.pending_import.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Runs `f` on the file chosen for import.
    pub fn with_pending_import<T>(&self, f: impl FnOnce(&mut PendingImport) -> Result<T>) -> Result<T> {
        let mut guard = self.pending_import.lock().unwrap_or_else(|p| p.into_inner());
        match &mut *guard {
            Some(pending) => f(pending),
            None => Err(Error::NotFound("no import file is chosen; choose one first".into())),
        }
    }
}
