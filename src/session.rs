//! One workspace: source text in, outcomes out (values to show, diagnostics).
//! Every front end (script runner, prompt, tests) goes through here.

use std::rc::Rc;

use crate::diagnostic::{Diagnostic, ErrorKind, Severity};
use crate::eval::Evaluator;
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

pub struct Session {
    pub evaluator: Evaluator,
    pub format: FormatOptions,
    /// Carry on after an error (scripts with `--keep-going`).
    pub keep_going: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Session {
        Session {
            evaluator: Evaluator::new(),
            format: FormatOptions::default(),
            keep_going: false,
        }
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

    /// Parses and runs `source`. Statements run in order; by default the
    /// first error stops the rest. A failed statement changes nothing.
    pub fn eval_source(&mut self, source: &str) -> Vec<Outcome> {
        let program = match parse(source) {
            Ok(p) => p,
            Err(d) => return vec![Outcome::Diagnostic(d)],
        };
        self.evaluator.set_source(Rc::from(source));
        let mut out = Vec::new();
        crate::ops::cancel::reset();
        for stmt in &program.statements {
            let result = self.evaluator.exec(stmt);
            out.extend(self.evaluator.warnings.drain(..).map(Outcome::Diagnostic));
            match result {
                Ok(produced) => {
                    let shows = !stmt.silent && !matches!(*produced.value, Value::Nothing);
                    if produced.name.is_none() && shows {
                        self.evaluator.set("ans", (*produced.value).clone());
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

    /// Renders an outcome as styled text (no trailing newline).
    pub fn render(&self, outcome: &Outcome, src: &SourceFile) -> Markup {
        match outcome {
            Outcome::Value { name, value } => render_value(value, name.as_deref(), &self.format),
            Outcome::Diagnostic(d) => render_diagnostic(d, src),
            Outcome::Text(m) => m.clone(),
            Outcome::Quit => Markup::new(),
        }
    }

    /// The `--json` line for an outcome, if it is a value.
    pub fn json(&self, outcome: &Outcome) -> Option<String> {
        match outcome {
            Outcome::Value { name, value } => value_json(value, name.as_deref()),
            _ => None,
        }
    }
}
