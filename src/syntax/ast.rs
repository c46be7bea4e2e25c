//! The abstract syntax tree. Every node carries a half-open byte span into the
//! source; binary and unary nodes also carry their operator's span so a
//! diagnostic can underline the operator and each operand separately.

use std::fmt;

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

#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug)]
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

#[derive(Debug)]
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

#[derive(Debug)]
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
