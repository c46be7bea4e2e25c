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
        fits(predicted, &self.limits)?;
        if self.shape_only {
            return Ok(());
        }
        self.weigh(predicted)
    }

    fn weigh(&self, predicted: &Kind) -> OpResult<()> {
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
                if limits::bytes_of(&shape, m.dtype) < WEIGH_FROM {
                    return Ok(());
                }
                limits::check_budget(&shape, m.dtype, self.held_bytes(), &self.limits, || {
                    self.largest_variables()
                })
            }
            Kind::Tuple(parts) => parts.iter().try_for_each(|(_, p)| self.weigh(p)),
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
