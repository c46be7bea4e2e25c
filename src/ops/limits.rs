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

/// The workspace budget's default share of physical memory, in percent:
/// what is left is for the system, the program and the statement's own
/// temporaries, so the kernel's out-of-memory killer never meets a session.
pub const WORKSPACE_SHARE: usize = 70;

/// Results smaller than this are not weighed against the workspace budget
/// (nor asked of the system first): they cannot change the answer much,
/// and the sum over the workspace is then not taken on every small step.
pub const WEIGH_FROM: usize = 1 << 20;

/// The default workspace budget: `WORKSPACE_SHARE` percent of physical
/// memory, or no budget beyond the per-array cap when the system is silent.
pub fn default_workspace() -> usize {
    match crate::kernel::alloc::physical_memory() {
        Some(m) => m / 100 * WORKSPACE_SHARE,
        None => usize::MAX,
    }
}

/// A session's limits: the bytes of one array (`--max-memory`), the bytes
/// of every variable together plus the result being made (`--max-memory`
/// too; by default a share of physical memory), the deepest nesting the
/// parser accepts (`--max-depth`) and the parser's steps per input
/// (`--max-parse-steps`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_workspace: usize,
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
            max_workspace: default_workspace(),
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
    let elements = m.elements();
    if let Some(n) = elements
        && n > 0
        && n.checked_mul(m.dtype.size())
            .is_some_and(|b| b <= limits.max_bytes)
    {
        return Ok(());
    }
    match m.concrete() {
        Some(shape) => {
            // An empty array takes no memory, but ndarray still counts its
            // other axes (`0×10^10×10^10` would panic there): the bound
            // every rule's prediction meets, whichever rule made it.
            if shape.contains(&0) {
                super::construct::fits(m)?;
            }
            check_alloc(&shape, m.dtype, limits)
        }
        None => Ok(()),
    }
}

/// The bytes of an array of `shape` and `dtype` (saturating: too many to
/// count is as good as too many).
pub fn bytes_of(shape: &[usize], dtype: DType) -> usize {
    shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .and_then(|n| n.checked_mul(dtype.size()))
        .unwrap_or(usize::MAX)
}

/// Checks that the workspace, holding `held` bytes, may take a new array of
/// `shape` and `dtype` and the `scratch` bytes its kernel works in beside it
/// under its budget, and that the system grants both at once now (a refusal
/// is an error, never an abort). `largest` names the biggest variables for
/// the error; it is asked only on refusal.
pub fn check_budget(
    shape: &[usize],
    dtype: DType,
    scratch: usize,
    held: usize,
    limits: &Limits,
    largest: impl FnOnce() -> Vec<(String, usize)>,
) -> OpResult<()> {
    let bytes = bytes_of(shape, dtype).saturating_add(scratch);
    if bytes < WEIGH_FROM {
        return Ok(());
    }
    if held.saturating_add(bytes) > limits.max_workspace {
        return Err(OpError::Budget {
            shape: shape.to_vec(),
            dtype,
            scratch,
            held,
            budget: limits.max_workspace,
            largest: largest(),
        });
    }
    if !crate::kernel::alloc::grantable(bytes) {
        return Err(OpError::OutOfMemory {
            shape: shape.to_vec(),
            dtype,
            scratch,
        });
    }
    Ok(())
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

    #[test]
    fn the_budget_counts_what_the_workspace_holds() {
        let limits = Limits {
            max_workspace: 10 << 20,
            ..Limits::default()
        };
        let mib = [1 << 17]; // 1 MiB of float64
        let none = Vec::new;
        assert!(check_budget(&mib, DType::Float64, 0, 9 << 20, &limits, none).is_ok());
        let refused = check_budget(&mib, DType::Float64, 0, (9 << 20) + 1, &limits, || {
            vec![("A".to_string(), 9 << 20)]
        });
        match refused {
            Err(OpError::Budget { held, largest, .. }) => {
                assert_eq!(held, (9 << 20) + 1);
                assert_eq!(largest[0].0, "A");
            }
            other => panic!("expected a budget error, got {other:?}"),
        }
        // Working memory counts with the result: 1 MiB of result and 1 MiB
        // of scratch do not fit beside 9 MiB in 10.
        assert!(matches!(
            check_budget(&mib, DType::Float64, 1 << 20, 9 << 20, &limits, none),
            Err(OpError::Budget { scratch, .. }) if scratch == 1 << 20
        ));
        // Small results are never weighed.
        assert!(check_budget(&[8], DType::Float64, 0, usize::MAX, &limits, none).is_ok());
    }

    #[test]
    fn a_request_no_system_grants_is_an_error_not_an_abort() {
        let limits = Limits {
            max_workspace: usize::MAX,
            ..Limits::default()
        };
        // 2^60 bytes: more than any address space maps.
        let huge = [1usize << 57];
        assert_eq!(
            check_budget(&huge, DType::Float64, 0, 0, &limits, Vec::new),
            Err(OpError::OutOfMemory {
                shape: huge.to_vec(),
                dtype: DType::Float64,
                scratch: 0
            })
        );
    }
}
