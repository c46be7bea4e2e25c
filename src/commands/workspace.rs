//! `:vars`, `:clear` and `:load`: looking at, emptying and filling the
//! workspace.

use std::rc::Rc;

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::eval::closest;
use crate::render::{Markup, SourceFile, Style, render_diagnostic};
use crate::session::{Outcome, Session};
use crate::value::bytes_text;
use crate::value::{Value, shape_text};

/// Scripts larger than this are refused by `:load` (as `--max-input` does).
const MAX_SCRIPT: u64 = 64 << 20;

fn memory(v: &Value) -> usize {
    match v {
        Value::Array(a) => a.nbytes(),
        Value::Str(s) => s.len(),
        Value::Tuple(parts) => parts.iter().map(|(_, p)| memory(p)).sum(),
        Value::Nothing | Value::Shaped(_) | Value::Sizes(_) | Value::Unknown => 0,
        Value::Picture(p) => p.nbytes(),
    }
}

fn shape_and_dtype(v: &Value) -> (String, String) {
    match v {
        Value::Array(a) => (shape_text(a.shape()), a.dtype().to_string()),
        Value::Str(s) => (format!("{} chars", s.chars().count()), "string".into()),
        Value::Tuple(parts) => (format!("{} parts", parts.len()), "tuple".into()),
        Value::Nothing => ("-".into(), "nothing".into()),
        Value::Shaped(m) => (shape_text(&m.shape), format!("{} (shape only)", m.dtype)),
        Value::Sizes(s) => (s.describe(), "symbolic size".into()),
        Value::Unknown => ("?".into(), "unknown".into()),
        Value::Picture(p) => (p.describe(), "picture".into()),
    }
}

/// How `:vars` orders its rows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Order {
    /// By name (`:vars`).
    Name,
    /// Largest first, then by name (`:vars size`): what to `:clear` when the
    /// workspace budget is reached. Functions come last.
    Size,
}

/// `:vars` (by name) or `:vars size` (largest first); anything else is an
/// error naming both.
pub fn vars(session: &Session, args: &str) -> Vec<Outcome> {
    match args {
        "" => vec![Outcome::Text(table(session, Order::Name))],
        "size" => vec![Outcome::Text(table(session, Order::Size))],
        other => vec![Outcome::Diagnostic(
            Diagnostic::error(
                ErrorKind::Syntax,
                format!(":vars takes no argument or `size`, not `{other}`"),
            )
            .help(":vars lists by name, :vars size lists the largest first"),
        )],
    }
}

/// `:vars`: one aligned row per variable, in `order`, then the total.
pub fn table(session: &Session, order: Order) -> Markup {
    let vars = session.evaluator.vars();
    let funcs = session.evaluator.functions();
    let mut m = Markup::new();
    if vars.is_empty() && funcs.is_empty() {
        m.push(Style::Dim, "the workspace is empty");
        return m;
    }
    let mut named: Vec<(&String, &Rc<Value>)> = vars.iter().collect();
    if order == Order::Size {
        // Stable: equal sizes keep the order by name.
        named.sort_by_key(|(_, v)| std::cmp::Reverse(memory(v)));
    }
    // Functions list with their signature where arrays have a shape.
    let rows: Vec<[String; 4]> = named
        .into_iter()
        .map(|(name, v)| {
            let (shape, dtype) = shape_and_dtype(v);
            [name.clone(), shape, dtype, bytes_text(memory(v) as f64)]
        })
        .chain(funcs.iter().map(|(name, f)| {
            [
                name.clone(),
                f.def.signature(),
                "function".to_string(),
                String::new(),
            ]
        }))
        .collect();
    let header = ["name", "shape", "dtype", "memory"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2), width(3)];
    let line = |cells: [&str; 4]| {
        format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        )
    };
    m.push(Style::Dim, line(header));
    for r in &rows {
        m.plain("\n");
        let text = line([&r[0], &r[1], &r[2], &r[3]]);
        let (name, rest) = text.split_at(widths[0]);
        m.push(Style::Name, name.trim_end());
        m.plain(format!(
            "{}{}",
            " ".repeat(widths[0] - r[0].chars().count()),
            rest.trim_end()
        ));
    }
    let total: usize = vars.values().map(|v| memory(v)).sum();
    let count = vars.len();
    m.plain("\n");
    let functions = match funcs.len() {
        0 => String::new(),
        1 => " and 1 function".to_string(),
        n => format!(" and {n} functions"),
    };
    m.push(
        Style::Dim,
        format!(
            "{count} variable{}{functions}, {}",
            if count == 1 { "" } else { "s" },
            bytes_text(total as f64)
        ),
    );
    m
}

/// The definitions of the workspace's functions as a script, each as it
/// was written (with the comment lines above it), for `:save`.
pub(super) fn functions_script(
    funcs: &std::collections::BTreeMap<String, Rc<crate::eval::UserFunction>>,
) -> String {
    let mut out = String::new();
    for f in funcs.values() {
        out.push('\n');
        out.push_str(f.def.text.trim_end());
        out.push('\n');
    }
    out
}

/// `:clear` empties the workspace; `:clear A B` removes those names, and
/// none of them if one is unknown.
pub fn clear(session: &mut Session, names: &str) -> Vec<Outcome> {
    if names.is_empty() {
        session.evaluator.clear();
        return Vec::new();
    }
    let names: Vec<&str> = names.split_whitespace().collect();
    for n in &names {
        if session.evaluator.get(n).is_none() && !session.evaluator.functions().contains_key(*n) {
            let mut d = Diagnostic::error(
                ErrorKind::Name,
                format!("`{n}` is not in the workspace; nothing was cleared"),
            );
            if let Some(near) = closest(n, session.evaluator.vars().keys().map(String::as_str)) {
                d = d.help(format!("did you mean `{near}`?"));
            }
            return vec![Outcome::Diagnostic(d)];
        }
    }
    for n in names {
        session.evaluator.remove(n);
        session.evaluator.remove_function(n);
    }
    Vec::new()
}

/// `:load FILE`: runs the script into the workspace, as a script runs: it
/// stops at the first error, and the statements before it keep their effect.
/// Errors are shown against the file's own text.
pub fn load(session: &mut Session, path: &str) -> Vec<Outcome> {
    if path.is_empty() {
        return vec![Outcome::Diagnostic(Diagnostic::error(
            ErrorKind::Syntax,
            ":load needs a file name, as in :load work.la",
        ))];
    }
    if let Some(refused) = super::save::sandboxed(session, ":load", path) {
        return refused;
    }
    let file = super::expand_home(path);
    if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npz"))
    {
        return load_npz(session, path, &file);
    }
    let text = match read_script(&file) {
        Ok(t) => t,
        Err(message) => {
            return vec![Outcome::Diagnostic(Diagnostic::error(
                ErrorKind::Name,
                format!("cannot load {path}: {message}"),
            ))];
        }
    };
    let before = session.evaluator.vars().clone();
    let funcs_before = session.evaluator.functions().clone();
    let outcomes = session.eval_named(&text, path);
    let src = SourceFile {
        name: path,
        text: &text,
        first_line: 0,
    };
    let mut out: Vec<Outcome> = outcomes
        .into_iter()
        .map(|o| match o {
            // The front end would show the error against the `:load` line;
            // render it here against the file instead.
            Outcome::Diagnostic(d) => Outcome::Text(render_diagnostic(&d, &src)),
            other => other,
        })
        .collect();
    let changed: Vec<&str> = session
        .evaluator
        .vars()
        .iter()
        .filter(|(n, v)| before.get(*n).is_none_or(|old| !Rc::ptr_eq(old, v)))
        .map(|(n, _)| n.as_str())
        .chain(
            session
                .evaluator
                .functions()
                .iter()
                .filter(|(n, f)| funcs_before.get(*n).is_none_or(|old| !Rc::ptr_eq(old, f)))
                .map(|(n, _)| n.as_str()),
        )
        .collect();
    let mut m = Markup::new();
    m.push(
        Style::Dim,
        match changed.len() {
            0 => format!("loaded {path}; no variables set"),
            _ => format!("loaded {path}: {}", changed.join(", ")),
        },
    );
    out.push(Outcome::Text(m));
    out
}

fn read_script(file: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_SCRIPT + 1).read_to_end(&mut bytes))
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_SCRIPT {
        return Err(format!(
            "it is larger than {}",
            bytes_text(MAX_SCRIPT as f64)
        ));
    }
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
}

/// `:load work.npz`: each array into the workspace under its name. A name
/// that is not a valid variable name here is reported and skipped, never
/// changed. Nothing is set if the archive cannot be read.
fn load_npz(session: &mut Session, path: &str, file: &std::path::Path) -> Vec<Outcome> {
    let limits = session.evaluator.limits;
    let arrays = match crate::io::npz::read_file(file, &limits, None) {
        Ok(a) => a,
        Err(e) => {
            let reason = crate::eval::io_errors::reason(&e.fault);
            return vec![Outcome::Diagnostic(Diagnostic::error(
                crate::eval::io_errors::io_kind(&e.fault),
                format!("cannot load {path}: {reason}"),
            ))];
        }
    };
    let mut out = Vec::new();
    let mut count = 0;
    for (name, loaded) in arrays {
        if let Some(why) = not_a_name(&name) {
            out.push(Outcome::Diagnostic(
                Diagnostic::warning(format!("`{name}` in {path} {why}; it was not loaded")).help(
                    format!(
                        "read it under a name of your choice: x = load(\"{path}\", \"{name}\")"
                    ),
                ),
            ));
            continue;
        }
        if let Some(from) = loaded.widened_from {
            out.push(Outcome::Diagnostic(Diagnostic::remark(format!(
                "`{name}`: {from} read as {} (no value changes)",
                loaded.array.dtype()
            ))));
        }
        session.evaluator.set(&name, Value::Array(loaded.array));
        count += 1;
    }
    let mut m = Markup::new();
    m.push(
        Style::Dim,
        format!(
            "loaded {count} array{} from {path}",
            if count == 1 { "" } else { "s" }
        ),
    );
    out.push(Outcome::Text(m));
    out
}

/// Why a statement could not assign `name`, if it could not: a keyword
/// (`end`, `for`...), `true` or `false`, or not an identifier at all.
fn not_a_name(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !identifier {
        Some("is not a valid variable name here")
    } else if crate::syntax::KEYWORDS.contains(&name) {
        Some("is a keyword of the language, not a name")
    } else if matches!(name, "true" | "false") {
        Some("is a constant and cannot be assigned")
    } else {
        None
    }
}

/// An I/O error in plain words, without the `(os error 2)` tail.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vars_lists_name_shape_dtype_and_memory_sorted() {
        let mut s = Session::new();
        s.eval_source("b = ones(2, 3); a = 5; c = float32([1, 2])");
        let text = table(&s, Order::Name).to_plain();
        assert_eq!(
            text,
            "name  shape   dtype    memory\n\
             a     scalar  int64       8 B\n\
             b     2×3     float64    48 B\n\
             c     2       float32     8 B\n\
             3 variables, 64 B"
        );
    }

    #[test]
    fn vars_size_lists_the_largest_first_and_ties_by_name() {
        let mut s = Session::new();
        s.eval_source("b = ones(2, 3); a = 5; c = float32([1, 2]); big = zeros(10, 10)");
        let out = vars(&s, "size");
        let Outcome::Text(m) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(
            m.to_plain(),
            "name  shape   dtype    memory\n\
             big   10×10   float64   800 B\n\
             b     2×3     float64    48 B\n\
             a     scalar  int64       8 B\n\
             c     2       float32     8 B\n\
             4 variables, 864 B"
        );
        let bad = vars(&s, "sise");
        assert_eq!(bad[0].error_kind(), Some(ErrorKind::Syntax));
    }

    #[test]
    fn clear_removes_the_named_or_nothing() {
        let mut s = Session::new();
        s.eval_source("a = 1; b = 2; c = 3");
        let out = clear(&mut s, "a zz");
        assert_eq!(out[0].error_kind(), Some(ErrorKind::Name));
        assert_eq!(s.evaluator.vars().len(), 3);
        clear(&mut s, "a b");
        assert_eq!(s.evaluator.vars().keys().collect::<Vec<_>>(), ["c"]);
        clear(&mut s, "");
        assert!(s.evaluator.vars().is_empty());
    }

    #[test]
    fn load_reports_a_missing_file_and_errors_against_the_file() {
        let mut s = Session::new();
        let out = load(&mut s, "/nonexistent/x.la");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].error_kind(), Some(ErrorKind::Name));
        let path = std::env::temp_dir().join(format!("tensorcalc-load-{}.la", std::process::id()));
        std::fs::write(&path, "a = 1;\nb = [1, 2] + [1, 2, 3]\n").unwrap();
        let p = path.display().to_string();
        let out = load(&mut s, &p);
        std::fs::remove_file(&path).unwrap();
        let Outcome::Text(err) = &out[0] else {
            panic!("expected the rendered error, got {out:?}")
        };
        assert!(
            err.to_plain().starts_with(&format!("{p}:2:")),
            "{}",
            err.to_plain()
        );
        assert!(s.evaluator.get("a").is_some() && s.evaluator.get("b").is_none());
        let Outcome::Text(done) = &out[1] else {
            panic!()
        };
        assert_eq!(done.to_plain(), format!("loaded {p}: a"));
    }

    fn texts(out: &[Outcome]) -> String {
        out.iter()
            .map(|o| match o {
                Outcome::Text(m) => m.to_plain(),
                other => format!("{other:?}"),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn functions_are_listed_documented_saved_and_loaded() {
        let mut s = Session::new();
        let script = "W = [1.0, 2.0]\n\n# The logistic function.\n# Maps any number into (0, 1).\nlogistic(z) = 1 / (1 + exp(-z))\n\nfunction affine(x, scale=2)\n  return scale * x + W\nend\n";
        let out = s.eval_source(script);
        assert!(out.iter().all(|o| o.error_kind().is_none()), "{out:?}");
        assert_eq!(
            table(&s, Order::Name).to_plain(),
            "name      shape               dtype     memory\n\
             W         2                   float64     16 B\n\
             affine    affine(x, scale=2)  function\n\
             logistic  logistic(z)         function\n\
             1 variable and 2 functions, 16 B"
        );
        assert_eq!(
            texts(&crate::commands::run(&mut s, ":help logistic")),
            "logistic(z)  (defined in the workspace)\n  The logistic function.\n  Maps any number into (0, 1)."
        );
        let path = std::env::temp_dir().join(format!("tensorcalc-fns-{}.la", std::process::id()));
        let p = path.display().to_string();
        let saved = texts(&crate::commands::run(&mut s, &format!(":save {p}")));
        assert_eq!(saved, format!("saved 1 variable and 2 functions to {p}"));
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.contains("# The logistic function.\n# Maps any number into (0, 1).\nlogistic(z) = 1 / (1 + exp(-z))"), "{written}");
        let mut fresh = Session::new();
        let loaded = texts(&load(&mut fresh, &p));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(loaded, format!("loaded {p}: W, affine, logistic"));
        let call = fresh.eval_source("affine(logistic(0))");
        let Outcome::Value { value, .. } = &call[0] else {
            panic!("{call:?}")
        };
        assert_eq!(value.describe(), "2 float64");
        assert_eq!(
            fresh.evaluator.functions()["logistic"].def.doc,
            ["The logistic function.", "Maps any number into (0, 1)."]
        );
        // :clear removes a function like a variable.
        clear(&mut fresh, "logistc");
        assert!(!fresh.evaluator.functions().contains_key("logistc"));
    }
}
