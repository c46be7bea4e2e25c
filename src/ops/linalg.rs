//! Linear algebra (numpy.linalg). Placeholder until the linear-algebra work
//! lands: only the entry point the `\` operator needs.

use super::error::{OpError, OpResult};
use crate::eval::Array;

/// `A \ b`: the x with A x = b.
pub fn solve(_a: &Array, _b: &Array) -> OpResult<Array> {
    Err(OpError::domain("solve is not available yet"))
}
