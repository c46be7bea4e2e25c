//! The one place where styles become terminal colours: output (`paint`) and
//! the line being typed (`paint_input`), which has a palette of its own so
//! that numbers and names stand out while typing but not in results.

use colored::{ColoredString, Colorize};
use tensorcalc::render::{Markup, Rgb, Style};

/// How many colours a picture's cells may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`).
    True,
    /// The xterm 256-colour palette, which nearly every terminal has.
    Palette256,
}

impl Depth {
    fn of_terminal() -> Depth {
        match std::env::var("COLORTERM").as_deref() {
            Ok("truecolor" | "24bit") => Depth::True,
            _ => Depth::Palette256,
        }
    }
}

/// Renders markup as text, with ANSI colours when `color` is set.
pub fn paint(m: &Markup, color: bool) -> String {
    paint_with(m, color, Depth::of_terminal())
}

/// `paint` with the colour depth of pictures given.
pub fn paint_with(m: &Markup, color: bool, depth: Depth) -> String {
    if !color {
        return m.to_plain();
    }
    m.0.iter()
        .map(|(style, text)| match style {
            Style::Paint { fg, bg } => cell(text, *fg, *bg, depth),
            _ => output_colour(*style, text).to_string(),
        })
        .collect()
}

/// A picture's cells in their colours: SGR 38/48, 24-bit or from the
/// 256-colour cube.
fn cell(text: &str, fg: Rgb, bg: Option<Rgb>, depth: Depth) -> String {
    let code = |layer: u8, c: Rgb| match depth {
        Depth::True => format!("{layer};2;{};{};{}", c.0, c.1, c.2),
        Depth::Palette256 => format!("{layer};5;{}", cube(c)),
    };
    let mut codes = code(38, fg);
    if let Some(b) = bg {
        codes.push(';');
        codes.push_str(&code(48, b));
    }
    format!("\x1b[{codes}m{text}\x1b[0m")
}

/// The nearest colour of the xterm 6×6×6 cube (levels 0, 95, 135, ... 255).
fn cube(c: Rgb) -> u8 {
    let level = |v: u8| -> u8 {
        const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        (0..6u8)
            .min_by_key(|&i| (LEVELS[i as usize] as i16 - v as i16).abs())
            .expect("six levels")
    };
    16 + 36 * level(c.0) + 6 * level(c.1) + level(c.2)
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
        // Written by `cell`, which knows the colour depth.
        Style::Paint { fg, .. } => t.truecolor(fg.0, fg.1, fg.2),
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
