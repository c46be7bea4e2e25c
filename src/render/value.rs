//! The value printer: a header with shape and dtype in the book's notation
//! (`2×3 float64`), then right-aligned columns in one number format per array,
//! NumPy-like precision with trailing zeros trimmed. Big arrays are summarised
//! around their edges; wide rows are split into column blocks.

use super::{Markup, Style};
use crate::value::number::{complex_repr, f32_repr, float_repr, python_exponent};
use crate::value::{Array, C64, Value, shape_text};

/// How numbers are shown (the prompt's `:format` and `:precision`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberFormat {
    /// Up to 8 decimals, as NumPy.
    Short,
    /// Up to 16 decimals.
    Long,
    /// Always scientific notation.
    Sci,
    /// Nearest small fractions, as Octave's `format rat`.
    Rat,
}

#[derive(Clone, Debug)]
pub struct FormatOptions {
    pub format: NumberFormat,
    /// Overrides the format's number of decimals.
    pub precision: Option<usize>,
    /// Line width to fit (the terminal's columns; 80 when not a terminal).
    pub width: usize,
    /// The terminal's lines (24 when not a terminal): pictures fit them.
    pub height: usize,
    /// Whether the output will be coloured: pictures then draw heatmaps
    /// with coloured half-blocks instead of density characters.
    pub color: bool,
    /// Arrays with more elements than this are summarised.
    pub threshold: usize,
    /// Entries kept at each edge of a summarised axis.
    pub edge: usize,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            format: NumberFormat::Short,
            precision: None,
            width: 80,
            height: 24,
            color: false,
            threshold: 1000,
            edge: 3,
        }
    }
}

impl FormatOptions {
    fn digits(&self) -> usize {
        self.precision.unwrap_or(match self.format {
            NumberFormat::Long => 16,
            _ => 8,
        })
    }
}

/// Renders a value, with `name = ` in front for assignments.
pub fn render_value(value: &Value, name: Option<&str>, opts: &FormatOptions) -> Markup {
    let mut m = Markup::new();
    if let Some(n) = name {
        m.push(Style::Name, n);
        m.plain(" = ");
    }
    match value {
        Value::Nothing => {}
        Value::Shaped(meta) => {
            m.push(Style::Dim, format!("{} (shape only)", meta.describe()));
        }
        Value::Sizes(s) => {
            m.push(Style::Number, s.describe());
            m.push(Style::Dim, " (symbolic size)");
        }
        Value::Unknown => m.push(Style::Dim, "unknown (decided by values)"),
        Value::Str(s) => m.push(Style::String, format!("{s:?}")),
        Value::Tuple(parts) => {
            m.push(Style::Dim, format!("tuple of {}", parts.len()));
            for (label, p) in parts {
                m.plain("\n");
                m.append(render_value(p, Some(label), opts));
            }
        }
        Value::Array(a) if a.is_scalar() => {
            let cells = format_cells(a, &[0], opts);
            m.push(Style::Number, cells[0].trim().to_string());
        }
        Value::Array(a) => render_array(&mut m, a, opts),
        Value::Picture(p) => {
            if name.is_some() && p.data.is_some() {
                m.push(Style::Dim, p.describe());
                m.plain("\n");
            }
            m.append(super::plot::render_picture(p, name.is_some(), opts));
        }
    }
    m
}

/// Tick values in the number format of arrays (one format for all of
/// them, as an array of these values would print), without padding.
pub(super) fn number_texts(values: &[f64], opts: &FormatOptions) -> Vec<String> {
    let f = FloatFormat::choose(values, opts, false);
    values.iter().map(|&v| f.one(v)).collect()
}

/// Displayed positions along one axis: `Some(i)` an entry, `None` the gap.
fn shown(len: usize, summarise: bool, edge: usize) -> Vec<Option<usize>> {
    if summarise && len > 2 * edge {
        (0..edge)
            .map(Some)
            .chain(std::iter::once(None))
            .chain((len - edge..len).map(Some))
            .collect()
    } else {
        (0..len).map(Some).collect()
    }
}

fn render_array(m: &mut Markup, a: &Array, opts: &FormatOptions) {
    let shape = a.shape();
    m.push(Style::Dim, format!("{} {}", shape_text(shape), a.dtype()));
    if a.is_empty() {
        m.push(Style::Dim, " (empty)");
        return;
    }
    let summarise = a.len() > opts.threshold;
    let axes: Vec<Vec<Option<usize>>> = shape
        .iter()
        .map(|&n| shown(n, summarise, opts.edge))
        .collect();
    // Flat offsets of every displayed element, in display order.
    let mut strides = vec![1usize; shape.len()];
    for k in (0..shape.len() - 1).rev() {
        strides[k] = strides[k + 1] * shape[k + 1];
    }
    let mut collect = vec![0usize];
    for (k, ax) in axes.iter().enumerate() {
        let mut next = Vec::new();
        for &base in &collect {
            for i in ax.iter().flatten() {
                next.push(base + i * strides[k]);
            }
        }
        collect = next;
    }
    let cells = format_cells(a, &collect, opts);
    let lookup: std::collections::HashMap<usize, &str> = collect
        .iter()
        .zip(cells.iter())
        .map(|(&o, c)| (o, c.as_str()))
        .collect();
    let width = cells.iter().map(|c| c.chars().count()).max().unwrap_or(1);

    let nd = shape.len();
    let (row_axis, col_axis) = if nd == 1 {
        (None, 0)
    } else {
        (Some(nd - 2), nd - 1)
    };
    let lead = if nd > 2 { &axes[..nd - 2] } else { &[][..] };
    // Every combination of leading indices (with gaps) is one 2-D block.
    let mut blocks: Vec<Vec<Option<usize>>> = vec![Vec::new()];
    for ax in lead {
        let mut next = Vec::new();
        for b in &blocks {
            for &i in ax {
                let mut nb = b.clone();
                nb.push(i);
                next.push(nb);
            }
        }
        blocks = next;
    }
    let mut last_was_gap = false;
    for block in blocks {
        if block.iter().any(Option::is_none) {
            // A run of summarised-away blocks shows as one marker.
            if !last_was_gap {
                m.plain("\n");
                m.push(Style::Dim, "⋮");
            }
            last_was_gap = true;
            continue;
        }
        last_was_gap = false;
        let base: usize = block
            .iter()
            .zip(&strides)
            .map(|(i, s)| i.expect("no gap") * s)
            .sum();
        if nd > 2 {
            let mut label: Vec<String> = block
                .iter()
                .map(|i| i.expect("no gap").to_string())
                .collect();
            label.extend([":".to_string(), ":".to_string()]);
            m.plain("\n");
            m.push(Style::Dim, format!("[{}]", label.join(", ")));
        }
        let rows: Vec<Option<usize>> = match row_axis {
            Some(r) => axes[r].clone(),
            None => vec![Some(0)],
        };
        let cols = &axes[col_axis];
        let per_line = ((opts.width.saturating_sub(2)) / (width + 2)).max(1);
        let chunks: Vec<&[Option<usize>]> = cols.chunks(per_line).collect();
        let split = chunks.len() > 1 && nd >= 2;
        for chunk in &chunks {
            if split {
                let first = chunk.iter().flatten().next();
                let last = chunk.iter().flatten().last();
                if let (Some(f), Some(l)) = (first, last) {
                    m.plain("\n");
                    let label = if f == l {
                        format!("column {f}:")
                    } else {
                        format!("columns {f}–{l}:")
                    };
                    m.push(Style::Dim, label);
                }
            }
            for row in &rows {
                m.plain("\n");
                let Some(r) = row else {
                    m.push(Style::Dim, "  ⋮");
                    continue;
                };
                let row_base = base + row_axis.map_or(0, |ra| r * strides[ra]);
                let mut line = String::new();
                for c in chunk.iter() {
                    line.push_str("  ");
                    match c {
                        Some(c) => {
                            let cell = lookup
                                .get(&(row_base + c * strides[col_axis]))
                                .copied()
                                .unwrap_or("?");
                            line.push_str(&format!("{cell:>width$}"));
                        }
                        None => line.push_str(&format!("{:>width$}", "…")),
                    }
                }
                m.push(Style::Number, line.trim_end().to_string());
            }
        }
    }
}

/// Formats the elements at the given flat offsets, all in one format and
/// padded to one width.
fn format_cells(a: &Array, flat: &[usize], opts: &FormatOptions) -> Vec<String> {
    match a {
        Array::Bool(x) => {
            let s = x.as_standard_layout();
            let d = s.as_slice().expect("contiguous");
            flat.iter().map(|&o| d[o].to_string()).collect()
        }
        Array::Int(x) => {
            let s = x.as_standard_layout();
            let d = s.as_slice().expect("contiguous");
            if opts.format == NumberFormat::Sci {
                let v: Vec<f64> = flat.iter().map(|&o| d[o] as f64).collect();
                return FloatFormat::choose(&v, opts, false).cells(&v);
            }
            flat.iter().map(|&o| d[o].to_string()).collect()
        }
        Array::F32(x) => {
            let s = x.as_standard_layout();
            let d = s.as_slice().expect("contiguous");
            let v: Vec<f64> = flat.iter().map(|&o| d[o] as f64).collect();
            if a.is_scalar() && opts.format == NumberFormat::Short && opts.precision.is_none() {
                return vec![f32_repr(d[0])];
            }
            FloatFormat::choose(&v, opts, true).cells(&v)
        }
        Array::F64(x) => {
            let s = x.as_standard_layout();
            let d = s.as_slice().expect("contiguous");
            let v: Vec<f64> = flat.iter().map(|&o| d[o]).collect();
            if a.is_scalar() && opts.format == NumberFormat::Short && opts.precision.is_none() {
                return vec![float_repr(d[0])];
            }
            FloatFormat::choose(&v, opts, false).cells(&v)
        }
        Array::C128(x) => {
            let s = x.as_standard_layout();
            let d = s.as_slice().expect("contiguous");
            let z: Vec<C64> = flat.iter().map(|&o| d[o]).collect();
            if a.is_scalar() && opts.format == NumberFormat::Short && opts.precision.is_none() {
                return vec![complex_repr(d[0])];
            }
            let re: Vec<f64> = z.iter().map(|c| c.re).collect();
            let im: Vec<f64> = z.iter().map(|c| c.im.abs()).collect();
            let re_cells = FloatFormat::choose(&re, opts, false).cells(&re);
            let im_cells = FloatFormat::choose(&im, opts, false).cells(&im);
            z.iter()
                .zip(re_cells.iter().zip(im_cells))
                .map(|(c, (r, i))| {
                    let sign = if c.im.is_sign_negative() && !c.im.is_nan() {
                        '-'
                    } else {
                        '+'
                    };
                    format!("{r}{sign}{}j", i.trim_start())
                })
                .collect()
        }
    }
}

/// One number format for a whole array.
enum FloatFormat {
    Fixed { decimals: usize },
    Sci { decimals: usize },
    Rat,
}

impl FloatFormat {
    fn choose(values: &[f64], opts: &FormatOptions, single: bool) -> FloatFormat {
        let digits = opts.digits().min(if single { 8 } else { 17 });
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if opts.format == NumberFormat::Rat {
            return FloatFormat::Rat;
        }
        let max = finite.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let min = finite
            .iter()
            .filter(|v| **v != 0.0)
            .fold(f64::INFINITY, |m, v| m.min(v.abs()));
        let sci = opts.format == NumberFormat::Sci
            || max >= 1e8
            || (min.is_finite() && (min < 1e-4 || max / min > 1e3));
        // The fewest decimals that show every value as well as `digits` would.
        let needed = |v: f64, exp: bool| -> usize {
            let s = if exp {
                format!("{:.*e}", digits, v)
            } else {
                format!("{:.*}", digits, v)
            };
            let mant = s.split('e').next().unwrap_or("");
            match mant.split_once('.') {
                Some((_, frac)) => frac.trim_end_matches('0').len(),
                None => 0,
            }
        };
        let decimals = finite.iter().map(|&v| needed(v, sci)).max().unwrap_or(0);
        if sci {
            FloatFormat::Sci { decimals }
        } else {
            FloatFormat::Fixed { decimals }
        }
    }

    fn one(&self, v: f64) -> String {
        if !v.is_finite() {
            return float_repr(v);
        }
        match self {
            FloatFormat::Fixed { decimals } => {
                let s = format!("{:.*}", decimals, v);
                let s = if s.contains('.') { s } else { format!("{s}.") };
                // "-0.0" is kept, as NumPy shows it.
                let t = s.trim_end_matches('0');
                if t.ends_with('.') {
                    format!("{t}0")
                } else {
                    t.to_string()
                }
            }
            FloatFormat::Sci { decimals } => python_exponent(&format!("{:.*e}", decimals, v)),
            FloatFormat::Rat => rational(v),
        }
    }

    /// Formats and aligns: fixed-point values line up on the decimal point.
    fn cells(&self, values: &[f64]) -> Vec<String> {
        let raw: Vec<String> = values.iter().map(|&v| self.one(v)).collect();
        if !matches!(self, FloatFormat::Fixed { .. }) {
            return raw;
        }
        let split = |s: &str| -> (usize, usize) {
            match s.find('.') {
                Some(p) => (p, s.len() - p),
                None => (s.len(), 0),
            }
        };
        let finite = |i: usize| values[i].is_finite();
        let int_w = (0..raw.len())
            .filter(|&i| finite(i))
            .map(|i| split(&raw[i]).0)
            .max()
            .unwrap_or(0);
        let frac_w = (0..raw.len())
            .filter(|&i| finite(i))
            .map(|i| split(&raw[i]).1)
            .max()
            .unwrap_or(0);
        // `nan` and `inf` have no decimal point; they align to the right edge.
        let width = (int_w + frac_w).max(raw.iter().map(String::len).max().unwrap_or(0));
        raw.iter()
            .enumerate()
            .map(|(i, s)| {
                if !finite(i) {
                    return format!("{s:>width$}");
                }
                let (a, f) = split(s);
                let cell = format!("{}{s}{}", " ".repeat(int_w - a), " ".repeat(frac_w - f));
                format!("{cell:>width$}")
            })
            .collect()
    }
}

/// The nearest fraction with a small denominator (continued fractions), as
/// Octave's `format rat`: `1.5` is `3/2`.
pub fn rational(v: f64) -> String {
    if !v.is_finite() {
        return float_repr(v);
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    // Octave's `rat` tolerance: close enough to read, not exact (pi is 355/113).
    let tol = v.abs().max(1.0) * 1e-6;
    let (mut h0, mut h1, mut k0, mut k1) = (0f64, 1f64, 1f64, 0f64);
    let mut x = v;
    for _ in 0..20 {
        let a = x.floor();
        let (h2, k2) = (a * h1 + h0, a * k1 + k0);
        h0 = h1;
        h1 = h2;
        k0 = k1;
        k1 = k2;
        if (h1 / k1 - v).abs() <= tol || k1 > 1e6 {
            break;
        }
        let f = x - a;
        if f == 0.0 {
            break;
        }
        x = 1.0 / f;
    }
    if k1 > 1e6 || (h1 / k1 - v).abs() > tol {
        return float_repr(v);
    }
    if k1 == 1.0 {
        format!("{h1}")
    } else {
        format!("{h1}/{k1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{ArrayD, IxDyn};

    fn show(a: Array) -> String {
        render_value(&Value::Array(a), None, &FormatOptions::default()).to_plain()
    }

    #[test]
    fn rational_format_finds_small_fractions() {
        assert_eq!(rational(1.5), "3/2");
        assert_eq!(rational(-0.5), "-1/2");
        assert_eq!(rational(1.0 / 3.0), "1/3");
        assert_eq!(rational(-2.0), "-2");
        assert_eq!(rational(std::f64::consts::PI), "355/113");
    }

    #[test]
    fn float_columns_share_decimals_and_align_points() {
        let a = ArrayD::from_shape_vec(IxDyn(&[3]), vec![1.5, 2.25, -3.0]).unwrap();
        assert_eq!(show(Array::F64(a)), "3 float64\n   1.5    2.25  -3.0");
    }

    #[test]
    fn tiny_and_huge_values_switch_to_scientific() {
        let a = ArrayD::from_shape_vec(IxDyn(&[2]), vec![1e-5, 3.0]).unwrap();
        assert_eq!(show(Array::F64(a)), "2 float64\n  1e-05  3e+00");
    }

    #[test]
    fn big_arrays_are_summarised_at_the_edges() {
        let a = ArrayD::from_shape_vec(IxDyn(&[2000]), (0..2000).collect()).unwrap();
        assert_eq!(
            show(Array::Int(a)),
            "2000 int64\n     0     1     2     …  1997  1998  1999"
        );
    }

    #[test]
    fn rank_three_prints_labelled_slices() {
        let a = ArrayD::from_shape_vec(IxDyn(&[2, 1, 2]), vec![1, 2, 3, 4]).unwrap();
        assert_eq!(
            show(Array::Int(a)),
            "2×1×2 int64\n[0, :, :]\n  1  2\n[1, :, :]\n  3  4"
        );
    }
}
