//! One workspace: source text in, outcomes out (values to show, diagnostics).
//! Every front end (script runner, prompt, tests) goes through here. A
//! session owns its configuration (limits, threads, kernel choice, cancel
//! token), so sessions in one process never affect each other.

use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostic::{Diagnostic, ErrorKind, Severity};
use crate::eval::shadow::{Shadow, gives_dim_a_value};
use crate::eval::{Evaluator, Shown};
use crate::kernel::{CancelToken, Exec};
use crate::ops::limits::Limits;
use crate::render::{
    FormatOptions, Markup, SourceFile, render_diagnostic, render_value, value_json,
};
use crate::syntax::{Script, Stmt};
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

/// Where `Session::run_source` hands each outcome, with the session (to
/// render it); returns whether to go on.
pub type Sink<'a> = dyn FnMut(&Session, Outcome) -> bool + 'a;

/// Most source text (bytes) whose syntax trees are kept between the syntax
/// check of a script and its run; beyond it, runs are parsed again. A tree
/// takes 20 to 100 times its text, so this bounds it to tens of MiB.
pub const KEEP_PARSED_BYTES: usize = 1 << 20;

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
    /// Where the top-level statement that runs now starts (a byte offset
    /// into its source; `usize::MAX` between runs): what a Ctrl-C handler
    /// on another thread names when a kernel does not stop in time.
    running: Arc<AtomicUsize>,
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
            running: Arc::new(AtomicUsize::new(usize::MAX)),
        }
    }

    /// Where the top-level statement running now starts, as a byte offset
    /// into the source given to `run_source` (`usize::MAX` when none
    /// runs); shared, so another thread can read it while it runs.
    pub fn running_statement(&self) -> Arc<AtomicUsize> {
        self.running.clone()
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
        let mut out = Vec::new();
        self.run_named(source, name, &mut |_, o| {
            out.push(o);
            true
        });
        out
    }

    /// `run_source` reported under `name`, as `eval_named` is.
    pub fn run_named(&mut self, source: &str, name: &str, sink: &mut Sink<'_>) {
        let previous = self.evaluator.source_name();
        self.evaluator.set_source_name(name);
        self.run_source(source, sink);
        self.evaluator.set_source_name(&previous);
    }

    /// Parses and runs `source`. Statements run in order; by default the
    /// first error stops the rest. A failed statement changes nothing.
    pub fn eval_source(&mut self, source: &str) -> Vec<Outcome> {
        let mut out = Vec::new();
        self.run_source(source, &mut |_, o| {
            out.push(o);
            true
        });
        out
    }

    /// `eval_source`, handing each outcome to `sink` as soon as it is made
    /// (a sink that returns false stops the run), so a script's output
    /// streams and nothing of it is held.
    ///
    /// The whole source's syntax is checked before its first statement
    /// runs (a syntax error anywhere is the only outcome, as in Python), a
    /// run of whole statements at a time (`syntax::Script`): the trees of
    /// the first `KEEP_PARSED_BYTES` of source are kept to be run, and the
    /// rest is parsed again when its turn comes, so memory does not grow
    /// with a script's length.
    pub fn run_source(&mut self, source: &str, sink: &mut Sink<'_>) {
        let limits = self.evaluator.limits.parse_limits();
        let mut script = match Script::new(source, &limits) {
            // `--threads` parse runs at once (what a long script's check
            // mostly costs).
            Ok(s) => s.with_threads(self.evaluator.exec.threads()),
            Err(d) => {
                sink(self, Outcome::Diagnostic(d));
                return;
            }
        };
        let mut kept = Vec::new();
        // Where the runs that are not kept start.
        let mut resume = None;
        while let Some(run) = script.next() {
            match run {
                Ok(_) if resume.is_some() => {}
                Ok(statements) => {
                    kept.push(statements);
                    if script.position() >= KEEP_PARSED_BYTES {
                        resume = Some(script.position());
                    }
                }
                Err(d) => {
                    sink(self, Outcome::Diagnostic(d));
                    return;
                }
            }
        }
        let shared: Rc<str> = Rc::from(source);
        self.evaluator.set_source(shared.clone());
        self.evaluator.exec.cancel().reset();
        self.evaluator.begin_entry();
        // Each run is dropped once it has run.
        for run in kept {
            if !self.run_statements(&run, &shared, sink) {
                return;
            }
        }
        let Some(resume) = resume else { return };
        for run in script.resume(resume) {
            match run {
                Ok(statements) => {
                    if !self.run_statements(&statements, &shared, sink) {
                        return;
                    }
                }
                // Not reached: this text parsed a moment ago.
                Err(d) => {
                    sink(self, Outcome::Diagnostic(d));
                    return;
                }
            }
        }
    }

    /// Runs statements in order; false once the run is to stop (an error
    /// without `keep_going`, or the sink said so).
    fn run_statements(
        &mut self,
        statements: &[Stmt],
        source: &Rc<str>,
        sink: &mut Sink<'_>,
    ) -> bool {
        for stmt in statements {
            self.running.store(stmt.span.start, Ordering::Relaxed);
            if self.shadow.is_none() && !self.evaluator.shape_only && gives_dim_a_value(stmt) {
                self.shadow = Some(Shadow::of(&self.evaluator));
            }
            let result = match &mut self.shadow {
                Some(shadow) => shadow.exec(&mut self.evaluator, stmt, source),
                None => self.evaluator.exec(stmt),
            };
            // What blocks and `disp` displayed while it ran, in order.
            let shown: Vec<Outcome> = self
                .evaluator
                .shown
                .drain(..)
                .map(|s| match s {
                    Shown::Value(p) => Outcome::Value {
                        name: p.name,
                        value: p.value,
                    },
                    Shown::Warning(d) => Outcome::Diagnostic(d),
                })
                .chain(self.evaluator.warnings.drain(..).map(Outcome::Diagnostic))
                .collect();
            for o in shown {
                if !sink(self, o) {
                    return false;
                }
            }
            match result {
                Ok(produced) => {
                    let shows = !stmt.silent && !matches!(*produced.value, Value::Nothing);
                    if produced.name.is_none() && shows {
                        self.evaluator
                            .store_workspace("ans", produced.value.clone());
                    }
                    if shows
                        && !sink(
                            self,
                            Outcome::Value {
                                name: produced.name,
                                value: produced.value,
                            },
                        )
                    {
                        return false;
                    }
                }
                Err(d) => {
                    if !sink(self, Outcome::Diagnostic(d)) || !self.keep_going {
                        return false;
                    }
                }
            }
        }
        true
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

    fn number(s: &Session, name: &str) -> Option<f64> {
        match s.evaluator.get(name) {
            Some(Value::Array(a)) => Some(a.first_c64()?.re),
            _ => None,
        }
    }

    /// A script longer than what is kept parsed: its tail is parsed a
    /// second time when it runs.
    fn long_script(last_line: &str) -> String {
        let filler = "y = y + 1;\n".repeat(KEEP_PARSED_BYTES / 11 + 20_000);
        format!("x = 1;\ny = 0;\nx\n{filler}{last_line}\n")
    }

    #[test]
    fn a_syntax_error_in_the_last_line_of_a_long_script_stops_it_before_line_one() {
        let src = long_script("z = (y");
        let mut s = Session::new();
        let out = s.eval_source(&src);
        // Only the error: line 3 (`x`) did not display, nothing ran.
        let [Outcome::Diagnostic(d)] = out.as_slice() else {
            panic!("{:?}", &out[..out.len().min(3)])
        };
        assert_eq!(d.kind, ErrorKind::Syntax);
        let at = d.location().unwrap().start;
        assert_eq!(src[..at].matches('\n').count() + 1, src.lines().count());
        assert_eq!(number(&s, "x"), None);
    }

    #[test]
    fn a_long_script_runs_every_statement_once_and_its_errors_point_at_their_line() {
        let src = long_script("z = y * 10\nq = undefined_name");
        let statements = src.matches(';').count() as f64;
        let mut s = Session::new();
        let out = s.eval_source(&src);
        assert!(
            matches!(&out[0], Outcome::Value { name: None, .. }),
            "{:?}",
            out[0]
        );
        assert_eq!(number(&s, "y"), Some(statements - 2.0));
        assert_eq!(number(&s, "z"), Some((statements - 2.0) * 10.0));
        let Some(Outcome::Diagnostic(d)) = out.last() else {
            panic!("{:?}", out.last())
        };
        let at = d.location().unwrap().start;
        assert_eq!(&src[at..at + 14], "undefined_name");
    }

    #[test]
    fn outcomes_reach_the_sink_as_they_are_made_and_it_can_stop_the_run() {
        let mut s = Session::new();
        let mut seen = 0;
        s.run_source("a = 1\nb = 2\nc = 3", &mut |session, o| {
            seen += 1;
            // The statement that made this outcome has run, the next not.
            assert!(matches!(o, Outcome::Value { .. }));
            assert_eq!(number(session, "b"), None);
            false
        });
        assert_eq!(seen, 1);
        assert_eq!(number(&s, "a"), Some(1.0));
        assert_eq!(number(&s, "b"), None);
    }
}
