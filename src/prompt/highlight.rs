//! Highlighting while typing: each token gets a style (numbers, names,
//! functions, operators, strings, comments), and the bracket matching the one
//! at the cursor stands out. The text itself is never changed, so the editor
//! can keep its cursor arithmetic.

use super::Context;
use crate::eval::{CONSTANTS, builtins};
use crate::render::{Markup, Style};
use crate::syntax::lex::{Tok, Token, tokens};

/// `line` as styled pieces; `pos` is the cursor's byte offset.
pub fn highlight(ctx: &Context, line: &str, pos: usize) -> Markup {
    let (code_start, mut m) = match command_prefix(line) {
        Some((end, code)) => {
            let mut m = Markup::new();
            m.push(Style::Keyword, &line[..end]);
            if !code {
                m.plain(&line[end..]);
                return m;
            }
            (end, m)
        }
        None => (0, Markup::new()),
    };
    let code = &line[code_start..];
    let toks = tokens(code);
    let bracket = matching_bracket(code, &toks, pos.checked_sub(code_start));
    let mut at = 0;
    for (i, t) in toks.iter().enumerate() {
        m.plain(&code[at..t.start]);
        let text = &code[t.start..t.end];
        let style = match t.tok {
            Tok::Number => Style::Number,
            Tok::Str => Style::String,
            Tok::Comment => Style::Comment,
            Tok::Operator => Style::Operator,
            Tok::Ident => ident_style(ctx, text, toks.get(i + 1).map(|n| &code[n.start..n.end])),
            Tok::Open | Tok::Close if bracket == Some(t.start) => Style::Bracket,
            Tok::Open | Tok::Close | Tok::Punct | Tok::Other => Style::Plain,
        };
        m.push(style, text);
        at = t.end;
    }
    m.plain(&code[at..]);
    m
}

/// For a `:command` line, where the command word ends and whether the rest
/// is code (`:time A @ B`) rather than a file name or plain words.
fn command_prefix(line: &str) -> Option<(usize, bool)> {
    let lead = line.len() - line.trim_start().len();
    if !line[lead..].starts_with(':') {
        return None;
    }
    let end = line[lead..]
        .find(char::is_whitespace)
        .map_or(line.len(), |i| lead + i);
    Some((end, line[lead..end] == *":time"))
}

/// The block keywords, highlighted like constants.
const KEYWORDS: [&str; 11] = [
    "function", "end", "if", "elseif", "else", "for", "in", "while", "break", "continue", "return",
];

fn ident_style(ctx: &Context, name: &str, next: Option<&str>) -> Style {
    if next == Some("(") && (builtins::find(name).is_some() || ctx.function(name).is_some()) {
        Style::Function
    } else if ctx.is_var(name) {
        Style::Name
    } else if CONSTANTS.contains(&name) || KEYWORDS.contains(&name) {
        Style::Keyword
    } else {
        Style::Plain
    }
}

/// The byte offset of the bracket that matches the one under the cursor, or
/// just before it (where the cursor is after typing `]`).
fn matching_bracket(code: &str, toks: &[Token], pos: Option<usize>) -> Option<usize> {
    let pos = pos?;
    let is_bracket = |t: &&Token| matches!(t.tok, Tok::Open | Tok::Close);
    let under = toks
        .iter()
        .filter(is_bracket)
        .find(|t| t.start == pos)
        .or_else(|| toks.iter().filter(is_bracket).find(|t| t.end == pos))?;
    let brackets: Vec<&Token> = toks.iter().filter(is_bracket).collect();
    let k = brackets.iter().position(|t| t.start == under.start)?;
    let mut depth = 0i64;
    if under.tok == Tok::Open {
        for t in &brackets[k..] {
            depth += if t.tok == Tok::Open { 1 } else { -1 };
            if depth == 0 {
                return pairs(code, under.start, t.start).then_some(t.start);
            }
        }
    } else {
        for t in brackets[..=k].iter().rev() {
            depth += if t.tok == Tok::Close { 1 } else { -1 };
            if depth == 0 {
                return pairs(code, t.start, under.start).then_some(t.start);
            }
        }
    }
    None
}

/// Whether the brackets at `open` and `close` are of the same kind; a
/// mismatch like `(]` is not highlighted.
fn pairs(code: &str, open: usize, close: usize) -> bool {
    matches!(
        (code.as_bytes()[open], code.as_bytes()[close]),
        (b'(', b')') | (b'[', b']')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled(line: &str, pos: usize) -> Vec<(Style, String)> {
        let ctx = Context {
            vars: vec![("A".into(), "2×2 int64".into())],
            ..Context::default()
        };
        let m = highlight(&ctx, line, pos);
        assert_eq!(m.to_plain(), line, "highlighting never changes the text");
        m.0.into_iter()
            .filter(|(s, _)| *s != Style::Plain)
            .collect()
    }

    fn s(style: Style, text: &str) -> (Style, String) {
        (style, text.to_string())
    }

    #[test]
    fn styles_each_kind_of_token() {
        assert_eq!(
            styled("B = sqrt(A) + pi * 2 # two", 0),
            vec![
                s(Style::Operator, "="),
                s(Style::Function, "sqrt"),
                s(Style::Name, "A"),
                s(Style::Operator, "+"),
                s(Style::Keyword, "pi"),
                s(Style::Operator, "*"),
                s(Style::Number, "2"),
                s(Style::Comment, "# two"),
            ]
        );
        assert_eq!(
            styled("dtype(\"x\")", 0),
            vec![s(Style::Function, "dtype"), s(Style::String, "\"x\"")]
        );
    }

    #[test]
    fn marks_the_bracket_matching_the_cursor() {
        // Cursor just after the last `]`: the first `[` matches.
        assert_eq!(
            styled("[[1], [2]]", 10),
            vec![
                s(Style::Bracket, "["),
                s(Style::Number, "1"),
                s(Style::Number, "2")
            ]
        );
        // Cursor on the inner `[` of `[2]`: its `]` matches.
        let line = "[[1], [2]]";
        let m = styled(line, 6);
        assert!(m.contains(&s(Style::Bracket, "]")));
        assert_eq!(styled("(1]", 3), vec![s(Style::Number, "1")]);
    }

    #[test]
    fn commands_show_their_name_and_time_shows_code() {
        assert_eq!(styled(":load a.la", 0), vec![s(Style::Keyword, ":load")]);
        assert_eq!(
            styled(":time A @ A", 0),
            vec![
                s(Style::Keyword, ":time"),
                s(Style::Name, "A"),
                s(Style::Operator, "@"),
                s(Style::Name, "A")
            ]
        );
    }
}
