//! `@`: exactly `numpy.matmul`. Vectors are promoted (1-D left operand to a
//! row, 1-D right operand to a column) and the added axis removed again;
//! leading axes are batch axes and broadcast.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::{ArrayD, ArrayViewD, Axis, Dimension, Ix2, IxDyn, s};

use super::broadcast::{as_dtype, broadcast_dims, known};
use super::error::{OpError, OpResult};
use crate::kernel::{self, Exec, MatRef};
use crate::value::{Array, C64, DType, Dim, Meta, promote};

/// The rule of `@` (numpy.matmul): the result's metadata, or why there is
/// none. The dtype is the operands' common one (bool @ bool stays bool).
pub fn matmul_rule(lhs: &Meta, rhs: &Meta) -> OpResult<Meta> {
    let shape = matmul_dims(&lhs.shape, &rhs.shape)?;
    Ok(Meta::with_dims(
        shape,
        promote(lhs.dtype, false, rhs.dtype, false),
    ))
}

/// The shape half of the rule of `@`.
pub fn matmul_dims(lhs: &[Dim], rhs: &[Dim]) -> OpResult<Vec<Dim>> {
    let err_scalar = |side| OpError::MatmulScalar {
        side,
        lhs: lhs.to_vec(),
        rhs: rhs.to_vec(),
    };
    if lhs.is_empty() {
        return Err(err_scalar(0));
    }
    if rhs.is_empty() {
        return Err(err_scalar(1));
    }
    let (m, k1) = if lhs.len() == 1 {
        (None, &lhs[0])
    } else {
        (Some(lhs[lhs.len() - 2].clone()), &lhs[lhs.len() - 1])
    };
    let (k2, n) = if rhs.len() == 1 {
        (&rhs[0], None)
    } else {
        (&rhs[rhs.len() - 2], Some(rhs[rhs.len() - 1].clone()))
    };
    if k1.clash(k2) {
        return Err(OpError::MatmulInner {
            lhs: lhs.to_vec(),
            rhs: rhs.to_vec(),
        });
    }
    let lb = &lhs[..lhs.len().saturating_sub(2)];
    let rb = &rhs[..rhs.len().saturating_sub(2)];
    let mut out = broadcast_dims(lb, rb).map_err(|_| OpError::MatmulBatch {
        lhs: lhs.to_vec(),
        rhs: rhs.to_vec(),
    })?;
    out.extend(m);
    out.extend(n);
    Ok(out)
}

/// `matmul_dims` for concrete shapes.
pub fn matmul_shape(lhs: &[usize], rhs: &[usize]) -> OpResult<Vec<usize>> {
    let dims = matmul_dims(&known(lhs), &known(rhs))?;
    Ok(dims
        .into_iter()
        .map(|d| d.known().unwrap_or_default())
        .collect())
}

/// Evaluates `lhs @ rhs`.
pub fn matmul(lhs: &Array, rhs: &Array, exec: &Exec) -> OpResult<Array> {
    matmul_adjoint(lhs, false, rhs, false, exec)
}

/// Evaluates `op(lhs) @ op(rhs)`, where `op` is the conjugate transpose of the
/// last two axes (the `'` operator) when its flag is set and the operand has
/// at least two axes. The evaluator sends `A' @ B` here, so the transpose
/// reaches the kernel as swapped strides (and a conjugate flag) instead of a
/// copy.
pub fn matmul_adjoint(
    lhs: &Array,
    lhs_adj: bool,
    rhs: &Array,
    rhs_adj: bool,
    exec: &Exec,
) -> OpResult<Array> {
    let lhs_adj = lhs_adj && lhs.ndim() >= 2;
    let rhs_adj = rhs_adj && rhs.ndim() >= 2;
    let out = matmul_rule(
        &Meta::new(&adjoint_shape(lhs.shape(), lhs_adj), lhs.dtype()),
        &Meta::new(&adjoint_shape(rhs.shape(), rhs_adj), rhs.dtype()),
    )?;
    let out_shape = out.concrete().unwrap_or_default();
    let dtype = out.dtype;
    Ok(match dtype {
        // NumPy's bool matmul is "any of the ands": compute in int64, where
        // overflow is impossible for counts, and compare with zero.
        DType::Bool => {
            let r = matmul_adjoint(
                &lhs.widen(DType::Int64),
                lhs_adj,
                &rhs.widen(DType::Int64),
                rhs_adj,
                exec,
            )?;
            Array::Bool(r.to_i64_array().expect("int").mapv(|v| v != 0))
        }
        DType::Int64 => {
            let (a, b) = (as_dtype::<i64>(lhs), as_dtype::<i64>(rhs));
            let ok = AtomicBool::new(true);
            let r = batched(
                Operand::new(&a, lhs_adj, false),
                Operand::new(&b, rhs_adj, false),
                &out_shape,
                exec,
                |exec, x, y, z| {
                    if !kernel::int::matmul_i64(exec, x.view, y.view, z) {
                        ok.store(false, Ordering::Relaxed);
                    }
                },
                None,
            )?;
            if !ok.load(Ordering::Relaxed) {
                return Err(OpError::overflow("matmul"));
            }
            Array::Int(r)
        }
        DType::Float32 => {
            let (a, b) = (as_dtype::<f32>(lhs), as_dtype::<f32>(rhs));
            Array::F32(batched(
                Operand::new(&a, lhs_adj, false),
                Operand::new(&b, rhs_adj, false),
                &out_shape,
                exec,
                kernel::float::matmul,
                Some(kernel::float::matmul_fresh),
            )?)
        }
        DType::Float64 => {
            let (a, b) = (as_dtype::<f64>(lhs), as_dtype::<f64>(rhs));
            Array::F64(batched(
                Operand::new(&a, lhs_adj, false),
                Operand::new(&b, rhs_adj, false),
                &out_shape,
                exec,
                kernel::float::matmul,
                Some(kernel::float::matmul_fresh),
            )?)
        }
        DType::Complex128 => {
            let (a, b) = (as_dtype::<C64>(lhs), as_dtype::<C64>(rhs));
            Array::C128(batched(
                Operand::new(&a, lhs_adj, lhs_adj),
                Operand::new(&b, rhs_adj, rhs_adj),
                &out_shape,
                exec,
                kernel::float::matmul,
                Some(kernel::float::matmul_fresh),
            )?)
        }
    })
}

fn adjoint_shape(shape: &[usize], adj: bool) -> Vec<usize> {
    let mut s = shape.to_vec();
    if adj {
        let n = s.len();
        s.swap(n - 2, n - 1);
    }
    s
}

/// One side of a product: the array, whether its last two axes are swapped,
/// and whether its elements are conjugated.
struct Operand<'a, T> {
    array: &'a ArrayD<T>,
    swap: bool,
    conj: bool,
}

impl<'a, T> Operand<'a, T> {
    fn new(array: &'a ArrayD<T>, swap: bool, conj: bool) -> Self {
        Operand { array, swap, conj }
    }

    fn view(&self) -> ArrayViewD<'a, T> {
        let mut v = self.array.view();
        if self.swap {
            let n = v.ndim();
            v.swap_axes(n - 2, n - 1);
        }
        v
    }
}

/// An entry's two matrices as the kernels take them, conjugated as the
/// operands say.
fn mats<'x, T>(
    x: ndarray::ArrayView2<'x, T>,
    y: ndarray::ArrayView2<'x, T>,
    aconj: bool,
    bconj: bool,
) -> (MatRef<'x, T>, MatRef<'x, T>) {
    (MatRef::new(x).conj_if(aconj), MatRef::new(y).conj_if(bconj))
}

/// A kernel that returns the product of two matrices in a new one, written
/// without zeroing it first (`kernel::float::matmul_fresh`).
type Fresh<T> = fn(&Exec, MatRef<T>, MatRef<T>) -> ndarray::Array2<T>;

/// Runs a 2-D kernel over every batch entry. Shapes were checked by
/// `matmul_shape`; vectors are viewed as 1×k or k×1 matrices. Batches of
/// small products run their entries on several threads (each entry on one);
/// big products run in panels of columns (of rows when there are few
/// columns), checking the cancel flag between panels, and the kernel
/// spreads each panel over the threads.
fn batched<T: Copy + Default + Send + Sync>(
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    out_shape: &[usize],
    exec: &Exec,
    kernel: impl Fn(&Exec, MatRef<T>, MatRef<T>, ndarray::ArrayViewMut2<T>) + Sync,
    fresh: Option<Fresh<T>>,
) -> OpResult<ArrayD<T>> {
    let (aconj, bconj) = (a.conj, b.conj);
    // The kernel on one entry, with the operands' conjugation.
    let run = |exec: &Exec,
               x: ndarray::ArrayView2<'_, T>,
               y: ndarray::ArrayView2<'_, T>,
               o: ndarray::ArrayViewMut2<'_, T>| {
        let (lhs, rhs) = mats(x, y, aconj, bconj);
        kernel(exec, lhs, rhs, o)
    };
    let (a, b) = (a.view(), b.view());
    let (a_nd, b_nd) = (a.ndim(), b.ndim());
    // Two matrices whose product is one panel: straight to the kernel, none
    // of the batch machinery (most of an 8×8 product's time went there).
    if let (Ok(x), Ok(y)) = (
        a.view().into_dimensionality::<Ix2>(),
        b.view().into_dimensionality::<Ix2>(),
    ) && x.nrows() * x.ncols() * y.ncols() <= PANEL_WORK
    {
        exec.check()?;
        if let Some(fresh) = fresh {
            let (lhs, rhs) = mats(x, y, aconj, bconj);
            let out = fresh(exec, lhs, rhs);
            // The kernel stops early on a stop request.
            exec.check()?;
            return Ok(out.into_dyn());
        }
        let (m, n) = (x.nrows(), y.ncols());
        let mut out = ndarray::Array2::from_shape_vec((m, n), kernel::alloc::filled(m * n))
            .expect("length matches the shape");
        run(exec, x, y, out.view_mut());
        exec.check()?;
        return Ok(out.into_dyn());
    }
    let a2 = if a.ndim() == 1 {
        a.insert_axis(Axis(0))
    } else {
        a
    };
    let b2 = if b.ndim() == 1 {
        b.insert_axis(Axis(1))
    } else {
        b
    };
    let (m, k) = (a2.shape()[a2.ndim() - 2], a2.shape()[a2.ndim() - 1]);
    let n = b2.shape()[b2.ndim() - 1];
    let matrix_axes = (a_nd >= 2) as usize + (b_nd >= 2) as usize;
    let batch = &out_shape[..out_shape.len() - matrix_axes];
    let full = |tail: [usize; 2]| [batch, &tail[..]].concat();
    let a3 = a2
        .broadcast(IxDyn(&full([m, k])))
        .expect("batch shape was checked by matmul_shape");
    let b3 = b2
        .broadcast(IxDyn(&full([k, n])))
        .expect("batch shape was checked by matmul_shape");
    let out_dims = full([m, n]);
    let mut out = ArrayD::from_shape_vec(
        IxDyn(&out_dims),
        kernel::alloc::filled(out_dims.iter().product()),
    )
    .expect("length matches the shape");
    let count: usize = batch.iter().product();
    let entry = |idx: &[usize]| {
        let mut av = a3.view();
        let mut bv = b3.view();
        for &i in idx {
            av = av.index_axis_move(Axis(0), i);
            bv = bv.index_axis_move(Axis(0), i);
        }
        let a2 = av.into_dimensionality::<Ix2>().expect("2-D");
        let b2 = bv.into_dimensionality::<Ix2>().expect("2-D");
        (a2, b2)
    };
    let work = m * n * k;
    if count > 1 && work < PARALLEL_ENTRY && exec.threads() > 1 && count * work >= 1 << 20 {
        // Many small products: one entry per task, each on one thread.
        let flat = ndarray::indices(IxDyn(batch))
            .into_iter()
            .collect::<Vec<_>>();
        let mut outs: Vec<_> = {
            let mut ov = out
                .view_mut()
                .into_shape_with_order(IxDyn(&[count, m, n]))
                .expect("C order");
            let mut v = Vec::with_capacity(count);
            while ov.shape()[0] > 0 {
                let (head, tail) = ov.split_at(Axis(0), 1);
                v.push(
                    head.index_axis_move(Axis(0), 0)
                        .into_dimensionality::<Ix2>()
                        .expect("2-D"),
                );
                ov = tail;
            }
            v
        };
        let stopped = AtomicBool::new(false);
        let single = exec.single();
        exec.with_pool(|| {
            use rayon::prelude::*;
            flat.par_iter()
                .zip(outs.par_iter_mut())
                .for_each(|(idx, o)| {
                    if exec.cancel().is_requested() {
                        stopped.store(true, Ordering::Relaxed);
                        return;
                    }
                    let (x, y) = entry(idx.slice());
                    run(&single, x, y, o.view_mut());
                });
        });
        if stopped.load(Ordering::Relaxed) {
            return Err(OpError::Interrupted);
        }
    } else {
        // Big products run in panels so a cancel request is seen between
        // them. Panels of columns cost nothing: the kernel packs the right
        // operand a block of columns at a time anyway, while every panel of
        // rows repacks all of it (5% at 2048×2048 on one thread, 25% on
        // two). Rows only when there are too few columns for a wide panel.
        // A left operand read down its columns (`A' @ B`) is packed whole
        // for each call, m rows at a time: panels of its rows keep that
        // buffer small (4096×4096 `A' @ B`: 527 MiB peak on two threads in
        // panels of columns, 392 MiB in panels of rows).
        let lhs_rows = a2.strides()[a2.ndim() - 1] == 1;
        let by_cols = lhs_rows && (n >= m || PANEL_WORK / (m * k).max(1) >= MIN_PANEL);
        let (len, panel) = if by_cols {
            (n, (PANEL_WORK / (m * k).max(1)).max(MIN_PANEL))
        } else {
            (m, (PANEL_WORK / (k * n).max(1)).max(MIN_PANEL / 2))
        };
        for idx in ndarray::indices(IxDyn(batch)) {
            let (a2, b2) = entry(idx.slice());
            let mut ov = out.view_mut();
            for &i in idx.slice() {
                ov = ov.index_axis_move(Axis(0), i);
            }
            let mut o2 = ov.into_dimensionality::<Ix2>().expect("2-D");
            let mut start = 0;
            loop {
                exec.check()?;
                let end = (start + panel).min(len);
                if by_cols {
                    run(
                        exec,
                        a2.view(),
                        b2.slice(s![.., start..end]),
                        o2.slice_mut(s![.., start..end]),
                    );
                } else {
                    run(
                        exec,
                        a2.slice(s![start..end, ..]),
                        b2.view(),
                        o2.slice_mut(s![start..end, ..]),
                    );
                }
                start = end;
                if start >= len {
                    break;
                }
            }
        }
        // The kernel stops early on a stop request, the last panel too.
        exec.check()?;
    }
    Ok(out
        .into_shape_with_order(IxDyn(out_shape))
        .expect("same number of elements"))
}

/// Multiply-adds between two looks at the cancel flag (about 20 ms on one
/// core of a current CPU for float64; whatever the number of threads, as a
/// helper may not join).
const PANEL_WORK: usize = 1 << 30;
/// The narrowest panel of columns handed to the kernel (rows: half this).
///
/// Thin panels cost speed (each packs its operand afresh); wide ones delay
/// Ctrl-C. 128 columns of a 4000×4000 product are ~2·10^9 multiply-adds,
/// about 40 ms on one core (issue: Ctrl-C must stop it within 200 ms).
const MIN_PANEL: usize = 128;
/// Batch entries below this many multiply-adds run one per thread.
const PARALLEL_ENTRY: usize = 1 << 24;
