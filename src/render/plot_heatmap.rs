//! Heatmaps: a matrix as an image, row 0 at the top. With colour, each
//! character cell is two pixels (`▀`, its top in the foreground colour and
//! its bottom in the background) coloured by viridis; without colour, one
//! density character per cell from a ramp. Large matrices are averaged
//! down block by block; small ones are enlarged to whole cells. A colour
//! bar beside it shows the range.

use super::plot::{Lines, note_line, title_line, widest, xlabel_line, ylabel_line};
use super::value::{FormatOptions, number_texts};
use super::{Markup, Rgb, Style};
use crate::value::Picture;

/// Density characters from the lowest value to the highest.
pub const RAMP: [char; 10] = [' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];

/// viridis at 0, 0.1, ..., 1.
const VIRIDIS: [(u8, u8, u8); 11] = [
    (68, 1, 84),
    (72, 35, 116),
    (64, 67, 135),
    (52, 94, 141),
    (41, 120, 142),
    (32, 144, 140),
    (34, 167, 132),
    (68, 190, 112),
    (121, 209, 81),
    (189, 222, 38),
    (253, 231, 36),
];

/// The colour of t in [0, 1].
pub fn viridis(t: f64) -> Rgb {
    let x = t.clamp(0.0, 1.0) * 10.0;
    let i = (x.floor() as usize).min(9);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn ramp(t: f64) -> char {
    RAMP[((t.clamp(0.0, 1.0) * 9.0).round() as usize).min(9)]
}

/// The pixel grid for an `m × n` matrix in at most `max_cols × max_rows`
/// pixels, a pixel being `aspect` columns wide per row (1 for half-blocks,
/// 2 for whole characters), enlarged at most `cap` times.
fn grid_size(
    m: usize,
    n: usize,
    max_cols: usize,
    max_rows: usize,
    aspect: usize,
    cap: usize,
) -> (usize, usize) {
    let wide = (n * aspect) as f64 / max_cols as f64;
    let tall = m as f64 / max_rows as f64;
    let f = wide.max(tall);
    if f <= 1.0 {
        let s = ((1.0 / f).floor() as usize).clamp(1, cap);
        (m * s, n * aspect * s)
    } else {
        (
            ((m as f64 / f).floor() as usize).max(1),
            (((n * aspect) as f64 / f).floor() as usize).max(1),
        )
    }
}

/// Averages the finite entries of each block of the matrix that falls in
/// a pixel (NaN where a block has none); enlarging repeats entries.
fn resample(values: &[f64], m: usize, n: usize, rows: usize, cols: usize) -> Vec<f64> {
    let range = |i: usize, len: usize, to: usize| {
        let a = i * len / to;
        a..((i + 1) * len / to).max(a + 1)
    };
    let mut out = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        let rs = range(r, m, rows);
        for c in 0..cols {
            let (mut sum, mut count) = (0.0, 0u32);
            for i in rs.clone() {
                for &v in &values[i * n + range(c, n, cols).start..i * n + range(c, n, cols).end] {
                    if v.is_finite() {
                        sum += v;
                        count += 1;
                    }
                }
            }
            out.push(if count > 0 {
                sum / count as f64
            } else {
                f64::NAN
            });
        }
    }
    out
}

pub fn heatmap(
    out: &mut Lines,
    p: &Picture,
    (m, n, values): (usize, usize, &[f64]),
    (width, height): (usize, usize),
    opts: &FormatOptions,
) {
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    let finite = lo <= hi;
    let (lo, hi) = if finite { (lo, hi) } else { (0.0, 0.0) };
    let mid = lo + (hi - lo) / 2.0;
    // Whole numbers (an int matrix) print as integers, as the matrix would.
    let whole = |v: f64| v.fract() == 0.0 && v.abs() < 1e15;
    let bar_labels: Vec<String> = if values.iter().all(|&v| !v.is_finite() || whole(v)) {
        let mid_text = number_texts(&[mid], opts).remove(0);
        vec![
            format!("{}", hi as i64),
            if whole(mid) {
                format!("{}", mid as i64)
            } else {
                mid_text
            },
            format!("{}", lo as i64),
        ]
    } else {
        // Four significant digits are plenty for a colour's range.
        let round = |v: f64| {
            if v == 0.0 || !v.is_finite() {
                return v;
            }
            let scale = 10f64.powi(3 - v.abs().log10().floor() as i32);
            (v * scale).round() / scale
        };
        number_texts(&[round(hi), round(mid), round(lo)], opts)
    };
    let bw = widest(&bar_labels);
    let lw = (m - 1).to_string().len();
    // label, space, frame, cells, frame, two spaces, bar frame and 2 cells, space, label
    let max_cols = width.saturating_sub(lw + 2 + 1 + 2 + 4 + 1 + bw).max(2);
    let extra = 3
        + usize::from(p.title.is_some())
        + usize::from(p.ylabel.is_some())
        + usize::from(p.xlabel.is_some())
        + usize::from(p.dropped > 0);
    let max_lines = height.saturating_sub(extra).max(1);
    let color = opts.color;
    let (pix_rows, cols) = if color {
        grid_size(m, n, max_cols, max_lines * 2, 1, 4)
    } else {
        grid_size(m, n, max_cols, max_lines, 2, 2)
    };
    let grid = resample(values, m, n, pix_rows, cols);
    let lines = if color {
        pix_rows.div_ceil(2)
    } else {
        pix_rows
    };
    let norm = |v: f64| {
        if hi > lo { (v - lo) / (hi - lo) } else { 0.5 }
    };
    title_line(out, p, lw + 2, cols);
    ylabel_line(out, p, width);
    out.line().push(
        Style::Gutter,
        format!("{} ┌{}┐  ┌──┐", " ".repeat(lw), "─".repeat(cols)),
    );
    for k in 0..lines {
        let m_ = out.line();
        let label = if k == 0 {
            "0".to_string()
        } else if k == lines - 1 && m > 1 {
            (m - 1).to_string()
        } else {
            String::new()
        };
        m_.plain(format!("{label:>lw$} "));
        m_.push(Style::Gutter, "│");
        for c in 0..cols {
            if color {
                let top = grid[(2 * k) * cols + c];
                let bottom = if 2 * k + 1 < pix_rows {
                    grid[(2 * k + 1) * cols + c]
                } else {
                    f64::NAN
                };
                half_block(
                    m_,
                    top.is_finite().then(|| viridis(norm(top))),
                    bottom.is_finite().then(|| viridis(norm(bottom))),
                );
            } else {
                let v = grid[k * cols + c];
                m_.plain(if v.is_finite() { ramp(norm(v)) } else { ' ' }.to_string());
            }
        }
        m_.push(Style::Gutter, "│  │");
        // The bar: the highest value at the top.
        let t_at = |h: f64| 1.0 - h / (lines as f64);
        if color {
            let top = viridis(t_at(k as f64 + 0.25));
            let bottom = viridis(t_at(k as f64 + 0.75));
            half_block(m_, Some(top), Some(bottom));
            half_block(m_, Some(top), Some(bottom));
        } else {
            let ch = ramp(t_at(k as f64 + 0.5)).to_string();
            m_.plain(ch.repeat(2));
        }
        m_.push(Style::Gutter, "│");
        let label = match k {
            _ if lines == 1 => format!("{} to {}", bar_labels[2], bar_labels[0]),
            0 => bar_labels[0].clone(),
            k if k == lines - 1 => bar_labels[2].clone(),
            k if lines >= 3 && k == (lines - 1) / 2 => bar_labels[1].clone(),
            _ => String::new(),
        };
        if !label.is_empty() && finite {
            m_.plain(format!(" {label}"));
        }
    }
    out.line().push(
        Style::Gutter,
        format!("{} └{}┘  └──┘", " ".repeat(lw), "─".repeat(cols)),
    );
    // Column numbers under the first and last column.
    let last = (n - 1).to_string();
    let mut axis = format!("{}0", " ".repeat(lw + 2));
    if n > 1 && cols > last.len() + 2 {
        let pad = cols - 1 - last.len();
        axis.push_str(&" ".repeat(pad));
        axis.push_str(&last);
    }
    out.line().plain(axis);
    xlabel_line(out, p, lw + 2, cols);
    if !finite {
        let m_ = out.line();
        m_.push(Style::Note, "note");
        m_.plain(": no finite values to colour");
    }
    note_line(out, p.dropped, "entry");
}

/// One cell of two pixels; `None` is a pixel left out.
fn half_block(m: &mut Markup, top: Option<Rgb>, bottom: Option<Rgb>) {
    match (top, bottom) {
        (Some(t), b) => m.push(Style::Paint { fg: t, bg: b }, "▀"),
        (None, Some(b)) => m.push(Style::Paint { fg: b, bg: None }, "▄"),
        (None, None) => m.plain(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_matrices_grow_and_large_ones_are_averaged() {
        assert_eq!(grid_size(2, 3, 60, 20, 2, 2), (4, 12));
        assert_eq!(grid_size(1000, 1000, 50, 40, 1, 4), (40, 40));
        let v: Vec<f64> = (0..16).map(|x| x as f64).collect();
        // 4×4 averaged to 2×2: blocks of 4.
        assert_eq!(resample(&v, 4, 4, 2, 2), [2.5, 4.5, 10.5, 12.5]);
        // Enlarged: each entry repeated.
        assert_eq!(resample(&[1.0, 2.0], 1, 2, 1, 4), [1.0, 1.0, 2.0, 2.0]);
    }

    #[test]
    fn viridis_ends_are_its_ends() {
        assert_eq!(viridis(0.0), Rgb(68, 1, 84));
        assert_eq!(viridis(1.0), Rgb(253, 231, 36));
        assert_eq!(ramp(0.0), ' ');
        assert_eq!(ramp(1.0), '@');
    }
}
