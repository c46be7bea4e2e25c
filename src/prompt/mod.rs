//! What the prompt knows about typed text, as data: whether an entry is
//! complete, completion candidates, hints and highlighting. A forgiving lexer
//! (it never fails, whatever half-typed line it gets) feeds all of them. The
//! binary's line editor draws the results; nothing here touches a terminal.

mod complete;
mod highlight;

pub use crate::syntax::lex::{Tok, Token, tokens};
pub use complete::{Candidate, Completion, complete};
pub use highlight::highlight;

use crate::eval::builtins;
use crate::session::Session;

/// What completion, hints and highlighting need from the workspace: a copy of
/// its names and their descriptions, taken before each line is read so the
/// editor never holds the session itself.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Workspace names, sorted, with `2×3 float64`-style descriptions.
    pub vars: Vec<(String, String)>,
}

impl Context {
    pub fn of(session: &Session) -> Context {
        Context {
            vars: session
                .evaluator
                .vars()
                .iter()
                .map(|(n, v)| (n.clone(), v.describe()))
                .collect(),
        }
    }

    fn describe(&self, name: &str) -> Option<&str> {
        self.vars
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| self.vars[i].1.as_str())
    }

    fn is_var(&self, name: &str) -> bool {
        self.describe(name).is_some()
    }
}

/// Whether `text` still has a bracket open (outside strings and comments),
/// so Enter should continue the entry on a new line.
pub fn is_incomplete(text: &str) -> bool {
    if crate::commands::is_command(text) {
        return false;
    }
    let mut depth = 0i64;
    for t in tokens(text) {
        match t.tok {
            Tok::Open => depth += 1,
            Tok::Close => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// The function whose argument list is open at the end of `toks`: its name,
/// for signature hints and keyword completion.
fn open_call<'a>(text: &'a str, toks: &[Token]) -> Option<&'a str> {
    let mut stack: Vec<Option<&str>> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.tok {
            Tok::Open => {
                let callee = match (text.as_bytes()[t.start], i.checked_sub(1).map(|j| &toks[j])) {
                    (b'(', Some(prev)) if prev.tok == Tok::Ident && prev.end == t.start => {
                        Some(&text[prev.start..prev.end])
                    }
                    _ => None,
                };
                stack.push(callee);
            }
            Tok::Close => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.last().copied().flatten()
}

/// The dimmed text shown after the cursor, if any: a workspace name's shape
/// and dtype (`  # 2×3 float64`), or the signature of the function being
/// called (`  # zeros(shape..., dtype="float64")`).
pub fn hint(ctx: &Context, line: &str, pos: usize) -> Option<String> {
    if pos != line.len() || line.trim().is_empty() {
        return None;
    }
    if line.starts_with(':') {
        let word = line.trim_end();
        return crate::commands::COMMANDS
            .iter()
            .find(|c| c.name == word && !c.args.is_empty() && !line.ends_with(' '))
            .map(|c| format!(" {}", c.args));
    }
    let toks = tokens(line);
    if let Some(last) = toks
        .last()
        .filter(|t| t.tok == Tok::Ident && t.end == line.len())
    {
        let word = &line[last.start..last.end];
        if let Some(d) = ctx.describe(word) {
            return Some(format!("  # {d}"));
        }
        if let Some(b) = builtins::find(word) {
            return Some(format!("  # {}", b.signature));
        }
    }
    if toks.last().is_some_and(|t| t.tok == Tok::Comment) {
        return None;
    }
    let callee = open_call(line, &toks)?;
    builtins::find(callee).map(|b| format!("  # {}", b.signature))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            vars: vec![
                ("A".into(), "2×3 float64".into()),
                ("x".into(), "scalar int64".into()),
            ],
        }
    }

    #[test]
    fn open_brackets_continue_the_entry() {
        assert!(is_incomplete("A = [1, 2,"));
        assert!(is_incomplete("f(\n[1"));
        assert!(!is_incomplete("A = [1, 2]"));
        assert!(!is_incomplete("s = \"[\" # ("));
        assert!(!is_incomplete(":help ["));
        assert!(!is_incomplete("A = [1]]"));
    }

    #[test]
    fn a_name_hints_its_shape_and_dtype() {
        assert_eq!(hint(&ctx(), "A", 1).as_deref(), Some("  # 2×3 float64"));
        assert_eq!(hint(&ctx(), "B = A", 5).as_deref(), Some("  # 2×3 float64"));
        assert_eq!(hint(&ctx(), "A ", 2), None);
        assert_eq!(hint(&ctx(), "A", 0), None);
    }

    #[test]
    fn an_open_call_hints_its_signature() {
        assert_eq!(
            hint(&ctx(), "zeros(", 6).as_deref(),
            Some("  # zeros(shape..., dtype=\"float64\")")
        );
        assert_eq!(
            hint(&ctx(), "B = sum([1, 2], ", 16).as_deref(),
            Some("  # sum(x, axis=none, keepdims=false)")
        );
        assert_eq!(hint(&ctx(), "sum([1, 2])", 11), None);
        assert_eq!(hint(&ctx(), "(1 + ", 5), None);
    }

    #[test]
    fn a_command_hints_its_arguments() {
        assert_eq!(hint(&ctx(), ":save", 5).as_deref(), Some(" FILE"));
        assert_eq!(hint(&ctx(), ":vars", 5), None);
    }
}
