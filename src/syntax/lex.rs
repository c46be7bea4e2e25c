//! The one hand-written lexer: it accepts anything (an unclosed string, a
//! stray character) and only sorts text into token kinds with byte ranges.
//! The parser's cheap checks before pest runs (an unclosed bracket) and the
//! prompt's completion, hints and highlighting all read it, so they agree on
//! what is a string, a comment or a bracket. The grammar proper is pest's.

/// Token kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Number,
    Ident,
    /// A string, possibly not closed yet.
    Str,
    Comment,
    Operator,
    /// `(` or `[`.
    Open,
    /// `)` or `]`.
    Close,
    /// `,` or `;`.
    Punct,
    /// Anything else (non-ASCII text, `$`, ...).
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

const OPERATORS: [&str; 23] = [
    "...", "==", "!=", "<=", ">=", "//", "**", "+", "-", "*", "/", "%", "^", "@", "\\", "'", "!",
    "<", ">", "=", "&", "|", ":",
];

/// The tokens of `text`, skipping whitespace.
pub fn tokens(text: &str) -> Vec<Token> {
    Lexer::new(text).collect()
}

/// The tokens of a text one at a time, without collecting them.
pub struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Lexer<'a> {
        Lexer { text, pos: 0 }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let text = self.text;
        let b = text.as_bytes();
        let mut i = self.pos;
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if i >= b.len() {
            self.pos = i;
            return None;
        }
        let start = i;
        let c = b[i];
        let tok = match c {
            b'#' => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                Tok::Comment
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' && i + 1 < b.len() && b[i + 1] != b'\n' {
                        2
                    } else {
                        1
                    };
                }
                if i < b.len() && b[i] == b'"' {
                    i += 1;
                }
                Tok::Str
            }
            b'0'..=b'9' => {
                i = number_end(b, i);
                Tok::Number
            }
            b'.' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i = number_end(b, i);
                Tok::Number
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                Tok::Ident
            }
            b'(' | b'[' => {
                i += 1;
                Tok::Open
            }
            b')' | b']' => {
                i += 1;
                Tok::Close
            }
            b',' | b';' => {
                i += 1;
                Tok::Punct
            }
            _ => match OPERATORS.iter().find(|op| text[i..].starts_with(*op)) {
                Some(op) => {
                    i += op.len();
                    Tok::Operator
                }
                None => {
                    i += text[i..].chars().next().map_or(1, char::len_utf8);
                    Tok::Other
                }
            },
        };
        self.pos = i;
        Some(Token { tok, start, end: i })
    }
}

/// The end of a number starting at `i`: digits, a fraction, an exponent and
/// an imaginary `j`, as far as they are there.
fn number_end(b: &[u8], mut i: usize) -> usize {
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    i = digits(i);
    if i < b.len() && b[i] == b'.' && b.get(i + 1) != Some(&b'.') {
        i = digits(i + 1);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            i = digits(j);
        }
    }
    if i < b.len() && (b[i] == b'j' || b[i] == b'J') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Tok, &str)> {
        tokens(text)
            .into_iter()
            .map(|t| (t.tok, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn sorts_a_statement_into_tokens() {
        use Tok::*;
        assert_eq!(
            kinds("B = A' @ x[1:] // 2.5e-3j # done"),
            vec![
                (Ident, "B"),
                (Operator, "="),
                (Ident, "A"),
                (Operator, "'"),
                (Operator, "@"),
                (Ident, "x"),
                (Open, "["),
                (Number, "1"),
                (Operator, ":"),
                (Close, "]"),
                (Operator, "//"),
                (Number, "2.5e-3j"),
                (Comment, "# done"),
            ]
        );
    }

    #[test]
    fn accepts_half_typed_and_odd_text() {
        use Tok::*;
        assert_eq!(
            kinds("f(\"ab\\\"c"),
            vec![(Ident, "f"), (Open, "("), (Str, "\"ab\\\"c")]
        );
        assert_eq!(
            kinds("1e x"),
            vec![(Number, "1"), (Ident, "e"), (Ident, "x")]
        );
        assert_eq!(kinds("é$"), vec![(Other, "é"), (Other, "$")]);
        assert_eq!(
            kinds("A[...]"),
            vec![(Ident, "A"), (Open, "["), (Operator, "..."), (Close, "]")]
        );
    }
}
