//! The words for `ops::linalg`'s typed refusals (`LinalgError`): which kind
//! of error each is, its message, and the fuller diagnostic of a singular
//! matrix. The ops layer keeps only the facts.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::linalg::{LinalgError, NormOrd};
use crate::syntax::Span;
use crate::value::{float_repr, shape_text};

/// The diagnostic for `err` raised by `op` (a built-in's name, or `solve`
/// for `A \ b`).
pub(super) fn diagnostic(op: &str, err: &LinalgError) -> Diagnostic {
    Diagnostic::error(kind(err), format!("{op}: {}", message(err)))
}

/// Shape errors for operands that do not fit; domain errors for values and
/// options.
fn kind(err: &LinalgError) -> ErrorKind {
    use LinalgError::*;
    match err {
        NotMatrix { .. }
        | NotSquare { .. }
        | NotTwoD { .. }
        | LstsqMatrix { .. }
        | LstsqRows { .. }
        | SolveScalar
        | SolveRows { .. }
        | SolveBatch { .. }
        | NormNeedsAxes { .. } => ErrorKind::Shape,
        QrMode { .. }
        | NormAxesEqual
        | NormAxisCount { .. }
        | NotVectorNorm { .. }
        | NotMatrixNorm { .. }
        | CondOrd { .. }
        | Singular { .. }
        | NotFinite { .. }
        | NotPositiveDefinite { .. } => ErrorKind::Domain,
    }
}

const MATRIX_NORMS: &str = "use 1, -1, 2, -2, inf, -inf, \"fro\" or \"nuc\"";

/// The message after the operation's name.
pub fn message(err: &LinalgError) -> String {
    use LinalgError::*;
    match err {
        NotMatrix { op, shape } => {
            let what = match shape.first() {
                None => "a scalar".to_string(),
                Some(n) => format!("a vector of {n}"),
            };
            format!("{op} needs a matrix (or a stack of matrices), got {what}")
        }
        NotSquare { op, rows, cols } => format!(
            "{op} needs a square matrix, got {}",
            shape_text(&[rows.clone(), cols.clone()])
        ),
        NotTwoD { op, shape } => {
            format!("{op} needs a matrix, got shape {}", shape_text(shape))
        }
        LstsqMatrix { shape } => format!("A must be a matrix, got shape {}", shape_text(shape)),
        LstsqRows { a, b } => format!(
            "b must have {} rows like A ({}), got shape {}",
            a[0],
            shape_text(a),
            shape_text(b)
        ),
        SolveScalar => "b must be a vector or a matrix, got a scalar".to_string(),
        SolveRows { n, rows } => format!(
            "A is {} but b has {rows} rows: b needs one row per row of A ({n})",
            shape_text(&[n.clone(), n.clone()])
        ),
        SolveBatch { a, b } => format!(
            "batch axes {} of A and {} of b do not broadcast",
            shape_text(a),
            shape_text(b)
        ),
        QrMode { mode } => {
            format!("mode must be \"reduced\", \"complete\" or \"r\", got \"{mode}\"")
        }
        NormAxesEqual => "the two axes of a matrix norm must differ".to_string(),
        NormAxisCount { .. } => {
            "axis must be one axis (a vector norm) or two (a matrix norm)".to_string()
        }
        NormNeedsAxes { ord, shape } => format!(
            "ord={} needs a vector or a matrix, got shape {}; give axis= to pick the axes",
            ord_text(*ord),
            shape_text(shape)
        ),
        NotVectorNorm { ord } => format!(
            "ord={} is a matrix norm; for vectors use 2 (or 1, inf, -inf, 0, any p)",
            ord_text(*ord)
        ),
        NotMatrixNorm { ord } => {
            format!(
                "ord={} is not a matrix norm; {MATRIX_NORMS}",
                ord_text(*ord)
            )
        }
        CondOrd { p } => format!("p={} is not a matrix norm; {MATRIX_NORMS}", ord_text(*p)),
        Singular { rank, n, index } => format!(
            "matrix is singular: rank {rank} < {n}{}",
            where_in_batch(index)
        ),
        NotFinite { index } => format!(
            "the matrix contains nan or infinity{}",
            where_in_batch(index)
        ),
        NotPositiveDefinite { index } => {
            format!("matrix is not positive definite{}", where_in_batch(index))
        }
    }
}

/// An order as the user writes it: `none`, `"fro"`, `inf`, `3.0`.
fn ord_text(ord: NormOrd) -> String {
    match ord {
        NormOrd::Default => "none".into(),
        NormOrd::Fro => "\"fro\"".into(),
        NormOrd::Nuc => "\"nuc\"".into(),
        NormOrd::P(p) if p.is_infinite() => if p > 0.0 { "inf" } else { "-inf" }.into(),
        NormOrd::P(p) => float_repr(p),
    }
}

/// Which matrix of a batch, or nothing for a single matrix.
fn where_in_batch(index: &[usize]) -> String {
    if index.is_empty() {
        String::new()
    } else {
        format!(" (the matrix at batch index {})", super::index_text(index))
    }
}

/// A singular matrix given to a built-in: blamed on the call (the
/// operation that cannot be done) with the matrix underlined, and the
/// functions that do work. `None` for any other error.
pub fn singular_error(
    name: &str,
    err: &LinalgError,
    call: Span,
    matrix: Span,
    matrix_label: String,
) -> Option<Diagnostic> {
    let LinalgError::Singular { .. } = err else {
        return None;
    };
    Some(
        Diagnostic::error(ErrorKind::Domain, format!("{name}: {}", message(err)))
            .primary(call, "singular")
            .secondary(matrix, matrix_label)
            .note("a singular matrix has no inverse and A x = b has no unique solution")
            .help("pinv(A) gives the pseudo-inverse and lstsq(A, b) a least-squares solution"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Dim;

    fn text(op: &str, err: LinalgError) -> (ErrorKind, String) {
        let d = diagnostic(op, &err);
        (d.kind, d.message)
    }

    #[test]
    fn shape_refusals_read_as_before() {
        let k = |n| Dim::Known(n);
        let cases = [
            (
                text(
                    "det",
                    LinalgError::NotMatrix {
                        op: "det",
                        shape: vec![k(2)],
                    },
                ),
                "det: det needs a matrix (or a stack of matrices), got a vector of 2",
            ),
            (
                text(
                    "eigvals",
                    LinalgError::NotMatrix {
                        op: "eigvals",
                        shape: vec![],
                    },
                ),
                "eigvals: eigvals needs a matrix (or a stack of matrices), got a scalar",
            ),
            (
                text(
                    "inv",
                    LinalgError::NotSquare {
                        op: "inv",
                        rows: Dim::Known(2),
                        cols: Dim::Known(3),
                    },
                ),
                "inv: inv needs a square matrix, got 2×3",
            ),
            (
                text(
                    "orth",
                    LinalgError::NotTwoD {
                        op: "orth",
                        shape: vec![k(2), k(2), k(2)],
                    },
                ),
                "orth: orth needs a matrix, got shape 2×2×2",
            ),
            (
                text("lstsq", LinalgError::LstsqMatrix { shape: vec![k(3)] }),
                "lstsq: A must be a matrix, got shape 3",
            ),
            (
                text(
                    "lstsq",
                    LinalgError::LstsqRows {
                        a: vec![k(3), k(2)],
                        b: vec![k(2)],
                    },
                ),
                "lstsq: b must have 3 rows like A (3×2), got shape 2",
            ),
            (
                text("solve", LinalgError::SolveScalar),
                "solve: b must be a vector or a matrix, got a scalar",
            ),
            (
                text(
                    "solve",
                    LinalgError::SolveRows {
                        n: Dim::Known(2),
                        rows: Dim::Known(3),
                    },
                ),
                "solve: A is 2×2 but b has 3 rows: b needs one row per row of A (2)",
            ),
            (
                text(
                    "solve",
                    LinalgError::SolveBatch {
                        a: vec![k(2)],
                        b: vec![k(3)],
                    },
                ),
                "solve: batch axes 2 of A and 3 of b do not broadcast",
            ),
            (
                text(
                    "norm",
                    LinalgError::NormNeedsAxes {
                        ord: NormOrd::P(1.0),
                        shape: vec![k(2), k(2), k(2)],
                    },
                ),
                "norm: ord=1.0 needs a vector or a matrix, got shape 2×2×2; give axis= to pick the axes",
            ),
        ];
        for ((kind, got), want) in cases {
            assert_eq!(kind, ErrorKind::Shape, "{want}");
            assert_eq!(got, want);
        }
    }

    #[test]
    fn value_and_option_refusals_read_as_before() {
        let cases = [
            (
                text("qr", LinalgError::QrMode { mode: "raw".into() }),
                "qr: mode must be \"reduced\", \"complete\" or \"r\", got \"raw\"",
            ),
            (
                text("norm", LinalgError::NormAxesEqual),
                "norm: the two axes of a matrix norm must differ",
            ),
            (
                text("norm", LinalgError::NormAxisCount { count: 3 }),
                "norm: axis must be one axis (a vector norm) or two (a matrix norm)",
            ),
            (
                text("norm", LinalgError::NotVectorNorm { ord: NormOrd::Nuc }),
                "norm: ord=\"nuc\" is a matrix norm; for vectors use 2 (or 1, inf, -inf, 0, any p)",
            ),
            (
                text(
                    "norm",
                    LinalgError::NotMatrixNorm {
                        ord: NormOrd::P(3.0),
                    },
                ),
                "norm: ord=3.0 is not a matrix norm; use 1, -1, 2, -2, inf, -inf, \"fro\" or \"nuc\"",
            ),
            (
                text(
                    "cond",
                    LinalgError::CondOrd {
                        p: NormOrd::P(f64::NAN),
                    },
                ),
                "cond: p=nan is not a matrix norm; use 1, -1, 2, -2, inf, -inf, \"fro\" or \"nuc\"",
            ),
            (
                text(
                    "inv",
                    LinalgError::Singular {
                        rank: 1,
                        n: 2,
                        index: vec![1, 0],
                    },
                ),
                "inv: matrix is singular: rank 1 < 2 (the matrix at batch index [1, 0])",
            ),
            (
                text("svd", LinalgError::NotFinite { index: vec![] }),
                "svd: the matrix contains nan or infinity",
            ),
            (
                text(
                    "cholesky",
                    LinalgError::NotPositiveDefinite { index: vec![2] },
                ),
                "cholesky: matrix is not positive definite (the matrix at batch index [2])",
            ),
        ];
        for ((kind, got), want) in cases {
            assert_eq!(kind, ErrorKind::Domain, "{want}");
            assert_eq!(got, want);
        }
    }

    #[test]
    fn orders_read_as_written() {
        assert_eq!(ord_text(NormOrd::Default), "none");
        assert_eq!(ord_text(NormOrd::Fro), "\"fro\"");
        assert_eq!(ord_text(NormOrd::P(f64::INFINITY)), "inf");
        assert_eq!(ord_text(NormOrd::P(f64::NEG_INFINITY)), "-inf");
        assert_eq!(ord_text(NormOrd::P(0.5)), "0.5");
    }

    #[test]
    fn only_a_singular_matrix_gets_the_fuller_diagnostic() {
        let s = Span { start: 0, end: 3 };
        let singular = LinalgError::Singular {
            rank: 0,
            n: 3,
            index: vec![],
        };
        let d = singular_error("inv", &singular, s, s, "3×3".into()).expect("singular");
        assert_eq!(d.message, "inv: matrix is singular: rank 0 < 3");
        assert!(
            singular_error(
                "inv",
                &LinalgError::NotFinite { index: vec![] },
                s,
                s,
                String::new()
            )
            .is_none()
        );
    }
}
