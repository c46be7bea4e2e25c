//! The abstract syntax tree. Every node carries a half-open byte span into the
//! source; binary and unary nodes also carry their operator's span so a
//! diagnostic can underline the operator and each operand separately.

use std::fmt;
use std::sync::Arc;

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Infix operators, by meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    MatMul,
    /// `A \ b`, Octave's left division: solve(A, b).
    LeftDiv,
    Pow,
}

impl BinOp {
    /// The operator as written in source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "|",
            BinOp::And => "&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::MatMul => "@",
            BinOp::LeftDiv => "\\",
            BinOp::Pow => "^",
        }
    }

    /// The operation's name in messages (NumPy's ufunc names where they exist).
    pub fn name(self) -> &'static str {
        match self {
            BinOp::Or => "logical or",
            BinOp::And => "logical and",
            BinOp::Eq => "equal",
            BinOp::Ne => "not_equal",
            BinOp::Lt => "less",
            BinOp::Le => "less_equal",
            BinOp::Gt => "greater",
            BinOp::Ge => "greater_equal",
            BinOp::Add => "add",
            BinOp::Sub => "subtract",
            BinOp::Mul => "multiply",
            BinOp::Div => "divide",
            BinOp::FloorDiv => "floor_divide",
            BinOp::Mod => "mod",
            BinOp::MatMul => "matmul",
            BinOp::LeftDiv => "solve",
            BinOp::Pow => "power",
        }
    }
}

impl fmt::Display for BinOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Neg,
    Plus,
    Not,
}

impl UnOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnOp::Neg => "-",
            UnOp::Plus => "+",
            UnOp::Not => "!",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Int(i64),
    Float(f64),
    Imag(f64),
    Str(String),
    Name(String),
    /// `[a, b, c]`; Octave rows `[a, b; c, d]` are desugared into nested arrays.
    Array(Vec<Expr>),
    Unary {
        op: UnOp,
        op_span: Span,
        operand: Box<Expr>,
    },
    Binary {
        op: BinOp,
        op_span: Span,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// Postfix `'`.
    Transpose {
        op_span: Span,
        operand: Box<Expr>,
    },
    Index {
        target: Box<Expr>,
        items: Vec<IndexItem>,
    },
    Call {
        name: String,
        name_span: Span,
        args: Vec<Arg>,
    },
    /// Parentheses are kept so messages can quote what the user wrote.
    Paren(Box<Expr>),
}

#[derive(Debug, Clone)]
pub enum IndexItem {
    Expr(Expr),
    Slice {
        start: Option<Expr>,
        stop: Option<Expr>,
        step: Option<Expr>,
        span: Span,
    },
    Ellipsis(Span),
}

impl IndexItem {
    pub fn span(&self) -> Span {
        match self {
            IndexItem::Expr(e) => e.span,
            IndexItem::Slice { span, .. } | IndexItem::Ellipsis(span) => *span,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Arg {
    /// `Some` for a keyword argument `name=value`.
    pub keyword: Option<(String, Span)>,
    pub value: Expr,
}

#[derive(Debug)]
pub enum StmtKind {
    Expr(Expr),
    Assign {
        name: String,
        name_span: Span,
        index: Option<Vec<IndexItem>>,
        value: Expr,
    },
    Unpack {
        names: Vec<(String, Span)>,
        value: Expr,
    },
    /// `f(x) = ...` or `function f(x) ... end`. Shared, so the workspace
    /// keeps the parsed definition after the program that made it is gone
    /// (a call never parses again). `Arc`, so that statements can be
    /// parsed on another thread (`syntax::Script`).
    Function(Arc<FunctionDef>),
    /// `if c ... elseif c ... else ... end`: the conditions in order, each
    /// with its body, then the `else` body.
    If {
        branches: Vec<(Expr, Vec<Stmt>)>,
        otherwise: Option<Vec<Stmt>>,
    },
    /// `for var in iter ... end`.
    For {
        var: String,
        var_span: Span,
        iter: Expr,
        body: Vec<Stmt>,
    },
    /// `while cond ... end`.
    While {
        cond: Expr,
        body: Vec<Stmt>,
    },
    Break,
    Continue,
    Return(Option<Expr>),
    /// `dim n, d = 64`: symbolic sizes, each with a value or not.
    Dim(Vec<DimItem>),
}

/// One name of a `dim` statement.
#[derive(Debug)]
pub struct DimItem {
    pub name: String,
    pub name_span: Span,
    pub value: Option<Expr>,
}

/// A user-defined function, as parsed.
#[derive(Debug)]
pub struct FunctionDef {
    pub name: String,
    pub name_span: Span,
    pub params: Vec<Param>,
    pub body: FunctionBody,
    /// The `#` comment lines directly above the definition, without `#`.
    pub doc: Vec<String>,
    /// The definition as written (with its comment lines), for `:save`.
    pub text: String,
    /// Where `text` starts in the source it was parsed from.
    pub text_start: usize,
    /// The whole definition, `function` to `end`.
    pub span: Span,
}

#[derive(Debug)]
pub enum FunctionBody {
    /// `f(x) = expr`.
    Expr(Expr),
    /// `function f(x) ... end`.
    Block(Vec<Stmt>),
}

#[derive(Debug)]
pub struct Param {
    pub name: String,
    pub span: Span,
    pub default: Option<Expr>,
}

impl FunctionDef {
    /// `softmax(z, axis=-1)` as written.
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| match &p.default {
                Some(d) => format!("{}={}", p.name, self.text_of(d.span).unwrap_or("...")),
                None => p.name.clone(),
            })
            .collect();
        format!("{}({})", self.name, params.join(", "))
    }

    /// The source of `span` (a part of the definition).
    pub fn text_of(&self, span: Span) -> Option<&str> {
        let start = span.start.checked_sub(self.text_start)?;
        let end = span.end.checked_sub(self.text_start)?;
        self.text.get(start..end)
    }
}

#[derive(Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
    /// Followed by `;`: evaluate without displaying.
    pub silent: bool,
}

#[derive(Debug, Default)]
pub struct Program {
    pub statements: Vec<Stmt>,
}

impl Expr {
    /// Moves the children out so that dropping them does not recurse.
    fn take_children(&mut self, out: &mut Vec<Expr>) {
        let placeholder = || Expr {
            kind: ExprKind::Int(0),
            span: Span::default(),
        };
        let mut take = |b: &mut Box<Expr>| out.push(std::mem::replace(&mut **b, placeholder()));
        match &mut self.kind {
            ExprKind::Unary { operand, .. } | ExprKind::Transpose { operand, .. } => take(operand),
            ExprKind::Paren(inner) => take(inner),
            ExprKind::Binary { lhs, rhs, .. } => {
                take(lhs);
                take(rhs);
            }
            ExprKind::Index { target, items } => {
                take(target);
                for item in items.drain(..) {
                    match item {
                        IndexItem::Expr(e) => out.push(e),
                        IndexItem::Slice {
                            start, stop, step, ..
                        } => out.extend([start, stop, step].into_iter().flatten()),
                        IndexItem::Ellipsis(_) => {}
                    }
                }
            }
            ExprKind::Array(elems) => out.append(elems),
            ExprKind::Call { args, .. } => out.extend(args.drain(..).map(|a| a.value)),
            _ => {}
        }
    }
}

/// A 200 000-term sum is a 200 000-deep tree; the default recursive drop would
/// overflow the stack, so children are dropped from an explicit work list.
impl Drop for Expr {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        self.take_children(&mut pending);
        while let Some(mut e) = pending.pop() {
            e.take_children(&mut pending);
        }
    }
}

impl Stmt {
    /// Every expression of the statement at any block depth, in source
    /// order (default values and one-line bodies of definitions included).
    pub fn exprs<'a>(&'a self, out: &mut Vec<&'a Expr>) {
        let block = |body: &'a [Stmt], out: &mut Vec<&'a Expr>| {
            for s in body {
                s.exprs(out);
            }
        };
        match &self.kind {
            StmtKind::Expr(e) => out.push(e),
            StmtKind::Assign { index, value, .. } => {
                for item in index.iter().flatten() {
                    item.exprs(out);
                }
                out.push(value);
            }
            StmtKind::Unpack { value, .. } => out.push(value),
            StmtKind::Function(def) => {
                out.extend(def.params.iter().filter_map(|p| p.default.as_ref()));
                match &def.body {
                    FunctionBody::Expr(e) => out.push(e),
                    FunctionBody::Block(body) => block(body, out),
                }
            }
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    out.push(cond);
                    block(body, out);
                }
                if let Some(body) = otherwise {
                    block(body, out);
                }
            }
            StmtKind::For { iter, body, .. } => {
                out.push(iter);
                block(body, out);
            }
            StmtKind::While { cond, body } => {
                out.push(cond);
                block(body, out);
            }
            StmtKind::Return(e) => out.extend(e.iter()),
            StmtKind::Dim(items) => out.extend(items.iter().filter_map(|i| i.value.as_ref())),
            StmtKind::Break | StmtKind::Continue => {}
        }
    }

    /// Whether this is a block (`if`, `for`, `while`) whose statements
    /// display on their own.
    pub fn is_block(&self) -> bool {
        matches!(
            self.kind,
            StmtKind::If { .. } | StmtKind::For { .. } | StmtKind::While { .. }
        )
    }
}

impl IndexItem {
    fn exprs<'a>(&'a self, out: &mut Vec<&'a Expr>) {
        match self {
            IndexItem::Expr(e) => out.push(e),
            IndexItem::Slice {
                start, stop, step, ..
            } => out.extend([start, stop, step].into_iter().flatten()),
            IndexItem::Ellipsis(_) => {}
        }
    }
}
