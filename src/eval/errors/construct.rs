//! The words for constructors' errors (`ops::construct::ConstructError`):
//! each variant's facts become one message of the kind the error is.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::construct::ConstructError;
use crate::value::shape_text;

/// The diagnostic for `err` raised by the built-in `op`.
pub(super) fn diagnostic(op: &str, err: &ConstructError) -> Diagnostic {
    let (kind, message) = words(err);
    Diagnostic::error(kind, format!("{op}: {message}"))
}

/// Floats as NumPy prints them in messages (`nan`, `inf`, `0.5`).
fn num_text(x: f64) -> String {
    if x.is_nan() {
        "nan".to_string()
    } else {
        x.to_string()
    }
}

fn words(err: &ConstructError) -> (ErrorKind, String) {
    use ConstructError as E;
    match err {
        E::FillShape { shape, value } => (
            ErrorKind::Shape,
            format!(
                "cannot fill a {} array with a {} value",
                shape_text(shape),
                shape_text(value)
            ),
        ),
        E::FillValue { dtype, value } => (
            ErrorKind::Domain,
            format!("cannot fill an {dtype} array with {}", num_text(*value)),
        ),
        E::TooLarge { shape, dtype } => (
            ErrorKind::Limit,
            format!("a {} {dtype} array is too large", shape_text(shape)),
        ),
        E::ArangeShape { shape } => (
            ErrorKind::Shape,
            format!("arange needs scalars, got a {} array", shape_text(shape)),
        ),
        E::ArangeZeroStep => (
            ErrorKind::Domain,
            "arange step must not be zero".to_string(),
        ),
        E::ArangeTooLong { len, dtype } => (
            ErrorKind::Limit,
            format!(
                "arange would produce {} {dtype} elements",
                num_text(len.floor())
            ),
        ),
        E::ArangeNan { start, stop, step } => (
            ErrorKind::Domain,
            format!(
                "cannot compute the length of arange({}, {}, {})",
                num_text(*start),
                num_text(*stop),
                num_text(*step)
            ),
        ),
        E::ArangeEndless { start, stop, step } => (
            ErrorKind::Domain,
            format!(
                "arange({}, {}, {}) would never end",
                num_text(*start),
                num_text(*stop),
                num_text(*step)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{DType, Dim};

    fn said(err: ConstructError) -> (ErrorKind, String) {
        let d = diagnostic("f", &err);
        (d.kind, d.message)
    }

    #[test]
    fn every_variant_in_words() {
        use ConstructError as E;
        let cases = [
            (
                E::FillShape {
                    shape: vec![Dim::Known(2), Dim::Known(2)],
                    value: vec![Dim::Known(3)],
                },
                ErrorKind::Shape,
                "f: cannot fill a 2×2 array with a 3 value",
            ),
            (
                E::FillValue {
                    dtype: DType::Int64,
                    value: f64::NAN,
                },
                ErrorKind::Domain,
                "f: cannot fill an int64 array with nan",
            ),
            (
                E::FillValue {
                    dtype: DType::Int64,
                    value: 1e30,
                },
                ErrorKind::Domain,
                "f: cannot fill an int64 array with 1000000000000000000000000000000",
            ),
            (
                E::TooLarge {
                    shape: vec![0, 1 << 62, 4],
                    dtype: DType::Float64,
                },
                ErrorKind::Limit,
                "f: a 0×4611686018427387904×4 float64 array is too large",
            ),
            (
                E::ArangeShape {
                    shape: vec![Dim::Known(2)],
                },
                ErrorKind::Shape,
                "f: arange needs scalars, got a 2 array",
            ),
            (
                E::ArangeZeroStep,
                ErrorKind::Domain,
                "f: arange step must not be zero",
            ),
            (
                E::ArangeTooLong {
                    len: 1e30,
                    dtype: DType::Float64,
                },
                ErrorKind::Limit,
                "f: arange would produce 1000000000000000000000000000000 float64 elements",
            ),
            (
                E::ArangeNan {
                    start: 0.0,
                    stop: f64::NAN,
                    step: 1.0,
                },
                ErrorKind::Domain,
                "f: cannot compute the length of arange(0, nan, 1)",
            ),
            (
                E::ArangeEndless {
                    start: 0.0,
                    stop: f64::INFINITY,
                    step: 0.5,
                },
                ErrorKind::Domain,
                "f: arange(0, inf, 0.5) would never end",
            ),
        ];
        for (err, kind, message) in cases {
            assert_eq!(said(err), (kind, message.to_string()));
        }
    }
}
