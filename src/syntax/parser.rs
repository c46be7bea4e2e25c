//! The pest parser and the Pratt table that turns its pairs into the AST.
//!
//! Precedence, loosest to tightest:
//!   `|` < `&` < comparisons < `+ -` < `* / // % @ \\` < prefix `- + !`
//!   < `^ **` (right-associative) < postfix `'`, `[...]`.
//! Calls `f(...)` are primaries, so `shape(A)[0]` indexes the call's result.

use std::sync::{Arc, OnceLock};

use pest::Parser;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::*;
use super::lex::Tok;
use crate::diagnostic::{Diagnostic, ErrorKind};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/tensorcalc.pest"]
struct Grammar;

/// Default for the deepest bracket nesting accepted; deeper input is refused
/// before parsing, so the recursive-descent parser cannot overflow the stack.
pub const MAX_NESTING: usize = 256;

/// The largest nesting limit that can be configured: the binary's worker
/// thread's stack is sized for it, so larger limits are lowered to it.
pub const MAX_NESTING_CEILING: usize = 4096;
/// Most prefix or power operators in one statement. Both nest (`- - - x`,
/// `2^2^2`), so they are bounded for the same reason as brackets.
pub const MAX_OPERATOR_CHAIN: usize = 10_000;

/// Default parser steps allowed for one input: the grammar is linear, so this
/// only stops pathological input (about 50 steps per byte of dense
/// expression, so the default covers the 8 MiB input cap).
pub const PARSER_CALL_LIMIT: usize = 500_000_000;

/// The limits one parse runs under (a session's `--max-depth` and
/// `--max-parse-steps`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseLimits {
    /// Deepest bracket nesting, from 1 to `MAX_NESTING_CEILING` (values
    /// outside are brought into that range).
    pub max_depth: usize,
    /// Parser steps per input, at least 1.
    pub max_steps: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: MAX_NESTING,
            max_steps: PARSER_CALL_LIMIT,
        }
    }
}

/// Most binary operators in one statement: a 200 000-term sum would parse
/// for about half a second, so it is refused at once instead.
pub const MAX_INFIX_PER_STATEMENT: usize = 50_000;

/// Deepest expression tree accepted (postfix chains like `x''''` and
/// `x[0][0]` nest too). Left operands of binary operators do not count: the
/// evaluator walks them with a loop.
pub const MAX_EXPR_DEPTH: usize = 10_000;

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::logical_or, Assoc::Left))
            .op(Op::infix(Rule::logical_and, Assoc::Left))
            .op(Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::ge, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left)
                | Op::infix(Rule::div, Assoc::Left)
                | Op::infix(Rule::floor_div, Assoc::Left)
                | Op::infix(Rule::modulo, Assoc::Left)
                | Op::infix(Rule::left_div, Assoc::Left)
                | Op::infix(Rule::matmul, Assoc::Left))
            .op(Op::prefix(Rule::neg) | Op::prefix(Rule::plus) | Op::prefix(Rule::not))
            .op(Op::infix(Rule::pow, Assoc::Right))
            .op(Op::postfix(Rule::transpose) | Op::postfix(Rule::index))
    })
}

type PResult<T> = Result<T, Diagnostic>;

fn syntax_error(span: Span, message: impl Into<String>, label: impl Into<String>) -> Diagnostic {
    Diagnostic::error(ErrorKind::Syntax, message).primary(span, label)
}

/// Parses a whole program (a script, or one prompt entry) under `limits`.
pub fn parse(source: &str, limits: &ParseLimits) -> PResult<Program> {
    let depth = prescan_source(source, limits)?;
    let statements = parse_run(source, 0, source.len(), limits, depth)?;
    Ok(Program { statements })
}

/// The checks before pest runs (nesting, operator chains), over all of
/// `source`; returns its deepest nesting of brackets and blocks.
pub(super) fn prescan_source(source: &str, limits: &ParseLimits) -> PResult<usize> {
    prescan(source, limits.max_depth.clamp(1, MAX_NESTING_CEILING))
}

/// Stack that one level of nesting may take while a run is parsed (pest's
/// recursion and the builder's), with room to spare for unoptimised builds.
const STACK_PER_LEVEL: usize = 64 << 10;

/// Parses `source[start..end]`, a run of whole top-level statements of a
/// source that `prescan_source` has passed (nested at most `depth` deep),
/// into statements whose spans (and diagnostics) point into all of `source`.
///
/// pest's own stack probe fails a parse ("stack limit reached") on a thread
/// with too little stack left; this makes room first: if the thread has
/// less left than `depth` levels need, the parse runs on a new segment of
/// that size, so input within `--max-depth` parses on any thread.
pub(super) fn parse_run(
    source: &str,
    start: usize,
    end: usize,
    limits: &ParseLimits,
    depth: usize,
) -> PResult<Vec<Stmt>> {
    let needed = (depth + 2) * STACK_PER_LEVEL;
    stacker::maybe_grow(needed, needed, || {
        parse_run_here(source, start, end, limits)
    })
}

fn parse_run_here(
    source: &str,
    start: usize,
    end: usize,
    limits: &ParseLimits,
) -> PResult<Vec<Stmt>> {
    let text = &source[start..end];
    let max_steps = limits.max_steps.max(1);
    // pest keeps its call limit in a setting of its own; it is set before
    // every parse, so each parse runs under its caller's limit.
    pest::set_call_limit(std::num::NonZeroUsize::new(max_steps));
    let mut pairs = Grammar::parse(Rule::program, text)
        .map_err(|e| shifted(pest_error(text, e, max_steps), start))?;
    let program = pairs
        .next()
        .expect("the program rule always yields one pair");
    Builder {
        source,
        base: start,
    }
    .build_statements(program.into_inner(), Place::TOP)
}

/// A diagnostic about `source[base..]` made to point into `source`.
fn shifted(mut d: Diagnostic, base: usize) -> Diagnostic {
    for label in &mut d.labels {
        label.span = Span::new(label.span.start + base, label.span.end + base);
    }
    d
}

/// Where a statement stands, for the checks the grammar leaves to the
/// builder: `break` outside a loop, `return` outside a function, a
/// definition inside a block.
#[derive(Clone, Copy)]
struct Place {
    in_loop: bool,
    in_function: bool,
    top: bool,
}

impl Place {
    const TOP: Place = Place {
        in_loop: false,
        in_function: false,
        top: true,
    };
}

/// Refuses input whose nesting would make the recursive parser or evaluator
/// overflow the stack, pointing at the bracket or operator that went too far.
fn prescan(source: &str, max_nesting: usize) -> PResult<usize> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut chain = 0usize;
    let mut infix = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut prev_significant = b'\n';
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_comment {
            if c == b'\n' {
                in_comment = false;
                prev_significant = b'\n';
            }
        } else if in_string {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' || c == b'\n' {
                in_string = false;
            }
        } else {
            match c {
                b'#' => in_comment = true,
                b'"' => in_string = true,
                b'[' | b'(' => {
                    // `x[0][0]...` nests one level per index.
                    if c == b'[' && matches!(prev_significant, b']' | b')' | b'\'') {
                        chain += 1;
                    }
                    depth += 1;
                    deepest = deepest.max(depth);
                    if depth > max_nesting {
                        return Err(Diagnostic::error(
                            ErrorKind::Limit,
                            format!("brackets nested more than {max_nesting} deep (--max-depth)"),
                        )
                        .primary(Span::new(i, i + 1), format!("level {depth}"))
                        .help("split the expression into several statements with names"));
                    }
                }
                b']' | b')' => depth = depth.saturating_sub(1),
                // Blocks nest like brackets: `if`, `for`, `while` and
                // `function` open one, `end` closes it.
                b'a'..=b'z' | b'A'..=b'Z' | b'_'
                    if i == 0
                        || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') =>
                {
                    let len = bytes[i..]
                        .iter()
                        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                        .unwrap_or(bytes.len() - i);
                    match &source[i..i + len] {
                        "if" | "for" | "while" | "function" => {
                            depth += 1;
                            deepest = deepest.max(depth);
                            if depth > max_nesting {
                                return Err(Diagnostic::error(
                                    ErrorKind::Limit,
                                    format!("brackets and blocks nested more than {max_nesting} deep (--max-depth)"),
                                )
                                .primary(Span::new(i, i + len), format!("level {depth}"))
                                .help("move the inner part into a function"));
                            }
                        }
                        "end" => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    prev_significant = bytes[i + len - 1];
                    i += len;
                    continue;
                }
                // A new statement starts its own operator count.
                b';' | b'\n' if depth == 0 => {
                    chain = 0;
                    infix = 0;
                }
                // A sign directly before a number (`[-1, -2]`) does not
                // nest; a prefix operator before anything else may.
                b'-' | b'+' | b'!' if is_operator_position(prev_significant) => {
                    let next = bytes[i + 1..].iter().find(|b| !b.is_ascii_whitespace());
                    if !next.is_some_and(|b| b.is_ascii_digit() || *b == b'.') {
                        chain += 1;
                    }
                }
                b'^' => chain += 1,
                b'*' if bytes.get(i + 1) == Some(&b'*') => chain += 1,
                b'+' | b'-' | b'*' | b'/' | b'%' | b'@' | b'&' | b'|' | b'<' | b'>' | b'=' => {
                    infix += 1
                }
                _ => {}
            }
            if infix > MAX_INFIX_PER_STATEMENT {
                return Err(Diagnostic::error(
                    ErrorKind::Limit,
                    format!("more than {MAX_INFIX_PER_STATEMENT} operators in one statement"),
                )
                .primary(Span::new(i, i + 1), "this one goes over the limit")
                .note("parsing a statement this long would take seconds")
                .help("split the statement into several, with names for the parts, or use sum(...) over an array"));
            }
            if chain > MAX_OPERATOR_CHAIN {
                return Err(Diagnostic::error(
                    ErrorKind::Limit,
                    format!("more than {MAX_OPERATOR_CHAIN} nested operators in one statement"),
                )
                .primary(Span::new(i, i + 1), "this one goes over the limit")
                .help("split the statement into several, with names for the parts"));
            }
            if !c.is_ascii_whitespace() {
                prev_significant = c;
            }
        }
        i += 1;
    }
    Ok(deepest)
}

/// Refuses a statement whose expression tree is deeper than the evaluator's
/// recursion allows. Walks with an explicit stack, so it cannot overflow.
fn check_depth(stmt: &Stmt) -> PResult<()> {
    let mut roots = Vec::new();
    stmt.exprs(&mut roots);
    for root in roots {
        check_expr_depth(root)?;
    }
    Ok(())
}

fn check_expr_depth(root: &Expr) -> PResult<()> {
    let mut stack: Vec<(&Expr, usize)> = vec![(root, 1)];
    while let Some((e, d)) = stack.pop() {
        if d > MAX_EXPR_DEPTH {
            return Err(Diagnostic::error(
                ErrorKind::Limit,
                format!("expression nested more than {MAX_EXPR_DEPTH} levels deep"),
            )
            .primary(e.span, "this part is too deep")
            .help("split the statement into several, with names for the parts"));
        }
        match &e.kind {
            // The left spine is evaluated in a loop: no extra depth.
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push((lhs, d));
                stack.push((rhs, d + 1));
            }
            ExprKind::Unary { operand, .. } | ExprKind::Transpose { operand, .. } => {
                stack.push((operand, d + 1))
            }
            ExprKind::Paren(inner) => stack.push((inner, d + 1)),
            ExprKind::Index { target, items } => {
                stack.push((target, d + 1));
                for item in items {
                    match item {
                        IndexItem::Expr(x) => stack.push((x, d + 1)),
                        IndexItem::Slice {
                            start, stop, step, ..
                        } => {
                            stack.extend(
                                [start, stop, step]
                                    .into_iter()
                                    .flatten()
                                    .map(|x| (x, d + 1)),
                            );
                        }
                        IndexItem::Ellipsis(_) => {}
                    }
                }
            }
            ExprKind::Array(elems) => stack.extend(elems.iter().map(|x| (x, d + 1))),
            ExprKind::Call { args, .. } => stack.extend(args.iter().map(|a| (&a.value, d + 1))),
            _ => {}
        }
    }
    Ok(())
}

/// Whether a `-`, `+` or `!` after this byte is a prefix operator.
fn is_operator_position(prev: u8) -> bool {
    matches!(
        prev,
        b'\n'
            | b';'
            | b'='
            | b'('
            | b'['
            | b','
            | b':'
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'@'
            | b'^'
            | b'<'
            | b'>'
            | b'&'
            | b'|'
            | b'!'
    )
}

/// Turns pest's pairs into the AST. Pairs come from a parse of
/// `source[base..]`, so their offsets are shifted by `base` into spans of the
/// whole source.
struct Builder<'s> {
    source: &'s str,
    base: usize,
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.base + s.start(), self.base + s.end())
    }

    /// The statements of a program or a block body. A `;` only silences the
    /// statement directly before it; separators that follow a newline belong to
    /// no statement. Newlines produce no pairs, so marking the most recent
    /// statement is right: `a\n;` is still "a followed by ;".
    fn build_statements(&self, pairs: Pairs<Rule>, place: Place) -> PResult<Vec<Stmt>> {
        let mut statements: Vec<Stmt> = Vec::new();
        for pair in pairs {
            match pair.as_rule() {
                Rule::semicolon => {
                    if let Some(last) = statements.last_mut() {
                        last.silent = true;
                    }
                }
                Rule::EOI => {}
                _ => {
                    let stmt = self.build_statement(pair, place)?;
                    if place.top {
                        check_depth(&stmt)?;
                    }
                    statements.push(stmt);
                }
            }
        }
        Ok(statements)
    }

    fn build_statement(&self, pair: Pair<Rule>, place: Place) -> PResult<Stmt> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => StmtKind::Expr(self.build_expr(pair)?),
            Rule::assign => self.build_assign(pair)?,
            Rule::unpack => {
                let mut names = Vec::new();
                let mut value = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::ident => names.push((p.as_str().to_string(), self.span(&p))),
                        _ => value = Some(self.build_expr(p)?),
                    }
                }
                StmtKind::Unpack {
                    names,
                    value: value.expect("unpack has a value"),
                }
            }
            Rule::dim_decl => {
                let mut items = Vec::new();
                for item in pair.into_inner().filter(|p| p.as_rule() == Rule::dim_item) {
                    let mut inner = item.into_inner();
                    let name = inner.next().expect("a dim item has a name");
                    items.push(DimItem {
                        name: name.as_str().to_string(),
                        name_span: self.span(&name),
                        value: inner.next().map(|p| self.build_expr(p)).transpose()?,
                    });
                }
                StmtKind::Dim(items)
            }
            Rule::short_function | Rule::function_block => {
                if !place.top {
                    let what = if place.in_function {
                        "a function cannot be defined inside another function"
                    } else {
                        "a function cannot be defined inside a block"
                    };
                    return Err(syntax_error(span, what, "define it at the top level")
                        .help("define the function before the block, then call it inside"));
                }
                StmtKind::Function(Arc::new(self.build_function(pair)?))
            }
            Rule::if_block => {
                let mut branches = Vec::new();
                let mut otherwise = None;
                let mut inner = pair.into_inner();
                inner.next(); // `if`
                let cond = self.build_expr(inner.next().expect("if has a condition"))?;
                let body = self.build_body(inner.next().expect("if has a body"), place)?;
                branches.push((cond, body));
                for clause in inner {
                    match clause.as_rule() {
                        Rule::elseif_clause => {
                            let mut c = clause.into_inner();
                            c.next(); // `elseif`
                            let cond =
                                self.build_expr(c.next().expect("elseif has a condition"))?;
                            let body =
                                self.build_body(c.next().expect("elseif has a body"), place)?;
                            branches.push((cond, body));
                        }
                        Rule::else_clause => {
                            let body = clause.into_inner().nth(1).expect("else has a body");
                            otherwise = Some(self.build_body(body, place)?);
                        }
                        _ => {} // `end`
                    }
                }
                StmtKind::If {
                    branches,
                    otherwise,
                }
            }
            Rule::for_block => {
                let mut inner = pair.into_inner();
                inner.next(); // `for`
                let var = inner.next().expect("for has a variable");
                inner.next(); // `in`
                let iter = self.build_expr(inner.next().expect("for has a value"))?;
                let body = self.build_body(
                    inner.next().expect("for has a body"),
                    Place {
                        in_loop: true,
                        top: false,
                        ..place
                    },
                )?;
                StmtKind::For {
                    var: var.as_str().to_string(),
                    var_span: self.span(&var),
                    iter,
                    body,
                }
            }
            Rule::while_block => {
                let mut inner = pair.into_inner();
                inner.next(); // `while`
                let cond = self.build_expr(inner.next().expect("while has a condition"))?;
                let body = self.build_body(
                    inner.next().expect("while has a body"),
                    Place {
                        in_loop: true,
                        top: false,
                        ..place
                    },
                )?;
                StmtKind::While { cond, body }
            }
            Rule::break_stmt | Rule::continue_stmt => {
                let word = pair.as_str();
                if !place.in_loop {
                    return Err(syntax_error(
                        span,
                        format!("`{word}` outside a loop"),
                        format!("`{word}` belongs inside `for` or `while`"),
                    ));
                }
                if pair.as_rule() == Rule::break_stmt {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                }
            }
            Rule::return_stmt => {
                if !place.in_function {
                    return Err(syntax_error(
                        span,
                        "`return` outside a function",
                        "`return` belongs inside `function ... end`",
                    ));
                }
                let value = pair
                    .into_inner()
                    .nth(1)
                    .map(|p| self.build_expr(p))
                    .transpose()?;
                StmtKind::Return(value)
            }
            rule => unreachable!("statement rule {rule:?}"),
        };
        Ok(Stmt {
            kind,
            span,
            silent: false,
        })
    }

    /// The statements of a block. Blocks inside a block stay inside it: only
    /// the top level may define functions.
    fn build_body(&self, pair: Pair<Rule>, place: Place) -> PResult<Vec<Stmt>> {
        debug_assert_eq!(pair.as_rule(), Rule::body);
        self.build_statements(
            pair.into_inner(),
            Place {
                top: false,
                ..place
            },
        )
    }

    /// `x = v`, `A[i] = v`, and the compound forms: `x op= v` is read as
    /// `x = x op v` (`A[i] op= v` as `A[i] = A[i] op v`), so it displays,
    /// fails and changes the workspace exactly as the long form does.
    fn build_assign(&self, pair: Pair<Rule>) -> PResult<StmtKind> {
        let mut inner = pair.into_inner();
        let name = inner.next().unwrap();
        let name_span = self.span(&name);
        let mut next = inner.next().unwrap();
        let mut index = None;
        let mut target_span = name_span;
        if next.as_rule() == Rule::index {
            target_span = name_span.to(self.span(&next));
            index = Some(self.build_index_items(next)?);
            next = inner.next().unwrap();
        }
        let op_pair = next;
        let value = self.build_expr(inner.next().unwrap())?;
        let op = match op_pair.as_str() {
            "+=" => BinOp::Add,
            "-=" => BinOp::Sub,
            "*=" => BinOp::Mul,
            "/=" => BinOp::Div,
            "@=" => BinOp::MatMul,
            _ => {
                return Ok(StmtKind::Assign {
                    name: name.as_str().to_string(),
                    name_span,
                    index,
                    value,
                });
            }
        };
        let op_span = self.span(&op_pair);
        let op_span = Span::new(op_span.start, op_span.end - 1);
        let target_name = Expr {
            kind: ExprKind::Name(name.as_str().to_string()),
            span: name_span,
        };
        let target = match &index {
            None => target_name,
            Some(items) => Expr {
                span: target_span,
                kind: ExprKind::Index {
                    target: Box::new(target_name),
                    items: items.clone(),
                },
            },
        };
        let value = Expr {
            span: target.span.to(value.span),
            kind: ExprKind::Binary {
                op,
                op_span,
                lhs: Box::new(target),
                rhs: Box::new(value),
            },
        };
        Ok(StmtKind::Assign {
            name: name.as_str().to_string(),
            name_span,
            index,
            value,
        })
    }

    /// A definition, one-line or block, with the comment lines right above it.
    fn build_function(&self, pair: Pair<Rule>) -> PResult<FunctionDef> {
        let span = self.span(&pair);
        let short = pair.as_rule() == Rule::short_function;
        let mut inner = pair.into_inner();
        if !short {
            inner.next(); // `function`
        }
        let name = inner.next().expect("a definition has a name");
        let params_pair = inner.next().expect("a definition has parameters");
        let mut params: Vec<Param> = Vec::new();
        for p in params_pair.into_inner() {
            let mut parts = p.into_inner();
            let ident = parts.next().expect("a parameter has a name");
            let pname = ident.as_str().to_string();
            let pspan = self.span(&ident);
            if let Some(first) = params.iter().find(|q| q.name == pname) {
                return Err(syntax_error(
                    pspan,
                    format!("parameter `{pname}` appears twice"),
                    "again here",
                )
                .secondary(first.span, "first here"));
            }
            let default = parts.next().map(|p| self.build_expr(p)).transpose()?;
            if default.is_none()
                && let Some(d) = params.iter().find(|q| q.default.is_some())
            {
                return Err(syntax_error(
                    pspan,
                    "a parameter without a default cannot follow one with a default",
                    "no default",
                )
                .secondary(d.span, "has a default")
                .help("put the parameters with defaults last: f(x, a=1)"));
            }
            params.push(Param {
                name: pname,
                span: pspan,
                default,
            });
        }
        let body_pair = inner.next().expect("a definition has a body");
        let body = if short {
            FunctionBody::Expr(self.build_expr(body_pair)?)
        } else {
            FunctionBody::Block(self.build_body(
                body_pair,
                Place {
                    in_loop: false,
                    in_function: true,
                    top: false,
                },
            )?)
        };
        let (doc, text_start) = doc_comments(self.source, span.start);
        Ok(FunctionDef {
            name: name.as_str().to_string(),
            name_span: self.span(&name),
            params,
            body,
            doc,
            text: self.source[text_start..span.end].to_string(),
            text_start,
            span,
        })
    }

    fn build_expr(&self, pair: Pair<Rule>) -> PResult<Expr> {
        debug_assert_eq!(pair.as_rule(), Rule::expr);
        self.pratt_expr(pair.into_inner())
    }

    fn pratt_expr(&self, pairs: Pairs<Rule>) -> PResult<Expr> {
        pratt()
            .map_primary(|p| self.build_primary(p))
            .map_prefix(|op, operand| {
                let operand = operand?;
                let op_span = self.span(&op);
                let op_kind = match op.as_rule() {
                    Rule::neg => UnOp::Neg,
                    Rule::plus => UnOp::Plus,
                    Rule::not => UnOp::Not,
                    rule => unreachable!("prefix {rule:?}"),
                };
                Ok(Expr {
                    span: op_span.to(operand.span),
                    kind: ExprKind::Unary {
                        op: op_kind,
                        op_span,
                        operand: Box::new(operand),
                    },
                })
            })
            .map_postfix(|operand, op| {
                let operand = operand?;
                let op_span = self.span(&op);
                let span = operand.span.to(op_span);
                let kind = match op.as_rule() {
                    Rule::transpose => ExprKind::Transpose {
                        op_span,
                        operand: Box::new(operand),
                    },
                    Rule::index => ExprKind::Index {
                        target: Box::new(operand),
                        items: self.build_index_items(op)?,
                    },
                    rule => unreachable!("postfix {rule:?}"),
                };
                Ok(Expr { kind, span })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op_kind = match op.as_rule() {
                    Rule::logical_or => BinOp::Or,
                    Rule::logical_and => BinOp::And,
                    Rule::eq => BinOp::Eq,
                    Rule::ne => BinOp::Ne,
                    Rule::lt => BinOp::Lt,
                    Rule::le => BinOp::Le,
                    Rule::gt => BinOp::Gt,
                    Rule::ge => BinOp::Ge,
                    Rule::add => BinOp::Add,
                    Rule::sub => BinOp::Sub,
                    Rule::mul => BinOp::Mul,
                    Rule::div => BinOp::Div,
                    Rule::floor_div => BinOp::FloorDiv,
                    Rule::modulo => BinOp::Mod,
                    Rule::left_div => BinOp::LeftDiv,
                    Rule::matmul => BinOp::MatMul,
                    Rule::pow => BinOp::Pow,
                    rule => unreachable!("infix {rule:?}"),
                };
                Ok(Expr {
                    span: lhs.span.to(rhs.span),
                    kind: ExprKind::Binary {
                        op: op_kind,
                        op_span: self.span(&op),
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                })
            })
            .parse(pairs)
    }

    fn build_primary(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::number if text.ends_with(['j', 'J']) => {
                ExprKind::Imag(parse_float(&text[..text.len() - 1], span)?)
            }
            Rule::number if text.contains(['.', 'e', 'E']) => {
                ExprKind::Float(parse_float(text, span)?)
            }
            Rule::number => match text.parse::<i64>() {
                Ok(v) => ExprKind::Int(v),
                Err(_) => {
                    return Err(Diagnostic::error(
                        ErrorKind::Syntax,
                        "integer literal does not fit in int64",
                    )
                    .primary(span, format!("the largest int64 is {}", i64::MAX))
                    .help(format!("write it as a float: {text}.0")));
                }
            },
            Rule::string => ExprKind::Str(unescape(pair.into_inner().next().unwrap().as_str())),
            Rule::ident => ExprKind::Name(text.to_string()),
            Rule::paren => {
                let inner = pair.into_inner().next().unwrap();
                ExprKind::Paren(Box::new(self.build_expr(inner)?))
            }
            Rule::array => self.build_array(pair)?,
            // A name, or a call when its arguments follow.
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = inner.next().unwrap();
                let Some(arg_list) = inner.next() else {
                    return Ok(Expr {
                        kind: ExprKind::Name(name.as_str().to_string()),
                        span: self.span(&name),
                    });
                };
                let mut args = Vec::new();
                for arg in arg_list.into_inner() {
                    args.push(match arg.as_rule() {
                        Rule::kwarg => {
                            let mut kv = arg.into_inner();
                            // `name =`: the name is the leading name characters.
                            let key = kv.next().unwrap();
                            let key_text = key.as_str();
                            let len = key_text
                                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                                .unwrap_or(key_text.len());
                            let start = self.span(&key).start;
                            Arg {
                                keyword: Some((
                                    key_text[..len].to_string(),
                                    Span::new(start, start + len),
                                )),
                                value: self.build_expr(kv.next().unwrap())?,
                            }
                        }
                        _ => Arg {
                            keyword: None,
                            value: self.build_expr(arg)?,
                        },
                    });
                }
                ExprKind::Call {
                    name: name.as_str().to_string(),
                    name_span: self.span(&name),
                    args,
                }
            }
            Rule::expr => return self.build_expr(pair),
            rule => unreachable!("primary {rule:?}"),
        };
        Ok(Expr { kind, span })
    }

    /// `[a, b; c, d]` becomes `[[a, b], [c, d]]`; `[a, b]` stays flat.
    fn build_array(&self, pair: Pair<Rule>) -> PResult<ExprKind> {
        let rows: Vec<Pair<Rule>> = pair.into_inner().collect();
        if rows.len() == 1 {
            let row = rows.into_iter().next().unwrap();
            return Ok(ExprKind::Array(self.build_row(row)?));
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let span = self.span(&row);
            out.push(Expr {
                kind: ExprKind::Array(self.build_row(row)?),
                span,
            });
        }
        Ok(ExprKind::Array(out))
    }

    fn build_row(&self, row: Pair<Rule>) -> PResult<Vec<Expr>> {
        row.into_inner().map(|p| self.build_expr(p)).collect()
    }

    fn build_index_items(&self, pair: Pair<Rule>) -> PResult<Vec<IndexItem>> {
        let mut items = Vec::new();
        for item in pair.into_inner() {
            let span = self.span(&item);
            items.push(match item.as_rule() {
            Rule::ellipsis => IndexItem::Ellipsis(span),
            Rule::slice => {
                // Up to three parts separated by colons, each may be empty.
                let mut parts: [Option<Expr>; 3] = [None, None, None];
                let mut colons = 0;
                for p in item.into_inner() {
                    match p.as_rule() {
                        Rule::colon => colons += 1,
                        _ => parts[colons] = Some(self.build_expr(p)?),
                    }
                }
                let [start, stop, step] = parts;
                match (colons, start) {
                    (0, Some(e)) => IndexItem::Expr(e),
                    (0, None) => {
                        return Err(syntax_error(
                            span,
                            "empty index",
                            "expected an index: a number, a slice like 1:3, `...`, an index array or a mask",
                        ));
                    }
                    (_, start) => IndexItem::Slice {
                        start,
                        stop,
                        step,
                        span,
                    },
                }
            }
            rule => unreachable!("index item {rule:?}"),
        });
        }
        Ok(items)
    }
}

fn parse_float(text: &str, span: Span) -> PResult<f64> {
    text.parse::<f64>()
        .map_err(|_| syntax_error(span, "malformed number", "not a number"))
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The `#` lines directly above `start` (the line `start` is on must hold
/// nothing before it), without their `#` and one following space; and where
/// the first of them begins.
fn doc_comments(source: &str, start: usize) -> (Vec<String>, usize) {
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    if !source[line_start..start].trim().is_empty() {
        return (Vec::new(), start);
    }
    let mut doc = Vec::new();
    let mut first = line_start;
    let mut end = line_start;
    while end > 0 {
        let prev_start = source[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = source[prev_start..end - 1].trim();
        match line.strip_prefix('#') {
            Some(text) if !line.starts_with("#!") => {
                doc.push(
                    text.strip_prefix(' ')
                        .unwrap_or(text)
                        .trim_end()
                        .to_string(),
                );
                first = prev_start;
                end = prev_start;
            }
            _ => break,
        }
    }
    doc.reverse();
    let first = if doc.is_empty() { start } else { first };
    (doc, first)
}

/// Rewrites pest's rule lists into plain words.
fn pest_error(source: &str, err: pest::error::Error<Rule>, max_steps: usize) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let mut pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // At the end of the input, point just after the last thing written
    // rather than at an empty last line.
    let at_eof = source[pos..].trim().is_empty();
    if at_eof {
        pos = source.trim_end().len();
    }
    if let Some(d) = lexical_error(source, pos) {
        return d;
    }
    if let Some(d) = keyword_error(source, pos) {
        return d;
    }
    let found = if at_eof {
        None
    } else {
        source[pos..].chars().next()
    };
    let end = pos + found.map_or(0, char::len_utf8);
    let found_text = match found {
        None => "end of input".to_string(),
        Some('\n') => "end of line".to_string(),
        Some(c) if c.is_control() => format!("`{}`", c.escape_default()),
        Some(c) => format!("`{c}`"),
    };
    let expected = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => describe_expected(positives),
        ErrorVariant::CustomError { message } if message.contains("call limit") => {
            return Diagnostic::error(ErrorKind::Limit, "this input is too large or too complex to parse")
                .primary(Span::new(0, source.len().min(1)), "in this input")
                .note(format!(
                    "the parser gives up after {max_steps} steps per input (--max-parse-steps); this one needed more"
                ))
                .help("split it into several smaller statements or files");
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let at_end = found.is_none() || found == Some('\n');
    let open = unclosed_bracket(source);
    if open.is_none()
        && found.is_none()
        && let Some((word, at)) = unclosed_block(source)
    {
        return Diagnostic::error(ErrorKind::Syntax, "unexpected end of input")
            .primary(Span::new(pos, end), "expected `end`")
            .secondary(
                Span::new(at, at + word.len()),
                format!("this `{word}` has no `end`"),
            )
            .help("close the block with `end`");
    }
    let expected = match open {
        Some((ch, _)) if at_end => format!("`{}`", if ch == '[' { ']' } else { ')' }),
        _ => expected,
    };
    let mut d = Diagnostic::error(ErrorKind::Syntax, format!("unexpected {found_text}"))
        .primary(Span::new(pos, end), format!("expected {expected}"));
    if let Some((ch, at)) = open {
        d = d.secondary(Span::new(at, at + 1), format!("this `{ch}` is not closed"));
        if at_end {
            d = d.help(format!(
                "close it with `{}`",
                if ch == '[' { ']' } else { ')' }
            ));
        }
    }
    d
}

/// Errors that are about a token rather than the grammar: a malformed
/// number, an unterminated string, a single quote where a value should be.
fn lexical_error(source: &str, pos: usize) -> Option<Diagnostic> {
    // A malformed number may have started before the point pest stopped at
    // (`1.2.3` fails at `.3`): back up to the start of the token.
    let original = pos;
    let mut pos = pos;
    while pos > 0
        && source.as_bytes()[pos - 1].is_ascii_alphanumeric() | (source.as_bytes()[pos - 1] == b'.')
    {
        pos -= 1;
    }
    if !source[pos..].starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        pos = original;
    }
    let rest = &source[pos..];
    let first = rest.chars().next()?;
    if first.is_ascii_digit()
        || (first == '.' && rest[1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(rest.len());
        let token = &rest[..len];
        let plain = token.strip_suffix(['j', 'J']).unwrap_or(token);
        if plain.parse::<f64>().is_ok() && !plain.contains(['i', 'n', 'I', 'N']) {
            // A well-formed number where an operator was expected: the
            // grammar's own message says that better.
            return None;
        }
        let help = if token.starts_with("0x") || token.starts_with("0b") || token.starts_with("0o")
        {
            "only decimal numbers are supported, e.g. 16 rather than 0x10".to_string()
        } else if token
            .to_ascii_lowercase()
            .trim_end_matches('j')
            .ends_with('e')
        {
            "an exponent needs digits, e.g. 1e3 or 2.5e-4".to_string()
        } else {
            "a number is digits with an optional `.`, exponent (`e-3`) and `j` for imaginary; a name cannot start with a digit".to_string()
        };
        return Some(
            Diagnostic::error(ErrorKind::Syntax, format!("malformed number `{token}`"))
                .primary(Span::new(pos, pos + len), "not a number")
                .help(help),
        );
    }
    if first == '"' && !rest[1..].lines().next().unwrap_or("").contains('"') {
        let end = pos + rest.find('\n').unwrap_or(rest.len());
        return Some(
            Diagnostic::error(ErrorKind::Syntax, "unterminated string")
                .primary(
                    Span::new(pos, end.max(pos + 1)),
                    "this string has no closing `\"`",
                )
                .help("strings are written in double quotes on one line: \"float32\""),
        );
    }
    if first == '\'' {
        return Some(
            Diagnostic::error(ErrorKind::Syntax, "`'` transposes the value before it")
                .primary(Span::new(pos, pos + 1), "nothing to transpose here")
                .help("strings use double quotes: \"text\""),
        );
    }
    None
}

/// The block keywords: never names (nor the names of loaded arrays).
pub const KEYWORDS: [&str; 11] = [
    "function", "end", "if", "elseif", "else", "for", "in", "while", "break", "continue", "return",
];

/// A keyword where the grammar did not expect it: assigned as a name, or
/// an `end` (`else`, `elseif`) with no block to close.
fn keyword_error(source: &str, pos: usize) -> Option<Diagnostic> {
    let rest = &source[pos..];
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let word = &rest[..len];
    if !KEYWORDS.contains(&word) {
        return None;
    }
    let span = Span::new(pos, pos + len);
    let after = rest[len..].trim_start();
    if after.starts_with('=') && !after.starts_with("==") || after.starts_with(',') {
        return Some(
            Diagnostic::error(
                ErrorKind::Syntax,
                format!("`{word}` is a keyword, not a name"),
            )
            .primary(span, "keyword")
            .help(format!("pick another name, e.g. {word}_")),
        );
    }
    if matches!(word, "end" | "else" | "elseif") && unclosed_block(&source[..pos]).is_none() {
        return Some(
            Diagnostic::error(ErrorKind::Syntax, format!("`{word}` without an open block"))
                .primary(span, "nothing to close here")
                .note("blocks start with `function`, `if`, `for` or `while` and close with `end`"),
        );
    }
    Some(
        Diagnostic::error(ErrorKind::Syntax, format!("unexpected `{word}`"))
            .primary(span, "a keyword cannot stand here"),
    )
}

/// The innermost block still open at the end of `text`: its keyword and
/// where it is.
fn unclosed_block(text: &str) -> Option<(&'static str, usize)> {
    let mut stack = Vec::new();
    for t in super::lex::Lexer::new(text) {
        if t.tok != Tok::Ident {
            continue;
        }
        match &text[t.start..t.end] {
            "end" => {
                stack.pop();
            }
            w => {
                if let Some(k) = ["function", "if", "for", "while"]
                    .into_iter()
                    .find(|k| *k == w)
                {
                    stack.push((k, t.start));
                }
            }
        }
    }
    stack.pop()
}

/// The innermost bracket still open at the end of `text`, if any.
fn unclosed_bracket(text: &str) -> Option<(char, usize)> {
    let mut stack = Vec::new();
    for t in super::lex::Lexer::new(text) {
        match t.tok {
            Tok::Open => stack.push((char::from(text.as_bytes()[t.start]), t.start)),
            Tok::Close => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

fn describe_expected(rules: &[Rule]) -> String {
    let mut words: Vec<&str> = Vec::new();
    for rule in rules {
        let word = match rule {
            Rule::expr
            | Rule::primary
            | Rule::number
            | Rule::string
            | Rule::ident
            | Rule::array
            | Rule::paren
            | Rule::call
            | Rule::neg
            | Rule::plus
            | Rule::not => "a number, a name or `[`",
            Rule::row => "an element",
            Rule::logical_or
            | Rule::logical_and
            | Rule::eq
            | Rule::ne
            | Rule::lt
            | Rule::le
            | Rule::gt
            | Rule::ge
            | Rule::add
            | Rule::sub
            | Rule::mul
            | Rule::div
            | Rule::floor_div
            | Rule::modulo
            | Rule::left_div
            | Rule::matmul
            | Rule::pow => "an operator",
            Rule::transpose | Rule::index => "an operator",
            Rule::EOI | Rule::semicolon => "the end of the statement",
            Rule::slice | Rule::ellipsis | Rule::colon => "an index",
            Rule::kwarg | Rule::kwarg_name => "an argument",
            Rule::kw_end => "`end`",
            Rule::kw_else | Rule::kw_elseif => "`else`, `elseif`",
            Rule::kw_in => "`in`",
            Rule::params => "`(`",
            Rule::param => "a parameter",
            Rule::assign_op => "`=`",
            _ => "something else",
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    if words.len() > 1 {
        words.retain(|w| *w != "something else");
    }
    if words.contains(&"an index") {
        return "an index: a number, a slice like 1:3, `...`, an index array or a mask".to_string();
    }
    match words.len() {
        0 => "something else".to_string(),
        1 => words[0].to_string(),
        n => format!("{} or {}", words[..n - 1].join(", "), words[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> PResult<Program> {
        super::parse(src, &ParseLimits::default())
    }

    fn expr(src: &str) -> Expr {
        let mut p = parse(src).expect("parses");
        match p.statements.remove(0).kind {
            StmtKind::Expr(e) => e,
            _ => panic!("not an expression"),
        }
    }

    #[test]
    fn binary_nodes_carry_operand_and_operator_spans() {
        let e = expr("A @ B'");
        let ExprKind::Binary {
            op,
            op_span,
            lhs,
            rhs,
        } = &e.kind
        else {
            panic!("binary expected")
        };
        assert_eq!(*op, BinOp::MatMul);
        assert_eq!(*op_span, Span::new(2, 3));
        assert_eq!(lhs.span, Span::new(0, 1));
        assert_eq!(rhs.span, Span::new(4, 6));
        assert!(matches!(rhs.kind, ExprKind::Transpose { .. }));
        assert_eq!(e.span, Span::new(0, 6));
    }

    #[test]
    fn semicolons_silence_only_the_statement_before_them() {
        let p = parse("a = 1; b = 2\nc\n").unwrap();
        let silent: Vec<bool> = p.statements.iter().map(|s| s.silent).collect();
        assert_eq!(silent, vec![true, false, false]);
    }

    #[test]
    fn octave_rows_become_nested_arrays() {
        let e = expr("[1, 2; 3, 4]");
        let ExprKind::Array(rows) = &e.kind else {
            panic!()
        };
        assert_eq!(rows.len(), 2);
        assert!(
            rows.iter()
                .all(|r| matches!(&r.kind, ExprKind::Array(x) if x.len() == 2))
        );
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused_before_parsing() {
        let deep = "[".repeat(MAX_NESTING + 1);
        let d = parse(&deep).unwrap_err();
        assert_eq!(d.kind, ErrorKind::Limit);
        assert_eq!(d.location(), Some(Span::new(MAX_NESTING, MAX_NESTING + 1)));
    }

    #[test]
    fn the_nesting_limit_is_the_one_passed_in() {
        let deep = format!("{}1{}", "[".repeat(10), "]".repeat(10));
        let shallow = ParseLimits {
            max_depth: 9,
            ..ParseLimits::default()
        };
        assert_eq!(
            super::parse(&deep, &shallow).unwrap_err().kind,
            ErrorKind::Limit
        );
        assert!(parse(&deep).is_ok());
    }

    #[test]
    fn a_long_sum_parses_and_drops_without_recursion() {
        let src = vec!["1"; MAX_INFIX_PER_STATEMENT].join("+");
        let p = parse(&src).unwrap();
        assert_eq!(p.statements.len(), 1);
        // One operator more is refused before parsing, and so is a
        // 200 000-term sum; another statement starts a fresh count.
        let d = parse(&vec!["1"; 200_000].join("+")).unwrap_err();
        assert_eq!(d.kind, ErrorKind::Limit);
        let two = format!("{src}\n{src}");
        assert_eq!(parse(&two).unwrap().statements.len(), 2);
    }

    #[test]
    fn signs_of_numbers_do_not_count_as_nested_operators() {
        let src = format!("[{}]", vec!["-1"; MAX_OPERATOR_CHAIN + 10].join(", "));
        assert!(parse(&src).is_ok());
        let nested = format!("{}x", "- ".repeat(MAX_OPERATOR_CHAIN + 1));
        assert_eq!(parse(&nested).unwrap_err().kind, ErrorKind::Limit);
    }

    #[test]
    fn syntax_errors_say_what_was_expected_in_words() {
        let d = parse("1 +* 2").unwrap_err();
        assert_eq!(d.message, "unexpected `*`");
        assert_eq!(d.labels[0].text, "expected a number, a name or `[`");
        let d = parse("x = [1, 2").unwrap_err();
        assert!(d.help.iter().any(|h| h.contains("`]`")), "{d:?}");
    }

    #[test]
    fn compound_assignment_reads_as_the_long_form() {
        let p = parse("A[0, 1] += 2").unwrap();
        let StmtKind::Assign { value, index, .. } = &p.statements[0].kind else {
            panic!()
        };
        assert!(index.is_some());
        let ExprKind::Binary {
            op, op_span, lhs, ..
        } = &value.kind
        else {
            panic!()
        };
        assert_eq!(*op, BinOp::Add);
        assert_eq!(*op_span, Span::new(8, 9));
        assert_eq!(lhs.span, Span::new(0, 7));
    }

    #[test]
    fn keywords_are_not_names_but_may_start_them() {
        assert!(parse("end = 1").is_err());
        assert!(parse("endpoint = 1; iffy = 2; format = 3; input = 4").is_ok());
        let p = parse("if x > 0; y = 1; elseif x < 0; y = 2; else; y = 3; end").unwrap();
        let StmtKind::If {
            branches,
            otherwise,
        } = &p.statements[0].kind
        else {
            panic!()
        };
        assert_eq!(branches.len(), 2);
        assert_eq!(otherwise.as_ref().map(Vec::len), Some(1));
        assert!(branches[0].1[0].silent);
    }

    /// `parse_run` makes room for the input's nesting: input nested as deep
    /// as the default limit allows, in every way the grammar nests, parses
    /// on a 2 MiB thread (the smallest a test thread gets), even in this
    /// unoptimised build, where a level takes most stack.
    #[test]
    fn input_at_the_default_nesting_limit_parses_on_a_small_stack() {
        let n = MAX_NESTING;
        let inputs = [
            format!("{}1{}", "(".repeat(n), ")".repeat(n)),
            format!("{}1{}", "[".repeat(n), "]".repeat(n)),
            format!("{}1{}", "f(".repeat(n), ")".repeat(n)),
            format!("x{}", "[0]".repeat(n)),
            format!("{}{}", "if true\n".repeat(n), "end\n".repeat(n)),
        ];
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                for src in &inputs {
                    assert!(parse(src).is_ok(), "{}", &src[..20]);
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn blocks_count_towards_the_nesting_limit() {
        let deep = format!(
            "{}{}",
            "if true\n".repeat(MAX_NESTING + 1),
            "end\n".repeat(MAX_NESTING + 1)
        );
        assert_eq!(parse(&deep).unwrap_err().kind, ErrorKind::Limit);
        let ok = format!("{}{}", "if true\n".repeat(50), "end\n".repeat(50));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn doc_comments_are_the_lines_directly_above() {
        let p = parse("# not this\n\n# one\n#  two\nf(x) = x").unwrap();
        let StmtKind::Function(def) = &p.statements[0].kind else {
            panic!()
        };
        assert_eq!(def.doc, ["one", " two"]);
        assert_eq!(def.text, "# one\n#  two\nf(x) = x");
        assert_eq!(def.signature(), "f(x)");
    }
}
