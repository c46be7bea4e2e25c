//! Cooperative cancellation: long kernels check the `CancelToken` of their
//! `Exec` between blocks, so a Ctrl-C (which trips the session's token)
//! stops them within milliseconds without killing the process or losing the
//! workspace. The token itself lives in `kernel::exec`; this gives its
//! `Interrupted` the operations' error type.

pub use crate::kernel::exec::{CancelToken, Interrupted};

use super::error::OpError;

impl From<Interrupted> for OpError {
    fn from(_: Interrupted) -> OpError {
        OpError::Interrupted
    }
}
