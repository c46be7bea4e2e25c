//! Prompt commands (`:help`, `:vars`, `:quit`, ...), parsed by the core so
//! every front end shares them.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::render::{Markup, Style};
use crate::session::{Outcome, Session};

/// Whether an entry is a `:command` rather than source text.
pub fn is_command(entry: &str) -> bool {
    entry.trim_start().starts_with(':')
}

/// Runs a `:command`.
pub fn run(session: &mut Session, entry: &str) -> Vec<Outcome> {
    let line = entry.trim();
    let (name, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    match name {
        ":quit" | ":q" | ":exit" => vec![Outcome::Quit],
        ":vars" => vec![Outcome::Text(vars(session))],
        ":clear" => {
            if rest.is_empty() {
                session.evaluator.clear();
            } else {
                for n in rest.split_whitespace() {
                    session.evaluator.remove(n);
                }
            }
            Vec::new()
        }
        _ => vec![Outcome::Diagnostic(Diagnostic::error(
            ErrorKind::Syntax,
            format!("unknown command `{name}`; :help lists the commands"),
        ))],
    }
}

fn vars(session: &Session) -> Markup {
    let mut m = Markup::new();
    for (name, value) in session.evaluator.vars() {
        if !m.is_empty() {
            m.plain("\n");
        }
        m.push(Style::Name, name.clone());
        m.push(Style::Dim, format!("  {}", value.describe()));
    }
    m
}
