//! Every built-in function and operator has a `:help` page, and every
//! example on those pages runs without an error.

use tensorcalc::commands::{OPERATORS, help_text};
use tensorcalc::eval::builtins;
use tensorcalc::{Outcome, Session};

/// Runs `code` in a new session; the error message if it fails.
fn run(code: &str) -> Result<(), String> {
    let mut session = Session::new();
    for o in session.eval_source(code) {
        if let Outcome::Diagnostic(d) = &o
            && o.error_kind().is_some()
        {
            return Err(d.message.clone());
        }
    }
    Ok(())
}

fn check(examples: impl Iterator<Item = (String, &'static str)>) {
    let mut failed = Vec::new();
    for (name, code) in examples {
        match run(code) {
            Ok(()) => {}
            Err(m) => failed.push(format!("{name}: `{code}` fails: {m}")),
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_builtin_example_runs() {
    check(builtins::all().map(|b| (b.name.to_string(), b.example)));
}

#[test]
fn every_operator_example_runs() {
    check(
        OPERATORS
            .iter()
            .map(|o| (format!("{} ({})", o.symbols[0], o.name), o.example)),
    );
}

#[test]
fn every_builtin_has_a_help_page_with_signature_and_example() {
    for b in builtins::all() {
        assert!(
            !b.summary.is_empty() && !b.example.is_empty(),
            "{} has no help text",
            b.name
        );
        let page = help_text(b.name)
            .unwrap_or_else(|| panic!("no :help page for {}", b.name))
            .to_plain();
        assert!(page.starts_with(b.signature), "{page}");
        assert!(page.contains(&format!(">> {}", b.example)), "{page}");
    }
}

#[test]
fn every_operator_of_the_grammar_has_a_help_page() {
    // The infix, prefix and postfix operators of grammar/tensorcalc.pest.
    let grammar = [
        "|", "&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "//", "%", "@", "\\", "^",
        "**", "!", "'", "[]",
    ];
    for op in grammar {
        let page = help_text(op)
            .unwrap_or_else(|| panic!("no :help page for {op}"))
            .to_plain();
        assert!(
            page.contains("precedence") && page.contains("example"),
            "{page}"
        );
    }
    for op in OPERATORS {
        assert!(
            !op.summary.is_empty() && !op.example.is_empty(),
            "{} has no help text",
            op.name
        );
    }
}

#[test]
fn help_through_the_session_answers_or_suggests() {
    let mut s = Session::new();
    let Outcome::Text(page) = &s.eval_entry(":help @")[0] else {
        panic!("no page for @")
    };
    assert!(page.to_plain().starts_with("A @ B  matrix product"));
    let out = s.eval_entry(":help linspac");
    let Outcome::Diagnostic(d) = &out[0] else {
        panic!("expected an error")
    };
    assert_eq!(d.help, ["did you mean :help linspace?"]);
    let Outcome::Text(overview) = &s.eval_entry(":help")[0] else {
        panic!()
    };
    let text = overview.to_plain();
    for needed in [
        "syntax",
        "operators, loosest first",
        "commands",
        ":vars",
        "functions",
    ] {
        assert!(
            text.contains(needed),
            "the overview lacks {needed}:\n{text}"
        );
    }
}
