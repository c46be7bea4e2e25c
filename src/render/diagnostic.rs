//! Diagnostics to text: a `FILE:LINE:COL: error: message` line, the source
//! line with each labelled span underlined (`^` primary, `-` secondary) and
//! its label hanging below, then notes and checked fixes.

use unicode_width::UnicodeWidthChar;

use super::{Markup, Style};
use crate::diagnostic::{Diagnostic, Origin, Severity};

/// The text a diagnostic points into, and the name to report it under.
pub struct SourceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
    /// Added to line numbers, for input that continues an earlier one.
    pub first_line: usize,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = floor_char_boundary(text, pos.min(text.len()));
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..pos].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut pos: usize) -> usize {
    while pos > 0 && !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// Source text as shown: control characters escaped, tabs as one space.
fn shown(c: char) -> String {
    match c {
        '\t' => " ".to_string(),
        c if c.is_control() || is_bidi_control(c) => c.escape_default().to_string(),
        c => c.to_string(),
    }
}

/// Invisible characters that reorder or hide text (bidirectional overrides,
/// zero-width marks): echoed raw they could make a message lie.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
}

fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

pub fn render_diagnostic(d: &Diagnostic, src: &SourceFile) -> Markup {
    let mut m = render_one(d, &source_for(d.origin().map(|o| &**o), src));
    render_trace(&mut m, d, src);
    m
}

/// The source a diagnostic or a call points into: its own origin, unless
/// that is the text being reported (then the caller's name and line offset).
fn source_for<'a>(origin: Option<&'a Origin>, src: &SourceFile<'a>) -> SourceFile<'a> {
    match origin {
        Some(o) if o.text != src.text => SourceFile {
            name: &o.name,
            text: &o.text,
            first_line: 0,
        },
        _ => SourceFile {
            name: src.name,
            text: src.text,
            first_line: src.first_line,
        },
    }
}

/// Below the error, each call that led to it, innermost first, with its
/// line underlined; a call repeated many times in a row (deep recursion) is
/// shown once with the count.
fn render_trace(m: &mut Markup, d: &Diagnostic, src: &SourceFile) {
    let mut i = 0;
    let trace = d.trace();
    while i < trace.len() {
        let frame = &trace[i];
        let mut same = 1;
        while i + same < trace.len() {
            let next = &trace[i + same];
            if next.span != frame.span || next.call != frame.call || next.origin != frame.origin {
                break;
            }
            same += 1;
        }
        let file = source_for(frame.origin.as_deref(), src);
        let (line, col) = line_col(file.text, frame.span.start);
        m.plain("\n");
        m.push(Style::Note, "in ");
        m.plain(format!(
            "{} called at {}:{}:{}",
            frame.call,
            file.name,
            line + file.first_line,
            col
        ));
        if !frame.args.is_empty() {
            m.plain(format!(" with {}", frame.args));
        }
        if same > 1 {
            m.plain(format!(
                " (and {} more times from the same place)",
                same - 1
            ));
        }
        let mark = Diagnostic::error(d.kind, "").primary(frame.span, "");
        let pad = " ".repeat((line + file.first_line).to_string().len());
        m.plain("\n");
        m.push(Style::Gutter, format!("{pad} │"));
        render_line(m, &mark, &file, line, &pad);
        i += same;
    }
}

fn render_one(d: &Diagnostic, src: &SourceFile) -> Markup {
    let mut m = Markup::new();
    let (word, style) = match d.severity {
        Severity::Error => ("error", Style::Error),
        Severity::Warning => ("warning", Style::Warning),
        Severity::Note => ("note", Style::Note),
    };
    let location = d.location().map(|s| line_col(src.text, s.start));
    match location {
        Some((line, col)) => m.plain(format!("{}:{}:{}: ", src.name, line + src.first_line, col)),
        None => m.plain(format!("{}: ", src.name)),
    }
    m.push(style, format!("{word}:"));
    m.push(Style::Emphasis, format!(" {}", escape(&d.message)));

    // Labels grouped by the line they start on.
    let mut lines: Vec<usize> = d
        .labels
        .iter()
        .map(|l| line_col(src.text, l.span.start).0)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    let gutter = lines
        .last()
        .map_or(1, |l| (l + src.first_line).to_string().len());
    let pad = " ".repeat(gutter);
    if !lines.is_empty() {
        m.plain("\n");
        m.push(Style::Gutter, format!("{pad} │"));
    }
    for line in lines {
        render_line(&mut m, d, src, line, &pad);
    }
    let notes = d.notes.iter().map(|n| (Style::Note, "note: ", n));
    let helps = d.help.iter().map(|h| (Style::Help, "help: ", h));
    for (style, word, text) in notes.chain(helps) {
        m.plain("\n");
        m.push(Style::Gutter, format!("{pad} = "));
        m.push(style, word);
        m.plain(indent_continuations(
            &escape_keep_newlines(text),
            gutter + 9,
        ));
    }
    m
}

fn indent_continuations(text: &str, by: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(by)))
}

/// Control characters in messages (which quote user input) are escaped.
fn escape(s: &str) -> String {
    s.chars().map(shown).collect()
}

fn escape_keep_newlines(s: &str) -> String {
    s.split('\n').map(escape).collect::<Vec<_>>().join("\n")
}

/// Source lines wider than this are shown as a window around the error.
const MAX_LINE_WIDTH: usize = 120;

fn render_line(m: &mut Markup, d: &Diagnostic, src: &SourceFile, line: usize, pad: &str) {
    let text = src.text;
    let start = text
        .split('\n')
        .take(line - 1)
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let end = text[start.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| start + i);
    let source_line = &text[start.min(text.len())..end];
    // Display column of every byte offset in the line, and each character
    // as shown with the column it starts at.
    let mut col_at = Vec::with_capacity(source_line.len() + 1);
    let mut cells: Vec<(usize, char)> = Vec::new();
    let mut col = 0;
    for (i, c) in source_line.trim_end_matches('\r').char_indices() {
        while col_at.len() <= i {
            col_at.push(col);
        }
        cells.push((col, c));
        col += if c.is_control() || is_bidi_control(c) {
            width(&shown(c))
        } else {
            c.width().unwrap_or(0)
        };
    }
    while col_at.len() <= source_line.len() {
        col_at.push(col);
    }
    let display_col = |pos: usize| col_at[pos.saturating_sub(start).min(source_line.len())];

    // (start col, end col, primary, text), left to right.
    let mut labels: Vec<(usize, usize, bool, &str)> = d
        .labels
        .iter()
        .filter(|l| line_col(text, l.span.start).0 == line)
        .map(|l| {
            let s = display_col(l.span.start);
            let e = display_col(l.span.end.min(end)).max(s + 1);
            (s, e, l.primary, l.text.as_str())
        })
        .collect();
    labels.sort_by_key(|l| (l.0, l.1));

    // A very long line is shown as a window around the primary label, with
    // `…` where it was cut, and the labels moved into the window.
    let anchor = labels
        .iter()
        .find(|l| l.2)
        .or(labels.first())
        .map_or(0, |l| l.0);
    let (w0, w1) = if col > MAX_LINE_WIDTH {
        let w0 = anchor.saturating_sub(MAX_LINE_WIDTH / 3);
        (w0, (w0 + MAX_LINE_WIDTH).min(col))
    } else {
        (0, col)
    };
    let lead = usize::from(w0 > 0);
    let mut shown_line = String::from(if w0 > 0 { "…" } else { "" });
    for &(c, ch) in &cells {
        if (w0..w1).contains(&c) {
            shown_line.push_str(&shown(ch));
        }
    }
    if w1 < col {
        shown_line.push('…');
    }
    for l in &mut labels {
        l.0 = l.0.clamp(w0, w1) - w0 + lead;
        l.1 = (l.1.clamp(w0, w1) - w0 + lead).max(l.0 + 1);
    }

    m.plain("\n");
    m.push(
        Style::Gutter,
        format!("{:>w$} │ ", line + src.first_line, w = pad.len()),
    );
    m.plain(shown_line);

    // The underline row; the rightmost label's text goes at its end.
    m.plain("\n");
    m.push(Style::Gutter, format!("{pad} │ "));
    let mut cursor = 0;
    for &(s, e, primary, _) in &labels {
        if s < cursor {
            continue;
        }
        m.plain(" ".repeat(s - cursor));
        let mark = if primary { "^" } else { "-" };
        m.push(
            if primary {
                Style::Primary
            } else {
                Style::Secondary
            },
            mark.repeat(e - s),
        );
        cursor = e;
    }
    let Some(&(_, _, last_primary, last_text)) = labels.last() else {
        return;
    };
    if !last_text.is_empty() {
        m.push(
            if last_primary {
                Style::Primary
            } else {
                Style::Secondary
            },
            format!(" {}", escape(last_text)),
        );
    }
    // The other labels hang below, rightmost first, joined by bars.
    let hanging: Vec<&(usize, usize, bool, &str)> = labels[..labels.len() - 1]
        .iter()
        .filter(|l| !l.3.is_empty())
        .collect();
    if hanging.is_empty() {
        return;
    }
    let bars = |m: &mut Markup, upto: usize| {
        let mut cur = 0;
        for l in &hanging[..upto] {
            m.plain(" ".repeat(l.0 - cur));
            m.push(
                if l.2 {
                    Style::Primary
                } else {
                    Style::Secondary
                },
                "│",
            );
            cur = l.0 + 1;
        }
        cur
    };
    m.plain("\n");
    m.push(Style::Gutter, format!("{pad} │ "));
    bars(m, hanging.len());
    for k in (0..hanging.len()).rev() {
        m.plain("\n");
        m.push(Style::Gutter, format!("{pad} │ "));
        let cur = bars(m, k);
        let l = hanging[k];
        m.plain(" ".repeat(l.0 - cur));
        m.push(
            if l.2 {
                Style::Primary
            } else {
                Style::Secondary
            },
            escape(l.3),
        );
    }
}
