//! Symbolic sizes in the tree walker: the `dim` statement, and the size
//! arithmetic that keeps `d*h`, `n+1` and `[n, d*h]` symbolic so that size
//! arguments (`randn(n, d)`, `reshape(x, [n, d*h])`) receive expressions,
//! not numbers.

use std::rc::Rc;

use super::*;
use crate::syntax::DimItem;
use crate::value::Sizes;

impl Evaluator {
    /// `dim n, d = 64`. Evaluating, a size with a value is that number
    /// (arrays of it can be computed) and one without is a symbol; in the
    /// checker's mode both are symbols, the valued one carrying its value,
    /// so errors can name it (`d = 64 ≠ h = 32`).
    pub(super) fn exec_dim(&mut self, items: &[DimItem]) -> EResult<Produced> {
        let mut declared = Vec::with_capacity(items.len());
        for item in items {
            check_assignable(&item.name, item.name_span)?;
            if CONSTANTS.contains(&item.name.as_str()) {
                return Err(Diagnostic::error(
                    ErrorKind::Name,
                    format!("`{}` is a constant and cannot be a size", item.name),
                )
                .primary(item.name_span, "a constant"));
            }
            let value = match &item.value {
                None => None,
                Some(e) => Some(self.dim_value(&item.name, e)?),
            };
            declared.push((item.name.clone(), value));
        }
        for (name, value) in declared {
            self.dims_declared += 1;
            let rank = self.dims_declared;
            let v = match value {
                Some(n) if !self.shape_only => Value::Array(Array::scalar_int(n as i64)),
                _ => Value::Sizes(Sizes::one(Dim::declared(rank, &name, value))),
            };
            self.vars.insert(name, Rc::new(v));
        }
        Ok(Produced {
            name: None,
            value: Rc::new(Value::Nothing),
        })
    }

    /// The number a `dim` gives its size: a whole number ≥ 0.
    fn dim_value(&mut self, name: &str, e: &Expr) -> EResult<usize> {
        let v = self.eval(e)?;
        let number = match &*v {
            Value::Array(a) if a.is_scalar() => a.first_c64().and_then(|z| {
                (z.im == 0.0 && z.re.fract() == 0.0 && z.re >= 0.0 && z.re < 2f64.powi(62))
                    .then_some(z.re as usize)
            }),
            Value::Sizes(s) if !s.vector => s.dims[0].value(),
            _ => None,
        };
        number.ok_or_else(|| {
            Diagnostic::error(
                ErrorKind::Type,
                format!("dim {name} = ...: a size is a whole number ≥ 0"),
            )
            .primary(e.span, v.describe())
            .help(format!("for example: dim {name} = 32"))
        })
    }

    /// `+ - * //` between sizes, one of them symbolic: the symbolic result
    /// (`d*h` is `d·h`). Anything else (a float, `/`, an array) is not size
    /// arithmetic and goes through the operator's rule as an int64 scalar.
    pub(super) fn size_arith(&self, op: BinOp, lhs: &Value, rhs: &Value) -> Option<Value> {
        if !matches!(lhs, Value::Sizes(_)) && !matches!(rhs, Value::Sizes(_)) {
            return None;
        }
        let (a, b) = (as_size(lhs)?, as_size(rhs)?);
        let d = match op {
            BinOp::Add => Dim::add(&a, &b),
            BinOp::Sub => Dim::sub(&a, &b),
            BinOp::Mul => Dim::mul(&a, &b),
            BinOp::FloorDiv => Dim::div_exact(&a, &b),
            _ => return None,
        };
        match d {
            Dim::Unknown => None,
            d => Some(size_value(d)),
        }
    }
}

/// One entry of a list of sizes, `shape(x)[0]`, once the index rule has
/// accepted the index.
pub(super) fn index_sizes(v: &Value, items: &[indexing::ItemValue]) -> Option<Value> {
    let Value::Sizes(s) = v else {
        return None;
    };
    let [indexing::ItemValue::Value(i, _)] = items else {
        return None;
    };
    let Value::Array(Array::Int(i)) = &**i else {
        return None;
    };
    if i.ndim() != 0 || !s.vector {
        return None;
    }
    let i = *i.iter().next()?;
    let len = s.dims.len() as i64;
    let k = if i < 0 { i + len } else { i };
    let k = usize::try_from(k).ok().filter(|&k| k < s.dims.len())?;
    (s.infer != Some(k)).then(|| size_value(s.dims[k].clone()))
}

/// A size as a value: a number is an int64 scalar, anything else symbolic.
fn size_value(d: Dim) -> Value {
    match d {
        Dim::Known(n) => Value::Array(Array::scalar_int(n as i64)),
        d => Value::Sizes(Sizes::one(d)),
    }
}

/// An array literal of sizes, one of them symbolic: `[n, d*h]`.
pub(super) fn sizes_literal(values: &[Rc<Value>]) -> Option<Value> {
    if !values.iter().any(|v| matches!(**v, Value::Sizes(_))) {
        return None;
    }
    let mut infer = None;
    let mut dims = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        match as_size(v) {
            Some(d) => dims.push(d),
            // One `-1`, for reshape's length to infer.
            None if infer.is_none() && is_minus_one(v) => {
                infer = Some(i);
                dims.push(Dim::Unknown);
            }
            None => return None,
        }
    }
    Some(Value::Sizes(Sizes {
        dims,
        vector: true,
        infer,
    }))
}

fn is_minus_one(v: &Value) -> bool {
    matches!(v, Value::Array(Array::Int(a)) if a.ndim() == 0 && a.iter().next() == Some(&-1))
}

/// A value as one size: a symbolic size, or an int64 scalar ≥ 0.
fn as_size(v: &Value) -> Option<Dim> {
    match v {
        Value::Sizes(s) if !s.vector => Some(s.dims[0].clone()),
        Value::Array(Array::Int(a)) if a.ndim() == 0 => {
            let n = *a.iter().next()?;
            usize::try_from(n).ok().map(Dim::Known)
        }
        _ => None,
    }
}

/// Whether a value's shape names a symbol (the checker's copy of the
/// workspace keeps such a value over the evaluator's numbers).
pub(crate) fn has_symbols(v: &Value) -> bool {
    match v {
        Value::Sizes(_) => true,
        Value::Shaped(m) => m.shape.iter().any(|d| matches!(d, Dim::Sym(_))),
        Value::Tuple(parts) => parts.iter().any(|(_, p)| has_symbols(p)),
        _ => false,
    }
}
