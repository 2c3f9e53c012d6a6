//! Outputs that are either wholly there or not at all.
//!
//! Every file a command writes (proofs, keys, templates, models, manifests) goes through [`write_file`]: the
//! bytes go to a hidden temporary file beside the destination, are flushed to disk, and the temporary file is
//! renamed over the destination (atomic within one file system). A run interrupted at any point leaves the
//! destination as it was (absent, or the previous complete file), never truncated; a kill during the write
//! itself can leave the temporary `.NAME.PID.tmp`, which nothing reads.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};

/// Writes `bytes` to `path` atomically (see the module documentation).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temporary_path(path)?;
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        // Best effort: the temporary file may not exist.
        let _ = std::fs::remove_file(&tmp);
    }
    written.with_context(|| format!("cannot write {}", path.display()))
}

/// The temporary file beside `path` that [`write_file`] renames into place.
fn temporary_path(path: &Path) -> Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| anyhow!("{} does not name a file", path.display()))?;
    let tmp = format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id());
    Ok(path.with_file_name(tmp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_files_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("voizk-durable-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.bin");
        write_file(&path, &[7u8; 1000]).unwrap();
        write_file(&path, b"short").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"short");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.bin")], "a temporary file was left");
        // A destination that cannot be written: an error naming it, the old file intact, no temporary left.
        let blocked = dir.join("a-directory");
        std::fs::create_dir_all(&blocked).unwrap();
        let e = write_file(&blocked, b"x").unwrap_err();
        assert!(e.to_string().contains("a-directory"), "{e}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
        assert!(write_file(Path::new("/"), b"x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
