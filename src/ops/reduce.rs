//! Reductions (`sum`, `mean`, `argmax`, `all`, ...) over one axis or over every
//! element, with NumPy's result dtypes and NumPy's summation order, and their
//! rule (`reduce_rule`).

use std::borrow::Cow;
use std::ops::{Add, Mul, Sub};

use ndarray::{ArrayD, ArrayView1, Axis, arr0};

use super::error::{OpError, OpResult};
use crate::kernel::{self, Exec, sum::Pairwise};
use crate::value::{Array, C64, DType, Dim, Elem, Meta};
use crate::{map_array, with_array};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduce {
    Sum,
    Prod,
    Mean,
    Min,
    Max,
    ArgMin,
    ArgMax,
    Std,
    Var,
    All,
    Any,
}

impl Reduce {
    pub fn name(self) -> &'static str {
        match self {
            Reduce::Sum => "sum",
            Reduce::Prod => "prod",
            Reduce::Mean => "mean",
            Reduce::Min => "min",
            Reduce::Max => "max",
            Reduce::ArgMin => "argmin",
            Reduce::ArgMax => "argmax",
            Reduce::Std => "std",
            Reduce::Var => "var",
            Reduce::All => "all",
            Reduce::Any => "any",
        }
    }

    /// The reductions that compare elements: they have no identity, so they
    /// refuse empty input, and complex numbers have no order for them.
    fn compares(self) -> bool {
        matches!(
            self,
            Reduce::Min | Reduce::Max | Reduce::ArgMin | Reduce::ArgMax
        )
    }

    /// NumPy's ufunc reductions (and argmin/argmax) accept axis 0 or -1 on a
    /// 0-d array; mean, std and var count items first and refuse it.
    fn scalar_axis_ok(self) -> bool {
        !matches!(self, Reduce::Mean | Reduce::Std | Reduce::Var)
    }
}

/// Why a reduction refuses an operand, as facts (`eval/errors/reduce.rs`
/// words them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReduceError {
    /// min, max, argmin or argmax of an empty lane: they have no identity.
    Empty { kind: Reduce },
}

/// The rule of every reduction: the result's shape and dtype from the
/// operand's, the axis and keepdims (ddof changes neither).
pub fn reduce_rule(kind: Reduce, x: &Meta, axis: Option<i64>, keepdims: bool) -> OpResult<Meta> {
    plan(kind, x, axis, keepdims).map(|(m, _)| m)
}

/// The rule's result and the resolved axis the kernel reduces over.
fn plan(
    kind: Reduce,
    x: &Meta,
    axis: Option<i64>,
    keepdims: bool,
) -> OpResult<(Meta, Option<usize>)> {
    let ax = resolve_axis(kind, x.ndim(), axis)?;
    check_nonempty(kind, &x.shape, ax)?;
    let dtype = reduce_dtype(kind, x.dtype)?;
    let shape = &x.shape;
    let out = match (ax, keepdims) {
        (None, false) => Vec::new(),
        (None, true) => vec![Dim::Known(1); shape.len()],
        (Some(k), false) => [&shape[..k], &shape[k + 1..]].concat(),
        (Some(k), true) => [&shape[..k], &[Dim::Known(1)], &shape[k + 1..]].concat(),
    };
    Ok((Meta::with_dims(out, dtype), ax))
}

/// NumPy's result dtypes: sums and products of bools count in int64, means
/// of integers are float64, the variance of complex numbers is real, and
/// complex numbers have no order for min, max and the arg-versions.
fn reduce_dtype(kind: Reduce, dt: DType) -> OpResult<DType> {
    use DType::*;
    Ok(match kind {
        Reduce::Sum | Reduce::Prod if dt == Bool => Int64,
        Reduce::Sum | Reduce::Prod => dt,
        Reduce::Mean | Reduce::Var | Reduce::Std if matches!(dt, Bool | Int64) => Float64,
        Reduce::Var | Reduce::Std if dt == Complex128 => Float64,
        Reduce::Mean | Reduce::Var | Reduce::Std => dt,
        _ if kind.compares() && dt == Complex128 => return Err(complex_order_error(kind)),
        Reduce::Min | Reduce::Max => dt,
        Reduce::ArgMin | Reduce::ArgMax => Int64,
        Reduce::All | Reduce::Any => Bool,
    })
}

/// axis None = over all elements (argmin/argmax then give the flat index, and
/// keepdims gives an all-1 shape). A negative axis counts from the end.
pub fn reduce(
    kind: Reduce,
    a: &Array,
    axis: Option<i64>,
    keepdims: bool,
    ddof: f64,
    exec: &Exec,
) -> OpResult<Array> {
    let (_, ax) = plan(kind, &Meta::of(a), axis, keepdims)?;
    let order = Order::for_axis(a.shape(), ax, exec);
    let out = match kind {
        Reduce::Sum => sum(a, ax, order)?,
        Reduce::Prod => prod(a, ax)?,
        Reduce::Mean => mean(a, ax, order),
        Reduce::Var => variance(a, ax, order, ddof, false),
        Reduce::Std => variance(a, ax, order, ddof, true),
        Reduce::Min | Reduce::Max => extreme(kind, a, ax),
        Reduce::ArgMin | Reduce::ArgMax => arg_extreme(kind, a, ax),
        Reduce::All | Reduce::Any => truth(kind == Reduce::All, a, ax),
    };
    Ok(keep_dims(out, a.ndim(), ax, keepdims))
}

/// Normalises `axis` to `0..ndim`; `None` in the result means "every element".
fn resolve_axis(kind: Reduce, ndim: usize, axis: Option<i64>) -> OpResult<Option<usize>> {
    let Some(ax) = axis else {
        return Ok(None);
    };
    if ndim == 0 && kind.scalar_axis_ok() && (ax == 0 || ax == -1) {
        return Ok(None);
    }
    let n = ndim as i64;
    if ax < -n || ax >= n {
        return Err(OpError::Axis {
            axis: ax,
            ndim,
            arg: None,
        });
    }
    Ok(Some(if ax < 0 { ax + n } else { ax } as usize))
}

/// Min, max and the arg-versions have nothing to return for an empty lane.
/// A lane of unknown length passes (the kernel is never reached with one).
fn check_nonempty(kind: Reduce, shape: &[Dim], ax: Option<usize>) -> OpResult<()> {
    let empty = match ax {
        None => shape.contains(&Dim::Known(0)),
        Some(k) => shape[k] == Dim::Known(0),
    };
    if !kind.compares() || !empty {
        return Ok(());
    }
    Err(OpError::Reduce {
        err: ReduceError::Empty { kind },
        arg: Some(0),
    })
}

fn complex_order_error(kind: Reduce) -> OpError {
    OpError::DType {
        op: kind.name().to_string(),
        dtype: DType::Complex128,
    }
}

/// Puts the reduced axis (or every axis) back with length 1.
fn keep_dims(out: Array, ndim: usize, ax: Option<usize>, keepdims: bool) -> Array {
    if !keepdims {
        return out;
    }
    match ax {
        Some(k) => map_array!(out, x => x.insert_axis(Axis(k))),
        None => map_array!(out, x => (0..ndim).fold(x, |y, _| y.insert_axis(Axis(0)))),
    }
}

/// Applies `f` to every lane along `ax`, or to all elements in row-major
/// order when `ax` is `None` (giving a 0-d result).
fn along<T: Clone, U>(
    a: &ArrayD<T>,
    ax: Option<usize>,
    mut f: impl FnMut(ArrayView1<'_, T>) -> U,
) -> ArrayD<U> {
    match ax {
        Some(k) => a.map_axis(Axis(k), f),
        None => {
            let flat: Cow<[T]> = match a.as_slice() {
                Some(s) => Cow::Borrowed(s),
                None => Cow::Owned(a.iter().cloned().collect()),
            };
            arr0(f(ArrayView1::from(&flat[..]))).into_dyn()
        }
    }
}

/// The order in which NumPy adds a lane. Its reduction loop sees a whole lane
/// at once, and sums it pairwise, only when the reduced axis is innermost
/// (every later axis has length 1); otherwise it adds lane elements one at a
/// time into the output. When NumPy casts on the fly (int to float64 for
/// `mean`) it sums each buffer of 8192 elements pairwise, one after another.
/// Long pairwise sums may split across the threads of `exec`.
#[derive(Clone, Copy)]
struct Order<'a> {
    pairwise: bool,
    chunk: usize,
    exec: &'a Exec,
}

impl<'a> Order<'a> {
    const NUMPY_BUFFER: usize = 8192;

    fn for_axis(shape: &[usize], ax: Option<usize>, exec: &'a Exec) -> Order<'a> {
        let pairwise = match ax {
            None => true,
            Some(k) => shape[k + 1..].iter().all(|&d| d == 1),
        };
        Order {
            pairwise,
            chunk: usize::MAX,
            exec,
        }
    }

    fn buffered(self) -> Order<'a> {
        Order {
            chunk: Order::NUMPY_BUFFER,
            ..self
        }
    }
}

fn split_real(n: usize) -> usize {
    let half = n / 2;
    half - half % 8
}

fn split_complex(n: usize) -> usize {
    (n - n % 8) / 2
}

/// NumPy's pairwise summation for real types: 8 accumulators over leaves of
/// at most 128 elements. Complex sums run NumPy's float code over (re, im)
/// pairs, which halves every count. The order lives in `kernel::sum`.
const REAL: Pairwise = Pairwise {
    width: 8,
    leaf: 128,
    split: split_real,
};

const COMPLEX: Pairwise = Pairwise {
    width: 4,
    leaf: 64,
    split: split_complex,
};

fn pairwise<T: Copy + Send + Sync + Add<Output = T>>(
    exec: &Exec,
    x: &[T],
    zero: T,
    pw: &Pairwise,
) -> T {
    kernel::sum::pairwise(exec, x, zero, pw)
}

/// Sums a lane in NumPy's order. The output starts at zero (NumPy fills it
/// with the identity), which is why the sum of `[-0.0]` is `0.0`.
fn sum_lane<T: Copy + Send + Sync + Add<Output = T>>(
    lane: ArrayView1<'_, T>,
    zero: T,
    pw: &Pairwise,
    order: Order<'_>,
) -> T {
    if !order.pairwise {
        return lane.iter().fold(zero, |acc, &v| acc + v);
    }
    let data: Cow<[T]> = match lane.as_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(lane.to_vec()),
    };
    data.chunks(order.chunk)
        .fold(zero, |acc, c| acc + pairwise(order.exec, c, zero, pw))
}

/// Real floating-point element types (float32 and float64).
trait Real: Elem + PartialOrd + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {
    fn to_f64(self) -> f64;
    fn sqrt(self) -> Self;
}

impl Real for f32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }
}

impl Real for f64 {
    fn to_f64(self) -> f64 {
        self
    }
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
}

/// `s / n` as NumPy divides a float32 or float64 sum by an item count: in
/// float64, rounded once to the element type (which equals dividing in
/// float32, as float64 has more than twice float32's precision).
fn div_count<T: Real>(s: T, n: f64) -> T {
    T::from_f64(s.to_f64() / n)
}

/// NumPy's complex division by the real `n` (Smith's method with a zero
/// imaginary part): it multiplies by `1/n`, which can differ from dividing
/// each part by `n` in the last bit.
fn c_div_real(z: C64, n: f64) -> C64 {
    if n == 0.0 {
        return C64::new(z.re / n, z.im / n);
    }
    let rat = 0.0 / n;
    let scl = 1.0 / (n + 0.0 * rat);
    C64::new((z.re + z.im * rat) * scl, (z.im - z.re * rat) * scl)
}

/// Degrees of freedom for var/std: `n - ddof`, floored at zero (NumPy then
/// divides by zero and gives inf or nan).
fn dof(n: usize, ddof: f64) -> f64 {
    let d = n as f64 - ddof;
    if d < 0.0 { 0.0 } else { d }
}

/// Every element of a bool or int64 array as float64, as NumPy casts them
/// for mean, var and std.
fn ints_as_f64(a: &Array) -> ArrayD<f64> {
    with_array!(a, x => x.mapv(|v| v.to_c64().re))
}

fn sum(a: &Array, ax: Option<usize>, order: Order<'_>) -> OpResult<Array> {
    Ok(match a {
        Array::Bool(_) => return sum(&a.widen(DType::Int64), ax, order),
        // An i128 accumulator cannot overflow for fewer than 2^64 elements,
        // so only a total outside int64 is an error, as wrapping NumPy would
        // be right whenever the total fits.
        Array::Int(x) => Array::Int(narrow(
            along(x, ax, |l| l.iter().map(|&v| i128::from(v)).sum()),
            "sum",
        )?),
        Array::F32(x) => Array::F32(along(x, ax, |l| sum_lane(l, 0.0, &REAL, order))),
        Array::F64(x) => Array::F64(along(x, ax, |l| sum_lane(l, 0.0, &REAL, order))),
        Array::C128(x) => Array::C128(along(x, ax, |l| sum_lane(l, C64::zero(), &COMPLEX, order))),
    })
}

fn prod(a: &Array, ax: Option<usize>) -> OpResult<Array> {
    Ok(match a {
        Array::Bool(_) => return prod(&a.widen(DType::Int64), ax),
        Array::Int(x) => Array::Int(narrow(along(x, ax, prod_i128), "prod")?),
        Array::F32(x) => Array::F32(along(x, ax, |l| l.iter().fold(1.0, |p, &v| p * v))),
        Array::F64(x) => Array::F64(along(x, ax, |l| l.iter().fold(1.0, |p, &v| p * v))),
        Array::C128(x) => Array::C128(along(x, ax, |l| l.iter().fold(C64::one(), |p, &v| p * v))),
    })
}

/// The exact product of a lane, or `i128::MAX` once it must exceed int64.
/// With no zero factor the magnitude never shrinks, so a partial product
/// beyond 2^63 settles it; a zero factor makes the product 0 regardless.
fn prod_i128(l: ArrayView1<'_, i64>) -> i128 {
    if l.iter().any(|&v| v == 0) {
        return 0;
    }
    let mut p: i128 = 1;
    for &v in l {
        p *= i128::from(v);
        if p.unsigned_abs() > 1 << 63 {
            return i128::MAX;
        }
    }
    p
}

/// Exact integer results back to int64, refusing any that do not fit.
fn narrow(x: ArrayD<i128>, op: &str) -> OpResult<ArrayD<i64>> {
    if x.iter().any(|&v| i64::try_from(v).is_err()) {
        return Err(OpError::overflow(op));
    }
    Ok(x.mapv(|v| v as i64))
}

fn mean(a: &Array, ax: Option<usize>, order: Order<'_>) -> Array {
    match a {
        Array::Bool(_) | Array::Int(_) => {
            let x = ints_as_f64(a);
            Array::F64(along(&x, ax, |l| mean_real(l, order.buffered())))
        }
        Array::F32(x) => Array::F32(along(x, ax, |l| mean_real(l, order))),
        Array::F64(x) => Array::F64(along(x, ax, |l| mean_real(l, order))),
        Array::C128(x) => Array::C128(along(x, ax, |l| {
            let n = l.len() as f64;
            c_div_real(sum_lane(l, C64::zero(), &COMPLEX, order), n)
        })),
    }
}

fn mean_real<T: Real>(l: ArrayView1<'_, T>, order: Order<'_>) -> T {
    let n = l.len() as f64;
    div_count(sum_lane(l, T::zero(), &REAL, order), n)
}

/// var (or std when `root`), computed as NumPy's `_var`: the mean, then the
/// mean of squared deviations divided by `n - ddof`. Only the first sum of
/// an int array is cast on the fly; the deviations are float64 already.
fn variance(a: &Array, ax: Option<usize>, order: Order<'_>, ddof: f64, root: bool) -> Array {
    match a {
        Array::Bool(_) | Array::Int(_) => {
            let x = ints_as_f64(a);
            let orders = (order.buffered(), order);
            Array::F64(along(&x, ax, |l| var_real(l, orders, ddof, root)))
        }
        Array::F32(x) => Array::F32(along(x, ax, |l| var_real(l, (order, order), ddof, root))),
        Array::F64(x) => Array::F64(along(x, ax, |l| var_real(l, (order, order), ddof, root))),
        Array::C128(x) => Array::F64(along(x, ax, |l| var_complex(l, order, ddof, root))),
    }
}

fn var_real<T: Real>(
    l: ArrayView1<'_, T>,
    orders: (Order<'_>, Order<'_>),
    ddof: f64,
    root: bool,
) -> T {
    let mean = div_count(sum_lane(l, T::zero(), &REAL, orders.0), l.len() as f64);
    let squares = l.mapv(|v| (v - mean) * (v - mean));
    let var = div_count(
        sum_lane(squares.view(), T::zero(), &REAL, orders.1),
        dof(l.len(), ddof),
    );
    if root { var.sqrt() } else { var }
}

/// The variance of complex numbers is real: the mean of |z - mean|², with
/// |w|² computed as re·re + im·im like NumPy.
fn var_complex(l: ArrayView1<'_, C64>, order: Order<'_>, ddof: f64, root: bool) -> f64 {
    let n = l.len() as f64;
    let mean = c_div_real(sum_lane(l, C64::zero(), &COMPLEX, order), n);
    let squares = l.mapv(|z| {
        let d = z - mean;
        d.re * d.re + d.im * d.im
    });
    let var = sum_lane(squares.view(), 0.0, &REAL, order) / dof(l.len(), ddof);
    if root { var.sqrt() } else { var }
}

/// Whether `v` is NaN, for any partially ordered element type.
fn is_nan<T: PartialOrd>(v: &T) -> bool {
    v.partial_cmp(v).is_none()
}

/// min or max of a lane; a NaN anywhere wins. On ties the later element wins,
/// which is what NumPy shows for `max([0.0, -0.0])`.
fn extreme_lane<T: Copy + PartialOrd + Elem>(l: ArrayView1<'_, T>, max: bool) -> T {
    l.iter()
        .copied()
        .reduce(|acc, v| {
            let better = if max { v >= acc } else { v <= acc };
            if !is_nan(&acc) && (is_nan(&v) || better) {
                v
            } else {
                acc
            }
        })
        .unwrap_or_else(T::zero)
}

/// Index of the first extreme element, or of the first NaN if there is one.
fn arg_lane<T: Copy + PartialOrd>(l: ArrayView1<'_, T>, max: bool) -> i64 {
    let mut best: Option<(usize, T)> = None;
    for (i, &v) in l.iter().enumerate() {
        if is_nan(&v) {
            return i as i64;
        }
        match best {
            Some((_, b)) if !(if max { v > b } else { v < b }) => {}
            _ => best = Some((i, v)),
        }
    }
    best.map_or(0, |(i, _)| i as i64)
}

fn extreme(kind: Reduce, a: &Array, ax: Option<usize>) -> Array {
    let max = kind == Reduce::Max;
    match a {
        Array::Bool(x) => Array::Bool(along(x, ax, |l| extreme_lane(l, max))),
        Array::Int(x) => Array::Int(along(x, ax, |l| extreme_lane(l, max))),
        Array::F32(x) => Array::F32(along(x, ax, |l| extreme_lane(l, max))),
        Array::F64(x) => Array::F64(along(x, ax, |l| extreme_lane(l, max))),
        Array::C128(_) => unreachable!("the rule refuses complex {}", kind.name()),
    }
}

fn arg_extreme(kind: Reduce, a: &Array, ax: Option<usize>) -> Array {
    let max = kind == Reduce::ArgMax;
    Array::Int(match a {
        Array::Bool(x) => along(x, ax, |l| arg_lane(l, max)),
        Array::Int(x) => along(x, ax, |l| arg_lane(l, max)),
        Array::F32(x) => along(x, ax, |l| arg_lane(l, max)),
        Array::F64(x) => along(x, ax, |l| arg_lane(l, max)),
        Array::C128(_) => unreachable!("the rule refuses complex {}", kind.name()),
    })
}

fn truthy<T: Elem>(v: T) -> bool {
    v != T::zero()
}

fn truth(all: bool, a: &Array, ax: Option<usize>) -> Array {
    Array::Bool(with_array!(a, x => along(x, ax, |l| {
        if all {
            l.iter().all(|&v| truthy(v))
        } else {
            l.iter().any(|&v| truthy(v))
        }
    })))
}

#[cfg(test)]
mod tests {
    //! Expected values come from NumPy 2.4 (`np.sum`, `np.mean`, ...), printed
    //! with `repr` so the literals round-trip exactly.

    use super::*;
    use ndarray::IxDyn;

    // `reduce` with the environment's kernels.
    fn reduce(
        kind: Reduce,
        a: &Array,
        axis: Option<i64>,
        keepdims: bool,
        ddof: f64,
    ) -> OpResult<Array> {
        super::reduce(kind, a, axis, keepdims, ddof, &Exec::from_env())
    }

    /// The test data NumPy saw: `((i*37) % 101) / 13 - 3.7`, evenly spread
    /// values whose sums depend on the order of addition.
    fn seq(n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| ((i * 37) % 101) as f64 / 13.0 - 3.7)
            .collect()
    }

    fn cseq(n: usize) -> Vec<C64> {
        let im = |i: usize| ((i * 53) % 97) as f64 / 11.0 - 4.1;
        seq(n)
            .into_iter()
            .enumerate()
            .map(|(i, re)| C64::new(re, im(i)))
            .collect()
    }

    fn f64s(shape: &[usize], v: Vec<f64>) -> Array {
        Array::F64(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    fn ints(shape: &[usize], v: Vec<i64>) -> Array {
        Array::Int(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    fn bools(shape: &[usize], v: Vec<bool>) -> Array {
        Array::Bool(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    fn red(kind: Reduce, a: &Array, axis: Option<i64>) -> Array {
        reduce(kind, a, axis, false, 0.0).unwrap()
    }

    fn as_f64(a: &Array) -> Vec<f64> {
        match a {
            Array::F64(x) => x.iter().copied().collect(),
            other => panic!("expected float64, got {:?}", other.dtype()),
        }
    }

    fn one_f32(a: &Array) -> f32 {
        match a {
            Array::F32(x) if x.ndim() == 0 => x[[]],
            other => panic!("expected 0-d float32, got {other:?}"),
        }
    }

    fn one_c64(a: &Array) -> C64 {
        match a {
            Array::C128(x) if x.ndim() == 0 => x[[]],
            other => panic!("expected 0-d complex128, got {other:?}"),
        }
    }

    #[test]
    fn float_sum_is_pairwise_like_numpy() {
        // Plain left-to-right addition gives 146.92307692307685 and
        // 1456.8384615384778.
        assert_eq!(
            as_f64(&red(Reduce::Sum, &f64s(&[1000], seq(1000)), None)),
            [146.92307692307676]
        );
        assert_eq!(
            as_f64(&red(Reduce::Sum, &f64s(&[10001], seq(10001)), None)),
            [1456.8384615384598]
        );
        let a = f64s(&[3, 1000], seq(3000));
        let rows = red(Reduce::Sum, &a, Some(-1));
        assert_eq!(
            as_f64(&rows),
            [146.92307692307676, 144.07692307692292, 148.99999999999983]
        );
        // Over all elements of a matrix, the flattened data is summed pairwise.
        assert_eq!(
            as_f64(&red(Reduce::Sum, &f64s(&[100, 10], seq(1000)), None)),
            [146.92307692307676]
        );
    }

    #[test]
    fn sum_over_an_outer_axis_adds_in_order_like_numpy() {
        // NumPy gives 149.23076923076906, ... for the same columns summed
        // pairwise; along axis 0 it adds row after row.
        let a = f64s(&[1000, 3], seq(3000));
        let cols = red(Reduce::Sum, &a, Some(0));
        assert_eq!(
            as_f64(&cols),
            [149.2307692307692, 144.076923076923, 146.69230769230762]
        );
        // A trailing axis of length 1 does not count as a later axis.
        let col = f64s(&[1000, 1], seq(1000));
        assert_eq!(
            as_f64(&red(Reduce::Sum, &col, Some(0))),
            [146.92307692307676]
        );
    }

    #[test]
    fn float32_sum_mean_var_std_stay_float32() {
        let x: Vec<f32> = seq(1000).into_iter().map(|v| v as f32).collect();
        let a = Array::F32(ArrayD::from_shape_vec(IxDyn(&[1000]), x).unwrap());
        assert_eq!(one_f32(&red(Reduce::Sum, &a, None)), 146.92307);
        assert_eq!(one_f32(&red(Reduce::Mean, &a, None)), 0.14692307);
        assert_eq!(one_f32(&red(Reduce::Var, &a, None)), 5.0381417);
        assert_eq!(one_f32(&red(Reduce::Std, &a, None)), 2.2445805);
    }

    #[test]
    fn complex_sum_mean_var_std() {
        let z = Array::C128(ArrayD::from_shape_vec(IxDyn(&[300]), cseq(300)).unwrap());
        // Sequential addition would give 41.38461538461536+72.18181818181826j.
        assert_eq!(
            one_c64(&red(Reduce::Sum, &z, None)),
            C64::new(41.38461538461534, 72.18181818181829)
        );
        let z = Array::C128(ArrayD::from_shape_vec(IxDyn(&[11]), cseq(11)).unwrap());
        // NumPy multiplies by 1/11; dividing by 11 gives -0.06363636363636373.
        let mean = one_c64(&red(Reduce::Mean, &z, None));
        assert_eq!(mean, C64::new(-0.06363636363636374, -0.05041322314049532));
        assert_eq!(as_f64(&red(Reduce::Var, &z, None)), [11.604856912722601]);
        assert_eq!(as_f64(&red(Reduce::Std, &z, None)), [3.406590217904496]);
        let prod = red(
            Reduce::Prod,
            &Array::C128(ArrayD::from_shape_vec(IxDyn(&[7]), cseq(7)).unwrap()),
            None,
        );
        assert_eq!(
            one_c64(&prod),
            C64::new(-91.97100248314757, -1900.1657901530752)
        );
    }

    #[test]
    fn int_mean_var_std_are_float64_summed_in_numpy_buffers() {
        let h: Vec<i64> = (0..20000).map(|i| i * 123456789012 + 7).collect();
        let a = ints(&[20000], h);
        // One pairwise sum over all 20000 values would give ...501.0.
        assert_eq!(as_f64(&red(Reduce::Mean, &a, None)), [1234506161725501.5]);
        assert_eq!(
            as_f64(&red(Reduce::Var, &a, None)),
            [5.0805262383498454e+29]
        );
        let std = reduce(Reduce::Std, &a, None, false, 1.0).unwrap();
        assert_eq!(as_f64(&std), [712795922923505.0]);
    }

    #[test]
    fn var_std_mean_along_axes_with_ddof() {
        let a = f64s(&[3, 4, 5], seq(60));
        let v = red(Reduce::Var, &a, Some(1));
        assert_eq!(v.shape(), [3, 5]);
        assert_eq!(
            as_f64(&v)[..6],
            [
                5.835428994082841,
                5.835428994082841,
                2.137573964497042,
                5.835428994082841,
                5.835428994082841,
                7.068047337278108
            ]
        );
        let s = reduce(Reduce::Std, &a, Some(-1), false, 1.5).unwrap();
        assert_eq!(s.shape(), [3, 4]);
        assert_eq!(
            as_f64(&s)[..3],
            [2.4357162068692957, 2.6634243461520364, 2.6634243461520364]
        );
        let m = red(Reduce::Mean, &a, Some(0));
        assert_eq!(
            as_f64(&m)[..4],
            [
                -1.1615384615384619,
                -0.9051282051282051,
                -0.6487179487179487,
                -0.3923076923076927
            ]
        );
        assert_eq!(as_f64(&red(Reduce::Mean, &a, None)), [0.10897435897435878]);
        assert_eq!(as_f64(&red(Reduce::Var, &a, None)), [5.0275131492439185]);
    }

    #[test]
    fn ddof_edge_cases_follow_numpy() {
        let a = ints(&[3], vec![1, 2, 3]);
        let var = |ddof| as_f64(&reduce(Reduce::Var, &a, None, false, ddof).unwrap())[0];
        assert_eq!(var(1.0), 1.0);
        assert_eq!(var(0.5), 0.8);
        assert_eq!(var(-1.0), 0.5);
        assert_eq!(var(3.0), f64::INFINITY);
        assert_eq!(var(4.0), f64::INFINITY);
    }

    #[test]
    fn float_prod_multiplies_in_order() {
        assert_eq!(
            as_f64(&red(Reduce::Prod, &f64s(&[20], seq(20)), None)),
            [1719.7350308823684]
        );
        let x: Vec<f32> = seq(20).into_iter().map(|v| v as f32).collect();
        let a = Array::F32(ArrayD::from_shape_vec(IxDyn(&[20]), x).unwrap());
        assert_eq!(one_f32(&red(Reduce::Prod, &a, None)), 1719.7346);
        let near_one: Vec<f64> = seq(1000).into_iter().map(|v| 1.0 + v / 100.0).collect();
        let p = red(Reduce::Prod, &f64s(&[1000], near_one), None);
        assert_eq!(as_f64(&p), [3.3766016352279484]);
    }

    #[test]
    fn int_sum_and_prod_refuse_overflow_but_not_partial_overflow() {
        let big = 1i64 << 62;
        let err = reduce(Reduce::Sum, &ints(&[2], vec![big, big]), None, false, 0.0);
        assert_eq!(err, Err(OpError::overflow("sum")));
        // The running total passes 2^63 but the result fits, as NumPy's.
        let ok = red(Reduce::Sum, &ints(&[3], vec![big, big, -big]), None);
        assert_eq!(ok, Array::scalar_int(big));
        assert_eq!(
            red(Reduce::Sum, &ints(&[1], vec![i64::MIN]), None),
            Array::scalar_int(i64::MIN)
        );
        let err = reduce(Reduce::Prod, &ints(&[3], vec![big, 2, 1]), None, false, 0.0);
        assert_eq!(err, Err(OpError::overflow("prod")));
        assert_eq!(
            red(Reduce::Prod, &ints(&[3], vec![big, 4, 0]), None),
            Array::scalar_int(0)
        );
        assert_eq!(
            red(Reduce::Prod, &ints(&[2], vec![-big, 2]), None),
            Array::scalar_int(i64::MIN)
        );
        let cols = red(
            Reduce::Prod,
            &ints(&[2, 3], vec![1, 2, 3, 4, 5, 6]),
            Some(0),
        );
        assert_eq!(cols, ints(&[3], vec![4, 10, 18]));
    }

    #[test]
    fn bool_reductions_have_numpy_dtypes() {
        let b = bools(&[2], vec![true, false]);
        assert_eq!(red(Reduce::Sum, &b, None), Array::scalar_int(1));
        assert_eq!(red(Reduce::Prod, &b, None), Array::scalar_int(0));
        assert_eq!(red(Reduce::Max, &b, None), Array::scalar_bool(true));
        assert_eq!(red(Reduce::Min, &b, None), Array::scalar_bool(false));
        assert_eq!(red(Reduce::ArgMin, &b, None), Array::scalar_int(1));
        assert_eq!(red(Reduce::Mean, &b, None), Array::scalar_f64(0.5));
        assert_eq!(red(Reduce::Std, &b, None), Array::scalar_f64(0.5));
    }

    #[test]
    fn min_max_and_arg_versions() {
        let a = ints(&[2, 3], vec![1, 5, 3, 7, 2, 2]);
        assert_eq!(red(Reduce::ArgMax, &a, Some(0)), ints(&[3], vec![1, 0, 0]));
        assert_eq!(red(Reduce::ArgMin, &a, Some(1)), ints(&[2], vec![0, 1]));
        assert_eq!(red(Reduce::ArgMax, &a, None), Array::scalar_int(3));
        assert_eq!(red(Reduce::Max, &a, Some(-1)), ints(&[2], vec![5, 7]));
        assert_eq!(red(Reduce::Min, &a, None), Array::scalar_int(1));
        let kept = reduce(Reduce::ArgMax, &a, Some(-1), true, 0.0).unwrap();
        assert_eq!(kept, ints(&[2, 1], vec![1, 0]));
        let all_kept = reduce(Reduce::ArgMax, &a, None, true, 0.0).unwrap();
        assert_eq!(all_kept, ints(&[1, 1], vec![3]));
    }

    #[test]
    fn nan_propagates_and_argmax_finds_the_first_nan() {
        let a = f64s(&[4], vec![1.0, f64::NAN, 3.0, f64::NAN]);
        assert!(as_f64(&red(Reduce::Max, &a, None))[0].is_nan());
        assert!(as_f64(&red(Reduce::Min, &a, None))[0].is_nan());
        assert_eq!(red(Reduce::ArgMax, &a, None), Array::scalar_int(1));
        assert_eq!(red(Reduce::ArgMin, &a, None), Array::scalar_int(1));
        let inf = f64s(&[3], vec![1.0, f64::INFINITY, 3.0]);
        assert_eq!(red(Reduce::ArgMax, &inf, None), Array::scalar_int(1));
        // -0.0 and 0.0 tie: argmax keeps the first, max shows the last.
        let zeros = f64s(&[2], vec![0.0, -0.0]);
        assert_eq!(red(Reduce::ArgMin, &zeros, None), Array::scalar_int(0));
        assert!(as_f64(&red(Reduce::Max, &zeros, None))[0].is_sign_negative());
        assert!(
            as_f64(&red(
                Reduce::Mean,
                &f64s(&[2], vec![f64::INFINITY, f64::NEG_INFINITY]),
                None
            ))[0]
                .is_nan()
        );
    }

    #[test]
    fn complex_has_no_min_or_argmax() {
        let z = Array::scalar_c64(C64::new(1.0, 2.0));
        for kind in [Reduce::Min, Reduce::Max, Reduce::ArgMin, Reduce::ArgMax] {
            match reduce(kind, &z, None, false, 0.0) {
                Err(OpError::DType { op, dtype }) => {
                    assert_eq!(op, kind.name());
                    assert_eq!(dtype, DType::Complex128);
                }
                other => panic!("{kind:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn all_and_any_test_truthiness_of_every_dtype() {
        let f = f64s(&[2], vec![0.0, f64::NAN]);
        assert_eq!(red(Reduce::Any, &f, None), Array::scalar_bool(true));
        assert_eq!(red(Reduce::All, &f, None), Array::scalar_bool(false));
        let z = Array::C128(
            ArrayD::from_shape_vec(IxDyn(&[2]), vec![C64::new(0.0, 0.0), C64::new(0.0, 1.0)])
                .unwrap(),
        );
        assert_eq!(red(Reduce::All, &z, None), Array::scalar_bool(false));
        assert_eq!(red(Reduce::Any, &z, None), Array::scalar_bool(true));
        let m = ints(&[2, 2], vec![1, 0, 2, 3]);
        assert_eq!(
            red(Reduce::All, &m, Some(1)),
            bools(&[2], vec![false, true])
        );
    }

    #[test]
    fn empty_inputs() {
        let e = f64s(&[0, 3], vec![]);
        assert_eq!(red(Reduce::Sum, &e, Some(0)), f64s(&[3], vec![0.0; 3]));
        assert_eq!(red(Reduce::Min, &e, Some(1)), f64s(&[0], vec![]));
        assert_eq!(red(Reduce::ArgMin, &e, Some(1)), ints(&[0], vec![]));
        assert!(as_f64(&red(Reduce::Mean, &e, None))[0].is_nan());
        assert!(
            as_f64(&red(Reduce::Std, &e, Some(0)))
                .iter()
                .all(|v| v.is_nan())
        );
        let ez = Array::C128(ArrayD::from_shape_vec(IxDyn(&[0]), vec![]).unwrap());
        let m = one_c64(&red(Reduce::Mean, &ez, None));
        assert!(m.re.is_nan() && m.im.is_nan());
        assert!(as_f64(&red(Reduce::Var, &ez, None))[0].is_nan());
        let eb = bools(&[0, 3], vec![]);
        assert_eq!(red(Reduce::Prod, &eb, None), Array::scalar_int(1));
        assert_eq!(red(Reduce::All, &eb, Some(0)), bools(&[3], vec![true; 3]));
        assert_eq!(red(Reduce::Any, &eb, None), Array::scalar_bool(false));
        let empty = |kind| {
            Err(OpError::Reduce {
                err: ReduceError::Empty { kind },
                arg: Some(0),
            })
        };
        let min = reduce(Reduce::Min, &e, Some(0), false, 0.0);
        assert_eq!(min, empty(Reduce::Min));
        let arg = reduce(Reduce::ArgMax, &f64s(&[3, 0], vec![]), Some(1), false, 0.0);
        assert_eq!(arg, empty(Reduce::ArgMax));
        // Nothing to reduce when the output is empty, as in NumPy.
        assert_eq!(
            red(Reduce::ArgMax, &f64s(&[3, 0], vec![]), Some(0)),
            ints(&[0], vec![])
        );
        assert!(reduce(Reduce::Max, &f64s(&[0], vec![]), None, false, 0.0).is_err());
    }

    #[test]
    fn axes_keepdims_and_errors() {
        let a = f64s(&[2, 3, 4], vec![1.0; 24]);
        assert_eq!(red(Reduce::Sum, &a, Some(-2)), f64s(&[2, 4], vec![3.0; 8]));
        let kept = reduce(Reduce::Sum, &a, Some(1), true, 0.0).unwrap();
        assert_eq!(kept, f64s(&[2, 1, 4], vec![3.0; 8]));
        let all = reduce(Reduce::Mean, &a, None, true, 0.0).unwrap();
        assert_eq!(all, f64s(&[1, 1, 1], vec![1.0]));
        for axis in [3, -4] {
            let err = reduce(Reduce::Sum, &a, Some(axis), false, 0.0);
            assert_eq!(
                err,
                Err(OpError::Axis {
                    axis,
                    ndim: 3,
                    arg: None
                })
            );
        }
    }

    #[test]
    fn scalars_take_axis_zero_only_where_numpy_does() {
        let s = Array::scalar_int(5);
        assert_eq!(red(Reduce::Sum, &s, Some(0)), s);
        assert_eq!(red(Reduce::ArgMax, &s, Some(-1)), Array::scalar_int(0));
        assert_eq!(reduce(Reduce::Sum, &s, Some(0), true, 0.0).unwrap(), s);
        assert!(reduce(Reduce::Sum, &s, Some(1), false, 0.0).is_err());
        assert!(reduce(Reduce::Mean, &s, Some(0), false, 0.0).is_err());
        assert_eq!(red(Reduce::Mean, &s, None), Array::scalar_f64(5.0));
    }

    fn dims(shape: &[usize], dtype: DType) -> Meta {
        Meta::new(shape, dtype)
    }

    #[test]
    fn reduce_rule_predicts_shapes_and_dtypes() {
        let f = DType::Float64;
        let rule =
            |kind, shape: &[usize], dt, axis, keep| reduce_rule(kind, &dims(shape, dt), axis, keep);
        assert_eq!(
            rule(Reduce::Sum, &[2, 3, 4], f, Some(-1), false),
            Ok(dims(&[2, 3], f))
        );
        assert_eq!(
            rule(Reduce::Sum, &[2, 3, 4], f, Some(0), true),
            Ok(dims(&[1, 3, 4], f))
        );
        assert_eq!(
            rule(Reduce::ArgMax, &[2, 3], f, None, true),
            Ok(dims(&[1, 1], DType::Int64))
        );
        assert_eq!(
            rule(Reduce::Var, &[2, 3], DType::Int64, None, false),
            Ok(dims(&[], f))
        );
        assert_eq!(
            rule(Reduce::Std, &[2], DType::Complex128, None, false),
            Ok(dims(&[], f))
        );
        assert_eq!(
            rule(Reduce::Sum, &[2], DType::Bool, None, false),
            Ok(dims(&[], DType::Int64))
        );
        assert_eq!(
            rule(Reduce::Any, &[2, 5], f, Some(1), false),
            Ok(dims(&[2], DType::Bool))
        );
        assert_eq!(
            rule(Reduce::Min, &[0, 3], f, Some(1), false),
            Ok(dims(&[0], f))
        );
        // An unknown axis stays unknown, and an unknown lane is not empty.
        let m = Meta::with_dims(vec![Dim::Unknown, Dim::Known(3)], f);
        assert_eq!(
            reduce_rule(Reduce::Max, &m, Some(1), false),
            Ok(Meta::with_dims(vec![Dim::Unknown], f))
        );
        assert_eq!(reduce_rule(Reduce::Max, &m, None, false), Ok(dims(&[], f)));
        let with_zero = Meta::with_dims(vec![Dim::Unknown, Dim::Known(0)], f);
        assert!(reduce_rule(Reduce::ArgMin, &with_zero, None, false).is_err());
    }

    #[test]
    fn reduce_rule_errors() {
        let f = DType::Float64;
        assert_eq!(
            reduce_rule(Reduce::Min, &dims(&[0, 3], f), Some(0), false),
            Err(OpError::Reduce {
                err: ReduceError::Empty { kind: Reduce::Min },
                arg: Some(0)
            })
        );
        assert_eq!(
            reduce_rule(Reduce::Any, &dims(&[2], f), Some(1), false),
            Err(OpError::Axis {
                axis: 1,
                ndim: 1,
                arg: None
            })
        );
        assert_eq!(
            reduce_rule(Reduce::Mean, &dims(&[], f), Some(0), false),
            Err(OpError::Axis {
                axis: 0,
                ndim: 0,
                arg: None
            })
        );
        assert!(matches!(
            reduce_rule(Reduce::ArgMax, &dims(&[2], DType::Complex128), None, false),
            Err(OpError::DType {
                dtype: DType::Complex128,
                ..
            })
        ));
        // The empty check comes before the dtype check, as in the kernel.
        assert!(matches!(
            reduce_rule(Reduce::Max, &dims(&[0], DType::Complex128), None, false),
            Err(OpError::Reduce { .. })
        ));
    }

    #[test]
    fn reduce_gives_what_its_rule_predicts() {
        let all = [
            Reduce::Sum,
            Reduce::Prod,
            Reduce::Mean,
            Reduce::Min,
            Reduce::Max,
            Reduce::ArgMin,
            Reduce::ArgMax,
            Reduce::Std,
            Reduce::Var,
            Reduce::All,
            Reduce::Any,
        ];
        let operands = [
            f64s(&[2, 3, 4], seq(24)),
            ints(&[3, 2], vec![1, 2, 3, 4, 5, 6]),
            bools(&[2, 2], vec![true, false, true, true]),
            Array::C128(ArrayD::from_shape_vec(IxDyn(&[2, 3]), cseq(6)).unwrap()),
            Array::F32(ArrayD::from_elem(IxDyn(&[0, 2]), 1.0)),
            Array::scalar_int(4),
        ];
        for kind in all {
            for a in &operands {
                for axis in [None, Some(0), Some(-1), Some(2), Some(-3)] {
                    for keep in [false, true] {
                        let rule = reduce_rule(kind, &Meta::of(a), axis, keep);
                        let got = reduce(kind, a, axis, keep, 0.0).map(|r| Meta::of(&r));
                        assert_eq!(rule, got, "{kind:?} {:?} {axis:?} {keep}", a.shape());
                    }
                }
            }
        }
    }

    #[test]
    fn names_are_numpy_names() {
        let names: Vec<_> = [Reduce::Sum, Reduce::ArgMin, Reduce::Std, Reduce::Any]
            .iter()
            .map(|k| k.name())
            .collect();
        assert_eq!(names, ["sum", "argmin", "std", "any"]);
    }
}
