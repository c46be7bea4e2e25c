//! Array products beyond `@`: dot, vdot, inner, outer, cross, kron, tensordot,
//! trace and einsum, with NumPy's shape rules and result dtypes.

use std::collections::BTreeMap;

use ndarray::{ArrayD, ArrayView1, Axis, Ix2, IxDyn};

use super::broadcast::broadcast_dims;
use super::broadcast::view_as;
use super::error::{OpError, OpResult};
use super::limits::{Limits, check_alloc};
use super::matmul::matmul;
use super::reduce::{Reduce, reduce, reduce_rule};
use crate::kernel::Exec;
use crate::map_array;
use crate::value::{Array, C64, DType, Dim, Elem, Meta, promote};

/// Element types with the sums of products these operations need. Products
/// are formed in a wider accumulator: int64 uses i128, so an intermediate
/// value may pass int64's range as long as the result fits (NumPy's wrapping
/// result is right exactly then); bool uses logical and/or, as NumPy does.
trait Ring: Elem {
    type Acc: Copy;
    const ZERO: Self::Acc;
    fn lift(self) -> Self::Acc;
    fn acc_mul(a: Self::Acc, b: Self::Acc) -> Option<Self::Acc>;
    fn acc_add(a: Self::Acc, b: Self::Acc) -> Option<Self::Acc>;
    /// `None` where negation has no meaning (bool) or overflows.
    fn acc_neg(a: Self::Acc) -> Option<Self::Acc>;
    /// Back to the element type; `None` if the value does not fit.
    fn lower(a: Self::Acc) -> Option<Self>;
    /// The elements of `a`, which already has this dtype or widens to it.
    fn typed(a: &Array) -> ArrayD<Self>;
}

impl Ring for bool {
    type Acc = bool;
    const ZERO: bool = false;
    fn lift(self) -> bool {
        self
    }
    fn acc_mul(a: bool, b: bool) -> Option<bool> {
        Some(a && b)
    }
    fn acc_add(a: bool, b: bool) -> Option<bool> {
        Some(a || b)
    }
    fn acc_neg(_: bool) -> Option<bool> {
        None
    }
    fn lower(a: bool) -> Option<bool> {
        Some(a)
    }
    fn typed(a: &Array) -> ArrayD<bool> {
        match a.widen(DType::Bool) {
            Array::Bool(x) => x,
            _ => unreachable!("widen returns the requested dtype"),
        }
    }
}

impl Ring for i64 {
    type Acc = i128;
    const ZERO: i128 = 0;
    fn lift(self) -> i128 {
        i128::from(self)
    }
    fn acc_mul(a: i128, b: i128) -> Option<i128> {
        a.checked_mul(b)
    }
    fn acc_add(a: i128, b: i128) -> Option<i128> {
        a.checked_add(b)
    }
    fn acc_neg(a: i128) -> Option<i128> {
        a.checked_neg()
    }
    fn lower(a: i128) -> Option<i64> {
        i64::try_from(a).ok()
    }
    fn typed(a: &Array) -> ArrayD<i64> {
        match a.widen(DType::Int64) {
            Array::Int(x) => x,
            _ => unreachable!("widen returns the requested dtype"),
        }
    }
}

/// Floats and complex numbers multiply and add in their own type.
macro_rules! field_ring {
    ($t:ty, $zero:expr, $variant:ident, $dtype:expr) => {
        impl Ring for $t {
            type Acc = $t;
            const ZERO: $t = $zero;
            fn lift(self) -> $t {
                self
            }
            fn acc_mul(a: $t, b: $t) -> Option<$t> {
                Some(a * b)
            }
            fn acc_add(a: $t, b: $t) -> Option<$t> {
                Some(a + b)
            }
            fn acc_neg(a: $t) -> Option<$t> {
                Some(-a)
            }
            fn lower(a: $t) -> Option<$t> {
                Some(a)
            }
            fn typed(a: &Array) -> ArrayD<$t> {
                match a.widen($dtype) {
                    Array::$variant(x) => x,
                    _ => unreachable!("widen returns the requested dtype"),
                }
            }
        }
    };
}

field_ring!(f32, 0.0, F32, DType::Float32);
field_ring!(f64, 0.0, F64, DType::Float64);

impl Ring for C64 {
    type Acc = C64;
    const ZERO: C64 = C64::new(0.0, 0.0);
    fn lift(self) -> C64 {
        self
    }
    fn acc_mul(a: C64, b: C64) -> Option<C64> {
        Some(a * b)
    }
    fn acc_add(a: C64, b: C64) -> Option<C64> {
        Some(a + b)
    }
    fn acc_neg(a: C64) -> Option<C64> {
        Some(-a)
    }
    fn lower(a: C64) -> Option<C64> {
        Some(a)
    }
    fn typed(a: &Array) -> ArrayD<C64> {
        a.to_c64_array()
    }
}

/// Runs `$body` with `$T` naming the element type of `$dtype`.
macro_rules! by_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            DType::Bool => {
                type $T = bool;
                $body
            }
            DType::Int64 => {
                type $T = i64;
                $body
            }
            DType::Float32 => {
                type $T = f32;
                $body
            }
            DType::Float64 => {
                type $T = f64;
                $body
            }
            DType::Complex128 => {
                type $T = C64;
                $body
            }
        }
    };
}

/// Why a product refuses its operands or constant arguments, as facts
/// (`eval/errors/products.rs` words them). Shapes are the rule's, so an
/// axis the data decides shows as `?`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProductError {
    /// `dot`: axis `lhs_axis` of the first operand and `rhs_axis` of the
    /// second have different lengths.
    DotAligned {
        lhs: Vec<Dim>,
        rhs: Vec<Dim>,
        lhs_axis: usize,
        rhs_axis: usize,
    },
    /// `vdot`: operands with different numbers of elements.
    VdotSizes {
        lhs: Vec<Dim>,
        rhs: Vec<Dim>,
        lhs_len: usize,
        rhs_len: usize,
    },
    /// `inner`: last axes of different lengths.
    InnerLast { lhs: Vec<Dim>, rhs: Vec<Dim> },
    /// `tensordot`: more summed axes than the operand has.
    TensordotCount { count: usize, shape: Vec<Dim> },
    /// `tensordot`: lists of summed axes of different lengths.
    TensordotPairs { lhs: usize, rhs: usize },
    /// `tensordot`: an axis listed twice for operand `operand`.
    TensordotRepeated { axis: usize, operand: usize },
    /// `tensordot`: paired axes of different lengths.
    TensordotSummed {
        lhs: Vec<Dim>,
        rhs: Vec<Dim>,
        lhs_axis: usize,
        rhs_axis: usize,
    },
    /// `cross`: a last axis whose length is not 2 or 3.
    CrossLength { shape: Vec<Dim> },
    /// `cross`: the axes before the last do not broadcast.
    CrossBroadcast { lhs: Vec<Dim>, rhs: Vec<Dim> },
    /// `trace`: fewer than two axes.
    TraceRank { shape: Vec<Dim> },
    /// `einsum`: the operands have axes under `...` but the explicit output
    /// has no `...` to put them (NumPy refuses rather than sums them).
    EinsumEllipsis,
    /// `einsum`: the spec names `named` operands, `given` were passed.
    EinsumOperands { named: usize, given: usize },
    /// `einsum`: a subscript that is not a letter.
    EinsumSubscript { found: char },
    /// `einsum`: an output subscript given twice.
    EinsumOutputRepeated { label: char },
    /// `einsum`: an output subscript no input has.
    EinsumOutputUnknown { label: char },
    /// `einsum`: operand `operand` has another number of axes than its
    /// subscripts.
    EinsumRank {
        operand: usize,
        shape: Vec<Dim>,
        subscripts: String,
        /// How many letters the subscripts have.
        named: usize,
        /// Whether they have `...` (then the operand needs at least `named`).
        ellipsis: bool,
    },
    /// `einsum`: a subscript repeated within operand `operand` over axes of
    /// different lengths.
    EinsumDiagonal {
        operand: usize,
        shape: Vec<Dim>,
        label: char,
        first: usize,
        second: usize,
    },
    /// `einsum`: a subscript whose length differs between operands (and
    /// neither is 1).
    EinsumSize {
        label: char,
        earlier: usize,
        size: usize,
        operand: usize,
        shape: Vec<Dim>,
    },
}

fn refuse<T>(err: ProductError, arg: usize) -> OpResult<T> {
    Err(OpError::Product {
        err,
        arg: Some(arg),
    })
}

/// Whether two axis lengths are known to differ (unknown matches anything).
fn clash(x: &Dim, y: &Dim) -> bool {
    x.clash(y)
}

/// The number of elements, as a length: 0 as soon as one axis is known to
/// be 0.
fn count(m: &Meta) -> Dim {
    if m.shape.contains(&Dim::Known(0)) {
        return Dim::Known(0);
    }
    Dim::product(&m.shape)
}

/// The shape of an actual array's prediction (its axes are all known).
fn concrete(m: &Meta) -> Vec<usize> {
    m.concrete().expect("the metadata of an array is concrete")
}

/// The result dtype of a product. NumPy converts every argument with
/// `asarray` first, so 0-d operands promote like arrays here (`dot(2,
/// float32 vector)` is float64), unlike the scalars of `2 * v`.
fn common_dtype(metas: &[&Meta]) -> DType {
    let mut it = metas.iter().map(|m| m.dtype);
    let first = it.next().unwrap_or(DType::Bool);
    it.fold(first, |acc, d| promote(acc, false, d, false))
}

fn product<T: Ring>(x: T, y: T) -> Option<T> {
    T::lower(T::acc_mul(x.lift(), y.lift())?)
}

/// Every product `a[i] * b[j]` in row-major order of (i, j), shaped `shape`
/// (which has as many elements as `a` times `b`).
fn pair_products<T: Ring>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    shape: &[usize],
    op: &str,
    limits: &Limits,
) -> OpResult<ArrayD<T>> {
    check_alloc(shape, T::DTYPE, limits)?;
    let mut out = Vec::with_capacity(a.len() * b.len());
    for &x in a {
        for &y in b {
            out.push(product(x, y).ok_or_else(|| OpError::overflow(op))?);
        }
    }
    Ok(ArrayD::from_shape_vec(IxDyn(shape), out).expect("one element per pair"))
}

/// The shape of `a * b` where one side is 0-d: NumPy's dot and inner of a
/// scalar.
fn scalar_product_rule(a: &Meta, b: &Meta) -> Meta {
    Meta::with_dims([&a.shape[..], &b.shape[..]].concat(), common_dtype(&[a, b]))
}

/// `a * b` where one side is 0-d, shaped and typed as `out` predicts.
fn scalar_product(a: &Array, b: &Array, out: &Meta, op: &str, limits: &Limits) -> OpResult<Array> {
    by_dtype!(out.dtype, T => {
        let r = pair_products(&T::typed(a), &T::typed(b), &concrete(out), op, limits)?;
        Ok(T::wrap(r))
    })
}

/// The result of summing `a_axes` of `a` against `b_axes` of `b`: the free
/// axes of `a`, then those of `b`.
fn contracted(a: &Meta, b: &Meta, a_axes: &[usize], b_axes: &[usize]) -> Meta {
    let free = |m: &Meta, summed: &[usize]| {
        (0..m.ndim())
            .filter(|k| !summed.contains(k))
            .map(|k| m.shape[k].clone())
            .collect::<Vec<_>>()
    };
    Meta::with_dims(
        [free(a, a_axes), free(b, b_axes)].concat(),
        common_dtype(&[a, b]),
    )
}

/// The rule of numpy.dot: scalars multiply; otherwise the last axis of `a`
/// meets the only axis of a vector `b`, or the second-to-last axis of `b`.
pub fn dot_rule(a: &Meta, b: &Meta) -> OpResult<Meta> {
    if a.is_scalar() || b.is_scalar() {
        return Ok(scalar_product_rule(a, b));
    }
    let (ka, kb) = dot_axes(a, b);
    if clash(&a.shape[ka], &b.shape[kb]) {
        let err = ProductError::DotAligned {
            lhs: a.shape.clone(),
            rhs: b.shape.clone(),
            lhs_axis: ka,
            rhs_axis: kb,
        };
        return refuse(err, 1);
    }
    Ok(contracted(a, b, &[ka], &[kb]))
}

fn dot_axes(a: &Meta, b: &Meta) -> (usize, usize) {
    (a.ndim() - 1, b.ndim().saturating_sub(2))
}

/// numpy.dot.
pub fn dot(a: &Array, b: &Array, limits: &Limits, exec: &Exec) -> OpResult<Array> {
    let (ma, mb) = (Meta::of(a), Meta::of(b));
    let out = dot_rule(&ma, &mb)?;
    if a.is_scalar() || b.is_scalar() {
        return scalar_product(a, b, &out, "dot", limits);
    }
    let (ka, kb) = dot_axes(&ma, &mb);
    contract(a, b, [&[ka], &[kb]], &out, "dot", limits, exec)
}

/// The rule of numpy.vdot: both operands flattened, so only their numbers
/// of elements must agree; the result is a scalar.
pub fn vdot_rule(a: &Meta, b: &Meta) -> OpResult<Meta> {
    if let (Some(la), Some(lb)) = (a.elements(), b.elements())
        && la != lb
    {
        let err = ProductError::VdotSizes {
            lhs: a.shape.clone(),
            rhs: b.shape.clone(),
            lhs_len: la,
            rhs_len: lb,
        };
        return refuse(err, 1);
    }
    Ok(Meta::scalar(common_dtype(&[a, b])))
}

/// numpy.vdot: both operands flattened, the first conjugated.
pub fn vdot(a: &Array, b: &Array) -> OpResult<Array> {
    let out = vdot_rule(&Meta::of(a), &Meta::of(b))?;
    by_dtype!(out.dtype, T => {
        let (x, y) = (T::typed(a), T::typed(b));
        let sum = x.iter().zip(y.iter()).try_fold(T::ZERO, |acc, (&p, &q)| {
            T::acc_add(acc, T::acc_mul(Elem::conj(p).lift(), q.lift())?)
        });
        let v = sum.and_then(T::lower).ok_or_else(|| OpError::overflow("vdot"))?;
        Ok(T::wrap(ArrayD::from_elem(IxDyn(&[]), v)))
    })
}

/// The rule of numpy.inner: sums over the last axes of both operands.
pub fn inner_rule(a: &Meta, b: &Meta) -> OpResult<Meta> {
    if a.is_scalar() || b.is_scalar() {
        return Ok(scalar_product_rule(a, b));
    }
    let (ka, kb) = (a.ndim() - 1, b.ndim() - 1);
    if clash(&a.shape[ka], &b.shape[kb]) {
        let err = ProductError::InnerLast {
            lhs: a.shape.clone(),
            rhs: b.shape.clone(),
        };
        return refuse(err, 1);
    }
    Ok(contracted(a, b, &[ka], &[kb]))
}

/// numpy.inner.
pub fn inner(a: &Array, b: &Array, limits: &Limits, exec: &Exec) -> OpResult<Array> {
    let out = inner_rule(&Meta::of(a), &Meta::of(b))?;
    if a.is_scalar() || b.is_scalar() {
        return scalar_product(a, b, &out, "inner", limits);
    }
    contract(
        a,
        b,
        [&[a.ndim() - 1], &[b.ndim() - 1]],
        &out,
        "inner",
        limits,
        exec,
    )
}

/// The rule of numpy.outer: a matrix of (elements of `a`) × (elements of
/// `b`).
pub fn outer_rule(a: &Meta, b: &Meta) -> Meta {
    Meta::with_dims(vec![count(a), count(b)], common_dtype(&[a, b]))
}

/// numpy.outer: every element of flattened `a` times every element of
/// flattened `b`, as a matrix.
pub fn outer(a: &Array, b: &Array, limits: &Limits) -> OpResult<Array> {
    let out = outer_rule(&Meta::of(a), &Meta::of(b));
    by_dtype!(out.dtype, T => {
        let r = pair_products(&T::typed(a), &T::typed(b), &concrete(&out), "outer", limits)?;
        Ok(T::wrap(r))
    })
}

/// The rule of numpy.kron: as many axes as the larger operand (the smaller
/// one gets leading axes of length 1), each the product of the two lengths.
pub fn kron_rule(a: &Meta, b: &Meta) -> Meta {
    let nd = a.ndim().max(b.ndim());
    let pad = |s: &[Dim]| [vec![Dim::Known(1); nd - s.len()], s.to_vec()].concat();
    let shape = pad(&a.shape)
        .into_iter()
        .zip(pad(&b.shape))
        .map(|dims| match dims {
            (Dim::Known(0), _) | (_, Dim::Known(0)) => Dim::Known(0),
            // Saturating: the limit check then refuses an impossible size.
            (Dim::Known(x), Dim::Known(y)) => Dim::Known(x.saturating_mul(y)),
            (x, y) => Dim::mul(&x, &y),
        })
        .collect();
    Meta::with_dims(shape, common_dtype(&[a, b]))
}

/// numpy.kron: the block matrix of `a[i] * b`.
pub fn kron(a: &Array, b: &Array, limits: &Limits) -> OpResult<Array> {
    let out = kron_rule(&Meta::of(a), &Meta::of(b));
    let out_shape = concrete(&out);
    check_alloc(&out_shape, out.dtype, limits)?;
    let nd = out_shape.len();
    let pad = |s: &[usize]| [vec![1; nd - s.len()], s.to_vec()].concat();
    let (sa, sb) = (pad(a.shape()), pad(b.shape()));
    // The products shaped (a0, .., b0, ..) become the result once the axes
    // are interleaved as (a0, b0, a1, b1, ..) and each pair is merged.
    let perm: Vec<usize> = (0..nd).flat_map(|k| [k, nd + k]).collect();
    by_dtype!(out.dtype, T => {
        let x = (a.ndim()..nd).fold(T::typed(a), |x, _| x.insert_axis(Axis(0)));
        let y = (b.ndim()..nd).fold(T::typed(b), |y, _| y.insert_axis(Axis(0)));
        let p = pair_products(&x, &y, &[sa.as_slice(), sb.as_slice()].concat(), "kron", limits)?;
        let r = p.permuted_axes(IxDyn(&perm)).as_standard_layout().into_owned();
        Ok(T::wrap(r.into_shape_with_order(IxDyn(&out_shape)).expect("same element count")))
    })
}

/// The axes `tensordot` sums over: the last `n` of `a` with the first `n` of
/// `b`, or explicit pairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TensorAxes {
    Count(usize),
    Pairs(Vec<i64>, Vec<i64>),
}

/// The rule of numpy.tensordot: the paired axes must have equal lengths;
/// the result has the remaining axes of `a`, then those of `b`.
pub fn tensordot_rule(a: &Meta, b: &Meta, axes: &TensorAxes) -> OpResult<Meta> {
    tensordot_plan(a, b, axes).map(|(m, _)| m)
}

/// The axes of `a` and of `b` that tensordot sums over, in pairs.
type SummedAxes = (Vec<usize>, Vec<usize>);

/// The rule's result and the normalised axes the kernel sums over.
fn tensordot_plan(a: &Meta, b: &Meta, axes: &TensorAxes) -> OpResult<(Meta, SummedAxes)> {
    let (a_axes, b_axes) = tensordot_axes(a, b, axes)?;
    for (&x, &y) in a_axes.iter().zip(&b_axes) {
        if clash(&a.shape[x], &b.shape[y]) {
            let err = ProductError::TensordotSummed {
                lhs: a.shape.clone(),
                rhs: b.shape.clone(),
                lhs_axis: x,
                rhs_axis: y,
            };
            return refuse(err, 1);
        }
    }
    Ok((contracted(a, b, &a_axes, &b_axes), (a_axes, b_axes)))
}

/// numpy.tensordot.
pub fn tensordot(
    a: &Array,
    b: &Array,
    axes: &TensorAxes,
    limits: &Limits,
    exec: &Exec,
) -> OpResult<Array> {
    let (out, (a_axes, b_axes)) = tensordot_plan(&Meta::of(a), &Meta::of(b), axes)?;
    contract(a, b, [&a_axes, &b_axes], &out, "tensordot", limits, exec)
}

/// Validates and normalises the axes of `tensordot` (argument 2).
fn tensordot_axes(a: &Meta, b: &Meta, axes: &TensorAxes) -> OpResult<SummedAxes> {
    match axes {
        TensorAxes::Count(n) => {
            for (arg, x) in [a, b].into_iter().enumerate() {
                if *n > x.ndim() {
                    let err = ProductError::TensordotCount {
                        count: *n,
                        shape: x.shape.clone(),
                    };
                    return refuse(err, arg);
                }
            }
            Ok(((a.ndim() - n..a.ndim()).collect(), (0..*n).collect()))
        }
        TensorAxes::Pairs(va, vb) => {
            if va.len() != vb.len() {
                let err = ProductError::TensordotPairs {
                    lhs: va.len(),
                    rhs: vb.len(),
                };
                return refuse(err, 2);
            }
            Ok((
                normalize_axes(va, a.ndim(), 0)?,
                normalize_axes(vb, b.ndim(), 1)?,
            ))
        }
    }
}

fn normalize_axes(axes: &[i64], ndim: usize, arg: usize) -> OpResult<Vec<usize>> {
    let n = ndim as i64;
    let mut out: Vec<usize> = Vec::with_capacity(axes.len());
    for &ax in axes {
        if ax < -n || ax >= n {
            return Err(OpError::Axis {
                axis: ax,
                ndim,
                arg: Some(arg),
            });
        }
        let k = if ax < 0 { ax + n } else { ax } as usize;
        if out.contains(&k) {
            let err = ProductError::TensordotRepeated {
                axis: k,
                operand: arg,
            };
            return refuse(err, 2);
        }
        out.push(k);
    }
    Ok(out)
}

/// Sums products over `a_axes` of `a` paired with `b_axes` of `b` (checked
/// by the rule, whose result is `out`): both sides are laid out as
/// matrices, multiplied, and the free axes restored.
fn contract(
    a: &Array,
    b: &Array,
    [a_axes, b_axes]: [&[usize]; 2],
    out: &Meta,
    op: &str,
    limits: &Limits,
    exec: &Exec,
) -> OpResult<Array> {
    let a_free: Vec<usize> = (0..a.ndim()).filter(|k| !a_axes.contains(k)).collect();
    let b_free: Vec<usize> = (0..b.ndim()).filter(|k| !b_axes.contains(k)).collect();
    let dims = |s: &[usize], ks: &[usize]| ks.iter().map(|&k| s[k]).collect::<Vec<_>>();
    let (out_shape, dtype) = (concrete(out), out.dtype);
    check_alloc(&out_shape, dtype, limits)?;
    let size = |v: Vec<usize>| v.iter().product::<usize>();
    let (m, k, n) = (
        size(dims(a.shape(), &a_free)),
        size(dims(a.shape(), a_axes)),
        size(dims(b.shape(), &b_free)),
    );
    let a2 = as_matrix(&a.widen(dtype), &[a_free.as_slice(), a_axes].concat(), m, k);
    let b2 = as_matrix(&b.widen(dtype), &[b_axes, b_free.as_slice()].concat(), k, n);
    let r = matrix_product(&a2, &b2, op, exec)?;
    Ok(map_array!(r, x => x.into_shape_with_order(IxDyn(&out_shape)).expect("same element count")))
}

/// `a` with its axes in `perm` order, as a `rows × cols` matrix.
fn as_matrix(a: &Array, perm: &[usize], rows: usize, cols: usize) -> Array {
    map_array!(a, x => {
        let p = x.view().permuted_axes(IxDyn(perm)).as_standard_layout().into_owned();
        p.into_shape_with_order(IxDyn(&[rows, cols])).expect("same element count")
    })
}

/// Matrix product of two matrices of one dtype. Floats go through `@`'s
/// SIMD kernel; bool and int64 through the exact kernel below.
fn matrix_product(a: &Array, b: &Array, op: &str, exec: &Exec) -> OpResult<Array> {
    match a.dtype() {
        DType::Bool => ring_matmul::<bool>(a, b, op),
        DType::Int64 => ring_matmul::<i64>(a, b, op),
        _ => matmul(a, b, exec),
    }
}

fn ring_matmul<T: Ring>(a: &Array, b: &Array, op: &str) -> OpResult<Array> {
    let x = T::typed(a).into_dimensionality::<Ix2>().expect("a matrix");
    let y = T::typed(b).into_dimensionality::<Ix2>().expect("a matrix");
    let ((m, k), n) = (x.dim(), y.dim().1);
    let mut out = Vec::with_capacity(m * n);
    // i-k-j order walks rows of `y` and of the accumulator row.
    let mut row = vec![T::ZERO; n];
    for i in 0..m {
        row.fill(T::ZERO);
        for p in 0..k {
            let xp = x[[i, p]].lift();
            for (r, &yv) in row.iter_mut().zip(y.row(p)) {
                *r = T::acc_mul(xp, yv.lift())
                    .and_then(|t| T::acc_add(*r, t))
                    .ok_or_else(|| OpError::overflow(op))?;
            }
        }
        for &r in &row {
            out.push(T::lower(r).ok_or_else(|| OpError::overflow(op))?);
        }
    }
    Ok(T::wrap(
        ArrayD::from_shape_vec(IxDyn(&[m, n]), out).expect("m×n elements"),
    ))
}

/// The rule of numpy.cross: the last axes must have length 2 or 3, the
/// other axes broadcast, bools are refused (the product subtracts), and
/// two 2-vectors give the scalar z component. A last axis of unknown length
/// is taken to give a last axis of 3: whether both are 2 decides the rank
/// of the result, and a rule's rank must be fixed.
pub fn cross_rule(a: &Meta, b: &Meta) -> OpResult<Meta> {
    for (arg, x) in [a, b].into_iter().enumerate() {
        if !matches!(x.shape.last().map(Dim::value), Some(Some(2 | 3) | None)) {
            let err = ProductError::CrossLength {
                shape: x.shape.clone(),
            };
            return refuse(err, arg);
        }
    }
    let (la, lb) = (&a.shape[..a.ndim() - 1], &b.shape[..b.ndim() - 1]);
    let Ok(mut shape) = broadcast_dims(la, lb) else {
        let err = ProductError::CrossBroadcast {
            lhs: a.shape.clone(),
            rhs: b.shape.clone(),
        };
        return refuse(err, 1);
    };
    let dtype = common_dtype(&[a, b]);
    if dtype == DType::Bool {
        return Err(OpError::DType {
            op: "cross".to_string(),
            dtype,
        });
    }
    let two = |x: &Meta| x.shape.last().and_then(Dim::value) == Some(2);
    if !(two(a) && two(b)) {
        shape.push(Dim::Known(3));
    }
    Ok(Meta::with_dims(shape, dtype))
}

/// numpy.cross along the last axes; the other axes broadcast.
pub fn cross(a: &Array, b: &Array, limits: &Limits) -> OpResult<Array> {
    let out = cross_rule(&Meta::of(a), &Meta::of(b))?;
    let (da, db) = (a.shape()[a.ndim() - 1], b.shape()[b.ndim() - 1]);
    let out_shape = concrete(&out);
    let lead = &out_shape[..out_shape.len() - usize::from(!(da == 2 && db == 2))];
    let dtype = out.dtype;
    check_alloc(&out_shape, dtype, limits)?;
    by_dtype!(dtype, T => {
        let x = T::typed(a);
        let y = T::typed(b);
        let xv = view_as(&x, &[lead, &[da]].concat());
        let yv = view_as(&y, &[lead, &[db]].concat());
        let last = Axis(lead.len());
        let mut out = Vec::with_capacity(out_shape.iter().product());
        for (p, q) in xv.lanes(last).into_iter().zip(yv.lanes(last)) {
            out.extend(cross_one(p, q).ok_or_else(|| OpError::overflow("cross"))?);
        }
        Ok(T::wrap(ArrayD::from_shape_vec(IxDyn(&out_shape), out).expect("one result per lane")))
    })
}

/// One cross product, with NumPy's formulas for each pair of lengths (a
/// missing third component is 0, and NumPy negates rather than subtracting
/// from 0, which matters for the sign of zeros).
fn cross_one<T: Ring>(p: ArrayView1<'_, T>, q: ArrayView1<'_, T>) -> Option<Vec<T>> {
    let mut a = [T::zero(); 3];
    let mut b = [T::zero(); 3];
    a.iter_mut().zip(&p).for_each(|(d, &v)| *d = v);
    b.iter_mut().zip(&q).for_each(|(d, &v)| *d = v);
    let m = |i: usize, j: usize| T::acc_mul(a[i].lift(), b[j].lift());
    let sub = |x: Option<T::Acc>, y: Option<T::Acc>| T::acc_add(x?, T::acc_neg(y?)?);
    let z = sub(m(0, 1), m(1, 0));
    let parts = match (p.len(), q.len()) {
        (2, 2) => vec![z],
        (2, _) => vec![m(1, 2), m(0, 2).and_then(T::acc_neg), z],
        (_, 2) => vec![m(2, 1).and_then(T::acc_neg), m(2, 0), z],
        _ => vec![sub(m(1, 2), m(2, 1)), sub(m(2, 0), m(0, 2)), z],
    };
    parts.into_iter().map(|v| T::lower(v?)).collect()
}

/// The rule of numpy.trace: at least two axes; the result has the others
/// and `sum`'s dtype (the offset only moves the diagonal).
pub fn trace_rule(x: &Meta) -> OpResult<Meta> {
    if x.ndim() < 2 {
        let err = ProductError::TraceRank {
            shape: x.shape.clone(),
        };
        return refuse(err, 0);
    }
    let diag = Meta::with_dims([&[Dim::Unknown], &x.shape[2..]].concat(), x.dtype);
    reduce_rule(Reduce::Sum, &diag, Some(0), false)
}

/// numpy.trace: the sum of the diagonal `a[i, i + offset, ...]` over the
/// first two axes.
pub fn trace(a: &Array, offset: i64, exec: &Exec) -> OpResult<Array> {
    trace_rule(&Meta::of(a))?;
    let (n0, n1) = (a.shape()[0], a.shape()[1]);
    let to_usize = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    let (r0, c0) = if offset >= 0 {
        (0, to_usize(offset.unsigned_abs()))
    } else {
        (to_usize(offset.unsigned_abs()), 0)
    };
    let len = if r0 >= n0 || c0 >= n1 {
        0
    } else {
        (n0 - r0).min(n1 - c0)
    };
    // NumPy sums its diagonal view with the innermost loop over the axis of
    // smallest stride, so along the diagonal only when no other axis is
    // longer than 1; `reduce` over axis 0 picks the same order.
    let diag = map_array!(a, x => diagonal(x, r0, c0, len));
    reduce(Reduce::Sum, &diag, Some(0), false, 0.0, exec)
}

/// The diagonal starting at (r0, c0) of the first two axes, as axis 0 of the
/// result; the remaining axes follow. The caller keeps `r0 + len <= n0` and
/// `c0 + len <= n1`.
fn diagonal<T: Clone>(x: &ArrayD<T>, r0: usize, c0: usize, len: usize) -> ArrayD<T> {
    let rest = &x.shape()[2..];
    let mut data = Vec::with_capacity(len * rest.iter().product::<usize>());
    for i in 0..len {
        let plane = x.index_axis(Axis(0), r0 + i);
        data.extend(plane.index_axis(Axis(0), c0 + i).iter().cloned());
    }
    ArrayD::from_shape_vec(IxDyn(&[&[len], rest].concat()), data).expect("len × rest elements")
}

/// An einsum specification after parsing: the subscripts of each operand and
/// of the output, as ASCII letters.
struct Spec {
    inputs: Vec<Vec<u8>>,
    output: Vec<u8>,
}

/// The rule of numpy.einsum: the spec (a constant) is parsed here, each
/// operand's axes are matched to its subscripts, and the output has the
/// lengths of its subscripts. The subscripts string is argument 0, operand
/// k is argument k + 1.
pub fn einsum_rule(spec: &str, operands: &[Meta]) -> OpResult<Meta> {
    einsum_plan(spec, operands).map(|(m, _, _)| m)
}

/// The rule's result, the parsed spec and the length of every subscript.
fn einsum_plan(spec: &str, operands: &[Meta]) -> OpResult<(Meta, Spec, BTreeMap<u8, Dim>)> {
    let spec = parse_spec(spec, operands)?;
    let mut sizes: BTreeMap<u8, Dim> = BTreeMap::new();
    for (k, (subs, m)) in spec.inputs.iter().zip(operands).enumerate() {
        for (l, d) in operand_sizes(k, subs, &m.shape)? {
            merge_size(&mut sizes, l, d, k, &m.shape)?;
        }
    }
    let shape = spec.output.iter().map(|l| sizes[l].clone()).collect();
    let refs: Vec<&Meta> = operands.iter().collect();
    let out = Meta::with_dims(shape, common_dtype(&refs));
    Ok((out, spec, sizes))
}

/// numpy.einsum without `...`: explicit (`ij,jk->ik`) and implicit (`ij,jk`)
/// output, repeated subscripts (diagonals, traces) and size-1 broadcasting.
pub fn einsum(spec: &str, operands: &[Array], limits: &Limits, exec: &Exec) -> OpResult<Array> {
    let metas: Vec<Meta> = operands.iter().map(Meta::of).collect();
    let (out, spec, sizes) = einsum_plan(spec, &metas)?;
    let plan = plan(&spec, &sizes, operands);
    let (out_shape, dtype) = (concrete(&out), out.dtype);
    check_alloc(&out_shape, dtype, limits)?;
    by_dtype!(dtype, T => {
        let flat = |a: &Array| T::typed(a).iter().copied().collect();
        let data: Vec<Vec<T>> = operands.iter().map(flat).collect();
        let out = sum_products(&data, &plan, exec)?;
        let r = ArrayD::from_shape_vec(IxDyn(&out_shape), out);
        Ok(T::wrap(r.expect("one value per output index")))
    })
}

fn spec_error<T>(err: ProductError) -> OpResult<T> {
    refuse(err, 0)
}

/// Parses the spec against the operands' ranks. Each `...` stands for the
/// axes an operand has beyond its letters; as in NumPy they broadcast
/// right-aligned, so the `...` of every operand gets the last of `width`
/// shared labels (bytes below `ELLIPSIS_END`, never letters).
fn parse_spec(spec: &str, operands: &[Meta]) -> OpResult<Spec> {
    let ranks: Vec<usize> = operands.iter().map(|m| m.shape.len()).collect();
    let (lhs, rhs) = match spec.split_once("->") {
        Some((l, r)) => (l, Some(r)),
        None => (spec, None),
    };
    let terms: Vec<Term> = lhs.split(',').map(subscripts).collect::<OpResult<_>>()?;
    if terms.len() != ranks.len() {
        return spec_error(ProductError::EinsumOperands {
            named: terms.len(),
            given: ranks.len(),
        });
    }
    let mut width = 0;
    for (k, (t, &rank)) in terms.iter().zip(&ranks).enumerate() {
        let named = t.letters.len();
        if rank < named || (!t.ellipsis && rank != named) {
            return refuse(
                ProductError::EinsumRank {
                    operand: k,
                    shape: operands[k].shape.clone(),
                    subscripts: t.text.clone(),
                    named,
                    ellipsis: t.ellipsis,
                },
                k + 1,
            );
        }
        if t.ellipsis {
            width = width.max(rank - named);
        }
    }
    let broadcast = |extra: usize| (width - extra..width).map(|i| i as u8);
    let inputs: Vec<Vec<u8>> = terms
        .iter()
        .zip(&ranks)
        .map(|(t, &rank)| {
            let extra = if t.ellipsis {
                rank - t.letters.len()
            } else {
                0
            };
            let (head, tail) = t.letters.split_at(t.split);
            head.iter()
                .copied()
                .chain(broadcast(extra))
                .chain(tail.iter().copied())
                .collect()
        })
        .collect();
    let output = match rhs {
        Some(r) => {
            let t = subscripts(r)?;
            if !t.ellipsis && width > 0 {
                return spec_error(ProductError::EinsumEllipsis);
            }
            let (head, tail) = t.letters.split_at(t.split);
            let letters = head
                .iter()
                .copied()
                .chain(broadcast(if t.ellipsis { width } else { 0 }))
                .chain(tail.iter().copied())
                .collect();
            explicit_output(letters, &inputs)?
        }
        None => (0..width as u8).chain(implicit_output(&inputs)).collect(),
    };
    Ok(Spec { inputs, output })
}

/// Labels of the axes under `...` are the bytes below this (at most 32
/// broadcast axes, far more than the limits allow).
const ELLIPSIS_END: u8 = b' ';

/// How a label shows in an error: a letter, or `.` for the axes under `...`.
fn label_char(l: u8) -> char {
    if l < ELLIPSIS_END { '.' } else { l as char }
}

/// One term of a spec: its letters, and where its `...` stands if it has one.
struct Term {
    text: String,
    letters: Vec<u8>,
    ellipsis: bool,
    split: usize,
}

/// The letters of one term and at most one `...`; spaces are ignored as in
/// NumPy.
fn subscripts(term: &str) -> OpResult<Term> {
    let text: String = term.chars().filter(|c| !c.is_whitespace()).collect();
    let mut letters = Vec::new();
    let mut ellipsis = false;
    let mut split = 0;
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("...")
            && !ellipsis
        {
            ellipsis = true;
            split = letters.len();
            rest = after;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            return spec_error(ProductError::EinsumSubscript { found: c });
        }
        letters.push(c as u8);
        rest = &rest[1..];
    }
    if !ellipsis {
        split = letters.len();
    }
    Ok(Term {
        text,
        letters,
        ellipsis,
        split,
    })
}

fn explicit_output(output: Vec<u8>, inputs: &[Vec<u8>]) -> OpResult<Vec<u8>> {
    for (i, &l) in output.iter().enumerate() {
        let label = label_char(l);
        if output[..i].contains(&l) {
            return spec_error(ProductError::EinsumOutputRepeated { label });
        }
        if !inputs.iter().any(|t| t.contains(&l)) {
            return spec_error(ProductError::EinsumOutputUnknown { label });
        }
    }
    Ok(output)
}

/// NumPy's implicit output: the subscripts used exactly once, in ASCII order
/// (so upper case sorts before lower case).
fn implicit_output(inputs: &[Vec<u8>]) -> Vec<u8> {
    let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
    for &l in inputs.iter().flatten().filter(|&&l| l >= ELLIPSIS_END) {
        *counts.entry(l).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|&(_, n)| n == 1)
        .map(|(l, _)| l)
        .collect()
}

/// The loop nest of an einsum: output labels first, then the summed labels
/// in order of first use, with each label's size (from the rule) and its
/// step in every operand.
fn plan(spec: &Spec, sizes: &BTreeMap<u8, Dim>, operands: &[Array]) -> Plan {
    let mut labels = spec.output.clone();
    for &l in spec.inputs.iter().flatten() {
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    let strides = spec
        .inputs
        .iter()
        .zip(operands)
        .map(|(subs, a)| label_strides(subs, a.shape(), &labels))
        .collect();
    let known = |l: &u8| sizes[l].clone().known().expect("arrays have known lengths");
    Plan {
        sizes: labels.iter().map(known).collect(),
        strides,
        n_out: spec.output.len(),
    }
}

/// The size of each subscript of operand `k`; a repeated subscript needs
/// axes of equal length (it walks their diagonal).
fn operand_sizes(k: usize, subs: &[u8], shape: &[Dim]) -> OpResult<BTreeMap<u8, Dim>> {
    // parse_spec has matched the number of subscripts to the rank.
    let refuse_k = |err| refuse(err, k + 1);
    let mut local: BTreeMap<u8, Dim> = BTreeMap::new();
    for (&l, d) in subs.iter().zip(shape) {
        match (local.get(&l), d) {
            (Some(f), s) if f.clash(s) && f.value().is_some() && s.value().is_some() => {
                let (first, second) = (f.value().unwrap_or(0), s.value().unwrap_or(0));
                return refuse_k(ProductError::EinsumDiagonal {
                    operand: k,
                    shape: shape.to_vec(),
                    label: label_char(l),
                    first,
                    second,
                });
            }
            // A known length says more than an unknown one.
            (Some(f), s) => {
                let p = f.pick(s);
                local.insert(l, p);
            }
            (None, _) => {
                local.insert(l, d.clone());
            }
        }
    }
    Ok(local)
}

/// Records that subscript `l` has size `d` in operand `k`. Sizes must agree
/// across operands, except that 1 broadcasts, as in NumPy. An unknown size
/// agrees with any, and a known one other than 1 replaces it.
fn merge_size(
    sizes: &mut BTreeMap<u8, Dim>,
    l: u8,
    d: Dim,
    k: usize,
    shape: &[Dim],
) -> OpResult<()> {
    let Some(current) = sizes.get(&l).cloned() else {
        sizes.insert(l, d);
        return Ok(());
    };
    if current.is_one() || (current == Dim::Unknown && !d.is_one()) {
        // The unknown length is 1 or `n`; either way the result has `n`.
        sizes.insert(l, d);
        return Ok(());
    }
    if d.is_one() {
        return Ok(());
    }
    match (current.value(), d.value()) {
        (Some(g), Some(n)) if g != n => refuse(
            ProductError::EinsumSize {
                label: label_char(l),
                earlier: g,
                size: n,
                operand: k,
                shape: shape.to_vec(),
            },
            k + 1,
        ),
        _ => {
            sizes.insert(l, current.pick(&d));
            Ok(())
        }
    }
}

/// How far one step of each label moves in an operand's row-major data:
/// the sum over the axes carrying it (a repeated label walks the diagonal),
/// 0 for labels it lacks or axes of length 1 (broadcast).
fn label_strides(subs: &[u8], shape: &[usize], labels: &[u8]) -> Vec<usize> {
    let mut axis_stride = vec![1; shape.len()];
    for k in (0..shape.len().saturating_sub(1)).rev() {
        axis_stride[k] = axis_stride[k + 1] * shape[k + 1];
    }
    labels
        .iter()
        .map(|l| {
            (0..shape.len())
                .filter(|&k| subs[k] == *l && shape[k] != 1)
                .map(|k| axis_stride[k])
                .sum()
        })
        .collect()
}

/// Sizes of all labels (output labels first), each operand's step per
/// label, and how many labels the output has.
struct Plan {
    sizes: Vec<usize>,
    strides: Vec<Vec<usize>>,
    n_out: usize,
}

/// For every output index (row-major), the sum over the summed labels of the
/// product of one element from each operand. Integer overflow is an error,
/// and the cancel flag is checked every million terms.
fn sum_products<T: Ring>(data: &[Vec<T>], plan: &Plan, exec: &Exec) -> OpResult<Vec<T>> {
    let overflow = || OpError::overflow("einsum");
    let mut since_check = 0usize;
    let (out_sizes, sum_sizes) = plan.sizes.split_at(plan.n_out);
    let out_count: usize = out_sizes.iter().product();
    let sum_count: usize = sum_sizes.iter().product();
    let mut idx = vec![0usize; plan.sizes.len()];
    let mut out = Vec::with_capacity(out_count);
    for _ in 0..out_count {
        since_check += sum_count.max(1);
        if since_check > 1 << 20 {
            since_check = 0;
            exec.check()?;
        }
        let mut acc = T::ZERO;
        for _ in 0..sum_count {
            let mut term: Option<T::Acc> = None;
            for (values, strides) in data.iter().zip(&plan.strides) {
                let offset: usize = idx.iter().zip(strides).map(|(i, s)| i * s).sum();
                let v = values[offset].lift();
                term = Some(match term {
                    None => v,
                    Some(t) => T::acc_mul(t, v).ok_or_else(overflow)?,
                });
            }
            acc = T::acc_add(acc, term.ok_or_else(overflow)?).ok_or_else(overflow)?;
            advance(&mut idx[plan.n_out..], sum_sizes);
        }
        out.push(T::lower(acc).ok_or_else(overflow)?);
        advance(&mut idx[..plan.n_out], out_sizes);
    }
    Ok(out)
}

/// Steps a row-major multi-index, wrapping to all zeros after the last.
fn advance(idx: &mut [usize], sizes: &[usize]) {
    for (i, &n) in idx.iter_mut().zip(sizes).rev() {
        *i += 1;
        if *i < n {
            return;
        }
        *i = 0;
    }
}

#[cfg(test)]
mod tests {
    //! Expected values come from NumPy 2.4 (`np.dot`, `np.einsum`, ...).

    use super::*;
    use ndarray::IxDyn;

    // The products under the default limits and the environment's kernels.
    fn dot(a: &Array, b: &Array) -> OpResult<Array> {
        super::dot(a, b, &Limits::default(), &Exec::from_env())
    }

    fn inner(a: &Array, b: &Array) -> OpResult<Array> {
        super::inner(a, b, &Limits::default(), &Exec::from_env())
    }

    fn tensordot(a: &Array, b: &Array, axes: &TensorAxes) -> OpResult<Array> {
        super::tensordot(a, b, axes, &Limits::default(), &Exec::from_env())
    }

    fn outer(a: &Array, b: &Array) -> OpResult<Array> {
        super::outer(a, b, &Limits::default())
    }

    fn kron(a: &Array, b: &Array) -> OpResult<Array> {
        super::kron(a, b, &Limits::default())
    }

    fn cross(a: &Array, b: &Array) -> OpResult<Array> {
        super::cross(a, b, &Limits::default())
    }

    fn trace(a: &Array, offset: i64) -> OpResult<Array> {
        super::trace(a, offset, &Exec::from_env())
    }

    fn einsum(spec: &str, operands: &[Array]) -> OpResult<Array> {
        super::einsum(spec, operands, &Limits::default(), &Exec::from_env())
    }

    fn seq(n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| ((i * 37) % 101) as f64 / 13.0 - 3.7)
            .collect()
    }

    fn ints(shape: &[usize], v: Vec<i64>) -> Array {
        Array::Int(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    fn arange(shape: &[usize]) -> Array {
        let n: usize = shape.iter().product();
        ints(shape, (0..n as i64).collect())
    }

    fn f64s(shape: &[usize], v: Vec<f64>) -> Array {
        Array::F64(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    fn f32s(shape: &[usize], v: Vec<f32>) -> Array {
        Array::F32(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    fn bools(shape: &[usize], v: Vec<bool>) -> Array {
        Array::Bool(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    fn c128(shape: &[usize], v: Vec<(f64, f64)>) -> Array {
        let v = v.into_iter().map(|(re, im)| C64::new(re, im)).collect();
        Array::C128(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    fn values_f64(a: &Array) -> Vec<f64> {
        match a {
            Array::F64(x) => x.iter().copied().collect(),
            other => panic!("expected float64, got {:?}", other.dtype()),
        }
    }

    fn assert_close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() <= 1e-12 * w.abs().max(1.0), "{g} vs {w}");
        }
    }

    /// The refusal of a product and the argument it blames.
    fn refusal(r: OpResult<Array>) -> (ProductError, Option<usize>) {
        match r {
            Err(OpError::Product { err, arg }) => (err, arg),
            other => panic!("expected a product's refusal, got {other:?}"),
        }
    }

    fn shape_arg(r: OpResult<Array>) -> Option<usize> {
        refusal(r).1
    }

    fn dims(v: &[usize]) -> Vec<Dim> {
        v.iter().map(|&n| Dim::Known(n)).collect()
    }

    #[test]
    fn dot_follows_each_numpy_case() {
        let r = dot(&arange(&[2, 3]), &arange(&[3, 4])).unwrap();
        assert_eq!(r, ints(&[2, 4], vec![20, 23, 26, 29, 56, 68, 80, 92]));
        let r = dot(&arange(&[2, 3, 4]), &arange(&[4])).unwrap();
        assert_eq!(r, ints(&[2, 3], vec![14, 38, 62, 86, 110, 134]));
        let r = dot(&arange(&[3]), &arange(&[2, 3, 2])).unwrap();
        assert_eq!(r, ints(&[2, 2], vec![10, 13, 28, 31]));
        let r = dot(&arange(&[2, 3, 4]), &arange(&[5, 4, 1])).unwrap();
        assert_eq!(r.shape(), [2, 3, 5, 1]);
        let Array::Int(x) = &r else { panic!() };
        assert_eq!(
            x.iter().take(6).copied().collect::<Vec<_>>(),
            [14, 38, 62, 86, 110, 38]
        );
        assert_eq!(x[[1, 2, 4, 0]], 1510);
        assert_eq!(
            dot(&arange(&[3]), &arange(&[3])).unwrap(),
            Array::scalar_int(5)
        );
    }

    #[test]
    fn dot_of_floats_and_dtypes() {
        let back: Vec<f64> = seq(50).into_iter().rev().collect();
        let r = dot(&f64s(&[50], seq(50)), &f64s(&[50], back)).unwrap();
        assert!(r.is_scalar());
        assert_close(&values_f64(&r), &[-200.48343195266273]);
        let r = dot(&f64s(&[3, 4], seq(12)), &f64s(&[4, 5], seq(20))).unwrap();
        assert_eq!(r.shape(), [3, 5]);
        assert_close(
            &values_f64(&r)[..3],
            &[13.800236686390534, -10.676686390532545, -3.538816568047337],
        );
        // A 0-d operand promotes like an array: int64 with float32 is float64.
        let r = dot(&Array::scalar_int(2), &f32s(&[3], vec![1.0; 3])).unwrap();
        assert_eq!(r, f64s(&[3], vec![2.0; 3]));
        let r = dot(&f32s(&[2], vec![1.5, 2.0]), &f32s(&[2], vec![2.0, 4.0])).unwrap();
        assert_eq!(r, f32s(&[], vec![11.0]));
        let r = dot(
            &bools(&[2], vec![true, false]),
            &bools(&[2, 2], vec![false, true, true, true]),
        )
        .unwrap();
        assert_eq!(r, bools(&[2], vec![false, true]));
    }

    #[test]
    fn dot_errors_and_overflow() {
        let e = dot(&arange(&[2, 3]), &arange(&[2, 3]));
        assert_eq!(
            refusal(e),
            (
                ProductError::DotAligned {
                    lhs: dims(&[2, 3]),
                    rhs: dims(&[2, 3]),
                    lhs_axis: 1,
                    rhs_axis: 0
                },
                Some(1)
            )
        );
        assert!(dot(&arange(&[3]), &arange(&[4])).is_err());
        let big = 1i64 << 62;
        let e = dot(&ints(&[2], vec![big, big]), &ints(&[2], vec![1, 1]));
        assert_eq!(e, Err(OpError::overflow("dot")));
        // The running sum passes 2^63, the result fits: NumPy's answer.
        let r = dot(
            &ints(&[3], vec![big, big, -big]),
            &ints(&[3], vec![1, 1, 1]),
        )
        .unwrap();
        assert_eq!(r, Array::scalar_int(big));
    }

    #[test]
    fn products_of_empty_arrays() {
        let r = dot(&f64s(&[0, 3], vec![]), &f64s(&[3, 2], vec![1.0; 6])).unwrap();
        assert_eq!(r, f64s(&[0, 2], vec![]));
        let r = dot(&f64s(&[2, 0], vec![]), &f64s(&[0, 3], vec![])).unwrap();
        assert_eq!(r, f64s(&[2, 3], vec![0.0; 6]));
        let r = dot(&ints(&[2, 0], vec![]), &ints(&[0, 3], vec![])).unwrap();
        assert_eq!(r, ints(&[2, 3], vec![0; 6]));
        let r = tensordot(
            &ints(&[0, 2], vec![]),
            &ints(&[0, 3], vec![]),
            &TensorAxes::Pairs(vec![0], vec![0]),
        );
        assert_eq!(r.unwrap(), ints(&[2, 3], vec![0; 6]));
        assert_eq!(
            vdot(&f64s(&[0], vec![]), &f64s(&[0], vec![])).unwrap(),
            Array::scalar_f64(0.0)
        );
        assert_eq!(
            inner(&f64s(&[2, 0], vec![]), &f64s(&[0], vec![])).unwrap(),
            f64s(&[2], vec![0.0; 2])
        );
        assert_eq!(
            trace(&f64s(&[0, 2, 3], vec![]), 0).unwrap(),
            f64s(&[3], vec![0.0; 3])
        );
        assert_eq!(
            trace(&f64s(&[2, 2, 0], vec![]), 0).unwrap(),
            f64s(&[0], vec![])
        );
    }

    #[test]
    fn vdot_conjugates_and_flattens() {
        let a = c128(&[2], vec![(1.0, 2.0), (0.0, 3.0)]);
        let b = c128(&[2], vec![(2.0, 0.0), (1.0, -1.0)]);
        assert_eq!(
            vdot(&a, &b).unwrap(),
            Array::scalar_c64(C64::new(-1.0, -7.0))
        );
        assert_eq!(
            inner(&a, &b).unwrap(),
            Array::scalar_c64(C64::new(5.0, 7.0))
        );
        assert_eq!(
            vdot(&arange(&[2, 2]), &arange(&[4])).unwrap(),
            Array::scalar_int(14)
        );
        let t = bools(&[2], vec![true, true]);
        assert_eq!(
            vdot(&t, &bools(&[2], vec![true, false])).unwrap(),
            Array::scalar_bool(true)
        );
        assert_eq!(
            refusal(vdot(&arange(&[4]), &arange(&[3]))),
            (
                ProductError::VdotSizes {
                    lhs: dims(&[4]),
                    rhs: dims(&[3]),
                    lhs_len: 4,
                    rhs_len: 3
                },
                Some(1)
            )
        );
    }

    #[test]
    fn inner_sums_over_last_axes() {
        let r = inner(&arange(&[2, 3]), &arange(&[4, 3])).unwrap();
        assert_eq!(r, ints(&[2, 4], vec![5, 14, 23, 32, 14, 50, 86, 122]));
        assert_eq!(
            shape_arg(inner(&arange(&[2, 3]), &arange(&[3, 4]))),
            Some(1)
        );
        let r = inner(&Array::scalar_f64(2.5), &arange(&[2])).unwrap();
        assert_eq!(r, f64s(&[2], vec![0.0, 2.5]));
    }

    #[test]
    fn outer_flattens_and_checks() {
        let r = outer(&arange(&[2, 2]), &arange(&[3])).unwrap();
        assert_eq!(r, ints(&[4, 3], vec![0, 0, 0, 0, 1, 2, 0, 2, 4, 0, 3, 6]));
        let r = outer(
            &bools(&[2], vec![true, true]),
            &bools(&[2], vec![true, false]),
        )
        .unwrap();
        assert_eq!(r, bools(&[2, 2], vec![true, false, true, false]));
        assert_eq!(
            outer(&f64s(&[0], vec![]), &f64s(&[3], vec![1.0; 3])).unwrap(),
            f64s(&[0, 3], vec![])
        );
        assert_eq!(
            outer(&Array::scalar_int(2), &f32s(&[3], vec![1.0; 3])).unwrap(),
            f64s(&[1, 3], vec![2.0; 3])
        );
        let big = ints(&[1], vec![1 << 40]);
        assert_eq!(outer(&big, &big), Err(OpError::overflow("outer")));
        let long = f64s(&[100_000], vec![0.0; 100_000]);
        assert!(matches!(outer(&long, &long), Err(OpError::Limit { .. })));
    }

    #[test]
    fn cross_products() {
        let r = cross(&ints(&[3], vec![1, 2, 3]), &ints(&[3], vec![4, 5, 6])).unwrap();
        assert_eq!(r, ints(&[3], vec![-3, 6, -3]));
        let r = cross(&ints(&[2], vec![1, 2]), &ints(&[2], vec![4, 5])).unwrap();
        assert_eq!(r, ints(&[], vec![-3]));
        let r = cross(&ints(&[2], vec![1, 2]), &ints(&[3], vec![4, 5, 6])).unwrap();
        assert_eq!(r, ints(&[3], vec![12, -6, -3]));
        let r = cross(&ints(&[3], vec![1, 2, 3]), &ints(&[2], vec![4, 5])).unwrap();
        assert_eq!(r, ints(&[3], vec![-15, 12, -3]));
        let r = cross(
            &ints(&[2, 3], vec![1, 2, 3, 0, 0, 1]),
            &ints(&[3], vec![4, 5, 6]),
        )
        .unwrap();
        assert_eq!(r, ints(&[2, 3], vec![-3, 6, -3, -5, 4, 0]));
        let a = ints(&[2, 2], vec![1, 2, 0, 1]);
        let b = ints(&[3, 1, 2], vec![4, 5, 1, 1, 1, 1]);
        assert_eq!(
            cross(&a, &b).unwrap(),
            ints(&[3, 2], vec![-3, -4, -1, -1, -1, -1])
        );
        let z = cross(
            &c128(&[3], vec![(1.0, 1.0), (2.0, 0.0), (3.0, 0.0)]),
            &c128(&[3], vec![(4.0, 0.0), (0.0, 5.0), (6.0, 0.0)]),
        );
        assert_eq!(
            z.unwrap(),
            c128(&[3], vec![(12.0, -15.0), (6.0, -6.0), (-13.0, 5.0)])
        );
        assert_eq!(
            cross(&f64s(&[0, 3], vec![]), &f64s(&[3], vec![1.0; 3])).unwrap(),
            f64s(&[0, 3], vec![])
        );
    }

    #[test]
    fn cross_signs_of_zero_and_dtypes() {
        // NumPy negates a product for the missing component: -(0 * 1) = -0.0.
        let r = cross(
            &f64s(&[2], vec![0.0, 1.0]),
            &f64s(&[3], vec![0.0, 0.0, 1.0]),
        )
        .unwrap();
        let v = values_f64(&r);
        assert_eq!(v, [1.0, 0.0, 0.0]);
        assert!(v[1].is_sign_negative() && v[2].is_sign_positive());
        let r = cross(&f32s(&[3], vec![1.0, 2.0, 3.0]), &ints(&[3], vec![4, 5, 6])).unwrap();
        assert_eq!(r, f64s(&[3], vec![-3.0, 6.0, -3.0]));
        let r = cross(&f32s(&[2], vec![1.0, 2.0]), &f32s(&[2], vec![3.0, 4.0])).unwrap();
        assert_eq!(r, f32s(&[], vec![-2.0]));
    }

    #[test]
    fn cross_errors() {
        let t = bools(&[3], vec![true, false, true]);
        assert!(matches!(
            cross(&t, &t),
            Err(OpError::DType {
                dtype: DType::Bool,
                ..
            })
        ));
        assert_eq!(
            shape_arg(cross(&Array::scalar_int(3), &arange(&[3]))),
            Some(0)
        );
        assert_eq!(shape_arg(cross(&arange(&[3]), &arange(&[4]))), Some(1));
        assert_eq!(
            shape_arg(cross(&arange(&[2, 3]), &arange(&[3, 3]))),
            Some(1)
        );
        let big = 1i64 << 62;
        let e = cross(&ints(&[3], vec![big, 0, 0]), &ints(&[3], vec![0, 4, 0]));
        assert_eq!(e, Err(OpError::overflow("cross")));
    }

    #[test]
    fn kron_blocks() {
        let r = kron(&arange(&[2, 2]), &arange(&[3])).unwrap();
        assert_eq!(r, ints(&[2, 6], vec![0, 0, 0, 0, 1, 2, 0, 2, 4, 0, 3, 6]));
        let r = kron(&arange(&[3]), &arange(&[2, 2])).unwrap();
        assert_eq!(r, ints(&[2, 6], vec![0, 0, 0, 1, 0, 2, 0, 0, 2, 3, 4, 6]));
        let r = kron(
            &ints(&[2, 2], vec![1, -1, 2, 3]),
            &ints(&[1, 3], vec![0, 1, 2]),
        )
        .unwrap();
        assert_eq!(r, ints(&[2, 6], vec![0, 1, 2, 0, -1, -2, 0, 2, 4, 0, 3, 6]));
        let r = kron(&f32s(&[2, 1, 2], vec![1.0; 4]), &f32s(&[2], vec![1.5, 2.5])).unwrap();
        assert_eq!(r, f32s(&[2, 1, 4], [1.5, 2.5].repeat(4)));
        assert_eq!(
            kron(&Array::scalar_int(2), &Array::scalar_int(3)).unwrap(),
            Array::scalar_int(6)
        );
        let r = kron(&f64s(&[0, 2], vec![]), &f64s(&[3, 1], vec![1.0; 3])).unwrap();
        assert_eq!(r, f64s(&[0, 2], vec![]));
        let big = ints(&[1], vec![1 << 40]);
        assert_eq!(kron(&big, &big), Err(OpError::overflow("kron")));
        let long = f64s(&[100_000], vec![0.0; 100_000]);
        assert!(matches!(kron(&long, &long), Err(OpError::Limit { .. })));
    }

    #[test]
    fn tensordot_axes_forms() {
        let a = arange(&[2, 3, 4]);
        let r = tensordot(&a, &arange(&[3, 4]), &TensorAxes::Count(2)).unwrap();
        assert_eq!(r, ints(&[2], vec![506, 1298]));
        let pairs = TensorAxes::Pairs(vec![-2, -1], vec![1, 0]);
        assert_eq!(
            tensordot(&a, &arange(&[4, 3]), &pairs).unwrap(),
            ints(&[2], vec![440, 1232])
        );
        let r = tensordot(&arange(&[2]), &arange(&[3]), &TensorAxes::Count(0)).unwrap();
        assert_eq!(r, ints(&[2, 3], vec![0, 0, 0, 0, 1, 2]));
        let r = tensordot(&arange(&[2, 3]), &arange(&[2, 3]), &TensorAxes::Count(0)).unwrap();
        assert_eq!(r.shape(), [2, 3, 2, 3]);
        let t = bools(&[2], vec![true, true]);
        let r = tensordot(&t, &bools(&[2], vec![true, false]), &TensorAxes::Count(1)).unwrap();
        assert_eq!(r, Array::scalar_bool(true));
    }

    #[test]
    fn tensordot_errors() {
        let (a, b) = (arange(&[2, 3, 4]), arange(&[4, 3]));
        let one = TensorAxes::Pairs(vec![1], vec![0]);
        assert_eq!(
            refusal(tensordot(&a, &b, &one)),
            (
                ProductError::TensordotSummed {
                    lhs: dims(&[2, 3, 4]),
                    rhs: dims(&[4, 3]),
                    lhs_axis: 1,
                    rhs_axis: 0
                },
                Some(1)
            )
        );
        let dup = TensorAxes::Pairs(vec![0, 0], vec![0, 1]);
        assert_eq!(
            refusal(tensordot(&arange(&[2, 3]), &arange(&[2, 3]), &dup)),
            (
                ProductError::TensordotRepeated {
                    axis: 0,
                    operand: 0
                },
                Some(2)
            )
        );
        let uneven = TensorAxes::Pairs(vec![0], vec![0, 1]);
        assert_eq!(
            refusal(tensordot(&a, &b, &uneven)),
            (ProductError::TensordotPairs { lhs: 1, rhs: 2 }, Some(2))
        );
        let far = TensorAxes::Pairs(vec![5], vec![0]);
        assert_eq!(
            tensordot(&a, &b, &far),
            Err(OpError::Axis {
                axis: 5,
                ndim: 3,
                arg: Some(0)
            })
        );
        assert_eq!(
            refusal(tensordot(
                &arange(&[2, 3]),
                &arange(&[2, 3, 1]),
                &TensorAxes::Count(3)
            )),
            (
                ProductError::TensordotCount {
                    count: 3,
                    shape: dims(&[2, 3])
                },
                Some(0)
            )
        );
    }

    #[test]
    fn trace_offsets_and_dtypes() {
        let m = arange(&[3, 4]);
        assert_eq!(trace(&m, 0).unwrap(), Array::scalar_int(15));
        assert_eq!(trace(&m, 1).unwrap(), Array::scalar_int(18));
        assert_eq!(trace(&m, -2).unwrap(), Array::scalar_int(8));
        for far in [5, -5, i64::MAX, i64::MIN] {
            assert_eq!(trace(&m, far).unwrap(), Array::scalar_int(0));
        }
        assert_eq!(
            trace(&arange(&[2, 3, 4]), 0).unwrap(),
            ints(&[4], vec![16, 18, 20, 22])
        );
        assert_eq!(
            trace(&arange(&[2, 3, 4]), -1).unwrap(),
            ints(&[4], vec![12, 13, 14, 15])
        );
        let b = bools(&[2, 2], vec![true, true, false, true]);
        assert_eq!(trace(&b, 0).unwrap(), Array::scalar_int(2));
        assert_eq!(
            trace(&f32s(&[2, 2], vec![1.0; 4]), 0).unwrap(),
            f32s(&[], vec![2.0])
        );
        assert_eq!(
            trace(&f64s(&[0, 0], vec![]), 0).unwrap(),
            Array::scalar_f64(0.0)
        );
        assert_eq!(shape_arg(trace(&arange(&[3]), 0)), Some(0));
        let big = 1i64 << 62;
        assert_eq!(
            trace(&ints(&[2, 2], vec![big, 0, 0, big]), 0),
            Err(OpError::overflow("sum"))
        );
    }

    #[test]
    fn trace_sums_like_numpy() {
        assert_eq!(
            trace(&f64s(&[20, 20], seq(400)), 0).unwrap(),
            Array::scalar_f64(-6.538461538461541)
        );
        let r = trace(&f64s(&[10, 10, 30], seq(3000)), 0).unwrap();
        assert_eq!(
            values_f64(&r)[..3],
            [
                -5.153846153846155,
                -2.220446049250313e-15,
                5.1538461538461515
            ]
        );
    }

    #[test]
    fn einsum_explicit_and_implicit() {
        let (a, b) = (arange(&[2, 3]), arange(&[3, 4]));
        let mm = ints(&[2, 4], vec![20, 23, 26, 29, 56, 68, 80, 92]);
        assert_eq!(einsum("ij,jk->ik", &[a.clone(), b.clone()]).unwrap(), mm);
        assert_eq!(einsum("ij,jk", &[a.clone(), b.clone()]).unwrap(), mm);
        // Implicit output is in ASCII order: 'A' before 'c'.
        assert_eq!(einsum("Ab,bc", &[a.clone(), b.clone()]).unwrap(), mm);
        assert_eq!(
            einsum("bA", std::slice::from_ref(&a)).unwrap().shape(),
            [3, 2]
        );
        let r = einsum("ijk,jil->kl", &[arange(&[2, 3, 4]), arange(&[3, 2, 5])]).unwrap();
        assert_eq!(r.shape(), [4, 5]);
        let Array::Int(x) = &r else { panic!() };
        assert_eq!((x[[0, 0]], x[[1, 2]], x[[3, 4]]), (1000, 1207, 1537));
        let r = einsum("i,j", &[arange(&[3]), arange(&[4])]).unwrap();
        assert_eq!(r.shape(), [3, 4]);
        assert_eq!(
            einsum("i,i->i", &[arange(&[3]), arange(&[3])]).unwrap(),
            ints(&[3], vec![0, 1, 4])
        );
        assert_eq!(
            einsum("ij->", std::slice::from_ref(&a)).unwrap(),
            Array::scalar_int(15)
        );
        assert_eq!(
            einsum(" i j -> j i ", std::slice::from_ref(&a))
                .unwrap()
                .shape(),
            [3, 2]
        );
    }

    #[test]
    fn einsum_repeated_subscripts_and_broadcasting() {
        let sq = arange(&[3, 3]);
        assert_eq!(
            einsum("ii", std::slice::from_ref(&sq)).unwrap(),
            Array::scalar_int(12)
        );
        assert_eq!(einsum("ii->i", &[sq]).unwrap(), ints(&[3], vec![0, 4, 8]));
        assert_eq!(
            einsum("iji->j", &[arange(&[3, 2, 3])]).unwrap(),
            ints(&[2], vec![21, 30])
        );
        let r = einsum("ij,j", &[arange(&[2, 3]), ints(&[1], vec![10])]).unwrap();
        assert_eq!(r, ints(&[2], vec![30, 120]));
        let r = einsum(",", &[Array::scalar_int(2), Array::scalar_int(3)]).unwrap();
        assert_eq!(r, Array::scalar_int(6));
        assert_eq!(
            einsum("", &[Array::scalar_int(3)]).unwrap(),
            Array::scalar_int(3)
        );
    }

    #[test]
    fn einsum_dtypes_and_empty() {
        let t = bools(&[2], vec![true, true]);
        assert_eq!(
            einsum("i->", std::slice::from_ref(&t)).unwrap(),
            Array::scalar_bool(true)
        );
        assert_eq!(
            einsum("i,i", &[t, bools(&[2], vec![true, false])]).unwrap(),
            Array::scalar_bool(true)
        );
        let r = einsum("i,i", &[f32s(&[3], vec![0.0, 1.0, 2.0]), arange(&[3])]).unwrap();
        assert_eq!(r, Array::scalar_f64(5.0));
        let z = c128(
            &[2, 2],
            vec![(1.0, 1.0), (2.0, 0.0), (3.0, 0.0), (0.0, 4.0)],
        );
        assert_eq!(
            einsum("ij->", &[z]).unwrap(),
            Array::scalar_c64(C64::new(6.0, 5.0))
        );
        assert_eq!(
            einsum("i,i", &[f64s(&[0], vec![]), f64s(&[0], vec![])]).unwrap(),
            Array::scalar_f64(0.0)
        );
        assert_eq!(
            einsum("ij->j", &[ints(&[0, 3], vec![])]).unwrap(),
            ints(&[3], vec![0; 3])
        );
        let big = 1i64 << 62;
        let e = einsum("i,i", &[ints(&[2], vec![big, big]), ints(&[2], vec![2, 0])]);
        assert_eq!(e, Err(OpError::overflow("einsum")));
        let long = f64s(&[100_000], vec![0.0; 100_000]);
        assert!(matches!(
            einsum("i,j", &[long.clone(), long]),
            Err(OpError::Limit { .. })
        ));
    }

    #[test]
    fn einsum_ellipsis_broadcasts_right_aligned() {
        // NumPy: np.einsum('...ij->...ji', np.arange(12).reshape(2, 2, 3)).
        let r = einsum("...ij->...ji", &[arange(&[2, 2, 3])]).unwrap();
        assert_eq!(r.shape(), [2, 3, 2]);
        assert_eq!(
            r,
            ints(&[2, 3, 2], vec![0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11])
        );
        // A batched matrix product whose batch axes broadcast (1 against 3).
        let r = einsum(
            "...ij,...jk->...ik",
            &[arange(&[1, 2, 2]), arange(&[3, 2, 2])],
        )
        .unwrap();
        assert_eq!(r.shape(), [3, 2, 2]);
        // Implicit output: the broadcast axes first, then the lone letters
        // (NumPy: np.einsum('i...', a) is a.T).
        let r = einsum("i...", &[arange(&[2, 3])]).unwrap();
        assert_eq!(r, ints(&[3, 2], vec![0, 3, 1, 4, 2, 5]));
        let r = einsum("...i", &[arange(&[2, 3])]).unwrap();
        assert_eq!(r, arange(&[2, 3]));
        // `...` over no axes is allowed.
        let r = einsum("...i,i", &[arange(&[3]), arange(&[3])]).unwrap();
        assert_eq!(r, Array::scalar_int(5));
        let (err, arg) = refusal(einsum("...ij", &[arange(&[3])]));
        assert_eq!(arg, Some(1));
        assert!(matches!(
            err,
            ProductError::EinsumRank {
                named: 2,
                ellipsis: true,
                ..
            }
        ));
    }

    #[test]
    fn einsum_errors() {
        let a = arange(&[2, 3]);
        let spec = |spec: &str, operands: &[Array]| {
            let (err, arg) = refusal(einsum(spec, operands));
            assert_eq!(arg, Some(0), "{spec}");
            err
        };
        let one = std::slice::from_ref(&a);
        use ProductError::*;
        assert_eq!(spec("...i->i", one), EinsumEllipsis);
        assert_eq!(spec("ij->ii", one), EinsumOutputRepeated { label: 'i' });
        assert_eq!(spec("ij->k", one), EinsumOutputUnknown { label: 'k' });
        let two = EinsumOperands { named: 1, given: 2 };
        assert_eq!(spec("ij", &[a.clone(), a.clone()]), two);
        assert_eq!(spec("ij,jk", one), EinsumOperands { named: 2, given: 1 });
        assert_eq!(
            spec("i->i->", &[arange(&[2])]),
            EinsumSubscript { found: '-' }
        );
        assert_eq!(spec("1", &[arange(&[2])]), EinsumSubscript { found: '1' });
        assert_eq!(
            refusal(einsum("ii", one)),
            (
                EinsumDiagonal {
                    operand: 0,
                    shape: dims(&[2, 3]),
                    label: 'i',
                    first: 2,
                    second: 3
                },
                Some(1)
            )
        );
        assert_eq!(
            refusal(einsum("ijk", one)),
            (
                EinsumRank {
                    operand: 0,
                    shape: dims(&[2, 3]),
                    subscripts: "ijk".into(),
                    named: 3,
                    ellipsis: false
                },
                Some(1)
            )
        );
        assert_eq!(shape_arg(einsum("i", &[Array::scalar_int(3)])), Some(1));
        assert_eq!(
            refusal(einsum("i,i", &[arange(&[3]), arange(&[2])])),
            (
                EinsumSize {
                    label: 'i',
                    earlier: 3,
                    size: 2,
                    operand: 1,
                    shape: dims(&[2])
                },
                Some(2)
            )
        );
    }

    fn meta(shape: &[usize], dtype: DType) -> Meta {
        Meta::new(shape, dtype)
    }

    #[test]
    fn rules_predict_shapes_and_dtypes() {
        let (i, f, f32_, b) = (DType::Int64, DType::Float64, DType::Float32, DType::Bool);
        let m = |s: &[usize]| meta(s, i);
        assert_eq!(
            dot_rule(&m(&[2, 3, 4]), &meta(&[5, 4, 1], f)),
            Ok(meta(&[2, 3, 5, 1], f))
        );
        assert_eq!(
            dot_rule(&meta(&[], i), &meta(&[3], f32_)),
            Ok(meta(&[3], f))
        );
        assert_eq!(vdot_rule(&m(&[2, 2]), &meta(&[4], b)), Ok(meta(&[], i)));
        assert_eq!(inner_rule(&m(&[2, 3]), &m(&[4, 3])), Ok(m(&[2, 4])));
        assert_eq!(outer_rule(&m(&[2, 2]), &meta(&[3], f)), meta(&[4, 3], f));
        assert_eq!(kron_rule(&m(&[3]), &m(&[2, 2])), m(&[2, 6]));
        assert_eq!(
            tensordot_rule(
                &m(&[2, 3, 4]),
                &m(&[4, 3]),
                &TensorAxes::Pairs(vec![-2, -1], vec![1, 0])
            ),
            Ok(m(&[2]))
        );
        assert_eq!(cross_rule(&m(&[2]), &m(&[2])), Ok(m(&[])));
        assert_eq!(
            cross_rule(&m(&[2, 2]), &meta(&[3, 1, 3], f)),
            Ok(meta(&[3, 2, 3], f))
        );
        assert_eq!(trace_rule(&meta(&[2, 3, 4], b)), Ok(m(&[4])));
        assert_eq!(trace_rule(&meta(&[2, 2], f32_)), Ok(meta(&[], f32_)));
        assert_eq!(
            einsum_rule("ij,jk->ki", &[m(&[2, 3]), meta(&[3, 5], f)]),
            Ok(meta(&[5, 2], f))
        );
        assert_eq!(einsum_rule("ij,j", &[m(&[2, 3]), m(&[1])]), Ok(m(&[2])));
        assert_eq!(
            super::super::matmul::matmul_rule(&meta(&[2], b), &meta(&[2, 3], b)),
            Ok(meta(&[3], b))
        );
        assert_eq!(
            super::super::matmul::matmul_rule(&m(&[4, 1, 2, 3]), &meta(&[5, 3, 6], f32_)),
            Ok(meta(&[4, 5, 2, 6], f))
        );
    }

    #[test]
    fn rules_with_unknown_axes_never_raise_false_alarms() {
        let (u, k) = (Dim::Unknown, Dim::Known);
        let f = DType::Float64;
        let m = |d: Vec<Dim>| Meta::with_dims(d, f);
        assert_eq!(
            dot_rule(&m(vec![k(2), u.clone()]), &m(vec![k(3), k(4)])),
            Ok(m(vec![k(2), k(4)]))
        );
        assert_eq!(
            vdot_rule(&m(vec![u.clone()]), &m(vec![k(3)])),
            Ok(Meta::scalar(f))
        );
        assert_eq!(
            outer_rule(&m(vec![u.clone(), k(0)]), &m(vec![k(3)])),
            m(vec![k(0), k(3)])
        );
        assert_eq!(
            outer_rule(&m(vec![u.clone()]), &m(vec![k(3)])),
            m(vec![u.clone(), k(3)])
        );
        assert_eq!(
            kron_rule(&m(vec![u.clone()]), &m(vec![k(2), k(3)])),
            m(vec![k(2), u.clone()])
        );
        assert_eq!(
            cross_rule(&m(vec![u.clone()]), &m(vec![k(3)])),
            Ok(m(vec![k(3)]))
        );
        assert_eq!(
            einsum_rule(
                "ij,jk",
                &[m(vec![k(2), u.clone()]), m(vec![k(3), u.clone()])]
            ),
            Ok(m(vec![k(2), u.clone()]))
        );
        assert_eq!(
            einsum_rule("i,i->i", &[m(vec![u.clone()]), m(vec![k(4)])]),
            Ok(m(vec![k(4)]))
        );
        assert_eq!(
            einsum_rule("ii->i", &[m(vec![u.clone(), k(4)])]),
            Ok(m(vec![k(4)]))
        );
        assert_eq!(
            super::super::matmul::matmul_rule(&m(vec![u.clone(), k(3)]), &m(vec![k(3)])),
            Ok(m(vec![u.clone()]))
        );
        assert!(matches!(
            super::super::matmul::matmul_rule(&Meta::scalar(f), &m(vec![u.clone()])),
            Err(OpError::MatmulScalar { side: 0, .. })
        ));
        // A known clash is still found, with the unknown axes shown as `?`.
        assert!(matches!(
            dot_rule(&m(vec![u.clone(), k(2)]), &m(vec![k(3)])),
            Err(OpError::Product { err: ProductError::DotAligned { lhs, .. }, arg: Some(1) }) if lhs == vec![u.clone(), k(2)]
        ));
    }

    #[test]
    fn rule_errors_of_inner_cross_trace_and_matmul() {
        let i = DType::Int64;
        let m = |s: &[usize]| meta(s, i);
        assert_eq!(
            inner_rule(&m(&[2, 3]), &m(&[3, 4])),
            Err(OpError::Product {
                err: ProductError::InnerLast {
                    lhs: dims(&[2, 3]),
                    rhs: dims(&[3, 4])
                },
                arg: Some(1)
            })
        );
        assert_eq!(
            cross_rule(&m(&[]), &m(&[3])),
            Err(OpError::Product {
                err: ProductError::CrossLength { shape: vec![] },
                arg: Some(0)
            })
        );
        assert_eq!(
            cross_rule(&m(&[2, 3]), &m(&[3, 3])),
            Err(OpError::Product {
                err: ProductError::CrossBroadcast {
                    lhs: dims(&[2, 3]),
                    rhs: dims(&[3, 3])
                },
                arg: Some(1)
            })
        );
        assert!(matches!(
            cross_rule(&meta(&[3], DType::Bool), &meta(&[3], DType::Bool)),
            Err(OpError::DType {
                dtype: DType::Bool,
                ..
            })
        ));
        assert_eq!(
            trace_rule(&m(&[3])),
            Err(OpError::Product {
                err: ProductError::TraceRank { shape: dims(&[3]) },
                arg: Some(0)
            })
        );
        assert!(matches!(
            super::super::matmul::matmul_rule(&m(&[2, 3]), &m(&[2, 3])),
            Err(OpError::MatmulInner { .. })
        ));
    }

    #[test]
    fn kernels_give_what_their_rules_predict() {
        let pairs = [
            (arange(&[2, 3]), arange(&[3, 4])),
            (arange(&[3]), arange(&[2, 3, 2])),
            (Array::scalar_int(2), f32s(&[3], vec![1.0; 3])),
            (f64s(&[0, 3], vec![]), f64s(&[3], vec![1.0; 3])),
            (
                bools(&[2], vec![true, false]),
                bools(&[2, 2], vec![true; 4]),
            ),
            (c128(&[3], vec![(1.0, 1.0); 3]), arange(&[3])),
            (arange(&[2, 2]), arange(&[2, 1, 2])),
        ];
        type Rule = fn(&Meta, &Meta) -> OpResult<Meta>;
        type Kernel = fn(&Array, &Array) -> OpResult<Array>;
        let ops: [(Rule, Kernel); 4] = [
            (dot_rule, dot),
            (vdot_rule, vdot),
            (inner_rule, inner),
            (cross_rule, cross),
        ];
        for (x, y) in &pairs {
            let (mx, my) = (Meta::of(x), Meta::of(y));
            for (rule, kernel) in ops {
                assert_eq!(
                    rule(&mx, &my),
                    kernel(x, y).map(|r| Meta::of(&r)),
                    "{:?} {:?}",
                    x.shape(),
                    y.shape()
                );
            }
            assert_eq!(Ok(outer_rule(&mx, &my)), outer(x, y).map(|r| Meta::of(&r)));
            assert_eq!(Ok(kron_rule(&mx, &my)), kron(x, y).map(|r| Meta::of(&r)));
            for n in 0..3 {
                let axes = TensorAxes::Count(n);
                assert_eq!(
                    tensordot_rule(&mx, &my, &axes),
                    tensordot(x, y, &axes).map(|r| Meta::of(&r))
                );
            }
        }
        for a in [
            arange(&[3, 4]),
            arange(&[2, 3, 4]),
            bools(&[2, 2], vec![true; 4]),
        ] {
            assert_eq!(
                trace_rule(&Meta::of(&a)),
                trace(&a, 1).map(|r| Meta::of(&r))
            );
        }
    }
}
