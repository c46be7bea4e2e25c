//! The words for pictures' refusals (`ops::plot::PlotError`): what was
//! given, what each plotting function takes, and the fix that works.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::plot::{MAX_BINS, MAX_SERIES, PlotError, Wanted};
use crate::value::shape_text;

/// The diagnostic for `err` raised by the built-in `op`.
pub(super) fn diagnostic(op: &str, err: &PlotError) -> Diagnostic {
    use PlotError as E;
    match err {
        E::Empty { shape } => Diagnostic::error(
            ErrorKind::Shape,
            format!(
                "{op}: nothing to draw: the array is empty ({})",
                shape_text(shape)
            ),
        ),
        E::Rank { shape, wanted } => {
            let (want, help) = match wanted {
                Wanted::VectorOrMatrix => (
                    "a vector, or a matrix whose columns are series",
                    "plot one 2-D slice, e.g. plot(A[0]), or flatten(A) for one long series",
                ),
                Wanted::Vector => (
                    "a vector",
                    "flatten(x) makes a vector of any array",
                ),
                Wanted::Matrix => (
                    "a matrix",
                    "reshape(x, [1, -1]) shows a vector as one row; A[0] is one 2-D slice of a 3-D array",
                ),
            };
            let d = Diagnostic::error(
                ErrorKind::Shape,
                format!(
                    "{op}: takes {want}, got a {}-D array ({})",
                    shape.len(),
                    shape_text(shape)
                ),
            );
            d.help(help)
        }
        E::Complex => Diagnostic::error(
            ErrorKind::Type,
            format!("{op}: complex numbers cannot be placed on an axis"),
        )
        .help("plot real(z), imag(z) or abs(z), or scatter(real(z), imag(z))"),
        E::Lengths { x, y, .. } => Diagnostic::error(
            ErrorKind::Shape,
            format!(
                "{op}: x has {} points but y has {} (shapes {} and {})",
                x[0],
                y[0],
                shape_text(x),
                shape_text(y)
            ),
        )
        .note("rule: x is a vector of n points; each y has n points (a matrix y has n rows, one series per column)"),
        E::TooManySeries { count, shape } => {
            let d = Diagnostic::error(
                ErrorKind::Shape,
                format!("{op}: {count} series is more than {MAX_SERIES}"),
            )
            .note("each column of a matrix is one series, as in matplotlib");
            if shape.len() == 2 {
                d.help(transpose_help(op, "Y"))
            } else {
                d
            }
        }
        E::Bins { bins } => Diagnostic::error(
            ErrorKind::Domain,
            format!("{op}: bins must be from 1 to {MAX_BINS}, got {bins}"),
        ),
        E::Size {
            keyword,
            value,
            min,
            max,
        } => Diagnostic::error(
            ErrorKind::Domain,
            format!("{op}: {keyword} must be from {min} to {max}, got {value}"),
        ),
    }
}

/// The fix for a matrix meant as rows of series, with its text as written.
pub fn transpose_help(op: &str, text: &str) -> String {
    format!(
        "to draw the rows as series instead, transpose it: {op}({}')",
        super::atom(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Dim;

    #[test]
    fn lengths_name_both_shapes() {
        let d = diagnostic(
            "plot",
            &PlotError::Lengths {
                x: vec![Dim::Known(5)],
                y: vec![Dim::Known(4), Dim::Known(2)],
                x_arg: 0,
            },
        );
        assert_eq!(d.kind, ErrorKind::Shape);
        assert_eq!(
            d.message,
            "plot: x has 5 points but y has 4 (shapes 5 and 4×2)"
        );
    }
}
