//! The memory check every operation passes before its result is allocated:
//! the per-array cap, the workspace budget (every variable together plus
//! the new result) and the system's own answer, asked fallibly, so running
//! out of memory is an error and the workspace survives it.

use std::collections::HashSet;
use std::rc::Rc;

use super::{Evaluator, fits};
use crate::ops::OpResult;
use crate::ops::limits::{self, WEIGH_FROM};
use crate::value::Kind;
use crate::value::Value;

/// How many variables a budget error names.
const NAMED: usize = 3;

impl Evaluator {
    /// Whether a predicted result may be made now. The checker (shape-only
    /// mode) allocates nothing, so only the per-array cap applies there.
    pub(super) fn admit(&self, predicted: &Kind) -> OpResult<()> {
        self.admit_with(predicted, 0)
    }

    /// As `admit`, for a result whose kernel also works in `scratch` bytes
    /// of temporaries beside it (a sort's permutation, a factorization's
    /// copy, an index table): both must fit the budget and be granted at
    /// once, or the kernel's own allocation would be the one refused, and
    /// that one aborts.
    pub(super) fn admit_with(&self, predicted: &Kind, scratch: usize) -> OpResult<()> {
        fits(predicted, &self.limits)?;
        if self.shape_only {
            return Ok(());
        }
        self.weigh(predicted, scratch)
    }

    fn weigh(&self, predicted: &Kind, scratch: usize) -> OpResult<()> {
        match predicted {
            Kind::Array(m) => {
                // A small result (every result of a statement-sized loop)
                // is decided without building its shape.
                if m.elements()
                    .and_then(|n| n.checked_mul(m.dtype.size()))
                    .is_some_and(|b| b < WEIGH_FROM)
                {
                    return Ok(());
                }
                let Some(shape) = m.concrete() else {
                    return Ok(());
                };
                if limits::bytes_of(&shape, m.dtype).saturating_add(scratch) < WEIGH_FROM {
                    return Ok(());
                }
                limits::check_budget(
                    &shape,
                    m.dtype,
                    scratch,
                    self.held_bytes(),
                    &self.limits,
                    || self.largest_variables(),
                )
            }
            // The scratch goes with the first part (a factorization's parts
            // are made together).
            Kind::Tuple(parts) => parts
                .iter()
                .enumerate()
                .try_for_each(|(i, (_, p))| self.weigh(p, if i == 0 { scratch } else { 0 })),
            _ => Ok(()),
        }
    }

    /// The bytes every variable holds, each shared value counted once
    /// (`B = A` shares A's data).
    pub fn held_bytes(&self) -> usize {
        let mut seen = HashSet::new();
        self.vars
            .values()
            .filter(|v| seen.insert(Rc::as_ptr(v)))
            .map(|v| value_bytes(v))
            .fold(0usize, usize::saturating_add)
    }

    /// The largest variables, biggest first, with their bytes.
    fn largest_variables(&self) -> Vec<(String, usize)> {
        let mut all: Vec<(String, usize)> = self
            .vars
            .iter()
            .map(|(n, v)| (n.clone(), value_bytes(v)))
            .filter(|(_, b)| *b > 0)
            .collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(NAMED);
        all
    }
}

/// The temporary bytes built-in `name` makes beside its result, from the
/// largest array among its arguments (`args`). Only kernels whose
/// temporaries grow with their input are listed; the rest make none or a
/// few fixed blocks (matmul's packing panels are bounded by the block
/// sizes, not by the matrices).
pub(super) fn scratch_of<'a>(name: &str, args: impl Iterator<Item = &'a Value>) -> usize {
    let mut elements = 0usize;
    let mut bytes = 0usize;
    for v in args {
        if let Value::Array(a) = v {
            elements = elements.max(a.len());
            bytes = bytes.max(a.nbytes());
        }
    }
    match name {
        // A flat copy, two complex copies (16 B an element each), the index
        // vector and its sort buffer (8 + 4), the permutation (8).
        "sort" | "argsort" | "unique" => elements.saturating_mul(52).saturating_add(bytes),
        // faer factors a float64 or complex copy in place and keeps the
        // factors and a workspace: about three copies of the input.
        "inv" | "pinv" | "solve" | "lstsq" | "det" | "slogdet" | "svd" | "eig" | "eigh"
        | "eigvals" | "eigvalsh" | "qr" | "cholesky" | "lu" | "matrix_rank" | "cond" => {
            bytes.saturating_mul(3)
        }
        _ => 0,
    }
}

/// The bytes of array data a value holds.
fn value_bytes(v: &Value) -> usize {
    match v {
        Value::Array(a) => a.nbytes(),
        Value::Tuple(parts) => parts
            .iter()
            .map(|(_, p)| value_bytes(p))
            .fold(0, usize::saturating_add),
        _ => 0,
    }
}
