//! The table of built-in functions: name, signature, one-paragraph help, an
//! example that runs, the arity and keywords the dispatcher checks, and the
//! code. Semantics are NumPy's; `ops/` does the work.

use ndarray::{ArrayD, Axis, IxDyn};

use super::args::{Args, EResult};
use super::errors::{Operand, binary_error, cast_error_text};
use super::interp::Evaluator;
use crate::diagnostic::ErrorKind;
use crate::ops::elementwise::{self, Func};
use crate::ops::products::{self, TensorAxes};
use crate::ops::reduce::{Reduce, reduce};
use crate::ops::{OpResult, construct, shape as shp};
use crate::syntax::BinOp;
use crate::value::{Array, C64, DType, Value};

pub struct Builtin {
    pub name: &'static str,
    pub signature: &'static str,
    pub summary: &'static str,
    pub example: &'static str,
    pub category: &'static str,
    pub min_args: usize,
    pub max_args: usize,
    pub keywords: &'static [&'static str],
    pub run: fn(&mut Evaluator, &Args) -> EResult<Value>,
}

/// Every built-in: the core table, then linear algebra.
pub fn all() -> impl Iterator<Item = &'static Builtin> {
    BUILTINS.iter().chain(super::builtins_linalg::LINALG.iter())
}

pub fn find(name: &str) -> Option<&'static Builtin> {
    all().find(|b| b.name == name)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    all().map(|b| b.name)
}

const MANY: usize = usize::MAX;

pub(super) fn done(a: &Args, r: OpResult<Array>) -> EResult<Value> {
    r.map(Value::Array).map_err(|e| a.op_err(e))
}

fn func(a: &Args, f: Func) -> EResult<Value> {
    done(a, elementwise::apply(f, a.array(0)?))
}

fn reduction(a: &Args, kind: Reduce) -> EResult<Value> {
    let x = a.array(0)?;
    let axis = a.axis(1)?;
    let keepdims = a.kw_bool("keepdims", false)?;
    let ddof = a.kw_f64("ddof")?.unwrap_or(0.0);
    done(a, reduce(kind, x, axis, keepdims, ddof, &a.exec))
}

fn cast(a: &Args, to: DType) -> EResult<Value> {
    let x = a.array(0)?;
    x.cast(to).map(Value::Array).map_err(|e| {
        let (msg, help) = cast_error_text(&e, to.name());
        a.error(ErrorKind::Type, Some(0), msg, x.dtype().name())
            .help(help)
    })
}

fn shape_value(shape: &[usize]) -> Value {
    Value::Array(Array::Int(
        ArrayD::from_shape_vec(
            IxDyn(&[shape.len()]),
            shape.iter().map(|&d| d as i64).collect(),
        )
        .expect("1-D"),
    ))
}

fn int_scalar(v: usize) -> Value {
    Value::Array(Array::scalar_int(v as i64))
}

/// Whole numbers given separately or as one vector, from argument `start`.
fn int_list(a: &Args, start: usize) -> EResult<Vec<i64>> {
    if a.len() == start + 1 && !a.array(start)?.is_scalar() {
        let x = a.array(start)?;
        return match x.to_i64_array() {
            Ok(v)
                if x.ndim() == 1 && x.dtype() != DType::Float64 && x.dtype() != DType::Float32 =>
            {
                Ok(v.iter().copied().collect())
            }
            _ => Err(a.error(
                ErrorKind::Type,
                Some(start),
                "expected whole numbers",
                x.dtype().name(),
            )),
        };
    }
    (start..a.len()).map(|i| a.int(i)).collect()
}

/// `f(x, y, z)` or `f(A)` where A's rows are the arrays (NumPy's sequence).
fn array_list(a: &Args) -> EResult<Vec<Array>> {
    if a.len() == 1 {
        let x = a.array(0)?;
        if x.ndim() == 0 {
            return Ok(vec![x.clone()]);
        }
        return Ok((0..x.shape()[0])
            .map(|i| crate::map_array!(x, v => v.index_axis(Axis(0), i).to_owned()))
            .collect());
    }
    a.arrays_from(0)
}

fn matmul_call(a: &Args) -> EResult<Value> {
    let (x, y) = (a.array(0)?, a.array(1)?);
    crate::ops::matmul::matmul(x, y, &a.exec)
        .map(Value::Array)
        .map_err(|e| match e {
            crate::ops::OpError::Overflow { .. } => a.op_err(e),
            _ => binary_error(
                BinOp::MatMul,
                a.name_span,
                &Operand {
                    value: x,
                    span: a.span(0),
                    text: a.text(0),
                },
                &Operand {
                    value: y,
                    span: a.span(1),
                    text: a.text(1),
                },
                e,
            ),
        })
}

fn construct_filled(a: &Args, value: f64) -> EResult<Value> {
    let shape = a.shape_from(0, a.len())?;
    let dtype = a.kw_dtype(DType::Float64)?;
    done(
        a,
        construct::full(&shape, &Array::scalar_f64(value), dtype, &a.limits),
    )
}

fn random(ev: &mut Evaluator, a: &Args, normal: bool) -> EResult<Value> {
    let shape = a.shape_from(0, a.len())?;
    let r = if normal {
        construct::randn(&mut ev.rng, &shape, &a.limits)
    } else {
        construct::rand(&mut ev.rng, &shape, &a.limits)
    };
    done(a, r)
}

/// One table entry; shared with `builtins_linalg`.
macro_rules! builtin {
    ($cat:literal, $name:literal, $sig:expr, $min:expr, $max:expr, [$($kw:literal),*], $summary:literal, $example:literal, $run:expr) => {
        Builtin {
            name: $name,
            signature: $sig,
            summary: $summary,
            example: $example,
            category: $cat,
            min_args: $min,
            max_args: $max,
            keywords: &[$($kw),*],
            run: $run,
        }
    };
}

macro_rules! elementwise {
    ($name:literal, $f:expr, $summary:literal, $example:literal) => {
        builtin!(
            "elementwise",
            $name,
            concat!($name, "(x)"),
            1,
            1,
            [],
            $summary,
            $example,
            |_, a| func(a, $f)
        )
    };
}

macro_rules! reduction {
    ($name:literal, $kind:expr, $summary:literal, $example:literal) => {
        builtin!(
            "reductions",
            $name,
            concat!($name, "(x, axis=none, keepdims=false)"),
            1,
            2,
            ["axis", "keepdims"],
            $summary,
            $example,
            |_, a| reduction(a, $kind)
        )
    };
}

macro_rules! cast_fn {
    ($name:literal, $dt:expr, $example:literal) => {
        builtin!(
            "casts",
            $name,
            concat!($name, "(x)"),
            1,
            1,
            [],
            "Converts to this dtype. Float to int64 rounds toward zero; NaN, infinities, out-of-range values and complex values with an imaginary part are refused rather than silently mangled.",
            $example,
            |_, a| cast(a, $dt)
        )
    };
}

// Used by the linear-algebra table once it has entries.
#[allow(unused_imports)]
pub(super) use builtin;

static BUILTINS: &[Builtin] = &[
    // ------------------------------------------------------------ introspection
    builtin!(
        "introspection",
        "shape",
        "shape(x)",
        1,
        1,
        [],
        "The shape of x as an int64 vector (empty for a scalar), so shape(A)[0] is the number of rows.",
        "shape([[1, 2, 3], [4, 5, 6]])",
        |_, a| Ok(shape_value(a.array(0)?.shape()))
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
        |_, a| Ok(int_scalar(a.array(0)?.ndim()))
    ),
    builtin!(
        "introspection",
        "size",
        "size(x)",
        1,
        1,
        [],
        "The number of elements.",
        "size(ones(2, 3))",
        |_, a| Ok(int_scalar(a.array(0)?.len()))
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
        |_, a| {
            let x = a.array(0)?;
            match x.shape().first() {
                Some(&n) => Ok(int_scalar(n)),
                None => Err(a
                    .error(ErrorKind::Type, Some(0), "a scalar has no length", "scalar")
                    .help("size(x) counts elements of any array")),
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
        |_, a| Ok(Value::Str(a.array(0)?.dtype().name().to_string()))
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
        |_, a| {
            Ok(Value::Array(Array::scalar_bool(match a.value(0) {
                Value::Array(x) => x.is_scalar(),
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
        |ev, _| {
            ev.timer = std::time::Instant::now();
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
        |ev, _| Ok(Value::Array(Array::scalar_f64(
            ev.timer.elapsed().as_secs_f64()
        )))
    ),
    // ------------------------------------------------------------- construction
    builtin!(
        "construction",
        "zeros",
        "zeros(shape..., dtype=\"float64\")",
        1,
        MANY,
        ["dtype"],
        "An array of zeros. The shape is given as separate sizes, zeros(2, 3), or as one vector, zeros([2, 3]).",
        "zeros(2, 3)",
        |_, a| construct_filled(a, 0.0)
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
        |_, a| construct_filled(a, 1.0)
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
        |_, a| construct_filled(a, 0.0)
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
        |_, a| {
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
        |_, a| {
            let n = a.size(0)?;
            let m = if a.len() > 1 {
                Some(a.size(1)?)
            } else {
                a.kw_int("m")?.map(|v| v.max(0) as usize)
            };
            let k = a.kw_int("k")?.unwrap_or(0);
            done(
                a,
                construct::eye(n, m, k, a.kw_dtype(DType::Float64)?, &a.limits),
            )
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
        |_, a| {
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
        |_, a| {
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
                construct::linspace(
                    a.f64(0)?,
                    a.f64(1)?,
                    num,
                    a.kw_bool("endpoint", true)?,
                    &a.limits,
                ),
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
        |ev, a| random(ev, a, false)
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
        |ev, a| random(ev, a, true)
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
        |ev, a| {
            let n = a.int(0)?;
            ev.rng = construct::Rng::new(n as u64);
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
        |_, a| {
            let k = if a.len() > 1 {
                a.int(1)?
            } else {
                a.kw_int("k")?.unwrap_or(0)
            };
            done(a, shp::diag(a.array(0)?, k, &a.limits))
        }
    ),
    // -------------------------------------------------------------------- shape
    builtin!(
        "shape",
        "reshape",
        "reshape(x, shape...)",
        2,
        MANY,
        [],
        "The same elements in a new shape (row-major order). One size may be -1 and is then inferred.",
        "reshape(arange(6), [2, -1])",
        |_, a| {
            let shape = int_list(a, 1)?;
            done(a, shp::reshape(a.array(0)?, &shape, &a.limits))
        }
    ),
    builtin!(
        "shape",
        "transpose",
        "transpose(x, axes=reversed)",
        1,
        MANY,
        [],
        "Reverses the axes (for a matrix: rows become columns), or permutes them as axes says. Unlike `'` it never conjugates.",
        "transpose([[1, 2], [3, 4]])",
        |_, a| {
            let axes = if a.len() > 1 {
                Some(int_list(a, 1)?)
            } else {
                None
            };
            done(a, shp::transpose(a.array(0)?, axes.as_deref()))
        }
    ),
    builtin!(
        "shape",
        "flatten",
        "flatten(x)",
        1,
        1,
        [],
        "All elements as a vector, in row-major order.",
        "flatten([[1, 2], [3, 4]])",
        |_, a| Ok(Value::Array(shp::flatten(a.array(0)?)))
    ),
    builtin!(
        "shape",
        "squeeze",
        "squeeze(x, axis=none)",
        1,
        2,
        ["axis"],
        "Removes axes of length 1 (all of them, or just axis).",
        "shape(squeeze(ones(1, 3, 1)))",
        |_, a| {
            let axis = a.axis(1)?;
            done(a, shp::squeeze(a.array(0)?, axis))
        }
    ),
    builtin!(
        "shape",
        "expand_dims",
        "expand_dims(x, axis)",
        1,
        2,
        ["axis"],
        "Inserts an axis of length 1 at position axis: expand_dims(x, 1) turns a vector into a column.",
        "shape(expand_dims([1, 2, 3], 1))",
        |_, a| {
            let Some(axis) = a.axis(1)? else {
                return Err(a.error(ErrorKind::Type, None, "missing axis", "give axis=..."));
            };
            done(a, shp::expand_dims(a.array(0)?, axis))
        }
    ),
    builtin!(
        "shape",
        "concatenate",
        "concatenate(x, y, ..., axis=0)",
        1,
        MANY,
        ["axis"],
        "Joins arrays end to end along an existing axis; all other axes must agree. One array argument is split into its rows first, as NumPy does with a list.",
        "concatenate([1, 2, 3], [4, 5, 6])",
        |_, a| {
            let axis = a.kw_int("axis")?.unwrap_or(0);
            done(a, shp::concatenate(&array_list(a)?, axis, &a.limits))
        }
    ),
    builtin!(
        "shape",
        "stack",
        "stack(x, y, ..., axis=0)",
        1,
        MANY,
        ["axis"],
        "Joins equally shaped arrays along a new axis.",
        "stack([1, 2], [3, 4])",
        |_, a| {
            let axis = a.kw_int("axis")?.unwrap_or(0);
            done(a, shp::stack(&array_list(a)?, axis, &a.limits))
        }
    ),
    builtin!(
        "shape",
        "hstack",
        "hstack(x, y, ...)",
        1,
        MANY,
        [],
        "Joins horizontally: vectors end to end, matrices side by side (along axis 1).",
        "hstack([[1], [2]], [[3], [4]])",
        |_, a| done(a, shp::hstack(&array_list(a)?, &a.limits))
    ),
    builtin!(
        "shape",
        "vstack",
        "vstack(x, y, ...)",
        1,
        MANY,
        [],
        "Joins vertically: vectors become rows of a matrix; matrices are put one under the other.",
        "vstack([1, 2], [3, 4])",
        |_, a| done(a, shp::vstack(&array_list(a)?, &a.limits))
    ),
    builtin!(
        "shape",
        "broadcast_to",
        "broadcast_to(x, shape)",
        2,
        MANY,
        [],
        "x repeated to the given shape by NumPy's broadcasting rule.",
        "broadcast_to([1, 2, 3], [2, 3])",
        |_, a| {
            let shape = a.shape_from(1, a.len())?;
            done(a, shp::broadcast_to(a.array(0)?, &shape, &a.limits))
        }
    ),
    // -------------------------------------------------------------- elementwise
    elementwise!(
        "abs",
        Func::Abs,
        "Absolute value; for complex numbers the modulus (a float64).",
        "abs([-1.5, 2, -3])"
    ),
    elementwise!(
        "sqrt",
        Func::Sqrt,
        "Square root. Negative real input gives nan, as in NumPy; use complex128(x) for complex roots.",
        "sqrt([1, 4, 9])"
    ),
    elementwise!("exp", Func::Exp, "e raised to x.", "exp([0, 1])"),
    elementwise!(
        "log",
        Func::Log,
        "Natural logarithm; log(0) is -inf and negative input gives nan.",
        "log([1, e])"
    ),
    elementwise!(
        "log2",
        Func::Log2,
        "Base-2 logarithm.",
        "log2([1, 8, 1024])"
    ),
    elementwise!(
        "log10",
        Func::Log10,
        "Base-10 logarithm.",
        "log10([1, 100, 0.001])"
    ),
    elementwise!(
        "sin",
        Func::Sin,
        "Sine of an angle in radians.",
        "sin([0, pi/2])"
    ),
    elementwise!(
        "cos",
        Func::Cos,
        "Cosine of an angle in radians.",
        "cos([0, pi])"
    ),
    elementwise!(
        "tan",
        Func::Tan,
        "Tangent of an angle in radians.",
        "tan(pi/4)"
    ),
    elementwise!(
        "arcsin",
        Func::Arcsin,
        "Inverse sine, in radians.",
        "arcsin(1)"
    ),
    elementwise!(
        "arccos",
        Func::Arccos,
        "Inverse cosine, in radians.",
        "arccos(0)"
    ),
    elementwise!(
        "arctan",
        Func::Arctan,
        "Inverse tangent, in radians.",
        "arctan(1)"
    ),
    elementwise!("sinh", Func::Sinh, "Hyperbolic sine.", "sinh(1)"),
    elementwise!("cosh", Func::Cosh, "Hyperbolic cosine.", "cosh(0)"),
    elementwise!(
        "tanh",
        Func::Tanh,
        "Hyperbolic tangent, the classic activation function.",
        "tanh([-1, 0, 1])"
    ),
    elementwise!(
        "floor",
        Func::Floor,
        "Rounds down. Integers stay integers.",
        "floor([-1.5, 1.5])"
    ),
    elementwise!(
        "ceil",
        Func::Ceil,
        "Rounds up. Integers stay integers.",
        "ceil([-1.5, 1.5])"
    ),
    builtin!(
        "elementwise",
        "round",
        "round(x, decimals=0)",
        1,
        2,
        ["decimals"],
        "Rounds to the given number of decimals; halves go to the even neighbour, as in NumPy (round(2.5) is 2).",
        "round([0.5, 1.5, 2.675], 2)",
        |_, a| {
            let d = if a.len() > 1 {
                a.int(1)?
            } else {
                a.kw_int("decimals")?.unwrap_or(0)
            };
            done(a, elementwise::round(a.array(0)?, d))
        }
    ),
    elementwise!(
        "sign",
        Func::Sign,
        "-1, 0 or 1 by the sign of x (z/|z| for complex).",
        "sign([-2, 0, 3])"
    ),
    elementwise!("real", Func::Real, "The real part.", "real(3 + 4j)"),
    elementwise!("imag", Func::Imag, "The imaginary part.", "imag(3 + 4j)"),
    elementwise!(
        "conj",
        Func::Conj,
        "The complex conjugate; real values are unchanged.",
        "conj(3 + 4j)"
    ),
    elementwise!(
        "angle",
        Func::Angle,
        "The argument (phase) in radians.",
        "angle(1j)"
    ),
    builtin!(
        "elementwise",
        "complex",
        "complex(re, im)",
        2,
        2,
        [],
        "The complex number re + im·j, element by element with broadcasting (Python's complex). Exact where re + im*1j is not: with an infinite or nan imaginary part, or a negative zero.",
        "complex([1, 2], [3, -4])",
        |_, a| {
            let part = |i: usize| {
                let x = a.array(i)?;
                x.to_f64_array().map_err(|e| {
                    let (msg, help) = cast_error_text(&e, "float64");
                    a.error(ErrorKind::Type, Some(i), msg, x.dtype().name())
                        .help(help)
                })
            };
            done(
                a,
                crate::ops::broadcast::zip_map(&part(0)?, &part(1)?, C64::new).map(Array::C128),
            )
        }
    ),
    builtin!(
        "elementwise",
        "maximum",
        "maximum(x, y)",
        2,
        2,
        [],
        "The larger of x and y, element by element, with broadcasting; nan wins.",
        "maximum([1, 5, 3], 2)",
        |_, a| done(a, elementwise::extremum(a.array(0)?, a.array(1)?, true))
    ),
    builtin!(
        "elementwise",
        "minimum",
        "minimum(x, y)",
        2,
        2,
        [],
        "The smaller of x and y, element by element, with broadcasting; nan wins.",
        "minimum([1, 5, 3], 2)",
        |_, a| done(a, elementwise::extremum(a.array(0)?, a.array(1)?, false))
    ),
    builtin!(
        "elementwise",
        "clip",
        "clip(x, lo, hi)",
        3,
        3,
        [],
        "Limits every element to the range [lo, hi].",
        "clip([1, 5, 9], 2, 6)",
        |_, a| done(a, elementwise::clip(a.array(0)?, a.array(1)?, a.array(2)?))
    ),
    // -------------------------------------------------------------------- casts
    cast_fn!("bool", DType::Bool, "bool([0, 1, 2])"),
    cast_fn!("int64", DType::Int64, "int64([1.9, -1.9])"),
    cast_fn!("float32", DType::Float32, "float32([26])"),
    cast_fn!("float64", DType::Float64, "float64([1, 2])"),
    cast_fn!("complex128", DType::Complex128, "complex128([1, 2])"),
    // --------------------------------------------------------------- reductions
    reduction!(
        "sum",
        Reduce::Sum,
        "Sum of the elements, over all of them or along axis. Integer sums that overflow are an error.",
        "sum([[1, 2], [4, 3]])"
    ),
    reduction!(
        "prod",
        Reduce::Prod,
        "Product of the elements, over all of them or along axis.",
        "prod([1, 2, 3, 4])"
    ),
    reduction!(
        "mean",
        Reduce::Mean,
        "Arithmetic mean, over all elements or along axis.",
        "mean([[1, 2], [3, 4]], axis=0)"
    ),
    reduction!(
        "min",
        Reduce::Min,
        "Smallest element, over all or along axis; nan if any element is nan.",
        "min([3, 1, 2])"
    ),
    reduction!(
        "max",
        Reduce::Max,
        "Largest element, over all or along axis; nan if any element is nan.",
        "max([[1, 5], [7, 2]], axis=1)"
    ),
    reduction!(
        "argmin",
        Reduce::ArgMin,
        "Index of the smallest element (of the flattened array unless axis is given).",
        "argmin([3, 1, 2])"
    ),
    reduction!(
        "argmax",
        Reduce::ArgMax,
        "Index of the largest element (of the flattened array unless axis is given).",
        "argmax([[1, 5], [7, 2]])"
    ),
    builtin!(
        "reductions",
        "std",
        "std(x, axis=none, keepdims=false, ddof=0)",
        1,
        2,
        ["axis", "keepdims", "ddof"],
        "Standard deviation; ddof=1 gives the sample (unbiased-variance) version.",
        "std([1, 2, 3, 4])",
        |_, a| reduction(a, Reduce::Std)
    ),
    builtin!(
        "reductions",
        "var",
        "var(x, axis=none, keepdims=false, ddof=0)",
        1,
        2,
        ["axis", "keepdims", "ddof"],
        "Variance: the mean squared distance from the mean; ddof=1 divides by n-1.",
        "var([1, 2, 3, 4])",
        |_, a| reduction(a, Reduce::Var)
    ),
    reduction!(
        "all",
        Reduce::All,
        "Whether every element is true (non-zero).",
        "all([true, false])"
    ),
    reduction!(
        "any",
        Reduce::Any,
        "Whether at least one element is true (non-zero).",
        "any([0, 0, 1])"
    ),
    // ----------------------------------------------------------------- products
    builtin!(
        "products",
        "dot",
        "dot(x, y)",
        2,
        2,
        [],
        "NumPy's dot: scalars multiply, vectors give their inner product, matrices their matrix product; higher ranks sum over the last axis of x and the second-to-last of y.",
        "dot([1, 2, 3], [4, 5, 6])",
        |_, a| done(
            a,
            products::dot(a.array(0)?, a.array(1)?, &a.limits, &a.exec)
        )
    ),
    builtin!(
        "products",
        "vdot",
        "vdot(x, y)",
        2,
        2,
        [],
        "Inner product of the flattened arrays, conjugating x first (the Hermitian inner product).",
        "vdot([2j, 3j], [2j, 3j])",
        |_, a| done(a, products::vdot(a.array(0)?, a.array(1)?))
    ),
    builtin!(
        "products",
        "inner",
        "inner(x, y)",
        2,
        2,
        [],
        "Sums over the last axes of x and y; for vectors the inner product, without conjugation.",
        "inner([1, 2, 3], [4, 5, 6])",
        |_, a| done(
            a,
            products::inner(a.array(0)?, a.array(1)?, &a.limits, &a.exec)
        )
    ),
    builtin!(
        "products",
        "outer",
        "outer(x, y)",
        2,
        2,
        [],
        "Every element of x times every element of y: an m×n matrix from vectors of lengths m and n.",
        "outer([1, 2], [3, 4, 5])",
        |_, a| done(a, products::outer(a.array(0)?, a.array(1)?, &a.limits))
    ),
    builtin!(
        "products",
        "cross",
        "cross(x, y)",
        2,
        2,
        [],
        "Cross product of 3-vectors (or 2-vectors, giving a scalar), along the last axis.",
        "cross([1, 2, 3], [4, 5, 6])",
        |_, a| done(a, products::cross(a.array(0)?, a.array(1)?, &a.limits))
    ),
    builtin!(
        "products",
        "matmul",
        "matmul(x, y)",
        2,
        2,
        [],
        "The matrix product, the same as x @ y (numpy.matmul): vectors act as rows on the left and columns on the right, and leading axes are batches.",
        "matmul([[1, 0], [0, 1]], [1, 2])",
        |_, a| matmul_call(a)
    ),
    builtin!(
        "products",
        "kron",
        "kron(x, y)",
        2,
        2,
        [],
        "The Kronecker product: each element of x times the whole of y, as blocks.",
        "kron(eye(2), [[1, 2], [3, 4]])",
        |_, a| done(a, products::kron(a.array(0)?, a.array(1)?, &a.limits))
    ),
    builtin!(
        "products",
        "tensordot",
        "tensordot(x, y, axes=2)",
        2,
        3,
        ["axes"],
        "Sums products over axes: axes=n pairs the last n axes of x with the first n of y; axes=[[i...], [j...]] names them.",
        "tensordot(ones(2, 3, 4), ones(3, 4, 5), axes=2)",
        |_, a| {
            let spec = if a.len() > 2 {
                Some((a.value(2), a.span(2)))
            } else {
                a.kw("axes")
            };
            let axes = match spec {
                None => TensorAxes::Count(2),
                Some((Value::Array(x), span)) => {
                    let ints = x
                        .to_i64_array()
                        .ok()
                        .filter(|_| matches!(x.dtype(), DType::Int64 | DType::Bool));
                    match (x.ndim(), ints) {
                        (0, Some(v)) if v.iter().all(|&n| n >= 0) => {
                            TensorAxes::Count(*v.iter().next().expect("0-d") as usize)
                        }
                        (2, Some(v)) if v.shape()[0] == 2 => TensorAxes::Pairs(
                            v.index_axis(Axis(0), 0).iter().copied().collect(),
                            v.index_axis(Axis(0), 1).iter().copied().collect(),
                        ),
                        _ => {
                            return Err(crate::diagnostic::Diagnostic::error(ErrorKind::Type, "tensordot: axes must be a count ≥ 0 or two lists of axes [[...], [...]]")
                            .primary(span, Value::Array(x.clone()).describe())
                            .note(format!("signature: {}", a.builtin.signature)));
                        }
                    }
                }
                Some((_, span)) => {
                    return Err(crate::diagnostic::Diagnostic::error(
                        ErrorKind::Type,
                        "tensordot: axes must be a number or a 2×k array",
                    )
                    .primary(span, "here"));
                }
            };
            done(
                a,
                products::tensordot(a.array(0)?, a.array(1)?, &axes, &a.limits, &a.exec),
            )
        }
    ),
    builtin!(
        "products",
        "trace",
        "trace(x, offset=0)",
        1,
        2,
        ["offset"],
        "Sum of the diagonal (of the first two axes), or of the diagonal offset above it.",
        "trace([[1, 2], [3, 4]])",
        |_, a| {
            let offset = if a.len() > 1 {
                a.int(1)?
            } else {
                a.kw_int("offset")?.unwrap_or(0)
            };
            done(a, products::trace(a.array(0)?, offset, &a.exec))
        }
    ),
    builtin!(
        "products",
        "einsum",
        "einsum(\"subscripts\", x, ...)",
        2,
        MANY,
        [],
        "Einstein summation: letters name axes; letters repeated across inputs and missing from the output are summed. \"ij,jk->ik\" is a matrix product, \"ii\" a trace, \"i,j->ij\" an outer product.",
        "einsum(\"ij,jk->ik\", [[1, 2], [3, 4]], eye(2))",
        |_, a| {
            let spec = a.string(0)?.to_string();
            done(
                a,
                products::einsum(&spec, &a.arrays_from(1)?, &a.limits, &a.exec),
            )
        }
    ),
];
