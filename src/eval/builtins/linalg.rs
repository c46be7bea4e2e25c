//! Built-ins of numpy.linalg (det, inv, solve, svd, ...) and SciPy's lu,
//! null_space and orth, in their own table so the core table stays
//! readable. `ops::linalg` has the rules and does the work; this file reads
//! arguments (once, for rule and run alike) and turns singular matrices and
//! near-singular warnings into diagnostics.

use super::super::errors::linalg::singular_error;
use super::super::errors::near_singular;
use super::{Args, Builtin, Ctx, EResult, builtin, done};
use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::linalg::{self as la, NormOrd, PartMetas, Parts, Warning};
use crate::ops::{OpError, OpResult};
use crate::value::{Array, DType, Kind, Meta, Value};

/// Several named results as a tuple; a single one as a plain array.
fn parts(a: &Args, r: Result<Parts, OpError>) -> EResult<Value> {
    let mut p = r.map_err(|e| lin_err(a, e))?;
    if p.len() == 1 {
        return Ok(Value::Array(p.pop().expect("one part").1));
    }
    Ok(Value::Tuple(
        p.into_iter()
            .map(|(n, x)| (n.to_string(), Value::Array(x)))
            .collect(),
    ))
}

/// What `parts` makes of a rule's prediction: a tuple of the same names,
/// or a plain array for one part.
fn parts_kind(a: &Args, r: OpResult<PartMetas>) -> EResult<Kind> {
    let mut p = r.map_err(|e| a.op_err(e))?;
    if p.len() == 1 {
        return Ok(p.pop().expect("one part").1.into());
    }
    Ok(Kind::Tuple(
        p.into_iter()
            .map(|(n, m)| (n.to_string(), m.into()))
            .collect(),
    ))
}

/// A rule's single array, with its error as `run` would report it.
fn array_kind(a: &Args, r: OpResult<Meta>) -> EResult<Kind> {
    r.map(Kind::from).map_err(|e| a.op_err(e))
}

/// A singular matrix is blamed on the call (the operation that cannot be
/// done) with the matrix underlined; other errors as usual.
fn lin_err(a: &Args, e: OpError) -> Diagnostic {
    if let OpError::Linalg { err, .. } = &e
        && let Some(d) = singular_error(
            a.builtin.name,
            err,
            a.call_span,
            a.span(0),
            a.value(0).describe(),
        )
    {
        return d;
    }
    a.op_err(e)
}

/// Runs an operation that may warn, and turns its warnings into diagnostics.
fn warned(
    cx: &mut Ctx,
    a: &Args,
    f: impl FnOnce(&mut Vec<Warning>) -> Result<Array, OpError>,
) -> EResult<Value> {
    let mut warnings = Vec::new();
    let r = f(&mut warnings).map_err(|e| lin_err(a, e))?;
    for w in warnings {
        cx.warnings
            .push(near_singular(a.builtin.name, a.call_span, &w));
    }
    Ok(Value::Array(r))
}

/// `ord` of norm and `p` of cond: a number (inf included), "fro" or "nuc".
fn norm_ord(a: &Args, i: usize, name: &str) -> EResult<NormOrd> {
    match a.opt(i, name) {
        None => Ok(NormOrd::Default),
        Some((Value::Str(s), span)) => match s.as_str() {
            "fro" => Ok(NormOrd::Fro),
            "nuc" => Ok(NormOrd::Nuc),
            _ => Err(a.kw_error(span, name, "a number, \"fro\" or \"nuc\"")),
        },
        Some((Value::Array(x), _)) if x.is_scalar() && x.dtype() != DType::Complex128 => {
            Ok(NormOrd::P(x.first_c64().expect("0-d").re))
        }
        Some((_, span)) => Err(a.kw_error(span, name, "a number, \"fro\" or \"nuc\"")),
    }
}

/// `axis` of norm: one whole number or a pair.
fn norm_axis(a: &Args) -> EResult<Option<Vec<i64>>> {
    let Some((v, span)) = a.opt(2, "axis") else {
        return Ok(None);
    };
    let bad = || a.kw_error(span, "axis", "a whole number or a pair of them");
    let Value::Array(x) = v else {
        return Err(bad());
    };
    if x.ndim() > 1 || !matches!(x.dtype(), DType::Int64 | DType::Bool) {
        return Err(bad());
    }
    Ok(Some(
        x.to_i64_array()
            .map_err(|_| bad())?
            .iter()
            .copied()
            .collect(),
    ))
}

/// The constant arguments of `norm`.
struct NormArgs {
    ord: NormOrd,
    axis: Option<Vec<i64>>,
    keepdims: bool,
}

fn norm_args(a: &Args) -> EResult<NormArgs> {
    Ok(NormArgs {
        ord: norm_ord(a, 1, "ord")?,
        axis: norm_axis(a)?,
        keepdims: a.kw_bool("keepdims", false)?,
    })
}

/// `tol` and `rtol` of `matrix_rank` (`hermitian` is accepted and
/// ignored: the SVD serves every matrix).
fn rank_args(a: &Args) -> EResult<(Option<f64>, Option<f64>)> {
    let tol = a.opt_f64(1, "tol")?;
    let rtol = a.kw_f64("rtol")?;
    a.kw_bool("hermitian", false)?;
    Ok((tol, rtol))
}

/// `pinv`'s cut-off: `rcond`, else `rtol`, else NumPy's 1e-15.
fn pinv_rcond(a: &Args) -> EResult<f64> {
    a.kw_bool("hermitian", false)?;
    Ok(match (a.opt_f64(1, "rcond")?, a.kw_f64("rtol")?) {
        (Some(r), _) => r,
        (None, Some(r)) => r,
        (None, None) => 1e-15,
    })
}

/// `UPLO` of eigh and eigvalsh: whether the upper triangle is read.
fn upper_triangle(a: &Args) -> EResult<bool> {
    Ok(a.opt_choice(1, "UPLO", "L", &["L", "U"])? == "U")
}

/// `full_matrices` and `compute_uv` of `svd`.
fn svd_args(a: &Args) -> EResult<(bool, bool)> {
    let full = a.kw_bool("full_matrices", true)?;
    let uv = a.kw_bool("compute_uv", true)?;
    a.kw_bool("hermitian", false)?;
    Ok((full, uv))
}

fn qr_mode(a: &Args) -> EResult<String> {
    a.opt_choice(1, "mode", "reduced", &["reduced", "complete", "r"])
}

pub(super) static TABLE: &[Builtin] = &[
    builtin!(
        "linear algebra",
        "det",
        "det(A)",
        1,
        1,
        [],
        "The determinant of a square matrix (or of each matrix in a stack). For int64 and bool matrices it is exact, by fraction-free elimination, so det([[1, 2], [3, 4]]) is -2; an overflow is an error rather than a wrong answer.",
        "det([[1, 2], [3, 4]])",
        rule: |a| array_kind(a, la::det_rule(&a.meta(0)?)),
        run: |_, a| {
            la::det(a.array(0)?, &a.exec).map(Value::Array).map_err(|e| match e {
                OpError::Overflow { .. } => Diagnostic::error(
                    ErrorKind::Domain,
                    "det: integer overflow: the determinant does not fit in int64",
                )
                .primary(a.call_span, "exact integer determinant")
                .secondary(a.span(0), a.value(0).describe())
                .note("int64 determinants are computed exactly; NumPy would round through float64")
                .help("det(float64(A)) gives the rounded value"),
                other => lin_err(a, other),
            })
        }
    ),
    builtin!(
        "linear algebra",
        "inv",
        "inv(A)",
        1,
        1,
        [],
        "The inverse matrix, with A @ inv(A) = I. A singular matrix is an error that gives its rank; a nearly singular one (condition number above 1/eps) gives a warning with the condition number, and the result.",
        "inv([[2, 1], [1, 1]])",
        rule: |a| array_kind(a, la::inv_rule(&a.meta(0)?)),
        run: |cx, a| {
            let x = a.array(0)?;
            warned(cx, a, |w| la::inv(x, w, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "solve",
        "solve(A, b)",
        2,
        2,
        [],
        "The x with A @ x = b for a square, non-singular A; b is a vector or a matrix of right-hand sides. Faster and more accurate than inv(A) @ b. A \\ b is the same.",
        "solve([[3, 1], [1, 2]], [9, 8])",
        rule: |a| array_kind(a, la::solve_rule(&a.meta(0)?, &a.meta(1)?)),
        run: |cx, a| {
            let (x, y) = (a.array(0)?, a.array(1)?);
            warned(cx, a, |w| la::solve_checked(x, y, w, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "lstsq",
        "lstsq(A, b, rcond=None)",
        2,
        3,
        ["rcond"],
        "The least-squares solution x minimising norm(A @ x - b), the smallest such x when A is rank-deficient, with the residuals (sum of squares, empty unless A has full column rank and more rows than columns), the rank of A and its singular values. Singular values below rcond times the largest count as zero.",
        "lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 2])",
        rule: |a| {
            a.opt_f64(2, "rcond")?;
            parts_kind(a, la::lstsq_rule(&a.meta(0)?, &a.meta(1)?))
        },
        run: |_, a| {
            let rcond = a.opt_f64(2, "rcond")?;
            parts(a, la::lstsq(a.array(0)?, a.array(1)?, rcond, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "matrix_rank",
        "matrix_rank(A, tol=None, hermitian=false, rtol=None)",
        1,
        2,
        ["tol", "hermitian", "rtol"],
        "The number of linearly independent rows (or columns): singular values above tol, by default σ_max · max(m, n) · eps. A vector's rank is 1 unless it is all zeros.",
        "matrix_rank([[1, 2], [2, 4]])",
        rule: |a| {
            rank_args(a)?;
            array_kind(a, la::matrix_rank_rule(&a.meta(0)?))
        },
        run: |_, a| {
            let (tol, rtol) = rank_args(a)?;
            done(a, la::matrix_rank(a.array(0)?, tol, rtol, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "norm",
        "norm(x, ord=None, axis=None, keepdims=false)",
        1,
        3,
        ["ord", "axis", "keepdims"],
        "The size of a vector or matrix. Vectors: ord 2 (the default, Euclidean length), 1, inf, -inf, 0 (count of non-zeros) or any p. Matrices: \"fro\" (the default), \"nuc\" (sum of singular values), 2 (largest singular value), 1 and inf (largest column and row sums) and their negatives. axis picks one axis (vector norms) or two (matrix norms).",
        "norm([3, 4])",
        rule: |a| {
            let o = norm_args(a)?;
            array_kind(
                a,
                la::norm_rule(&a.meta(0)?, o.ord, o.axis.as_deref(), o.keepdims),
            )
        },
        run: |_, a| {
            let o = norm_args(a)?;
            done(a, la::norm(a.array(0)?, o.ord, o.axis.as_deref(), o.keepdims, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "cond",
        "cond(A, p=None)",
        1,
        2,
        ["p"],
        "The condition number: how much A can magnify relative errors. By default σ_max/σ_min; with p=1, inf, \"fro\", ... it is norm(A, p) · norm(inv(A), p). A singular matrix has condition number inf.",
        "cond([[1, 2], [3, 4]])",
        rule: |a| {
            let p = norm_ord(a, 1, "p")?;
            array_kind(a, la::cond_rule(&a.meta(0)?, p))
        },
        run: |_, a| {
            let p = norm_ord(a, 1, "p")?;
            done(a, la::cond(a.array(0)?, p, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "pinv",
        "pinv(A, rcond=1e-15, hermitian=false, rtol=None)",
        1,
        2,
        ["rcond", "hermitian", "rtol"],
        "The Moore-Penrose pseudo-inverse, from the SVD with singular values at most rcond · σ_max treated as zero. It exists for every matrix, singular or not square: pinv(A) @ b is the least-squares solution of smallest norm.",
        "pinv([[1, 2], [2, 4]])",
        rule: |a| {
            pinv_rcond(a)?;
            array_kind(a, la::pinv_rule(&a.meta(0)?))
        },
        run: |_, a| {
            let rcond = pinv_rcond(a)?;
            done(a, la::pinv(a.array(0)?, rcond, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "eig",
        "eig(A)",
        1,
        1,
        [],
        "Eigenvalues and eigenvectors of a square matrix: A @ v = λ v for each eigenvalue λ and the unit-length column v of eigenvectors beside it. Real input gives real results when every eigenvalue is real, complex ones otherwise. For a symmetric (Hermitian) matrix use eigh.",
        "eig([[2, 0], [0, 3]])",
        rule: |a| parts_kind(a, la::eig_rule(&a.meta(0)?, true)),
        run: |_, a| { parts(a, la::eig(a.array(0)?, true, &a.exec)) }
    ),
    builtin!(
        "linear algebra",
        "eigvals",
        "eigvals(A)",
        1,
        1,
        [],
        "The eigenvalues of a square matrix, as eig gives them, without the eigenvectors.",
        "eigvals([[0, -1], [1, 0]])",
        rule: |a| parts_kind(a, la::eig_rule(&a.meta(0)?, false)),
        run: |_, a| { parts(a, la::eig(a.array(0)?, false, &a.exec)) }
    ),
    builtin!(
        "linear algebra",
        "eigh",
        "eigh(A, UPLO=\"L\")",
        1,
        2,
        ["UPLO"],
        "Eigenvalues (real, ascending) and orthonormal eigenvectors of a symmetric or Hermitian matrix, of which only the lower (UPLO=\"L\") or upper (\"U\") triangle is read: A = V @ diag(w) @ V'.",
        "eigh([[2, 1], [1, 2]])",
        rule: |a| {
            upper_triangle(a)?;
            parts_kind(a, la::eigh_rule(&a.meta(0)?, true))
        },
        run: |_, a| {
            let upper = upper_triangle(a)?;
            parts(a, la::eigh(a.array(0)?, upper, true, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "eigvalsh",
        "eigvalsh(A, UPLO=\"L\")",
        1,
        2,
        ["UPLO"],
        "The eigenvalues of a symmetric or Hermitian matrix, real and ascending, as eigh gives them.",
        "eigvalsh([[2, 1], [1, 2]])",
        rule: |a| {
            upper_triangle(a)?;
            parts_kind(a, la::eigh_rule(&a.meta(0)?, false))
        },
        run: |_, a| {
            let upper = upper_triangle(a)?;
            parts(a, la::eigh(a.array(0)?, upper, false, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "svd",
        "svd(A, full_matrices=true, compute_uv=true, hermitian=false)",
        1,
        1,
        ["full_matrices", "compute_uv", "hermitian"],
        "The singular value decomposition A = U @ diag(S) @ Vh: U and Vh have orthonormal columns and rows, S is descending and non-negative. full_matrices=false gives the reduced U (m×k) and Vh (k×n); compute_uv=false gives S alone.",
        "svd([[1, 2], [3, 4], [5, 6]], full_matrices=false)",
        rule: |a| {
            let (full, uv) = svd_args(a)?;
            parts_kind(a, la::svd_rule(&a.meta(0)?, full, uv))
        },
        run: |_, a| {
            let (full, uv) = svd_args(a)?;
            parts(a, la::svd(a.array(0)?, full, uv, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "qr",
        "qr(A, mode=\"reduced\")",
        1,
        2,
        ["mode"],
        "The QR decomposition A = Q @ R, Q with orthonormal columns and R upper triangular. mode=\"reduced\" gives Q m×k and R k×n (k = min(m, n)), \"complete\" Q m×m and R m×n, \"r\" only R.",
        "qr([[1, 2], [3, 4]])",
        rule: |a| {
            let mode = qr_mode(a)?;
            parts_kind(a, la::qr_rule(&a.meta(0)?, &mode))
        },
        run: |_, a| {
            let mode = qr_mode(a)?;
            parts(a, la::qr(a.array(0)?, &mode, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "lu",
        "lu(A)",
        1,
        1,
        [],
        "The LU decomposition with partial pivoting, as SciPy's lu: A = P @ L @ U with P a permutation matrix, L unit lower triangular (m×k) and U upper triangular (k×n).",
        "lu([[1, 2], [3, 4]])",
        rule: |a| parts_kind(a, la::lu_rule(&a.meta(0)?)),
        run: |_, a| { parts(a, la::lu(a.array(0)?, &a.exec)) }
    ),
    builtin!(
        "linear algebra",
        "cholesky",
        "cholesky(A, upper=false)",
        1,
        1,
        ["upper"],
        "The Cholesky factor of a symmetric (Hermitian) positive-definite matrix: lower triangular L with A = L @ L', or with upper=true the upper U = L' with A = U' @ U. Only the lower triangle of A is read; a matrix that is not positive definite is an error.",
        "cholesky([[4, 2], [2, 3]])",
        rule: |a| {
            a.kw_bool("upper", false)?;
            array_kind(a, la::cholesky_rule(&a.meta(0)?))
        },
        run: |_, a| {
            let upper = a.kw_bool("upper", false)?;
            done(a, la::cholesky(a.array(0)?, upper, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "matrix_power",
        "matrix_power(A, n)",
        2,
        2,
        [],
        "A multiplied by itself n times (n a whole number); n = 0 gives the identity and a negative n powers the inverse. Integer matrices stay exact, and overflow is an error.",
        "matrix_power([[1, 1], [1, 0]], 10)",
        rule: |a| {
            let m = a.meta(0)?;
            array_kind(a, la::matrix_power_rule(&m, a.int(1)?))
        },
        run: |cx, a| {
            let x = a.array(0)?;
            let n = a.int(1)?;
            warned(cx, a, |w| la::matrix_power(x, n, w, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "null_space",
        "null_space(A, rcond=None)",
        1,
        2,
        ["rcond"],
        "An orthonormal basis of the null space, as columns: every x with A @ x = 0 is a combination of them. Singular values below rcond · σ_max (default eps · max(m, n)) count as zero.",
        "null_space([[1, 1], [1, 1]])",
        rule: |a| {
            a.opt_f64(1, "rcond")?;
            array_kind(a, la::subspace_rule(&a.meta(0)?, true))
        },
        run: |_, a| {
            let rcond = a.opt_f64(1, "rcond")?;
            done(a, la::subspace(a.array(0)?, rcond, true, &a.exec))
        }
    ),
    builtin!(
        "linear algebra",
        "orth",
        "orth(A, rcond=None)",
        1,
        2,
        ["rcond"],
        "An orthonormal basis of the range (column space) of A, as columns; as many as the rank of A.",
        "orth([[1, 1], [1, 1]])",
        rule: |a| {
            a.opt_f64(1, "rcond")?;
            array_kind(a, la::subspace_rule(&a.meta(0)?, false))
        },
        run: |_, a| {
            let rcond = a.opt_f64(1, "rcond")?;
            done(a, la::subspace(a.array(0)?, rcond, false, &a.exec))
        }
    ),
];

#[cfg(test)]
mod tests {
    use crate::Session;
    use crate::diagnostic::Severity;
    use crate::session::Outcome;

    /// The first error's message, if any.
    fn error(code: &str) -> Option<String> {
        Session::new()
            .eval_source(code)
            .into_iter()
            .find_map(|o| match o {
                Outcome::Diagnostic(d) if d.severity == Severity::Error => Some(d.message),
                _ => None,
            })
    }

    #[test]
    fn a_norm_order_is_checked_before_the_data() {
        // An empty stack has no vector or matrix to norm, but the order is
        // still wrong for the axes, as NumPy says.
        assert_eq!(
            error("norm(zeros(0, 3), \"fro\", axis=1)").as_deref(),
            Some(
                "norm: ord=\"fro\" is a matrix norm; for vectors use 2 (or 1, inf, -inf, 0, any p)"
            )
        );
        assert_eq!(
            error("norm(zeros(0, 2, 2), 3, axis=[1, 2])").as_deref(),
            Some(
                "norm: ord=3.0 is not a matrix norm; use 1, -1, 2, -2, inf, -inf, \"fro\" or \"nuc\""
            )
        );
        // cond's p=nan is refused whatever the matrix, singular or not.
        for a in ["eye(2)", "zeros(2, 2)", "zeros(0, 0)"] {
            assert_eq!(
                error(&format!("cond({a}, nan)")).as_deref(),
                Some(
                    "cond: p=nan is not a matrix norm; use 1, -1, 2, -2, inf, -inf, \"fro\" or \"nuc\""
                ),
                "{a}"
            );
        }
    }
}
