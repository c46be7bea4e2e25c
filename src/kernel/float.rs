//! Floating-point matrix products (float32, float64, complex128). The SIMD
//! path is the `gemm` crate (BLAS-free, its own run-time CPU detection, and
//! arbitrary strides, so transposed operands are never copied); tiny products
//! use a register-friendly loop of our own, as a call into `gemm` costs more
//! than the arithmetic; the portable loop is the oracle for both.

use std::ops::{Add, Mul};

use ndarray::{ArrayView2, ArrayViewMut2};
use num_complex::Complex;

use super::dispatch::Isa;
use super::exec::Exec;

/// An element type with a matrix product.
pub trait Elem: Copy + Send + Sync + 'static + Add<Output = Self> + Mul<Output = Self> {
    const ZERO: Self;
    const ONE: Self;
    /// The complex conjugate (identity for real types).
    fn conj(self) -> Self;
}

impl Elem for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn conj(self) -> Self {
        self
    }
}

impl Elem for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn conj(self) -> Self {
        self
    }
}

impl Elem for Complex<f64> {
    const ZERO: Self = Complex::new(0.0, 0.0);
    const ONE: Self = Complex::new(1.0, 0.0);
    fn conj(self) -> Self {
        Complex::conj(&self)
    }
}

/// A read-only matrix operand: a view plus "conjugate every element", so
/// `A' @ B` on complex data needs neither a transposed nor a conjugated copy.
#[derive(Clone, Copy)]
pub struct MatRef<'a, T> {
    pub view: ArrayView2<'a, T>,
    pub conj: bool,
}

impl<'a, T> MatRef<'a, T> {
    pub fn new(view: ArrayView2<'a, T>) -> Self {
        MatRef { view, conj: false }
    }

    /// The same operand, conjugated when `conj` says so.
    pub fn conj_if(self, conj: bool) -> Self {
        MatRef { conj, ..self }
    }
}

/// The output operand.
pub type MatMut<'a, T> = ArrayViewMut2<'a, T>;

/// Products with at most this many multiply-adds use the small loop.
const SMALL: usize = 16 * 16 * 16;
/// Products with at least this many multiply-adds may use several threads.
const PARALLEL: usize = 96 * 96 * 96;

/// `c = op(a) @ op(b)`, where `op` conjugates when the operand says so.
/// Shapes must agree (`a` is m×k, `b` k×n, `c` m×n); ops/matmul checked them.
pub fn matmul<T: Elem>(exec: &Exec, a: MatRef<'_, T>, b: MatRef<'_, T>, c: MatMut<'_, T>) {
    let (m, k) = a.view.dim();
    let (k2, n) = b.view.dim();
    assert!(
        k == k2 && c.dim() == (m, n),
        "matmul kernel called with mismatched shapes"
    );
    let work = m * n * k;
    match exec.isa() {
        Isa::Portable => portable(a, b, c),
        isa if work <= SMALL => small(isa, a, b, c),
        _ => simd(exec, a, b, c, work),
    }
}

/// The oracle: a plain triple loop in the i-k-j order.
pub fn portable<T: Elem>(a: MatRef<'_, T>, b: MatRef<'_, T>, mut c: MatMut<'_, T>) {
    c.fill(T::ZERO);
    let (m, k) = a.view.dim();
    let n = b.view.dim().1;
    for i in 0..m {
        for p in 0..k {
            let mut x = a.view[[i, p]];
            if a.conj {
                x = x.conj();
            }
            for j in 0..n {
                let mut y = b.view[[p, j]];
                if b.conj {
                    y = y.conj();
                }
                c[[i, j]] = c[[i, j]] + x * y;
            }
        }
    }
}

/// Tiny products: each row of `c` eight columns at a time, summed in
/// registers along the row of `a`, compiled again for the CPU's vector
/// instructions (an 8×8 float64 product is 64 vector multiply-adds with
/// AVX-512). `b` is read in place when it is
/// row-major and not conjugated, else gathered once; a row-major `c` is
/// accumulated in place.
fn small<T: Elem>(isa: Isa, a: MatRef<'_, T>, b: MatRef<'_, T>, c: MatMut<'_, T>) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `isa` comes from `Exec::isa`, which names Avx512 only after
        // `is_x86_feature_detected!` confirmed avx512f, avx512dq and avx512vl.
        Isa::Avx512 => unsafe { small_x86::avx512(a, b, c) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above: avx2 and fma were detected at run time.
        Isa::Avx2Fma => unsafe { small_x86::avx2(a, b, c) },
        _ => small_body(a, b, c),
    }
}

#[cfg(target_arch = "x86_64")]
mod small_x86 {
    use super::{Elem, MatMut, MatRef, small_body};

    #[target_feature(enable = "avx512f,avx512dq,avx512vl")]
    pub(super) unsafe fn avx512<T: Elem>(a: MatRef<'_, T>, b: MatRef<'_, T>, c: MatMut<'_, T>) {
        small_body(a, b, c)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn avx2<T: Elem>(a: MatRef<'_, T>, b: MatRef<'_, T>, c: MatMut<'_, T>) {
        small_body(a, b, c)
    }
}

#[inline(always)]
fn small_body<T: Elem>(a: MatRef<'_, T>, b: MatRef<'_, T>, mut c: MatMut<'_, T>) {
    let m = a.view.nrows();
    let n = b.view.dim().1;
    if m == 0 || n == 0 {
        return;
    }
    let gathered: Vec<T>;
    let bb: &[T] = match b.view.as_slice() {
        Some(s) if !b.conj => s,
        _ => {
            gathered = b
                .view
                .rows()
                .into_iter()
                .flat_map(|r| r.into_iter().map(|&y| if b.conj { y.conj() } else { y }))
                .collect();
            &gathered
        }
    };
    let mut spare = Vec::new();
    for i in 0..m {
        let mut c_row = c.row_mut(i);
        let row: &mut [T] = match c_row.as_slice_mut() {
            Some(r) => r,
            None => {
                spare.resize(n, T::ZERO);
                &mut spare
            }
        };
        let a_row = a.view.row(i);
        let x_at = |p: usize| {
            let x = a_row[p];
            if a.conj { x.conj() } else { x }
        };
        // Eight columns at a time, summed in registers over the whole
        // row of `a` (a fixed width the compiler turns into whole vectors),
        // then the columns left one by one.
        let whole = n - n % 8;
        for j in (0..whole).step_by(8) {
            let mut acc = [T::ZERO; 8];
            for (p, brow) in bb.chunks_exact(n).enumerate() {
                let x = x_at(p);
                let y: &[T; 8] = brow[j..j + 8].try_into().expect("eight columns");
                for l in 0..8 {
                    acc[l] = acc[l] + x * y[l];
                }
            }
            row[j..j + 8].copy_from_slice(&acc);
        }
        for j in whole..n {
            let mut acc = T::ZERO;
            for (p, brow) in bb.chunks_exact(n).enumerate() {
                acc = acc + x_at(p) * brow[j];
            }
            row[j] = acc;
        }
        if c_row.as_slice_mut().is_none() {
            c_row.iter_mut().zip(&spare).for_each(|(d, &v)| *d = v);
        }
    }
}

/// Raw pointers made `Send` so a rayon pool can run the `gemm` call.
#[derive(Clone, Copy)]
struct Ptrs<T>(*const T, *const T, *mut T);
// SAFETY: the pointers come from views borrowed for the whole call of
// `simd`, which waits for the pool to finish before returning, and `T` is
// itself `Send + Sync` (required by `Elem`).
unsafe impl<T: Send + Sync> Send for Ptrs<T> {}

impl<T> Ptrs<T> {
    fn get(self) -> (*const T, *const T, *mut T) {
        (self.0, self.1, self.2)
    }
}

/// The `gemm` crate, with strides taken straight from the views.
fn simd<T: Elem>(
    exec: &Exec,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    mut c: MatMut<'_, T>,
    work: usize,
) {
    let (m, k) = a.view.dim();
    let n = b.view.dim().1;
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        c.fill(T::ZERO);
        return;
    }
    let nthreads = if work >= PARALLEL { exec.threads() } else { 1 };
    let (ars, acs) = (a.view.strides()[0], a.view.strides()[1]);
    let (brs, bcs) = (b.view.strides()[0], b.view.strides()[1]);
    let (crs, ccs) = (c.strides()[0], c.strides()[1]);
    let ptrs = Ptrs(a.view.as_ptr(), b.view.as_ptr(), c.as_mut_ptr());
    let (aconj, bconj) = (a.conj, b.conj);
    let run = move || {
        // A method call captures the whole `Ptrs` (which is `Send`), not its
        // fields (which are not).
        let (ap, bp, cp) = ptrs.get();
        let parallelism = if nthreads > 1 {
            gemm::Parallelism::Rayon(nthreads)
        } else {
            gemm::Parallelism::None
        };
        // SAFETY: `gemm` reads m×k elements at `ap + i*ars + p*acs`, k×n at
        // `bp + p*brs + j*bcs` and writes m×n at `cp + i*crs + j*ccs`. Those
        // are exactly the elements of the three ndarray views, whose shapes
        // were checked by the assert in `matmul` (and m, n, k > 0 here), so
        // every access is in bounds. `c` is a unique borrow, so it aliases
        // neither input; `read_dst = false`, so its old contents (which are
        // initialised anyway) are not read. T is f32, f64 or Complex<f64>,
        // the types `gemm` accepts (Elem is implemented for no others).
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                cp,
                ccs,
                crs,
                false,
                ap,
                acs,
                ars,
                bp,
                bcs,
                brs,
                T::ZERO,
                T::ONE,
                false,
                aconj,
                bconj,
                parallelism,
            );
        }
    };
    if nthreads > 1 {
        exec.with_pool(run)
    } else {
        run()
    }
}
