//! Householder bidiagonalization of a real m×n matrix (m ≥ n) in panels
//! (LAPACK's dgebrd with dlabrd), the first and largest step of `svd`.
//! faer's own reduction is unblocked: every column applies the last rank-2
//! update to the whole trailing matrix and reads it again twice for the
//! next two products (perf: 85% of a 2048×2048 `svd` on one thread). Here
//! the trailing matrix stays as it was at the panel's start; a column reads
//! it once, in one pass that computes `g = Aᵀu` column by column and, with
//! each column still in cache, adds that column times the new row's entry
//! to `w = A r` (the new row `r = h - β g` is known entry by entry as soon
//! as its column's dot product is, so `A v` needs no second pass). The
//! panel's earlier columns enter through thin corrections, and a panel's
//! `NB` updates go into the trailing matrix together, as one product on the
//! team (`float::sub_product`). The pass is split by columns between the
//! team's threads for large trailing matrices.
//!
//! The result is laid out as faer's `bidiag_in_place` leaves it (diagonal,
//! superdiagonal, the column reflectors' essential parts below the
//! diagonal, the row reflectors' to the right of the superdiagonal, faer's
//! `tau`s), so faer's blocked back-transformations apply; the last
//! `CROSSOVER` columns are reduced by faer itself.

use std::sync::Mutex;

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::householder::make_householder_in_place;
use faer::linalg::svd::bidiag::{bidiag_in_place, bidiag_in_place_scratch};
use faer::{ColMut, Mat, MatMut, Par};

use super::dispatch::Isa;
use super::exec::Exec;
use super::tridiag::dot;

/// Columns per panel.
const NB: usize = 32;
/// Trailing matrices with this few columns are reduced by faer's loop.
const CROSSOVER: usize = 128;
/// Trailing matrices from this many elements have their pass split
/// between threads.
const PARALLEL_PASS: usize = 512 * 512;

/// Reduces the column-major m×n `a` (leading dimension m, m ≥ n) to upper
/// bidiagonal form `Qᵀ A P = B` in place, as faer's `bidiag_in_place` with
/// one row of factors: `tl[k]` (n of them) and `tr[k]` (n - 1) are the
/// left and right reflectors' τ (`H = I - v vᵀ / τ`, ∞: no reflection).
pub fn bidiagonalize(
    exec: &Exec,
    a: &mut [f64],
    m: usize,
    n: usize,
    tl: &mut [f64],
    tr: &mut [f64],
) {
    assert!(m >= n && a.len() == m * n && tl.len() == n && tr.len() + 1 == n.max(1));
    let mut j0 = 0;
    while n - j0 > CROSSOVER {
        panel(exec, a, m, n, j0, tl, tr);
        j0 += NB;
    }
    let (mm, nn) = (m - j0, n - j0);
    if nn == 0 {
        return;
    }
    let mut hl = Mat::<f64>::zeros(1, nn);
    let mut hr = Mat::<f64>::zeros(1, nn - 1);
    let par = Par::Seq;
    let mut buf = MemBuffer::new(bidiag_in_place_scratch::<f64>(
        mm,
        nn,
        par,
        Default::default(),
    ));
    let whole = MatMut::from_column_major_slice_mut(a, m, n);
    bidiag_in_place(
        whole.submatrix_mut(j0, j0, mm, nn),
        hl.as_mut(),
        hr.as_mut(),
        par,
        MemStack::new(&mut buf),
        Default::default(),
    );
    for k in 0..nn {
        tl[j0 + k] = hl[(0, k)];
    }
    for k in 0..nn - 1 {
        tr[j0 + k] = hr[(0, k)];
    }
}

fn recip(tau: f64) -> f64 {
    if tau.is_finite() { tau.recip() } else { 0.0 }
}

/// Columns j0..j0+NB (NB + 1 < n - j0) and the update of the trailing
/// matrix they leave. Local coordinates: rows j0..m, columns j0..n.
fn panel(
    exec: &Exec,
    a: &mut [f64],
    m: usize,
    n: usize,
    j0: usize,
    tl: &mut [f64],
    tr: &mut [f64],
) {
    let nb = NB;
    let (mm, nn) = (m - j0, n - j0);
    let at = j0 * m + j0;
    let idx = |r: usize, c: usize| at + c * m + r;
    // X (mm×nb), Y and V's rows (nn×nb), column-major.
    let mut x = vec![0.0f64; mm * nb];
    let mut y = vec![0.0f64; nn * nb];
    let mut vt = vec![0.0f64; nn * nb];
    let (mut d, mut e) = (vec![0.0f64; nb], vec![0.0f64; nb]);
    let (mut t1, mut t2) = (vec![0.0f64; nb], vec![0.0f64; nb]);
    let mut row = vec![0.0f64; nn];
    let mut g = vec![0.0f64; nn];
    let mut w = vec![0.0f64; mm];
    let mut xi = vec![0.0f64; mm];
    for i in 0..nb {
        // Column i (rows i..mm) gets the panel's earlier updates.
        for p in 0..i {
            let (yi, vi) = (y[p * nn + i], vt[p * nn + i]);
            let (c0, u0) = (idx(i, i), idx(i, p));
            for r in 0..mm - i {
                a[c0 + r] -= a[u0 + r] * yi + x[p * mm + i + r] * vi;
            }
        }
        // The left reflector, zeroing rows i+1..mm of column i.
        let (c0, c1) = (idx(i, i), idx(mm, i));
        let (head, tail) = a[c0..c1].split_first_mut().expect("i < mm");
        let info = make_householder_in_place(head, ColMut::from_slice_mut(tail));
        tl[j0 + i] = info.tau;
        let bq = recip(info.tau);
        d[i] = a[c0];
        a[c0] = 1.0;
        let s = nn - i - 1;
        let len = mm - i;
        // t1 = Uᵀu, t2 = Xᵀu; h = row i as updated so far + β (Y t1 + V t2).
        for p in 0..i {
            let u = &a[c0..c1];
            t1[p] = dot(&a[idx(i, p)..idx(mm, p)], u);
            t2[p] = dot(&x[p * mm + i..(p + 1) * mm], u);
        }
        for j in 0..s {
            row[j] = a[idx(i, i + 1 + j)];
        }
        for p in 0..i {
            let (uip, xip) = (a[idx(i, p)], x[p * mm + i]);
            let (c1p, c2p) = (bq * t1[p] - uip, bq * t2[p] - xip);
            let (yp, vp) = (
                &y[p * nn + i + 1..(p + 1) * nn],
                &vt[p * nn + i + 1..(p + 1) * nn],
            );
            for j in 0..s {
                row[j] += yp[j] * c1p + vp[j] * c2p;
            }
        }
        // The pass: g = Aᵀu, r = h - β g, w = A r over columns i+2.. .
        pass(
            exec,
            a,
            m,
            idx(i, i + 1),
            len,
            s,
            c0,
            bq,
            &mut row[..s],
            &mut g[..s],
            &mut w[..len],
        );
        // Y's column i: β (g - Y t1 - V t2).
        for p in 0..i {
            let (yp, vp) = (
                &y[p * nn + i + 1..(p + 1) * nn],
                &vt[p * nn + i + 1..(p + 1) * nn],
            );
            let (a1, a2) = (t1[p], t2[p]);
            for j in 0..s {
                g[j] -= yp[j] * a1 + vp[j] * a2;
            }
        }
        for j in 0..s {
            y[i * nn + i + 1 + j] = g[j] * bq;
        }
        // The right reflector, zeroing row i beyond column i+1: v = c·r
        // below its head, so A v = A's column i+1 + c·w.
        let r0 = row[0];
        let (head, tail) = row[..s].split_first_mut().expect("s > 0");
        let info = make_householder_in_place(head, ColMut::from_slice_mut(tail));
        tr[j0 + i] = info.tau;
        let bp = recip(info.tau);
        e[i] = row[0];
        let c = if info.tau.is_finite() {
            (r0 - row[0]).recip()
        } else {
            0.0
        };
        row[0] = 1.0;
        for j in 0..s {
            a[idx(i, i + 1 + j)] = row[j];
            vt[i * nn + i + 1 + j] = row[j];
        }
        // X's column i (rows i+1..mm): β (A v - U (Yᵀv) - X (Vᵀv)).
        let rr = mm - i - 1;
        let v = &row[..s];
        let a1 = idx(i + 1, i + 1);
        for q in 0..rr {
            xi[q] = a[a1 + q] + c * w[q + 1];
        }
        for p in 0..=i {
            let tp = dot(&y[p * nn + i + 1..(p + 1) * nn], v);
            let u0 = idx(i + 1, p);
            for q in 0..rr {
                xi[q] -= a[u0 + q] * tp;
            }
        }
        for p in 0..i {
            let tp = dot(&vt[p * nn + i + 1..(p + 1) * nn], v);
            for q in 0..rr {
                xi[q] -= x[p * mm + i + 1 + q] * tp;
            }
        }
        for q in 0..rr {
            x[i * mm + i + 1 + q] = xi[q] * bp;
        }
    }
    // The trailing matrix (rows j0+nb..m, columns j0+nb..n):
    // A -= U Yᵀ + X Vᵀ = [U X] · [Y V]ᵀ, one product.
    let (r, s) = (mm - nb, nn - nb);
    let mut ux = vec![0.0f64; r * 2 * nb];
    // [Y V] with [U X]'s leading dimension r (r ≥ s; rows s..r unused),
    // as the two operands share their strides.
    let mut yv = vec![0.0f64; r * 2 * nb];
    for p in 0..nb {
        ux[p * r..(p + 1) * r].copy_from_slice(&a[idx(nb, p)..idx(mm, p)]);
        ux[(nb + p) * r..(nb + p + 1) * r].copy_from_slice(&x[p * mm + nb..(p + 1) * mm]);
        yv[p * r..p * r + s].copy_from_slice(&y[p * nn + nb..(p + 1) * nn]);
        yv[(nb + p) * r..(nb + p) * r + s].copy_from_slice(&vt[p * nn + nb..(p + 1) * nn]);
    }
    let start = idx(nb, nb);
    // SAFETY: `ux` (r×2nb) and the first s rows of `yv` (s×2nb) are
    // column-major with leading dimension r (strides 1 and r); the
    // trailing block is rows and columns nb.. of the local matrix in the
    // column-major `a` (r×s, strides 1 and m), a different allocation;
    // nothing else touches them during the call.
    unsafe {
        super::float::sub_product(
            exec,
            (ux.as_ptr(), yv.as_ptr(), (1, r as isize)),
            (a.as_mut_ptr().add(start), (1, m as isize)),
            (r, s, 2 * nb),
        );
    }
    for i in 0..nb {
        a[idx(i, i)] = d[i];
        a[idx(i, i + 1)] = e[i];
    }
}

/// One pass over the s columns of length `len` starting at `base` in `a`
/// (leading dimension m), with `u` = a[u_at..u_at+len]: `g[j]` = column
/// j · u, `row[j]` becomes h_j - β g[j] (it holds h on entry), and `w` =
/// Σ_{j ≥ 1} column j · row[j]. Split by columns between the team's
/// threads when large, each summing into its own `w`.
#[allow(clippy::too_many_arguments)]
fn pass(
    exec: &Exec,
    a: &[f64],
    m: usize,
    base: usize,
    len: usize,
    s: usize,
    u_at: usize,
    beta: f64,
    row: &mut [f64],
    g: &mut [f64],
    w: &mut [f64],
) {
    let isa = exec.isa();
    let u = &a[u_at..u_at + len];
    let threads = exec.threads();
    if threads <= 1 || len * s < PARALLEL_PASS {
        w.fill(0.0);
        columns(isa, a, m, base, len, u, beta, 0, row, g, w);
        return;
    }
    let parts = 2 * threads;
    let chunk = s.div_ceil(parts);
    let h: &[f64] = row;
    let results: Vec<Mutex<Part>> = (0..parts).map(|_| Mutex::new(Default::default())).collect();
    let part = |t: usize| {
        let (from, to) = ((t * chunk).min(s), ((t + 1) * chunk).min(s));
        let mut r = h[from..to].to_vec();
        let mut gg = vec![0.0f64; to - from];
        let mut ww = vec![0.0f64; len];
        columns(
            isa,
            a,
            m,
            base + from * m,
            len,
            u,
            beta,
            from,
            &mut r,
            &mut gg,
            &mut ww,
        );
        *results[t].lock().unwrap_or_else(|e| e.into_inner()) = (r, gg, ww);
    };
    exec.on_team_chunks(threads, parts, &part);
    w.fill(0.0);
    for (t, res) in results.into_iter().enumerate() {
        let (r, gg, ww) = res.into_inner().unwrap_or_else(|e| e.into_inner());
        let from = (t * chunk).min(s);
        row[from..from + r.len()].copy_from_slice(&r);
        g[from..from + gg.len()].copy_from_slice(&gg);
        for (o, v) in w.iter_mut().zip(ww) {
            *o += v;
        }
    }
}

/// One part's share of a pass: its new row entries, its g, its own w.
type Part = (Vec<f64>, Vec<f64>, Vec<f64>);

/// `pass` over the columns of one part; `first` is the index of its first
/// column in the whole pass (column 0 stays out of `w`). Compiled again
/// for the CPU's vector instructions.
#[allow(clippy::too_many_arguments)]
fn columns(
    isa: Isa,
    a: &[f64],
    m: usize,
    base: usize,
    len: usize,
    u: &[f64],
    beta: f64,
    first: usize,
    row: &mut [f64],
    g: &mut [f64],
    w: &mut [f64],
) {
    let args = Cols {
        a,
        m,
        base,
        len,
        u,
        beta,
        first,
    };
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `isa` comes from `Exec::isa`, which names Avx512 only after
        // `is_x86_feature_detected!` confirmed avx512f, avx512dq and avx512vl.
        Isa::Avx512 => unsafe { x86::columns_avx512(&args, row, g, w) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above: avx2 and fma were detected at run time.
        Isa::Avx2Fma => unsafe { x86::columns_avx2(&args, row, g, w) },
        _ => columns_body(&args, row, g, w),
    }
}

/// The read-only inputs of `columns`.
struct Cols<'a> {
    a: &'a [f64],
    m: usize,
    base: usize,
    len: usize,
    u: &'a [f64],
    beta: f64,
    first: usize,
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{Cols, columns_body};

    #[target_feature(enable = "avx512f,avx512dq,avx512vl")]
    pub(super) unsafe fn columns_avx512(c: &Cols, row: &mut [f64], g: &mut [f64], w: &mut [f64]) {
        columns_body(c, row, g, w)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn columns_avx2(c: &Cols, row: &mut [f64], g: &mut [f64], w: &mut [f64]) {
        columns_body(c, row, g, w)
    }
}

/// Four columns at a time: their dot products with `u` in one sweep (u
/// read once for four, four streams from memory in flight), then their
/// contributions to `w` in another, while they are still in cache.
#[inline(always)]
fn columns_body(c: &Cols, row: &mut [f64], g: &mut [f64], w: &mut [f64]) {
    let (a, m, len, u) = (c.a, c.m, c.len, &c.u[..c.len]);
    let s = row.len().min(g.len());
    let col = |j: usize| &a[c.base + j * m..c.base + j * m + len];
    let mut j = 0;
    while j + 4 <= s {
        let cs = [col(j), col(j + 1), col(j + 2), col(j + 3)];
        let d = dot4(cs, u);
        let mut coef = [0.0f64; 4];
        for k in 0..4 {
            g[j + k] = d[k];
            row[j + k] -= c.beta * d[k];
            coef[k] = if c.first + j + k == 0 {
                0.0
            } else {
                row[j + k]
            };
        }
        axpy4(w, cs, coef);
        j += 4;
    }
    while j < s {
        let cj = col(j);
        g[j] = dot(cj, u);
        row[j] -= c.beta * g[j];
        if c.first + j > 0 {
            let r = row[j];
            for (o, &v) in w.iter_mut().zip(cj) {
                *o = v.mul_add(r, *o);
            }
        }
        j += 1;
    }
}

#[inline(always)]
fn dot4(c: [&[f64]; 4], u: &[f64]) -> [f64; 4] {
    const L: usize = 8;
    let n = u.len();
    let mut acc = [[0.0f64; L]; 4];
    let mut uc = u.chunks_exact(L);
    let mut k0 = c[0][..n].chunks_exact(L);
    let mut k1 = c[1][..n].chunks_exact(L);
    let mut k2 = c[2][..n].chunks_exact(L);
    let mut k3 = c[3][..n].chunks_exact(L);
    for ((((ub, b0), b1), b2), b3) in (&mut uc)
        .zip(&mut k0)
        .zip(&mut k1)
        .zip(&mut k2)
        .zip(&mut k3)
    {
        for l in 0..L {
            acc[0][l] = b0[l].mul_add(ub[l], acc[0][l]);
            acc[1][l] = b1[l].mul_add(ub[l], acc[1][l]);
            acc[2][l] = b2[l].mul_add(ub[l], acc[2][l]);
            acc[3][l] = b3[l].mul_add(ub[l], acc[3][l]);
        }
    }
    let full = n / L * L;
    let mut out = [0.0f64; 4];
    for k in 0..4 {
        out[k] = acc[k].iter().sum::<f64>()
            + c[k][full..n]
                .iter()
                .zip(&u[full..])
                .map(|(x, y)| x * y)
                .sum::<f64>();
    }
    out
}

#[inline(always)]
fn axpy4(y: &mut [f64], c: [&[f64]; 4], a: [f64; 4]) {
    let n = y.len();
    let (c0, c1, c2, c3) = (&c[0][..n], &c[1][..n], &c[2][..n], &c[3][..n]);
    for r in 0..n {
        y[r] = c3[r].mul_add(
            a[3],
            c2[r].mul_add(a[2], c1[r].mul_add(a[1], c0[r].mul_add(a[0], y[r]))),
        );
    }
}
