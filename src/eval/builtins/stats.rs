//! Built-ins: NumPy's statistics (median, percentile, quantile, average,
//! cov, corrcoef, ptp, the NaN-ignoring reductions, histogram, bincount).
//! `ops::stats` does the work.

use super::*;
use crate::ops::stats::{self as st, Bins, BinsValue, Method, NanReduce, Quantile};

/// The keywords of median, percentile and quantile, read the same way by
/// rule and run; q is argument 1 unless `median`.
fn quantile_args<'a>(a: &Args, q: Option<&'a Meta>, scale: f64) -> EResult<Quantile<'a>> {
    let pos = if q.is_some() { 2 } else { 1 };
    let method = a.opt_choice(MANY, "method", "linear", &Method::NAMES)?;
    Ok(Quantile {
        q,
        scale,
        method: Method::from_name(&method).expect("one of the names"),
        axis: a.axis(pos)?,
        keepdims: a.kw_bool("keepdims", false)?,
    })
}

fn quantile_rule(a: &Args, scale: Option<f64>) -> EResult<Kind> {
    let q = match scale {
        Some(_) => Some(a.meta(1)?),
        None => None,
    };
    let p = quantile_args(a, q.as_ref(), scale.unwrap_or(1.0))?;
    predicted(a, st::quantile_rule(&a.meta(0)?, &p))
}

fn quantile_run(a: &Args, scale: Option<f64>) -> EResult<Value> {
    let q = match scale {
        Some(_) => Some(a.array(1)?),
        None => None,
    };
    let qm = q.map(Meta::of);
    let p = quantile_args(a, qm.as_ref(), scale.unwrap_or(1.0))?;
    done(a, st::quantile(a.array(0)?, q, &p))
}

/// average's weights: positional argument 2 or the keyword.
fn weights_meta(a: &Args) -> EResult<Option<Meta>> {
    match a.opt(2, "weights") {
        None => Ok(None),
        Some((Value::Shaped(m), _)) => Ok(Some(m.clone())),
        Some((Value::Array(x), _)) => Ok(Some(Meta::of(x))),
        Some((_, span)) => Err(a.kw_error(span, "weights", "an array")),
    }
}

fn weights_array(a: &Args) -> EResult<Option<&Array>> {
    match a.opt(2, "weights") {
        None => Ok(None),
        Some((Value::Array(x), _)) => Ok(Some(x)),
        Some((_, span)) => Err(a.kw_error(span, "weights", "an array")),
    }
}

fn average_rule(a: &Args) -> EResult<Kind> {
    let m = predicted(
        a,
        st::average_rule(&a.meta(0)?, a.axis(1)?, weights_meta(a)?.as_ref()),
    )?;
    if !a.opt_bool(3, "returned", false)? {
        return Ok(m);
    }
    Ok(Kind::Tuple(vec![
        ("average".into(), m.clone()),
        ("sum_of_weights".into(), m),
    ]))
}

fn average_run(a: &Args) -> EResult<Value> {
    let (avg, sum) = st::average(a.array(0)?, a.axis(1)?, weights_array(a)?, &a.exec)
        .map_err(|e| a.op_err(e))?;
    if !a.opt_bool(3, "returned", false)? {
        return Ok(Value::Array(avg));
    }
    Ok(Value::Tuple(vec![
        ("average".into(), Value::Array(avg)),
        ("sum_of_weights".into(), Value::Array(sum)),
    ]))
}

fn nan_args(a: &Args) -> EResult<(Option<i64>, bool, f64)> {
    Ok((
        a.axis(1)?,
        a.kw_bool("keepdims", false)?,
        a.kw_f64("ddof")?.unwrap_or(0.0),
    ))
}

fn nan_rule(a: &Args, kind: NanReduce) -> EResult<Kind> {
    let (axis, keep, _) = nan_args(a)?;
    predicted(a, st::nan_rule(kind, &a.meta(0)?, axis, keep))
}

/// NumPy warns where a lane has no number: nanmax and nanmin give nan,
/// nanmean nan, nanstd nan (also when ddof leaves no degrees of freedom).
fn nan_run(cx: &mut Ctx, a: &Args, kind: NanReduce) -> EResult<Value> {
    let (axis, keep, ddof) = nan_args(a)?;
    let (r, warn) =
        st::nan_reduce(kind, a.array(0)?, axis, keep, ddof, &a.exec).map_err(|e| a.op_err(e))?;
    if warn {
        let what = match kind {
            NanReduce::NanMax | NanReduce::NanMin => "all-nan slice encountered: its result is nan",
            NanReduce::NanStd => "degrees of freedom <= 0 for a slice: its result is nan",
            _ => "mean of empty slice: its result is nan",
        };
        cx.warnings.push(
            crate::diagnostic::Diagnostic::warning(format!("{}: {what}", a.builtin.name))
                .primary(a.call_span, ""),
        );
    }
    Ok(Value::Array(r))
}

/// histogram's bins as the rule sees them: a count, the edges' metadata,
/// or (a shape-only count) unknown.
fn hist_bins(a: &Args) -> EResult<Option<Bins<'static>>> {
    match a.opt(1, "bins") {
        None => Ok(Some(Bins::Count(10))),
        Some((Value::Array(x), _)) if x.is_scalar() => {
            Ok(Some(Bins::Count(a.opt_int(1, "bins")?.unwrap_or(10))))
        }
        Some((Value::Array(_) | Value::Shaped(_), _)) => Ok(None),
        Some((_, span)) => Err(a.kw_error(span, "bins", "a number of bins or an array of edges")),
    }
}

fn hist_range(a: &Args) -> EResult<Option<(f64, f64)>> {
    match a.opt(2, "range") {
        None => Ok(None),
        Some((Value::Array(x), span)) => {
            let v = x
                .to_f64_array()
                .ok()
                .filter(|v| v.len() == 2 && x.ndim() == 1);
            match v {
                Some(v) => Ok(Some((v[0], v[1]))),
                None => Err(a.kw_error(span, "range", "two numbers [low, high]")),
            }
        }
        Some((_, span)) => Err(a.kw_error(span, "range", "two numbers [low, high]")),
    }
}

fn histogram_rule(a: &Args) -> EResult<Kind> {
    // A range or a count the checker has no numbers for decides nothing
    // about the shapes (a count: their lengths, unknown then).
    if !matches!(a.opt(2, "range"), Some((Value::Shaped(_), _))) {
        hist_range(a)?;
    }
    let x = a.meta(0)?;
    if let Some((Value::Shaped(m), _)) = a.opt(1, "bins")
        && m.is_scalar()
    {
        st::histogram_rule(&x, &Bins::Count(1)).map_err(|e| a.op_err(e))?;
        let unknown = |dt| Kind::from(Meta::with_dims(vec![Dim::Unknown], dt));
        return Ok(Kind::Tuple(vec![
            ("counts".into(), unknown(DType::Int64)),
            (
                "edges".into(),
                unknown(if x.dtype == DType::Float32 {
                    DType::Float32
                } else {
                    DType::Float64
                }),
            ),
        ]));
    }
    let edges_meta;
    let bins = match hist_bins(a)? {
        Some(b) => b,
        None => {
            edges_meta = match a.opt(1, "bins") {
                Some((Value::Array(e), _)) => Meta::of(e),
                Some((Value::Shaped(m), _)) => m.clone(),
                _ => unreachable!("hist_bins saw an array"),
            };
            Bins::Edges(&edges_meta)
        }
    };
    let (c, e) = st::histogram_rule(&x, &bins).map_err(|e| a.op_err(e))?;
    Ok(Kind::Tuple(vec![
        ("counts".into(), c.into()),
        ("edges".into(), e.into()),
    ]))
}

fn histogram_run(a: &Args) -> EResult<Value> {
    let bins = match a.opt(1, "bins") {
        Some((Value::Array(x), _)) if !x.is_scalar() => BinsValue::Edges(x.clone()),
        _ => BinsValue::Count(a.opt_int(1, "bins")?.unwrap_or(10)),
    };
    let (c, e) = st::histogram(a.array(0)?, &bins, hist_range(a)?).map_err(|e| a.op_err(e))?;
    Ok(Value::Tuple(vec![
        ("counts".into(), Value::Array(c)),
        ("edges".into(), Value::Array(e)),
    ]))
}

fn bincount_weights(a: &Args) -> Option<&Value> {
    a.opt(1, "weights").map(|(v, _)| v)
}

fn bincount_rule(a: &Args) -> EResult<Kind> {
    let w = match bincount_weights(a) {
        Some(Value::Array(x)) => Some(Meta::of(x)),
        Some(Value::Shaped(m)) => Some(m.clone()),
        _ => None,
    };
    a.opt_int(2, "minlength")?;
    predicted(a, st::bincount_rule(&a.meta(0)?, w.as_ref()))
}

fn bincount_run(a: &Args) -> EResult<Value> {
    let w = match bincount_weights(a) {
        Some(Value::Array(x)) => Some(x),
        _ => None,
    };
    let min = a.opt_int(2, "minlength")?.unwrap_or(0);
    if min < 0 {
        return Err(a.error(
            ErrorKind::Domain,
            None,
            format!("minlength must not be negative, got {min}"),
            "",
        ));
    }
    done(a, st::bincount(a.array(0)?, w, min as usize, &a.limits))
}

fn cov_flags(a: &Args) -> EResult<(bool, bool, Option<f64>)> {
    Ok((
        a.kw_bool("rowvar", true)?,
        a.kw_bool("bias", false)?,
        a.kw_f64("ddof")?,
    ))
}

macro_rules! nan_fn {
    ($name:literal, $kind:expr, $sig:literal, $kws:tt, $summary:literal, $example:literal) => {
        builtin!(
            "statistics",
            $name,
            $sig,
            1,
            2,
            $kws,
            $summary,
            $example,
            rule: |a| nan_rule(a, $kind),
            run: |cx, a| nan_run(cx, a, $kind)
        )
    };
}

pub(super) static TABLE: &[Builtin] = &[
    builtin!(
        "statistics",
        "median",
        "median(x, axis=None, keepdims=false)",
        1,
        2,
        ["axis", "keepdims"],
        "The middle value (the mean of the two middle ones for an even count) of all elements or along axis; nan if the lane holds nan. Integers give float64.",
        "median([[1, 3, 2], [4, 6, 8]], axis=1)",
        rule: |a| quantile_rule(a, None),
        run: |_, a| quantile_run(a, None)
    ),
    builtin!(
        "statistics",
        "percentile",
        "percentile(x, q, axis=None, method=\"linear\", keepdims=false)",
        2,
        3,
        ["axis", "method", "keepdims"],
        "The q-th percentiles (q from 0 to 100, a number or an array, whose axes come first) of all elements or along axis. method: \"linear\" (NumPy's default) interpolates between the neighbours; \"lower\", \"higher\", \"nearest\" pick one (keeping the dtype); \"midpoint\" takes their mean.",
        "percentile([1, 2, 3, 4], [25, 50, 90])",
        rule: |a| quantile_rule(a, Some(100.0)),
        run: |_, a| quantile_run(a, Some(100.0))
    ),
    builtin!(
        "statistics",
        "quantile",
        "quantile(x, q, axis=None, method=\"linear\", keepdims=false)",
        2,
        3,
        ["axis", "method", "keepdims"],
        "The q-th quantiles (q from 0 to 1) as percentile computes them: quantile(x, 0.5) is percentile(x, 50).",
        "quantile([1, 2, 3, 4], 0.4, method=\"lower\")",
        rule: |a| quantile_rule(a, Some(1.0)),
        run: |_, a| quantile_run(a, Some(1.0))
    ),
    builtin!(
        "statistics",
        "average",
        "average(x, axis=None, weights=None, returned=false)",
        1,
        4,
        ["axis", "weights", "returned"],
        "The mean, or with weights sum(x·w)/sum(w) over all elements or along axis (weights of x's shape, or 1-D along axis). returned=true also gives the sum of the weights, as a tuple.",
        "average([1, 2, 4], weights=[3, 1, 0])",
        rule: average_rule,
        run: |_, a| average_run(a)
    ),
    builtin!(
        "statistics",
        "cov",
        "cov(m, rowvar=true, bias=false, ddof=None)",
        1,
        1,
        ["rowvar", "bias", "ddof"],
        "The covariance matrix of the variables in m's rows (columns with rowvar=false): divided by N-1, by N with bias=true, by N-ddof with ddof. One variable gives a number.",
        "cov([[0, 1, 2], [2, 1, 0.5]])",
        rule: |a| {
            let (rowvar, _, _) = cov_flags(a)?;
            predicted(a, st::cov_rule(&a.meta(0)?, rowvar))
        },
        run: |_, a| {
            let (rowvar, bias, ddof) = cov_flags(a)?;
            done(a, st::cov(a.array(0)?, rowvar, ddof, bias))
        }
    ),
    builtin!(
        "statistics",
        "corrcoef",
        "corrcoef(m, rowvar=true)",
        1,
        1,
        ["rowvar"],
        "Pearson's correlation coefficients of the variables in m's rows: cov normalized by the standard deviations, clipped to [-1, 1].",
        "corrcoef([[0, 1, 2], [2, 1, 0.5]])",
        rule: |a| predicted(a, st::cov_rule(&a.meta(0)?, a.kw_bool("rowvar", true)?)),
        run: |_, a| done(a, st::corrcoef(a.array(0)?, a.kw_bool("rowvar", true)?))
    ),
    nan_fn!(
        "ptp",
        NanReduce::Ptp,
        "ptp(x, axis=None, keepdims=false)",
        ["axis", "keepdims"],
        "Peak to peak: max - min over all elements or along axis; integers stay integers.",
        "ptp([[4, 9, 2], [1, 5, 3]], axis=1)"
    ),
    nan_fn!(
        "nansum",
        NanReduce::NanSum,
        "nansum(x, axis=None, keepdims=false)",
        ["axis", "keepdims"],
        "sum with nan counted as 0 (an all-nan lane sums to 0).",
        "nansum([1, nan, 2])"
    ),
    nan_fn!(
        "nanmean",
        NanReduce::NanMean,
        "nanmean(x, axis=None, keepdims=false)",
        ["axis", "keepdims"],
        "mean of the elements that are not nan; an all-nan lane gives nan with a warning.",
        "nanmean([1, nan, 2])"
    ),
    nan_fn!(
        "nanmax",
        NanReduce::NanMax,
        "nanmax(x, axis=None, keepdims=false)",
        ["axis", "keepdims"],
        "max ignoring nan; an all-nan lane gives nan with a warning (NumPy's RuntimeWarning).",
        "nanmax([[1, nan], [nan, nan]], axis=1)"
    ),
    nan_fn!(
        "nanmin",
        NanReduce::NanMin,
        "nanmin(x, axis=None, keepdims=false)",
        ["axis", "keepdims"],
        "min ignoring nan; an all-nan lane gives nan with a warning.",
        "nanmin([3, nan, 2])"
    ),
    nan_fn!(
        "nanstd",
        NanReduce::NanStd,
        "nanstd(x, axis=None, ddof=0, keepdims=false)",
        ["axis", "ddof", "keepdims"],
        "std of the elements that are not nan, divided by their count - ddof.",
        "nanstd([1, nan, 3], ddof=1)"
    ),
    builtin!(
        "statistics",
        "histogram",
        "histogram(x, bins=10, range=None)",
        1,
        3,
        ["bins", "range"],
        "Counts of all elements in bins: bins equal bins from the smallest to the largest value (or over range=[low, high]), or the given increasing edges. Returns (counts, edges) with numpy.histogram's edges; each bin holds its left edge, the last also its right edge.",
        "histogram([1, 2, 2, 3, 3, 3], bins=4)",
        rule: histogram_rule,
        run: |_, a| histogram_run(a)
    ),
    builtin!(
        "statistics",
        "bincount",
        "bincount(x, weights=None, minlength=0)",
        1,
        3,
        ["weights", "minlength"],
        "How often each of 0, 1, ..., max(x) occurs in the 1-D whole numbers x (or the sum of the weights there), at least minlength long. The length depends on the data, so the checker leaves it unknown.",
        "bincount([0, 1, 1, 3], minlength=5)",
        rule: bincount_rule,
        run: |_, a| bincount_run(a)
    ),
];
