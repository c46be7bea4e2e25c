//! Diagnostics as data: what went wrong, where (spans), and what to do about
//! it. Every stage's error converts into a `Diagnostic`; `render/` turns it
//! into styled text. Nothing here prints.

use std::sync::Arc;

use crate::syntax::Span;

/// What kind of problem; decides the exit status of a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    Shape,
    Name,
    Index,
    Type,
    Domain,
    Limit,
    Interrupted,
    /// The numbers of a shape-only value were needed (to show them, or as a
    /// size or an axis). The checker takes the result as unknown.
    NeedsValues,
    /// A rule and its kernel disagree: a bug in tensorcalc, caught by the
    /// check that debug builds make after every operation.
    Internal,
}

impl ErrorKind {
    /// Syntax errors exit with 2, evaluation errors with 1.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Syntax => 2,
            _ => 1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A piece of source to underline, with a short text under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub text: String,
    /// The primary label gets `^` and gives the diagnostic its line:column.
    pub primary: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: ErrorKind,
    pub message: String,
    pub labels: Vec<Label>,
    /// Extra lines shown as-is under the source (aligned shapes, rules).
    pub notes: Vec<String>,
    /// Fixes that have been checked to work.
    pub help: Vec<String>,
    /// Rewrites that fix the failing operation itself; the statement that
    /// ran it keeps those that make the whole statement work and turns them
    /// into `help` (a fix that only moves the error along is not offered).
    /// (Boxed: most diagnostics have none, and a `Diagnostic` travels in
    /// every `Err`.)
    pub rewrites: Option<Box<Vec<Rewrite>>>,
    /// Where an error inside a function comes from (boxed: most
    /// diagnostics have none).
    pub calls: Option<Box<Calls>>,
}

/// The source a diagnostic's labels point into, when it is not the one
/// being reported (an error in the body of a function defined earlier), and
/// the calls that led to it, innermost first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calls {
    pub origin: Option<Arc<Origin>>,
    pub trace: Vec<TraceFrame>,
}

/// A source text with the name it is reported under (`lesson.la`).
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    pub name: String,
    pub text: String,
}

/// One call on the way to an error: `in softmax(z) called at
/// lesson.la:12:5 with z: 3×4 float64`.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceFrame {
    /// The function and its parameters: `softmax(z)`.
    pub call: String,
    /// The arguments' shapes: `z: 3×4 float64`.
    pub args: String,
    /// The call in its source.
    pub span: Span,
    /// That source, when it is not the one being reported.
    pub origin: Option<Arc<Origin>>,
}

/// Replacing `span` of the source with `text`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rewrite {
    pub span: Span,
    pub text: String,
    /// Lower is said first; only the best rank that works is offered.
    pub rank: u8,
}

impl Diagnostic {
    pub fn error(kind: ErrorKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            kind,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: Vec::new(),
            rewrites: None,
            calls: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(ErrorKind::Type, message)
        }
    }

    /// A note: less than a warning (`'` on a vector changes nothing).
    pub fn remark(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(ErrorKind::Type, message)
        }
    }

    pub fn primary(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            text: text.into(),
            primary: true,
        });
        self
    }

    pub fn secondary(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            text: text.into(),
            primary: false,
        });
        self
    }

    /// Adds a candidate fix for the statement to check in context.
    pub fn rewrite(mut self, r: Rewrite) -> Diagnostic {
        self.rewrites.get_or_insert_with(Default::default).push(r);
        self
    }

    pub fn note(mut self, text: impl Into<String>) -> Diagnostic {
        self.notes.push(text.into());
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Diagnostic {
        self.help.push(text.into());
        self
    }

    /// The error in a few words, for hints and trees: `matmul: 3 ≠ 10` when
    /// the underline says what clashes, else the start of the message.
    pub fn in_few_words(&self) -> String {
        let op = self.message.split(':').next().unwrap_or("");
        let label = self
            .labels
            .iter()
            .find(|l| l.primary)
            .map(|l| l.text.as_str());
        match label {
            Some(l) if l.contains('≠') && !op.is_empty() && op.len() < 20 => format!("{op}: {l}"),
            _ => {
                let mut m: String = self.message.chars().take(48).collect();
                if self.message.chars().count() > 48 {
                    m.push('…');
                }
                m
            }
        }
    }

    /// The source the labels point into, if not the one being reported.
    pub fn origin(&self) -> Option<&Arc<Origin>> {
        self.calls.as_ref()?.origin.as_ref()
    }

    /// Sets the source the labels point into, unless one is set.
    pub fn set_origin(&mut self, origin: &Arc<Origin>) {
        let calls = self.calls.get_or_insert_with(Default::default);
        if calls.origin.is_none() {
            calls.origin = Some(origin.clone());
        }
    }

    /// The calls that led to the error, innermost first.
    pub fn trace(&self) -> &[TraceFrame] {
        self.calls.as_ref().map_or(&[], |c| &c.trace)
    }

    pub fn push_call(&mut self, frame: TraceFrame) {
        self.calls
            .get_or_insert_with(Default::default)
            .trace
            .push(frame);
    }

    /// The span that locates the diagnostic (`FILE:LINE:COL`).
    pub fn location(&self) -> Option<Span> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or(self.labels.first())
            .map(|l| l.span)
    }
}
