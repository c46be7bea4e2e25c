//! Linear algebra with `numpy.linalg` semantics (plus `lu`, `null_space` and
//! `orth` from `scipy.linalg`): shape rules, dtypes and batching over leading
//! axes. The factorizations themselves are in `kernel::linalg`; integer
//! determinants are exact (`kernel::linalg_exact`).
//!
//! Dtypes: bool and int64 are computed in float64, as NumPy does; float32 is
//! computed in float64 too and rounded back, so results are at least as
//! accurate as NumPy's float32 LAPACK calls.

use ndarray::{
    Array1, Array2, ArrayBase, ArrayD, ArrayView2, ArrayViewD, Axis, CowArray, Data, IxDyn,
};

use super::broadcast::broadcast_dims;
use super::error::{OpError, OpResult};
use crate::kernel::Exec;
use crate::kernel::linalg::{self as k, Field, Lu};
use crate::kernel::linalg_exact::det_i64;
use crate::value::{Array, C64, DType, Dim, Elem, Meta};

/// Something worth telling the user about a result that was still computed.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// The 1-norm condition number exceeds 1/eps: the result may have no
    /// correct digits. `index` locates the matrix in a batch.
    NearSingular { cond: f64, index: Vec<usize> },
}

/// Named results of the functions that return several arrays.
pub type Parts = Vec<(&'static str, Array)>;

/// What a rule predicts for `Parts`: the same names, each with its metadata.
pub type PartMetas = Vec<(&'static str, Meta)>;

/// How `norm` and `cond` measure: NumPy's `ord`/`p`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NormOrd {
    /// Frobenius for matrices, 2-norm for vectors.
    Default,
    P(f64),
    Fro,
    Nuc,
}

/// Why a linear-algebra operation refuses: the facts, no words (those are
/// in `eval::errors::linalg`). Shapes are the rule's, so an axis the data
/// decides shows as `?`. `index` locates a matrix in a batch (empty for a
/// single matrix).
#[derive(Clone, Debug, PartialEq)]
pub enum LinalgError {
    /// Fewer than two axes where a matrix or a stack of them is needed.
    NotMatrix { op: &'static str, shape: Vec<Dim> },
    /// The last two axes differ where a square matrix is needed.
    NotSquare {
        op: &'static str,
        rows: Dim,
        cols: Dim,
    },
    /// `null_space`/`orth` of something that is not exactly 2-D.
    NotTwoD { op: &'static str, shape: Vec<Dim> },
    /// `lstsq`'s A is not exactly 2-D.
    LstsqMatrix { shape: Vec<Dim> },
    /// `lstsq`'s b is not 1-D or 2-D, or its rows differ from A's.
    LstsqRows { a: Vec<Dim>, b: Vec<Dim> },
    /// `solve`'s b is a scalar.
    SolveScalar,
    /// `solve`'s b has `rows` rows for an n×n A.
    SolveRows { n: Dim, rows: Dim },
    /// The batch axes of `solve`'s A and b do not broadcast.
    SolveBatch { a: Vec<Dim>, b: Vec<Dim> },
    /// A `qr` mode other than "reduced", "complete" and "r".
    QrMode { mode: String },
    /// `norm`'s two axes are the same axis.
    NormAxesEqual,
    /// `norm` given neither one nor two axes.
    NormAxisCount { count: usize },
    /// A non-default `ord` without `axis` for an array that is neither a
    /// vector nor a matrix.
    NormNeedsAxes { ord: NormOrd, shape: Vec<Dim> },
    /// A matrix-only `ord` ("fro", "nuc") for vector norms.
    NotVectorNorm { ord: NormOrd },
    /// An `ord` that is no matrix norm for matrix norms.
    NotMatrixNorm { ord: NormOrd },
    /// A `cond` p that is no matrix norm.
    CondOrd { p: NormOrd },
    /// An exactly singular matrix where an inverse is needed.
    Singular {
        rank: usize,
        n: usize,
        index: Vec<usize>,
    },
    /// nan or an infinity where a factorization cannot take one.
    NotFinite { index: Vec<usize> },
    /// `cholesky` of a matrix that is not positive definite.
    NotPositiveDefinite { index: Vec<usize> },
}

impl LinalgError {
    /// The argument blamed: A (0) for the matrix's own shape and values, b
    /// or the option (1), `norm`'s axis (2); none for a batch clash.
    pub fn arg(&self) -> Option<usize> {
        use LinalgError::*;
        match self {
            NotMatrix { .. }
            | NotSquare { .. }
            | NotTwoD { .. }
            | LstsqMatrix { .. }
            | NormNeedsAxes { .. }
            | Singular { .. }
            | NotFinite { .. }
            | NotPositiveDefinite { .. } => Some(0),
            LstsqRows { .. }
            | SolveScalar
            | SolveRows { .. }
            | QrMode { .. }
            | NotVectorNorm { .. }
            | NotMatrixNorm { .. }
            | CondOrd { .. } => Some(1),
            NormAxesEqual | NormAxisCount { .. } => Some(2),
            SolveBatch { .. } => None,
        }
    }
}

impl From<LinalgError> for OpError {
    fn from(err: LinalgError) -> OpError {
        let arg = err.arg();
        OpError::Linalg { err, arg }
    }
}

// ------------------------------------------------------------------ plumbing

/// An input widened to one of the two working types; `narrow` remembers a
/// float32 input so results can be rounded back. A float64 or complex128
/// input is borrowed, not copied: the factorizations copy it once into
/// their own layout anyway.
enum Work<'a> {
    Real(CowArray<'a, f64, IxDyn>, bool),
    Complex(CowArray<'a, C64, IxDyn>),
}

fn work(a: &Array) -> Work<'_> {
    match a {
        Array::F64(x) => Work::Real(x.view().into(), false),
        Array::C128(x) => Work::Complex(x.view().into()),
        Array::F32(x) => Work::Real(x.mapv(f64::from).into(), true),
        other => Work::Real(
            other
                .widen(DType::Float64)
                .to_f64_array()
                .expect("widened")
                .into(),
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

/// The batch axes and matrix size of a stack of matrices, or why it is not
/// one (blaming argument 0). For a square matrix both sizes are the known
/// one when only one is known.
fn matrix_meta(op: &'static str, a: &Meta, square: bool) -> OpResult<(Vec<Dim>, Dim, Dim)> {
    let nd = a.ndim();
    if nd < 2 {
        return Err(LinalgError::NotMatrix {
            op,
            shape: a.shape.clone(),
        }
        .into());
    }
    let (m, n) = (a.shape[nd - 2].clone(), a.shape[nd - 1].clone());
    let batch = a.shape[..nd - 2].to_vec();
    if !square {
        return Ok((batch, m, n));
    }
    if m.clash(&n) {
        return Err(LinalgError::NotSquare {
            op,
            rows: m,
            cols: n,
        }
        .into());
    }
    let d = m.pick(&n);
    Ok((batch, d.clone(), d))
}

/// The batch shape and matrix size of an array its rule accepted.
fn split(shape: &[usize]) -> (Vec<usize>, usize, usize) {
    let nd = shape.len();
    (shape[..nd - 2].to_vec(), shape[nd - 2], shape[nd - 1])
}

/// The shape a rule predicted for an operation on concrete operands.
fn dims(m: &Meta) -> Vec<usize> {
    m.concrete()
        .expect("a rule given concrete operands predicts known axes unless the data decides")
}

/// `batch` followed by `inner`.
fn joined(batch: &[Dim], inner: &[Dim]) -> Vec<Dim> {
    batch.iter().chain(inner).cloned().collect()
}

/// min(m, n) of two axis lengths: known when both are, or when one is 0.
fn min_dim(m: &Dim, n: &Dim) -> Dim {
    match (m, n) {
        (Dim::Known(a), Dim::Known(b)) => Dim::Known(*a.min(b)),
        (Dim::Known(0), _) | (_, Dim::Known(0)) => Dim::Known(0),
        _ if m.same(n) == Some(true) => m.pick(n),
        _ => match (m.value(), n.value()) {
            (Some(a), Some(b)) => Dim::Known(a.min(b)),
            _ => Dim::Unknown,
        },
    }
}

/// The dtype a factorization gives: complex stays complex, float32 is
/// rounded back to float32, everything else is float64.
fn field_dtype(d: DType) -> DType {
    match d {
        DType::Complex128 | DType::Float32 => d,
        _ => DType::Float64,
    }
}

/// The dtype of a real result (singular values, norms): float32 for
/// float32 input, else float64.
fn real_dtype(d: DType) -> DType {
    if d == DType::Float32 {
        DType::Float32
    } else {
        DType::Float64
    }
}

/// The working dtype of two operands (`solve`, `lstsq`): complex if either
/// is, float32 only if both are.
fn pair_dtype(a: DType, b: DType) -> DType {
    if a == DType::Complex128 || b == DType::Complex128 {
        DType::Complex128
    } else if a == DType::Float32 && b == DType::Float32 {
        DType::Float32
    } else {
        DType::Float64
    }
}

/// The matrices of a stack, in row-major batch order, as views (no copy).
fn matrices<'a, T, S: Data<Elem = T>>(a: &'a ArrayBase<S, IxDyn>) -> Vec<ArrayView2<'a, T>> {
    fn walk<'a, T>(v: ArrayViewD<'a, T>, out: &mut Vec<ArrayView2<'a, T>>) {
        if v.ndim() == 2 {
            out.push(v.into_dimensionality().expect("2-D"));
        } else {
            for sub in v.into_outer_iter() {
                walk(sub, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(a.view(), &mut out);
    out
}

/// Re-stacks per-matrix results of one shape into `shape` (the batch
/// shape followed by theirs).
fn stack<T: Clone, D: ndarray::Dimension>(
    shape: &[usize],
    parts: &[ndarray::Array<T, D>],
) -> ArrayD<T> {
    if let [one] = parts
        && let Some(s) = one.as_slice()
    {
        // One part in order (most calls): a single sequential copy.
        return ArrayD::from_shape_vec(IxDyn(shape), s.to_vec())
            .expect("the part has the whole shape");
    }
    if let [one] = parts
        && let [rows, cols] = one.shape()
        && let Some(s) = one.t().as_slice()
    {
        // One column-major matrix (faer's results): copied in tiles, so
        // that neither side is walked across its rows (a 2048×2048 float64
        // matrix element by element in row order: ~60 ms, most of it cache
        // misses).
        const TILE: usize = 32;
        let (rows, cols) = (*rows, *cols);
        // Every element is overwritten below; the copy only sizes the
        // vector without a `Default` bound.
        let mut data = s.to_vec();
        for ib in (0..rows).step_by(TILE) {
            for jb in (0..cols).step_by(TILE) {
                for i in ib..(ib + TILE).min(rows) {
                    for j in jb..(jb + TILE).min(cols) {
                        data[i * cols + j] = s[j * rows + i].clone();
                    }
                }
            }
        }
        return ArrayD::from_shape_vec(IxDyn(shape), data).expect("the part has the whole shape");
    }
    let data: Vec<T> = parts.iter().flat_map(|p| p.iter().cloned()).collect();
    ArrayD::from_shape_vec(IxDyn(shape), data).expect("every part has the inner shape")
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

fn singular(rank: usize, n: usize, index: &[usize]) -> OpError {
    LinalgError::Singular {
        rank,
        n,
        index: index.to_vec(),
    }
    .into()
}

fn not_finite(index: &[usize]) -> OpError {
    LinalgError::NotFinite {
        index: index.to_vec(),
    }
    .into()
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
fn singular_rank<T: Field>(a: ArrayView2<T>, exec: &Exec) -> usize {
    let n = a.nrows();
    k::singular_values(exec, a).map_or(n - 1, |s| rank_of(&s, n, n, None).min(n - 1))
}

// ------------------------------------------------------- square-matrix ops

/// The rule of `det`: one value per matrix, int64 for bool and int64
/// (exact), the factorization's dtype otherwise.
pub fn det_rule(a: &Meta) -> OpResult<Meta> {
    let (batch, _, _) = matrix_meta("det", a, true)?;
    let dtype = match a.dtype {
        DType::Bool | DType::Int64 => DType::Int64,
        d => field_dtype(d),
    };
    Ok(Meta::with_dims(batch, dtype))
}

/// `det(A)`: exact for bool and int64 (an overflow is an error), LU-based
/// otherwise.
pub fn det(a: &Array, exec: &Exec) -> OpResult<Array> {
    let shape = dims(&det_rule(&Meta::of(a))?);
    if matches!(a.dtype(), DType::Bool | DType::Int64) {
        let x = a.to_i64_array().expect("bool and int64 are exact");
        let dets: Option<Vec<i64>> = matrices(&x).iter().map(|m| det_i64(m.view())).collect();
        let dets = dets.ok_or_else(|| OpError::overflow("det"))?;
        return Ok(Array::Int(
            ArrayD::from_shape_vec(IxDyn(&shape), dets).expect("one per matrix"),
        ));
    }
    on_field!(a, |x, narrow| {
        let dets: Vec<_> = matrices(&x)
            .iter()
            .map(|m| {
                if m.is_empty() {
                    Field::from_real(1.0)
                } else {
                    Lu::new(exec, m.view()).det()
                }
            })
            .collect();
        Ok(out(
            ArrayD::from_shape_vec(IxDyn(&shape), dets).expect("one per matrix"),
            narrow,
        ))
    })
}

/// The rule of `inv` (and of `cholesky`): a square stack of the same shape,
/// in the factorization's dtype.
pub fn inv_rule(a: &Meta) -> OpResult<Meta> {
    square_rule("inv", a)
}

fn square_rule(op: &'static str, a: &Meta) -> OpResult<Meta> {
    let (batch, n, _) = matrix_meta(op, a, true)?;
    Ok(Meta::with_dims(
        joined(&batch, &[n.clone(), n]),
        field_dtype(a.dtype),
    ))
}

/// `inv(A)`. An exactly singular matrix is an error giving its rank; a
/// nearly singular one gives a warning and the result.
pub fn inv(a: &Array, warnings: &mut Vec<Warning>, exec: &Exec) -> OpResult<Array> {
    let shape = dims(&inv_rule(&Meta::of(a))?);
    let (batch, n, _) = split(&shape);
    on_field!(a, |x, narrow| {
        let mut parts = Vec::new();
        for (b, m) in matrices(&x).iter().enumerate() {
            if n == 0 {
                parts.push(m.to_owned());
                continue;
            }
            let lu = Lu::new(exec, m.view());
            let index = batch_index(&batch, b);
            if lu.zero_pivots() > 0 {
                return Err(singular(singular_rank(m.view(), exec), n, &index));
            }
            let r = lu.inverse();
            check_near_singular(k::norm1(m.view()) * k::norm1(r.view()), &index, warnings);
            parts.push(r);
        }
        Ok(out(stack(&shape, &parts), narrow))
    })
}

/// `A \ b` as the operator: `solve_checked` without its warnings.
pub fn solve(a: &Array, b: &Array, exec: &Exec) -> OpResult<Array> {
    solve_checked(a, b, &mut Vec::new(), exec)
}

/// The rule of `solve(A, b)` and of `A \ b`: A is (..., M, M); b is a
/// vector (M) or (..., M, K), with batch axes broadcast against A's (NumPy
/// 2's rule); x has b's shape under the broadcast batch.
pub fn solve_rule(a: &Meta, b: &Meta) -> OpResult<Meta> {
    let (abatch, n, _) = matrix_meta("solve", a, true)?;
    let nb = b.ndim();
    if nb == 0 {
        return Err(LinalgError::SolveScalar.into());
    }
    let vector = nb == 1;
    let rows = b.shape[if vector { 0 } else { nb - 2 }].clone();
    if rows.clash(&n) {
        return Err(LinalgError::SolveRows { n, rows }.into());
    }
    // Where one of the two is unknown, the other tells the length.
    let n = n.pick(&rows);
    let (bbatch, inner) = if vector {
        (vec![], vec![n])
    } else {
        (b.shape[..nb - 2].to_vec(), vec![n, b.shape[nb - 1].clone()])
    };
    let batch = broadcast_dims(&abatch, &bbatch)
        .ok()
        .ok_or_else(|| LinalgError::SolveBatch {
            a: abatch.clone(),
            b: bbatch.clone(),
        })?;
    Ok(Meta::with_dims(
        joined(&batch, &inner),
        pair_dtype(a.dtype, b.dtype),
    ))
}

/// `solve(A, b)`, with warnings for nearly singular matrices.
pub fn solve_checked(
    a: &Array,
    b: &Array,
    warnings: &mut Vec<Warning>,
    exec: &Exec,
) -> OpResult<Array> {
    let res = solve_rule(&Meta::of(a), &Meta::of(b))?;
    let shape = dims(&res);
    let vector = b.ndim() == 1;
    let narrow = res.dtype == DType::Float32;
    if res.dtype == DType::Complex128 {
        solve_in(
            a.to_c64_array().view(),
            b.to_c64_array().view(),
            &shape,
            vector,
            narrow,
            warnings,
            exec,
        )
    } else {
        let (Work::Real(x, _), Work::Real(y, _)) = (work(a), work(b)) else {
            unreachable!("real inputs")
        };
        solve_in(x.view(), y.view(), &shape, vector, narrow, warnings, exec)
    }
}

/// Solves each system of the broadcast stack; `shape` is the result's.
fn solve_in<T: Field>(
    a: ArrayViewD<T>,
    b: ArrayViewD<T>,
    shape: &[usize],
    vector: bool,
    narrow: bool,
    warnings: &mut Vec<Warning>,
    exec: &Exec,
) -> OpResult<Array> {
    // A is (..., n, n).
    let n = a.shape().last().copied().unwrap_or(0);
    let batch = &shape[..shape.len() - if vector { 1 } else { 2 }];
    let a_full: Vec<usize> = batch.iter().copied().chain([n, n]).collect();
    // Views: broadcasting repeats a matrix without copying it.
    let a = a
        .broadcast(IxDyn(&a_full))
        .expect("the rule checked the batch shape");
    let b = if vector {
        b.broadcast(IxDyn(shape))
            .expect("the rule checked the batch shape")
            .insert_axis(Axis(batch.len() + 1))
    } else {
        b.broadcast(IxDyn(shape))
            .expect("the rule checked the batch shape")
    };
    let mut parts = Vec::new();
    for (i, (m, rhs)) in matrices(&a).iter().zip(matrices(&b)).enumerate() {
        if n == 0 {
            parts.push(rhs.to_owned());
            continue;
        }
        let lu = Lu::new(exec, m.view());
        let index = batch_index(batch, i);
        if lu.zero_pivots() > 0 {
            return Err(singular(singular_rank(m.view(), exec), n, &index));
        }
        let (x, estimate) = lu.solve_with_estimate(rhs.view());
        check_near_singular(k::norm1(m.view()) * estimate, &index, warnings);
        parts.push(x);
    }
    Ok(out(stack(shape, &parts), narrow))
}

/// The rule of `matrix_power(A, p)`: A's shape; its dtype for p ≥ 0 (`@`
/// keeps it), the inverse's for p < 0.
pub fn matrix_power_rule(a: &Meta, p: i64) -> OpResult<Meta> {
    let (batch, n, _) = matrix_meta("matrix_power", a, true)?;
    let dtype = if p < 0 { field_dtype(a.dtype) } else { a.dtype };
    Ok(Meta::with_dims(joined(&batch, &[n.clone(), n]), dtype))
}

/// `matrix_power(A, n)`: repeated squaring with `@`, so int64 stays exact
/// (and overflow is an error); negative powers invert first.
pub fn matrix_power(
    a: &Array,
    p: i64,
    warnings: &mut Vec<Warning>,
    exec: &Exec,
) -> OpResult<Array> {
    let res = matrix_power_rule(&Meta::of(a), p)?;
    if p == 0 {
        let n = a.shape()[a.ndim() - 1];
        let eye = Array2::<f64>::eye(n).into_dyn();
        let e = Array::F64(
            eye.broadcast(IxDyn(&dims(&res)))
                .expect("leading axes")
                .to_owned(),
        );
        return Ok(e.cast(res.dtype).expect("0 and 1 fit every dtype"));
    }
    let mut base = if p < 0 {
        inv(a, warnings, exec)?
    } else {
        a.clone()
    };
    let mut e = p.unsigned_abs();
    let mut acc: Option<Array> = None;
    while e > 0 {
        if e & 1 == 1 {
            acc = Some(match acc {
                None => base.clone(),
                Some(x) => super::matmul::matmul(&x, &base, exec)
                    .map_err(|_| OpError::overflow("matrix_power"))?,
            });
        }
        e >>= 1;
        if e > 0 {
            base = super::matmul::matmul(&base, &base, exec)
                .map_err(|_| OpError::overflow("matrix_power"))?;
        }
    }
    Ok(acc.expect("p ≠ 0 sets at least one bit"))
}

/// The rule of `cholesky`: like `inv`'s.
pub fn cholesky_rule(a: &Meta) -> OpResult<Meta> {
    square_rule("cholesky", a)
}

/// `cholesky(A)`: lower L with A = L Lᴴ (or upper U = Lᴴ with A = Uᴴ U).
pub fn cholesky(a: &Array, upper: bool, exec: &Exec) -> OpResult<Array> {
    let shape = dims(&cholesky_rule(&Meta::of(a))?);
    let (batch, _, _) = split(&shape);
    on_field!(a, |x, narrow| {
        let mut parts = Vec::new();
        for (b, m) in matrices(&x).iter().enumerate() {
            let l =
                k::cholesky(exec, m.view()).ok_or_else(|| LinalgError::NotPositiveDefinite {
                    index: batch_index(&batch, b),
                })?;
            parts.push(if upper {
                l.t().mapv(|v| v.conjugate())
            } else {
                l
            });
        }
        Ok(out(stack(&shape, &parts), narrow))
    })
}

// ---------------------------------------------------------- decompositions

/// The rule of `svd`: U (m×m, or m×k reduced), S (k, real) and Vh (n×n, or
/// k×n), k = min(m, n); S alone without `compute_uv`.
pub fn svd_rule(a: &Meta, full: bool, compute_uv: bool) -> OpResult<PartMetas> {
    let (batch, m, n) = matrix_meta("svd", a, false)?;
    let kk = min_dim(&m, &n);
    let s = Meta::with_dims(
        joined(&batch, std::slice::from_ref(&kk)),
        real_dtype(a.dtype),
    );
    if !compute_uv {
        return Ok(vec![("S", s)]);
    }
    let (um, vn) = if full {
        (m.clone(), n.clone())
    } else {
        (kk.clone(), kk)
    };
    let dtype = field_dtype(a.dtype);
    Ok(vec![
        ("U", Meta::with_dims(joined(&batch, &[m, um]), dtype)),
        ("S", s),
        ("Vh", Meta::with_dims(joined(&batch, &[vn, n]), dtype)),
    ])
}

/// `svd(A)`: U, S, Vh with A = U diag(S) Vh; `compute_uv = false` gives S.
pub fn svd(a: &Array, full: bool, compute_uv: bool, exec: &Exec) -> OpResult<Parts> {
    let res = svd_rule(&Meta::of(a), full, compute_uv)?;
    let (batch, _, _) = split(a.shape());
    on_field!(a, |x, narrow| {
        let (mut us, mut ss, mut vs) = (Vec::new(), Vec::new(), Vec::new());
        for (b, mat) in matrices(&x).iter().enumerate() {
            let bad = || not_finite(&batch_index(&batch, b));
            if compute_uv {
                let (u, s, vh) = k::svd(exec, mat.view(), full).ok_or_else(bad)?;
                us.push(u);
                ss.push(s);
                vs.push(vh);
            } else {
                ss.push(k::singular_values(exec, mat.view()).ok_or_else(bad)?);
            }
        }
        let shape = |name: &str| dims(&res.iter().find(|p| p.0 == name).expect("named").1);
        let s = real_out(stack(&shape("S"), &ss), narrow);
        if !compute_uv {
            return Ok(vec![("S", s)]);
        }
        Ok(vec![
            ("U", out(stack(&shape("U"), &us), narrow)),
            ("S", s),
            ("Vh", out(stack(&shape("Vh"), &vs), narrow)),
        ])
    })
}

/// The rule of `qr(A, mode)`: "reduced" (Q m×k, R k×n), "complete" (Q m×m,
/// R m×n) or "r" (R only, k×n), k = min(m, n).
pub fn qr_rule(a: &Meta, mode: &str) -> OpResult<PartMetas> {
    let (batch, m, n) = matrix_meta("qr", a, false)?;
    let kk = match mode {
        "reduced" | "r" => min_dim(&m, &n),
        "complete" => m.clone(),
        other => {
            return Err(LinalgError::QrMode {
                mode: other.to_string(),
            }
            .into());
        }
    };
    let dtype = field_dtype(a.dtype);
    let r = Meta::with_dims(joined(&batch, &[kk.clone(), n]), dtype);
    if mode == "r" {
        return Ok(vec![("R", r)]);
    }
    Ok(vec![
        ("Q", Meta::with_dims(joined(&batch, &[m, kk]), dtype)),
        ("R", r),
    ])
}

/// `qr(A, mode)`, as its rule says.
pub fn qr(a: &Array, mode: &str, exec: &Exec) -> OpResult<Parts> {
    let res = qr_rule(&Meta::of(a), mode)?;
    let complete = mode == "complete";
    on_field!(a, |x, narrow| {
        let (qs, rs): (Vec<_>, Vec<_>) = matrices(&x)
            .iter()
            .map(|mat| k::qr(exec, mat.view(), complete))
            .unzip();
        Ok(res
            .iter()
            .map(|(name, m)| {
                let parts = if *name == "Q" { &qs } else { &rs };
                (*name, out(stack(&dims(m), parts), narrow))
            })
            .collect())
    })
}

/// The rule of `lu`: P (m×m, real), L (m×k) and U (k×n), k = min(m, n).
pub fn lu_rule(a: &Meta) -> OpResult<PartMetas> {
    let (batch, m, n) = matrix_meta("lu", a, false)?;
    let kk = min_dim(&m, &n);
    let dtype = field_dtype(a.dtype);
    Ok(vec![
        (
            "P",
            // P is real for every input, as in SciPy.
            Meta::with_dims(joined(&batch, &[m.clone(), m.clone()]), real_dtype(a.dtype)),
        ),
        (
            "L",
            Meta::with_dims(joined(&batch, &[m, kk.clone()]), dtype),
        ),
        ("U", Meta::with_dims(joined(&batch, &[kk, n]), dtype)),
    ])
}

/// `lu(A)`, SciPy's: P, L, U with A = P L U; L is m×k with a unit
/// diagonal, U is k×n, k = min(m, n).
pub fn lu(a: &Array, exec: &Exec) -> OpResult<Parts> {
    let res = lu_rule(&Meta::of(a))?;
    let (_, m, n) = split(a.shape());
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
            let f = Lu::new(exec, mat.view());
            // Row i of L U is row perm[i] of A, so P has its 1 at (perm[i], i).
            let mut p = Array2::zeros((m, m));
            for (i, &r) in f.perm.iter().enumerate() {
                p[[r, i]] = 1.0;
            }
            ps.push(p);
            ls.push(f.l());
            us.push(f.u());
        }
        Ok(vec![
            ("P", real_out(stack(&dims(&res[0].1), &ps), narrow)),
            ("L", out(stack(&dims(&res[1].1), &ls), narrow)),
            ("U", out(stack(&dims(&res[2].1), &us), narrow)),
        ])
    })
}

/// The rule of `eig`/`eigvals`: n eigenvalues (and n×n eigenvectors) per
/// matrix. Complex input gives complex128; real input gives its real dtype
/// when every eigenvalue is real and complex128 otherwise, which only the
/// values decide.
pub fn eig_rule(a: &Meta, vectors: bool) -> OpResult<PartMetas> {
    let (batch, n, _) = matrix_meta(if vectors { "eig" } else { "eigvals" }, a, true)?;
    let meta = |inner: &[Dim]| {
        let m = Meta::with_dims(joined(&batch, inner), field_dtype(a.dtype));
        m.or_dtype(DType::Complex128)
    };
    let mut parts = vec![("eigenvalues", meta(std::slice::from_ref(&n)))];
    if vectors {
        parts.push(("eigenvectors", meta(&[n.clone(), n])));
    }
    Ok(parts)
}

/// `eig(A)`: eigenvalues and unit-norm eigenvectors (columns). Real input
/// gives real results when every eigenvalue is real, as in NumPy.
pub fn eig(a: &Array, vectors: bool, exec: &Exec) -> OpResult<Parts> {
    let res = eig_rule(&Meta::of(a), vectors)?;
    let (batch, _, _) = split(a.shape());
    let real_input = a.dtype() != DType::Complex128;
    let narrow = a.dtype() == DType::Float32;
    let (ws, vs) = on_field!(a, |x, _narrow| {
        let (mut ws, mut vs) = (Vec::new(), Vec::new());
        for (b, m) in matrices(&x).iter().enumerate() {
            let (w, v) = k::eig(exec, m.view(), vectors)
                .ok_or_else(|| not_finite(&batch_index(&batch, b)))?;
            ws.push(w);
            vs.extend(v);
        }
        (ws, vs)
    });
    let w = stack(&dims(&res[0].1), &ws);
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
        parts.push(("eigenvectors", finish(stack(&dims(&res[1].1), &vs))));
    }
    Ok(parts)
}

/// The rule of `eigh`/`eigvalsh`: n real eigenvalues (and n×n eigenvectors
/// in the factorization's dtype) per matrix.
pub fn eigh_rule(a: &Meta, vectors: bool) -> OpResult<PartMetas> {
    let (batch, n, _) = matrix_meta(if vectors { "eigh" } else { "eigvalsh" }, a, true)?;
    let mut parts = vec![(
        "eigenvalues",
        Meta::with_dims(
            joined(&batch, std::slice::from_ref(&n)),
            real_dtype(a.dtype),
        ),
    )];
    if vectors {
        parts.push((
            "eigenvectors",
            Meta::with_dims(joined(&batch, &[n.clone(), n]), field_dtype(a.dtype)),
        ));
    }
    Ok(parts)
}

/// `eigh(A, UPLO)`: ascending real eigenvalues and orthonormal eigenvectors
/// of a Hermitian matrix, of which only one triangle is read.
pub fn eigh(a: &Array, upper: bool, vectors: bool, exec: &Exec) -> OpResult<Parts> {
    let res = eigh_rule(&Meta::of(a), vectors)?;
    let (batch, _, _) = split(a.shape());
    on_field!(a, |x, narrow| {
        let (mut ws, mut vs) = (Vec::new(), Vec::new());
        for (b, m) in matrices(&x).iter().enumerate() {
            let (w, v) = k::eigh(exec, m.view(), upper, vectors)
                .ok_or_else(|| not_finite(&batch_index(&batch, b)))?;
            ws.push(w);
            vs.extend(v);
        }
        let mut parts = vec![(
            "eigenvalues",
            real_out(stack(&dims(&res[0].1), &ws), narrow),
        )];
        if vectors {
            parts.push(("eigenvectors", out(stack(&dims(&res[1].1), &vs), narrow)));
        }
        Ok(parts)
    })
}

// ------------------------------------------------- rank, inverses, spaces

/// The rule of `matrix_rank`: an int64 per matrix; a scalar or a vector
/// has one rank.
pub fn matrix_rank_rule(a: &Meta) -> OpResult<Meta> {
    if a.ndim() < 2 {
        return Ok(Meta::scalar(DType::Int64));
    }
    let (batch, _, _) = matrix_meta("matrix_rank", a, false)?;
    Ok(Meta::with_dims(batch, DType::Int64))
}

/// `matrix_rank(A, tol, rtol)`: singular values above the tolerance.
pub fn matrix_rank(a: &Array, tol: Option<f64>, rtol: Option<f64>, exec: &Exec) -> OpResult<Array> {
    let res = matrix_rank_rule(&Meta::of(a))?;
    if a.ndim() < 2 {
        return Ok(Array::scalar_int(
            a.iter_c64().any(|z| z != C64::new(0.0, 0.0)) as i64,
        ));
    }
    let (batch, m, n) = split(a.shape());
    on_field!(a, |x, _narrow| {
        let mut ranks = Vec::new();
        for (b, mat) in matrices(&x).iter().enumerate() {
            let s = k::singular_values(exec, mat.view())
                .ok_or_else(|| not_finite(&batch_index(&batch, b)))?;
            let smax = s.iter().copied().fold(0.0, f64::max);
            ranks.push(rank_of(&s, m, n, tol.or(rtol.map(|r| r * smax))) as i64);
        }
        Ok(Array::Int(
            ArrayD::from_shape_vec(IxDyn(&dims(&res)), ranks).expect("one per matrix"),
        ))
    })
}

/// The rule of `pinv`: n×m per m×n matrix, in the factorization's dtype.
pub fn pinv_rule(a: &Meta) -> OpResult<Meta> {
    let (batch, m, n) = matrix_meta("pinv", a, false)?;
    Ok(Meta::with_dims(
        joined(&batch, &[n, m]),
        field_dtype(a.dtype),
    ))
}

/// `pinv(A, rcond)`: the Moore-Penrose pseudo-inverse from the SVD,
/// dropping singular values ≤ rcond · σ_max (NumPy's default rcond 1e-15).
pub fn pinv(a: &Array, rcond: f64, exec: &Exec) -> OpResult<Array> {
    let shape = dims(&pinv_rule(&Meta::of(a))?);
    let (batch, _, _) = split(a.shape());
    on_field!(a, |x, narrow| {
        let mut parts = Vec::new();
        for (b, mat) in matrices(&x).iter().enumerate() {
            let (u, s, vh) = k::svd(exec, mat.view(), false)
                .ok_or_else(|| not_finite(&batch_index(&batch, b)))?;
            let p = pinv_from_svd(&u, &s, &vh, rcond);
            parts.push(p);
        }
        Ok(out(stack(&shape, &parts), narrow))
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

/// The rule of `lstsq(A, b)`: A is m×n, b has m rows (a vector or m×k).
/// x is n (or n×k); the residuals are k sums of squares when A has full
/// column rank and m > n, none otherwise (so the rank decides when m > n);
/// the rank is an int64; s has min(m, n) singular values.
pub fn lstsq_rule(a: &Meta, b: &Meta) -> OpResult<PartMetas> {
    if a.ndim() != 2 {
        return Err(LinalgError::LstsqMatrix {
            shape: a.shape.clone(),
        }
        .into());
    }
    let (m, n) = (&a.shape[0], &a.shape[1]);
    let rows_fit = b.shape.first().is_some_and(|r| !m.clash(r));
    if !(1..=2).contains(&b.ndim()) || !rows_fit {
        return Err(LinalgError::LstsqRows {
            a: a.shape.clone(),
            b: b.shape.clone(),
        }
        .into());
    }
    let dtype = pair_dtype(a.dtype, b.dtype);
    let real = real_dtype(dtype);
    let kcols = b.shape.get(1).cloned().unwrap_or(Dim::Known(1));
    let x = joined(std::slice::from_ref(n), &b.shape[1..]);
    let residuals = match (m, n) {
        (Dim::Known(m), Dim::Known(n)) if m <= n => Dim::Known(0),
        // n = 0: the rank is always n, so m > 0 rows leave k residuals.
        (Dim::Known(_), Dim::Known(0)) => kcols,
        _ => Dim::Unknown,
    };
    Ok(vec![
        ("x", Meta::with_dims(x, dtype)),
        ("residuals", Meta::with_dims(vec![residuals], real)),
        ("rank", Meta::scalar(DType::Int64)),
        ("s", Meta::with_dims(vec![min_dim(m, n)], real)),
    ])
}

/// `lstsq(A, b, rcond)`: x minimising ‖b − A x‖₂ (the minimum-norm one when
/// A is rank-deficient), with residuals, rank and singular values.
pub fn lstsq(a: &Array, b: &Array, rcond: Option<f64>, exec: &Exec) -> OpResult<Parts> {
    let res = lstsq_rule(&Meta::of(a), &Meta::of(b))?;
    let vector = b.ndim() == 1;
    let dtype = res[0].1.dtype;
    let narrow = dtype == DType::Float32;
    if dtype == DType::Complex128 {
        lstsq_in(
            a.to_c64_array(),
            b.to_c64_array(),
            vector,
            rcond,
            narrow,
            exec,
        )
    } else {
        let (Work::Real(x, _), Work::Real(y, _)) = (work(a), work(b)) else {
            unreachable!("real inputs")
        };
        lstsq_in(x.into_owned(), y.into_owned(), vector, rcond, narrow, exec)
    }
}

fn lstsq_in<T: Field>(
    a: ArrayD<T>,
    b: ArrayD<T>,
    vector: bool,
    rcond: Option<f64>,
    narrow: bool,
    exec: &Exec,
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
    let (u, s, vh) = k::svd(exec, a.view(), false).ok_or_else(|| not_finite(&[]))?;
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

/// The rule of SciPy's `null_space(A)` (n×?) and `orth(A)` (m×?) for an
/// m×n A: the column count is the nullity or the rank, which the values
/// decide.
pub fn subspace_rule(a: &Meta, null: bool) -> OpResult<Meta> {
    let op = if null { "null_space" } else { "orth" };
    if a.ndim() != 2 {
        return Err(LinalgError::NotTwoD {
            op,
            shape: a.shape.clone(),
        }
        .into());
    }
    let rows = a.shape[if null { 1 } else { 0 }].clone();
    Ok(Meta::with_dims(
        vec![rows, Dim::Unknown],
        field_dtype(a.dtype),
    ))
}

/// SciPy's `null_space(A)` (orthonormal columns spanning {x : A x = 0}) or
/// `orth(A)` (orthonormal columns spanning the range of A).
pub fn subspace(a: &Array, rcond: Option<f64>, null: bool, exec: &Exec) -> OpResult<Array> {
    subspace_rule(&Meta::of(a), null)?;
    let (m, n) = (a.shape()[0], a.shape()[1]);
    on_field!(a, |x, narrow| {
        let x = x
            .into_dimensionality::<ndarray::Ix2>()
            .expect("checked 2-D");
        let (u, s, vh) = k::svd(exec, x.view(), null).ok_or_else(|| not_finite(&[]))?;
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

/// `norm`'s plan for `x`: the normed axes, whether it is the 2-norm of the
/// whole array, and the result's metadata. The order fits the axes or is
/// refused here, before any data is read (as NumPy does).
fn norm_plan(
    x: &Meta,
    ord: NormOrd,
    axis: Option<&[i64]>,
    keepdims: bool,
) -> OpResult<(Vec<usize>, bool, Meta)> {
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
                return Err(LinalgError::NormAxesEqual.into());
            }
            if v.is_empty() || v.len() > 2 {
                return Err(LinalgError::NormAxisCount { count: v.len() }.into());
            }
            v
        }
        None if ord == NormOrd::Default => (0..nd).collect(),
        None if nd == 1 || nd == 2 => (0..nd).collect(),
        None => {
            return Err(LinalgError::NormNeedsAxes {
                ord,
                shape: x.shape.clone(),
            }
            .into());
        }
    };
    if axes.len() == 1 && !is_vector_ord(ord) {
        return Err(LinalgError::NotVectorNorm { ord }.into());
    }
    if axes.len() == 2 && !is_matrix_ord(ord) {
        return Err(LinalgError::NotMatrixNorm { ord }.into());
    }
    let dtype = real_dtype(x.dtype);
    // The whole array, flattened: the one case with more than two axes.
    let whole = axes.len() > 2 || (axes.len() == nd && ord == NormOrd::Default && axis.is_none());
    let shape: Vec<Dim> = if whole {
        vec![Dim::Known(1); if keepdims { nd } else { 0 }]
    } else if keepdims {
        (0..nd)
            .map(|a| {
                if axes.contains(&a) {
                    Dim::Known(1)
                } else {
                    x.shape[a].clone()
                }
            })
            .collect()
    } else {
        (0..nd)
            .filter(|a| !axes.contains(a))
            .map(|a| x.shape[a].clone())
            .collect()
    };
    Ok((axes, whole, Meta::with_dims(shape, dtype)))
}

/// Every order but "fro" and "nuc" is a vector norm.
fn is_vector_ord(ord: NormOrd) -> bool {
    !matches!(ord, NormOrd::Fro | NormOrd::Nuc)
}

/// The matrix norms: default (Frobenius), "fro", "nuc", ±1, ±2, ±inf.
fn is_matrix_ord(ord: NormOrd) -> bool {
    match ord {
        NormOrd::P(p) => matches!(p.abs(), 1.0 | 2.0) || p.is_infinite(),
        _ => true,
    }
}

/// The rule of `norm(x, ord, axis, keepdims)`: a real result over the
/// axes not normed (kept as 1 with `keepdims`).
pub fn norm_rule(x: &Meta, ord: NormOrd, axis: Option<&[i64]>, keepdims: bool) -> OpResult<Meta> {
    norm_plan(x, ord, axis, keepdims).map(|p| p.2)
}

/// `norm(x, ord, axis, keepdims)`, NumPy's rules: no axis and no ord is the
/// 2-norm of everything; one axis is a vector norm; two axes a matrix norm.
pub fn norm(
    x: &Array,
    ord: NormOrd,
    axis: Option<&[i64]>,
    keepdims: bool,
    exec: &Exec,
) -> OpResult<Array> {
    let (axes, whole, res) = norm_plan(&Meta::of(x), ord, axis, keepdims)?;
    let narrow = x.dtype() == DType::Float32;
    let shape = dims(&res);
    if whole {
        let total = x.iter_c64().map(|z| z.norm_sqr()).sum::<f64>().sqrt();
        return Ok(real_out(ArrayD::from_elem(IxDyn(&shape), total), narrow));
    }
    // Move the normed axes to the end, then walk the rest.
    let nd = x.ndim();
    let rest: Vec<usize> = (0..nd).filter(|a| !axes.contains(a)).collect();
    let perm: Vec<usize> = rest.iter().chain(&axes).copied().collect();
    let inner: Vec<usize> = axes.iter().map(|&a| x.shape()[a]).collect();
    let count: usize = rest.iter().map(|&a| x.shape()[a]).product();
    let values: Vec<f64> = on_field!(x, |arr, _n| {
        let moved = arr.permuted_axes(IxDyn(&perm));
        let flat: Vec<_> = moved.iter().copied().collect();
        let size: usize = inner.iter().product();
        let mut vals = Vec::with_capacity(count);
        for c in 0..count {
            let chunk = &flat[c * size..(c + 1) * size];
            vals.push(if inner.len() == 1 {
                vector_norm(chunk.iter().map(|v| v.magnitude()), ord)
            } else {
                let mat = ArrayView2::from_shape((inner[0], inner[1]), chunk)
                    .expect("chunk is the matrix");
                matrix_norm(mat, ord, exec)?
            });
        }
        vals
    });
    Ok(real_out(
        ArrayD::from_shape_vec(IxDyn(&shape), values).expect("one per vector"),
        narrow,
    ))
}

fn vector_norm(mags: impl Iterator<Item = f64>, ord: NormOrd) -> f64 {
    match ord {
        NormOrd::Default | NormOrd::P(2.0) => mags.map(|v| v * v).sum::<f64>().sqrt(),
        NormOrd::P(p) if p == f64::INFINITY => mags.fold(0.0, f64::max),
        NormOrd::P(p) if p == f64::NEG_INFINITY => mags.fold(f64::INFINITY, f64::min),
        NormOrd::P(0.0) => mags.filter(|&v| v != 0.0).count() as f64,
        NormOrd::P(1.0) => mags.sum(),
        NormOrd::P(p) => mags.map(|v| v.powf(p)).sum::<f64>().powf(1.0 / p),
        NormOrd::Fro | NormOrd::Nuc => unreachable!("the rule refuses matrix orders for vectors"),
    }
}

fn matrix_norm<T: Field>(a: ArrayView2<T>, ord: NormOrd, exec: &Exec) -> OpResult<f64> {
    let sums = |axis: usize| -> Vec<f64> {
        a.lanes(Axis(axis))
            .into_iter()
            .map(|l| l.iter().map(|v| v.magnitude()).sum())
            .collect()
    };
    let max = |v: Vec<f64>| v.into_iter().fold(0.0, f64::max);
    let min = |v: Vec<f64>| v.into_iter().fold(f64::INFINITY, f64::min);
    let sv = || k::singular_values(exec, a).ok_or_else(|| not_finite(&[]));
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
        NormOrd::P(_) => unreachable!("the rules of norm and cond refuse other orders"),
    })
}

/// The rule of `cond(A, p)`: a real value per matrix. The default and ±2
/// take any shape; the other norms (±1, ±inf, "fro", "nuc") need square
/// matrices, since they use the inverse.
pub fn cond_rule(a: &Meta, p: NormOrd) -> OpResult<Meta> {
    let svd_based = cond_by_svd(p);
    let (batch, _, _) = matrix_meta("cond", a, !svd_based)?;
    if let NormOrd::P(q) = p
        && !svd_based
        && q.abs() != 1.0
        && !q.is_infinite()
    {
        return Err(LinalgError::CondOrd { p }.into());
    }
    Ok(Meta::with_dims(batch, real_dtype(a.dtype)))
}

fn cond_by_svd(p: NormOrd) -> bool {
    matches!(p, NormOrd::Default | NormOrd::P(2.0) | NormOrd::P(-2.0))
}

/// `cond(A, p)`: σ_max/σ_min for the default and ±2 (any shape); otherwise
/// ‖A‖ ‖A⁻¹‖ in that norm (square only), inf for a singular matrix.
pub fn cond(a: &Array, p: NormOrd, exec: &Exec) -> OpResult<Array> {
    let shape = dims(&cond_rule(&Meta::of(a), p)?);
    let svd_based = cond_by_svd(p);
    let n = a.shape()[a.ndim() - 1];
    on_field!(a, |x, narrow| {
        let mut vals = Vec::new();
        for mat in matrices(&x) {
            vals.push(if svd_based {
                match k::singular_values(exec, mat.view()) {
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
                let lu = Lu::new(exec, mat.view());
                if lu.zero_pivots() > 0 {
                    f64::INFINITY
                } else {
                    matrix_norm(mat.view(), p, exec)? * matrix_norm(lu.inverse().view(), p, exec)?
                }
            });
        }
        Ok(real_out(
            ArrayD::from_shape_vec(IxDyn(&shape), vals).expect("one per matrix"),
            narrow,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(shape: &[usize], dtype: DType) -> Meta {
        Meta::new(shape, dtype)
    }

    /// A shape with `None` for an axis the data decides.
    fn d(shape: &[Option<usize>], dtype: DType) -> Meta {
        Meta::with_dims(
            shape
                .iter()
                .map(|n| n.map_or(Dim::Unknown, Dim::Known))
                .collect(),
            dtype,
        )
    }

    fn lin(r: OpResult<impl std::fmt::Debug>) -> (LinalgError, Option<usize>) {
        match r {
            Err(OpError::Linalg { err, arg }) => (err, arg),
            other => panic!("expected a linalg error, got {other:?}"),
        }
    }

    const F: DType = DType::Float64;
    const I: DType = DType::Int64;
    const C: DType = DType::Complex128;
    const S: DType = DType::Float32;

    #[test]
    fn matrix_shapes_are_checked_with_the_op_named() {
        assert_eq!(
            lin(det_rule(&m(&[2], F))),
            (
                LinalgError::NotMatrix {
                    op: "det",
                    shape: vec![Dim::Known(2)],
                },
                Some(0)
            )
        );
        assert_eq!(
            lin(eig_rule(&m(&[], F), false)).0,
            LinalgError::NotMatrix {
                op: "eigvals",
                shape: vec![],
            }
        );
        assert_eq!(
            lin(inv_rule(&m(&[2, 3], F))),
            (
                LinalgError::NotSquare {
                    op: "inv",
                    rows: Dim::Known(2),
                    cols: Dim::Known(3),
                },
                Some(0)
            )
        );
        // An unknown side takes the known one's length; two unknowns stay so.
        assert_eq!(inv_rule(&d(&[None, Some(3)], F)).unwrap(), m(&[3, 3], F));
        assert_eq!(
            cholesky_rule(&d(&[Some(4), None, None], S)).unwrap(),
            d(&[Some(4), None, None], S)
        );
    }

    #[test]
    fn det_is_exact_for_integers() {
        assert_eq!(det_rule(&m(&[5, 3, 3], I)).unwrap(), m(&[5], I));
        assert_eq!(det_rule(&m(&[3, 3], DType::Bool)).unwrap(), m(&[], I));
        assert_eq!(det_rule(&m(&[3, 3], S)).unwrap(), m(&[], S));
        assert_eq!(det_rule(&m(&[3, 3], C)).unwrap(), m(&[], C));
    }

    #[test]
    fn inv_and_cholesky_keep_the_shape_in_the_factorization_dtype() {
        assert_eq!(inv_rule(&m(&[2, 4, 4], I)).unwrap(), m(&[2, 4, 4], F));
        assert_eq!(cholesky_rule(&m(&[2, 2], C)).unwrap(), m(&[2, 2], C));
        assert_eq!(
            lin(cholesky_rule(&m(&[2, 1], F))).0,
            LinalgError::NotSquare {
                op: "cholesky",
                rows: Dim::Known(2),
                cols: Dim::Known(1),
            }
        );
    }

    #[test]
    fn solve_broadcasts_batches_and_checks_rows() {
        assert_eq!(solve_rule(&m(&[3, 3], I), &m(&[3], I)).unwrap(), m(&[3], F));
        assert_eq!(
            solve_rule(&m(&[2, 1, 3, 3], S), &m(&[4, 3, 2], S)).unwrap(),
            m(&[2, 4, 3, 2], S)
        );
        assert_eq!(solve_rule(&m(&[3, 3], S), &m(&[3], C)).unwrap(), m(&[3], C));
        assert_eq!(solve_rule(&m(&[3, 3], S), &m(&[3], F)).unwrap(), m(&[3], F));
        assert_eq!(
            lin(solve_rule(&m(&[2, 2], F), &m(&[], F))),
            (LinalgError::SolveScalar, Some(1))
        );
        assert_eq!(
            lin(solve_rule(&m(&[2, 2], F), &m(&[3], F))),
            (
                LinalgError::SolveRows {
                    n: Dim::Known(2),
                    rows: Dim::Known(3)
                },
                Some(1)
            )
        );
        assert_eq!(
            lin(solve_rule(&m(&[2, 2, 2], F), &m(&[3, 2, 1], F))),
            (
                LinalgError::SolveBatch {
                    a: vec![Dim::Known(2)],
                    b: vec![Dim::Known(3)],
                },
                None
            )
        );
        assert_eq!(
            lin(solve_rule(&m(&[3, 3], F), &m(&[4, 2], F))).0,
            LinalgError::SolveRows {
                n: Dim::Known(3),
                rows: Dim::Known(4)
            }
        );
        // Unknown lengths fit anything and pass on what is known.
        assert_eq!(
            solve_rule(&d(&[None, None], F), &d(&[Some(3), Some(2)], F)).unwrap(),
            m(&[3, 2], F)
        );
        assert_eq!(
            solve_rule(
                &d(&[None, Some(2), Some(2)], F),
                &d(&[Some(5), Some(2), None], F)
            )
            .unwrap(),
            d(&[Some(5), Some(2), None], F)
        );
    }

    #[test]
    fn matrix_power_keeps_the_dtype_unless_it_inverts() {
        assert_eq!(matrix_power_rule(&m(&[2, 2], I), 5).unwrap(), m(&[2, 2], I));
        assert_eq!(
            matrix_power_rule(&m(&[2, 2], DType::Bool), 0).unwrap(),
            m(&[2, 2], DType::Bool)
        );
        assert_eq!(
            matrix_power_rule(&m(&[2, 2], I), -1).unwrap(),
            m(&[2, 2], F)
        );
        assert_eq!(
            lin(matrix_power_rule(&m(&[2, 3], I), 2)).0,
            LinalgError::NotSquare {
                op: "matrix_power",
                rows: Dim::Known(2),
                cols: Dim::Known(3),
            }
        );
    }

    #[test]
    fn decompositions_name_their_parts() {
        let names = |p: &PartMetas| p.iter().map(|(n, _)| *n).collect::<Vec<_>>();
        let s = svd_rule(&m(&[4, 5, 3], I), true, true).unwrap();
        assert_eq!(
            s,
            vec![
                ("U", m(&[4, 5, 5], F)),
                ("S", m(&[4, 3], F)),
                ("Vh", m(&[4, 3, 3], F)),
            ]
        );
        let s = svd_rule(&m(&[5, 3], C), false, true).unwrap();
        assert_eq!(s[0].1, m(&[5, 3], C));
        assert_eq!(s[1].1, m(&[3], F));
        assert_eq!(s[2].1, m(&[3, 3], C));
        assert_eq!(
            svd_rule(&m(&[5, 3], S), true, false).unwrap(),
            vec![("S", m(&[3], S))]
        );
        // min(m, n) is known when one side is 0.
        assert_eq!(
            svd_rule(&d(&[None, Some(0)], F), true, false).unwrap(),
            vec![("S", m(&[0], F))]
        );
        assert_eq!(
            qr_rule(&m(&[5, 3], F), "reduced").unwrap(),
            vec![("Q", m(&[5, 3], F)), ("R", m(&[3, 3], F))]
        );
        assert_eq!(
            qr_rule(&m(&[5, 3], F), "complete").unwrap(),
            vec![("Q", m(&[5, 5], F)), ("R", m(&[5, 3], F))]
        );
        assert_eq!(
            qr_rule(&m(&[2, 5, 3], I), "r").unwrap(),
            vec![("R", m(&[2, 3, 3], F))]
        );
        assert_eq!(
            lin(qr_rule(&m(&[2, 2], F), "raw")),
            (LinalgError::QrMode { mode: "raw".into() }, Some(1))
        );
        assert_eq!(
            lu_rule(&m(&[2, 3], C)).unwrap(),
            vec![
                ("P", m(&[2, 2], F)),
                ("L", m(&[2, 2], C)),
                ("U", m(&[2, 3], C)),
            ]
        );
        assert_eq!(names(&lu_rule(&m(&[1, 1], F)).unwrap()), ["P", "L", "U"]);
        assert_eq!(lin(lu_rule(&m(&[3], F))).1, Some(0));
    }

    #[test]
    fn eig_dtype_is_decided_by_the_values_for_real_input() {
        let e = eig_rule(&m(&[3, 3], I), true).unwrap();
        assert_eq!(names_of(&e), ["eigenvalues", "eigenvectors"]);
        assert_eq!(e[0].1, m(&[3], F).or_dtype(C));
        assert_eq!(e[1].1, m(&[3, 3], F).or_dtype(C));
        assert_eq!(
            eig_rule(&m(&[3, 3], S), false).unwrap(),
            vec![("eigenvalues", m(&[3], S).or_dtype(C))]
        );
        assert_eq!(
            eig_rule(&m(&[3, 3], C), false).unwrap(),
            vec![("eigenvalues", m(&[3], C))]
        );
        let h = eigh_rule(&m(&[2, 3, 3], C), true).unwrap();
        assert_eq!(
            h,
            vec![
                ("eigenvalues", m(&[2, 3], F)),
                ("eigenvectors", m(&[2, 3, 3], C)),
            ]
        );
        assert_eq!(
            lin(eigh_rule(&m(&[3, 2], F), false)).0,
            LinalgError::NotSquare {
                op: "eigvalsh",
                rows: Dim::Known(3),
                cols: Dim::Known(2),
            }
        );
    }

    fn names_of(p: &PartMetas) -> Vec<&'static str> {
        p.iter().map(|(n, _)| *n).collect()
    }

    #[test]
    fn rank_pinv_and_subspaces() {
        assert_eq!(matrix_rank_rule(&m(&[4], F)).unwrap(), m(&[], I));
        assert_eq!(matrix_rank_rule(&m(&[5, 2, 3], C)).unwrap(), m(&[5], I));
        assert_eq!(pinv_rule(&m(&[2, 4, 3], S)).unwrap(), m(&[2, 3, 4], S));
        assert_eq!(
            lin(pinv_rule(&m(&[4], F))).0,
            LinalgError::NotMatrix {
                op: "pinv",
                shape: vec![Dim::Known(4)],
            }
        );
        assert_eq!(
            subspace_rule(&m(&[2, 3], I), true).unwrap(),
            d(&[Some(3), None], F)
        );
        assert_eq!(
            subspace_rule(&m(&[2, 3], C), false).unwrap(),
            d(&[Some(2), None], C)
        );
        assert_eq!(
            lin(subspace_rule(&m(&[2, 2, 2], F), false)),
            (
                LinalgError::NotTwoD {
                    op: "orth",
                    shape: vec![Dim::Known(2); 3],
                },
                Some(0)
            )
        );
    }

    #[test]
    fn lstsq_parts_and_its_data_dependent_residuals() {
        let p = lstsq_rule(&m(&[5, 2], I), &m(&[5], I)).unwrap();
        assert_eq!(
            p,
            vec![
                ("x", m(&[2], F)),
                ("residuals", d(&[None], F)),
                ("rank", m(&[], I)),
                ("s", m(&[2], F)),
            ]
        );
        // No more rows than columns: never any residuals.
        let p = lstsq_rule(&m(&[2, 5], S), &m(&[2, 3], S)).unwrap();
        assert_eq!(p[0].1, m(&[5, 3], S));
        assert_eq!(p[1].1, m(&[0], S));
        // No columns: the rank is always full, so one residual per column of b.
        let p = lstsq_rule(&m(&[3, 0], F), &m(&[3, 2], C)).unwrap();
        assert_eq!(p[0].1, m(&[0, 2], C));
        assert_eq!(p[1].1, m(&[2], F));
        assert_eq!(
            lin(lstsq_rule(&m(&[2, 2, 2], F), &m(&[2], F))),
            (
                LinalgError::LstsqMatrix {
                    shape: vec![Dim::Known(2); 3],
                },
                Some(0)
            )
        );
        assert_eq!(
            lin(lstsq_rule(&m(&[3, 2], F), &m(&[2], F))),
            (
                LinalgError::LstsqRows {
                    a: vec![Dim::Known(3), Dim::Known(2)],
                    b: vec![Dim::Known(2)],
                },
                Some(1)
            )
        );
        assert_eq!(lin(lstsq_rule(&m(&[3, 2], F), &m(&[], F))).1, Some(1));
        assert!(lstsq_rule(&d(&[None, Some(2)], F), &m(&[7], F)).is_ok());
    }

    #[test]
    fn norm_axes_and_orders() {
        let x = m(&[2, 3, 4], S);
        assert_eq!(
            norm_rule(&x, NormOrd::Default, None, false).unwrap(),
            m(&[], S)
        );
        assert_eq!(
            norm_rule(&x, NormOrd::Default, None, true).unwrap(),
            m(&[1, 1, 1], S)
        );
        assert_eq!(
            norm_rule(&x, NormOrd::P(1.0), Some(&[-1]), false).unwrap(),
            m(&[2, 3], S)
        );
        assert_eq!(
            norm_rule(&m(&[2, 3, 4], C), NormOrd::Nuc, Some(&[2, 0]), true).unwrap(),
            m(&[1, 3, 1], F)
        );
        assert_eq!(
            norm_rule(&m(&[3, 4], I), NormOrd::P(2.0), None, false).unwrap(),
            m(&[], F)
        );
        assert_eq!(
            norm_rule(&x, NormOrd::P(1.0), Some(&[3]), false),
            Err(OpError::Axis {
                axis: 3,
                ndim: 3,
                arg: Some(2),
            })
        );
        assert_eq!(
            lin(norm_rule(&x, NormOrd::Default, Some(&[1, -2]), false)),
            (LinalgError::NormAxesEqual, Some(2))
        );
        assert_eq!(
            lin(norm_rule(&x, NormOrd::Default, Some(&[0, 1, 2]), false)),
            (LinalgError::NormAxisCount { count: 3 }, Some(2))
        );
        assert_eq!(
            lin(norm_rule(&x, NormOrd::Default, Some(&[]), false)).0,
            LinalgError::NormAxisCount { count: 0 }
        );
        assert_eq!(
            lin(norm_rule(&x, NormOrd::Fro, None, false)),
            (
                LinalgError::NormNeedsAxes {
                    ord: NormOrd::Fro,
                    shape: x.shape.clone(),
                },
                Some(0)
            )
        );
        assert_eq!(
            lin(norm_rule(&m(&[3], F), NormOrd::Fro, None, false)),
            (LinalgError::NotVectorNorm { ord: NormOrd::Fro }, Some(1))
        );
        // Refused even when there is nothing to norm.
        assert_eq!(
            lin(norm_rule(
                &m(&[0, 2, 2], F),
                NormOrd::P(3.0),
                Some(&[1, 2]),
                false
            )),
            (
                LinalgError::NotMatrixNorm {
                    ord: NormOrd::P(3.0)
                },
                Some(1)
            )
        );
    }

    #[test]
    fn cond_needs_a_square_matrix_for_inverse_based_norms() {
        assert_eq!(
            cond_rule(&m(&[4, 2, 3], I), NormOrd::Default).unwrap(),
            m(&[4], F)
        );
        assert_eq!(
            cond_rule(&m(&[2, 3], S), NormOrd::P(-2.0)).unwrap(),
            m(&[], S)
        );
        assert_eq!(cond_rule(&m(&[3, 3], C), NormOrd::Fro).unwrap(), m(&[], F));
        assert_eq!(
            lin(cond_rule(&m(&[2, 3], F), NormOrd::P(1.0))).0,
            LinalgError::NotSquare {
                op: "cond",
                rows: Dim::Known(2),
                cols: Dim::Known(3),
            }
        );
        for p in [3.0, 0.0, f64::NAN] {
            let (err, arg) = lin(cond_rule(&m(&[2, 2], F), NormOrd::P(p)));
            assert!(matches!(err, LinalgError::CondOrd { .. }), "{p}: {err:?}");
            assert_eq!(arg, Some(1));
        }
    }

    #[test]
    fn kernels_give_typed_value_errors() {
        let singular =
            Array::F64(ArrayD::from_shape_vec(IxDyn(&[2, 2]), vec![1.0, 2.0, 2.0, 4.0]).unwrap());
        assert_eq!(
            lin(inv(&singular, &mut Vec::new(), &Exec::from_env())),
            (
                LinalgError::Singular {
                    rank: 1,
                    n: 2,
                    index: vec![],
                },
                Some(0)
            )
        );
        let b = Array::F64(ArrayD::from_shape_vec(IxDyn(&[2]), vec![1.0, 1.0]).unwrap());
        assert!(matches!(
            lin(solve(&singular, &b, &Exec::from_env())).0,
            LinalgError::Singular { rank: 1, n: 2, .. }
        ));
        let negative = Array::F64(
            ArrayD::from_shape_vec(IxDyn(&[1, 2, 2]), vec![-1.0, 0.0, 0.0, 1.0]).unwrap(),
        );
        assert_eq!(
            lin(cholesky(&negative, false, &Exec::from_env())),
            (LinalgError::NotPositiveDefinite { index: vec![0] }, Some(0))
        );
        let nan = Array::F64(
            ArrayD::from_shape_vec(IxDyn(&[2, 2]), vec![1.0, f64::NAN, 0.0, 1.0]).unwrap(),
        );
        assert_eq!(
            lin(svd(&nan, true, true, &Exec::from_env())),
            (LinalgError::NotFinite { index: vec![] }, Some(0))
        );
    }
}
