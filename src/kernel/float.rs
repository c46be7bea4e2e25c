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
        _ if work <= SMALL => small(a, b, c),
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

/// Tiny products: gather `b` into a row-major buffer and run the i-k-j loop,
/// which the compiler vectorises along the rows.
fn small<T: Elem>(a: MatRef<'_, T>, b: MatRef<'_, T>, mut c: MatMut<'_, T>) {
    const STACK: usize = 256;
    let (m, k) = a.view.dim();
    let n = b.view.dim().1;
    let mut stack_b = [T::ZERO; STACK];
    let mut stack_row = [T::ZERO; STACK];
    let mut heap_b = Vec::new();
    let mut heap_row = Vec::new();
    let bb: &mut [T] = if k * n <= STACK {
        &mut stack_b[..k * n]
    } else {
        heap_b.resize(k * n, T::ZERO);
        &mut heap_b
    };
    let row: &mut [T] = if n <= STACK {
        &mut stack_row[..n]
    } else {
        heap_row.resize(n, T::ZERO);
        &mut heap_row
    };
    for ((p, j), &y) in b.view.indexed_iter() {
        bb[p * n + j] = if b.conj { y.conj() } else { y };
    }
    for i in 0..m {
        row.fill(T::ZERO);
        for (p, brow) in bb.chunks_exact(n.max(1)).enumerate().take(k) {
            let x = a.view[[i, p]];
            let x = if a.conj { x.conj() } else { x };
            for (r, &y) in row.iter_mut().zip(brow) {
                *r = *r + x * y;
            }
        }
        for (dst, &v) in c.row_mut(i).iter_mut().zip(row.iter()) {
            *dst = v;
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
