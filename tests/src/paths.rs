//! Where things are: the workspace, the built binary, the artifacts folder.

use std::path::{Path, PathBuf};

/// The repository root (the workspace).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate sits inside the workspace").to_path_buf()
}

/// The cargo target directory: `$CARGO_TARGET_DIR`, else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        _ => workspace_root().join("target"),
    }
}

/// The debug `bot-credentials` binary; panics with what to do when it is missing.
pub fn app_binary() -> PathBuf {
    let bin = target_dir().join("debug").join("bot-credentials");
    assert!(bin.is_file(), "{} is missing: run `cargo build --workspace` first", bin.display());
    bin
}

/// Where failing tests leave a screenshot and the page text: `tests/artifacts`.
pub fn artifacts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("artifacts")
}

/// Set to 1 (by `scripts/screenshots.sh`) to rewrite the README's screenshots.
pub const UPDATE_SCREENSHOTS_ENV: &str = "BOT_CREDENTIALS_UPDATE_SCREENSHOTS";

/// Where a README screenshot named `name` goes: `docs/<name>` when
/// screenshots are being updated, else the (untracked) artifacts folder, so
/// an ordinary test run never changes a tracked file.
pub fn readme_screenshot_named(name: &str) -> PathBuf {
    if std::env::var(UPDATE_SCREENSHOTS_ENV).is_ok_and(|v| v == "1") {
        workspace_root().join("docs").join(name)
    } else {
        artifacts_dir().join("screenshots").join(name)
    }
}

/// The README's list screenshot (written by `tests/every_type.rs`).
pub fn readme_screenshot() -> PathBuf {
    readme_screenshot_named("screenshot.png")
}

/// The config folder (`XDG_CONFIG_HOME`) the app and the CLI get for the
/// database `db`: `config/` beside it, so each test's key file (sealed
/// secrets, issue #8) stays in that test's temporary directory, never in the
/// real home, and a second window on the same database finds the same key.
pub fn config_home_for(db: &Path) -> PathBuf {
    db.parent().map_or_else(|| PathBuf::from("config"), |dir| dir.join("config"))
}

/// `BOT_CREDENTIALS_KEYRING=off`: the app behaves as if no system keyring
/// answered (a test never touches the real keyring; keys go to key files).
pub const KEYRING_ENV: (&str, &str) = ("BOT_CREDENTIALS_KEYRING", "off");

/// The folders the app may write to for the database `db`, besides the
/// database itself: config (key files), data and cache (the web view's).
pub fn app_homes_for(db: &Path) -> [(&'static str, PathBuf); 3] {
    let dir = db.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    [
        ("XDG_CONFIG_HOME", config_home_for(db)),
        ("XDG_DATA_HOME", dir.join("data")),
        ("XDG_CACHE_HOME", dir.join("cache")),
    ]
}

/// The environment the app and the CLI run with for the database `db`
/// (besides the database itself): [`app_homes_for`] and [`KEYRING_ENV`],
/// so everything the app writes stays in the test's folder. The folders are
/// created (mode 0700) if need be.
pub fn app_env(db: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut env = vec![];
    for (var, folder) in app_homes_for(db) {
        if !folder.is_dir() {
            use std::os::unix::fs::DirBuilderExt as _;
            if let Err(e) = std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&folder) {
                panic!("creating the test's folder {}: {e}", folder.display());
            }
        }
        env.push((var, folder));
    }
    env.push((KEYRING_ENV.0, PathBuf::from(KEYRING_ENV.1)));
    env
}

/// Every file the app wrote for `db`: the database and its -wal and -shm,
/// and everything under its config, data and cache folders.
pub fn app_files(db: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out: Vec<PathBuf> = ["", "-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.is_file())
        .collect();
    for (_, folder) in app_homes_for(db) {
        walk(&folder, &mut out);
    }
    out
}

/// Which of `needles` appear (as bytes) in which of the app's files for `db`.
pub fn leaked(db: &Path, needles: &[&[u8]]) -> Vec<String> {
    let mut found = vec![];
    for file in app_files(db) {
        let Ok(bytes) = std::fs::read(&file) else { continue };
        for n in needles {
            if !n.is_empty() && bytes.windows(n.len()).any(|w| w == *n) {
                found.push(format!("{:?} in {}", String::from_utf8_lossy(n), file.display()));
            }
        }
    }
    found
}
