//! The SQLite store: one file, opened with care (a file that is not ours is
//! never changed), WAL, foreign keys, a busy timeout, every write in a
//! transaction.

mod credentials;
mod exporting;
mod imports;
mod keys;
mod listing;
mod listing_index;
mod migrations;
mod orgs;
mod tokens;

pub use credentials::{CredentialSnapshot, Report};
pub(crate) use exporting::ExportRow;
pub use imports::{Action, ImportReport, OnConflict};
pub(crate) use keys::Sealer;
pub use keys::{SecretProblem, SecurityStatus, Verified};
pub use listing::{ListQuery, ListWindow, SortDir, SortKey, MAX_WINDOW};
pub use orgs::OrgSnapshot;
pub use tokens::{redirect_uri, AuthState, Authorization, OAuthSettings, TokenSet, DEFAULT_OAUTH_PORT};

use crate::error::{Error, Result};
use crate::seal::levels::KeyPlaces;
use crate::seal::DataKey;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another program's before it gives up.
pub const WRITE_WAIT: Duration = Duration::from_secs(30);

/// What is told, about once a second, while a write waits for another program.
static ON_WAIT: std::sync::OnceLock<fn(Duration)> = std::sync::OnceLock::new();

/// Sets what a waiting write calls with the time waited so far (the terminal
/// prints "waiting for another program…"); the first call wins.
pub fn on_waiting(report: fn(Duration)) {
    let _ = ON_WAIT.set(report);
}

/// What is told of each notice opening finds (files open to others).
static ON_NOTICE: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Sets what opening calls with each of [`Store::notices`] (the terminal
/// prints a warning); the first call wins. The window reads them instead.
pub fn on_notice(tell: fn(&str)) {
    let _ = ON_NOTICE.set(tell);
}

/// SQLite's busy handler: sleeps and tries again until [`WRITE_WAIT`],
/// telling [`on_waiting`]'s function the time so far each second.
fn wait_for_writer(attempt: i32) -> bool {
    const STEP: Duration = Duration::from_millis(25);
    let waited = STEP * u32::try_from(attempt).unwrap_or(0);
    if waited >= WRITE_WAIT {
        return false;
    }
    if attempt > 0 && attempt % 40 == 0 {
        if let Some(report) = ON_WAIT.get() {
            report(waited);
        }
    }
    std::thread::sleep(STEP);
    true
}

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    places: KeyPlaces,
    db_id: String,
    /// The data key once loaded (or unlocked); wiped when dropped or locked.
    key: RefCell<Option<DataKey>>,
    /// The Credentials list's indexes (`listing.rs`), rebuilt after any write.
    listing: RefCell<listing::ListCache>,
    /// What opening repaired or warns about (files open to others: `perms.rs`).
    notices: Vec<String>,
    /// The temporary key folder of an in-memory (test) store.
    _key_dir: Option<tempfile::TempDir>,
}

/// Current UTC time as RFC 3339 with whole seconds.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

impl Store {
    /// Opens (creating it, mode 0600, with its folder) the database at
    /// `path`. A file that is not a Bot Credentials database, or one from a
    /// newer version, is refused and left untouched.
    pub fn open(path: &Path) -> Result<Store> {
        let places = KeyPlaces::system().map_err(Error::Io)?;
        Store::open_with(path, places)
    }

    /// Opens the database at `path` only if it exists: commands that read
    /// never create one (`no database at PATH`).
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::NotFound(format!("no database at {}", path.display())));
        }
        Store::open(path)
    }

    /// As [`Store::open`], with keys kept in `places`.
    pub fn open_with(path: &Path, places: KeyPlaces) -> Result<Store> {
        let fail = |reason: String| Error::Open { path: path.to_path_buf(), reason };
        if path.is_dir() {
            return Err(fail("it is a folder, not a file".into()));
        }
        if !path.exists() {
            create_private_file(path).map_err(|e| fail(e.to_string()))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| fail(describe_open_error(&e, path)))?;
        // SQLite falls back to reading only when the file cannot be written: refuse
        // at once, naming why, rather than fail at the first write.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            let why = writable_problem(path).unwrap_or_else(|| "SQLite opened it for reading only".into());
            return Err(fail(read_only_reason(why)));
        }
        let mut store = Store::new(conn, Some(path.to_path_buf()), places, None);
        store.prepare(path).map_err(|e| match e {
            Error::Open { reason, .. } => fail(reason),
            other => fail(other.to_string()),
        })?;
        store.notices = crate::perms::secure(&crate::perms::Places {
            db: path,
            key_dir: &store.places.key_dir,
            data_dir: dirs::data_dir().map(|d| d.join(crate::IDENTIFIER)),
            log_dir: crate::logs::log_dir(),
        });
        if let Some(tell) = ON_NOTICE.get() {
            store.notices.iter().for_each(|n| tell(n));
        }
        Ok(store)
    }

    /// A store in memory whose key file lives in a temporary folder (tests).
    pub fn open_in_memory() -> Result<Store> {
        let (dir, places) = KeyPlaces::temporary().map_err(|e| Error::Io(e.to_string()))?;
        let mut store = Store::new(Connection::open_in_memory()?, None, places, Some(dir));
        store.prepare(Path::new(":memory:"))?;
        Ok(store)
    }

    fn new(conn: Connection, path: Option<PathBuf>, places: KeyPlaces, dir: Option<tempfile::TempDir>) -> Store {
        Store {
            conn,
            path,
            places,
            db_id: String::new(),
            key: RefCell::new(None),
            listing: RefCell::default(),
            notices: vec![],
            _key_dir: dir,
        }
    }

    /// What opening found open to others, and repaired or warns about: one
    /// sentence each, for the terminal's standard error and the window.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// This database's id (names its key file and keyring entry).
    pub fn db_id(&self) -> &str {
        &self.db_id
    }

    /// Where this store keeps keys.
    pub fn key_places(&self) -> &KeyPlaces {
        &self.places
    }

    /// How long a write waits for another program's lock before failing.
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(wait)?)
    }

    /// Changes when another program (the terminal, a second window) commits
    /// to this database (`PRAGMA data_version`): the window polls it to
    /// refresh what it shows.
    pub fn outside_changes(&self) -> Result<i64> {
        Ok(self.conn.prepare_cached("PRAGMA data_version")?.query_row([], |r| r.get(0))?)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn prepare(&mut self, path: &Path) -> Result<()> {
        let fail = |reason: String| Error::Open { path: PathBuf::new(), reason };
        // Writers take their turn: every transaction takes the write lock at
        // BEGIN (IMMEDIATE), so checks and writes inside it see one state, and
        // a second writer waits for the first (a large import holds it for
        // seconds) instead of failing at once.
        self.conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        self.conn.busy_handler(Some(wait_for_writer))?;
        // Read-only probes first: nothing is written to a file that is not ours.
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| fail(describe_open_error(&e, path)))?;
        if version > migrations::LATEST {
            return Err(fail(format!(
                "it was written by a newer version of Bot Credentials (schema version {version}; this build reads up to {}); nothing was changed",
                migrations::LATEST
            )));
        }
        if version == 0 {
            let foreign: Option<String> = self
                .conn
                .query_row("SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1", [], |r| r.get(0))
                .optional()
                .map_err(|e| fail(describe_open_error(&e, path)))?;
            if let Some(table) = foreign {
                return Err(fail(format!(
                    "it is an SQLite database of another program (it has a table \"{table}\" but no Bot Credentials schema); nothing was changed"
                )));
            }
        }
        let _mode: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // secure_delete: freed pages are zeroed, so a deleted or replaced value leaves nothing behind.
        // A 64 MiB page cache (a ceiling, not an allocation): a large import's
        // transaction stays in memory instead of spilling to the WAL midway.
        // Reads go through a memory map (up to 256 MiB) instead of a system call per page.
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;",
        )?;
        let report = migrations::InitReport::default();
        if let Err(e) = migrations::migrations(self.places.clone(), report.clone()).to_latest(&mut self.conn) {
            // The transaction rolled back: the new key would name a database that does not exist.
            if let Some(init) = report.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = self.places.remove(init.level, &init.db_id);
            }
            return Err(Error::Database(format!("could not update the database schema: {e}; nothing was changed")));
        }
        if version == 1 {
            // Plain values of the old schema may sit in freed pages: rebuild the file without them.
            self.conn.execute_batch("VACUUM;")?;
        }
        if version < migrations::LATEST {
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        self.db_id = self.conn.query_row("SELECT value FROM meta WHERE key = 'db_id'", [], |r| r.get(0))?;
        Ok(())
    }
}

fn describe_open_error(e: &rusqlite::Error, path: &Path) -> String {
    let code = e.sqlite_error_code();
    use rusqlite::ErrorCode::{CannotOpen, PermissionDenied, ReadOnly};
    if matches!(code, Some(CannotOpen | PermissionDenied | ReadOnly)) {
        if let Some(why) = writable_problem(path) {
            return read_only_reason(why);
        }
    }
    match code {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            "it is not an SQLite database (the file is damaged or of another kind); nothing was changed".into()
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => crate::error::DAMAGED.into(),
        Some(rusqlite::ErrorCode::CannotOpen) | Some(rusqlite::ErrorCode::PermissionDenied) => {
            "it cannot be opened for reading and writing (check its permissions)".into()
        }
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            "it is locked by another program; close it and try again".into()
        }
        _ => e.to_string(),
    }
}

/// Why the database cannot be written, when it cannot: the file itself or
/// its folder (SQLite writes its journal beside the file) is read-only.
fn writable_problem(path: &Path) -> Option<String> {
    if let Err(e) = std::fs::OpenOptions::new().append(true).open(path) {
        return Some(format!("the file is read-only ({e})"));
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Err(e) = tempfile::Builder::new().prefix(".bot-credentials-probe-").tempfile_in(dir) {
        return Some(format!("its folder is read-only, and SQLite keeps its journal there ({e})"));
    }
    None
}

fn read_only_reason(why: String) -> String {
    format!("it cannot be written: {why}; nothing was changed")
}

/// Creates the file (and its folders) readable by its owner only.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        builder.mode(0o700);
        builder.create(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
impl Store {
    /// The connection itself, for tests elsewhere in the crate that alter rows.
    pub(crate) fn conn_for_tests(&self) -> &Connection {
        &self.conn
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "seal_tests.rs"]
mod seal_tests;

#[cfg(test)]
#[path = "listing_tests.rs"]
mod listing_tests;

#[cfg(test)]
#[path = "tokens_tests.rs"]
mod tokens_tests;
