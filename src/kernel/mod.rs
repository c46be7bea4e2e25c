//! Compute kernels. Floating-point products go through ndarray's
//! `general_mat_mul` (the `matrixmultiply` crate: SIMD, BLAS-free); integer
//! products have their own kernel because no crate checks for overflow.

use ndarray::{ArrayView2, ArrayViewMut2};

/// `c = a @ b` for int64, refusing to wrap. Returns `false` on overflow.
/// The i-k-j loop order walks `b` and `c` along rows, which is the
/// cache-friendly order for row-major data.
pub fn matmul_i64(a: ArrayView2<i64>, b: ArrayView2<i64>, mut c: ArrayViewMut2<i64>) -> bool {
    let (m, k) = a.dim();
    let n = b.dim().1;
    c.fill(0);
    for i in 0..m {
        let mut crow = c.row_mut(i);
        for p in 0..k {
            let aip = a[[i, p]];
            if aip == 0 {
                continue;
            }
            let brow = b.row(p);
            for j in 0..n {
                let Some(prod) = aip.checked_mul(brow[j]) else {
                    return false;
                };
                let Some(sum) = crow[j].checked_add(prod) else {
                    return false;
                };
                crow[j] = sum;
            }
        }
    }
    true
}

pub mod linalg;
pub mod linalg_exact;
