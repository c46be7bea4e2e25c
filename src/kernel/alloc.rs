//! Large result buffers. A fresh buffer is faulted in page by page on its
//! first write; with 4 KiB pages that costs more than the arithmetic of an
//! elementwise operation, so buffers of 4 MiB and more ask the kernel for
//! transparent huge pages, as NumPy does.

/// Buffers at least this large get the huge-page advice.
const HUGE: usize = 4 << 20;

/// An empty vector with room for `n` elements, not yet touched.
pub fn with_capacity<T>(n: usize) -> Vec<T> {
    let v: Vec<T> = Vec::with_capacity(n);
    advise(v.as_ptr().cast(), n * size_of::<T>());
    v
}

/// Whether the system grants `bytes` bytes now: the buffer is reserved
/// (fallibly, so a refusal is an answer and not an abort) and freed at once.
/// A buffer this large is mapped, not touched, so asking costs two system
/// calls and no page faults. Evaluation asks before every large result, so
/// an address-space limit or an impossible request becomes an error.
pub fn grantable(bytes: usize) -> bool {
    let mut probe: Vec<u8> = Vec::new();
    probe.try_reserve_exact(bytes).is_ok()
}

/// The machine's physical memory in bytes, if the system says.
#[cfg(target_os = "linux")]
pub fn physical_memory() -> Option<usize> {
    // SAFETY: sysconf only reads system configuration; both names are
    // valid on every Unix libc supports, and a failure is -1 (checked).
    let (pages, page) = unsafe {
        (
            libc::sysconf(libc::_SC_PHYS_PAGES),
            libc::sysconf(libc::_SC_PAGESIZE),
        )
    };
    if pages <= 0 || page <= 0 {
        return None;
    }
    (pages as usize).checked_mul(page as usize)
}

#[cfg(not(target_os = "linux"))]
pub fn physical_memory() -> Option<usize> {
    None
}

/// `n` copies of `T::default()`, written after the advice.
pub fn filled<T: Clone + Default>(n: usize) -> Vec<T> {
    let mut v = with_capacity(n);
    v.resize(n, T::default());
    v
}

#[cfg(target_os = "linux")]
fn advise(ptr: *const u8, bytes: usize) {
    const PAGE: usize = 2 << 20;
    if bytes < HUGE {
        return;
    }
    let start = (ptr as usize).next_multiple_of(PAGE);
    let end = (ptr as usize + bytes) & !(PAGE - 1);
    if end > start {
        // SAFETY: [start, end) lies inside the allocation of `bytes` bytes at
        // `ptr` (start is rounded up, end rounded down), which this process
        // owns; MADV_HUGEPAGE only changes how the kernel backs the pages and
        // never their contents, so no Rust-visible state changes. A failure
        // (e.g. THP disabled) is harmless and ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_ptr: *const u8, _bytes: usize) {
    let _ = HUGE;
}
