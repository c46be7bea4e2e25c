//! Array constructors with NumPy's semantics (full, eye, arange, linspace;
//! the random ones are in `random.rs`). Each has a
//! rule (`*_rule`) that predicts the result's metadata from the constant
//! arguments, or refuses them with a `ConstructError`; the constructor calls
//! its rule first and builds what the rule predicted.

use ndarray::{Array1, ArrayD, IxDyn};

use super::broadcast::known;
use super::error::{OpError, OpResult};
use super::limits::{Limits, check_meta};
use crate::map_array;
use crate::value::{Array, CastError, DType, Dim, Elem, Meta};

/// Why a constructor refuses its arguments: the facts only; the words are
/// in `eval/errors/construct.rs`.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstructError {
    /// A fill value whose shape does not broadcast to the array's.
    FillShape {
        shape: Vec<Dim>,
        value: Vec<Dim>,
    },
    /// A fill value the dtype cannot hold (NaN, or out of int64's range).
    FillValue {
        dtype: DType,
        value: f64,
    },
    /// More elements than `isize` can count; possible even when a zero-length
    /// axis makes the array empty, and the memory limit then does not apply.
    TooLarge {
        shape: Vec<usize>,
        dtype: DType,
    },
    /// An arange argument that is not 0-d.
    ArangeShape {
        shape: Vec<Dim>,
    },
    ArangeZeroStep,
    /// A range with more elements than any array; `len` is the exact or
    /// floating-point length before rounding down.
    ArangeTooLong {
        len: f64,
        dtype: DType,
    },
    /// A range whose length is NaN, as for arange(0, nan).
    ArangeNan {
        start: f64,
        stop: f64,
        step: f64,
    },
    /// A range whose length is infinite, as for arange(0, inf).
    ArangeEndless {
        start: f64,
        stop: f64,
        step: f64,
    },
}

fn fail(err: ConstructError) -> OpError {
    OpError::Construct { err, arg: None }
}

fn fail_at(arg: usize, err: ConstructError) -> OpError {
    OpError::Construct {
        err,
        arg: Some(arg),
    }
}

/// What ndarray and `Vec` would panic on, checked by the rules of
/// constructors and shape operations: more elements than `isize` can count,
/// even when a zero-length axis makes the array empty. (The memory limit is
/// the evaluator's, checked on every rule's prediction.) A shape with an
/// axis the data decides passes; evaluation knows every length.
pub fn fits(m: &Meta) -> OpResult<()> {
    let Some(shape) = m.concrete() else {
        return Ok(());
    };
    // A shape with elements meets the memory limit first, which counts
    // overflow as too large; only an empty one can pass it.
    if !shape.contains(&0) {
        return Ok(());
    }
    let nonzero = shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(1usize, |acc, &d| acc.checked_mul(d));
    match nonzero.and_then(|n| n.checked_mul(m.dtype.size())) {
        Some(bytes) if bytes <= isize::MAX as usize => Ok(()),
        _ => Err(fail(ConstructError::TooLarge {
            shape,
            dtype: m.dtype,
        })),
    }
}

/// `m` after `fits` accepted it.
fn fitting(m: Meta) -> OpResult<Meta> {
    fits(&m)?;
    Ok(m)
}

/// A complex fill value for a real array: `full` is not defined for it.
fn drops_imaginary() -> OpError {
    OpError::dtype("full", DType::Complex128)
}

/// The rule of `full`: a `shape` array of `dtype`, if `value` broadcasts to
/// it. `fill` is the value itself when the caller knows it: a complex value
/// with an imaginary part cannot fill a real array, which only the value
/// tells (NaN and out-of-range values are left to the kernel: values).
pub fn full_rule(
    shape: &[Dim],
    value: &Meta,
    fill: Option<&Array>,
    dtype: DType,
) -> OpResult<Meta> {
    if !super::shape::broadcasts_to(&value.shape, shape) {
        return Err(fail(ConstructError::FillShape {
            shape: shape.to_vec(),
            value: value.shape.clone(),
        }));
    }
    let m = fitting(Meta::with_dims(shape.to_vec(), dtype))?;
    if let Some(v) = fill
        && v.dtype() == DType::Complex128
        && !matches!(dtype, DType::Complex128 | DType::Bool)
        && v.iter_c64().any(|z| z.im != 0.0)
    {
        return Err(drops_imaginary());
    }
    Ok(m)
}

/// `numpy.full`: an array of `shape` filled with `value` cast to `dtype`.
/// `value` is normally 0-d; like NumPy, any value that broadcasts to `shape`
/// is accepted. Casts follow `Array::cast`: floats truncate into int64, but
/// NaN, out-of-range values and non-zero imaginary parts are refused rather
/// than silently mangled as NumPy does.
pub fn full(shape: &[usize], value: &Array, dtype: DType, limits: &Limits) -> OpResult<Array> {
    check_meta(
        &full_rule(&known(shape), &Meta::of(value), Some(value), dtype)?,
        limits,
    )?;
    let cast = value.cast(dtype).map_err(|e| match e {
        CastError::DropsImaginary => drops_imaginary(),
        CastError::NotFinite(x) | CastError::OutOfRange(x) => {
            fail(ConstructError::FillValue { dtype, value: x })
        }
    })?;
    Ok(map_array!(&cast, v => {
        if v.ndim() == 0 {
            // The common case: a scalar fill needs no broadcasting machinery.
            let x = *v.first().expect("a 0-d array holds one element");
            ArrayD::from_elem(IxDyn(shape), x)
        } else {
            v.broadcast(IxDyn(shape))
                .expect("the rule checked that the value broadcasts")
                .as_standard_layout()
                .into_owned()
        }
    }))
}

/// The rule of `eye`: `n`×`m` (default square); the offset does not matter.
pub fn eye_rule(n: Dim, m: Option<Dim>, dtype: DType) -> OpResult<Meta> {
    let m = m.unwrap_or_else(|| n.clone());
    fitting(Meta::with_dims(vec![n, m], dtype))
}

/// `numpy.eye`: an `n`×`m` (default square) array with ones on the `k`-th
/// diagonal (above the main one for positive `k`).
pub fn eye(n: usize, m: Option<usize>, k: i64, dtype: DType, limits: &Limits) -> OpResult<Array> {
    check_meta(&eye_rule(Dim::Known(n), m.map(Dim::Known), dtype)?, limits)?;
    let m = m.unwrap_or(n);
    Ok(match dtype {
        DType::Bool => Array::Bool(eye_as(n, m, k)),
        DType::Int64 => Array::Int(eye_as(n, m, k)),
        DType::Float32 => Array::F32(eye_as(n, m, k)),
        DType::Float64 => Array::F64(eye_as(n, m, k)),
        DType::Complex128 => Array::C128(eye_as(n, m, k)),
    })
}

fn eye_as<T: Elem>(n: usize, m: usize, k: i64) -> ArrayD<T> {
    let mut out = ArrayD::from_elem(IxDyn(&[n, m]), T::zero());
    // Row i holds its one in column i + k; i128 cannot overflow here.
    for i in 0..n {
        let j = i as i128 + k as i128;
        if (0..m as i128).contains(&j) {
            out[[i, j as usize]] = T::one();
        }
    }
    out
}

/// One argument of `arange` as its rule sees it: the metadata, and the
/// number when the caller knows it (evaluation always does; a checker, for
/// literals). The length of a range depends on the numbers.
#[derive(Clone, Debug)]
pub struct Bound {
    pub meta: Meta,
    pub value: Option<Array>,
}

impl Bound {
    pub fn of(a: &Array) -> Bound {
        Bound {
            meta: Meta::of(a),
            value: Some(a.clone()),
        }
    }
}

/// Checks that an `arange` argument is a real 0-d array; `index` is the
/// argument's position as the user wrote it, for the error.
fn arange_arg(m: &Meta, index: usize) -> OpResult<()> {
    if !m.is_scalar() {
        return Err(fail_at(
            index,
            ConstructError::ArangeShape {
                shape: m.shape.clone(),
            },
        ));
    }
    if m.dtype == DType::Complex128 {
        return Err(OpError::DType {
            op: "arange".to_string(),
            dtype: DType::Complex128,
        });
    }
    Ok(())
}

/// An exact integer from a 0-d bool or int64 array.
fn int_value(a: &Array) -> Option<i128> {
    match a {
        Array::Bool(v) => v.first().map(|&b| b as i128),
        Array::Int(v) => v.first().map(|&x| x as i128),
        _ => None,
    }
}

/// The elements of a range whose arguments are known.
enum Range {
    Int {
        start: i128,
        step: i128,
        len: usize,
    },
    /// NumPy stores start and start + step, then fills element i with
    /// start + i * delta where delta is the difference of those two stored
    /// values, not the step itself; the two differ in the last bit at times.
    Float {
        start: f64,
        second: f64,
        delta: f64,
        len: usize,
    },
}

impl Range {
    fn len(&self) -> usize {
        match *self {
            Range::Int { len, .. } | Range::Float { len, .. } => len,
        }
    }

    fn int_at(start: i128, step: i128, i: usize) -> i64 {
        // Every value lies in [a, b) (or (b, a]), so it fits in i64.
        (start + i as i128 * step) as i64
    }

    fn float_at(start: f64, second: f64, delta: f64, i: usize) -> f64 {
        match i {
            0 => start,
            1 => second,
            _ => start + i as f64 * delta,
        }
    }

    /// Element `i` as a 0-d array.
    fn element(&self, i: usize) -> Array {
        match *self {
            Range::Int { start, step, .. } => Array::scalar_int(Range::int_at(start, step, i)),
            Range::Float {
                start,
                second,
                delta,
                ..
            } => Array::scalar_f64(Range::float_at(start, second, delta, i)),
        }
    }
}

fn too_long(len: f64, dtype: DType) -> OpError {
    fail(ConstructError::ArangeTooLong { len, dtype })
}

/// Everything arange's arguments decide: the result's metadata and, when
/// the numbers are known, the elements. With no stop, `start` is the stop.
fn arange_plan(
    start: &Bound,
    stop: Option<&Bound>,
    step: Option<&Bound>,
) -> OpResult<(Meta, Option<Range>)> {
    arange_arg(&start.meta, 0)?;
    if let Some(s) = stop {
        arange_arg(&s.meta, 1)?;
    }
    if let Some(s) = step {
        arange_arg(&s.meta, 2)?;
    }
    let int_like = |b: &Bound| matches!(b.meta.dtype, DType::Bool | DType::Int64);
    let ints = int_like(start) && stop.is_none_or(int_like) && step.is_none_or(int_like);
    let dtype = if ints { DType::Int64 } else { DType::Float64 };
    let zero = Array::scalar_int(0);
    let one = Array::scalar_int(1);
    let (start, stop) = match stop {
        Some(stop) => (start.value.as_ref(), stop.value.as_ref()),
        None => (Some(&zero), start.value.as_ref()),
    };
    let step = step.map_or(Some(&one), |s| s.value.as_ref());
    // A zero step is refused whatever the bounds are.
    if step.is_some_and(|s| s.first_c64().is_some_and(|z| z.re == 0.0)) {
        return Err(fail_at(2, ConstructError::ArangeZeroStep));
    }
    let (Some(start), Some(stop), Some(step)) = (start, stop, step) else {
        return Ok((Meta::with_dims(vec![Dim::Unknown], dtype), None));
    };
    let range = if ints {
        let (a, b, s) = (int_value(start), int_value(stop), int_value(step));
        let (Some(a), Some(b), Some(s)) = (a, b, s) else {
            unreachable!("bool and int64 0-d arrays hold an integer")
        };
        int_range(a, b, s)?
    } else {
        let float = |a: &Array| a.first_c64().map_or(f64::NAN, |z| z.re);
        float_range(float(start), float(stop), float(step))?
    };
    let m = fitting(Meta::new(&[range.len()], dtype))?;
    Ok((m, Some(range)))
}

/// The range of integers, for a step that is not zero.
fn int_range(a: i128, b: i128, s: i128) -> OpResult<Range> {
    // ceil((b - a) / s), exactly, in i128 where no i64 input overflows.
    // NumPy divides in floating point, which can drop the last element
    // of ranges longer than 2^53 steps' worth of precision; we do not.
    let delta = b - a;
    let len = if delta != 0 && (delta > 0) == (s > 0) {
        (delta.abs() + s.abs() - 1) / s.abs()
    } else {
        0
    };
    let len = usize::try_from(len).map_err(|_| too_long(len as f64, DType::Int64))?;
    Ok(Range::Int {
        start: a,
        step: s,
        len,
    })
}

/// NumPy's algorithm, including its quirks, so that values match bit for
/// bit; for a step that is not zero.
fn float_range(a: f64, b: f64, s: f64) -> OpResult<Range> {
    let delta = b - a;
    let quotient = delta / s;
    // NumPy's underflow rule: a non-empty range whose quotient rounds to
    // zero (say a step of inf) has one element when it points the right way.
    let len = if quotient == 0.0 && delta != 0.0 {
        if quotient.is_sign_negative() {
            0.0
        } else {
            1.0
        }
    } else {
        quotient.ceil()
    };
    let (start, stop, step) = (a, b, s);
    if len.is_nan() {
        return Err(fail(ConstructError::ArangeNan { start, stop, step }));
    }
    if len.is_infinite() && len > 0.0 {
        return Err(fail(ConstructError::ArangeEndless { start, stop, step }));
    }
    // 2^64 is the first float that no usize can hold.
    if len >= 18_446_744_073_709_551_616.0 {
        return Err(too_long(len, DType::Float64));
    }
    let second = a + s;
    Ok(Range::Float {
        start: a,
        second,
        delta: second - a,
        len: if len > 0.0 { len as usize } else { 0 },
    })
}

/// The rule of `arange`: a vector, int64 when every argument is a bool or
/// an int, float64 otherwise, whose length is known when the numbers are.
pub fn arange_rule(start: &Bound, stop: Option<&Bound>, step: Option<&Bound>) -> OpResult<Meta> {
    arange_plan(start, stop, step).map(|(m, _)| m)
}

/// What casting arange's result to `to` (its `dtype=`) would refuse, when
/// the numbers are known: the error `Array::cast` gives for the whole
/// range, which names the first element that does not fit. A range is
/// monotonic and only casts from float64 to int64 can fail, at the far
/// ends of the axis, so after a first element that fits the failing ones
/// are a tail, found by bisection.
pub fn arange_cast_error(
    start: &Bound,
    stop: Option<&Bound>,
    step: Option<&Bound>,
    to: DType,
) -> OpResult<Option<CastError>> {
    let (_, range) = arange_plan(start, stop, step)?;
    let Some(r) = range.filter(|r| r.len() > 0) else {
        return Ok(None);
    };
    let err_at = |i: usize| r.element(i).cast(to).err();
    if let Some(e) = err_at(0) {
        return Ok(Some(e));
    }
    let (mut good, mut bad) = (0, r.len() - 1);
    if err_at(bad).is_none() {
        return Ok(None);
    }
    while bad - good > 1 {
        let mid = good + (bad - good) / 2;
        if err_at(mid).is_some() {
            bad = mid;
        } else {
            good = mid;
        }
    }
    Ok(err_at(bad))
}

/// `numpy.arange`. With one argument it is the stop. The result is int64
/// when every argument is a bool or an int, float64 otherwise. Integer
/// ranges are computed exactly; float ranges follow NumPy's algorithm
/// (including its quirks, so that values match bit for bit).
pub fn arange(
    start: &Array,
    stop: Option<&Array>,
    step: Option<&Array>,
    limits: &Limits,
) -> OpResult<Array> {
    let (start, stop, step) = (Bound::of(start), stop.map(Bound::of), step.map(Bound::of));
    let (m, range) = arange_plan(&start, stop.as_ref(), step.as_ref())?;
    check_meta(&m, limits)?;
    Ok(match range.expect("known arguments give a known range") {
        Range::Int { start, step, len } => {
            let values = (0..len).map(|i| Range::int_at(start, step, i));
            Array::Int(Array1::from_iter(values).into_dyn())
        }
        Range::Float {
            start,
            second,
            delta,
            len,
        } => {
            let values = (0..len).map(|i| Range::float_at(start, second, delta, i));
            Array::F64(Array1::from_iter(values).into_dyn())
        }
    })
}

/// The rule of `linspace`: `num` float64 values.
pub fn linspace_rule(num: usize) -> OpResult<Meta> {
    fitting(Meta::new(&[num], DType::Float64))
}

/// `numpy.linspace`: `num` evenly spaced float64 values from `start` to
/// `stop`, which is included (exactly) when `endpoint` is set.
pub fn linspace(
    start: f64,
    stop: f64,
    num: usize,
    endpoint: bool,
    limits: &Limits,
) -> OpResult<Array> {
    check_meta(&linspace_rule(num)?, limits)?;
    // NumPy's formula, step for step: y = i * step + start, except that a
    // step which underflows to zero is replaced by (i / div) * delta, and a
    // division by zero (div == 0) by i * delta.
    let div = if endpoint {
        num as f64 - 1.0
    } else {
        num as f64
    };
    let delta = stop - start;
    let step = delta / div;
    let mut values: Vec<f64> = (0..num)
        .map(|i| {
            let y = i as f64;
            let scaled = if div > 0.0 {
                if step == 0.0 {
                    (y / div) * delta
                } else {
                    y * step
                }
            } else {
                y * delta
            };
            scaled + start
        })
        .collect();
    if endpoint && num > 1 {
        values[num - 1] = stop;
    }
    Ok(Array::F64(Array1::from_vec(values).into_dyn()))
}

/// The rule of `rand` and `randn`: float64 of the given shape.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::C64;

    // The constructors under the default limits.
    fn full(shape: &[usize], value: &Array, dtype: DType) -> OpResult<Array> {
        super::full(shape, value, dtype, &Limits::default())
    }

    fn eye(n: usize, m: Option<usize>, k: i64, dtype: DType) -> OpResult<Array> {
        super::eye(n, m, k, dtype, &Limits::default())
    }

    fn arange(start: &Array, stop: Option<&Array>, step: Option<&Array>) -> OpResult<Array> {
        super::arange(start, stop, step, &Limits::default())
    }

    fn linspace(start: f64, stop: f64, num: usize, endpoint: bool) -> OpResult<Array> {
        super::linspace(start, stop, num, endpoint, &Limits::default())
    }

    fn f64s(a: &Array) -> Vec<f64> {
        match a {
            Array::F64(v) => v.iter().copied().collect(),
            other => panic!("expected float64, got {:?}", other.dtype()),
        }
    }

    fn i64s(a: &Array) -> Vec<i64> {
        match a {
            Array::Int(v) => v.iter().copied().collect(),
            other => panic!("expected int64, got {:?}", other.dtype()),
        }
    }

    fn int(v: i64) -> Array {
        Array::scalar_int(v)
    }

    fn float(v: f64) -> Array {
        Array::scalar_f64(v)
    }

    /// The `ConstructError` of a failed constructor, and the argument it
    /// blames.
    fn refusal<T: std::fmt::Debug>(r: OpResult<T>) -> (ConstructError, Option<usize>) {
        match r {
            Err(OpError::Construct { err, arg }) => (err, arg),
            other => panic!("expected a ConstructError, got {other:?}"),
        }
    }

    #[test]
    fn full_casts_the_value() {
        let a = full(&[2, 3], &float(2.7), DType::Int64).unwrap();
        assert_eq!(a.shape(), &[2, 3]);
        assert_eq!(i64s(&a), vec![2; 6]);
        assert_eq!(
            i64s(&full(&[2], &float(-2.7), DType::Int64).unwrap()),
            vec![-2, -2]
        );
        let b = full(&[2], &float(0.5), DType::Bool).unwrap();
        assert_eq!(b, Array::Bool(ArrayD::from_elem(IxDyn(&[2]), true)));
        let s = full(&[], &int(7), DType::Int64).unwrap();
        assert_eq!(s, int(7));
        let e = full(&[0, 3], &float(1.0), DType::Float64).unwrap();
        assert_eq!(e.shape(), &[0, 3]);
        let f = full(&[2], &float(1e40), DType::Float32).unwrap();
        assert_eq!(f, Array::F32(ArrayD::from_elem(IxDyn(&[2]), f32::INFINITY)));
        let z = full(&[1], &Array::scalar_c64(C64::new(1.0, 0.0)), DType::Float64).unwrap();
        assert_eq!(f64s(&z), vec![1.0]);
    }

    #[test]
    fn full_broadcasts_a_row() {
        // numpy: np.full((2, 3), [1, 2, 3], dtype=np.float64)
        let row = Array::Int(ArrayD::from_shape_vec(IxDyn(&[3]), vec![1, 2, 3]).unwrap());
        let a = full(&[2, 3], &row, DType::Float64).unwrap();
        assert_eq!(f64s(&a), vec![1.0, 2.0, 3.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            refusal(full(&[2, 2], &row, DType::Float64)),
            (
                ConstructError::FillShape {
                    shape: vec![Dim::Known(2), Dim::Known(2)],
                    value: vec![Dim::Known(3)]
                },
                None
            )
        );
    }

    #[test]
    fn full_refuses_lossy_casts_and_huge_shapes() {
        let z = Array::scalar_c64(C64::new(1.0, 2.0));
        assert!(matches!(
            full(&[3], &z, DType::Float64),
            Err(OpError::DType { .. })
        ));
        assert!(matches!(
            refusal(full(&[3], &float(f64::NAN), DType::Int64)),
            (
                ConstructError::FillValue {
                    dtype: DType::Int64,
                    value
                },
                None
            ) if value.is_nan()
        ));
        assert_eq!(
            refusal(full(&[3], &float(1e30), DType::Int64)),
            (
                ConstructError::FillValue {
                    dtype: DType::Int64,
                    value: 1e30
                },
                None
            )
        );
        assert!(matches!(
            full(&[1 << 40, 1 << 40], &float(0.0), DType::Float64),
            Err(OpError::Limit { .. })
        ));
        assert!(matches!(
            full(&[usize::MAX, 2], &float(0.0), DType::Float64),
            Err(OpError::Limit { .. })
        ));
        // Empty, but ndarray cannot count the elements of the other axes.
        assert_eq!(
            refusal(full(
                &[0, usize::MAX, usize::MAX],
                &float(0.0),
                DType::Float64
            )),
            (
                ConstructError::TooLarge {
                    shape: vec![0, usize::MAX, usize::MAX],
                    dtype: DType::Float64
                },
                None
            )
        );
    }

    #[test]
    fn eye_cases() {
        // numpy: np.eye(3, k=1, dtype=np.int64)
        let a = eye(3, None, 1, DType::Int64).unwrap();
        assert_eq!(a.shape(), &[3, 3]);
        assert_eq!(i64s(&a), vec![0, 1, 0, 0, 0, 1, 0, 0, 0]);
        // numpy: np.eye(2, 3, k=-1)
        let b = eye(2, Some(3), -1, DType::Float64).unwrap();
        assert_eq!(f64s(&b), vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        // numpy: np.eye(3, 2, k=-2)
        let c = eye(3, Some(2), -2, DType::Float64).unwrap();
        assert_eq!(f64s(&c), vec![0.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
        assert_eq!(
            f64s(&eye(2, Some(3), 5, DType::Float64).unwrap()),
            vec![0.0; 6]
        );
        assert_eq!(eye(0, None, 0, DType::Float64).unwrap().shape(), &[0, 0]);
        assert_eq!(eye(3, Some(0), 0, DType::Float64).unwrap().shape(), &[3, 0]);
        assert_eq!(
            eye(2, None, i64::MIN, DType::Int64).unwrap(),
            Array::Int(ArrayD::zeros(IxDyn(&[2, 2])))
        );
        let z = eye(2, None, 0, DType::Complex128).unwrap();
        assert_eq!(z.dtype(), DType::Complex128);
        assert_eq!(z.iter_c64().nth(3), Some(C64::new(1.0, 0.0)));
        let t = eye(2, None, 0, DType::Bool).unwrap();
        assert_eq!(
            t,
            Array::Bool(
                ArrayD::from_shape_vec(IxDyn(&[2, 2]), vec![true, false, false, true]).unwrap()
            )
        );
        assert!(matches!(
            eye(1 << 40, None, 0, DType::Float64),
            Err(OpError::Limit { .. })
        ));
    }

    #[test]
    fn arange_integers() {
        assert_eq!(
            i64s(&arange(&int(5), None, None).unwrap()),
            vec![0, 1, 2, 3, 4]
        );
        assert_eq!(
            i64s(&arange(&int(2), Some(&int(5)), None).unwrap()),
            vec![2, 3, 4]
        );
        assert_eq!(
            i64s(&arange(&int(0), Some(&int(10)), Some(&int(3))).unwrap()),
            vec![0, 3, 6, 9]
        );
        assert_eq!(
            i64s(&arange(&int(5), Some(&int(0)), Some(&int(-2))).unwrap()),
            vec![5, 3, 1]
        );
        assert_eq!(
            i64s(&arange(&int(5), Some(&int(0)), Some(&int(-1))).unwrap()),
            vec![5, 4, 3, 2, 1]
        );
        assert!(i64s(&arange(&int(0), Some(&int(5)), Some(&int(-1))).unwrap()).is_empty());
        assert!(i64s(&arange(&int(-3), None, None).unwrap()).is_empty());
        assert!(i64s(&arange(&int(0), Some(&int(0)), None).unwrap()).is_empty());
        // Bools count as ints: numpy's np.arange(True) is int64 [0].
        let t = Array::scalar_bool(true);
        assert_eq!(i64s(&arange(&t, None, None).unwrap()), vec![0]);
        assert_eq!(
            i64s(&arange(&t, Some(&int(5)), Some(&t)).unwrap()),
            vec![1, 2, 3, 4]
        );
    }

    #[test]
    fn arange_integer_extremes() {
        // numpy: np.arange(-2**63, -2**63 + 3) and np.arange(2**63 - 3, 2**63 - 1)
        assert_eq!(
            i64s(&arange(&int(i64::MIN), Some(&int(i64::MIN + 3)), None).unwrap()),
            vec![i64::MIN, i64::MIN + 1, i64::MIN + 2]
        );
        assert_eq!(
            i64s(&arange(&int(i64::MAX - 2), Some(&int(i64::MAX)), None).unwrap()),
            vec![i64::MAX - 2, i64::MAX - 1]
        );
        // numpy: np.arange(-2**63, 2**63 - 1, 2**62)
        assert_eq!(
            i64s(&arange(&int(i64::MIN), Some(&int(i64::MAX)), Some(&int(1 << 62))).unwrap()),
            vec![i64::MIN, -(1 << 62), 0, 1 << 62]
        );
        assert!(matches!(
            arange(&int(i64::MIN), Some(&int(i64::MAX)), None),
            Err(OpError::Limit { .. })
        ));
        assert!(matches!(
            arange(&int(i64::MAX), None, None),
            Err(OpError::Limit { .. })
        ));
    }

    #[test]
    fn arange_floats_match_numpy_bits() {
        // numpy: np.arange(0, 1, 0.1)
        let a = f64s(&arange(&int(0), Some(&int(1)), Some(&float(0.1))).unwrap());
        assert_eq!(
            a,
            vec![
                0.0,
                0.1,
                0.2,
                0.30000000000000004,
                0.4,
                0.5,
                0.6000000000000001,
                0.7000000000000001,
                0.8,
                0.9
            ]
        );
        // numpy: np.arange(0.1, 1.0, 0.3); 0.1 + 2 * 0.3 would be 0.7.
        let b = f64s(&arange(&float(0.1), Some(&float(1.0)), Some(&float(0.3))).unwrap());
        assert_eq!(b, vec![0.1, 0.4, 0.7000000000000001]);
        // numpy: np.arange(-1.5, 1.0, 0.4)
        let c = f64s(&arange(&float(-1.5), Some(&float(1.0)), Some(&float(0.4))).unwrap());
        assert_eq!(
            c,
            vec![
                -1.5,
                -1.1,
                -0.7000000000000002,
                -0.30000000000000027,
                0.09999999999999964,
                0.49999999999999956,
                0.8999999999999995
            ]
        );
        // numpy: np.arange(10, 1, -2.5), np.arange(1, 0, -0.25), np.arange(0.5, 3)
        let d = f64s(&arange(&int(10), Some(&int(1)), Some(&float(-2.5))).unwrap());
        assert_eq!(d, vec![10.0, 7.5, 5.0, 2.5]);
        let e = f64s(&arange(&int(1), Some(&int(0)), Some(&float(-0.25))).unwrap());
        assert_eq!(e, vec![1.0, 0.75, 0.5, 0.25]);
        assert_eq!(
            f64s(&arange(&float(0.5), Some(&int(3)), None).unwrap()),
            vec![0.5, 1.5, 2.5]
        );
        let f32_stop = Array::F32(ArrayD::from_elem(IxDyn(&[]), 3.0));
        assert_eq!(
            f64s(&arange(&f32_stop, None, None).unwrap()),
            vec![0.0, 1.0, 2.0]
        );
        assert!(f64s(&arange(&int(10), Some(&float(1e-300)), None).unwrap()).is_empty());
    }

    #[test]
    fn arange_float_edge_cases() {
        // numpy: np.arange(0, 10, np.inf) is [0.0]; np.arange(0, -10, np.inf) is empty.
        let inf = float(f64::INFINITY);
        assert_eq!(
            f64s(&arange(&int(0), Some(&int(10)), Some(&inf)).unwrap()),
            vec![0.0]
        );
        assert!(f64s(&arange(&int(0), Some(&int(-10)), Some(&inf)).unwrap()).is_empty());
        assert_eq!(
            refusal(arange(&int(0), Some(&inf), None)),
            (
                ConstructError::ArangeEndless {
                    start: 0.0,
                    stop: f64::INFINITY,
                    step: 1.0
                },
                None
            )
        );
        assert!(matches!(
            refusal(arange(&int(0), Some(&float(f64::NAN)), None)),
            (ConstructError::ArangeNan { stop, .. }, None) if stop.is_nan()
        ));
        assert_eq!(
            refusal(arange(&int(0), Some(&float(1e30)), None)),
            (
                ConstructError::ArangeTooLong {
                    len: 1e30,
                    dtype: DType::Float64
                },
                None
            )
        );
        assert!(matches!(
            arange(&int(0), Some(&float(1e12)), None),
            Err(OpError::Limit { .. })
        ));
    }

    #[test]
    fn arange_bad_arguments() {
        assert_eq!(
            refusal(arange(&int(1), Some(&int(3)), Some(&int(0)))),
            (ConstructError::ArangeZeroStep, Some(2))
        );
        assert_eq!(
            refusal(arange(&float(0.0), Some(&float(1.0)), Some(&float(0.0)))),
            (ConstructError::ArangeZeroStep, Some(2))
        );
        let z = Array::scalar_c64(C64::new(1.0, 1.0));
        assert!(matches!(
            arange(&z, None, None),
            Err(OpError::DType {
                dtype: DType::Complex128,
                ..
            })
        ));
        let v = Array::Int(ArrayD::zeros(IxDyn(&[2])));
        assert_eq!(
            refusal(arange(&int(0), Some(&v), None)),
            (
                ConstructError::ArangeShape {
                    shape: vec![Dim::Known(2)]
                },
                Some(1)
            )
        );
    }

    #[test]
    fn linspace_cases() {
        assert_eq!(
            f64s(&linspace(0.0, 1.0, 5, true).unwrap()),
            vec![0.0, 0.25, 0.5, 0.75, 1.0]
        );
        assert_eq!(
            f64s(&linspace(0.0, 1.0, 5, false).unwrap()),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8]
        );
        assert_eq!(
            f64s(&linspace(3.0, -1.0, 4, true).unwrap()),
            vec![3.0, 1.6666666666666667, 0.3333333333333335, -1.0]
        );
        assert_eq!(
            f64s(&linspace(1.0, 0.0, 3, false).unwrap()),
            vec![1.0, 0.6666666666666667, 0.33333333333333337]
        );
        assert_eq!(
            f64s(&linspace(0.0, 0.1, 7, true).unwrap()),
            vec![
                0.0,
                0.016666666666666666,
                0.03333333333333333,
                0.05,
                0.06666666666666667,
                0.08333333333333333,
                0.1
            ]
        );
        assert!(f64s(&linspace(0.0, 1.0, 0, true).unwrap()).is_empty());
        assert!(f64s(&linspace(0.0, 1.0, 0, false).unwrap()).is_empty());
        assert_eq!(f64s(&linspace(0.0, 1.0, 1, true).unwrap()), vec![0.0]);
        assert_eq!(f64s(&linspace(2.0, 3.0, 1, false).unwrap()), vec![2.0]);
        assert_eq!(f64s(&linspace(0.0, 1.0, 2, true).unwrap()), vec![0.0, 1.0]);
        assert_eq!(f64s(&linspace(0.0, 1.0, 2, false).unwrap()), vec![0.0, 0.5]);
        assert_eq!(f64s(&linspace(5.0, 5.0, 3, true).unwrap()), vec![5.0; 3]);
        // A step that underflows to zero: numpy gives [1e-320, 1.5e-320, 2e-320].
        assert_eq!(
            f64s(&linspace(1e-320, 2e-320, 3, true).unwrap()),
            vec![1e-320, 1.5e-320, 2e-320]
        );
        // numpy: np.linspace(0, np.inf, 3) is [nan, inf, inf].
        let inf = f64s(&linspace(0.0, f64::INFINITY, 3, true).unwrap());
        assert!(inf[0].is_nan() && inf[1] == f64::INFINITY && inf[2] == f64::INFINITY);
        assert!(matches!(
            linspace(0.0, 1.0, usize::MAX, true),
            Err(OpError::Limit { .. })
        ));
    }

    fn bound(a: Array) -> Bound {
        Bound::of(&a)
    }

    /// An argument whose number only the data knows.
    fn unknown(dtype: DType) -> Bound {
        Bound {
            meta: Meta::scalar(dtype),
            value: None,
        }
    }

    #[test]
    fn rules_predict_constructors() {
        assert_eq!(
            full_rule(
                &known(&[2, 3]),
                &Meta::scalar(DType::Int64),
                None,
                DType::Bool
            ),
            Ok(Meta::new(&[2, 3], DType::Bool))
        );
        // The row broadcasts; a length the data decides may be anything.
        let row = Meta::with_dims(vec![Dim::Unknown], DType::Float64);
        assert_eq!(
            full_rule(&known(&[2, 3]), &row, None, DType::Float64),
            Ok(Meta::new(&[2, 3], DType::Float64))
        );
        // Only the value says whether a complex fill has an imaginary part.
        let z = Array::scalar_c64(C64::new(1.0, 2.0));
        let zm = Meta::of(&z);
        assert!(full_rule(&known(&[2]), &zm, None, DType::Float64).is_ok());
        assert!(matches!(
            full_rule(&known(&[2]), &zm, Some(&z), DType::Float64),
            Err(OpError::DType {
                dtype: DType::Complex128,
                ..
            })
        ));
        assert!(full_rule(&known(&[2]), &zm, Some(&z), DType::Bool).is_ok());
        assert_eq!(
            eye_rule(Dim::Known(2), Some(Dim::Known(5)), DType::Int64),
            Ok(Meta::new(&[2, 5], DType::Int64))
        );
        assert_eq!(
            eye_rule(Dim::Known(3), None, DType::Float64),
            Ok(Meta::new(&[3, 3], DType::Float64))
        );
        assert_eq!(linspace_rule(7), Ok(Meta::new(&[7], DType::Float64)));
        assert_eq!(
            crate::ops::random::random_rule(&[]),
            Ok(Meta::scalar(DType::Float64))
        );
        // The rule predicts; the memory limit is checked on its prediction.
        assert!(matches!(
            check_meta(
                &crate::ops::random::random_rule(&known(&[1 << 40, 1 << 40])).unwrap(),
                &Limits::default()
            ),
            Err(OpError::Limit { .. })
        ));
        assert_eq!(
            refusal(crate::ops::random::random_rule(&known(&[0, usize::MAX, 2]))).0,
            ConstructError::TooLarge {
                shape: vec![0, usize::MAX, 2],
                dtype: DType::Float64
            }
        );
    }

    #[test]
    fn arange_rule_knows_the_length_of_known_numbers() {
        assert_eq!(
            arange_rule(&bound(int(2)), Some(&bound(int(10))), Some(&bound(int(3)))),
            Ok(Meta::new(&[3], DType::Int64))
        );
        assert_eq!(
            arange_rule(
                &bound(float(0.0)),
                Some(&bound(int(1))),
                Some(&bound(float(0.1)))
            ),
            Ok(Meta::new(&[10], DType::Float64))
        );
        // Computed bounds: the dtype is known, the length is the data's.
        let n = unknown(DType::Int64);
        assert_eq!(
            arange_rule(&bound(int(0)), Some(&n), None),
            Ok(Meta::with_dims(vec![Dim::Unknown], DType::Int64))
        );
        assert_eq!(
            arange_rule(&n, Some(&bound(float(1.5))), None),
            Ok(Meta::with_dims(vec![Dim::Unknown], DType::Float64))
        );
        // What the metadata alone refuses is refused without the numbers.
        let v = Bound {
            meta: Meta::new(&[2], DType::Int64),
            value: None,
        };
        assert_eq!(
            refusal(arange_rule(&bound(int(0)), Some(&v), None)).1,
            Some(1)
        );
        assert!(matches!(
            arange_rule(&unknown(DType::Complex128), None, None),
            Err(OpError::DType { .. })
        ));
        assert_eq!(
            refusal(arange_rule(&bound(int(0)), Some(&n), Some(&bound(int(0))))),
            (ConstructError::ArangeZeroStep, Some(2))
        );
        assert_eq!(
            refusal(arange_rule(
                &bound(int(0)),
                Some(&bound(int(1))),
                Some(&bound(int(0)))
            )),
            (ConstructError::ArangeZeroStep, Some(2))
        );
    }

    #[test]
    fn arange_cast_error_is_the_whole_casts() {
        let cast_all = |start: f64, stop: f64, step: f64| {
            arange(&float(start), Some(&float(stop)), Some(&float(step)))
                .unwrap()
                .cast(DType::Int64)
                .err()
        };
        let predicted = |start: f64, stop: f64, step: f64| {
            arange_cast_error(
                &bound(float(start)),
                Some(&bound(float(stop))),
                Some(&bound(float(step))),
                DType::Int64,
            )
            .unwrap()
        };
        for (start, stop, step) in [
            (0.0, 3e19, 1e19),
            (0.0, 9e19, 1e18),
            (-3e19, 0.0, 1e19),
            (0.0, -9e19, -1e18),
            (0.0, 5.0, 0.5),
            (5.0, 5.0, 1.0),
            (-1e300, 0.0, 1e301),
        ] {
            assert_eq!(predicted(start, stop, step), cast_all(start, stop, step));
        }
        assert_eq!(
            predicted(0.0, 3e19, 1e19),
            Some(CastError::OutOfRange(1e19))
        );
        let n = unknown(DType::Float64);
        assert_eq!(arange_cast_error(&n, None, None, DType::Int64), Ok(None));
    }
}
