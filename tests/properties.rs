//! Property tests: whatever is typed, the session answers with values or
//! diagnostics and never panics; and algebraic identities hold for random
//! operands (`(A@B)' == B'@A'`, distributivity, reshape round trips, `A'' ==
//! A`, commutativity under broadcasting, sums over all axes).

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use tensorcalc::render::SourceFile;
use tensorcalc::value::{Array, C64, Value};
use tensorcalc::{Outcome, Session};

/// Runs `src` in a fresh session and renders every outcome (text and JSON),
/// so the renderers are exercised too.
fn run_all(src: &str) {
    let mut session = budgeted();
    let outcomes = session.eval_source(src);
    let file = SourceFile {
        name: "<prop>",
        text: src,
        first_line: 0,
    };
    for o in &outcomes {
        let _ = session.render(o, &file).to_plain();
        let _ = session.json(o);
    }
}

/// A session whose loops and recursion end on a budget (random programs
/// may well say `while true end`), in the sandbox: they also call `save`
/// and `savez` with whatever string comes up, which must not write files
/// into the directory the tests run in.
fn budgeted() -> Session {
    let mut config = tensorcalc::session::Config::default();
    config.limits.max_steps = 1_000;
    config.limits.max_recursion = 50;
    config.limits.sandbox = true;
    Session::with_config(config)
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

// ------------------------------------------------------------ never panics

const TOKENS: &[&str] = &[
    "if",
    "elseif",
    "else",
    "end",
    "for",
    "in",
    "while",
    "function",
    "return",
    "break",
    "continue",
    "+=",
    "@=",
    "f(x) =",
    "0",
    "1",
    "2",
    "-1",
    "3.5",
    ".5",
    "1e308",
    "1e-320",
    "2j",
    "1.5j",
    "true",
    "false",
    "nan",
    "inf",
    "pi",
    "e",
    "ans",
    "x",
    "A",
    "_",
    "9223372036854775807",
    "9223372036854775808",
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "^",
    "**",
    "@",
    "\\",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "&",
    "|",
    "!",
    "'",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    ":",
    "...",
    "=",
    "\n",
    "#c\n",
    "\"s\"",
    "\"",
    "axis=",
    "keepdims=true",
    "dtype=",
    "\"float32\"",
    "\"int64\"",
    "zeros",
    "ones",
    "eye",
    "reshape",
    "sum",
    "max",
    "argmax",
    "einsum",
    "\"ij,jk->ik\"",
    "tensordot",
    "concatenate",
    "transpose",
    "arange",
    "linspace",
    "diag",
    "full",
    "broadcast_to",
    "int64",
    "complex128",
    "float32",
    "bool",
    "round",
    "clip",
    "std",
    "kron",
    "cross",
    "trace",
    "shape",
    "len",
    "squeeze",
    "expand_dims",
    "stack",
    "rand",
    "seed",
    "\t",
    "\r",
    "\u{0}",
    "é",
    "∞",
    "\u{202e}",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(TOKENS), prop::bool::ANY), 0..40).prop_map(|toks| {
        let mut s = String::new();
        for (t, space) in toks {
            s.push_str(t);
            if space {
                s.push(' ');
            }
        }
        s
    })
}

/// Random well-formed programs: assignments to `x` and `A`, then random
/// expressions over literals, names, operators, calls and indexing.
fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        (-5i64..6).prop_map(|v| format!("({v})")),
        prop::sample::select(vec![
            "x",
            "A",
            "B",
            "v",
            "2.5",
            "0.0",
            "1j",
            "true",
            "nan",
            "inf",
            "[]",
            "[1, 2, 3]",
            "[1.5, -2; 3, 4]",
            "[[true], [false]]",
            "[1+2j, 3]",
            "zeros(0, 3)",
            "ones(2, 1, 3)",
            "float32([1, 2])",
            "eye(3)",
            "arange(6)",
            "\"ij->ji\"",
            // einsum's ellipsis and einops patterns, well-formed or not
            "\"...ij->...ji\"",
            "\"a b -> b a\"",
            "\"(a b) c -> a (b c)\"",
            "\"... -> (...)\"",
            "\"a (b -> 1 a\"",
        ])
        .prop_map(str::to_string),
    ]
}

fn expr() -> impl Strategy<Value = String> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        let ops = prop::sample::select(vec![
            "+", "-", "*", "/", "//", "%", "^", "@", "==", "<", ">=", "&", "|", "!=",
        ]);
        let funcs = prop::sample::select(
            tensorcalc::eval::builtins::names()
                .filter(|n| !matches!(*n, "tic" | "toc"))
                .collect::<Vec<_>>(),
        );
        let kw = prop::sample::select(vec![
            "",
            ", axis=0",
            ", axis=-1",
            ", axis=5",
            ", keepdims=true",
            ", dtype=\"int64\"",
            ", k=1",
            ", axes=1",
            ", num=3",
            ", ddof=1",
            ", axis=None",
            ", axis=[0, -1]",
            ", initial=1",
            ", where=true",
            ", mode=\"wrap\"",
            ", indexing=\"ij\"",
            ", method=\"nearest\"",
            ", bins=3",
            ", weights=[1, 2, 3]",
            ", returned=true",
            ", a=2",
            ", c=3",
        ]);
        prop_oneof![
            (inner.clone(), ops, inner.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            (prop::sample::select(vec!["-", "+", "!"]), inner.clone())
                .prop_map(|(p, a)| format!("{p}{a}")),
            inner.clone().prop_map(|a| format!("({a})'")),
            (funcs, prop::collection::vec(inner.clone(), 0..4), kw).prop_map(|(f, args, kw)| {
                let kw = if args.is_empty() {
                    kw.trim_start_matches(", ")
                } else {
                    kw
                };
                format!("{f}({}{kw})", args.join(", "))
            }),
            (
                inner.clone(),
                prop::sample::select(vec![
                    "0",
                    "-1",
                    ":",
                    "::-1",
                    "1:",
                    ":, 0",
                    "..., 0",
                    "[0, 0]",
                    "[true, false]",
                    "0, 0, 0",
                    "5",
                    "1:3:0",
                    "None",
                    ":, None",
                    "None, ..., None",
                ])
            )
                .prop_map(|(a, i)| format!("({a})[{i}]")),
        ]
    })
}

fn program() -> impl Strategy<Value = String> {
    (
        expr(),
        expr(),
        prop::collection::vec(block(), 1..3),
        prop::collection::vec(expr(), 1..3),
    )
        .prop_map(|(a, b, blocks, rest)| {
            format!(
                "x = [1, 2, 3]; A = [1, 2; 3, 4]; B = ones(2, 3); v = 7\nx = {a}\nA[0] = {b}\n{}\n{}",
                blocks.join("\n"),
                rest.join("\n")
            )
        })
}

/// Definitions, calls, loops and conditions around random expressions,
/// nested and on one line; every loop ends (`while` counts down, and the
/// step budget of `run_all` stops anything else).
fn block() -> impl Strategy<Value = String> {
    (expr(), expr(), 0..8usize).prop_map(|(a, b, form)| match form {
        0 => format!("f(x, y=v) = {a}\nf({b})\nf(y={b}, x=v)"),
        1 => format!("function g(x)\n  if x > 0\n    return {a}\n  end\n  g(x + 1)\nend\ng(-2)"),
        2 => format!("for r in {a}\n  s = {b}\nend"),
        3 => format!("n = 3; while n > 0; n -= 1; t = {a}; if n == 1; break; end; end"),
        4 => format!("if {a}\n  u = {b}\nelseif v > 2\n  u = 1\nelse\n  u = 2\nend"),
        5 => format!("for i in arange(3); if i == 1; continue; end; A[0] += {a}; end"),
        6 => format!("function k(z)\n  z *= 2\n  return {a}\nend\nk({b})"),
        _ => format!("while true; v += 1; end; {a}"),
    })
}

#[test]
fn token_soup_never_panics() {
    proptest!(config(10_000), |(src in token_soup())| {
        run_all(&src);
    });
}

#[test]
fn well_formed_programs_never_panic() {
    proptest!(config(10_000), |(src in program())| {
        let mut session = budgeted();
        session.keep_going = true;
        let outcomes = session.eval_source(&src);
        let file = SourceFile { name: "<prop>", text: &src, first_line: 0 };
        for o in &outcomes {
            let _ = session.render(o, &file).to_plain();
            let _ = session.json(o);
        }
    });
}

// ------------------------------------------------------------ identities

/// Evaluates `expr` in `session` and returns its array, failing loudly.
fn eval(session: &mut Session, expr: &str) -> Array {
    let outcomes = session.eval_source(expr);
    for o in outcomes.into_iter().rev() {
        match o {
            Outcome::Value { value, .. } => match &*value {
                Value::Array(a) => return a.clone(),
                other => panic!("{expr}: not an array: {other:?}"),
            },
            Outcome::Diagnostic(d) if o_is_error(&d) => panic!("{expr}: {}", d.message),
            _ => {}
        }
    }
    panic!("{expr}: no value")
}

fn o_is_error(d: &tensorcalc::diagnostic::Diagnostic) -> bool {
    d.severity == tensorcalc::diagnostic::Severity::Error
}

fn as_c64(a: &Array) -> Vec<C64> {
    tensorcalc::with_array!(a, x => x.iter().map(|v| tensorcalc::value::Elem::to_c64(*v)).collect())
}

/// Same shape, same dtype, values equal within `tol` relative to `scale`.
fn same(a: &Array, b: &Array, tol: f64) -> Result<(), String> {
    if a.shape() != b.shape() || a.dtype() != b.dtype() {
        return Err(format!(
            "{} {:?} vs {} {:?}",
            a.dtype(),
            a.shape(),
            b.dtype(),
            b.shape()
        ));
    }
    let (x, y) = (as_c64(a), as_c64(b));
    let scale = x.iter().chain(&y).map(|z| z.norm()).fold(1.0, f64::max);
    for (i, (p, q)) in x.iter().zip(&y).enumerate() {
        if (p - q).norm() > tol * scale {
            return Err(format!("element {i}: {p} vs {q}"));
        }
    }
    Ok(())
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Int,
    Float,
    Complex,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Int), Just(Kind::Float), Just(Kind::Complex)]
}

/// A literal of `shape` with values from `seed` (small integers, quarters or
/// complex numbers with quarter parts, so most results are exact).
fn literal(shape: &[usize], kind: Kind, vals: &[i64]) -> String {
    let n: usize = shape.iter().product();
    let elems: Vec<String> = (0..n)
        .map(|i| {
            let v = vals[i % vals.len()];
            match kind {
                Kind::Int => v.to_string(),
                Kind::Float => format!("{}", v as f64 / 4.0),
                Kind::Complex => format!("({}{:+}j)", v as f64 / 4.0, (v * 3 % 7) as f64 / 2.0),
            }
        })
        .collect();
    if n == 0 {
        let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
        let dt = match kind {
            Kind::Int => "int64",
            Kind::Float => "float64",
            Kind::Complex => "complex128",
        };
        return format!("zeros({}, dtype=\"{dt}\")", dims.join(", "));
    }
    fn nest(shape: &[usize], elems: &[String]) -> String {
        match shape.split_first() {
            None => elems[0].clone(),
            Some((&d, rest)) => {
                let step = rest.iter().product::<usize>();
                let parts: Vec<String> = (0..d)
                    .map(|i| nest(rest, &elems[i * step..(i + 1) * step]))
                    .collect();
                format!("[{}]", parts.join(", "))
            }
        }
    }
    nest(shape, &elems)
}

fn vals() -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(-20i64..21, 1..30)
}

const TOL: f64 = 1e-12;

#[test]
fn transpose_of_product() {
    proptest!(config(1_000), |(m in 0usize..4, k in 0usize..4, n in 0usize..4, batch in prop::option::of(1usize..3),
                              ka in kind(), kb in kind(), va in vals(), vb in vals())| {
        let (sa, sb) = match batch {
            Some(b) => (vec![b, m, k], vec![b, k, n]),
            None => (vec![m, k], vec![k, n]),
        };
        let mut s = Session::new();
        s.eval_source(&format!("A = {}; B = {}", literal(&sa, ka, &va), literal(&sb, kb, &vb)));
        let left = eval(&mut s, "(A @ B)'");
        let right = eval(&mut s, "B' @ A'");
        prop_assert!(same(&left, &right, TOL).is_ok(), "{:?}", same(&left, &right, TOL));
    });
}

#[test]
fn matmul_distributes_over_addition() {
    proptest!(config(1_000), |(m in 1usize..4, k in 0usize..4, n in 1usize..4, vector in prop::bool::ANY,
                              ka in kind(), kb in kind(), va in vals(), vb in vals(), vc in vals())| {
        let sb = if vector { vec![k] } else { vec![k, n] };
        let mut s = Session::new();
        s.eval_source(&format!(
            "A = {}; B = {}; C = {}",
            literal(&[m, k], ka, &va),
            literal(&sb, kb, &vb),
            literal(&sb, kb, &vc)
        ));
        let left = eval(&mut s, "A @ (B + C)");
        let right = eval(&mut s, "A @ B + A @ C");
        prop_assert!(same(&left, &right, 1e-12).is_ok(), "{:?}", same(&left, &right, 1e-12));
    });
}

#[test]
fn reshape_round_trips() {
    proptest!(config(1_000), |(shape in prop::collection::vec(0usize..4, 0..4), ka in kind(), va in vals(),
                              split in 1usize..4)| {
        let mut s = Session::new();
        s.eval_source(&format!("A = {}", literal(&shape, ka, &va)));
        let a = eval(&mut s, "A");
        let back = eval(&mut s, "reshape(reshape(A, [-1]), shape(A))");
        prop_assert!(same(&a, &back, 0.0).is_ok());
        let n: usize = shape.iter().product();
        if n.is_multiple_of(split) {
            let other = eval(&mut s, &format!("reshape(reshape(A, [{split}, -1]), shape(A))"));
            prop_assert!(same(&a, &other, 0.0).is_ok());
        }
        let flat = eval(&mut s, "flatten(A)");
        let flat2 = eval(&mut s, "reshape(A, [size(A)])");
        prop_assert!(same(&flat, &flat2, 0.0).is_ok());
    });
}

#[test]
fn double_transpose_is_identity() {
    proptest!(config(1_000), |(shape in prop::collection::vec(0usize..4, 0..5), ka in kind(), va in vals())| {
        let mut s = Session::new();
        s.eval_source(&format!("A = {}", literal(&shape, ka, &va)));
        let a = eval(&mut s, "A");
        let tt = eval(&mut s, "A''");
        prop_assert!(same(&a, &tt, 0.0).is_ok(), "{:?}", same(&a, &tt, 0.0));
    });
}

/// Two shapes that broadcast: `b` is `a` with some axes set to 1 and some
/// leading axes dropped.
fn broadcast_pair() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    prop::collection::vec((0usize..4, prop::bool::ANY), 0..4).prop_flat_map(|axes| {
        let a: Vec<usize> = axes.iter().map(|(d, _)| *d).collect();
        let b: Vec<usize> = axes
            .iter()
            .map(|(d, one)| if *one { 1 } else { *d })
            .collect();
        let len = b.len();
        (Just(a), (0..=len).prop_map(move |drop| b[drop..].to_vec()))
    })
}

#[test]
fn broadcasting_commutes() {
    proptest!(config(1_000), |((sa, sb) in broadcast_pair(), swap in prop::bool::ANY, ka in kind(), kb in kind(),
                              va in vals(), vb in vals())| {
        let (sa, sb) = if swap { (sb, sa) } else { (sa, sb) };
        let mut s = Session::new();
        s.eval_source(&format!("a = {}; b = {}", literal(&sa, ka, &va), literal(&sb, kb, &vb)));
        for (l, r) in [("a + b", "b + a"), ("a * b", "b * a")] {
            let x = eval(&mut s, l);
            let y = eval(&mut s, r);
            prop_assert!(same(&x, &y, 0.0).is_ok(), "{l}: {:?}", same(&x, &y, 0.0));
        }
    });
}

#[test]
fn sum_over_all_axes_is_sum_of_flatten() {
    proptest!(config(1_000), |(shape in prop::collection::vec(0usize..4, 0..4), ka in kind(), va in vals())| {
        let mut s = Session::new();
        s.eval_source(&format!("A = {}", literal(&shape, ka, &va)));
        let whole = eval(&mut s, "sum(A)");
        let flat = eval(&mut s, "sum(flatten(A))");
        prop_assert!(same(&whole, &flat, 1e-12).is_ok(), "{:?}", same(&whole, &flat, 1e-12));
        // Axis by axis, from the last, gives the same number.
        let mut e = "A".to_string();
        for axis in (0..shape.len()).rev() {
            e = format!("sum({e}, axis={axis})");
        }
        let stepwise = eval(&mut s, &e);
        prop_assert!(same(&whole, &stepwise, 1e-12).is_ok(), "{e}: {:?}", same(&whole, &stepwise, 1e-12));
    });
}

#[test]
fn split_pieces_concatenate_back() {
    proptest!(config(500), |(shape in prop::collection::vec(0usize..5, 1..4), ka in kind(), va in vals(),
                             axis_pick in 0usize..3, cut in 0usize..6)| {
        let axis = axis_pick % shape.len();
        let mut s = Session::new();
        s.eval_source(&format!("A = {}", literal(&shape, ka, &va)));
        let a = eval(&mut s, "A");
        let back = eval(&mut s, &format!(
            "p, q = array_split(A, 2, axis={axis}); r, t = split(A, [{cut}], axis={axis}); \
             concatenate(concatenate(p, q, axis={axis}), r, t, axis={axis})[{}]",
            (0..shape.len()).map(|k| if k == axis { format!(":{}", shape[k]) } else { ":".into() })
                .collect::<Vec<_>>().join(", ")
        ));
        prop_assert!(same(&a, &back, 0.0).is_ok(), "{:?}", same(&a, &back, 0.0));
    });
}

#[test]
fn pad_then_slice_is_identity_and_take_all_is_flatten() {
    proptest!(config(500), |(shape in prop::collection::vec(1usize..4, 1..4), ka in kind(), va in vals(),
                             mode in prop::sample::select(vec!["constant", "edge", "reflect", "symmetric", "wrap"]),
                             w in 0usize..5)| {
        let mut s = Session::new();
        s.eval_source(&format!("A = {}", literal(&shape, ka, &va)));
        let a = eval(&mut s, "A");
        let inner = (0..shape.len()).map(|_| format!("{w}:{w}+{}", "{}")).collect::<Vec<_>>();
        let inner: Vec<String> = inner.iter().zip(&shape).map(|(t, n)| t.replace("{}", &n.to_string())).collect();
        let back = eval(&mut s, &format!("pad(A, {w}, mode=\"{mode}\")[{}]", inner.join(", ")));
        prop_assert!(same(&a, &back, 0.0).is_ok(), "{mode}: {:?}", same(&a, &back, 0.0));
        let flat = eval(&mut s, "flatten(A)");
        let taken = eval(&mut s, "take(A, arange(size(A)))");
        prop_assert!(same(&flat, &taken, 0.0).is_ok());
        // Several axes at once is the same as one after another.
        let all = eval(&mut s, &format!("sum(A, axis=arange({}))", shape.len()));
        let whole = eval(&mut s, "sum(A)");
        prop_assert!(same(&all, &whole, 1e-12).is_ok(), "{:?}", same(&all, &whole, 1e-12));
        // None adds an axis of 1 without moving any element.
        let lifted = eval(&mut s, "reshape(A[None, ..., None], shape(A))");
        prop_assert!(same(&a, &lifted, 0.0).is_ok());
    });
}
