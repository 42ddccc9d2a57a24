//! Where things are: the workspace, the built binary, the artifacts folder.

use std::path::PathBuf;

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

/// The README's screenshot: `docs/screenshot.png` (written by `tests/every_type.rs`).
pub fn readme_screenshot() -> PathBuf {
    workspace_root().join("docs").join("screenshot.png")
}
