//! Linear algebra with `numpy.linalg` semantics (plus `lu`, `null_space` and
//! `orth` from `scipy.linalg`): shape rules, dtypes and batching over leading
//! axes. The factorizations themselves are in `kernel::linalg`; integer
//! determinants are exact (`kernel::linalg_exact`).
//!
//! Dtypes: bool and int64 are computed in float64, as NumPy does; float32 is
//! computed in float64 too and rounded back, so results are at least as
//! accurate as NumPy's float32 LAPACK calls.

use ndarray::{Array1, Array2, ArrayD, ArrayView2, Axis, IxDyn};

use super::broadcast::broadcast_shapes;
use super::error::{OpError, OpResult};
use crate::kernel::linalg::{self as k, Field, Lu};
use crate::kernel::linalg_exact::det_i64;
use crate::value::{Array, C64, DType, Elem, shape_text};

/// Something worth telling the user about a result that was still computed.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// The 1-norm condition number exceeds 1/eps: the result may have no
    /// correct digits. `index` locates the matrix in a batch.
    NearSingular { cond: f64, index: Vec<usize> },
}

/// Named results of the functions that return several arrays.
pub type Parts = Vec<(&'static str, Array)>;

/// How `norm` and `cond` measure: NumPy's `ord`/`p`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NormOrd {
    /// Frobenius for matrices, 2-norm for vectors.
    Default,
    P(f64),
    Fro,
    Nuc,
}

impl NormOrd {
    fn text(self) -> String {
        match self {
            NormOrd::Default => "none".into(),
            NormOrd::Fro => "\"fro\"".into(),
            NormOrd::Nuc => "\"nuc\"".into(),
            NormOrd::P(p) if p.is_infinite() => if p > 0.0 { "inf" } else { "-inf" }.into(),
            NormOrd::P(p) => crate::value::float_repr(p),
        }
    }
}

// ------------------------------------------------------------------ plumbing

/// An input widened to one of the two working types; `narrow` remembers a
/// float32 input so results can be rounded back.
enum Work {
    Real(ArrayD<f64>, bool),
    Complex(ArrayD<C64>),
}

fn work(a: &Array) -> Work {
    match a {
        Array::C128(x) => Work::Complex(x.clone()),
        Array::F32(x) => Work::Real(x.mapv(f64::from), true),
        other => Work::Real(
            other.widen(DType::Float64).to_f64_array().expect("widened"),
            false,
        ),
    }
}

/// Runs generic code over the working type of `$a`.
macro_rules! on_field {
    ($a:expr, |$x:ident, $narrow:ident| $body:expr) => {
        match work($a) {
            Work::Real($x, $narrow) => $body,
            Work::Complex($x) => {
                let $narrow = false;
                $body
            }
        }
    };
}

/// Wraps a result, rounding to float32 when the input was float32.
fn out<T: Elem>(x: ArrayD<T>, narrow: bool) -> Array {
    let a = T::wrap(x);
    if narrow && a.dtype() == DType::Float64 {
        a.cast(DType::Float32)
            .expect("float64 to float32 always casts")
    } else {
        a
    }
}

fn real_out(x: ArrayD<f64>, narrow: bool) -> Array {
    out(x, narrow)
}

/// The batch shape and matrix size of a stack of matrices, or why it is not
/// one. `arg` is the argument blamed in the error.
fn matrix_dims(
    name: &str,
    shape: &[usize],
    square: bool,
    arg: usize,
) -> OpResult<(Vec<usize>, usize, usize)> {
    if shape.len() < 2 {
        let what = if shape.is_empty() {
            "a scalar".to_string()
        } else {
            format!("a vector of {}", shape[0])
        };
        return Err(OpError::shape_at(
            arg,
            format!("{name} needs a matrix (or a stack of matrices), got {what}"),
        ));
    }
    let (m, n) = (shape[shape.len() - 2], shape[shape.len() - 1]);
    if square && m != n {
        return Err(OpError::shape_at(
            arg,
            format!(
                "{name} needs a square matrix, got {}",
                shape_text(&shape[shape.len() - 2..])
            ),
        ));
    }
    Ok((shape[..shape.len() - 2].to_vec(), m, n))
}

/// The matrices of a stack, in row-major batch order, as owned 2-D arrays.
fn matrices<T: Clone>(a: &ArrayD<T>) -> Vec<Array2<T>> {
    let nd = a.ndim();
    let (m, n) = (a.shape()[nd - 2], a.shape()[nd - 1]);
    let count: usize = a.shape()[..nd - 2].iter().product();
    let flat: Vec<T> = a.iter().cloned().collect();
    (0..count)
        .map(|b| {
            Array2::from_shape_vec((m, n), flat[b * m * n..(b + 1) * m * n].to_vec())
                .expect("m×n elements")
        })
        .collect()
}

/// Re-stacks per-matrix results of one shape under the batch shape.
fn stack<T: Clone, D: ndarray::Dimension>(
    batch: &[usize],
    inner: &[usize],
    parts: &[ndarray::Array<T, D>],
) -> ArrayD<T> {
    let data: Vec<T> = parts.iter().flat_map(|p| p.iter().cloned()).collect();
    let shape: Vec<usize> = batch.iter().chain(inner).copied().collect();
    ArrayD::from_shape_vec(IxDyn(&shape), data).expect("every part has the inner shape")
}

/// The multi-index of batch entry `flat`, for messages.
fn batch_index(batch: &[usize], mut flat: usize) -> Vec<usize> {
    let mut idx = vec![0; batch.len()];
    for (i, &d) in batch.iter().enumerate().rev() {
        if d > 0 {
            idx[i] = flat % d;
            flat /= d;
        }
    }
    idx
}

fn where_in_batch(index: &[usize]) -> String {
    if index.is_empty() {
        String::new()
    } else {
        format!(
            " (the matrix at batch index [{}])",
            index
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn singular(rank: usize, n: usize, index: &[usize]) -> OpError {
    OpError::domain_at(
        0,
        format!(
            "matrix is singular: rank {rank} < {n}{}",
            where_in_batch(index)
        ),
    )
}

fn not_finite(index: &[usize]) -> OpError {
    OpError::domain_at(
        0,
        format!(
            "the matrix contains nan or infinity{}",
            where_in_batch(index)
        ),
    )
}

fn check_near_singular(cond: f64, index: &[usize], warnings: &mut Vec<Warning>) {
    if cond > 1.0 / f64::EPSILON {
        warnings.push(Warning::NearSingular {
            cond,
            index: index.to_vec(),
        });
    }
}

/// NumPy's default rank tolerance: σ_max · max(m, n) · eps.
fn rank_of(s: &Array1<f64>, m: usize, n: usize, tol: Option<f64>) -> usize {
    let smax = s.iter().copied().fold(0.0, f64::max);
    let tol = tol.unwrap_or(smax * m.max(n) as f64 * f64::EPSILON);
    s.iter().filter(|&&v| v > tol).count()
}

/// The rank reported for a matrix LU found singular; never n, since an
/// exactly zero pivot means it is singular even if rounding hides that.
fn singular_rank<T: Field>(a: ArrayView2<T>) -> usize {
    let n = a.nrows();
    k::singular_values(a).map_or(n - 1, |s| rank_of(&s, n, n, None).min(n - 1))
}

// ------------------------------------------------------- square-matrix ops

/// `det(A)`: exact for bool and int64 (an overflow is an error), LU-based
/// otherwise.
pub fn det(a: &Array) -> OpResult<Array> {
    let (batch, _, _) = matrix_dims("det", a.shape(), true, 0)?;
    if matches!(a.dtype(), DType::Bool | DType::Int64) {
        let x = a.to_i64_array().expect("bool and int64 are exact");
        let dets: Option<Vec<i64>> = matrices(&x).iter().map(|m| det_i64(m.view())).collect();
        let dets = dets.ok_or_else(|| OpError::overflow("det"))?;
        return Ok(Array::Int(
            ArrayD::from_shape_vec(IxDyn(&batch), dets).expect("one per matrix"),
        ));
    }
    on_field!(a, |x, narrow| {
        let dets: Vec<_> = matrices(&x)
            .iter()
            .map(|m| {
                if m.is_empty() {
                    Field::from_real(1.0)
                } else {
                    Lu::new(m.view()).det()
                }
            })
            .collect();
        Ok(out(
            ArrayD::from_shape_vec(IxDyn(&batch), dets).expect("one per matrix"),
            narrow,
        ))
    })
}

/// `inv(A)`. An exactly singular matrix is an error giving its rank; a
/// nearly singular one gives a warning and the result.
pub fn inv(a: &Array, warnings: &mut Vec<Warning>) -> OpResult<Array> {
    let (batch, n, _) = matrix_dims("inv", a.shape(), true, 0)?;
    on_field!(a, |x, narrow| {
        let mut parts = Vec::new();
        for (b, m) in matrices(&x).iter().enumerate() {
            if n == 0 {
                parts.push(m.clone());
                continue;
            }
            let lu = Lu::new(m.view());
            let index = batch_index(&batch, b);
            if lu.zero_pivots() > 0 {
                return Err(singular(singular_rank(m.view()), n, &index));
            }
            let r = lu.inverse();
            check_near_singular(k::norm1(m.view()) * k::norm1(r.view()), &index, warnings);
            parts.push(r);
        }
        Ok(out(stack(&batch, &[n, n], &parts), narrow))
    })
}

/// `A \ b` as the operator: `solve_checked` without its warnings.
pub fn solve(a: &Array, b: &Array) -> OpResult<Array> {
    solve_checked(a, b, &mut Vec::new())
}

/// `solve(A, b)`: A is (..., M, M); b is a vector (M) or (..., M, K), with
/// batch axes broadcast against A's (NumPy 2's rule).
pub fn solve_checked(a: &Array, b: &Array, warnings: &mut Vec<Warning>) -> OpResult<Array> {
    let (abatch, n, _) = matrix_dims("solve", a.shape(), true, 0)?;
    let vector = b.ndim() == 1;
    if b.ndim() == 0 {
        return Err(OpError::shape_at(
            1,
            "b must be a vector or a matrix, got a scalar",
        ));
    }
    let rows = if vector {
        b.shape()[0]
    } else {
        b.shape()[b.ndim() - 2]
    };
    if rows != n {
        return Err(OpError::shape_at(
            1,
            format!(
                "A is {} but b has {rows} rows: b needs one row per row of A ({n})",
                shape_text(&a.shape()[a.ndim() - 2..])
            ),
        ));
    }
    let (bbatch, kcols) = if vector {
        (vec![], 1)
    } else {
        (b.shape()[..b.ndim() - 2].to_vec(), b.shape()[b.ndim() - 1])
    };
    let batch = broadcast_shapes(&abatch, &bbatch).map_err(|_| {
        OpError::shape(format!(
            "batch axes {} of A and {} of b do not broadcast",
            shape_text(&abatch),
            shape_text(&bbatch)
        ))
    })?;
    let complex = a.dtype() == DType::Complex128 || b.dtype() == DType::Complex128;
    let narrow = a.dtype() == DType::Float32 && b.dtype() == DType::Float32;
    if complex {
        solve_in(
            &a.to_c64_array(),
            &b.to_c64_array(),
            &batch,
            vector,
            n,
            kcols,
            narrow,
            warnings,
        )
    } else {
        let (Work::Real(x, _), Work::Real(y, _)) = (work(a), work(b)) else {
            unreachable!("real inputs")
        };
        solve_in(&x, &y, &batch, vector, n, kcols, narrow, warnings)
    }
}

#[allow(clippy::too_many_arguments)]
fn solve_in<T: Field>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    batch: &[usize],
    vector: bool,
    n: usize,
    kcols: usize,
    narrow: bool,
    warnings: &mut Vec<Warning>,
) -> OpResult<Array> {
    let a_full: Vec<usize> = batch.iter().copied().chain([n, n]).collect();
    let a = a
        .broadcast(IxDyn(&a_full))
        .expect("batch shape was checked")
        .to_owned();
    let b = if vector {
        b.broadcast(IxDyn(&batch.iter().copied().chain([n]).collect::<Vec<_>>()))
            .expect("checked")
            .to_owned()
            .insert_axis(Axis(batch.len() + 1))
    } else {
        b.broadcast(IxDyn(
            &batch.iter().copied().chain([n, kcols]).collect::<Vec<_>>(),
        ))
        .expect("checked")
        .to_owned()
    };
    let mut parts = Vec::new();
    for (i, (m, rhs)) in matrices(&a).iter().zip(matrices(&b)).enumerate() {
        if n == 0 {
            parts.push(rhs);
            continue;
        }
        let lu = Lu::new(m.view());
        let index = batch_index(batch, i);
        if lu.zero_pivots() > 0 {
            return Err(singular(singular_rank(m.view()), n, &index));
        }
        check_near_singular(
            k::norm1(m.view()) * lu.inverse_norm1_estimate(),
            &index,
            warnings,
        );
        parts.push(lu.solve(rhs.view()));
    }
    let inner: Vec<usize> = if vector { vec![n] } else { vec![n, kcols] };
    let flat: Vec<ArrayD<T>> = parts.into_iter().map(|p| p.into_dyn()).collect();
    Ok(out(stack(batch, &inner, &flat), narrow))
}

/// `matrix_power(A, n)`: repeated squaring with `@`, so int64 stays exact
/// (and overflow is an error); negative powers invert first.
pub fn matrix_power(a: &Array, p: i64, warnings: &mut Vec<Warning>) -> OpResult<Array> {
    let (batch, n, _) = matrix_dims("matrix_power", a.shape(), true, 0)?;
    if p == 0 {
        let eye = Array2::<f64>::eye(n).into_dyn();
        let full: Vec<usize> = batch.iter().copied().chain([n, n]).collect();
        let e = Array::F64(
            eye.broadcast(IxDyn(&full))
                .expect("leading axes")
                .to_owned(),
        );
        return Ok(e.cast(a.dtype()).expect("0 and 1 fit every dtype"));
    }
    let mut base = if p < 0 { inv(a, warnings)? } else { a.clone() };
    let mut e = p.unsigned_abs();
    let mut acc: Option<Array> = None;
    while e > 0 {
        if e & 1 == 1 {
            acc = Some(match acc {
                None => base.clone(),
                Some(x) => super::matmul::matmul(&x, &base)
                    .map_err(|_| OpError::overflow("matrix_power"))?,
            });
        }
        e >>= 1;
        if e > 0 {
            base = super::matmul::matmul(&base, &base)
                .map_err(|_| OpError::overflow("matrix_power"))?;
        }
    }
    Ok(acc.expect("p ≠ 0 sets at least one bit"))
}

/// `cholesky(A)`: lower L with A = L Lᴴ (or upper U = Lᴴ with A = Uᴴ U).
pub fn cholesky(a: &Array, upper: bool) -> OpResult<Array> {
    let (batch, n, _) = matrix_dims("cholesky", a.shape(), true, 0)?;
    on_field!(a, |x, narrow| {
        let mut parts = Vec::new();
        for (b, m) in matrices(&x).iter().enumerate() {
            let l = k::cholesky(m.view()).ok_or_else(|| {
                OpError::domain_at(
                    0,
                    format!(
                        "matrix is not positive definite{}",
                        where_in_batch(&batch_index(&batch, b))
                    ),
                )
            })?;
            parts.push(if upper {
                l.t().mapv(|v| v.conjugate())
            } else {
                l
            });
        }
        Ok(out(stack(&batch, &[n, n], &parts), narrow))
    })
}

// ---------------------------------------------------------- decompositions

/// `svd(A)`: U, S, Vh with A = U diag(S) Vh; `compute_uv = false` gives S.
pub fn svd(a: &Array, full: bool, compute_uv: bool) -> OpResult<Parts> {
    let (batch, m, n) = matrix_dims("svd", a.shape(), false, 0)?;
    let kk = m.min(n);
    on_field!(a, |x, narrow| {
        let (mut us, mut ss, mut vs) = (Vec::new(), Vec::new(), Vec::new());
        for (b, mat) in matrices(&x).iter().enumerate() {
            let bad = || not_finite(&batch_index(&batch, b));
            if compute_uv {
                let (u, s, vh) = k::svd(mat.view(), full).ok_or_else(bad)?;
                us.push(u);
                ss.push(s);
                vs.push(vh);
            } else {
                ss.push(k::singular_values(mat.view()).ok_or_else(bad)?);
            }
        }
        let s = real_out(stack(&batch, &[kk], &ss), narrow);
        if !compute_uv {
            return Ok(vec![("S", s)]);
        }
        let (um, vn) = if full { (m, n) } else { (kk, kk) };
        Ok(vec![
            ("U", out(stack(&batch, &[m, um], &us), narrow)),
            ("S", s),
            ("Vh", out(stack(&batch, &[vn, n], &vs), narrow)),
        ])
    })
}

/// `qr(A, mode)`: "reduced" (Q m×k, R k×n), "complete" (Q m×m, R m×n) or
/// "r" (R only, k×n).
pub fn qr(a: &Array, mode: &str) -> OpResult<Parts> {
    let (batch, m, n) = matrix_dims("qr", a.shape(), false, 0)?;
    let complete = match mode {
        "reduced" | "r" => false,
        "complete" => true,
        other => {
            return Err(OpError::domain_at(
                1,
                format!("mode must be \"reduced\", \"complete\" or \"r\", got \"{other}\""),
            ));
        }
    };
    let kk = if complete { m } else { m.min(n) };
    on_field!(a, |x, narrow| {
        let (qs, rs): (Vec<_>, Vec<_>) = matrices(&x)
            .iter()
            .map(|mat| k::qr(mat.view(), complete))
            .unzip();
        let r = out(stack(&batch, &[kk, n], &rs), narrow);
        if mode == "r" {
            return Ok(vec![("R", r)]);
        }
        Ok(vec![
            ("Q", out(stack(&batch, &[m, kk], &qs), narrow)),
            ("R", r),
        ])
    })
}

/// `lu(A)`, SciPy's: P, L, U with A = P L U; L is m×k with a unit
/// diagonal, U is k×n, k = min(m, n).
pub fn lu(a: &Array) -> OpResult<Parts> {
    let (batch, m, n) = matrix_dims("lu", a.shape(), false, 0)?;
    let kk = m.min(n);
    on_field!(a, |x, narrow| {
        let (mut ps, mut ls, mut us) = (Vec::new(), Vec::new(), Vec::new());
        for mat in matrices(&x) {
            if kk == 0 {
                ps.push(Array2::eye(m));
                ls.push(Array2::zeros((m, 0)));
                us.push(Array2::zeros((0, n)));
                continue;
            }
            let f = Lu::new(mat.view());
            // Row i of L U is row perm[i] of A, so P has its 1 at (perm[i], i).
            let mut p = Array2::zeros((m, m));
            for (i, &r) in f.perm.iter().enumerate() {
                p[[r, i]] = 1.0;
            }
            ps.push(p);
            ls.push(f.l());
            us.push(f.u());
        }
        // P is real for every input, as in SciPy.
        let p = real_out(stack(&batch, &[m, m], &ps), narrow);
        Ok(vec![
            ("P", p),
            ("L", out(stack(&batch, &[m, kk], &ls), narrow)),
            ("U", out(stack(&batch, &[kk, n], &us), narrow)),
        ])
    })
}

/// `eig(A)`: eigenvalues and unit-norm eigenvectors (columns). Real input
/// gives real results when every eigenvalue is real, as in NumPy.
pub fn eig(a: &Array, vectors: bool) -> OpResult<Parts> {
    let (batch, n, _) = matrix_dims(if vectors { "eig" } else { "eigvals" }, a.shape(), true, 0)?;
    let real_input = a.dtype() != DType::Complex128;
    let narrow = a.dtype() == DType::Float32;
    let (ws, vs) = on_field!(a, |x, _narrow| {
        let (mut ws, mut vs) = (Vec::new(), Vec::new());
        for (b, m) in matrices(&x).iter().enumerate() {
            let (w, v) =
                k::eig(m.view(), vectors).ok_or_else(|| not_finite(&batch_index(&batch, b)))?;
            ws.push(w);
            vs.extend(v);
        }
        (ws, vs)
    });
    let w = stack(&batch, &[n], &ws);
    let all_real = real_input && w.iter().all(|z| z.im == 0.0);
    let finish = |z: ArrayD<C64>| {
        if all_real {
            real_out(z.mapv(|c| c.re), narrow)
        } else {
            Array::C128(z)
        }
    };
    let mut parts = vec![("eigenvalues", finish(w))];
    if vectors {
        parts.push(("eigenvectors", finish(stack(&batch, &[n, n], &vs))));
    }
    Ok(parts)
}

/// `eigh(A, UPLO)`: ascending real eigenvalues and orthonormal eigenvectors
/// of a Hermitian matrix, of which only one triangle is read.
pub fn eigh(a: &Array, upper: bool, vectors: bool) -> OpResult<Parts> {
    let (batch, n, _) = matrix_dims(
        if vectors { "eigh" } else { "eigvalsh" },
        a.shape(),
        true,
        0,
    )?;
    on_field!(a, |x, narrow| {
        let (mut ws, mut vs) = (Vec::new(), Vec::new());
        for (b, m) in matrices(&x).iter().enumerate() {
            let (w, v) = k::eigh(m.view(), upper, vectors)
                .ok_or_else(|| not_finite(&batch_index(&batch, b)))?;
            ws.push(w);
            vs.extend(v);
        }
        let mut parts = vec![("eigenvalues", real_out(stack(&batch, &[n], &ws), narrow))];
        if vectors {
            parts.push(("eigenvectors", out(stack(&batch, &[n, n], &vs), narrow)));
        }
        Ok(parts)
    })
}

// ------------------------------------------------- rank, inverses, spaces

/// `matrix_rank(A, tol, rtol)`: singular values above the tolerance.
pub fn matrix_rank(a: &Array, tol: Option<f64>, rtol: Option<f64>) -> OpResult<Array> {
    if a.ndim() < 2 {
        return Ok(Array::scalar_int(
            a.iter_c64().any(|z| z != C64::new(0.0, 0.0)) as i64,
        ));
    }
    let (batch, m, n) = matrix_dims("matrix_rank", a.shape(), false, 0)?;
    on_field!(a, |x, _narrow| {
        let mut ranks = Vec::new();
        for (b, mat) in matrices(&x).iter().enumerate() {
            let s = k::singular_values(mat.view())
                .ok_or_else(|| not_finite(&batch_index(&batch, b)))?;
            let smax = s.iter().copied().fold(0.0, f64::max);
            ranks.push(rank_of(&s, m, n, tol.or(rtol.map(|r| r * smax))) as i64);
        }
        Ok(Array::Int(
            ArrayD::from_shape_vec(IxDyn(&batch), ranks).expect("one per matrix"),
        ))
    })
}

/// `pinv(A, rcond)`: the Moore-Penrose pseudo-inverse from the SVD,
/// dropping singular values ≤ rcond · σ_max (NumPy's default rcond 1e-15).
pub fn pinv(a: &Array, rcond: f64) -> OpResult<Array> {
    let (batch, m, n) = matrix_dims("pinv", a.shape(), false, 0)?;
    on_field!(a, |x, narrow| {
        let mut parts = Vec::new();
        for (b, mat) in matrices(&x).iter().enumerate() {
            let (u, s, vh) =
                k::svd(mat.view(), false).ok_or_else(|| not_finite(&batch_index(&batch, b)))?;
            let p = pinv_from_svd(&u, &s, &vh, rcond);
            parts.push(p);
        }
        Ok(out(stack(&batch, &[n, m], &parts), narrow))
    })
}

/// V diag(1/s) Uᴴ over the singular values above rcond · σ_max.
fn pinv_from_svd<T: Field>(
    u: &Array2<T>,
    s: &Array1<f64>,
    vh: &Array2<T>,
    rcond: f64,
) -> Array2<T> {
    let (m, n) = (u.nrows(), vh.ncols());
    let cut = rcond * s.iter().copied().fold(0.0, f64::max);
    let mut p = Array2::from_elem((n, m), T::from_real(0.0));
    for (i, &si) in s.iter().enumerate() {
        if si > cut {
            let inv = T::from_real(1.0 / si);
            for r in 0..n {
                let vr = vh[[i, r]].conjugate() * inv;
                for c in 0..m {
                    p[[r, c]] += vr * u[[c, i]].conjugate();
                }
            }
        }
    }
    p
}

/// `lstsq(A, b, rcond)`: x minimising ‖b − A x‖₂ (the minimum-norm one when
/// A is rank-deficient), with residuals, rank and singular values.
pub fn lstsq(a: &Array, b: &Array, rcond: Option<f64>) -> OpResult<Parts> {
    if a.ndim() != 2 {
        return Err(OpError::shape_at(
            0,
            format!("A must be a matrix, got shape {}", shape_text(a.shape())),
        ));
    }
    let m = a.shape()[0];
    let vector = b.ndim() == 1;
    if !(1..=2).contains(&b.ndim()) || b.shape()[0] != m {
        return Err(OpError::shape_at(
            1,
            format!(
                "b must have {m} rows like A ({}), got shape {}",
                shape_text(a.shape()),
                shape_text(b.shape())
            ),
        ));
    }
    let complex = a.dtype() == DType::Complex128 || b.dtype() == DType::Complex128;
    let narrow = a.dtype() == DType::Float32 && b.dtype() == DType::Float32;
    if complex {
        lstsq_in(a.to_c64_array(), b.to_c64_array(), vector, rcond, narrow)
    } else {
        let (Work::Real(x, _), Work::Real(y, _)) = (work(a), work(b)) else {
            unreachable!("real inputs")
        };
        lstsq_in(x, y, vector, rcond, narrow)
    }
}

fn lstsq_in<T: Field>(
    a: ArrayD<T>,
    b: ArrayD<T>,
    vector: bool,
    rcond: Option<f64>,
    narrow: bool,
) -> OpResult<Parts> {
    let a = a
        .into_dimensionality::<ndarray::Ix2>()
        .expect("checked 2-D");
    let (m, n) = a.dim();
    let b2 = if vector {
        b.clone().insert_axis(Axis(1))
    } else {
        b.clone()
    }
    .into_dimensionality::<ndarray::Ix2>()
    .expect("checked 1-D or 2-D");
    let kcols = b2.ncols();
    let (u, s, vh) = k::svd(a.view(), false).ok_or_else(|| not_finite(&[]))?;
    let smax = s.iter().copied().fold(0.0, f64::max);
    let cut = rcond.unwrap_or(f64::EPSILON * m.max(n) as f64) * smax;
    let rank = s.iter().filter(|&&v| v > cut).count();
    // x = V_r diag(1/s_r) U_rᴴ b
    let mut x = Array2::<T>::zeros((n, kcols));
    for i in 0..rank {
        let inv = T::from_real(1.0 / s[i]);
        for c in 0..kcols {
            let mut dot = T::from_real(0.0);
            for r in 0..m {
                dot += u[[r, i]].conjugate() * b2[[r, c]];
            }
            let coef = dot * inv;
            for r in 0..n {
                x[[r, c]] += vh[[i, r]].conjugate() * coef;
            }
        }
    }
    let residuals = if rank == n && m > n {
        let mut res = vec![0.0; kcols];
        for (c, rc) in res.iter_mut().enumerate() {
            for r in 0..m {
                let mut ax = T::from_real(0.0);
                for j in 0..n {
                    ax += a[[r, j]] * x[[j, c]];
                }
                *rc += (b2[[r, c]] - ax).magnitude().powi(2);
            }
        }
        res
    } else {
        vec![]
    };
    let x = if vector {
        x.index_axis(Axis(1), 0).to_owned().into_dyn()
    } else {
        x.into_dyn()
    };
    Ok(vec![
        ("x", out(x, narrow)),
        (
            "residuals",
            real_out(Array1::from(residuals).into_dyn(), narrow),
        ),
        ("rank", Array::scalar_int(rank as i64)),
        ("s", real_out(s.into_dyn(), narrow)),
    ])
}

/// SciPy's `null_space(A)` (orthonormal columns spanning {x : A x = 0}) or
/// `orth(A)` (orthonormal columns spanning the range of A).
pub fn subspace(a: &Array, rcond: Option<f64>, null: bool) -> OpResult<Array> {
    let name = if null { "null_space" } else { "orth" };
    if a.ndim() != 2 {
        return Err(OpError::shape_at(
            0,
            format!("{name} needs a matrix, got shape {}", shape_text(a.shape())),
        ));
    }
    let (m, n) = (a.shape()[0], a.shape()[1]);
    on_field!(a, |x, narrow| {
        let x = x
            .into_dimensionality::<ndarray::Ix2>()
            .expect("checked 2-D");
        let (u, s, vh) = k::svd(x.view(), null).ok_or_else(|| not_finite(&[]))?;
        let smax = s.iter().copied().fold(0.0, f64::max);
        let cut = rcond.unwrap_or(f64::EPSILON * m.max(n) as f64) * smax;
        let rank = s.iter().filter(|&&v| v > cut).count();
        let basis = if null {
            Array2::from_shape_fn((n, n - rank), |(i, j)| vh[[rank + j, i]].conjugate())
        } else {
            u.slice(ndarray::s![.., ..rank]).to_owned()
        };
        Ok(out(basis.into_dyn(), narrow))
    })
}

// ------------------------------------------------------------------ norms

/// `norm(x, ord, axis, keepdims)`, NumPy's rules: no axis and no ord is the
/// 2-norm of everything; one axis is a vector norm; two axes a matrix norm.
pub fn norm(x: &Array, ord: NormOrd, axis: Option<&[i64]>, keepdims: bool) -> OpResult<Array> {
    let nd = x.ndim();
    let axes: Vec<usize> = match axis {
        Some(ax) => {
            let mut v = Vec::new();
            for &a in ax {
                v.push(
                    super::shape::normalize_axis(a, nd).map_err(|_| OpError::Axis {
                        axis: a,
                        ndim: nd,
                        arg: Some(2),
                    })?,
                );
            }
            if v.len() == 2 && v[0] == v[1] {
                return Err(OpError::domain_at(
                    2,
                    "the two axes of a matrix norm must differ",
                ));
            }
            if v.is_empty() || v.len() > 2 {
                return Err(OpError::domain_at(
                    2,
                    "axis must be one axis (a vector norm) or two (a matrix norm)",
                ));
            }
            v
        }
        None if ord == NormOrd::Default => (0..nd).collect(),
        None if nd == 1 || nd == 2 => (0..nd).collect(),
        None => {
            return Err(OpError::shape_at(
                0,
                format!(
                    "ord={} needs a vector or a matrix, got shape {}; give axis= to pick the axes",
                    ord.text(),
                    shape_text(x.shape())
                ),
            ));
        }
    };
    // An ord that does not fit the number of axes is refused before any
    // data is read, as NumPy does, so an empty stack is refused too.
    if axes.len() == 1 && matches!(ord, NormOrd::Fro | NormOrd::Nuc) {
        return Err(OpError::domain_at(
            1,
            format!(
                "ord={} is a matrix norm; for vectors use 2 (or 1, inf, -inf, 0, any p)",
                ord.text()
            ),
        ));
    }
    if axes.len() == 2
        && let NormOrd::P(p) = ord
        && !matches!(p.abs(), 1.0 | 2.0)
        && !p.is_infinite()
    {
        return Err(OpError::domain_at(
            1,
            format!(
                "ord={} is not a matrix norm; use 1, -1, 2, -2, inf, -inf, \"fro\" or \"nuc\"",
                ord.text()
            ),
        ));
    }
    let narrow = x.dtype() == DType::Float32;
    // The whole array, flattened: the one case with more than two axes.
    if axes.len() > 2 || (axes.len() == nd && ord == NormOrd::Default && axis.is_none()) {
        let total = x.iter_c64().map(|z| z.norm_sqr()).sum::<f64>().sqrt();
        let shape = if keepdims { vec![1; nd] } else { vec![] };
        return Ok(real_out(ArrayD::from_elem(IxDyn(&shape), total), narrow));
    }
    // Move the normed axes to the end, then walk the rest.
    let rest: Vec<usize> = (0..nd).filter(|a| !axes.contains(a)).collect();
    let perm: Vec<usize> = rest.iter().chain(&axes).copied().collect();
    let outer: Vec<usize> = rest.iter().map(|&a| x.shape()[a]).collect();
    let inner: Vec<usize> = axes.iter().map(|&a| x.shape()[a]).collect();
    let values: Vec<f64> = on_field!(x, |arr, _n| {
        let moved = arr.permuted_axes(IxDyn(&perm));
        let flat: Vec<_> = moved.iter().copied().collect();
        let size: usize = inner.iter().product();
        let count: usize = outer.iter().product();
        let mut vals = Vec::with_capacity(count);
        for c in 0..count {
            let chunk = &flat[c * size..(c + 1) * size];
            vals.push(if inner.len() == 1 {
                vector_norm(chunk.iter().map(|v| v.magnitude()), ord)?
            } else {
                let mat = ArrayView2::from_shape((inner[0], inner[1]), chunk)
                    .expect("chunk is the matrix");
                matrix_norm(mat, ord)?
            });
        }
        vals
    });
    let mut shape = outer;
    if keepdims {
        shape = (0..nd)
            .map(|a| if axes.contains(&a) { 1 } else { x.shape()[a] })
            .collect();
    }
    Ok(real_out(
        ArrayD::from_shape_vec(IxDyn(&shape), values).expect("one per vector"),
        narrow,
    ))
}

fn vector_norm(mags: impl Iterator<Item = f64>, ord: NormOrd) -> OpResult<f64> {
    Ok(match ord {
        NormOrd::Default | NormOrd::P(2.0) => mags.map(|v| v * v).sum::<f64>().sqrt(),
        NormOrd::P(p) if p == f64::INFINITY => mags.fold(0.0, f64::max),
        NormOrd::P(p) if p == f64::NEG_INFINITY => mags.fold(f64::INFINITY, f64::min),
        NormOrd::P(0.0) => mags.filter(|&v| v != 0.0).count() as f64,
        NormOrd::P(1.0) => mags.sum(),
        NormOrd::P(p) => mags.map(|v| v.powf(p)).sum::<f64>().powf(1.0 / p),
        NormOrd::Fro | NormOrd::Nuc => {
            return Err(OpError::domain_at(
                1,
                format!(
                    "ord={} is a matrix norm; for vectors use 2 (or 1, inf, -inf, 0, any p)",
                    ord.text()
                ),
            ));
        }
    })
}

fn matrix_norm<T: Field>(a: ArrayView2<T>, ord: NormOrd) -> OpResult<f64> {
    let sums = |axis: usize| -> Vec<f64> {
        a.lanes(Axis(axis))
            .into_iter()
            .map(|l| l.iter().map(|v| v.magnitude()).sum())
            .collect()
    };
    let max = |v: Vec<f64>| v.into_iter().fold(0.0, f64::max);
    let min = |v: Vec<f64>| v.into_iter().fold(f64::INFINITY, f64::min);
    let sv = || k::singular_values(a).ok_or_else(|| not_finite(&[]));
    Ok(match ord {
        NormOrd::Default | NormOrd::Fro => {
            a.iter().map(|v| v.magnitude().powi(2)).sum::<f64>().sqrt()
        }
        NormOrd::Nuc => sv()?.sum(),
        NormOrd::P(1.0) => max(sums(0)),
        NormOrd::P(-1.0) => min(sums(0)),
        NormOrd::P(p) if p == f64::INFINITY => max(sums(1)),
        NormOrd::P(p) if p == f64::NEG_INFINITY => min(sums(1)),
        NormOrd::P(2.0) => sv()?.iter().copied().fold(0.0, f64::max),
        NormOrd::P(-2.0) => sv()?.iter().copied().fold(f64::INFINITY, f64::min),
        NormOrd::P(_) => {
            return Err(OpError::domain_at(
                1,
                format!(
                    "ord={} is not a matrix norm; use 1, -1, 2, -2, inf, -inf, \"fro\" or \"nuc\"",
                    ord.text()
                ),
            ));
        }
    })
}

/// `cond(A, p)`: σ_max/σ_min for the default and ±2 (any shape); otherwise
/// ‖A‖ ‖A⁻¹‖ in that norm (square only), inf for a singular matrix.
pub fn cond(a: &Array, p: NormOrd) -> OpResult<Array> {
    let svd_based = matches!(p, NormOrd::Default | NormOrd::P(2.0) | NormOrd::P(-2.0));
    let (batch, n, _) = matrix_dims("cond", a.shape(), !svd_based, 0)?;
    if let NormOrd::P(q) = p
        && !svd_based
        && q.abs() != 1.0
        && !q.is_infinite()
    {
        return Err(OpError::domain_at(
            1,
            format!(
                "p={} is not a matrix norm; use 1, -1, 2, -2, inf, -inf, \"fro\" or \"nuc\"",
                p.text()
            ),
        ));
    }
    on_field!(a, |x, narrow| {
        let mut vals = Vec::new();
        for mat in matrices(&x) {
            vals.push(if svd_based {
                match k::singular_values(mat.view()) {
                    Some(s) if !s.is_empty() => {
                        let (hi, lo) = (s[0], s[s.len() - 1]);
                        // 0/0 for a zero matrix: NumPy reports it as inf.
                        let c = if p == NormOrd::P(-2.0) {
                            lo / hi
                        } else {
                            hi / lo
                        };
                        if c.is_nan() { f64::INFINITY } else { c }
                    }
                    Some(_) => 0.0,
                    None => f64::NAN,
                }
            } else if n == 0 {
                0.0
            } else {
                let lu = Lu::new(mat.view());
                if lu.zero_pivots() > 0 {
                    f64::INFINITY
                } else {
                    matrix_norm(mat.view(), p)? * matrix_norm(lu.inverse().view(), p)?
                }
            });
        }
        Ok(real_out(
            ArrayD::from_shape_vec(IxDyn(&batch), vals).expect("one per matrix"),
            narrow,
        ))
    })
}
