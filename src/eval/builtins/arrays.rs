//! Built-ins: NumPy's array functions that cut, index and grow arrays
//! (meshgrid, split, array_split, take, take_along_axis, nonzero,
//! searchsorted, pad), and the reading of the reduction extras (several
//! axes, `dtype=`, `initial=`, `where=`). Rule and run of each entry read
//! the constant arguments with the same parser.

use super::*;
use crate::ops::arrays::{self as ar, Cuts, PadMode, ReduceExtras, Side};

/// Several results, labelled `{prefix}0`, `{prefix}1`, ...
fn labelled<T>(prefix: &str, parts: Vec<T>) -> Vec<(String, T)> {
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("{prefix}{i}"), p))
        .collect()
}

fn tuple_kind(prefix: &str, metas: Vec<Meta>) -> Kind {
    Kind::Tuple(labelled(
        prefix,
        metas.into_iter().map(Kind::from).collect(),
    ))
}

fn tuple_value(prefix: &str, arrays: Vec<Array>) -> Value {
    Value::Tuple(labelled(
        prefix,
        arrays.into_iter().map(Value::Array).collect(),
    ))
}

/// meshgrid's outputs are named as in the plotting tutorials: X, Y, Z.
fn grid_labels<T>(parts: Vec<T>) -> Vec<(String, T)> {
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| match (n, i) {
            (..=3, 0) => ("X".to_string(), p),
            (..=3, 1) => ("Y".to_string(), p),
            (..=3, _) => ("Z".to_string(), p),
            _ => (format!("X{i}"), p),
        })
        .collect()
}

fn xy(a: &Args) -> EResult<bool> {
    Ok(a.opt_choice(MANY, "indexing", "xy", &["xy", "ij"])? == "xy")
}

/// split's second argument: a number of sections or a list of indices.
/// The rule sees it only when it is a constant.
fn cuts(a: &Args) -> EResult<Option<Cuts>> {
    let Some(x) = known(a, 1) else {
        // Shape-only sections wait for the values; anything else that is
        // not an array (a string) is refused here, in the rule.
        if !matches!(&*a.pos[1].0, Value::Shaped(_) | Value::Sizes(_)) {
            a.array(1)?;
        }
        return Ok(None);
    };
    if x.is_scalar() {
        return a.int(1).map(|n| Some(Cuts::Sections(n)));
    }
    if x.ndim() == 1 && x.is_empty() {
        return Ok(Some(Cuts::Indices(Vec::new())));
    }
    int_list(a, 1).map(|v| Some(Cuts::Indices(v)))
}

fn split_axis(a: &Args) -> EResult<i64> {
    Ok(a.opt_int(2, "axis")?.unwrap_or(0))
}

fn split_rule(a: &Args, equal: bool) -> EResult<Kind> {
    let x = a.meta(0)?;
    let axis = split_axis(a)?;
    match cuts(a)? {
        Some(c) => ar::split_rule(&x, &c, axis, equal)
            .map(|m| tuple_kind("part", m))
            .map_err(|e| a.op_err(e)),
        // How many parts depends on a value the checker does not have.
        None => Ok(Kind::Unknown),
    }
}

fn split_run(a: &Args, equal: bool) -> EResult<Value> {
    let Some(c) = cuts(a)? else {
        return Err(a.type_error(1, "a number of sections or a list of indices"));
    };
    ar::split(a.array(0)?, &c, split_axis(a)?, equal)
        .map(|p| tuple_value("part", p))
        .map_err(|e| a.op_err(e))
}

/// searchsorted's side.
fn side(a: &Args) -> EResult<Side> {
    Ok(
        match a
            .opt_choice(2, "side", "left", &["left", "right"])?
            .as_str()
        {
            "left" => Side::Left,
            _ => Side::Right,
        },
    )
}

/// pad's constant arguments: the widths (when known), the mode and the
/// constant's metadata.
struct PadArgs {
    widths: Option<Vec<(usize, usize)>>,
    mode: PadMode,
    constant: Option<Meta>,
}

fn pad_args(a: &Args) -> EResult<PadArgs> {
    let x = a.meta(0)?;
    let mode = a.opt_choice(2, "mode", "constant", &PadMode::NAMES)?;
    let mode = PadMode::from_name(&mode).expect("one of the names");
    let widths = match known(a, 1) {
        Some(w) => {
            let values = match w.dtype() {
                DType::Int64 | DType::Bool => w.to_i64_array().expect("ints"),
                _ => {
                    return Err(a.error(
                        ErrorKind::Type,
                        Some(1),
                        "pad widths must be whole numbers",
                        w.dtype().name(),
                    ));
                }
            };
            let values: Vec<i64> = values.iter().copied().collect();
            Some(ar::pad_widths(w.shape(), &values, x.ndim()).map_err(|e| a.op_err(e))?)
        }
        None => {
            a.meta(1)?;
            None
        }
    };
    let constant = match a.kw("constant_values") {
        Some((Value::Nothing, _)) | None => None,
        Some((Value::Array(c), _)) => Some(Meta::of(c)),
        Some((Value::Shaped(m), _)) => Some(m.clone()),
        Some((_, span)) => return Err(a.kw_error(span, "constant_values", "a number or an array")),
    };
    Ok(PadArgs {
        widths,
        mode,
        constant,
    })
}

/// The reduction extras as rule and run read them, or `None` when the
/// call has none (one axis or all, no dtype, initial or where).
pub(super) fn extras(a: &Args) -> EResult<Option<ReduceExtras>> {
    let present = |k: &str| !matches!(a.kw(k), None | Some((Value::Nothing, _)));
    let axes = a.axes(1)?;
    let dtype = if present("dtype") {
        Some(a.kw_dtype(DType::Float64)?)
    } else {
        None
    };
    let p = ReduceExtras {
        keepdims: a.kw_bool("keepdims", false)?,
        dtype,
        has_initial: present("initial"),
        has_where: present("where"),
        axes,
    };
    let several = p.axes.as_ref().is_some_and(|v| v.len() != 1);
    if !several && p.dtype.is_none() && !p.has_initial && !p.has_where {
        return Ok(None);
    }
    if let Some((v, span)) = a.kw("initial") {
        match v {
            Value::Array(x) if x.is_scalar() => {}
            Value::Shaped(m) if m.is_scalar() => {}
            Value::Nothing => {}
            _ => return Err(a.kw_error(span, "initial", "a number")),
        }
    }
    if let Some((v, span)) = a.kw("where") {
        let x = a.meta(0)?;
        let m = match v {
            Value::Array(w) => Meta::of(w),
            Value::Shaped(m) => m.clone(),
            _ => return Err(a.kw_error(span, "where", "a bool array")),
        };
        let fits = crate::ops::shape::broadcasts_to(&m.shape, &x.shape);
        if m.dtype != DType::Bool || !fits {
            return Err(a.kw_error(
                span,
                "where",
                &format!(
                    "a bool array that broadcasts to x's shape {} (got {})",
                    crate::value::shape_text(&x.shape),
                    m.describe()
                ),
            ));
        }
    }
    Ok(Some(p))
}

pub(super) fn extras_rule(a: &Args, kind: Reduce, p: &ReduceExtras) -> EResult<Kind> {
    predicted(a, ar::reduce_extras_rule(kind, &a.meta(0)?, p))
}

pub(super) fn extras_run(a: &Args, kind: Reduce, p: &ReduceExtras, ddof: f64) -> EResult<Value> {
    let arr = |k: &str| match a.kw(k) {
        Some((Value::Array(v), _)) => Some(v),
        _ => None,
    };
    done(
        a,
        ar::reduce_extras(
            kind,
            a.array(0)?,
            p,
            ddof,
            arr("initial"),
            arr("where"),
            &a.exec,
            &a.limits,
        ),
    )
}

/// `where(cond)`, which is `nonzero(cond)`.
pub(super) fn nonzero_kind(a: &Args) -> EResult<Kind> {
    let parts = ar::nonzero_rule(&a.meta(0)?).map_err(|e| a.op_err(e))?;
    Ok(tuple_kind("axis", parts))
}

pub(super) fn nonzero_value(a: &Args) -> EResult<Value> {
    let parts = ar::nonzero(a.array(0)?).map_err(|e| a.op_err(e))?;
    Ok(tuple_value("axis", parts))
}

/// cumsum's and cumprod's `dtype=`: the dtype they accumulate in (not
/// bool: a running sum of bools is a count).
fn accumulate_dtype(a: &Args) -> EResult<Option<DType>> {
    if matches!(a.kw("dtype"), None | Some((Value::Nothing, _))) {
        return Ok(None);
    }
    let dt = a.kw_dtype(DType::Float64)?;
    let drops = a.meta(0)?.dtype == DType::Complex128 && dt != DType::Complex128;
    if dt == DType::Bool || drops {
        return Err(a.op_err(crate::ops::OpError::Arrays {
            err: ar::ArraysError::ReduceDType {
                kind: Reduce::Sum,
                dtype: dt,
                from: a.meta(0)?.dtype,
            },
            arg: None,
        }));
    }
    Ok(Some(dt))
}

pub(super) fn accumulated_meta(a: &Args) -> EResult<Meta> {
    let x = a.meta(0)?;
    Ok(match accumulate_dtype(a)? {
        Some(dt) => x.retyped(dt),
        None => x,
    })
}

/// The operand of cumsum/cumprod in the dtype asked for.
pub(super) fn accumulated(a: &Args) -> EResult<Array> {
    let x = a.array(0)?;
    match accumulate_dtype(a)? {
        Some(dt) => x.cast(dt).map_err(|e| {
            let (msg, help) = cast_error_text(&e, dt.name());
            a.error(ErrorKind::Domain, Some(0), msg, x.dtype().name())
                .help(help)
        }),
        None => Ok(x.clone()),
    }
}

pub(super) static TABLE: &[Builtin] = &[
    builtin!(
        "shape",
        "meshgrid",
        "meshgrid(x1, x2, ..., indexing=\"xy\")",
        1,
        MANY,
        ["indexing"],
        "Coordinate grids from vectors: with indexing=\"xy\" (NumPy's default, for plots) X varies along the columns and Y along the rows, both len(y)×len(x); \"ij\" keeps the order of the inputs. Unpack them: X, Y = meshgrid(x, y).",
        "meshgrid([1, 2, 3], [10, 20])",
        rule: |a| {
            let metas = a.metas_from(0)?;
            let out = ar::meshgrid_rule(&metas, xy(a)?);
            Ok(Kind::Tuple(grid_labels(out.into_iter().map(Kind::from).collect())))
        },
        run: |_, a| {
            let xs = a.arrays_from(0)?;
            let out = ar::meshgrid(&xs, xy(a)?);
            Ok(Value::Tuple(grid_labels(out.into_iter().map(Value::Array).collect())))
        }
    ),
    builtin!(
        "shape",
        "split",
        "split(x, sections_or_indices, axis=0)",
        2,
        3,
        ["axis"],
        "Cuts x along axis into equal sections (a number that must divide the length) or at the given indices ([2, 5] gives x[:2], x[2:5], x[5:]); the parts unpack: a, b = split(x, 2).",
        "split([1, 2, 3, 4, 5, 6], 3)",
        rule: |a| split_rule(a, true),
        run: |_, a| split_run(a, true)
    ),
    builtin!(
        "shape",
        "array_split",
        "array_split(x, sections_or_indices, axis=0)",
        2,
        3,
        ["axis"],
        "Like split, but a number of sections need not divide the length: the first parts are one longer.",
        "array_split([1, 2, 3, 4, 5], 3)",
        rule: |a| split_rule(a, false),
        run: |_, a| split_run(a, false)
    ),
    builtin!(
        "shape",
        "take",
        "take(x, indices, axis=None)",
        2,
        3,
        ["axis"],
        "The elements at the given indices along axis (of the flattened array without one); the result has the indices' shape in place of that axis. Negative indices count from the end.",
        "take([[1, 2, 3], [4, 5, 6]], [2, 0], axis=1)",
        rule: |a| predicted(a, ar::take_rule(&a.meta(0)?, &a.meta(1)?, a.axis(2)?)),
        run: |_, a| done(a, ar::take(a.array(0)?, a.array(1)?, a.axis(2)?))
    ),
    builtin!(
        "shape",
        "take_along_axis",
        "take_along_axis(x, indices, axis=-1)",
        2,
        3,
        ["axis"],
        "Picks along axis with an index array of x's number of axes, as argsort and argmax(keepdims=true) give them; the other axes broadcast. axis=None takes from the flattened array.",
        "take_along_axis([[10, 30, 20], [60, 40, 50]], argsort([[10, 30, 20], [60, 40, 50]], axis=1), axis=1)",
        rule: |a| predicted(a, ar::take_along_rule(&a.meta(0)?, &a.meta(1)?, a.axis_or(2, -1)?)),
        run: |_, a| done(a, ar::take_along(a.array(0)?, a.array(1)?, a.axis_or(2, -1)?))
    ),
    builtin!(
        "shape",
        "nonzero",
        "nonzero(x)",
        1,
        1,
        [],
        "The indices of the non-zero (true) elements, one int64 vector per axis, so x[nonzero(x)] style selections read rows, cols = nonzero(A). Their length depends on the values (argwhere gives the same as rows).",
        "nonzero([[0, 1], [2, 0]])",
        rule: nonzero_kind,
        run: |_, a| nonzero_value(a)
    ),
    builtin!(
        "shape",
        "searchsorted",
        "searchsorted(a, v, side=\"left\")",
        2,
        3,
        ["side"],
        "Where to insert each element of v into the sorted vector a to keep it sorted: the first such index (side=\"left\") or the last (\"right\"); nan sorts last, as in sort.",
        "searchsorted([1, 2, 2, 3], [2, 5], side=\"right\")",
        rule: |a| {
            side(a)?;
            predicted(a, ar::searchsorted_rule(&a.meta(0)?, &a.meta(1)?))
        },
        run: |_, a| done(a, ar::searchsorted(a.array(0)?, a.array(1)?, side(a)?))
    ),
    builtin!(
        "shape",
        "pad",
        "pad(x, pad_width, mode=\"constant\", constant_values=0)",
        2,
        3,
        ["mode", "constant_values"],
        "x with pad_width elements added before and after each axis: one width for all, a [before, after] pair, or one pair per axis. mode \"constant\" fills with constant_values, \"edge\" repeats the border, \"reflect\" mirrors without it, \"symmetric\" with it, \"wrap\" continues from the other end.",
        "pad([1, 2, 3], [1, 2], mode=\"edge\")",
        rule: |a| {
            let p = pad_args(a)?;
            predicted(a, ar::pad_rule(&a.meta(0)?, p.widths.as_deref(), p.mode, p.constant.as_ref()))
        },
        run: |_, a| {
            let p = pad_args(a)?;
            let zero = Array::scalar_int(0);
            let constant = match a.kw("constant_values") {
                Some((Value::Array(c), _)) => c,
                _ => &zero,
            };
            let widths = p.widths.expect("evaluation knows its constants");
            done(a, ar::pad(a.array(0)?, &widths, p.mode, constant, &a.limits))
        }
    ),
];
