//! Floating-point matrix products (float32, float64, complex128). The SIMD
//! path is the `gemm` crate (BLAS-free, its own run-time CPU detection, and
//! arbitrary strides, so transposed operands are never copied); tiny products
//! use a register-friendly loop of our own, as a call into `gemm` costs more
//! than the arithmetic; mid-size real ones on AVX-512 the unpacked kernel of
//! `direct`; the portable loop is the oracle for all of them.

use std::mem::MaybeUninit;
use std::ops::{Add, Mul};
use std::sync::atomic::{AtomicUsize, Ordering};

use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use num_complex::Complex;

use super::direct;
use super::dispatch::Isa;
use super::exec::Exec;

/// An element type with a matrix product.
pub trait Elem: Copy + Send + Sync + 'static + Add<Output = Self> + Mul<Output = Self> {
    const ZERO: Self;
    const ONE: Self;
    const MINUS_ONE: Self;
    /// Real multiply-adds in one multiply-add of this type (for the
    /// threshold of threads).
    const WEIGHT: usize = 1;
    /// The complex conjugate (identity for real types).
    fn conj(self) -> Self;
    /// The unpacked mid-size product (`direct`), for the types that have one.
    const DIRECT: Option<direct::Kernel<Self>> = None;
}

impl Elem for f32 {
    const DIRECT: Option<direct::Kernel<Self>> = direct::F32;
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const MINUS_ONE: Self = -1.0;
    fn conj(self) -> Self {
        self
    }
}

impl Elem for f64 {
    const DIRECT: Option<direct::Kernel<Self>> = direct::F64;
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const MINUS_ONE: Self = -1.0;
    fn conj(self) -> Self {
        self
    }
}

impl Elem for Complex<f64> {
    const ZERO: Self = Complex::new(0.0, 0.0);
    const ONE: Self = Complex::new(1.0, 0.0);
    const MINUS_ONE: Self = Complex::new(-1.0, 0.0);
    const WEIGHT: usize = 4;
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
/// Products with at least this many real multiply-adds (`Elem::WEIGHT`
/// each) may use several threads: from 96×96 real matrices, 61×61 complex.
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

/// `op(a) @ op(b)` in a new matrix. On the `gemm` path the result is
/// written straight into fresh memory, without zeroing it first (at 64×64
/// float64 the zeroing was 4% of a product's time).
pub fn matmul_fresh<T: Elem>(exec: &Exec, a: MatRef<'_, T>, b: MatRef<'_, T>) -> Array2<T> {
    let (m, k) = a.view.dim();
    let n = b.view.dim().1;
    let work = m * n * k;
    if exec.isa() == Isa::Portable || work <= SMALL || work == 0 {
        let mut c = Array2::from_elem((m, n), T::ZERO);
        matmul(exec, a, b, c.view_mut());
        return c;
    }
    // Through `alloc::with_capacity`, so a large result gets the huge-page
    // advice like every other.
    let mut v = super::alloc::with_capacity::<MaybeUninit<T>>(m * n);
    // SAFETY: the capacity is m·n, and a MaybeUninit needs no initialising.
    unsafe { v.set_len(m * n) };
    let mut c = Array2::from_shape_vec((m, n), v).expect("length matches the shape");
    let out = (c.as_mut_ptr().cast::<T>(), n as isize, 1);
    // SAFETY: `c` is a fresh m×n row-major buffer (strides n and 1) owned
    // here; m, n, k > 0 (work > 0); `simd_raw` writes all of its elements,
    // so `assume_init` below sees every element initialised.
    unsafe {
        simd_raw(exec, a, b, out, work, false);
        c.assume_init()
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

/// Raw pointers made `Send` and `Sync` so the team can run `gemm` calls on
/// disjoint blocks of the output.
#[derive(Clone, Copy)]
struct Ptrs<T>(*const T, *const T, *mut T);
// SAFETY: the pointers come from views borrowed for the whole call of
// `simd`, which waits for the team to finish before returning; the threads
// only read through the first two and write disjoint blocks through the
// third; `T` is itself `Send + Sync` (required by `Elem`).
unsafe impl<T: Send + Sync> Send for Ptrs<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for Ptrs<T> {}

impl<T> Ptrs<T> {
    fn get(self) -> (*const T, *const T, *mut T) {
        (self.0, self.1, self.2)
    }
}

/// Below this many multiply-adds a parallel product is cut into two chunks
/// per thread, so a helper that wakes late leaves less to the others; above
/// it into one per thread, as every chunk packs the whole other operand.
const FINE_CHUNKS: usize = 384 * 384 * 384;

/// The `gemm` crate, with strides taken straight from the views. Large
/// products are cut into blocks of rows (or of columns, when there are more
/// columns than rows), which the threads of the team take one by one, each
/// in a one-thread `gemm` call.
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
    let out = (c.as_mut_ptr(), c.strides()[0], c.strides()[1]);
    // SAFETY: the pointer and strides are those of the view `c`, an m×n
    // unique borrow alive for the whole call.
    unsafe { simd_raw(exec, a, b, out, work, true) }
}

/// `simd` onto an output given as a pointer and its row and column strides,
/// which may address uninitialised memory (`gemm` writes every element and
/// reads none: `read_dst = false`).
///
/// # Safety
/// `out` must address m×n elements of `T` (m rows of `a`, n columns of `b`)
/// that nothing else reads or writes during the call; k > 0, m > 0, n > 0.
unsafe fn simd_raw<T: Elem>(
    exec: &Exec,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    out: (*mut T, isize, isize),
    work: usize,
    stoppable: bool,
) {
    let (m, k) = a.view.dim();
    let n = b.view.dim().1;
    let strides = [
        a.view.strides()[0],
        a.view.strides()[1],
        b.view.strides()[0],
        b.view.strides()[1],
        out.1,
        out.2,
    ];
    let [ars, _, _, bcs, crs, ccs] = strides;
    let ptrs = Ptrs(a.view.as_ptr(), b.view.as_ptr(), out.0);
    let conj = (a.conj, b.conj);
    let threads = threads_for::<T>(exec, work);
    if work < PARALLEL
        && direct::fits(exec.isa(), &a, &b, out.2)
        && let Some(kernel) = T::DIRECT
    {
        // SAFETY: `fits` saw AVX-512 detected and unit column strides
        // for `b` and `out`; the pointers and strides are those of the
        // views and of `out`, which this function's contract says holds
        // m×n elements nothing else touches.
        unsafe {
            kernel(
                (m, n, k),
                (ptrs.0, ars, strides[1]),
                (ptrs.1, strides[2]),
                (out.0, crs),
            )
        };
        return;
    }
    if threads <= 1 {
        // SAFETY: the whole of `a`, `b` and `out`: this function's
        // contract and the shapes checked in `matmul`/`matmul_fresh`.
        unsafe { gemm_block(ptrs, m, n, k, strides, conj, Write::Set) };
        return;
    }
    let by_rows = m >= n;
    let len = if by_rows { m } else { n };
    let chunks = if work < FINE_CHUNKS {
        2 * threads
    } else {
        threads
    };
    let step = len.div_ceil(chunks).next_multiple_of(16).min(len);
    let count = len.div_ceil(step);
    let next = AtomicUsize::new(0);
    // Rows (or columns) start..end of `c`, on the calling thread.
    let block = |start: usize, end: usize| {
        // A method call captures the whole `Ptrs` (which is `Sync`), not its
        // fields (which are not).
        let (ap, bp, cp) = ptrs.get();
        // SAFETY: start..end lies inside 0..len, the rows (or columns) of
        // `a` and `c` (or `b` and `c`), so the offsets stay inside the
        // views; the callers below hand each range to exactly one thread
        // (chunk indices come from one atomic counter, each index once), so
        // the blocks written are disjoint.
        unsafe {
            if by_rows {
                let p = Ptrs(
                    ap.offset(start as isize * ars),
                    bp,
                    cp.offset(start as isize * crs),
                );
                gemm_block(p, end - start, n, k, strides, conj, Write::Set);
            } else {
                let p = Ptrs(
                    ap,
                    bp.offset(start as isize * bcs),
                    cp.offset(start as isize * ccs),
                );
                gemm_block(p, m, end - start, k, strides, conj, Write::Set);
            }
        }
    };
    exec.on_team(&|who| {
        loop {
            // A stop request leaves the rest of an initialised output
            // undone: the caller (ops) looks at the flag after the kernel
            // and discards the result. A fresh output is always finished,
            // so every element is written before `assume_init`.
            if stoppable && exec.cancel().is_requested() {
                break;
            }
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            let (start, end) = (i * step, ((i + 1) * step).min(len));
            if who == 0 && i > 0 && exec.helpers_joined() == 0 {
                // No helper joined during a whole chunk: take every chunk
                // left (the swap hands them to this thread only) and do
                // chunk `i` and the rest in as few calls as possible, not
                // repacking the other operand once per chunk for nobody's
                // benefit. (Not at the first chunk: a helper that is awake
                // needs a moment to see the job.)
                let rest = next.swap(count, Ordering::Relaxed).min(count);
                if rest == i + 1 {
                    block(start, len);
                } else {
                    block(start, end);
                    if rest < count {
                        block(rest * step, len);
                    }
                }
                break;
            }
            block(start, end);
        }
    });
}

/// What a `gemm_block` call does with `c`.
#[derive(Clone, Copy, PartialEq)]
enum Write {
    /// `c = op(a) @ op(b)`; the old contents are not read (may be
    /// uninitialised).
    Set,
    /// `c -= op(a) @ op(b)`.
    Subtract,
}

/// One single-threaded `gemm` call on `c` as `write` says, for an m×k `a`,
/// k×n `b` and m×n `c` at `ptrs` with `strides` (a's rows and columns, b's,
/// c's), conjugating as `conj` says.
///
/// # Safety
/// The three pointers with those strides must address m×k, k×n and m×n
/// elements inside live arrays of `T` (initialised for `Subtract`); `c`'s
/// must alias neither input nor any block another thread uses; m, n, k > 0.
unsafe fn gemm_block<T: Elem>(
    ptrs: Ptrs<T>,
    m: usize,
    n: usize,
    k: usize,
    strides: [isize; 6],
    conj: (bool, bool),
    write: Write,
) {
    let Ptrs(ap, bp, cp) = ptrs;
    let [ars, acs, brs, bcs, crs, ccs] = strides;
    // gemm computes dst = alpha·dst + beta·lhs·rhs, reading dst only when
    // asked to.
    let (read_dst, alpha, beta) = match write {
        Write::Set => (false, T::ZERO, T::ONE),
        Write::Subtract => (true, T::ONE, T::MINUS_ONE),
    };
    // SAFETY: `gemm` reads m×k elements at `ap + i*ars + p*acs`, k×n at
    // `bp + p*brs + j*bcs` and reads (for `Subtract`) and writes m×n at
    // `cp + i*crs + j*ccs`: in bounds, initialised where read, and unaliased
    // by this function's contract. T is f32, f64 or Complex<f64>, the types
    // `gemm` accepts (Elem is implemented for no others).
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            cp,
            ccs,
            crs,
            read_dst,
            ap,
            acs,
            ars,
            bp,
            bcs,
            brs,
            alpha,
            beta,
            false,
            conj.0,
            conj.1,
            gemm::Parallelism::None,
        );
    }
}

/// The threads a product of `work` multiply-adds of `T` may use.
fn threads_for<T: Elem>(exec: &Exec, work: usize) -> usize {
    if work.saturating_mul(T::WEIGHT) >= PARALLEL {
        exec.threads()
    } else {
        1
    }
}

/// The lower triangle (and the diagonal blocks whole) of `c -= p · pᴴ` for
/// an r×k `p` and an r×r `c`, with the same row and column strides
/// `(rs, cs)` (one buffer may hold both, disjointly): the trailing update of
/// a blocked Cholesky, which is most of its work. `conj` conjugates `pᴴ`
/// (complex types). See `sub_product_lower`.
///
/// # Safety
/// `p` must address r×k elements at `p + i·rs + j·cs` and `c` r×r at
/// `c + i·rs + j·cs`, all inside live arrays of `T`; the two regions must
/// not overlap, and nothing else may touch them during the call.
pub unsafe fn sub_gram_lower<T: Elem>(
    exec: &Exec,
    p: *const T,
    c: *mut T,
    r: usize,
    k: usize,
    strides: (isize, isize),
    conj: bool,
) {
    // SAFETY: this function's contract, with `q` = `p` (only read).
    unsafe { sub_product_lower(exec, (p, p, strides), (c, strides), r, k, conj) }
}

/// `c -= p · qᵀ` for an r×k `p`, an s×k `q` sharing the strides `pq.2`,
/// and an r×s `c` with strides `c.1`: the trailing update of the panel
/// bidiagonalization (`p` = [U X], `q` = [Y V]). Column blocks of `c` are
/// handed out to the team's threads; each is one `gemm` call. Real types
/// only (nothing is conjugated).
///
/// # Safety
/// `p` must address r×k elements at `p + i·rs + j·cs`, `q` s×k the same
/// way, and `c` r×s at `c + i·crs + j·ccs`, all inside live arrays of `T`;
/// `c`'s region must overlap neither of the others, and nothing else may
/// write any of them during the call.
pub unsafe fn sub_product<T: Elem>(
    exec: &Exec,
    (p, q, (rs, cs)): (*const T, *const T, (isize, isize)),
    (c, (crs, ccs)): (*mut T, (isize, isize)),
    (r, s, k): (usize, usize, usize),
) {
    const BLOCK: usize = 128;
    if r == 0 || s == 0 || k == 0 {
        return;
    }
    let ptrs = Ptrs(p, q, c);
    let block = |b: usize| {
        let (c0, c1) = (b * BLOCK, ((b + 1) * BLOCK).min(s));
        let (pp, qp, cp) = ptrs.get();
        let o = c0 as isize;
        // SAFETY: all of `p`, the rows c0..c1 of `q` read as the
        // k×(c1 - c0) matrix qᵀ (row stride cs, column stride rs), and
        // columns c0..c1 of `c`: inside the regions of this function's
        // contract; each block of `c` is given to one thread only.
        unsafe {
            gemm_block(
                Ptrs(pp, qp.offset(o * rs), cp.offset(o * ccs)),
                r,
                c1 - c0,
                k,
                [rs, cs, cs, rs, crs, ccs],
                (false, false),
                Write::Subtract,
            );
        }
    };
    let threads = threads_for::<T>(exec, r * s * k);
    exec.on_team_chunks(threads, s.div_ceil(BLOCK), &block);
}

/// The lower triangle (and the diagonal blocks whole) of `c -= p · qᴴ` for
/// r×k `p` and `q` sharing the strides `pq.2` and an r×r `c` with strides
/// `c.1`: the trailing updates of blocked Cholesky (`q` = `p`) and of the
/// blocked tridiagonal reduction (`p` = [V W], `q` = [W V]). Column blocks
/// of `c`, each from its diagonal block down, are handed out to the team's
/// threads one by one, the tallest first; each is one `gemm` call. `conj`
/// conjugates `qᴴ` (complex types).
///
/// # Safety
/// `p` and `q` must each address r×k elements at `x + i·rs + j·cs`, and `c`
/// r×r at `c + i·crs + j·ccs`, all inside live arrays of `T`; `c`'s region
/// must overlap neither of the others, and nothing else may write any of
/// them during the call.
pub unsafe fn sub_product_lower<T: Elem>(
    exec: &Exec,
    (p, q, (rs, cs)): (*const T, *const T, (isize, isize)),
    (c, (crs, ccs)): (*mut T, (isize, isize)),
    r: usize,
    k: usize,
    conj: bool,
) {
    const BLOCK: usize = 128;
    if r == 0 || k == 0 {
        return;
    }
    let ptrs = Ptrs(p, q, c);
    let block = |b: usize| {
        let (c0, c1) = (b * BLOCK, ((b + 1) * BLOCK).min(r));
        let (pp, qp, cp) = ptrs.get();
        let o = c0 as isize;
        // SAFETY: rows c0..r of `p` (r - c0 rows, k columns), the rows
        // c0..c1 of `q` read as the k×(c1 - c0) matrix qᴴ (row stride cs,
        // column stride rs), and rows c0..r of columns c0..c1 of `c`: all
        // inside the regions of this function's contract; each block of `c`
        // is given to one thread only (`on_team_chunks`).
        unsafe {
            gemm_block(
                Ptrs(
                    pp.offset(o * rs),
                    qp.offset(o * rs),
                    cp.offset(o * crs + o * ccs),
                ),
                r - c0,
                c1 - c0,
                k,
                [rs, cs, cs, rs, crs, ccs],
                (false, conj),
                Write::Subtract,
            );
        }
    };
    let threads = threads_for::<T>(exec, r * r * k / 2);
    exec.on_team_chunks(threads, r.div_ceil(BLOCK), &block);
}
