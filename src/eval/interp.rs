//! The tree walker: statements and expressions to values, with every failure
//! a `Diagnostic` that points into the source. A statement that fails leaves
//! the workspace exactly as it was.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use super::builtins;
use super::call::{Args, Ctx, EResult, Reads};
use super::errors::{
    Operand, atom, binary_error, cast_error_text, generic_error, needs_values, ragged_error,
};
use crate::diagnostic::{Diagnostic, ErrorKind, Origin, Rewrite};
use crate::kernel::Exec;
use crate::ops::broadcast::{broadcast_dims, known, stretched_both};
use crate::ops::index::{
    AssignError, IndexMeta, IndexSpec, assign_fits, gather, index_rule, scatter, select,
};
use crate::ops::limits::{self, Limits};
use crate::ops::random::Rng;
use crate::ops::{OpError, arith, literal, shape as shape_ops};
use crate::syntax::{Arg, BinOp, Expr, ExprKind, IndexItem, Span, Stmt, StmtKind};
use crate::value::{Array, C64, DType, Dim, Kind, Meta, Value, promote, shape_text};

/// Names that always mean the same value unless the workspace defines them.
/// `None` is Python's: "no value", for `axis=None` and `x[:, None]`.
pub const CONSTANTS: [&str; 7] = ["pi", "e", "inf", "nan", "true", "false", "None"];

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
    /// The checker's mode: every operation calls its rule, and only results
    /// of at most `SMALL` elements are computed (they are the sizes, axes
    /// and other constants later rules need); everything else, and anything
    /// random, is a shape-only value.
    pub shape_only: bool,
    /// The broadcast trap: allowed, a warning (the default) or an error.
    pub broadcast: BroadcastMode,
    /// How kernels run (threads, instruction set, cancel token) and the
    /// limits operations check: the session's configuration.
    pub exec: Exec,
    pub limits: Limits,
    /// How many symbolic sizes `dim` has declared (their order in products).
    dims_declared: u32,
    /// The user-defined functions of the workspace, and the calls running
    /// now with their locals (`functions.rs`).
    funcs: BTreeMap<String, Rc<UserFunction>>,
    frames: Vec<Frame>,
    /// What statements inside blocks and `disp` displayed, in order, with
    /// the warnings raised before each (the session drains it).
    pub shown: Vec<Shown>,
    /// Statements and loop iterations run since the entry began (the step
    /// budget), and the warnings already shown in it (a loop repeats them).
    steps: u64,
    warnings_checked: usize,
    seen_warnings: std::collections::HashSet<(String, Option<Span>)>,
    /// The name the current source is reported under, and that source as
    /// functions defined in it keep it.
    source_name: Rc<str>,
    origin: Option<Arc<Origin>>,
}

/// What to do when broadcasting stretches both operands along a length they
/// share (`--broadcast`, after JAX's `jax_numpy_rank_promotion`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BroadcastMode {
    Allow,
    #[default]
    Warn,
    Error,
}

/// In shape-only mode, results up to this many elements are computed.
const SMALL: usize = 64;

mod control;
mod fast;
mod functions;
mod indexing;
mod memory;
mod symbolic;

pub(crate) use symbolic::has_symbols;

use control::Flow;
pub use control::Shown;
use functions::Frame;
pub use functions::UserFunction;

/// What a statement produced: a value to show, under a name for
/// assignments. A statement that cannot display (silenced by `;`, or in a
/// function's body) keeps no name: nothing would show it.
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
            shape_only: false,
            broadcast: BroadcastMode::Warn,
            exec,
            limits,
            dims_declared: 0,
            funcs: BTreeMap::new(),
            frames: Vec::new(),
            shown: Vec::new(),
            steps: 0,
            warnings_checked: 0,
            seen_warnings: Default::default(),
            source_name: Rc::from("<input>"),
            origin: None,
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
        self.funcs.clear();
    }

    pub fn set_source(&mut self, source: Rc<str>) {
        self.source = source;
        self.origin = None;
    }

    /// The name the next sources are reported under (`lesson.la`), kept by
    /// the functions they define.
    pub fn set_source_name(&mut self, name: &str) {
        self.source_name = Rc::from(name);
        self.origin = None;
    }

    pub fn source_name(&self) -> Rc<str> {
        self.source_name.clone()
    }

    /// Starts a new entry: the step budget and the shown warnings start
    /// over.
    pub fn begin_entry(&mut self) {
        self.steps = 0;
        self.seen_warnings.clear();
    }

    fn text(&self, span: Span) -> &str {
        self.source.get(span.start..span.end).unwrap_or("?")
    }

    /// Runs one statement. Returns what it produced (assignments and `seed`
    /// produce something too; the caller decides what to display). A failed
    /// operation's candidate fixes are kept only if they make the whole
    /// statement work, checked with the rules alone.
    pub fn exec(&mut self, stmt: &Stmt) -> EResult<Produced> {
        let nothing = || Produced {
            name: None,
            value: Rc::new(Value::Nothing),
        };
        // The session takes the warnings after each statement.
        self.warnings_checked = 0;
        match &stmt.kind {
            StmtKind::Expr(_) | StmtKind::Assign { .. } | StmtKind::Unpack { .. } => {
                self.exec_simple(stmt)
            }
            // A top-level block displays its statements as it runs them.
            _ => match self.exec_flow(stmt, true)? {
                Flow::Next(p) if !stmt.is_block() => Ok(p),
                _ => Ok(nothing()),
            },
        }
    }

    /// Runs an expression, assignment or unpacking statement, with the
    /// failing operation's fixes checked against the whole statement.
    fn exec_simple(&mut self, stmt: &Stmt) -> EResult<Produced> {
        match self.exec_statement(stmt) {
            Err(mut d) if d.rewrites.is_some() => {
                let fixes: Vec<(String, u8)> = d
                    .rewrites
                    .take()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|r| Some((self.fix_in_context(stmt, r)?, r.rank)))
                    .collect();
                for (help, _) in super::errors::best_ranked(fixes, |f| f.1) {
                    d = d.help(help);
                }
                Err(d)
            }
            other => other,
        }
    }

    /// `rewrite` applied to the statement's expression, if the result then
    /// works as a whole: `x @ W' + b gives 10×4`.
    fn fix_in_context(&self, stmt: &Stmt, rewrite: &Rewrite) -> Option<String> {
        let value = match &stmt.kind {
            StmtKind::Expr(e) => e.span,
            StmtKind::Assign { value, .. } | StmtKind::Unpack { value, .. } => value.span,
            _ => return None,
        };
        let (r, src) = (rewrite.span, &*self.source);
        if r.start < value.start || r.end > value.end {
            return None;
        }
        let fixed = format!(
            "{}{}{}",
            src.get(value.start..r.start)?,
            rewrite.text,
            src.get(r.end..value.end)?
        );
        let program = crate::syntax::parse(&fixed, &self.limits.parse_limits()).ok()?;
        let [first] = program.statements.as_slice() else {
            return None;
        };
        let mut ev = self.shape_only_copy();
        if let Some(frame) = self.frames.last() {
            for (n, v) in &frame.locals {
                ev.vars.insert(n.clone(), Rc::new(v.shape_only()));
            }
        }
        ev.set_source(Rc::from(fixed.as_str()));
        let produced = ev.exec_statement(first).ok()?;
        let shape = match &*produced.value {
            Value::Array(a) => shape_text(a.shape()),
            Value::Shaped(m) => shape_text(&m.shape),
            _ => return None,
        };
        Some(format!("{fixed} gives {shape}"))
    }

    /// A scratch evaluator in the checker's mode over this workspace's
    /// metadata, with the same limits.
    pub fn shape_only_copy(&self) -> Evaluator {
        let mut ev = Evaluator::with_config(self.exec.single(), self.limits);
        ev.shape_only = true;
        ev.broadcast = BroadcastMode::Allow;
        ev.dims_declared = self.dims_declared;
        for (n, v) in &self.vars {
            ev.vars.insert(n.clone(), Rc::new(checker_value(v)));
        }
        ev.funcs = self.funcs.clone();
        ev
    }

    /// Whether what `stmt` produces can be displayed: not silenced, and
    /// not in a function's body.
    fn shows(&self, stmt: &Stmt) -> bool {
        !stmt.silent && self.frames.is_empty()
    }

    fn exec_statement(&mut self, stmt: &Stmt) -> EResult<Produced> {
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
                self.check_store(name, *name_span)?;
                let (v, stored) = match self.update_in_place(name, value)? {
                    Some(done) => done,
                    None => (self.eval(value)?, false),
                };
                if matches!(*v, Value::Nothing) {
                    return Err(Diagnostic::error(
                        ErrorKind::Type,
                        "this expression has no value to assign",
                    )
                    .primary(value.span, "gives nothing"));
                }
                if !stored {
                    self.store(name, v.clone());
                }
                Ok(Produced {
                    name: self.shows(stmt).then(|| name.clone()),
                    value: v,
                })
            }
            StmtKind::Assign {
                name,
                name_span,
                index: Some(items),
                value,
            } => self.assign_index(name, *name_span, items, value),
            StmtKind::Dim(items) => self.exec_dim(items),
            StmtKind::Unpack { names, value } => {
                for (n, s) in names {
                    check_assignable(n, *s)?;
                    self.check_store(n, *s)?;
                }
                let v = self.eval(value)?;
                if matches!(*v, Value::Unknown) {
                    for (n, _) in names {
                        self.store(n, v.clone());
                    }
                    return Ok(Produced {
                        name: None,
                        value: v,
                    });
                }
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
                    self.store(n, Rc::new(p.clone()));
                }
                Ok(Produced {
                    name: None,
                    value: v,
                })
            }
            _ => self.exec(stmt),
        }
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
                if matches!(*v, Value::Unknown) {
                    return Ok(v);
                }
                let fail = |err| {
                    generic_error(op.symbol(), err)
                        .primary(*op_span, format!("prefix {}", op.symbol()))
                        .secondary(operand.span, v.describe())
                };
                let m = self.meta_of(&v, operand.span)?;
                let mut predicted = Kind::Array(arith::unary_rule(*op, &m).map_err(fail)?);
                if let Some(Ok(other)) = m.other_dtype().map(|m| arith::unary_rule(*op, &m)) {
                    predicted = predicted.either(Kind::Array(other));
                }
                if !self.computes(&[&v], &predicted) {
                    return Ok(Rc::new(predicted.shaped()));
                }
                let a = self.expect_array(&v, operand.span)?;
                let result = arith::unary(*op, a).map(Value::Array).map_err(fail);
                verify(op.symbol(), &predicted, &result, *op_span)?;
                result.map(Rc::new)
            }
            ExprKind::Binary { .. } => self.eval_binary_chain(e),
            ExprKind::Transpose { op_span, operand } => {
                let v = self.eval(operand)?;
                self.transpose(*op_span, operand, &v)
            }
            ExprKind::Index { target, items } => {
                let v = self.eval(target)?;
                let vals = self.index_values(items)?;
                let metas = self.item_metas(&vals)?;
                if matches!(*v, Value::Unknown) {
                    return Ok(v);
                }
                // Several results index like a Python tuple: nonzero(x)[0].
                if let Value::Tuple(parts) = &*v {
                    return self.tuple_part(parts, &vals, items);
                }
                let m = self.meta_of(&v, target.span)?;
                let Some(metas) = metas else {
                    return Ok(Rc::new(Value::Unknown));
                };
                let shape = index_rule(&m.shape, &metas)
                    .map_err(|(pos, err)| self.index_error(items, pos, &m.shape, err))?;
                if let Some(size) = symbolic::index_sizes(&v, &vals) {
                    return Ok(Rc::new(size));
                }
                let predicted = Kind::Array(Meta {
                    shape,
                    dtype: m.dtype,
                    alt: m.alt,
                });
                let span = e.span;
                // The per-array cap applies to the offset table too (one
                // usize per element, as large as an int64 result).
                if let Kind::Array(m) = &predicted {
                    self.check_fits(&Kind::Array(m.retyped(DType::Int64)), "index", span)?;
                }
                // The offset table, and the copies made while it is built,
                // are temporaries beside the result: about three usize an
                // element at their peak.
                let scratch = match &predicted {
                    Kind::Array(m) => m.elements().unwrap_or(0).saturating_mul(24),
                    _ => 0,
                };
                self.admit_with(&predicted, scratch)
                    .map_err(|e| generic_error("index", e).primary(span, "too large"))?;
                let specs = match (&*v, Self::item_specs(&vals)) {
                    (Value::Array(_), Some(specs)) if self.computes(&[&v], &predicted) => specs,
                    _ => return Ok(Rc::new(predicted.shaped())),
                };
                let a = self.expect_array(&v, target.span)?;
                let sel = select(a.shape(), &specs)
                    .map_err(|(pos, err)| self.index_error(items, pos, &m.shape, err))?;
                let result = Ok(Value::Array(gather(a, &sel)));
                verify("index", &predicted, &result, span)?;
                result.map(Rc::new)
            }
            ExprKind::Call {
                name,
                name_span,
                args,
            } => self.call(name, *name_span, args, e.span),
        }
    }

    /// `'` applied to the value `v` of `operand`.
    fn transpose(&mut self, op_span: Span, operand: &Expr, v: &Rc<Value>) -> EResult<Rc<Value>> {
        if matches!(**v, Value::Unknown) {
            return Ok(v.clone());
        }
        let m = self.meta_of(v, operand.span)?;
        // One note per chain: `x''` would otherwise repeat it.
        let chained = matches!(operand.kind, ExprKind::Transpose { .. });
        if m.ndim() < 2 && !chained {
            let kind = if m.ndim() == 0 {
                "a scalar"
            } else {
                "a vector"
            };
            let effect = if m.dtype == DType::Complex128 {
                "only conjugates it"
            } else {
                "changes nothing"
            };
            let mut note = Diagnostic::remark(format!("`'` on {kind} {effect}"))
                .primary(op_span, "transpose")
                .secondary(operand.span, shape_text(&m.shape));
            if m.ndim() == 1 {
                let t = super::errors::atom(self.text(operand.span));
                note = note
                            .note("a vector has one axis, so it has no orientation to swap")
                            .help(format!("for a column write reshape({t}, [{}, 1]); for a product of every pair, outer({t}, {t})", m.shape[0]));
            }
            self.warnings.push(note);
        }
        let predicted = Kind::Array(arith::adjoint_rule(&m));
        self.check_fits(&predicted, "transpose", op_span)?;
        if !self.computes(&[v], &predicted) {
            return Ok(Rc::new(predicted.shaped()));
        }
        let a = self.expect_array(v, operand.span)?;
        let result = Ok(Value::Array(shape_ops::matrix_transpose(a, true)));
        verify("'", &predicted, &result, op_span)?;
        result.map(Rc::new)
    }

    /// `a + b - c ...` is a left-leaning tree as deep as it is long; walk its
    /// left spine with a loop so only right operands recurse.
    fn eval_binary_chain(&mut self, e: &Expr) -> EResult<Rc<Value>> {
        // One operator (`s + i`), the common case, keeps no spine.
        if let ExprKind::Binary {
            op,
            op_span,
            lhs,
            rhs,
        } = &e.kind
            && !matches!(lhs.kind, ExprKind::Binary { .. })
        {
            if let Some(v) = self.eval_fused(e)? {
                return Ok(v);
            }
            let l = self.eval(lhs)?;
            let r = self.eval(rhs)?;
            return self.binary_reusing(*op, *op_span, (l, lhs.span), (r, rhs.span));
        }
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
                // The rule sees the operands as written, transposes included.
                let side_meta = |x: &Array, t: Option<Span>| match t {
                    Some(_) => arith::adjoint_rule(&Meta::of(x)),
                    None => Meta::of(x),
                };
                let (ma, mb) = (side_meta(a, lt), side_meta(b, rt));
                let fail = |err| {
                    let l = Operand {
                        shape: ma.shape.clone(),
                        span: lhs.span,
                        text: self.text(lhs.span),
                    };
                    let r = Operand {
                        shape: mb.shape.clone(),
                        span: rhs.span,
                        text: self.text(rhs.span),
                    };
                    binary_error(*op, *op_span, &l, &r, err)
                };
                let predicted =
                    Kind::Array(crate::ops::matmul::matmul_rule(&ma, &mb).map_err(fail)?);
                self.check_fits(&predicted, "matmul", *op_span)?;
                if !self.computes(&[&l, &r], &predicted) {
                    return Ok(Some(Rc::new(predicted.shaped())));
                }
                let result = crate::ops::matmul::matmul_adjoint(
                    a,
                    lt.is_some(),
                    b,
                    rt.is_some(),
                    &self.exec,
                )
                .map(Value::Array)
                .map_err(fail);
                verify("@", &predicted, &result, *op_span)?;
                result.map(|v| Some(Rc::new(v)))
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
                        && arith::mul_add_applies(a, b, c)
                    {
                        // The fused kernel stands for `x * y` then `+ z`: both
                        // rules, and the second one's size check, come first.
                        let xy = self.predict_binary(
                            BinOp::Mul,
                            *mul_span,
                            (&xv, x.span),
                            (&yv, y.span),
                        )?;
                        let Kind::Array(xy) = xy else {
                            unreachable!("operators give arrays")
                        };
                        let predicted = arith::binary_rule(BinOp::Add, &xy, &Meta::of(c), None)
                            .map(Kind::Array)
                            .map_err(|err| generic_error("+", err).primary(*op_span, "+"))?;
                        self.check_fits(&predicted, "add", *op_span)?;
                        if !self.computes(&[&xv, &yv, &zv], &predicted) {
                            return Ok(Some(Rc::new(predicted.shaped())));
                        }
                        if let Some(r) = arith::mul_add(a, b, c, &self.exec) {
                            let result = r
                                .map(Value::Array)
                                .map_err(|err| generic_error("+", err).primary(*op_span, "+"));
                            verify("+", &predicted, &result, *op_span)?;
                            return result.map(|v| Some(Rc::new(v)));
                        }
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
        if let Some(v) = self.scalar_binary(op, &mut l, &mut r) {
            return Ok(v);
        }
        let mut predicted = None;
        if matches!((&*l, &*r), (Value::Array(_), Value::Array(_))) {
            // The in-place kernels skip `binary`, so the rule runs here.
            let p = self.predict_binary(op, op_span, (&l, lhs.1), (&r, rhs.1))?;
            if !self.computes(&[&l, &r], &p) {
                return Ok(Rc::new(p.shaped()));
            }
            predicted = Some(p);
        }
        if let Some(p) = &predicted
            && matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
        {
            for acc_left in [true, false] {
                let (acc, other) = if acc_left { (&mut l, &r) } else { (&mut r, &l) };
                if let (Some(Value::Array(a)), Value::Array(b)) = (Rc::get_mut(acc), &**other)
                    && let Some(done) = arith::binary_in_place(op, a, b, acc_left, &self.exec)
                {
                    if let Err(err) = done {
                        return Err(generic_error(op.symbol(), err).primary(op_span, op.symbol()));
                    }
                    let out = if acc_left { l } else { r };
                    if cfg!(debug_assertions) {
                        verify(op.symbol(), p, &Ok((*out).clone()), op_span)?;
                    }
                    return Ok(out);
                }
            }
        }
        self.binary_with(op, op_span, (&l, lhs.1), (&r, rhs.1), predicted)
    }

    fn binary(
        &mut self,
        op: BinOp,
        op_span: Span,
        lhs: (&Rc<Value>, Span),
        rhs: (&Rc<Value>, Span),
    ) -> EResult<Rc<Value>> {
        let (mut l, mut r) = (lhs.0.clone(), rhs.0.clone());
        if let Some(v) = self.scalar_binary(op, &mut l, &mut r) {
            return Ok(v);
        }
        self.binary_with(op, op_span, lhs, rhs, None)
    }

    /// `binary` with the rule's prediction when the caller already has it.
    fn binary_with(
        &mut self,
        op: BinOp,
        op_span: Span,
        lhs: (&Rc<Value>, Span),
        rhs: (&Rc<Value>, Span),
        predicted: Option<Kind>,
    ) -> EResult<Rc<Value>> {
        if matches!(**lhs.0, Value::Unknown) || matches!(**rhs.0, Value::Unknown) {
            for (v, span) in [lhs, rhs] {
                if !matches!(**v, Value::Unknown) {
                    self.meta_of(v, span)?;
                }
            }
            return Ok(Rc::new(Value::Unknown));
        }
        let predicted = match predicted {
            Some(p) => p,
            None => self.predict_binary(op, op_span, (lhs.0, lhs.1), (rhs.0, rhs.1))?,
        };
        if let Some(v) = self.size_arith(op, lhs.0, rhs.0) {
            return Ok(Rc::new(v));
        }
        if !self.computes(&[lhs.0, rhs.0], &predicted) {
            return Ok(Rc::new(predicted.shaped()));
        }
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
                .push(super::errors::near_singular("solve", span, w));
        }
        let result = result.map(Value::Array).map_err(|err| {
            let l = Operand::of(a, lhs.1, self.text(lhs.1));
            let r = Operand::of(b, rhs.1, self.text(rhs.1));
            binary_error(op, op_span, &l, &r, err)
        });
        verify(op.symbol(), &predicted, &result, op_span)?;
        result.map(Rc::new)
    }

    /// The rule of a binary operator for these operands (errors as
    /// diagnostics, the same as the kernel's would be), with the result's
    /// size checked against the limits.
    fn predict_binary(
        &mut self,
        op: BinOp,
        op_span: Span,
        lhs: (&Value, Span),
        rhs: (&Value, Span),
    ) -> EResult<Kind> {
        let ma = self.meta_of(lhs.0, lhs.1)?;
        let mb = self.meta_of(rhs.0, rhs.1)?;
        let nonneg = match rhs.0 {
            Value::Array(b) => arith::exponent_nonneg(b),
            _ => None,
        };
        let first = arith::binary_rule(op, &ma, &mb, nonneg);
        // An operand of two possible dtypes: the rule for the other one too
        // (either answer may be the values').
        let other = (ma.alt.is_some() || mb.alt.is_some()).then(|| {
            let oa = ma.other_dtype().unwrap_or_else(|| ma.clone());
            let ob = mb.other_dtype().unwrap_or_else(|| mb.clone());
            arith::binary_rule(op, &oa, &ob, nonneg)
        });
        let first = match (first, other) {
            (Ok(p), Some(Ok(q))) => match Kind::Array(p).either(Kind::Array(q)) {
                Kind::Array(m) => Ok(m),
                _ => unreachable!("either of two arrays is an array"),
            },
            (Err(_), Some(Ok(q))) => Ok(q),
            (first, _) => first,
        };
        let predicted = first.map_err(|err| {
            let l = Operand {
                shape: ma.shape.clone(),
                span: lhs.1,
                text: self.text(lhs.1),
            };
            let r = Operand {
                shape: mb.shape.clone(),
                span: rhs.1,
                text: self.text(rhs.1),
            };
            binary_error(op, op_span, &l, &r, err)
        })?;
        if !matches!(op, BinOp::MatMul | BinOp::LeftDiv)
            && self.broadcast != BroadcastMode::Allow
            && let Some(len) = stretched_both(&ma.shape, &mb.shape, &predicted.shape)
        {
            let d = self.broadcast_trap(op, op_span, (&ma, lhs.1), (&mb, rhs.1), &predicted, len);
            if self.broadcast == BroadcastMode::Error {
                return Err(d);
            }
            self.warnings.push(d);
        }
        let predicted = Kind::Array(predicted);
        self.check_fits(&predicted, op.name(), op_span)?;
        Ok(predicted)
    }

    /// The warning (or, with `--broadcast error`, the error) for a broadcast
    /// that stretched both operands along the shared length `len`, with the
    /// fixes that were checked to broadcast without the trap.
    fn broadcast_trap(
        &self,
        op: BinOp,
        op_span: Span,
        lhs: (&Meta, Span),
        rhs: (&Meta, Span),
        out: &Meta,
        len: Dim,
    ) -> Diagnostic {
        let (ls, rs) = (shape_text(&lhs.0.shape), shape_text(&rhs.0.shape));
        let message = format!(
            "{}: {ls} and {rs} broadcast to {}: both operands were stretched",
            op.name(),
            shape_text(&out.shape)
        );
        let mut d = match self.broadcast {
            BroadcastMode::Error => Diagnostic::error(ErrorKind::Shape, message),
            _ => Diagnostic::warning(message),
        }
        .secondary(lhs.1, ls)
        .primary(op_span, format!("gives {}", shape_text(&out.shape)))
        .secondary(rhs.1, rs)
        .note(format!(
            "both have an axis of length {len}, and broadcasting paired every one of those elements with every other instead of element by element"
        ));
        let (a, b) = (atom(self.text(lhs.1)), atom(self.text(rhs.1)));
        let fits = |x: &[Dim], y: &[Dim]| {
            broadcast_dims(x, y)
                .ok()
                .filter(|o| stretched_both(x, y, o).is_none())
        };
        let sym = op.symbol();
        // A column against a vector: make the vector a column, or the column
        // a vector.
        for (col, col_text, vec, vec_text, col_left) in
            [(lhs.0, &a, rhs.0, &b, true), (rhs.0, &b, lhs.0, &a, false)]
        {
            if col.ndim() == vec.ndim() + 1 && col.shape.last() == Some(&Dim::Known(1)) {
                let mut as_col = vec.shape.clone();
                as_col.push(Dim::Known(1));
                let dims = as_col
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                let reshaped = format!("reshape({vec_text}, [{dims}])");
                if let Some(o) = fits(&col.shape, &as_col) {
                    let text = if col_left {
                        format!("{col_text} {sym} {reshaped}")
                    } else {
                        format!("{reshaped} {sym} {col_text}")
                    };
                    d = d.help(format!("{text} gives {}", shape_text(&o)));
                }
                let as_vec = &col.shape[..col.ndim() - 1];
                let index = format!("{col_text}[..., 0]");
                if let Some(o) = fits(as_vec, &vec.shape) {
                    let text = if col_left {
                        format!("{index} {sym} {vec_text}")
                    } else {
                        format!("{vec_text} {sym} {index}")
                    };
                    d = d.help(format!("{text} gives {}", shape_text(&o)));
                }
            }
        }
        d.note("if every pairing is meant, say so with outer(...) or run with --broadcast allow")
    }

    /// An operand's metadata: that of an array or a shape-only value; any
    /// other value is the usual error.
    fn meta_of(&self, v: &Value, span: Span) -> EResult<Meta> {
        match v {
            Value::Array(a) => Ok(Meta::of(a)),
            Value::Shaped(m) => Ok(m.clone()),
            Value::Sizes(s) => Ok(s.meta()),
            other => self.expect_array(other, span).map(Meta::of),
        }
    }

    /// Whether an operation on these operands computes its numbers, or
    /// its rule's prediction stands for the result (a shape-only operand,
    /// or a result too large for the checker to compute).
    fn computes(&self, operands: &[&Value], predicted: &Kind) -> bool {
        operands
            .iter()
            .all(|v| !matches!(v, Value::Shaped(_) | Value::Sizes(_) | Value::Unknown))
            && (!self.shape_only || small(predicted))
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
            Value::Shaped(m) => Err(needs_values(m, span)),
            Value::Sizes(s) => Err(super::errors::needs_size_value(s, span)),
            Value::Picture(p) => Err(Diagnostic::error(
                ErrorKind::Type,
                format!("a {} cannot be used as a number", p.describe()),
            )
            .primary(span, p.describe())),
            Value::Unknown => Err(Diagnostic::error(
                ErrorKind::NeedsValues,
                "this needs numbers that are decided by values not computed",
            )
            .primary(span, "unknown")),
        }
    }

    fn lookup(&self, name: &str, span: Span) -> EResult<Rc<Value>> {
        if let Some(v) = self.read_var(name) {
            return Ok(v.clone());
        }
        let constant = match name {
            "pi" => Array::scalar_f64(std::f64::consts::PI),
            "e" => Array::scalar_f64(std::f64::consts::E),
            "inf" => Array::scalar_f64(f64::INFINITY),
            "nan" => Array::scalar_f64(f64::NAN),
            "true" => Array::scalar_bool(true),
            "false" => Array::scalar_bool(false),
            "None" => return Ok(Rc::new(Value::Nothing)),
            _ => return Err(self.unknown_name(name, span)),
        };
        Ok(arr(constant))
    }

    fn unknown_name(&self, name: &str, span: Span) -> Diagnostic {
        if let Some(f) = self.funcs.get(name) {
            return Diagnostic::error(
                ErrorKind::Name,
                format!("`{name}` is a function, not a value"),
            )
            .primary(span, "function")
            .help(format!("call it: {}", f.def.signature()));
        }
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
        if let Some(frame) = self.frames.last() {
            candidates.extend(frame.locals.keys().map(String::as_str));
        }
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
        let mut values = Vec::with_capacity(elems.len());
        let mut metas = Vec::with_capacity(elems.len());
        let mut unknown = false;
        for el in elems {
            let v = self.eval(el)?;
            match &*v {
                Value::Unknown => unknown = true,
                other => metas.push(self.meta_of(other, el.span)?),
            }
            values.push(v);
        }
        if unknown {
            return Ok(Rc::new(Value::Unknown));
        }
        if let Some(sizes) = symbolic::sizes_literal(&values) {
            return Ok(Rc::new(sizes));
        }
        let predicted = literal::literal_rule(&metas).map_err(|e| match e {
            OpError::Ragged {
                element,
                shape,
                first,
            } => ragged_error(element, &shape, &first, elems[element].span, elems[0].span),
            other => generic_error("array literal", other).primary(span, "here"),
        })?;
        let predicted = Kind::Array(predicted);
        self.admit(&predicted)
            .map_err(|e| generic_error("array literal", e).primary(span, "too large"))?;
        let refs: Vec<&Value> = values.iter().map(|v| &**v).collect();
        if !self.computes(&refs, &predicted) {
            return Ok(Rc::new(predicted.shaped()));
        }
        let Kind::Array(out) = &predicted else {
            unreachable!("a literal is an array")
        };
        let parts: Vec<&Array> = values
            .iter()
            .map(|v| self.expect_array(v, span))
            .collect::<EResult<_>>()?;
        let result = literal::stack(&parts, out)
            .map(Value::Array)
            .map_err(|e| generic_error("array literal", e).primary(span, "here"));
        verify("array literal", &predicted, &result, span)?;
        result.map(Rc::new)
    }

    fn call(
        &mut self,
        name: &str,
        name_span: Span,
        args: &[Arg],
        span: Span,
    ) -> EResult<Rc<Value>> {
        if let Some(f) = self.funcs.get(name) {
            let f = f.clone();
            return self.call_user(&f, name_span, args, span);
        }
        let Some(builtin) = builtins::find(name) else {
            let mut d = Diagnostic::error(ErrorKind::Name, format!("unknown function `{name}`"))
                .primary(name_span, "not a function");
            let mut names: Vec<&str> = builtins::names().collect();
            names.extend(self.funcs.keys().map(String::as_str));
            if let Some(best) = closest(name, names.into_iter()) {
                let signature = match self.funcs.get(best) {
                    Some(f) => f.def.signature(),
                    None => builtins::find(best).expect("found").signature.to_string(),
                };
                d = d.help(format!("did you mean `{best}`? {signature}"));
            }
            if self.read_var(name).is_some() {
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
                    // `**` in a table's keywords takes any name (savez's arrays).
                    if !builtin.keywords.contains(&k.as_str()) && !builtin.keywords.contains(&"**")
                    {
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
        let unknown = call
            .pos
            .iter()
            .map(|p| &p.0)
            .chain(call.kw.iter().map(|k| &k.2));
        if unknown.clone().any(|v| matches!(**v, Value::Unknown)) {
            return Ok(Rc::new(Value::Unknown));
        }
        let predicted = match either_rule(builtin.rule, &call) {
            Ok(k) => k,
            // A size or an axis that only the values would tell: the
            // checker goes on with an unknown result; evaluation says why.
            Err(d) if d.kind == ErrorKind::NeedsValues && self.shape_only => {
                return Ok(Rc::new(Value::Unknown));
            }
            Err(d) => return Err(d),
        };
        let scratch = memory::scratch_of(
            builtin.name,
            call.pos
                .iter()
                .map(|p| &*p.0)
                .chain(call.kw.iter().map(|k| &*k.2)),
        );
        self.admit_with(&predicted, scratch)
            .map_err(|e| call.op_err(e))?;
        let shaped = unknown
            .clone()
            .any(|v| matches!(**v, Value::Shaped(_) | Value::Sizes(_)));
        if (shaped && builtin.reads != Reads::Metadata)
            || (self.shape_only && (builtin.reads == Reads::World || !small(&predicted)))
        {
            return Ok(Rc::new(predicted.shaped()));
        }
        let mut displayed = Vec::new();
        let mut cx = Ctx {
            rng: &mut self.rng,
            timer: &mut self.timer,
            warnings: &mut self.warnings,
            displayed: &mut displayed,
        };
        let result = (builtin.run)(&mut cx, &call);
        for v in displayed {
            self.show(None, Rc::new(v));
        }
        verify(builtin.name, &predicted, &result, span)?;
        result.map(Rc::new)
    }

    /// Refuses a predicted result larger than the limits allow, before
    /// anything is allocated.
    fn check_fits(&self, predicted: &Kind, op: &str, span: Span) -> EResult<()> {
        self.admit(predicted)
            .map_err(|e| generic_error(op, e).primary(span, "too large"))
    }
}

/// A builtin's rule, run again with the other dtype of any argument that
/// may have two (`Args::other_dtypes`): the prediction is either answer, and
/// an error only when both runs refuse (the first run's).
fn either_rule(rule: fn(&Args) -> EResult<Kind>, call: &Args) -> EResult<Kind> {
    let first = rule(call);
    let Some(other) = call.other_dtypes() else {
        return first;
    };
    match (first, rule(&other)) {
        (Ok(p), Ok(q)) => Ok(p.either(q)),
        (Ok(p), Err(_)) => Ok(p),
        (Err(_), Ok(q)) => Ok(q),
        (Err(e), Err(_)) => Err(e),
    }
}

/// In debug builds (every test), a kernel's result must be what its rule
/// predicted, and a kernel may fail only for reasons the metadata cannot
/// know (values: overflow, a singular matrix, an index array out of range;
/// limits; Ctrl-C). Anything else is a rule out of step with its kernel.
fn verify(op: &str, predicted: &Kind, result: &EResult<Value>, span: Span) -> EResult<()> {
    if !cfg!(debug_assertions) {
        return Ok(());
    }
    let problem = match result {
        Ok(v) if !predicted.admits(v) => Some(format!(
            "the rule predicted {} but the result is {}",
            predicted.describe(),
            v.describe()
        )),
        Err(d)
            if matches!(
                d.kind,
                ErrorKind::Shape | ErrorKind::Type | ErrorKind::Name | ErrorKind::Syntax
            ) =>
        {
            Some(format!(
                "the rule accepted the operands but the kernel failed: {}",
                d.message
            ))
        }
        _ => None,
    };
    match problem {
        Some(p) => Err(
            Diagnostic::error(ErrorKind::Internal, format!("internal: {op}: {p}"))
                .primary(span, "rule and kernel disagree"),
        ),
        None => Ok(()),
    }
}

/// Whether every array of a predicted result fits the limits.
fn fits(predicted: &Kind, limits: &Limits) -> crate::ops::OpResult<()> {
    match predicted {
        Kind::Array(m) => limits::check_meta(m, limits),
        Kind::Tuple(parts) => parts.iter().try_for_each(|(_, p)| fits(p, limits)),
        Kind::Str | Kind::Nothing | Kind::Unknown | Kind::Picture(_) => Ok(()),
    }
}

/// Whether the checker may compute a result of this kind (small enough).
fn small(k: &Kind) -> bool {
    match k {
        Kind::Array(m) => m.elements().is_some_and(|n| n <= SMALL),
        Kind::Tuple(parts) => parts.iter().all(|(_, k)| small(k)),
        Kind::Str | Kind::Nothing => true,
        // The checker does not draw.
        Kind::Unknown | Kind::Picture(_) => false,
    }
}

/// A value as the checker's copy of the workspace holds it: small arrays
/// keep their numbers (they are sizes, axes and other constants), larger
/// ones only their shape and dtype.
pub(crate) fn checker_value(v: &Value) -> Value {
    match v {
        Value::Array(a) if a.len() <= SMALL => v.clone(),
        other => other.shape_only(),
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
