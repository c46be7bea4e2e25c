//! The prompt: rustyline line editing; entries continue while brackets are
//! open; every entry runs in the same session. Errors never end it.

use std::process::ExitCode;

use anyhow::Result;
use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;
use tensorcalc::Session;
use tensorcalc::render::SourceFile;

use crate::paint::paint;

/// Whether `text` has a bracket still open (outside strings and comments).
pub fn needs_more(text: &str) -> bool {
    let mut depth = 0i64;
    let mut in_string = false;
    let mut in_comment = false;
    let mut prev = ' ';
    for c in text.chars() {
        match c {
            '\n' => {
                in_comment = false;
                in_string = false;
            }
            _ if in_comment => {}
            '"' if prev != '\\' => in_string = !in_string,
            _ if in_string => {}
            '#' => in_comment = true,
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            _ => {}
        }
        prev = c;
    }
    depth > 0
}

pub fn run(session: &mut Session, out_color: bool, err_color: bool) -> Result<ExitCode> {
    println!(
        "tensorcalc {} — type :help for help, :quit to leave",
        env!("CARGO_PKG_VERSION")
    );
    let mut editor = DefaultEditor::new()?;
    loop {
        let mut entry = String::new();
        let mut prompt = ">> ";
        loop {
            match editor.readline(prompt) {
                Ok(line) => {
                    if !entry.is_empty() {
                        entry.push('\n');
                    }
                    entry.push_str(&line);
                    if !needs_more(&entry) {
                        break;
                    }
                    prompt = ".. ";
                }
                Err(ReadlineError::Interrupted) => {
                    entry.clear();
                    break;
                }
                Err(ReadlineError::Eof) => return Ok(ExitCode::SUCCESS),
                Err(e) => return Err(e.into()),
            }
        }
        let trimmed = entry.trim();
        if trimmed.is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(trimmed);
        let outcomes = session.eval_entry(&entry);
        let src = SourceFile {
            name: "<prompt>",
            text: &entry,
            first_line: 0,
        };
        for o in &outcomes {
            let text = session.render(o, &src);
            match o {
                tensorcalc::Outcome::Value { .. } | tensorcalc::Outcome::Text(_) => {
                    println!("{}", paint(&text, out_color))
                }
                tensorcalc::Outcome::Diagnostic(_) => eprintln!("{}", paint(&text, err_color)),
                tensorcalc::Outcome::Quit => return Ok(ExitCode::SUCCESS),
            }
        }
    }
}
