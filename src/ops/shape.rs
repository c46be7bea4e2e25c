//! Shape manipulation with NumPy's semantics: reshape, transpose, squeeze,
//! joining (concatenate, stack, hstack, vstack), broadcast_to and diag.

use std::borrow::Cow;

use ndarray::{Array1, ArrayD, ArrayViewD, Axis, Ix2, IxDyn};

use super::broadcast::can_broadcast_to;
use super::construct::check_new;
use super::error::{OpError, OpResult};
use super::limits::Limits;
use crate::map_array;
use crate::value::{Array, C64, DType, Elem, promote, shape_text};

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

/// An owned copy in standard (C) layout: views produced by transposing or
/// broadcasting have other strides, and the rest of the evaluator may assume
/// row-major storage.
fn owned<T: Clone>(v: ArrayViewD<'_, T>) -> ArrayD<T> {
    v.as_standard_layout().into_owned()
}

/// `a`'s elements, in logical order, laid out with `shape`. The caller has
/// checked that the sizes agree; ndarray's own check is mapped to an error
/// rather than trusted blindly.
fn relayout(a: &Array, shape: &[usize]) -> OpResult<Array> {
    let fail = |_| {
        OpError::shape(format!(
            "cannot lay out {} as {}",
            shape_text(a.shape()),
            shape_text(shape)
        ))
    };
    Ok(
        map_array!(a, v => ArrayD::from_shape_vec(IxDyn(shape), v.iter().cloned().collect()).map_err(fail)?),
    )
}

fn elements_text(n: usize) -> String {
    if n == 1 {
        "1 element".to_string()
    } else {
        format!("{n} elements")
    }
}

/// `numpy.reshape` (C order). At most one `-1`, whose length is inferred;
/// unlike NumPy, other negative lengths are refused instead of being
/// treated as `-1`.
pub fn reshape(a: &Array, shape: &[i64], limits: &Limits) -> OpResult<Array> {
    let size = a.len();
    let mismatch = |why: &str| {
        OpError::shape_at(
            1,
            format!(
                "cannot reshape {} ({}) into {}{why}",
                elements_text(size),
                shape_text(a.shape()),
                shape_text(shape)
            ),
        )
    };
    let mut unknown = None;
    let mut known: Option<usize> = Some(1);
    for (i, &d) in shape.iter().enumerate() {
        if d == -1 {
            if unknown.is_some() {
                return Err(OpError::domain(format!(
                    "reshape can infer only one length, but {} has several -1",
                    shape_text(shape)
                )));
            }
            unknown = Some(i);
        } else if d < 0 {
            return Err(OpError::domain(format!(
                "reshape lengths must be non-negative or -1, got {d}"
            )));
        } else {
            // An overflowing product cannot equal the size of an existing
            // array, so `None` simply means "mismatch".
            let d = usize::try_from(d).ok();
            known = known.zip(d).and_then(|(k, d)| k.checked_mul(d));
        }
    }
    let mut dims: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
    match (unknown, known) {
        (_, None) => return Err(mismatch("")),
        (Some(_), Some(0)) => return Err(mismatch(": the length of -1 is ambiguous")),
        (Some(i), Some(k)) => {
            if size % k != 0 {
                return Err(mismatch(&format!(": {size} is not a multiple of {k}")));
            }
            dims[i] = size / k;
        }
        (None, Some(k)) if k != size => return Err(mismatch("")),
        (None, Some(_)) => {}
    }
    // Zero-length axes let the other lengths be arbitrarily large, which
    // ndarray cannot index.
    check_new(&dims, a.dtype(), limits)?;
    relayout(a, &dims)
}

/// `numpy.transpose`: `None` reverses the axes; otherwise `axes` must be a
/// permutation of the axes (negative ones count from the end).
pub fn transpose(a: &Array, axes: Option<&[i64]>) -> OpResult<Array> {
    let ndim = a.ndim();
    let perm: Vec<usize> = match axes {
        None => (0..ndim).rev().collect(),
        Some(axes) => {
            if axes.len() != ndim {
                return Err(OpError::domain(format!(
                    "transpose of a {} array needs {ndim} axes, got {}",
                    shape_text(a.shape()),
                    axes.len()
                )));
            }
            let mut seen = vec![false; ndim];
            let mut perm = Vec::with_capacity(ndim);
            for &ax in axes {
                let k = normalize_axis(ax, ndim)?;
                if seen[k] {
                    return Err(OpError::domain(format!("repeated axis {ax} in transpose")));
                }
                seen[k] = true;
                perm.push(k);
            }
            perm
        }
    };
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

/// `numpy.ravel` / `flatten`: the elements in C order as a vector.
pub fn flatten(a: &Array) -> Array {
    map_array!(a, v => Array1::from_iter(v.iter().cloned()).into_dyn())
}

/// `numpy.squeeze`: without an axis, removes every axis of length 1; with
/// one, removes that axis, which must have length 1.
pub fn squeeze(a: &Array, axis: Option<i64>) -> OpResult<Array> {
    let shape = a.shape();
    let dims: Vec<usize> = match axis {
        None => shape.iter().copied().filter(|&d| d != 1).collect(),
        // NumPy accepts axis 0 or -1 for a scalar and returns it unchanged.
        Some(0 | -1) if shape.is_empty() => Vec::new(),
        Some(ax) => {
            let k = normalize_axis(ax, shape.len())?;
            if shape[k] != 1 {
                return Err(OpError::shape(format!(
                    "cannot squeeze axis {ax} of a {} array: its length is {}, not 1",
                    shape_text(shape),
                    shape[k]
                )));
            }
            let mut dims = shape.to_vec();
            dims.remove(k);
            dims
        }
    };
    relayout(a, &dims)
}

/// `numpy.expand_dims`: inserts an axis of length 1 at `axis`, which counts
/// positions in the result, so it lies in `-(ndim+1)..=ndim`.
pub fn expand_dims(a: &Array, axis: i64) -> OpResult<Array> {
    let k = normalize_axis(axis, a.ndim() + 1)?;
    let mut dims = a.shape().to_vec();
    dims.insert(k, 1);
    relayout(a, &dims)
}

/// Borrowing the typed array inside an `Array`, so joins can be written once
/// for every element type.
trait Typed: Elem {
    fn view_of(a: &Array) -> Option<ArrayViewD<'_, Self>>;
}

macro_rules! impl_typed {
    ($t:ty, $variant:ident) => {
        impl Typed for $t {
            fn view_of(a: &Array) -> Option<ArrayViewD<'_, Self>> {
                match a {
                    Array::$variant(x) => Some(x.view()),
                    _ => None,
                }
            }
        }
    };
}

impl_typed!(bool, Bool);
impl_typed!(i64, Int);
impl_typed!(f32, F32);
impl_typed!(f64, F64);
impl_typed!(C64, C128);

/// Joins arrays whose shapes were already checked: they agree except along
/// `axis`, or (with `new_axis`) agree exactly and get a new axis there.
/// Copies chunk by chunk straight into a C-order buffer.
fn join_typed<T: Typed>(
    parts: &[Cow<'_, Array>],
    axis: usize,
    new_axis: bool,
    out_shape: &[usize],
) -> OpResult<ArrayD<T>> {
    let mut views = Vec::with_capacity(parts.len());
    for p in parts {
        let v = T::view_of(p).ok_or_else(|| OpError::dtype("join", p.dtype()))?;
        views.push(if new_axis {
            v.insert_axis(Axis(axis))
        } else {
            v
        });
    }
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
    ArrayD::from_shape_vec(IxDyn(out_shape), data)
        .map_err(|e| OpError::shape(format!("cannot join into {}: {e}", shape_text(out_shape))))
}

/// Promotes every part to the common dtype (as arrays: NumPy gives Python
/// scalars no special treatment here) and joins them.
fn join(
    arrays: &[Array],
    axis: usize,
    new_axis: bool,
    out_shape: &[usize],
    limits: &Limits,
) -> OpResult<Array> {
    let dtype = arrays
        .iter()
        .map(Array::dtype)
        .reduce(|a, b| promote(a, false, b, false))
        .unwrap_or(DType::Float64);
    check_new(out_shape, dtype, limits)?;
    let parts: Vec<Cow<'_, Array>> = arrays
        .iter()
        .map(|a| {
            if a.dtype() == dtype {
                Cow::Borrowed(a)
            } else {
                Cow::Owned(a.widen(dtype))
            }
        })
        .collect();
    Ok(match dtype {
        DType::Bool => Array::Bool(join_typed(&parts, axis, new_axis, out_shape)?),
        DType::Int64 => Array::Int(join_typed(&parts, axis, new_axis, out_shape)?),
        DType::Float32 => Array::F32(join_typed(&parts, axis, new_axis, out_shape)?),
        DType::Float64 => Array::F64(join_typed(&parts, axis, new_axis, out_shape)?),
        DType::Complex128 => Array::C128(join_typed(&parts, axis, new_axis, out_shape)?),
    })
}

fn need_some(arrays: &[Array], op: &str) -> OpResult<()> {
    if arrays.is_empty() {
        Err(OpError::shape(format!("{op} needs at least one array")))
    } else {
        Ok(())
    }
}

/// `numpy.concatenate`: joins along an existing axis. The result's dtype is
/// the promotion of all inputs.
pub fn concatenate(arrays: &[Array], axis: i64, limits: &Limits) -> OpResult<Array> {
    need_some(arrays, "concatenate")?;
    for (i, a) in arrays.iter().enumerate() {
        if a.is_scalar() {
            return Err(OpError::shape_at(
                i,
                "cannot concatenate a scalar: concatenate joins arrays along an existing axis",
            ));
        }
    }
    let first = arrays[0].shape();
    let k = normalize_axis(axis, first.len())?;
    let mut out = first.to_vec();
    for (i, a) in arrays.iter().enumerate().skip(1) {
        let s = a.shape();
        let (f, t) = (shape_text(first), shape_text(s));
        if s.len() != first.len() {
            return Err(OpError::shape_at(
                i,
                format!(
                    "cannot concatenate {f} with {t}: they have {} and {} axes",
                    first.len(),
                    s.len()
                ),
            ));
        }
        if let Some(d) = (0..s.len()).find(|&d| d != k && s[d] != first[d]) {
            return Err(OpError::shape_at(
                i,
                format!(
                    "cannot concatenate {f} with {t} along axis {axis}: axis {d} has lengths {} and {}",
                    first[d], s[d]
                ),
            ));
        }
        out[k] = out[k].checked_add(s[k]).ok_or_else(|| OpError::Limit {
            message: "the concatenation has too many elements".to_string(),
            arg: None,
        })?;
    }
    join(arrays, k, false, &out, limits)
}

/// `numpy.stack`: joins arrays of one shape along a new axis, which counts
/// positions in the result (`-(ndim+1)..=ndim`).
pub fn stack(arrays: &[Array], axis: i64, limits: &Limits) -> OpResult<Array> {
    need_some(arrays, "stack")?;
    let first = arrays[0].shape();
    for (i, a) in arrays.iter().enumerate().skip(1) {
        if a.shape() != first {
            return Err(OpError::shape_at(
                i,
                format!(
                    "cannot stack {} with {}: stacked arrays must have the same shape",
                    shape_text(first),
                    shape_text(a.shape())
                ),
            ));
        }
    }
    let k = normalize_axis(axis, first.len() + 1)?;
    let mut out = first.to_vec();
    out.insert(k, arrays.len());
    join(arrays, k, true, &out, limits)
}

/// `a` with at least `n` (1 or 2) axes, as `numpy.atleast_1d`/`atleast_2d`
/// make them: a scalar becomes `1` or `1×1`, a vector of `k` becomes `1×k`.
fn at_least(a: &Array, n: usize) -> OpResult<Cow<'_, Array>> {
    if a.ndim() >= n {
        return Ok(Cow::Borrowed(a));
    }
    let mut dims = vec![1; n - a.ndim()];
    dims.extend_from_slice(a.shape());
    Ok(Cow::Owned(relayout(a, &dims)?))
}

/// `numpy.hstack`: vectors (and scalars) join end to end; arrays with more
/// axes join along axis 1. As in NumPy, the first input decides which.
pub fn hstack(arrays: &[Array], limits: &Limits) -> OpResult<Array> {
    need_some(arrays, "hstack")?;
    let parts = arrays
        .iter()
        .map(|a| at_least(a, 1).map(Cow::into_owned))
        .collect::<OpResult<Vec<_>>>()?;
    let axis = if parts[0].ndim() == 1 { 0 } else { 1 };
    concatenate(&parts, axis, limits)
}

/// `numpy.vstack`: joins along axis 0 after making vectors into rows (and
/// scalars into 1×1 matrices).
pub fn vstack(arrays: &[Array], limits: &Limits) -> OpResult<Array> {
    need_some(arrays, "vstack")?;
    let parts = arrays
        .iter()
        .map(|a| at_least(a, 2).map(Cow::into_owned))
        .collect::<OpResult<Vec<_>>>()?;
    concatenate(&parts, 0, limits)
}

/// `numpy.broadcast_to`, materialised as an owned array.
pub fn broadcast_to(a: &Array, shape: &[usize], limits: &Limits) -> OpResult<Array> {
    let refuse = || {
        OpError::shape(format!(
            "cannot broadcast {} to {}",
            shape_text(a.shape()),
            shape_text(shape)
        ))
    };
    if !can_broadcast_to(a.shape(), shape) {
        return Err(refuse());
    }
    check_new(shape, a.dtype(), limits)?;
    Ok(map_array!(a, v => owned(v.broadcast(IxDyn(shape)).ok_or_else(refuse)?)))
}

/// `numpy.diag`: a vector becomes a square matrix with it on the `k`-th
/// diagonal; a matrix gives its `k`-th diagonal as a vector.
pub fn diag(a: &Array, k: i64, limits: &Limits) -> OpResult<Array> {
    match a.ndim() {
        1 => {
            let n = a.len();
            let side = n.checked_add(k.unsigned_abs() as usize);
            let side = side.ok_or_else(|| OpError::Limit {
                message: format!("diag of a {n}-vector with offset {k} would be too large"),
                arg: None,
            })?;
            check_new(&[side, side], a.dtype(), limits)?;
            Ok(map_array!(a, v => diag_matrix(v, k, side)))
        }
        2 => {
            Ok(map_array!(a, v => {
                let m = v.view().into_dimensionality::<Ix2>().map_err(|e| OpError::shape(e.to_string()))?;
                let (rows, cols) = m.dim();
                // The diagonal starts at (r0, c0); i128 avoids overflow for
                // offsets near i64's limits.
                let (r0, c0) = if k >= 0 { (0, k as i128) } else { (-(k as i128), 0) };
                let len = (rows as i128 - r0).min(cols as i128 - c0).max(0) as usize;
                let (r0, c0) = (r0 as usize, c0 as usize);
                Array1::from_iter((0..len).map(|i| m[[r0 + i, c0 + i]])).into_dyn()
            }))
        }
        _ => Err(OpError::shape(format!(
            "diag needs a vector or a matrix, got {}",
            shape_text(a.shape())
        ))),
    }
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

    fn message(e: OpError) -> String {
        match e {
            OpError::Shape { message, .. } | OpError::Domain { message, .. } => message,
            other => panic!("unexpected error {other:?}"),
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
            message(reshape(&a, &[4, 2]).unwrap_err()),
            "cannot reshape 6 elements (2×3) into 4×2"
        );
        assert_eq!(
            message(reshape(&a, &[-1, 4]).unwrap_err()),
            "cannot reshape 6 elements (2×3) into -1×4: 6 is not a multiple of 4"
        );
        assert!(matches!(
            reshape(&a, &[-1, -1]),
            Err(OpError::Domain { .. })
        ));
        assert!(matches!(reshape(&a, &[-2, 3]), Err(OpError::Domain { .. })));
        // numpy: "cannot reshape array of size 0 into shape (-1,0)"
        assert!(matches!(
            reshape(&floats(&[0], &[]), &[-1, 0]),
            Err(OpError::Shape { .. })
        ));
        // Lengths whose product overflows never match an existing array.
        assert!(reshape(&a, &[i64::MAX, i64::MAX]).is_err());
        assert!(reshape(&floats(&[0], &[]), &[0, i64::MAX, i64::MAX]).is_err());
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
        assert!(matches!(
            transpose(&a, Some(&[0, 0])),
            Err(OpError::Domain { .. })
        ));
        assert!(matches!(
            transpose(&a, Some(&[0])),
            Err(OpError::Domain { .. })
        ));
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
        assert!(matches!(squeeze(&a, Some(1)), Err(OpError::Shape { .. })));
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
        match concatenate(&[a.clone(), floats(&[3, 2], &[0.0; 6])], 1) {
            Err(OpError::Shape { message, arg }) => {
                assert_eq!(arg, Some(1));
                assert!(
                    message.contains("2×3") && message.contains("3×2"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
        match concatenate(&[a.clone(), a.clone(), range(&[2])], 0) {
            Err(OpError::Shape { message, arg }) => {
                assert_eq!(arg, Some(2));
                assert!(
                    message.contains("2×3") && message.contains(" 2:"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            concatenate(&[range(&[2]), Array::scalar_int(1)], 0),
            Err(OpError::Shape { arg: Some(1), .. })
        ));
        assert!(matches!(
            concatenate(&[a.clone(), a.clone()], 2),
            Err(OpError::Axis {
                axis: 2,
                ndim: 2,
                ..
            })
        ));
        assert!(concatenate(&[], 0).is_err());
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
        assert!(matches!(m, Err(OpError::Shape { arg: Some(1), .. })));
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
            stack(&[a, ints(&[3], &[1, 2, 3])], 0),
            Err(OpError::Shape { arg: Some(1), .. })
        ));
        assert!(stack(&[], 0).is_err());
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
        assert!(matches!(
            hstack(&[range(&[2, 3]), range(&[2])]),
            Err(OpError::Shape { arg: Some(1), .. })
        ));
        let v = vstack(&[ints(&[2], &[1, 2]), ints(&[2], &[3, 4])]).unwrap();
        assert_eq!(v, ints(&[2, 2], &[1, 2, 3, 4]));
        let v = vstack(&[Array::scalar_int(1), Array::scalar_int(2)]).unwrap();
        assert_eq!(v, ints(&[2, 1], &[1, 2]));
        let v = vstack(&[range(&[2, 3]), ints(&[3], &[1, 2, 3])]).unwrap();
        assert_eq!(v, ints(&[3, 3], &[0, 1, 2, 3, 4, 5, 1, 2, 3]));
        assert!(matches!(
            vstack(&[range(&[2, 3]), range(&[2])]),
            Err(OpError::Shape { arg: Some(1), .. })
        ));
        assert!(hstack(&[]).is_err());
        assert!(vstack(&[]).is_err());
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
            message(broadcast_to(&range(&[2]), &[3, 3]).unwrap_err()),
            "cannot broadcast 2 to 3×3"
        );
        assert!(broadcast_to(&range(&[2]), &[]).is_err());
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
        assert!(matches!(
            diag(&Array::scalar_int(5), 0),
            Err(OpError::Shape { .. })
        ));
        assert!(matches!(
            diag(&range(&[2, 2, 2]), 0),
            Err(OpError::Shape { .. })
        ));
        assert!(matches!(diag(&v, i64::MAX), Err(OpError::Limit { .. })));
    }

    #[test]
    fn normalize_axis_bounds() {
        assert_eq!(normalize_axis(-1, 3), Ok(2));
        assert_eq!(normalize_axis(0, 3), Ok(0));
        assert!(normalize_axis(i64::MIN, 3).is_err());
        assert!(normalize_axis(0, 0).is_err());
    }
}
