//! `:shape EXPR`: the expression's tree with the shape and dtype of every
//! subexpression, from the rules alone (nothing large is computed), and the
//! node where it first fails marked with its error in a few words.

use crate::eval::Evaluator;
use crate::render::{Markup, Style};
use crate::session::{Outcome, Session};
use crate::syntax::{Expr, ExprKind, IndexItem, StmtKind, parse};
use crate::value::Value;

/// Subexpressions deeper than this are not expanded (a typed 10 000-term sum
/// would otherwise draw 10 000 levels).
const MAX_DEPTH: usize = 24;

pub fn shape(session: &Session, rest: &str) -> Vec<Outcome> {
    if rest.is_empty() {
        return super::error(":shape needs an expression, as in :shape A @ B'");
    }
    let limits = session.config().limits;
    let program = match parse(rest, &limits.parse_limits()) {
        Ok(p) => p,
        Err(d) => return vec![Outcome::Diagnostic(d)],
    };
    let [stmt] = program.statements.as_slice() else {
        return super::error(":shape takes one expression");
    };
    let expr = match &stmt.kind {
        StmtKind::Expr(e) => e,
        StmtKind::Assign { value, .. } | StmtKind::Unpack { value, .. } => value,
        _ => return super::error(":shape takes one expression, not a block or a definition"),
    };
    let mut ev = session.shape_only_copy();
    ev.set_source(std::rc::Rc::from(rest));
    let mut m = Markup::new();
    node(&mut ev, rest, expr, "", "", 0, &mut m);
    vec![Outcome::Text(m)]
}

/// One line for `e` (its text, then its shape or why it fails), then its
/// children, drawn as a tree.
fn node(
    ev: &mut Evaluator,
    src: &str,
    e: &Expr,
    lead: &str,
    child_lead: &str,
    depth: usize,
    m: &mut Markup,
) -> bool {
    let children = if depth < MAX_DEPTH {
        children(e)
    } else {
        Vec::new()
    };
    let result = ev.eval(e);
    ev.warnings.clear();
    let mut text: String = src[e.span.start..e.span.end].chars().take(48).collect();
    if e.span.end - e.span.start > text.len() {
        text.push('…');
    }
    if !m.0.is_empty() {
        m.plain("\n");
    }
    m.push(Style::Gutter, lead.to_string());
    m.plain(text);
    m.plain("  ");
    // Children first, to know whether this is where the failure starts.
    let mut sub = Markup::new();
    let mut children_ok = true;
    for (i, c) in children.iter().enumerate() {
        let last = i + 1 == children.len();
        let (l, cl) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        sub.plain("\n");
        let mut one = Markup::new();
        children_ok &= node(
            ev,
            src,
            c,
            &format!("{child_lead}{l}"),
            &format!("{child_lead}{cl}"),
            depth + 1,
            &mut one,
        );
        sub.append(one);
    }
    let ok = match result {
        Ok(v) => {
            let shown = match &*v {
                Value::Unknown => "unknown (decided by values)".to_string(),
                other => other.describe(),
            };
            m.push(Style::Dim, shown);
            true
        }
        Err(d) if children_ok => {
            m.push(Style::Error, format!("✗ {}", d.in_few_words()));
            false
        }
        Err(_) => {
            m.push(Style::Dim, "(fails below)");
            false
        }
    };
    m.append(sub);
    ok
}

/// The subexpressions shown under `e`.
fn children(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
        ExprKind::Unary { operand, .. } | ExprKind::Transpose { operand, .. } => vec![operand],
        ExprKind::Paren(inner) => children(inner),
        ExprKind::Array(elems) => elems.iter().collect(),
        ExprKind::Call { args, .. } => args.iter().map(|a| &a.value).collect(),
        ExprKind::Index { target, items } => {
            let mut v: Vec<&Expr> = vec![target];
            for it in items {
                if let IndexItem::Expr(x) = it {
                    v.push(x);
                }
            }
            v
        }
        _ => Vec::new(),
    }
}
