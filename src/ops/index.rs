//! Indexing: `A[i, a:b:c, ..., idx, mask]`. The shape rule (`select`) turns an
//! index into a `Selection`: the result shape and, for every result element,
//! its offset in the row-major source. Reads gather through it and indexed
//! assignment scatters through it, so both follow the same NumPy rules,
//! including where advanced-index axes land in the result.

use ndarray::{ArrayD, Dimension, IxDyn};

use super::broadcast::{broadcast_dims, broadcast_shapes, can_broadcast_to, known, view_as};
use super::error::{OpError, OpResult};
use crate::value::{Array, CastError, Dim};

/// One evaluated index item.
#[derive(Clone, Debug)]
pub enum IndexSpec {
    Int(i64),
    Slice {
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
    },
    Ellipsis,
    IntArray(ArrayD<i64>),
    Mask(ArrayD<bool>),
    /// `None` (NumPy's newaxis): a new axis of length 1 here.
    NewAxis,
}

/// An error together with the position of the index item that caused it.
pub type ItemError = (Option<usize>, OpError);

/// An index that does not fit the array it indexes.
#[derive(Clone, Debug, PartialEq)]
pub enum IndexError {
    SliceStepZero,
    TwoEllipses,
    /// More indexed axes than the array has.
    TooMany {
        shape: Vec<Dim>,
        given: usize,
    },
    /// A bool mask whose shape is not that of the axes it covers.
    MaskShape {
        mask: Vec<Dim>,
        covered: Vec<Dim>,
    },
    /// Index arrays (and masks) that do not broadcast together.
    ArraysBroadcast {
        lhs: Vec<Dim>,
        rhs: Vec<Dim>,
    },
}

/// One index item as the rule sees it: the constants (integers, slice
/// bounds) as numbers, index arrays and masks by their shape only.
#[derive(Clone, Debug)]
pub enum IndexMeta {
    Int(i64),
    Slice {
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
    },
    Ellipsis,
    IntArray(Vec<Dim>),
    Mask(Vec<Dim>),
    NewAxis,
}

impl IndexSpec {
    /// What the rule needs of this item.
    pub fn meta(&self) -> IndexMeta {
        match self {
            IndexSpec::Int(i) => IndexMeta::Int(*i),
            IndexSpec::Slice { start, stop, step } => IndexMeta::Slice {
                start: *start,
                stop: *stop,
                step: *step,
            },
            IndexSpec::Ellipsis => IndexMeta::Ellipsis,
            IndexSpec::IntArray(a) => IndexMeta::IntArray(known(a.shape())),
            IndexSpec::Mask(m) => IndexMeta::Mask(known(m.shape())),
            IndexSpec::NewAxis => IndexMeta::NewAxis,
        }
    }
}

/// The rule of indexing, NumPy's: the result shape of `x[items]` for `x` of
/// `shape`, or the item at fault. Integers are checked against known axis
/// lengths; the values inside index arrays are the data's business (checked
/// by `select`), and a mask selects an unknown number of elements.
pub fn index_rule(shape: &[Dim], items: &[IndexMeta]) -> Result<Vec<Dim>, ItemError> {
    let ndim = shape.len();
    let consumed = consumed(items);
    let ellipses = items
        .iter()
        .filter(|it| matches!(it, IndexMeta::Ellipsis))
        .count();
    if ellipses > 1 {
        let pos = items
            .iter()
            .rposition(|it| matches!(it, IndexMeta::Ellipsis));
        return Err((pos, OpError::BadIndex(IndexError::TwoEllipses)));
    }
    if consumed > ndim {
        return Err((
            Some(items.len() - 1),
            OpError::BadIndex(IndexError::TooMany {
                shape: shape.to_vec(),
                given: consumed,
            }),
        ));
    }
    let has_advanced = has_advanced(items);
    // Per source axis, and per new axis in its place: the result axes it
    // gives (`None` = part of the advanced block).
    let mut per_axis: Vec<Option<Vec<Dim>>> = Vec::with_capacity(ndim);
    let mut block: Vec<Dim> = Vec::new();
    // The source axis the next item indexes.
    let mut axis = 0;
    for (pos, item) in items.iter().enumerate() {
        let at = |e: OpError| (Some(pos), e);
        let join = |block: &mut Vec<Dim>, s: &[Dim]| -> Result<(), ItemError> {
            *block = broadcast_dims(block, s).map_err(|_| {
                (
                    None,
                    OpError::BadIndex(IndexError::ArraysBroadcast {
                        lhs: block.clone(),
                        rhs: s.to_vec(),
                    }),
                )
            })?;
            Ok(())
        };
        match item {
            IndexMeta::NewAxis => {
                per_axis.push(Some(vec![Dim::Known(1)]));
                continue;
            }
            IndexMeta::Ellipsis => {
                for _ in 0..ndim - consumed {
                    per_axis.push(Some(vec![shape[axis].clone()]));
                    axis += 1;
                }
                continue;
            }
            IndexMeta::Int(i) => {
                if let Some(len) = shape[axis].value() {
                    normalize(*i, len, axis).map_err(at)?;
                }
                if has_advanced {
                    join(&mut block, &[])?;
                    per_axis.push(None);
                } else {
                    per_axis.push(Some(Vec::new()));
                }
            }
            IndexMeta::Slice { start, stop, step } => {
                if *step == Some(0) {
                    return Err(at(OpError::BadIndex(IndexError::SliceStepZero)));
                }
                let whole = start.is_none() && stop.is_none() && matches!(step, None | Some(1));
                let len = match shape[axis].value() {
                    // `x[:, 0]` keeps a symbolic length as it is.
                    _ if whole => shape[axis].clone(),
                    Some(len) => Dim::Known(slice_len(len, *start, *stop, *step)),
                    None => Dim::Unknown,
                };
                per_axis.push(Some(vec![len]));
            }
            IndexMeta::IntArray(s) => {
                join(&mut block, s)?;
                per_axis.push(None);
            }
            IndexMeta::Mask(m) => {
                let covered = &shape[axis..axis + m.len()];
                let fits = m.iter().zip(covered).all(|(a, b)| !a.clash(b));
                if m.is_empty() || !fits {
                    return Err(at(OpError::BadIndex(IndexError::MaskShape {
                        mask: m.clone(),
                        covered: covered.to_vec(),
                    })));
                }
                // A k-D mask selects like k integer arrays of its true
                // positions, whose count the data decides.
                for _ in 0..m.len() {
                    join(&mut block, &[Dim::Unknown])?;
                    per_axis.push(None);
                }
                axis += m.len();
                continue;
            }
        }
        axis += 1;
    }
    for rest in shape.iter().skip(axis) {
        per_axis.push(Some(vec![rest.clone()]));
    }
    let adv_axes: Vec<usize> = (0..per_axis.len())
        .filter(|&k| per_axis[k].is_none())
        .collect();
    let adjacent = adv_axes.windows(2).all(|w| w[1] == w[0] + 1);
    let mut out = Vec::new();
    let mut placed = false;
    if !adv_axes.is_empty() && !adjacent {
        out.extend(block.iter().cloned());
        placed = true;
    }
    for entry in per_axis {
        match entry {
            Some(dims) => out.extend(dims),
            None if !placed => {
                out.extend(block.iter().cloned());
                placed = true;
            }
            None => {}
        }
    }
    Ok(out)
}

/// How many axes of the array the items index (`...` none, a k-D mask k).
fn consumed(items: &[IndexMeta]) -> usize {
    items
        .iter()
        .map(|it| match it {
            IndexMeta::Ellipsis | IndexMeta::NewAxis => 0,
            IndexMeta::Mask(m) => m.len().max(1),
            _ => 1,
        })
        .sum()
}

/// Whether any item is an index array or a mask (NumPy's advanced indexing).
fn has_advanced(items: &[IndexMeta]) -> bool {
    items
        .iter()
        .any(|it| matches!(it, IndexMeta::IntArray(_) | IndexMeta::Mask(_)))
}

/// The number of elements Python's slice `start:stop:step` takes from an
/// axis of `len` (step not zero).
fn slice_len(len: usize, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> usize {
    let (start, stop, step) = slice_bounds(len, start, stop, step);
    if step > 0 && start < stop {
        ((stop - start + step - 1) / step) as usize
    } else if step < 0 && start > stop {
        ((start - stop - step - 1) / -step) as usize
    } else {
        0
    }
}

/// Python's clamping of slice bounds, in i128 so no bound overflows.
fn slice_bounds(
    len: usize,
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> (i128, i128, i128) {
    let step = step.unwrap_or(1) as i128;
    let len = len as i128;
    let (lower, upper) = if step > 0 { (0, len) } else { (-1, len - 1) };
    let norm = |v: Option<i64>, default: i128| match v {
        None => default,
        Some(v) => {
            let v = v as i128;
            if v < 0 {
                (v + len).max(lower)
            } else {
                v.min(upper)
            }
        }
    };
    (
        norm(start, if step > 0 { lower } else { upper }),
        norm(stop, if step > 0 { upper } else { lower }),
        step,
    )
}

#[derive(Clone, Debug)]
pub struct Selection {
    pub shape: Vec<usize>,
    pub offsets: Vec<usize>,
}

/// Per-axis index after expanding `...` and masks, with the offsets each
/// position adds (the source axis's stride already applied).
enum AxisIndex {
    Fixed(usize),
    /// A slice, walked only when the result has elements: an empty array
    /// may have an axis of any length (`zeros(0, 10^10)`), and its indices
    /// would not fit in memory.
    Range(Walk),
    /// Indexed by an array (or an int alongside arrays).
    Advanced,
    /// `None`: a result axis of length 1 that reads no source axis.
    New,
}

/// The positions a slice visits: `len` of them from `start`, `step` apart.
#[derive(Clone, Copy, Debug)]
struct Walk {
    start: i128,
    step: i128,
    len: usize,
}

impl Walk {
    /// Python's slice rule: clamp, then walk with `step` (not 0).
    fn of(len: usize, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> Walk {
        let (start, stop, step) = slice_bounds(len, start, stop, step);
        let span = if step > 0 { stop - start } else { start - stop };
        let count = if span <= 0 {
            0
        } else {
            (span + step.abs() - 1) / step.abs()
        };
        Walk {
            start,
            step,
            len: count as usize,
        }
    }

    /// Every position of an axis of `len`.
    fn all(len: usize) -> Walk {
        Walk {
            start: 0,
            step: 1,
            len,
        }
    }

    /// The positions, each times `stride`.
    fn offsets(&self, stride: usize) -> Vec<usize> {
        (0..self.len)
            .map(|k| (self.start + k as i128 * self.step) as usize * stride)
            .collect()
    }
}

/// Python's slice rule: clamp, then walk with `step`.
pub fn slice_indices(
    len: usize,
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> OpResult<Vec<usize>> {
    if step == Some(0) {
        return Err(OpError::BadIndex(IndexError::SliceStepZero));
    }
    Ok(Walk::of(len, start, stop, step).offsets(1))
}

fn normalize(index: i64, len: usize, axis: usize) -> OpResult<usize> {
    let l = len as i64;
    let i = if index < 0 {
        index.checked_add(l)
    } else {
        Some(index)
    };
    match i {
        Some(i) if (0..l).contains(&i) => Ok(i as usize),
        _ => Err(OpError::Index { axis, len, index }),
    }
}

/// The shape rule of indexing: which elements `items` select from an array
/// of `shape`.
pub fn select(shape: &[usize], items: &[IndexSpec]) -> Result<Selection, ItemError> {
    let metas: Vec<IndexMeta> = items.iter().map(IndexSpec::meta).collect();
    index_rule(&known(shape), &metas)?;
    let ndim = shape.len();
    let consumed = consumed(&metas);
    let has_advanced = has_advanced(&metas);

    // Row-major strides of the source.
    let mut strides = vec![1usize; ndim];
    for k in (0..ndim.saturating_sub(1)).rev() {
        strides[k] = strides[k + 1] * shape[k + 1];
    }

    // Expand into one entry per source axis (and per new axis).
    let mut per_axis: Vec<AxisIndex> = Vec::with_capacity(ndim);
    let mut advanced: Vec<(usize, ArrayD<i64>)> = Vec::new(); // (axis, indices)
    // The source axis the next item indexes.
    let mut axis = 0;
    for (pos, item) in items.iter().enumerate() {
        let at = |e: OpError| (Some(pos), e);
        match item {
            IndexSpec::NewAxis => {
                per_axis.push(AxisIndex::New);
                continue;
            }
            IndexSpec::Ellipsis => {
                for _ in 0..ndim - consumed {
                    per_axis.push(AxisIndex::Range(Walk::all(shape[axis])));
                    axis += 1;
                }
                continue;
            }
            IndexSpec::Int(i) => {
                let i = normalize(*i, shape[axis], axis).map_err(at)?;
                if has_advanced {
                    advanced.push((axis, ArrayD::from_elem(IxDyn(&[]), i as i64)));
                    per_axis.push(AxisIndex::Advanced);
                } else {
                    per_axis.push(AxisIndex::Fixed(i * strides[axis]));
                }
            }
            IndexSpec::Slice { start, stop, step } => {
                if *step == Some(0) {
                    return Err(at(OpError::BadIndex(IndexError::SliceStepZero)));
                }
                per_axis.push(AxisIndex::Range(Walk::of(
                    shape[axis],
                    *start,
                    *stop,
                    *step,
                )));
            }
            IndexSpec::IntArray(idx) => {
                let mut norm = Vec::with_capacity(idx.len());
                for &i in idx.iter() {
                    norm.push(normalize(i, shape[axis], axis).map_err(at)? as i64);
                }
                let arr = ArrayD::from_shape_vec(IxDyn(idx.shape()), norm).expect("same length");
                advanced.push((axis, arr));
                per_axis.push(AxisIndex::Advanced);
            }
            IndexSpec::Mask(mask) => {
                // A k-D mask selects like k integer arrays of its true positions.
                let mut coords: Vec<Vec<i64>> = vec![Vec::new(); mask.ndim()];
                for (ix, &m) in mask.indexed_iter() {
                    if m {
                        for (k, &c) in ix.slice().iter().enumerate() {
                            coords[k].push(c as i64);
                        }
                    }
                }
                for c in coords {
                    let n = c.len();
                    advanced.push((axis, ArrayD::from_shape_vec(IxDyn(&[n]), c).expect("1-D")));
                    per_axis.push(AxisIndex::Advanced);
                    axis += 1;
                }
                continue;
            }
        }
        axis += 1;
    }
    while axis < ndim {
        per_axis.push(AxisIndex::Range(Walk::all(shape[axis])));
        axis += 1;
    }

    // Advanced indices broadcast together into one block of result axes.
    let mut block_shape: Vec<usize> = Vec::new();
    for (_, arr) in &advanced {
        // The rule checked that the index arrays broadcast together.
        block_shape = broadcast_shapes(&block_shape, arr.shape()).map_err(|e| (None, e))?;
    }
    let adv_axes: Vec<usize> = (0..per_axis.len())
        .filter(|&k| matches!(per_axis[k], AxisIndex::Advanced))
        .collect();
    let adjacent = adv_axes.windows(2).all(|w| w[1] == w[0] + 1);

    // Result axes in order: each is a list of offset contributions, made
    // only once the result is known to have elements (an empty result of
    // an empty array may have axes of any length).
    enum Part {
        Axis(Walk, usize),
        New,
        Block,
    }
    let mut base = 0usize;
    let mut parts: Vec<Part> = Vec::new();
    let mut out_shape: Vec<usize> = Vec::new();
    let mut block_placed = false;
    if !adv_axes.is_empty() && !adjacent {
        parts.push(Part::Block);
        out_shape.extend(&block_shape);
        block_placed = true;
    }
    let mut source_axis = 0;
    for entry in &per_axis {
        match entry {
            AxisIndex::Fixed(offset) => base += offset,
            AxisIndex::Range(w) => {
                parts.push(Part::Axis(*w, strides[source_axis]));
                out_shape.push(w.len);
            }
            AxisIndex::New => {
                parts.push(Part::New);
                out_shape.push(1);
            }
            AxisIndex::Advanced => {
                if !block_placed {
                    parts.push(Part::Block);
                    out_shape.extend(&block_shape);
                    block_placed = true;
                }
            }
        }
        if !matches!(entry, AxisIndex::New) {
            source_axis += 1;
        }
    }
    if out_shape.contains(&0) {
        return Ok(Selection {
            shape: out_shape,
            offsets: Vec::new(),
        });
    }
    // The whole block is one "dimension" of contributions, reshaped later.
    let block_offsets = || {
        let n: usize = block_shape.iter().product();
        let mut offs = vec![0usize; n];
        for (axis, arr) in &advanced {
            for (o, &i) in offs.iter_mut().zip(view_as(arr, &block_shape).iter()) {
                *o += i as usize * strides[*axis];
            }
        }
        offs
    };
    let dims: Vec<Vec<usize>> = parts
        .iter()
        .map(|p| match p {
            Part::Axis(w, stride) => w.offsets(*stride),
            Part::New => vec![0],
            Part::Block => block_offsets(),
        })
        .collect();
    let total: usize = dims.iter().map(Vec::len).product();
    let mut offsets = Vec::with_capacity(total);
    offsets.push(base);
    for d in &dims {
        let mut next = Vec::with_capacity(offsets.len() * d.len());
        for &o in &offsets {
            next.extend(d.iter().map(|&c| o + c));
        }
        offsets = next;
    }
    if total == 0 {
        offsets.clear();
    }
    Ok(Selection {
        shape: out_shape,
        offsets,
    })
}

/// Reads the selected elements.
pub fn gather(a: &Array, sel: &Selection) -> Array {
    crate::map_array!(a, x => {
        let flat = x.as_standard_layout();
        let data = flat.as_slice().expect("standard layout is contiguous");
        let v = sel.offsets.iter().map(|&o| data[o]).collect();
        ArrayD::from_shape_vec(IxDyn(&sel.shape), v).expect("offsets match the shape")
    })
}

/// The rule of indexed assignment's shapes: the value must broadcast to
/// exactly the selection (an unknown length fits anything).
pub fn assign_fits(value: &[Dim], selection: &[Dim]) -> bool {
    value.len() <= selection.len()
        && value
            .iter()
            .rev()
            .zip(selection.iter().rev())
            .all(|(v, t)| v.is_one() || !v.clash(t))
}

/// Why an indexed assignment was refused.
#[derive(Debug)]
pub enum AssignError {
    Shape {
        value: Vec<usize>,
        target: Vec<usize>,
    },
    Cast(CastError),
}

/// Writes `value` (broadcast and cast to the target's dtype) into the
/// selected elements of `target`.
pub fn scatter(target: &mut Array, sel: &Selection, value: &Array) -> Result<(), AssignError> {
    if !can_broadcast_to(value.shape(), &sel.shape) {
        return Err(AssignError::Shape {
            value: value.shape().to_vec(),
            target: sel.shape.clone(),
        });
    }
    // Storing complex values into any real array (bool included) would drop
    // their imaginary parts; `bool(z)` is fine as a cast, not as a store.
    if let Array::C128(v) = value
        && target.dtype() != crate::value::DType::Complex128
        && v.iter().any(|z| z.im != 0.0)
    {
        return Err(AssignError::Cast(CastError::DropsImaginary));
    }
    let value = value.cast(target.dtype()).map_err(AssignError::Cast)?;
    macro_rules! write {
        ($t:expr, $v:expr) => {{
            if !$t.is_standard_layout() {
                *$t = $t.as_standard_layout().into_owned();
            }
            let src = view_as($v, &sel.shape);
            let data = $t.as_slice_mut().expect("standard layout is contiguous");
            for (&o, &x) in sel.offsets.iter().zip(src.iter()) {
                data[o] = x;
            }
        }};
    }
    match (target, &value) {
        (Array::Bool(t), Array::Bool(v)) => write!(t, v),
        (Array::Int(t), Array::Int(v)) => write!(t, v),
        (Array::F32(t), Array::F32(v)) => write!(t, v),
        (Array::F64(t), Array::F64(v)) => write!(t, v),
        (Array::C128(t), Array::C128(v)) => write!(t, v),
        _ => unreachable!("value was cast to the target dtype"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_follow_python() {
        assert_eq!(
            slice_indices(5, None, None, Some(-1)).unwrap(),
            vec![4, 3, 2, 1, 0]
        );
        assert_eq!(slice_indices(5, Some(-2), None, None).unwrap(), vec![3, 4]);
        assert_eq!(
            slice_indices(5, Some(1), Some(100), Some(2)).unwrap(),
            vec![1, 3]
        );
        assert_eq!(
            slice_indices(5, Some(4), Some(1), Some(-2)).unwrap(),
            vec![4, 2]
        );
        assert!(slice_indices(5, Some(3), Some(1), None).unwrap().is_empty());
        assert_eq!(
            slice_indices(3, Some(i64::MIN), Some(i64::MAX), None).unwrap(),
            vec![0, 1, 2]
        );
        assert!(slice_indices(5, None, None, Some(0)).is_err());
    }

    #[test]
    fn separated_advanced_indices_go_first() {
        // NumPy: A[[0, 1], :, [0, 1]] on 2×3×4 has shape 2×3.
        let idx = |v: Vec<i64>| {
            IndexSpec::IntArray(ArrayD::from_shape_vec(IxDyn(&[v.len()]), v).unwrap())
        };
        let full = IndexSpec::Slice {
            start: None,
            stop: None,
            step: None,
        };
        let sel = select(
            &[2, 3, 4],
            &[idx(vec![0, 1]), full.clone(), idx(vec![0, 1])],
        )
        .unwrap();
        assert_eq!(sel.shape, vec![2, 3]);
        // Adjacent ones stay in place: A[:, [0, 1], [0, 1]] has shape 2×2.
        let sel = select(&[2, 3, 4], &[full, idx(vec![0, 1]), idx(vec![0, 1])]).unwrap();
        assert_eq!(sel.shape, vec![2, 2]);
    }

    #[test]
    fn out_of_range_names_axis_length_and_index() {
        let err = select(&[2, 3], &[IndexSpec::Int(0), IndexSpec::Int(-4)]).unwrap_err();
        assert_eq!(
            err,
            (
                Some(1),
                OpError::Index {
                    axis: 1,
                    len: 3,
                    index: -4
                }
            )
        );
    }
}
