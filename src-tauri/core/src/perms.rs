//! Private files, checked on every open: the database, its journal, the key
//! files and the logs are 0600, and the app's own folders (the data folder,
//! the key folder, the log folder) 0700. A wider mode (a copy, a restore
//! from a backup, a loose umask) is narrowed, and the repair is told. A
//! folder the user chose for the database (`--db`) is never changed: it is
//! only warned about when others could replace the file in it.

use std::path::{Path, PathBuf};

/// The app's own folders and files for the database at `db`.
pub struct Places<'a> {
    pub db: &'a Path,
    /// Where keys are kept (`$XDG_CONFIG_HOME/<id>/keys`); it and its parent are ours.
    pub key_dir: &'a Path,
    /// The default data folder (`$XDG_DATA_HOME/<id>`): ours when the database is in it.
    pub data_dir: Option<PathBuf>,
    /// The log folder, when logging to files.
    pub log_dir: Option<PathBuf>,
}

/// Files this process creates from now on are its owner's alone (umask
/// 077): the logs (whose appender knows no mode), journals and temporary
/// files are born private. Both doors call it first.
pub fn private_from_birth() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// Repairs what is too open and says what it did, one sentence each.
#[cfg(unix)]
pub fn secure(places: &Places<'_>) -> Vec<String> {
    let mut told = vec![];
    let db = places.db;
    let db_was_open = narrow(db, 0o600);
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        // SQLite gives its journal the database's mode: told with the database when it was.
        let journal = narrow(Path::new(&name), 0o600);
        if db_was_open.is_none() {
            told.extend(journal);
        }
    }
    told.extend(db_was_open);
    let mut file = |p: &Path| told.extend(narrow(p, 0o600));
    for_each_file(places.key_dir, &mut file);
    if let Some(logs) = &places.log_dir {
        for_each_file(logs, &mut file);
    }
    let mut own_dirs: Vec<&Path> = vec![places.key_dir];
    own_dirs.extend(places.key_dir.parent());
    own_dirs.extend(places.log_dir.as_deref());
    let db_dir = db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let ours = places.data_dir.as_deref().is_some_and(|d| same(d, db_dir));
    if ours {
        own_dirs.push(db_dir);
    }
    for dir in own_dirs {
        told.extend(narrow(dir, 0o700));
    }
    if !ours {
        told.extend(replaceable(db_dir));
    }
    for t in &told {
        tracing::warn!(op = "permissions", "{t}");
    }
    told
}

#[cfg(not(unix))]
pub fn secure(_places: &Places<'_>) -> Vec<String> {
    vec![]
}

#[cfg(unix)]
fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path).ok().filter(|m| !m.file_type().is_symlink()).map(|m| m.permissions().mode())
}

/// Narrows `path` to `mode` when group or others have any access to it.
#[cfg(unix)]
fn narrow(path: &Path, mode: u32) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let was = mode_of(path)? & 0o7777;
    if was & 0o077 == 0 {
        return None;
    }
    let what = if path.is_dir() { "folder" } else { "file" };
    Some(match std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
        Ok(()) => format!("the {what} {} was open to others (mode {was:04o}); it is now {mode:04o}", path.display()),
        Err(e) => format!(
            "the {what} {} is open to others (mode {was:04o}) and could not be made {mode:04o}: {e}",
            path.display()
        ),
    })
}

/// A warning when others may replace files in `dir` (writable by group or
/// others, without the sticky bit that /tmp has).
#[cfg(unix)]
fn replaceable(dir: &Path) -> Option<String> {
    let mode = mode_of(dir)?;
    (mode & 0o022 != 0 && mode & 0o1000 == 0).then(|| {
        format!(
            "the folder {} that holds the database can be written by others (mode {:04o}): they could replace the database; keep it in a folder only you can write to",
            dir.display(),
            mode & 0o7777
        )
    })
}

fn for_each_file(dir: &Path, f: &mut impl FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        if e.file_type().is_ok_and(|t| t.is_file()) {
            f(&e.path());
        }
    }
}

fn same(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn set(p: &Path, mode: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).expect("meta").permissions().mode() & 0o7777
    }

    struct Layout {
        _tmp: tempfile::TempDir,
        data: PathBuf,
        db: PathBuf,
        keys: PathBuf,
        logs: PathBuf,
    }

    fn layout() -> Layout {
        let tmp = tempfile::tempdir().expect("tmp");
        let data = tmp.path().join("data/app");
        let keys = tmp.path().join("config/app/keys");
        let logs = data.join("logs");
        for d in [&data, &keys, &logs] {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        let db = data.join("credentials.sqlite3");
        for f in [db.clone(), data.join("credentials.sqlite3-wal"), keys.join("abc.key"), logs.join("cli.log")] {
            std::fs::write(&f, b"x").expect("write");
            set(&f, 0o600);
        }
        for d in [&data, &keys, &keys.parent().expect("config").to_path_buf(), &logs] {
            set(d, 0o700);
        }
        Layout { _tmp: tmp, data, db, keys, logs }
    }

    fn places(l: &Layout) -> Places<'_> {
        Places { db: &l.db, key_dir: &l.keys, data_dir: Some(l.data.clone()), log_dir: Some(l.logs.clone()) }
    }

    #[test]
    fn private_places_are_left_alone_and_nothing_is_said() {
        let l = layout();
        assert_eq!(secure(&places(&l)), Vec::<String>::new());
    }

    #[test]
    fn files_and_folders_open_to_others_are_narrowed_and_each_is_told() {
        let l = layout();
        let wal = l.data.join("credentials.sqlite3-wal");
        let key = l.keys.join("abc.key");
        let log = l.logs.join("cli.log");
        for f in [&l.db, &wal, &key, &log] {
            set(f, 0o644);
        }
        let wal_alone = secure(&Places { db: &l.db, key_dir: &l.keys, data_dir: None, log_dir: None });
        assert!(wal_alone.iter().all(|t| !t.contains("-wal")), "the journal is told with its database: {wal_alone:#?}");
        set(&wal, 0o644);
        set(&l.db, 0o600);
        let told = secure(&Places { db: &l.db, key_dir: &l.keys, data_dir: None, log_dir: None });
        assert!(told.iter().any(|t| t.contains("-wal")), "a journal open on its own is told: {told:#?}");
        for f in [&l.db, &wal, &key, &log] {
            set(f, 0o644);
        }
        for d in [&l.data, &l.keys, &l.logs] {
            set(d, 0o755);
        }
        let told = secure(&places(&l));
        assert_eq!(told.len(), 6, "{told:#?}");
        for f in [&l.db, &wal, &key, &log] {
            assert_eq!(mode(f), 0o600, "{}", f.display());
        }
        for f in [&l.db, &key, &log] {
            let says = format!("the file {} was open to others (mode 0644); it is now 0600", f.display());
            assert!(told.contains(&says), "{says} in {told:#?}");
        }
        for d in [&l.data, &l.keys, &l.logs] {
            assert_eq!(mode(d), 0o700, "{}", d.display());
        }
        assert_eq!(secure(&places(&l)), Vec::<String>::new(), "once repaired, nothing more to say");
    }

    #[test]
    fn a_folder_the_user_chose_is_never_changed_only_warned_about_when_others_can_write_it() {
        let l = layout();
        let chosen = l.data.parent().expect("parent").join("chosen");
        std::fs::create_dir(&chosen).expect("mkdir");
        let db = chosen.join("mine.sqlite3");
        std::fs::write(&db, b"x").expect("write");
        set(&db, 0o600);
        let p = Places { db: &db, key_dir: &l.keys, data_dir: Some(l.data.clone()), log_dir: None };
        set(&chosen, 0o755);
        assert_eq!(secure(&p), Vec::<String>::new(), "readable by others is fine: the file itself is 0600");
        assert_eq!(mode(&chosen), 0o755);
        set(&chosen, 0o777);
        let told = secure(&p);
        assert_eq!(told.len(), 1, "{told:#?}");
        assert!(told[0].contains("can be written by others") && told[0].contains("0777"), "{told:#?}");
        assert_eq!(mode(&chosen), 0o777, "the user's folder is not changed");
        set(&chosen, 0o1777);
        assert_eq!(secure(&p), Vec::<String>::new(), "a sticky folder (as /tmp) lets no one replace the file");
    }
}
