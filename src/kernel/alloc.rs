//! Large result buffers. A fresh buffer is faulted in page by page on its
//! first write; with 4 KiB pages that costs more than the arithmetic of an
//! elementwise operation, so buffers of 4 MiB and more ask the kernel for
//! transparent huge pages, as NumPy does. The same holds for a buffer a
//! file is read into (`zeroed`, `bytes_mut`).

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

/// Element types for which every bit pattern of their size is a value and
/// which have no padding: zero bytes are a value, and bytes read from a file
/// can be stored into them directly.
///
/// # Safety
/// An implementing type must have no padding bytes and no invalid bit
/// patterns.
pub unsafe trait Plain: Copy {}

// SAFETY: the primitive numbers have no padding and every bit pattern is a
// value (a float's is some number, infinity or NaN).
unsafe impl Plain for f32 {}
// SAFETY: as for f32.
unsafe impl Plain for f64 {}
// SAFETY: as for f32.
unsafe impl Plain for i64 {}
// SAFETY: `Complex` is `#[repr(C)]` of two f64s (16 bytes, alignment 8): no
// padding, and every bit pattern is a pair of floats.
unsafe impl Plain for num_complex::Complex<f64> {}

/// `n` zeros in a buffer the system hands over untouched (a large zeroed
/// allocation is fresh mapped memory, zero without being written), advised
/// for huge pages before any page is faulted in: the buffer a file is read
/// into, so its pages are faulted in once, by the read, 2 MiB at a time, as
/// NumPy's `np.load` does. None if the system refuses the memory.
pub fn zeroed<T: Plain>(n: usize) -> Option<Vec<T>> {
    let layout = std::alloc::Layout::array::<T>(n).ok()?;
    if layout.size() == 0 {
        return Some(Vec::new());
    }
    // SAFETY: the layout's size is not zero (checked above).
    let ptr = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<T>();
    if ptr.is_null() {
        return None;
    }
    advise(ptr.cast(), layout.size());
    // SAFETY: `ptr` comes from the global allocator with the layout of `n`
    // values of T, which is the layout a Vec of capacity `n` frees; all `n`
    // are initialised, as zero bytes are a value of a Plain type.
    Some(unsafe { Vec::from_raw_parts(ptr, n, n) })
}

/// The bytes of plain values, for reading a file's data straight into them.
pub fn bytes_mut<T: Plain>(v: &mut [T]) -> &mut [u8] {
    let len = std::mem::size_of_val(v);
    // SAFETY: the bytes are those of the borrowed slice (same start, its
    // size in bytes) and stay borrowed as long as it; u8 needs no alignment,
    // and whatever bytes are written form values of T, as T is Plain.
    unsafe { std::slice::from_raw_parts_mut(v.as_mut_ptr().cast::<u8>(), len) }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_buffers_are_zero_and_their_bytes_are_theirs() {
        assert!(zeroed::<f64>(0).unwrap().is_empty());
        // Past the huge-page threshold, so the advice is taken too.
        let n = (HUGE / 8) * 3 + 5;
        let mut v = zeroed::<f64>(n).unwrap();
        assert_eq!(v.len(), n);
        assert!(v.iter().all(|x| x.to_bits() == 0));
        let b = bytes_mut(&mut v);
        assert_eq!(b.len(), n * 8);
        b[n * 8 - 8..].copy_from_slice(&1.5f64.to_ne_bytes());
        assert_eq!(v[n - 1], 1.5);
        let mut z = zeroed::<num_complex::Complex<f64>>(3).unwrap();
        bytes_mut(&mut z)[16..32]
            .copy_from_slice(&[(2.0f64).to_ne_bytes(), (-0.0f64).to_ne_bytes()].concat());
        assert_eq!(z[1].re, 2.0);
        assert_eq!(z[1].im.to_bits(), (-0.0f64).to_bits());
        assert!(zeroed::<f64>(usize::MAX / 4).is_none());
    }
}
