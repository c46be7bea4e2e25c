//! Pictures to styled text: line and scatter plots on a Braille canvas,
//! histograms of block characters, heatmaps (`plot_heatmap`). A picture
//! fills the width and height it is given (`width=`/`height=`, else the
//! terminal's, less one line for the prompt), with a frame, tick values in
//! the number format of arrays, a legend for several series and a note of
//! the points left out. Colours are styles; the edge decides to show them.

use super::plot_canvas::{Canvas, NOBODY, dash_on};
use super::value::{FormatOptions, number_texts};
use super::{Markup, Rgb, Style};
use crate::value::picture::{PlotData, Series};
use crate::value::{Picture, PlotKind};

/// Series colours: matplotlib's `tab10`.
pub const PALETTE: [Rgb; 10] = [
    Rgb(0x1f, 0x77, 0xb4),
    Rgb(0xff, 0x7f, 0x0e),
    Rgb(0x2c, 0xa0, 0x2c),
    Rgb(0xd6, 0x27, 0x28),
    Rgb(0x94, 0x67, 0xbd),
    Rgb(0x8c, 0x56, 0x4b),
    Rgb(0xe3, 0x77, 0xc2),
    Rgb(0x7f, 0x7f, 0x7f),
    Rgb(0xbc, 0xbd, 0x22),
    Rgb(0x17, 0xbe, 0xcf),
];

pub fn series_style(k: usize) -> Style {
    Style::Paint {
        fg: PALETTE[k % PALETTE.len()],
        bg: None,
    }
}

/// Draws a picture. `named`: a `name = kind` line is printed above it.
pub fn render_picture(p: &Picture, named: bool, opts: &FormatOptions) -> Markup {
    let Some(data) = &p.data else {
        let mut m = Markup::new();
        m.push(Style::Dim, format!("{} (shape only)", p.describe()));
        return m;
    };
    let width = p.width.unwrap_or(opts.width).max(20);
    let height = p
        .height
        .unwrap_or(opts.height.saturating_sub(1 + usize::from(named)))
        .max(6);
    let mut out = Lines::default();
    match data {
        PlotData::Series {
            series,
            integer_x,
            integer_y,
        } => series_plot(
            &mut out,
            p,
            series,
            (*integer_x, *integer_y),
            (width, height),
            opts,
        ),
        PlotData::Hist { edges, counts } => {
            hist_plot(&mut out, p, edges, counts, (width, height), opts)
        }
        PlotData::Grid { rows, cols, values } => {
            super::plot_heatmap::heatmap(&mut out, p, (*rows, *cols, values), (width, height), opts)
        }
    }
    out.finish()
}

/// The `--json` form's lines: the picture as plain text.
pub fn picture_lines(p: &Picture, opts: &FormatOptions) -> Vec<String> {
    let plain = FormatOptions {
        color: false,
        ..opts.clone()
    };
    render_picture(p, false, &plain)
        .to_plain()
        .split('\n')
        .map(str::to_string)
        .collect()
}

/// Markup built line by line.
#[derive(Default)]
pub struct Lines {
    m: Markup,
    started: bool,
}

impl Lines {
    /// Starts a new line.
    pub fn line(&mut self) -> &mut Markup {
        if self.started {
            self.m.plain("\n");
        }
        self.started = true;
        &mut self.m
    }

    fn finish(self) -> Markup {
        self.m
    }
}

/// Text centred in `width` columns after `indent` columns.
pub fn centred(text: &str, indent: usize, width: usize) -> String {
    let n = text.chars().count();
    let pad = indent + width.saturating_sub(n) / 2;
    format!("{}{text}", " ".repeat(pad))
}

/// Cuts text to `n` characters, marking the cut with `…`.
pub fn clip(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut s: String = text.chars().take(n.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// The title line (above the frame), if any.
pub fn title_line(out: &mut Lines, p: &Picture, indent: usize, width: usize) {
    if let Some(t) = &p.title {
        out.line()
            .push(Style::Emphasis, centred(&clip(t, width), indent, width));
    }
}

pub fn ylabel_line(out: &mut Lines, p: &Picture, total: usize) {
    if let Some(t) = &p.ylabel {
        out.line().plain(clip(t, total));
    }
}

pub fn xlabel_line(out: &mut Lines, p: &Picture, indent: usize, width: usize) {
    if let Some(t) = &p.xlabel {
        out.line().plain(centred(&clip(t, width), indent, width));
    }
}

/// `note: 3 points (nan or inf) left out`.
pub fn note_line(out: &mut Lines, dropped: usize, what: &str) {
    if dropped > 0 {
        let m = out.line();
        m.push(Style::Note, "note");
        let s = if dropped == 1 { "" } else { "s" };
        m.plain(format!(": {dropped} {what}{s} (nan or inf) left out"));
    }
}

/// Lines a picture spends besides its canvas: title, y label, x label, note.
fn label_lines(p: &Picture) -> usize {
    usize::from(p.title.is_some())
        + usize::from(p.ylabel.is_some())
        + usize::from(p.xlabel.is_some())
        + usize::from(p.dropped > 0)
}

/// An axis: its range (widened to whole ticks unless fixed) and its ticks.
pub struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
    pub labels: Vec<String>,
}

impl Axis {
    /// The widest tick label in characters (1 when there are none), which
    /// sets the margin beside the frame.
    pub fn widest(&self) -> usize {
        widest(&self.labels)
    }
}

/// The widest of some labels in characters, at least 1.
pub fn widest(labels: &[String]) -> usize {
    labels.iter().map(|l| l.chars().count()).max().unwrap_or(1)
}

/// A round step (1, 2 or 5 times a power of ten) near `span / target`,
/// as (multiplier, power of ten).
fn nice_step(span: f64, target: usize, integer: bool) -> (f64, i32) {
    let raw = span / target.max(1) as f64;
    let e = raw.log10().floor() as i32;
    let f = raw / 10f64.powi(e);
    let (nf, e) = match f {
        f if f <= 1.0 + 1e-9 => (1.0, e),
        f if f <= 2.0 + 1e-9 => (2.0, e),
        f if f <= 5.0 + 1e-9 => (5.0, e),
        _ => (1.0, e + 1),
    };
    if integer && e < 0 {
        return (1.0, 0);
    }
    (nf, e)
}

/// `k` steps as a number, without the rounding noise of `k * 0.1`.
fn at(k: i64, (nf, e): (f64, i32)) -> f64 {
    let m = k as f64 * nf;
    if e >= 0 {
        m * 10f64.powi(e)
    } else {
        m / 10f64.powi(-e)
    }
}

/// Ticks for data in [lo, hi]: about `target` of them, the range widened to
/// the outer ticks when `widen`, else the ticks inside it.
pub fn axis(
    lo: f64,
    hi: f64,
    target: usize,
    integer: bool,
    widen: bool,
    opts: &FormatOptions,
) -> Axis {
    let (lo, hi) = if lo < hi {
        (lo, hi)
    } else if integer {
        (lo - 1.0, hi + 1.0)
    } else {
        let d = if lo == 0.0 { 0.5 } else { lo.abs() * 0.1 };
        (lo - d, hi + d)
    };
    let step = nice_step(hi - lo, target, integer);
    let unit = at(1, step);
    // A little slack, so that 0.3 / 0.1 = 2.9999999999999996 counts as 3.
    const SLACK: f64 = 1e-9;
    let (k0, k1) = if widen {
        (
            (lo / unit + SLACK).floor() as i64,
            (hi / unit - SLACK).ceil() as i64,
        )
    } else {
        (
            (lo / unit - SLACK).ceil() as i64,
            (hi / unit + SLACK).floor() as i64,
        )
    };
    let ticks: Vec<f64> = (k0..=k1).map(|k| at(k, step)).collect();
    let (lo, hi) = if widen {
        (ticks[0], ticks[ticks.len() - 1])
    } else {
        (lo, hi)
    };
    let labels = if integer && ticks.iter().all(|t| t.abs() < 1e15) {
        ticks.iter().map(|t| format!("{}", *t as i64)).collect()
    } else {
        number_texts(&ticks, opts)
    };
    Axis {
        lo,
        hi,
        ticks,
        labels,
    }
}

/// The vertical axis over the data's range: about one tick per three
/// lines, at least two.
fn y_axis(lo: f64, hi: f64, rows: usize, integer: bool, opts: &FormatOptions) -> Axis {
    let mut target = (rows / 3).clamp(2, 8);
    loop {
        let a = axis(lo, hi, target, integer, false, opts);
        if a.ticks.len() >= 2 || target >= 16 {
            return a;
        }
        target *= 2;
    }
}

/// The horizontal axis: about one tick per 12 columns, fewer if the labels
/// would touch.
fn x_axis(lo: f64, hi: f64, cols: usize, integer: bool, widen: bool, opts: &FormatOptions) -> Axis {
    let mut target = (cols / 12).clamp(2, 10);
    loop {
        let a = axis(lo, hi, target, integer, widen, opts);
        let widest = a.widest();
        let room = cols / a.ticks.len().max(1);
        if (widest + 2 <= room && a.ticks.len() >= 2) || target <= 2 {
            return a;
        }
        target -= 1;
    }
}

/// Which cell column or row a value falls in, on `n` cells over [lo, hi].
fn cell_of(v: f64, lo: f64, hi: f64, n: usize) -> usize {
    let t = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    ((t * (n - 1) as f64).round() as usize).min(n - 1)
}

/// The frame's top, the canvas rows with the y ticks, the bottom with the
/// x ticks, and the x tick labels. `cell(row)` gives each row's content.
#[allow(clippy::too_many_arguments)]
fn framed(
    out: &mut Lines,
    y: &Axis,
    x: &Axis,
    rows: usize,
    cols: usize,
    x_cells: &dyn Fn(f64) -> usize,
    mut row: impl FnMut(usize, &mut Markup),
) {
    let lw = y.widest();
    let mut tick_rows = vec![None; rows];
    for (t, l) in y.ticks.iter().zip(&y.labels) {
        // Row 0 is the top.
        let r = rows - 1 - cell_of(*t, y.lo, y.hi, rows);
        tick_rows[r] = Some(l.as_str());
    }
    out.line().push(
        Style::Gutter,
        format!("{} ┌{}┐", " ".repeat(lw), "─".repeat(cols)),
    );
    for (r, tick) in tick_rows.iter().enumerate() {
        let m = out.line();
        match tick {
            Some(l) => {
                m.plain(format!("{l:>lw$} "));
                m.push(Style::Gutter, "┤");
            }
            None => {
                m.plain(" ".repeat(lw + 1));
                m.push(Style::Gutter, "│");
            }
        }
        row(r, m);
        m.push(Style::Gutter, "│");
    }
    let mut bottom: Vec<char> = "─".repeat(cols).chars().collect();
    let mut labels: Vec<char> = vec![' '; cols + lw + 4];
    let mut free_from = 0usize;
    for (t, l) in x.ticks.iter().zip(&x.labels) {
        let c = x_cells(*t);
        bottom[c] = '┬';
        let n = l.chars().count();
        let centre = lw + 2 + c;
        let start = centre
            .saturating_sub(n / 2)
            .min(labels.len().saturating_sub(n));
        if start >= free_from {
            for (i, ch) in l.chars().enumerate() {
                labels[start + i] = ch;
            }
            free_from = start + n + 1;
        }
    }
    out.line().push(
        Style::Gutter,
        format!(
            "{} └{}┘",
            " ".repeat(lw),
            bottom.into_iter().collect::<String>()
        ),
    );
    out.line().plain(
        labels
            .into_iter()
            .collect::<String>()
            .trim_end()
            .to_string(),
    );
}

/// The range of the finite points (x of positions 0..n-1 when not given).
fn bounds(series: &[Series]) -> Option<(f64, f64, f64, f64)> {
    let mut b: Option<(f64, f64, f64, f64)> = None;
    let mut widen = |x0: f64, x1: f64, y0: f64, y1: f64| {
        b = Some(match b {
            None => (x0, x1, y0, y1),
            Some((a, bx, c, d)) => (a.min(x0), bx.max(x1), c.min(y0), d.max(y1)),
        });
    };
    for s in series {
        let y = s.y.as_slice();
        match &s.x {
            None => {
                let (lo, hi) = y
                    .iter()
                    .filter(|v| v.is_finite())
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
                        (l.min(v), h.max(v))
                    });
                if lo <= hi {
                    widen(0.0, (y.len() - 1) as f64, lo, hi);
                }
            }
            Some(x) => {
                let inf = f64::INFINITY;
                let (a, bx, c, d) = x.as_slice().iter().zip(y).fold(
                    (inf, -inf, inf, -inf),
                    |(a, bx, c, d), (&x, &y)| {
                        if x.is_finite() && y.is_finite() {
                            (a.min(x), bx.max(x), c.min(y), d.max(y))
                        } else {
                            (a, bx, c, d)
                        }
                    },
                );
                if a <= bx {
                    widen(a, bx, c, d);
                }
            }
        }
    }
    b
}

/// A few dots of a series' line, for the legend.
fn legend_sample(k: usize, dashed: bool) -> String {
    (0..3)
        .map(|c| {
            let bits: u32 = (0..2)
                .filter(|dx| !dashed || dash_on(k as u8, c * 2 + dx))
                .map(|dx| if dx == 0 { 0x04 } else { 0x20 })
                .sum();
            if bits == 0 {
                ' '
            } else {
                char::from_u32(0x2800 + bits).expect("Braille")
            }
        })
        .collect()
}

fn series_plot(
    out: &mut Lines,
    p: &Picture,
    series: &[Series],
    (integer_x, integer_y): (bool, bool),
    (width, height): (usize, usize),
    opts: &FormatOptions,
) {
    let several = series.len() > 1;
    let extra = 3 + label_lines(p) + usize::from(several);
    let rows = height.saturating_sub(extra).max(2);
    let (xlo, xhi, ylo, yhi) = bounds(series).unwrap_or((0.0, 1.0, 0.0, 1.0));
    let y = y_axis(ylo, yhi, rows, integer_y, opts);
    let lw = y.widest();
    let cols = width.saturating_sub(lw + 3).max(4);
    let x = x_axis(xlo, xhi, cols, integer_x, false, opts);
    let mut canvas = Canvas::new(cols, rows);
    let map = canvas.mapping(x.lo, x.hi, y.lo, y.hi);
    // Without colour, several lines are told apart by their dashes.
    let dashed = several && !opts.color;
    for (k, s) in series.iter().enumerate() {
        let who = k as u8;
        let xs = s.x.as_ref().map(|x| x.as_slice());
        let ys = s.y.as_slice();
        match p.kind {
            PlotKind::Scatter => canvas.points(&map, xs, ys, who),
            _ => canvas.lines(&map, xs, ys, who, dashed.then_some(who)),
        }
    }
    title_line(out, p, lw + 2, cols);
    ylabel_line(out, p, width);
    let (xlo, xhi) = (x.lo, x.hi);
    framed(
        out,
        &y,
        &x,
        rows,
        cols,
        &|t| cell_of(t, xlo, xhi, cols),
        |r, m| {
            for (ch, who) in canvas.row(r) {
                if who == NOBODY || !opts.color {
                    m.plain(ch.to_string());
                } else {
                    m.push(series_style(who as usize), ch.to_string());
                }
            }
        },
    );
    xlabel_line(out, p, lw + 2, cols);
    if several {
        let m = out.line();
        m.plain(" ".repeat(lw + 2));
        let room = width.saturating_sub(lw + 2);
        let each = (room / series.len()).max(8);
        let mut used = 0;
        for (k, s) in series.iter().enumerate() {
            if used + each > room && k > 0 {
                m.plain("…");
                break;
            }
            let sample = legend_sample(k, dashed);
            if opts.color {
                m.push(series_style(k), sample);
            } else {
                m.plain(sample);
            }
            let label = clip(&s.label, each.saturating_sub(6));
            let text = format!(" {label}");
            used += 3 + text.chars().count() + 2;
            m.plain(text);
            if k + 1 < series.len() {
                m.plain("  ");
            }
        }
    }
    note_line(out, p.dropped, "point");
}

/// Eighths of a cell, for bar tops.
const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn hist_plot(
    out: &mut Lines,
    p: &Picture,
    edges: &[f64],
    counts: &[u64],
    (width, height): (usize, usize),
    opts: &FormatOptions,
) {
    let extra = 3 + label_lines(p);
    let rows = height.saturating_sub(extra).max(2);
    // The y labels depend on the counts, which depend on how bins share
    // columns: measure with the widest possible label first.
    let total: u64 = counts.iter().sum();
    let lw0 = total.max(1).to_string().len() + 1;
    let room = width.saturating_sub(lw0 + 3).max(4);
    let bins = counts.len();
    let group = bins.div_ceil(room);
    let shown: Vec<u64> = counts.chunks(group).map(|c| c.iter().sum()).collect();
    let per = (room / shown.len()).max(1);
    let cols = per * shown.len();
    let top = shown.iter().copied().max().unwrap_or(0) as f64;
    let y = axis(0.0, top.max(1.0), (rows / 4).clamp(2, 8), true, true, opts);
    let (lo, hi) = (edges[0], edges[edges.len() - 1]);
    let x = x_axis(lo, hi, cols, false, false, opts);
    let lw = y.widest();
    title_line(out, p, lw + 2, cols);
    ylabel_line(out, p, width);
    let eighths: Vec<usize> = shown
        .iter()
        .map(|&c| ((c as f64 / y.hi) * (rows * 8) as f64).round() as usize)
        .collect();
    let colour = Style::Paint {
        fg: PALETTE[0],
        bg: None,
    };
    let x_cell = |t: f64| {
        let c = ((t - lo) / (hi - lo) * cols as f64).floor() as usize;
        c.min(cols - 1)
    };
    framed(out, &y, &x, rows, cols, &x_cell, |r, m| {
        let floor = (rows - 1 - r) * 8;
        for &e in &eighths {
            let ch = EIGHTHS[e.saturating_sub(floor).min(8)];
            let cell: String = std::iter::repeat_n(ch, per).collect();
            if opts.color && ch != ' ' {
                m.push(colour, cell);
            } else {
                m.plain(cell);
            }
        }
    });
    xlabel_line(out, p, lw + 2, cols);
    if group > 1 {
        let m = out.line();
        m.push(Style::Note, "note");
        m.plain(format!(": {bins} bins, {group} to a column"));
    }
    note_line(out, p.dropped, "value");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_widen_the_range() {
        let o = FormatOptions::default();
        let a = axis(-0.93, 0.97, 4, false, true, &o);
        assert_eq!(a.labels, ["-1.0", "-0.5", "0.0", "0.5", "1.0"]);
        assert_eq!((a.lo, a.hi), (-1.0, 1.0));
        let a = axis(0.0, 99.0, 5, true, true, &o);
        assert_eq!(a.labels, ["0", "20", "40", "60", "80", "100"]);
        let a = axis(0.1, 0.3, 2, false, false, &o);
        assert_eq!(a.labels, ["0.1", "0.2", "0.3"]);
        let a = axis(1e-6, 3e-6, 2, false, true, &o);
        assert_eq!(a.labels, ["1e-06", "2e-06", "3e-06"]);
        // A constant series still gets an axis around its value.
        let a = axis(5.0, 5.0, 4, true, true, &o);
        assert!(a.lo < 5.0 && a.hi > 5.0);
    }
}
