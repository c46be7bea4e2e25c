//! Atomic file replacement: the new contents go to a temporary file in the
//! same directory, which is renamed over the target only once it is whole,
//! so a failed write (disk full, an error midway, a killed process) never
//! leaves a truncated file where the old one was (an existing file is
//! exchanged with the new one, then removed: see `replace`). Shared by every writer
//! (`save`, `savez`, `savetxt`, `:save`) and meant for the history file too.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Fault, IoError};

/// Distinguishes temporary names of writes in flight within one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `path` through `write`, atomically: `write` fills a buffered
/// temporary file beside `path`; if it and the flush succeed, the file is
/// renamed over `path` (keeping the old file's permissions), else it is
/// removed and `path` is untouched. The data is not fsynced, as `np.save`
/// does not: a crash of the machine itself can lose the new contents
/// (journalling filesystems such as ext4 still replace on rename safely).
pub fn write_atomic<F>(path: &Path, write: F) -> Result<(), IoError>
where
    F: FnOnce(&mut BufWriter<File>) -> io::Result<()>,
{
    let err = |e: &io::Error| IoError::new(path, Fault::os(e));
    if path.is_dir() {
        return Err(IoError::new(
            path,
            Fault::Os(io::ErrorKind::IsADirectory, "is a directory".into()),
        ));
    }
    let temp = temp_path(path);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(|e| err(&e))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let written = write(&mut out)
        .and_then(|()| out.flush())
        .and_then(|()| keep_permissions(path, out.get_ref()));
    drop(out);
    match written.and_then(|()| replace(&temp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(err(&e))
        }
    }
}

/// Puts the whole file at `temp` where `path` is. A file already at `path`
/// is exchanged with it in one step and then removed, rather than renamed
/// over: ext4 (with its default `auto_da_alloc`) starts writing a file out
/// at once when it is renamed over another, which made saving 1 GB over an
/// existing file half a second slower than `np.save`'s truncate-and-write.
/// At every instant `path` holds the old file or the new one, as with a
/// rename; a process killed between the two steps leaves the old contents
/// under the temporary name.
fn replace(temp: &Path, path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
        && crate::kernel::fs::exchange(temp, path)?
    {
        // The old contents, now at `temp`; failing to remove them loses nothing.
        let _ = fs::remove_file(temp);
        return Ok(());
    }
    fs::rename(temp, path)
}

/// `dir/.name.tmp-PID-N`: hidden, in the target's directory (so the rename
/// stays on one filesystem), unique within and across processes.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = format!(".{name}.tmp-{}-{n}", std::process::id());
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(temp),
        _ => PathBuf::from(temp),
    }
}

/// A replaced file keeps its mode bits.
fn keep_permissions(path: &Path, temp: &File) -> io::Result<()> {
    match fs::metadata(path) {
        Ok(m) => temp.set_permissions(m.permissions()),
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tensorcalc-atomic-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect()
    }

    #[test]
    fn a_write_that_fails_midway_leaves_the_old_file_and_no_temporary() {
        let dir = scratch("fail");
        let path = dir.join("data.npy");
        fs::write(&path, b"old contents").unwrap();
        let r = write_atomic(&path, |w| {
            w.write_all(&[7u8; 100_000])?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        });
        let e = r.unwrap_err();
        assert_eq!(e.path, path.display().to_string());
        assert!(matches!(e.fault, Fault::Os(io::ErrorKind::StorageFull, _)));
        assert_eq!(fs::read(&path).unwrap(), b"old contents");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    }

    #[test]
    fn a_whole_write_replaces_the_file_and_keeps_its_mode() {
        let dir = scratch("ok");
        let path = dir.join("out.txt");
        fs::write(&path, b"old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        assert!(leftovers(&dir).is_empty());
    }

    #[test]
    fn a_missing_directory_names_the_file() {
        let dir = scratch("missing");
        let path = dir.join("no/such/dir/x.npy");
        let e = write_atomic(&path, |w| w.write_all(b"x")).unwrap_err();
        assert!(e.path.ends_with("no/such/dir/x.npy"));
        assert!(matches!(e.fault, Fault::Os(io::ErrorKind::NotFound, _)));
    }
}
