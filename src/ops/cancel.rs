//! Cooperative cancellation: long kernels call `check()` between blocks, so a
//! Ctrl-C (which calls `request()`) stops them within milliseconds without
//! killing the process or losing the workspace.

use std::sync::atomic::{AtomicBool, Ordering};

use super::error::{OpError, OpResult};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Asks running kernels to stop (safe to call from a signal handler thread).
pub fn request() {
    REQUESTED.store(true, Ordering::Relaxed);
}

/// Clears a request before the next statement runs.
pub fn reset() {
    REQUESTED.store(false, Ordering::Relaxed);
}

pub fn is_requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// `Err(Interrupted)` once a stop was requested.
pub fn check() -> OpResult<()> {
    if is_requested() {
        Err(OpError::Interrupted)
    } else {
        Ok(())
    }
}
