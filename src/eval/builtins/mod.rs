//! The table of built-in functions: name, signature, one-paragraph help, an
//! example that runs, the arity and keywords the dispatcher checks, and the
//! code. Semantics are NumPy's; `ops/` does the work.

use ndarray::{ArrayD, Axis, IxDyn};

pub(super) use super::call::{Args, Builtin, Ctx, EResult, MANY, Reads, builtin};
pub(super) use super::errors::{Operand, binary_error, cast_error_text};
pub(super) use crate::diagnostic::ErrorKind;
pub(super) use crate::ops::elementwise::{self as ew, Func};
pub(super) use crate::ops::products::{self, TensorAxes};
pub(super) use crate::ops::reduce::{Reduce, reduce, reduce_rule};
pub(super) use crate::ops::{OpResult, construct, shape as shp};
pub(super) use crate::syntax::BinOp;
pub(super) use crate::value::{Array, C64, DType, Dim, Kind, Meta, Sizes, Value};

/// Every built-in, table by table.
pub fn all() -> impl Iterator<Item = &'static Builtin> {
    [
        intro::TABLE,
        construction::TABLE,
        shaping::TABLE,
        math::TABLE,
        reductions::TABLE,
        product::TABLE,
        linalg::TABLE,
        output::TABLE,
        plot::TABLE,
        everyday::TABLE,
        npmath::TABLE,
        io::TABLE,
        random::TABLE,
        arrays::TABLE,
        // statistics and einops (issue 14, part C)
        stats::TABLE,
        einops::TABLE,
    ]
    .into_iter()
    .flatten()
}

pub fn find(name: &str) -> Option<&'static Builtin> {
    all().find(|b| b.name == name)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    all().map(|b| b.name)
}

pub(super) fn done(a: &Args, r: OpResult<Array>) -> EResult<Value> {
    r.map(Value::Array).map_err(|e| a.op_err(e))
}

/// A rule's prediction as the table returns it, with its error rendered
/// exactly as `run` renders the kernel's (`done`).
pub(super) fn predicted(a: &Args, r: OpResult<Meta>) -> EResult<Kind> {
    r.map(Kind::from).map_err(|e| a.op_err(e))
}

fn func(a: &Args, f: Func) -> EResult<Value> {
    done(a, ew::apply(f, a.array(0)?))
}

fn func_rule(a: &Args, f: Func) -> EResult<Kind> {
    predicted(a, ew::func_rule(f, &a.meta(0)?))
}

/// The constant arguments of a reduction, read the same way by rule and run.
struct ReduceArgs {
    axis: Option<i64>,
    keepdims: bool,
    ddof: f64,
}

fn reduce_args(a: &Args) -> EResult<ReduceArgs> {
    Ok(ReduceArgs {
        // One axis (a list of one too); several go through `arrays::extras`.
        axis: a.axes(1)?.and_then(|v| v.first().copied()),
        keepdims: a.kw_bool("keepdims", false)?,
        ddof: a.kw_f64("ddof")?.unwrap_or(0.0),
    })
}

fn reduction(a: &Args, kind: Reduce) -> EResult<Value> {
    let x = a.array(0)?;
    // Several axes, dtype=, initial=, where= (`arrays.rs`).
    if let Some(e) = arrays::extras(a)? {
        return arrays::extras_run(a, kind, &e, a.kw_f64("ddof")?.unwrap_or(0.0));
    }
    let p = reduce_args(a)?;
    done(a, reduce(kind, x, p.axis, p.keepdims, p.ddof, &a.exec))
}

fn reduction_rule(a: &Args, kind: Reduce) -> EResult<Kind> {
    let x = a.meta(0)?;
    if let Some(e) = arrays::extras(a)? {
        return arrays::extras_rule(a, kind, &e);
    }
    let p = reduce_args(a)?;
    predicted(a, reduce_rule(kind, &x, p.axis, p.keepdims))
}

/// A refused cast is about the values (a NaN, an imaginary part), which the
/// rule cannot see, so it is a domain error.
fn cast(a: &Args, to: DType) -> EResult<Value> {
    let x = a.array(0)?;
    x.cast(to).map(Value::Array).map_err(|e| {
        let (msg, help) = cast_error_text(&e, to.name());
        a.error(ErrorKind::Domain, Some(0), msg, x.dtype().name())
            .help(help)
    })
}

fn cast_rule(a: &Args, to: DType) -> EResult<Kind> {
    Ok(ew::cast_rule(&a.meta(0)?, to).into())
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

/// The metadata of the arrays `array_list` gives, for the rules: the rows
/// of a k×… array are k arrays of the remaining shape.
fn meta_list(a: &Args) -> EResult<shp::Parts> {
    if a.len() == 1 {
        let x = a.meta(0)?;
        let Some(count) = x.shape.first().cloned() else {
            return Ok(shp::Parts::Each(vec![x]));
        };
        let row = Meta {
            shape: x.shape[1..].to_vec(),
            ..x
        };
        return Ok(shp::Parts::Rows { row, count });
    }
    a.metas_from(0).map(shp::Parts::Each)
}

fn matmul_call(a: &Args) -> EResult<Value> {
    let (x, y) = (a.array(0)?, a.array(1)?);
    crate::ops::matmul::matmul(x, y, &a.exec)
        .map(Value::Array)
        .map_err(|e| matmul_error(a, e))
}

fn matmul_rule(a: &Args) -> EResult<Kind> {
    let (x, y) = (a.meta(0)?, a.meta(1)?);
    crate::ops::matmul::matmul_rule(&x, &y)
        .map(Kind::from)
        .map_err(|e| matmul_error(a, e))
}

/// `matmul(x, y)` fails as `x @ y` does, with the operator's diagnostic.
fn matmul_error(a: &Args, e: crate::ops::OpError) -> crate::diagnostic::Diagnostic {
    if let crate::ops::OpError::Overflow { .. } = e {
        return a.op_err(e);
    }
    let (x, y) = match (a.meta(0), a.meta(1)) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(d), _) | (_, Err(d)) => return d,
    };
    let operand = |m: Meta, i: usize| Operand {
        shape: m.shape,
        span: a.span(i),
        text: a.text(i),
    };
    binary_error(
        BinOp::MatMul,
        a.name_span,
        &operand(x, 0),
        &operand(y, 1),
        e,
    )
}

/// The value of constant argument `i` when the caller knows it: evaluation
/// always does; a shape checker, only for literals. Rules read numbers
/// that decide a result's metadata (a fill value, arange's bounds) only
/// through here.
fn known(a: &Args, i: usize) -> Option<&Array> {
    match a.value(i) {
        Value::Array(x) => Some(x),
        _ => None,
    }
}

/// zeros, ones and empty: the shape, and the dtype.
fn filled_args(a: &Args) -> EResult<(Vec<Dim>, DType)> {
    Ok((a.dims_from(0, a.len())?, a.kw_dtype(DType::Float64)?))
}

fn construct_filled(a: &Args, value: f64) -> EResult<Value> {
    let (shape, dtype) = filled_args(a)?;
    let shape = a.lengths(&shape)?;
    done(
        a,
        construct::full(&shape, &Array::scalar_f64(value), dtype, &a.limits),
    )
}

/// The rule of zeros, ones and empty.
fn filled_rule(a: &Args) -> EResult<Kind> {
    let (shape, dtype) = filled_args(a)?;
    let value = Meta::scalar(DType::Float64);
    predicted(a, construct::full_rule(&shape, &value, None, dtype))
}

/// An elementwise built-in `name(x)` (or `name(x, y)` with `binary`), whose
/// rule and run are `func_rule`/`func` unless others are named (`via`).
macro_rules! elementwise {
    ($name:literal, $f:expr, $summary:literal, $example:literal) => {
        elementwise!(via func_rule, func; $name, $f, $summary, $example)
    };
    (via $rule:ident, $run:ident; $name:literal, $f:expr, $summary:literal, $example:literal) => {
        builtin!(
            "elementwise",
            $name,
            concat!($name, "(x)"),
            1,
            1,
            [],
            $summary,
            $example,
            rule: |a| $rule(a, $f),
            run: |_, a| $run(a, $f)
        )
    };
    (binary via $rule:ident, $run:ident; $name:literal, $f:expr, $summary:literal, $example:literal) => {
        builtin!(
            "elementwise",
            $name,
            concat!($name, "(x, y)"),
            2,
            2,
            [],
            $summary,
            $example,
            rule: |a| $rule(a, $f),
            run: |_, a| $run(a, $f)
        )
    };
}

macro_rules! reduction {
    // With the extras NumPy gives this reduction (`dtype=`, `initial=`,
    // `where=`; see `arrays.rs`) and the signature that lists them.
    ($name:literal, $kind:expr, [$($kw:literal),*], $sig:expr, $summary:literal, $example:literal) => {
        builtin!(
            "reductions",
            $name,
            $sig,
            1,
            2,
            ["axis", "keepdims" $(, $kw)*],
            $summary,
            $example,
            rule: |a| reduction_rule(a, $kind),
            run: |_, a| reduction(a, $kind)
        )
    };
    ($name:literal, $kind:expr, $summary:literal, $example:literal) => {
        builtin!(
            "reductions",
            $name,
            concat!($name, "(x, axis=None, keepdims=false)"),
            1,
            2,
            ["axis", "keepdims"],
            $summary,
            $example,
            rule: |a| reduction_rule(a, $kind),
            run: |_, a| reduction(a, $kind)
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
            rule: |a| cast_rule(a, $dt),
            run: |_, a| cast(a, $dt)
        )
    };
}

// After the macros, so the tables can use them.
mod arrays;
mod construction;
mod einops;
mod everyday;
mod intro;
mod io;
pub(super) mod linalg;
mod math;
mod npmath;
mod output;
mod plot;
mod product;
mod random;
mod reductions;
mod shaping;
mod stats;
