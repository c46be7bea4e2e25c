//! The one place where styles become terminal colours.

use colored::Colorize;
use tensorcalc::render::{Markup, Style};

/// Renders markup as text, with ANSI colours when `color` is set.
pub fn paint(m: &Markup, color: bool) -> String {
    if !color {
        return m.to_plain();
    }
    m.0.iter()
        .map(|(style, text)| {
            let t = text.as_str();
            match style {
                Style::Plain => t.normal(),
                Style::Dim | Style::Comment => t.dimmed(),
                Style::Name => t.bold(),
                Style::Number => t.normal(),
                Style::String => t.green(),
                Style::Keyword => t.magenta(),
                Style::Operator => t.cyan(),
                Style::Error => t.red().bold(),
                Style::Warning => t.yellow().bold(),
                Style::Note => t.cyan().bold(),
                Style::Help => t.green().bold(),
                Style::Emphasis => t.bold(),
                Style::Gutter => t.blue(),
                Style::Primary => t.red().bold(),
                Style::Secondary => t.blue().bold(),
            }
            .to_string()
        })
        .collect()
}
