//! The rustyline side of completion, hints and highlighting: thin glue over
//! `tensorcalc::prompt`, which decides what to offer, and `paint`, which
//! decides the colours.

use std::borrow::Cow::{self, Borrowed, Owned};
use std::cell::Cell;

use colored::Colorize;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::Validator;
use rustyline::{Context as LineContext, Helper};
use tensorcalc::prompt::{self, Context};

use crate::paint::paint_input;

pub struct PromptHelper {
    /// The workspace as of the last entry.
    pub ctx: Context,
    color: bool,
    /// Set for the last repaint of a line (after Enter), which shows it
    /// without the bracket highlight.
    last_repaint: Cell<bool>,
}

impl PromptHelper {
    pub fn new(color: bool) -> PromptHelper {
        PromptHelper {
            ctx: Context::default(),
            color,
            last_repaint: Cell::new(false),
        }
    }
}

/// A hint shown dimmed after the cursor. It is information, not a
/// suggestion: accepting it (→ at the end of the line) inserts nothing.
pub struct InfoHint(String);

impl Hint for InfoHint {
    fn display(&self) -> &str {
        &self.0
    }

    fn completion(&self) -> Option<&str> {
        None
    }
}

impl Completer for PromptHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &LineContext<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let c = prompt::complete(&self.ctx, line, pos);
        let pairs = c
            .candidates
            .into_iter()
            .map(|c| Pair {
                display: c.display,
                replacement: c.replacement,
            })
            .collect();
        Ok((c.start, pairs))
    }
}

impl Hinter for PromptHelper {
    type Hint = InfoHint;

    fn hint(&self, line: &str, pos: usize, _: &LineContext<'_>) -> Option<InfoHint> {
        prompt::hint(&self.ctx, line, pos).map(InfoHint)
    }
}

impl Highlighter for PromptHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if !self.color {
            return Borrowed(line);
        }
        let pos = if self.last_repaint.get() {
            usize::MAX
        } else {
            pos
        };
        Owned(paint_input(&prompt::highlight(&self.ctx, line, pos)))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Owned(hint.dimmed().to_string())
        } else {
            Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.last_repaint.set(kind == CmdKind::ForcedRefresh);
        self.color
    }
}

impl Validator for PromptHelper {}

impl Helper for PromptHelper {}
