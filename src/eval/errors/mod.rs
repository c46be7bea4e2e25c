//! Turns typed `OpError`s into diagnostics: the evaluator knows the spans and
//! source text of each operand, so it can underline them with their shapes,
//! show the rule that was broken, and offer fixes that it has checked.

mod arrays;
mod construct;
mod plot;
pub use plot::transpose_help;
pub mod einops;
mod everyday;
mod products;
mod random;
mod reduce;
mod shape;
mod stats;

use crate::diagnostic::{Diagnostic, ErrorKind};
mod operators;

pub mod io;
pub mod linalg;

use crate::ops::OpError;
use crate::ops::broadcast::{broadcast_dims, known};
use crate::ops::index::IndexError;
use crate::ops::matmul::matmul_dims;
use crate::syntax::{BinOp, Span};
use crate::value::{Array, CastError, Dim, shape_text};

/// One operand of a binary operator as written: its shape, where it is and
/// its text.
pub struct Operand<'a> {
    pub shape: Vec<Dim>,
    pub span: Span,
    pub text: &'a str,
}

impl<'a> Operand<'a> {
    pub fn of(value: &Array, span: Span, text: &'a str) -> Operand<'a> {
        Operand {
            shape: known(value.shape()),
            span,
            text,
        }
    }

    fn shape(&self) -> &[Dim] {
        &self.shape
    }

    /// The operand's text, parenthesised if a postfix operator would
    /// otherwise bind to only part of it.
    fn atom(&self) -> String {
        atom(self.text)
    }
}

/// Wraps `text` in parentheses unless it is a single name, call, literal or
/// bracketed expression.
pub fn atom(text: &str) -> String {
    let mut depth = 0i32;
    let simple = text.chars().all(|c| {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        depth > 0 || c.is_alphanumeric() || matches!(c, '_' | '.' | '(' | ')' | '[' | ']' | '\'')
    });
    if simple {
        text.to_string()
    } else {
        format!("({text})")
    }
}

/// Shapes aligned from the right with the clashing axis marked.
pub fn aligned_shapes<T: std::fmt::Display>(a: &[T], b: &[T], axis_from_right: usize) -> String {
    let n = a.len().max(b.len());
    let cell = |s: &[T], k: usize| -> String {
        // k counts from the left of the aligned n-wide layout.
        let pad = n - s.len();
        if k < pad {
            String::new()
        } else {
            s[k - pad].to_string()
        }
    };
    let widths: Vec<usize> = (0..n)
        .map(|k| cell(a, k).len().max(cell(b, k).len()).max(1))
        .collect();
    let row = |s: &[T]| -> String {
        (0..n)
            .map(|k| format!("{:>w$}", cell(s, k), w = widths[k]))
            .collect::<Vec<_>>()
            .join("   ")
    };
    let clash = n - 1 - axis_from_right;
    let offset: usize = widths[..clash].iter().map(|w| w + 3).sum::<usize>() + widths[clash] - 1;
    let av = cell(a, clash);
    let bv = cell(b, clash);
    format!(
        "shapes aligned from the right:\n  {}\n  {}\n  {}^ axis {}: {} ≠ {}",
        row(a),
        row(b),
        " ".repeat(offset),
        clash,
        av,
        bv
    )
}

const BROADCAST_RULE: &str = "rule: shapes are compared from the right; two axes fit when they are equal or one of them is 1, and missing axes count as 1";
const MATMUL_RULE: &str = "rule: m×k @ k×n gives m×n: the last axis of the left operand must equal the second-to-last axis of the right one (a vector on the left acts as 1×k, on the right as k×1)";

fn transposed(shape: &[Dim]) -> Option<Vec<Dim>> {
    (shape.len() >= 2).then(|| {
        let mut t = shape.to_vec();
        let n = t.len();
        t.swap(n - 1, n - 2);
        t
    })
}

/// The diagnostic for a failed binary operator.
pub fn binary_error(
    op: BinOp,
    op_span: Span,
    lhs: &Operand,
    rhs: &Operand,
    err: OpError,
) -> Diagnostic {
    let (ls, rs) = (shape_text(lhs.shape()), shape_text(rhs.shape()));
    match err {
        OpError::MatmulInner { .. } => {
            let k1 = lhs.shape()[lhs.shape().len() - 1].clone();
            let k2 = if rhs.shape().len() == 1 {
                rhs.shape()[0].clone()
            } else {
                rhs.shape()[rhs.shape().len() - 2].clone()
            };
            let mut d = Diagnostic::error(
                ErrorKind::Shape,
                format!(
                    "matmul: {ls} @ {rs}: inner dimensions differ ({} ≠ {})",
                    k1.with_value(),
                    k2.with_value()
                ),
            )
            .secondary(lhs.span, ls.clone())
            .primary(op_span, format!("{k1} ≠ {k2}"))
            .secondary(rhs.span, rs.clone())
            .note(MATMUL_RULE);
            let infix = lhs.span.end <= op_span.start && op_span.end <= rhs.span.start;
            let fixes = matmul_fixes(lhs, rhs);
            if infix {
                // The statement keeps those that make it work as a whole
                // (Evaluator::exec), and says the best-ranked.
                for (text, _, rank) in fixes {
                    d = d.rewrite(crate::diagnostic::Rewrite {
                        span: lhs.span.to(rhs.span),
                        text,
                        rank,
                    });
                }
            } else {
                for (text, shape, _) in best_ranked(fixes, |f| f.2) {
                    d = d.help(format!("{text} gives {}", shape_text(&shape)));
                }
            }
            d
        }
        OpError::MatmulScalar { side, .. } => {
            let (scalar, other) = if side == 0 { (lhs, rhs) } else { (rhs, lhs) };
            let fix = format!("{} * {}", lhs.atom(), rhs.atom());
            Diagnostic::error(
                ErrorKind::Shape,
                format!("matmul: {ls} @ {rs}: `@` needs at least a vector on each side"),
            )
            .secondary(scalar.span, "scalar")
            .primary(op_span, "matrix product")
            .secondary(other.span, shape_text(other.shape()))
            .help(format!(
                "to scale every element use `*`: {fix} gives {}",
                shape_text(other.shape())
            ))
        }
        OpError::MatmulBatch { .. } => {
            let lb = &lhs.shape()[..lhs.shape().len().saturating_sub(2)];
            let rb = &rhs.shape()[..rhs.shape().len().saturating_sub(2)];
            let mut d = Diagnostic::error(
                ErrorKind::Shape,
                format!(
                    "matmul: {ls} @ {rs}: batch axes {} and {} do not broadcast",
                    shape_text(lb),
                    shape_text(rb)
                ),
            )
            .secondary(lhs.span, ls)
            .primary(op_span, "batched matrix product")
            .secondary(rhs.span, rs);
            if let Err(OpError::Broadcast {
                axis_from_right, ..
            }) = broadcast_dims(lb, rb)
            {
                d = d.note(format!(
                    "batch axes {}",
                    aligned_shapes(lb, rb, axis_from_right)
                ));
            }
            d.note("rule: the axes before the last two are batch axes and broadcast like elementwise operands")
        }
        OpError::Broadcast {
            axis_from_right, ..
        } => {
            let mut d = Diagnostic::error(
                ErrorKind::Shape,
                format!("{}: shapes {ls} and {rs} do not broadcast", op.name()),
            )
            .secondary(lhs.span, ls)
            .primary(op_span, format!("elementwise {}", op.name()))
            .secondary(rhs.span, rs)
            .note(aligned_shapes(lhs.shape(), rhs.shape(), axis_from_right))
            .note(BROADCAST_RULE);
            for fix in broadcast_fixes(op, lhs, rhs) {
                d = d.help(fix);
            }
            d
        }
        other => {
            let rhs_label = if matches!(other, OpError::DivideByZero { .. }) {
                format!("{rs}, contains 0")
            } else {
                rs
            };
            generic_error(op.name(), other)
                .secondary(lhs.span, ls)
                .primary(op_span, op.name())
                .secondary(rhs.span, rhs_label)
        }
    }
}

/// Candidate rewrites of a failed `A @ B` that fix the product itself, with
/// a rank: transposing one side (0) is worth saying before swapping the
/// operands (1), which is offered only when no transpose works.
fn matmul_fixes(lhs: &Operand, rhs: &Operand) -> Vec<(String, Vec<Dim>, u8)> {
    let (a, b) = (lhs.atom(), rhs.atom());
    let (l, r) = (Some(lhs.shape().to_vec()), Some(rhs.shape().to_vec()));
    let (lt, rt) = (transposed(lhs.shape()), transposed(rhs.shape()));
    let candidates = [
        (format!("{a} @ {b}'"), l.clone(), rt.clone(), 0),
        (format!("{a}' @ {b}"), lt.clone(), r.clone(), 0),
        (format!("{b} @ {a}"), r.clone(), l.clone(), 1),
        (format!("{b} @ {a}'"), r, lt, 1),
        (format!("{b}' @ {a}"), rt, l, 1),
    ];
    candidates
        .into_iter()
        .filter_map(|(text, x, y, rank)| {
            let shape = matmul_dims(&x?, &y?).ok()?;
            Some((text, shape, rank))
        })
        .collect()
}

/// The best-ranked of some candidate fixes.
pub fn best_ranked<T>(fixes: Vec<T>, rank: impl Fn(&T) -> u8) -> Vec<T> {
    let best = fixes.iter().map(&rank).min();
    fixes
        .into_iter()
        .filter(|f| Some(rank(f)) == best)
        .collect()
}

/// Candidate rewrites of a failed elementwise operator, kept only if valid.
fn broadcast_fixes(op: BinOp, lhs: &Operand, rhs: &Operand) -> Vec<String> {
    let (a, b) = (lhs.atom(), rhs.atom());
    let (ls, rs) = (lhs.shape(), rhs.shape());
    let sym = op.symbol();
    let mut out = Vec::new();
    if op == BinOp::Mul
        && ls.len() >= 2
        && !rs.is_empty()
        && let Ok(shape) = matmul_dims(ls, rs)
    {
        out.push(format!(
            "for the matrix product use `@`: {a} @ {b} gives {}",
            shape_text(&shape)
        ));
    }
    if ls.len() == 1 && rs.len() == 1 {
        let col = [ls[0].clone(), Dim::Known(1)];
        if let Ok(shape) = broadcast_dims(&col, rs) {
            out.push(format!(
                "to combine every element of {a} with every element of {b}, make {a} a column: reshape({a}, [{}, 1]) {sym} {b} gives {}",
                ls[0],
                shape_text(&shape)
            ));
        }
        if op == BinOp::Mul {
            out.push(format!(
                "outer({a}, {b}) gives the outer product, {}×{}",
                ls[0], rs[0]
            ));
        }
    }
    if let Some(t) = transposed(rs)
        && let Ok(shape) = broadcast_dims(ls, &t)
        && out.len() < 3
    {
        out.push(format!("{a} {sym} {b}' gives {}", shape_text(&shape)));
    }
    out
}

/// A diagnostic for errors that do not depend on where operands came from.
pub fn generic_error(op: &str, err: OpError) -> Diagnostic {
    match err {
        OpError::Overflow { op: name, dtype } => Diagnostic::error(
            ErrorKind::Domain,
            format!("{name}: integer overflow: the result does not fit in {dtype}"),
        )
        .note(format!("{dtype} holds {} to {}; NumPy would silently wrap around", i64::MIN, i64::MAX))
        .help("convert to float64 first, e.g. float64(x), to trade exactness for range"),
        OpError::DivideByZero { op: name } => Diagnostic::error(
            ErrorKind::Domain,
            format!("{name}: integer division by zero"),
        )
        .help("divide with `/` for a float result (x / 0 gives inf), or convert with float64(x) first"),
        OpError::DType { op: name, dtype } => {
            let d = Diagnostic::error(ErrorKind::Type, format!("{name} is not defined for {dtype}"));
            match operators::dtype_hint(&name, dtype) {
                Some(h) => d.help(h),
                None => d,
            }
        }
        OpError::Ragged { element, shape, first } => Diagnostic::error(
            ErrorKind::Shape,
            format!(
                "ragged array literal: element {} has shape {} but element 1 has shape {}",
                element + 1,
                shape_text(&shape),
                shape_text(&first)
            ),
        ),
        OpError::BadIndex(e) => {
            let kind = match e {
                IndexError::SliceStepZero | IndexError::TwoEllipses => ErrorKind::Domain,
                _ => ErrorKind::Shape,
            };
            Diagnostic::error(kind, format!("{op}: {}", operators::index_message(&e)))
        }
        OpError::Axis { axis, ndim, .. } => Diagnostic::error(
            ErrorKind::Index,
            format!("{op}: axis {axis} is out of range for a {ndim}-D array"),
        )
        .note(format!(
            "valid axes are 0 to {} (or -{} to -1 from the end)",
            ndim.saturating_sub(1),
            ndim
        )),
        OpError::Index { axis, len, index } => Diagnostic::error(
            ErrorKind::Index,
            format!("index {index} is out of range for axis {axis} of length {len}"),
        )
        .note(format!(
            "valid indices are 0 to {} (or -{len} to -1 from the end)",
            len as i64 - 1
        )),
        OpError::Limit { shape, dtype, max_bytes, .. } => {
            let need: f64 = shape.iter().map(|&d| d as f64).product::<f64>() * dtype.size() as f64;
            Diagnostic::error(
                ErrorKind::Limit,
                format!(
                    "{op}: a {} {dtype} array would need {}; the limit is {} (--max-memory)",
                    shape_text(&shape),
                    crate::value::bytes_text(need),
                    crate::value::bytes_text(max_bytes as f64)
                ),
            )
        }
        OpError::OutOfMemory { shape, dtype, scratch } => {
            let d = Diagnostic::error(
                ErrorKind::Limit,
                format!(
                    "{op}: not enough memory for a {} {dtype} array ({})",
                    shape_text(&shape),
                    crate::value::bytes_text(crate::ops::limits::bytes_of(&shape, dtype) as f64)
                ),
            );
            scratch_note(d, op, scratch)
                .note("the system refused the allocation; the workspace is kept")
                .help("free memory with :clear NAME (:vars size lists the variables, largest first)")
        }
        OpError::Budget { shape, dtype, scratch, held, budget, largest } => {
            let need = crate::ops::limits::bytes_of(&shape, dtype) as f64;
            let mut d = Diagnostic::error(
                ErrorKind::Limit,
                format!(
                    "{op}: a {} {dtype} array ({}) does not fit the workspace budget: the variables hold {} of {} (--max-memory)",
                    shape_text(&shape),
                    crate::value::bytes_text(need),
                    crate::value::bytes_text(held as f64),
                    crate::value::bytes_text(budget as f64)
                ),
            );
            d = scratch_note(d, op, scratch);
            if !largest.is_empty() {
                let names: Vec<String> = largest
                    .iter()
                    .map(|(n, b)| format!("{n} ({})", crate::value::bytes_text(*b as f64)))
                    .collect();
                d = d.note(format!("largest variables: {}", names.join(", ")));
            }
            d.help("free memory with :clear NAME (:vars size lists the variables, largest first), or raise --max-memory")
        }
        OpError::Reduce { err, .. } => reduce::diagnostic(op, &err),
        OpError::Product { err, .. } => products::diagnostic(op, &err),
        OpError::Interrupted => Diagnostic::error(ErrorKind::Interrupted, "interrupted"),
        OpError::Linalg { err, .. } => linalg::diagnostic(op, &err),
        OpError::Construct { err, .. } => construct::diagnostic(op, &err),
        OpError::ShapeFn { err, .. } => shape::diagnostic(op, &err),
        OpError::Plot { err, .. } => plot::diagnostic(op, &err),
        OpError::Everyday { err, .. } => everyday::diagnostic(op, &err),
        OpError::Random { err, .. } => random::diagnostic(op, &err),
        OpError::Arrays { err, .. } => arrays::diagnostic(op, &err),
        OpError::Stats { err, .. } => stats::diagnostic(op, &err),
        OpError::Einops { err, .. } => einops::diagnostic(op, &err),
        OpError::Broadcast { lhs, rhs, axis_from_right } => Diagnostic::error(
            ErrorKind::Shape,
            format!("{op}: shapes {} and {} do not broadcast", shape_text(&lhs), shape_text(&rhs)),
        )
        .note(aligned_shapes(&lhs, &rhs, axis_from_right))
        .note(BROADCAST_RULE),
        OpError::MatmulInner { lhs, rhs } | OpError::MatmulBatch { lhs, rhs } | OpError::MatmulScalar { lhs, rhs, .. } => {
            Diagnostic::error(
                ErrorKind::Shape,
                format!("{op}: {} @ {}: shapes do not fit a matrix product", shape_text(&lhs), shape_text(&rhs)),
            )
            .note(MATMUL_RULE)
        }
    }
}

/// The working memory a kernel needs beside its result, when it counted.
fn scratch_note(d: Diagnostic, op: &str, scratch: usize) -> Diagnostic {
    if scratch == 0 {
        return d;
    }
    d.note(format!(
        "{op} also works in {} of temporary memory beside its result",
        crate::value::bytes_text(scratch as f64)
    ))
}

/// Which argument an `OpError` blames, if any.
pub fn blamed_arg(err: &OpError) -> Option<usize> {
    match err {
        OpError::Axis { arg, .. }
        | OpError::Limit { arg, .. }
        | OpError::Linalg { arg, .. }
        | OpError::Reduce { arg, .. }
        | OpError::Product { arg, .. }
        | OpError::Construct { arg, .. }
        | OpError::ShapeFn { arg, .. }
        | OpError::Plot { arg, .. }
        | OpError::Everyday { arg, .. }
        | OpError::Random { arg, .. }
        | OpError::Arrays { arg, .. }
        | OpError::Stats { arg, .. }
        | OpError::Einops { arg, .. } => *arg,
        _ => None,
    }
}

/// Words for a refused cast.
pub fn cast_error_text(err: &CastError, to: &str) -> (String, String) {
    match err {
        CastError::DropsImaginary => (
            format!("cannot convert complex values to {to}: the imaginary parts would be lost"),
            "take real(z), imag(z) or abs(z) first".to_string(),
        ),
        CastError::NotFinite(v) => (
            format!("cannot convert {} to {to}", crate::value::float_repr(*v)),
            "replace NaN and infinities first, e.g. with clip or a mask".to_string(),
        ),
        CastError::OutOfRange(v) => (
            format!(
                "{} is outside the range of {to}",
                crate::value::float_repr(*v)
            ),
            format!("{to} holds {} to {}", i64::MIN, i64::MAX),
        ),
    }
}

/// The warning for a nearly singular matrix.
pub fn near_singular(name: &str, span: Span, w: &crate::ops::linalg::Warning) -> Diagnostic {
    let crate::ops::linalg::Warning::NearSingular { cond, index } = w;
    let place = if index.is_empty() {
        String::new()
    } else {
        format!(" at batch index {}", index_text(index))
    };
    Diagnostic::warning(format!(
        "{name}: matrix{place} is close to singular: condition number ≈ {cond:.1e} exceeds 1/eps ≈ {:.1e}",
        1.0 / f64::EPSILON
    ))
    .primary(span, "nearly singular")
    .note("the result may have few or no correct digits (the condition number is the 1-norm one)")
    .help("check the residual, e.g. norm(A @ x - b); pinv(A) and lstsq(A, b) handle rank-deficient matrices")
}

/// A ragged array literal: element `element` (0-based) against the first.
pub fn ragged_error(
    element: usize,
    shape: &[Dim],
    first: &[Dim],
    at: Span,
    first_at: Span,
) -> Diagnostic {
    let err = OpError::Ragged {
        element,
        shape: shape.to_vec(),
        first: first.to_vec(),
    };
    generic_error("array literal", err)
        .primary(at, shape_text(shape))
        .secondary(first_at, shape_text(first))
        .note("every element (row) of an array literal must have the same shape")
}

/// The error for numbers asked of a shape-only value.
pub fn needs_values(m: &crate::value::Meta, span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::NeedsValues,
        format!(
            "this needs the numbers of a shape-only value ({})",
            m.describe()
        ),
    )
    .primary(span, "shape only")
    .note("a value built from sizes without values has a shape and a dtype but no numbers")
}

/// A symbolic size where a number is needed.
pub fn needs_size_value(s: &crate::value::Sizes, span: Span) -> Diagnostic {
    Diagnostic::error(
        ErrorKind::NeedsValues,
        format!(
            "this needs a number, and {} is a size without a value",
            s.describe()
        ),
    )
    .primary(span, "symbolic size")
    .help("give it a value to compute with it, as in dim n = 32")
}

/// A batch index as NumPy prints one: `[0, 2]`.
pub(crate) fn index_text(index: &[usize]) -> String {
    let parts: Vec<String> = index.iter().map(|i| i.to_string()).collect();
    format!("[{}]", parts.join(", "))
}
