//! The tree walker: statements and expressions to values, with every failure
//! a `Diagnostic` that points into the source. A statement that fails leaves
//! the workspace exactly as it was.

use std::collections::BTreeMap;
use std::rc::Rc;

use ndarray::{ArrayD, IxDyn};

use super::args::{Args, EResult};
use super::errors::{Operand, binary_error, cast_error_text, generic_error};
use super::{builtins, builtins_linalg};
use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::kernel::Exec;
use crate::ops::construct::Rng;
use crate::ops::index::{AssignError, IndexSpec, gather, scatter, select};
use crate::ops::limits::{self, Limits};
use crate::ops::{arith, shape as shape_ops};
use crate::syntax::{Arg, BinOp, Expr, ExprKind, IndexItem, Span, Stmt, StmtKind};
use crate::value::{Array, C64, DType, Value, promote, shape_text};

/// Names that always mean the same value unless the workspace defines them.
pub const CONSTANTS: [&str; 6] = ["pi", "e", "inf", "nan", "true", "false"];

/// Names that cannot be assigned.
const RESERVED: [&str; 2] = ["true", "false"];

pub struct Evaluator {
    vars: BTreeMap<String, Rc<Value>>,
    pub rng: Rng,
    /// The text being evaluated, to quote operands in suggested fixes.
    source: Rc<str>,
    /// Warnings and notes raised by the current statement.
    pub warnings: Vec<Diagnostic>,
    /// Set by `tic()`, read by `toc()`.
    pub timer: std::time::Instant,
    /// How kernels run (threads, instruction set, cancel token) and the
    /// limits operations check: the session's configuration.
    pub exec: Exec,
    pub limits: Limits,
}

/// What a statement produced: a value to show, under a name for assignments.
pub struct Produced {
    pub name: Option<String>,
    pub value: Rc<Value>,
}

impl Default for Evaluator {
    fn default() -> Self {
        Evaluator::new()
    }
}

impl Evaluator {
    /// An evaluator with the default limits and the environment's kernel
    /// settings (`Exec::from_env`).
    pub fn new() -> Evaluator {
        Evaluator::with_config(Exec::from_env(), Limits::default())
    }

    pub fn with_config(exec: Exec, limits: Limits) -> Evaluator {
        Evaluator {
            vars: BTreeMap::new(),
            rng: Rng::from_entropy(),
            source: Rc::from(""),
            warnings: Vec::new(),
            timer: std::time::Instant::now(),
            exec,
            limits,
        }
    }

    pub fn vars(&self) -> &BTreeMap<String, Rc<Value>> {
        &self.vars
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name).map(|v| &**v)
    }

    pub fn set(&mut self, name: &str, value: Value) {
        self.vars.insert(name.to_string(), Rc::new(value));
    }

    pub fn remove(&mut self, name: &str) -> bool {
        self.vars.remove(name).is_some()
    }

    pub fn clear(&mut self) {
        self.vars.clear();
    }

    pub fn set_source(&mut self, source: Rc<str>) {
        self.source = source;
    }

    fn text(&self, span: Span) -> &str {
        self.source.get(span.start..span.end).unwrap_or("?")
    }

    /// Runs one statement. Returns what it produced (assignments and `seed`
    /// produce something too; the caller decides what to display).
    pub fn exec(&mut self, stmt: &Stmt) -> EResult<Produced> {
        match &stmt.kind {
            StmtKind::Expr(e) => Ok(Produced {
                name: None,
                value: self.eval(e)?,
            }),
            StmtKind::Assign {
                name,
                name_span,
                index: None,
                value,
            } => {
                check_assignable(name, *name_span)?;
                let v = self.eval(value)?;
                if matches!(*v, Value::Nothing) {
                    return Err(Diagnostic::error(
                        ErrorKind::Type,
                        "this expression has no value to assign",
                    )
                    .primary(value.span, "gives nothing"));
                }
                self.vars.insert(name.clone(), v.clone());
                Ok(Produced {
                    name: Some(name.clone()),
                    value: v,
                })
            }
            StmtKind::Assign {
                name,
                name_span,
                index: Some(items),
                value,
            } => self.assign_index(name, *name_span, items, value),
            StmtKind::Unpack { names, value } => {
                for (n, s) in names {
                    check_assignable(n, *s)?;
                }
                let v = self.eval(value)?;
                let Value::Tuple(parts) = &*v else {
                    return Err(Diagnostic::error(
                        ErrorKind::Type,
                        format!("only several results can be unpacked, and this is one value ({})", v.describe()),
                    )
                    .primary(value.span, v.describe())
                    .note("functions that return several results, like qr or svd, can be unpacked: Q, R = qr(A)")
                    .help(format!("to take the rows of an array apart, index it: {} = x[0]", names[0].0)));
                };
                if parts.len() != names.len() {
                    let all = names.first().unwrap().1.to(names.last().unwrap().1);
                    return Err(Diagnostic::error(
                        ErrorKind::Type,
                        format!(
                            "this gives {} results but {} names are given",
                            parts.len(),
                            names.len()
                        ),
                    )
                    .primary(all, format!("{} names", names.len()))
                    .secondary(value.span, format!("{} results", parts.len())));
                }
                for ((n, _), (_, p)) in names.iter().zip(parts) {
                    self.vars.insert(n.clone(), Rc::new(p.clone()));
                }
                Ok(Produced {
                    name: None,
                    value: v,
                })
            }
        }
    }

    fn assign_index(
        &mut self,
        name: &str,
        name_span: Span,
        items: &[IndexItem],
        value: &Expr,
    ) -> EResult<Produced> {
        let Some(current) = self.vars.get(name).cloned() else {
            return Err(self.unknown_name(name, name_span));
        };
        let Value::Array(target) = &*current else {
            return Err(Diagnostic::error(
                ErrorKind::Type,
                format!("cannot index into {}", current.describe()),
            )
            .primary(name_span, current.describe()));
        };
        let specs = self.index_specs(items)?;
        let sel = select(target.shape(), &specs)
            .map_err(|(pos, e)| self.index_error(items, pos, target, e))?;
        let v = self.eval(value)?;
        let Value::Array(va) = &*v else {
            return Err(Diagnostic::error(
                ErrorKind::Type,
                format!("cannot store {} in an array", v.describe()),
            )
            .primary(value.span, v.describe()));
        };
        let mut updated = target.clone();
        scatter(&mut updated, &sel, va).map_err(|e| {
            let target_span = name_span.to(items.last().map_or(name_span, |i| i.span()));
            match e {
                AssignError::Shape {
                    value: vs,
                    target: ts,
                } => Diagnostic::error(
                    ErrorKind::Shape,
                    format!(
                        "cannot assign {} values to a {} selection",
                        shape_text(&vs),
                        shape_text(&ts)
                    ),
                )
                .secondary(target_span, shape_text(&ts))
                .primary(value.span, shape_text(&vs))
                .note("the value must broadcast to the shape of the selection"),
                AssignError::Cast(c) => {
                    let (msg, help) = cast_error_text(&c, target.dtype().name());
                    Diagnostic::error(ErrorKind::Type, msg)
                        .secondary(target_span, format!("{} array", target.dtype()))
                        .primary(value.span, va.dtype().name())
                        .help(format!(
                            "{help}; or convert the array first: {name} = {}({name})",
                            promote(target.dtype(), false, va.dtype(), false)
                        ))
                }
            }
        })?;
        let stored = Rc::new(Value::Array(updated));
        self.vars.insert(name.to_string(), stored.clone());
        Ok(Produced {
            name: Some(name.to_string()),
            value: stored,
        })
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, e: &Expr) -> EResult<Rc<Value>> {
        match &e.kind {
            ExprKind::Int(v) => Ok(arr(Array::scalar_int(*v))),
            ExprKind::Float(v) => Ok(arr(Array::scalar_f64(*v))),
            ExprKind::Imag(v) => Ok(arr(Array::scalar_c64(C64::new(0.0, *v)))),
            ExprKind::Str(s) => Ok(Rc::new(Value::Str(s.clone()))),
            ExprKind::Name(n) => self.lookup(n, e.span),
            ExprKind::Paren(inner) => self.eval(inner),
            ExprKind::Array(elems) => self.eval_array(elems, e.span),
            ExprKind::Unary {
                op,
                op_span,
                operand,
            } => {
                let v = self.eval(operand)?;
                let a = self.expect_array(&v, operand.span)?;
                arith::unary(*op, a).map(arr).map_err(|err| {
                    generic_error(op.symbol(), err)
                        .primary(*op_span, format!("prefix {}", op.symbol()))
                        .secondary(operand.span, v.describe())
                })
            }
            ExprKind::Binary { .. } => self.eval_binary_chain(e),
            ExprKind::Transpose { op_span, operand } => {
                let v = self.eval(operand)?;
                self.transpose(*op_span, operand, &v)
            }
            ExprKind::Index { target, items } => {
                let v = self.eval(target)?;
                let a = self.expect_array(&v, target.span)?;
                let specs = self.index_specs(items)?;
                let sel = select(a.shape(), &specs)
                    .map_err(|(pos, err)| self.index_error(items, pos, a, err))?;
                Ok(arr(gather(a, &sel)))
            }
            ExprKind::Call {
                name,
                name_span,
                args,
            } => self.call(name, *name_span, args, e.span),
        }
    }

    /// `'` applied to the value `v` of `operand`.
    fn transpose(&mut self, op_span: Span, operand: &Expr, v: &Value) -> EResult<Rc<Value>> {
        let a = self.expect_array(v, operand.span)?;
        // One note per chain: `x''` would otherwise repeat it.
        let chained = matches!(operand.kind, ExprKind::Transpose { .. });
        if a.ndim() < 2 && !chained {
            let kind = if a.ndim() == 0 {
                "a scalar"
            } else {
                "a vector"
            };
            let effect = if a.dtype() == DType::Complex128 {
                "only conjugates it"
            } else {
                "changes nothing"
            };
            let mut note = Diagnostic::warning(format!("`'` on {kind} {effect}"))
                .primary(op_span, "transpose")
                .secondary(operand.span, shape_text(a.shape()));
            note.severity = crate::diagnostic::Severity::Note;
            if a.ndim() == 1 {
                let t = super::errors::atom(self.text(operand.span));
                note = note
                            .note("a vector has one axis, so it has no orientation to swap")
                            .help(format!("for a column write reshape({t}, [{}, 1]); for a product of every pair, outer({t}, {t})", a.shape()[0]));
            }
            self.warnings.push(note);
        }
        Ok(arr(shape_ops::matrix_transpose(a, true)))
    }

    /// `a + b - c ...` is a left-leaning tree as deep as it is long; walk its
    /// left spine with a loop so only right operands recurse.
    fn eval_binary_chain(&mut self, e: &Expr) -> EResult<Rc<Value>> {
        let mut spine = Vec::new();
        let mut cur = e;
        let mut acc = loop {
            if let Some(v) = self.eval_fused(cur)? {
                break v;
            }
            match &cur.kind {
                ExprKind::Binary { lhs, .. } => {
                    spine.push(cur);
                    cur = lhs;
                }
                _ => break self.eval(cur)?,
            }
        };
        let mut acc_span = cur.span;
        for node in spine.into_iter().rev() {
            let ExprKind::Binary {
                op, op_span, rhs, ..
            } = &node.kind
            else {
                unreachable!("the spine holds binary nodes")
            };
            let r = self.eval(rhs)?;
            acc = self.binary_reusing(*op, *op_span, (acc, acc_span), (r, rhs.span))?;
            acc_span = node.span;
        }
        Ok(acc)
    }

    /// Shapes the evaluator runs as one kernel call: `x' @ y`, `x @ y'` (the
    /// transpose reaches the kernel as strides, not a copy) and `x * y + z`
    /// (one pass instead of two). `Ok(None)` when `e` is none of these;
    /// otherwise the same value and the same errors as the plain evaluation.
    fn eval_fused(&mut self, e: &Expr) -> EResult<Option<Rc<Value>>> {
        let ExprKind::Binary {
            op,
            op_span,
            lhs,
            rhs,
        } = &e.kind
        else {
            return Ok(None);
        };
        fn adjoint(x: &Expr) -> Option<(Span, &Expr)> {
            match &x.kind {
                ExprKind::Transpose { op_span, operand } => Some((*op_span, &**operand)),
                _ => None,
            }
        }
        match op {
            BinOp::MatMul if adjoint(lhs).is_some() || adjoint(rhs).is_some() => {
                // Evaluate each side; a transposed side keeps its untransposed
                // value when it has two or more axes (else `'` runs as usual).
                let mut side = |x: &Expr| -> EResult<(Rc<Value>, Option<Span>)> {
                    if let Some((t_span, operand)) = adjoint(x) {
                        let v = self.eval(operand)?;
                        if matches!(&*v, Value::Array(a) if a.ndim() >= 2) {
                            return Ok((v, Some(t_span)));
                        }
                        return Ok((self.transpose(t_span, operand, &v)?, None));
                    }
                    Ok((self.eval(x)?, None))
                };
                let (l, lt) = side(lhs)?;
                let (r, rt) = side(rhs)?;
                let (Value::Array(a), Value::Array(b)) = (&*l, &*r) else {
                    // Strings or tuples: let the plain path report them.
                    let l = self.adjoint_value(l, lt);
                    let r = self.adjoint_value(r, rt);
                    return self
                        .binary(*op, *op_span, (&l, lhs.span), (&r, rhs.span))
                        .map(Some);
                };
                match crate::ops::matmul::matmul_adjoint(
                    a,
                    lt.is_some(),
                    b,
                    rt.is_some(),
                    &self.exec,
                ) {
                    Ok(v) => Ok(Some(arr(v))),
                    Err(_) => {
                        // Rebuild the transposed operands for the diagnostic.
                        let l = self.adjoint_value(l, lt);
                        let r = self.adjoint_value(r, rt);
                        self.binary(*op, *op_span, (&l, lhs.span), (&r, rhs.span))
                            .map(Some)
                    }
                }
            }
            BinOp::Add => {
                let ExprKind::Binary {
                    op: BinOp::Mul,
                    op_span: mul_span,
                    lhs: x,
                    rhs: y,
                } = &lhs.kind
                else {
                    return Ok(None);
                };
                let xv = self.eval(x)?;
                let yv = self.eval(y)?;
                let candidate = matches!((&*xv, &*yv), (Value::Array(a), Value::Array(b)) if arith::mul_add_candidate(a, b));
                if candidate {
                    // `x * y` cannot fail, so evaluating `z` first changes
                    // neither the value nor which error is reported.
                    let zv = self.eval(rhs)?;
                    if let (Value::Array(a), Value::Array(b), Value::Array(c)) = (&*xv, &*yv, &*zv)
                        && let Some(r) = arith::mul_add(a, b, c, &self.exec)
                    {
                        return r
                            .map(|v| Some(arr(v)))
                            .map_err(|err| generic_error("+", err).primary(*op_span, "+"));
                    }
                    let xy = self.binary(BinOp::Mul, *mul_span, (&xv, x.span), (&yv, y.span))?;
                    return self
                        .binary_reusing(*op, *op_span, (xy, lhs.span), (zv, rhs.span))
                        .map(Some);
                }
                let xy = self.binary(BinOp::Mul, *mul_span, (&xv, x.span), (&yv, y.span))?;
                let zv = self.eval(rhs)?;
                self.binary_reusing(*op, *op_span, (xy, lhs.span), (zv, rhs.span))
                    .map(Some)
            }
            _ => Ok(None),
        }
    }

    /// `v'` when `t` holds the span of a `'` that `eval_fused` deferred.
    fn adjoint_value(&self, v: Rc<Value>, t: Option<Span>) -> Rc<Value> {
        match (t, &*v) {
            (Some(_), Value::Array(a)) => arr(shape_ops::matrix_transpose(a, true)),
            _ => v,
        }
    }

    /// `binary`, but an operand that is a temporary (no variable holds it)
    /// lends its buffer to the result when the dtype and shape allow.
    fn binary_reusing(
        &mut self,
        op: BinOp,
        op_span: Span,
        lhs: (Rc<Value>, Span),
        rhs: (Rc<Value>, Span),
    ) -> EResult<Rc<Value>> {
        let (mut l, mut r) = (lhs.0, rhs.0);
        if matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div) {
            for acc_left in [true, false] {
                let (acc, other) = if acc_left { (&mut l, &r) } else { (&mut r, &l) };
                if let (Some(Value::Array(a)), Value::Array(b)) = (Rc::get_mut(acc), &**other)
                    && let Some(done) = arith::binary_in_place(op, a, b, acc_left, &self.exec)
                {
                    return match done {
                        Ok(()) => Ok(if acc_left { l } else { r }),
                        Err(err) => {
                            Err(generic_error(op.symbol(), err).primary(op_span, op.symbol()))
                        }
                    };
                }
            }
        }
        self.binary(op, op_span, (&l, lhs.1), (&r, rhs.1))
    }

    fn binary(
        &mut self,
        op: BinOp,
        op_span: Span,
        lhs: (&Rc<Value>, Span),
        rhs: (&Rc<Value>, Span),
    ) -> EResult<Rc<Value>> {
        let a = self.expect_array(lhs.0, lhs.1)?;
        let b = self.expect_array(rhs.0, rhs.1)?;
        let mut warnings = Vec::new();
        let result = if op == BinOp::LeftDiv {
            crate::ops::linalg::solve_checked(a, b, &mut warnings, &self.exec)
        } else {
            arith::binary(op, a, b, &self.exec)
        };
        for w in &warnings {
            let span = lhs.1.to(rhs.1);
            self.warnings
                .push(builtins_linalg::near_singular("solve", span, w));
        }
        result.map(arr).map_err(|err| {
            let l = Operand {
                value: a,
                span: lhs.1,
                text: self.text(lhs.1),
            };
            let r = Operand {
                value: b,
                span: rhs.1,
                text: self.text(rhs.1),
            };
            binary_error(op, op_span, &l, &r, err)
        })
    }

    fn expect_array<'v>(&self, v: &'v Value, span: Span) -> EResult<&'v Array> {
        match v {
            Value::Array(a) => Ok(a),
            Value::Str(_) => Err(Diagnostic::error(
                ErrorKind::Type,
                "a string cannot be used as a number",
            )
            .primary(span, "string")
            .note(
                "strings are only for arguments such as dtype=\"float32\" or einsum's subscripts",
            )),
            Value::Tuple(p) => Err(Diagnostic::error(
                ErrorKind::Type,
                format!("this gives {} results; pick one or unpack them", p.len()),
            )
            .primary(span, v.describe())
            .help(format!(
                "unpack with {} = ...",
                (0..p.len())
                    .map(|i| format!("r{i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            Value::Nothing => Err(Diagnostic::error(
                ErrorKind::Type,
                "this expression has no value",
            )
            .primary(span, "gives nothing")),
        }
    }

    fn lookup(&self, name: &str, span: Span) -> EResult<Rc<Value>> {
        if let Some(v) = self.vars.get(name) {
            return Ok(v.clone());
        }
        let constant = match name {
            "pi" => Array::scalar_f64(std::f64::consts::PI),
            "e" => Array::scalar_f64(std::f64::consts::E),
            "inf" => Array::scalar_f64(f64::INFINITY),
            "nan" => Array::scalar_f64(f64::NAN),
            "true" => Array::scalar_bool(true),
            "false" => Array::scalar_bool(false),
            _ => return Err(self.unknown_name(name, span)),
        };
        Ok(arr(constant))
    }

    fn unknown_name(&self, name: &str, span: Span) -> Diagnostic {
        if builtins::find(name).is_some() {
            return Diagnostic::error(
                ErrorKind::Name,
                format!("`{name}` is a function, not a value"),
            )
            .primary(span, "function")
            .help(format!(
                "call it: {}",
                builtins::find(name).expect("found").signature
            ));
        }
        if name == "ans" {
            return Diagnostic::error(ErrorKind::Name, "`ans` is not defined yet")
                .primary(span, "no value shown so far")
                .note(
                    "ans holds the last value displayed by a statement that is not an assignment",
                );
        }
        // A value is expected here, so only values are suggested.
        let mut candidates: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        candidates.extend(CONSTANTS);
        let mut d = Diagnostic::error(ErrorKind::Name, format!("unknown name `{name}`"))
            .primary(span, "not defined");
        if let Some(best) = closest(name, candidates.into_iter()) {
            d = d.help(format!("did you mean `{best}`?"));
        } else if self.vars.is_empty() {
            d = d.note("the workspace is empty; define it first, e.g. x = [1, 2, 3]");
        }
        d
    }

    fn eval_array(&mut self, elems: &[Expr], span: Span) -> EResult<Rc<Value>> {
        if elems.is_empty() {
            return Ok(arr(Array::F64(ArrayD::zeros(IxDyn(&[0])))));
        }
        let mut values = Vec::with_capacity(elems.len());
        for el in elems {
            let v = self.eval(el)?;
            self.expect_array(&v, el.span)?;
            values.push(v);
        }
        let first = match &*values[0] {
            Value::Array(a) => a.shape().to_vec(),
            _ => unreachable!("checked above"),
        };
        let mut dtype = DType::Bool;
        for (i, v) in values.iter().enumerate() {
            let Value::Array(a) = &**v else {
                unreachable!()
            };
            if a.shape() != first.as_slice() {
                return Err(Diagnostic::error(
                    ErrorKind::Shape,
                    format!(
                        "ragged array literal: element {} has shape {} but element 1 has shape {}",
                        i + 1,
                        shape_text(a.shape()),
                        shape_text(&first)
                    ),
                )
                .primary(elems[i].span, shape_text(a.shape()))
                .secondary(elems[0].span, shape_text(&first))
                .note("every element (row) of an array literal must have the same shape"));
            }
            dtype = if i == 0 {
                a.dtype()
            } else {
                promote(dtype, false, a.dtype(), false)
            };
        }
        let mut shape = vec![values.len()];
        shape.extend(&first);
        limits::check_alloc(&shape, dtype, &self.limits)
            .map_err(|e| generic_error("array literal", e).primary(span, "too large"))?;
        let parts: Vec<Array> = values
            .iter()
            .map(|v| match &**v {
                Value::Array(a) => a.widen(dtype),
                _ => unreachable!(),
            })
            .collect();
        Ok(arr(stack_same(&parts, &shape)))
    }

    fn index_specs(&mut self, items: &[IndexItem]) -> EResult<Vec<IndexSpec>> {
        let mut specs = Vec::with_capacity(items.len());
        for item in items {
            specs.push(match item {
                IndexItem::Ellipsis(_) => IndexSpec::Ellipsis,
                IndexItem::Slice {
                    start, stop, step, ..
                } => IndexSpec::Slice {
                    start: self.slice_bound(start.as_ref())?,
                    stop: self.slice_bound(stop.as_ref())?,
                    step: self.slice_bound(step.as_ref())?,
                },
                IndexItem::Expr(e) => {
                    let v = self.eval(e)?;
                    let a = self.expect_array(&v, e.span)?;
                    match a {
                        Array::Bool(m) if m.ndim() > 0 => IndexSpec::Mask(m.clone()),
                        Array::Int(x) if x.ndim() == 0 => {
                            IndexSpec::Int(*x.iter().next().expect("0-d"))
                        }
                        Array::Int(x) => IndexSpec::IntArray(x.clone()),
                        Array::F64(x) if x.is_empty() => {
                            IndexSpec::IntArray(ArrayD::zeros(IxDyn(x.shape())))
                        }
                        _ => return Err(index_type_error(a, e.span)),
                    }
                }
            });
        }
        Ok(specs)
    }

    fn slice_bound(&mut self, e: Option<&Expr>) -> EResult<Option<i64>> {
        let Some(e) = e else { return Ok(None) };
        let v = self.eval(e)?;
        match &*v {
            Value::Array(Array::Int(x)) if x.ndim() == 0 => {
                Ok(Some(*x.iter().next().expect("0-d")))
            }
            Value::Array(a) => Err(index_type_error(a, e.span)),
            other => Err(self.expect_array(other, e.span).expect_err("not an array")),
        }
    }

    fn index_error(
        &self,
        items: &[IndexItem],
        pos: Option<usize>,
        target: &Array,
        err: crate::ops::OpError,
    ) -> Diagnostic {
        let span = pos.and_then(|p| items.get(p)).map_or_else(
            || {
                items.first().map_or(Span::default(), |f| {
                    f.span().to(items.last().expect("non-empty").span())
                })
            },
            |i| i.span(),
        );
        let label = match &err {
            crate::ops::OpError::Index { axis, len, .. } => format!("axis {axis} has length {len}"),
            _ => format!("indexing a {} array", shape_text(target.shape())),
        };
        generic_error("index", err).primary(span, label)
    }

    fn call(
        &mut self,
        name: &str,
        name_span: Span,
        args: &[Arg],
        span: Span,
    ) -> EResult<Rc<Value>> {
        let Some(builtin) = builtins::find(name) else {
            let mut d = Diagnostic::error(ErrorKind::Name, format!("unknown function `{name}`"))
                .primary(name_span, "not a built-in function");
            if let Some(best) = closest(name, builtins::names()) {
                d = d.help(format!(
                    "did you mean `{best}`? {}",
                    builtins::find(best).expect("found").signature
                ));
            }
            if self.vars.contains_key(name) {
                d = d.note(format!("`{name}` is a variable; index it with {name}[...]"));
            }
            return Err(d);
        };
        let mut pos = Vec::new();
        let mut kw = Vec::new();
        for a in args {
            let v = self.eval(&a.value)?;
            match &a.keyword {
                None => {
                    if !kw.is_empty() {
                        return Err(Diagnostic::error(
                            ErrorKind::Syntax,
                            "positional argument after a keyword argument",
                        )
                        .primary(a.value.span, "move this before the keyword arguments")
                        .note(format!("signature: {}", builtin.signature)));
                    }
                    pos.push((v, a.value.span));
                }
                Some((k, kspan)) => {
                    if !builtin.keywords.contains(&k.as_str()) {
                        let mut d = Diagnostic::error(
                            ErrorKind::Type,
                            format!("{name}: unknown keyword argument `{k}`"),
                        )
                        .primary(*kspan, "not a keyword of this function")
                        .note(format!("signature: {}", builtin.signature));
                        if let Some(best) = closest(k, builtin.keywords.iter().copied()) {
                            d = d.help(format!("did you mean `{best}`?"));
                        }
                        return Err(d);
                    }
                    if kw
                        .iter()
                        .any(|(n, ..): &(String, Span, Rc<Value>, Span)| n == k)
                    {
                        return Err(Diagnostic::error(
                            ErrorKind::Syntax,
                            format!("keyword argument `{k}` given twice"),
                        )
                        .primary(*kspan, "again here"));
                    }
                    kw.push((k.clone(), *kspan, v, a.value.span));
                }
            }
        }
        let call = Args {
            builtin,
            call_span: span,
            name_span,
            pos,
            kw,
            source: self.source.clone(),
            exec: self.exec.clone(),
            limits: self.limits,
        };
        if call.len() < builtin.min_args || call.len() > builtin.max_args {
            let expected = if builtin.min_args == builtin.max_args {
                format!("{}", builtin.min_args)
            } else if builtin.max_args == usize::MAX {
                format!("at least {}", builtin.min_args)
            } else {
                format!("{} to {}", builtin.min_args, builtin.max_args)
            };
            return Err(Diagnostic::error(
                ErrorKind::Type,
                format!(
                    "{name} takes {expected} positional argument{}, got {}",
                    if expected == "1" { "" } else { "s" },
                    call.len()
                ),
            )
            .primary(span, format!("{} given", call.len()))
            .note(format!("signature: {}", builtin.signature)));
        }
        (builtin.run)(self, &call).map(Rc::new)
    }
}

fn arr(a: Array) -> Rc<Value> {
    Rc::new(Value::Array(a))
}

fn check_assignable(name: &str, span: Span) -> EResult<()> {
    if RESERVED.contains(&name) {
        return Err(Diagnostic::error(
            ErrorKind::Syntax,
            format!("`{name}` is a constant and cannot be assigned"),
        )
        .primary(span, "constant"));
    }
    Ok(())
}

fn index_type_error(a: &Array, span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::Type,
        format!("indices must be integers or bool masks, not {}", a.dtype()),
    )
    .primary(span, format!("{} {}", shape_text(a.shape()), a.dtype()))
    .help("convert with int64(...) (it rounds toward zero), or build a mask with a comparison like A > 0")
}

/// Stacks equally shaped arrays, all already of one dtype, along a new
/// first axis.
fn stack_same(parts: &[Array], shape: &[usize]) -> Array {
    let n = shape.iter().product();
    macro_rules! collect {
        ($variant:ident) => {{
            let mut data = Vec::with_capacity(n);
            for p in parts {
                let Array::$variant(x) = p else {
                    unreachable!("parts were widened to one dtype")
                };
                data.extend(x.iter().copied());
            }
            Array::$variant(ArrayD::from_shape_vec(IxDyn(shape), data).expect("sizes match"))
        }};
    }
    match parts[0].dtype() {
        DType::Bool => collect!(Bool),
        DType::Int64 => collect!(Int),
        DType::Float32 => collect!(F32),
        DType::Float64 => collect!(F64),
        DType::Complex128 => collect!(C128),
    }
}

/// The candidate closest to `name` by edit distance, if close enough to be a
/// likely typo.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let len = name.chars().count();
    candidates
        // Cheap filter first: names of very different length cannot be close,
        // and it keeps a million-letter typo from costing seconds.
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, c)| d <= limit && c != name)
        .min_by_key(|&(d, c)| (d, c.len()))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_name_is_a_likely_typo_or_nothing() {
        let names = ["matrix", "vector", "A", "sum"];
        assert_eq!(closest("matrx", names.into_iter()), Some("matrix"));
        assert_eq!(closest("sun", names.into_iter()), Some("sum"));
        assert_eq!(closest("zzzzzz", names.into_iter()), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
