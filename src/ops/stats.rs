//! NumPy's statistics: median, percentile and quantile (its five simple
//! methods), average with weights, cov and corrcoef, ptp, the NaN-ignoring
//! reductions, histogram and bincount. Each has its rule (metadata in,
//! metadata or a typed error out) and its kernel; the words are in
//! `eval/errors/stats.rs`. `histogram`'s equal-width edges and counting are
//! here once, for the plot module too.

use ndarray::{ArrayD, Axis, IxDyn};

use super::error::{OpError, OpResult};
use super::limits::{Limits, check_alloc};
use super::reduce::{Reduce, reduce, reduce_rule};
use super::shape::normalize_axis;
use crate::kernel::Exec;
use crate::value::{Array, C64, DType, Dim, Meta};

/// Why a statistics function refuses its arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum StatsError {
    /// A quantile of an empty lane (NumPy raises IndexError).
    EmptyLane,
    /// A quantile outside [0, 1] (`scale` 100 for percentiles).
    Quantile { q: f64, scale: f64 },
    /// `average`'s weights of another shape than the data.
    WeightsShape { data: Vec<Dim>, weights: Vec<Dim> },
    /// 1-D weights of another length than the axis, or without an axis.
    WeightsAxis { len: Dim, axis_len: Option<Dim> },
    /// Weights that sum to zero along a lane.
    WeightsZero,
    /// cov and corrcoef take one or two axes.
    CovRank { ndim: usize },
    /// histogram's `range` with the low end above the high one.
    HistRange { lo: f64, hi: f64 },
    /// histogram's range taken from data that holds NaN or infinities.
    HistNotFinite,
    /// histogram edges that do not increase.
    HistEdges,
    /// histogram with fewer than one bin.
    HistBins { bins: i64 },
    /// bincount of something other than a 1-D array of whole numbers.
    BincountInput { ndim: usize, dtype: DType },
    /// bincount of a negative number.
    BincountNegative { value: i64 },
    /// bincount's weights of another length than its input.
    BincountWeights { len: usize, weights: usize },
}

fn fail(arg: usize, err: StatsError) -> OpError {
    OpError::Stats {
        err,
        arg: Some(arg),
    }
}

/// Axis `axis` of an `ndim`-axis array, or every element for `None`.
fn resolve(axis: Option<i64>, ndim: usize) -> OpResult<Option<usize>> {
    match axis {
        None => Ok(None),
        Some(k) => normalize_axis(k, ndim)
            .map(Some)
            .map_err(|_| OpError::Axis {
                axis: k,
                ndim,
                arg: None,
            }),
    }
}

/// The shape after reducing `ax` (keeping it as 1 with `keepdims`).
fn reduced<T: Clone>(shape: &[T], ax: Option<usize>, keepdims: bool, one: T) -> Vec<T> {
    match (ax, keepdims) {
        (None, false) => vec![],
        (None, true) => vec![one; shape.len()],
        (Some(k), false) => [&shape[..k], &shape[k + 1..]].concat(),
        (Some(k), true) => [&shape[..k], &[one], &shape[k + 1..]].concat(),
    }
}

/// The lanes of `a` along `ax` (or all elements as one lane), each as a
/// vector, in the row-major order of the result.
fn lanes<T: Copy>(a: &ArrayD<T>, ax: Option<usize>) -> Vec<Vec<T>> {
    match ax {
        None => vec![a.iter().copied().collect()],
        Some(k) => a.lanes(Axis(k)).into_iter().map(|l| l.to_vec()).collect(),
    }
}

fn shaped<T>(shape: &[usize], v: Vec<T>) -> ArrayD<T> {
    ArrayD::from_shape_vec(IxDyn(shape), v).expect("one value per element")
}

/// Real values of an array, for the functions that order them; complex
/// numbers have no order here.
fn reals(op: &str, a: &Array) -> OpResult<ArrayD<f64>> {
    if a.dtype() == DType::Complex128 {
        return Err(OpError::dtype(op, DType::Complex128));
    }
    Ok(a.to_f64_array().expect("real dtypes widen to float64"))
}

/// A float64 result as `dtype` (float32 rounds; others stay float64).
fn as_dtype(a: ArrayD<f64>, dtype: DType) -> Array {
    match dtype {
        DType::Float32 => Array::F32(a.mapv(|x| x as f32)),
        _ => Array::F64(a),
    }
}

// ------------------------------------------------------------ quantiles

/// NumPy's quantile methods that tensorcalc has (the default is linear).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Linear,
    Lower,
    Higher,
    Nearest,
    Midpoint,
}

impl Method {
    pub const NAMES: [&'static str; 5] = ["linear", "lower", "higher", "nearest", "midpoint"];

    pub fn from_name(s: &str) -> Option<Method> {
        Some(match s {
            "linear" => Method::Linear,
            "lower" => Method::Lower,
            "higher" => Method::Higher,
            "nearest" => Method::Nearest,
            "midpoint" => Method::Midpoint,
            _ => return None,
        })
    }

    /// Lower, higher and nearest pick an element, so they keep its dtype.
    fn picks(self) -> bool {
        matches!(self, Method::Lower | Method::Higher | Method::Nearest)
    }
}

/// median, or percentile/quantile with `q` (scaled by `scale`: 100 or 1).
pub struct Quantile<'a> {
    pub q: Option<&'a Meta>,
    pub scale: f64,
    pub method: Method,
    pub axis: Option<i64>,
    pub keepdims: bool,
}

/// The rule of median, percentile and quantile: q's shape, then the
/// reduced shape. Integers give float64; float32 stays float32 when q is a
/// scalar or float32 (NumPy 2 divides q by float32(100)); the picking
/// methods keep the dtype.
pub fn quantile_rule(x: &Meta, p: &Quantile) -> OpResult<Meta> {
    let op = if p.q.is_none() { "median" } else { "quantile" };
    if x.dtype == DType::Complex128 || p.q.is_some_and(|q| q.dtype == DType::Complex128) {
        return Err(OpError::dtype(op, DType::Complex128));
    }
    if x.dtype == DType::Bool && p.q.is_some() && !p.method.picks() {
        return Err(OpError::dtype(op, DType::Bool));
    }
    let ax = resolve(p.axis, x.ndim())?;
    let empty_lane = match ax {
        None => x.shape.contains(&Dim::Known(0)),
        Some(k) => x.shape[k] == Dim::Known(0),
    };
    if p.q.is_some() && empty_lane {
        return Err(fail(0, StatsError::EmptyLane));
    }
    let mut shape = p.q.map_or(vec![], |q| q.shape.clone());
    shape.extend(reduced(&x.shape, ax, p.keepdims, Dim::Known(1)));
    let q_keeps_f32 =
        p.q.is_none_or(|q| q.is_scalar() || q.dtype == DType::Float32);
    let dtype = if p.q.is_some() && p.method.picks() {
        x.dtype
    } else if x.dtype == DType::Float32 && q_keeps_f32 {
        DType::Float32
    } else {
        DType::Float64
    };
    Ok(Meta::with_dims(shape, dtype))
}

/// The precision NumPy interpolates float32 data in: the difference of
/// two float32 elements is float32; the rest is float32 too when the
/// result is (q a scalar or float32), float64 otherwise.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Precision {
    F64,
    F32Diff,
    F32,
}

/// NumPy's `_lerp`: exact at both ends, from the nearer end.
fn lerp(a: f64, b: f64, t: f64, p: Precision) -> f64 {
    if p == Precision::F32 {
        let (a, b, t) = (a as f32, b as f32, t as f32);
        let d = b - a;
        return f64::from(if t >= 0.5 {
            b - d * (1.0 - t)
        } else {
            a + d * t
        });
    }
    let d = if p == Precision::F32Diff {
        f64::from(b as f32 - a as f32)
    } else {
        b - a
    };
    if t >= 0.5 {
        b - d * (1.0 - t)
    } else {
        a + d * t
    }
}

/// The q-th quantile of a sorted lane without NaN, by `method`.
fn quantile_of(sorted: &[f64], q: f64, method: Method, p: Precision) -> f64 {
    let n = sorted.len();
    let last = n - 1;
    let v = (n - 1) as f64 * q;
    let at = |i: f64| sorted[(i.max(0.0) as usize).min(last)];
    match method {
        Method::Lower => at(v.floor()),
        Method::Higher => at(v.ceil()),
        Method::Nearest => at(v.round_ties_even()),
        Method::Linear | Method::Midpoint => {
            let lo = v.floor();
            let gamma = match method {
                Method::Midpoint if v.fract() != 0.0 => 0.5,
                Method::Midpoint => 0.0,
                _ => v - lo,
            };
            lerp(at(lo), at(lo + 1.0), gamma, p)
        }
    }
}

/// median(x), percentile(x, q) and quantile(x, q). A lane with NaN gives
/// NaN; median of an empty lane is NaN, quantiles refuse it (NumPy raises).
pub fn quantile(x: &Array, q: Option<&Array>, p: &Quantile) -> OpResult<Array> {
    let qm = q.map(Meta::of);
    let out = quantile_rule(
        &Meta::of(x),
        &Quantile {
            q: qm.as_ref(),
            ..*p
        },
    )?;
    let op = if q.is_none() { "median" } else { "quantile" };
    let data = reals(op, x)?;
    let qs: Vec<f64> = match q {
        None => vec![0.5],
        Some(q) => reals(op, q)?.iter().map(|&v| v / p.scale).collect(),
    };
    if let Some(&bad) = qs.iter().find(|v| !(0.0..=1.0).contains(*v)) {
        return Err(fail(
            1,
            StatsError::Quantile {
                q: bad * p.scale,
                scale: p.scale,
            },
        ));
    }
    let ax = resolve(p.axis, x.ndim())?;
    let mut lanes = lanes(&data, ax);
    for l in &mut lanes {
        l.sort_by(f64::total_cmp);
    }
    let precision = match (x.dtype(), out.dtype) {
        (DType::Float32, DType::Float32) => Precision::F32,
        (DType::Float32, _) => Precision::F32Diff,
        _ => Precision::F64,
    };
    // For each q, every lane: q's axes come first in the result.
    let mut values = Vec::with_capacity(qs.len() * lanes.len());
    for &qv in &qs {
        for l in &lanes {
            values.push(match l.last() {
                None => f64::NAN,
                Some(v) if v.is_nan() => f64::NAN,
                // median is the mean of the middle one or two.
                Some(_) if q.is_none() => {
                    let m = l.len() / 2;
                    if l.len() % 2 == 1 {
                        l[m]
                    } else {
                        (l[m - 1] + l[m]) / 2.0
                    }
                }
                Some(_) => quantile_of(l, qv, p.method, precision),
            });
        }
    }
    let shape = out.concrete().expect("arrays have known lengths");
    let r = shaped(&shape, values);
    Ok(match out.dtype {
        DType::Bool => Array::Bool(r.mapv(|v| v != 0.0)),
        DType::Int64 => Array::Int(r.mapv(|v| v as i64)),
        dt => as_dtype(r, dt),
    })
}

// ------------------------------------------------------------ average

/// The dtype of a mean of `a` weighted by `w`: float64 unless both are
/// float32 (or complex when either is).
fn mean_dtype(a: DType, w: Option<DType>) -> DType {
    let all = [Some(a), w];
    if all.contains(&Some(DType::Complex128)) {
        DType::Complex128
    } else if all.iter().flatten().all(|&d| d == DType::Float32) {
        DType::Float32
    } else {
        DType::Float64
    }
}

/// The rule of `average(a, axis, weights)`: weights of a's shape, or 1-D
/// along the axis; the result as mean's (with `returned`, the sum of the
/// weights beside it, of the same shape and dtype).
pub fn average_rule(a: &Meta, axis: Option<i64>, w: Option<&Meta>) -> OpResult<Meta> {
    let ax = resolve(axis, a.ndim())?;
    if let Some(w) = w {
        let same = w.ndim() == a.ndim() && w.shape.iter().zip(&a.shape).all(|(x, y)| !x.clash(y));
        if !same {
            match (ax, w.ndim()) {
                (Some(k), 1) => {
                    if w.shape[0].clash(&a.shape[k]) {
                        return Err(fail(
                            2,
                            StatsError::WeightsAxis {
                                len: w.shape[0].clone(),
                                axis_len: Some(a.shape[k].clone()),
                            },
                        ));
                    }
                }
                (None, 1) if a.ndim() > 1 => {
                    return Err(fail(
                        2,
                        StatsError::WeightsAxis {
                            len: w.shape[0].clone(),
                            axis_len: None,
                        },
                    ));
                }
                _ => {
                    return Err(fail(
                        2,
                        StatsError::WeightsShape {
                            data: a.shape.clone(),
                            weights: w.shape.clone(),
                        },
                    ));
                }
            }
        }
    }
    // A lane of no weights sums to zero whatever the values: a shape fact.
    let empty_lane = match ax {
        None => a.shape.contains(&Dim::Known(0)),
        Some(k) => a.shape[k] == Dim::Known(0),
    };
    if w.is_some() && empty_lane {
        return Err(fail(2, StatsError::WeightsZero));
    }
    let shape = reduced(&a.shape, ax, false, Dim::Known(1));
    Ok(Meta::with_dims(
        shape,
        mean_dtype(a.dtype, w.map(|w| w.dtype)),
    ))
}

/// `average`: the mean, or sum(a·w)/sum(w) along the axis; also returns
/// the sum of the weights (the count without weights) for `returned`.
pub fn average(
    a: &Array,
    axis: Option<i64>,
    w: Option<&Array>,
    exec: &Exec,
) -> OpResult<(Array, Array)> {
    let out = average_rule(&Meta::of(a), axis, w.map(Meta::of).as_ref())?;
    let ax = resolve(axis, a.ndim())?;
    let shape = out.concrete().expect("known");
    let Some(w) = w else {
        let m = reduce(Reduce::Mean, a, axis, false, 0.0, exec)?;
        let count = match ax {
            Some(k) => a.shape()[k],
            None => a.len(),
        } as f64;
        let m = if out.dtype == DType::Complex128 || m.dtype() == out.dtype {
            m
        } else {
            m.widen(out.dtype)
        };
        let c = ArrayD::from_elem(IxDyn(&shape), count);
        let c = match out.dtype {
            DType::Complex128 => Array::C128(c.mapv(|v| C64::new(v, 0.0))),
            dt => as_dtype(c, dt),
        };
        return Ok((m, c));
    };
    let av = a.to_c64_array();
    let mut wv = w.to_c64_array();
    if wv.ndim() != av.ndim() {
        // 1-D weights along the axis: stretch them to a's shape.
        let k = ax.expect("the rule checked the axis");
        let mut s = vec![1; av.ndim()];
        s[k] = wv.len();
        let w1 = wv.into_shape_with_order(IxDyn(&s)).expect("1-D");
        wv = w1.broadcast(av.raw_dim()).expect("same axis").to_owned();
    }
    let prods = lanes(&(&av * &wv), ax);
    let ws = lanes(&wv, ax);
    let mut avg = Vec::with_capacity(ws.len());
    let mut sums = Vec::with_capacity(ws.len());
    for (p, w) in prods.iter().zip(&ws) {
        let sw: C64 = w.iter().sum();
        if sw == C64::new(0.0, 0.0) {
            return Err(fail(2, StatsError::WeightsZero));
        }
        avg.push(p.iter().sum::<C64>() / sw);
        sums.push(sw);
    }
    let finish = |v: Vec<C64>| match out.dtype {
        DType::Complex128 => Array::C128(shaped(&shape, v)),
        dt => as_dtype(shaped(&shape, v.iter().map(|z| z.re).collect()), dt),
    };
    Ok((finish(avg), finish(sums)))
}

// ------------------------------------------------------------ cov

/// The rule of cov and corrcoef: variables × variables (0-d for one
/// variable), float64 unless complex.
pub fn cov_rule(m: &Meta, rowvar: bool) -> OpResult<Meta> {
    if m.ndim() > 2 {
        return Err(fail(0, StatsError::CovRank { ndim: m.ndim() }));
    }
    let dtype = if m.dtype == DType::Complex128 {
        DType::Complex128
    } else {
        DType::Float64
    };
    let vars = match (m.ndim(), transposes(m, rowvar)) {
        (0 | 1, _) => Dim::Known(1),
        (_, false) => m.shape[0].clone(),
        (_, true) => m.shape[1].clone(),
    };
    let shape = if vars == Dim::Known(1) {
        vec![]
    } else {
        vec![vars.clone(), vars]
    };
    Ok(Meta::with_dims(shape, dtype))
}

/// Whether cov reads the variables from the columns: with rowvar false,
/// unless the matrix has one row (NumPy transposes only then).
fn transposes(m: &Meta, rowvar: bool) -> bool {
    !rowvar && m.ndim() == 2 && !m.shape[0].is_one()
}

/// numpy.cov: rows are variables (columns with `rowvar` false); the
/// divisor is N - ddof, ddof 1 by default and 0 with `bias`.
pub fn cov(m: &Array, rowvar: bool, ddof: Option<f64>, bias: bool) -> OpResult<Array> {
    let out = cov_rule(&Meta::of(m), rowvar)?;
    let x = m.to_c64_array();
    let x = match (x.ndim(), transposes(&Meta::of(m), rowvar)) {
        (0 | 1, _) => x.into_shape_with_order(IxDyn(&[1, m.len()])).expect("1-D"),
        (_, false) => x,
        (_, true) => x.reversed_axes(),
    };
    let (vars, n) = (x.shape()[0], x.shape()[1]);
    let ddof = ddof.unwrap_or(if bias { 0.0 } else { 1.0 });
    let rows: Vec<Vec<C64>> = (0..vars)
        .map(|i| {
            let r = x.index_axis(Axis(0), i);
            let mean = r.iter().sum::<C64>() / n as f64;
            r.iter().map(|&v| v - mean).collect()
        })
        .collect();
    let fact = n as f64 - ddof;
    let mut c = Vec::with_capacity(vars * vars);
    for a in &rows {
        for b in &rows {
            let s: C64 = a.iter().zip(b).map(|(p, q)| p * q.conj()).sum();
            c.push(s / fact);
        }
    }
    let shape = out.concrete().expect("known");
    Ok(match out.dtype {
        DType::Complex128 => Array::C128(shaped(&shape, c)),
        _ => Array::F64(shaped(&shape, c.iter().map(|z| z.re).collect())),
    })
}

/// numpy.corrcoef: cov divided by the outer product of the standard
/// deviations, real parts clipped to [-1, 1].
pub fn corrcoef(m: &Array, rowvar: bool) -> OpResult<Array> {
    let c = cov(m, rowvar, None, false)?.to_c64_array();
    if c.ndim() == 0 {
        let v = c[IxDyn(&[])];
        // NumPy's c / c: 1, or nan for a zero or nan variance.
        let r = super::cmath::div(v, v);
        return Ok(if m.dtype() == DType::Complex128 {
            Array::scalar_c64(r)
        } else {
            Array::scalar_f64(r.re)
        });
    }
    let k = c.shape()[0];
    let d: Vec<f64> = (0..k).map(|i| c[[i, i]].re.sqrt()).collect();
    let mut r = c.clone();
    for i in 0..k {
        for j in 0..k {
            let v = c[[i, j]] / d[i] / d[j];
            r[[i, j]] = C64::new(v.re.clamp(-1.0, 1.0), v.im);
            if v.re.is_nan() {
                r[[i, j]].re = f64::NAN;
            }
        }
    }
    Ok(if m.dtype() == DType::Complex128 {
        Array::C128(r)
    } else {
        Array::F64(r.mapv(|z| z.re))
    })
}

// ------------------------------------------------------------ ptp, nan*

/// The NaN-ignoring reductions and ptp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NanReduce {
    Ptp,
    NanSum,
    NanMean,
    NanMax,
    NanMin,
    NanStd,
}

impl NanReduce {
    /// The plain reduction that gives the result's metadata (and the
    /// result itself for integers, which hold no NaN).
    fn plain(self) -> Reduce {
        match self {
            NanReduce::Ptp | NanReduce::NanMax => Reduce::Max,
            NanReduce::NanSum => Reduce::Sum,
            NanReduce::NanMean => Reduce::Mean,
            NanReduce::NanMin => Reduce::Min,
            NanReduce::NanStd => Reduce::Std,
        }
    }
}

/// The rule: the plain reduction's (ptp of bool refuses as NumPy's
/// subtraction of booleans does).
pub fn nan_rule(kind: NanReduce, x: &Meta, axis: Option<i64>, keepdims: bool) -> OpResult<Meta> {
    if kind == NanReduce::Ptp && x.dtype == DType::Bool {
        return Err(OpError::dtype("ptp", DType::Bool));
    }
    reduce_rule(kind.plain(), x, axis, keepdims)
}

/// The reduction, and whether a lane had no number (NumPy's RuntimeWarning
/// "All-NaN slice encountered" or "Mean of empty slice").
pub fn nan_reduce(
    kind: NanReduce,
    x: &Array,
    axis: Option<i64>,
    keepdims: bool,
    ddof: f64,
    exec: &Exec,
) -> OpResult<(Array, bool)> {
    let meta = nan_rule(kind, &Meta::of(x), axis, keepdims)?;
    if kind == NanReduce::Ptp {
        let hi = reduce(Reduce::Max, x, axis, keepdims, 0.0, exec)?;
        let lo = reduce(Reduce::Min, x, axis, keepdims, 0.0, exec)?;
        let d = super::arith::binary(crate::syntax::BinOp::Sub, &hi, &lo, exec)?;
        return Ok((d, false));
    }
    let is_float = matches!(
        x.dtype(),
        DType::Float32 | DType::Float64 | DType::Complex128
    );
    if !is_float {
        return Ok((reduce(kind.plain(), x, axis, keepdims, ddof, exec)?, false));
    }
    let ax = resolve(axis, x.ndim())?;
    let nan_at = |a: &Array| -> ArrayD<bool> {
        crate::with_array!(a, v => v.mapv(|e| crate::value::Elem::to_c64(e).is_nan()))
    };
    let mask = nan_at(x);
    let zeroed = replace_nan(x, 0.0);
    let counts = lanes(&mask, ax)
        .iter()
        .map(|l| l.iter().filter(|&&m| !m).count())
        .collect::<Vec<_>>();
    let empty = counts.contains(&0);
    let shape = meta.concrete().expect("known");
    match kind {
        NanReduce::NanSum => Ok((
            reduce(Reduce::Sum, &zeroed, axis, keepdims, 0.0, exec)?,
            false,
        )),
        NanReduce::NanMean | NanReduce::NanStd => {
            let tot = reduce(Reduce::Sum, &zeroed, axis, keepdims, 0.0, exec)?.to_c64_array();
            let cnt = shaped(&shape, counts.iter().map(|&c| c as f64).collect());
            let avg = tot
                .iter()
                .zip(cnt.iter())
                .map(|(t, c)| t / c)
                .collect::<Vec<C64>>();
            if kind == NanReduce::NanMean {
                return Ok((finish_c(x.dtype(), &shape, avg), empty));
            }
            // Deviations from each lane's mean, NaN places as 0.
            let avg_k = shaped(&reduced(x.shape(), ax, true, 1), avg);
            let dev = &zeroed.to_c64_array() - &avg_k;
            let sq = dev
                .iter()
                .zip(&mask)
                .map(|(d, &m)| if m { 0.0 } else { d.norm_sqr() })
                .collect::<Vec<f64>>();
            let sq = Array::F64(shaped(x.shape(), sq));
            let ss = reduce(Reduce::Sum, &sq, axis, keepdims, 0.0, exec)?
                .to_f64_array()
                .expect("real");
            let var = ss
                .iter()
                .zip(cnt.iter())
                .map(|(s, c)| {
                    let dof = c - ddof;
                    if dof <= 0.0 {
                        f64::NAN
                    } else {
                        (s / dof).sqrt()
                    }
                })
                .collect::<Vec<f64>>();
            let dt = if x.dtype() == DType::Float32 {
                DType::Float32
            } else {
                DType::Float64
            };
            let bad = counts.iter().any(|&c| c as f64 - ddof <= 0.0);
            Ok((as_dtype(shaped(&shape, var), dt), bad))
        }
        NanReduce::NanMax | NanReduce::NanMin => {
            let data = reals(
                if kind == NanReduce::NanMax {
                    "nanmax"
                } else {
                    "nanmin"
                },
                x,
            )?;
            let vals = lanes(&data, ax)
                .iter()
                .map(|l| {
                    l.iter()
                        .filter(|v| !v.is_nan())
                        .copied()
                        .reduce(|a, b| {
                            if kind == NanReduce::NanMax {
                                a.max(b)
                            } else {
                                a.min(b)
                            }
                        })
                        .unwrap_or(f64::NAN)
                })
                .collect::<Vec<f64>>();
            if lanes(&data, ax).iter().any(|l| l.is_empty()) {
                return Err(OpError::Reduce {
                    err: super::reduce::ReduceError::Empty { kind: kind.plain() },
                    arg: Some(0),
                });
            }
            Ok((as_dtype(shaped(&shape, vals), x.dtype()), empty))
        }
        NanReduce::Ptp => unreachable!("handled above"),
    }
}

fn finish_c(dtype: DType, shape: &[usize], v: Vec<C64>) -> Array {
    match dtype {
        DType::Complex128 => Array::C128(shaped(shape, v)),
        dt => as_dtype(shaped(shape, v.iter().map(|z| z.re).collect()), dt),
    }
}

/// `x` with its NaN elements replaced by `v` (NumPy's `_replace_nan`).
fn replace_nan(x: &Array, v: f64) -> Array {
    match x {
        Array::F32(a) => Array::F32(a.mapv(|e| if e.is_nan() { v as f32 } else { e })),
        Array::F64(a) => Array::F64(a.mapv(|e| if e.is_nan() { v } else { e })),
        Array::C128(a) => Array::C128(a.mapv(|e| if e.is_nan() { C64::new(v, 0.0) } else { e })),
        other => other.clone(),
    }
}

// ------------------------------------------------------------ histogram

/// histogram's bins: a count of equal bins, or the edges themselves.
pub enum Bins<'a> {
    Count(i64),
    Edges(&'a Meta),
}

/// The rule of histogram: counts (int64) and edges (float64, float32 for
/// float32 data with equal bins, the given edges' dtype otherwise).
pub fn histogram_rule(x: &Meta, bins: &Bins) -> OpResult<(Meta, Meta)> {
    if x.dtype == DType::Complex128 {
        return Err(OpError::dtype("histogram", DType::Complex128));
    }
    match bins {
        Bins::Count(n) if *n < 1 => Err(fail(1, StatsError::HistBins { bins: *n })),
        Bins::Count(n) => {
            let n = *n as usize;
            let dt = if x.dtype == DType::Float32 {
                DType::Float32
            } else {
                DType::Float64
            };
            Ok((Meta::new(&[n], DType::Int64), Meta::new(&[n + 1], dt)))
        }
        Bins::Edges(e) => {
            if e.ndim() != 1 || e.dtype == DType::Complex128 {
                return Err(fail(1, StatsError::HistEdges));
            }
            let counts = Dim::sub(&e.shape[0], &Dim::Known(1));
            Ok((Meta::with_dims(vec![counts], DType::Int64), (*e).clone()))
        }
    }
}

/// The lowest and highest value, widened by 0.5 each way when equal (and
/// (0, 1) for no values), as numpy.histogram takes its range.
pub fn data_range(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 1.0);
    }
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    if lo == hi {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

/// numpy.linspace's edges of `bins` equal bins: lo + i·step, the last
/// exactly hi.
pub fn equal_edges(lo: f64, hi: f64, bins: usize) -> Vec<f64> {
    let step = (hi - lo) / bins as f64;
    let mut edges: Vec<f64> = (0..=bins).map(|i| i as f64 * step + lo).collect();
    edges[bins] = hi;
    edges
}

/// Counts of `values` in equal bins with these `edges` as numpy.histogram
/// counts them: the index from the value, corrected against the edges;
/// values outside [first, last] (and NaN) are not counted.
pub fn count_equal(values: &[f64], edges: &[f64]) -> Vec<u64> {
    let bins = edges.len() - 1;
    let (lo, hi) = (edges[0], edges[bins]);
    let mut counts = vec![0u64; bins];
    for &v in values {
        if !(v >= lo && v <= hi) {
            continue;
        }
        let mut k = (((v - lo) / (hi - lo)) * bins as f64) as usize;
        if k == bins {
            k -= 1;
        }
        if v < edges[k] {
            k -= 1;
        } else if k != bins - 1 && v >= edges[k + 1] {
            k += 1;
        }
        counts[k] += 1;
    }
    counts
}

/// numpy.histogram: (counts, edges).
pub fn histogram(
    x: &Array,
    bins: &BinsValue,
    range: Option<(f64, f64)>,
) -> OpResult<(Array, Array)> {
    let values: Vec<f64> = reals("histogram", x)?.iter().copied().collect();
    match bins {
        BinsValue::Count(n) => {
            histogram_rule(&Meta::of(x), &Bins::Count(*n))?;
            let (lo, hi) = match range {
                Some((lo, hi)) if lo > hi => {
                    return Err(fail(2, StatsError::HistRange { lo, hi }));
                }
                Some((lo, hi)) if !(lo.is_finite() && hi.is_finite()) => {
                    return Err(fail(2, StatsError::HistNotFinite));
                }
                Some((lo, hi)) if lo == hi => (lo - 0.5, hi + 0.5),
                Some(r) => r,
                None => {
                    let (lo, hi) = data_range(&values);
                    if values.iter().any(|v| v.is_nan()) || !(lo.is_finite() && hi.is_finite()) {
                        return Err(fail(0, StatsError::HistNotFinite));
                    }
                    (lo, hi)
                }
            };
            let n = *n as usize;
            let (edges, counts) = if x.dtype() == DType::Float32 {
                // NumPy computes float32 data's edges in float32.
                let (l, h) = (lo as f32, hi as f32);
                let step = (h - l) / n as f32;
                let mut e: Vec<f32> = (0..=n).map(|i| i as f32 * step + l).collect();
                e[n] = h;
                let e64: Vec<f64> = e.iter().map(|&v| v as f64).collect();
                (Array::F32(shaped(&[n + 1], e)), count_equal(&values, &e64))
            } else {
                let e = equal_edges(lo, hi, n);
                let c = count_equal(&values, &e);
                (Array::F64(shaped(&[n + 1], e)), c)
            };
            let counts = counts.iter().map(|&c| c as i64).collect();
            Ok((Array::Int(shaped(&[n], counts)), edges))
        }
        BinsValue::Edges(e) => {
            histogram_rule(&Meta::of(x), &Bins::Edges(&Meta::of(e)))?;
            let ev: Vec<f64> = reals("histogram", e)?.iter().copied().collect();
            if ev.is_empty()
                || ev
                    .windows(2)
                    .any(|w| w[1] < w[0] || w[0].is_nan() || w[1].is_nan())
            {
                return Err(fail(1, StatsError::HistEdges));
            }
            let last = ev.len() - 1;
            let mut counts = vec![0i64; last];
            for &v in &values {
                if v.is_nan() || v < ev[0] || v > ev[last] {
                    continue;
                }
                // The bin whose left edge is the last one <= v; the last
                // bin also holds its right edge.
                if last > 0 {
                    let k = ev.partition_point(|&b| b <= v);
                    counts[(k - 1).min(last - 1)] += 1;
                }
            }
            Ok((Array::Int(shaped(&[last], counts)), e.clone()))
        }
    }
}

/// histogram's bins as evaluation has them.
pub enum BinsValue {
    Count(i64),
    Edges(Array),
}

// ------------------------------------------------------------ bincount

/// The rule of bincount: 1-D whole numbers in; the length depends on the
/// largest value, so it is unknown here; float64 with weights, else int64.
pub fn bincount_rule(x: &Meta, weights: Option<&Meta>) -> OpResult<Meta> {
    let whole = matches!(x.dtype, DType::Bool | DType::Int64);
    if x.ndim() != 1 || !whole {
        return Err(fail(
            0,
            StatsError::BincountInput {
                ndim: x.ndim(),
                dtype: x.dtype,
            },
        ));
    }
    if let Some(w) = weights {
        if w.dtype == DType::Complex128 {
            return Err(OpError::dtype("bincount", DType::Complex128));
        }
        if w.ndim() != 1 || w.shape[0].clash(&x.shape[0]) {
            return Err(fail(
                1,
                StatsError::BincountWeights {
                    len: x.shape[0].value().unwrap_or(0),
                    weights: w.shape.first().and_then(Dim::value).unwrap_or(0),
                },
            ));
        }
    }
    let dtype = if weights.is_some() {
        DType::Float64
    } else {
        DType::Int64
    };
    Ok(Meta::with_dims(vec![Dim::Unknown], dtype))
}

/// numpy.bincount: how often each of 0..=max(x) occurs (or the sum of the
/// weights there), at least `minlength` long.
pub fn bincount(
    x: &Array,
    weights: Option<&Array>,
    minlength: usize,
    limits: &Limits,
) -> OpResult<Array> {
    bincount_rule(&Meta::of(x), weights.map(Meta::of).as_ref())?;
    let v = x.to_i64_array().expect("whole numbers");
    if let Some(&neg) = v.iter().find(|&&n| n < 0) {
        return Err(fail(0, StatsError::BincountNegative { value: neg }));
    }
    let len = v
        .iter()
        .map(|&n| n as usize + 1)
        .max()
        .unwrap_or(0)
        .max(minlength);
    match weights {
        None => {
            check_alloc(&[len], DType::Int64, limits)?;
            let mut c = vec![0i64; len];
            for &n in &v {
                c[n as usize] += 1;
            }
            Ok(Array::Int(shaped(&[len], c)))
        }
        Some(w) => {
            check_alloc(&[len], DType::Float64, limits)?;
            let w = w.to_f64_array().expect("real weights");
            let mut c = vec![0f64; len];
            for (&n, &wt) in v.iter().zip(w.iter()) {
                c[n as usize] += wt;
            }
            Ok(Array::F64(shaped(&[len], c)))
        }
    }
}

#[cfg(test)]
mod tests {
    //! Expected values come from NumPy 2.4.
    use super::*;

    fn f64s(shape: &[usize], v: Vec<f64>) -> Array {
        Array::F64(shaped(shape, v))
    }

    fn vals(a: &Array) -> Vec<f64> {
        a.to_f64_array().unwrap().iter().copied().collect()
    }

    #[test]
    fn quantile_methods_follow_numpy() {
        let x = f64s(&[4], vec![1.0, 2.0, 3.0, 4.0]);
        let q = Array::scalar_f64(40.0);
        let run = |m| {
            let p = Quantile {
                q: None,
                scale: 100.0,
                method: m,
                axis: None,
                keepdims: false,
            };
            vals(&quantile(&x, Some(&q), &p).unwrap())[0]
        };
        // np.percentile([1, 2, 3, 4], 40, method=...)
        assert!((run(Method::Linear) - 2.2).abs() < 1e-15);
        assert_eq!(run(Method::Lower), 2.0);
        assert_eq!(run(Method::Higher), 3.0);
        assert_eq!(run(Method::Nearest), 2.0);
        assert_eq!(run(Method::Midpoint), 2.5);
    }

    #[test]
    fn histogram_edges_and_counts_follow_numpy() {
        // np.histogram([1, 2, 2, 3, 3, 3, 4, 4, 5], bins=5)
        let x = f64s(&[9], vec![1., 2., 2., 3., 3., 3., 4., 4., 5.]);
        let (c, e) = histogram(&x, &BinsValue::Count(5), None).unwrap();
        assert_eq!(vals(&c), [1.0, 2.0, 3.0, 2.0, 1.0]);
        assert_eq!(vals(&e), [1.0, 1.8, 2.6, 3.4000000000000004, 4.2, 5.0]);
        // Given edges: the last bin holds its right edge.
        let edges = f64s(&[3], vec![0.0, 2.0, 5.0]);
        let (c, _) = histogram(&x, &BinsValue::Edges(edges), None).unwrap();
        assert_eq!(vals(&c), [1.0, 8.0]);
    }

    #[test]
    fn bincount_length_is_the_largest_value_plus_one() {
        let x = Array::Int(shaped(&[3], vec![0, 3, 3]));
        let r = bincount(&x, None, 2, &Limits::default()).unwrap();
        assert_eq!(vals(&r), [1.0, 0.0, 0.0, 2.0]);
        let neg = Array::Int(shaped(&[1], vec![-1]));
        assert!(bincount(&neg, None, 0, &Limits::default()).is_err());
    }
}
