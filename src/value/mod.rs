//! The value model, the ground floor every other module stands on: dtypes
//! and promotion, `Array` and its element trait, the evaluator's `Value`,
//! shape metadata for rules (`Meta`, `Dim`), shape text and number
//! formatting. It imports nothing of ours.

mod array;
mod dtype;
pub mod meta;
pub mod number;
pub mod picture;
pub mod sym;

use std::fmt;

pub use array::{Array, CastError, Elem};
pub use dtype::{C64, DType, promote};
pub use meta::{Dim, Kind, Meta, Sizes};
pub use number::{bytes_text, complex_repr, f32_repr, float_repr, python_exponent};
pub use picture::{Picture, PlotKind};

/// What an expression evaluates to.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Array(Array),
    Str(String),
    /// Several results with a label each (`Q`, `R` of `qr`).
    Tuple(Vec<(String, Value)>),
    /// The result of `seed(n)` and other calls made for their effect.
    Nothing,
    /// An array known by its shape and dtype only: what the checker
    /// computes instead of numbers (every rule still applies to it).
    Shaped(Meta),
    /// Sizes known by their symbols (`n`, `[n, d*h]`): int64 without
    /// numbers, which size arguments accept.
    Sizes(Sizes),
    /// A value the checker cannot know without computing (it depends on
    /// numbers it does not have): matches anything, so it never raises a
    /// false alarm.
    Unknown,
    /// A plot or heatmap (`plot`, `scatter`, `hist`, `heatmap`), drawn when shown.
    Picture(std::rc::Rc<Picture>),
}

impl Value {
    /// A short description for messages: `2×3 float64`, `string`, `tuple of 2`.
    pub fn describe(&self) -> String {
        match self {
            Value::Array(a) => format!("{} {}", shape_text(a.shape()), a.dtype()),
            Value::Str(_) => "string".to_string(),
            Value::Tuple(parts) => format!("tuple of {}", parts.len()),
            Value::Nothing => "nothing".to_string(),
            Value::Shaped(m) => m.describe(),
            Value::Sizes(s) => format!("size {}", s.describe()),
            Value::Unknown => "unknown".to_string(),
            Value::Picture(p) => p.describe(),
        }
    }
}

impl Value {
    /// The same value with every array known by its shape and dtype only,
    /// as the checker shows it.
    pub fn shape_only(&self) -> Value {
        match self {
            Value::Array(a) => Value::Shaped(Meta::of(a)),
            Value::Tuple(parts) => Value::Tuple(
                parts
                    .iter()
                    .map(|(n, p)| (n.clone(), p.shape_only()))
                    .collect(),
            ),
            Value::Picture(p) => Value::Picture(std::rc::Rc::new(Picture::shape_only(p.kind))),
            other => other.clone(),
        }
    }
}

impl From<Array> for Value {
    fn from(a: Array) -> Value {
        Value::Array(a)
    }
}

/// Shapes in the book's notation: `2×3`, a vector `3`, a scalar `scalar`.
/// Generic so requested shapes with `-1` print the same way (`-1×4`).
pub fn shape_text<T: fmt::Display>(shape: &[T]) -> String {
    if shape.is_empty() {
        "scalar".to_string()
    } else {
        shape
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("×")
    }
}
