//! Built-ins: construction.

use super::*;

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
        rule: needs_rule,
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
        rule: needs_rule,
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
        rule: needs_rule,
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
        rule: needs_rule,
        run: |_, a| {
            let shape = a.shape_from(0, 1)?;
            let v = a.array(1)?;
            if !v.is_scalar() {
                return Err(a.error(
                    ErrorKind::Type,
                    Some(1),
                    "the fill value must be a single number",
                    crate::value::shape_text(v.shape()),
                ));
            }
            let dtype = a.kw_dtype(v.dtype())?;
            done(a, construct::full(&shape, v, dtype, &a.limits))
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
        rule: needs_rule,
        run: |_, a| {
            let n = a.size(0)?;
            let m = if a.len() > 1 {
                Some(a.size(1)?)
            } else {
                a.kw_int("m")?.map(|v| v.max(0) as usize)
            };
            let k = a.kw_int("k")?.unwrap_or(0);
            done(a, construct::eye(n, m, k, a.kw_dtype(DType::Float64)?, &a.limits))
        }
    ),
    builtin!(
        "construction",
        "arange",
        "arange([start,] stop[, step], dtype=none)",
        1,
        3,
        ["dtype"],
        "Evenly spaced values in [start, stop) with the given step (default start 0, step 1); int64 when all arguments are whole numbers.",
        "arange(0, 10, 3)",
        rule: needs_rule,
        run: |_, a| {
            let parts = a.arrays_from(0)?;
            for (i, p) in parts.iter().enumerate() {
                if !p.is_scalar() {
                    return Err(a.error(
                        ErrorKind::Type,
                        Some(i),
                        "arange takes single numbers",
                        crate::value::shape_text(p.shape()),
                    ));
                }
            }
            let r = match parts.len() {
                1 => construct::arange(&Array::scalar_int(0), Some(&parts[0]), None, &a.limits),
                2 => construct::arange(&parts[0], Some(&parts[1]), None, &a.limits),
                _ => construct::arange(&parts[0], Some(&parts[1]), Some(&parts[2]), &a.limits),
            };
            let r = r.map_err(|e| a.op_err(e))?;
            match a.kw("dtype") {
                Some(_) => {
                    let dt = a.kw_dtype(r.dtype())?;
                    r.cast(dt).map(Value::Array).map_err(|e| {
                        let (msg, help) = cast_error_text(&e, dt.name());
                        a.error(ErrorKind::Type, None, msg, "").help(help)
                    })
                }
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
        rule: needs_rule,
        run: |_, a| {
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
            done(
                a,
                construct::linspace(a.f64(0)?, a.f64(1)?, num, a.kw_bool("endpoint", true)?, &a.limits),
            )
        }
    ),
    builtin!(
        "construction",
        "rand",
        "rand(shape...)",
        0,
        MANY,
        [],
        "Uniform random float64 values in [0, 1). rand() is one number. Reproducible after seed(n).",
        "seed(1); rand(2, 2)",
        rule: needs_rule,
        run: |cx, a| random(cx, a, false)
    ),
    builtin!(
        "construction",
        "randn",
        "randn(shape...)",
        0,
        MANY,
        [],
        "Standard normal random float64 values (mean 0, standard deviation 1). Reproducible after seed(n).",
        "seed(1); randn(3)",
        rule: needs_rule,
        run: |cx, a| random(cx, a, true)
    ),
    builtin!(
        "construction",
        "seed",
        "seed(n)",
        1,
        1,
        [],
        "Seeds the random generator so that rand and randn give the same numbers on every run. The stream is tensorcalc's own, not NumPy's.",
        "seed(42)",
        rule: needs_rule,
        run: |cx, a| {
            let n = a.int(0)?;
            *cx.rng = construct::Rng::new(n as u64);
            Ok(Value::Nothing)
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
        rule: needs_rule,
        run: |_, a| {
            let k = if a.len() > 1 {
                a.int(1)?
            } else {
                a.kw_int("k")?.unwrap_or(0)
            };
            done(a, shp::diag(a.array(0)?, k, &a.limits))
        }
    ),
];
