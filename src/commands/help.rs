//! `:help`: the overview (syntax, operators by precedence, commands,
//! functions by category) and one page per built-in function, operator,
//! command and constant. Every page's example is run to show its result.

use super::COMMANDS;
use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::eval::{CONSTANTS, builtins, closest};
use crate::render::{Markup, SourceFile, Style};
use crate::session::{Outcome, Session};

/// An operator's help page.
pub struct Operator {
    /// The spellings (`^` and `**` are one operator).
    pub symbols: &'static [&'static str],
    pub name: &'static str,
    /// How it is written.
    pub usage: &'static str,
    /// Precedence level, 1 the loosest.
    pub level: u8,
    pub summary: &'static str,
    pub example: &'static str,
}

macro_rules! op {
    ([$($sym:literal),+], $name:literal, $usage:literal, $level:literal, $summary:literal, $example:literal) => {
        Operator { symbols: &[$($sym),+], name: $name, usage: $usage, level: $level, summary: $summary, example: $example }
    };
}

/// Every operator, loosest first; the levels match the Pratt table in
/// `syntax/parser.rs`.
pub const OPERATORS: &[Operator] = &[
    op!(
        ["|"],
        "logical or",
        "a | b",
        1,
        "Elementwise or of bools (bitwise or of integers), with broadcasting.",
        "[true, false] | [false, false]"
    ),
    op!(
        ["&"],
        "logical and",
        "a & b",
        2,
        "Elementwise and of bools (bitwise and of integers), with broadcasting.",
        "[true, false] & [true, true]"
    ),
    op!(
        ["=="],
        "equal",
        "a == b",
        3,
        "Elementwise comparison giving bools; 1 == 1.0 is true. Compare floats with a tolerance: abs(a - b) < 1e-9.",
        "[1, 2, 3] == 2"
    ),
    op!(
        ["!="],
        "not equal",
        "a != b",
        3,
        "Elementwise comparison giving bools; nan != nan is true.",
        "[1, 2, 3] != 2"
    ),
    op!(
        ["<"],
        "less than",
        "a < b",
        3,
        "Elementwise comparison giving bools. Complex numbers are not ordered.",
        "[1, 2, 3] < 2"
    ),
    op!(
        ["<="],
        "less or equal",
        "a <= b",
        3,
        "Elementwise comparison giving bools.",
        "[1, 2, 3] <= 2"
    ),
    op!(
        [">"],
        "greater than",
        "a > b",
        3,
        "Elementwise comparison giving bools.",
        "[1, 2, 3] > 2"
    ),
    op!(
        [">="],
        "greater or equal",
        "a >= b",
        3,
        "Elementwise comparison giving bools.",
        "[1, 2, 3] >= 2"
    ),
    op!(
        ["+"],
        "add",
        "a + b",
        4,
        "Elementwise sum with broadcasting: shapes are lined up from the right and axes of length 1 stretch, so a 2×3 matrix plus a vector of 3 adds the vector to every row.",
        "[[1, 2, 3], [4, 5, 6]] + [10, 20, 30]"
    ),
    op!(
        ["-"],
        "subtract",
        "a - b",
        4,
        "Elementwise difference with broadcasting.",
        "[5, 7] - 1"
    ),
    op!(
        ["*"],
        "multiply",
        "a * b",
        5,
        "Elementwise product with broadcasting (NumPy's *), not the matrix product: use @ for that.",
        "[[1, 2], [3, 4]] * [10, 100]"
    ),
    op!(
        ["/"],
        "divide",
        "a / b",
        5,
        "Elementwise true division: integers give floats, x/0 gives inf or nan as in NumPy.",
        "[1, 2, 3] / 2"
    ),
    op!(
        ["//"],
        "floor divide",
        "a // b",
        5,
        "Elementwise division rounded down (toward -inf): -7 // 2 is -4.",
        "[7, -7] // 2"
    ),
    op!(
        ["%"],
        "remainder",
        "a % b",
        5,
        "Elementwise remainder with the sign of the divisor, as in NumPy: -7 % 3 is 2.",
        "[7, -7] % 3"
    ),
    op!(
        ["@"],
        "matrix product",
        "A @ B",
        5,
        "The matrix product (numpy.matmul): the inner sizes must agree (m×k @ k×n is m×n); a vector acts as a row on the left and a column on the right; leading axes are batches and broadcast.",
        "[[1, 2], [3, 4]] @ [[5], [6]]"
    ),
    op!(
        ["\\"],
        "solve",
        "A \\ b",
        5,
        "Solves A x = b for x, as Octave's left division: the same as solve(A, b), without forming the inverse.",
        "[[2, 0], [0, 4]] \\ [2, 4]"
    ),
    op!(
        ["-"],
        "negate",
        "-a",
        6,
        "Negates every element. Binds looser than ^: -2^2 is -4.",
        "-[1, -2]"
    ),
    op!(
        ["+"],
        "plus",
        "+a",
        6,
        "Leaves the value as it is.",
        "+[1, 2]"
    ),
    op!(
        ["!"],
        "not",
        "!a",
        6,
        "Elementwise logical not of bools; for numbers write x == 0.",
        "![true, false]"
    ),
    op!(
        ["^", "**"],
        "power",
        "a ^ b",
        7,
        "Elementwise power; right-associative, so 2^3^2 is 2^9. Integers to powers ≥ 0 stay integers; a negative integer power gives floats (2^-1 is 0.5).",
        "[1, 2, 3] ^ 2"
    ),
    op!(
        ["'"],
        "conjugate transpose",
        "A'",
        8,
        "Swaps the last two axes and conjugates complex values (Octave's '). A vector is only conjugated; transpose(A) swaps axes without conjugating.",
        "[[1, 2j], [3, 4]]'"
    ),
    op!(
        ["[]", "[", "]", ":"],
        "index",
        "A[i, j]",
        8,
        "Indexes from 0; negative indices count from the end. Slices a:b:c leave out any part, ... stands for the remaining axes, and a bool or integer array picks elements. A[i] = v assigns into A.",
        "A = [[1, 2, 3], [4, 5, 6]]; A[1, 1:]"
    ),
];

/// The operator levels as shown in the overview, loosest first.
const LEVELS: [&str; 8] = [
    "logical or",
    "logical and",
    "comparisons",
    "add, subtract",
    "multiply, divide, floor divide, remainder, matrix product, solve",
    "prefix: negate, plus, not",
    "power (right to left: 2^3^2 is 2^9, and -2^2 is -4)",
    "postfix: conjugate transpose, indexing",
];

const SYNTAX: &[(&str, &str)] = &[
    ("x = [1, 2, 3]", "assign; a trailing ; hides the result"),
    (
        "A = [[1, 2], [3, 4]]",
        "a matrix as a list of rows (Octave's [1, 2; 3, 4] works too)",
    ),
    (
        "A[0, 1]   A[:, 1:]",
        "index and slice from 0; A[0] = 5 assigns into A",
    ),
    ("sum(A, axis=0)", "call a function, with keyword arguments"),
    ("Q, R = qr(A)", "unpack a function's several results"),
    (
        "2.5  1e-3  2j  \"text\"",
        "numbers, imaginary numbers, strings",
    ),
    (
        "# comment",
        "to the end of the line; open brackets continue on the next",
    ),
];

fn wrap(text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for word in text.split_whitespace() {
        if col > 0 && col + 1 + word.chars().count() > width - indent {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.chars().count();
    }
    out
}

/// `:help` with no topic.
pub fn overview() -> Markup {
    let usage = |c: &super::Command| format!("{} {}", c.name, c.args).trim_end().to_string();
    let w = SYNTAX
        .iter()
        .map(|(code, _)| code.chars().count())
        .chain(COMMANDS.iter().map(|c| usage(c).chars().count()))
        .max()
        .unwrap_or(0)
        + 2;
    let mut m = Markup::new();
    m.push(
        Style::Emphasis,
        format!("tensorcalc {}", env!("CARGO_PKG_VERSION")),
    );
    m.plain(": scalars, vectors, matrices and tensors with NumPy's rules\n\n");
    m.push(Style::Emphasis, "syntax\n");
    for (code, what) in SYNTAX {
        m.push(Style::Keyword, format!("  {code:<w$}"));
        m.plain(format!("{what}\n"));
    }
    m.plain("\n");
    m.push(Style::Emphasis, "operators");
    m.plain(", loosest first (:help OP for one)\n");
    for (i, level) in LEVELS.iter().enumerate() {
        let mut symbols: Vec<&str> = Vec::new();
        for op in OPERATORS.iter().filter(|o| o.level as usize == i + 1) {
            let s = match op.symbols[0] {
                "[]" => "[...]",
                _ => op.symbols.first().copied().unwrap_or(""),
            };
            if !symbols.contains(&s) {
                symbols.push(s);
            }
            if op.symbols == ["^", "**"] {
                symbols.push("**");
            }
        }
        m.push(Style::Operator, format!("  {:<w$}", symbols.join(" ")));
        m.plain(format!("{level}\n"));
    }
    m.plain("\n");
    m.push(Style::Emphasis, "commands\n");
    for c in COMMANDS {
        m.push(Style::Keyword, format!("  {:<w$}", usage(c)));
        m.plain(format!("{}\n", c.summary));
    }
    m.plain("\n");
    m.push(Style::Emphasis, "functions");
    m.plain(" (:help NAME for one)\n");
    let mut categories: Vec<&str> = Vec::new();
    for b in builtins::all() {
        if !categories.contains(&b.category) {
            categories.push(b.category);
        }
    }
    for cat in categories {
        let names: Vec<&str> = builtins::all()
            .filter(|b| b.category == cat)
            .map(|b| b.name)
            .collect();
        m.push(Style::Dim, format!("  {cat:<14}"));
        m.push(Style::Function, wrap(&names.join(" "), 16, 80));
        m.plain("\n");
    }
    m.push(Style::Dim, format!("  {:<14}", "constants"));
    m.push(Style::Keyword, CONSTANTS.join(" "));
    m.plain("\n\nTab completes names, a name shows its shape, Ctrl-C stops a computation.");
    m
}

/// `:help NAME` as outcomes: the page, or an error with a suggestion.
pub fn topic(session: &Session, name: &str) -> Vec<Outcome> {
    if let Some(f) = session.evaluator.functions().get(name) {
        // The signature, then the comment lines written above the
        // definition.
        let mut m = Markup::new();
        m.push(Style::Function, f.def.signature());
        m.push(Style::Dim, "  (defined in the workspace)");
        if f.def.doc.is_empty() {
            m.plain("\n");
            m.push(
                Style::Dim,
                "  no description: write # lines directly above the definition",
            );
        }
        for line in &f.def.doc {
            m.plain(format!("\n  {line}"));
        }
        return vec![Outcome::Text(m)];
    }
    if let Some(m) = help_text(name) {
        return vec![Outcome::Text(m)];
    }
    if let Some(v) = session.evaluator.get(name) {
        let mut m = Markup::new();
        m.push(Style::Name, name);
        m.plain(format!(" is a variable in the workspace: {}", v.describe()));
        return vec![Outcome::Text(m)];
    }
    let known = builtins::names()
        .chain(COMMANDS.iter().map(|c| c.name.trim_start_matches(':')))
        .chain(CONSTANTS.iter().copied());
    let mut d = Diagnostic::error(ErrorKind::Name, format!("no help for `{name}`"));
    if let Some(near) = closest(name, known) {
        d = d.help(format!("did you mean :help {near}?"));
    }
    vec![Outcome::Diagnostic(
        d.note(":help lists every function, operator and command"),
    )]
}

/// The help page for a built-in, an operator (`:help @`), a command
/// (`:help :save` or `:help save`) or a constant.
pub fn help_text(name: &str) -> Option<Markup> {
    if let Some(b) = builtins::find(name) {
        let mut m = Markup::new();
        m.push(Style::Function, b.signature);
        m.push(Style::Dim, format!("  ({})", b.category));
        m.plain(format!("\n  {}\n", wrap(b.summary, 2, 78)));
        m.append(example(b.example));
        return Some(m);
    }
    let ops: Vec<&Operator> = OPERATORS
        .iter()
        .filter(|o| o.symbols.contains(&name))
        .collect();
    if !ops.is_empty() {
        let mut m = Markup::new();
        for (i, op) in ops.iter().enumerate() {
            if i > 0 {
                m.plain("\n\n");
            }
            m.push(Style::Operator, op.usage);
            m.push(
                Style::Dim,
                format!(
                    "  {}, precedence {} of {} (1 binds loosest)",
                    op.name,
                    op.level,
                    LEVELS.len()
                ),
            );
            m.plain(format!("\n  {}\n", wrap(op.summary, 2, 78)));
            m.append(example(op.example));
        }
        return Some(m);
    }
    let command = format!(":{}", name.trim_start_matches(':'));
    if let Some(c) = COMMANDS.iter().find(|c| c.name == command) {
        let mut m = Markup::new();
        m.push(
            Style::Keyword,
            format!("{} {}", c.name, c.args).trim_end().to_string(),
        );
        m.plain(format!("\n  {}", c.summary));
        return Some(m);
    }
    if CONSTANTS.contains(&name) {
        let mut m = Markup::new();
        m.push(Style::Keyword, name);
        m.plain(" is a constant, unless the workspace defines the name.\n");
        m.append(example(name));
        return Some(m);
    }
    None
}

/// `example` and what it gives, run in a scratch session.
fn example(code: &str) -> Markup {
    let mut m = Markup::new();
    m.push(Style::Dim, "example\n");
    m.push(Style::Dim, "  >> ");
    m.plain(code);
    let mut scratch = Session::new();
    let src = SourceFile {
        name: "<example>",
        text: code,
        first_line: 0,
    };
    for o in scratch.eval_source(code) {
        let shown = scratch.render(&o, &src);
        for line in shown.to_plain().lines() {
            m.plain(format!("\n  {line}"));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overview_lists_precedence_commands_and_functions() {
        let text = overview().to_plain();
        assert!(
            text.contains("  |                           logical or\n"),
            "{text}"
        );
        assert!(
            text.contains("  * / // % @ \\                multiply"),
            "{text}"
        );
        assert!(
            text.contains("  :format short|long|sci|rat  how numbers print"),
            "{text}"
        );
        assert!(text.contains(":save FILE"), "{text}");
        assert!(text.contains("zeros ones"), "{text}");
    }

    #[test]
    fn a_page_shows_signature_description_and_the_example_result() {
        let text = help_text("ndim").unwrap().to_plain();
        assert_eq!(
            text,
            "ndim(x)  (introspection)\n  The number of axes: 0 for a scalar, 1 for a vector, 2 for a matrix.\nexample\n  >> ndim(ones(2, 3, 4))\n  3"
        );
        let text = help_text("-").unwrap().to_plain();
        assert!(
            text.starts_with("a - b  subtract, precedence 4 of 8"),
            "{text}"
        );
        assert!(text.contains("-a  negate, precedence 6 of 8"), "{text}");
        assert!(
            help_text("**")
                .unwrap()
                .to_plain()
                .starts_with("a ^ b  power")
        );
        assert!(
            help_text("save")
                .unwrap()
                .to_plain()
                .starts_with(":save FILE")
        );
        assert!(help_text("nosuch").is_none());
    }
}
