//! The rules of the pictures (`plot`, `scatter`, `hist`, `heatmap`): which
//! shapes and dtypes each one takes, as facts (`PlotError`), never words.
//! The evaluator calls them before building a picture, the checker instead.

use super::error::{OpError, OpResult};
use crate::value::{DType, Dim, Meta};

/// The most series one plot draws (a legend entry and colour each).
pub const MAX_SERIES: usize = 12;
/// Bins `hist` accepts.
pub const MAX_BINS: i64 = 1000;
/// Sizes `width=` and `height=` accept (columns, lines).
pub const WIDTH_RANGE: (i64, i64) = (20, 1000);
pub const HEIGHT_RANGE: (i64, i64) = (6, 500);

/// What an argument of a picture must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// `plot`'s y: a vector, or a matrix whose columns are series.
    VectorOrMatrix,
    /// `plot`'s x, `scatter`'s x and y.
    Vector,
    /// `heatmap`'s matrix.
    Matrix,
}

/// Why a picture refuses its arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum PlotError {
    /// An argument with no elements (nothing to draw).
    Empty { shape: Vec<Dim> },
    /// An argument of the wrong rank.
    Rank { shape: Vec<Dim>, wanted: Wanted },
    /// Complex numbers have no place on an axis.
    Complex,
    /// x and a y of different lengths; `x_arg` is where x is.
    Lengths {
        x: Vec<Dim>,
        y: Vec<Dim>,
        x_arg: usize,
    },
    /// More series than colours and legend lines.
    TooManySeries { count: usize, shape: Vec<Dim> },
    /// `bins=` outside 1..=MAX_BINS.
    Bins { bins: i64 },
    /// `width=`/`height=` outside their range.
    Size {
        keyword: &'static str,
        value: i64,
        min: i64,
        max: i64,
    },
}

fn fail(err: PlotError, arg: usize) -> OpError {
    OpError::Plot {
        err,
        arg: Some(arg),
    }
}

fn is_empty(m: &Meta) -> bool {
    m.shape.contains(&Dim::Known(0))
}

/// One array argument: its dtype is real, its rank as wanted, and it has
/// elements.
fn operand(m: &Meta, arg: usize, wanted: Wanted) -> OpResult<()> {
    if m.dtype == DType::Complex128 {
        return Err(fail(PlotError::Complex, arg));
    }
    let rank_ok = match wanted {
        Wanted::VectorOrMatrix => matches!(m.ndim(), 1 | 2),
        Wanted::Vector => m.ndim() == 1,
        Wanted::Matrix => m.ndim() == 2,
    };
    if !rank_ok {
        return Err(fail(
            PlotError::Rank {
                shape: m.shape.clone(),
                wanted,
            },
            arg,
        ));
    }
    if is_empty(m) {
        return Err(fail(
            PlotError::Empty {
                shape: m.shape.clone(),
            },
            arg,
        ));
    }
    Ok(())
}

/// `plot(y)`, `plot(x, y)`, `plot(x, y1, y2, ...)`: x is a vector, each y a
/// vector of x's length or a matrix with x's length of rows (each column a
/// series, as matplotlib draws a 2-D y). Returns the number of series when
/// the shapes tell it.
pub fn plot_rule(args: &[Meta]) -> OpResult<Option<usize>> {
    let (x, ys, first) = match args {
        [y] => (None, std::slice::from_ref(y), 0),
        [x, ys @ ..] => (Some(x), ys, 1),
        [] => return Ok(Some(0)),
    };
    if let Some(x) = x {
        operand(x, 0, Wanted::Vector)?;
    }
    let mut count = Some(0usize);
    for (k, y) in ys.iter().enumerate() {
        let arg = first + k;
        operand(y, arg, Wanted::VectorOrMatrix)?;
        if let Some(x) = x {
            same_length(x, y, arg)?;
        }
        let here = match y.shape.get(1) {
            None => Some(1),
            Some(d) => d.value(),
        };
        count = count.zip(here).map(|(c, h)| c + h);
        if let Some(c) = count
            && c > MAX_SERIES
        {
            return Err(fail(
                PlotError::TooManySeries {
                    count: c,
                    shape: y.shape.clone(),
                },
                arg,
            ));
        }
    }
    Ok(count)
}

/// `scatter(y)` or `scatter(x, y)`: vectors of one length.
pub fn scatter_rule(args: &[Meta]) -> OpResult<()> {
    for (i, m) in args.iter().enumerate() {
        operand(m, i, Wanted::Vector)?;
    }
    if let [x, y] = args {
        same_length(x, y, 1)?;
    }
    Ok(())
}

/// x (argument 0) and the series y (argument `arg`) have one point each.
fn same_length(x: &Meta, y: &Meta, arg: usize) -> OpResult<()> {
    if x.shape[0].clash(&y.shape[0]) {
        return Err(fail(
            PlotError::Lengths {
                x: x.shape.clone(),
                y: y.shape.clone(),
                x_arg: 0,
            },
            arg,
        ));
    }
    Ok(())
}

/// `hist(x, bins)`: any real array with elements (flattened, as
/// `numpy.histogram`), and 1..=MAX_BINS bins (argument 1).
pub fn hist_rule(x: &Meta, bins: i64) -> OpResult<()> {
    if x.dtype == DType::Complex128 {
        return Err(fail(PlotError::Complex, 0));
    }
    if is_empty(x) {
        return Err(fail(
            PlotError::Empty {
                shape: x.shape.clone(),
            },
            0,
        ));
    }
    if !(1..=MAX_BINS).contains(&bins) {
        return Err(fail(PlotError::Bins { bins }, 1));
    }
    Ok(())
}

/// `heatmap(A)`: a real matrix with elements.
pub fn heatmap_rule(a: &Meta) -> OpResult<()> {
    operand(a, 0, Wanted::Matrix)
}

/// `width=` and `height=`.
pub fn size_rule(keyword: &'static str, value: i64) -> OpResult<usize> {
    let (min, max) = if keyword == "width" {
        WIDTH_RANGE
    } else {
        HEIGHT_RANGE
    };
    if (min..=max).contains(&value) {
        Ok(value as usize)
    } else {
        Err(OpError::Plot {
            err: PlotError::Size {
                keyword,
                value,
                min,
                max,
            },
            arg: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(shape: &[usize]) -> Meta {
        Meta::new(shape, DType::Float64)
    }

    #[test]
    fn plot_counts_series_and_checks_lengths() {
        assert_eq!(plot_rule(&[m(&[5])]), Ok(Some(1)));
        assert_eq!(plot_rule(&[m(&[5]), m(&[5, 3]), m(&[5])]), Ok(Some(4)));
        let e = plot_rule(&[m(&[5]), m(&[4])]).unwrap_err();
        assert!(matches!(
            e,
            OpError::Plot {
                err: PlotError::Lengths { .. },
                arg: Some(1)
            }
        ));
        let e = plot_rule(&[m(&[2, 3, 4])]).unwrap_err();
        assert!(matches!(
            e,
            OpError::Plot {
                err: PlotError::Rank { .. },
                arg: Some(0)
            }
        ));
        let e = plot_rule(&[m(&[3, 100])]).unwrap_err();
        assert!(matches!(
            e,
            OpError::Plot {
                err: PlotError::TooManySeries { count: 100, .. },
                ..
            }
        ));
        // An unknown length matches anything.
        let unknown = Meta::with_dims(vec![Dim::Unknown], DType::Float64);
        assert_eq!(plot_rule(&[m(&[5]), unknown]), Ok(Some(1)));
    }

    #[test]
    fn empty_and_complex_arguments_are_refused() {
        assert!(heatmap_rule(&m(&[0, 3])).is_err());
        assert!(hist_rule(&m(&[0]), 10).is_err());
        assert!(hist_rule(&Meta::new(&[3], DType::Complex128), 10).is_err());
        assert!(hist_rule(&m(&[3]), 0).is_err());
        assert!(hist_rule(&m(&[3, 2]), 20).is_ok());
        assert!(scatter_rule(&[m(&[3]), m(&[3, 1])]).is_err());
        assert_eq!(size_rule("width", 80), Ok(80));
        assert!(size_rule("height", 2).is_err());
    }
}
