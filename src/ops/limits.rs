//! Resource limits checked before allocating, so `zeros(1e6, 1e6)` is refused
//! with a message instead of aborting the process. The limits belong to a
//! session (the command line sets them there) and are passed down, never
//! read from globals.

use super::error::{OpError, OpResult};
use crate::syntax::{MAX_NESTING, PARSER_CALL_LIMIT, ParseLimits};
use crate::value::DType;

/// Default cap on the bytes of one array: 4 GiB.
pub const DEFAULT_MAX_BYTES: usize = 4 << 30;

/// Default for the deepest nesting of function calls (Python's default).
pub const DEFAULT_MAX_RECURSION: usize = 1000;

/// A session's limits: the bytes of one array (`--max-memory`), the deepest
/// nesting the parser accepts (`--max-depth`) and the parser's steps per
/// input (`--max-parse-steps`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_parse_steps: usize,
    /// Deepest nesting of user-function calls (`--max-recursion`).
    pub max_recursion: usize,
    /// Statements and loop iterations one entry may run (`--max-steps`;
    /// unlimited by default, set by the fuzzer and tests).
    pub max_steps: u64,
    /// `--sandbox`: the language touches no file (load, save and the
    /// `:load`/`:save` commands are refused).
    pub sandbox: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: MAX_NESTING,
            max_parse_steps: PARSER_CALL_LIMIT,
            max_recursion: DEFAULT_MAX_RECURSION,
            max_steps: u64::MAX,
            sandbox: false,
        }
    }
}

impl Limits {
    /// The part of the limits the parser needs.
    pub fn parse_limits(&self) -> ParseLimits {
        ParseLimits {
            max_depth: self.max_depth,
            max_steps: self.max_parse_steps,
        }
    }
}

/// Checks that an array of `shape` and `dtype` may be allocated.
pub fn check_alloc(shape: &[usize], dtype: DType, limits: &Limits) -> OpResult<()> {
    let max_bytes = limits.max_bytes;
    let elements = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    let bytes = elements.and_then(|n| n.checked_mul(dtype.size()));
    match bytes {
        Some(b) if b <= max_bytes => Ok(()),
        _ => Err(OpError::Limit {
            shape: shape.to_vec(),
            dtype,
            max_bytes,
            arg: None,
        }),
    }
}

/// Checks that a predicted result may be allocated. Unknown axes (decided
/// by the data) are bounded by their inputs and count as 0 here.
pub fn check_meta(m: &crate::value::Meta, limits: &Limits) -> OpResult<()> {
    // The common case without building a shape: it fits.
    if let Some(n) = m.elements()
        && n.checked_mul(m.dtype.size())
            .is_some_and(|b| b <= limits.max_bytes)
    {
        return Ok(());
    }
    match m.concrete() {
        Some(shape) => check_alloc(&shape, m.dtype, limits),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_the_one_passed_in() {
        let small = Limits {
            max_bytes: 64,
            ..Limits::default()
        };
        assert!(check_alloc(&[8], DType::Float64, &small).is_ok());
        assert!(check_alloc(&[9], DType::Float64, &small).is_err());
        assert!(check_alloc(&[9], DType::Float64, &Limits::default()).is_ok());
    }
}
