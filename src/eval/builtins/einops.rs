//! Built-ins: einops' `rearrange`, `reduce` and `repeat` with a pattern
//! string. `repeat(x, "h w -> h w c", c=3)` shares its name with NumPy's
//! `repeat(x, 2)`: the einops form is chosen when the second argument is a
//! string. `ops::einops` does the work; a pattern error is underlined
//! inside the string literal, at the group at fault.

use super::*;
use crate::ops::OpError;
use crate::ops::einops::{self as eo, Op};
use crate::syntax::Span;

/// Whether a call is the einops form: a pattern string as argument 1.
pub(super) fn is_pattern(a: &Args) -> bool {
    a.len() >= 2 && matches!(a.value(1), Value::Str(_))
}

/// The axis lengths given by keyword (`h=4`), numbers or symbolic sizes.
fn lengths(a: &Args) -> EResult<Vec<(String, Dim)>> {
    a.kw.iter()
        .filter(|k| k.0 != "reduction")
        .map(|(name, _, v, span)| match &**v {
            Value::Sizes(s) if !s.vector => Ok((name.clone(), s.dims[0].clone())),
            Value::Array(Array::Int(x)) if x.ndim() == 0 && x.iter().all(|&n| n >= 1) => Ok((
                name.clone(),
                Dim::Known(*x.iter().next().expect("0-d") as usize),
            )),
            _ => Err(a.kw_error(*span, name, "a length (a whole number ≥ 1)")),
        })
        .collect()
}

/// reduce's reduction: argument 2 or `reduction=`.
fn reduction(a: &Args) -> EResult<Reduce> {
    let names = ["min", "max", "sum", "mean", "prod"];
    let r = a.opt_choice(2, "reduction", "", &names)?;
    Ok(match r.as_str() {
        "min" => Reduce::Min,
        "max" => Reduce::Max,
        "sum" => Reduce::Sum,
        "mean" => Reduce::Mean,
        "prod" => Reduce::Prod,
        _ => {
            return Err(a.error(
                ErrorKind::Type,
                None,
                "needs a reduction: \"min\", \"max\", \"sum\", \"mean\" or \"prod\"",
                "",
            ));
        }
    })
}

/// A pattern error underlined inside the string literal when the pattern
/// is one (the span of argument 1 offset by the opening quote), at the
/// whole argument otherwise.
fn pattern_error(a: &Args, e: OpError) -> crate::diagnostic::Diagnostic {
    let OpError::Einops { err, .. } = &e else {
        return a.op_err(e);
    };
    let place = err.at();
    let label = super::super::errors::einops::label(err);
    let mut d = a.op_err(e.clone());
    let pattern = a.string(1).unwrap_or("");
    let literal = a.text(1) == format!("\"{pattern}\"");
    if let (Some((s, t)), true) = (place, literal) {
        let base = a.span(1).start + 1;
        d.labels.clear();
        d = d.primary(Span::new(base + s, base + t), label);
    }
    d
}

fn op_of(a: &Args, name: &str) -> EResult<Op> {
    Ok(match name {
        "rearrange" => Op::Rearrange,
        "reduce" => Op::Reduce(reduction(a)?),
        _ => Op::Repeat,
    })
}

/// The rule of the einops form of `name`.
pub(super) fn rule(a: &Args, name: &str) -> EResult<Kind> {
    let op = op_of(a, name)?;
    let r = eo::rule(op, &a.meta(0)?, a.string(1)?, &lengths(a)?);
    r.map(Kind::from).map_err(|e| pattern_error(a, e))
}

/// The einops form of `name`, run.
pub(super) fn run(a: &Args, name: &str) -> EResult<Value> {
    let op = op_of(a, name)?;
    let r = eo::apply(
        op,
        a.array(0)?,
        a.string(1)?,
        &lengths(a)?,
        &a.limits,
        &a.exec,
    );
    r.map(Value::Array).map_err(|e| pattern_error(a, e))
}

pub(super) static TABLE: &[Builtin] = &[
    builtin!(
        "einops",
        "rearrange",
        "rearrange(x, \"pattern\", name=length, ...)",
        2,
        2,
        ["**"],
        "einops' rearrange: names the axes on the left of -> and lays them out as on the right. (h w) groups axes into one (or splits one: give all lengths but one as keywords, each must divide); 1 or () is an axis of length 1; ... stands for the remaining axes.",
        "rearrange(reshape(arange(24), 2, 3, 4), \"b c (h w) -> b h w c\", h=2)",
        rule: |a| rule(a, "rearrange"),
        run: |_, a| run(a, "rearrange")
    ),
    builtin!(
        "einops",
        "reduce",
        "reduce(x, \"pattern\", reduction, name=length, ...)",
        2,
        3,
        ["reduction", "**"],
        "einops' reduce: like rearrange, and the axes missing on the right are reduced with reduction: \"min\", \"max\", \"sum\", \"mean\" or \"prod\". (NumPy's functools-style reduce does not exist here; this is einops'.)",
        "reduce(reshape(arange(24), 2, 3, 4), \"b c w -> b c\", \"mean\")",
        rule: |a| rule(a, "reduce"),
        run: |_, a| run(a, "reduce")
    ),
];
