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
    /// An axis outside `-ndim..ndim`.
    Axis {
        axis: i64,
        ndim: usize,
        arg: Option<usize>,
    },
    /// An index outside its axis.
    Index { axis: usize, len: usize, index: i64 },
    /// The operation is not defined for this dtype.
    DType { op: String, dtype: DType },
    /// Integer overflow: we refuse to wrap.
    Overflow { op: String, dtype: DType },
    /// Integer division or modulo by zero.
    DivideByZero { op: String },
    /// An array larger than `--max-memory` allows (or than any machine
    /// could hold).
    Limit {
        shape: Vec<usize>,
        dtype: DType,
        max_bytes: usize,
        arg: Option<usize>,
    },
    /// A new array the system refused to grant (an address-space limit,
    /// or more than the machine holds), with the working memory (`scratch`
    /// bytes) its kernel makes beside it.
    OutOfMemory {
        shape: Vec<usize>,
        dtype: DType,
        scratch: usize,
    },
    /// A new array that would take the workspace past its budget
    /// (`--max-memory`): what it holds, and its largest variables.
    Budget {
        shape: Vec<usize>,
        dtype: DType,
        scratch: usize,
        held: usize,
        budget: usize,
        largest: Vec<(String, usize)>,
    },
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
    /// A picture's refusal (`plot::PlotError`).
    Plot {
        err: super::plot::PlotError,
        arg: Option<usize>,
    },
    /// An everyday function's refusal (`everyday::EverydayError`).
    Everyday {
        err: super::everyday::EverydayError,
        arg: Option<usize>,
    },
    /// A random function's refusal (`random::RandomError`).
    Random {
        err: super::random::RandomError,
        arg: Option<usize>,
    },
    /// An array function's refusal (`arrays::ArraysError`).
    Arrays {
        err: super::arrays::ArraysError,
        arg: Option<usize>,
    },
    /// A statistics function's refusal (`stats::StatsError`).
    Stats {
        err: super::stats::StatsError,
        arg: Option<usize>,
    },
    /// An einops pattern's refusal (`einops::EinopsError`).
    Einops {
        err: super::einops::EinopsError,
        arg: Option<usize>,
    },
}

pub type OpResult<T> = Result<T, OpError>;

impl OpError {
    pub fn dtype(op: &str, dtype: DType) -> OpError {
        OpError::DType {
            op: op.to_string(),
            dtype,
        }
    }

    pub fn overflow(op: &str) -> OpError {
        OpError::Overflow {
            op: op.to_string(),
            dtype: DType::Int64,
        }
    }
}
