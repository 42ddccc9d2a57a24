//! File writes that never leave half a file behind: a temporary file in the
//! same folder, written, synced, renamed over the target, and the folder
//! synced so the rename itself survives a crash. Mode 0600.

use std::io::Write;
use std::path::Path;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// As [`write_atomic`], the content written by `fill` through a buffer; if
/// `fill` fails, the temporary file is removed and `path` is left as it was.
pub fn write_atomic_with<E: From<std::io::Error>>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    let named = |e: std::io::Error| std::io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".bot-credentials-").tempfile_in(dir).map_err(named)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(named)?;
    }
    {
        let mut buffered = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
        fill(&mut buffered)?;
        buffered.flush().map_err(named)?;
    }
    tmp.as_file().sync_all().map_err(named)?;
    tmp.persist(path).map_err(|e| named(e.error))?;
    sync_dir(dir);
    Ok(())
}

/// Flushes a folder's entries (after a rename or a removal). Best effort:
/// some file systems cannot sync a folder, and the data is already safe.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
