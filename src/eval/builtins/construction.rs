//! Built-ins: construction. Each entry's rule and run share one parser of
//! the constant arguments, so both refuse the same calls in the same order.

use super::*;
use crate::ops::construct::Bound;

/// full's constants: the shape, the fill value's metadata (a single
/// number), and the dtype (the value's unless `dtype=` says otherwise).
fn full_args(a: &Args) -> EResult<(Vec<Dim>, Meta, DType)> {
    let shape = a.dims_from(0, 1)?;
    // An array fill value broadcasts to the shape, as NumPy's does
    // (full_rule refuses one that does not).
    let v = a.meta(1)?;
    let dtype = a.kw_dtype(v.dtype)?;
    Ok((shape, v, dtype))
}

struct EyeArgs {
    n: Dim,
    m: Option<Dim>,
    k: i64,
    dtype: DType,
}

fn eye_args(a: &Args) -> EResult<EyeArgs> {
    let n = a.dim(0)?;
    let m = if a.len() > 1 {
        Some(a.dim(1)?)
    } else {
        a.kw_int("m")?.map(|v| Dim::Known(v.max(0) as usize))
    };
    let k = a.kw_int("k")?.unwrap_or(0);
    let dtype = a.kw_dtype(DType::Float64)?;
    Ok(EyeArgs { n, m, k, dtype })
}

/// arange's arguments as written, each checked to be a single number.
fn arange_bounds(a: &Args) -> EResult<Vec<Bound>> {
    let metas = a.metas_from(0)?;
    for (i, m) in metas.iter().enumerate() {
        if !m.is_scalar() {
            return Err(a.error(
                ErrorKind::Type,
                Some(i),
                "arange takes single numbers",
                crate::value::shape_text(&m.shape),
            ));
        }
    }
    Ok(metas
        .into_iter()
        .enumerate()
        .map(|(i, meta)| Bound {
            meta,
            value: known(a, i).cloned(),
        })
        .collect())
}

/// Calls `f` with arange's start, stop and step (start 0 when only the stop
/// is given), and renders its error.
fn with_bounds<T>(
    a: &Args,
    bounds: &[Bound],
    f: impl FnOnce(&Bound, Option<&Bound>, Option<&Bound>) -> OpResult<T>,
) -> EResult<T> {
    let zero = Bound::of(&Array::scalar_int(0));
    let r = match bounds {
        [stop] => f(&zero, Some(stop), None),
        [start, stop] => f(start, Some(stop), None),
        [start, stop, step, ..] => f(start, Some(stop), Some(step)),
        [] => unreachable!("arange takes at least one argument"),
    };
    r.map_err(|e| a.op_err(e))
}

/// arange's `dtype=`, if given; `own` is the range's own dtype.
fn arange_dtype(a: &Args, own: DType) -> EResult<Option<DType>> {
    match a.kw("dtype") {
        Some(_) => a.kw_dtype(own).map(Some),
        None => Ok(None),
    }
}

fn arange_cast_failed(
    a: &Args,
    e: &crate::value::CastError,
    dt: DType,
) -> crate::diagnostic::Diagnostic {
    let (msg, help) = cast_error_text(e, dt.name());
    a.error(ErrorKind::Type, None, msg, "").help(help)
}

struct LinspaceArgs {
    start: f64,
    stop: f64,
    num: usize,
    endpoint: bool,
}

fn linspace_args(a: &Args) -> EResult<LinspaceArgs> {
    let num = if a.len() > 2 {
        a.size(2)?
    } else {
        match a.kw_int("num")? {
            Some(n) if n >= 0 => n as usize,
            Some(n) => {
                return Err(a.error(
                    ErrorKind::Domain,
                    None,
                    format!("num must be ≥ 0, got {n}"),
                    "",
                ));
            }
            None => 50,
        }
    };
    Ok(LinspaceArgs {
        start: a.f64(0)?,
        stop: a.f64(1)?,
        num,
        endpoint: a.kw_bool("endpoint", true)?,
    })
}

/// diag's offset: positional or `k=`.
fn diag_k(a: &Args) -> EResult<i64> {
    if a.len() > 1 {
        a.int(1)
    } else {
        Ok(a.kw_int("k")?.unwrap_or(0))
    }
}

pub(super) static TABLE: &[Builtin] = &[
    // ---------------------------------------------------------- construction
    builtin!(
        "construction",
        "zeros",
        "zeros(shape..., dtype=\"float64\")",
        1,
        MANY,
        ["dtype"],
        "An array of zeros. The shape is given as separate sizes, zeros(2, 3), or as one vector, zeros([2, 3]).",
        "zeros(2, 3)",
        rule: filled_rule,
        run: |_, a| construct_filled(a, 0.0)
    ),
    builtin!(
        "construction",
        "ones",
        "ones(shape..., dtype=\"float64\")",
        1,
        MANY,
        ["dtype"],
        "An array of ones; the shape as for zeros.",
        "ones(3, 3, dtype=\"float32\")",
        rule: filled_rule,
        run: |_, a| construct_filled(a, 1.0)
    ),
    builtin!(
        "construction",
        "empty",
        "empty(shape..., dtype=\"float64\")",
        1,
        MANY,
        ["dtype"],
        "Like zeros: NumPy leaves the memory uninitialised, tensorcalc fills it with zeros so results never depend on chance.",
        "empty(2)",
        rule: filled_rule,
        run: |_, a| construct_filled(a, 0.0)
    ),
    builtin!(
        "construction",
        "full",
        "full(shape, value, dtype=dtype(value))",
        2,
        2,
        ["dtype"],
        "An array of the given shape filled with value; the dtype is value's unless dtype= says otherwise.",
        "full([2, 2], 7)",
        rule: |a| {
            let (shape, value, dtype) = full_args(a)?;
            predicted(a, construct::full_rule(&shape, &value, known(a, 1), dtype))
        },
        run: |_, a| {
            let (shape, _, dtype) = full_args(a)?;
            let shape = a.lengths(&shape)?;
            done(a, construct::full(&shape, a.array(1)?, dtype, &a.limits))
        }
    ),
    builtin!(
        "construction",
        "eye",
        "eye(n, m=n, k=0, dtype=\"float64\")",
        1,
        2,
        ["k", "dtype", "m"],
        "The identity matrix n×m with ones on diagonal k (0 is the main diagonal, positive above it).",
        "eye(3)",
        rule: |a| {
            let e = eye_args(a)?;
            predicted(a, construct::eye_rule(e.n, e.m, e.dtype))
        },
        run: |_, a| {
            let e = eye_args(a)?;
            let n = a.lengths(&[e.n])?[0];
            let m = e.m.map(|m| a.lengths(&[m])).transpose()?.map(|m| m[0]);
            done(a, construct::eye(n, m, e.k, e.dtype, &a.limits))
        }
    ),
    builtin!(
        "construction",
        "arange",
        "arange([start,] stop[, step], dtype=None)",
        1,
        3,
        ["dtype"],
        "Evenly spaced values in [start, stop) with the given step (default start 0, step 1); int64 when all arguments are whole numbers.",
        "arange(0, 10, 3)",
        rule: |a| {
            // arange(n) of a symbolic size counts n: for i in arange(n).
            if a.len() == 1
                && let Value::Sizes(s) = a.value(0)
                && !s.vector
            {
                let dt = a.kw_dtype(DType::Int64)?;
                return Ok(Meta::with_dims(s.dims.clone(), dt).into());
            }
            let bounds = arange_bounds(a)?;
            let m = with_bounds(a, &bounds, construct::arange_rule)?;
            let Some(dt) = arange_dtype(a, m.dtype)? else {
                return Ok(m.into());
            };
            let cast = |s: &Bound, t: Option<&Bound>, p: Option<&Bound>| {
                construct::arange_cast_error(s, t, p, dt)
            };
            match with_bounds(a, &bounds, cast)? {
                Some(e) => Err(arange_cast_failed(a, &e, dt)),
                None => Ok(m.retyped(dt).into()),
            }
        },
        run: |_, a| {
            arange_bounds(a)?;
            let parts = a.arrays_from(0)?;
            let r = match parts.len() {
                1 => construct::arange(&Array::scalar_int(0), Some(&parts[0]), None, &a.limits),
                2 => construct::arange(&parts[0], Some(&parts[1]), None, &a.limits),
                _ => construct::arange(&parts[0], Some(&parts[1]), Some(&parts[2]), &a.limits),
            };
            let r = r.map_err(|e| a.op_err(e))?;
            match arange_dtype(a, r.dtype())? {
                Some(dt) => r
                    .cast(dt)
                    .map(Value::Array)
                    .map_err(|e| arange_cast_failed(a, &e, dt)),
                None => Ok(Value::Array(r)),
            }
        }
    ),
    builtin!(
        "construction",
        "linspace",
        "linspace(start, stop, num=50, endpoint=true)",
        2,
        3,
        ["num", "endpoint"],
        "num evenly spaced float64 values from start to stop; with endpoint=false stop itself is left out.",
        "linspace(0, 1, 5)",
        rule: |a| predicted(a, construct::linspace_rule(linspace_args(a)?.num)),
        run: |_, a| {
            let l = linspace_args(a)?;
            done(a, construct::linspace(l.start, l.stop, l.num, l.endpoint, &a.limits))
        }
    ),
    builtin!(
        "construction",
        "diag",
        "diag(x, k=0)",
        1,
        2,
        ["k"],
        "For a vector: the square matrix with x on diagonal k. For a matrix: its k-th diagonal as a vector.",
        "diag([1, 2, 3])",
        rule: |a| {
            let k = diag_k(a)?;
            predicted(a, shp::diag_rule(&a.meta(0)?, k))
        },
        run: |_, a| {
            let k = diag_k(a)?;
            done(a, shp::diag(a.array(0)?, k, &a.limits))
        }
    ),
];
