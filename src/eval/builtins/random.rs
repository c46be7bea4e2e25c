//! Built-ins: random numbers with NumPy's legacy streams (`ops::random`).
//! After `seed(n)` each gives exactly what `np.random.seed(n)` and the
//! function of the same name give. Values are immutable, so `shuffle(x)`
//! returns the shuffled copy (the draws of NumPy's in-place shuffle):
//! write `x = shuffle(x)` for NumPy's `np.random.shuffle(x)`.

use super::*;
use crate::diagnostic::Diagnostic;
use crate::ops::random::{self as rnd, Rng};
use crate::syntax::Span;

/// An optional argument given positionally at `i` or as keyword `name`:
/// its metadata, for the rules.
fn opt_meta(a: &Args, i: usize, name: &str) -> EResult<Option<Meta>> {
    match a.opt(i, name) {
        None | Some((Value::Nothing, _)) => Ok(None),
        Some((Value::Shaped(m), _)) => Ok(Some(m.clone())),
        Some((Value::Array(x), _)) => Ok(Some(Meta::of(x))),
        Some((_, span)) => Err(a.kw_error(span, name, "an array or a number")),
    }
}

/// The same argument's values, for `run`.
fn opt_array<'a>(a: &'a Args, i: usize, name: &str) -> EResult<Option<&'a Array>> {
    match a.opt(i, name) {
        None | Some((Value::Nothing, _)) => Ok(None),
        Some((Value::Array(x), _)) => Ok(Some(x)),
        Some((Value::Shaped(m), span)) => Err(super::super::errors::needs_values(m, span)),
        Some((_, span)) => Err(a.kw_error(span, name, "an array or a number")),
    }
}

/// `size=`: a size or a vector of sizes (NumPy's int or tuple).
fn size_arg(a: &Args, i: usize) -> EResult<Option<Vec<usize>>> {
    let Some((v, span)) = a
        .opt(i, "size")
        .filter(|(v, _)| !matches!(v, Value::Nothing))
    else {
        return Ok(None);
    };
    let bad = |span: Span| {
        a.kw_error(
            span,
            "size",
            "a size or a vector of sizes (whole numbers ≥ 0)",
        )
    };
    let x = match v {
        Value::Array(x) => x,
        Value::Shaped(m) => return Err(super::super::errors::needs_values(m, span)),
        _ => return Err(bad(span)),
    };
    if x.ndim() > 1 || x.dtype() == DType::Complex128 {
        return Err(bad(span));
    }
    let mut out = Vec::new();
    for z in x.iter_c64() {
        let v = z.re;
        if !(v.fract() == 0.0 && (0.0..2f64.powi(62)).contains(&v)) {
            return Err(bad(span));
        }
        out.push(v as usize);
    }
    Ok(Some(out))
}

/// The arguments of uniform and normal, read one way for the rule and the
/// run: parameters 0 and 1 (positional or by name, `read` gives their
/// metadata or their values) and size 2.
type TwoParams<T> = (Option<T>, Option<T>, Option<Vec<usize>>);

fn two_param_args<'a, T>(
    a: &'a Args,
    names: [&str; 2],
    read: impl Fn(&'a Args, usize, &str) -> EResult<Option<T>>,
) -> EResult<TwoParams<T>> {
    Ok((
        read(a, 0, names[0])?,
        read(a, 1, names[1])?,
        size_arg(a, 2)?,
    ))
}

/// The rule of uniform and normal (defaults 0 and 1, float64).
fn two_param_rule(a: &Args, names: [&str; 2]) -> EResult<Kind> {
    let (p0, p1, size) = two_param_args(a, names, opt_meta)?;
    let scalar = || Meta::scalar(DType::Float64);
    let (p0, p1) = (p0.unwrap_or_else(scalar), p1.unwrap_or_else(scalar));
    let r = rnd::param_rule(&[(0, &p0), (1, &p1)], size.as_deref(), DType::Float64);
    predicted_at(a, r, 3, 2)
}

type TwoParam =
    fn(&mut Rng, &Array, &Array, Option<&[usize]>, &crate::ops::limits::Limits) -> OpResult<Array>;

fn two_param(cx: &mut Ctx, a: &Args, names: [&str; 2], f: TwoParam) -> EResult<Value> {
    let (zero, one) = (Array::scalar_f64(0.0), Array::scalar_f64(1.0));
    let (p0, p1, size) = two_param_args(a, names, opt_array)?;
    let (p0, p1) = (p0.unwrap_or(&zero), p1.unwrap_or(&one));
    drawn(a, f(cx.rng, p0, p1, size.as_deref(), &a.limits), 3, 2)
}

/// A table entry of a two-parameter distribution (uniform, normal).
macro_rules! two_param_fn {
    ($name:literal, [$k0:literal, $k1:literal], $sig:literal, $f:expr, $summary:literal, $example:literal) => {
        builtin!(
            "random",
            $name,
            $sig,
            0,
            3,
            [$k0, $k1, "size"],
            $summary,
            $example,
            reads: Reads::World,
            rule: |a| two_param_rule(a, [$k0, $k1]),
            run: |cx, a| two_param(cx, a, [$k0, $k1], $f)
        )
    };
}

/// randint's `dtype=`.
fn int_kind(a: &Args) -> EResult<rnd::IntKind> {
    let name = a.opt_choice(MANY, "dtype", "int64", &rnd::IntKind::NAMES)?;
    Ok(match name.as_str() {
        "bool" => rnd::IntKind::Bool,
        "int32" => rnd::IntKind::Int32,
        _ => rnd::IntKind::Int64,
    })
}

fn randint_rule(a: &Args) -> EResult<Kind> {
    let dtype = match int_kind(a)? {
        rnd::IntKind::Bool => DType::Bool,
        _ => DType::Int64,
    };
    let low = a.meta(0)?;
    let high = opt_meta(a, 1, "high")?;
    let size = size_arg(a, 2)?;
    let mut params = vec![(0, &low)];
    if let Some(h) = &high {
        params.push((1, h));
    }
    predicted_at(a, rnd::param_rule(&params, size.as_deref(), dtype), 3, 2)
}

fn choice_args(a: &Args) -> EResult<(Option<Vec<usize>>, bool)> {
    Ok((size_arg(a, 1)?, a.opt_bool(2, "replace", true)?))
}

/// The diagnostic of a random function's error: one about `p` or `size`
/// points at that argument, wherever it was written.
fn placed(a: &Args, e: crate::ops::OpError, p_at: usize, size_at: usize) -> Diagnostic {
    use rnd::RandomError as E;
    let at = match &e {
        crate::ops::OpError::Random { err, arg: None } => match err {
            E::ProbShape { .. }
            | E::ProbNan
            | E::ProbNegative { .. }
            | E::ProbSum { .. }
            | E::FewerNonZero { .. } => a.opt(p_at, "p"),
            E::SizeMismatch { .. } | E::SampleTooLarge { .. } => a.opt(size_at, "size"),
            _ => None,
        },
        _ => None,
    };
    let mut d = a.op_err(e);
    if let (Some((_, span)), Some(label)) = (at, d.labels.first_mut()) {
        label.span = span;
        label.text = String::new();
    }
    d
}

fn drawn(a: &Args, r: OpResult<Array>, p_at: usize, size_at: usize) -> EResult<Value> {
    r.map(Value::Array).map_err(|e| placed(a, e, p_at, size_at))
}

fn predicted_at(a: &Args, r: OpResult<Meta>, p_at: usize, size_at: usize) -> EResult<Kind> {
    r.map(Kind::from).map_err(|e| placed(a, e, p_at, size_at))
}

fn random(cx: &mut Ctx, a: &Args, normal: bool) -> EResult<Value> {
    let shape = a.shape_from(0, a.len())?;
    let r = if normal {
        rnd::randn(cx.rng, &shape, &a.limits)
    } else {
        rnd::rand(cx.rng, &shape, &a.limits)
    };
    done(a, r)
}

/// The rule of rand and randn.
fn random_rule(a: &Args) -> EResult<Kind> {
    predicted(a, rnd::random_rule(&a.dims_from(0, a.len())?))
}

pub(super) const TABLE: &[Builtin] = &[
    builtin!(
        "random",
        "rand",
        "rand(shape...)",
        0,
        MANY,
        [],
        "Uniform random float64 values in [0, 1) (NumPy's random_sample). rand() is one number. After seed(n), the same numbers as np.random.seed(n); np.random.rand(...).",
        "seed(0); rand(2, 2)",
        reads: Reads::World,
        rule: random_rule,
        run: |cx, a| random(cx, a, false)
    ),
    builtin!(
        "random",
        "randn",
        "randn(shape...)",
        0,
        MANY,
        [],
        "Standard normal random float64 values (mean 0, standard deviation 1), by NumPy's legacy polar method. After seed(n), the same numbers as NumPy's randn.",
        "seed(0); randn(3)",
        reads: Reads::World,
        rule: random_rule,
        run: |cx, a| random(cx, a, true)
    ),
    builtin!(
        "random",
        "seed",
        "seed(n)",
        1,
        1,
        [],
        "Seeds the session's random generator as np.random.seed does: n is a whole number from 0 to 2^32 - 1, or a vector of them. Afterwards rand, randn, randint, uniform, normal, choice, permutation and shuffle give NumPy's legacy (RandomState, MT19937) numbers.",
        "seed(42); rand()",
        rule: |a| {
            let m = a.meta(0)?;
            if m.ndim() > 1 || !matches!(m.dtype, DType::Int64 | DType::Bool) {
                return Err(a.op_err(crate::ops::OpError::Random {
                    err: rnd::RandomError::SeedShape { shape: m.shape },
                    arg: Some(0),
                }));
            }
            Ok(Kind::Nothing)
        },
        run: |cx, a| {
            *cx.rng = rnd::seeded(a.array(0)?).map_err(|e| a.op_err(e))?;
            Ok(Value::Nothing)
        }
    ),
    builtin!(
        "random",
        "randint",
        "randint(low, high=None, size=None, dtype=\"int64\")",
        1,
        3,
        ["high", "size", "dtype"],
        "Random int64 values from low to high - 1 (from 0 to low - 1 without high), NumPy's legacy randint. low and high may be arrays that broadcast; size is a size or a vector of sizes. dtype=\"bool\" gives bools drawn as NumPy draws them; dtype=\"int32\" NumPy's int32 numbers, as int64.",
        "seed(0); randint(1, 7, size=10)",
        reads: Reads::World,
        rule: randint_rule,
        run: |cx, a| {
            let high = opt_array(a, 1, "high")?;
            let size = size_arg(a, 2)?;
            let kind = int_kind(a)?;
            drawn(a, rnd::randint_as(cx.rng, a.array(0)?, high, size.as_deref(), kind, &a.limits), 3, 2)
        }
    ),
    two_param_fn!(
        "uniform",
        ["low", "high"],
        "uniform(low=0, high=1, size=None)",
        rnd::uniform,
        "Uniform random float64 values in [low, high): low + (high - low) * u, as NumPy's uniform. low and high may be arrays that broadcast.",
        "seed(0); uniform(-1, 1, size=3)"
    ),
    two_param_fn!(
        "normal",
        ["loc", "scale"],
        "normal(loc=0, scale=1, size=None)",
        rnd::normal,
        "Normal random float64 values with mean loc and standard deviation scale: loc + scale * randn, as NumPy's normal. loc and scale may be arrays that broadcast.",
        "seed(0); normal(10, 2, size=[2, 2])"
    ),
    builtin!(
        "random",
        "choice",
        "choice(a, size=None, replace=true, p=None)",
        1,
        4,
        ["size", "replace", "p"],
        "Random samples from the vector a (or from 0 to a - 1 when a is a whole number), with probabilities p when given; replace=false draws without repeats. NumPy's legacy choice, draw for draw.",
        "seed(0); choice([10, 20, 30], size=5, p=[0.5, 0.25, 0.25])",
        reads: Reads::World,
        rule: |a| {
            let (size, replace) = choice_args(a)?;
            let p = opt_meta(a, 3, "p")?;
            predicted_at(a, rnd::choice_rule(&a.meta(0)?, size.as_deref(), replace, p.as_ref()), 3, 1)
        },
        run: |cx, a| {
            let (size, replace) = choice_args(a)?;
            let p = opt_array(a, 3, "p")?;
            drawn(a, rnd::choice(cx.rng, a.array(0)?, size.as_deref(), replace, p, &a.limits), 3, 1)
        }
    ),
    builtin!(
        "random",
        "permutation",
        "permutation(x)",
        1,
        1,
        [],
        "A random ordering: of 0 to x - 1 when x is a whole number, else a copy of x with its first axis shuffled. NumPy's legacy permutation.",
        "seed(0); permutation(5)",
        reads: Reads::World,
        rule: |a| {
            let n = known(a, 0)
                .filter(|x| x.is_scalar())
                .and_then(|x| x.to_i64_array().ok())
                .and_then(|v| v.iter().next().copied());
            predicted(a, rnd::permutation_rule(&a.meta(0)?, n))
        },
        run: |cx, a| done(a, rnd::permutation(cx.rng, a.array(0)?, &a.limits))
    ),
    builtin!(
        "random",
        "shuffle",
        "shuffle(x)",
        1,
        1,
        [],
        "x with its first axis in random order: the same draws as NumPy's in-place shuffle, but as a new value (values never change in place), so NumPy's np.random.shuffle(x) is x = shuffle(x) here.",
        "seed(0); x = [1, 2, 3, 4, 5]; x = shuffle(x)",
        reads: Reads::World,
        rule: |a| predicted(a, rnd::shuffle_rule(&a.meta(0)?)),
        run: |cx, a| done(a, rnd::shuffle(cx.rng, a.array(0)?))
    ),
];
