//! `@`: exactly `numpy.matmul`. Vectors are promoted (1-D left operand to a
//! row, 1-D right operand to a column) and the added axis removed again;
//! leading axes are batch axes and broadcast.

use ndarray::{ArrayD, ArrayView2, Axis, Dimension, Ix2, IxDyn, linalg::general_mat_mul, s};

use super::cancel;

use super::broadcast::broadcast_shapes;
use super::error::{OpError, OpResult};
use crate::eval::{Array, C64, DType, promote};
use crate::kernel;

/// The result shape of `lhs @ rhs`, or why there is none.
pub fn matmul_shape(lhs: &[usize], rhs: &[usize]) -> OpResult<Vec<usize>> {
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
        (None, lhs[0])
    } else {
        (Some(lhs[lhs.len() - 2]), lhs[lhs.len() - 1])
    };
    let (k2, n) = if rhs.len() == 1 {
        (rhs[0], None)
    } else {
        (rhs[rhs.len() - 2], Some(rhs[rhs.len() - 1]))
    };
    if k1 != k2 {
        return Err(OpError::MatmulInner {
            lhs: lhs.to_vec(),
            rhs: rhs.to_vec(),
        });
    }
    let lb = &lhs[..lhs.len().saturating_sub(2)];
    let rb = &rhs[..rhs.len().saturating_sub(2)];
    let mut out = broadcast_shapes(lb, rb).map_err(|_| OpError::MatmulBatch {
        lhs: lhs.to_vec(),
        rhs: rhs.to_vec(),
    })?;
    out.extend(m);
    out.extend(n);
    Ok(out)
}

/// Evaluates `lhs @ rhs`.
pub fn matmul(lhs: &Array, rhs: &Array) -> OpResult<Array> {
    let out_shape = matmul_shape(lhs.shape(), rhs.shape())?;
    let dtype = promote(lhs.dtype(), false, rhs.dtype(), false);
    Ok(match dtype {
        // NumPy's bool matmul is "any of the ands": compute in int64, where
        // overflow is impossible for counts, and compare with zero.
        DType::Bool => {
            let r = matmul(&lhs.widen(DType::Int64), &rhs.widen(DType::Int64))?;
            Array::Bool(r.to_i64_array().expect("int").mapv(|v| v != 0))
        }
        DType::Int64 => {
            let (a, b) = (
                lhs.to_i64_array().expect("widen"),
                rhs.to_i64_array().expect("widen"),
            );
            let mut ok = true;
            let r = batched(&a, &b, &out_shape, |x, y, z| {
                ok &= kernel::matmul_i64(x, y, z)
            })?;
            if !ok {
                return Err(OpError::overflow("matmul"));
            }
            Array::Int(r)
        }
        DType::Float32 => {
            let (Array::F32(a), Array::F32(b)) = (lhs.widen(dtype), rhs.widen(dtype)) else {
                unreachable!()
            };
            Array::F32(batched(&a, &b, &out_shape, |x, y, mut z| {
                general_mat_mul(1.0, &x, &y, 0.0, &mut z)
            })?)
        }
        DType::Float64 => {
            let (Array::F64(a), Array::F64(b)) = (lhs.widen(dtype), rhs.widen(dtype)) else {
                unreachable!()
            };
            Array::F64(batched(&a, &b, &out_shape, |x, y, mut z| {
                general_mat_mul(1.0, &x, &y, 0.0, &mut z)
            })?)
        }
        DType::Complex128 => {
            let (a, b) = (lhs.to_c64_array(), rhs.to_c64_array());
            let one = C64::new(1.0, 0.0);
            let zero = C64::new(0.0, 0.0);
            Array::C128(batched(&a, &b, &out_shape, |x, y, mut z| {
                general_mat_mul(one, &x, &y, zero, &mut z)
            })?)
        }
    })
}

/// Runs a 2-D kernel over every batch entry. Shapes were checked by
/// `matmul_shape`; vectors are viewed as 1×k or k×1 matrices.
fn batched<T: Copy + Default>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    out_shape: &[usize],
    mut kernel: impl FnMut(ArrayView2<T>, ArrayView2<T>, ndarray::ArrayViewMut2<T>),
) -> OpResult<ArrayD<T>> {
    let a2 = if a.ndim() == 1 {
        a.view().insert_axis(Axis(0))
    } else {
        a.view()
    };
    let b2 = if b.ndim() == 1 {
        b.view().insert_axis(Axis(1))
    } else {
        b.view()
    };
    let (m, k) = (a2.shape()[a2.ndim() - 2], a2.shape()[a2.ndim() - 1]);
    let n = b2.shape()[b2.ndim() - 1];
    let matrix_axes = (a.ndim() >= 2) as usize + (b.ndim() >= 2) as usize;
    let batch = &out_shape[..out_shape.len() - matrix_axes];
    let full = |tail: [usize; 2]| [batch, &tail[..]].concat();
    let a3 = a2
        .broadcast(IxDyn(&full([m, k])))
        .expect("batch shape was checked by matmul_shape");
    let b3 = b2
        .broadcast(IxDyn(&full([k, n])))
        .expect("batch shape was checked by matmul_shape");
    let mut out = ArrayD::from_elem(IxDyn(&full([m, n])), T::default());
    // Big products run in panels of rows so a cancel request is seen
    // between panels (about 2^24 multiply-adds each).
    let panel = (PANEL_WORK / (k * n).max(1)).max(1);
    for idx in ndarray::indices(IxDyn(batch)) {
        let mut av = a3.view();
        let mut bv = b3.view();
        let mut ov = out.view_mut();
        for &i in idx.slice() {
            av = av.index_axis_move(Axis(0), i);
            bv = bv.index_axis_move(Axis(0), i);
            ov = ov.index_axis_move(Axis(0), i);
        }
        let a2 = av.into_dimensionality::<Ix2>().expect("2-D");
        let b2 = bv.into_dimensionality::<Ix2>().expect("2-D");
        let mut o2 = ov.into_dimensionality::<Ix2>().expect("2-D");
        let mut start = 0;
        while start < m {
            cancel::check()?;
            let end = (start + panel).min(m);
            kernel(
                a2.slice(s![start..end, ..]),
                b2.view(),
                o2.slice_mut(s![start..end, ..]),
            );
            start = end;
        }
    }
    Ok(out
        .into_shape_with_order(IxDyn(out_shape))
        .expect("same number of elements"))
}

/// Multiply-adds between two looks at the cancel flag.
const PANEL_WORK: usize = 1 << 24;
