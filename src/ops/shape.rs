//! Shape manipulation with NumPy's semantics: reshape, transpose, squeeze,
//! joining (concatenate, stack, hstack, vstack), broadcast_to and diag.
//! Each has a rule (`*_rule`) mapping the operands' metadata and the
//! constant arguments to the result's metadata, or to a `ShapeFnError`;
//! the operation calls its rule first and lays out what it predicted.

use std::borrow::Cow;

use ndarray::{Array1, ArrayD, ArrayViewD, Axis, Ix2, IxDyn};

use super::construct::fits;
use super::error::{OpError, OpResult};
use super::limits::{Limits, check_meta};
use crate::map_array;
use crate::value::{Array, C64, DType, Dim, Elem, Meta, promote};

/// Why a shape operation refuses its operands: the facts only; the words
/// are in `eval/errors/shape.rs`.
#[derive(Clone, Debug, PartialEq)]
pub enum ShapeFnError {
    /// The lengths of `to` do not multiply to the elements of `from`.
    ReshapeSize {
        from: Vec<usize>,
        to: Vec<i64>,
    },
    /// A -1 beside a zero length, which any length would satisfy.
    ReshapeAmbiguous {
        from: Vec<usize>,
        to: Vec<i64>,
    },
    /// The lengths other than -1 multiply to `known`, which does not divide
    /// the elements of `from`.
    ReshapeNotMultiple {
        from: Vec<usize>,
        to: Vec<i64>,
        known: usize,
    },
    /// Symbolic lengths that cannot be `from`'s elements (`n·d` into `n`).
    ReshapeSymbolic {
        from: Vec<Dim>,
        to: Vec<Option<Dim>>,
    },
    /// More than one -1.
    ReshapeSeveralUnknown {
        to: Vec<i64>,
    },
    /// A negative length other than -1.
    ReshapeNegative {
        len: i64,
    },
    /// A permutation with `given` axes for an array with another number.
    TransposeAxes {
        shape: Vec<Dim>,
        given: usize,
    },
    TransposeRepeated {
        axis: i64,
    },
    /// squeeze of an axis whose length `len` is not 1.
    SqueezeLength {
        axis: i64,
        shape: Vec<Dim>,
        len: usize,
    },
    /// A join of no arrays (a 0×… array split into its rows).
    NoArrays {
        op: &'static str,
    },
    /// concatenate of a 0-d array.
    ConcatScalar,
    /// concatenate of arrays with different numbers of axes.
    ConcatNdim {
        first: Vec<Dim>,
        other: Vec<Dim>,
    },
    /// concatenate along `axis` (as given) of arrays whose axis `at` differs.
    ConcatLength {
        first: Vec<Dim>,
        other: Vec<Dim>,
        axis: i64,
        at: usize,
    },
    /// A concatenation longer than `usize` counts.
    ConcatTooLong,
    /// stack of arrays of different shapes.
    StackShape {
        first: Vec<Dim>,
        other: Vec<Dim>,
    },
    BroadcastTo {
        from: Vec<Dim>,
        to: Vec<usize>,
    },
    /// diag of an `n`-vector whose matrix side `n + |k|` overflows.
    DiagTooLarge {
        n: usize,
        k: i64,
    },
    /// diag of an array that is neither a vector nor a matrix.
    DiagNdim {
        shape: Vec<Dim>,
    },
}

fn fail(err: ShapeFnError) -> OpError {
    OpError::ShapeFn { err, arg: None }
}

fn fail_at(arg: usize, err: ShapeFnError) -> OpError {
    OpError::ShapeFn {
        err,
        arg: Some(arg),
    }
}

/// Resolves a possibly negative `axis` against `ndim` axes, NumPy style.
pub fn normalize_axis(axis: i64, ndim: usize) -> OpResult<usize> {
    // i128 keeps `axis + ndim` from overflowing for extreme user input.
    let n = ndim as i128;
    let a = axis as i128;
    let resolved = if a < 0 { a + n } else { a };
    if (0..n).contains(&resolved) {
        Ok(resolved as usize)
    } else {
        Err(OpError::Axis {
            axis,
            ndim,
            arg: None,
        })
    }
}

/// Whether an array of shape `from` broadcasts to `to` (NumPy's rule, as
/// `broadcast::can_broadcast_to`); a length the data decides may be anything.
pub(crate) fn broadcasts_to(from: &[Dim], to: &[Dim]) -> bool {
    from.len() <= to.len()
        && from
            .iter()
            .rev()
            .zip(to.iter().rev())
            .all(|(f, t)| f.is_one() || !f.clash(t))
}

/// Two lengths that cannot be the same.
fn clash(a: &Dim, b: &Dim) -> bool {
    a.clash(b)
}

/// `x`'s dtype (or dtypes) with another shape.
fn reshaped(x: &Meta, shape: Vec<Dim>) -> Meta {
    Meta {
        shape,
        dtype: x.dtype,
        alt: x.alt,
    }
}

/// The shape a rule predicted for an operand the kernel holds: every
/// length is known.
fn concrete(m: &Meta) -> Vec<usize> {
    m.concrete()
        .expect("an array's own metadata gives a result of known lengths")
}

/// An owned copy in standard (C) layout: views produced by transposing or
/// broadcasting have other strides, and the rest of the evaluator may assume
/// row-major storage.
fn owned<T: Clone>(v: ArrayViewD<'_, T>) -> ArrayD<T> {
    v.as_standard_layout().into_owned()
}

/// `a`'s elements, in logical order, laid out with `shape`, whose element
/// count the rule matched to `a`'s.
fn relayout(a: &Array, shape: &[usize]) -> Array {
    map_array!(a, v => ArrayD::from_shape_vec(IxDyn(shape), v.iter().cloned().collect())
        .expect("the rule kept the number of elements"))
}

/// The rule of `reshape` (C order): at most one `-1`, whose length is
/// inferred; unlike NumPy, other negative lengths are refused instead of
/// being treated as `-1`. When `x`'s size is decided by the data, so is the
/// length of a `-1`, and the sizes cannot be compared.
pub fn reshape_rule(x: &Meta, shape: &[i64]) -> OpResult<Meta> {
    let mut unknown = None;
    let mut known: Option<usize> = Some(1);
    for (i, &d) in shape.iter().enumerate() {
        if d == -1 {
            if unknown.is_some() {
                return Err(fail(ShapeFnError::ReshapeSeveralUnknown {
                    to: shape.to_vec(),
                }));
            }
            unknown = Some(i);
        } else if d < 0 {
            return Err(fail(ShapeFnError::ReshapeNegative { len: d }));
        } else {
            // An overflowing product cannot equal the size of an existing
            // array, so `None` simply means "mismatch".
            let d = usize::try_from(d).ok();
            known = known.zip(d).and_then(|(k, d)| k.checked_mul(d));
        }
    }
    let mut dims: Vec<Dim> = shape
        .iter()
        .map(|&d| Dim::Known(d.max(0) as usize))
        .collect();
    let Some((from, size)) = x.concrete().zip(x.elements()) else {
        if let Some(i) = unknown {
            dims[i] = Dim::Unknown;
        }
        return Ok(reshaped(x, dims));
    };
    let to = shape.to_vec();
    match (unknown, known) {
        (_, None) => return Err(fail_at(1, ShapeFnError::ReshapeSize { from, to })),
        (Some(_), Some(0)) => return Err(fail_at(1, ShapeFnError::ReshapeAmbiguous { from, to })),
        (Some(i), Some(k)) => {
            if size % k != 0 {
                return Err(fail_at(
                    1,
                    ShapeFnError::ReshapeNotMultiple { from, to, known: k },
                ));
            }
            dims[i] = Dim::Known(size / k);
        }
        (None, Some(k)) if k != size => {
            return Err(fail_at(1, ShapeFnError::ReshapeSize { from, to }));
        }
        (None, Some(_)) => {}
    }
    // Zero-length axes let the other lengths be arbitrarily large, which
    // ndarray cannot index.
    let m = reshaped(x, dims);
    fits(&m)?;
    Ok(m)
}

/// `numpy.reshape` (C order); see `reshape_rule`.
/// The rule of `reshape` where lengths may be symbolic (`reshape(x, [n,
/// d*h])`); `None` is the `-1` to infer. Concrete requests of concrete
/// arrays are `reshape_rule`'s. Symbolic sizes compare as expressions: the
/// product of the lengths must be the product of `x`'s, and a `-1` is their
/// quotient when it divides (`n·d / d` is `n`), else unknown.
pub fn reshape_dims_rule(x: &Meta, to: &[Option<Dim>]) -> OpResult<Meta> {
    let concrete_to: Option<Vec<i64>> = to
        .iter()
        .map(|d| match d {
            None => Some(-1),
            Some(Dim::Known(n)) => i64::try_from(*n).ok(),
            Some(_) => None,
        })
        .collect();
    if let Some(shape) = &concrete_to
        && x.shape.iter().all(|d| !matches!(d, Dim::Sym(_)))
    {
        return reshape_rule(x, shape);
    }
    if to.iter().filter(|d| d.is_none()).count() > 1 {
        return Err(fail(ShapeFnError::ReshapeSeveralUnknown {
            to: to
                .iter()
                .map(|d| if d.is_none() { -1 } else { 0 })
                .collect(),
        }));
    }
    let size = Dim::product(&x.shape);
    let given = Dim::product(to.iter().flatten());
    let mut dims: Vec<Dim> = to
        .iter()
        .map(|d| d.clone().unwrap_or(Dim::Unknown))
        .collect();
    let refuse = || {
        fail_at(
            1,
            ShapeFnError::ReshapeSymbolic {
                from: x.shape.clone(),
                to: to.to_vec(),
            },
        )
    };
    match to.iter().position(Option::is_none) {
        Some(i) => {
            let q = Dim::div_exact(&size, &given);
            // A quotient that is certainly not whole is an error only
            // when both are numbers; symbolic ones may still divide.
            if q == Dim::Unknown
                && let (Some(s), Some(g)) = (size.value(), given.value())
                && (g == 0 || s % g != 0)
            {
                return Err(refuse());
            }
            dims[i] = q;
        }
        None => {
            if size.clash(&given) {
                return Err(refuse());
            }
        }
    }
    let m = reshaped(x, dims);
    fits(&m)?;
    Ok(m)
}

pub fn reshape(a: &Array, shape: &[i64], limits: &Limits) -> OpResult<Array> {
    let m = reshape_rule(&Meta::of(a), shape)?;
    check_meta(&m, limits)?;
    Ok(relayout(a, &concrete(&m)))
}

/// The result of transposing `x` and the permutation that gives it.
fn transpose_plan(x: &Meta, axes: Option<&[i64]>) -> OpResult<(Meta, Vec<usize>)> {
    let ndim = x.ndim();
    let perm: Vec<usize> = match axes {
        None => (0..ndim).rev().collect(),
        Some(axes) => {
            if axes.len() != ndim {
                return Err(fail(ShapeFnError::TransposeAxes {
                    shape: x.shape.clone(),
                    given: axes.len(),
                }));
            }
            let mut seen = vec![false; ndim];
            let mut perm = Vec::with_capacity(ndim);
            for &ax in axes {
                let k = normalize_axis(ax, ndim)?;
                if seen[k] {
                    return Err(fail(ShapeFnError::TransposeRepeated { axis: ax }));
                }
                seen[k] = true;
                perm.push(k);
            }
            perm
        }
    };
    let dims = perm.iter().map(|&k| x.shape[k].clone()).collect();
    Ok((reshaped(x, dims), perm))
}

/// The rule of `transpose`: `None` reverses the axes; otherwise `axes` must
/// be a permutation of the axes (negative ones count from the end).
pub fn transpose_rule(x: &Meta, axes: Option<&[i64]>) -> OpResult<Meta> {
    transpose_plan(x, axes).map(|(m, _)| m)
}

/// `numpy.transpose`; see `transpose_rule`.
pub fn transpose(a: &Array, axes: Option<&[i64]>) -> OpResult<Array> {
    let (_, perm) = transpose_plan(&Meta::of(a), axes)?;
    Ok(map_array!(a, v => owned(v.view().permuted_axes(IxDyn(&perm)))))
}

/// The postfix `'`: swaps the last two axes (batched, like PyTorch's `.mH`)
/// and conjugates complex values when asked. Vectors and scalars keep their
/// shape, but are still conjugated, so that `z'` is the adjoint of `z` as it
/// is for `numpy.conj(z).T`.
pub fn matrix_transpose(a: &Array, conjugate: bool) -> Array {
    let n = a.ndim();
    let swapped = if n < 2 {
        a.clone()
    } else {
        map_array!(a, v => {
            let mut view = v.view();
            view.swap_axes(n - 2, n - 1);
            owned(view)
        })
    };
    match swapped {
        Array::C128(z) if conjugate => Array::C128(z.mapv(|x: C64| x.conj())),
        other => other,
    }
}

/// The rule of `flatten`: a vector of all the elements.
pub fn flatten_rule(x: &Meta) -> Meta {
    let n = if x.shape.contains(&Dim::Known(0)) {
        Dim::Known(0)
    } else {
        Dim::product(&x.shape)
    };
    reshaped(x, vec![n])
}

/// `numpy.ravel` / `flatten`: the elements in C order as a vector.
pub fn flatten(a: &Array) -> Array {
    map_array!(a, v => Array1::from_iter(v.iter().cloned()).into_dyn())
}

/// The rule of `squeeze`: without an axis, removes every axis of length 1;
/// with one, removes that axis, which must have length 1. Without an axis,
/// a length the data decides is kept: `Meta` cannot say "this axis may be
/// gone", so the rule assumes it is not 1.
pub fn squeeze_rule(x: &Meta, axis: Option<i64>) -> OpResult<Meta> {
    let shape = &x.shape;
    let dims: Vec<Dim> = match axis {
        None => shape.iter().filter(|&d| !d.is_one()).cloned().collect(),
        // NumPy accepts axis 0 or -1 for a scalar and returns it unchanged.
        Some(0 | -1) if shape.is_empty() => Vec::new(),
        Some(ax) => {
            let k = normalize_axis(ax, shape.len())?;
            if let Some(len) = shape[k].value()
                && len != 1
            {
                return Err(fail(ShapeFnError::SqueezeLength {
                    axis: ax,
                    shape: shape.clone(),
                    len,
                }));
            }
            let mut dims = shape.clone();
            dims.remove(k);
            dims
        }
    };
    Ok(reshaped(x, dims))
}

/// `numpy.squeeze`; see `squeeze_rule`.
pub fn squeeze(a: &Array, axis: Option<i64>) -> OpResult<Array> {
    let m = squeeze_rule(&Meta::of(a), axis)?;
    Ok(relayout(a, &concrete(&m)))
}

/// The rule of `expand_dims`: an axis of length 1 at `axis`, which counts
/// positions in the result, so it lies in `-(ndim+1)..=ndim`.
pub fn expand_dims_rule(x: &Meta, axis: i64) -> OpResult<Meta> {
    let k = normalize_axis(axis, x.ndim() + 1)?;
    let mut dims = x.shape.clone();
    dims.insert(k, Dim::Known(1));
    Ok(reshaped(x, dims))
}

/// `numpy.expand_dims`; see `expand_dims_rule`.
pub fn expand_dims(a: &Array, axis: i64) -> OpResult<Array> {
    let m = expand_dims_rule(&Meta::of(a), axis)?;
    Ok(relayout(a, &concrete(&m)))
}

/// Joins arrays of one dtype whose shapes the rule checked: they agree
/// except along `axis`, or (with `new_axis`) agree exactly and get a new
/// axis there. Copies chunk by chunk straight into a C-order buffer.
/// The typed elements inside `a`, viewed (its dtype was checked by the rule).
fn view_of<T: Elem>(a: &Array) -> Option<ArrayViewD<'_, T>> {
    T::borrow(a).map(|x| x.view())
}

fn join_typed<T: Elem>(
    parts: &[Cow<'_, Array>],
    axis: usize,
    new_axis: bool,
    out_shape: &[usize],
) -> ArrayD<T> {
    let views: Vec<_> = parts
        .iter()
        .map(|p| {
            let v = view_of::<T>(p).expect("every part was widened to the join's dtype");
            if new_axis {
                v.insert_axis(Axis(axis))
            } else {
                v
            }
        })
        .collect();
    // Every part has the same lengths before `axis`, so its elements in
    // logical order are `outer` consecutive chunks, one per outer index.
    let outer: usize = out_shape[..axis].iter().product();
    let chunks: Vec<usize> = views
        .iter()
        .map(|v| v.shape()[axis..].iter().product())
        .collect();
    let total: usize = out_shape.iter().product();
    let mut data = Vec::with_capacity(total);
    let mut iters: Vec<_> = views.iter().map(|v| v.iter()).collect();
    for _ in 0..outer {
        for (it, &chunk) in iters.iter_mut().zip(&chunks) {
            data.extend(it.by_ref().take(chunk).cloned());
        }
    }
    ArrayD::from_shape_vec(IxDyn(out_shape), data).expect("the rule predicted the joined shape")
}

/// Promotes every part to the predicted dtype and joins them into the
/// predicted shape.
fn join(arrays: &[Cow<'_, Array>], axis: usize, new_axis: bool, out: &Meta) -> Array {
    let dtype = out.dtype;
    let out_shape = concrete(out);
    let parts: Vec<Cow<'_, Array>> = arrays
        .iter()
        .map(|a| {
            if a.dtype() == dtype {
                Cow::Borrowed(a.as_ref())
            } else {
                Cow::Owned(a.widen(dtype))
            }
        })
        .collect();
    match dtype {
        DType::Bool => Array::Bool(join_typed(&parts, axis, new_axis, &out_shape)),
        DType::Int64 => Array::Int(join_typed(&parts, axis, new_axis, &out_shape)),
        DType::Float32 => Array::F32(join_typed(&parts, axis, new_axis, &out_shape)),
        DType::Float64 => Array::F64(join_typed(&parts, axis, new_axis, &out_shape)),
        DType::Complex128 => Array::C128(join_typed(&parts, axis, new_axis, &out_shape)),
    }
}

/// A join's result: the parts' dtypes promoted (as arrays: NumPy gives
/// Python scalars no special treatment here; float64 for no parts), and
/// the other promotion when some part may have a second dtype.
fn joined(xs: &[Meta], shape: Vec<Dim>) -> Meta {
    let fold = |pick: fn(&Meta) -> DType| {
        xs.iter()
            .map(pick)
            .reduce(|a, b| promote(a, false, b, false))
            .unwrap_or(DType::Float64)
    };
    let m = Meta::with_dims(shape, fold(|x| x.dtype));
    if xs.iter().any(|x| x.alt.is_some()) {
        m.or_dtype(fold(|x| x.alt.unwrap_or(x.dtype)))
    } else {
        m
    }
}

/// The arrays a join gets, as its rule sees them: each one's metadata, or
/// `count` arrays of one metadata, the rows of one array, which `f(A)`
/// joins as NumPy joins a sequence. Rows are not listed one by one (a
/// vector of 10^8 has 10^8 rows), and their number may be the data's.
#[derive(Clone, Debug, PartialEq)]
pub enum Parts {
    Each(Vec<Meta>),
    Rows { row: Meta, count: Dim },
}

impl Parts {
    /// The parts a rule checks, and the count of rows to scale the joined
    /// axis by afterwards: rows are alike, so one stands for all of them
    /// (and none for none).
    fn sample(&self) -> (Cow<'_, [Meta]>, Option<&Dim>) {
        match self {
            Parts::Each(xs) => (Cow::Borrowed(xs), None),
            Parts::Rows {
                count: Dim::Known(0),
                ..
            } => (Cow::Owned(Vec::new()), None),
            Parts::Rows { row, count } => (Cow::Owned(vec![row.clone()]), Some(count)),
        }
    }
}

fn need_some(n: usize, op: &'static str) -> OpResult<()> {
    if n == 0 {
        Err(fail(ShapeFnError::NoArrays { op }))
    } else {
        Ok(())
    }
}

/// The result of concatenating `xs` along `axis` (as given) and the axis
/// they join along; with `count`, `xs` is one row standing for that many.
fn concatenate_xs(xs: &[Meta], axis: i64, count: Option<&Dim>) -> OpResult<(Meta, usize)> {
    need_some(xs.len(), "concatenate")?;
    if let Some(i) = xs.iter().position(Meta::is_scalar) {
        return Err(fail_at(i, ShapeFnError::ConcatScalar));
    }
    let first = &xs[0].shape;
    let k = normalize_axis(axis, first.len())?;
    let mut out = first.clone();
    for (i, x) in xs.iter().enumerate().skip(1) {
        let s = &x.shape;
        if s.len() != first.len() {
            return Err(fail_at(
                i,
                ShapeFnError::ConcatNdim {
                    first: first.clone(),
                    other: s.clone(),
                },
            ));
        }
        if let Some(at) = (0..s.len()).find(|&d| d != k && clash(&s[d], &first[d])) {
            return Err(fail_at(
                i,
                ShapeFnError::ConcatLength {
                    first: first.clone(),
                    other: s.clone(),
                    axis,
                    at,
                },
            ));
        }
        for d in (0..s.len()).filter(|&d| d != k) {
            out[d] = out[d].pick(&s[d]);
        }
        out[k] = match (&out[k], &s[k]) {
            (Dim::Known(a), Dim::Known(b)) => Dim::Known(
                a.checked_add(*b)
                    .ok_or_else(|| fail(ShapeFnError::ConcatTooLong))?,
            ),
            // `n` and `m` rows make `n+m`.
            (a, b) => Dim::add(a, b),
        };
    }
    if let Some(count) = count {
        // The sum of `count` equal lengths, which overflows when the sum
        // of the rows one by one would.
        out[k] = match (&out[k], count) {
            (Dim::Known(a), Dim::Known(n)) => Dim::Known(
                a.checked_mul(*n)
                    .ok_or_else(|| fail(ShapeFnError::ConcatTooLong))?,
            ),
            (a, n) => Dim::mul(a, n),
        };
    }
    let m = joined(xs, out);
    fits(&m)?;
    Ok((m, k))
}

/// The rule of `concatenate`: joins along an existing axis, along which the
/// lengths add up; all other axes must agree. The dtype is the promotion of
/// all inputs.
pub fn concatenate_rule(parts: &Parts, axis: i64) -> OpResult<Meta> {
    let (xs, count) = parts.sample();
    concatenate_xs(&xs, axis, count).map(|(m, _)| m)
}

fn metas(arrays: &[Array]) -> Vec<Meta> {
    arrays.iter().map(Meta::of).collect()
}

fn borrowed(arrays: &[Array]) -> Vec<Cow<'_, Array>> {
    arrays.iter().map(Cow::Borrowed).collect()
}

/// `numpy.concatenate`; see `concatenate_rule`.
pub fn concatenate(arrays: &[Array], axis: i64, limits: &Limits) -> OpResult<Array> {
    let (m, k) = concatenate_xs(&metas(arrays), axis, None)?;
    check_meta(&m, limits)?;
    Ok(join(&borrowed(arrays), k, false, &m))
}

/// The result of stacking and the position of the new axis.
fn stack_plan(parts: &Parts, axis: i64) -> OpResult<(Meta, usize)> {
    let (xs, count) = parts.sample();
    need_some(xs.len(), "stack")?;
    let first = &xs[0].shape;
    for (i, x) in xs.iter().enumerate().skip(1) {
        let s = &x.shape;
        if s.len() != first.len() || s.iter().zip(first).any(|(a, b)| clash(a, b)) {
            return Err(fail_at(
                i,
                ShapeFnError::StackShape {
                    first: first.clone(),
                    other: s.clone(),
                },
            ));
        }
    }
    let k = normalize_axis(axis, first.len() + 1)?;
    // Where the first part's length is the data's, another's may be known.
    let mut out: Vec<Dim> = (0..first.len())
        .map(|d| {
            xs.iter()
                .map(|x| &x.shape[d])
                .fold(Dim::Unknown, |acc, l| acc.pick(l))
        })
        .collect();
    out.insert(k, count.cloned().unwrap_or(Dim::Known(xs.len())));
    let m = joined(&xs, out);
    fits(&m)?;
    Ok((m, k))
}

/// The rule of `stack`: arrays of one shape joined along a new axis, which
/// counts positions in the result (`-(ndim+1)..=ndim`).
pub fn stack_rule(parts: &Parts, axis: i64) -> OpResult<Meta> {
    stack_plan(parts, axis).map(|(m, _)| m)
}

/// `numpy.stack`; see `stack_rule`.
pub fn stack(arrays: &[Array], axis: i64, limits: &Limits) -> OpResult<Array> {
    let (m, k) = stack_plan(&Parts::Each(metas(arrays)), axis)?;
    check_meta(&m, limits)?;
    Ok(join(&borrowed(arrays), k, true, &m))
}

/// `x` with at least `n` (1 or 2) axes, as `numpy.atleast_1d`/`atleast_2d`
/// make them: a scalar becomes `1` or `1×1`, a vector of `k` becomes `1×k`.
fn at_least_meta(x: &Meta, n: usize) -> Meta {
    if x.ndim() >= n {
        return x.clone();
    }
    let mut dims = vec![Dim::Known(1); n - x.ndim()];
    dims.extend_from_slice(&x.shape);
    reshaped(x, dims)
}

fn at_least(a: &Array, n: usize) -> Cow<'_, Array> {
    if a.ndim() >= n {
        Cow::Borrowed(a)
    } else {
        Cow::Owned(relayout(a, &concrete(&at_least_meta(&Meta::of(a), n))))
    }
}

/// The result of `hstack` and the axis it joins along: vectors (and
/// scalars) join end to end; arrays with more axes join along axis 1. As in
/// NumPy, the first input decides which.
fn hstack_plan(parts: &Parts) -> OpResult<(Meta, usize)> {
    let (xs, count) = parts.sample();
    need_some(xs.len(), "hstack")?;
    let xs: Vec<Meta> = xs.iter().map(|x| at_least_meta(x, 1)).collect();
    let axis = if xs[0].ndim() == 1 { 0 } else { 1 };
    concatenate_xs(&xs, axis, count)
}

/// The rule of `hstack`; see `hstack_plan`.
pub fn hstack_rule(parts: &Parts) -> OpResult<Meta> {
    hstack_plan(parts).map(|(m, _)| m)
}

/// `numpy.hstack`; see `hstack_plan`.
pub fn hstack(arrays: &[Array], limits: &Limits) -> OpResult<Array> {
    let (m, k) = hstack_plan(&Parts::Each(metas(arrays)))?;
    check_meta(&m, limits)?;
    let parts: Vec<_> = arrays.iter().map(|a| at_least(a, 1)).collect();
    Ok(join(&parts, k, false, &m))
}

/// The result of `vstack`: joined along axis 0 after making vectors into
/// rows (and scalars into 1×1 matrices).
fn vstack_plan(parts: &Parts) -> OpResult<(Meta, usize)> {
    let (xs, count) = parts.sample();
    need_some(xs.len(), "vstack")?;
    let xs: Vec<Meta> = xs.iter().map(|x| at_least_meta(x, 2)).collect();
    concatenate_xs(&xs, 0, count)
}

/// The rule of `vstack`; see `vstack_plan`.
pub fn vstack_rule(parts: &Parts) -> OpResult<Meta> {
    vstack_plan(parts).map(|(m, _)| m)
}

/// `numpy.vstack`; see `vstack_plan`.
pub fn vstack(arrays: &[Array], limits: &Limits) -> OpResult<Array> {
    let (m, k) = vstack_plan(&Parts::Each(metas(arrays)))?;
    check_meta(&m, limits)?;
    let parts: Vec<_> = arrays.iter().map(|a| at_least(a, 2)).collect();
    Ok(join(&parts, k, false, &m))
}

/// The rule of `broadcast_to`: `shape`, if `x` broadcasts to it.
pub fn broadcast_to_rule(x: &Meta, shape: &[usize]) -> OpResult<Meta> {
    if !broadcasts_to(&x.shape, &super::broadcast::known(shape)) {
        return Err(fail(ShapeFnError::BroadcastTo {
            from: x.shape.clone(),
            to: shape.to_vec(),
        }));
    }
    let m = reshaped(x, shape.iter().map(|&n| Dim::Known(n)).collect());
    fits(&m)?;
    Ok(m)
}

/// `numpy.broadcast_to`, materialised as an owned array.
pub fn broadcast_to(a: &Array, shape: &[usize], limits: &Limits) -> OpResult<Array> {
    check_meta(&broadcast_to_rule(&Meta::of(a), shape)?, limits)?;
    Ok(map_array!(a, v => owned(v.broadcast(IxDyn(shape))
        .expect("the rule checked that the shapes broadcast"))))
}

/// The rule of `diag`: a vector of `n` gives an (n+|k|)×(n+|k|) matrix; a
/// matrix gives its `k`-th diagonal, as long as it is (0 when `k` is past
/// the edge). Which of the two depends only on the number of axes.
pub fn diag_rule(x: &Meta, k: i64) -> OpResult<Meta> {
    match x.shape.as_slice() {
        [n] => {
            let side = match n {
                Dim::Known(n) => Dim::Known(
                    n.checked_add(k.unsigned_abs() as usize)
                        .ok_or_else(|| fail(ShapeFnError::DiagTooLarge { n: *n, k }))?,
                ),
                other => Dim::add(other, &Dim::Known(k.unsigned_abs() as usize)),
            };
            let m = reshaped(x, vec![side.clone(), side]);
            fits(&m)?;
            Ok(m)
        }
        [Dim::Known(rows), Dim::Known(cols)] => {
            let (r0, c0) = diag_start(k);
            let len = (*rows as i128 - r0).min(*cols as i128 - c0).max(0) as usize;
            Ok(reshaped(x, vec![Dim::Known(len)]))
        }
        [_, _] => Ok(reshaped(x, vec![Dim::Unknown])),
        _ => Err(fail(ShapeFnError::DiagNdim {
            shape: x.shape.clone(),
        })),
    }
}

/// Where the `k`-th diagonal starts, (row, column); i128 avoids overflow for
/// offsets near i64's limits.
fn diag_start(k: i64) -> (i128, i128) {
    if k >= 0 {
        (0, k as i128)
    } else {
        (-(k as i128), 0)
    }
}

/// `numpy.diag`: a vector becomes a square matrix with it on the `k`-th
/// diagonal; a matrix gives its `k`-th diagonal as a vector.
pub fn diag(a: &Array, k: i64, limits: &Limits) -> OpResult<Array> {
    let m = diag_rule(&Meta::of(a), k)?;
    check_meta(&m, limits)?;
    let shape = concrete(&m);
    Ok(if a.ndim() == 1 {
        map_array!(a, v => diag_matrix(v, k, shape[0]))
    } else {
        let (r0, c0) = diag_start(k);
        let (r0, c0) = (r0 as usize, c0 as usize);
        map_array!(a, v => {
            let m = v.view().into_dimensionality::<Ix2>().expect("the rule saw a matrix");
            Array1::from_iter((0..shape[0]).map(|i| m[[r0 + i, c0 + i]])).into_dyn()
        })
    })
}

fn diag_matrix<T: Elem>(v: &ArrayD<T>, k: i64, side: usize) -> ArrayD<T> {
    let mut out = ArrayD::from_elem(IxDyn(&[side, side]), T::zero());
    let (r0, c0) = if k >= 0 {
        (0, k as usize)
    } else {
        (k.unsigned_abs() as usize, 0)
    };
    for (i, &x) in v.iter().enumerate() {
        out[[r0 + i, c0 + i]] = x;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::construct::ConstructError;

    // The operations under the default limits.
    fn reshape(a: &Array, shape: &[i64]) -> OpResult<Array> {
        super::reshape(a, shape, &Limits::default())
    }

    fn concatenate(arrays: &[Array], axis: i64) -> OpResult<Array> {
        super::concatenate(arrays, axis, &Limits::default())
    }

    fn stack(arrays: &[Array], axis: i64) -> OpResult<Array> {
        super::stack(arrays, axis, &Limits::default())
    }

    fn hstack(arrays: &[Array]) -> OpResult<Array> {
        super::hstack(arrays, &Limits::default())
    }

    fn vstack(arrays: &[Array]) -> OpResult<Array> {
        super::vstack(arrays, &Limits::default())
    }

    fn broadcast_to(a: &Array, shape: &[usize]) -> OpResult<Array> {
        super::broadcast_to(a, shape, &Limits::default())
    }

    fn diag(a: &Array, k: i64) -> OpResult<Array> {
        super::diag(a, k, &Limits::default())
    }

    fn ints(shape: &[usize], data: &[i64]) -> Array {
        Array::Int(ArrayD::from_shape_vec(IxDyn(shape), data.to_vec()).unwrap())
    }

    fn floats(shape: &[usize], data: &[f64]) -> Array {
        Array::F64(ArrayD::from_shape_vec(IxDyn(shape), data.to_vec()).unwrap())
    }

    fn range(shape: &[usize]) -> Array {
        let n: usize = shape.iter().product();
        ints(shape, &(0..n as i64).collect::<Vec<_>>())
    }

    fn standard(a: &Array) -> bool {
        crate::with_array!(a, v => v.is_standard_layout())
    }

    fn dims(shape: &[usize]) -> Vec<Dim> {
        shape.iter().map(|&n| Dim::Known(n)).collect()
    }

    /// The `ShapeFnError` of a failed operation, and the argument it blames.
    fn refusal<T: std::fmt::Debug>(r: OpResult<T>) -> (ShapeFnError, Option<usize>) {
        match r {
            Err(OpError::ShapeFn { err, arg }) => (err, arg),
            other => panic!("expected a ShapeFnError, got {other:?}"),
        }
    }

    #[test]
    fn reshape_infers_minus_one() {
        let r = reshape(&range(&[6]), &[-1, 2]).unwrap();
        assert_eq!(r, ints(&[3, 2], &[0, 1, 2, 3, 4, 5]));
        assert_eq!(reshape(&range(&[2, 3]), &[-1]).unwrap(), range(&[6]));
    }

    #[test]
    fn reshape_reads_in_c_order_from_a_transposed_array() {
        // numpy: np.arange(6).reshape(2, 3).T.reshape(6)
        let t = transpose(&range(&[2, 3]), None).unwrap();
        let r = reshape(&t, &[6]).unwrap();
        assert_eq!(r, ints(&[6], &[0, 3, 1, 4, 2, 5]));
        assert!(standard(&r));
    }

    #[test]
    fn reshape_scalars_and_empty_arrays() {
        assert_eq!(
            reshape(&Array::scalar_int(5), &[-1]).unwrap(),
            ints(&[1], &[5])
        );
        assert_eq!(
            reshape(&Array::scalar_int(5), &[1, 1]).unwrap(),
            ints(&[1, 1], &[5])
        );
        assert_eq!(reshape(&range(&[1]), &[]).unwrap(), Array::scalar_int(0));
        let empty = floats(&[0], &[]);
        let r = reshape(&empty, &[2, -1]).unwrap();
        assert_eq!(r.shape(), &[2, 0]);
        assert_eq!(r.dtype(), DType::Float64);
    }

    #[test]
    fn reshape_errors() {
        let a = range(&[2, 3]);
        assert_eq!(
            refusal(reshape(&a, &[4, 2])),
            (
                ShapeFnError::ReshapeSize {
                    from: vec![2, 3],
                    to: vec![4, 2]
                },
                Some(1)
            )
        );
        assert_eq!(
            refusal(reshape(&a, &[-1, 4])),
            (
                ShapeFnError::ReshapeNotMultiple {
                    from: vec![2, 3],
                    to: vec![-1, 4],
                    known: 4
                },
                Some(1)
            )
        );
        assert_eq!(
            refusal(reshape(&a, &[-1, -1])),
            (
                ShapeFnError::ReshapeSeveralUnknown { to: vec![-1, -1] },
                None
            )
        );
        assert_eq!(
            refusal(reshape(&a, &[-2, 3])),
            (ShapeFnError::ReshapeNegative { len: -2 }, None)
        );
        // numpy: "cannot reshape array of size 0 into shape (-1,0)"
        assert_eq!(
            refusal(reshape(&floats(&[0], &[]), &[-1, 0])),
            (
                ShapeFnError::ReshapeAmbiguous {
                    from: vec![0],
                    to: vec![-1, 0]
                },
                Some(1)
            )
        );
        // Lengths whose product overflows never match an existing array.
        assert!(reshape(&a, &[i64::MAX, i64::MAX]).is_err());
        // Empty, but ndarray cannot count the elements of the other axes.
        assert!(matches!(
            reshape(&floats(&[0], &[]), &[0, i64::MAX, i64::MAX]),
            Err(OpError::Construct {
                err: ConstructError::TooLarge { .. },
                ..
            })
        ));
    }

    #[test]
    fn transpose_with_and_without_axes() {
        let a = range(&[2, 3, 4]);
        let t = transpose(&a, Some(&[1, -1, 0])).unwrap();
        assert_eq!(t.shape(), &[3, 4, 2]);
        // numpy: np.transpose(np.arange(24).reshape(2, 3, 4), (1, -1, 0)).ravel()
        let expected: Vec<i64> = (0..12).flat_map(|i| [i, i + 12]).collect();
        assert_eq!(flatten(&t), ints(&[24], &expected));
        assert!(standard(&t));
        let r = transpose(&a, None).unwrap();
        assert_eq!(r.shape(), &[4, 3, 2]);
        assert_eq!(
            flatten(&r),
            ints(
                &[24],
                &[
                    0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19,
                    11, 23
                ]
            )
        );
        assert_eq!(
            transpose(&Array::scalar_f64(2.0), None).unwrap(),
            Array::scalar_f64(2.0)
        );
    }

    #[test]
    fn transpose_errors() {
        let a = range(&[2, 3]);
        assert_eq!(
            refusal(transpose(&a, Some(&[0, -2]))),
            (ShapeFnError::TransposeRepeated { axis: -2 }, None)
        );
        assert_eq!(
            refusal(transpose(&a, Some(&[0]))),
            (
                ShapeFnError::TransposeAxes {
                    shape: dims(&[2, 3]),
                    given: 1
                },
                None
            )
        );
        assert_eq!(
            transpose(&a, Some(&[0, 2])),
            Err(OpError::Axis {
                axis: 2,
                ndim: 2,
                arg: None
            })
        );
        assert_eq!(
            transpose(&a, Some(&[0, -3])),
            Err(OpError::Axis {
                axis: -3,
                ndim: 2,
                arg: None
            })
        );
    }

    #[test]
    fn matrix_transpose_is_batched_and_conjugates() {
        // numpy: np.swapaxes(np.arange(12).reshape(2, 2, 3), -1, -2)
        let t = matrix_transpose(&range(&[2, 2, 3]), true);
        assert_eq!(t.shape(), &[2, 3, 2]);
        assert_eq!(
            flatten(&t),
            ints(&[12], &[0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11])
        );
        assert!(standard(&t));
        let z = Array::C128(
            ArrayD::from_shape_vec(
                IxDyn(&[2, 2]),
                vec![
                    C64::new(1.0, 2.0),
                    C64::new(3.0, 0.0),
                    C64::new(4.0, 0.0),
                    C64::new(0.0, 5.0),
                ],
            )
            .unwrap(),
        );
        // numpy: np.array([[1+2j, 3], [4, 5j]]).conj().T
        let expected = [
            C64::new(1.0, -2.0),
            C64::new(4.0, 0.0),
            C64::new(3.0, 0.0),
            C64::new(0.0, -5.0),
        ];
        assert_eq!(
            matrix_transpose(&z, true).iter_c64().collect::<Vec<_>>(),
            expected
        );
        let plain: Vec<C64> = matrix_transpose(&z, false).iter_c64().collect();
        assert_eq!(plain[0], C64::new(1.0, 2.0));
        assert_eq!(plain[1], C64::new(4.0, 0.0));
    }

    #[test]
    fn matrix_transpose_keeps_vectors_and_scalars() {
        let v = range(&[3]);
        assert_eq!(matrix_transpose(&v, true), v);
        let z = Array::scalar_c64(C64::new(1.0, 2.0));
        assert_eq!(matrix_transpose(&z, false), z);
        assert_eq!(
            matrix_transpose(&z, true),
            Array::scalar_c64(C64::new(1.0, -2.0))
        );
    }

    #[test]
    fn flatten_is_c_order() {
        let t = transpose(&range(&[2, 3]), None).unwrap();
        assert_eq!(flatten(&t), ints(&[6], &[0, 3, 1, 4, 2, 5]));
        assert_eq!(flatten(&Array::scalar_bool(true)).shape(), &[1]);
        assert_eq!(flatten(&floats(&[2, 0], &[])).shape(), &[0]);
    }

    #[test]
    fn squeeze_cases() {
        let a = floats(&[1, 3, 1], &[1.0, 2.0, 3.0]);
        assert_eq!(squeeze(&a, None).unwrap(), floats(&[3], &[1.0, 2.0, 3.0]));
        assert_eq!(squeeze(&a, Some(-1)).unwrap().shape(), &[1, 3]);
        assert_eq!(squeeze(&a, Some(0)).unwrap().shape(), &[3, 1]);
        assert_eq!(
            refusal(squeeze(&a, Some(1))),
            (
                ShapeFnError::SqueezeLength {
                    axis: 1,
                    shape: dims(&[1, 3, 1]),
                    len: 3
                },
                None
            )
        );
        assert!(matches!(
            squeeze(&a, Some(3)),
            Err(OpError::Axis {
                axis: 3,
                ndim: 3,
                ..
            })
        ));
        let s = Array::scalar_int(5);
        assert_eq!(squeeze(&s, Some(0)).unwrap(), s);
        assert_eq!(squeeze(&s, Some(-1)).unwrap(), s);
        assert_eq!(squeeze(&s, None).unwrap(), s);
        assert!(squeeze(&s, Some(1)).is_err());
    }

    #[test]
    fn expand_dims_cases() {
        let a = range(&[2, 3]);
        assert_eq!(expand_dims(&a, -1).unwrap().shape(), &[2, 3, 1]);
        assert_eq!(expand_dims(&a, 2).unwrap().shape(), &[2, 3, 1]);
        assert_eq!(expand_dims(&a, -3).unwrap().shape(), &[1, 2, 3]);
        assert_eq!(
            expand_dims(&a, 1).unwrap(),
            ints(&[2, 1, 3], &[0, 1, 2, 3, 4, 5])
        );
        assert_eq!(
            expand_dims(&Array::scalar_int(5), 0).unwrap(),
            ints(&[1], &[5])
        );
        assert!(matches!(
            expand_dims(&a, 3),
            Err(OpError::Axis {
                axis: 3,
                ndim: 3,
                ..
            })
        ));
        assert!(matches!(
            expand_dims(&a, -4),
            Err(OpError::Axis {
                axis: -4,
                ndim: 3,
                ..
            })
        ));
    }

    #[test]
    fn concatenate_values_and_negative_axis() {
        let a = range(&[2, 3]);
        let b = ints(&[2, 1], &[6, 7]);
        let expected = ints(&[2, 4], &[0, 1, 2, 6, 3, 4, 5, 7]);
        assert_eq!(concatenate(&[a.clone(), b.clone()], 1).unwrap(), expected);
        assert_eq!(concatenate(&[a.clone(), b], -1).unwrap(), expected);
        let rows = concatenate(&[a.clone(), a.clone()], -2).unwrap();
        assert_eq!(rows, ints(&[4, 3], &[0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]));
        assert!(standard(&rows));
        // numpy: np.concatenate([np.zeros((0, 3)), np.arange(6).reshape(2, 3)])
        let r = concatenate(&[floats(&[0, 3], &[]), a], 0).unwrap();
        assert_eq!(r, floats(&[2, 3], &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]));
    }

    #[test]
    fn concatenate_promotes_like_numpy() {
        let f32s = Array::F32(ArrayD::from_elem(IxDyn(&[1]), 1.0));
        let bools = Array::Bool(ArrayD::from_elem(IxDyn(&[1]), true));
        let cases = [
            (range(&[2]), floats(&[1], &[1.5]), DType::Float64),
            (bools.clone(), ints(&[1], &[2]), DType::Int64),
            (f32s.clone(), ints(&[1], &[2]), DType::Float64),
            (f32s.clone(), floats(&[1], &[2.0]), DType::Float64),
            (f32s.clone(), bools.clone(), DType::Float32),
        ];
        for (a, b, dtype) in cases {
            assert_eq!(concatenate(&[a, b], 0).unwrap().dtype(), dtype);
        }
        assert_eq!(
            concatenate(&[range(&[2]), floats(&[1], &[1.5])], 0).unwrap(),
            floats(&[3], &[0.0, 1.0, 1.5])
        );
        assert_eq!(
            concatenate(&[bools, ints(&[1], &[2])], 0).unwrap(),
            ints(&[2], &[1, 2])
        );
    }

    #[test]
    fn concatenate_errors_name_the_argument() {
        let a = range(&[2, 3]);
        assert_eq!(
            refusal(concatenate(&[a.clone(), floats(&[3, 2], &[0.0; 6])], 1)),
            (
                ShapeFnError::ConcatLength {
                    first: dims(&[2, 3]),
                    other: dims(&[3, 2]),
                    axis: 1,
                    at: 0
                },
                Some(1)
            )
        );
        assert_eq!(
            refusal(concatenate(&[a.clone(), a.clone(), range(&[2])], 0)),
            (
                ShapeFnError::ConcatNdim {
                    first: dims(&[2, 3]),
                    other: dims(&[2])
                },
                Some(2)
            )
        );
        assert_eq!(
            refusal(concatenate(&[range(&[2]), Array::scalar_int(1)], 0)),
            (ShapeFnError::ConcatScalar, Some(1))
        );
        assert!(matches!(
            concatenate(&[a.clone(), a.clone()], 2),
            Err(OpError::Axis {
                axis: 2,
                ndim: 2,
                ..
            })
        ));
        assert_eq!(
            refusal(concatenate(&[], 0)),
            (ShapeFnError::NoArrays { op: "concatenate" }, None)
        );
    }

    #[test]
    fn stack_cases() {
        let a = ints(&[2], &[1, 2]);
        let b = ints(&[2], &[3, 4]);
        assert_eq!(
            stack(&[a.clone(), b.clone()], -1).unwrap(),
            ints(&[2, 2], &[1, 3, 2, 4])
        );
        assert_eq!(
            stack(&[a.clone(), b.clone()], 0).unwrap(),
            ints(&[2, 2], &[1, 2, 3, 4])
        );
        // numpy: np.stack([np.arange(6).reshape(2, 3), np.arange(6, 12).reshape(2, 3)], axis=1)
        let m = stack(
            &[range(&[2, 3]), reshape(&range(&[12]), &[2, 6]).unwrap()],
            1,
        );
        assert_eq!(
            refusal(m),
            (
                ShapeFnError::StackShape {
                    first: dims(&[2, 3]),
                    other: dims(&[2, 6])
                },
                Some(1)
            )
        );
        let hi = ints(&[2, 3], &[6, 7, 8, 9, 10, 11]);
        let s = stack(&[range(&[2, 3]), hi], 1).unwrap();
        assert_eq!(s, ints(&[2, 2, 3], &[0, 1, 2, 6, 7, 8, 3, 4, 5, 9, 10, 11]));
        let scalars = stack(&[Array::scalar_int(1), Array::scalar_f64(2.5)], 0).unwrap();
        assert_eq!(scalars, floats(&[2], &[1.0, 2.5]));
        assert_eq!(
            stack(&[Array::scalar_int(1)], -1).unwrap(),
            ints(&[1], &[1])
        );
        assert!(matches!(
            stack(&[Array::scalar_int(1)], 1),
            Err(OpError::Axis {
                axis: 1,
                ndim: 1,
                ..
            })
        ));
        assert!(matches!(
            refusal(stack(&[a, ints(&[3], &[1, 2, 3])], 0)),
            (ShapeFnError::StackShape { .. }, Some(1))
        ));
        assert_eq!(
            refusal(stack(&[], 0)),
            (ShapeFnError::NoArrays { op: "stack" }, None)
        );
        assert_eq!(
            stack(&[floats(&[0], &[]), floats(&[0], &[])], 1)
                .unwrap()
                .shape(),
            &[0, 2]
        );
    }

    #[test]
    fn hstack_and_vstack() {
        let h = hstack(&[Array::scalar_int(1), ints(&[2], &[2, 3])]).unwrap();
        assert_eq!(h, ints(&[3], &[1, 2, 3]));
        let h = hstack(&[range(&[2, 2]), ints(&[2, 1], &[9, 8])]).unwrap();
        assert_eq!(h, ints(&[2, 3], &[0, 1, 9, 2, 3, 8]));
        assert_eq!(
            refusal(hstack(&[range(&[2, 3]), range(&[2])])),
            (
                ShapeFnError::ConcatNdim {
                    first: dims(&[2, 3]),
                    other: dims(&[2])
                },
                Some(1)
            )
        );
        let v = vstack(&[ints(&[2], &[1, 2]), ints(&[2], &[3, 4])]).unwrap();
        assert_eq!(v, ints(&[2, 2], &[1, 2, 3, 4]));
        let v = vstack(&[Array::scalar_int(1), Array::scalar_int(2)]).unwrap();
        assert_eq!(v, ints(&[2, 1], &[1, 2]));
        let v = vstack(&[range(&[2, 3]), ints(&[3], &[1, 2, 3])]).unwrap();
        assert_eq!(v, ints(&[3, 3], &[0, 1, 2, 3, 4, 5, 1, 2, 3]));
        assert_eq!(
            refusal(vstack(&[range(&[2, 3]), range(&[2])])),
            (
                ShapeFnError::ConcatLength {
                    first: dims(&[2, 3]),
                    other: dims(&[1, 2]),
                    axis: 0,
                    at: 1
                },
                Some(1)
            )
        );
        assert_eq!(
            refusal(hstack(&[])),
            (ShapeFnError::NoArrays { op: "hstack" }, None)
        );
        assert_eq!(
            refusal(vstack(&[])),
            (ShapeFnError::NoArrays { op: "vstack" }, None)
        );
    }

    #[test]
    fn broadcast_to_cases() {
        let r = broadcast_to(&ints(&[2], &[1, 2]), &[3, 2]).unwrap();
        assert_eq!(r, ints(&[3, 2], &[1, 2, 1, 2, 1, 2]));
        assert!(standard(&r));
        assert_eq!(
            broadcast_to(&Array::scalar_int(5), &[2]).unwrap(),
            ints(&[2], &[5, 5])
        );
        assert_eq!(
            broadcast_to(&range(&[2]), &[0, 2]).unwrap().shape(),
            &[0, 2]
        );
        assert_eq!(
            refusal(broadcast_to(&range(&[2]), &[3, 3])),
            (
                ShapeFnError::BroadcastTo {
                    from: dims(&[2]),
                    to: vec![3, 3]
                },
                None
            )
        );
        assert!(matches!(
            refusal(broadcast_to(&range(&[2]), &[])).0,
            ShapeFnError::BroadcastTo { .. }
        ));
        assert!(matches!(
            broadcast_to(&Array::scalar_int(1), &[1 << 40, 1 << 40]),
            Err(OpError::Limit { .. })
        ));
    }

    #[test]
    fn diag_cases() {
        let v = ints(&[2], &[1, 2]);
        assert_eq!(
            diag(&v, 1).unwrap(),
            ints(&[3, 3], &[0, 1, 0, 0, 0, 2, 0, 0, 0])
        );
        assert_eq!(
            diag(&v, -1).unwrap(),
            ints(&[3, 3], &[0, 0, 0, 1, 0, 0, 0, 2, 0])
        );
        let b = diag(
            &Array::Bool(ArrayD::from_shape_vec(IxDyn(&[2]), vec![true, false]).unwrap()),
            0,
        )
        .unwrap();
        assert_eq!(b.dtype(), DType::Bool);
        assert_eq!(b.to_bool_array().iter().filter(|&&x| x).count(), 1);
        assert_eq!(diag(&range(&[0]), 0).unwrap().shape(), &[0, 0]);
        // numpy: np.diag(np.arange(12).reshape(3, 4), k) for k = 1, -2, and 4×3 k = 0
        assert_eq!(diag(&range(&[3, 4]), 1).unwrap(), ints(&[3], &[1, 6, 11]));
        assert_eq!(diag(&range(&[3, 4]), -2).unwrap(), ints(&[1], &[8]));
        assert_eq!(diag(&range(&[4, 3]), 0).unwrap(), ints(&[3], &[0, 4, 8]));
        assert_eq!(diag(&range(&[2, 3]), 5).unwrap().shape(), &[0]);
        assert_eq!(diag(&range(&[2, 3]), i64::MIN).unwrap().shape(), &[0]);
        assert_eq!(diag(&range(&[2, 3]), i64::MAX).unwrap().shape(), &[0]);
        assert_eq!(
            refusal(diag(&Array::scalar_int(5), 0)),
            (ShapeFnError::DiagNdim { shape: vec![] }, None)
        );
        assert_eq!(
            refusal(diag(&range(&[2, 2, 2]), 0)),
            (
                ShapeFnError::DiagNdim {
                    shape: dims(&[2, 2, 2])
                },
                None
            )
        );
        assert!(matches!(diag(&v, i64::MAX), Err(OpError::Limit { .. })));
    }

    fn meta(shape: &[Dim], dtype: DType) -> Meta {
        Meta::with_dims(shape.to_vec(), dtype)
    }

    const Q: Dim = Dim::Unknown;

    fn k(n: usize) -> Dim {
        Dim::Known(n)
    }

    #[test]
    fn reshape_rule_predicts() {
        let x = Meta::new(&[2, 3], DType::Int64);
        assert_eq!(
            reshape_rule(&x, &[3, -1]),
            Ok(Meta::new(&[3, 2], DType::Int64))
        );
        // With the size the data's, a -1 is the data's too.
        let q = meta(&[Q, k(3)], DType::Float64);
        assert_eq!(reshape_rule(&q, &[-1]), Ok(meta(&[Q], DType::Float64)));
        assert_eq!(
            reshape_rule(&q, &[3, 2]),
            Ok(Meta::new(&[3, 2], DType::Float64))
        );
        assert!(matches!(
            reshape_rule(&q, &[-1, -1]),
            Err(OpError::ShapeFn {
                err: ShapeFnError::ReshapeSeveralUnknown { .. },
                ..
            })
        ));
        // A second possible dtype is kept.
        let either = Meta::new(&[4], DType::Float64).or_dtype(DType::Complex128);
        assert_eq!(
            reshape_rule(&either, &[2, 2]),
            Ok(Meta::new(&[2, 2], DType::Float64).or_dtype(DType::Complex128))
        );
    }

    #[test]
    fn axis_rules_predict() {
        let x = meta(&[k(2), Q, k(4)], DType::Bool);
        assert_eq!(
            transpose_rule(&x, None),
            Ok(meta(&[k(4), Q, k(2)], DType::Bool))
        );
        assert_eq!(
            transpose_rule(&x, Some(&[1, 0, 2])),
            Ok(meta(&[Q, k(2), k(4)], DType::Bool))
        );
        assert_eq!(
            transpose_rule(&x, Some(&[0, 3, 1])),
            Err(OpError::Axis {
                axis: 3,
                ndim: 3,
                arg: None
            })
        );
        assert_eq!(flatten_rule(&x), meta(&[Q], DType::Bool));
        assert_eq!(
            flatten_rule(&Meta::new(&[2, 3], DType::Bool)),
            Meta::new(&[6], DType::Bool)
        );
        let y = meta(&[k(1), Q, k(1)], DType::Int64);
        assert_eq!(squeeze_rule(&y, None), Ok(meta(&[Q], DType::Int64)));
        assert_eq!(
            squeeze_rule(&y, Some(-1)),
            Ok(meta(&[k(1), Q], DType::Int64))
        );
        // The data decides whether axis 1 is 1; the kernel would say.
        assert_eq!(
            squeeze_rule(&y, Some(1)),
            Ok(meta(&[k(1), k(1)], DType::Int64))
        );
        assert_eq!(
            expand_dims_rule(&y, 1),
            Ok(meta(&[k(1), k(1), Q, k(1)], DType::Int64))
        );
        assert!(matches!(
            expand_dims_rule(&y, 5),
            Err(OpError::Axis {
                axis: 5,
                ndim: 4,
                ..
            })
        ));
    }

    fn each(xs: &[Meta]) -> Parts {
        Parts::Each(xs.to_vec())
    }

    #[test]
    fn join_rules_predict() {
        let a = meta(&[Q, k(3)], DType::Int64);
        let b = Meta::new(&[2, 3], DType::Float64);
        assert_eq!(
            concatenate_rule(&each(&[a.clone(), b.clone()]), 0),
            Ok(meta(&[Q, k(3)], DType::Float64))
        );
        assert_eq!(
            concatenate_rule(&each(&[b.clone(), b.clone()]), -1),
            Ok(Meta::new(&[2, 6], DType::Float64))
        );
        // An unknown length in the first part is learnt from the others.
        assert_eq!(
            concatenate_rule(&each(&[a.clone(), b.clone()]), 1),
            Ok(Meta::new(&[2, 6], DType::Float64))
        );
        let c = Meta::new(&[2, 4], DType::Int64);
        assert!(matches!(
            refusal(concatenate_rule(&each(&[a.clone(), c]), 0)),
            (ShapeFnError::ConcatLength { at: 1, .. }, Some(1))
        ));
        let huge = Meta::new(&[usize::MAX], DType::Bool);
        assert_eq!(
            refusal(concatenate_rule(&each(&[huge.clone(), huge]), 0)),
            (ShapeFnError::ConcatTooLong, None)
        );
        assert_eq!(
            stack_rule(&each(&[a.clone(), meta(&[k(2), Q], DType::Bool)]), 1),
            Ok(Meta::new(&[2, 2, 3], DType::Int64))
        );
        assert_eq!(
            hstack_rule(&each(&[
                Meta::scalar(DType::Bool),
                meta(&[Q], DType::Int64)
            ])),
            Ok(meta(&[Q], DType::Int64))
        );
        assert_eq!(
            vstack_rule(&each(&[Meta::new(&[3], DType::Int64), a.clone()])),
            Ok(meta(&[Q, k(3)], DType::Int64))
        );
        // Either dtype of a part gives either dtype of the join.
        let either = Meta::new(&[3], DType::Float64).or_dtype(DType::Complex128);
        assert_eq!(
            hstack_rule(&each(&[Meta::new(&[1], DType::Int64), either])),
            Ok(Meta::new(&[4], DType::Float64).or_dtype(DType::Complex128))
        );
    }

    #[test]
    fn join_rules_of_rows() {
        let rows = |row: &[usize], count: Dim| Parts::Rows {
            row: Meta::new(row, DType::Int64),
            count,
        };
        // concatenate(A) of a 4×2×3 array: four 2×3 rows.
        assert_eq!(
            concatenate_rule(&rows(&[2, 3], k(4)), 1),
            Ok(Meta::new(&[2, 12], DType::Int64))
        );
        assert_eq!(
            concatenate_rule(&rows(&[2, 3], Q), 0),
            Ok(meta(&[Q, k(3)], DType::Int64))
        );
        assert_eq!(
            stack_rule(&rows(&[3], k(5)), -1),
            Ok(Meta::new(&[3, 5], DType::Int64))
        );
        assert_eq!(
            stack_rule(&rows(&[3], Q), 0),
            Ok(meta(&[Q, k(3)], DType::Int64))
        );
        // The rows of a vector are scalars.
        assert_eq!(
            hstack_rule(&rows(&[], k(7))),
            Ok(Meta::new(&[7], DType::Int64))
        );
        assert_eq!(
            vstack_rule(&rows(&[], k(7))),
            Ok(Meta::new(&[7, 1], DType::Int64))
        );
        assert_eq!(
            vstack_rule(&rows(&[3], Q)),
            Ok(meta(&[Q, k(3)], DType::Int64))
        );
        assert_eq!(
            refusal(concatenate_rule(&rows(&[], k(3)), 0)),
            (ShapeFnError::ConcatScalar, Some(0))
        );
        assert_eq!(
            refusal(vstack_rule(&rows(&[3], k(0)))),
            (ShapeFnError::NoArrays { op: "vstack" }, None)
        );
        assert_eq!(
            refusal(concatenate_rule(&rows(&[1 << 40], k(1 << 40)), 0)),
            (ShapeFnError::ConcatTooLong, None)
        );
    }

    #[test]
    fn broadcast_to_and_diag_rules_predict() {
        let q = meta(&[Q, k(1)], DType::Float32);
        assert_eq!(
            broadcast_to_rule(&q, &[4, 2, 3]),
            Ok(Meta::new(&[4, 2, 3], DType::Float32))
        );
        assert!(matches!(
            refusal(broadcast_to_rule(&Meta::new(&[2], DType::Int64), &[3])),
            (ShapeFnError::BroadcastTo { .. }, None)
        ));
        assert_eq!(
            diag_rule(&meta(&[Q], DType::Int64), -1),
            Ok(meta(&[Q, Q], DType::Int64))
        );
        assert_eq!(
            diag_rule(&Meta::new(&[2], DType::Int64), -1),
            Ok(Meta::new(&[3, 3], DType::Int64))
        );
        assert_eq!(
            diag_rule(&Meta::new(&[3, 4], DType::Int64), 1),
            Ok(Meta::new(&[3], DType::Int64))
        );
        assert_eq!(
            diag_rule(&Meta::new(&[3, 4], DType::Int64), -5),
            Ok(Meta::new(&[0], DType::Int64))
        );
        assert_eq!(
            diag_rule(&meta(&[k(3), Q], DType::Int64), 0),
            Ok(meta(&[Q], DType::Int64))
        );
        assert_eq!(
            refusal(diag_rule(&Meta::new(&[usize::MAX], DType::Bool), 1)),
            (
                ShapeFnError::DiagTooLarge {
                    n: usize::MAX,
                    k: 1
                },
                None
            )
        );
    }

    #[test]
    fn normalize_axis_bounds() {
        assert_eq!(normalize_axis(-1, 3), Ok(2));
        assert_eq!(normalize_axis(0, 3), Ok(0));
        assert!(normalize_axis(i64::MIN, 3).is_err());
        assert!(normalize_axis(0, 0).is_err());
    }
}
