//! Built-ins: intro.

use super::*;

/// The rule of `ndim` and `size`: an int64 scalar about an array.
fn int_result(a: &Args) -> EResult<Kind> {
    a.meta(0)?;
    Ok(Meta::scalar(DType::Int64).into())
}

/// An int64 scalar, shape-only when the metadata does not know it.
fn known_int(n: Option<usize>) -> Value {
    match n {
        Some(n) => int_scalar(n),
        None => Value::Shaped(Meta::scalar(DType::Int64)),
    }
}

/// size's axis: the length it names, or `None` for every element.
fn size_of(a: &Args) -> EResult<Option<Dim>> {
    let m = a.meta(0)?;
    match a.axis(1)? {
        None => Ok(None),
        Some(k) => crate::ops::shape::normalize_axis(k, m.ndim())
            .map(|k| Some(m.shape[k].clone()))
            .map_err(|e| a.op_err(e)),
    }
}

fn no_length(a: &Args) -> crate::diagnostic::Diagnostic {
    a.error(ErrorKind::Type, Some(0), "a scalar has no length", "scalar")
        .help("size(x) counts elements of any array")
}

pub(super) static TABLE: &[Builtin] = &[
    // --------------------------------------------------------- introspection
    builtin!(
        "introspection",
        "shape",
        "shape(x)",
        1,
        1,
        [],
        "The shape of x as an int64 vector (empty for a scalar), so shape(A)[0] is the number of rows.",
        "shape([[1, 2, 3], [4, 5, 6]])",
        reads: Reads::Metadata,
        rule: |a| Ok(Meta::new(&[a.meta(0)?.ndim()], DType::Int64).into()),
        run: |_, a| {
            let m = a.meta(0)?;
            Ok(match m.concrete() {
                Some(shape) => shape_value(&shape),
                // A symbolic shape is a list of sizes: zeros(shape(x)).
                None if !m.shape.contains(&Dim::Unknown) => Value::Sizes(Sizes {
                    dims: m.shape.clone(),
                    vector: true,
                    infer: None,
                }),
                None => Value::Shaped(Meta::new(&[m.ndim()], DType::Int64)),
            })
        }
    ),
    builtin!(
        "introspection",
        "ndim",
        "ndim(x)",
        1,
        1,
        [],
        "The number of axes: 0 for a scalar, 1 for a vector, 2 for a matrix.",
        "ndim(ones(2, 3, 4))",
        reads: Reads::Metadata,
        rule: int_result,
        run: |_, a| Ok(int_scalar(a.meta(0)?.ndim()))
    ),
    builtin!(
        "introspection",
        "size",
        "size(x, axis=None)",
        1,
        2,
        ["axis"],
        "The number of elements, or the length of one axis (size(A, 0) is the number of rows).",
        "size(ones(2, 3), 1)",
        reads: Reads::Metadata,
        rule: |a| {
            size_of(a)?;
            int_result(a)
        },
        run: |_, a| {
            let m = a.meta(0)?;
            let (n, len) = match size_of(a)? {
                Some(d) => (d.value(), d),
                None => (m.elements(), Dim::product(&m.shape)),
            };
            Ok(match len {
                Dim::Sym(s) if n.is_none() => Value::Sizes(Sizes::one(Dim::Sym(s))),
                _ => known_int(n),
            })
        }
    ),
    builtin!(
        "introspection",
        "len",
        "len(x)",
        1,
        1,
        [],
        "The length of the first axis (the number of rows of a matrix). A scalar has no length.",
        "len([[1, 2], [3, 4], [5, 6]])",
        reads: Reads::Metadata,
        rule: |a| {
            if a.meta(0)?.is_scalar() {
                return Err(no_length(a));
            }
            Ok(Meta::scalar(DType::Int64).into())
        },
        run: |_, a| {
            let m = a.meta(0)?;
            match m.shape.first() {
                Some(n @ Dim::Sym(_)) if n.value().is_none() => Ok(Value::Sizes(Sizes::one(n.clone()))),
                Some(n) => Ok(known_int(n.value())),
                None => Err(no_length(a)),
            }
        }
    ),
    builtin!(
        "introspection",
        "dtype",
        "dtype(x)",
        1,
        1,
        [],
        "The name of x's element type: \"bool\", \"int64\", \"float32\", \"float64\" or \"complex128\".",
        "dtype(7.5)",
        reads: Reads::Metadata,
        rule: |a| a.meta(0).map(|_| Kind::Str),
        run: |_, a| Ok(Value::Str(a.meta(0)?.dtype.name().to_string()))
    ),
    builtin!(
        "introspection",
        "isscalar",
        "isscalar(x)",
        1,
        1,
        [],
        "Whether x is a single number (a 0-d value) rather than an array.",
        "isscalar([3.1])",
        reads: Reads::Metadata,
        rule: |_| Ok(Meta::scalar(DType::Bool).into()),
        run: |_, a| {
            Ok(Value::Array(Array::scalar_bool(match a.value(0) {
                Value::Array(x) => x.is_scalar(),
                Value::Shaped(m) => m.is_scalar(),
                Value::Str(_) => true,
                _ => false,
            })))
        }
    ),
    builtin!(
        "introspection",
        "tic",
        "tic()",
        0,
        0,
        [],
        "Starts the stopwatch that toc() reads; for timing statements inside a script.",
        "tic(); A = rand(100, 100) @ rand(100, 100); toc() >= 0",
        rule: |_| Ok(Kind::Nothing),
        run: |cx, _| {
            *cx.timer = std::time::Instant::now();
            Ok(Value::Nothing)
        }
    ),
    builtin!(
        "introspection",
        "toc",
        "toc()",
        0,
        0,
        [],
        "Seconds since the last tic() (or since the session started), as a float64.",
        "tic(); toc() < 60",
        reads: Reads::World,
        rule: |_| Ok(Meta::scalar(DType::Float64).into()),
        run: |cx, _| Ok(Value::Array(Array::scalar_f64(
            cx.timer.elapsed().as_secs_f64()
        )))
    ),
];
