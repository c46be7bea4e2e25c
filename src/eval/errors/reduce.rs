//! Words for the refusals of reductions (`ops::reduce::ReduceError`): the
//! facts come from the rule, the English (NumPy's own) is written here.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::reduce::{Reduce, ReduceError};

/// The diagnostic for a reduction `op` that refused its operand.
pub fn diagnostic(op: &str, err: &ReduceError) -> Diagnostic {
    let text = match err {
        ReduceError::Empty {
            kind: kind @ (Reduce::ArgMin | Reduce::ArgMax),
        } => format!("attempt to get {} of an empty sequence", kind.name()),
        ReduceError::Empty { kind } => format!(
            "zero-size array to reduction operation {} which has no identity",
            kind.name()
        ),
    };
    Diagnostic::error(ErrorKind::Shape, format!("{op}: {text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_reductions_read_like_numpy() {
        let d = diagnostic("min", &ReduceError::Empty { kind: Reduce::Min });
        assert_eq!(d.kind, ErrorKind::Shape);
        assert_eq!(
            d.message,
            "min: zero-size array to reduction operation min which has no identity"
        );
        let d = diagnostic(
            "argmax",
            &ReduceError::Empty {
                kind: Reduce::ArgMax,
            },
        );
        assert_eq!(
            d.message,
            "argmax: attempt to get argmax of an empty sequence"
        );
    }
}
