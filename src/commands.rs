//! Prompt commands (`:help`, `:vars`, `:save`, ...), parsed and run by the
//! core so every front end shares them. They return outcomes like any entry;
//! a command that fails changes nothing.

mod help;
mod save;
mod shape;
mod workspace;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use help::{OPERATORS, Operator, help_text};
pub use save::workspace_script;

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::eval::closest;
use crate::render::{Markup, NumberFormat, Style};
use crate::session::{Outcome, Session};

/// A `:command`: its name, its arguments as shown in help, and what it does.
pub struct Command {
    pub name: &'static str,
    pub args: &'static str,
    pub summary: &'static str,
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: ":help",
        args: "[NAME]",
        summary: "this overview, or help on a function, operator or command",
    },
    Command {
        name: ":vars",
        args: "[size]",
        summary: "the workspace: name, shape, dtype and memory of each variable (size: largest first)",
    },
    Command {
        name: ":clear",
        args: "[NAME...]",
        summary: "remove every variable, or the ones named",
    },
    Command {
        name: ":load",
        args: "FILE",
        summary: "run a script into the workspace",
    },
    Command {
        name: ":save",
        args: "FILE",
        summary: "write the workspace as a script that recreates it exactly",
    },
    Command {
        name: ":time",
        args: "STATEMENT",
        summary: "run a statement and show the wall time it took",
    },
    Command {
        name: ":shape",
        args: "EXPR",
        summary: "the shape and dtype of every part of an expression, from the rules alone",
    },
    Command {
        name: ":format",
        args: "short|long|sci|rat",
        summary: "how numbers print (rat: nearest small fractions)",
    },
    Command {
        name: ":precision",
        args: "N|default",
        summary: "decimals shown for floats (0 to 17)",
    },
    Command {
        name: ":quit",
        args: "",
        summary: "leave (Ctrl-D too); the history is saved",
    },
];

/// Other spellings accepted for commands.
const ALIASES: [(&str, &str); 4] = [
    (":q", ":quit"),
    (":exit", ":quit"),
    (":h", ":help"),
    (":who", ":vars"),
];

/// Whether an entry is a `:command` rather than source text.
pub fn is_command(entry: &str) -> bool {
    entry.trim_start().starts_with(':')
}

/// `~/x` as the path under the home directory; other paths as given.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn error(message: impl Into<String>) -> Vec<Outcome> {
    vec![Outcome::Diagnostic(Diagnostic::error(
        ErrorKind::Syntax,
        message,
    ))]
}

fn note(text: impl Into<String>) -> Outcome {
    let mut m = Markup::new();
    m.push(Style::Dim, text);
    Outcome::Text(m)
}

/// Runs a `:command`.
pub fn run(session: &mut Session, entry: &str) -> Vec<Outcome> {
    let line = entry.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    let name = ALIASES
        .iter()
        .find(|(a, _)| *a == word)
        .map_or(word, |(_, n)| *n);
    match name {
        ":quit" => vec![Outcome::Quit],
        ":help" if rest.is_empty() => vec![Outcome::Text(help::overview())],
        ":help" => help::topic(session, rest),
        ":vars" => workspace::vars(session, rest),
        ":clear" => workspace::clear(session, rest),
        ":load" => workspace::load(session, rest),
        ":save" => save::save(session, rest),
        ":time" => time(session, entry),
        ":shape" => shape::shape(session, rest),
        ":format" => format(session, rest),
        ":precision" => precision(session, rest),
        _ => {
            let names = COMMANDS.iter().map(|c| c.name);
            match closest(word, names) {
                Some(near) => error(format!(
                    "unknown command `{word}`; did you mean `{near}`? (:help lists the commands)"
                )),
                None => error(format!(
                    "unknown command `{word}`; :help lists the commands"
                )),
            }
        }
    }
}

/// `:time STATEMENT`: runs it and adds the wall time.
fn time(session: &mut Session, entry: &str) -> Vec<Outcome> {
    // The statement's offset in the entry, so that error spans still point
    // into the text the front end shows.
    let after = entry.trim_start();
    let after = &after[":time".len().min(after.len())..];
    let statement = after.trim_start();
    let offset = entry.len() - statement.len();
    if statement.trim().is_empty() {
        return error(":time needs a statement, as in :time A @ B");
    }
    let started = Instant::now();
    let mut out = session.eval_source(statement);
    let elapsed = started.elapsed();
    for o in &mut out {
        if let Outcome::Diagnostic(d) = o {
            for l in &mut d.labels {
                l.span.start += offset;
                l.span.end += offset;
            }
        }
    }
    out.push(note(format!("time: {}", duration_text(elapsed))));
    out
}

/// `850 µs`, `12.3 ms`, `4.56 s`.
pub fn duration_text(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1e-3 {
        format!("{:.0} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.3} ms", s * 1e3)
    } else {
        format!("{s:.3} s")
    }
}

fn format_name(f: NumberFormat) -> &'static str {
    match f {
        NumberFormat::Short => "short",
        NumberFormat::Long => "long",
        NumberFormat::Sci => "sci",
        NumberFormat::Rat => "rat",
    }
}

fn format(session: &mut Session, rest: &str) -> Vec<Outcome> {
    let f = match rest {
        "" => {
            return vec![note(format!(
                "format: {}",
                format_name(session.format.format)
            ))];
        }
        "short" => NumberFormat::Short,
        "long" => NumberFormat::Long,
        "sci" => NumberFormat::Sci,
        "rat" => NumberFormat::Rat,
        other => {
            return error(format!(
                ":format takes short, long, sci or rat, not `{other}`"
            ));
        }
    };
    session.format.format = f;
    Vec::new()
}

fn precision(session: &mut Session, rest: &str) -> Vec<Outcome> {
    match rest {
        "" => {
            let p = session
                .format
                .precision
                .map_or("default".to_string(), |p| p.to_string());
            vec![note(format!("precision: {p}"))]
        }
        "default" => {
            session.format.precision = None;
            Vec::new()
        }
        n => match n.parse::<usize>() {
            Ok(p) if p <= 17 => {
                session.format.precision = Some(p);
                Vec::new()
            }
            _ => error(format!(
                ":precision takes a whole number from 0 to 17 or `default`, not `{n}`"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(out: &[Outcome]) -> String {
        out.iter()
            .map(|o| match o {
                Outcome::Text(m) => m.to_plain(),
                Outcome::Diagnostic(d) => format!("error: {}", d.message),
                Outcome::Value { .. } => "value".into(),
                Outcome::Quit => "quit".into(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn shape_names_symbols_with_and_without_values() {
        let mut s = Session::new();
        s.eval_source("dim n, d = 64, h = 32; x = randn(n, d); W = randn(d, h); b = zeros(h);");
        assert_eq!(
            texts(&s.eval_entry(":shape x @ W + b")),
            "x @ W + b  n×h float64\n\
             ├─ x @ W  n×h float64\n\
             │  ├─ x  n×d float64\n\
             │  └─ W  d×h float64\n\
             └─ b  h float64"
        );
        let tree = texts(&s.eval_entry(":shape x @ W'"));
        assert!(
            tree.starts_with("x @ W'  ✗ matmul: d ≠ h\n├─ x  n×d float64"),
            "{tree}"
        );
    }

    #[test]
    fn shape_draws_the_tree_and_marks_where_it_fails() {
        let mut s = Session::new();
        s.eval_source("W = ones(4, 3); x = ones(10, 3); b = ones(4);");
        assert_eq!(
            texts(&s.eval_entry(":shape x @ W' + b")),
            "x @ W' + b  10×4 float64\n\
             ├─ x @ W'  10×4 float64\n\
             │  ├─ x  10×3 float64\n\
             │  └─ W'  3×4 float64\n\
             │     └─ W  4×3 float64\n\
             └─ b  4 float64"
        );
        // The failing node is marked; its parts show what they are.
        let tree = texts(&s.eval_entry(":shape W @ x' + b"));
        assert!(
            tree.starts_with(
                "W @ x' + b  ✗ add: shapes 4×10 and 4 do not broadcast\n├─ W @ x'  4×10 float64"
            ),
            "{tree}"
        );
        let tree = texts(&s.eval_entry(":shape sum(W @ x) + b"));
        assert!(
            tree.starts_with("sum(W @ x) + b  (fails below)\n"),
            "{tree}"
        );
        assert!(tree.contains("│  └─ W @ x  ✗ matmul: 3 ≠ 10"), "{tree}");
        // Nothing large is computed: the checker's rules alone.
        let tree = texts(&s.eval_entry(":shape zeros(20000, 20000) @ ones(20000)"));
        assert!(
            tree.starts_with("zeros(20000, 20000) @ ones(20000)  20000 float64"),
            "{tree}"
        );
        // The workspace is untouched.
        assert!(
            s.evaluator
                .get("W")
                .is_some_and(|v| matches!(v, crate::value::Value::Array(_)))
        );
    }

    #[test]
    fn format_and_precision_change_how_numbers_print() {
        let mut s = Session::new();
        s.eval_entry(":format rat");
        assert_eq!(s.format.format, NumberFormat::Rat);
        s.eval_entry(":precision 3");
        assert_eq!(s.format.precision, Some(3));
        assert_eq!(texts(&s.eval_entry(":precision")), "precision: 3");
        s.eval_entry(":precision default");
        assert_eq!(s.format.precision, None);
        assert!(texts(&s.eval_entry(":format huge")).starts_with("error: :format takes short"));
        assert_eq!(s.format.format, NumberFormat::Rat);
    }

    #[test]
    fn time_runs_the_statement_and_reports_errors_at_their_place() {
        let mut s = Session::new();
        let out = s.eval_entry(":time x = 2 + 3");
        assert!(texts(&out).contains("time: "));
        assert!(s.evaluator.get("x").is_some());
        let entry = ":time [1, 2] + [1, 2, 3]";
        let out = s.eval_entry(entry);
        let Outcome::Diagnostic(d) = &out[0] else {
            panic!("expected an error, got {out:?}")
        };
        let span = d.location().unwrap();
        assert_eq!(&entry[span.start..span.end], "+");
    }

    #[test]
    fn unknown_commands_suggest_the_closest() {
        let mut s = Session::new();
        assert_eq!(
            texts(&s.eval_entry(":varz")),
            "error: unknown command `:varz`; did you mean `:vars`? (:help lists the commands)"
        );
        assert!(matches!(s.eval_entry(":q")[0], Outcome::Quit));
    }
}
