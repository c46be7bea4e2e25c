//! The rules and the kernels agree. Random programs over every operator and
//! every built-in run twice, statement by statement: once evaluated, once in
//! the checker's shape-only mode, where only the rules run (and results of a
//! few elements are computed, as the constants later rules need). For every
//! statement both give the same shape and dtype, or both fail with the same
//! error kind at the same place; a failure that only values can explain (an
//! overflow, a singular matrix, an index array out of range) is the one thing
//! the checker may not foresee. Debug builds also check each kernel's result
//! against its rule inside the evaluator, so a disagreement there surfaces as
//! an `internal:` error and fails this test too.

use std::collections::BTreeSet;

use tensorcalc::diagnostic::{Diagnostic, ErrorKind, Severity};
use tensorcalc::value::{Kind, Value};
use tensorcalc::{Outcome, Session};

mod common;
use common::Gen;

const SHAPES: &[&[usize]] = &[
    &[],
    &[0],
    &[1],
    &[2],
    &[3],
    &[4],
    &[2, 2],
    &[2, 3],
    &[3, 2],
    &[3, 3],
    &[1, 3],
    &[3, 1],
    &[0, 3],
    &[2, 3, 4],
    &[2, 1, 3],
    &[2, 3, 3],
];

const DTYPES: &[&str] = &["bool", "int64", "float32", "float64", "complex128"];

/// An expression for an array of `shape` and `dtype` with varied values.
fn array_expr(shape: &[usize], dtype: &str) -> String {
    let n: usize = shape.iter().product();
    let dims = shape
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let base = match dtype {
        "bool" => format!("arange({n}) % 3 == 0"),
        "int64" => format!("arange({n}) - 2"),
        "float32" => format!("float32(linspace(-1.5, 2, {n}))"),
        "float64" => format!("linspace(-1.5, 2, {n}) + eye(1)[0, 0] * 0.25"),
        _ => format!("linspace(-1, 1, {n}) * (1 + 2j)"),
    };
    if shape.is_empty() {
        format!("reshape({base}, [])")
    } else {
        format!("reshape({base}, [{dims}])")
    }
}

/// Expression templates: `X` and `Y` stand for variables.
const EXPRS: &[&str] = &[
    // output
    "disp(X)",
    // operators
    "X + Y",
    "X - Y",
    "X * Y",
    "X / Y",
    "X // Y",
    "X % Y",
    "X ^ Y",
    "X ^ 2",
    "X ^ -1",
    "X == Y",
    "X != Y",
    "X < Y",
    "X <= Y",
    "X > Y",
    "X >= Y",
    "X & Y",
    "X | Y",
    "X @ Y",
    "X \\ Y",
    "-X",
    "+X",
    "!X",
    "X'",
    "X' @ Y",
    "X @ Y'",
    "X * Y + X",
    "[X, Y]",
    "[X, X]",
    "[[1, 2], [3, 4]] @ X",
    "X[0]",
    "X[-1]",
    "X[:, 0]",
    "X[1:]",
    "X[::-1]",
    "X[..., 0]",
    "X[X > 0]",
    "X[[0, 1]]",
    "X[0, 0]",
    "X[5]",
    "X[:, [0, 1]]",
    "X[Y]",
    "X[..., ...]",
    "X[::0]",
    "X + 1",
    "2 * X",
    "X / 3",
    // introspection
    "shape(X)",
    "ndim(X)",
    "size(X)",
    "len(X)",
    "dtype(X)",
    "isscalar(X)",
    // construction
    "zeros(2, 3)",
    "zeros(shape(X))",
    "ones(len(X))",
    "empty(2)",
    "ones(3, dtype=\"float32\")",
    "full([2, 2], X)",
    "full(shape(X), 7)",
    "eye(3)",
    "eye(2, 3, k=1)",
    "arange(5)",
    "arange(1, size(X) + 1, 2)",
    "linspace(0, 1, 5)",
    "rand(2, 3)",
    "randn(len(X))",
    "seed(3)",
    "randint(5, size=shape(X))",
    "randint(X, 10)",
    "randint(3, 3)",
    "uniform(X, 2)",
    "uniform(size=[2, 3])",
    "uniform([0, 1], 2, size=3)",
    "normal(X, 1)",
    "normal(0, -1, size=2)",
    "choice(X, size=4)",
    "choice(5, size=[2, 2], replace=false)",
    "choice(X, size=9, replace=false)",
    "choice(3, p=[0.5, 0.5, 0.5])",
    "permutation(X)",
    "permutation(4)",
    "shuffle(X)",
    "shuffle(7)",
    "diag(X)",
    "diag(X, 1)",
    "zeros(-1)",
    "zeros(1e6, 1e6)",
    // shape functions
    "reshape(X, [-1])",
    "reshape(X, [2, -1])",
    "reshape(X, [3, 2])",
    "transpose(X)",
    "transpose(X, [1, 0])",
    "flatten(X)",
    "squeeze(X)",
    "squeeze(X, 0)",
    "expand_dims(X, 1)",
    "expand_dims(X, -1)",
    "concatenate(X, Y)",
    "concatenate(X, Y, axis=1)",
    "concatenate(X)",
    "stack(X, Y)",
    "stack(X, X, axis=1)",
    "hstack(X, Y)",
    "vstack(X, Y)",
    "broadcast_to(X, [2, 3])",
    "broadcast_to(X, shape(Y))",
    // elementwise
    "abs(X)",
    "sqrt(X)",
    "exp(X)",
    "log(X)",
    "log2(X)",
    "log10(X)",
    "sin(X)",
    "cos(X)",
    "tan(X)",
    "arcsin(X)",
    "arccos(X)",
    "arctan(X)",
    "sinh(X)",
    "cosh(X)",
    "tanh(X)",
    "floor(X)",
    "ceil(X)",
    "round(X)",
    "round(X, 2)",
    "sign(X)",
    "real(X)",
    "imag(X)",
    "conj(X)",
    "angle(X)",
    "complex(X, Y)",
    "maximum(X, Y)",
    "minimum(X, 0)",
    "clip(X, -1, 1)",
    "bool(X)",
    "int64(X)",
    "float32(X)",
    "float64(X)",
    "complex128(X)",
    // reductions
    "sum(X)",
    "sum(X, axis=0)",
    "sum(X, 1, keepdims=true)",
    "prod(X)",
    "mean(X, axis=-1)",
    "min(X)",
    "max(X, axis=0)",
    "argmin(X)",
    "argmax(X, axis=1)",
    "std(X)",
    "var(X, ddof=1)",
    "all(X)",
    "any(X, axis=0)",
    "sum(X, axis=5)",
    // products
    "dot(X, Y)",
    "vdot(X, Y)",
    "inner(X, Y)",
    "outer(X, Y)",
    "cross(X, Y)",
    "matmul(X, Y)",
    "kron(X, Y)",
    "tensordot(X, Y, axes=1)",
    "tensordot(X, Y)",
    "trace(X)",
    "trace(X, 1)",
    "einsum(\"ij,jk->ik\", X, Y)",
    "einsum(\"ii\", X)",
    "einsum(\"i,j->ij\", X, Y)",
    "einsum(\"ij->ji\", X)",
    "einsum(\"ij->\", X)",
    // linear algebra
    "det(X)",
    "inv(X)",
    "solve(X, Y)",
    "lstsq(X, Y)",
    "matrix_rank(X)",
    "norm(X)",
    "norm(X, 1)",
    "norm(X, \"fro\")",
    "norm(X, axis=0)",
    "cond(X)",
    "pinv(X)",
    "eig(X)",
    "eigvals(X)",
    "eigh(X)",
    "eigvalsh(X)",
    "svd(X)",
    "svd(X, full_matrices=false)",
    "svd(X, compute_uv=false)",
    "qr(X)",
    "lu(X)",
    "cholesky(X @ X' + eye(len(X)))",
    "matrix_power(X, 2)",
    "matrix_power(X, 0)",
    "null_space(X)",
    "orth(X)",
    // everyday arrays, math and deep-learning helpers (issue 14)
    "zeros_like(X)",
    "ones_like(X, dtype=\"int64\")",
    "empty_like(X)",
    "full_like(X, Y)",
    "identity(3)",
    "logspace(0, 2, 5)",
    "tril(X)",
    "triu(X, 1)",
    "flip(X)",
    "flip(X, 0)",
    "fliplr(X)",
    "flipud(X)",
    "roll(X, 1)",
    "roll(X, -1, 0)",
    "swapaxes(X, 0, -1)",
    "moveaxis(X, 0, -1)",
    "atleast_1d(X)",
    "atleast_2d(X)",
    "ravel(X)",
    "repeat(X, 2)",
    "repeat(X, 2, axis=0)",
    "repeat(X, [1, 2], axis=0)",
    "tile(X, 2)",
    "tile(X, [2, 1])",
    "cumsum(X)",
    "cumsum(X, axis=0)",
    "cumprod(X, 1)",
    "diff(X)",
    "diff(X, 2, axis=0)",
    "sort(X)",
    "sort(X, axis=0)",
    "argsort(X)",
    "count_nonzero(X)",
    "count_nonzero(X, axis=0)",
    "where(X, Y, 0)",
    "argwhere(X)",
    "unique(X)",
    "unique(X, return_counts=true)",
    "isnan(X)",
    "isinf(X)",
    "isfinite(X)",
    "trunc(X)",
    "exp2(X)",
    "expm1(X)",
    "log1p(X)",
    "deg2rad(X)",
    "rad2deg(X)",
    "square(X)",
    "cbrt(X)",
    "reciprocal(X)",
    "hypot(X, Y)",
    "arctan2(X, Y)",
    "fmod(X, Y)",
    "mod(X, Y)",
    "power(X, 2)",
    "isclose(X, Y)",
    "allclose(X, Y)",
    "array_equal(X, Y)",
    "softmax(X)",
    "softmax(X, axis=0)",
    "log_softmax(X)",
    "logsumexp(X)",
    "logsumexp(X, axis=0, keepdims=true)",
    "sigmoid(X)",
    "expit(X)",
    "relu(X)",
    "one_hot(X, 3)",
    "one_hot(X)",
    // array functions: cut, index, grow; None; reduction extras
    "X[:, None]",
    "X[None]",
    "X[None, ..., None]",
    "X[[0, 1], None]",
    "meshgrid(X, Y)",
    "meshgrid(X, Y, indexing=\"ij\")",
    "split(X, 2)",
    "split(X, [1, 2], axis=0)",
    "array_split(X, 2, axis=-1)",
    "take(X, [0, 1])",
    "take(X, [[1], [0]], axis=0)",
    "take(X, 5, axis=1)",
    "take_along_axis(X, argsort(X, axis=0), axis=0)",
    "take_along_axis(X, [0, 1], axis=None)",
    "nonzero(X)",
    "where(X)",
    "searchsorted(sort(ravel(X)), Y)",
    "searchsorted(X, 1, side=\"right\")",
    "pad(X, 1)",
    "pad(X, [1, 2], mode=\"edge\")",
    "pad(X, 2, mode=\"reflect\")",
    "pad(X, 1, mode=\"symmetric\")",
    "pad(X, 3, mode=\"wrap\")",
    "pad(X, -1)",
    "pad(X, 1, constant_values=Y)",
    "sum(X, axis=[0, -1])",
    "mean(X, axis=[0, 1], keepdims=true)",
    "max(X, axis=None)",
    "sum(X, initial=1)",
    "max(X, axis=0, initial=0)",
    "prod(X, where=X > 0)",
    "min(X, where=X > 0, initial=10)",
    "sum(X, dtype=\"float32\")",
    "cumsum(X, dtype=\"float64\")",
    "size(X, 0)",
    "randint(0, 2, size=shape(X), dtype=\"bool\")",
    "full(shape(X), Y)",
    // statistics
    "median(X)",
    "median(X, axis=0, keepdims=true)",
    "percentile(X, 50)",
    "percentile(X, [10, 90], axis=-1)",
    "quantile(X, 0.25, method=\"lower\")",
    "quantile(X, Y, axis=0, method=\"midpoint\")",
    "average(X)",
    "average(X, axis=0, weights=Y)",
    "average(X, weights=Y, returned=true)",
    "cov(X)",
    "cov(X, rowvar=false, ddof=0)",
    "corrcoef(X)",
    "ptp(X)",
    "ptp(X, axis=0)",
    "nansum(X)",
    "nanmean(X, axis=0)",
    "nanmax(X)",
    "nanmin(X, axis=-1, keepdims=true)",
    "nanstd(X, ddof=1)",
    "histogram(X)",
    "histogram(X, bins=3, range=[0, 1])",
    "histogram(X, [0, 1, 2])",
    "bincount(X)",
    "bincount(X, weights=Y, minlength=3)",
    // einsum's ellipsis and sublists, einops
    "einsum(\"...ij->...ji\", X)",
    "einsum(\"...i,...i->...\", X, Y)",
    "einsum(X, [0, 1], [1, 0])",
    "rearrange(X, \"a ... -> ... a\")",
    "rearrange(X, \"... -> (...)\")",
    "rearrange(X, \"(a b) ... -> a b ...\", a=2)",
    "reduce(X, \"a ... -> ...\", \"sum\")",
    "reduce(X, \"... b -> ...\", \"max\")",
    "repeat(X, \"... -> ... c\", c=2)",
    "repeat(X, \"a ... -> (2 a) ...\")",
    // timing
    "tic()",
    "toc() >= 0",
];

/// Pictures: one closes each program (see `program`).
const PICTURES: &[&str] = &[
    "plot(X)",
    "plot(X, Y)",
    "plot(X, Y, X, title=\"t\")",
    "scatter(X, Y)",
    "hist(X)",
    "hist(X, bins=3, width=30)",
    "heatmap(X)",
    "imshow(X, height=8)",
];

/// The file built-ins, run by their own test with their own generator so
/// the stream of the main programs stays as it was.
const IO_EXPRS: &[&str] = &[
    // @F: the fixtures, @S: a scratch directory
    "load(\"@F/float64_C_le.npy\")",
    "load(\"@F/multi.npz\")",
    "load(\"@F/multi.npz\", \"y\")",
    "save(\"@S/r.npy\", X)",
    "savez(\"@S/r.npz\", X, y=Y)",
    "savez_compressed(\"@S/r.npz\", x=X)",
    "savetxt(\"@S/r.txt\", X)",
    "loadtxt(\"@F/savetxt_default.txt\")",
];

const NAMES: &[&str] = &["a", "b", "c", "d"];

fn fill(template: &str, g: &mut Gen) -> String {
    let template = template.to_string();
    let x = *g.pick(NAMES);
    let y = *g.pick(NAMES);
    let filled = template.replace('X', x).replace('Y', y);
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/io");
    let scratch = std::env::temp_dir().display().to_string();
    filled.replace("@F", fixtures).replace("@S", &scratch)
}

fn statement(g: &mut Gen) -> String {
    let template: &&str = g.pick(EXPRS);
    let expr = fill(template, g);
    match g.below(10) {
        // Compound assignment is the long form.
        6 => {
            let op = *g.pick(&["+=", "-=", "*=", "/=", "@="]);
            format!("{} {op} {}", g.pick(NAMES), g.pick(NAMES))
        }
        // A function checked at its call with the arguments' shapes (a
        // keyword default, a keyword call).
        7 => {
            let body = template.replace('X', "p").replace('Y', "q");
            let (x, y) = (g.pick(NAMES), g.pick(NAMES));
            let call = if g.below(2) == 0 {
                format!("h({x})")
            } else {
                format!("h(q={x}, p={y})")
            };
            format!("h(p, q={y}) = {body}; {call}")
        }
        // A loop the checker counts, and a condition it may not know (then
        // both branches are checked and the variable is what both agree on).
        8 => {
            let t = *g.pick(NAMES);
            format!("for i in arange(2); {t} = {expr}; end; {t}")
        }
        9 => {
            let (t, x) = (*g.pick(NAMES), *g.pick(NAMES));
            format!("if sum(float64({x})) > 0; {t} = {expr}; else; {t} = {x}; end; {t}")
        }
        0 => format!("{} = {expr}", g.pick(NAMES)),
        1 => {
            let target = *g.pick(NAMES);
            let index = *g.pick(&["0", "-1", ":", "0, 0", "..., 0", "[0, 1]", "0:2"]);
            let value = *g.pick(NAMES);
            format!("{target}[{index}] = {value}")
        }
        2 => {
            let template: &&str = g.pick(&["qr(X)", "svd(X)", "eigh(X)", "lu(X)", "X"]);
            let value = fill(template, g);
            format!("p, q = {value}")
        }
        _ => expr,
    }
}

/// The sizes a symbolic program declares, with their values: a shape's 2,
/// 3 and 4 are written with these names.
const SYMBOLS: [(usize, &str); 3] = [(2, "n"), (3, "m"), (4, "k")];

/// `zeros` of `shape` with its sizes 2, 3 and 4 written as symbols.
fn symbolic_zeros(shape: &[usize], dtype: &str) -> String {
    let dims: Vec<String> = shape
        .iter()
        .map(|&d| match SYMBOLS.iter().find(|(v, _)| *v == d) {
            Some((_, name)) => name.to_string(),
            None => d.to_string(),
        })
        .collect();
    format!("zeros([{}], dtype=\"{dtype}\")", dims.join(", "))
}

fn program(g: &mut Gen) -> Vec<String> {
    let mut stmts = vec!["seed(7)".to_string()];
    // One program in three declares valued sizes and builds its arrays
    // with them, so the checker's shapes are symbolic (`n×m`) while
    // evaluation's are numbers.
    let symbolic = g.below(3) == 0;
    if symbolic {
        let decl: Vec<String> = SYMBOLS.iter().map(|(v, n)| format!("{n} = {v}")).collect();
        stmts.push(format!("dim {}", decl.join(", ")));
    }
    for name in NAMES {
        let shape = *g.pick(SHAPES);
        let dtype = *g.pick(DTYPES);
        let value = array_expr(shape, dtype);
        if symbolic && !shape.is_empty() {
            let zeros = symbolic_zeros(shape, dtype);
            stmts.push(format!("{name} = {value} + {zeros}"));
        } else {
            stmts.push(format!("{name} = {value}"));
        }
    }
    for _ in 0..6 {
        stmts.push(statement(g));
    }
    // Chosen from the program's text, not the generator, so that adding
    // them left every other statement of every program as it was. A
    // picture changes nothing in the workspace, so it may come last.
    let h: usize = stmts.iter().flat_map(|s| s.bytes()).map(usize::from).sum();
    let picture = PICTURES[h % PICTURES.len()]
        .replace('X', NAMES[(h / 7) % NAMES.len()])
        .replace('Y', NAMES[(h / 31) % NAMES.len()]);
    stmts.push(picture);
    stmts
}

/// The first error of one statement's outcomes, or its displayed value.
enum Result1 {
    Value(Value),
    Error(Diagnostic),
    Silent,
}

fn run(session: &mut Session, stmt: &str) -> Result1 {
    let mut value = Result1::Silent;
    for o in session.eval_source(stmt) {
        match o {
            Outcome::Diagnostic(d) if d.severity == Severity::Error => return Result1::Error(d),
            Outcome::Value { value: v, .. } => value = Result1::Value((*v).clone()),
            _ => {}
        }
    }
    value
}

/// Errors that depend on the numbers, which the checker does not have.
fn decided_by_values(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Domain | ErrorKind::Index | ErrorKind::Limit | ErrorKind::Interrupted
    )
}

/// Storing complex values in a real array fails only when an imaginary
/// part is not zero: the values decide, though the error is about types.
fn lossy_store(d: &Diagnostic) -> bool {
    d.kind == ErrorKind::Type && d.message.starts_with("cannot convert complex values")
}

fn has_shape_only(v: &Value) -> bool {
    match v {
        Value::Shaped(_) | Value::Unknown => true,
        Value::Tuple(parts) => parts.iter().any(|(_, p)| has_shape_only(p)),
        // The checker's picture, which is not drawn.
        Value::Picture(p) => p.data.is_none(),
        _ => false,
    }
}

/// Whether the statement reads a variable that the checker knows only in
/// part (a length decided by data, or no shape at all). Then the checker may
/// miss an error that evaluation finds, or find another one first; it must
/// still never fail where evaluation succeeds, nor predict a wrong shape.
fn uses_unknown(checked: &Session, stmt: &str) -> bool {
    fn vague(v: &Value) -> bool {
        match v {
            Value::Unknown => true,
            Value::Shaped(m) => m.concrete().is_none() || m.alt.is_some(),
            Value::Tuple(parts) => parts.iter().any(|(_, p)| vague(p)),
            _ => false,
        }
    }
    let words: BTreeSet<&str> = stmt
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .collect();
    checked
        .evaluator
        .vars()
        .iter()
        .any(|(name, v)| words.contains(name.as_str()) && vague(v))
}

fn compare(stmt: &str, evaluated: &Result1, checked: &Result1, vague: bool) -> Result<(), String> {
    match (evaluated, checked) {
        (Result1::Error(d), _) if d.kind == ErrorKind::Internal => {
            Err(format!("`{stmt}`: {}", d.message))
        }
        (_, Result1::Error(d)) if d.kind == ErrorKind::Internal => {
            Err(format!("`{stmt}` (checker): {}", d.message))
        }
        (Result1::Value(v), Result1::Value(p)) => {
            if Kind::of(p).admits(v) {
                Ok(())
            } else {
                Err(format!(
                    "`{stmt}`: the checker says {} but evaluation gives {}",
                    p.describe(),
                    v.describe()
                ))
            }
        }
        (Result1::Silent, Result1::Silent) => Ok(()),
        (Result1::Error(e), Result1::Error(c)) => {
            // Evaluation may stop at an error only values decide (an index
            // out of range) before the one the checker finds.
            if vague
                || decided_by_values(e.kind)
                || (e.kind == c.kind && e.location() == c.location())
            {
                Ok(())
            } else {
                Err(format!(
                    "`{stmt}`: evaluation fails with {:?} at {:?} ({}), the checker with {:?} at {:?} ({})",
                    e.kind,
                    e.location(),
                    e.message,
                    c.kind,
                    c.location(),
                    c.message
                ))
            }
        }
        (Result1::Error(e), Result1::Value(p))
            if (vague || decided_by_values(e.kind) || lossy_store(e)) && has_shape_only(p) =>
        {
            Ok(())
        }
        (Result1::Error(e), Result1::Silent) if vague || decided_by_values(e.kind) => Ok(()),
        (Result1::Error(e), _) => Err(format!(
            "`{stmt}`: evaluation fails ({}) but the checker does not",
            e.message
        )),
        (_, Result1::Error(c)) => Err(format!(
            "`{stmt}`: the checker fails ({}) but evaluation does not",
            c.message
        )),
        _ => Err(format!("`{stmt}`: one displays a value, the other nothing")),
    }
}

#[test]
fn rules_and_kernels_agree_on_random_programs() {
    const PROGRAMS: usize = 10_000;
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    for p in 0..PROGRAMS {
        let stmts = program(&mut g);
        let mut evaluated = Session::new();
        let mut checked = Session::new();
        checked.evaluator.shape_only = true;
        for stmt in &stmts {
            for b in tensorcalc::eval::builtins::names() {
                if stmt.contains(&format!("{b}(")) {
                    used.insert(b);
                }
            }
            let vague = uses_unknown(&checked, stmt);
            let e = run(&mut evaluated, stmt);
            let c = run(&mut checked, stmt);
            // A condition the checker cannot decide has both branches
            // checked, so it may report an error in the branch that the
            // evaluation did not take.
            let untaken = stmt.starts_with("if ")
                && matches!(&c, Result1::Error(d) if d.kind != ErrorKind::Internal)
                && !matches!(e, Result1::Error(_));
            if untaken {
                break;
            }
            if let Err(why) = compare(stmt, &e, &c, vague) {
                failures.push(format!("program {p}: {why}\n  {}", stmts.join("; ")));
            }
            // One failed and the other did not, for a reason only values
            // decide: the workspaces may differ from here on.
            if matches!(e, Result1::Error(_)) != matches!(c, Result1::Error(_)) {
                break;
            }
        }
        if failures.len() > 20 {
            break;
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every built-in took part: a new one needs templates here (the file
    // built-ins have theirs in IO_EXPRS).
    let missing: Vec<_> = tensorcalc::eval::builtins::all()
        .filter(|b| b.category != "data in and out")
        .map(|b| b.name)
        .filter(|n| !used.contains(n))
        .collect();
    assert!(missing.is_empty(), "built-ins never generated: {missing:?}");
}

#[test]
fn file_builtins_agree_with_their_rules() {
    let mut g = Gen(0x005e_ed0f_f11e);
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    for p in 0..300 {
        let mut stmts = program(&mut g);
        stmts.truncate(5);
        for _ in 0..4 {
            let template: &&str = g.pick(IO_EXPRS);
            let expr = fill(template, &mut g);
            stmts.push(match g.below(3) {
                0 => format!("{} = {expr}", g.pick(NAMES)),
                _ => expr,
            });
        }
        let mut evaluated = Session::new();
        let mut checked = Session::new();
        checked.evaluator.shape_only = true;
        for stmt in &stmts {
            for b in tensorcalc::eval::builtins::names() {
                if stmt.contains(&format!("{b}(")) {
                    used.insert(b);
                }
            }
            let vague = uses_unknown(&checked, stmt);
            let e = run(&mut evaluated, stmt);
            let c = run(&mut checked, stmt);
            // A writer called with an unknown argument is unknown in the
            // checker (as every call is), where evaluation shows nothing.
            let unknown_writer = vague
                && matches!(e, Result1::Silent)
                && matches!(c, Result1::Value(Value::Unknown));
            if !unknown_writer && let Err(why) = compare(stmt, &e, &c, vague) {
                failures.push(format!("program {p}: {why}\n  {}", stmts.join("; ")));
            }
            if matches!(e, Result1::Error(_)) != matches!(c, Result1::Error(_)) {
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let missing: Vec<_> = tensorcalc::eval::builtins::all()
        .filter(|b| b.category == "data in and out" && !used.contains(b.name))
        .map(|b| b.name)
        .collect();
    assert!(
        missing.is_empty(),
        "file built-ins never generated: {missing:?}"
    );
}

#[test]
fn the_checker_computes_nothing_large() {
    let mut s = Session::new();
    s.evaluator.shape_only = true;
    let out = s.eval_source("A = zeros(20000, 20000) @ ones(20000, 3)\nA");
    let shown: Vec<String> = out
        .iter()
        .filter_map(|o| match o {
            Outcome::Value { value, .. } => Some(value.describe()),
            Outcome::Diagnostic(d) => Some(d.message.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(shown, ["20000×3 float64", "20000×3 float64"]);
    // Small constants are still numbers, so rules downstream can use them.
    let out = s.eval_source("n = len(A) // 200\nzeros(n, 2)");
    let Some(Outcome::Value { value, .. }) = out.last() else {
        panic!("no value: {out:?}")
    };
    assert_eq!(value.describe(), "100×2 float64");
}

/// Runs a whole example in both modes and compares each displayed value.
fn example_agrees(name: &str, code: &str) -> Result<(), String> {
    let mut evaluated = Session::new();
    let mut checked = Session::new();
    checked.evaluator.shape_only = true;
    let program = tensorcalc::syntax::parse(code, &Default::default())
        .map_err(|d| format!("{name}: {}", d.message))?;
    for stmt in &program.statements {
        let mut text = code[stmt.span.start..stmt.span.end].to_string();
        if stmt.silent {
            text.push(';');
        }
        let text = text.as_str();
        let e = run(&mut evaluated, text);
        let c = run(&mut checked, text);
        compare(text, &e, &c, false).map_err(|why| format!("{name}: {why}"))?;
        if let Result1::Error(d) = e {
            return Err(format!("{name}: `{text}` fails: {}", d.message));
        }
    }
    Ok(())
}

/// The table test: every built-in and every operator has a rule, and the
/// rule predicts what its own help example computes.
#[test]
fn every_table_entry_has_a_rule_that_predicts_its_example() {
    let mut failed = Vec::new();
    for b in tensorcalc::eval::builtins::all() {
        if let Err(why) = example_agrees(b.name, b.example) {
            failed.push(why);
        }
    }
    for op in tensorcalc::commands::OPERATORS {
        if let Err(why) = example_agrees(op.symbols[0], op.example) {
            failed.push(why);
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
