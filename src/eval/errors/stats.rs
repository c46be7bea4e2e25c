//! The words for the statistics functions' errors (`ops::stats::StatsError`).

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::stats::StatsError;
use crate::value::shape_text;

/// The diagnostic for `err` raised by the built-in `op`.
pub(super) fn diagnostic(op: &str, err: &StatsError) -> Diagnostic {
    use StatsError as E;
    let (kind, message, help) = match err {
        E::EmptyLane => (
            ErrorKind::Shape,
            "a quantile of no values is undefined".to_string(),
            "give an array with elements along the axis",
        ),
        E::Quantile { q, scale } => (
            ErrorKind::Domain,
            format!(
                "{} {} is outside [0, {}]",
                if *scale == 100.0 {
                    "percentile"
                } else {
                    "quantile"
                },
                crate::value::float_repr(*q),
                scale
            ),
            "percentiles run from 0 to 100, quantiles from 0 to 1",
        ),
        E::WeightsShape { data, weights } => (
            ErrorKind::Shape,
            format!(
                "weights of shape {} for data of shape {}",
                shape_text(weights),
                shape_text(data)
            ),
            "give weights of the data's shape, or 1-D weights along axis=",
        ),
        E::WeightsAxis { len, axis_len } => (
            ErrorKind::Shape,
            match axis_len {
                Some(n) => format!("{len} weights for an axis of length {n}"),
                None => format!("1-D weights ({len}) for data of several axes need axis="),
            },
            "give one weight per element along the axis",
        ),
        E::WeightsZero => (
            ErrorKind::Domain,
            "the weights sum to zero, so they cannot be normalized".to_string(),
            "give weights whose sum is not zero",
        ),
        E::CovRank { ndim } => (
            ErrorKind::Shape,
            format!("needs a vector or a matrix of observations, got {ndim} axes"),
            "reshape to variables × observations first",
        ),
        E::HistRange { lo, hi } => (
            ErrorKind::Domain,
            format!(
                "range ({}, {}) has its low end above its high end",
                crate::value::float_repr(*lo),
                crate::value::float_repr(*hi)
            ),
            "give range=[low, high] with low <= high",
        ),
        E::HistNotFinite => (
            ErrorKind::Domain,
            "the range of the bins is not finite (the data holds nan or an infinity)".to_string(),
            "give range=[low, high], or drop nan and infinities first",
        ),
        E::HistEdges => (
            ErrorKind::Domain,
            "bin edges must be a 1-D real array that does not decrease".to_string(),
            "give a number of bins, or increasing edges such as linspace(0, 1, 11)",
        ),
        E::HistBins { bins } => (
            ErrorKind::Domain,
            format!("needs at least 1 bin, got {bins}"),
            "give bins >= 1",
        ),
        E::BincountInput { ndim, dtype } => (
            ErrorKind::Type,
            format!("counts a 1-D array of whole numbers, got {ndim} axes of {dtype}"),
            "flatten with ravel(x), convert with int64(x)",
        ),
        E::BincountNegative { value } => (
            ErrorKind::Domain,
            format!("cannot count the negative number {value}"),
            "bincount counts 0, 1, 2, ...; shift the values first",
        ),
        E::BincountWeights { len, weights } => (
            ErrorKind::Shape,
            format!("{weights} weights for {len} values"),
            "give one weight per value",
        ),
    };
    Diagnostic::error(kind, format!("{op}: {message}")).help(help)
}
