//! The words for the array functions' errors (`ops::arrays::ArraysError`):
//! split, pad, take_along_axis, searchsorted and the reduction extras.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::arrays::{ArraysError, PadMode};

/// The diagnostic for `err` raised by the built-in `op`.
pub(super) fn diagnostic(op: &str, err: &ArraysError) -> Diagnostic {
    use ArraysError as E;
    let (kind, message, help): (ErrorKind, String, Option<String>) = match err {
        E::Unequal { len, sections } => (
            ErrorKind::Shape,
            format!("an axis of length {len} does not split into {sections} equal sections"),
            Some(format!(
                "array_split gives sections that differ by at most one (the first {} one longer); or give the indices to cut at",
                len % sections
            )),
        ),
        E::Sections { sections } => (
            ErrorKind::Domain,
            format!("the number of sections must be at least 1, got {sections}"),
            None,
        ),
        E::TooManyParts { sections, max } => (
            ErrorKind::Limit,
            format!("{sections} sections are more than the {max} parts one split may make"),
            None,
        ),
        E::NegativePad { value } => (
            ErrorKind::Domain,
            format!("pad widths must not be negative, got {value}"),
            Some("to cut an array down, index it: x[1:-1]".into()),
        ),
        E::PadShape { given, ndim } => (
            ErrorKind::Shape,
            format!(
                "{} does not broadcast to {ndim}×2 (one before and one after width per axis)",
                crate::value::shape_text(&crate::ops::broadcast::known(given))
            ),
            Some(
                "give one width (2), one pair ([1, 2]) or one pair per axis ([[1, 2], [0, 1]])"
                    .into(),
            ),
        ),
        E::PadEmpty { axis, mode } => (
            ErrorKind::Shape,
            format!(
                "cannot extend the empty axis {axis} with mode \"{}\": there are no values to copy",
                mode.name()
            ),
            (*mode != PadMode::Constant).then(|| "mode=\"constant\" pads an empty axis".into()),
        ),
        E::AlongNdim { arr, indices } => (
            ErrorKind::Shape,
            format!(
                "the indices have {indices} axes but the array has {arr}: they must have as many"
            ),
            Some("add axes of length 1 with expand_dims or x[:, None]".into()),
        ),
        E::DuplicateAxis { axis } => (
            ErrorKind::Shape,
            format!("axis {axis} is given twice"),
            None,
        ),
        E::OneAxisOnly { .. } => (
            ErrorKind::Type,
            "takes one axis, not several".to_string(),
            Some("reshape the axes into one first, or leave axis out for the flat index".into()),
        ),
        E::WhereNeedsInitial { kind } => (
            ErrorKind::Type,
            format!(
                "where= needs initial=: a lane with nothing selected has no {}",
                kind.name()
            ),
            Some(format!("{}(x, where=mask, initial=0)", kind.name())),
        ),
        E::ReduceDType { kind, dtype, from } => {
            let lost = *from == crate::value::DType::Complex128
                && *dtype != crate::value::DType::Complex128;
            (
                ErrorKind::Type,
                if lost {
                    format!(
                        "complex values cannot accumulate in {dtype}: the imaginary parts would be lost"
                    )
                } else {
                    format!("cannot accumulate in dtype {dtype}")
                },
                Some(match kind {
                    _ if lost => "take real(x) first, or dtype=\"complex128\"".into(),
                    crate::ops::reduce::Reduce::Sum | crate::ops::reduce::Reduce::Prod => {
                        "dtype= takes \"int64\", \"float32\", \"float64\" or \"complex128\"".into()
                    }
                    _ => "dtype= takes \"float32\", \"float64\" or \"complex128\"".into(),
                }),
            )
        }
        E::WhereArity => (
            ErrorKind::Type,
            "give both x and y, or neither".into(),
            Some(
                "where(cond) gives the indices of the true elements; where(cond, x, y) picks"
                    .into(),
            ),
        ),
        E::NotVector { ndim } => (
            ErrorKind::Shape,
            format!("the sorted array must have one axis, got {ndim}"),
            Some("flatten it first: searchsorted(sort(flatten(a)), v)".into()),
        ),
        E::ValueCast { what, from, to } => (
            ErrorKind::Domain,
            format!(
                "{what} ({from}) does not convert to {to}: a NaN, an infinity or an imaginary part has no {to} value"
            ),
            None,
        ),
    };
    let d = Diagnostic::error(kind, format!("{op}: {message}"));
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}
