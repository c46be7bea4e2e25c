//! `:save FILE`: the workspace as a `.la` script that recreates every
//! variable exactly. Floats are written in their shortest round-trip form, so
//! loading gives the same bits: `-0.0`, `inf`, `nan` and `-nan` (the sign of
//! a NaN survives), float32 values through `float32(...)` with digits checked
//! to read back to the same float32, complex values through `complex(re, im)`
//! (exact where `re + im*1j` is not), and empty arrays through `zeros(...)`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use ndarray::ArrayD;

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::eval::CONSTANTS;
use crate::render::{Markup, Style, float_repr};
use crate::session::{Outcome, Session};
use crate::value::{Array, C64, Value};

/// Lines of array text are wrapped near this width.
const WRAP: usize = 100;

pub fn save(session: &Session, path: &str) -> Vec<Outcome> {
    if path.is_empty() {
        return vec![Outcome::Diagnostic(Diagnostic::error(
            ErrorKind::Syntax,
            ":save needs a file name, as in :save work.la",
        ))];
    }
    let (mut script, skipped) = workspace_script(session.evaluator.vars());
    let functions = session.evaluator.functions();
    if !functions.is_empty() {
        // The definitions as written (with their comment lines), after the
        // values: a function reads the workspace only when it is called.
        script.push_str(&super::workspace::functions_script(functions));
    }
    let file = super::expand_home(path);
    if let Err(e) = std::fs::write(&file, script) {
        let reason = super::workspace::io_reason(&e);
        return vec![Outcome::Diagnostic(Diagnostic::error(
            ErrorKind::Name,
            format!("cannot save to {path}: {reason}"),
        ))];
    }
    let mut out = Vec::new();
    for (name, what) in &skipped {
        out.push(Outcome::Diagnostic(Diagnostic::warning(format!(
            "`{name}` is {what}, which a script cannot recreate; it was not saved"
        ))));
    }
    let count = session.evaluator.vars().len() - skipped.len();
    let functions = match functions.len() {
        0 => String::new(),
        1 => " and 1 function".to_string(),
        n => format!(" and {n} functions"),
    };
    let mut m = Markup::new();
    m.push(
        Style::Dim,
        format!(
            "saved {count} variable{}{functions} to {path}",
            if count == 1 { "" } else { "s" }
        ),
    );
    out.push(Outcome::Text(m));
    out
}

/// The script for a workspace, and the names it had to leave out (tuples)
/// with what they are.
pub fn workspace_script(vars: &BTreeMap<String, Rc<Value>>) -> (String, Vec<(String, String)>) {
    let mut out = format!(
        "# tensorcalc {} workspace: :load this file (or run it) to recreate every variable exactly.\n",
        env!("CARGO_PKG_VERSION")
    );
    let mut skipped = Vec::new();
    // Variables named like a constant go last: the values before them may
    // spell `nan` and `inf`, which must still mean the constants.
    let (shadowing, plain): (Vec<_>, Vec<_>) = vars
        .iter()
        .partition(|(n, _)| CONSTANTS.contains(&n.as_str()));
    for (name, value) in plain.into_iter().chain(shadowing) {
        match value_text(value, name.len() + 3) {
            Some(text) => {
                let _ = writeln!(out, "{name} = {text};");
            }
            None => skipped.push((name.clone(), value.describe())),
        }
    }
    (out, skipped)
}

/// Source text that evaluates to exactly `v`; `indent` is the column the
/// text starts at, for aligning continuation lines.
fn value_text(v: &Value, indent: usize) -> Option<String> {
    match v {
        Value::Array(a) => Some(array_text(a, indent)),
        Value::Str(s) => Some(string_text(s)),
        Value::Tuple(_) | Value::Nothing | Value::Shaped(_) | Value::Sizes(_) | Value::Unknown => {
            None
        }
    }
}

fn string_text(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn array_text(a: &Array, indent: usize) -> String {
    if a.is_empty() {
        let dims: Vec<String> = a.shape().iter().map(usize::to_string).collect();
        return format!("zeros({}, dtype=\"{}\")", dims.join(", "), a.dtype());
    }
    match a {
        Array::Bool(x) => nested(
            x,
            indent,
            |&b| if b { "true".into() } else { "false".into() },
        ),
        Array::Int(x) => nested(x, indent, |&i| int_text(i)),
        Array::F64(x) => nested(x, indent, |&f| f64_text(f)),
        Array::F32(x) => format!("float32({})", nested(x, indent + 8, |&f| f32_text(f))),
        Array::C128(x) => {
            let inner = indent + 8;
            let re = nested(&x.mapv(|z: C64| z.re), inner, |&f| f64_text(f));
            let im = nested(&x.mapv(|z: C64| z.im), inner, |&f| f64_text(f));
            let sep = if re.contains('\n') {
                format!(",\n{}", " ".repeat(inner))
            } else {
                ", ".into()
            };
            format!("complex({re}{sep}{im})")
        }
    }
}

fn int_text(i: i64) -> String {
    // `-9223372036854775808` would negate a literal that does not fit.
    if i == i64::MIN {
        "(-9223372036854775807 - 1)".into()
    } else {
        i.to_string()
    }
}

fn f64_text(f: f64) -> String {
    match (f.is_nan(), f.is_sign_negative()) {
        (true, false) => "nan".into(),
        (true, true) => "-nan".into(),
        _ => float_repr(f),
    }
}

/// A float32 as text that `float32(...)` turns back into the same bits. The
/// shortest float32 digits are tried first; where reading them as float64
/// and rounding again would land elsewhere, the exact value is written.
fn f32_text(f: f32) -> String {
    if f.is_nan() || f.is_infinite() {
        return f64_text(f as f64);
    }
    let a = f.abs();
    let short = if a == 0.0 || (1e-4..1e16).contains(&a) {
        let plain = format!("{f}");
        if plain.contains('.') {
            plain
        } else {
            format!("{plain}.0")
        }
    } else {
        format!("{f:e}")
    };
    match short.parse::<f64>() {
        Ok(back) if (back as f32).to_bits() == f.to_bits() => short,
        _ => float_repr(f as f64),
    }
}

/// A non-empty array as nested list literals (a 0-d array as one number),
/// one row per line for matrices and wrapped long rows.
fn nested<T>(x: &ArrayD<T>, indent: usize, elem: impl Fn(&T) -> String) -> String {
    let shape = x.shape().to_vec();
    let items: Vec<String> = x.iter().map(elem).collect();
    if shape.is_empty() {
        return items.into_iter().next().unwrap_or_default();
    }
    let mut out = String::new();
    write_level(&mut out, &items, &shape, indent);
    out
}

fn write_level(out: &mut String, items: &[String], shape: &[usize], indent: usize) {
    out.push('[');
    if shape.len() == 1 {
        let mut col = indent + 1;
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                if col + it.len() + 2 > WRAP {
                    out.push_str(",\n");
                    out.push_str(&" ".repeat(indent + 1));
                    col = indent + 1;
                } else {
                    out.push_str(", ");
                    col += 2;
                }
            }
            out.push_str(it);
            col += it.len();
        }
    } else {
        let chunk = items.len() / shape[0];
        for (i, part) in items.chunks(chunk).enumerate() {
            if i > 0 {
                out.push(',');
                out.push_str(&"\n".repeat(shape.len() - 1));
                out.push_str(&" ".repeat(indent + 1));
            }
            write_level(out, part, &shape[1..], indent + 1);
        }
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same dtype, shape and bits in every element.
    fn identical(a: &Value, b: &Value) -> bool {
        fn bits<T: Copy>(x: &ArrayD<T>, f: impl Fn(T) -> u128) -> (Vec<usize>, Vec<u128>) {
            (x.shape().to_vec(), x.iter().map(|&v| f(v)).collect())
        }
        match (a, b) {
            (Value::Array(x), Value::Array(y)) => match (x, y) {
                (Array::Bool(p), Array::Bool(q)) => {
                    bits(p, |v| v as u128) == bits(q, |v| v as u128)
                }
                (Array::Int(p), Array::Int(q)) => {
                    bits(p, |v| v as u64 as u128) == bits(q, |v| v as u64 as u128)
                }
                (Array::F32(p), Array::F32(q)) => {
                    bits(p, |v| v.to_bits() as u128) == bits(q, |v| v.to_bits() as u128)
                }
                (Array::F64(p), Array::F64(q)) => {
                    bits(p, |v| v.to_bits() as u128) == bits(q, |v| v.to_bits() as u128)
                }
                (Array::C128(p), Array::C128(q)) => {
                    let f = |z: C64| ((z.re.to_bits() as u128) << 64) | z.im.to_bits() as u128;
                    bits(p, f) == bits(q, f)
                }
                _ => false,
            },
            _ => a == b,
        }
    }

    /// Builds a workspace with `setup`, saves it, loads the script into a
    /// new session and checks that every variable came back bit for bit.
    fn round_trip(setup: &str) -> String {
        let mut original = Session::new();
        for o in original.eval_source(setup) {
            assert!(o.error_kind().is_none(), "setup failed: {o:?}");
        }
        let (script, skipped) = workspace_script(original.evaluator.vars());
        assert!(skipped.is_empty());
        let mut loaded = Session::new();
        for o in loaded.eval_source(&script) {
            assert!(o.error_kind().is_none(), "loading failed: {o:?}\n{script}");
        }
        let (a, b) = (original.evaluator.vars(), loaded.evaluator.vars());
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{script}"
        );
        for (name, v) in a {
            assert!(
                identical(v, &b[name]),
                "{name} differs:\n{v:?}\n{:?}\n{script}",
                b[name]
            );
        }
        script
    }

    #[test]
    fn every_dtype_round_trips_bit_for_bit() {
        round_trip(
            "b = [true, false, true]
             i = [0, -1, 9223372036854775807, -9223372036854775807 - 1]
             f = [0.1, -0.0, 0.0, 1e-310, 5e-324, 1.7976931348623157e308, inf, -inf, nan, -nan, 0/0, 2/3]
             s = float32([0.1, -0.0, 1e-45, 3.4028235e38, 16777217, inf, nan, -nan]) / float32(3)
             z = complex([1, -0.0, 0.0, nan, inf, 0.5], [-0.0, 2, inf, -nan, nan, 1/3])
             w = [1j, -2j, 1 + 2j] * 1e-7",
        );
    }

    #[test]
    fn scalars_empty_arrays_and_higher_ranks_round_trip() {
        round_trip(
            "x = 3; y = -0.0; t = true; h = float32(0.1); c = complex(-0.0, nan)
             e0 = zeros(0); e1 = zeros(2, 0, 3, dtype=\"int64\"); e2 = zeros(0, dtype=\"bool\")
             e3 = zeros(1, 0, dtype=\"complex128\"); e4 = zeros(0, 0, dtype=\"float32\")
             r = reshape(arange(24), [2, 3, 4]) / 7; one = [[[5]]]
             long = arange(300) * 1.1; text = \"say \\\"hi\\\"\\n\\tand \\\\ go\"",
        );
    }

    #[test]
    fn names_like_constants_are_written_after_values_that_need_the_constants() {
        let script = round_trip("nan = 1; inf = 2; pi = 3; v = [nan, inf, pi] * 0.5 + [0, 0, 0/0]");
        let v_line = script.lines().position(|l| l.starts_with("v = ")).unwrap();
        let nan_line = script
            .lines()
            .position(|l| l.starts_with("nan = "))
            .unwrap();
        assert!(v_line < nan_line, "{script}");
    }

    #[test]
    fn the_script_reads_like_source() {
        let mut s = Session::new();
        s.eval_source("A = [[1.5, 2], [3, 4]]; n = 7; z = complex(1, 2)");
        let (script, _) = workspace_script(s.evaluator.vars());
        let body: Vec<&str> = script.lines().skip(1).collect();
        assert_eq!(
            body,
            [
                "A = [[1.5, 2.0],",
                "     [3.0, 4.0]];",
                "n = 7;",
                "z = complex(1.0, 2.0);"
            ]
        );
    }

    #[test]
    fn tuples_are_reported_not_written() {
        let mut vars = BTreeMap::new();
        vars.insert(
            "t".to_string(),
            Rc::new(Value::Tuple(vec![("a".into(), Value::Str("x".into()))])),
        );
        vars.insert("u".to_string(), Rc::new(Value::Str("x".into())));
        let (script, skipped) = workspace_script(&vars);
        assert_eq!(skipped, [("t".to_string(), "tuple of 1".to_string())]);
        assert!(script.ends_with("u = \"x\";\n"));
    }
}
