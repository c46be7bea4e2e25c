//! Tab completion: workspace names, built-in functions (with their `(`),
//! constants, keyword arguments of the call being typed, dtype names inside
//! `dtype="..."`, `:commands` and their arguments, and file paths after
//! `:load` and `:save`.

use std::path::{Path, PathBuf};

use super::{Context, open_call};
use crate::commands::COMMANDS;
use crate::eval::{CONSTANTS, builtins};
use crate::syntax::lex::{Tok, tokens};
use crate::value::DType;

/// One choice: what the list shows and what replaces the typed word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub display: String,
    pub replacement: String,
}

/// Where the replaced word starts, and the choices for it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub candidates: Vec<Candidate>,
}

/// Completions for the word that ends at the cursor `pos`.
pub fn complete(ctx: &Context, line: &str, pos: usize) -> Completion {
    let before = &line[..pos];
    let lead = before.len() - before.trim_start().len();
    if before[lead..].starts_with(':') {
        return complete_command(ctx, before, lead);
    }
    complete_code(ctx, before, 0)
}

fn complete_command(ctx: &Context, before: &str, lead: usize) -> Completion {
    let Some(space) = before[lead..].find(char::is_whitespace).map(|i| lead + i) else {
        let word = &before[lead..];
        return choose(
            lead,
            word,
            COMMANDS
                .iter()
                .map(|c| (c.name.to_string(), format!("{} ", c.name))),
        );
    };
    let command = &before[lead..space];
    let arg_start = space + (before[space..].len() - before[space..].trim_start().len());
    let arg = &before[arg_start..];
    match command {
        ":load" | ":save" => complete_path(arg_start, arg),
        ":time" => complete_code(ctx, before, arg_start),
        _ => {
            let word_start = arg_start + arg.rfind(char::is_whitespace).map_or(0, |i| i + 1);
            let word = &before[word_start..];
            let words: Vec<String> = match command {
                ":clear" => ctx.vars.iter().map(|(n, _)| n.clone()).collect(),
                ":format" => ["short", "long", "sci", "rat"].map(String::from).to_vec(),
                ":help" => builtins::names()
                    .map(String::from)
                    .chain(ctx.funcs.iter().map(|(n, _)| n.clone()))
                    .chain(COMMANDS.iter().map(|c| c.name.to_string()))
                    .chain(CONSTANTS.iter().map(|c| c.to_string()))
                    .collect(),
                _ => Vec::new(),
            };
            choose(word_start, word, words.into_iter().map(|w| (w.clone(), w)))
        }
    }
}

/// Names in source text, from `code_start` on.
fn complete_code(ctx: &Context, before: &str, code_start: usize) -> Completion {
    let code = &before[code_start..];
    let toks = tokens(code);
    let last = toks.last().filter(|t| t.end == code.len());
    match last.map(|t| t.tok) {
        Some(Tok::Str) => return complete_dtype(code, &toks, code_start),
        Some(Tok::Ident) => {}
        _ => return Completion::default(),
    }
    let last = last.expect("checked above");
    let word = &code[last.start..];
    let mut choices: Vec<(String, String)> = Vec::new();
    if let Some(b) = open_call(code, &toks[..toks.len() - 1]).and_then(builtins::find) {
        choices.extend(
            b.keywords
                .iter()
                .map(|k| (format!("{k}="), format!("{k}="))),
        );
    }
    choices.extend(ctx.vars.iter().map(|(n, _)| (n.clone(), n.clone())));
    choices.extend(builtins::names().map(|n| (n.to_string(), format!("{n}("))));
    choices.extend(ctx.funcs.iter().map(|(n, _)| (n.clone(), format!("{n}("))));
    choices.extend(CONSTANTS.iter().map(|c| (c.to_string(), c.to_string())));
    choose(code_start + last.start, word, choices.into_iter())
}

/// Inside `dtype="...`: the dtype names.
fn complete_dtype(code: &str, toks: &[super::Token], code_start: usize) -> Completion {
    let n = toks.len();
    let is_dtype_arg = n >= 3
        && &code[toks[n - 3].start..toks[n - 3].end] == "dtype"
        && &code[toks[n - 2].start..toks[n - 2].end] == "=";
    let s = &toks[n - 1];
    if !is_dtype_arg || code[s.start..].ends_with('"') && s.end - s.start > 1 {
        return Completion::default();
    }
    let typed = &code[s.start + 1..];
    choose(
        code_start + s.start + 1,
        typed,
        DType::ALL
            .iter()
            .map(|d| (d.name().to_string(), format!("{}\"", d.name()))),
    )
}

/// File names after `:load` and `:save`; directories end in `/`.
fn complete_path(arg_start: usize, arg: &str) -> Completion {
    let (dir_part, prefix) = match arg.rfind('/') {
        Some(i) => (&arg[..=i], &arg[i + 1..]),
        None => ("", arg),
    };
    let dir: PathBuf = if dir_part.is_empty() {
        PathBuf::from(".")
    } else {
        crate::commands::expand_home(dir_part)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Completion::default();
    };
    let mut names: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let is_dir = Path::new(&dir).join(&name).is_dir();
            let shown = if is_dir { format!("{name}/") } else { name };
            Some((shown.clone(), shown))
        })
        .filter(|(n, _)| n.starts_with(prefix) && (prefix.starts_with('.') || !n.starts_with('.')))
        .collect();
    names.sort();
    Completion {
        start: arg_start + dir_part.len(),
        candidates: names
            .into_iter()
            .map(|(display, replacement)| Candidate {
                display,
                replacement,
            })
            .collect(),
    }
}

/// The choices that start with `word`, sorted and without repeats.
fn choose(start: usize, word: &str, choices: impl Iterator<Item = (String, String)>) -> Completion {
    let mut candidates: Vec<Candidate> = choices
        .filter(|(display, _)| display.starts_with(word))
        .map(|(display, replacement)| Candidate {
            display,
            replacement,
        })
        .collect();
    candidates.sort_by(|a, b| a.display.cmp(&b.display));
    candidates.dedup_by(|a, b| a.display == b.display);
    Completion { start, candidates }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            vars: vec![
                ("weights".into(), "3 float64".into()),
                ("width".into(), "scalar int64".into()),
            ],
            ..Context::default()
        }
    }

    fn shown(line: &str) -> (usize, Vec<String>) {
        let c = complete(&ctx(), line, line.len());
        (
            c.start,
            c.candidates.into_iter().map(|c| c.replacement).collect(),
        )
    }

    #[test]
    fn completes_workspace_names_functions_and_constants() {
        assert_eq!(shown("x = wei"), (4, vec!["weights".to_string()]));
        assert_eq!(
            shown("w"),
            (
                0,
                vec![
                    "weights".to_string(),
                    "where(".to_string(),
                    "width".to_string()
                ]
            )
        );
        assert_eq!(shown("lins"), (0, vec!["linspace(".to_string()]));
        assert_eq!(
            shown("2 * pi"),
            (4, vec!["pi".to_string(), "pinv(".to_string()])
        );
        assert_eq!(shown("1 + "), (0, vec![]));
    }

    #[test]
    fn completes_keyword_arguments_and_dtypes() {
        assert_eq!(
            shown("zeros(2, dt"),
            (9, vec!["dtype(".to_string(), "dtype=".to_string()])
        );
        assert_eq!(
            shown("ones(2, dtype=\"fl"),
            (15, vec!["float32\"".to_string(), "float64\"".to_string()])
        );
    }

    #[test]
    fn completes_commands_and_their_arguments() {
        assert_eq!(shown(":v"), (0, vec![":vars ".to_string()]));
        assert_eq!(shown(":clear we"), (7, vec!["weights".to_string()]));
        assert_eq!(
            shown(":format s"),
            (8, vec!["sci".to_string(), "short".to_string()])
        );
        assert_eq!(shown(":time wid"), (6, vec!["width".to_string()]));
    }

    #[test]
    fn completes_paths_after_load_and_save() {
        let dir = std::env::temp_dir().join(format!("tensorcalc-complete-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("work.la"), "").unwrap();
        let d = dir.display().to_string();
        let line = format!(":load {d}/w");
        assert_eq!(shown(&line), (line.len() - 1, vec!["work.la".to_string()]));
        let line = format!(":save {d}/s");
        assert_eq!(shown(&line), (line.len() - 1, vec!["sub/".to_string()]));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
