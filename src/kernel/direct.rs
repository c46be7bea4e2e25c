//! Mid-size real matrix products (float32, float64) without packing, for
//! AVX-512: from 16³ to 96³ multiply-adds on one thread, where `b` and `c`
//! fit in L1/L2 and `gemm`'s packing and dispatch are a tenth of a product
//! (64×64 float64: 9.1 µs here against `gemm`'s 10.0, float32 4.8 against
//! 5.5, on Zen 4). Each tile of `c` (up to 8 rows × 4 vectors) is summed in
//! registers over the whole of `k`: a row of `b` is loaded straight from
//! `b`, each element of `a` broadcast from `a`; the columns past the last
//! whole vector are masked, so there are no edge loops.
//!
//! `b` and `c` must have unit column stride (any row stride); `a` any
//! strides (so `A' @ B` takes it too). Other layouts, complex numbers and
//! machines without AVX-512 stay on `gemm`.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

use super::dispatch::Isa;
use super::float::{Elem, MatMut, MatRef};

/// A direct kernel: `c = a @ b` for an m×k `a` at `a.0` with row and column
/// strides `a.1`, `a.2`, a k×n `b` at `b.0` with row stride `b.1` (unit
/// column stride) and an m×n `c` at `c.0` with row stride `c.1` (unit column
/// stride). Every element of `c` is written, none read.
///
/// # Safety
/// The CPU must have AVX-512F; the pointers with those strides must address
/// m×k, k×n and m×n elements inside live arrays (`c`'s may be
/// uninitialised), `c`'s aliasing neither of the others nor anything another
/// thread touches during the call.
pub type Kernel<T> =
    unsafe fn((usize, usize, usize), (*const T, isize, isize), (*const T, isize), (*mut T, isize));

/// Whether the direct kernel takes these operands and an output with column
/// stride `c_col`: real, unconjugated, unit column stride for `b` and `c`
/// (a single column has no column stride to speak of).
pub fn fits<T: Elem>(isa: Isa, a: &MatRef<'_, T>, b: &MatRef<'_, T>, c_col: isize) -> bool {
    let n = b.view.ncols();
    T::DIRECT.is_some()
        && isa == Isa::Avx512
        && !a.conj
        && !b.conj
        && (n == 1 || (b.view.strides()[1] == 1 && c_col == 1))
}

/// `c = a @ b` through the direct kernel whatever the size, when
/// [`fits`] says it may (this CPU, these layouts); `false` leaves `c`
/// untouched. For tests and measurements: `float::matmul` decides by size.
pub fn product<T: Elem>(
    isa: Isa,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    mut c: MatMut<'_, T>,
) -> bool {
    let (m, k) = a.view.dim();
    let n = b.view.ncols();
    assert!(
        b.view.nrows() == k && c.dim() == (m, n),
        "direct product called with mismatched shapes"
    );
    let c_col = c.strides()[1];
    let Some(kernel) = T::DIRECT.filter(|_| fits(isa, &a, &b, c_col)) else {
        return false;
    };
    let c_row = c.strides()[0];
    // SAFETY: `fits` saw AVX-512 (an `Isa::Avx512` is only made after
    // detection) and unit column strides; the pointers and strides are
    // those of the three views, whose shapes were checked above; `c` is a
    // unique borrow, so it aliases neither input.
    unsafe {
        kernel(
            (m, n, k),
            (a.view.as_ptr(), a.view.strides()[0], a.view.strides()[1]),
            (b.view.as_ptr(), b.view.strides()[0]),
            (c.as_mut_ptr(), c_row),
        );
    }
    true
}

/// The float64 kernel.
#[cfg(target_arch = "x86_64")]
pub const F64: Option<Kernel<f64>> = Some(avx512_f64);
/// The float32 kernel.
#[cfg(target_arch = "x86_64")]
pub const F32: Option<Kernel<f32>> = Some(avx512_f32);
#[cfg(not(target_arch = "x86_64"))]
pub const F64: Option<Kernel<f64>> = None;
#[cfg(not(target_arch = "x86_64"))]
pub const F32: Option<Kernel<f32>> = None;

/// # Safety
/// As [`Kernel`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn avx512_f64(
    dims: (usize, usize, usize),
    a: (*const f64, isize, isize),
    b: (*const f64, isize),
    c: (*mut f64, isize),
) {
    // SAFETY: this function's contract.
    unsafe { body(dims, Operands { a, b, c }) }
}

/// # Safety
/// As [`Kernel`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn avx512_f32(
    dims: (usize, usize, usize),
    a: (*const f32, isize, isize),
    b: (*const f32, isize),
    c: (*mut f32, isize),
) {
    // SAFETY: this function's contract.
    unsafe { body(dims, Operands { a, b, c }) }
}

/// One AVX-512 register of an element type. Every method needs a CPU with
/// AVX-512F (they are only called from the `avx512_*` entry points).
#[cfg(target_arch = "x86_64")]
trait Lane: Copy {
    /// Elements in a register.
    const W: usize;
    type V: Copy;
    unsafe fn zero() -> Self::V;
    /// The elements of `p` whose mask bit is set, zero elsewhere; masked
    /// elements are not read (AVX-512 suppresses their faults).
    unsafe fn load(mask: u16, p: *const Self) -> Self::V;
    unsafe fn splat(p: *const Self) -> Self::V;
    unsafe fn fma(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// Writes the elements whose mask bit is set.
    unsafe fn store(p: *mut Self, mask: u16, v: Self::V);
}

#[cfg(target_arch = "x86_64")]
impl Lane for f64 {
    const W: usize = 8;
    type V = __m512d;
    #[inline(always)]
    unsafe fn zero() -> __m512d {
        // SAFETY: the caller's: the CPU has AVX-512F.
        unsafe { _mm512_setzero_pd() }
    }
    #[inline(always)]
    unsafe fn load(mask: u16, p: *const f64) -> __m512d {
        // SAFETY: the caller's: the unmasked elements of `p` are readable.
        unsafe { _mm512_maskz_loadu_pd(mask as u8, p) }
    }
    #[inline(always)]
    unsafe fn splat(p: *const f64) -> __m512d {
        // SAFETY: the caller's: `p` is readable.
        unsafe { _mm512_set1_pd(*p) }
    }
    #[inline(always)]
    unsafe fn fma(a: __m512d, b: __m512d, c: __m512d) -> __m512d {
        // SAFETY: the caller's: the CPU has AVX-512F.
        unsafe { _mm512_fmadd_pd(a, b, c) }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f64, mask: u16, v: __m512d) {
        // SAFETY: the caller's: the unmasked elements of `p` are writable.
        unsafe { _mm512_mask_storeu_pd(p, mask as u8, v) }
    }
}

#[cfg(target_arch = "x86_64")]
impl Lane for f32 {
    const W: usize = 16;
    type V = __m512;
    #[inline(always)]
    unsafe fn zero() -> __m512 {
        // SAFETY: the caller's: the CPU has AVX-512F.
        unsafe { _mm512_setzero_ps() }
    }
    #[inline(always)]
    unsafe fn load(mask: u16, p: *const f32) -> __m512 {
        // SAFETY: the caller's: the unmasked elements of `p` are readable.
        unsafe { _mm512_maskz_loadu_ps(mask, p) }
    }
    #[inline(always)]
    unsafe fn splat(p: *const f32) -> __m512 {
        // SAFETY: the caller's: `p` is readable.
        unsafe { _mm512_set1_ps(*p) }
    }
    #[inline(always)]
    unsafe fn fma(a: __m512, b: __m512, c: __m512) -> __m512 {
        // SAFETY: the caller's: the CPU has AVX-512F.
        unsafe { _mm512_fmadd_ps(a, b, c) }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f32, mask: u16, v: __m512) {
        // SAFETY: the caller's: the unmasked elements of `p` are writable.
        unsafe { _mm512_mask_storeu_ps(p, mask, v) }
    }
}

/// The three operands as pointers and strides (see [`Kernel`]).
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct Operands<T> {
    a: (*const T, isize, isize),
    b: (*const T, isize),
    c: (*mut T, isize),
}

#[cfg(target_arch = "x86_64")]
impl<T> Operands<T> {
    /// The operands of the tile whose top left corner is `c[i, j]`: rows
    /// from `i` of `a`, columns from `j` of `b`.
    ///
    /// # Safety
    /// `i` < m and `j` < n, so the pointers stay inside their arrays.
    #[inline(always)]
    unsafe fn at(self, i: usize, j: usize) -> Self {
        let (i, j) = (i as isize, j as isize);
        let ((ap, ars, acs), (bp, brs), (cp, crs)) = (self.a, self.b, self.c);
        // SAFETY: the caller's: row i of `a` and `c`, column j of `b` and
        // `c` exist.
        unsafe {
            Operands {
                a: (ap.offset(i * ars), ars, acs),
                b: (bp.offset(j), brs),
                c: (cp.offset(i * crs + j), crs),
            }
        }
    }
}

/// The mask of the `l` ≤ 16 first elements of a register.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn mask(l: usize) -> u16 {
    if l >= 16 { u16::MAX } else { (1u16 << l) - 1 }
}

/// The tile of `MR` rows and `NV` registers of columns at the operands'
/// corner (`masks` says which columns of each register exist).
///
/// # Safety
/// AVX-512F; the tile's rows of `a` (all `k` columns), the tile's columns of
/// `b` (all `k` rows) and the tile of `c` are inside the operands' arrays.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn tile<T: Lane, const MR: usize, const NV: usize>(
    k: usize,
    o: Operands<T>,
    masks: [u16; NV],
) {
    let ((ap, ars, acs), (bp, brs), (cp, crs)) = (o.a, o.b, o.c);
    // SAFETY: every access is at row r < MR of the tile and column p < k of
    // `a`, row p < k and the unmasked columns of `b`, and row r, unmasked
    // columns of `c`: inside the arrays by this function's contract.
    unsafe {
        let mut acc = [[T::zero(); NV]; MR];
        let (mut a_p, mut b_p) = (ap, bp);
        for _ in 0..k {
            let mut row = [T::zero(); NV];
            for v in 0..NV {
                row[v] = T::load(masks[v], b_p.add(v * T::W));
            }
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let x = T::splat(a_p.offset(r as isize * ars));
                for v in 0..NV {
                    acc_r[v] = T::fma(x, row[v], acc_r[v]);
                }
            }
            a_p = a_p.wrapping_offset(acs);
            b_p = b_p.wrapping_offset(brs);
        }
        for (r, acc_r) in acc.iter().enumerate() {
            let c_r = cp.offset(r as isize * crs);
            for v in 0..NV {
                T::store(c_r.add(v * T::W), masks[v], acc_r[v]);
            }
        }
    }
}

/// A tile of `$h` rows (1 up to the largest listed) and `$nv` registers.
macro_rules! rows {
    ($h:expr, $nv:literal, [$($mr:literal)*], $args:tt) => {
        match $h {
            $($mr => tile::<T, $mr, $nv> $args,)*
            _ => unreachable!("tile height out of range"),
        }
    };
}

/// `c = a @ b` in column blocks of up to four registers (64 float32 or 32
/// float64 columns), each in tiles of rows from the top: 4 rows for four
/// registers, 6 for three, 8 for one or two (16–18 accumulators, of 32
/// registers), the last tile of a block as many rows as are left.
///
/// # Safety
/// As [`Kernel`].
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn body<T: Lane>((m, n, k): (usize, usize, usize), o: Operands<T>) {
    let mut j = 0;
    while j < n {
        let w = (n - j).min(4 * T::W);
        let nv = w.div_ceil(T::W);
        let m_at = |v: usize| mask(w.saturating_sub(v * T::W));
        let height = match nv {
            4 => 4,
            3 => 6,
            _ => 8,
        };
        let mut i = 0;
        while i < m {
            let h = (m - i).min(height);
            // SAFETY: i < m and j < n; the tile's h rows and w columns are
            // inside c (and the matching rows of a, columns of b), as the
            // masks cover exactly the w columns.
            unsafe {
                let t = o.at(i, j);
                match nv {
                    4 => rows!(h, 4, [1 2 3 4], (k, t, [m_at(0), m_at(1), m_at(2), m_at(3)])),
                    3 => rows!(h, 3, [1 2 3 4 5 6], (k, t, [m_at(0), m_at(1), m_at(2)])),
                    2 => rows!(h, 2, [1 2 3 4 5 6 7 8], (k, t, [m_at(0), m_at(1)])),
                    _ => rows!(h, 1, [1 2 3 4 5 6 7 8], (k, t, [m_at(0)])),
                }
            }
            i += h;
        }
        j += w;
    }
}
