//! The one place where styles become terminal colours: output (`paint`) and
//! the line being typed (`paint_input`), which has a palette of its own so
//! that numbers and names stand out while typing but not in results.

use colored::{ColoredString, Colorize};
use tensorcalc::render::{Markup, Style};

/// Renders markup as text, with ANSI colours when `color` is set.
pub fn paint(m: &Markup, color: bool) -> String {
    if !color {
        return m.to_plain();
    }
    m.0.iter()
        .map(|(style, text)| output_colour(*style, text).to_string())
        .collect()
}

fn output_colour(style: Style, t: &str) -> ColoredString {
    match style {
        Style::Plain => t.normal(),
        Style::Dim | Style::Comment => t.dimmed(),
        Style::Name => t.bold(),
        Style::Number => t.normal(),
        Style::String => t.green(),
        Style::Keyword => t.magenta(),
        Style::Function => t.blue(),
        Style::Operator => t.cyan(),
        Style::Bracket => t.blue().bold(),
        Style::Error => t.red().bold(),
        Style::Warning => t.yellow().bold(),
        Style::Note => t.cyan().bold(),
        Style::Help => t.green().bold(),
        Style::Emphasis => t.bold(),
        Style::Gutter => t.blue(),
        Style::Primary => t.red().bold(),
        Style::Secondary => t.blue().bold(),
    }
}

/// Renders the line being typed. Only colours are added, never characters,
/// because the line editor places the cursor by the plain text's width.
pub fn paint_input(m: &Markup) -> String {
    m.0.iter()
        .map(|(style, text)| {
            let t = text.as_str();
            match style {
                Style::Number => t.yellow(),
                Style::Name => t.bold(),
                Style::Bracket => t.bold().reversed(),
                other => output_colour(*other, t),
            }
            .to_string()
        })
        .collect()
}
