//! NumPy's everyday array functions and the deep-learning helpers: each
//! with its rule (metadata in, metadata or a typed error out) and its
//! kernel. Facts only; the words are in `eval/errors/everyday.rs`.

use ndarray::{ArrayD, Axis, IxDyn, Slice};

use super::broadcast::{broadcast_dims, broadcast_shapes, view_as};
use super::cancel::CancelToken;
use super::error::{OpError, OpResult};
use super::limits::{Limits, check_alloc};
use super::shape::normalize_axis;
use crate::map_array;
use crate::value::{Array, C64, DType, Dim, Elem, Meta, promote};

/// Why one of these functions refuses its arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum EverydayError {
    /// A count that must not be negative (`repeat`'s repeats, `diff`'s n,
    /// `one_hot`'s classes, `tile`'s reps).
    Negative { what: &'static str, value: i64 },
    /// An array with fewer axes than the function needs.
    TooFewAxes { need: usize, ndim: usize },
    /// `repeat` with one count per element but the wrong number of them.
    RepeatsLength { len: usize, given: usize },
    /// A label outside `0..n` for `one_hot`.
    Label { value: i64, classes: usize },
    /// Integer input where whole numbers are required and floats were given.
    NotIndices { dtype: DType },
    /// `one_hot` of no labels without `n`: there is no largest label.
    NoLabels,
}

fn fail_at(arg: usize, err: EverydayError) -> OpError {
    OpError::Everyday {
        err,
        arg: Some(arg),
    }
}

/// The elements of `x` in row-major order, in a new shape of as many
/// elements (whatever `x`'s memory layout).
fn reshaped<T: Clone>(x: &ArrayD<T>, shape: &[usize]) -> ArrayD<T> {
    ArrayD::from_shape_vec(IxDyn(shape), x.iter().cloned().collect()).expect("same length")
}

fn axis_at(arg: usize, axis: i64, ndim: usize) -> OpResult<usize> {
    normalize_axis(axis, ndim).map_err(|_| OpError::Axis {
        axis,
        ndim,
        arg: Some(arg),
    })
}

// ---------------------------------------------------------------- math

/// Elementwise functions beyond `ops::elementwise`'s, computed in float64
/// (float32 in, float32 out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Math {
    IsNan,
    IsInf,
    IsFinite,
    Trunc,
    Exp2,
    Expm1,
    Log1p,
    Deg2Rad,
    Rad2Deg,
    Square,
    Cbrt,
    Reciprocal,
    Sigmoid,
    Relu,
}

impl Math {
    pub fn name(self) -> &'static str {
        match self {
            Math::IsNan => "isnan",
            Math::IsInf => "isinf",
            Math::IsFinite => "isfinite",
            Math::Trunc => "trunc",
            Math::Exp2 => "exp2",
            Math::Expm1 => "expm1",
            Math::Log1p => "log1p",
            Math::Deg2Rad => "deg2rad",
            Math::Rad2Deg => "rad2deg",
            Math::Square => "square",
            Math::Cbrt => "cbrt",
            Math::Reciprocal => "reciprocal",
            Math::Sigmoid => "sigmoid",
            Math::Relu => "relu",
        }
    }

    fn real(self, v: f64) -> f64 {
        match self {
            Math::Trunc => v.trunc(),
            Math::Exp2 => v.exp2(),
            Math::Expm1 => v.exp_m1(),
            Math::Log1p => v.ln_1p(),
            Math::Deg2Rad => v.to_radians(),
            Math::Rad2Deg => v.to_degrees(),
            Math::Square => v * v,
            Math::Cbrt => v.cbrt(),
            Math::Reciprocal => 1.0 / v,
            // Stable on both sides: exp of a non-positive number only.
            Math::Sigmoid => {
                if v >= 0.0 {
                    1.0 / (1.0 + (-v).exp())
                } else {
                    let e = v.exp();
                    e / (1.0 + e)
                }
            }
            Math::Relu => {
                if v > 0.0 || v.is_nan() {
                    v
                } else {
                    0.0
                }
            }
            Math::IsNan | Math::IsInf | Math::IsFinite => unreachable!("predicates"),
        }
    }
}

/// The rule of a `Math` function.
pub fn math_rule(f: Math, x: &Meta) -> OpResult<Meta> {
    use DType::*;
    let dt = match (f, x.dtype) {
        (Math::IsNan | Math::IsInf | Math::IsFinite, _) => Bool,
        (Math::Square, Bool) => Bool,
        (Math::Trunc | Math::Square | Math::Relu | Math::Reciprocal, Int64) => Int64,
        (Math::Trunc | Math::Relu, Bool) => Bool,
        (Math::Reciprocal, Bool) => Int64,
        (Math::Square | Math::Reciprocal | Math::Exp2, Complex128) => Complex128,
        (_, Complex128) => return Err(OpError::dtype(f.name(), Complex128)),
        (_, Bool | Int64) => Float64,
        (_, other) => other,
    };
    Ok(x.retyped(dt))
}

pub fn math(f: Math, a: &Array) -> OpResult<Array> {
    let out = math_rule(f, &Meta::of(a))?.dtype;
    let pred = |t: fn(f64) -> bool, tc: fn(C64) -> bool| -> Array {
        match a {
            Array::Bool(x) => Array::Bool(x.mapv(|_| t(0.0))),
            Array::Int(x) => Array::Bool(x.mapv(|_| t(0.0))),
            Array::F32(x) => Array::Bool(x.mapv(|v| t(v as f64))),
            Array::F64(x) => Array::Bool(x.mapv(t)),
            Array::C128(x) => Array::Bool(x.mapv(tc)),
        }
    };
    Ok(match (f, a, out) {
        (Math::IsNan, ..) => pred(f64::is_nan, |z| z.re.is_nan() || z.im.is_nan()),
        (Math::IsInf, ..) => pred(f64::is_infinite, |z| {
            z.re.is_infinite() || z.im.is_infinite()
        }),
        (Math::IsFinite, ..) => pred(f64::is_finite, |z| z.re.is_finite() && z.im.is_finite()),
        (_, Array::Bool(x), DType::Bool) => Array::Bool(match f {
            Math::Square | Math::Trunc | Math::Relu => x.clone(),
            _ => unreachable!("bool to bool"),
        }),
        (_, Array::Bool(_) | Array::Int(_), DType::Int64) => {
            let x = a.to_i64_array().expect("widen");
            Array::Int(match f {
                Math::Trunc => x,
                Math::Relu => x.mapv(|v| v.max(0)),
                Math::Square => {
                    let mut out = Vec::with_capacity(x.len());
                    for &v in x.iter() {
                        out.push(
                            v.checked_mul(v)
                                .ok_or_else(|| OpError::overflow("square"))?,
                        );
                    }
                    ArrayD::from_shape_vec(x.raw_dim(), out).expect("same length")
                }
                Math::Reciprocal => {
                    if x.iter().any(|&v| v == 0) {
                        return Err(OpError::DivideByZero {
                            op: "reciprocal".into(),
                        });
                    }
                    x.mapv(|v| 1 / v)
                }
                _ => unreachable!("int to int"),
            })
        }
        (_, Array::C128(z), _) => Array::C128(match f {
            Math::Square => z.mapv(|v| v * v),
            // NumPy's exp2 of a complex z: exp(z·ln 2), a real z kept real
            // (exp's rule, so exp2(1000+0j) is inf+0j, not inf+nanj).
            Math::Exp2 => z.mapv(|v| {
                let w = v * std::f64::consts::LN_2;
                if w.im == 0.0 {
                    C64::new(w.re.exp(), w.im)
                } else {
                    w.exp()
                }
            }),
            _ => z.mapv(|v| C64::new(1.0, 0.0) / v),
        }),
        (_, Array::F32(x), _) => Array::F32(x.mapv(|v| f.real(v as f64) as f32)),
        _ => Array::F64(a.to_f64_array().expect("real").mapv(|v| f.real(v))),
    })
}

/// Two-argument real functions, with broadcasting and promotion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Math2 {
    Hypot,
    Arctan2,
    Fmod,
}

impl Math2 {
    pub fn name(self) -> &'static str {
        match self {
            Math2::Hypot => "hypot",
            Math2::Arctan2 => "arctan2",
            Math2::Fmod => "fmod",
        }
    }
}

pub fn math2_rule(f: Math2, x: &Meta, y: &Meta) -> OpResult<Meta> {
    let dt = promote(x.dtype, x.is_scalar(), y.dtype, y.is_scalar());
    let dt = match dt {
        DType::Complex128 => return Err(OpError::dtype(f.name(), dt)),
        // Two bools are integers here, as for `%` (NumPy: int8).
        DType::Bool | DType::Int64 if f == Math2::Fmod => DType::Int64,
        DType::Bool | DType::Int64 => DType::Float64,
        other => other,
    };
    Ok(Meta::with_dims(broadcast_dims(&x.shape, &y.shape)?, dt))
}

pub fn math2(f: Math2, a: &Array, b: &Array) -> OpResult<Array> {
    let out = math2_rule(f, &Meta::of(a), &Meta::of(b))?;
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    if out.dtype == DType::Int64 {
        let (x, y) = (
            a.to_i64_array().expect("int"),
            b.to_i64_array().expect("int"),
        );
        let (x, y) = (view_as(&x, &shape), view_as(&y, &shape));
        let mut v = Vec::with_capacity(x.len());
        for (&p, &q) in x.iter().zip(y.iter()) {
            if q == 0 {
                return Err(OpError::DivideByZero { op: "fmod".into() });
            }
            v.push(p.wrapping_rem(q));
        }
        return Ok(Array::Int(
            ArrayD::from_shape_vec(IxDyn(&shape), v).expect("len"),
        ));
    }
    let (x, y) = (
        a.to_f64_array().expect("real"),
        b.to_f64_array().expect("real"),
    );
    let (x, y) = (view_as(&x, &shape), view_as(&y, &shape));
    let g = |p: f64, q: f64| match f {
        Math2::Hypot => p.hypot(q),
        Math2::Arctan2 => p.atan2(q),
        Math2::Fmod => p % q,
    };
    let v: Vec<f64> = x.iter().zip(y.iter()).map(|(&p, &q)| g(p, q)).collect();
    let r = ArrayD::from_shape_vec(IxDyn(&shape), v).expect("len");
    Ok(if out.dtype == DType::Float32 {
        Array::F32(r.mapv(|v| v as f32))
    } else {
        Array::F64(r)
    })
}

/// The rule of isclose: shapes broadcast, bool out.
pub fn isclose_rule(x: &Meta, y: &Meta) -> OpResult<Meta> {
    Ok(Meta::with_dims(
        broadcast_dims(&x.shape, &y.shape)?,
        DType::Bool,
    ))
}

/// NumPy's isclose: |a - b| <= atol + rtol·|b|, infinities equal when
/// they have the same sign, nan equal to nan only with `equal_nan`.
pub fn isclose(
    a: &Array,
    b: &Array,
    rtol: f64,
    atol: f64,
    equal_nan: bool,
) -> OpResult<ArrayD<bool>> {
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    let close = |p: C64, q: C64| {
        let nan = |z: C64| z.re.is_nan() || z.im.is_nan();
        if nan(p) || nan(q) {
            return equal_nan && nan(p) && nan(q);
        }
        if p == q {
            return true;
        }
        let inf = |z: C64| z.re.is_infinite() || z.im.is_infinite();
        if inf(p) || inf(q) {
            return false;
        }
        (p - q).norm() <= atol + rtol * q.norm()
    };
    let (x, y) = (a.to_c64_array(), b.to_c64_array());
    let (x, y) = (view_as(&x, &shape), view_as(&y, &shape));
    let v: Vec<bool> = x.iter().zip(y.iter()).map(|(&p, &q)| close(p, q)).collect();
    Ok(ArrayD::from_shape_vec(IxDyn(&shape), v).expect("len"))
}

/// array_equal: same shape and equal elements (nan never equal).
pub fn array_equal(a: &Array, b: &Array) -> bool {
    a.shape() == b.shape() && a.iter_c64().zip(b.iter_c64()).all(|(p, q)| p == q)
}

// -------------------------------------------------------- deep learning

/// Which of the softmax family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Soft {
    Softmax,
    LogSoftmax,
    LogSumExp,
}

/// softmax and log_softmax keep the shape; logsumexp reduces the axis (or
/// everything when `axis` is None). Float out; complex refused.
pub fn soft_rule(kind: Soft, x: &Meta, axis: Option<i64>, keepdims: bool) -> OpResult<Meta> {
    let axis = scalar_axis(x.ndim(), axis);
    let dt = match x.dtype {
        DType::Complex128 => {
            let name = match kind {
                Soft::Softmax => "softmax",
                Soft::LogSoftmax => "log_softmax",
                Soft::LogSumExp => "logsumexp",
            };
            return Err(OpError::dtype(name, DType::Complex128));
        }
        DType::Float32 => DType::Float32,
        _ => DType::Float64,
    };
    let ax = match axis {
        Some(a) => Some(axis_at(1, a, x.ndim())?),
        None => None,
    };
    if kind != Soft::LogSumExp {
        return Ok(x.retyped(dt));
    }
    let shape = match (ax, keepdims) {
        (None, false) => vec![],
        (None, true) => vec![Dim::Known(1); x.ndim()],
        (Some(k), false) => {
            let mut s = x.shape.clone();
            s.remove(k);
            s
        }
        (Some(k), true) => {
            let mut s = x.shape.clone();
            s[k] = Dim::Known(1);
            s
        }
    };
    Ok(Meta::with_dims(shape, dt))
}

/// A 0-d array's only lane is itself: axis 0 or -1 means all of it, as
/// for NumPy's reductions (and SciPy's softmax family).
fn scalar_axis(ndim: usize, axis: Option<i64>) -> Option<i64> {
    match axis {
        Some(0 | -1) if ndim == 0 => None,
        other => other,
    }
}

/// max-shifted log-sum-exp of one lane; -inf for an empty or all -inf lane.
fn lse(lane: &[f64]) -> f64 {
    let m = lane.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lane.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    if m.is_infinite() {
        return m;
    }
    m + lane.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}

pub fn soft(kind: Soft, a: &Array, axis: Option<i64>, keepdims: bool) -> OpResult<Array> {
    let out = soft_rule(kind, &Meta::of(a), axis, keepdims)?;
    let axis = scalar_axis(a.ndim(), axis);
    let x = a.to_f64_array().expect("real");
    let result: ArrayD<f64> = match axis {
        None => {
            let flat: Vec<f64> = x.iter().copied().collect();
            let l = lse(&flat);
            match kind {
                Soft::LogSumExp => ArrayD::from_elem(IxDyn(&out.concrete().expect("concrete")), l),
                Soft::Softmax => x.mapv(|v| (v - l).exp()),
                Soft::LogSoftmax => x.mapv(|v| v - l),
            }
        }
        Some(ax) => {
            let k = axis_at(1, ax, x.ndim())?;
            let lses = x.map_axis(Axis(k), |lane| lse(&lane.to_vec()));
            let b = lses.clone().insert_axis(Axis(k));
            match kind {
                Soft::LogSumExp if keepdims => b,
                Soft::LogSumExp => lses,
                Soft::Softmax => {
                    let b = b.broadcast(x.raw_dim()).expect("same axes");
                    ndarray::Zip::from(&x)
                        .and(&b)
                        .map_collect(|&v, &l| (v - l).exp())
                }
                Soft::LogSoftmax => {
                    let b = b.broadcast(x.raw_dim()).expect("same axes");
                    ndarray::Zip::from(&x).and(&b).map_collect(|&v, &l| v - l)
                }
            }
        }
    };
    Ok(if out.dtype == DType::Float32 {
        Array::F32(result.mapv(|v| v as f32))
    } else {
        Array::F64(result)
    })
}

/// one_hot(labels, n): labels' shape plus an axis of n, int64.
pub fn one_hot_rule(labels: &Meta, n: Option<i64>) -> OpResult<Meta> {
    if labels.dtype.is_float() || labels.dtype == DType::Complex128 {
        return Err(fail_at(
            0,
            EverydayError::NotIndices {
                dtype: labels.dtype,
            },
        ));
    }
    let mut shape = labels.shape.clone();
    match n {
        Some(n) if n < 0 => {
            return Err(fail_at(
                1,
                EverydayError::Negative {
                    what: "number of classes",
                    value: n,
                },
            ));
        }
        Some(n) => shape.push(Dim::Known(n as usize)),
        // No labels (an axis known to be 0): no largest label to count
        // from, a shape fact the checker sees too.
        None if labels.shape.iter().any(|d| d.value() == Some(0)) => {
            return Err(fail_at(0, EverydayError::NoLabels));
        }
        None => shape.push(Dim::Unknown),
    }
    Ok(Meta::with_dims(shape, DType::Int64))
}

pub fn one_hot(labels: &Array, n: Option<i64>, limits: &Limits) -> OpResult<Array> {
    one_hot_rule(&Meta::of(labels), n)?;
    let l = labels.to_i64_array().expect("ints");
    let n = match n {
        Some(n) => n as usize,
        // PyTorch: one more than the largest label; no labels, no count.
        None => match l.iter().copied().max() {
            Some(m) => (m.max(-1) + 1) as usize,
            None => return Err(fail_at(0, EverydayError::NoLabels)),
        },
    };
    let mut shape = l.shape().to_vec();
    shape.push(n);
    check_alloc(&shape, DType::Int64, limits)?;
    let mut out = vec![0i64; l.len() * n];
    for (i, &v) in l.iter().enumerate() {
        if v < 0 || v as usize >= n {
            return Err(fail_at(
                0,
                EverydayError::Label {
                    value: v,
                    classes: n,
                },
            ));
        }
        out[i * n + v as usize] = 1;
    }
    Ok(Array::Int(
        ArrayD::from_shape_vec(IxDyn(&shape), out).expect("len"),
    ))
}

// --------------------------------------------------------------- arrays

/// The rule of flip: the same metadata; the axis must exist.
pub fn flip_rule(x: &Meta, axis: Option<i64>, need: usize) -> OpResult<Meta> {
    if x.ndim() < need {
        return Err(fail_at(
            0,
            EverydayError::TooFewAxes {
                need,
                ndim: x.ndim(),
            },
        ));
    }
    if let Some(a) = axis {
        axis_at(1, a, x.ndim())?;
    }
    Ok(x.clone())
}

pub fn flip(a: &Array, axis: Option<i64>) -> OpResult<Array> {
    flip_rule(&Meta::of(a), axis, 0)?;
    let axes: Vec<usize> = match axis {
        Some(k) => vec![axis_at(1, k, a.ndim())?],
        None => (0..a.ndim()).collect(),
    };
    Ok(map_array!(a, x => {
        let mut v = x.view();
        for &k in &axes {
            v.invert_axis(Axis(k));
        }
        v.to_owned()
    }))
}

/// roll: the same metadata.
pub fn roll_rule(x: &Meta, axis: Option<i64>) -> OpResult<Meta> {
    flip_rule(x, axis, 0)
}

pub fn roll(a: &Array, shift: i64, axis: Option<i64>) -> OpResult<Array> {
    roll_rule(&Meta::of(a), axis)?;
    fn roll_lane<T: Clone>(x: &ArrayD<T>, k: usize, shift: i64) -> ArrayD<T> {
        let n = x.shape()[k];
        if n == 0 {
            return x.clone();
        }
        let s = shift.rem_euclid(n as i64) as usize;
        let tail = x.slice_axis(Axis(k), Slice::from(n - s..));
        let head = x.slice_axis(Axis(k), Slice::from(..n - s));
        ndarray::concatenate(Axis(k), &[tail, head]).expect("same shapes")
    }
    Ok(match axis {
        Some(k) => {
            let k = axis_at(2, k, a.ndim())?;
            map_array!(a, x => roll_lane(x, k, shift))
        }
        None => {
            let shape = a.shape().to_vec();
            map_array!(a, x => {
                let flat = ArrayD::from_shape_vec(IxDyn(&[x.len()]), x.iter().cloned().collect())
                    .expect("len");
                reshaped(&roll_lane(&flat, 0, shift), &shape)
            })
        }
    })
}

/// swapaxes: the two lengths change places.
pub fn swapaxes_rule(x: &Meta, a1: i64, a2: i64) -> OpResult<Meta> {
    let (i, j) = (axis_at(1, a1, x.ndim())?, axis_at(2, a2, x.ndim())?);
    let mut m = x.clone();
    m.shape.swap(i, j);
    Ok(m)
}

pub fn swapaxes(a: &Array, a1: i64, a2: i64) -> OpResult<Array> {
    let (i, j) = (axis_at(1, a1, a.ndim())?, axis_at(2, a2, a.ndim())?);
    Ok(map_array!(a, x => {
        let mut v = x.view();
        v.swap_axes(i, j);
        v.as_standard_layout().into_owned()
    }))
}

fn moveaxis_perm(ndim: usize, src: i64, dst: i64) -> OpResult<Vec<usize>> {
    let (s, d) = (axis_at(1, src, ndim)?, axis_at(2, dst, ndim)?);
    let mut order: Vec<usize> = (0..ndim).filter(|&k| k != s).collect();
    order.insert(d, s);
    Ok(order)
}

pub fn moveaxis_rule(x: &Meta, src: i64, dst: i64) -> OpResult<Meta> {
    let p = moveaxis_perm(x.ndim(), src, dst)?;
    let mut m = x.clone();
    m.shape = p.iter().map(|&k| x.shape[k].clone()).collect();
    Ok(m)
}

pub fn moveaxis(a: &Array, src: i64, dst: i64) -> OpResult<Array> {
    let p = moveaxis_perm(a.ndim(), src, dst)?;
    Ok(map_array!(a, x => x.view().permuted_axes(IxDyn(&p)).as_standard_layout().into_owned()))
}

/// atleast_1d / atleast_2d: NumPy prepends axes of length 1 (a vector
/// becomes a row).
pub fn atleast_rule(x: &Meta, n: usize) -> Meta {
    let mut m = x.clone();
    while m.shape.len() < n {
        m.shape.insert(0, Dim::Known(1));
    }
    m
}

pub fn atleast(a: &Array, n: usize) -> Array {
    let mut shape = a.shape().to_vec();
    while shape.len() < n {
        shape.insert(0, 1);
    }
    map_array!(a, x => reshaped(x, &shape))
}

/// tril/triu: a matrix or a stack of them keeps its metadata; a vector v
/// becomes the len(v)×len(v) matrix of rows v, as in NumPy.
pub fn tri_rule(x: &Meta) -> OpResult<Meta> {
    match x.ndim() {
        0 => Err(fail_at(0, EverydayError::TooFewAxes { need: 1, ndim: 0 })),
        1 => Ok(Meta::with_dims(
            vec![x.shape[0].clone(), x.shape[0].clone()],
            x.dtype,
        )),
        _ => Ok(x.clone()),
    }
}

pub fn tri(a: &Array, k: i64, lower: bool, limits: &Limits) -> OpResult<Array> {
    let m = tri_rule(&Meta::of(a))?;
    let shape = m.concrete().expect("concrete");
    check_alloc(&shape, a.dtype(), limits)?;
    fn keep<T: Elem>(x: &ArrayD<T>, shape: &[usize], k: i64, lower: bool) -> ArrayD<T> {
        let mut out = view_as(x, shape).to_owned();
        let nd = shape.len();
        for (idx, v) in out.indexed_iter_mut() {
            let (i, j) = (idx[nd - 2] as i64, idx[nd - 1] as i64);
            let kept = if lower { j - i <= k } else { j - i >= k };
            if !kept {
                *v = T::zero();
            }
        }
        out
    }
    Ok(map_array!(a, x => keep(x, &shape, k, lower)))
}

/// The rule of cumsum/cumprod: flattened without an axis; bool becomes
/// int64.
pub fn cumulative_rule(x: &Meta, axis: Option<i64>) -> OpResult<Meta> {
    let dt = if x.dtype == DType::Bool {
        DType::Int64
    } else {
        x.dtype
    };
    match axis {
        Some(k) => {
            axis_at(1, k, x.ndim())?;
            Ok(x.retyped(dt))
        }
        None => Ok(Meta::with_dims(vec![Dim::product(&x.shape)], dt)),
    }
}

trait Accumulate: Elem {
    fn step(acc: Self, v: Self, product: bool) -> Option<Self>;
}
impl Accumulate for i64 {
    fn step(acc: i64, v: i64, product: bool) -> Option<i64> {
        if product {
            acc.checked_mul(v)
        } else {
            acc.checked_add(v)
        }
    }
}
macro_rules! float_accumulate {
    ($t:ty) => {
        impl Accumulate for $t {
            fn step(acc: $t, v: $t, product: bool) -> Option<$t> {
                Some(if product { acc * v } else { acc + v })
            }
        }
    };
}
float_accumulate!(f32);
float_accumulate!(f64);
float_accumulate!(C64);

fn accumulate<T: Accumulate>(x: &ArrayD<T>, k: usize, product: bool) -> OpResult<ArrayD<T>> {
    let mut out = x.clone();
    let name = if product { "cumprod" } else { "cumsum" };
    for mut lane in out.lanes_mut(Axis(k)) {
        let mut acc = if product { T::one() } else { T::zero() };
        for v in lane.iter_mut() {
            acc = T::step(acc, *v, product).ok_or_else(|| OpError::overflow(name))?;
            *v = acc;
        }
    }
    Ok(out)
}

pub fn cumulative(a: &Array, axis: Option<i64>, product: bool) -> OpResult<Array> {
    cumulative_rule(&Meta::of(a), axis)?;
    let (a, k) = match axis {
        Some(k) => (a.clone(), axis_at(1, k, a.ndim())?),
        None => (
            map_array!(a, x => ArrayD::from_shape_vec(IxDyn(&[x.len()]), x.iter().cloned().collect()).expect("len")),
            0,
        ),
    };
    Ok(match &a {
        Array::Bool(_) | Array::Int(_) => {
            Array::Int(accumulate(&a.to_i64_array().expect("int"), k, product)?)
        }
        Array::F32(x) => Array::F32(accumulate(x, k, product)?),
        Array::F64(x) => Array::F64(accumulate(x, k, product)?),
        Array::C128(x) => Array::C128(accumulate(x, k, product)?),
    })
}

/// diff: the axis shrinks by n (to 0 at least); bool stays bool (xor).
pub fn diff_rule(x: &Meta, n: i64, axis: i64) -> OpResult<Meta> {
    if n < 0 {
        return Err(fail_at(
            1,
            EverydayError::Negative {
                what: "order n",
                value: n,
            },
        ));
    }
    if x.ndim() == 0 {
        return Err(fail_at(0, EverydayError::TooFewAxes { need: 1, ndim: 0 }));
    }
    let k = axis_at(2, axis, x.ndim())?;
    let mut m = x.clone();
    m.shape[k] = match &x.shape[k] {
        Dim::Known(len) => Dim::Known(len.saturating_sub(n as usize)),
        other if n == 0 => other.clone(),
        _ => Dim::Unknown,
    };
    Ok(m)
}

pub fn diff(a: &Array, n: i64, axis: i64) -> OpResult<Array> {
    diff_rule(&Meta::of(a), n, axis)?;
    let k = axis_at(2, axis, a.ndim())?;
    let mut cur = a.clone();
    for _ in 0..n {
        let len = cur.shape()[k];
        if len == 0 {
            break;
        }
        let hi = |x: &Array| map_array!(x, v => v.slice_axis(Axis(k), Slice::from(1..)).to_owned());
        let lo = |x: &Array| map_array!(x, v => v.slice_axis(Axis(k), Slice::from(..len - 1)).to_owned());
        let (h, l) = (hi(&cur), lo(&cur));
        cur = match (h, l) {
            (Array::Bool(p), Array::Bool(q)) => Array::Bool(&p ^ &q),
            (Array::Int(p), Array::Int(q)) => {
                let mut v = Vec::with_capacity(p.len());
                for (&s, &t) in p.iter().zip(q.iter()) {
                    v.push(s.checked_sub(t).ok_or_else(|| OpError::overflow("diff"))?);
                }
                Array::Int(ArrayD::from_shape_vec(p.raw_dim(), v).expect("len"))
            }
            (Array::F32(p), Array::F32(q)) => Array::F32(&p - &q),
            (Array::F64(p), Array::F64(q)) => Array::F64(&p - &q),
            (Array::C128(p), Array::C128(q)) => Array::C128(&p - &q),
            _ => unreachable!("same dtype"),
        };
    }
    Ok(cur)
}

/// NumPy's sort order: nan last; complex lexicographic.
fn order(p: C64, q: C64) -> std::cmp::Ordering {
    let key = |v: f64| (v.is_nan(), v);
    let (a, b) = (key(p.re), key(q.re));
    a.0.cmp(&b.0)
        .then(a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal))
        .then_with(|| {
            let (c, d) = (key(p.im), key(q.im));
            c.0.cmp(&d.0)
                .then(c.1.partial_cmp(&d.1).unwrap_or(std::cmp::Ordering::Equal))
        })
}

/// sort / argsort: along axis (flattened when None); argsort gives int64.
pub fn sort_rule(x: &Meta, axis: Option<i64>, arg: bool) -> OpResult<Meta> {
    let dt = if arg { DType::Int64 } else { x.dtype };
    match axis {
        Some(k) => {
            if x.ndim() == 0 {
                return Err(fail_at(0, EverydayError::TooFewAxes { need: 1, ndim: 0 }));
            }
            axis_at(1, k, x.ndim())?;
            Ok(x.retyped(dt))
        }
        None => Ok(Meta::with_dims(vec![Dim::product(&x.shape)], dt)),
    }
}

/// How many comparisons a sort makes between looks at the cancel token:
/// a few hundred microseconds of work.
const CANCEL_EVERY: u32 = 1 << 16;

/// Stable sort along an axis: the permutation of every lane. A sort of
/// 10^8 elements takes many seconds and `slice::sort_by` has no way out, so
/// the comparison looks at the cancel token now and then; once a stop is
/// requested every comparison says "equal", the sort runs out in a cheap
/// pass, and the permutation is thrown away.
fn lane_orders(a: &Array, k: usize, cancel: &CancelToken) -> OpResult<ArrayD<i64>> {
    let z = a.to_c64_array();
    let mut out = ArrayD::<i64>::zeros(z.raw_dim());
    let mut count = 0u32;
    let mut stopped = false;
    for (lane, mut o) in z.lanes(Axis(k)).into_iter().zip(out.lanes_mut(Axis(k))) {
        let vals: Vec<C64> = lane.iter().copied().collect();
        let mut idx: Vec<usize> = (0..vals.len()).collect();
        idx.sort_by(|&i, &j| {
            count = count.wrapping_add(1);
            if count.is_multiple_of(CANCEL_EVERY) && cancel.is_requested() {
                stopped = true;
            }
            if stopped {
                std::cmp::Ordering::Equal
            } else {
                order(vals[i], vals[j])
            }
        });
        if stopped || cancel.is_requested() {
            return Err(OpError::Interrupted);
        }
        for (slot, i) in o.iter_mut().zip(idx) {
            *slot = i as i64;
        }
    }
    Ok(out)
}

pub fn sort(a: &Array, axis: Option<i64>, arg: bool, cancel: &CancelToken) -> OpResult<Array> {
    sort_rule(&Meta::of(a), axis, arg)?;
    let (a, k) = match axis {
        Some(k) => (a.clone(), axis_at(1, k, a.ndim())?),
        None => (
            map_array!(a, x => ArrayD::from_shape_vec(IxDyn(&[x.len()]), x.iter().cloned().collect()).expect("len")),
            0,
        ),
    };
    let perm = lane_orders(&a, k, cancel)?;
    if arg {
        return Ok(Array::Int(perm));
    }
    Ok(map_array!(&a, x => {
        let mut out = x.clone();
        for ((src, p), mut dst) in x
            .lanes(Axis(k))
            .into_iter()
            .zip(perm.lanes(Axis(k)))
            .zip(out.lanes_mut(Axis(k)))
        {
            for (d, &i) in dst.iter_mut().zip(p.iter()) {
                *d = src[i as usize];
            }
        }
        out
    }))
}

/// count_nonzero: int64, over everything or along an axis.
pub fn count_nonzero_rule(x: &Meta, axis: Option<i64>) -> OpResult<Meta> {
    match axis {
        None => Ok(Meta::scalar(DType::Int64)),
        Some(k) => {
            let k = axis_at(1, k, x.ndim())?;
            let mut s = x.shape.clone();
            s.remove(k);
            Ok(Meta::with_dims(s, DType::Int64))
        }
    }
}

pub fn count_nonzero(a: &Array, axis: Option<i64>) -> OpResult<Array> {
    count_nonzero_rule(&Meta::of(a), axis)?;
    let nz = a.to_c64_array().mapv(|z| (z != C64::new(0.0, 0.0)) as i64);
    Ok(Array::Int(match axis {
        None => ArrayD::from_elem(IxDyn(&[]), nz.sum()),
        Some(k) => nz.sum_axis(Axis(axis_at(1, k, a.ndim())?)),
    }))
}

/// where(cond, x, y): all three broadcast; x and y promote.
pub fn where_rule(c: &Meta, x: &Meta, y: &Meta) -> OpResult<Meta> {
    let dt = promote(x.dtype, x.is_scalar(), y.dtype, y.is_scalar());
    let s = broadcast_dims(&broadcast_dims(&c.shape, &x.shape)?, &y.shape)?;
    Ok(Meta::with_dims(s, dt))
}

pub fn where3(c: &Array, x: &Array, y: &Array, limits: &Limits) -> OpResult<Array> {
    let m = where_rule(&Meta::of(c), &Meta::of(x), &Meta::of(y))?;
    let shape = m.concrete().expect("concrete");
    check_alloc(&shape, m.dtype, limits)?;
    let cond = c.to_bool_array();
    let cond = view_as(&cond, &shape);
    fn pick<T: Elem>(c: &ndarray::ArrayViewD<bool>, x: Array, y: Array, shape: &[usize]) -> Array {
        let (x, y) = (T::take(x), T::take(y));
        let (x, y) = (view_as(&x, shape), view_as(&y, shape));
        let v: Vec<T> = c
            .iter()
            .zip(x.iter().zip(y.iter()))
            .map(|(&c, (&p, &q))| if c { p } else { q })
            .collect();
        T::wrap(ArrayD::from_shape_vec(IxDyn(shape), v).expect("len"))
    }
    let (x, y) = (x.widen(m.dtype), y.widen(m.dtype));
    Ok(match m.dtype {
        DType::Bool => pick::<bool>(&cond, x, y, &shape),
        DType::Int64 => pick::<i64>(&cond, x, y, &shape),
        DType::Float32 => pick::<f32>(&cond, x, y, &shape),
        DType::Float64 => pick::<f64>(&cond, x, y, &shape),
        DType::Complex128 => pick::<C64>(&cond, x, y, &shape),
    })
}

/// argwhere: one row of indices per non-zero element.
pub fn argwhere_rule(x: &Meta) -> Meta {
    Meta::with_dims(vec![Dim::Unknown, Dim::Known(x.ndim())], DType::Int64)
}

pub fn argwhere(a: &Array) -> Array {
    let z = a.to_c64_array();
    let nd = z.ndim();
    let mut v = Vec::new();
    let mut rows = 0;
    for (idx, &e) in z.indexed_iter() {
        if e != C64::new(0.0, 0.0) {
            v.extend((0..nd).map(|k| idx[k] as i64));
            rows += 1;
        }
    }
    Array::Int(ArrayD::from_shape_vec(IxDyn(&[rows, nd]), v).expect("len"))
}

/// The rule of unique: a vector of a length the data decide.
pub fn unique_rule(x: &Meta) -> Meta {
    Meta::with_dims(vec![Dim::Unknown], x.dtype)
}

/// unique: sorted distinct values and their counts (nan values collapse
/// into one, as NumPy ≥ 1.21 does). Its sort stops on `cancel` as `sort` does.
pub fn unique(a: &Array, cancel: &CancelToken) -> OpResult<(Array, Array)> {
    let flat = map_array!(a, x => ArrayD::from_shape_vec(IxDyn(&[x.len()]), x.iter().cloned().collect()).expect("len"));
    let sorted = sort(&flat, Some(0), false, cancel)?;
    let z = sorted.to_c64_array();
    let same = |p: C64, q: C64| {
        p == q || ((p.re.is_nan() || p.im.is_nan()) && (q.re.is_nan() || q.im.is_nan()))
    };
    let mut keep = Vec::new();
    let mut counts: Vec<i64> = Vec::new();
    for i in 0..z.len() {
        if i > 0 && same(z[i - 1], z[i]) {
            *counts.last_mut().expect("one before") += 1;
        } else {
            keep.push(i);
            counts.push(1);
        }
    }
    let values = map_array!(&sorted, x => {
        let v: Vec<_> = keep.iter().map(|&i| x[i]).collect();
        ArrayD::from_shape_vec(IxDyn(&[v.len()]), v).expect("len")
    });
    let n = counts.len();
    Ok((
        values,
        Array::Int(ArrayD::from_shape_vec(IxDyn(&[n]), counts).expect("len")),
    ))
}

/// repeat(x, r, axis): the axis (or the flattened array) grows r-fold;
/// with one count per element the length is their sum.
pub fn repeat_rule(x: &Meta, repeats: Option<&[i64]>, axis: Option<i64>) -> OpResult<Meta> {
    let len = match axis {
        Some(k) => x.shape[axis_at(2, k, x.ndim())?].clone(),
        None => Dim::product(&x.shape),
    };
    let new = match repeats {
        Some(r) => {
            if let Some(&bad) = r.iter().find(|&&v| v < 0) {
                return Err(fail_at(
                    1,
                    EverydayError::Negative {
                        what: "repeats",
                        value: bad,
                    },
                ));
            }
            if r.len() == 1 {
                Dim::mul(&len, &Dim::Known(r[0] as usize))
            } else {
                if let Some(n) = len.known()
                    && n != r.len()
                {
                    return Err(fail_at(
                        1,
                        EverydayError::RepeatsLength {
                            len: n,
                            given: r.len(),
                        },
                    ));
                }
                let total = r.iter().try_fold(0usize, |s, &v| s.checked_add(v as usize));
                total.map_or(Dim::Unknown, Dim::Known)
            }
        }
        None => Dim::Unknown,
    };
    let shape = match axis {
        Some(k) => {
            let mut s = x.shape.clone();
            s[axis_at(2, k, x.ndim())?] = new;
            s
        }
        None => vec![new],
    };
    Ok(Meta::with_dims(shape, x.dtype))
}

pub fn repeat(a: &Array, repeats: &[i64], axis: Option<i64>, limits: &Limits) -> OpResult<Array> {
    let m = repeat_rule(&Meta::of(a), Some(repeats), axis)?;
    let (src, k) = match axis {
        Some(k) => (a.clone(), axis_at(2, k, a.ndim())?),
        None => (
            map_array!(a, x => ArrayD::from_shape_vec(IxDyn(&[x.len()]), x.iter().cloned().collect()).expect("len")),
            0,
        ),
    };
    let shape = match m.concrete() {
        Some(s) => s,
        None => {
            return Err(OpError::Limit {
                shape: vec![usize::MAX],
                dtype: a.dtype(),
                max_bytes: limits.max_bytes,
                arg: None,
            });
        }
    };
    check_alloc(&shape, a.dtype(), limits)?;
    // An empty result may have an axis of any length: no list of picks.
    if shape.contains(&0) {
        return Ok(
            map_array!(&src, _x => ArrayD::from_shape_vec(IxDyn(&shape), Vec::new())
            .expect("no elements")),
        );
    }
    let len = src.shape()[k];
    let counts: Vec<usize> = if repeats.len() == 1 {
        vec![repeats[0] as usize; len]
    } else {
        repeats.iter().map(|&v| v as usize).collect()
    };
    let picks: Vec<usize> = counts
        .iter()
        .enumerate()
        .flat_map(|(i, &c)| std::iter::repeat_n(i, c))
        .collect();
    Ok(map_array!(&src, x => x.select(Axis(k), &picks)))
}

/// tile(x, reps): NumPy pads the shorter of shape and reps with ones on the
/// left and multiplies.
pub fn tile_rule(x: &Meta, reps: &[i64]) -> OpResult<Meta> {
    if let Some(&bad) = reps.iter().find(|&&v| v < 0) {
        return Err(fail_at(
            1,
            EverydayError::Negative {
                what: "reps",
                value: bad,
            },
        ));
    }
    let nd = x.ndim().max(reps.len());
    let mut shape = vec![Dim::Known(1); nd - x.ndim()];
    shape.extend(x.shape.iter().cloned());
    let mut r = vec![1i64; nd - reps.len()];
    r.extend_from_slice(reps);
    let shape = shape
        .iter()
        .zip(&r)
        .map(|(d, &n)| Dim::mul(d, &Dim::Known(n as usize)))
        .collect();
    Ok(Meta::with_dims(shape, x.dtype))
}

pub fn tile(a: &Array, reps: &[i64], limits: &Limits) -> OpResult<Array> {
    let m = tile_rule(&Meta::of(a), reps)?;
    let out = m.concrete().expect("concrete");
    let nd = out.len();
    let mut r = vec![1usize; nd - reps.len()];
    r.extend(reps.iter().map(|&v| v as usize));
    // Checked before the product is formed, so huge reps never allocate.
    let total = out.iter().try_fold(1usize, |s, &d| s.checked_mul(d));
    if total.is_none() {
        return Err(OpError::Limit {
            shape: out,
            dtype: a.dtype(),
            max_bytes: limits.max_bytes,
            arg: None,
        });
    }
    check_alloc(&out, a.dtype(), limits)?;
    let mut shape = vec![1usize; nd - a.ndim()];
    shape.extend_from_slice(a.shape());
    Ok(map_array!(a, x => {
        let mut cur = reshaped(x, &shape);
        for (k, &n) in r.iter().enumerate() {
            let picks: Vec<usize> = (0..n).flat_map(|_| 0..shape[k]).collect();
            cur = cur.select(Axis(k), &picks);
        }
        cur
    }))
}

/// logspace(start, stop, num, endpoint, base): base^linspace, float64
/// (NumPy's `power(base, linspace(start, stop, num, endpoint))`).
pub fn logspace(
    start: f64,
    stop: f64,
    num: usize,
    endpoint: bool,
    base: f64,
    limits: &Limits,
) -> OpResult<Array> {
    let t = super::construct::linspace(start, stop, num, endpoint, limits)?;
    Ok(Array::F64(
        t.to_f64_array().expect("real").mapv(|t| base.powf(t)),
    ))
}
