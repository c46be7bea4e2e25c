//! What the prompt knows about typed text, as data: whether an entry is
//! complete, completion candidates, hints and highlighting. A forgiving lexer
//! (it never fails, whatever half-typed line it gets) feeds all of them. The
//! binary's line editor draws the results; nothing here touches a terminal.

mod complete;
mod highlight;

pub use crate::syntax::lex::{Tok, Token, tokens};
pub use complete::{Candidate, Completion, complete};
pub use highlight::highlight;

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::eval::{Evaluator, UserFunction, builtins};
use crate::kernel::{Exec, Isa};
use crate::ops::limits::Limits;
use crate::session::Session;
use crate::value::Value;

/// What completion, hints and highlighting need from the workspace: a copy of
/// its names and their descriptions, taken before each line is read so the
/// editor never holds the session itself.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Workspace names, sorted, with `2×3 float64`-style descriptions.
    pub vars: Vec<(String, String)>,
    /// The workspace as the checker sees it (arrays by shape and dtype
    /// only), so a hint can give a typed line's shape without computing it.
    pub values: Vec<(String, Value)>,
    /// The session's limits, for the size errors a hint may show.
    pub limits: Limits,
    /// User-defined functions: name and signature, sorted by name.
    pub funcs: Vec<(String, String)>,
    /// The same functions, so a hint can check a line that calls them.
    pub functions: BTreeMap<String, Rc<UserFunction>>,
}

/// Statements and iterations a hint may run.
const HINT_STEPS: u64 = 20_000;

/// The words that open a block, closed by `end`.
const BLOCK_OPENERS: [&str; 4] = ["function", "if", "for", "while"];

impl Context {
    pub fn of(session: &Session) -> Context {
        let vars = session.evaluator.vars();
        // The checker's view: small constants keep their numbers, symbols
        // their names.
        let checker = session.shape_only_copy();
        Context {
            vars: vars
                .iter()
                .map(|(n, v)| (n.clone(), v.describe()))
                .collect(),
            values: checker
                .vars()
                .iter()
                .map(|(n, v)| (n.clone(), (**v).clone()))
                .collect(),
            limits: session.config().limits,
            funcs: session
                .evaluator
                .functions()
                .iter()
                .map(|(n, f)| (n.clone(), f.def.signature()))
                .collect(),
            functions: session.evaluator.functions().clone(),
        }
    }

    /// A context of these workspace values (for tests and other front ends).
    pub fn of_values(values: Vec<(String, Value)>) -> Context {
        Context {
            vars: values
                .iter()
                .map(|(n, v)| (n.clone(), v.describe()))
                .collect(),
            values: values
                .into_iter()
                .map(|(n, v)| {
                    let v = v.shape_only();
                    (n, v)
                })
                .collect(),
            limits: Limits::default(),
            funcs: Vec::new(),
            functions: BTreeMap::new(),
        }
    }

    /// The shape and dtype of the whole typed line, or its first error in a
    /// few words, from the rules alone (nothing is computed beyond small
    /// constants). `None` when the line does not parse.
    fn line_shape(&self, line: &str) -> Option<String> {
        let program = crate::syntax::parse(line, &self.limits.parse_limits()).ok()?;
        let last = program.statements.last()?;
        // A hint is drawn on every key: a loop or a recursion it follows
        // for real stops early, and then there is no hint.
        let mut limits = self.limits;
        limits.max_steps = limits.max_steps.min(HINT_STEPS);
        let mut ev = Evaluator::with_config(Exec::new(1, Isa::Portable), limits);
        ev.shape_only = true;
        for (n, v) in &self.values {
            ev.set(n, v.clone());
        }
        ev.set_functions(self.functions.clone());
        ev.set_source(std::rc::Rc::from(line));
        for stmt in &program.statements[..program.statements.len() - 1] {
            ev.exec(stmt).ok()?;
        }
        Some(match ev.exec(last) {
            Ok(produced) => match &*produced.value {
                Value::Nothing | Value::Unknown => return None,
                v => v.describe(),
            },
            Err(d)
                if d.kind == crate::diagnostic::ErrorKind::Limit
                    && d.message.contains("--max-steps") =>
            {
                return None;
            }
            Err(d) => d.in_few_words(),
        })
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

    /// A user-defined function's signature.
    pub fn function(&self, name: &str) -> Option<&str> {
        self.funcs
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| self.funcs[i].1.as_str())
    }

    /// The signature of a user-defined or built-in function.
    fn signature(&self, name: &str) -> Option<String> {
        self.function(name)
            .map(String::from)
            .or_else(|| builtins::find(name).map(|b| b.signature.to_string()))
    }
}

/// Whether `text` still has a bracket or a block open (outside strings and
/// comments), so Enter should continue the entry on a new line.
pub fn is_incomplete(text: &str) -> bool {
    if crate::commands::is_command(text) {
        return false;
    }
    let mut depth = 0i64;
    let mut blocks = 0i64;
    for t in tokens(text) {
        match t.tok {
            Tok::Open => depth += 1,
            Tok::Close => depth -= 1,
            Tok::Ident => match &text[t.start..t.end] {
                w if BLOCK_OPENERS.contains(&w) => blocks += 1,
                "end" => blocks -= 1,
                _ => {}
            },
            _ => {}
        }
    }
    depth > 0 || blocks > 0
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

/// The dimmed text shown after the cursor, if any: the signature of the
/// function being named or called (`  # zeros(shape..., dtype="float64")`),
/// else the shape and dtype of the whole line (`W @ x + b  # 4 float64`) or
/// its first error in a few words (`  # matmul: 3 ≠ 10`), from the rules
/// alone.
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
    if toks.last().is_some_and(|t| t.tok == Tok::Comment) {
        return None;
    }
    if let Some(last) = toks
        .last()
        .filter(|t| t.tok == Tok::Ident && t.end == line.len())
    {
        let word = &line[last.start..last.end];
        if !ctx.is_var(word)
            && let Some(sig) = ctx.signature(word)
        {
            return Some(format!("  # {sig}"));
        }
    }
    if let Some(callee) = open_call(line, &toks) {
        return ctx.signature(callee).map(|sig| format!("  # {sig}"));
    }
    if is_incomplete(line) || line.ends_with(char::is_whitespace) {
        return None;
    }
    ctx.line_shape(line).map(|d| format!("  # {d}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        use crate::value::Array;
        let a = Array::F64(ndarray::ArrayD::zeros(ndarray::IxDyn(&[2, 3])));
        let b = Array::F64(ndarray::ArrayD::zeros(ndarray::IxDyn(&[3, 4])));
        Context::of_values(vec![
            ("A".into(), Value::Array(a)),
            ("B".into(), Value::Array(b)),
            ("x".into(), Value::Array(Array::scalar_int(1))),
        ])
    }

    #[test]
    fn open_brackets_continue_the_entry() {
        assert!(is_incomplete("A = [1, 2,"));
        assert!(is_incomplete("f(\n[1"));
        assert!(!is_incomplete("A = [1, 2]"));
        assert!(!is_incomplete("s = \"[\" # ("));
        assert!(!is_incomplete(":help ["));
        assert!(!is_incomplete("A = [1]]"));
        // Blocks continue until their `end`, and one-line blocks are done.
        assert!(is_incomplete("for i in arange(3)"));
        assert!(is_incomplete("function f(x)\n  if x > 0"));
        assert!(!is_incomplete("function f(x)\n  if x > 0\n x\n end\nend"));
        assert!(!is_incomplete("while true end"));
        assert!(!is_incomplete("f(x) = x + 1"));
        assert!(!is_incomplete("endpoint = 3; iffy = 2 # for"));
    }

    #[test]
    fn hints_name_symbolic_sizes() {
        use crate::value::{DType, Dim, Meta};
        let (n, d, h) = (
            Dim::declared(1, "n", None),
            Dim::declared(2, "d", None),
            Dim::declared(3, "h", None),
        );
        let shaped = |dims: &[&Dim]| {
            let dims = dims.iter().map(|&x| x.clone()).collect();
            Value::Shaped(Meta::with_dims(dims, DType::Float64))
        };
        let ctx = Context::of_values(vec![
            ("x".into(), shaped(&[&n, &d])),
            ("W".into(), shaped(&[&d, &h])),
        ]);
        assert_eq!(hint(&ctx, "x @ W", 5).as_deref(), Some("  # n×h float64"));
        assert_eq!(hint(&ctx, "x @ x", 5).as_deref(), Some("  # matmul: d ≠ n"));
    }

    #[test]
    fn a_name_hints_its_shape_and_dtype() {
        assert_eq!(hint(&ctx(), "A", 1).as_deref(), Some("  # 2×3 float64"));
        assert_eq!(hint(&ctx(), "C = A", 5).as_deref(), Some("  # 2×3 float64"));
        assert_eq!(hint(&ctx(), "A ", 2), None);
        assert_eq!(hint(&ctx(), "A", 0), None);
    }

    #[test]
    fn a_line_hints_its_whole_shape_or_its_first_error() {
        // The shape of the line, not of its last name.
        assert_eq!(hint(&ctx(), "A @ B", 5).as_deref(), Some("  # 2×4 float64"));
        assert_eq!(
            hint(&ctx(), "A @ B + x", 9).as_deref(),
            Some("  # 2×4 float64")
        );
        assert_eq!(
            hint(&ctx(), "B @ A", 5).as_deref(),
            Some("  # matmul: 4 ≠ 2")
        );
        assert_eq!(
            hint(&ctx(), "sum([1, 2])", 11).as_deref(),
            Some("  # scalar int64")
        );
        // Nothing is computed: a huge product is only a shape.
        assert_eq!(
            hint(&ctx(), "rand(10000, 10000) @ rand(10000, 10000)", 39).as_deref(),
            Some("  # 10000×10000 float64")
        );
    }

    #[test]
    fn an_open_call_hints_its_signature() {
        assert_eq!(
            hint(&ctx(), "zeros(", 6).as_deref(),
            Some("  # zeros(shape..., dtype=\"float64\")")
        );
        assert_eq!(
            hint(&ctx(), "B = sum([1, 2], ", 16).as_deref(),
            Some("  # sum(x, axis=None, keepdims=false, dtype=None, initial=None, where=true)")
        );
        assert_eq!(hint(&ctx(), "(1 + ", 5), None);
    }

    #[test]
    fn a_command_hints_its_arguments() {
        assert_eq!(hint(&ctx(), ":save", 5).as_deref(), Some(" FILE"));
        assert_eq!(hint(&ctx(), ":vars", 5).as_deref(), Some(" [size]"));
        assert_eq!(hint(&ctx(), ":quit", 5), None);
    }
}
