//! Resource limits checked before allocating, so `zeros(1e6, 1e6)` is refused
//! with a message instead of aborting the process. The limits are process-wide
//! settings (the command line can change them).

use std::sync::atomic::{AtomicUsize, Ordering};

use super::error::{OpError, OpResult};
use crate::value::{DType, bytes_text};

/// Default cap on the bytes of one array: 4 GiB.
pub const DEFAULT_MAX_BYTES: usize = 4 << 30;

static MAX_BYTES: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_BYTES);

pub fn set_max_bytes(bytes: usize) {
    MAX_BYTES.store(bytes, Ordering::Relaxed);
}

pub fn max_bytes() -> usize {
    MAX_BYTES.load(Ordering::Relaxed)
}

/// Checks that an array of `shape` and `dtype` may be allocated.
pub fn check_alloc(shape: &[usize], dtype: DType) -> OpResult<()> {
    let elements = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    let bytes = elements.and_then(|n| n.checked_mul(dtype.size()));
    match bytes {
        Some(b) if b <= max_bytes() => Ok(()),
        _ => {
            let need: f64 = shape.iter().map(|&d| d as f64).product::<f64>() * dtype.size() as f64;
            Err(OpError::Limit {
                message: format!(
                    "a {} {dtype} array would need {}; the limit is {} (--max-memory)",
                    crate::value::shape_text(shape),
                    bytes_text(need),
                    bytes_text(max_bytes() as f64)
                ),
                arg: None,
            })
        }
    }
}

/// Checks that a predicted result may be allocated. Unknown axes (decided
/// by the data) are bounded by their inputs and count as 0 here.
pub fn check_meta(m: &crate::value::Meta) -> OpResult<()> {
    match m.concrete() {
        Some(shape) => check_alloc(&shape, m.dtype),
        None => Ok(()),
    }
}
