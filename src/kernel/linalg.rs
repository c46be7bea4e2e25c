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

use faer::linalg::solvers::{DenseSolveCore, Solve};
use faer::{Mat, MatRef, Par, Side};
use ndarray::{Array1, Array2, ArrayView2};

use super::exec::Exec;
use crate::value::{C64, Elem};

/// Matrices with fewer elements than this are factored on one thread: below
/// it, handing the work to a pool costs more than the second core saves.
const PARALLEL: usize = 96 * 96;

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

pub fn to_mat<T: Field>(a: ArrayView2<T>) -> Mat<T> {
    Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[[i, j]])
}

pub fn from_mat<T: Field>(m: MatRef<T>) -> Array2<T> {
    Array2::from_shape_fn((m.nrows(), m.ncols()), |(i, j)| m[(i, j)])
}

/// Whether every element is finite: the iterative factorizations (SVD,
/// eigen) are only defined on finite input.
pub fn all_finite<T: Field>(a: ArrayView2<T>) -> bool {
    a.iter().all(|x| x.is_finite_value())
}

/// `A = P L U` with partial pivoting: `perm[i]` is the row of A that became
/// row i of L U, and `odd` says whether that permutation is odd.
pub struct Lu<T: Field> {
    inner: faer::linalg::solvers::PartialPivLu<T>,
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
        // faer's partial-pivoting LU gains from a second thread only at
        // large sizes (measured on 2 cores: 0.65× at n = 512, 0.8× at 1024,
        // 1.2× at 2048), so it runs on one thread below LU_PARALLEL.
        let elements = if a.len() >= LU_PARALLEL { a.len() } else { 0 };
        let inner = par(exec, elements, || to_mat(a).partial_piv_lu());
        let mut perm: Vec<usize> = inner.P().arrays().0.to_vec();
        let mut odd = permutation_is_odd(&perm);
        let u = inner.U();
        let broken = (0..u.nrows().min(u.ncols())).any(|i| {
            let d = u[(i, i)];
            d == T::from_real(0.0) || !d.is_finite_value()
        });
        let reference = (broken && all_finite(a)).then(|| {
            let (l, u, p, o) = getf2(a);
            perm = p;
            odd = o;
            (l, u)
        });
        Lu {
            inner,
            perm,
            odd,
            reference,
            exec: exec.clone(),
        }
    }

    pub fn l(&self) -> Array2<T> {
        if let Some((l, _)) = &self.reference {
            return l.clone();
        }
        let mut l = from_mat(self.inner.L());
        // A zero pivot means the whole column below it was zero; faer still
        // divides by it (0/0 = NaN), LAPACK leaves the zeros, and so do we.
        let u = self.inner.U();
        for j in 0..l.ncols().min(u.nrows()) {
            if u[(j, j)] == T::from_real(0.0) {
                for i in j + 1..l.nrows() {
                    l[[i, j]] = T::from_real(0.0);
                }
            }
        }
        l
    }

    pub fn u(&self) -> Array2<T> {
        match &self.reference {
            Some((_, u)) => u.clone(),
            None => from_mat(self.inner.U()),
        }
    }

    /// Number of exactly-zero pivots: LAPACK's test for a singular matrix.
    pub fn zero_pivots(&self) -> usize {
        let u = self.u();
        (0..u.nrows().min(u.ncols()))
            .filter(|&i| u[[i, i]] == T::from_real(0.0))
            .count()
    }

    pub fn det(&self) -> T {
        let u = self.u();
        let mut d = if self.odd {
            -T::from_real(1.0)
        } else {
            T::from_real(1.0)
        };
        for i in 0..u.nrows().min(u.ncols()) {
            d *= u[[i, i]];
        }
        d
    }

    pub fn inverse(&self) -> Array2<T> {
        let n = self.perm.len();
        par(&self.exec, n * n, || {
            from_mat(self.inner.inverse().as_ref())
        })
    }

    pub fn solve(&self, b: ArrayView2<T>) -> Array2<T> {
        // Two triangular solves cost n² per column of `b`: sized by `b`, so
        // one right-hand side stays on one thread (measured: a 512×512 solve
        // with two threads took 1.5× as long, the hand-offs outweighing it).
        par(&self.exec, b.len(), || {
            from_mat(self.inner.solve(to_mat(b)).as_ref())
        })
    }

    /// Solves `A^H x = b`, for the condition estimator.
    fn solve_adjoint(&self, b: ArrayView2<T>) -> Array2<T> {
        par(&self.exec, b.len(), || {
            from_mat(self.inner.solve_adjoint(to_mat(b)).as_ref())
        })
    }

    /// An estimate of `‖A⁻¹‖₁` from a few solves (Hager's method as refined
    /// by Higham, the algorithm behind LAPACK's `gecon`): O(n²) per step
    /// instead of the O(n³) of an explicit inverse or SVD.
    pub fn inverse_norm1_estimate(&self) -> f64 {
        let n = self.perm.len();
        if n == 0 {
            return 0.0;
        }
        let mut x = Array2::from_elem((n, 1), T::from_real(1.0 / n as f64));
        let mut estimate = 0.0;
        let mut last_j = usize::MAX;
        for _ in 0..5 {
            let y = self.solve(x.view());
            estimate = y.iter().map(|v| v.magnitude()).sum::<f64>();
            let xi = y.mapv(|v| {
                let m = v.magnitude();
                if m == 0.0 {
                    T::from_real(1.0)
                } else {
                    v / T::from_real(m)
                }
            });
            let z = self.solve_adjoint(xi.view());
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
            x[[j, 0]] = T::from_real(1.0);
        }
        estimate
    }
}

fn permutation_is_odd(perm: &[usize]) -> bool {
    let mut seen = vec![false; perm.len()];
    let mut transpositions = 0;
    for start in 0..perm.len() {
        let mut len = 0usize;
        let mut i = start;
        while !seen[i] {
            seen[i] = true;
            i = perm[i];
            len += 1;
        }
        transpositions += len.saturating_sub(1);
    }
    transpositions % 2 == 1
}

/// `‖A‖₁`: the largest column sum of magnitudes.
pub fn norm1<T: Field>(a: ArrayView2<T>) -> f64 {
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
    let s = par(exec, a.len(), || to_mat(a).singular_values().ok())?;
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
    let d = par(exec, a.len(), || {
        let mat = to_mat(a);
        if full { mat.svd() } else { mat.thin_svd() }.ok()
    })?;
    let s = Array1::from_shape_fn(k, |i| d.S().column_vector()[i].re_part());
    let v = d.V();
    let vh = Array2::from_shape_fn((v.ncols(), v.nrows()), |(i, j)| v[(j, i)].conjugate());
    Some((from_mat(d.U()), s, vh))
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
    let mat = to_mat(h.view());
    if vectors {
        let e = par(exec, n * n, || mat.self_adjoint_eigen(Side::Lower).ok())?;
        let w = Array1::from_shape_fn(n, |i| e.S().column_vector()[i].re_part());
        Some((w, Some(from_mat(e.U()))))
    } else {
        let w = par(exec, n * n, || {
            mat.self_adjoint_eigenvalues(Side::Lower).ok()
        })?;
        Some((Array1::from(w), None))
    }
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
    let d = par(exec, a.len(), || to_mat(a).qr());
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
    let l = par(exec, a.len(), || to_mat(a).llt(Side::Lower).ok())?;
    let l = from_mat(l.L());
    // A NaN pivot passes faer's `> 0` test as "not positive" already; an
    // infinite one does not, and would give a factor full of NaN.
    l.iter().all(|v| v.is_finite_value()).then_some(l)
}
