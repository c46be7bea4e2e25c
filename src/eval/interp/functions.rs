//! User-defined functions in the tree walker: a definition keeps its parsed
//! body (a call never parses again), a call binds arguments to parameters
//! (positional, keyword, defaults), runs the body in a frame of its own
//! locals under the recursion limit, and an error on the way out gains one
//! line of the call trace. Also the scope rules: a function reads the
//! workspace at call time and never assigns it.

use std::collections::BTreeMap;

use super::*;
use crate::diagnostic::TraceFrame;
use crate::syntax::{FunctionBody, FunctionDef};

/// Below this much stack left, a call continues on a fresh segment of
/// `STACK_SEGMENT` bytes (from the heap), so deep recursion ends at the
/// recursion limit, never in a stack overflow, on any thread.
const STACK_RED_ZONE: usize = 256 << 10;
const STACK_SEGMENT: usize = 8 << 20;

/// A function of the workspace.
#[derive(Debug)]
pub struct UserFunction {
    pub def: Arc<FunctionDef>,
    /// The text the definition was parsed from (its spans point into it).
    source: Rc<str>,
    /// The same, with the name it is reported under, for diagnostics.
    origin: Arc<Origin>,
}

/// One running call: its function and its local variables.
pub(super) struct Frame {
    pub(super) locals: BTreeMap<String, Rc<Value>>,
    func: Rc<UserFunction>,
    /// In the checker's mode, the values of `return`s on paths it could
    /// not decide; the result may be any of them.
    pub(super) returns: Vec<Rc<Value>>,
}

impl Frame {
    pub(super) fn func_origin(&self) -> Arc<Origin> {
        self.func.origin.clone()
    }

    pub(super) fn func_name(&self) -> &str {
        &self.func.def.name
    }
}

impl Evaluator {
    /// The user-defined functions, by name.
    pub fn functions(&self) -> &BTreeMap<String, Rc<UserFunction>> {
        &self.funcs
    }

    /// Replaces the user-defined functions (a scratch evaluator for hints).
    pub fn set_functions(&mut self, funcs: BTreeMap<String, Rc<UserFunction>>) {
        self.funcs = funcs;
    }

    pub fn remove_function(&mut self, name: &str) -> bool {
        self.funcs.remove(name).is_some()
    }

    /// A name's value in the current scope: the running call's locals
    /// first, then the workspace.
    pub(super) fn read_var(&self, name: &str) -> Option<&Rc<Value>> {
        if let Some(frame) = self.frames.last()
            && let Some(v) = frame.locals.get(name)
        {
            return Some(v);
        }
        self.vars.get(name)
    }

    /// The variables of the current scope (a call's locals, else the
    /// workspace).
    pub(super) fn scope(&self) -> &BTreeMap<String, Rc<Value>> {
        match self.frames.last() {
            Some(f) => &f.locals,
            None => &self.vars,
        }
    }

    pub(super) fn scope_mut(&mut self) -> &mut BTreeMap<String, Rc<Value>> {
        match self.frames.last_mut() {
            Some(f) => &mut f.locals,
            None => &mut self.vars,
        }
    }

    /// Whether `name` may be assigned here: not a function's name, and,
    /// inside a function, not a workspace variable (a function returns its
    /// results; it does not change the workspace behind the caller's back).
    pub(super) fn check_store(&self, name: &str, span: Span) -> EResult<()> {
        if self.funcs.contains_key(name) {
            return Err(Diagnostic::error(
                ErrorKind::Name,
                format!("`{name}` is a function; a variable cannot take its name"),
            )
            .primary(span, "function")
            .help(format!(
                "pick another name, or remove the function first with :clear {name}"
            )));
        }
        if let Some(frame) = self.frames.last()
            && !frame.locals.contains_key(name)
            && self.vars.contains_key(name)
        {
            return Err(Diagnostic::error(
                ErrorKind::Name,
                format!(
                    "`{name}` is a workspace variable; {} cannot assign it",
                    frame.func.def.name
                ),
            )
            .primary(span, "assigned inside a function")
            .note("a function reads workspace variables but cannot change them; its parameters and the variables it assigns are its own")
            .help(format!(
                "return the new value and assign it outside: {name} = {}(...), or give the local variable another name",
                frame.func.def.name
            )));
        }
        Ok(())
    }

    /// Assigns in the current scope (checked by `check_store`).
    pub(super) fn store(&mut self, name: &str, v: Rc<Value>) {
        store_in(self.scope_mut(), name, v);
    }

    /// Assigns a workspace variable, whatever scope is running (`ans`).
    pub fn store_workspace(&mut self, name: &str, v: Rc<Value>) {
        store_in(&mut self.vars, name, v);
    }

    /// `f(x) = ...` or `function f(x) ... end`: adds the function to the
    /// workspace, replacing one of the same name.
    pub(super) fn define(&mut self, def: &Arc<FunctionDef>) -> EResult<()> {
        let name = def.name.as_str();
        if let Some(b) = builtins::find(name) {
            return Err(Diagnostic::error(
                ErrorKind::Name,
                format!("`{name}` is a built-in function and cannot be redefined"),
            )
            .primary(def.name_span, "built-in")
            .note(format!("built-in: {}", b.signature))
            .note("built-ins keep their meaning, so that every lesson, :help and the shape checker agree on what a name does")
            .help(format!("pick another name, e.g. my_{name}")));
        }
        if RESERVED.contains(&name) || CONSTANTS.contains(&name) {
            return Err(Diagnostic::error(
                ErrorKind::Name,
                format!("`{name}` is a constant and cannot name a function"),
            )
            .primary(def.name_span, "constant"));
        }
        if self.vars.contains_key(name) {
            return Err(Diagnostic::error(
                ErrorKind::Name,
                format!("`{name}` is a variable; a function cannot take its name"),
            )
            .primary(def.name_span, "variable")
            .help(format!(
                "pick another name, or remove the variable first with :clear {name}"
            )));
        }
        let origin = match &self.origin {
            Some(o) => o.clone(),
            None => {
                let o = Arc::new(Origin {
                    name: self.source_name.to_string(),
                    text: self.source.to_string(),
                });
                self.origin = Some(o.clone());
                o
            }
        };
        self.funcs.insert(
            def.name.clone(),
            Rc::new(UserFunction {
                def: def.clone(),
                source: self.source.clone(),
                origin,
            }),
        );
        Ok(())
    }

    /// Calls a user-defined function: arguments are evaluated in the
    /// caller's scope, the body in a frame of its own.
    pub(super) fn call_user(
        &mut self,
        f: &Rc<UserFunction>,
        name_span: Span,
        args: &[Arg],
        span: Span,
    ) -> EResult<Rc<Value>> {
        let def = &*f.def;
        let signature = || format!("signature: {}", def.signature());
        let given = args.iter().filter(|a| a.keyword.is_none()).count();
        if given > def.params.len() {
            let n = def.params.len();
            return Err(Diagnostic::error(
                ErrorKind::Type,
                format!(
                    "{} takes {n} argument{}, got {given}",
                    def.name,
                    if n == 1 { "" } else { "s" }
                ),
            )
            .primary(span, format!("{given} given"))
            .note(signature()));
        }
        let mut bound: Vec<Option<Rc<Value>>> = vec![None; def.params.len()];
        let mut positional = 0;
        let mut seen_keyword = false;
        for a in args {
            let v = self.eval(&a.value)?;
            match &a.keyword {
                None => {
                    if seen_keyword {
                        return Err(Diagnostic::error(
                            ErrorKind::Syntax,
                            "positional argument after a keyword argument",
                        )
                        .primary(a.value.span, "move this before the keyword arguments")
                        .note(signature()));
                    }
                    bound[positional] = Some(v);
                    positional += 1;
                }
                Some((k, kspan)) => {
                    seen_keyword = true;
                    let Some(i) = def.params.iter().position(|p| &p.name == k) else {
                        let mut d = Diagnostic::error(
                            ErrorKind::Type,
                            format!("{}: unknown keyword argument `{k}`", def.name),
                        )
                        .primary(*kspan, "not a parameter of this function")
                        .note(signature());
                        if let Some(best) = closest(k, def.params.iter().map(|p| p.name.as_str())) {
                            d = d.help(format!("did you mean `{best}`?"));
                        }
                        return Err(d);
                    };
                    if bound[i].is_some() {
                        return Err(Diagnostic::error(
                            ErrorKind::Type,
                            format!("{}: argument `{k}` given twice", def.name),
                        )
                        .primary(*kspan, "again here")
                        .note(signature()));
                    }
                    bound[i] = Some(v);
                }
            }
        }
        if let Some(p) = def
            .params
            .iter()
            .zip(&bound)
            .find(|(p, b)| b.is_none() && p.default.is_none())
            .map(|(p, _)| p)
        {
            return Err(Diagnostic::error(
                ErrorKind::Type,
                format!("{}: missing argument `{}`", def.name, p.name),
            )
            .primary(span, format!("no value for `{}`", p.name))
            .note(signature()));
        }
        let active = self.frames.iter().any(|fr| Rc::ptr_eq(&fr.func, f));
        // The checker follows a recursive call only while its arguments are
        // known: with shape-only arguments it could never tell when the
        // recursion ends, so the result is unknown.
        if self.shape_only
            && active
            && bound
                .iter()
                .flatten()
                .any(|v| matches!(**v, Value::Shaped(_) | Value::Unknown))
        {
            return Ok(Rc::new(Value::Unknown));
        }
        if self.frames.len() >= self.limits.max_recursion {
            return Err(Diagnostic::error(
                ErrorKind::Limit,
                format!(
                    "more than {} nested calls (--max-recursion)",
                    self.limits.max_recursion
                ),
            )
            .primary(span, format!("call {}", self.frames.len() + 1))
            .note(if active {
                format!("{} keeps calling itself without returning", def.name)
            } else {
                "the calls nest deeper than the limit allows".to_string()
            })
            .help("check the condition that ends the recursion, or raise the limit with --max-recursion N"));
        }
        self.tick(name_span)?;
        let mut locals = BTreeMap::new();
        for (p, b) in def.params.iter().zip(&bound) {
            if let Some(v) = b {
                locals.insert(p.name.clone(), v.clone());
            }
        }
        let saved = std::mem::replace(&mut self.source, f.source.clone());
        self.frames.push(Frame {
            locals,
            func: f.clone(),
            returns: Vec::new(),
        });
        let first_warning = self.warnings.len();
        let result = stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            self.run_body(def, &mut bound)
        });
        let frame = self.frames.pop().expect("pushed above");
        self.source = saved;
        let first_warning = first_warning.min(self.warnings.len());
        for w in &mut self.warnings[first_warning..] {
            w.set_origin(&f.origin);
        }
        let result = result.map(|v| {
            frame
                .returns
                .iter()
                .fold(v, |acc, r| super::control::merge_values(&acc, r))
        });
        result.map_err(|d| self.traced(d, f, span, &bound))
    }

    /// The defaults of the parameters not given, then the body.
    fn run_body(
        &mut self,
        def: &FunctionDef,
        bound: &mut [Option<Rc<Value>>],
    ) -> EResult<Rc<Value>> {
        for (p, b) in def.params.iter().zip(bound.iter_mut()) {
            if b.is_none()
                && let Some(default) = &p.default
            {
                let v = self.eval(default)?;
                self.store(&p.name, v.clone());
                *b = Some(v);
            }
        }
        match &def.body {
            FunctionBody::Expr(e) => self.eval(e),
            FunctionBody::Block(body) => Ok(match self.exec_block(body, false)? {
                Flow::Return(v) => v,
                Flow::Next(p) => p.value,
                Flow::Break | Flow::Continue => Rc::new(Value::Nothing),
            }),
        }
    }

    /// An error leaving a call: its labels point into the function's
    /// source, and the call joins the trace.
    fn traced(
        &self,
        mut d: Diagnostic,
        f: &UserFunction,
        span: Span,
        bound: &[Option<Rc<Value>>],
    ) -> Diagnostic {
        d.set_origin(&f.origin);
        let names: Vec<&str> = f.def.params.iter().map(|p| p.name.as_str()).collect();
        let args: Vec<String> = f
            .def
            .params
            .iter()
            .zip(bound)
            .filter_map(|(p, b)| Some(format!("{}: {}", p.name, b.as_ref()?.describe())))
            .collect();
        d.push_call(TraceFrame {
            call: format!("{}({})", f.def.name, names.join(", ")),
            args: args.join(", "),
            span,
            origin: self.frames.last().map(|fr| fr.func.origin.clone()),
        });
        d
    }
}

/// Assigns `name` in `scope`; a name already there keeps its key, so a
/// loop's assignments allocate no new name each time.
fn store_in(scope: &mut BTreeMap<String, Rc<Value>>, name: &str, v: Rc<Value>) {
    match scope.get_mut(name) {
        Some(slot) => *slot = v,
        None => {
            scope.insert(name.to_string(), v);
        }
    }
}
