//! A picture's data: what `plot`, `scatter`, `hist` and `heatmap` computed
//! from their arguments (finite numbers as float64, bin counts, a matrix),
//! kept until `render/plot` draws it at the size of the screen. Drawing is
//! left to the renderer so that one picture fits whatever terminal shows it.

use std::rc::Rc;

use super::{Array, Value};

/// Which kind of picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlotKind {
    Line,
    Scatter,
    Hist,
    Heatmap,
}

impl PlotKind {
    /// The name in `--json` (`{"plot":"heatmap",...}`) and in descriptions.
    pub fn name(self) -> &'static str {
        match self {
            PlotKind::Line => "line",
            PlotKind::Scatter => "scatter",
            PlotKind::Hist => "hist",
            PlotKind::Heatmap => "heatmap",
        }
    }
}

/// Float64 numbers in order: a copy, or a float64 vector of the workspace
/// itself (no copy: a 10^7-point vector is drawn where it lies).
#[derive(Clone, Debug, PartialEq)]
pub enum Numbers {
    Owned(Rc<[f64]>),
    /// A `Value::Array(Array::F64(_))` that is a contiguous vector.
    Shared(Rc<Value>),
}

impl Numbers {
    /// The numbers of `v` without copying them, if it is a contiguous
    /// float64 vector.
    pub fn share(v: &Rc<Value>) -> Option<Numbers> {
        match &**v {
            Value::Array(Array::F64(a)) if a.ndim() == 1 && a.as_slice().is_some() => {
                Some(Numbers::Shared(v.clone()))
            }
            _ => None,
        }
    }

    pub fn as_slice(&self) -> &[f64] {
        match self {
            Numbers::Owned(v) => v,
            Numbers::Shared(v) => match &**v {
                Value::Array(Array::F64(a)) => a.as_slice().expect("checked by share"),
                _ => unreachable!("checked by share"),
            },
        }
    }
}

/// One series of points: `x` is shared between series of one call; `None`
/// means the positions 0, 1, 2, ...
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The legend entry: the argument as written (`sin(x)`, `Y[:, 1]`).
    pub label: String,
    pub x: Option<Numbers>,
    /// May hold NaN and infinities; they are left out when drawn.
    pub y: Numbers,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PlotData {
    /// Line and scatter plots. `integer_x`/`integer_y` say the axis holds
    /// whole numbers (positions, int64 data), so ticks print as integers.
    Series {
        series: Vec<Series>,
        integer_x: bool,
        integer_y: bool,
    },
    /// A histogram: `counts.len() + 1` bin edges, as `numpy.histogram`.
    Hist { edges: Vec<f64>, counts: Vec<u64> },
    /// A matrix in row-major order (NaN and infinities are left blank).
    Grid {
        rows: usize,
        cols: usize,
        values: Vec<f64>,
    },
}

/// A picture: its kind, labels, requested size and data (`None` for the
/// checker, which knows only that a picture would be drawn).
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    pub kind: PlotKind,
    pub title: Option<String>,
    pub xlabel: Option<String>,
    pub ylabel: Option<String>,
    /// Columns and lines asked for with `width=`/`height=`; else the screen's.
    pub width: Option<usize>,
    pub height: Option<usize>,
    /// Points (or matrix entries) left out because they are NaN or infinite.
    pub dropped: usize,
    pub data: Option<PlotData>,
}

impl Picture {
    /// What the checker shows instead of drawing.
    pub fn shape_only(kind: PlotKind) -> Picture {
        Picture {
            kind,
            title: None,
            xlabel: None,
            ylabel: None,
            width: None,
            height: None,
            dropped: 0,
            data: None,
        }
    }

    /// The memory its numbers take.
    pub fn nbytes(&self) -> usize {
        let f = std::mem::size_of::<f64>();
        match &self.data {
            None => 0,
            Some(PlotData::Series { series, .. }) => {
                // x is shared by the series of one call.
                let owned = |n: &Numbers| match n {
                    Numbers::Owned(v) => v.len(),
                    Numbers::Shared(_) => 0,
                };
                let x = series.first().and_then(|s| s.x.as_ref()).map_or(0, owned);
                (x + series.iter().map(|s| owned(&s.y)).sum::<usize>()) * f
            }
            Some(PlotData::Hist { edges, counts }) => (edges.len() + counts.len()) * f,
            Some(PlotData::Grid { values, .. }) => values.len() * f,
        }
    }

    /// `line plot`, `heatmap`, for messages and `:vars`.
    pub fn describe(&self) -> String {
        match self.kind {
            PlotKind::Heatmap => "heatmap".to_string(),
            PlotKind::Hist => "histogram".to_string(),
            k => format!("{} plot", k.name()),
        }
    }
}
