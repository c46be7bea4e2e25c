//! Values and diagnostics to styled text. Output is `Markup`: text pieces
//! tagged with a `Style`. Nothing here knows about terminals; the binary turns
//! styles into colours (or not) in one place.

mod diagnostic;
mod json;
mod plot;
mod plot_canvas;
mod plot_heatmap;
mod value;

pub use crate::value::{complex_repr, float_repr};
pub use diagnostic::{SourceFile, render_diagnostic};
pub use json::{picture_json, value_json};
pub use value::{FormatOptions, NumberFormat, render_value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    /// Shape and dtype headers, hints.
    Dim,
    Name,
    Number,
    String,
    Keyword,
    /// A built-in function's name in typed input.
    Function,
    Operator,
    /// The bracket matching the one at the cursor, in typed input.
    Bracket,
    Comment,
    Error,
    Warning,
    Note,
    Help,
    /// Bold message text of a diagnostic.
    Emphasis,
    /// Line numbers and the `│` gutter.
    Gutter,
    /// Underlines: primary (`^`) and secondary (`-`).
    Primary,
    Secondary,
    /// A picture's cell in a colour of its own (a series, a heatmap entry):
    /// the foreground, and for half-block cells the background.
    Paint {
        fg: Rgb,
        bg: Option<Rgb>,
    },
}

/// A 24-bit colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Styled text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Markup(pub Vec<(Style, String)>);

impl Markup {
    pub fn new() -> Markup {
        Markup(Vec::new())
    }

    pub fn push(&mut self, style: Style, text: impl Into<String>) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some((s, t)) if *s == style => t.push_str(&text),
            _ => self.0.push((style, text)),
        }
    }

    pub fn plain(&mut self, text: impl Into<String>) {
        self.push(Style::Plain, text);
    }

    pub fn append(&mut self, other: Markup) {
        for (s, t) in other.0 {
            self.push(s, t);
        }
    }

    /// The text without styles.
    pub fn to_plain(&self) -> String {
        self.0.iter().map(|(_, t)| t.as_str()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
