//! Blocks in the tree walker: statement lists (with what they display),
//! `if`, `for`, `while`, `break`, `continue`, `return`, conditions, the step
//! budget and Ctrl-C between statements and iterations. In the checker's
//! mode a condition it cannot know checks every branch, and a loop whose
//! trip count it cannot know (or that runs long) checks its body once; the
//! variables the branches or the body change in shape become unknown.

use std::collections::BTreeMap;

use super::*;

/// In the checker's mode, a loop runs at most this many iterations for
/// real (its values known); then it is taken as done and what its body
/// changes becomes unknown, so checking never hangs.
const CHECK_ITERATIONS: usize = 64;

/// Something displayed during a statement, in order.
pub enum Shown {
    Value(Produced),
    Warning(Diagnostic),
}

/// How a statement ended.
pub(super) enum Flow {
    /// Normally, with what it produced (the last statement of a block).
    Next(Produced),
    Break,
    Continue,
    Return(Rc<Value>),
}

/// What a condition says.
enum Truth {
    Known(bool),
    /// The checker does not know the value.
    Unknown,
}

fn nothing() -> Produced {
    Produced {
        name: None,
        value: Rc::new(Value::Nothing),
    }
}

impl Evaluator {
    /// Displays a value now (a statement in a top-level block, `disp`),
    /// after the warnings raised before it.
    pub(super) fn show(&mut self, name: Option<String>, value: Rc<Value>) {
        self.flush_warnings();
        self.shown.push(Shown::Value(Produced { name, value }));
    }

    /// Moves the pending warnings to the display, each at most once per
    /// entry (a loop would repeat them).
    fn flush_warnings(&mut self) {
        self.dedupe_warnings();
        let origin = self.frames.last().map(|f| f.func_origin());
        self.warnings_checked = 0;
        for mut w in self.warnings.drain(..) {
            if let Some(o) = &origin {
                w.set_origin(o);
            }
            self.shown.push(Shown::Warning(w));
        }
    }

    /// Drops the warnings already raised in this entry at the same place.
    fn dedupe_warnings(&mut self) {
        if self.warnings.is_empty() {
            return;
        }
        let func = self.frames.last().map(|f| f.func_name().to_string());
        let seen = &mut self.seen_warnings;
        let checked = self.warnings_checked.min(self.warnings.len());
        let mut k = 0;
        self.warnings.retain(|w| {
            k += 1;
            if k <= checked {
                return true;
            }
            let key = (
                format!("{}\u{0}{}", func.as_deref().unwrap_or(""), w.message),
                w.location(),
            );
            seen.insert(key)
        });
        self.warnings_checked = self.warnings.len();
    }

    /// One step of the budget, and the place where Ctrl-C is noticed.
    pub(super) fn tick(&mut self, span: Span) -> EResult<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(Diagnostic::error(
                ErrorKind::Limit,
                format!(
                    "more than {} statements and iterations in one entry (--max-steps)",
                    self.limits.max_steps
                ),
            )
            .primary(span, "stopped here")
            .help("check the loop's condition, or raise the budget with --max-steps N"));
        }
        if self.exec.cancel().is_requested() {
            return Err(
                Diagnostic::error(ErrorKind::Interrupted, "interrupted").primary(span, "here")
            );
        }
        Ok(())
    }

    /// Runs one statement of any kind; `display` is whether statements
    /// display as at the top level.
    pub(super) fn exec_flow(&mut self, stmt: &Stmt, display: bool) -> EResult<Flow> {
        match &stmt.kind {
            StmtKind::Expr(_)
            | StmtKind::Assign { .. }
            | StmtKind::Unpack { .. }
            | StmtKind::Dim(_) => {
                let produced = self.exec_simple(stmt)?;
                if display && !stmt.silent && !matches!(*produced.value, Value::Nothing) {
                    if produced.name.is_none() {
                        // `ans` shares the value: nothing can change it in
                        // place while another name holds it.
                        self.store_workspace("ans", produced.value.clone());
                    }
                    self.show(produced.name.clone(), produced.value.clone());
                }
                Ok(Flow::Next(produced))
            }
            StmtKind::Function(def) => {
                self.define(def)?;
                Ok(Flow::Next(nothing()))
            }
            StmtKind::If {
                branches,
                otherwise,
            } => self.exec_if(branches, otherwise.as_deref(), display),
            StmtKind::For {
                var,
                var_span,
                iter,
                body,
            } => self.exec_for(var, *var_span, iter, body, display),
            StmtKind::While { cond, body } => self.exec_while(cond, body, display),
            StmtKind::Break => Ok(Flow::Break),
            StmtKind::Continue => Ok(Flow::Continue),
            StmtKind::Return(value) => Ok(Flow::Return(match value {
                Some(e) => self.eval(e)?,
                None => Rc::new(Value::Nothing),
            })),
        }
    }

    /// Runs statements in order until one breaks, continues or returns.
    pub(super) fn exec_block(&mut self, body: &[Stmt], display: bool) -> EResult<Flow> {
        // `nothing()` allocates, so an iteration's block makes it only
        // when it has no statement.
        let mut last = None;
        for stmt in body {
            self.tick(stmt.span)?;
            // A running sum or counter that displays nothing: the scalar
            // path's shortcut (`fast.rs`), else the statement as usual.
            if (!display || stmt.silent)
                && let Some(p) = self.exec_scalar_update(stmt)?
            {
                last = Some(p);
                continue;
            }
            let flow = self.exec_flow(stmt, display)?;
            self.dedupe_warnings();
            match flow {
                Flow::Next(p) => last = Some(p),
                other => return Ok(other),
            }
        }
        Ok(Flow::Next(last.unwrap_or_else(nothing)))
    }

    /// A condition: one bool or number (a one-element array too).
    fn truth(&mut self, cond: &Expr, keyword: &str) -> EResult<Truth> {
        let v = self.eval(cond)?;
        let many = |shape: String, dtype: String| {
            Diagnostic::error(
                ErrorKind::Type,
                format!("the condition of `{keyword}` is a {shape} {dtype} array, not one value"),
            )
            .primary(cond.span, format!("{shape} {dtype}"))
            .note("a condition must be a single bool or number (or an array with one element)")
            .help(format!(
                "any(...) is true when some element is: {keyword} any({})",
                self.text(cond.span)
            ))
            .help(format!(
                "all(...) is true when every element is: {keyword} all({})",
                self.text(cond.span)
            ))
        };
        match &*v {
            Value::Array(a) if a.len() == 1 => Ok(Truth::Known(
                a.first_c64().is_some_and(|z| z != C64::new(0.0, 0.0)),
            )),
            Value::Array(a) => Err(many(shape_text(a.shape()), a.dtype().to_string())),
            // Evaluating, a condition needs its number: a shape-only value
            // (built from sizes without values) has none.
            Value::Shaped(m) if !self.shape_only && m.elements().is_none_or(|n| n == 1) => {
                Err(super::needs_values(m, cond.span))
            }
            Value::Sizes(s) if !self.shape_only => {
                Err(super::super::errors::needs_size_value(s, cond.span))
            }
            Value::Sizes(_) => Ok(Truth::Unknown),
            Value::Shaped(m) => match m.elements() {
                Some(1) | None => Ok(Truth::Unknown),
                Some(_) => Err(many(shape_text(&m.shape), m.dtype.to_string())),
            },
            Value::Unknown => Ok(Truth::Unknown),
            other => Err(Diagnostic::error(
                ErrorKind::Type,
                format!(
                    "the condition of `{keyword}` must be a bool or a number, not {}",
                    other.describe()
                ),
            )
            .primary(cond.span, other.describe())),
        }
    }

    fn exec_if(
        &mut self,
        branches: &[(Expr, Vec<Stmt>)],
        otherwise: Option<&[Stmt]>,
        display: bool,
    ) -> EResult<Flow> {
        // The bodies that may run: one when every condition is known.
        let mut possible: Vec<&[Stmt]> = Vec::new();
        let mut decided = false;
        for (k, (cond, body)) in branches.iter().enumerate() {
            match self.truth(cond, if k == 0 { "if" } else { "elseif" })? {
                Truth::Known(true) => {
                    possible.push(body);
                    decided = true;
                    break;
                }
                Truth::Known(false) => {}
                Truth::Unknown => possible.push(body),
            }
        }
        if !decided {
            possible.push(otherwise.unwrap_or(&[]));
        }
        if let [only] = possible.as_slice() {
            return self.exec_block(only, display);
        }
        // The checker's mode: every possible body from the same start.
        let before = self.scope().clone();
        let mut ends = Vec::new();
        for body in possible {
            *self.scope_mut() = before.clone();
            let flow = self.exec_block(body, display)?;
            ends.push((flow, self.scope().clone()));
        }
        self.join(ends)
    }

    /// After the checker ran several possible bodies: the variables as
    /// they may be after any that carries on, and the returns recorded.
    fn join(&mut self, ends: Vec<(Flow, BTreeMap<String, Rc<Value>>)>) -> EResult<Flow> {
        let all_return = ends.iter().all(|(f, _)| matches!(f, Flow::Return(_)));
        let mut scopes = Vec::new();
        let mut returned: Option<Rc<Value>> = None;
        for (flow, scope) in ends {
            match flow {
                Flow::Return(v) => {
                    returned = Some(match returned {
                        Some(r) => merge_values(&r, &v),
                        None => v,
                    });
                    if all_return {
                        scopes.push(scope);
                    }
                }
                _ => scopes.push(scope),
            }
        }
        let merged = scopes
            .into_iter()
            .reduce(|a, b| merge_scopes(&a, &b))
            .unwrap_or_default();
        *self.scope_mut() = merged;
        match returned {
            Some(v) if all_return => Ok(Flow::Return(v)),
            Some(v) => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.returns.push(v);
                }
                Ok(Flow::Next(nothing()))
            }
            None => Ok(Flow::Next(nothing())),
        }
    }

    fn exec_for(
        &mut self,
        var: &str,
        var_span: Span,
        iter: &Expr,
        body: &[Stmt],
        display: bool,
    ) -> EResult<Flow> {
        check_assignable(var, var_span)?;
        self.check_store(var, var_span)?;
        let v = self.eval(iter)?;
        let label = format!("for {var}");
        let scalar = || {
            Diagnostic::error(
                ErrorKind::Type,
                "a for loop runs over the first axis of an array, and a scalar has none",
            )
            .primary(iter.span, "scalar")
            .help(format!(
                "to count, loop over arange: for {var} in arange({})",
                self.text(iter.span)
            ))
        };
        match &*v {
            Value::Array(a) => {
                if a.ndim() == 0 {
                    return Err(scalar());
                }
                let n = a.shape()[0];
                let before = self.shape_only.then(|| self.scope().clone());
                for k in 0..n {
                    if self.shape_only && k == CHECK_ITERATIONS {
                        self.give_up_loop(before.as_ref().expect("kept in shape-only mode"));
                        break;
                    }
                    let step = self.tick(iter.span).and_then(|()| {
                        self.bind_row(var, a, k);
                        self.exec_block(body, display)
                    });
                    match step {
                        Ok(Flow::Break) => break,
                        Ok(Flow::Return(v)) => return Ok(Flow::Return(v)),
                        Ok(_) => {}
                        Err(d) => return Err(self.stopped_in(d, k + 1, &label)),
                    }
                }
                Ok(Flow::Next(nothing()))
            }
            Value::Shaped(m) => {
                if m.ndim() == 0 {
                    return Err(scalar());
                }
                let row = Meta::with_dims(m.shape[1..].to_vec(), m.dtype);
                self.check_once(body, display, Some((var, Value::Shaped(row))))
            }
            Value::Unknown => self.check_once(body, display, Some((var, Value::Unknown))),
            other => Err(Diagnostic::error(
                ErrorKind::Type,
                format!("a for loop runs over an array, not {}", other.describe()),
            )
            .primary(iter.span, other.describe())),
        }
    }

    fn exec_while(&mut self, cond: &Expr, body: &[Stmt], display: bool) -> EResult<Flow> {
        let before = self.shape_only.then(|| self.scope().clone());
        let mut k = 0;
        loop {
            if self.shape_only && k == CHECK_ITERATIONS {
                self.give_up_loop(before.as_ref().expect("kept in shape-only mode"));
                break;
            }
            k += 1;
            let step = self
                .tick(cond.span)
                .and_then(|()| self.truth(cond, "while"));
            let step = match step {
                Ok(Truth::Known(false)) => break,
                Ok(Truth::Known(true)) => self.exec_block(body, display),
                Ok(Truth::Unknown) => return self.check_once(body, display, None),
                Err(d) => Err(d),
            };
            match step {
                Ok(Flow::Break) => break,
                Ok(Flow::Return(v)) => return Ok(Flow::Return(v)),
                Ok(_) => {}
                Err(d) => return Err(self.stopped_in(d, k, "while")),
            }
        }
        Ok(Flow::Next(nothing()))
    }

    /// The checker's pass over a loop body it cannot count: once, from the
    /// state before; afterwards each variable is what it was if the body
    /// keeps its shape and dtype, else unknown.
    fn check_once(
        &mut self,
        body: &[Stmt],
        display: bool,
        var: Option<(&str, Value)>,
    ) -> EResult<Flow> {
        let before = self.scope().clone();
        if let Some((name, v)) = var {
            self.store(name, Rc::new(v));
        }
        let flow = self.exec_block(body, display)?;
        let after = self.scope().clone();
        *self.scope_mut() = merge_scopes(&before, &after);
        if let (Flow::Return(v), Some(frame)) = (flow, self.frames.last_mut()) {
            frame.returns.push(v);
        }
        Ok(Flow::Next(nothing()))
    }

    /// The checker stops following a long loop: what its body changed is
    /// no longer known exactly.
    fn give_up_loop(&mut self, before: &BTreeMap<String, Rc<Value>>) {
        let after = self.scope().clone();
        let mut merged = merge_scopes(before, &after);
        for (name, v) in merged.iter_mut() {
            if before
                .get(name)
                .is_none_or(|b| !Rc::ptr_eq(b, &after[name]))
            {
                *v = Rc::new(Value::Unknown);
            }
        }
        *self.scope_mut() = merged;
    }

    /// An error or Ctrl-C inside a top-level loop says in which iteration
    /// it stopped (what earlier statements assigned is kept).
    fn stopped_in(&self, mut d: Diagnostic, iteration: usize, label: &str) -> Diagnostic {
        if !self.frames.is_empty() {
            return d;
        }
        let place = format!("iteration {iteration} of `{label}`");
        if d.kind == ErrorKind::Interrupted {
            d.message = if d.message == "interrupted" {
                format!("interrupted in {place}")
            } else {
                format!("{}, in {place}", d.message)
            };
        } else {
            d = d.note(format!(
                "stopped in {place}; what the statements before it assigned is kept"
            ));
        }
        d
    }
}

/// One value for a variable that may be either: the same value, else its
/// shape and dtype when they agree, else unknown.
pub(super) fn merge_values(a: &Rc<Value>, b: &Rc<Value>) -> Rc<Value> {
    if Rc::ptr_eq(a, b) {
        return a.clone();
    }
    match (&**a, &**b) {
        (Value::Array(x), Value::Array(y)) if x == y => a.clone(),
        _ => {
            let (ka, kb) = (Kind::of(a), Kind::of(b));
            if ka == kb && matches!(ka, Kind::Array(_)) {
                Rc::new(ka.shaped())
            } else {
                Rc::new(Value::Unknown)
            }
        }
    }
}

/// The variables after either of two paths; a name only one path assigns
/// keeps that path's value (the checker assumes the path that assigns it).
fn merge_scopes(
    a: &BTreeMap<String, Rc<Value>>,
    b: &BTreeMap<String, Rc<Value>>,
) -> BTreeMap<String, Rc<Value>> {
    let mut out = a.clone();
    for (name, vb) in b {
        let v = match a.get(name) {
            Some(va) => merge_values(va, vb),
            None => vb.clone(),
        };
        out.insert(name.clone(), v);
    }
    out
}
