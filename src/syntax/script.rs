//! A script parsed a run of whole top-level statements at a time, so that
//! neither pest's pairs nor the syntax tree of a long script are ever held
//! whole: memory follows the length of one run, not of the script.
//!
//! Runs are cut at the start of a line where a statement cannot go on: no
//! bracket or block open, and the line before ends in a name, a number, a
//! string, a closing bracket, `'` or `;`, not in an operator, `,` or a `\`
//! continuation. The cut is a guess made with the shared lexer; the grammar
//! has the last word. A run whose parse fails on its last line may have been
//! cut inside a statement, so it is parsed again with twice the length before
//! the error is believed; a run that parses is a sequence of whole
//! statements, and the statements that follow it start afresh (a newline
//! ends a statement, and `;` at the start of a line is never a cut).

use super::ast::Stmt;
use super::lex::{Lexer, Tok};
use super::parser::{ParseLimits, parse_run, prescan_source};
use crate::diagnostic::Diagnostic;

/// The length a run aims at (it ends at the first cut after this many
/// bytes): large enough that a run's pest call costs nothing next to its
/// statements, small enough that its pairs take a few MiB.
pub const RUN_BYTES: usize = 64 << 10;

/// The statements of a script, one run at a time (see the module comment).
/// Every diagnostic points into the whole source.
pub struct Script<'s> {
    source: &'s str,
    pos: usize,
    limits: ParseLimits,
    run_bytes: usize,
    /// The deepest nesting in the source (from the prescan).
    depth: usize,
}

impl<'s> Script<'s> {
    /// Checks the nesting limits over the whole source (as `parse` does,
    /// before any statement is parsed) and starts at its beginning.
    pub fn new(source: &'s str, limits: &ParseLimits) -> Result<Script<'s>, Diagnostic> {
        let depth = prescan_source(source, limits)?;
        Ok(Script {
            source,
            pos: 0,
            limits: *limits,
            run_bytes: RUN_BYTES,
            depth,
        })
    }

    /// The same statements from `pos` on, a position this iterator reported
    /// with `position`.
    pub fn resume(&self, pos: usize) -> Script<'s> {
        Script { pos, ..*self }
    }

    /// Runs of about `bytes` bytes instead of `RUN_BYTES` (tests cut small
    /// scripts into many runs this way).
    pub fn with_run_bytes(mut self, bytes: usize) -> Script<'s> {
        self.run_bytes = bytes.max(1);
        self
    }

    /// Where the next run starts.
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl Iterator for Script<'_> {
    type Item = Result<Vec<Stmt>, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        let (source, start) = (self.source, self.pos);
        if start >= source.len() {
            return None;
        }
        let mut want = self.run_bytes;
        loop {
            let end = run_end(source, start, want);
            match parse_run(source, start, end, &self.limits, self.depth) {
                Ok(statements) => {
                    self.pos = end;
                    return Some(Ok(statements));
                }
                // Perhaps cut inside a statement: try a longer run.
                Err(d) if end < source.len() && on_last_line(source, start, end, &d) => {
                    want = want.saturating_mul(2);
                }
                Err(d) => {
                    self.pos = source.len();
                    return Some(Err(d));
                }
            }
        }
    }
}

/// Whether the error points at the last non-blank line of
/// `source[start..end]` (where a statement cut short fails).
fn on_last_line(source: &str, start: usize, end: usize, d: &Diagnostic) -> bool {
    let text = source[start..end].trim_end();
    let last_line = start + text.rfind('\n').map_or(0, |i| i + 1);
    d.location().is_none_or(|at| at.start >= last_line)
}

/// The end of a run that starts at `start` and holds at least `want` bytes:
/// the first cut (see the module comment) past that point, else the end of
/// the source.
fn run_end(source: &str, start: usize, want: usize) -> usize {
    if source.len() - start <= want {
        return source.len();
    }
    let text = &source[start..];
    let mut depth = 0usize;
    // The kind and text of the last token that is not a comment.
    let mut last: Option<(Tok, &str)> = None;
    let mut last_end = 0;
    for t in Lexer::new(text) {
        let word = &text[t.start..t.end];
        if t.start >= want
            && depth == 0
            && text[last_end..t.start].contains('\n')
            && last.is_some_and(|(tok, w)| ends_statement(tok, w))
            && !matches!(t.tok, Tok::Punct | Tok::Operator)
        {
            return start + t.start;
        }
        match t.tok {
            Tok::Comment => continue,
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            Tok::Ident => match word {
                "if" | "for" | "while" | "function" => depth += 1,
                "end" => depth = depth.saturating_sub(1),
                _ => {}
            },
            _ => {}
        }
        last = Some((t.tok, word));
        last_end = t.end;
    }
    source.len()
}

/// Whether a line ending in this token ends its statement.
fn ends_statement(tok: Tok, word: &str) -> bool {
    match tok {
        Tok::Number | Tok::Ident | Tok::Str | Tok::Close => true,
        Tok::Operator => word == "'",
        Tok::Punct => word == ";",
        Tok::Comment | Tok::Open | Tok::Other => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{StmtKind, parse};

    fn runs(src: &str, bytes: usize) -> Vec<Vec<Stmt>> {
        Script::new(src, &ParseLimits::default())
            .unwrap()
            .with_run_bytes(bytes)
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn runs_hold_the_statements_of_the_whole_parse_with_the_same_spans() {
        let src = "x = 1\ny = [1,\n 2] +\n 3\nif x > 0\n  z = 2\nend\n# doc\nf(a) = a'\nw = x \\\n + 1\nv = 2\n; u = 3\n";
        let whole = parse(src, &ParseLimits::default()).unwrap().statements;
        for bytes in [1, 3, 7, 20, 1000] {
            let cut = runs(src, bytes);
            let flat: Vec<&Stmt> = cut.iter().flatten().collect();
            assert_eq!(flat.len(), whole.len(), "run length {bytes}");
            for (a, b) in flat.iter().zip(&whole) {
                assert_eq!((a.span, a.silent), (b.span, b.silent), "run length {bytes}");
            }
        }
        // Runs of one byte still cut: every line that ends a statement.
        assert!(runs(src, 1).len() > 4);
        // The doc comment above `f` is found across a cut.
        let cut = runs(src, 1);
        let def = cut
            .iter()
            .flatten()
            .find_map(|s| match &s.kind {
                StmtKind::Function(d) => Some(d.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(def.doc, ["doc"]);
    }

    #[test]
    fn a_syntax_error_is_the_whole_parse_error_whatever_the_cut() {
        let src = "a = 1\nb = 2\nc = (3 +\nd = 4\ne = 5\n";
        let whole = parse(src, &ParseLimits::default()).unwrap_err();
        for bytes in [1, 4, 9, 30] {
            let mut script = Script::new(src, &ParseLimits::default())
                .unwrap()
                .with_run_bytes(bytes);
            let err = script.find_map(Result::err).unwrap();
            assert_eq!(err, whole, "run length {bytes}");
        }
    }
}
