//! What a rule knows about a value without its numbers: each axis length
//! (`Dim`), the dtype, and for results that are not arrays their kind. Rules
//! in `ops/` map operands' `Meta` to the result's `Meta`; the evaluator calls
//! them before every kernel and the checker instead of it.

use std::fmt;

use super::sym::{Combined, SymSize};
use super::{Array, DType, PlotKind, Value};

/// One axis length as a rule sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Dim {
    Known(usize),
    /// A symbolic size (`dim n, d`): `n`, `n+m`, `n·d`, its symbols with or
    /// without values. Equal expressions match; different ones clash
    /// unless their values are equal.
    Sym(SymSize),
    /// Decided by the data (a mask's count of `true`, `nonzero`, `arange`
    /// of computed bounds): matches any length, so a rule never raises a
    /// false alarm over it.
    Unknown,
}

impl Dim {
    /// The length as a number: a known length, or a symbolic one whose
    /// symbols all have values.
    pub fn known(self) -> Option<usize> {
        self.value()
    }

    /// `known`, by reference.
    pub fn value(&self) -> Option<usize> {
        match self {
            Dim::Known(n) => Some(*n),
            Dim::Sym(s) => s.value().and_then(|v| usize::try_from(v).ok()),
            Dim::Unknown => None,
        }
    }

    /// A symbolic size, in normal form.
    pub fn symbol(name: &str, value: Option<usize>) -> Dim {
        Dim::Sym(SymSize::symbol(name, value))
    }

    /// The `rank`-th symbol declared (products list symbols in that order).
    pub fn declared(rank: u32, name: &str, value: Option<usize>) -> Dim {
        Dim::Sym(SymSize::declared(rank, name, value))
    }

    /// Whether a value of length `n` fits this dimension.
    pub fn admits(&self, n: usize) -> bool {
        match self {
            Dim::Known(k) => *k == n,
            Dim::Sym(s) => s.value().is_none_or(|v| v == n as i64),
            Dim::Unknown => true,
        }
    }

    /// Whether two lengths are equal: `Some(true)` or `Some(false)` when
    /// that is certain, `None` when the data decide (an unknown length).
    /// Equal expressions are equal; valued ones compare their values;
    /// different expressions with a free symbol differ (`n` against `m`, or
    /// against `3`).
    pub fn same(&self, other: &Dim) -> Option<bool> {
        match (self, other) {
            (Dim::Unknown, _) | (_, Dim::Unknown) => None,
            (Dim::Known(a), Dim::Known(b)) => Some(a == b),
            (Dim::Sym(a), Dim::Sym(b)) if a == b => Some(true),
            _ => match (self.value(), other.value()) {
                (Some(a), Some(b)) => Some(a == b),
                // `d·n` with d = 4 is `4·n`.
                _ => {
                    let (a, b) = (self.folded(), other.folded());
                    Some(a != Dim::Unknown && a == b)
                }
            },
        }
    }

    /// The same length with every valued symbol replaced by its value.
    fn folded(&self) -> Dim {
        match self {
            Dim::Sym(s) => match s.folded() {
                Combined::Number(n) => Dim::Known(n),
                Combined::Sym(s) => Dim::Sym(s),
                Combined::Unwritable => Dim::Unknown,
            },
            other => other.clone(),
        }
    }

    /// Whether two lengths certainly differ.
    pub fn clash(&self, other: &Dim) -> bool {
        self.same(other) == Some(false)
    }

    /// Whether this is certainly the length 1 (which broadcasts).
    pub fn is_one(&self) -> bool {
        self.value() == Some(1)
    }

    /// Of two lengths found equal, the one that says more: a symbol over
    /// a number, anything over unknown.
    pub fn pick(&self, other: &Dim) -> Dim {
        match (self, other) {
            (Dim::Unknown, o) | (Dim::Known(_), o @ Dim::Sym(_)) => o.clone(),
            (s, _) => s.clone(),
        }
    }

    /// Whether this length has a symbol without a value (so no array of it
    /// can be made).
    pub fn is_free(&self) -> bool {
        matches!(self, Dim::Sym(s) if s.has_free_symbol())
    }

    fn combine(
        a: &Dim,
        b: &Dim,
        numbers: fn(usize, usize) -> Option<usize>,
        syms: fn(&SymSize, &SymSize) -> Combined,
    ) -> Dim {
        match (a, b) {
            (Dim::Known(x), Dim::Known(y)) => numbers(*x, *y).map_or(Dim::Unknown, Dim::Known),
            (Dim::Unknown, _) | (_, Dim::Unknown) => Dim::Unknown,
            _ => {
                let as_sym = |d: &Dim| match d {
                    Dim::Known(n) => SymSize::from_number(*n),
                    Dim::Sym(s) => Some(s.clone()),
                    Dim::Unknown => None,
                };
                match (as_sym(a), as_sym(b)) {
                    (Some(x), Some(y)) => match syms(&x, &y) {
                        Combined::Number(n) => Dim::Known(n),
                        Combined::Sym(s) => Dim::Sym(s),
                        Combined::Unwritable => Dim::Unknown,
                    },
                    _ => Dim::Unknown,
                }
            }
        }
    }

    /// `a + b` (concatenation: `n+m`).
    pub fn add(a: &Dim, b: &Dim) -> Dim {
        Dim::combine(a, b, usize::checked_add, SymSize::add)
    }

    /// `a - b`, when it is not negative.
    pub fn sub(a: &Dim, b: &Dim) -> Dim {
        Dim::combine(a, b, usize::checked_sub, SymSize::sub)
    }

    /// `a · b` (flattening: `n·d`).
    pub fn mul(a: &Dim, b: &Dim) -> Dim {
        Dim::combine(a, b, usize::checked_mul, SymSize::mul)
    }

    /// `a / b` when it divides exactly (reshape's `-1`); unknown otherwise.
    pub fn div_exact(a: &Dim, b: &Dim) -> Dim {
        let numbers = |x: usize, y: usize| (y != 0 && x.is_multiple_of(y)).then(|| x / y);
        match Dim::combine(a, b, numbers, SymSize::div_exact) {
            // `d·n / 2·n` with d = 64 is 32: divide again with the values in.
            Dim::Unknown if matches!(a, Dim::Sym(_)) || matches!(b, Dim::Sym(_)) => {
                let (fa, fb) = (a.folded(), b.folded());
                if (&fa, &fb) == (a, b) {
                    return Dim::Unknown;
                }
                Dim::combine(&fa, &fb, numbers, SymSize::div_exact)
            }
            d => d,
        }
    }

    /// The product of several lengths (1 for none).
    pub fn product<'a>(dims: impl IntoIterator<Item = &'a Dim>) -> Dim {
        dims.into_iter()
            .fold(Dim::Known(1), |acc, d| Dim::mul(&acc, d))
    }

    /// `d = 64` for a valued symbolic length, else as displayed: for the
    /// parenthesis of an error (`d = 64 ≠ h = 32`).
    pub fn with_value(&self) -> String {
        match self {
            Dim::Sym(s) => s.with_value(),
            other => other.to_string(),
        }
    }

    /// The expression alone (`n+m`), without the parentheses a shape puts
    /// around a sum: for `--json`.
    pub fn expression(&self) -> String {
        match self {
            Dim::Sym(s) => s.to_string(),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dim::Known(n) => write!(f, "{n}"),
            Dim::Sym(s) => {
                let text = s.to_string();
                // A sum inside a shape is bracketed: `(n+m)×d`.
                if text.contains(['+', '-']) {
                    write!(f, "({text})")
                } else {
                    f.write_str(&text)
                }
            }
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

    /// This metadata with its other possible dtype as the only one, if it
    /// has two.
    pub fn other_dtype(&self) -> Option<Meta> {
        self.alt.map(|alt| self.retyped(alt))
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
        self.shape
            .iter()
            .try_fold(1usize, |acc, d| acc.checked_mul(d.value()?))
    }

    /// Bytes of element storage as a float (never overflows), counting
    /// unknown axes as 0.
    pub fn bytes_f64(&self) -> f64 {
        self.shape
            .iter()
            .map(|d| d.value().unwrap_or(0) as f64)
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
                .all(|(a, b)| !a.clash(b))
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

/// Whole numbers known as lengths, not as numbers: a symbol (`n`), an
/// expression of symbols (`d*h`), a list of them (`[n, d*h]`), the shape
/// or size of a shape-only array. An int64 scalar or vector to every rule;
/// a size to every argument that takes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sizes {
    pub dims: Vec<Dim>,
    /// A vector of sizes (`[n, d]`) rather than one size (`n`).
    pub vector: bool,
    /// The position of a `-1` in the vector (`[-1, d]`, for reshape), whose
    /// entry in `dims` means nothing.
    pub infer: Option<usize>,
}

impl Sizes {
    pub fn one(d: Dim) -> Sizes {
        Sizes {
            dims: vec![d],
            vector: false,
            infer: None,
        }
    }

    pub fn meta(&self) -> Meta {
        if self.vector {
            Meta::new(&[self.dims.len()], DType::Int64)
        } else {
            Meta::scalar(DType::Int64)
        }
    }

    /// `n`, or `[n, d·h]`.
    pub fn describe(&self) -> String {
        let dims: Vec<String> = (self.dims.iter().enumerate())
            .map(|(i, d)| {
                if self.infer == Some(i) {
                    "-1".to_string()
                } else {
                    d.expression()
                }
            })
            .collect();
        if self.vector {
            format!("[{}]", dims.join(", "))
        } else {
            dims.join("")
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
    /// One prediction for two runs of a rule, the second with every input
    /// of two possible dtypes (`int64 or float64`) taken as its other one:
    /// where the two give different dtypes, the result may be either.
    pub fn either(self, other: Kind) -> Kind {
        match (self, other) {
            (Kind::Array(p), Kind::Array(q)) if p.alt.is_none() && p.ndim() == q.ndim() => {
                let dtype = q.dtype;
                Kind::Array(p.or_dtype(dtype))
            }
            (Kind::Tuple(ps), Kind::Tuple(qs)) if ps.len() == qs.len() => Kind::Tuple(
                ps.into_iter()
                    .zip(qs)
                    .map(|((name, p), (_, q))| (name, p.either(q)))
                    .collect(),
            ),
            (first, _) => first,
        }
    }

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
            Value::Sizes(s) => Kind::Array(s.meta()),
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
            (Kind::Array(m), Value::Sizes(s)) => m.admits_meta(&s.meta()),
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
