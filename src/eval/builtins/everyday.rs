//! Built-ins: NumPy's everyday array functions (zeros_like, tril, flip,
//! roll, sort, cumsum, where, unique, repeat, tile, ...). Rule and run of
//! each entry read the constant arguments with the same parser.

use super::*;
use crate::ops::everyday as ev;

/// `*_like(x, dtype=x's)`: x's shape, filled with `value`.
fn like(a: &Args, value: Option<&Array>) -> EResult<Value> {
    let x = a.array(0)?;
    let dtype = a.kw_dtype(x.dtype())?;
    let fill = value.cloned().unwrap_or(Array::scalar_f64(0.0));
    done(a, construct::full(x.shape(), &fill, dtype, &a.limits))
}

fn like_rule(a: &Args, fill: Option<usize>) -> EResult<Kind> {
    let x = a.meta(0)?;
    let dtype = a.kw_dtype(x.dtype)?;
    let value = match fill {
        Some(i) => a.meta(i)?,
        None => Meta::scalar(DType::Float64),
    };
    predicted(
        a,
        construct::full_rule(&x.shape, &value, fill.and_then(|i| known(a, i)), dtype),
    )
}

fn like_fn(a: &Args, v: f64) -> EResult<Value> {
    like(a, Some(&Array::scalar_f64(v)))
}

/// logspace's num, endpoint and base, positional (NumPy's order) or by
/// keyword; a negative num is refused as by linspace.
fn logspace_args(a: &Args) -> EResult<(usize, bool, f64)> {
    a.f64(0)?;
    a.f64(1)?;
    let num = match a.opt_int(2, "num")? {
        Some(n) if n < 0 => {
            return Err(a.error(
                ErrorKind::Domain,
                None,
                format!("num must be ≥ 0, got {n}"),
                "",
            ));
        }
        Some(n) => n as usize,
        None => 50,
    };
    let endpoint = a.opt_bool(3, "endpoint", true)?;
    let base = a.opt_f64(4, "base")?.unwrap_or(10.0);
    Ok((num, endpoint, base))
}

/// An optional axis where None (the default) means "flattened".
fn opt_axis(a: &Args, i: usize) -> EResult<Option<i64>> {
    a.axis(i)
}

/// repeat's counts and tile's reps: one whole number or a vector of them.
fn counts(a: &Args, i: usize) -> EResult<Vec<i64>> {
    let x = a.array(i)?;
    if x.is_scalar() {
        return a.int(i).map(|n| vec![n]);
    }
    int_list(a, i)
}

/// repeat's counts as the rule sees them: unknown when not a constant.
fn known_counts(a: &Args, i: usize) -> EResult<Option<Vec<i64>>> {
    match known(a, i) {
        Some(_) => counts(a, i).map(Some),
        None => Ok(None),
    }
}

fn k_arg(a: &Args) -> EResult<i64> {
    Ok(a.opt_int(1, "k")?.unwrap_or(0))
}

macro_rules! like_builtin {
    ($name:literal, $v:expr, $summary:literal, $example:literal) => {
        builtin!(
            "construction",
            $name,
            concat!($name, "(x, dtype=x's)"),
            1,
            1,
            ["dtype"],
            $summary,
            $example,
            rule: |a| like_rule(a, None),
            run: |_, a| like_fn(a, $v)
        )
    };
}

pub(super) static TABLE: &[Builtin] = &[
    like_builtin!(
        "zeros_like",
        0.0,
        "Zeros of x's shape and dtype (or dtype=).",
        "zeros_like([[1, 2], [3, 4]])"
    ),
    like_builtin!(
        "ones_like",
        1.0,
        "Ones of x's shape and dtype (or dtype=).",
        "ones_like([1.5, 2])"
    ),
    like_builtin!(
        "empty_like",
        0.0,
        "An array of x's shape and dtype. Unlike NumPy its elements are zeros, never leftover memory.",
        "empty_like([1, 2, 3])"
    ),
    builtin!(
        "construction",
        "full_like",
        "full_like(x, value, dtype=x's)",
        2,
        2,
        ["dtype"],
        "x's shape and dtype, filled with value (which may be an array that broadcasts to x's shape).",
        "full_like([1, 2, 3], 7)",
        rule: |a| like_rule(a, Some(1)),
        run: |_, a| like(a, Some(a.array(1)?))
    ),
    builtin!(
        "construction",
        "identity",
        "identity(n, dtype=\"float64\")",
        1,
        1,
        ["dtype"],
        "The n×n identity matrix (eye(n)).",
        "identity(3)",
        rule: |a| {
            let dt = a.kw_dtype(DType::Float64)?;
            predicted(a, construct::eye_rule(a.dim(0)?, None, dt))
        },
        run: |_, a| {
            let dt = a.kw_dtype(DType::Float64)?;
            done(a, construct::eye(a.size(0)?, None, 0, dt, &a.limits))
        }
    ),
    builtin!(
        "construction",
        "logspace",
        "logspace(start, stop, num=50, endpoint=true, base=10)",
        2,
        5,
        ["num", "endpoint", "base"],
        "num values from base^start to base^stop, evenly spaced on a log scale (float64); with endpoint=false base^stop itself is left out.",
        "logspace(0, 3, 4)",
        rule: |a| {
            let l = logspace_args(a)?;
            predicted(a, construct::linspace_rule(l.0))
        },
        run: |_, a| {
            let (num, endpoint, base) = logspace_args(a)?;
            done(a, ev::logspace(a.f64(0)?, a.f64(1)?, num, endpoint, base, &a.limits))
        }
    ),
    builtin!(
        "shape",
        "tril",
        "tril(x, k=0)",
        1,
        2,
        ["k"],
        "The lower triangle: elements above diagonal k become 0 (of the last two axes; a vector v gives the matrix of rows v, as in NumPy).",
        "tril([[1, 2, 3], [4, 5, 6], [7, 8, 9]])",
        rule: |a| {
            k_arg(a)?;
            predicted(a, ev::tri_rule(&a.meta(0)?))
        },
        run: |_, a| done(a, ev::tri(a.array(0)?, k_arg(a)?, true, &a.limits))
    ),
    builtin!(
        "shape",
        "triu",
        "triu(x, k=0)",
        1,
        2,
        ["k"],
        "The upper triangle: elements below diagonal k become 0.",
        "triu([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 1)",
        rule: |a| {
            k_arg(a)?;
            predicted(a, ev::tri_rule(&a.meta(0)?))
        },
        run: |_, a| done(a, ev::tri(a.array(0)?, k_arg(a)?, false, &a.limits))
    ),
    builtin!(
        "shape",
        "flip",
        "flip(x, axis=None)",
        1,
        2,
        ["axis"],
        "Reverses the order of the elements along axis (along every axis without one).",
        "flip([[1, 2], [3, 4]], 1)",
        rule: |a| predicted(a, ev::flip_rule(&a.meta(0)?, opt_axis(a, 1)?, 0)),
        run: |_, a| done(a, ev::flip(a.array(0)?, opt_axis(a, 1)?))
    ),
    builtin!(
        "shape",
        "fliplr",
        "fliplr(x)",
        1,
        1,
        [],
        "Reverses the columns (axis 1); x needs two axes at least.",
        "fliplr([[1, 2], [3, 4]])",
        rule: |a| predicted(a, ev::flip_rule(&a.meta(0)?, Some(1), 2)),
        run: |_, a| {
            let x = a.array(0)?;
            ev::flip_rule(&Meta::of(x), Some(1), 2).map_err(|e| a.op_err(e))?;
            done(a, ev::flip(x, Some(1)))
        }
    ),
    builtin!(
        "shape",
        "flipud",
        "flipud(x)",
        1,
        1,
        [],
        "Reverses the rows (axis 0); x needs one axis at least.",
        "flipud([[1, 2], [3, 4]])",
        rule: |a| predicted(a, ev::flip_rule(&a.meta(0)?, Some(0), 1)),
        run: |_, a| {
            let x = a.array(0)?;
            ev::flip_rule(&Meta::of(x), Some(0), 1).map_err(|e| a.op_err(e))?;
            done(a, ev::flip(x, Some(0)))
        }
    ),
    builtin!(
        "shape",
        "roll",
        "roll(x, shift, axis=None)",
        2,
        3,
        ["axis"],
        "Shifts the elements by shift places along axis (of the flattened array without one); those pushed off the end come back at the start.",
        "roll([1, 2, 3, 4, 5], 2)",
        rule: |a| {
            a.int(1)?;
            predicted(a, ev::roll_rule(&a.meta(0)?, opt_axis(a, 2)?))
        },
        run: |_, a| done(a, ev::roll(a.array(0)?, a.int(1)?, opt_axis(a, 2)?))
    ),
    builtin!(
        "shape",
        "swapaxes",
        "swapaxes(x, axis1, axis2)",
        3,
        3,
        [],
        "Exchanges two axes.",
        "shape(swapaxes(zeros(2, 3, 4), 0, 2))",
        rule: |a| predicted(a, ev::swapaxes_rule(&a.meta(0)?, a.int(1)?, a.int(2)?)),
        run: |_, a| done(a, ev::swapaxes(a.array(0)?, a.int(1)?, a.int(2)?))
    ),
    builtin!(
        "shape",
        "moveaxis",
        "moveaxis(x, source, destination)",
        3,
        3,
        [],
        "Moves one axis to a new position; the others keep their order.",
        "shape(moveaxis(zeros(2, 3, 4), 0, -1))",
        rule: |a| predicted(a, ev::moveaxis_rule(&a.meta(0)?, a.int(1)?, a.int(2)?)),
        run: |_, a| done(a, ev::moveaxis(a.array(0)?, a.int(1)?, a.int(2)?))
    ),
    builtin!(
        "shape",
        "atleast_1d",
        "atleast_1d(x)",
        1,
        1,
        [],
        "x with at least one axis: a scalar becomes a vector of one.",
        "atleast_1d(5)",
        rule: |a| Ok(ev::atleast_rule(&a.meta(0)?, 1).into()),
        run: |_, a| Ok(Value::Array(ev::atleast(a.array(0)?, 1)))
    ),
    builtin!(
        "shape",
        "atleast_2d",
        "atleast_2d(x)",
        1,
        1,
        [],
        "x with at least two axes: a vector becomes a 1×n row.",
        "atleast_2d([1, 2, 3])",
        rule: |a| Ok(ev::atleast_rule(&a.meta(0)?, 2).into()),
        run: |_, a| Ok(Value::Array(ev::atleast(a.array(0)?, 2)))
    ),
    builtin!(
        "shape",
        "ravel",
        "ravel(x)",
        1,
        1,
        [],
        "All elements as a vector in row-major order (flatten).",
        "ravel([[1, 2], [3, 4]])",
        rule: |a| Ok(shp::flatten_rule(&a.meta(0)?).into()),
        run: |_, a| Ok(Value::Array(shp::flatten(a.array(0)?)))
    ),
    builtin!(
        "shape",
        "repeat",
        "repeat(x, repeats, axis=None) or repeat(x, \"pattern\", name=length, ...)",
        2,
        3,
        ["axis", "**"],
        "NumPy's repeat: repeats each element repeats times (one count, or one per element) along axis, or of the flattened array. With a pattern string as second argument it is einops' repeat: repeat(x, \"h w -> h w c\", c=3) adds axis c of length 3 (see rearrange for patterns).",
        "repeat([1, 2, 3], 2)",
        rule: |a| {
            if super::einops::is_pattern(a) {
                return super::einops::rule(a, "repeat");
            }
            let r = known_counts(a, 1)?;
            predicted(a, ev::repeat_rule(&a.meta(0)?, r.as_deref(), opt_axis(a, 2)?))
        },
        run: |_, a| {
            if super::einops::is_pattern(a) {
                return super::einops::run(a, "repeat");
            }
            done(a, ev::repeat(a.array(0)?, &counts(a, 1)?, opt_axis(a, 2)?, &a.limits))
        }
    ),
    builtin!(
        "shape",
        "tile",
        "tile(x, reps)",
        2,
        2,
        [],
        "x repeated reps times as a whole (reps: one count, or one per axis).",
        "tile([1, 2], [2, 2])",
        rule: |a| predicted(a, ev::tile_rule(&a.meta(0)?, &counts(a, 1)?)),
        run: |_, a| done(a, ev::tile(a.array(0)?, &counts(a, 1)?, &a.limits))
    ),
    builtin!(
        "reductions",
        "cumsum",
        "cumsum(x, axis=None, dtype=None)",
        1,
        2,
        ["axis", "dtype"],
        "Running sums along axis (of the flattened array without one); bools count as integers; an integer overflow is an error.",
        "cumsum([[1, 2], [3, 4]], axis=0)",
        rule: |a| predicted(a, ev::cumulative_rule(&super::arrays::accumulated_meta(a)?, opt_axis(a, 1)?)),
        run: |_, a| done(a, ev::cumulative(&super::arrays::accumulated(a)?, opt_axis(a, 1)?, false))
    ),
    builtin!(
        "reductions",
        "cumprod",
        "cumprod(x, axis=None, dtype=None)",
        1,
        2,
        ["axis", "dtype"],
        "Running products along axis (of the flattened array without one).",
        "cumprod([1, 2, 3, 4])",
        rule: |a| predicted(a, ev::cumulative_rule(&super::arrays::accumulated_meta(a)?, opt_axis(a, 1)?)),
        run: |_, a| done(a, ev::cumulative(&super::arrays::accumulated(a)?, opt_axis(a, 1)?, true))
    ),
    builtin!(
        "reductions",
        "diff",
        "diff(x, n=1, axis=-1)",
        1,
        3,
        ["n", "axis"],
        "Differences of neighbours, x[i+1] - x[i], n times over, along axis (bools: xor).",
        "diff([1, 4, 9, 16])",
        rule: |a| {
            let n = a.opt_int(1, "n")?.unwrap_or(1);
            let axis = a.opt_int(2, "axis")?.unwrap_or(-1);
            predicted(a, ev::diff_rule(&a.meta(0)?, n, axis))
        },
        run: |_, a| {
            let n = a.opt_int(1, "n")?.unwrap_or(1);
            let axis = a.opt_int(2, "axis")?.unwrap_or(-1);
            done(a, ev::diff(a.array(0)?, n, axis))
        }
    ),
    builtin!(
        "shape",
        "sort",
        "sort(x, axis=-1)",
        1,
        2,
        ["axis"],
        "The elements in ascending order along axis; nan sorts last, complex numbers by real then imaginary part. The sort is stable.",
        "sort([3, 1, 2])",
        rule: |a| predicted(a, ev::sort_rule(&a.meta(0)?, a.axis_or(1, -1)?, false)),
        run: |_, a| done(a, ev::sort(a.array(0)?, a.axis_or(1, -1)?, false, a.exec.cancel()))
    ),
    builtin!(
        "shape",
        "argsort",
        "argsort(x, axis=-1)",
        1,
        2,
        ["axis"],
        "The indices that sort x along axis (a stable sort: ties keep their order, as NumPy's kind=\"stable\").",
        "argsort([3, 1, 2])",
        rule: |a| predicted(a, ev::sort_rule(&a.meta(0)?, a.axis_or(1, -1)?, true)),
        run: |_, a| done(a, ev::sort(a.array(0)?, a.axis_or(1, -1)?, true, a.exec.cancel()))
    ),
    builtin!(
        "reductions",
        "count_nonzero",
        "count_nonzero(x, axis=None)",
        1,
        2,
        ["axis"],
        "How many elements are non-zero (true), over all or along axis.",
        "count_nonzero([[0, 1, 7], [0, 0, 3]])",
        rule: |a| predicted(a, ev::count_nonzero_rule(&a.meta(0)?, opt_axis(a, 1)?)),
        run: |_, a| done(a, ev::count_nonzero(a.array(0)?, opt_axis(a, 1)?))
    ),
    builtin!(
        "shape",
        "where",
        "where(cond, x, y) or where(cond)",
        1,
        3,
        [],
        "x where cond is true, else y, element by element with broadcasting. With cond alone, the indices of the true elements, one vector per axis, as nonzero(cond).",
        "where([true, false, true], [1, 2, 3], 0)",
        rule: |a| match a.len() {
            1 => super::arrays::nonzero_kind(a),
            2 => Err(a.op_err(crate::ops::OpError::Arrays {
                err: crate::ops::arrays::ArraysError::WhereArity,
                arg: Some(1),
            })),
            _ => predicted(a, ev::where_rule(&a.meta(0)?, &a.meta(1)?, &a.meta(2)?)),
        },
        run: |_, a| match a.len() {
            1 => super::arrays::nonzero_value(a),
            _ => done(a, ev::where3(a.array(0)?, a.array(1)?, a.array(2)?, &a.limits)),
        }
    ),
    builtin!(
        "shape",
        "argwhere",
        "argwhere(x)",
        1,
        1,
        [],
        "The indices of the non-zero elements, one row each (k×ndim int64; k depends on the values).",
        "argwhere([[0, 1], [2, 0]])",
        rule: |a| Ok(ev::argwhere_rule(&a.meta(0)?).into()),
        run: |_, a| Ok(Value::Array(ev::argwhere(a.array(0)?)))
    ),
    builtin!(
        "shape",
        "unique",
        "unique(x, return_counts=false)",
        1,
        2,
        ["return_counts"],
        "The sorted distinct elements (of the flattened array); with return_counts=true also how often each occurs, as values and counts.",
        "unique([3, 1, 3, 2, 1])",
        rule: |a| {
            let x = a.meta(0)?;
            let counts = a.opt_bool(1, "return_counts", false)?;
            let m = ev::unique_rule(&x);
            if counts {
                let c = Meta::with_dims(vec![Dim::Unknown], DType::Int64);
                Ok(Kind::Tuple(vec![("values".into(), m.into()), ("counts".into(), c.into())]))
            } else {
                Ok(m.into())
            }
        },
        run: |_, a| {
            let counts = a.opt_bool(1, "return_counts", false)?;
            let (v, c) = ev::unique(a.array(0)?, a.exec.cancel()).map_err(|e| a.op_err(e))?;
            if counts {
                Ok(Value::Tuple(vec![("values".into(), Value::Array(v)), ("counts".into(), Value::Array(c))]))
            } else {
                Ok(Value::Array(v))
            }
        }
    ),
];
