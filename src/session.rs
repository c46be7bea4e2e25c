//! One workspace: source text in, outcomes out (values to show, diagnostics).
//! Every front end (script runner, prompt, tests) goes through here. A
//! session owns its configuration (limits, threads, kernel choice, cancel
//! token), so sessions in one process never affect each other.

use std::rc::Rc;

use crate::diagnostic::{Diagnostic, ErrorKind, Severity};
use crate::eval::shadow::{Shadow, gives_dim_a_value};
use crate::eval::{Evaluator, Shown};
use crate::kernel::{CancelToken, Exec};
use crate::ops::limits::Limits;
use crate::render::{
    FormatOptions, Markup, SourceFile, render_diagnostic, render_value, value_json,
};
use crate::syntax::parse;
use crate::value::Value;

/// What one statement (or a syntax error) produced.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// A value to display; `name` is set for assignments.
    Value {
        name: Option<String>,
        value: Rc<Value>,
    },
    /// An error, warning or note.
    Diagnostic(Diagnostic),
    /// Output of a `:command` (help, a workspace listing, timings).
    Text(Markup),
    /// `:quit`.
    Quit,
}

impl Outcome {
    pub fn error_kind(&self) -> Option<ErrorKind> {
        match self {
            Outcome::Diagnostic(d) if d.severity == Severity::Error => Some(d.kind),
            _ => None,
        }
    }
}

/// How a session runs: its limits, and how its kernels run.
#[derive(Clone, Debug)]
pub struct Config {
    pub limits: Limits,
    pub exec: Exec,
}

impl Default for Config {
    /// The default limits, and the kernel settings of the environment
    /// (`TENSORCALC_THREADS`, `TENSORCALC_KERNEL`; see `Exec::from_env`).
    fn default() -> Self {
        Config {
            limits: Limits::default(),
            exec: Exec::from_env(),
        }
    }
}

pub struct Session {
    /// Holds the session's configuration (`exec`, `limits`) next to the
    /// workspace, so every operation it runs receives them.
    pub evaluator: Evaluator,
    pub format: FormatOptions,
    /// Carry on after an error (scripts with `--keep-going`).
    pub keep_going: bool,
    /// The checker's copy of the workspace, once a `dim` has given a size a
    /// value, so shape errors name the symbols.
    shadow: Option<Shadow>,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Session {
        Session::with_config(Config::default())
    }

    pub fn with_config(config: Config) -> Session {
        Session {
            evaluator: Evaluator::with_config(config.exec, config.limits),
            format: FormatOptions::default(),
            keep_going: false,
            shadow: None,
        }
    }

    /// The session's configuration (cheap: the pool and the cancel token are
    /// shared, not copied).
    pub fn config(&self) -> Config {
        Config {
            limits: self.evaluator.limits,
            exec: self.evaluator.exec.clone(),
        }
    }

    /// The token that stops this session's running computation (for a
    /// Ctrl-C handler on another thread).
    pub fn cancel_token(&self) -> CancelToken {
        self.evaluator.exec.cancel().clone()
    }

    /// Runs one entry from the prompt or a `:load`ed line: a `:command`, or
    /// source text.
    pub fn eval_entry(&mut self, entry: &str) -> Vec<Outcome> {
        if crate::commands::is_command(entry) {
            crate::commands::run(self, entry)
        } else {
            self.eval_source(entry)
        }
    }

    /// Runs `source` reported under `name` (`lesson.la`, `<prompt>`): the
    /// functions it defines keep the name for their diagnostics.
    pub fn eval_named(&mut self, source: &str, name: &str) -> Vec<Outcome> {
        let previous = self.evaluator.source_name();
        self.evaluator.set_source_name(name);
        let out = self.eval_source(source);
        self.evaluator.set_source_name(&previous);
        out
    }

    /// Parses and runs `source`. Statements run in order; by default the
    /// first error stops the rest. A failed statement changes nothing.
    pub fn eval_source(&mut self, source: &str) -> Vec<Outcome> {
        let program = match parse(source, &self.evaluator.limits.parse_limits()) {
            Ok(p) => p,
            Err(d) => return vec![Outcome::Diagnostic(d)],
        };
        let source: Rc<str> = Rc::from(source);
        self.evaluator.set_source(source.clone());
        let mut out = Vec::new();
        self.evaluator.exec.cancel().reset();
        self.evaluator.begin_entry();
        for stmt in &program.statements {
            if self.shadow.is_none() && !self.evaluator.shape_only && gives_dim_a_value(stmt) {
                self.shadow = Some(Shadow::of(&self.evaluator));
            }
            let result = match &mut self.shadow {
                Some(shadow) => shadow.exec(&mut self.evaluator, stmt, &source),
                None => self.evaluator.exec(stmt),
            };
            // What blocks and `disp` displayed while it ran, in order.
            out.extend(self.evaluator.shown.drain(..).map(|s| match s {
                Shown::Value(p) => Outcome::Value {
                    name: p.name,
                    value: p.value,
                },
                Shown::Warning(d) => Outcome::Diagnostic(d),
            }));
            out.extend(self.evaluator.warnings.drain(..).map(Outcome::Diagnostic));
            match result {
                Ok(produced) => {
                    let shows = !stmt.silent && !matches!(*produced.value, Value::Nothing);
                    if produced.name.is_none() && shows {
                        self.evaluator
                            .store_workspace("ans", produced.value.clone());
                    }
                    if shows {
                        out.push(Outcome::Value {
                            name: produced.name,
                            value: produced.value,
                        });
                    }
                }
                Err(d) => {
                    out.push(Outcome::Diagnostic(d));
                    if !self.keep_going {
                        break;
                    }
                }
            }
        }
        out
    }

    /// A scratch evaluator in the checker's mode over this workspace's
    /// metadata: what `:shape` and hints run lines in.
    pub fn shape_only_copy(&self) -> Evaluator {
        match &self.shadow {
            Some(s) => s.evaluator().shape_only_copy(),
            None => self.evaluator.shape_only_copy(),
        }
    }

    /// Renders an outcome as styled text (no trailing newline).
    pub fn render(&self, outcome: &Outcome, src: &SourceFile) -> Markup {
        match outcome {
            Outcome::Value { name, value } if self.evaluator.shape_only => {
                render_value(&value.shape_only(), name.as_deref(), &self.format)
            }
            Outcome::Value { name, value } => render_value(value, name.as_deref(), &self.format),
            Outcome::Diagnostic(d) => render_diagnostic(d, src),
            Outcome::Text(m) => m.clone(),
            Outcome::Quit => Markup::new(),
        }
    }

    /// The `--json` line for an outcome, if it is a value.
    pub fn json(&self, outcome: &Outcome) -> Option<String> {
        match outcome {
            Outcome::Value { name, value } if self.evaluator.shape_only => {
                value_json(&value.shape_only(), name.as_deref())
            }
            Outcome::Value { name, value } => match &**value {
                Value::Picture(p) => Some(crate::render::picture_json(
                    p,
                    name.as_deref(),
                    &self.format,
                )),
                v => value_json(v, name.as_deref()),
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::Isa;
    use crate::value::Array;

    fn session(max_bytes: usize) -> Session {
        let mut config = Config::default();
        config.limits.max_bytes = max_bytes;
        Session::with_config(config)
    }

    fn is_value(outcomes: &[Outcome]) -> bool {
        matches!(outcomes, [Outcome::Value { .. }])
    }

    #[test]
    fn sessions_keep_their_own_memory_limits() {
        let mut small = session(1 << 10);
        let mut large = session(1 << 20);
        for _ in 0..2 {
            let refused = small.eval_source("zeros(1000)");
            assert_eq!(
                refused[0].error_kind(),
                Some(ErrorKind::Limit),
                "{refused:?}"
            );
            assert!(is_value(&large.eval_source("zeros(1000)")));
        }
        assert!(is_value(&small.eval_source("zeros(100)")));
        assert_eq!(small.config().limits.max_bytes, 1 << 10);
        assert_eq!(large.config().limits.max_bytes, 1 << 20);
    }

    #[test]
    fn a_cancel_request_stops_only_its_own_session() {
        let one_thread = || Config {
            exec: Exec::new(1, Isa::detect()),
            ..Config::default()
        };
        let mut tripped = Session::with_config(one_thread());
        let mut other = Session::with_config(one_thread());
        tripped.cancel_token().request();
        // The other session runs, and running it does not clear the request.
        assert!(is_value(
            &other.eval_source("ones(300, 300) @ ones(300, 300)")
        ));
        assert!(tripped.cancel_token().is_requested());
        // An operation under the tripped session's settings stops; the same
        // operation under the other's runs.
        let m = Array::F64(ndarray::ArrayD::ones(ndarray::IxDyn(&[300, 300])));
        let stopped = crate::ops::matmul::matmul(&m, &m, &tripped.config().exec);
        assert_eq!(stopped.err(), Some(crate::ops::OpError::Interrupted));
        assert!(crate::ops::matmul::matmul(&m, &m, &other.config().exec).is_ok());
        // A new statement starts with the session's own token cleared.
        assert!(is_value(&tripped.eval_source("1 + 1")));
        assert!(!tripped.cancel_token().is_requested());
    }

    #[test]
    fn loops_end_on_the_step_budget_and_recursion_on_its_limit() {
        let mut config = Config::default();
        config.limits.max_steps = 1000;
        let mut s = Session::with_config(config);
        let out = s.eval_source("k = 0; while true; k += 1; end");
        assert_eq!(
            out.last().and_then(Outcome::error_kind),
            Some(ErrorKind::Limit)
        );
        // What the finished iterations assigned is kept.
        assert!(
            matches!(s.evaluator.get("k"), Some(Value::Array(a)) if a.first_c64().unwrap().re > 100.0)
        );
        // Deep recursion ends at the limit, not in a stack overflow, even
        // on a test thread's small stack.
        let mut config = Config::default();
        config.limits.max_recursion = 3000;
        let mut s = Session::with_config(config);
        let out = s.eval_source("down(n) = down(n + 1)\ndown(0)");
        let Some(Outcome::Diagnostic(d)) = out.last() else {
            panic!("{out:?}")
        };
        assert_eq!(d.kind, ErrorKind::Limit);
        assert!(d.message.contains("3000 nested calls"), "{}", d.message);
        assert_eq!(d.trace().len(), 3000);
        // The budget starts again with every entry.
        assert!(is_value(&s.eval_source("down(n) = n; down(1)")));
    }
}
