//! The words for the everyday functions' errors (`ops::everyday::EverydayError`).

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::everyday::EverydayError;

/// The diagnostic for `err` raised by the built-in `op`.
pub(super) fn diagnostic(op: &str, err: &EverydayError) -> Diagnostic {
    use EverydayError as E;
    let (kind, message) = match err {
        E::Negative { what, value } => (
            ErrorKind::Domain,
            format!("{what} must not be negative, got {value}"),
        ),
        E::TooFewAxes { need, ndim } => (
            ErrorKind::Shape,
            format!(
                "needs an array with at least {need} {}, got {ndim}",
                if *need == 1 { "axis" } else { "axes" }
            ),
        ),
        E::RepeatsLength { len, given } => (
            ErrorKind::Shape,
            format!(
                "{given} repeat counts for an axis of length {len}: give one count or one per element"
            ),
        ),
        E::Label { value, classes } => (
            ErrorKind::Domain,
            format!("label {value} is outside 0..{classes} (there are {classes} classes)"),
        ),
        E::NotIndices { dtype } => (
            ErrorKind::Type,
            format!("expected whole numbers (bool or int64), got {dtype}"),
        ),
        E::NoLabels => (
            ErrorKind::Shape,
            "no labels to count the classes from: give the number of classes, one_hot(labels, n)"
                .to_string(),
        ),
    };
    Diagnostic::error(kind, format!("{op}: {message}"))
}
