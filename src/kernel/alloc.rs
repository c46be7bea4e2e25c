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
