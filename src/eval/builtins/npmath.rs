//! Built-ins: NumPy's further elementwise math (isnan, expm1, hypot, ...),
//! comparisons with a tolerance, and the deep-learning helpers.

use super::*;
use crate::ops::everyday::{self as ev, Math, Math2, Soft};

fn math(a: &Args, f: Math) -> EResult<Value> {
    done(a, ev::math(f, a.array(0)?))
}

fn math_rule(a: &Args, f: Math) -> EResult<Kind> {
    predicted(a, ev::math_rule(f, &a.meta(0)?))
}

fn math2(a: &Args, f: Math2) -> EResult<Value> {
    done(a, ev::math2(f, a.array(0)?, a.array(1)?))
}

fn math2_rule(a: &Args, f: Math2) -> EResult<Kind> {
    predicted(a, ev::math2_rule(f, &a.meta(0)?, &a.meta(1)?))
}

/// isclose's and allclose's tolerances, positional or by keyword.
fn tolerances(a: &Args) -> EResult<(f64, f64, bool)> {
    Ok((
        a.opt_f64(2, "rtol")?.unwrap_or(1e-5),
        a.opt_f64(3, "atol")?.unwrap_or(1e-8),
        a.opt_bool(4, "equal_nan", false)?,
    ))
}

/// The axis of softmax and its family: -1 unless given (logsumexp: all).
fn soft_axis(a: &Args, kind: Soft) -> EResult<Option<i64>> {
    // `axis=None` is every axis; left out, softmax's default is the last.
    match kind {
        Soft::LogSumExp => a.axis(1),
        _ => a.axis_or(1, -1),
    }
}

fn soft(a: &Args, kind: Soft) -> EResult<Value> {
    let axis = soft_axis(a, kind)?;
    let keep = a.kw_bool("keepdims", false)?;
    done(a, ev::soft(kind, a.array(0)?, axis, keep))
}

fn soft_rule(a: &Args, kind: Soft) -> EResult<Kind> {
    let axis = soft_axis(a, kind)?;
    let keep = a.kw_bool("keepdims", false)?;
    predicted(a, ev::soft_rule(kind, &a.meta(0)?, axis, keep))
}

/// The tables' entries: `elementwise!` with this file's rule and run.
macro_rules! math_fn {
    ($($t:tt)*) => { elementwise!(via math_rule, math; $($t)*) };
}

macro_rules! math2_fn {
    ($($t:tt)*) => { elementwise!(binary via math2_rule, math2; $($t)*) };
}

pub(super) static TABLE: &[Builtin] = &[
    math_fn!(
        "isnan",
        Math::IsNan,
        "Whether each element is nan (for complex: either part).",
        "isnan([1, nan, inf])"
    ),
    math_fn!(
        "isinf",
        Math::IsInf,
        "Whether each element is +inf or -inf.",
        "isinf([1, nan, -inf])"
    ),
    math_fn!(
        "isfinite",
        Math::IsFinite,
        "Whether each element is neither nan nor infinite.",
        "isfinite([1, nan, inf])"
    ),
    math_fn!(
        "trunc",
        Math::Trunc,
        "Rounds toward zero. Integers stay integers.",
        "trunc([-1.7, 1.7])"
    ),
    math_fn!("exp2", Math::Exp2, "2 raised to x.", "exp2([0, 1, 10])"),
    math_fn!(
        "expm1",
        Math::Expm1,
        "exp(x) - 1, accurate for tiny x.",
        "expm1(1e-10)"
    ),
    math_fn!(
        "log1p",
        Math::Log1p,
        "log(1 + x), accurate for tiny x.",
        "log1p(1e-10)"
    ),
    math_fn!(
        "deg2rad",
        Math::Deg2Rad,
        "Degrees to radians.",
        "deg2rad(180)"
    ),
    math_fn!(
        "rad2deg",
        Math::Rad2Deg,
        "Radians to degrees.",
        "rad2deg(pi)"
    ),
    math_fn!(
        "square",
        Math::Square,
        "x·x; integers stay integers (an overflow is an error).",
        "square([-2, 3])"
    ),
    math_fn!(
        "cbrt",
        Math::Cbrt,
        "The real cube root (negative for negative x).",
        "cbrt([-8, 27])"
    ),
    math_fn!(
        "reciprocal",
        Math::Reciprocal,
        "1/x. As in NumPy, integers stay integers (reciprocal(2) is 0); 1/0 for integers is an error.",
        "reciprocal([1, 2.0, 4])"
    ),
    math2_fn!(
        "hypot",
        Math2::Hypot,
        "sqrt(x² + y²) without overflow, with broadcasting.",
        "hypot(3, [4, 0])"
    ),
    math2_fn!(
        "arctan2",
        Math2::Arctan2,
        "The angle of the point (x=second, y=first) in radians, in (-pi, pi].",
        "arctan2([1, -1], -1)"
    ),
    math2_fn!(
        "fmod",
        Math2::Fmod,
        "C's remainder: the result has the sign of x (unlike mod and %).",
        "fmod([-7, 7], 3)"
    ),
    builtin!(
        "elementwise",
        "mod",
        "mod(x, y)",
        2,
        2,
        [],
        "Python's remainder x % y: the result has the sign of y.",
        "mod([-7, 7], 3)",
        rule: |a| predicted(a, crate::ops::arith::binary_rule(BinOp::Mod, &a.meta(0)?, &a.meta(1)?, None)),
        run: |_, a| done(a, crate::ops::arith::binary(BinOp::Mod, a.array(0)?, a.array(1)?, &a.exec))
    ),
    builtin!(
        "elementwise",
        "power",
        "power(x, y)",
        2,
        2,
        [],
        "x raised to y, element by element (the operator ^).",
        "power([1, 2, 3], 2)",
        rule: |a| {
            let b = known(a, 1).and_then(crate::ops::arith::exponent_nonneg);
            predicted(a, crate::ops::arith::binary_rule(BinOp::Pow, &a.meta(0)?, &a.meta(1)?, b))
        },
        run: |_, a| done(a, crate::ops::arith::binary(BinOp::Pow, a.array(0)?, a.array(1)?, &a.exec))
    ),
    builtin!(
        "elementwise",
        "isclose",
        "isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=false)",
        2,
        5,
        ["rtol", "atol", "equal_nan"],
        "Whether |a - b| <= atol + rtol·|b|, element by element with broadcasting (NumPy's asymmetric test).",
        "isclose([1, 2], [1.000001, 2.1])",
        rule: |a| {
            tolerances(a)?;
            predicted(a, ev::isclose_rule(&a.meta(0)?, &a.meta(1)?))
        },
        run: |_, a| {
            let (r, t, n) = tolerances(a)?;
            done(a, ev::isclose(a.array(0)?, a.array(1)?, r, t, n).map(Array::Bool))
        }
    ),
    builtin!(
        "elementwise",
        "allclose",
        "allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=false)",
        2,
        5,
        ["rtol", "atol", "equal_nan"],
        "Whether isclose holds for every pair: all(isclose(a, b)).",
        "allclose([1, 2], [1.000001, 2])",
        rule: |a| {
            tolerances(a)?;
            predicted(a, ev::isclose_rule(&a.meta(0)?, &a.meta(1)?).map(|_| Meta::scalar(DType::Bool)))
        },
        run: |_, a| {
            let (r, t, n) = tolerances(a)?;
            let c = ev::isclose(a.array(0)?, a.array(1)?, r, t, n).map_err(|e| a.op_err(e))?;
            Ok(Value::Array(Array::scalar_bool(c.iter().all(|&v| v))))
        }
    ),
    builtin!(
        "elementwise",
        "array_equal",
        "array_equal(a, b)",
        2,
        2,
        [],
        "Whether a and b have the same shape and equal elements (nan is never equal).",
        "array_equal([1, 2], [1.0, 2.0])",
        rule: |a| {
            a.meta(0)?;
            a.meta(1)?;
            Ok(Meta::scalar(DType::Bool).into())
        },
        run: |_, a| Ok(Value::Array(Array::scalar_bool(ev::array_equal(a.array(0)?, a.array(1)?))))
    ),
    // ---------------------------------------------------------- deep learning
    builtin!(
        "deep learning",
        "softmax",
        "softmax(x, axis=-1)",
        1,
        2,
        ["axis"],
        "exp(x) / sum(exp(x)) along axis (SciPy's and PyTorch's softmax), computed stably by subtracting the largest value first.",
        "softmax([1, 2, 3])",
        rule: |a| soft_rule(a, Soft::Softmax),
        run: |_, a| soft(a, Soft::Softmax)
    ),
    builtin!(
        "deep learning",
        "log_softmax",
        "log_softmax(x, axis=-1)",
        1,
        2,
        ["axis"],
        "x - logsumexp(x) along axis: the log of softmax without its underflow.",
        "log_softmax([1, 2, 3])",
        rule: |a| soft_rule(a, Soft::LogSoftmax),
        run: |_, a| soft(a, Soft::LogSoftmax)
    ),
    builtin!(
        "deep learning",
        "logsumexp",
        "logsumexp(x, axis=None, keepdims=false)",
        1,
        2,
        ["axis", "keepdims"],
        "log(sum(exp(x))) over everything or along axis, stable for large x (SciPy's logsumexp).",
        "logsumexp([1000, 1000])",
        rule: |a| soft_rule(a, Soft::LogSumExp),
        run: |_, a| soft(a, Soft::LogSumExp)
    ),
    builtin!(
        "deep learning",
        "sigmoid",
        "sigmoid(x)",
        1,
        1,
        [],
        "The logistic function 1 / (1 + exp(-x)), stable for large |x| (PyTorch's sigmoid).",
        "sigmoid([-1000, 0, 1000])",
        rule: |a| math_rule(a, Math::Sigmoid),
        run: |_, a| math(a, Math::Sigmoid)
    ),
    builtin!(
        "deep learning",
        "expit",
        "expit(x)",
        1,
        1,
        [],
        "SciPy's name for sigmoid: 1 / (1 + exp(-x)).",
        "expit([-1000, 0, 1000])",
        rule: |a| math_rule(a, Math::Sigmoid),
        run: |_, a| math(a, Math::Sigmoid)
    ),
    builtin!(
        "deep learning",
        "relu",
        "relu(x)",
        1,
        1,
        [],
        "max(x, 0), element by element; nan stays nan; integers stay integers.",
        "relu([-1, 0, 2.5])",
        rule: |a| math_rule(a, Math::Relu),
        run: |_, a| math(a, Math::Relu)
    ),
    builtin!(
        "deep learning",
        "one_hot",
        "one_hot(labels, n=max+1)",
        1,
        2,
        ["n"],
        "An int64 array with one more axis of length n, 1 at each label and 0 elsewhere (PyTorch's one_hot; n defaults to the largest label + 1).",
        "one_hot([0, 2, 1], 3)",
        rule: |a| {
            let n = a.opt_int(1, "n")?;
            predicted(a, ev::one_hot_rule(&a.meta(0)?, n))
        },
        run: |_, a| {
            let n = a.opt_int(1, "n")?;
            done(a, ev::one_hot(a.array(0)?, n, &a.limits))
        }
    ),
];
