//! Words for the operators' and indexing's typed errors: the hint that goes
//! with a refused dtype, and what is wrong with an index.

use crate::ops::index::IndexError;
use crate::value::{DType, shape_text};

/// What to do instead, for an operation that refuses a dtype.
pub fn dtype_hint(op: &str, dtype: DType) -> Option<&'static str> {
    Some(match (op, dtype) {
        ("subtract", DType::Bool) => {
            "convert first: int64(a) - int64(b), or use a != b for exclusive or"
        }
        ("floor_divide", DType::Complex128) => "complex numbers have no floor; divide with `/`",
        ("mod", DType::Complex128) => "complex numbers have no remainder",
        ("less" | "less_equal" | "greater" | "greater_equal", DType::Complex128) => {
            "complex numbers are not ordered; compare abs(z) or real(z)"
        }
        ("logical and" | "logical or", _) => {
            "`&` and `|` take bools (or integers, bitwise); compare first, e.g. (x > 0) & (y > 0)"
        }
        ("positive", DType::Bool) => "convert first: +int64(b)",
        ("min" | "max" | "argmin" | "argmax", DType::Complex128) => {
            "complex numbers have no order; reduce abs(z) or real(z) instead"
        }
        ("maximum" | "minimum" | "clip", DType::Complex128) => {
            "complex numbers are not ordered; compare abs(z) or real(z)"
        }
        ("floor" | "ceil", DType::Complex128) => {
            "round the parts separately: complex(floor(real(z)), floor(imag(z)))"
        }
        ("full", DType::Complex128) => {
            "a real array cannot hold a fill value with an imaginary part"
        }
        ("arange", DType::Complex128) => "arange needs real bounds and step",
        ("cross", DType::Bool) => "the cross product subtracts; convert to int64 first",
        ("negative", DType::Bool) => "use !b for logical not, or -int64(b)",
        ("logical not", _) => "`!` takes bools; for numbers write x == 0",
        _ => return None,
    })
}

/// The message for an index that does not fit its array.
pub fn index_message(e: &IndexError) -> String {
    match e {
        IndexError::SliceStepZero => "slice step cannot be zero".to_string(),
        IndexError::TwoEllipses => "an index can only have one `...`".to_string(),
        IndexError::TooMany { shape, given } => format!(
            "too many indices: the array is {}-D ({}) but {given} were given",
            shape.len(),
            shape_text(shape)
        ),
        IndexError::MaskShape { mask, covered } => format!(
            "a bool mask of shape {} does not match the indexed axes ({})",
            shape_text(mask),
            shape_text(covered)
        ),
        IndexError::ArraysBroadcast { lhs, rhs } => format!(
            "index arrays of shapes {} and {} do not broadcast together",
            shape_text(lhs),
            shape_text(rhs)
        ),
    }
}
