//! Householder tridiagonalization of a real symmetric matrix in panels
//! (LAPACK's dsytrd with dlatrd), the first and largest step of `eigh`.
//! faer's own reduction is unblocked: for every column it applies the last
//! rank-2 update to the whole trailing triangle and reads it again for the
//! next product, so the triangle goes through memory twice per column (perf:
//! 1.5 s of a 2.9 s 2048×2048 `eigh` on one thread, all in that loop). Here
//! a column reads the trailing triangle once, in a symmetric matrix-vector
//! product (`symv_lower`, split between the team's threads), the updates of
//! the panel's earlier columns are applied to that product as two thin
//! corrections, and a panel's `NB` rank-2 updates go into the trailing
//! triangle together, as one product on the team (`sub_product_lower`).
//!
//! The result is laid out as faer's `tridiag_in_place` leaves it (diagonal,
//! subdiagonal, the reflectors' essential parts below it, faer's `tau`), so
//! faer's tridiagonal eigensolver and its blocked back-transformation take
//! it from there; the last `CROSSOVER` columns, which fit in cache, are
//! reduced by faer itself.

use std::sync::Mutex;

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::tridiag::{tridiag_in_place, tridiag_in_place_scratch};
use faer::linalg::householder::make_householder_in_place;
use faer::{ColMut, Mat, MatMut, Par};

use super::dispatch::Isa;
use super::exec::Exec;

/// Columns per panel.
const NB: usize = 32;
/// Trailing matrices this small are reduced by faer's unblocked loop.
const CROSSOVER: usize = 128;
/// Trailing sizes from which a column's product is split between threads.
const PARALLEL_SYMV: usize = 640;

/// Reduces the symmetric n×n matrix whose lower triangle is in the
/// column-major `a` (leading dimension n; the strict upper triangle is
/// neither read nor written) to tridiagonal form `Qᵀ A Q = T`, in place:
/// afterwards `a` holds T's diagonal and subdiagonal, and below the
/// subdiagonal the essential parts of the reflectors `H_k = I - v vᵀ / τ_k`
/// (v's first element, a one, implied), with `tau[k]` = τ_k (∞: no
/// reflection), as faer's `tridiag_in_place` with one row of factors.
pub fn tridiagonalize(exec: &Exec, a: &mut [f64], n: usize, tau: &mut [f64]) {
    assert!(a.len() == n * n && tau.len() + 1 >= n);
    let mut j0 = 0;
    while n - j0 > CROSSOVER {
        panel(exec, a, n, j0, NB, tau);
        j0 += NB;
    }
    let m = n - j0;
    if m == 0 {
        return;
    }
    let mut h = Mat::<f64>::zeros(1, m - 1);
    let par = Par::Seq;
    let mut buf = MemBuffer::new(tridiag_in_place_scratch::<f64>(m, par, Default::default()));
    let whole = MatMut::from_column_major_slice_mut(a, n, n);
    tridiag_in_place(
        whole.submatrix_mut(j0, j0, m, m),
        h.as_mut(),
        par,
        MemStack::new(&mut buf),
        Default::default(),
    );
    for k in 0..m - 1 {
        tau[j0 + k] = h[(0, k)];
    }
}

/// Columns j0..j0+nb (nb + 1 < n - j0) and the update of the trailing
/// triangle they leave.
fn panel(exec: &Exec, a: &mut [f64], n: usize, j0: usize, nb: usize, tau: &mut [f64]) {
    let m = n - j0;
    // V and W side by side, column-major with leading dimension m (rows
    // j0..n of the matrix): V's columns 0..nb, W's nb..2nb.
    let mut vw = vec![0.0f64; m * 2 * nb];
    let mut u = vec![0.0f64; m];
    let mut t = vec![0.0f64; 2 * nb];
    for i in 0..nb {
        let c = j0 + i;
        let col = c * n + j0;
        // Column c gets the panel's earlier rank-2 updates (rows c..n).
        {
            let (v, w) = vw.split_at(m * nb);
            for p in 0..i {
                let (vp, wp) = (&v[p * m..(p + 1) * m], &w[p * m..(p + 1) * m]);
                let (wi, vi) = (wp[i], vp[i]);
                for (r, x) in a[col + i..col + m].iter_mut().enumerate() {
                    *x -= vp[i + r] * wi + wp[i + r] * vi;
                }
            }
        }
        // The reflector that zeroes rows c+2..n of column c.
        let (head, tail) = a[col + i + 1..col + m]
            .split_first_mut()
            .expect("nb + 1 < m");
        let info = make_householder_in_place(head, ColMut::from_slice_mut(tail));
        tau[c] = info.tau;
        let beta = if info.tau.is_finite() {
            info.tau.recip()
        } else {
            0.0
        };
        // v, in V's column i: zero above row i+1, one there, then the tail.
        let s = m - i - 1;
        {
            let v = &mut vw[i * m..(i + 1) * m];
            v[i + 1] = 1.0;
            v[i + 2..].copy_from_slice(&a[col + i + 2..col + m]);
        }
        // u = A22 v over the trailing triangle as it was at the panel's
        // start, then the panel's updates: u -= V (Wᵀ v) + W (Vᵀ v).
        let x = &vw[i * m + i + 1..(i + 1) * m];
        symv_lower(exec, a, n, c + 1, s, x, &mut u[..s]);
        let (v, w) = vw.split_at(m * nb);
        for p in 0..i {
            let (vp, wp) = (
                &v[p * m + i + 1..(p + 1) * m],
                &w[p * m + i + 1..(p + 1) * m],
            );
            t[p] = dot(wp, x);
            t[nb + p] = dot(vp, x);
        }
        for p in 0..i {
            let (vp, wp) = (
                &v[p * m + i + 1..(p + 1) * m],
                &w[p * m + i + 1..(p + 1) * m],
            );
            let (tw, tv) = (t[p], t[nb + p]);
            for ((y, &vv), &ww) in u[..s].iter_mut().zip(vp).zip(wp) {
                *y -= vv * tw + ww * tv;
            }
        }
        // w = β u - (β² uᵀv / 2) v, in W's column i.
        let alpha = -0.5 * beta * beta * dot(&u[..s], x);
        let (v, w) = vw.split_at_mut(m * nb);
        let x = &v[i * m + i + 1..(i + 1) * m];
        for ((o, &y), &xv) in w[i * m + i + 1..(i + 1) * m].iter_mut().zip(&u[..s]).zip(x) {
            *o = beta * y + alpha * xv;
        }
    }
    // The trailing triangle (rows and columns j0+nb..n): A -= V Wᵀ + W Vᵀ,
    // i.e. [V W] · [W V]ᵀ, one product.
    let mut wv = vec![0.0f64; m * 2 * nb];
    wv[..m * nb].copy_from_slice(&vw[m * nb..]);
    wv[m * nb..].copy_from_slice(&vw[..m * nb]);
    let r = m - nb;
    let start = (j0 + nb) * n + j0 + nb;
    // SAFETY: `vw` and `wv` are m×2nb column-major buffers, read from row
    // nb on (r rows, 2nb columns, strides 1 and m); the trailing block is
    // rows and columns j0+nb..n of the n×n column-major `a` (strides 1 and
    // n), a different allocation; nothing else touches them meanwhile.
    unsafe {
        super::float::sub_product_lower(
            exec,
            (vw.as_ptr().add(nb), wv.as_ptr().add(nb), (1, m as isize)),
            (a.as_mut_ptr().add(start), (1, n as isize)),
            r,
            2 * nb,
            false,
        );
    }
}

/// `y = S x` for the s×s symmetric matrix whose lower triangle starts at
/// row and column `at` of the column-major `a` (leading dimension n): one
/// pass over the triangle. Large ones are split by columns between the
/// team's threads (balanced by the triangle's area), each summing into its
/// own vector.
fn symv_lower(exec: &Exec, a: &[f64], n: usize, at: usize, s: usize, x: &[f64], y: &mut [f64]) {
    let isa = exec.isa();
    let columns = |from: usize, to: usize, y: &mut [f64]| {
        for j in from..to {
            let col = &a[(at + j) * n + at + j..(at + j) * n + at + s];
            let (d, below) = col.split_first().expect("j < s");
            let xj = x[j];
            let (yj, y_below) = y[j..].split_first_mut().expect("j < s");
            *yj += d * xj + dot_axpy(isa, below, &x[j + 1..], y_below, xj);
        }
    };
    let threads = exec.threads();
    if threads <= 1 || s < PARALLEL_SYMV {
        y.fill(0.0);
        columns(0, s, y);
        return;
    }
    let parts = 2 * threads;
    // Column j's share of the triangle is s - j: boundaries where the
    // area before them is t/parts of the whole.
    let bound = |t: usize| {
        let f = t as f64 / parts as f64;
        (((1.0 - (1.0 - f).sqrt()) * s as f64) as usize).min(s)
    };
    let sums: Vec<Mutex<Vec<f64>>> = (0..parts).map(|_| Mutex::new(Vec::new())).collect();
    let part = |t: usize| {
        let (from, to) = (bound(t), if t + 1 == parts { s } else { bound(t + 1) });
        let mut mine = vec![0.0f64; s];
        columns(from, to, &mut mine);
        *sums[t].lock().unwrap_or_else(|e| e.into_inner()) = mine;
    };
    exec.on_team_chunks(threads, parts, &part);
    y.fill(0.0);
    for m in sums {
        let mine = m.into_inner().unwrap_or_else(|e| e.into_inner());
        for (o, v) in y.iter_mut().zip(mine) {
            *o += v;
        }
    }
}

/// `Σ a[i]·x[i]`, adding `a[i]·xj` to `y[i]` on the way: one column of a
/// symmetric product below its diagonal. Compiled again for the CPU's
/// vector instructions.
fn dot_axpy(isa: Isa, a: &[f64], x: &[f64], y: &mut [f64], xj: f64) -> f64 {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `isa` comes from `Exec::isa`, which names Avx512 only after
        // `is_x86_feature_detected!` confirmed avx512f, avx512dq and avx512vl.
        Isa::Avx512 => unsafe { x86::dot_axpy_avx512(a, x, y, xj) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above: avx2 and fma were detected at run time.
        Isa::Avx2Fma => unsafe { x86::dot_axpy_avx2(a, x, y, xj) },
        _ => dot_axpy_body(a, x, y, xj),
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::dot_axpy_body;

    #[target_feature(enable = "avx512f,avx512dq,avx512vl")]
    pub(super) unsafe fn dot_axpy_avx512(a: &[f64], x: &[f64], y: &mut [f64], xj: f64) -> f64 {
        dot_axpy_body(a, x, y, xj)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn dot_axpy_avx2(a: &[f64], x: &[f64], y: &mut [f64], xj: f64) -> f64 {
        dot_axpy_body(a, x, y, xj)
    }
}

/// Sixteen partial sums, so the compiler can keep them in vector registers
/// (floating-point addition is not reassociated for it).
#[inline(always)]
fn dot_axpy_body(a: &[f64], x: &[f64], y: &mut [f64], xj: f64) -> f64 {
    const L: usize = 16;
    let len = a.len().min(x.len()).min(y.len());
    let (a, x, y) = (&a[..len], &x[..len], &mut y[..len]);
    let mut acc = [0.0f64; L];
    let mut ac = a.chunks_exact(L);
    let mut xc = x.chunks_exact(L);
    let mut yc = y.chunks_exact_mut(L);
    for ((ab, xb), yb) in (&mut ac).zip(&mut xc).zip(&mut yc) {
        for l in 0..L {
            acc[l] += ab[l] * xb[l];
            yb[l] += ab[l] * xj;
        }
    }
    let mut total = 0.0;
    for ((&av, &xv), yv) in ac
        .remainder()
        .iter()
        .zip(xc.remainder())
        .zip(yc.into_remainder())
    {
        total += av * xv;
        *yv += av * xj;
    }
    total + acc.iter().sum::<f64>()
}

/// `Σ a[i]·b[i]` with eight partial sums (also `bidiag`'s thin products
/// and, inlined into its vector entry points, its column tails).
#[inline(always)]
pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let mut ac = a.chunks_exact(8);
    let mut bc = b.chunks_exact(8);
    for (x, y) in (&mut ac).zip(&mut bc) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let rest: f64 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    rest + acc.iter().sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A symmetric matrix with a known spread of sizes, column-major.
    fn symmetric(n: usize, seed: u64) -> Vec<f64> {
        let mut state = seed;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        };
        let mut a = vec![0.0; n * n];
        for j in 0..n {
            for i in j..n {
                let v = next();
                a[j * n + i] = v;
                a[i * n + j] = v;
            }
        }
        a
    }

    /// Q from the reflectors (applied to the identity one by one) and the
    /// tridiagonal T, so that Qᵀ A Q = T can be checked element by element.
    fn q_and_t(r: &[f64], n: usize, tau: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut q = vec![0.0; n * n];
        for i in 0..n {
            q[i * n + i] = 1.0;
        }
        // Q = H_0 H_1 … H_{n-2}: apply from the last, on the left.
        for k in (0..n.saturating_sub(1)).rev() {
            if !tau[k].is_finite() {
                continue;
            }
            let mut v = vec![0.0; n];
            v[k + 1] = 1.0;
            v[k + 2..n].copy_from_slice(&r[k * n + k + 2..(k + 1) * n]);
            for j in 0..n {
                let d: f64 = (0..n).map(|i| v[i] * q[j * n + i]).sum::<f64>() / tau[k];
                for i in 0..n {
                    q[j * n + i] -= v[i] * d;
                }
            }
        }
        let mut t = vec![0.0; n * n];
        for i in 0..n {
            t[i * n + i] = r[i * n + i];
            if i + 1 < n {
                t[i * n + i + 1] = r[i * n + i + 1];
                t[(i + 1) * n + i] = r[i * n + i + 1];
            }
        }
        (q, t)
    }

    fn check(n: usize, threads: usize) {
        let a = symmetric(n, n as u64 + 7);
        let mut r = a.clone();
        // The strict upper triangle must not matter: poison it.
        for j in 0..n {
            for i in 0..j {
                r[j * n + i] = f64::NAN;
            }
        }
        let mut tau = vec![0.0; n.saturating_sub(1)];
        let exec = Exec::new(threads, Isa::detect());
        tridiagonalize(&exec, &mut r, n, &mut tau);
        let (q, t) = q_and_t(&r, n, &tau);
        // A Q = Q T, column by column.
        let mut worst = 0.0f64;
        for j in 0..n {
            for i in 0..n {
                let aq: f64 = (0..n).map(|p| a[p * n + i] * q[j * n + p]).sum();
                let qt: f64 = (0..n).map(|p| q[p * n + i] * t[j * n + p]).sum();
                worst = worst.max((aq - qt).abs());
            }
        }
        assert!(
            worst < 1e-11 * n as f64,
            "n = {n}, {threads} threads: |AQ - QT| = {worst:e}"
        );
    }

    #[test]
    fn panels_reduce_to_the_same_similar_tridiagonal_matrix() {
        // Below the crossover (faer alone), one panel and a remainder,
        // several panels with a parallel product.
        for (n, threads) in [
            (40, 1),
            (CROSSOVER + 5, 1),
            (CROSSOVER + 5, 2),
            (PARALLEL_SYMV + 30, 2),
        ] {
            check(n, threads);
        }
    }

    #[test]
    fn the_vector_paths_agree() {
        let isa = Isa::detect();
        for len in [0, 1, 15, 16, 17, 100] {
            let a: Vec<f64> = (0..len).map(|i| (i as f64 * 0.37).sin()).collect();
            let x: Vec<f64> = (0..len).map(|i| (i as f64 * 0.11).cos()).collect();
            let mut y1: Vec<f64> = (0..len).map(|i| i as f64).collect();
            let mut y2 = y1.clone();
            let d1 = dot_axpy(isa, &a, &x, &mut y1, 0.5);
            let d2 = dot_axpy_body(&a, &x, &mut y2, 0.5);
            let plain: f64 = a.iter().zip(&x).map(|(p, q)| p * q).sum();
            assert!((d1 - plain).abs() < 1e-12 && (d2 - plain).abs() < 1e-12);
            for i in 0..len {
                assert_eq!(y1[i], i as f64 + a[i] * 0.5);
                assert_eq!(y1[i], y2[i]);
            }
        }
    }
}
