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
//!
//! With more than one thread (`with_threads`), the next few runs are parsed
//! at once, one per thread, and handed out in order: the cuts come from the
//! lexer alone, so they are known before any run is parsed. A run that fails
//! is parsed again alone, as above, so the statements and the first error
//! are the same whatever the number of threads.

use std::collections::VecDeque;

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
    /// How many runs are parsed at once.
    threads: usize,
    /// Runs parsed ahead, with where each ends, in order.
    ready: VecDeque<(usize, Vec<Stmt>)>,
}

/// A thread that parses runs ahead reserves this much stack (`parse_run`
/// grows it further for deeper input).
const PARSE_STACK: usize = 16 << 20;

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
            threads: 1,
            ready: VecDeque::new(),
        })
    }

    /// The same statements from `pos` on, a position this iterator reported
    /// with `position`.
    pub fn resume(&self, pos: usize) -> Script<'s> {
        Script {
            pos,
            ready: VecDeque::new(),
            ..*self
        }
    }

    /// Parses up to `n` runs at once, one per thread (see the module
    /// comment); 1 parses on the caller's thread only.
    pub fn with_threads(mut self, n: usize) -> Script<'s> {
        self.threads = n.max(1);
        self
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

    /// Parses the next `threads` runs at once into `ready`, up to the first
    /// that fails (which `next` then parses again alone).
    fn parse_ahead(&mut self) {
        let (source, mut start) = (self.source, self.pos);
        let mut cuts = Vec::with_capacity(self.threads);
        while cuts.len() < self.threads && start < source.len() {
            let end = run_end(source, start, self.run_bytes);
            cuts.push((start, end));
            start = end;
        }
        if cuts.len() < 2 {
            return;
        }
        let (limits, depth) = (&self.limits, self.depth);
        let parsed: Vec<Option<Vec<Stmt>>> = std::thread::scope(|scope| {
            let others: Vec<_> = cuts[1..]
                .iter()
                .map(|&(s, e)| {
                    std::thread::Builder::new()
                        .name("tensorcalc-parse".into())
                        .stack_size(PARSE_STACK)
                        .spawn_scoped(scope, move || parse_run(source, s, e, limits, depth).ok())
                })
                .collect();
            let (s, e) = cuts[0];
            let first = parse_run(source, s, e, limits, depth).ok();
            std::iter::once(first)
                .chain(others.into_iter().map(|h| match h {
                    // A thread that cannot start or that failed leaves
                    // its run to `next`.
                    Ok(h) => h.join().ok().flatten(),
                    Err(_) => None,
                }))
                .collect()
        });
        for (statements, (_, end)) in parsed.into_iter().zip(cuts) {
            match statements {
                Some(statements) => self.ready.push_back((end, statements)),
                None => break,
            }
        }
    }
}

impl Iterator for Script<'_> {
    type Item = Result<Vec<Stmt>, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ready.is_empty() && self.threads > 1 {
            self.parse_ahead();
        }
        if let Some((end, statements)) = self.ready.pop_front() {
            self.pos = end;
            return Some(Ok(statements));
        }
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
    use crate::syntax::{Span, StmtKind, parse};

    fn runs(src: &str, bytes: usize) -> Vec<Vec<Stmt>> {
        runs_on(src, bytes, 1)
    }

    fn runs_on(src: &str, bytes: usize, threads: usize) -> Vec<Vec<Stmt>> {
        Script::new(src, &ParseLimits::default())
            .unwrap()
            .with_run_bytes(bytes)
            .with_threads(threads)
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn runs_parsed_on_several_threads_are_the_same_runs_in_order() {
        let src = "x = 1\ny = [1,\n 2] +\n 3\nif x > 0\n  z = 2\nend\n# doc\nf(a) = a'\nw = x \\\n + 1\nv = 2\n; u = 3\n";
        for bytes in [1, 3, 7, 20, 1000] {
            let one = runs_on(src, bytes, 1);
            for threads in [2, 3, 8] {
                let many = runs_on(src, bytes, threads);
                let spans = |r: &[Vec<Stmt>]| -> Vec<Vec<(Span, bool)>> {
                    r.iter()
                        .map(|run| run.iter().map(|s| (s.span, s.silent)).collect())
                        .collect()
                };
                assert_eq!(
                    spans(&many),
                    spans(&one),
                    "{bytes} bytes, {threads} threads"
                );
            }
        }
        // Positions advance run by run, as with one thread.
        let mut script = Script::new(src, &ParseLimits::default())
            .unwrap()
            .with_run_bytes(3)
            .with_threads(4);
        let mut last = 0;
        while script.next().is_some() {
            assert!(script.position() > last);
            last = script.position();
        }
        assert_eq!(last, src.len());
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
            for threads in [1, 2, 5] {
                let mut script = Script::new(src, &ParseLimits::default())
                    .unwrap()
                    .with_run_bytes(bytes)
                    .with_threads(threads);
                let err = script.find_map(Result::err).unwrap();
                assert_eq!(err, whole, "run length {bytes}, {threads} threads");
            }
        }
    }
}
