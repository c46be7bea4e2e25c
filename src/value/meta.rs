//! What a rule knows about a value without its numbers: each axis length
//! (`Dim`), the dtype, and for results that are not arrays their kind. Rules
//! in `ops/` map operands' `Meta` to the result's `Meta`; the evaluator calls
//! them before every kernel and the checker instead of it.

use std::fmt;

use super::{Array, DType, PlotKind, Value};

/// One axis length as a rule sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Dim {
    Known(usize),
    /// Decided by the data (a mask's count of `true`, `nonzero`, `arange`
    /// of computed bounds): matches any length, so a rule never raises a
    /// false alarm over it.
    Unknown,
}

impl Dim {
    pub fn known(self) -> Option<usize> {
        match self {
            Dim::Known(n) => Some(n),
            Dim::Unknown => None,
        }
    }

    /// Whether a value of length `n` fits this dimension.
    pub fn admits(&self, n: usize) -> bool {
        match self {
            Dim::Known(k) => *k == n,
            Dim::Unknown => true,
        }
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dim::Known(n) => write!(f, "{n}"),
            Dim::Unknown => f.write_str("?"),
        }
    }
}

/// The metadata of an array: shape and dtype. `alt` is a second possible
/// dtype when the values decide (`eig` gives float64 or complex128).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    pub shape: Vec<Dim>,
    pub dtype: DType,
    pub alt: Option<DType>,
}

impl Meta {
    /// An array of this concrete shape and dtype.
    pub fn new(shape: &[usize], dtype: DType) -> Meta {
        Meta {
            shape: shape.iter().map(|&n| Dim::Known(n)).collect(),
            dtype,
            alt: None,
        }
    }

    pub fn with_dims(shape: Vec<Dim>, dtype: DType) -> Meta {
        Meta {
            shape,
            dtype,
            alt: None,
        }
    }

    pub fn scalar(dtype: DType) -> Meta {
        Meta::new(&[], dtype)
    }

    pub fn of(a: &Array) -> Meta {
        Meta::new(a.shape(), a.dtype())
    }

    /// The same shape with another dtype.
    pub fn retyped(&self, dtype: DType) -> Meta {
        Meta {
            shape: self.shape.clone(),
            dtype,
            alt: None,
        }
    }

    /// Either dtype, as the values decide.
    pub fn or_dtype(mut self, alt: DType) -> Meta {
        if alt != self.dtype {
            self.alt = Some(alt);
        }
        self
    }

    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    pub fn is_scalar(&self) -> bool {
        self.shape.is_empty()
    }

    /// The shape when every axis length is known.
    pub fn concrete(&self) -> Option<Vec<usize>> {
        self.shape.iter().map(|d| d.clone().known()).collect()
    }

    /// Elements, if every axis is known (`None` also on overflow).
    pub fn elements(&self) -> Option<usize> {
        self.shape.iter().try_fold(1usize, |acc, d| match d {
            Dim::Known(n) => acc.checked_mul(*n),
            Dim::Unknown => None,
        })
    }

    /// Bytes of element storage as a float (never overflows), counting
    /// unknown axes as 0.
    pub fn bytes_f64(&self) -> f64 {
        self.shape
            .iter()
            .map(|d| d.clone().known().unwrap_or(0) as f64)
            .product::<f64>()
            * self.dtype.size() as f64
    }

    /// Whether `a` is an array this metadata describes.
    pub fn admits(&self, a: &Array) -> bool {
        (a.dtype() == self.dtype || Some(a.dtype()) == self.alt)
            && a.ndim() == self.ndim()
            && self.shape.iter().zip(a.shape()).all(|(d, &n)| d.admits(n))
    }

    /// Whether every array `other` admits is also admitted here (for
    /// comparing a prediction with a checker's value).
    pub fn admits_meta(&self, other: &Meta) -> bool {
        let dtypes_fit = other.dtype == self.dtype || Some(other.dtype) == self.alt;
        dtypes_fit
            && other.ndim() == self.ndim()
            && self
                .shape
                .iter()
                .zip(&other.shape)
                .all(|(a, b)| match (a, b) {
                    (Dim::Known(x), Dim::Known(y)) => x == y,
                    _ => true,
                })
    }

    /// `2×3 float64`, `?×3 float64`, `3 float64 or complex128`.
    pub fn describe(&self) -> String {
        let shape = super::shape_text(&self.shape);
        match self.alt {
            Some(alt) => format!("{shape} {} or {alt}", self.dtype),
            None => format!("{shape} {}", self.dtype),
        }
    }
}

/// What a rule predicts for any value: an array's metadata, or one of the
/// other kinds of value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Array(Meta),
    Str,
    Tuple(Vec<(String, Kind)>),
    Nothing,
    /// Decided by values the rule does not have.
    Unknown,
    /// A picture of this kind (`plot`, `heatmap`, ...).
    Picture(PlotKind),
}

impl Kind {
    /// The value that stands for this prediction when nothing is computed.
    pub fn shaped(self) -> Value {
        match self {
            Kind::Array(m) => Value::Shaped(m),
            Kind::Tuple(parts) => {
                Value::Tuple(parts.into_iter().map(|(n, k)| (n, k.shaped())).collect())
            }
            Kind::Nothing => Value::Nothing,
            Kind::Str | Kind::Unknown => Value::Unknown,
            Kind::Picture(k) => Value::Picture(std::rc::Rc::new(super::Picture::shape_only(k))),
        }
    }
}

impl Kind {
    pub fn of(v: &Value) -> Kind {
        match v {
            Value::Array(a) => Kind::Array(Meta::of(a)),
            Value::Str(_) => Kind::Str,
            Value::Tuple(parts) => Kind::Tuple(
                parts
                    .iter()
                    .map(|(n, p)| (n.clone(), Kind::of(p)))
                    .collect(),
            ),
            Value::Nothing => Kind::Nothing,
            Value::Shaped(m) => Kind::Array(m.clone()),
            Value::Unknown => Kind::Unknown,
            Value::Picture(p) => Kind::Picture(p.kind),
        }
    }

    /// Whether `v` is a value this prediction describes.
    pub fn admits(&self, v: &Value) -> bool {
        match (self, v) {
            (Kind::Unknown, _) | (_, Value::Unknown) => true,
            (Kind::Array(m), Value::Array(a)) => m.admits(a),
            (Kind::Array(m), Value::Shaped(s)) => m.admits_meta(s),
            (Kind::Str, Value::Str(_)) | (Kind::Nothing, Value::Nothing) => true,
            (Kind::Picture(k), Value::Picture(p)) => *k == p.kind,
            (Kind::Tuple(ks), Value::Tuple(vs)) => {
                ks.len() == vs.len()
                    && ks
                        .iter()
                        .zip(vs)
                        .all(|((kn, k), (vn, v))| kn == vn && k.admits(v))
            }
            _ => false,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Kind::Array(m) => m.describe(),
            Kind::Str => "string".to_string(),
            Kind::Tuple(parts) => format!("tuple of {}", parts.len()),
            Kind::Nothing => "nothing".to_string(),
            Kind::Unknown => "unknown".to_string(),
            Kind::Picture(k) => super::Picture::shape_only(*k).describe(),
        }
    }
}

impl From<Meta> for Kind {
    fn from(m: Meta) -> Kind {
        Kind::Array(m)
    }
}
