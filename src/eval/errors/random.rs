//! The words for the random functions' errors (`ops::random::RandomError`):
//! each variant's facts become one message of the kind the error is, close
//! to NumPy's own wording so a tutorial's reader recognises it.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::random::RandomError;
use crate::value::{float_repr, shape_text};

/// The diagnostic for `err` raised by the built-in `op`.
pub(super) fn diagnostic(op: &str, err: &RandomError) -> Diagnostic {
    let (kind, message, help) = words(err);
    let d = Diagnostic::error(kind, format!("{op}: {message}"));
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}

fn words(err: &RandomError) -> (ErrorKind, String, Option<String>) {
    use ErrorKind::{Domain, Shape, Type};
    use RandomError as E;
    match err {
        E::SeedRange { value } => (
            Domain,
            format!("seed must be between 0 and 2^32 - 1, got {value}"),
            None,
        ),
        E::SeedEmpty => (Domain, "a seed vector must not be empty".into(), None),
        E::SeedShape { shape } => (
            Type,
            format!(
                "a seed is a whole number or a vector of whole numbers, got a {} array",
                shape_text(shape)
            ),
            None,
        ),
        E::BoundOutOfRange { low, high, dtype } => (
            Domain,
            format!("the range [{low}, {high}) does not fit dtype {dtype}"),
            Some(format!(
                "{dtype} holds {}",
                match *dtype {
                    "bool" => "0 and 1: randint(0, 2, dtype=\"bool\")",
                    "int32" => "-2147483648 to 2147483647",
                    _ => "-9223372036854775808 to 9223372036854775807",
                }
            )),
        ),
        E::EmptyRange { low, high } => (
            Domain,
            format!("low >= high: the range [{low}, {high}) is empty"),
            Some(
                "randint(low, high) draws from low to high - 1; randint(n) from 0 to n - 1".into(),
            ),
        ),
        E::ComplexParam => (Type, "parameters must be real numbers".into(), None),
        E::FractionalBound { value } => (
            Domain,
            format!("bounds must be whole numbers, got {}", float_repr(*value)),
            None,
        ),
        E::NegativeScale { value } => (
            Domain,
            format!(
                "scale < 0: the standard deviation is {}",
                float_repr(*value)
            ),
            None,
        ),
        E::RangeNotFinite { low, high } => (
            Domain,
            format!(
                "high - low is not finite (low {}, high {})",
                float_repr(*low),
                float_repr(*high)
            ),
            None,
        ),
        E::SizeMismatch { size, params } => (
            Shape,
            format!(
                "size {} does not fit the parameters' broadcast shape {}",
                shape_text(size),
                shape_text(params)
            ),
            Some("the parameters must broadcast to exactly the shape given as size".into()),
        ),
        E::ChoiceNotVector { shape } => (
            Shape,
            format!(
                "a must be a vector or a whole number, got a {} array",
                shape_text(shape)
            ),
            Some(
                "to draw rows of a matrix A, draw their indices: A[choice(size(A, 0), n), :]"
                    .into(),
            ),
        ),
        E::ChoiceEmpty { population } => (
            Domain,
            format!("cannot draw from a population of {population} unless no samples are taken"),
            None,
        ),
        E::ChoiceNotInteger => (
            Type,
            "a must be a vector or a whole number (the population size)".into(),
            None,
        ),
        E::ProbShape { shape, population } => (
            Shape,
            format!(
                "p must be a real vector of length {population}, one probability per item, got a {} array",
                shape_text(shape)
            ),
            None,
        ),
        E::ProbNan => (Domain, "probabilities contain nan".into(), None),
        E::ProbNegative { value } => (
            Domain,
            format!(
                "probabilities must not be negative, got {}",
                float_repr(*value)
            ),
            None,
        ),
        E::ProbSum { sum, atol } => (
            Domain,
            format!(
                "probabilities do not sum to 1: they sum to {} (tolerance {atol:.1e})",
                float_repr(*sum)
            ),
            Some("divide by their sum: p / sum(p)".into()),
        ),
        E::SampleTooLarge { size, population } => (
            Domain,
            format!(
                "cannot take {size} samples from a population of {population} without replacement"
            ),
            Some("pass replace=true to allow repeats".into()),
        ),
        E::FewerNonZero { nonzero, size } => (
            Domain,
            format!(
                "only {nonzero} probabilities are non-zero, fewer than the {size} samples wanted without replacement"
            ),
            None,
        ),
        E::NeedsAxis { shuffle } => (
            Type,
            if *shuffle {
                "x must have at least one axis".to_string()
            } else {
                "x must be a whole number or have at least one axis".to_string()
            },
            None,
        ),
    }
}
