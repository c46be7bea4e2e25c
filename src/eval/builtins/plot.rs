//! Built-ins: pictures. `plot`, `scatter`, `hist`, `heatmap` and `imshow`
//! check their arguments with the rules in `ops/plot.rs` and gather the
//! numbers into a `Picture` (float64, NaN and infinities counted); the
//! renderer draws it at the size of the screen when it is shown.

use std::rc::Rc;

use super::*;
use crate::ops::limits::check_alloc;
use crate::ops::plot::{self as pl, PlotError};
use crate::value::picture::{Numbers, PlotData, Series};
use crate::value::{Picture, PlotKind};

/// The keywords, read the same way by rule and run.
struct Common {
    title: Option<String>,
    xlabel: Option<String>,
    ylabel: Option<String>,
    width: Option<usize>,
    height: Option<usize>,
}

fn text_kw(a: &Args, name: &str) -> EResult<Option<String>> {
    match a.kw(name) {
        None => Ok(None),
        Some((Value::Str(s), _)) => Ok(Some(s.clone())),
        Some((_, span)) => Err(a.kw_error(span, name, "a string in double quotes")),
    }
}

fn size_kw(a: &Args, name: &'static str) -> EResult<Option<usize>> {
    match a.kw_int(name)? {
        None => Ok(None),
        Some(v) => pl::size_rule(name, v).map(Some).map_err(|e| {
            let span = a.kw(name).map_or(a.call_span, |k| k.1);
            generic_plot_error(a, e).primary(span, "here")
        }),
    }
}

fn common(a: &Args) -> EResult<Common> {
    Ok(Common {
        title: text_kw(a, "title")?,
        xlabel: text_kw(a, "xlabel")?,
        ylabel: text_kw(a, "ylabel")?,
        width: size_kw(a, "width")?,
        height: size_kw(a, "height")?,
    })
}

/// The words of a refusal, without a label (the caller places it).
fn generic_plot_error(a: &Args, e: crate::ops::OpError) -> crate::diagnostic::Diagnostic {
    let mut d = crate::eval::errors::generic_error(a.builtin.name, e);
    d = d.note(format!("signature: {}", a.builtin.signature));
    d
}

/// A rule's refusal as a diagnostic: the argument it blames underlined
/// with its shape, and for lengths that differ, x underlined too.
fn plot_err(a: &Args, e: crate::ops::OpError) -> crate::diagnostic::Diagnostic {
    if let crate::ops::OpError::Plot {
        err: PlotError::TooManySeries { shape, .. },
        arg: Some(i),
    } = &e
        && shape.len() == 2
    {
        let mut d = a.op_err(e.clone());
        d.help = vec![crate::eval::errors::transpose_help(
            a.builtin.name,
            a.text(*i),
        )];
        return d;
    }
    let x_arg = match &e {
        crate::ops::OpError::Plot {
            err: PlotError::Lengths { x_arg, .. },
            ..
        } => Some(*x_arg),
        _ => None,
    };
    let d = a.op_err(e);
    match x_arg {
        Some(i) => d.secondary(a.span(i), format!("x: {}", a.value(i).describe())),
        None => d,
    }
}

fn picture(kind: PlotKind, c: Common, dropped: usize, data: PlotData) -> Value {
    Value::Picture(Rc::new(Picture {
        kind,
        title: c.title,
        xlabel: c.xlabel,
        ylabel: c.ylabel,
        width: c.width,
        height: c.height,
        dropped,
        data: Some(data),
    }))
}

/// The numbers of argument `i` as float64 in row-major order (one copy,
/// checked against the memory limit first), its shape, and whether they
/// are whole numbers by dtype (bool, int64).
fn floats(a: &Args, i: usize) -> EResult<(Vec<f64>, Vec<usize>, bool)> {
    let x = a.array(i)?;
    check_alloc(&[x.len()], DType::Float64, &a.limits).map_err(|e| a.op_err(e))?;
    let v = match x {
        Array::F64(v) => v
            .as_slice()
            .map_or_else(|| v.iter().copied().collect(), <[f64]>::to_vec),
        Array::F32(v) => v.iter().map(|&e| e as f64).collect(),
        Array::Int(v) => v.iter().map(|&e| e as f64).collect(),
        Array::Bool(v) => v.iter().map(|&e| f64::from(u8::from(e))).collect(),
        Array::C128(_) => {
            return Err(a.op_err(crate::ops::OpError::Plot {
                err: PlotError::Complex,
                arg: Some(i),
            }));
        }
    };
    let integer = matches!(x.dtype(), DType::Bool | DType::Int64);
    Ok((v, x.shape().to_vec(), integer))
}

/// The series of `plot` and `scatter`: x (if given) shared, each y a
/// series, each column of a matrix y a series labelled `Y[:, j]`.
/// A vector argument's numbers: shared when it is a float64 vector,
/// else converted.
fn numbers(a: &Args, i: usize) -> EResult<Numbers> {
    if let Some(n) = Numbers::share(&a.pos[i].0) {
        return Ok(n);
    }
    Ok(Numbers::Owned(floats(a, i)?.0.into()))
}

fn series_of(a: &Args) -> EResult<(PlotData, usize)> {
    let (x, first) = if a.len() >= 2 {
        let integer = matches!(a.array(0)?.dtype(), DType::Bool | DType::Int64);
        (Some((numbers(a, 0)?, integer)), 1)
    } else {
        (None, 0)
    };
    let mut series = Vec::new();
    let mut integer_y = true;
    for i in first..a.len() {
        let text = a.text(i).to_string();
        let xs = x.as_ref().map(|(xs, _)| xs.clone());
        if a.array(i)?.ndim() == 1 {
            integer_y &= matches!(a.array(i)?.dtype(), DType::Bool | DType::Int64);
            series.push(Series {
                label: text,
                x: xs,
                y: numbers(a, i)?,
            });
        } else {
            let (v, shape, integer) = floats(a, i)?;
            integer_y &= integer;
            let k = shape[1];
            for j in 0..k {
                series.push(Series {
                    label: format!("{}[:, {j}]", super::super::errors::atom(&text)),
                    x: xs.clone(),
                    y: Numbers::Owned(v.iter().skip(j).step_by(k).copied().collect()),
                });
            }
        }
    }
    let dropped = series
        .iter()
        .map(|s| match &s.x {
            Some(x) => x
                .as_slice()
                .iter()
                .zip(s.y.as_slice())
                .filter(|(x, y)| !x.is_finite() || !y.is_finite())
                .count(),
            None => s.y.as_slice().iter().filter(|y| !y.is_finite()).count(),
        })
        .sum();
    let integer_x = x.as_ref().is_none_or(|(_, integer)| *integer);
    Ok((
        PlotData::Series {
            series,
            integer_x,
            integer_y,
        },
        dropped,
    ))
}

/// `numpy.histogram` with equal bins over the finite values' range (NaN
/// and infinities are left out and counted, where NumPy refuses them);
/// the edges and counting are `ops::stats`'s, shared with `histogram`.
pub fn histogram(values: &[f64], bins: usize) -> (Vec<f64>, Vec<u64>) {
    use crate::ops::stats::{count_equal, data_range, equal_edges};
    let (lo, hi) = data_range(values);
    let edges = equal_edges(lo, hi, bins);
    let counts = count_equal(values, &edges);
    (edges, counts)
}

fn bins_arg(a: &Args) -> EResult<i64> {
    Ok(a.opt_int(1, "bins")?.unwrap_or(20))
}

fn plot_rule(a: &Args) -> EResult<Kind> {
    common(a)?;
    pl::plot_rule(&a.metas_from(0)?).map_err(|e| plot_err(a, e))?;
    Ok(Kind::Picture(PlotKind::Line))
}

fn heatmap_rule(a: &Args) -> EResult<Kind> {
    common(a)?;
    pl::heatmap_rule(&a.meta(0)?).map_err(|e| plot_err(a, e))?;
    Ok(Kind::Picture(PlotKind::Heatmap))
}

fn heatmap_run(a: &Args) -> EResult<Value> {
    let c = common(a)?;
    let (values, shape, _) = floats(a, 0)?;
    let (rows, cols) = (shape[0], shape[1]);
    let dropped = values.iter().filter(|v| !v.is_finite()).count();
    Ok(picture(
        PlotKind::Heatmap,
        c,
        dropped,
        PlotData::Grid { rows, cols, values },
    ))
}

const PLOT_SIG: &str = "plot(y) | plot(x, y, y2, ..., title=, xlabel=, ylabel=, width=, height=)";

pub(super) static TABLE: &[Builtin] = &[
    builtin!(
        "pictures",
        "plot",
        PLOT_SIG,
        1,
        MANY,
        ["title", "xlabel", "ylabel", "width", "height"],
        "Draws y against x (or against 0, 1, 2, ...) as lines of Braille dots, sized to the terminal. Several series: plot(x, y1, y2) or a matrix y, one series per column (as matplotlib); a legend names them. NaN and infinite points are left out with a note.",
        "plot(sin(linspace(0, 2 * pi, 50)), width=40, height=10)",
        rule: plot_rule,
        run: |_, a| {
            let c = common(a)?;
            pl::plot_rule(&a.metas_from(0)?).map_err(|e| plot_err(a, e))?;
            let (data, dropped) = series_of(a)?;
            Ok(picture(PlotKind::Line, c, dropped, data))
        }
    ),
    builtin!(
        "pictures",
        "scatter",
        "scatter(x, y, title=, xlabel=, ylabel=, width=, height=)",
        1,
        2,
        ["title", "xlabel", "ylabel", "width", "height"],
        "Draws the points (x[i], y[i]) as Braille dots (y against 0, 1, 2, ... when only y is given). NaN and infinite points are left out with a note.",
        "scatter([1, 2, 3, 4], [1, 4, 9, 16], width=40, height=10)",
        rule: |a| {
            common(a)?;
            pl::scatter_rule(&a.metas_from(0)?).map_err(|e| plot_err(a, e))?;
            Ok(Kind::Picture(PlotKind::Scatter))
        },
        run: |_, a| {
            let c = common(a)?;
            pl::scatter_rule(&a.metas_from(0)?).map_err(|e| plot_err(a, e))?;
            let (data, dropped) = series_of(a)?;
            Ok(picture(PlotKind::Scatter, c, dropped, data))
        }
    ),
    builtin!(
        "pictures",
        "hist",
        "hist(x, bins=20, title=, xlabel=, ylabel=, width=, height=)",
        1,
        2,
        ["bins", "title", "xlabel", "ylabel", "width", "height"],
        "Draws a histogram of all elements of x: bins of equal width from the smallest to the largest finite value, counted as numpy.histogram counts them, as bars of block characters. NaN and infinities are left out with a note.",
        "hist([1, 2, 2, 3, 3, 3, 4, 4, 5], bins=5, width=40, height=10)",
        rule: |a| {
            common(a)?;
            let bins = bins_arg(a)?;
            pl::hist_rule(&a.meta(0)?, bins).map_err(|e| hist_err(a, e))?;
            Ok(Kind::Picture(PlotKind::Hist))
        },
        run: |_, a| {
            let c = common(a)?;
            let bins = bins_arg(a)?;
            pl::hist_rule(&a.meta(0)?, bins).map_err(|e| hist_err(a, e))?;
            let (v, _, _) = floats(a, 0)?;
            let finite: Vec<f64> = v.iter().copied().filter(|v| v.is_finite()).collect();
            let dropped = v.len() - finite.len();
            let (edges, counts) = if finite.is_empty() {
                (vec![0.0, 1.0], vec![0])
            } else {
                histogram(&finite, bins as usize)
            };
            Ok(picture(PlotKind::Hist, c, dropped, PlotData::Hist { edges, counts }))
        }
    ),
    builtin!(
        "pictures",
        "heatmap",
        "heatmap(A, title=, xlabel=, ylabel=, width=, height=)",
        1,
        1,
        ["title", "xlabel", "ylabel", "width", "height"],
        "Draws a matrix as an image: row 0 at the top, a colour per entry (half-block cells with 24-bit colour; without colour a ramp of density characters \" .:-=+*#%@\"), and a colour bar with its range. Large matrices are averaged down to the screen; NaN and infinities are left blank.",
        "heatmap([[1, 2, 3], [4, 5, 6]])",
        rule: heatmap_rule,
        run: |_, a| heatmap_run(a)
    ),
    builtin!(
        "pictures",
        "imshow",
        "imshow(A, title=, xlabel=, ylabel=, width=, height=)",
        1,
        1,
        ["title", "xlabel", "ylabel", "width", "height"],
        "The same as heatmap(A), under matplotlib's name.",
        "imshow(outer(arange(4), arange(4)))",
        rule: heatmap_rule,
        run: |_, a| heatmap_run(a)
    ),
];

/// `bins` given positionally or as a keyword is underlined where written.
fn hist_err(a: &Args, e: crate::ops::OpError) -> crate::diagnostic::Diagnostic {
    if let crate::ops::OpError::Plot {
        err: PlotError::Bins { .. },
        ..
    } = &e
    {
        let span = a.opt(1, "bins").map_or(a.call_span, |b| b.1);
        return generic_plot_error(a, e).primary(span, "here");
    }
    plot_err(a, e)
}

#[cfg(test)]
mod tests {
    use super::histogram;

    #[test]
    fn histogram_counts_like_numpy() {
        // np.histogram([1, 2, 2, 3, 3, 3, 4, 4, 5], bins=5)
        let (edges, counts) = histogram(&[1., 2., 2., 3., 3., 3., 4., 4., 5.], 5);
        assert_eq!(counts, [1, 2, 3, 2, 1]);
        assert_eq!(edges, [1.0, 1.8, 2.6, 3.4000000000000004, 4.2, 5.0]);
        // One value: the range is value ± 0.5.
        let (edges, counts) = histogram(&[2.0, 2.0], 2);
        assert_eq!(edges, [1.5, 2.0, 2.5]);
        assert_eq!(counts, [0, 2]);
    }
}
