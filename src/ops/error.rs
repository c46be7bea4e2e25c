//! Typed failures of operations. They carry facts (shapes, axes, values) but
//! no source spans: the evaluator knows which operand came from where and
//! turns an `OpError` into a `Diagnostic`.

use super::index::IndexError;
use super::products::ProductError;
use super::reduce::ReduceError;
use crate::value::{DType, Dim};

#[derive(Clone, Debug, PartialEq)]
pub enum OpError {
    /// Two shapes that do not broadcast. `axis` counts from the right
    /// (0 = last axis) and names the first clash found from the right.
    Broadcast {
        lhs: Vec<Dim>,
        rhs: Vec<Dim>,
        axis_from_right: usize,
    },
    /// `@` whose inner dimensions differ (after NumPy's 1-D promotion).
    MatmulInner { lhs: Vec<Dim>, rhs: Vec<Dim> },
    /// `@` with a scalar operand (`side` 0 = left, 1 = right).
    MatmulScalar {
        side: usize,
        lhs: Vec<Dim>,
        rhs: Vec<Dim>,
    },
    /// Batch axes of `@` that do not broadcast.
    MatmulBatch { lhs: Vec<Dim>, rhs: Vec<Dim> },
    /// An index that does not fit the array (other than a value out of
    /// range, which is `Index`).
    BadIndex(IndexError),
    /// An array literal whose `element` (0-based) has another shape than the
    /// first one.
    Ragged {
        element: usize,
        shape: Vec<Dim>,
        first: Vec<Dim>,
    },
    /// A shape that an operation needs but did not get; `arg` is the index of
    /// the offending argument when there is one.
    Shape { message: String, arg: Option<usize> },
    /// An axis outside `-ndim..ndim`.
    Axis {
        axis: i64,
        ndim: usize,
        arg: Option<usize>,
    },
    /// An index outside its axis.
    Index { axis: usize, len: usize, index: i64 },
    /// The operation is not defined for this dtype.
    DType {
        op: String,
        dtype: DType,
        hint: Option<String>,
    },
    /// Integer overflow: we refuse to wrap.
    Overflow { op: String, dtype: DType },
    /// Integer division or modulo by zero.
    DivideByZero { op: String },
    /// A value outside the operation's domain (negative size, ...).
    Domain { message: String, arg: Option<usize> },
    /// A resource limit.
    Limit { message: String, arg: Option<usize> },
    /// A reduction that refuses its operand (a shape error).
    Reduce {
        err: ReduceError,
        arg: Option<usize>,
    },
    /// A product that refuses its operands (shape errors) or its constant
    /// arguments (domain errors).
    Product {
        err: ProductError,
        arg: Option<usize>,
    },
    /// Ctrl-C.
    Interrupted,
    /// A linear-algebra operation's refusal (`ops::linalg`).
    Linalg {
        err: super::linalg::LinalgError,
        arg: Option<usize>,
    },
    /// A constructor's refusal (`construct::ConstructError`).
    Construct {
        err: super::construct::ConstructError,
        arg: Option<usize>,
    },
    /// A shape operation's refusal (`shape::ShapeFnError`).
    ShapeFn {
        err: super::shape::ShapeFnError,
        arg: Option<usize>,
    },
}

pub type OpResult<T> = Result<T, OpError>;

impl OpError {
    pub fn shape(message: impl Into<String>) -> OpError {
        OpError::Shape {
            message: message.into(),
            arg: None,
        }
    }

    pub fn shape_at(arg: usize, message: impl Into<String>) -> OpError {
        OpError::Shape {
            message: message.into(),
            arg: Some(arg),
        }
    }

    pub fn domain(message: impl Into<String>) -> OpError {
        OpError::Domain {
            message: message.into(),
            arg: None,
        }
    }

    pub fn domain_at(arg: usize, message: impl Into<String>) -> OpError {
        OpError::Domain {
            message: message.into(),
            arg: Some(arg),
        }
    }

    pub fn dtype(op: &str, dtype: DType) -> OpError {
        OpError::DType {
            op: op.to_string(),
            dtype,
            hint: None,
        }
    }

    pub fn overflow(op: &str) -> OpError {
        OpError::Overflow {
            op: op.to_string(),
            dtype: DType::Int64,
        }
    }
}
