//! The words for shape operations' errors (`ops::shape::ShapeFnError`):
//! each variant's facts become one message of the kind the error is.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::shape::ShapeFnError;
use crate::value::{Dim, shape_text};

/// The diagnostic for `err` raised by the built-in `op`.
pub(super) fn diagnostic(op: &str, err: &ShapeFnError) -> Diagnostic {
    let (kind, message) = words(err);
    Diagnostic::error(kind, format!("{op}: {message}"))
}

fn elements_text(n: usize) -> String {
    if n == 1 {
        "1 element".to_string()
    } else {
        format!("{n} elements")
    }
}

/// "cannot reshape 6 elements (2×3) into 4×2", then why.
fn cannot_reshape(from: &[usize], to: &[i64], why: &str) -> (ErrorKind, String) {
    (
        ErrorKind::Shape,
        format!(
            "cannot reshape {} ({}) into {}{why}",
            elements_text(from.iter().product()),
            shape_text(from),
            shape_text(to)
        ),
    )
}

fn words(err: &ShapeFnError) -> (ErrorKind, String) {
    use ShapeFnError as E;
    match err {
        E::ReshapeSize { from, to } => cannot_reshape(from, to, ""),
        E::ReshapeSymbolic { from, to } => {
            let to: Vec<String> = to
                .iter()
                .map(|d| d.as_ref().map_or("-1".to_string(), |d| d.to_string()))
                .collect();
            (
                ErrorKind::Shape,
                format!(
                    "cannot reshape {} ({} elements) into {}",
                    shape_text(from),
                    Dim::product(from).expression(),
                    shape_text(&to)
                ),
            )
        }
        E::ReshapeAmbiguous { from, to } => {
            cannot_reshape(from, to, ": the length of -1 is ambiguous")
        }
        E::ReshapeNotMultiple { from, to, known } => {
            let size: usize = from.iter().product();
            cannot_reshape(from, to, &format!(": {size} is not a multiple of {known}"))
        }
        E::ReshapeSeveralUnknown { to } => (
            ErrorKind::Domain,
            format!(
                "reshape can infer only one length, but {} has several -1",
                shape_text(to)
            ),
        ),
        E::ReshapeNegative { len } => (
            ErrorKind::Domain,
            format!("reshape lengths must be non-negative or -1, got {len}"),
        ),
        E::TransposeAxes { shape, given } => (
            ErrorKind::Domain,
            format!(
                "transpose of a {} array needs {} axes, got {given}",
                shape_text(shape),
                shape.len()
            ),
        ),
        E::TransposeRepeated { axis } => (
            ErrorKind::Domain,
            format!("repeated axis {axis} in transpose"),
        ),
        E::SqueezeLength { axis, shape, len } => (
            ErrorKind::Shape,
            format!(
                "cannot squeeze axis {axis} of a {} array: its length is {len}, not 1",
                shape_text(shape)
            ),
        ),
        E::NoArrays { op } => (ErrorKind::Shape, format!("{op} needs at least one array")),
        E::ConcatScalar => (
            ErrorKind::Shape,
            "cannot concatenate a scalar: concatenate joins arrays along an existing axis"
                .to_string(),
        ),
        E::ConcatNdim { first, other } => (
            ErrorKind::Shape,
            format!(
                "cannot concatenate {} with {}: they have {} and {} axes",
                shape_text(first),
                shape_text(other),
                first.len(),
                other.len()
            ),
        ),
        E::ConcatLength {
            first,
            other,
            axis,
            at,
        } => (
            ErrorKind::Shape,
            format!(
                "cannot concatenate {} with {} along axis {axis}: axis {at} has lengths {} and {}",
                shape_text(first),
                shape_text(other),
                first[*at],
                other[*at]
            ),
        ),
        E::ConcatTooLong => (
            ErrorKind::Limit,
            "the concatenation has too many elements".to_string(),
        ),
        E::StackShape { first, other } => (
            ErrorKind::Shape,
            format!(
                "cannot stack {} with {}: stacked arrays must have the same shape",
                shape_text(first),
                shape_text(other)
            ),
        ),
        E::BroadcastTo { from, to } => (
            ErrorKind::Shape,
            format!(
                "cannot broadcast {} to {}",
                shape_text(from),
                shape_text(to)
            ),
        ),
        E::DiagTooLarge { n, k } => (
            ErrorKind::Limit,
            format!("diag of a {n}-vector with offset {k} would be too large"),
        ),
        E::DiagNdim { shape } => (
            ErrorKind::Shape,
            format!("diag needs a vector or a matrix, got {}", shape_text(shape)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Dim;

    fn dims(s: &[usize]) -> Vec<Dim> {
        s.iter().map(|&n| Dim::Known(n)).collect()
    }

    #[test]
    fn every_variant_in_words() {
        use ShapeFnError as E;
        let (shape, domain, limit) = (ErrorKind::Shape, ErrorKind::Domain, ErrorKind::Limit);
        let cases = [
            (
                E::ReshapeSize {
                    from: vec![2, 3],
                    to: vec![4, 2],
                },
                shape,
                "f: cannot reshape 6 elements (2×3) into 4×2",
            ),
            (
                E::ReshapeSize {
                    from: vec![],
                    to: vec![2],
                },
                shape,
                "f: cannot reshape 1 element (scalar) into 2",
            ),
            (
                E::ReshapeAmbiguous {
                    from: vec![0],
                    to: vec![-1, 0],
                },
                shape,
                "f: cannot reshape 0 elements (0) into -1×0: the length of -1 is ambiguous",
            ),
            (
                E::ReshapeNotMultiple {
                    from: vec![2, 3],
                    to: vec![-1, 4],
                    known: 4,
                },
                shape,
                "f: cannot reshape 6 elements (2×3) into -1×4: 6 is not a multiple of 4",
            ),
            (
                E::ReshapeSeveralUnknown { to: vec![-1, -1] },
                domain,
                "f: reshape can infer only one length, but -1×-1 has several -1",
            ),
            (
                E::ReshapeNegative { len: -2 },
                domain,
                "f: reshape lengths must be non-negative or -1, got -2",
            ),
            (
                E::TransposeAxes {
                    shape: dims(&[2, 3]),
                    given: 1,
                },
                domain,
                "f: transpose of a 2×3 array needs 2 axes, got 1",
            ),
            (
                E::TransposeRepeated { axis: 0 },
                domain,
                "f: repeated axis 0 in transpose",
            ),
            (
                E::SqueezeLength {
                    axis: 1,
                    shape: dims(&[1, 3, 1]),
                    len: 3,
                },
                shape,
                "f: cannot squeeze axis 1 of a 1×3×1 array: its length is 3, not 1",
            ),
            (
                E::NoArrays { op: "stack" },
                shape,
                "f: stack needs at least one array",
            ),
            (
                E::ConcatScalar,
                shape,
                "f: cannot concatenate a scalar: concatenate joins arrays along an existing axis",
            ),
            (
                E::ConcatNdim {
                    first: dims(&[2, 3]),
                    other: dims(&[2]),
                },
                shape,
                "f: cannot concatenate 2×3 with 2: they have 2 and 1 axes",
            ),
            (
                E::ConcatLength {
                    first: dims(&[2, 3]),
                    other: dims(&[3, 2]),
                    axis: -1,
                    at: 0,
                },
                shape,
                "f: cannot concatenate 2×3 with 3×2 along axis -1: axis 0 has lengths 2 and 3",
            ),
            (
                E::ConcatTooLong,
                limit,
                "f: the concatenation has too many elements",
            ),
            (
                E::StackShape {
                    first: dims(&[2]),
                    other: dims(&[3]),
                },
                shape,
                "f: cannot stack 2 with 3: stacked arrays must have the same shape",
            ),
            (
                E::BroadcastTo {
                    from: dims(&[2]),
                    to: vec![3, 3],
                },
                shape,
                "f: cannot broadcast 2 to 3×3",
            ),
            (
                E::DiagTooLarge { n: 2, k: i64::MAX },
                limit,
                "f: diag of a 2-vector with offset 9223372036854775807 would be too large",
            ),
            (
                E::DiagNdim { shape: vec![] },
                shape,
                "f: diag needs a vector or a matrix, got scalar",
            ),
        ];
        for (err, kind, message) in cases {
            let d = diagnostic("f", &err);
            assert_eq!((d.kind, d.message), (kind, message.to_string()));
        }
    }
}
