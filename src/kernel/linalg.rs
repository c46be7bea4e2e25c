//! Dense factorizations of one matrix at a time (LU, QR, SVD, eigen,
//! Cholesky), on the `faer` crate. Inputs and outputs are ndarray matrices
//! in float64 or complex128; batching, dtypes and shape checks live in
//! `ops::linalg`, so every function here may assume its shapes are valid.
//!
//! Every call into `faer` goes through `par` with the caller's `Exec`, so
//! `--threads N` and `TENSORCALC_THREADS` govern the factorizations as they
//! govern the products.

use std::cmp::Ordering;
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub};

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::lu::partial_pivoting::factor::{lu_in_place, lu_in_place_scratch};
use faer::linalg::lu::partial_pivoting::inverse::{inverse, inverse_scratch};
use faer::linalg::lu::partial_pivoting::solve::{
    solve_in_place_scratch, solve_in_place_with_conj, solve_transpose_in_place_with_conj,
};
use faer::perm::PermRef;
use faer::{Conj, Mat, MatMut, MatRef, Par, Side};
use ndarray::{Array1, Array2, ArrayView2, ShapeBuilder};

use super::exec::Exec;
use crate::value::{C64, Elem};

/// Matrices with fewer elements than this are factored on one thread: below
/// it, handing the work to a pool costs more than the second core saves.
/// A factorization is many parallel regions in a row, and each wakes
/// rayon's sleeping workers again (0.1 to 4 ms on these virtual machines):
/// at 128×128, two threads made `cholesky` 24%, `inv` 15% and `eigh` 6%
/// slower than one (scripts/bench --linalg, 2026-12-03).
const PARALLEL: usize = 256 * 256;

/// Matrices with fewer elements than this are LU-factored on one thread.
const LU_PARALLEL: usize = 1536 * 1536;

/// Runs `f` (a call into `faer`) with faer's parallelism taken from
/// `exec.threads()`, inside `exec`'s pool (faer's workers come from the
/// current pool). `elements` is the size of the matrix, to keep small ones on
/// one thread. faer reads its parallelism from a process-wide setting of its
/// own (the high-level solvers take no `Par` argument); this sets it before
/// every call, so it follows the `Exec` of the call.
fn par<R: Send>(exec: &Exec, elements: usize, f: impl FnOnce() -> R + Send) -> R {
    let n = if elements >= PARALLEL {
        exec.threads()
    } else {
        1
    };
    if n <= 1 {
        faer::set_global_parallelism(Par::Seq);
        return f();
    }
    faer::set_global_parallelism(Par::rayon(n));
    exec.with_pool(f)
}

/// The two element types the factorizations run in. Everything narrower
/// (bool, int64, float32) is widened to float64 first, as NumPy does.
pub trait Field:
    faer::traits::ComplexField<Real = f64>
    + Elem
    + super::float::Elem
    + Default
    + faer::traits::num_traits::Zero
    + Add<Output = Self>
    + AddAssign
    + MulAssign
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    const COMPLEX: bool;
    fn magnitude(self) -> f64;
    fn conjugate(self) -> Self;
    fn re_part(self) -> f64;
    fn from_real(x: f64) -> Self;
    fn is_finite_value(self) -> bool;
}

impl Field for f64 {
    const COMPLEX: bool = false;
    fn magnitude(self) -> f64 {
        self.abs()
    }
    fn conjugate(self) -> Self {
        self
    }
    fn re_part(self) -> f64 {
        self
    }
    fn from_real(x: f64) -> Self {
        x
    }
    fn is_finite_value(self) -> bool {
        self.is_finite()
    }
}

impl Field for C64 {
    const COMPLEX: bool = true;
    fn magnitude(self) -> f64 {
        self.norm()
    }
    fn conjugate(self) -> Self {
        self.conj()
    }
    fn re_part(self) -> f64 {
        self.re
    }
    fn from_real(x: f64) -> Self {
        C64::new(x, 0.0)
    }
    fn is_finite_value(self) -> bool {
        self.is_finite()
    }
}

/// LAPACK's unblocked LU (getf2): partial pivoting on the largest
/// |re| + |im| (first on ties), no division by a zero pivot. Returns unit
/// lower L (m×k), upper U (k×n), the row permutation and its parity.
fn getf2<T: Field>(a: ArrayView2<T>) -> (Array2<T>, Array2<T>, Vec<usize>, bool) {
    let (m, n) = a.dim();
    let k = m.min(n);
    let mut lu = a.to_owned();
    let mut perm: Vec<usize> = (0..m).collect();
    let mut odd = false;
    let size = |x: T| {
        let re = x.re_part();
        re.abs() + (x - T::from_real(re)).magnitude()
    };
    for j in 0..k {
        let mut p = j;
        for i in j + 1..m {
            if size(lu[[i, j]]) > size(lu[[p, j]]) {
                p = i;
            }
        }
        if p != j {
            for c in 0..n {
                lu.swap([p, c], [j, c]);
            }
            perm.swap(p, j);
            odd = !odd;
        }
        let pivot = lu[[j, j]];
        if pivot == T::from_real(0.0) {
            continue;
        }
        for i in j + 1..m {
            let f = lu[[i, j]] / pivot;
            lu[[i, j]] = f;
            for c in j + 1..n {
                let t = lu[[j, c]];
                lu[[i, c]] -= f * t;
            }
        }
    }
    let l = Array2::from_shape_fn((m, k), |(i, j)| match i.cmp(&j) {
        Ordering::Greater => lu[[i, j]],
        Ordering::Equal => T::from_real(1.0),
        Ordering::Less => T::from_real(0.0),
    });
    let u = Array2::from_shape_fn((k, n), |(i, j)| {
        if i <= j {
            lu[[i, j]]
        } else {
            T::from_real(0.0)
        }
    });
    (l, u, perm, odd)
}

/// `a` as an owned faer matrix (column-major). A contiguous view is read
/// through a zero-copy faer view, so faer makes the one copy.
pub fn to_mat<T: Field>(a: ArrayView2<T>) -> Mat<T> {
    match as_faer(&a) {
        Some(v) => v.to_owned(),
        None => Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[[i, j]]),
    }
}

/// Runs `f` on `a` seen by faer: through a zero-copy view when `a` is
/// contiguous (faer's solvers copy their input once anyway), else on a copy.
fn with_faer<T: Field, R>(a: ArrayView2<T>, f: impl FnOnce(MatRef<'_, T>) -> R) -> R {
    match as_faer(&a) {
        Some(v) => f(v),
        None => f(to_mat(a).as_ref()),
    }
}

/// A zero-copy faer view of a row-major or column-major contiguous view.
fn as_faer<'a, T: Field>(a: &'a ArrayView2<'a, T>) -> Option<MatRef<'a, T>> {
    let (m, n) = a.dim();
    if let Some(s) = a.as_slice() {
        return Some(MatRef::from_row_major_slice(s, m, n));
    }
    a.as_slice_memory_order()
        .filter(|_| a.t().is_standard_layout())
        .map(|s| MatRef::from_column_major_slice(s, m, n))
}

/// `a` copied into a column-major buffer (the layout faer's LU works in
/// place on), in tiles of rows so that a row-major source is read along its
/// rows while a few destination columns are written in sequence.
fn col_major<T: Field>(a: ArrayView2<T>) -> Vec<T> {
    let (m, n) = a.dim();
    if a.t().is_standard_layout() || m == 0 || n == 0 {
        return a.t().iter().copied().collect();
    }
    let mut out = vec![T::from_real(0.0); m * n];
    const TILE: usize = 16;
    if let Some(src) = a.as_slice() {
        // Row-major: TILE source rows are read across while TILE-long runs
        // of each destination column are written; slices, so no index
        // arithmetic through the view per element.
        for (t, rows) in src.chunks(TILE * n).enumerate() {
            let i0 = t * TILE;
            let height = rows.len() / n;
            for (j, col) in out.chunks_exact_mut(m).enumerate() {
                for (d, row) in col[i0..i0 + height].iter_mut().zip(rows.chunks_exact(n)) {
                    *d = row[j];
                }
            }
        }
        return out;
    }
    for i0 in (0..m).step_by(TILE) {
        let i1 = (i0 + TILE).min(m);
        for j in 0..n {
            let col = &mut out[j * m + i0..j * m + i1];
            for (d, i) in col.iter_mut().zip(i0..i1) {
                *d = a[[i, j]];
            }
        }
    }
    out
}

/// A faer matrix as an ndarray matrix in column-major order, column by
/// column (each a contiguous copy when faer's columns are contiguous).
pub fn from_mat<T: Field>(m: MatRef<T>) -> Array2<T> {
    let (r, c) = (m.nrows(), m.ncols());
    let mut v = Vec::with_capacity(r * c);
    for j in 0..c {
        let col = m.col(j);
        match col.try_as_col_major() {
            Some(col) => v.extend_from_slice(col.as_slice()),
            None => v.extend((0..r).map(|i| col[i])),
        }
    }
    Array2::from_shape_vec((r, c).f(), v).expect("r·c elements")
}

/// Whether every element is finite: the iterative factorizations (SVD,
/// eigen) are only defined on finite input.
pub fn all_finite<T: Field>(a: ArrayView2<T>) -> bool {
    a.iter().all(|x| x.is_finite_value())
}

/// `A = P L U` with partial pivoting: `perm[i]` is the row of A that became
/// row i of L U, and `odd` says whether that permutation is odd. L and U
/// are kept packed in one column-major m×n buffer, as LAPACK's getrf leaves
/// them, and the solves and the inverse read that buffer in place: faer's
/// high-level `PartialPivLu` splits them into two fresh matrices, two extra
/// copies of the matrix per factorization.
pub struct Lu<T: Field> {
    /// The packed factors: L strictly below the diagonal (its unit diagonal
    /// implied), U on and above it.
    packed: Vec<T>,
    rows: usize,
    cols: usize,
    /// faer's forward and inverse row permutations.
    fwd: Vec<usize>,
    bwd: Vec<usize>,
    pub perm: Vec<usize>,
    pub odd: bool,
    /// `(L, U)` from the unblocked reference factorization, used when faer
    /// met an exactly zero pivot column: faer divides by that zero (0/0)
    /// and the NaN spreads into the trailing factors, where LAPACK skips the
    /// division and carries on.
    reference: Option<(Array2<T>, Array2<T>)>,
    /// The settings it was factored under, for its solves.
    exec: Exec,
}

impl<T: Field> Lu<T> {
    pub fn new(exec: &Exec, a: ArrayView2<T>) -> Lu<T> {
        let (m, n) = a.dim();
        let mut packed = col_major(a);
        let mut fwd = vec![0usize; m];
        let mut bwd = vec![0usize; m];
        // faer's partial-pivoting LU gains from a second thread only at
        // large sizes (measured on 2 cores: 0.65× at n = 512, 0.8× at 1024,
        // 1.2× at 2048), so it runs on one thread below LU_PARALLEL.
        let elements = if a.len() >= LU_PARALLEL { a.len() } else { 0 };
        let transpositions = par(exec, elements, || {
            let par = faer::get_global_parallelism();
            let mat = MatMut::from_column_major_slice_mut(&mut packed, m, n);
            let mut buf = MemBuffer::new(lu_in_place_scratch::<usize, T>(
                m,
                n,
                par,
                Default::default(),
            ));
            let (info, _) = lu_in_place(
                mat,
                &mut fwd,
                &mut bwd,
                par,
                MemStack::new(&mut buf),
                Default::default(),
            );
            info.transposition_count
        });
        let mut perm = fwd.clone();
        let mut odd = transpositions % 2 == 1;
        let k = m.min(n);
        let broken = (0..k).any(|i| {
            let d = packed[i * m + i];
            d == T::from_real(0.0) || !d.is_finite_value()
        });
        let reference = (broken && all_finite(a)).then(|| {
            let (l, u, p, o) = getf2(a);
            perm = p;
            odd = o;
            (l, u)
        });
        Lu {
            packed,
            rows: m,
            cols: n,
            fwd,
            bwd,
            perm,
            odd,
            reference,
            exec: exec.clone(),
        }
    }

    fn factors(&self) -> MatRef<'_, T> {
        MatRef::from_column_major_slice(&self.packed, self.rows, self.cols)
    }

    fn permutation(&self) -> PermRef<'_, usize> {
        PermRef::new_checked(&self.fwd, &self.bwd, self.rows)
    }

    /// The i-th diagonal element of U.
    fn pivot(&self, i: usize) -> T {
        match &self.reference {
            Some((_, u)) => u[[i, i]],
            None => self.packed[i * self.rows + i],
        }
    }

    pub fn l(&self) -> Array2<T> {
        if let Some((l, _)) = &self.reference {
            return l.clone();
        }
        let (m, k) = (self.rows, self.rows.min(self.cols));
        // A zero pivot means the whole column below it was zero; faer still
        // divides by it (0/0 = NaN), LAPACK leaves the zeros, and so do we.
        Array2::from_shape_fn((m, k).f(), |(i, j)| match i.cmp(&j) {
            Ordering::Greater if self.packed[j * m + j] != T::from_real(0.0) => {
                self.packed[j * m + i]
            }
            Ordering::Equal => T::from_real(1.0),
            _ => T::from_real(0.0),
        })
    }

    pub fn u(&self) -> Array2<T> {
        if let Some((_, u)) = &self.reference {
            return u.clone();
        }
        let (m, k) = (self.rows, self.rows.min(self.cols));
        Array2::from_shape_fn((k, self.cols).f(), |(i, j)| {
            if i <= j {
                self.packed[j * m + i]
            } else {
                T::from_real(0.0)
            }
        })
    }

    /// Number of exactly-zero pivots: LAPACK's test for a singular matrix.
    pub fn zero_pivots(&self) -> usize {
        (0..self.rows.min(self.cols))
            .filter(|&i| self.pivot(i) == T::from_real(0.0))
            .count()
    }

    pub fn det(&self) -> T {
        let mut d = if self.odd {
            -T::from_real(1.0)
        } else {
            T::from_real(1.0)
        };
        for i in 0..self.rows.min(self.cols) {
            d *= self.pivot(i);
        }
        d
    }

    /// The inverse of a square matrix, from the packed factors (LAPACK's
    /// getri: invert U and L in place, multiply, permute the columns).
    pub fn inverse(&self) -> Array2<T> {
        let n = self.rows;
        let mut out = vec![T::from_real(0.0); n * n];
        par(&self.exec, n * n, || {
            let par = faer::get_global_parallelism();
            let lu = self.factors();
            let mut buf = MemBuffer::new(inverse_scratch::<usize, T>(n, par));
            inverse(
                MatMut::from_column_major_slice_mut(&mut out, n, n),
                lu,
                lu,
                self.permutation(),
                par,
                MemStack::new(&mut buf),
            );
        });
        Array2::from_shape_vec((n, n).f(), out).expect("n·n elements")
    }

    /// Solves `A x = b` (or `A^H x = b`) for every column of the
    /// column-major n×k buffer `rhs`, in place.
    fn solve_in_place(&self, rhs: &mut [T], k: usize, adjoint: bool) {
        let n = self.rows;
        // Two triangular solves cost n² per column: sized by the right-hand
        // sides, so one column stays on one thread (measured: a 512×512
        // solve with two threads took 1.5× as long, the hand-offs
        // outweighing it).
        par(&self.exec, n * k, || {
            let par = faer::get_global_parallelism();
            let lu = self.factors();
            let mut buf = MemBuffer::new(solve_in_place_scratch::<usize, T>(n, k, par));
            let rhs = MatMut::from_column_major_slice_mut(rhs, n, k);
            if adjoint {
                solve_transpose_in_place_with_conj(
                    lu,
                    lu,
                    self.permutation(),
                    Conj::Yes,
                    rhs,
                    par,
                    MemStack::new(&mut buf),
                );
            } else {
                solve_in_place_with_conj(
                    lu,
                    lu,
                    self.permutation(),
                    Conj::No,
                    rhs,
                    par,
                    MemStack::new(&mut buf),
                );
            }
        });
    }

    pub fn solve(&self, b: ArrayView2<T>) -> Array2<T> {
        let (n, k) = b.dim();
        let mut x = col_major(b);
        self.solve_in_place(&mut x, k, false);
        Array2::from_shape_vec((n, k).f(), x).expect("n·k elements")
    }

    /// `A x = b` and an estimate of `‖A⁻¹‖₁` together: the estimate's
    /// first solve rides along with `b`'s as one more column, so the LU is
    /// read once for both (the estimate then costs two or three more passes
    /// over it, not four).
    pub fn solve_with_estimate(&self, b: ArrayView2<T>) -> (Array2<T>, f64) {
        let (n, k) = b.dim();
        let mut x = col_major(b);
        x.extend(std::iter::repeat_n(T::from_real(1.0 / n as f64), n));
        self.solve_in_place(&mut x, k + 1, false);
        let first = x.split_off(n * k);
        let estimate = self.estimate_from(first);
        (
            Array2::from_shape_vec((n, k).f(), x).expect("n·k elements"),
            estimate,
        )
    }

    /// An estimate of `‖A⁻¹‖₁` from a few solves (Hager's method as refined
    /// by Higham, the algorithm behind LAPACK's `gecon`): O(n²) per step
    /// instead of the O(n³) of an explicit inverse or SVD.
    pub fn inverse_norm1_estimate(&self) -> f64 {
        let n = self.rows;
        if n == 0 {
            return 0.0;
        }
        let mut y = vec![T::from_real(1.0 / n as f64); n];
        self.solve_in_place(&mut y, 1, false);
        self.estimate_from(y)
    }

    /// The iteration, given `y = A⁻¹ x` for the starting `x = e / n`.
    fn estimate_from(&self, mut y: Vec<T>) -> f64 {
        let n = self.rows;
        if n == 0 {
            return 0.0;
        }
        let mut x = vec![T::from_real(1.0 / n as f64); n];
        let mut estimate = 0.0;
        let mut last_j = usize::MAX;
        for step in 0..5 {
            if step > 0 {
                y.copy_from_slice(&x);
                self.solve_in_place(&mut y, 1, false);
            }
            estimate = y.iter().map(|v| v.magnitude()).sum::<f64>();
            let mut z: Vec<T> = y
                .iter()
                .map(|&v| {
                    let m = v.magnitude();
                    if m == 0.0 {
                        T::from_real(1.0)
                    } else {
                        v / T::from_real(m)
                    }
                })
                .collect();
            self.solve_in_place(&mut z, 1, true);
            let (j, zmax) = z.iter().map(|v| v.magnitude()).enumerate().fold(
                (0, f64::NEG_INFINITY),
                |acc, (i, m)| if m > acc.1 { (i, m) } else { acc },
            );
            let ztx: f64 = z
                .iter()
                .zip(x.iter())
                .map(|(&zi, &xi)| (zi.conjugate() * xi).re_part())
                .sum();
            // Stop unless z points somewhere new (NaN stops too).
            if zmax.partial_cmp(&ztx) != Some(Ordering::Greater) || j == last_j {
                break;
            }
            last_j = j;
            x.fill(T::from_real(0.0));
            x[j] = T::from_real(1.0);
        }
        estimate
    }
}

/// `‖A‖₁`: the largest column sum of magnitudes. The sums are gathered
/// along the matrix's rows when those are contiguous (a row-major matrix
/// walked column by column would read one element per cache line).
pub fn norm1<T: Field>(a: ArrayView2<T>) -> f64 {
    let along_rows = a.strides()[1].unsigned_abs() <= a.strides()[0].unsigned_abs();
    if along_rows {
        let mut sums = vec![0.0f64; a.ncols()];
        for row in a.rows() {
            for (s, v) in sums.iter_mut().zip(row) {
                *s += v.magnitude();
            }
        }
        return sums.into_iter().fold(0.0, f64::max);
    }
    a.columns()
        .into_iter()
        .map(|c| c.iter().map(|v| v.magnitude()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// Singular values, largest first. `None` if the iteration does not
/// converge (or the input is not finite).
pub fn singular_values<T: Field>(exec: &Exec, a: ArrayView2<T>) -> Option<Array1<f64>> {
    if a.is_empty() {
        return Some(Array1::zeros(0));
    }
    if !all_finite(a) {
        return None;
    }
    let (m, n) = a.dim();
    let k = m.min(n);
    if !T::COMPLEX && k >= BLOCKED_SVD && m.max(n) * 6 < k * 11 {
        return svd_blocked_parts(exec, a, None).map(|(s, _, _)| s);
    }
    let s = par(exec, a.len(), || with_faer(a, |m| m.singular_values().ok()))?;
    Some(Array1::from(s))
}

/// `A = U diag(S) Vh`: full (U m×m, Vh n×n) or thin (U m×k, Vh k×n).
pub fn svd<T: Field>(
    exec: &Exec,
    a: ArrayView2<T>,
    full: bool,
) -> Option<(Array2<T>, Array1<f64>, Array2<T>)> {
    let (m, n) = a.dim();
    let k = m.min(n);
    if k == 0 {
        let (um, vn) = if full { (m, n) } else { (0, 0) };
        let u = Array2::from_shape_fn((m, um), |(i, j)| {
            if i == j {
                T::from_real(1.0)
            } else {
                T::from_real(0.0)
            }
        });
        let vh = Array2::from_shape_fn((vn, n), |(i, j)| {
            if i == j {
                T::from_real(1.0)
            } else {
                T::from_real(0.0)
            }
        });
        return Some((u, Array1::zeros(0), vh));
    }
    if !all_finite(a) {
        return None;
    }
    if !T::COMPLEX && k >= BLOCKED_SVD && m.max(n) * 6 < k * 11 {
        return svd_blocked(exec, a, full);
    }
    let d = par(exec, a.len(), || {
        with_faer(a, |mat| if full { mat.svd() } else { mat.thin_svd() }.ok())
    })?;
    let s = Array1::from_shape_fn(k, |i| d.S().column_vector()[i].re_part());
    let v = d.V();
    let vh = Array2::from_shape_fn((v.ncols(), v.nrows()), |(i, j)| v[(j, i)].conjugate());
    Some((from_mat(d.U()), s, vh))
}

/// Real matrices whose smaller side is at least this are bidiagonalized
/// in panels (`bidiag`), unless one side is more than 11/6 of the other
/// (faer then starts with a QR factorization, as LAPACK does). At 1024
/// both took the same time on one thread; at 1536 and 2048 faer's
/// unblocked reduction was 1.3-1.6× slower for the whole `svd`.
const BLOCKED_SVD: usize = 1024;

/// `svd` of a real matrix through `svd_blocked_parts`, in `svd`'s form.
fn svd_blocked<T: Field>(
    exec: &Exec,
    a: ArrayView2<T>,
    full: bool,
) -> Option<(Array2<T>, Array1<f64>, Array2<T>)> {
    let (s, u, v) = svd_blocked_parts(exec, a, Some(full))?;
    let (u, v) = (u.expect("vectors asked"), v.expect("vectors asked"));
    let real = |m: MatRef<'_, f64>| from_mat(m).mapv(T::from_real);
    Some((real(u.as_ref()), s, real(v.as_ref().transpose())))
}

/// The singular values (largest first) of the real m×n `a` and, when
/// `vectors` is `Some(full)`, U (m×m or m×k) and V (n×n or n×k): our panel
/// bidiagonalization of A (or of Aᵀ when m < n), faer's divide and conquer
/// on the bidiagonal matrix (`bidiag_svd`, vendored), and faer's blocked
/// back-transformations: the steps of faer's `svd`, with the first one
/// replaced. `None` if `a` holds a NaN or an infinity, or the iteration
/// does not converge.
#[allow(clippy::type_complexity)]
fn svd_blocked_parts<T: Field>(
    exec: &Exec,
    a: ArrayView2<T>,
    vectors: Option<bool>,
) -> Option<(Array1<f64>, Option<Mat<f64>>, Option<Mat<f64>>)> {
    use super::bidiag_svd::{MatU, divide_and_conquer, divide_and_conquer_scratch};
    use faer::linalg::householder::{
        apply_block_householder_sequence_on_the_left_in_place_scratch,
        apply_block_householder_sequence_on_the_left_in_place_with_conj,
    };
    if !all_finite(a) {
        return None;
    }
    let wide = a.nrows() < a.ncols();
    let a = if wide { a.t() } else { a };
    let (m, n) = a.dim();
    let mut bid: Vec<f64> = col_major(a).into_iter().map(|x| x.re_part()).collect();
    let mut tl = vec![0.0f64; n];
    let mut tr = vec![0.0f64; n - 1];
    super::bidiag::bidiagonalize(exec, &mut bid, m, n, &mut tl, &mut tr);
    par(exec, m * n, || {
        let par = faer::get_global_parallelism();
        let b = MatRef::from_column_major_slice(&bid, m, n);
        let mut diag: Vec<f64> = (0..n).map(|i| b[(i, i)]).collect();
        let mut sub: Vec<f64> = (0..n)
            .map(|i| if i + 1 < n { b[(i, i + 1)] } else { 0.0 })
            .collect();
        const THRESHOLD: usize = 128;
        let want = vectors.is_some();
        // faer's bidiagonal SVD works on Bᵀ: its U is B's V (n+1 × n+1,
        // of which n×n is used) and its V is B's U.
        let mut ub = Mat::<f64>::zeros(if want { n + 1 } else { 2 }, n + 1);
        let mut vb = want.then(|| Mat::<f64>::zeros(n, n));
        let mut buf = MemBuffer::new(divide_and_conquer_scratch::<f64>(
            n, THRESHOLD, want, want, par,
        ));
        divide_and_conquer(
            faer::ColMut::from_slice_mut(&mut diag)
                .as_row_shape_mut(n)
                .try_as_col_major_mut()
                .expect("a slice is contiguous"),
            faer::ColMut::from_slice_mut(&mut sub)
                .as_row_shape_mut(n)
                .try_as_col_major_mut()
                .expect("a slice is contiguous"),
            if want {
                MatU::Full(ub.as_mut())
            } else {
                MatU::TwoRowsStorage(ub.as_mut())
            },
            vb.as_mut().map(|v| v.as_mut()),
            par,
            MemStack::new(&mut buf),
            THRESHOLD,
        )
        .ok()?;
        let s = Array1::from(diag);
        let (Some(full), Some(vb)) = (vectors, vb) else {
            return Some((s, None, None));
        };
        let bs = faer::linalg::qr::no_pivoting::factor::recommended_block_size::<f64>(m, n);
        let factors = |basis, tau: &[f64]| block_factors(basis, tau, bs, par);
        let ucols = if full { m } else { n };
        let mut u = Mat::<f64>::zeros(m, ucols);
        u.as_mut().submatrix_mut(0, 0, n, n).copy_from(vb.as_ref());
        for i in n..ucols {
            u[(i, i)] = 1.0;
        }
        let mut mem = MemBuffer::new(
            apply_block_householder_sequence_on_the_left_in_place_scratch::<f64>(m, bs, m.max(n)),
        );
        let hl = factors(b, &tl);
        apply_block_householder_sequence_on_the_left_in_place_with_conj(
            b,
            hl.as_ref(),
            Conj::No,
            u.as_mut(),
            par,
            MemStack::new(&mut mem),
        );
        let mut v = Mat::<f64>::zeros(n, n);
        v.copy_from(ub.as_ref().submatrix(0, 0, n, n));
        if n > 1 {
            // The row reflectors, transposed into columns.
            let mut rt = Mat::<f64>::zeros(n - 1, n - 1);
            for j in 0..n - 1 {
                for i in j..n - 1 {
                    rt[(i, j)] = b[(j, i + 1)];
                }
            }
            let hr = factors(rt.as_ref(), &tr);
            apply_block_householder_sequence_on_the_left_in_place_with_conj(
                rt.as_ref(),
                hr.as_ref(),
                Conj::Yes,
                v.as_mut().subrows_mut(1, n - 1),
                par,
                MemStack::new(&mut mem),
            );
        }
        Some(if wide {
            (s, Some(v), Some(u))
        } else {
            (s, Some(u), Some(v))
        })
    })
}

/// Eigenvalues (ascending) and, if asked, eigenvectors of a Hermitian
/// matrix, reading only its lower (or upper) triangle.
pub fn eigh<T: Field>(
    exec: &Exec,
    a: ArrayView2<T>,
    upper: bool,
    vectors: bool,
) -> Option<(Array1<f64>, Option<Array2<T>>)> {
    let n = a.nrows();
    if n == 0 {
        return Some((Array1::zeros(0), vectors.then(|| Array2::zeros((0, 0)))));
    }
    if !T::COMPLEX && n >= BLOCKED_EIGH {
        return eigh_blocked(exec, a, upper, vectors);
    }
    // Build the Hermitian matrix from the chosen triangle so that the other
    // triangle, which NumPy ignores, cannot change the answer.
    let h = Array2::from_shape_fn((n, n), |(i, j)| {
        let from_lower = (i >= j) != upper || i == j;
        let v = if from_lower {
            a[[i, j]]
        } else {
            a[[j, i]].conjugate()
        };
        if i == j { T::from_real(v.re_part()) } else { v }
    });
    if !all_finite(h.view()) {
        return None;
    }
    if vectors {
        let e = par(exec, n * n, || {
            with_faer(h.view(), |m| m.self_adjoint_eigen(Side::Lower).ok())
        })?;
        let w = Array1::from_shape_fn(n, |i| e.S().column_vector()[i].re_part());
        Some((w, Some(from_mat(e.U()))))
    } else {
        let w = par(exec, n * n, || {
            with_faer(h.view(), |m| m.self_adjoint_eigenvalues(Side::Lower).ok())
        })?;
        Some((Array1::from(w), None))
    }
}

/// Real symmetric matrices from this size are reduced to tridiagonal form
/// in panels (`tridiag`). faer's unblocked reduction goes through the
/// trailing triangle twice per column, which costs little while the matrix
/// stays in the last-level cache (32 MiB on the machines measured: at 1024
/// and 1536 both took the same time on one thread, and faer's was 10-50%
/// faster on two), and much once it does not (2048: 2.86 s against 1.78 s
/// on one thread).
const BLOCKED_EIGH: usize = 1800;

/// `eigh` of the real symmetric matrix given by one triangle of `a` (the
/// upper if `upper`): our panel reduction to tridiagonal form, then faer's
/// tridiagonal eigensolver (divide and conquer with vectors, QR without)
/// and its blocked back-transformation: the steps of faer's
/// `self_adjoint_evd`, with the first one replaced. `None` if the triangle
/// holds a NaN or an infinity.
fn eigh_blocked<T: Field>(
    exec: &Exec,
    a: ArrayView2<T>,
    upper: bool,
    vectors: bool,
) -> Option<(Array1<f64>, Option<Array2<T>>)> {
    use faer::linalg::evd::{
        ComputeEigenvectors, self_adjoint_evd_scratch, tridiagonal_self_adjoint_evd,
    };
    use faer::linalg::householder::{
        apply_block_householder_sequence_on_the_left_in_place_scratch,
        apply_block_householder_sequence_on_the_left_in_place_with_conj,
    };
    let n = a.nrows();
    let mut a = lower_column_major(if upper { a.t() } else { a });
    if !(0..n).all(|j| a[j * n + j..(j + 1) * n].iter().all(|v| v.is_finite())) {
        return None;
    }
    let mut tau = vec![0.0f64; n - 1];
    super::tridiag::tridiagonalize(exec, &mut a, n, &mut tau);
    let diag: Vec<f64> = (0..n).map(|i| a[i * n + i]).collect();
    let sub: Vec<f64> = (0..n - 1).map(|i| a[i * n + i + 1]).collect();
    let want = if vectors {
        ComputeEigenvectors::Yes
    } else {
        ComputeEigenvectors::No
    };
    par(exec, n * n, || {
        let par = faer::get_global_parallelism();
        let mut s = vec![0.0f64; n];
        let mut u = vectors.then(|| Mat::<f64>::zeros(n, n));
        let mut buf = MemBuffer::new(self_adjoint_evd_scratch::<f64>(
            n,
            want,
            par,
            Default::default(),
        ));
        tridiagonal_self_adjoint_evd(
            faer::ColRef::from_slice(&diag).as_diagonal(),
            faer::ColRef::from_slice(&sub).as_diagonal(),
            faer::ColMut::from_slice_mut(&mut s).as_diagonal_mut(),
            u.as_mut().map(|u| u.as_mut()),
            par,
            MemStack::new(&mut buf),
            Default::default(),
        )
        .ok()?;
        let w = Array1::from(s);
        let Some(mut u) = u else {
            return Some((w, None));
        };
        // Q = H_0 … H_{n-2} onto the tridiagonal matrix's eigenvectors, in
        // blocks of reflectors (their factors built as faer does).
        let basis = MatRef::from_column_major_slice(&a, n, n).submatrix(1, 0, n - 1, n - 1);
        let bs = faer::linalg::qr::no_pivoting::factor::recommended_block_size::<f64>(n, n);
        let factors = block_factors(basis, &tau, bs, par);
        let mut buf = MemBuffer::new(
            apply_block_householder_sequence_on_the_left_in_place_scratch::<f64>(n - 1, bs, n),
        );
        apply_block_householder_sequence_on_the_left_in_place_with_conj(
            basis,
            factors.as_ref(),
            Conj::No,
            u.as_mut().subrows_mut(1, n - 1),
            par,
            MemStack::new(&mut buf),
        );
        let mut v = Vec::with_capacity(n * n);
        for j in 0..n {
            let col = u
                .col(j)
                .try_as_col_major()
                .expect("a Mat's columns are contiguous");
            v.extend(col.as_slice().iter().map(|&x| T::from_real(x)));
        }
        let v = Array2::from_shape_vec((n, n).f(), v).expect("n·n elements");
        Some((w, Some(v)))
    })
}

/// The block factors (blocks of `bs`) of the reflectors whose essential
/// parts are the columns of `basis` and whose τ are `tau`, built as faer
/// builds them, for its blocked `apply_block_householder_sequence_*`.
fn block_factors(basis: MatRef<'_, f64>, tau: &[f64], bs: usize, par: faer::Par) -> Mat<f64> {
    use faer::linalg::householder::upgrade_householder_factor;
    let k = tau.len();
    let mut f = Mat::<f64>::zeros(bs, k);
    let mut j = 0;
    while j < k {
        let w = bs.min(k - j);
        let mut g = f.as_mut().submatrix_mut(0, j, w, w);
        for q in 0..w {
            g[(q, q)] = tau[j + q];
        }
        upgrade_householder_factor(g, basis.submatrix(j, j, basis.nrows() - j, w), w, 1, par);
        j += w;
    }
    f
}

/// The lower triangle (diagonal included) of the real square `s`, copied
/// into a column-major buffer (the strict upper triangle left zero), in
/// 64×64 tiles so that neither side is walked across its rows.
fn lower_column_major<T: Field>(s: ArrayView2<T>) -> Vec<f64> {
    const TILE: usize = 64;
    let n = s.nrows();
    let mut out = vec![0.0f64; n * n];
    for jb in (0..n).step_by(TILE) {
        for ib in (jb..n).step_by(TILE) {
            for i in ib..(ib + TILE).min(n) {
                let row = s.row(i);
                for j in jb..(jb + TILE).min(i + 1) {
                    out[j * n + i] = row[j].re_part();
                }
            }
        }
    }
    out
}

/// Eigenvalues and, if asked, unit-norm right eigenvectors of a general
/// square matrix, always complex here; `ops` narrows them to real when every
/// imaginary part is zero, as NumPy does for real input.
pub fn eig<T: Field>(
    exec: &Exec,
    a: ArrayView2<T>,
    vectors: bool,
) -> Option<(Array1<C64>, Option<Array2<C64>>)> {
    let n = a.nrows();
    if n == 0 {
        return Some((Array1::zeros(0), vectors.then(|| Array2::zeros((0, 0)))));
    }
    if !all_finite(a) {
        return None;
    }
    // Both element types go through complex so one code path serves both;
    // for real input faer's real Schur path keeps conjugate pairs exact.
    if T::COMPLEX {
        let c = Mat::<C64>::from_fn(n, n, |i, j| a[[i, j]].to_c64());
        if vectors {
            let e = par(exec, n * n, || c.eigen().ok())?;
            let w = Array1::from_shape_fn(n, |i| e.S().column_vector()[i]);
            return Some((w, Some(normalize_columns(from_mat(e.U())))));
        }
        return Some((
            Array1::from(par(exec, n * n, || c.eigenvalues().ok())?),
            None,
        ));
    }
    let r = Mat::<f64>::from_fn(n, n, |i, j| a[[i, j]].re_part());
    if vectors {
        let e = par(exec, n * n, || r.eigen().ok())?;
        let w = Array1::from_shape_fn(n, |i| e.S().column_vector()[i]);
        Some((w, Some(normalize_columns(from_mat(e.U())))))
    } else {
        Some((
            Array1::from(par(exec, n * n, || r.eigenvalues().ok())?),
            None,
        ))
    }
}

/// Scales each column to unit 2-norm, LAPACK's convention for `geev`.
fn normalize_columns(mut v: Array2<C64>) -> Array2<C64> {
    for mut col in v.columns_mut() {
        let norm = col.iter().map(|z| z.norm_sqr()).sum::<f64>().sqrt();
        if norm > 0.0 {
            col.mapv_inplace(|z| z / norm);
        }
    }
    v
}

/// `A = Q R`: complete (Q m×m, R m×n) or reduced (Q m×k, R k×n).
pub fn qr<T: Field>(exec: &Exec, a: ArrayView2<T>, complete: bool) -> (Array2<T>, Array2<T>) {
    let (m, n) = a.dim();
    let k = m.min(n);
    if k == 0 {
        let qn = if complete { m } else { 0 };
        let q = Array2::from_shape_fn((m, qn), |(i, j)| {
            if i == j {
                T::from_real(1.0)
            } else {
                T::from_real(0.0)
            }
        });
        return (q, Array2::zeros((if complete { m } else { 0 }, n)));
    }
    let d = par(exec, a.len(), || with_faer(a, |m| m.qr()));
    if complete {
        // faer keeps only the min(m, n) rows of R that can be non-zero; the
        // complete R is m×n with zero rows below.
        let r = d.R();
        let full_r = Array2::from_shape_fn((m, n), |(i, j)| {
            if i < r.nrows() && i <= j {
                r[(i, j)]
            } else {
                T::from_real(0.0)
            }
        });
        let q = par(exec, a.len(), || from_mat(d.compute_Q().as_ref()));
        (q, full_r)
    } else {
        let q = par(exec, a.len(), || from_mat(d.compute_thin_Q().as_ref()));
        (q, from_mat(d.thin_R()))
    }
}

/// The lower Cholesky factor of a Hermitian positive-definite matrix, read
/// from its lower triangle; `None` if it is not positive definite.
pub fn cholesky<T: Field>(exec: &Exec, a: ArrayView2<T>) -> Option<Array2<T>> {
    if a.nrows() == 0 {
        return Some(Array2::zeros((0, 0)));
    }
    let l = if a.nrows() >= BLOCKED_CHOLESKY {
        cholesky_blocked(exec, a)?
    } else {
        let l = par(exec, a.len(), || with_faer(a, |m| m.llt(Side::Lower).ok()))?;
        from_mat(l.L())
    };
    // A NaN pivot passes faer's `> 0` test as "not positive" already; an
    // infinite one does not, and would give a factor full of NaN.
    l.iter().all(|v| v.is_finite_value()).then_some(l)
}

/// From this size on, `cholesky` runs blocked here: faer factors and
/// solves the blocks of `CHOLESKY_BLOCK` columns on one thread, and the
/// trailing updates (all but ~nb/n of the work) are products on the team
/// (`float::sub_gram_lower`). faer's own factorization gained little from a
/// second thread at 2048 (145 vs 158 ms; LAPACK 110 ms).
const BLOCKED_CHOLESKY: usize = 512;
const CHOLESKY_BLOCK: usize = 256;
/// Rows of a panel one thread solves at a time.
const PANEL_ROWS: usize = 128;

/// A pointer into the matrix being factored, shared by the team's threads,
/// which use it on disjoint blocks (see the SAFETY comments at its uses).
#[derive(Clone, Copy)]
struct Shared<T>(*mut T);
// SAFETY: only a way to lend the buffer to the team for the duration of
// one `on_team` call; every access is to a block one thread owns, or a
// read of a block no thread writes during that call. `T` is Send + Sync.
unsafe impl<T: Send + Sync> Sync for Shared<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Send for Shared<T> {}

impl<T> Shared<T> {
    fn get(self) -> *mut T {
        self.0
    }
}

/// Right-looking blocked Cholesky of the lower triangle of `a`, in one
/// row-major copy (read and written in order); `None` if a diagonal block
/// is not positive definite.
fn cholesky_blocked<T: Field>(exec: &Exec, a: ArrayView2<T>) -> Option<Array2<T>> {
    let n = a.nrows();
    // One fresh buffer, the result, faulted in once under the huge-page
    // advice (first touches of memory are expensive on these virtual
    // machines), filled in order and factored in place.
    let mut buf = super::alloc::with_capacity::<T>(n * n);
    match a.as_slice() {
        Some(s) => buf.extend_from_slice(s),
        None => buf.extend(a.iter().copied()),
    }
    let ld = n;
    let mut j0 = 0;
    while j0 < n {
        let jb = CHOLESKY_BLOCK.min(n - j0);
        {
            let mut l = MatMut::from_row_major_slice_mut(&mut buf, n, n);
            let f = par(exec, 0, || {
                l.as_ref().submatrix(j0, j0, jb, jb).llt(Side::Lower).ok()
            })?;
            l.as_mut().submatrix_mut(j0, j0, jb, jb).copy_from(f.L());
        }
        let r = n - j0 - jb;
        if r == 0 {
            break;
        }
        let base = buf.as_mut_ptr();
        // The panel: X · L11ᴴ = P, i.e. conj(L11) · Xᵀ = Pᵀ; the rows of P
        // are independent, so blocks of rows go to the team's threads.
        let at = Shared(base);
        let solve = |b: usize| {
            let (r0, r1) = (b * PANEL_ROWS, ((b + 1) * PANEL_ROWS).min(r));
            let base = at.get();
            // SAFETY: L11 is rows and columns j0..j0+jb of the n×n row-major
            // `buf` (only read during this call); the block is rows
            // j0+jb+r0..j0+jb+r1 of columns j0..j0+jb, below L11, given to
            // one thread only (`on_team_chunks`).
            let (l11, p) = unsafe {
                (
                    MatRef::<T>::from_raw_parts(
                        base.add(j0 * ld + j0).cast_const(),
                        jb,
                        jb,
                        ld as isize,
                        1,
                    ),
                    MatMut::<T>::from_raw_parts_mut(
                        base.add((j0 + jb + r0) * ld + j0),
                        r1 - r0,
                        jb,
                        ld as isize,
                        1,
                    ),
                )
            };
            faer::linalg::triangular_solve::solve_lower_triangular_in_place_with_conj(
                l11,
                if T::COMPLEX { Conj::Yes } else { Conj::No },
                p.transpose_mut(),
                Par::Seq,
            );
        };
        exec.on_team_chunks(exec.threads(), r.div_ceil(PANEL_ROWS), &solve);
        // SAFETY: in the n×n row-major `buf` (row stride ld = n, column
        // stride 1), the panel is rows j0+jb..n of columns j0..j0+jb and the
        // trailing matrix rows and columns j0+jb..n: disjoint (different
        // columns), and nothing else touches `buf` during the call.
        unsafe {
            super::float::sub_gram_lower(
                exec,
                base.add((j0 + jb) * ld + j0).cast_const(),
                base.add((j0 + jb) * ld + j0 + jb),
                r,
                jb,
                (ld as isize, 1),
                T::COMPLEX,
            );
        }
        j0 += jb;
    }
    // The strict upper triangle (row i, columns i+1..n) is zero in a factor.
    for (i, row) in buf.chunks_exact_mut(n).enumerate() {
        row[i + 1..].fill(T::from_real(0.0));
    }
    Some(Array2::from_shape_vec((n, n), buf).expect("n·n elements"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::Isa;
    use ndarray::{Array2, s};

    /// A deterministic, well-mixed test matrix (no two rows alike).
    fn matrix(m: usize, n: usize) -> Array2<f64> {
        Array2::from_shape_fn((m, n), |(i, j)| {
            let x = ((i * 7919 + j * 104_729 + 13) % 1009) as f64 / 1009.0;
            x - 0.5 + if i == j { 0.25 } else { 0.0 }
        })
    }

    fn close(a: &Array2<f64>, b: &Array2<f64>) -> bool {
        a.dim() == b.dim()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x - y).abs() <= 1e-12 * (1.0 + y.abs()))
    }

    #[test]
    fn every_layout_gives_the_same_factors() {
        let exec = Exec::new(1, Isa::Portable);
        let a = matrix(9, 9);
        let reference = Lu::new(&exec, a.view());
        let f_order = a.t().as_standard_layout().t().to_owned();
        assert!(!f_order.is_standard_layout());
        let mut padded = Array2::zeros((9, 20));
        padded.slice_mut(s![.., ..9]).assign(&a);
        for other in [
            Lu::new(&exec, f_order.view()),
            Lu::new(&exec, padded.slice(s![.., ..9])),
        ] {
            assert_eq!(other.perm, reference.perm);
            assert!(close(&other.l(), &reference.l()));
            assert!(close(&other.u(), &reference.u()));
        }
    }

    #[test]
    fn packed_factors_reproduce_a_and_solve_and_invert() {
        let exec = Exec::new(1, Isa::Portable);
        for (m, n) in [(7, 7), (5, 8), (8, 5), (40, 40)] {
            let a = matrix(m, n);
            let lu = Lu::new(&exec, a.view());
            let (l, u) = (lu.l(), lu.u());
            let lu_prod = l.dot(&u);
            for i in 0..m {
                for j in 0..n {
                    assert!(
                        (lu_prod[[i, j]] - a[[lu.perm[i], j]]).abs() < 1e-12,
                        "{m}×{n}"
                    );
                }
            }
            if m != n {
                continue;
            }
            let inv = lu.inverse();
            let e = a.dot(&inv) - Array2::<f64>::eye(n);
            assert!(e.iter().all(|v| v.abs() < 1e-10));
            let b = matrix(n, 3);
            let x = lu.solve(b.view());
            assert!((a.dot(&x) - &b).iter().all(|v| v.abs() < 1e-10));
            let (x2, est) = lu.solve_with_estimate(b.view());
            assert!(close(&x2, &x));
            assert_eq!(est, lu.inverse_norm1_estimate());
            // Hager's estimate is a lower bound of ‖A⁻¹‖₁ and, on these
            // matrices, within a factor of 3 of it.
            let exact = norm1(inv.view());
            assert!(
                est <= exact * (1.0 + 1e-12) && est >= exact / 3.0,
                "{est} vs {exact}"
            );
        }
    }

    #[test]
    fn determinant_sign_follows_the_row_swaps() {
        let exec = Exec::new(1, Isa::Portable);
        // Swapping two rows of the identity: one transposition, det -1.
        let mut p = Array2::<f64>::eye(4);
        p.swap([0, 0], [0, 2]);
        p.swap([2, 2], [2, 0]);
        assert_eq!(Lu::new(&exec, p.view()).det(), -1.0);
        assert_eq!(Lu::new(&exec, Array2::<f64>::eye(4).view()).det(), 1.0);
    }
}

#[cfg(test)]
mod blocked_cholesky_tests {
    use super::*;
    use crate::kernel::Isa;

    /// A Hermitian positive-definite matrix: the Gram matrix of `x` plus n
    /// on the diagonal.
    fn spd<T: Field>(x: Array2<T>) -> Array2<T> {
        let n = x.nrows();
        let mut g = Array2::from_shape_fn((n, n), |(i, j)| {
            (0..n).fold(T::from_real(0.0), |s, p| {
                s + x[[i, p]] * x[[j, p]].conjugate()
            })
        });
        for i in 0..n {
            g[[i, i]] += T::from_real(n as f64);
        }
        g
    }

    fn mixed(i: usize, j: usize, a: usize, b: usize) -> f64 {
        ((i * a + j * b + 13) % 1009) as f64 / 1009.0 - 0.5
    }

    fn check<T: Field>(a: Array2<T>) {
        let n = a.nrows();
        for threads in [1, 2] {
            let exec = Exec::new(threads, Isa::detect());
            let blocked = cholesky_blocked(&exec, a.view()).expect("positive definite");
            let faer = from_mat(
                with_faer(a.view(), |m| m.llt(Side::Lower).ok())
                    .unwrap()
                    .L(),
            );
            for ((i, j), &v) in blocked.indexed_iter() {
                if j > i {
                    assert!(v.magnitude() == 0.0, "upper ({i}, {j}) not zero");
                }
                let d = (v - faer[[i, j]]).magnitude();
                assert!(
                    d <= 1e-9 * (1.0 + faer[[i, j]].magnitude()),
                    "({i}, {j}): {d}"
                );
            }
        }
        // Not positive definite in the last block: no factor.
        let mut bad = a.clone();
        bad[[n - 1, n - 1]] = T::from_real(-1.0);
        assert!(cholesky_blocked(&Exec::new(2, Isa::detect()), bad.view()).is_none());
    }

    #[test]
    fn blocked_cholesky_matches_faer_real_and_complex() {
        // Past BLOCKED_CHOLESKY and not a multiple of the block: a short
        // last block, panels and trailing updates of every height.
        let n = BLOCKED_CHOLESKY + 77;
        check(spd(Array2::from_shape_fn((n, n), |(i, j)| {
            mixed(i, j, 7919, 104_729)
        })));
        check(spd(Array2::from_shape_fn((n, n), |(i, j)| {
            C64::new(mixed(i, j, 7919, 104_729), mixed(i, j, 31, 17))
        })));
    }

    #[test]
    fn blocked_eigh_gives_faers_eigenvalues_and_orthonormal_vectors() {
        // Several panels, the parallel product, faer's remainder; then the
        // divide-and-conquer eigenvectors carried back by the reflectors.
        let n = 700;
        let a = Array2::from_shape_fn((n, n), |(i, j)| mixed(i.min(j), i.max(j), 7919, 104_729));
        let faer = with_faer(a.view(), |m| {
            m.self_adjoint_eigenvalues(Side::Lower).unwrap()
        });
        for threads in [1, 2] {
            let exec = Exec::new(threads, Isa::detect());
            let (w, u) = eigh_blocked(&exec, a.view(), false, true).expect("finite");
            let u = u.expect("vectors asked for");
            for (x, y) in w.iter().zip(&faer) {
                assert!((x - y).abs() < 1e-10, "{x} against faer's {y}");
            }
            let au = a.dot(&u);
            let utu = u.t().dot(&u);
            for ((i, j), &v) in au.indexed_iter() {
                assert!(
                    (v - u[[i, j]] * w[j]).abs() < 1e-10,
                    "A u = w u at ({i}, {j})"
                );
                let id = if i == j { 1.0 } else { 0.0 };
                assert!((utu[[i, j]] - id).abs() < 1e-10, "uᵀu = I at ({i}, {j})");
            }
            let (values, none) = eigh_blocked(&exec, a.view(), true, false).expect("finite");
            assert!(none.is_none());
            for (x, y) in values.iter().zip(&w) {
                assert!((x - y).abs() < 1e-10, "values alone {x}, with vectors {y}");
            }
        }
    }

    /// `svd_blocked` against faer's singular values, with `U S Vᵀ = A` and
    /// orthonormal U and V, thin and full.
    fn check_blocked_svd(a: &Array2<f64>, threads: usize) {
        let (m, n) = a.dim();
        let k = m.min(n);
        let faer = with_faer(a.view(), |x| x.singular_values().unwrap());
        let scale = faer[0].max(1.0);
        let exec = Exec::new(threads, Isa::detect());
        for full in [false, true] {
            let (u, s, vh) = svd_blocked(&exec, a.view(), full).expect("finite");
            assert_eq!(
                (u.dim(), s.len(), vh.dim()),
                if full {
                    ((m, m), k, (n, n))
                } else {
                    ((m, k), k, (k, n))
                }
            );
            for (x, y) in s.iter().zip(&faer) {
                assert!(
                    (x - y).abs() < 1e-11 * scale,
                    "{m}×{n}: {x} against faer's {y}"
                );
            }
            let us = Array2::from_shape_fn((m, k), |(i, j)| u[[i, j]] * s[j]);
            let back = us.dot(&vh.slice(ndarray::s![..k, ..]));
            let worst = (&back - a).iter().fold(0.0f64, |w, v| w.max(v.abs()));
            assert!(
                worst < 1e-11 * scale,
                "{m}×{n} ({threads} threads): |U S Vᵀ - A| = {worst:e}"
            );
            for q in [u.t().dot(&u), vh.dot(&vh.t())] {
                for ((i, j), &v) in q.indexed_iter() {
                    let id = if i == j { 1.0 } else { 0.0 };
                    assert!(
                        (v - id).abs() < 1e-11,
                        "{m}×{n}: orthonormal at ({i}, {j}): {v}"
                    );
                }
            }
        }
        let values = svd_blocked_parts(&exec, a.view(), None).expect("finite").0;
        for (x, y) in values.iter().zip(&faer) {
            assert!(
                (x - y).abs() < 1e-11 * scale,
                "values alone {x}, faer's {y}"
            );
        }
    }

    #[test]
    fn blocked_svd_matches_faers_values_and_reconstructs() {
        // Panels and faer's remainder, tall and wide; a matrix of rank 3
        // plus a tiny perturbation (rows of the reduction nearly cancel);
        // the pass split between threads.
        let tall = Array2::from_shape_fn((230, 200), |(i, j)| mixed(i, j, 7919, 104_729));
        check_blocked_svd(&tall, 1);
        check_blocked_svd(&tall.t().to_owned(), 1);
        let low = Array2::from_shape_fn((210, 210), |(i, j)| {
            let (x, y) = (i as f64, j as f64);
            (x * 0.1).sin() * (y * 0.2).cos()
                + (x * 0.03).cos() * (y * 0.05 + 1.0).sin()
                + x * y * 1e-4
                + 1e-13 * mixed(i, j, 31, 17)
        });
        check_blocked_svd(&low, 2);
        let big = Array2::from_shape_fn((560, 540), |(i, j)| mixed(i, j, 104_729, 7919));
        check_blocked_svd(&big, 2);
    }
}
