//! int64 matrix products that report overflow instead of wrapping. No crate
//! multiplies integers, so these are our own. Three tiers, chosen from a
//! bound computed before any arithmetic: every partial sum of
//! `sum_p a[i,p]*b[p,j]` is at most `k * max|a| * max|b|` in magnitude, so
//!
//! * bound < 2^53: every product and partial sum is an integer that float64
//!   represents exactly, so the float64 SIMD product is exact (`exact_f64`);
//! * bound < 2^63: no partial sum can overflow in any order, so a blocked
//!   wrapping kernel (`blocked`) gives the exact answer;
//! * otherwise the checked loop (`checked`) decides, in the i-k-j order.
//!
//! Each tier gives the answer (or the overflow) the checked loop gives.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis, s};

use super::dispatch::Isa;
use super::exec::Exec;
use super::float::{self, MatRef};

/// `c = a @ b`. Returns `false` on overflow (then `c` holds garbage).
pub fn matmul_i64(
    exec: &Exec,
    a: ArrayView2<i64>,
    b: ArrayView2<i64>,
    c: ArrayViewMut2<i64>,
) -> bool {
    let (m, k) = a.dim();
    if m * k * b.dim().1 <= SMALL {
        // Tiny products: the checked loop costs less than any set-up.
        return checked(a, b, c);
    }
    let bound = u128::from(max_abs(a)) * u128::from(max_abs(b)) * k as u128;
    if bound < 1 << 53 && exec.isa() != Isa::Portable {
        exact_f64(exec, a, b, c);
        true
    } else if bound < 1 << 63 {
        blocked(exec, a, b, c);
        true
    } else {
        checked(a, b, c)
    }
}

fn max_abs(a: ArrayView2<i64>) -> u64 {
    a.iter().fold(0, |m, &v| m.max(v.unsigned_abs()))
}

/// Through float64: exact when the bound is below 2^53 (see the module docs).
pub fn exact_f64(exec: &Exec, a: ArrayView2<i64>, b: ArrayView2<i64>, mut c: ArrayViewMut2<i64>) {
    let af: Array2<f64> = a.mapv(|v| v as f64);
    let bf: Array2<f64> = b.mapv(|v| v as f64);
    let mut cf = Array2::<f64>::zeros(c.dim());
    float::matmul(
        exec,
        MatRef::new(af.view()),
        MatRef::new(bf.view()),
        cf.view_mut(),
    );
    c.zip_mut_with(&cf, |d, &v| *d = v as i64);
}

/// The reference: i-k-j with every multiply and add checked.
pub fn checked(a: ArrayView2<i64>, b: ArrayView2<i64>, mut c: ArrayViewMut2<i64>) -> bool {
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

/// Products with at most this many multiply-adds use the checked loop.
const SMALL: usize = 16 * 16 * 16;
/// Rows of `c` per micro-tile, columns per micro-tile, depth per packed block.
const MR: usize = 4;
const NR: usize = 16;
const KC: usize = 256;
/// Row blocks handed to one thread.
const ROWS_PER_TASK: usize = 64;

/// The wrapping kernel, exact when the caller checked the bound: `b` is
/// packed in KC×NR panels, `a` in MR×KC strips, and an MR×NR block of
/// accumulators stays in registers across the depth.
pub fn blocked(exec: &Exec, a: ArrayView2<i64>, b: ArrayView2<i64>, mut c: ArrayViewMut2<i64>) {
    let (m, k) = a.dim();
    let n = b.dim().1;
    c.fill(0);
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    let panels = n.div_ceil(NR);
    let mut bp = vec![0i64; panels * KC * NR];
    let par = exec.threads() > 1 && m * n * k >= 1 << 21 && m > ROWS_PER_TASK;
    let isa = exec.isa();
    for pc in (0..k).step_by(KC) {
        let kc = KC.min(k - pc);
        pack_b(b.slice(s![pc..pc + kc, ..]), &mut bp, kc);
        let a_blk = a.slice(s![.., pc..pc + kc]);
        let bp = &bp[..];
        if par {
            exec.with_pool(|| {
                rayon::scope(|sc| {
                    for (ci, ai) in c
                        .axis_chunks_iter_mut(Axis(0), ROWS_PER_TASK)
                        .zip(a_blk.axis_chunks_iter(Axis(0), ROWS_PER_TASK))
                    {
                        sc.spawn(move |_| rows(isa, ai, bp, ci, kc));
                    }
                })
            });
        } else {
            rows(isa, a_blk, bp, c.view_mut(), kc);
        }
    }
}

/// Packs `b` (kc×n) as panels of NR columns, each kc rows of NR values,
/// padding the last panel with zeros.
fn pack_b(b: ArrayView2<i64>, bp: &mut [i64], kc: usize) {
    let n = b.dim().1;
    for (jp, panel) in bp.chunks_exact_mut(KC * NR).enumerate() {
        let j0 = jp * NR;
        if j0 >= n {
            break;
        }
        let w = NR.min(n - j0);
        for p in 0..kc {
            let dst = &mut panel[p * NR..(p + 1) * NR];
            for (jj, d) in dst.iter_mut().enumerate() {
                *d = if jj < w { b[[p, j0 + jj]] } else { 0 };
            }
        }
    }
}

/// Adds `a @ b_packed` into the rows of `c` (any number of rows).
fn rows(isa: Isa, a: ArrayView2<i64>, bp: &[i64], mut c: ArrayViewMut2<i64>, kc: usize) {
    let (m, n) = c.dim();
    let mut ap = [0i64; MR * KC];
    for i0 in (0..m).step_by(MR) {
        let h = MR.min(m - i0);
        for p in 0..kc {
            for r in 0..MR {
                ap[p * MR + r] = if r < h { a[[i0 + r, p]] } else { 0 };
            }
        }
        for (jp, panel) in bp.chunks_exact(KC * NR).enumerate() {
            let j0 = jp * NR;
            if j0 >= n {
                break;
            }
            let acc = tile(isa, &ap[..kc * MR], &panel[..kc * NR]);
            let w = NR.min(n - j0);
            for (r, acc_row) in acc.iter().enumerate().take(h) {
                let mut crow = c.row_mut(i0 + r);
                for (jj, &v) in acc_row.iter().enumerate().take(w) {
                    let d = &mut crow[j0 + jj];
                    *d = d.wrapping_add(v);
                }
            }
        }
    }
}

/// One MR×NR tile over the packed depth, for the CPU's best instruction set.
fn tile(isa: Isa, ap: &[i64], bp: &[i64]) -> [[i64; NR]; MR] {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `isa` comes from `Exec::isa`, which names Avx512 only after
        // `is_x86_feature_detected!` confirmed avx512f, avx512dq and avx512vl
        // on this CPU (`Exec::new` lowers anything the CPU lacks).
        Isa::Avx512 => unsafe { x86::tile_avx512(ap, bp) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `isa` comes from `Exec::isa`, which names Avx2Fma only after
        // `is_x86_feature_detected!` confirmed avx2 and fma on this CPU.
        Isa::Avx2Fma => unsafe { x86::tile_avx2(ap, bp) },
        _ => tile_generic(ap, bp),
    }
}

/// The tile body, inlined into each `#[target_feature]` entry point.
#[inline(always)]
fn tile_generic(ap: &[i64], bp: &[i64]) -> [[i64; NR]; MR] {
    let mut acc = [[0i64; NR]; MR];
    for (av, bv) in ap.chunks_exact(MR).zip(bp.chunks_exact(NR)) {
        for (acc_row, &x) in acc.iter_mut().zip(av) {
            for (s, &y) in acc_row.iter_mut().zip(bv) {
                *s = s.wrapping_add(x.wrapping_mul(y));
            }
        }
    }
    acc
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{MR, NR, tile_generic};

    #[target_feature(enable = "avx512f,avx512dq,avx512vl")]
    pub(super) fn tile_avx512(ap: &[i64], bp: &[i64]) -> [[i64; NR]; MR] {
        tile_generic(ap, bp)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn tile_avx2(ap: &[i64], bp: &[i64]) -> [[i64; NR]; MR] {
        tile_generic(ap, bp)
    }
}
