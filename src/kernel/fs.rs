//! The one file-system call the standard library lacks: exchanging two
//! paths atomically (Linux's `renameat2` with `RENAME_EXCHANGE`), which the
//! atomic writer uses to put a new file where an old one is.

use std::io;
use std::path::Path;

/// Swaps the files at `a` and `b` in one step: at every instant each path
/// names one whole file. `Ok(false)` where the system or the file system
/// cannot exchange (not Linux, or `EINVAL`/`ENOSYS`/`ENOTSUP`, or `b` does
/// not exist), so the caller renames instead.
pub fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            CString::new(p.as_os_str().as_bytes())
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path holds a NUL byte"))
        };
        let (a, b) = (c(a)?, c(b)?);
        // SAFETY: both pointers are NUL-terminated strings that outlive the
        // call; the call reads them and touches no other memory of ours.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(true);
        }
        let e = io::Error::last_os_error();
        return match e.raw_os_error() {
            Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP | libc::ENOENT) => Ok(false),
            _ => Err(e),
        };
    }
    #[allow(unreachable_code)]
    {
        let _ = (a, b);
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_contents_or_declines() {
        let dir = std::env::temp_dir().join(format!("tensorcalc-exchange-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::write(&a, "new").unwrap();
        // No file at `b`: declined, nothing moved.
        assert!(!exchange(&a, &b).unwrap());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new");
        std::fs::write(&b, "old").unwrap();
        let swapped = exchange(&a, &b).unwrap();
        // Linux's file systems for temporary files (tmpfs, ext4, xfs,
        // btrfs, overlayfs) all exchange.
        assert_eq!(swapped, cfg!(all(target_os = "linux", target_env = "gnu")));
        let (at_a, at_b) = if swapped {
            ("old", "new")
        } else {
            ("new", "old")
        };
        assert_eq!(std::fs::read_to_string(&a).unwrap(), at_a);
        assert_eq!(std::fs::read_to_string(&b).unwrap(), at_b);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
