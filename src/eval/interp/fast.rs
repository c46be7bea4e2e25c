//! The tree walker's scalar path: an operator on two 0-d bool, int64 or
//! float64 values (a loop counter, a running sum) is computed by
//! `ops::scalar` without the rule's metadata, the limits' arithmetic or the
//! general kernel, and into a temporary operand's buffer when one is free.
//! Anything the scalar path does not answer (an error to report, another
//! dtype, a larger array) takes the general path, which stays the one
//! source of every result's dtype and of every error.

use ndarray::Axis;

use super::*;
use crate::map_array;
use crate::ops::scalar::{self, Scalar};

impl Evaluator {
    /// `l op r` by the scalar path, or `None` for the general one. The rule
    /// of a 0-d pair is always a 0-d result of the promoted dtype, which
    /// broadcasts without stretching (no warning) and fits every limit that
    /// admits its bytes, so only that is checked.
    pub(super) fn scalar_binary(
        &self,
        op: BinOp,
        l: &mut Rc<Value>,
        r: &mut Rc<Value>,
    ) -> Option<Rc<Value>> {
        let (Value::Array(a), Value::Array(b)) = (&**l, &**r) else {
            return None;
        };
        let out = scalar::binary(op, Scalar::of(a)?, Scalar::of(b)?)?;
        if out.dtype().size() > self.limits.max_bytes {
            return None;
        }
        for slot in [l, r] {
            if let Some(Value::Array(x)) = Rc::get_mut(slot)
                && out.store(x)
            {
                return Some(slot.clone());
            }
        }
        Some(Rc::new(Value::Array(out.array())))
    }

    /// Binds a loop variable to row `k` of `a`: for a vector, the element
    /// is written into the variable's own 0-d buffer when nothing else
    /// holds it (the previous iteration's value), so counting allocates
    /// nothing.
    pub(super) fn bind_row(&mut self, var: &str, a: &Array, k: usize) {
        if a.ndim() == 1
            && let Some(slot) = self.scope_mut().get_mut(var)
            && let Some(Value::Array(x)) = Rc::get_mut(slot)
            && x.ndim() == 0
        {
            let done = match (x, a) {
                (Array::Bool(x), Array::Bool(a)) => x.first_mut().map(|s| *s = a[k]),
                (Array::Int(x), Array::Int(a)) => x.first_mut().map(|s| *s = a[k]),
                (Array::F32(x), Array::F32(a)) => x.first_mut().map(|s| *s = a[k]),
                (Array::F64(x), Array::F64(a)) => x.first_mut().map(|s| *s = a[k]),
                (Array::C128(x), Array::C128(a)) => x.first_mut().map(|s| *s = a[k]),
                _ => None,
            };
            if done.is_some() {
                return;
            }
        }
        let row = map_array!(a, x => x.index_axis(Axis(0), k).to_owned());
        self.store(var, Rc::new(Value::Array(row)));
    }
}

impl Evaluator {
    /// `x = x op y` (and `x op= y`) where `x` is a scalar of this scope:
    /// the new number goes into `x`'s own buffer when nothing else holds
    /// it, so a running sum allocates nothing. `Ok(None)` when `x` is not
    /// such a scalar (then nothing has been evaluated); otherwise the value
    /// to store, evaluated in the order and with the errors of the plain
    /// path (`x` is a name, so reading it first or after `y` is the same),
    /// and whether `x` already holds it.
    pub(super) fn update_in_place(
        &mut self,
        name: &str,
        value: &Expr,
    ) -> EResult<Option<(Rc<Value>, bool)>> {
        let ExprKind::Binary {
            op,
            op_span,
            lhs,
            rhs,
        } = &value.kind
        else {
            return Ok(None);
        };
        // `@` and `\` have rules of their own and `x * y + z` is fused;
        // neither is a scalar update.
        let plain = !matches!(op, BinOp::MatMul | BinOp::LeftDiv)
            && !matches!(lhs.kind, ExprKind::Binary { .. });
        if !plain || !matches!(&lhs.kind, ExprKind::Name(n) if n == name) {
            return Ok(None);
        }
        let x = match self.scope().get(name).map(|v| &**v) {
            Some(Value::Array(a)) => match Scalar::of(a) {
                Some(x) => x,
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        let r = self.eval(rhs)?;
        let out = match &*r {
            Value::Array(b) => Scalar::of(b).and_then(|y| scalar::binary(*op, x, y)),
            _ => None,
        };
        if let Some(out) = out
            && out.dtype().size() <= self.limits.max_bytes
        {
            if let Some(slot) = self.scope_mut().get_mut(name)
                && let Some(Value::Array(a)) = Rc::get_mut(slot)
                && out.store(a)
            {
                return Ok(Some((slot.clone(), true)));
            }
            return Ok(Some((Rc::new(Value::Array(out.array())), false)));
        }
        let l = self.lookup(name, lhs.span)?;
        self.binary_reusing(*op, *op_span, (l, lhs.span), (r, rhs.span))
            .map(|v| Some((v, false)))
    }
}

impl Evaluator {
    /// A statement `x = x op y` (or `x op= y`) where `x` is a scalar of
    /// this scope and `y` a number or the name of a scalar, run straight
    /// from the block without the statement machinery around it: the new
    /// number goes into `x`'s own buffer. The same checks come first as on
    /// the plain path, and everything else (a value to display, `x` shared
    /// or not a scalar, an operator or dtype the scalar path leaves to the
    /// general one, the checker's mode) returns `Ok(None)` with nothing
    /// evaluated, so the plain path runs it and gives its values and errors.
    pub(super) fn exec_scalar_update(&mut self, stmt: &Stmt) -> EResult<Option<Produced>> {
        let StmtKind::Assign {
            name,
            name_span,
            index: None,
            value,
        } = &stmt.kind
        else {
            return Ok(None);
        };
        let ExprKind::Binary { op, lhs, rhs, .. } = &value.kind else {
            return Ok(None);
        };
        if self.shape_only
            || matches!(op, BinOp::MatMul | BinOp::LeftDiv)
            || !matches!(&lhs.kind, ExprKind::Name(n) if n == name)
        {
            return Ok(None);
        }
        let y = match &rhs.kind {
            ExprKind::Int(v) => Scalar::Int(*v),
            ExprKind::Float(v) => Scalar::F64(*v),
            ExprKind::Name(n) if n != name => match self.read_var(n).map(|v| &**v) {
                Some(Value::Array(a)) => match Scalar::of(a) {
                    Some(y) => y,
                    None => return Ok(None),
                },
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        check_assignable(name, *name_span)?;
        self.check_store(name, *name_span)?;
        let max_bytes = self.limits.max_bytes;
        let Some(slot) = self.scope_mut().get_mut(name.as_str()) else {
            return Ok(None);
        };
        let Some(Value::Array(a)) = Rc::get_mut(slot) else {
            return Ok(None);
        };
        let Some(out) = Scalar::of(a).and_then(|x| scalar::binary(*op, x, y)) else {
            return Ok(None);
        };
        if out.dtype().size() > max_bytes || !out.store(a) {
            return Ok(None);
        }
        let value = slot.clone();
        Ok(Some(Produced {
            name: self.shows(stmt).then(|| name.clone()),
            value,
        }))
    }
}
