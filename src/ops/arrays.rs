//! NumPy's array functions that take arrays apart and put them together by
//! index: meshgrid, split/array_split, take, take_along_axis, nonzero,
//! searchsorted and pad, and reductions over several axes at once with
//! `initial=` and `where=`. Each has its rule (metadata in, metadata or a
//! typed error out) and its kernel; the words are in `eval/errors/arrays.rs`.

use ndarray::{ArrayD, Axis, IxDyn, Slice};

use super::broadcast::{broadcast_dims, can_broadcast_to, view_as};
use super::error::{OpError, OpResult};
use super::everyday::EverydayError;
use super::limits::{Limits, check_alloc};
use super::reduce::{Reduce, reduce, reduce_rule};
use super::shape::normalize_axis;
use crate::kernel::Exec;
use crate::map_array;
use crate::value::{Array, C64, DType, Dim, Elem, Meta};

/// Why one of these functions refuses its arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum ArraysError {
    /// `split` into sections that do not divide the axis.
    Unequal { len: usize, sections: usize },
    /// A number of sections that is not positive.
    Sections { sections: i64 },
    /// More parts than one result may hold (`MAX_PARTS`).
    TooManyParts { sections: i64, max: usize },
    /// A negative pad width.
    NegativePad { value: i64 },
    /// pad_width (or constant_values) that does not broadcast to ndim×2.
    PadShape { given: Vec<usize>, ndim: usize },
    /// A mode other than "constant" asked to extend an empty axis.
    PadEmpty { axis: usize, mode: PadMode },
    /// take_along_axis's indices with another number of axes than the array.
    AlongNdim { arr: usize, indices: usize },
    /// The same axis twice in `axis=[...]`.
    DuplicateAxis { axis: usize },
    /// argmin/argmax over several axes.
    OneAxisOnly { kind: Reduce },
    /// `where=` on max/min without `initial=`.
    WhereNeedsInitial { kind: Reduce },
    /// `dtype=` this reduction cannot accumulate in.
    ReduceDType {
        kind: Reduce,
        dtype: DType,
        from: DType,
    },
    /// `where(cond, x)`: x without y.
    WhereArity,
    /// searchsorted's sorted array with other than one axis.
    NotVector { ndim: usize },
    /// An initial or constant value that does not convert to the dtype it
    /// joins (a NaN into int64, an imaginary part into float64).
    ValueCast {
        what: &'static str,
        from: DType,
        to: DType,
    },
}

fn fail(arg: usize, err: ArraysError) -> OpError {
    OpError::Arrays {
        err,
        arg: Some(arg),
    }
}

fn axis_at(arg: usize, axis: i64, ndim: usize) -> OpResult<usize> {
    normalize_axis(axis, ndim).map_err(|_| OpError::Axis {
        axis,
        ndim,
        arg: Some(arg),
    })
}

/// The elements of `x` in row-major order as a vector.
fn flat<T: Clone>(x: &ArrayD<T>) -> ArrayD<T> {
    ArrayD::from_shape_vec(IxDyn(&[x.len()]), x.iter().cloned().collect()).expect("len")
}

fn flat_array(a: &Array) -> Array {
    map_array!(a, x => flat(x))
}

/// Index arrays must hold whole numbers: int64 or bool (NumPy's safe cast
/// to intp); an empty float array (`[]`) selects nothing, as in indexing.
fn check_indices(arg: usize, m: &Meta) -> OpResult<()> {
    match m.dtype {
        DType::Int64 | DType::Bool => Ok(()),
        DType::Float64 if m.elements() == Some(0) => Ok(()),
        dtype => Err(OpError::Everyday {
            err: EverydayError::NotIndices { dtype },
            arg: Some(arg),
        }),
    }
}

fn indices_of(a: &Array) -> ArrayD<i64> {
    match a {
        Array::Int(x) => x.clone(),
        other => other
            .to_i64_array()
            .unwrap_or_else(|_| ArrayD::zeros(IxDyn(other.shape()))),
    }
}

fn wrap_index(i: i64, len: usize, axis: usize) -> OpResult<usize> {
    let l = len as i64;
    let k = if i < 0 { i.checked_add(l) } else { Some(i) };
    match k {
        Some(k) if (0..l).contains(&k) => Ok(k as usize),
        _ => Err(OpError::Index {
            axis,
            len,
            index: i,
        }),
    }
}

// ------------------------------------------------------------- nonzero

/// nonzero(x): one int64 index vector per axis, of a length the data decide.
pub fn nonzero_rule(x: &Meta) -> OpResult<Vec<Meta>> {
    if x.ndim() == 0 {
        return Err(OpError::Everyday {
            err: EverydayError::TooFewAxes { need: 1, ndim: 0 },
            arg: Some(0),
        });
    }
    Ok((0..x.ndim())
        .map(|_| Meta::with_dims(vec![Dim::Unknown], DType::Int64))
        .collect())
}

pub fn nonzero(a: &Array) -> OpResult<Vec<Array>> {
    nonzero_rule(&Meta::of(a))?;
    let z = a.to_c64_array();
    let mut cols: Vec<Vec<i64>> = vec![Vec::new(); z.ndim()];
    for (idx, &e) in z.indexed_iter() {
        if e != C64::new(0.0, 0.0) {
            for (k, c) in cols.iter_mut().enumerate() {
                c.push(idx[k] as i64);
            }
        }
    }
    Ok(cols
        .into_iter()
        .map(|c| Array::Int(ArrayD::from_shape_vec(IxDyn(&[c.len()]), c).expect("1-D")))
        .collect())
}

// ---------------------------------------------------------------- take

/// take(x, indices, axis): x's axis replaced by the indices' shape (the
/// flattened x without an axis).
pub fn take_rule(x: &Meta, indices: &Meta, axis: Option<i64>) -> OpResult<Meta> {
    check_indices(1, indices)?;
    let shape = match axis {
        None => indices.shape.clone(),
        Some(k) => {
            let k = axis_at(2, k, x.ndim())?;
            [&x.shape[..k], &indices.shape[..], &x.shape[k + 1..]].concat()
        }
    };
    Ok(Meta::with_dims(shape, x.dtype))
}

/// The array take reads from and the axis it reads along: the flattened
/// array's only axis without one.
fn along_axis(a: &Array, axis: Option<i64>) -> OpResult<(Array, usize)> {
    Ok(match axis {
        None => (flat_array(a), 0),
        Some(k) => (a.clone(), axis_at(2, k, a.ndim())?),
    })
}

pub fn take(a: &Array, indices: &Array, axis: Option<i64>) -> OpResult<Array> {
    let m = take_rule(&Meta::of(a), &Meta::of(indices), axis)?;
    let (src, k) = along_axis(a, axis)?;
    let len = src.shape()[k];
    let picks = indices_of(indices)
        .iter()
        .map(|&i| wrap_index(i, len, k))
        .collect::<OpResult<Vec<usize>>>()?;
    let shape = m.concrete().expect("concrete operands");
    Ok(map_array!(&src, x => {
        let picked = x.select(Axis(k), &picks);
        ArrayD::from_shape_vec(IxDyn(&shape), picked.iter().cloned().collect()).expect("len")
    }))
}

/// take_along_axis(x, indices, axis): indices has x's number of axes; the
/// other axes broadcast, the axis takes the indices' length.
pub fn take_along_rule(x: &Meta, indices: &Meta, axis: Option<i64>) -> OpResult<Meta> {
    check_indices(1, indices)?;
    let Some(k) = axis else {
        if indices.ndim() != 1 {
            return Err(fail(
                1,
                ArraysError::AlongNdim {
                    arr: 1,
                    indices: indices.ndim(),
                },
            ));
        }
        return Ok(Meta::with_dims(indices.shape.clone(), x.dtype));
    };
    if x.ndim() != indices.ndim() {
        return Err(fail(
            1,
            ArraysError::AlongNdim {
                arr: x.ndim(),
                indices: indices.ndim(),
            },
        ));
    }
    let k = axis_at(2, k, x.ndim())?;
    let mut xs = x.shape.clone();
    let mut is = indices.shape.clone();
    xs[k] = Dim::Known(1);
    is[k] = Dim::Known(1);
    let mut shape = broadcast_dims(&xs, &is)?;
    shape[k] = indices.shape[k].clone();
    Ok(Meta::with_dims(shape, x.dtype))
}

pub fn take_along(a: &Array, indices: &Array, axis: Option<i64>) -> OpResult<Array> {
    let m = take_along_rule(&Meta::of(a), &Meta::of(indices), axis)?;
    let (src, k) = along_axis(a, axis)?;
    let out = m.concrete().expect("concrete operands");
    let idx = indices_of(indices);
    let idx = view_as(&idx, &out);
    let mut src_shape = out.clone();
    src_shape[k] = src.shape()[k];
    let len = src_shape[k];
    let picks = idx
        .iter()
        .map(|&i| wrap_index(i, len, k))
        .collect::<OpResult<Vec<usize>>>()?;
    Ok(map_array!(&src, x => {
        let xv = view_as(x, &src_shape);
        let v: Vec<_> = idx
            .indexed_iter()
            .zip(&picks)
            .map(|((mut ix, _), &p)| {
                ix[k] = p;
                xv[ix]
            })
            .collect();
        ArrayD::from_shape_vec(IxDyn(&out), v).expect("len")
    }))
}

// -------------------------------------------------------- searchsorted

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

/// searchsorted(a, v): a sorted vector, one int64 insertion point per
/// element of v; complex numbers have no order here.
pub fn searchsorted_rule(a: &Meta, v: &Meta) -> OpResult<Meta> {
    for m in [a, v] {
        if m.dtype == DType::Complex128 {
            return Err(OpError::dtype("searchsorted", DType::Complex128));
        }
    }
    if a.ndim() != 1 {
        return Err(fail(0, ArraysError::NotVector { ndim: a.ndim() }));
    }
    Ok(Meta::with_dims(v.shape.clone(), DType::Int64))
}

/// NumPy's sort order for floats: nan after everything, equal to itself.
fn less(p: f64, q: f64) -> bool {
    p < q || (q.is_nan() && !p.is_nan())
}

fn insertion<T: Copy>(a: &[T], v: T, side: Side, lt: impl Fn(T, T) -> bool) -> usize {
    // The first position whose element is not before v (left), or after v
    // (right): a binary search over a, which is taken to be sorted.
    a.partition_point(|&x| match side {
        Side::Left => lt(x, v),
        Side::Right => !lt(v, x),
    })
}

pub fn searchsorted(a: &Array, v: &Array, side: Side) -> OpResult<Array> {
    let m = searchsorted_rule(&Meta::of(a), &Meta::of(v))?;
    let ints = |x: &Array| matches!(x.dtype(), DType::Int64 | DType::Bool);
    let out: Vec<i64> = if ints(a) && ints(v) {
        let av: Vec<i64> = a.to_i64_array().expect("ints").iter().copied().collect();
        let vv = v.to_i64_array().expect("ints");
        vv.iter()
            .map(|&x| insertion(&av, x, side, |p, q| p < q) as i64)
            .collect()
    } else {
        let av: Vec<f64> = a.to_f64_array().expect("real").iter().copied().collect();
        let vv = v.to_f64_array().expect("real");
        vv.iter()
            .map(|&x| insertion(&av, x, side, less) as i64)
            .collect()
    };
    let shape = m.concrete().expect("concrete operands");
    Ok(Array::Int(
        ArrayD::from_shape_vec(IxDyn(&shape), out).expect("len"),
    ))
}

// --------------------------------------------------------------- split

/// How split cuts an axis: into n sections, or at the given indices.
#[derive(Clone, Debug, PartialEq)]
pub enum Cuts {
    Sections(i64),
    Indices(Vec<i64>),
}

/// Python's clamping of a slice bound `v` on an axis of `len`.
fn clamp(v: i64, len: usize) -> usize {
    let l = len as i128;
    let v = v as i128;
    (if v < 0 { (v + l).max(0) } else { v.min(l) }) as usize
}

/// The most parts split may make: each is a value of its own, so a
/// number of sections is bounded before the list of parts is made (empty
/// parts beyond the axis's length cost no elements but still memory).
pub const MAX_PARTS: usize = 1 << 20;

/// The lengths of the parts, for an axis of `len` (`None`: not known).
fn part_lengths(cuts: &Cuts, len: &Dim, equal: bool) -> OpResult<Vec<Dim>> {
    match cuts {
        Cuts::Sections(n) if *n <= 0 => Err(fail(1, ArraysError::Sections { sections: *n })),
        Cuts::Sections(n) if *n as u64 > MAX_PARTS as u64 => Err(fail(
            1,
            ArraysError::TooManyParts {
                sections: *n,
                max: MAX_PARTS,
            },
        )),
        Cuts::Sections(n) => {
            let n = *n as usize;
            match len.value() {
                Some(l) if equal && l % n != 0 => Err(fail(
                    1,
                    ArraysError::Unequal {
                        len: l,
                        sections: n,
                    },
                )),
                Some(l) => Ok((0..n)
                    .map(|i| Dim::Known(l / n + usize::from(i < l % n)))
                    .collect()),
                None if equal => Ok(vec![Dim::div_exact(len, &Dim::Known(n)); n]),
                None => Ok(vec![Dim::Unknown; n]),
            }
        }
        Cuts::Indices(ix) => match len.value() {
            Some(l) => {
                let mut bounds = vec![0usize];
                bounds.extend(ix.iter().map(|&i| clamp(i, l)));
                bounds.push(l);
                Ok(bounds
                    .windows(2)
                    .map(|w| Dim::Known(w[1].saturating_sub(w[0])))
                    .collect())
            }
            None => Ok(vec![Dim::Unknown; ix.len() + 1]),
        },
    }
}

/// split/array_split: the parts' metadata (`equal`: split, which refuses
/// sections that do not divide the axis).
pub fn split_rule(x: &Meta, cuts: &Cuts, axis: i64, equal: bool) -> OpResult<Vec<Meta>> {
    let k = axis_at(2, axis, x.ndim())?;
    let lens = part_lengths(cuts, &x.shape[k], equal)?;
    Ok(lens
        .into_iter()
        .map(|d| {
            let mut s = x.shape.clone();
            s[k] = d;
            Meta::with_dims(s, x.dtype)
        })
        .collect())
}

pub fn split(a: &Array, cuts: &Cuts, axis: i64, equal: bool) -> OpResult<Vec<Array>> {
    let parts = split_rule(&Meta::of(a), cuts, axis, equal)?;
    let k = axis_at(2, axis, a.ndim())?;
    let len = a.shape()[k];
    let starts: Vec<usize> = match cuts {
        Cuts::Indices(ix) => std::iter::once(0)
            .chain(ix.iter().map(|&i| clamp(i, len)))
            .collect(),
        Cuts::Sections(_) => parts
            .iter()
            .scan(0usize, |s, m| {
                let start = *s;
                *s += m.shape[k].value().expect("known");
                Some(start)
            })
            .collect(),
    };
    Ok(starts
        .iter()
        .zip(&parts)
        .map(|(&s, m)| {
            let n = m.shape[k].value().expect("known");
            map_array!(a, x => x.slice_axis(Axis(k), Slice::from(s..s + n)).to_owned())
        })
        .collect())
}

// ------------------------------------------------------------ meshgrid

/// meshgrid(x1, ..., xn, indexing): n arrays of the grid's shape, the
/// lengths of the flattened inputs in order ("ij") or with the first two
/// swapped ("xy", NumPy's default, for plotting).
pub fn meshgrid_rule(inputs: &[Meta], xy: bool) -> Vec<Meta> {
    let mut shape: Vec<Dim> = inputs.iter().map(|m| Dim::product(&m.shape)).collect();
    if xy && shape.len() >= 2 {
        shape.swap(0, 1);
    }
    inputs
        .iter()
        .map(|m| Meta::with_dims(shape.clone(), m.dtype))
        .collect()
}

pub fn meshgrid(inputs: &[Array], xy: bool) -> Vec<Array> {
    let metas: Vec<Meta> = inputs.iter().map(Meta::of).collect();
    let out = meshgrid_rule(&metas, xy)
        .first()
        .and_then(Meta::concrete)
        .unwrap_or_default();
    let n = inputs.len();
    inputs
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let along = match i {
                0 if xy && n >= 2 => 1,
                1 if xy => 0,
                _ => i,
            };
            let mut s = vec![1usize; n];
            s[along] = a.len();
            map_array!(a, x => {
                let col = ArrayD::from_shape_vec(IxDyn(&s), x.iter().cloned().collect()).expect("len");
                view_as(&col, &out).to_owned()
            })
        })
        .collect()
}

// ----------------------------------------------------------------- pad

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PadMode {
    Constant,
    Edge,
    Reflect,
    Symmetric,
    Wrap,
}

impl PadMode {
    pub const NAMES: [&'static str; 5] = ["constant", "edge", "reflect", "symmetric", "wrap"];

    pub fn from_name(s: &str) -> Option<PadMode> {
        Some(match s {
            "constant" => PadMode::Constant,
            "edge" => PadMode::Edge,
            "reflect" => PadMode::Reflect,
            "symmetric" => PadMode::Symmetric,
            "wrap" => PadMode::Wrap,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// pad_width as NumPy reads it: an array of whole numbers that broadcasts
/// to ndim×2 (`1`, `[1, 2]`, `[[1, 2], [0, 1]]`), one (before, after) pair
/// per axis.
pub fn pad_widths(shape: &[usize], values: &[i64], ndim: usize) -> OpResult<Vec<(usize, usize)>> {
    if !can_broadcast_to(shape, &[ndim, 2]) {
        return Err(fail(
            1,
            ArraysError::PadShape {
                given: shape.to_vec(),
                ndim,
            },
        ));
    }
    if let Some(&bad) = values.iter().find(|&&v| v < 0) {
        return Err(fail(1, ArraysError::NegativePad { value: bad }));
    }
    let w = ArrayD::from_shape_vec(IxDyn(shape), values.to_vec()).expect("len");
    let w = view_as(&w, &[ndim, 2]);
    Ok((0..ndim)
        .map(|k| (w[[k, 0]] as usize, w[[k, 1]] as usize))
        .collect())
}

/// pad's rule: each axis grows by its two widths (`None`: widths not known).
pub fn pad_rule(
    x: &Meta,
    widths: Option<&[(usize, usize)]>,
    mode: PadMode,
    constant: Option<&Meta>,
) -> OpResult<Meta> {
    if let Some(c) = constant
        && !super::shape::broadcasts_to(&c.shape, &[Dim::Known(x.ndim()), Dim::Known(2)])
    {
        return Err(fail(
            3,
            ArraysError::PadShape {
                given: c.shape.iter().map(|d| d.value().unwrap_or(0)).collect(),
                ndim: x.ndim(),
            },
        ));
    }
    let Some(widths) = widths else {
        return Ok(Meta::with_dims(vec![Dim::Unknown; x.ndim()], x.dtype));
    };
    let mut shape = Vec::with_capacity(x.ndim());
    for (k, (d, &(b, a))) in x.shape.iter().zip(widths).enumerate() {
        if mode != PadMode::Constant && b + a > 0 && d.value() == Some(0) {
            return Err(fail(0, ArraysError::PadEmpty { axis: k, mode }));
        }
        // A sum too large to count is as good as too large: the limits
        // refuse it before anything is allocated.
        let grow = b.saturating_add(a);
        shape.push(match d.value() {
            Some(n) => Dim::Known(n.saturating_add(grow)),
            None => Dim::add(d, &Dim::Known(grow)),
        });
    }
    Ok(Meta::with_dims(shape, x.dtype))
}

/// Where position `i` of the padded axis reads from an axis of `n`
/// (`i` counted from the original start, so the before-pad is negative).
fn source(i: i64, n: i64, mode: PadMode) -> usize {
    let m = match mode {
        PadMode::Constant | PadMode::Edge => i.clamp(0, n - 1),
        PadMode::Wrap => i.rem_euclid(n),
        PadMode::Reflect if n == 1 => 0,
        PadMode::Reflect => {
            let p = 2 * (n - 1);
            let m = i.rem_euclid(p);
            if m >= n { p - m } else { m }
        }
        PadMode::Symmetric => {
            let p = 2 * n;
            let m = i.rem_euclid(p);
            if m >= n { p - 1 - m } else { m }
        }
    };
    m as usize
}

/// pad: axis after axis, as NumPy does, so a later axis's pad covers the
/// corners; `constant` (cast to x's dtype) broadcasts to ndim×2.
pub fn pad(
    a: &Array,
    widths: &[(usize, usize)],
    mode: PadMode,
    constant: &Array,
    limits: &Limits,
) -> OpResult<Array> {
    let cm = Meta::of(constant);
    let m = pad_rule(&Meta::of(a), Some(widths), mode, Some(&cm))?;
    let shape = m.concrete().expect("concrete operands");
    check_alloc(&shape, a.dtype(), limits)?;
    let cv = constant.cast(a.dtype()).map_err(|_| OpError::Arrays {
        err: ArraysError::ValueCast {
            what: "constant_values",
            from: constant.dtype(),
            to: a.dtype(),
        },
        arg: None,
    });
    let mut cur = a.clone();
    for (k, &(b, after)) in widths.iter().enumerate() {
        if b == 0 && after == 0 {
            continue;
        }
        let n = cur.shape()[k];
        let total = n + b + after;
        if mode == PadMode::Constant {
            let cv = cv.clone()?;
            cur = map_array!(&cur, x => pad_constant(x, k, (b, after), &cv));
        } else {
            let picks: Vec<usize> = (0..total as i64)
                .map(|i| source(i - b as i64, n as i64, mode))
                .collect();
            cur = map_array!(&cur, x => x.select(Axis(k), &picks));
        }
    }
    Ok(cur)
}

/// One axis of constant padding: `cv` holds the (before, after) values of
/// every axis, in x's dtype, broadcast to ndim×2.
fn pad_constant<T: Elem>(
    x: &ArrayD<T>,
    k: usize,
    (b, after): (usize, usize),
    cv: &Array,
) -> ArrayD<T> {
    let c = T::take(cv.clone());
    let c = view_as(&c, &[x.ndim(), 2]);
    let n = x.shape()[k];
    let mut s = x.shape().to_vec();
    s[k] = n + b + after;
    let mut out = ArrayD::from_elem(IxDyn(&s), c[[k, 0]]);
    out.slice_axis_mut(Axis(k), Slice::from(b + n..))
        .fill(c[[k, 1]]);
    out.slice_axis_mut(Axis(k), Slice::from(b..b + n)).assign(x);
    out
}

/// Lanes along the last axis, each with `v` (0-d, same dtype) appended.
fn append_to_lanes<T: Elem>(x: &ArrayD<T>, v: &Array) -> ArrayD<T> {
    let v = T::take(v.clone());
    let last = x.ndim() - 1;
    let mut shape = x.shape().to_vec();
    shape[last] += 1;
    let mut out = ArrayD::from_elem(IxDyn(&shape), *v.first().expect("0-d"));
    out.slice_axis_mut(Axis(last), Slice::from(..shape[last] - 1))
        .assign(x);
    out
}

// ---------------------------------------------------------- reductions

/// The constant arguments of a reduction beyond one axis: several axes,
/// `initial=`, `where=` and `dtype=`.
#[derive(Clone, Debug, Default)]
pub struct ReduceExtras {
    /// `None`: every axis.
    pub axes: Option<Vec<i64>>,
    pub keepdims: bool,
    pub dtype: Option<DType>,
    pub has_initial: bool,
    pub has_where: bool,
}

/// The reduced axes in order, each once.
fn resolve_axes(axes: &[i64], ndim: usize) -> OpResult<Vec<usize>> {
    let mut out = Vec::with_capacity(axes.len());
    for &ax in axes {
        let k = normalize_axis(ax, ndim)?;
        if out.contains(&k) {
            return Err(fail(1, ArraysError::DuplicateAxis { axis: k }));
        }
        out.push(k);
    }
    out.sort_unstable();
    Ok(out)
}

/// The operand with the reduced axes merged into one last axis, and the
/// axes kept, for a reduction over several axes.
fn merged_meta(x: &Meta, axes: &[usize]) -> Meta {
    let kept: Vec<Dim> = (0..x.ndim())
        .filter(|k| !axes.contains(k))
        .map(|k| x.shape[k].clone())
        .collect();
    let reduced = Dim::product(axes.iter().map(|&k| &x.shape[k]));
    let mut shape = kept;
    shape.push(reduced);
    Meta::with_dims(shape, x.dtype)
}

/// Which dtypes `dtype=` may name for each reduction: the ones it can
/// accumulate in and give back, as NumPy's result (a sum in bool is not
/// a count, and a mean in int64 is not a mean).
fn dtype_ok(kind: Reduce, dtype: DType) -> bool {
    match kind {
        Reduce::Sum | Reduce::Prod => dtype != DType::Bool,
        Reduce::Mean | Reduce::Std | Reduce::Var => {
            matches!(dtype, DType::Float32 | DType::Float64 | DType::Complex128)
        }
        _ => false,
    }
}

/// The operand as the kernel reduces it: the reduced axes merged into one
/// last axis (all of them when `axes` is `None`), one longer when an
/// initial value joins every lane.
fn lanes_meta(x: &Meta, p: &ReduceExtras) -> OpResult<Meta> {
    let ks = match &p.axes {
        None => (0..x.ndim()).collect(),
        Some(axes) => resolve_axes(axes, x.ndim())?,
    };
    let mut merged = merged_meta(x, &ks);
    if p.has_initial {
        let last = merged.shape.last_mut().expect("the merged axis");
        *last = Dim::add(last, &Dim::Known(1));
    }
    Ok(merged)
}

/// The rule of a reduction with its extras: NumPy's result shape and dtype.
pub fn reduce_extras_rule(kind: Reduce, x: &Meta, p: &ReduceExtras) -> OpResult<Meta> {
    let mut x = x.clone();
    if let Some(dt) = p.dtype {
        // Complex numbers into a real accumulator would lose their
        // imaginary parts (NumPy warns and drops them).
        let drops = x.dtype == DType::Complex128 && dt != DType::Complex128;
        if !dtype_ok(kind, dt) || drops {
            return Err(fail(
                0,
                ArraysError::ReduceDType {
                    kind,
                    dtype: dt,
                    from: x.dtype,
                },
            ));
        }
        x = x.retyped(dt);
    }
    if p.has_where && matches!(kind, Reduce::Min | Reduce::Max) && !p.has_initial {
        return Err(fail(0, ArraysError::WhereNeedsInitial { kind }));
    }
    if p.axes.as_ref().is_some_and(|a| a.len() > 1)
        && matches!(kind, Reduce::ArgMin | Reduce::ArgMax)
    {
        return Err(fail(1, ArraysError::OneAxisOnly { kind }));
    }
    // The dtype and the refusals (an empty lane of max) as for one axis.
    let dt = reduce_rule(kind, &lanes_meta(&x, p)?, Some(-1), false)?.dtype;
    let ks: Vec<usize> = match &p.axes {
        None => (0..x.ndim()).collect(),
        Some(axes) => resolve_axes(axes, x.ndim())?,
    };
    let shape = (0..x.ndim())
        .filter_map(|k| match (ks.contains(&k), p.keepdims) {
            (false, _) => Some(x.shape[k].clone()),
            (true, true) => Some(Dim::Known(1)),
            (true, false) => None,
        })
        .collect();
    Ok(Meta::with_dims(shape, dt))
}

/// A 0-d array of `dtype` holding `v`.
fn scalar_of(v: i64, dtype: DType) -> Array {
    Array::scalar_int(v)
        .cast(dtype)
        .expect("0 and 1 fit every dtype")
}

/// A reduction with its extras. `initial` is a 0-d array, `mask` a bool
/// array that broadcasts to x (the caller checked both).
#[allow(clippy::too_many_arguments)]
pub fn reduce_extras(
    kind: Reduce,
    a: &Array,
    p: &ReduceExtras,
    ddof: f64,
    initial: Option<&Array>,
    mask: Option<&Array>,
    exec: &Exec,
    limits: &Limits,
) -> OpResult<Array> {
    let m = reduce_extras_rule(kind, &Meta::of(a), p)?;
    let mut x = match p.dtype {
        Some(dt) => a
            .cast(dt)
            .map_err(|_| OpError::dtype(kind.name(), a.dtype()))?,
        None => a.clone(),
    };
    // The initial value in the dtype it joins: the result's for sums and
    // products, the operand's for max and min (NumPy casts it unsafely;
    // a NaN or complex that does not fit is refused, as every cast here).
    let init = match initial {
        Some(v) => {
            let to = if matches!(kind, Reduce::Min | Reduce::Max) {
                x.dtype()
            } else {
                m.dtype
            };
            Some(v.cast(to).map_err(|_| OpError::Arrays {
                err: ArraysError::ValueCast {
                    what: "initial",
                    from: v.dtype(),
                    to,
                },
                arg: None,
            })?)
        }
        None => None,
    };
    if let Some(mask) = mask {
        // Masked-out elements become what leaves the result unchanged: 0
        // for a sum, 1 for a product, the initial value for max and min.
        let fill = match (kind, &init) {
            (Reduce::Min | Reduce::Max, Some(v)) => v.clone(),
            (Reduce::Prod, _) => scalar_of(1, x.dtype()),
            _ => scalar_of(0, x.dtype()),
        };
        x = super::everyday::where3(mask, &x, &fill, limits)?;
    }
    let lanes = lanes_meta(
        &Meta::of(&x),
        &ReduceExtras {
            has_initial: false,
            ..p.clone()
        },
    )?;
    let lanes_shape = lanes.concrete().expect("concrete operands");
    let nd = x.ndim();
    let ks: Vec<usize> = match &p.axes {
        None => (0..nd).collect(),
        Some(axes) => resolve_axes(axes, nd)?,
    };
    let kept: Vec<usize> = (0..nd).filter(|k| !ks.contains(k)).collect();
    let perm: Vec<i64> = kept.iter().chain(&ks).map(|&k| k as i64).collect();
    let t = super::shape::transpose(&x, Some(&perm))?;
    let mut lanes = map_array!(&t, v => ArrayD::from_shape_vec(IxDyn(&lanes_shape), v.iter().cloned().collect()).expect("len"));
    let last = lanes_shape.len() - 1;
    if let (Some(v), Reduce::Min | Reduce::Max) = (&init, kind) {
        // The initial value joins every lane, so an empty lane gives it.
        let mut shape = lanes_shape.clone();
        shape[last] += 1;
        check_alloc(&shape, lanes.dtype(), limits)?;
        lanes = map_array!(&lanes, x => append_to_lanes(x, v));
    }
    let mut out = reduce(kind, &lanes, Some(last as i64), false, ddof, exec)?;
    if let (Some(v), Reduce::Sum | Reduce::Prod) = (&init, kind) {
        let op = if kind == Reduce::Sum {
            crate::syntax::BinOp::Add
        } else {
            crate::syntax::BinOp::Mul
        };
        out = super::arith::binary(op, &out, v, exec).map_err(|e| match e {
            OpError::Overflow { .. } => OpError::overflow(kind.name()),
            e => e,
        })?;
    }
    let shape = m.concrete().expect("concrete operands");
    Ok(
        map_array!(&out, v => ArrayD::from_shape_vec(IxDyn(&shape), v.iter().cloned().collect()).expect("len")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_sources_follow_numpy() {
        // np.pad([1, 2, 3], 4, mode): the index read at each position.
        let at = |mode| (-4..7).map(|i| source(i, 3, mode)).collect::<Vec<_>>();
        assert_eq!(at(PadMode::Reflect), [0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2]);
        assert_eq!(at(PadMode::Symmetric), [2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0]);
        assert_eq!(at(PadMode::Wrap), [2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
        assert_eq!(at(PadMode::Edge), [0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2]);
    }

    #[test]
    fn array_split_gives_the_first_parts_one_more() {
        let lens = part_lengths(&Cuts::Sections(3), &Dim::Known(7), false).unwrap();
        assert_eq!(lens, [Dim::Known(3), Dim::Known(2), Dim::Known(2)]);
        assert!(part_lengths(&Cuts::Sections(3), &Dim::Known(7), true).is_err());
        let lens = part_lengths(&Cuts::Indices(vec![2, -1, 10]), &Dim::Known(5), true).unwrap();
        assert_eq!(
            lens,
            [Dim::Known(2), Dim::Known(2), Dim::Known(1), Dim::Known(0)]
        );
    }

    #[test]
    fn searchsorted_sides_and_nan() {
        let a = [1.0, 2.0, 2.0, f64::NAN];
        assert_eq!(insertion(&a, 2.0, Side::Left, less), 1);
        assert_eq!(insertion(&a, 2.0, Side::Right, less), 3);
        assert_eq!(insertion(&a, f64::NAN, Side::Left, less), 3);
        assert_eq!(insertion(&a, f64::NAN, Side::Right, less), 4);
    }
}
