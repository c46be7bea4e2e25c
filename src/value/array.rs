//! `Array`: an n-dimensional array of one of the five dtypes, the one element
//! trait `Elem` that generic code is written against, the dispatch macros,
//! and checked casts between dtypes.

use std::fmt;

use ndarray::{ArrayD, IxDyn};

use super::dtype::{C64, DType};

#[derive(Clone, Debug, PartialEq)]
pub enum Array {
    Bool(ArrayD<bool>),
    Int(ArrayD<i64>),
    F32(ArrayD<f32>),
    F64(ArrayD<f64>),
    C128(ArrayD<C64>),
}

/// Runs `$body` with `$a` bound to the inner `ArrayD<T>`, whatever its dtype.
#[macro_export]
macro_rules! with_array {
    ($arr:expr, $a:ident => $body:expr) => {
        match $arr {
            $crate::value::Array::Bool($a) => $body,
            $crate::value::Array::Int($a) => $body,
            $crate::value::Array::F32($a) => $body,
            $crate::value::Array::F64($a) => $body,
            $crate::value::Array::C128($a) => $body,
        }
    };
}

/// Like `with_array!`, but wraps the resulting `ArrayD<T>` back into the same
/// variant: for operations that keep the dtype (reshape, transpose, take).
#[macro_export]
macro_rules! map_array {
    ($arr:expr, $a:ident => $body:expr) => {
        match $arr {
            $crate::value::Array::Bool($a) => $crate::value::Array::Bool($body),
            $crate::value::Array::Int($a) => $crate::value::Array::Int($body),
            $crate::value::Array::F32($a) => $crate::value::Array::F32($body),
            $crate::value::Array::F64($a) => $crate::value::Array::F64($body),
            $crate::value::Array::C128($a) => $crate::value::Array::C128($body),
        }
    };
}

/// Element conversions used by casts and promotion. Every conversion here is
/// exact or IEEE-rounded; lossy ones (float to int, complex to real) are
/// checked by `Array::cast`.
pub trait Elem: Copy + Send + Sync + PartialEq + Default + fmt::Debug + 'static {
    const DTYPE: DType;
    fn to_c64(self) -> C64;
    fn from_bool(v: bool) -> Self;
    fn from_i64(v: i64) -> Self;
    fn from_f64(v: f64) -> Self;
    fn zero() -> Self {
        Self::from_bool(false)
    }
    fn one() -> Self {
        Self::from_bool(true)
    }
    /// The complex conjugate; the identity for every other dtype.
    fn conj(self) -> Self {
        self
    }
    fn wrap(a: ArrayD<Self>) -> Array;
    /// The elements inside `a` if it has this dtype.
    fn borrow(a: &Array) -> Option<&ArrayD<Self>>;
    fn borrow_mut(a: &mut Array) -> Option<&mut ArrayD<Self>>;
    /// The elements of `a`, widened to this dtype if need be (promotion
    /// only widens).
    fn take(a: Array) -> ArrayD<Self>;
}

/// The parts of `Elem` that only name the variant of `Array`.
macro_rules! variant_access {
    ($variant:ident) => {
        fn wrap(a: ArrayD<Self>) -> Array {
            Array::$variant(a)
        }
        fn borrow(a: &Array) -> Option<&ArrayD<Self>> {
            match a {
                Array::$variant(x) => Some(x),
                _ => None,
            }
        }
        fn borrow_mut(a: &mut Array) -> Option<&mut ArrayD<Self>> {
            match a {
                Array::$variant(x) => Some(x),
                _ => None,
            }
        }
        fn take(a: Array) -> ArrayD<Self> {
            match a {
                Array::$variant(x) => x,
                other => match other.widen(Self::DTYPE) {
                    Array::$variant(x) => x,
                    _ => unreachable!("widen gives the dtype asked for"),
                },
            }
        }
    };
}

impl Elem for bool {
    const DTYPE: DType = DType::Bool;
    fn to_c64(self) -> C64 {
        C64::new(self as u8 as f64, 0.0)
    }
    fn from_bool(v: bool) -> Self {
        v
    }
    fn from_i64(v: i64) -> Self {
        v != 0
    }
    fn from_f64(v: f64) -> Self {
        v != 0.0
    }
    variant_access!(Bool);
}

impl Elem for i64 {
    const DTYPE: DType = DType::Int64;
    fn to_c64(self) -> C64 {
        C64::new(self as f64, 0.0)
    }
    fn from_bool(v: bool) -> Self {
        v as i64
    }
    fn from_i64(v: i64) -> Self {
        v
    }
    fn from_f64(v: f64) -> Self {
        v as i64
    }
    variant_access!(Int);
}

impl Elem for f32 {
    const DTYPE: DType = DType::Float32;
    fn to_c64(self) -> C64 {
        C64::new(self as f64, 0.0)
    }
    fn from_bool(v: bool) -> Self {
        v as u8 as f32
    }
    fn from_i64(v: i64) -> Self {
        v as f32
    }
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    variant_access!(F32);
}

impl Elem for f64 {
    const DTYPE: DType = DType::Float64;
    fn to_c64(self) -> C64 {
        C64::new(self, 0.0)
    }
    fn from_bool(v: bool) -> Self {
        v as u8 as f64
    }
    fn from_i64(v: i64) -> Self {
        v as f64
    }
    fn from_f64(v: f64) -> Self {
        v
    }
    variant_access!(F64);
}

impl Elem for C64 {
    const DTYPE: DType = DType::Complex128;
    fn to_c64(self) -> C64 {
        self
    }
    fn from_bool(v: bool) -> Self {
        C64::new(v as u8 as f64, 0.0)
    }
    fn from_i64(v: i64) -> Self {
        C64::new(v as f64, 0.0)
    }
    fn from_f64(v: f64) -> Self {
        C64::new(v, 0.0)
    }
    fn conj(self) -> Self {
        num_complex::Complex::conj(&self)
    }
    variant_access!(C128);
}

/// Why a cast was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum CastError {
    /// Complex to real would drop imaginary parts.
    DropsImaginary,
    /// NaN or an infinity to int64.
    NotFinite(f64),
    /// A float outside int64's range.
    OutOfRange(f64),
}

impl Array {
    pub fn dtype(&self) -> DType {
        match self {
            Array::Bool(_) => DType::Bool,
            Array::Int(_) => DType::Int64,
            Array::F32(_) => DType::Float32,
            Array::F64(_) => DType::Float64,
            Array::C128(_) => DType::Complex128,
        }
    }

    pub fn shape(&self) -> &[usize] {
        with_array!(self, a => a.shape())
    }

    pub fn ndim(&self) -> usize {
        self.shape().len()
    }

    pub fn len(&self) -> usize {
        self.shape().iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_scalar(&self) -> bool {
        self.ndim() == 0
    }

    /// Bytes of element storage.
    pub fn nbytes(&self) -> usize {
        self.len() * self.dtype().size()
    }

    pub fn scalar_int(v: i64) -> Array {
        Array::Int(ArrayD::from_elem(IxDyn(&[]), v))
    }

    pub fn scalar_f64(v: f64) -> Array {
        Array::F64(ArrayD::from_elem(IxDyn(&[]), v))
    }

    pub fn scalar_bool(v: bool) -> Array {
        Array::Bool(ArrayD::from_elem(IxDyn(&[]), v))
    }

    pub fn scalar_c64(v: C64) -> Array {
        Array::C128(ArrayD::from_elem(IxDyn(&[]), v))
    }

    /// Every element as complex, in logical (row-major) order.
    pub fn iter_c64(&self) -> Box<dyn Iterator<Item = C64> + '_> {
        with_array!(self, a => Box::new(a.iter().map(|&x| x.to_c64())))
    }

    /// Converts to another dtype. Widening always succeeds; narrowing follows
    /// NumPy's `astype` (float to int truncates toward zero) but refuses what
    /// NumPy does silently wrong: NaN or out-of-range floats to int, and
    /// dropping imaginary parts.
    pub fn cast(&self, to: DType) -> Result<Array, CastError> {
        if self.dtype() == to {
            return Ok(self.clone());
        }
        Ok(match (self, to) {
            (_, DType::Complex128) => Array::C128(with_array!(self, a => a.mapv(|x| x.to_c64()))),
            // Truth is `x != 0`, which loses nothing even for complex x.
            (_, DType::Bool) => {
                Array::Bool(with_array!(self, a => a.mapv(|x| x.to_c64() != C64::new(0.0, 0.0))))
            }
            (Array::C128(a), _) => {
                if a.iter().any(|z| z.im != 0.0) {
                    return Err(CastError::DropsImaginary);
                }
                Array::F64(a.mapv(|z| z.re)).cast(to)?
            }
            (Array::Bool(a), DType::Int64) => Array::Int(a.mapv(i64::from_bool)),
            (Array::Bool(a), DType::Float32) => Array::F32(a.mapv(f32::from_bool)),
            (Array::Bool(a), DType::Float64) => Array::F64(a.mapv(f64::from_bool)),
            (Array::Int(a), DType::Float32) => Array::F32(a.mapv(|x| x as f32)),
            (Array::Int(a), DType::Float64) => Array::F64(a.mapv(|x| x as f64)),
            (Array::F32(a), DType::Float64) => Array::F64(a.mapv(|x| x as f64)),
            (Array::F64(a), DType::Float32) => Array::F32(a.mapv(|x| x as f32)),
            (Array::F32(a), DType::Int64) => float_to_int(a.mapv(|x| x as f64))?,
            (Array::F64(a), DType::Int64) => float_to_int(a.clone())?,
            _ => unreachable!("cast {:?} to {to:?}", self.dtype()),
        })
    }

    /// Casting for promotion, which only ever widens.
    pub fn widen(&self, to: DType) -> Array {
        match self.cast(to) {
            Ok(a) => a,
            Err(e) => unreachable!("widening {:?} to {to:?} failed: {e:?}", self.dtype()),
        }
    }

    pub fn to_f64_array(&self) -> Result<ArrayD<f64>, CastError> {
        match self.cast(DType::Float64)? {
            Array::F64(a) => Ok(a),
            _ => unreachable!(),
        }
    }

    pub fn to_i64_array(&self) -> Result<ArrayD<i64>, CastError> {
        match self.cast(DType::Int64)? {
            Array::Int(a) => Ok(a),
            _ => unreachable!(),
        }
    }

    pub fn to_c64_array(&self) -> ArrayD<C64> {
        match self.widen(DType::Complex128) {
            Array::C128(a) => a,
            _ => unreachable!(),
        }
    }

    pub fn to_bool_array(&self) -> ArrayD<bool> {
        match self.cast(DType::Bool) {
            Ok(Array::Bool(a)) => a,
            _ => unreachable!("every dtype casts to bool"),
        }
    }

    /// The single element of a 0-d or size-1 array.
    pub fn first_c64(&self) -> Option<C64> {
        self.iter_c64().next()
    }
}

fn float_to_int(a: ArrayD<f64>) -> Result<Array, CastError> {
    // 2^63 is the first float past i64::MAX.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    for &x in a.iter() {
        if !x.is_finite() {
            return Err(CastError::NotFinite(x));
        }
        if x.trunc() >= LIMIT || x.trunc() < -LIMIT {
            return Err(CastError::OutOfRange(x));
        }
    }
    Ok(Array::Int(a.mapv(|x| x as i64)))
}
