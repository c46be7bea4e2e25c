//! Element types (dtypes), NumPy's promotion between them, and `C64`.

use std::fmt;

use num_complex::Complex;

pub type C64 = Complex<f64>;

/// Element types, in promotion order except that float32 sits between int64
/// and float64 only for arrays (see `promote`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    Bool,
    Int64,
    Float32,
    Float64,
    Complex128,
}

impl DType {
    pub const ALL: [DType; 5] = [
        DType::Bool,
        DType::Int64,
        DType::Float32,
        DType::Float64,
        DType::Complex128,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::Int64 => "int64",
            DType::Float32 => "float32",
            DType::Float64 => "float64",
            DType::Complex128 => "complex128",
        }
    }

    pub fn from_name(name: &str) -> Option<DType> {
        DType::ALL.into_iter().find(|d| d.name() == name)
    }

    pub fn is_float(self) -> bool {
        matches!(self, DType::Float32 | DType::Float64)
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::Bool => 1,
            DType::Float32 => 4,
            DType::Int64 | DType::Float64 => 8,
            DType::Complex128 => 16,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The common dtype of two operands, as NumPy computes it, with one rule from
/// NumPy's treatment of Python scalars: a 0-d bool, int or float64 operand
/// does not widen float32 (`2.5 * float32(A)` and `float32(1) / 3` stay
/// float32).
pub fn promote(a: DType, a_scalar: bool, b: DType, b_scalar: bool) -> DType {
    use DType::*;
    match (a, b) {
        (Float32, Bool | Int64 | Float64) if b_scalar => Float32,
        (Bool | Int64 | Float64, Float32) if a_scalar => Float32,
        (Float32, Int64) | (Int64, Float32) => Float64,
        _ => a.max(b),
    }
}
