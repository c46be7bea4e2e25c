//! Linear algebra through the language: each factorization is checked
//! against its definition (A = U S Vh with orthonormal factors, A v = λ v,
//! ...) over hundreds of generated matrices — square and not, real and
//! complex, well- and ill-conditioned, singular, 0×0 and 1×1 — with
//! residuals scaled by size, eps and, where the bound needs it, the
//! condition number. Matrices come from a small deterministic PRNG here.

use ndarray::{Array2, ArrayD, Ix2};
use num_complex::Complex;
use tensorcalc::Session;
use tensorcalc::diagnostic::Severity;
use tensorcalc::session::Outcome;
use tensorcalc::value::{Array, Value};

type C = Complex<f64>;
const EPS: f64 = f64::EPSILON;
/// How many matrices each definition is checked on.
const CASES: usize = 520;

// ---------------------------------------------------------------- generator

/// xorshift64*: deterministic, dependency-free, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Well,
    /// Columns scaled over many orders of magnitude.
    Ill,
    /// A product of m×r and r×n factors with r < min(m, n).
    Singular,
}

struct Case {
    a: Array2<C>,
    complex: bool,
    kind: Kind,
}

impl Case {
    fn value(&self) -> Value {
        if self.complex {
            Value::Array(Array::C128(self.a.clone().into_dyn()))
        } else {
            Value::Array(Array::F64(self.a.mapv(|z| z.re).into_dyn()))
        }
    }
}

fn random_matrix(rng: &mut Rng, m: usize, n: usize, complex: bool) -> Array2<C> {
    Array2::from_shape_fn((m, n), |_| {
        C::new(rng.uniform(), if complex { rng.uniform() } else { 0.0 })
    })
}

/// Matrices of every kind, with sizes 0 to 6 and the first few fixed at
/// 0×0 and 1×1 so the edge cases are always covered.
fn cases(seed: u64, square: bool) -> Vec<Case> {
    let mut rng = Rng(seed);
    (0..CASES)
        .map(|i| {
            let (m, n) = match i {
                0 | 1 => (0, 0),
                2..=5 => (1, 1),
                _ => {
                    let m = rng.below(7);
                    (m, if square { m } else { rng.below(7) })
                }
            };
            let complex = i % 2 == 1;
            let kind = [Kind::Well, Kind::Ill, Kind::Singular][rng.below(3)];
            let mut a = random_matrix(&mut rng, m, n, complex);
            match kind {
                Kind::Well => {}
                Kind::Ill => {
                    for (j, mut col) in a.columns_mut().into_iter().enumerate() {
                        col.mapv_inplace(|z| z * 10f64.powi(-2 * j as i32));
                    }
                }
                Kind::Singular => {
                    let r = m.min(n).saturating_sub(1);
                    a = matmul(
                        &random_matrix(&mut rng, m, r, complex),
                        &random_matrix(&mut rng, r, n, complex),
                    );
                }
            }
            Case { a, complex, kind }
        })
        .collect()
}

// ---------------------------------------------------------- small algebra

fn matmul(a: &Array2<C>, b: &Array2<C>) -> Array2<C> {
    assert_eq!(a.ncols(), b.nrows());
    Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
        (0..a.ncols()).map(|k| a[[i, k]] * b[[k, j]]).sum()
    })
}

fn adjoint(a: &Array2<C>) -> Array2<C> {
    a.t().mapv(|z| z.conj())
}

fn fro(a: &Array2<C>) -> f64 {
    a.iter().map(|z| z.norm_sqr()).sum::<f64>().sqrt()
}

fn diff(a: &Array2<C>, b: &Array2<C>) -> f64 {
    assert_eq!(a.dim(), b.dim(), "shapes differ");
    fro(&(a - b))
}

fn eye(n: usize) -> Array2<C> {
    Array2::from_shape_fn((n, n), |(i, j)| C::new((i == j) as u8 as f64, 0.0))
}

/// ‖Qᴴ Q − I‖ for a matrix that should have orthonormal columns.
fn orthonormality(q: &Array2<C>) -> f64 {
    diff(&matmul(&adjoint(q), q), &eye(q.ncols()))
}

fn to_c(a: &Array) -> ArrayD<C> {
    a.to_c64_array()
}

fn mat(v: &Value) -> Array2<C> {
    match v {
        Value::Array(a) => to_c(a).into_dimensionality::<Ix2>().expect("a matrix"),
        other => panic!("expected an array, got {}", other.describe()),
    }
}

fn vec_re(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a.to_f64_array().expect("real").iter().copied().collect(),
        other => panic!("expected an array, got {}", other.describe()),
    }
}

// ---------------------------------------------------------------- sessions

/// Runs `code` with `A` bound to the case's matrix; returns the session
/// and any error text.
fn run_with(a: Value, code: &str) -> (Session, Option<String>, Vec<String>) {
    let mut s = Session::new();
    s.evaluator.set("A", a);
    let outcomes = s.eval_source(code);
    let mut error = None;
    let mut warnings = Vec::new();
    for o in outcomes {
        if let Outcome::Diagnostic(d) = o {
            if d.severity == Severity::Error {
                error = Some(d.message);
            } else {
                warnings.push(d.message);
            }
        }
    }
    (s, error, warnings)
}

fn var(s: &Session, name: &str) -> Value {
    s.evaluator
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not set"))
        .clone()
}

fn eval(code: &str) -> Result<Value, String> {
    let mut s = Session::new();
    let mut last = None;
    for o in s.eval_source(code) {
        match o {
            Outcome::Value { value, .. } => last = Some((*value).clone()),
            Outcome::Diagnostic(d) if d.severity == Severity::Error => return Err(d.message),
            _ => {}
        }
    }
    last.ok_or_else(|| "no value".to_string())
}

/// The singular values of a case, through the language.
fn singular_values(case: &Case) -> Vec<f64> {
    let (s, err, _) = run_with(case.value(), "S = svd(A, compute_uv=false)");
    assert_eq!(err, None);
    vec_re(&var(&s, "S"))
}

fn cond2(sv: &[f64]) -> f64 {
    match (sv.first(), sv.last()) {
        (Some(&hi), Some(&lo)) if lo > 0.0 => hi / lo,
        (Some(_), Some(_)) => f64::INFINITY,
        _ => 1.0,
    }
}

fn scale(m: usize, n: usize) -> f64 {
    100.0 * EPS * (m.max(n).max(1) as f64)
}

// ------------------------------------------------------------- definitions

#[test]
fn svd_factors_are_orthonormal_and_reproduce_a() {
    for (i, case) in cases(1, false).iter().enumerate() {
        let (m, n) = case.a.dim();
        let full = i % 3 != 0;
        let (s, err, _) = run_with(
            case.value(),
            &format!("U, S, Vh = svd(A, full_matrices={full})"),
        );
        assert_eq!(err, None, "case {i}");
        let (u, vh) = (mat(&var(&s, "U")), mat(&var(&s, "Vh")));
        let sv = vec_re(&var(&s, "S"));
        let k = m.min(n);
        assert_eq!(sv.len(), k);
        assert_eq!(u.dim(), if full { (m, m) } else { (m, k) }, "case {i}");
        assert_eq!(vh.dim(), if full { (n, n) } else { (k, n) }, "case {i}");
        assert!(
            sv.windows(2).all(|w| w[0] >= w[1]) && sv.iter().all(|&x| x >= 0.0),
            "case {i}: {sv:?}"
        );
        let tol = scale(m, n);
        assert!(orthonormality(&u) <= tol, "case {i}: U not orthonormal");
        assert!(
            orthonormality(&adjoint(&vh)) <= tol,
            "case {i}: Vh not orthonormal"
        );
        let mut sigma = Array2::zeros((u.ncols(), vh.nrows()));
        for (j, &x) in sv.iter().enumerate() {
            sigma[[j, j]] = C::new(x, 0.0);
        }
        let back = matmul(&matmul(&u, &sigma), &vh);
        assert!(
            diff(&back, &case.a) <= tol * fro(&case.a).max(1e-300),
            "case {i} ({:?}): U S Vh ≠ A",
            case.kind
        );
    }
}

#[test]
fn inverse_times_matrix_is_identity() {
    for (i, case) in cases(2, true).iter().enumerate() {
        let n = case.a.nrows();
        let sv = singular_values(case);
        let (s, err, _) = run_with(case.value(), "X = inv(A)");
        match err {
            Some(msg) => {
                // Only an exactly singular LU may refuse; the rank it quotes
                // must be below n and match matrix_rank's count.
                assert!(
                    msg.starts_with("inv: matrix is singular: rank "),
                    "case {i}: {msg}"
                );
                assert!(msg.ends_with(&format!("< {n}")), "case {i}: {msg}");
            }
            None => {
                let x = mat(&var(&s, "X"));
                // Past κ ≈ 1/eps the inverse has no correct digits to check.
                let kappa = cond2(&sv);
                if kappa < 1e13 {
                    let r = diff(&matmul(&case.a, &x), &eye(n));
                    assert!(
                        r <= scale(n, n) * kappa,
                        "case {i} ({:?}): ‖A inv(A) − I‖ = {r:e}, κ = {kappa:e}",
                        case.kind
                    );
                }
            }
        }
    }
}

#[test]
fn eigenpairs_satisfy_a_v_equals_lambda_v() {
    for (i, case) in cases(3, true).iter().enumerate() {
        let n = case.a.nrows();
        let (s, err, _) = run_with(case.value(), "w, V = eig(A)");
        assert_eq!(err, None, "case {i}");
        let w: Vec<C> = to_c(match &var(&s, "w") {
            Value::Array(a) => a,
            _ => unreachable!(),
        })
        .iter()
        .copied()
        .collect();
        let v = mat(&var(&s, "V"));
        assert_eq!(v.dim(), (n, n));
        let lambda = Array2::from_shape_fn(
            (n, n),
            |(r, c)| if r == c { w[r] } else { C::new(0.0, 0.0) },
        );
        let r = diff(&matmul(&case.a, &v), &matmul(&v, &lambda));
        // Backward stability: the residual is small relative to ‖A‖ for any
        // condition number; columns have unit norm.
        assert!(
            r <= scale(n, n) * fro(&case.a).max(1e-300),
            "case {i}: ‖A V − V Λ‖ = {r:e}"
        );
        for col in v.columns() {
            let norm = col.iter().map(|z| z.norm_sqr()).sum::<f64>().sqrt();
            assert!(
                (norm - 1.0).abs() < 1e-12,
                "case {i}: eigenvector norm {norm}"
            );
        }
        // Real input with real eigenvalues stays real, as in NumPy.
        if !case.complex {
            let real = w.iter().all(|z| z.im == 0.0);
            assert_eq!(
                matches!(var(&s, "w"), Value::Array(Array::F64(_))),
                real,
                "case {i}"
            );
        }
    }
}

#[test]
fn hermitian_eigenpairs_are_orthonormal_and_ascending() {
    for (i, case) in cases(4, true).iter().enumerate() {
        let n = case.a.nrows();
        let h = &case.a + &adjoint(&case.a);
        let hv = if case.complex {
            Value::Array(Array::C128(h.clone().into_dyn()))
        } else {
            Value::Array(Array::F64(h.mapv(|z| z.re).into_dyn()))
        };
        let (s, err, _) = run_with(hv, "w, V = eigh(A)\nw2 = eigvalsh(A)");
        assert_eq!(err, None, "case {i}");
        let w = vec_re(&var(&s, "w"));
        let v = mat(&var(&s, "V"));
        assert!(
            w.windows(2).all(|p| p[0] <= p[1]),
            "case {i}: not ascending"
        );
        let tol = scale(n, n);
        assert!(orthonormality(&v) <= tol, "case {i}");
        let lambda = Array2::from_shape_fn((n, n), |(r, c)| {
            C::new(if r == c { w[r] } else { 0.0 }, 0.0)
        });
        assert!(
            diff(&matmul(&h, &v), &matmul(&v, &lambda)) <= tol * fro(&h).max(1e-300),
            "case {i}"
        );
        let w2 = vec_re(&var(&s, "w2"));
        for (a, b) in w.iter().zip(&w2) {
            assert!(
                (a - b).abs() <= tol * fro(&h).max(1e-300),
                "case {i}: eigvalsh differs"
            );
        }
    }
}

#[test]
fn qr_gives_orthonormal_q_and_upper_triangular_r() {
    for (i, case) in cases(5, false).iter().enumerate() {
        let (m, n) = case.a.dim();
        let mode = if i % 2 == 0 { "reduced" } else { "complete" };
        let (s, err, _) = run_with(case.value(), &format!("Q, R = qr(A, mode=\"{mode}\")"));
        assert_eq!(err, None, "case {i}");
        let (q, r) = (mat(&var(&s, "Q")), mat(&var(&s, "R")));
        let k = if mode == "complete" { m } else { m.min(n) };
        assert_eq!((q.dim(), r.dim()), ((m, k), (k, n)), "case {i}");
        let tol = scale(m, n);
        assert!(orthonormality(&q) <= tol, "case {i}");
        for ((row, col), z) in r.indexed_iter() {
            assert!(
                row <= col || *z == C::new(0.0, 0.0),
                "case {i}: R[{row}, {col}] = {z}"
            );
        }
        assert!(
            diff(&matmul(&q, &r), &case.a) <= tol * fro(&case.a).max(1e-300),
            "case {i}"
        );
    }
}

#[test]
fn lu_factors_reproduce_a() {
    for (i, case) in cases(6, false).iter().enumerate() {
        let (m, n) = case.a.dim();
        let k = m.min(n);
        let (s, err, _) = run_with(case.value(), "P, L, U = lu(A)");
        assert_eq!(err, None, "case {i}");
        let (p, l, u) = (mat(&var(&s, "P")), mat(&var(&s, "L")), mat(&var(&s, "U")));
        assert_eq!(
            (p.dim(), l.dim(), u.dim()),
            ((m, m), (m, k), (k, n)),
            "case {i}"
        );
        // P is a permutation: entries 0 or 1, one 1 per row and column.
        assert!(
            p.iter()
                .all(|z| *z == C::new(0.0, 0.0) || *z == C::new(1.0, 0.0)),
            "case {i}"
        );
        assert!(
            p.rows()
                .into_iter()
                .all(|r| r.iter().filter(|z| z.re == 1.0).count() == 1),
            "case {i}"
        );
        assert!(
            p.columns()
                .into_iter()
                .all(|r| r.iter().filter(|z| z.re == 1.0).count() == 1),
            "case {i}"
        );
        for ((r, c), z) in l.indexed_iter() {
            assert!(r >= c || z.norm() == 0.0, "case {i}: L not lower");
            assert!(r != c || *z == C::new(1.0, 0.0), "case {i}: L diagonal");
            // Partial pivoting keeps multipliers at most 1 in magnitude (√2
            // for complex, where pivots are chosen by |re| + |im|).
            let bound = if case.complex { 2f64.sqrt() } else { 1.0 };
            assert!(
                z.norm() <= bound + 1e-12 || !z.is_finite(),
                "case {i}: |L| = {}",
                z.norm()
            );
        }
        for ((r, c), z) in u.indexed_iter() {
            assert!(r <= c || z.norm() == 0.0, "case {i}: U not upper");
        }
        let back = matmul(&matmul(&p, &l), &u);
        assert!(
            diff(&back, &case.a) <= scale(m, n) * fro(&case.a).max(1e-300),
            "case {i}"
        );
    }
}

#[test]
fn cholesky_factor_reproduces_positive_definite_a() {
    for (i, case) in cases(7, true).iter().enumerate() {
        let n = case.a.nrows();
        // B Bᴴ + I is Hermitian positive definite for any B.
        let spd = matmul(&case.a, &adjoint(&case.a)) + eye(n);
        let v = if case.complex {
            Value::Array(Array::C128(spd.clone().into_dyn()))
        } else {
            Value::Array(Array::F64(spd.mapv(|z| z.re).into_dyn()))
        };
        let (s, err, _) = run_with(v, "L = cholesky(A)\nU = cholesky(A, upper=true)");
        assert_eq!(err, None, "case {i}");
        let l = mat(&var(&s, "L"));
        for ((r, c), z) in l.indexed_iter() {
            assert!(r >= c || z.norm() == 0.0, "case {i}: L not lower");
        }
        assert!(
            diff(&matmul(&l, &adjoint(&l)), &spd) <= scale(n, n) * fro(&spd),
            "case {i}: L Lᴴ ≠ A"
        );
        assert!(
            diff(&mat(&var(&s, "U")), &adjoint(&l)) == 0.0,
            "case {i}: upper is Lᴴ"
        );
        // Negating makes it negative definite, which must be refused.
        if n > 0 {
            let (_, err, _) = run_with(Value::Array(Array::C128((-spd).into_dyn())), "cholesky(A)");
            assert_eq!(
                err.as_deref(),
                Some("cholesky: matrix is not positive definite"),
                "case {i}"
            );
        }
    }
}

#[test]
fn pinv_satisfies_the_four_penrose_conditions() {
    for (i, case) in cases(8, false).iter().enumerate() {
        let (m, n) = case.a.dim();
        let (s, err, _) = run_with(case.value(), "X = pinv(A)");
        assert_eq!(err, None, "case {i}");
        let x = mat(&var(&s, "X"));
        assert_eq!(x.dim(), (n, m), "case {i}");
        let a = &case.a;
        // κ of the part pinv keeps: singular values above 1e-15 σ_max.
        let sv = singular_values(case);
        let smax = sv.first().copied().unwrap_or(0.0);
        let kept: Vec<f64> = sv.iter().copied().filter(|&v| v > 1e-15 * smax).collect();
        let kappa = cond2(&kept);
        let tol = scale(m, n) * kappa;
        let (ax, xa) = (matmul(a, &x), matmul(&x, a));
        let na = fro(a).max(1e-300);
        let nx = fro(&x).max(1e-300);
        assert!(
            diff(&matmul(&ax, a), a) <= tol * na,
            "case {i} ({:?}): A X A ≠ A",
            case.kind
        );
        assert!(
            diff(&matmul(&xa, &x), &x) <= tol * nx,
            "case {i} ({:?}): X A X ≠ X",
            case.kind
        );
        assert!(
            diff(&adjoint(&ax), &ax) <= tol * fro(&ax).max(1.0),
            "case {i} ({:?}): A X not Hermitian",
            case.kind
        );
        assert!(
            diff(&adjoint(&xa), &xa) <= tol * fro(&xa).max(1.0),
            "case {i} ({:?}): X A not Hermitian",
            case.kind
        );
    }
}

#[test]
fn solve_residual_is_backward_stable_and_matches_backslash() {
    let mut rng = Rng(9);
    for (i, case) in cases(9, true).iter().enumerate() {
        let n = case.a.nrows();
        let b = random_matrix(&mut rng, n, 2, case.complex);
        let mut s = Session::new();
        s.evaluator.set("A", case.value());
        s.evaluator
            .set("b", Value::Array(Array::C128(b.clone().into_dyn())));
        let out = s.eval_source("x = solve(A, b)\ny = A \\ b\nz = solve(A, b[:, 0])");
        let errors: Vec<String> = out
            .iter()
            .filter_map(|o| match o {
                Outcome::Diagnostic(d) if d.severity == Severity::Error => Some(d.message.clone()),
                _ => None,
            })
            .collect();
        if let Some(msg) = errors.first() {
            assert!(msg.contains("matrix is singular"), "case {i}: {msg}");
            continue;
        }
        let x = mat(&var(&s, "x"));
        assert_eq!(mat(&var(&s, "y")), x, "case {i}: A \\ b differs from solve");
        let z: Vec<C> = to_c(match &var(&s, "z") {
            Value::Array(a) => a,
            _ => unreachable!(),
        })
        .iter()
        .copied()
        .collect();
        assert_eq!(z.len(), n, "case {i}: vector b gives a vector");
        let r = diff(&matmul(&case.a, &x), &b);
        let bound = scale(n, n) * (fro(&case.a) * fro(&x) + fro(&b));
        assert!(
            r <= bound,
            "case {i} ({:?}): ‖A x − b‖ = {r:e} > {bound:e}",
            case.kind
        );
    }
}

#[test]
fn rank_null_space_and_orth_agree_with_the_construction() {
    for (i, case) in cases(10, false).iter().enumerate() {
        let (m, n) = case.a.dim();
        let (s, err, _) = run_with(
            case.value(),
            "r = matrix_rank(A)\nN = null_space(A)\nO = orth(A)",
        );
        assert_eq!(err, None, "case {i}");
        let r = match var(&s, "r") {
            Value::Array(Array::Int(x)) => x.iter().next().copied().expect("scalar") as usize,
            other => panic!("case {i}: rank is {}", other.describe()),
        };
        if case.kind == Kind::Singular && m.min(n) > 0 {
            assert_eq!(
                r,
                m.min(n) - 1,
                "case {i}: rank of a rank-deficient product"
            );
        }
        let (nn, o) = (mat(&var(&s, "N")), mat(&var(&s, "O")));
        assert_eq!(nn.dim(), (n, n - r), "case {i}");
        assert_eq!(o.dim(), (m, r), "case {i}");
        let tol = scale(m, n);
        assert!(
            orthonormality(&nn) <= tol && orthonormality(&o) <= tol,
            "case {i}"
        );
        assert!(
            fro(&matmul(&case.a, &nn)) <= tol * fro(&case.a).max(1e-300) * 10.0,
            "case {i}: A N ≠ 0"
        );
    }
}

#[test]
fn norms_and_cond_match_singular_values() {
    for (i, case) in cases(11, false).iter().enumerate() {
        let (m, n) = case.a.dim();
        if m.min(n) == 0 {
            continue;
        }
        let sv = singular_values(case);
        let (s, err, _) = run_with(
            case.value(),
            "n2 = norm(A, 2)\nnn = norm(A, \"nuc\")\nnf = norm(A)\nn1 = norm(A, 1)\nni = norm(A, inf)\nc = cond(A)",
        );
        assert_eq!(err, None, "case {i}");
        let get = |k: &str| vec_re(&var(&s, k))[0];
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-300);
        assert!(close(get("n2"), sv[0]), "case {i}");
        assert!(close(get("nn"), sv.iter().sum()), "case {i}");
        assert!(close(get("nf"), fro(&case.a)), "case {i}");
        let col = (0..n)
            .map(|j| case.a.column(j).iter().map(|z| z.norm()).sum::<f64>())
            .fold(0.0, f64::max);
        let row = (0..m)
            .map(|j| case.a.row(j).iter().map(|z| z.norm()).sum::<f64>())
            .fold(0.0, f64::max);
        assert!(close(get("n1"), col) && close(get("ni"), row), "case {i}");
        let c = get("c");
        assert!(
            c == cond2(&sv) || close(c, cond2(&sv)),
            "case {i}: cond {c} vs {}",
            cond2(&sv)
        );
    }
}

// ------------------------------------------------------------ exact and named

#[test]
fn integer_determinants_are_exact() {
    assert_eq!(
        eval("det([[1, 2], [3, 4]])"),
        Ok(Value::Array(Array::scalar_int(-2)))
    );
    assert_eq!(
        eval("det([[2, 0, 1], [1, 3, 2], [1, 1, 2]])"),
        Ok(Value::Array(Array::scalar_int(6)))
    );
    assert_eq!(
        eval("det(eye(0, dtype=\"int64\"))"),
        Ok(Value::Array(Array::scalar_int(1)))
    );
    // Against a float LU on random small integer matrices.
    let mut rng = Rng(12);
    for _ in 0..CASES {
        let n = 1 + rng.below(5);
        let entries: Vec<String> = (0..n)
            .map(|_| {
                format!(
                    "[{}]",
                    (0..n)
                        .map(|_| (rng.below(19) as i64 - 9).to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        let text = format!("[{}]", entries.join(", "));
        let exact = match eval(&format!("det({text})")) {
            Ok(Value::Array(Array::Int(d))) => d.iter().next().copied().expect("scalar"),
            other => panic!("{text}: {other:?}"),
        };
        let approx = vec_re(&eval(&format!("det(float64({text}))")).expect("float det"))[0];
        assert!(
            (exact as f64 - approx).abs() <= 1e-9 * approx.abs().max(1.0),
            "{text}: {exact} vs {approx}"
        );
    }
    let err = eval("det([[4000000000000, 0], [0, 4000000000000]])").unwrap_err();
    assert_eq!(
        err,
        "det: integer overflow: the determinant does not fit in int64"
    );
}

#[test]
fn singular_matrix_is_an_error_with_its_rank() {
    assert_eq!(
        eval("inv([[1, 2], [2, 4]])").unwrap_err(),
        "inv: matrix is singular: rank 1 < 2"
    );
    assert_eq!(
        eval("solve([[1, 2], [2, 4]], [1, 1])").unwrap_err(),
        "solve: matrix is singular: rank 1 < 2"
    );
    assert_eq!(
        eval("[[1, 2], [2, 4]] \\ [1, 1]").unwrap_err(),
        "solve: matrix is singular: rank 1 < 2"
    );
    assert_eq!(
        eval("inv(zeros(3, 3))").unwrap_err(),
        "inv: matrix is singular: rank 0 < 3"
    );
    let stacked = eval("inv(stack([eye(2), [[1, 1], [1, 1]]]))").unwrap_err();
    assert_eq!(
        stacked,
        "inv: matrix is singular: rank 1 < 2 (the matrix at batch index [1])"
    );
}

#[test]
fn near_singular_input_warns_with_the_condition_number_and_still_answers() {
    let (s, err, warnings) = run_with(
        Value::Nothing,
        "X = inv([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]])",
    );
    assert_eq!(err, None);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("inv: matrix is close to singular: condition number ≈ "),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[0].ends_with("exceeds 1/eps ≈ 4.5e15"),
        "{}",
        warnings[0]
    );
    assert_eq!(mat(&var(&s, "X")).dim(), (3, 3));
    // A well-conditioned matrix gives no warning.
    let (_, _, warnings) = run_with(
        Value::Nothing,
        "inv([[2.0, 1], [1, 1]])\nsolve([[2.0, 1], [1, 1]], [1, 2])",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let (_, _, warnings) = run_with(
        Value::Nothing,
        "solve([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]], [1, 2, 3])",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn results_are_tuples_with_numpy_names_and_unpack_with_count_check() {
    let labels = |code: &str| match eval(code) {
        Ok(Value::Tuple(p)) => p.into_iter().map(|(n, _)| n).collect::<Vec<_>>().join(","),
        other => panic!("{code}: {other:?}"),
    };
    assert_eq!(labels("svd(eye(2))"), "U,S,Vh");
    assert_eq!(labels("qr(eye(2))"), "Q,R");
    assert_eq!(labels("lu(eye(2))"), "P,L,U");
    assert_eq!(labels("eig(eye(2))"), "eigenvalues,eigenvectors");
    assert_eq!(labels("eigh(eye(2))"), "eigenvalues,eigenvectors");
    assert_eq!(labels("lstsq(eye(2), [1, 2])"), "x,residuals,rank,s");
    assert_eq!(
        eval("Q, R, X = qr(eye(2))").unwrap_err(),
        "this gives 2 results but 3 names are given"
    );
    assert!(matches!(
        eval("svd(eye(3), compute_uv=false)"),
        Ok(Value::Array(_))
    ));
    assert!(matches!(
        eval("qr(eye(3), mode=\"r\")"),
        Ok(Value::Array(_))
    ));
}

#[test]
fn stacks_of_matrices_are_batched() {
    let d = vec_re(&eval("det(stack([eye(2), 2 * eye(2), [[0.0, 1], [1, 0]]]))").unwrap());
    assert_eq!(d, vec![1.0, 4.0, -1.0]);
    let x = eval("inv(stack([2 * eye(2), 4 * eye(2)]))").unwrap();
    assert_eq!(x.describe(), "2×2×2 float64");
    assert_eq!(vec_re(&x), vec![0.5, 0.0, 0.0, 0.5, 0.25, 0.0, 0.0, 0.25]);
    assert_eq!(
        eval("solve(stack([eye(2), 2 * eye(2)]), [2, 4])")
            .unwrap()
            .describe(),
        "2×2 float64"
    );
    assert_eq!(
        eval("svd(ones(4, 3, 2), compute_uv=false)")
            .unwrap()
            .describe(),
        "4×2 float64"
    );
    assert_eq!(
        eval("matrix_rank(ones(5, 3, 3))").unwrap().describe(),
        "5 int64"
    );
    assert_eq!(
        eval("norm(ones(2, 3), axis=1)").unwrap().describe(),
        "2 float64"
    );
    assert_eq!(
        eval("norm(ones(2, 3), axis=[0, 1], keepdims=true)")
            .unwrap()
            .describe(),
        "1×1 float64"
    );
}

#[test]
fn dtypes_follow_numpy() {
    assert_eq!(
        eval("inv(float32([[2, 1], [1, 1]]))").unwrap().describe(),
        "2×2 float32"
    );
    assert_eq!(
        eval("inv([[2j, 1], [1, 1]])").unwrap().describe(),
        "2×2 complex128"
    );
    assert_eq!(
        eval("eigvals([[0, -1], [1, 0]])").unwrap().describe(),
        "2 complex128"
    );
    assert_eq!(
        eval("eigvals([[2, 1], [1, 2]])").unwrap().describe(),
        "2 float64"
    );
    assert_eq!(
        eval("norm([3j, 4])").unwrap(),
        Value::Array(Array::scalar_f64(5.0))
    );
    assert_eq!(
        eval("matrix_power([[1, 1], [1, 0]], 10)").unwrap(),
        eval("[[89, 55], [55, 34]]").unwrap()
    );
    assert_eq!(
        eval("matrix_power([[2, 0], [0, 2]], 0)").unwrap(),
        eval("[[1, 0], [0, 1]]").unwrap()
    );
    assert_eq!(
        vec_re(&eval("matrix_power([[2.0, 0], [0, 4]], -2)").unwrap()),
        vec![0.25, 0.0, 0.0, 0.0625]
    );
}

#[test]
fn vector_norms_and_lstsq_values() {
    let v = |code: &str| vec_re(&eval(code).unwrap());
    assert_eq!(v("norm([3, -4])"), vec![5.0]);
    assert_eq!(v("norm([3, -4], 1)"), vec![7.0]);
    assert_eq!(v("norm([3, -4], inf)"), vec![4.0]);
    assert_eq!(v("norm([3, -4], -inf)"), vec![3.0]);
    assert_eq!(v("norm([3, 0, -4], 0)"), vec![2.0]);
    assert_eq!(v("norm([[1, 2], [3, 4]], -inf)"), vec![3.0]);
    assert!(
        eval("norm([1, 2], \"fro\")")
            .unwrap_err()
            .contains("is a matrix norm")
    );
    assert!(
        eval("norm([[1, 2], [3, 4]], 3)")
            .unwrap_err()
            .contains("is not a matrix norm")
    );
    assert!(
        eval("cond([[1.0, 2], [2, 4]], 1)")
            .map(|x| vec_re(&x)[0].is_infinite())
            .unwrap()
    );
    let (s, err, _) = run_with(
        Value::Nothing,
        "x, res, r, sv = lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 2])",
    );
    assert_eq!(err, None);
    let x = vec_re(&var(&s, "x"));
    assert!(
        (x[0] - 7.0 / 6.0).abs() < 1e-12 && (x[1] - 0.5).abs() < 1e-12,
        "{x:?}"
    );
    assert!((vec_re(&var(&s, "res"))[0] - 1.0 / 6.0).abs() < 1e-12);
}

#[test]
fn shape_errors_name_the_problem() {
    assert_eq!(
        eval("inv(ones(2, 3))").unwrap_err(),
        "inv: inv needs a square matrix, got 2×3"
    );
    assert_eq!(
        eval("det([1, 2])").unwrap_err(),
        "det: det needs a matrix (or a stack of matrices), got a vector of 2"
    );
    assert_eq!(
        eval("solve(eye(2), [1, 2, 3])").unwrap_err(),
        "solve: A is 2×2 but b has 3 rows: b needs one row per row of A (2)"
    );
    assert!(
        eval("svd([[1, nan], [0, 1]])")
            .unwrap_err()
            .contains("nan or infinity")
    );
    assert!(
        eval("qr(eye(2), mode=\"raw\")")
            .unwrap_err()
            .contains("`mode` must be")
    );
}

#[test]
fn every_example_runs() {
    let examples: Vec<_> = tensorcalc::eval::builtins::all()
        .filter(|b| b.category == "linear algebra")
        .collect();
    assert!(
        examples.len() >= 19,
        "{} linear-algebra built-ins",
        examples.len()
    );
    for b in examples {
        assert!(
            b.example.starts_with(b.name),
            "{}: example should call it",
            b.name
        );
        let r = eval(b.example);
        assert!(r.is_ok(), "{}: {} failed: {:?}", b.name, b.example, r);
    }
}
