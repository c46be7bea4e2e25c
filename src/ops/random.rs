//! NumPy's legacy random streams: the MT19937 generator seeded as
//! `np.random.seed(n)` seeds it, and RandomState's algorithms for
//! `rand randn randint uniform normal choice permutation shuffle`, so that
//! `seed(0); rand(3)` prints what `np.random.seed(0); np.random.rand(3)`
//! prints, to the last bit. Each operation has its rule (`*_rule`), and the
//! generator belongs to one session (it travels in `Ctx`), never to the
//! process.
//!
//! The algorithms follow numpy/random: `_mt19937.pyx` (`_legacy_seeding`),
//! `src/mt19937/mt19937.c`, `src/legacy/legacy-distributions.c`
//! (`legacy_gauss`), `src/distributions/distributions.c`
//! (`random_bounded_uint64` with `use_masked`, `random_interval`) and
//! `mtrand.pyx` (`choice`, `permutation`, `shuffle`).

use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use ndarray::{ArrayD, Axis, IxDyn};

use super::broadcast::{broadcast_dims, broadcast_shapes, can_broadcast_to};
use super::error::{OpError, OpResult};
use super::limits::{Limits, check_meta};
use crate::map_array;
use crate::value::{Array, DType, Dim, Meta};

const N: usize = 624;
const M: usize = 397;

/// Why a random function refuses its arguments: the facts only; the words
/// are in `eval/errors/random.rs`.
#[derive(Clone, Debug, PartialEq)]
pub enum RandomError {
    /// A seed outside 0..=2^32-1.
    SeedRange { value: i64 },
    /// `seed([])`.
    SeedEmpty,
    /// A seed that is not a number or a vector of whole numbers.
    SeedShape { shape: Vec<Dim> },
    /// `randint` with an empty range (`low >= high`).
    EmptyRange { low: i64, high: i64 },
    /// `randint` bounds outside the range of its `dtype=`.
    BoundOutOfRange {
        low: i64,
        high: i64,
        dtype: &'static str,
    },
    /// A parameter that must be real (a complex one).
    ComplexParam,
    /// A parameter that must be whole numbers (randint's bounds).
    FractionalBound { value: f64 },
    /// `normal` with a negative standard deviation.
    NegativeScale { value: f64 },
    /// `uniform` whose `high - low` is not finite.
    RangeNotFinite { low: f64, high: f64 },
    /// `size=` that the parameters' broadcast shape does not fit.
    SizeMismatch { size: Vec<usize>, params: Vec<Dim> },
    /// `choice` of an array that is not 1-D.
    ChoiceNotVector { shape: Vec<Dim> },
    /// `choice(n)` with n ≤ 0, or of an empty array, with samples wanted.
    ChoiceEmpty { population: i64 },
    /// `choice(x)` where x is a single number that is not whole.
    ChoiceNotInteger,
    /// `p` that is not a vector of the population's length.
    ProbShape { shape: Vec<Dim>, population: Dim },
    /// `p` with a NaN.
    ProbNan,
    /// `p` with a negative entry.
    ProbNegative { value: f64 },
    /// `p` whose sum is not 1 within `atol`.
    ProbSum { sum: f64, atol: f64 },
    /// `replace=false` with more samples than the population.
    SampleTooLarge { size: usize, population: usize },
    /// `replace=false` with fewer non-zero probabilities than samples.
    FewerNonZero { nonzero: usize, size: usize },
    /// `permutation`/`shuffle` of a single number that is not an integer
    /// (permutation) or of any single number (shuffle).
    NeedsAxis { shuffle: bool },
}

impl RandomError {
    /// As an operation's error that blames no argument.
    pub fn into_op(self) -> OpError {
        fail(self)
    }
}

fn fail(err: RandomError) -> OpError {
    OpError::Random { err, arg: None }
}

fn fail_at(arg: usize, err: RandomError) -> OpError {
    OpError::Random {
        err,
        arg: Some(arg),
    }
}

/// MT19937 with NumPy's legacy extras: the cached second value of the polar
/// method (`RandomState`'s `has_gauss`/`gauss`).
#[derive(Clone)]
pub struct Rng {
    key: Box<[u32; N]>,
    pos: usize,
    gauss: Option<f64>,
}

impl std::fmt::Debug for Rng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rng {{ pos: {} }}", self.pos)
    }
}

/// MT19937's `init_genrand`, which NumPy's `mt19937_seed` is.
fn init_genrand(key: &mut [u32; N], s: u32) {
    key[0] = s;
    for i in 1..N {
        let prev = key[i - 1];
        key[i] = 1_812_433_253u32
            .wrapping_mul(prev ^ (prev >> 30))
            .wrapping_add(i as u32);
    }
}

impl Rng {
    /// `np.random.seed(n)` for a whole number n in 0..=2^32-1.
    pub fn new(seed: u32) -> Rng {
        let mut key = Box::new([0u32; N]);
        init_genrand(&mut key, seed);
        Rng {
            key,
            pos: N,
            gauss: None,
        }
    }

    /// `np.random.seed([k0, k1, ...])`: MT19937's `init_by_array`.
    pub fn from_key(init: &[u32]) -> Rng {
        let mut mt = Box::new([0u32; N]);
        init_genrand(&mut mt, 19_650_218);
        let len = init.len().max(1);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(len) {
            let prev = mt[i - 1];
            let k = init.get(j).copied().unwrap_or(0);
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(k)
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= len {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] =
                (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        Rng {
            key: mt,
            pos: N,
            gauss: None,
        }
    }

    /// A generator seeded from the clock and the OS's hash keys: a session
    /// that never calls `seed` (NumPy seeds from the OS too).
    pub fn from_entropy() -> Rng {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        // std's RandomState keys come from the OS and differ for every value
        // made, so generators created within one clock tick still differ.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(nanos);
        h.write_u32(std::process::id());
        let x = h.finish();
        Rng::from_key(&[x as u32, (x >> 32) as u32])
    }

    fn generate(&mut self) {
        let mt = &mut self.key;
        let twist = |a: u32, b: u32, c: u32| {
            let y = (a & 0x8000_0000) | (b & 0x7fff_ffff);
            c ^ (y >> 1) ^ ((y & 1).wrapping_neg() & 0x9908_b0df)
        };
        for i in 0..N - M {
            mt[i] = twist(mt[i], mt[i + 1], mt[i + M]);
        }
        for i in N - M..N - 1 {
            mt[i] = twist(mt[i], mt[i + 1], mt[i + M - N]);
        }
        mt[N - 1] = twist(mt[N - 1], mt[0], mt[M - 1]);
        self.pos = 0;
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.pos == N {
            self.generate();
        }
        let mut y = self.key[self.pos];
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// NumPy's `mt19937_next64`: the first draw is the high half.
    pub fn next_u64(&mut self) -> u64 {
        let hi = self.next_u32() as u64;
        (hi << 32) | self.next_u32() as u64
    }

    /// `random_sample`: a 53-bit double from two draws, (a>>5, b>>6).
    pub fn next_f64(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `legacy_gauss`: Marsaglia's polar method; each accepted pair gives
    /// `f * x2` now and keeps `f * x1` for the next call.
    pub fn next_normal(&mut self) -> f64 {
        if let Some(z) = self.gauss.take() {
            return z;
        }
        loop {
            let x1 = 2.0 * self.next_f64() - 1.0;
            let x2 = 2.0 * self.next_f64() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * r2.ln() / r2).sqrt();
                self.gauss = Some(f * x1);
                return f * x2;
            }
        }
    }

    /// `random_interval`: uniform on 0..=max by masked rejection.
    pub fn interval(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        let mask = mask_of(max);
        loop {
            let v = if max <= 0xffff_ffff {
                (self.next_u32() as u64) & mask
            } else {
                self.next_u64() & mask
            };
            if v <= max {
                return v;
            }
        }
    }

    /// `random_bounded_uint64` with `use_masked`: `off + ` a value uniform
    /// on 0..=rng, as legacy `randint` draws it.
    pub fn bounded(&mut self, off: u64, rng: u64) -> u64 {
        if rng == 0 {
            return off;
        }
        if rng == 0xffff_ffff {
            return off.wrapping_add(self.next_u32() as u64);
        }
        if rng == u64::MAX {
            return off.wrapping_add(self.next_u64());
        }
        off.wrapping_add(self.interval(rng))
    }
}

/// The smallest all-ones mask covering `max`.
fn mask_of(max: u64) -> u64 {
    let mut m = max;
    m |= m >> 1;
    m |= m >> 2;
    m |= m >> 4;
    m |= m >> 8;
    m |= m >> 16;
    m |= m >> 32;
    m
}

/// The rule of rand and randn: a float64 array of `shape`.
pub fn random_rule(shape: &[Dim]) -> OpResult<Meta> {
    sized(Meta::with_dims(shape.to_vec(), DType::Float64))
}

fn sized(m: Meta) -> OpResult<Meta> {
    super::construct::fits(&m)?;
    Ok(m)
}

/// `numpy.random.rand`: float64 uniform on [0, 1), filled in C order.
pub fn rand(rng: &mut Rng, shape: &[usize], limits: &Limits) -> OpResult<Array> {
    check_meta(&random_rule(&crate::ops::broadcast::known(shape))?, limits)?;
    Ok(Array::F64(filled_by(shape, || rng.next_f64())))
}

/// `numpy.random.randn`: float64 standard normal, filled in C order.
pub fn randn(rng: &mut Rng, shape: &[usize], limits: &Limits) -> OpResult<Array> {
    check_meta(&random_rule(&crate::ops::broadcast::known(shape))?, limits)?;
    Ok(Array::F64(filled_by(shape, || rng.next_normal())))
}

/// An array filled in C order by `f`, in a buffer from `kernel::alloc`, so
/// a large one gets huge pages (as NumPy's do).
fn filled_by<T>(shape: &[usize], mut f: impl FnMut() -> T) -> ArrayD<T> {
    let n: usize = shape.iter().product();
    let mut v = crate::kernel::alloc::with_capacity(n);
    v.extend((0..n).map(|_| f()));
    ArrayD::from_shape_vec(IxDyn(shape), v).expect("n is the product of the shape")
}

/// `seed(n)` or `seed([k0, k1, ...])`, as `RandomState.seed` takes them.
pub fn seeded(seed: &Array) -> OpResult<Rng> {
    let key = seed
        .to_i64_array()
        .ok()
        .filter(|_| matches!(seed.dtype(), DType::Int64 | DType::Bool))
        .ok_or(fail_at(
            0,
            RandomError::SeedShape {
                shape: Meta::of(seed).shape,
            },
        ))?;
    if key.ndim() > 1 {
        return Err(fail_at(
            0,
            RandomError::SeedShape {
                shape: Meta::of(seed).shape,
            },
        ));
    }
    if let Some(&bad) = key.iter().find(|&&k| !(0..=u32::MAX as i64).contains(&k)) {
        return Err(fail_at(0, RandomError::SeedRange { value: bad }));
    }
    if key.ndim() == 0 {
        return Ok(Rng::new(key.iter().next().copied().unwrap_or(0) as u32));
    }
    if key.is_empty() {
        return Err(fail_at(0, RandomError::SeedEmpty));
    }
    let words: Vec<u32> = key.iter().map(|&k| k as u32).collect();
    Ok(Rng::from_key(&words))
}

/// The result shape of a distribution with array parameters: `size` when
/// given (the parameters must broadcast to it), else the parameters'
/// broadcast shape. `params` are (argument index, shape).
pub fn param_rule(
    params: &[(usize, &Meta)],
    size: Option<&[usize]>,
    dtype: DType,
) -> OpResult<Meta> {
    let mut shape: Vec<Dim> = Vec::new();
    for (i, m) in params {
        if m.dtype == DType::Complex128 {
            return Err(fail_at(*i, RandomError::ComplexParam));
        }
        shape = broadcast_dims(&shape, &m.shape)?;
    }
    match size {
        None => sized(Meta::with_dims(shape, dtype)),
        Some(size) => {
            let sd: Vec<Dim> = size.iter().map(|&n| Dim::Known(n)).collect();
            let fits = broadcast_dims(&shape, &sd).is_ok_and(|b| b == sd);
            if !fits {
                return Err(fail(RandomError::SizeMismatch {
                    size: size.to_vec(),
                    params: shape,
                }));
            }
            sized(Meta::new(size, dtype))
        }
    }
}

/// The parameters as float64 arrays broadcast to the output shape, read in
/// C order (each element consumes the stream in that order, as NumPy's
/// broadcast iterator does).
fn broadcast_params(
    params: &[(usize, &Array)],
    size: Option<&[usize]>,
    limits: &Limits,
) -> OpResult<(Vec<usize>, Vec<Vec<f64>>)> {
    let metas: Vec<Meta> = params.iter().map(|(_, a)| Meta::of(a)).collect();
    let refs: Vec<(usize, &Meta)> = params.iter().map(|(i, _)| *i).zip(&metas).collect();
    let m = param_rule(&refs, size, DType::Float64)?;
    check_meta(&m, limits)?;
    let shape = m.concrete().expect("values have known shapes");
    let mut cols = Vec::new();
    for (i, a) in params {
        let x = a
            .to_f64_array()
            .map_err(|_| fail_at(*i, RandomError::ComplexParam))?;
        let mut out_shape = shape.clone();
        if !can_broadcast_to(x.shape(), &out_shape) {
            out_shape = broadcast_shapes(x.shape(), &out_shape)?;
        }
        let v = x.broadcast(IxDyn(&out_shape)).expect("checked by the rule");
        cols.push(v.iter().copied().collect());
    }
    Ok((shape, cols))
}

/// `numpy.random.uniform(low, high, size)`: `low + (high - low) * u`.
pub fn uniform(
    rng: &mut Rng,
    low: &Array,
    high: &Array,
    size: Option<&[usize]>,
    limits: &Limits,
) -> OpResult<Array> {
    let (shape, cols) = broadcast_params(&[(0, low), (1, high)], size, limits)?;
    let (lo, hi) = (&cols[0], &cols[1]);
    if let Some(k) = (0..lo.len()).find(|&k| !(hi[k] - lo[k]).is_finite()) {
        return Err(fail(RandomError::RangeNotFinite {
            low: lo[k],
            high: hi[k],
        }));
    }
    let mut k = 0;
    Ok(Array::F64(filled_by(&shape, || {
        let range = hi[k] - lo[k];
        let x = lo[k] + range * rng.next_f64();
        k += 1;
        x
    })))
}

/// `numpy.random.normal(loc, scale, size)`: `loc + scale * gauss`.
pub fn normal(
    rng: &mut Rng,
    loc: &Array,
    scale: &Array,
    size: Option<&[usize]>,
    limits: &Limits,
) -> OpResult<Array> {
    let (shape, cols) = broadcast_params(&[(0, loc), (1, scale)], size, limits)?;
    let (mu, sd) = (&cols[0], &cols[1]);
    // NumPy refuses a set sign bit, -0.0 included, but not NaN.
    if let Some(&s) = sd.iter().find(|s| !s.is_nan() && s.is_sign_negative()) {
        return Err(fail_at(1, RandomError::NegativeScale { value: s }));
    }
    let mut k = 0;
    Ok(Array::F64(filled_by(&shape, || {
        let x = mu[k] + sd[k] * rng.next_normal();
        k += 1;
        x
    })))
}

/// Whole-number bounds of randint as int64, broadcast to the output.
fn int_bound(i: usize, a: &Array, shape: &[usize]) -> OpResult<Vec<i64>> {
    if a.dtype() == DType::Complex128 {
        return Err(fail_at(i, RandomError::ComplexParam));
    }
    let x = a
        .to_f64_array()
        .map_err(|_| fail_at(i, RandomError::ComplexParam))?;
    if let Some(&v) = x.iter().find(|v| v.fract() != 0.0 || !v.is_finite()) {
        return Err(fail_at(i, RandomError::FractionalBound { value: v }));
    }
    let ints = a
        .to_i64_array()
        .map_err(|_| fail_at(i, RandomError::FractionalBound { value: f64::NAN }))?;
    let v = ints.broadcast(IxDyn(shape)).expect("checked by the rule");
    Ok(v.iter().copied().collect())
}

/// randint's `dtype=`: the range the bounds must lie in, and how NumPy's
/// legacy generator draws for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntKind {
    Int64,
    /// Drawn as NumPy draws int32 (the same 32-bit masked draws as int64
    /// for such ranges), given as int64: there is no int32 dtype here.
    Int32,
    /// One bit of a 32-bit word per value, the word reused for 32 values.
    Bool,
}

impl IntKind {
    pub const NAMES: [&'static str; 3] = ["int64", "int32", "bool"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The bounds `[low, high)` may span.
    fn span(self) -> (i128, i128) {
        match self {
            IntKind::Int64 => (i64::MIN as i128, i64::MAX as i128 + 1),
            IntKind::Int32 => (i32::MIN as i128, i32::MAX as i128 + 1),
            IntKind::Bool => (0, 2),
        }
    }
}

/// `numpy.random.randint(low, high, size)`: int64 on [low, high) (on
/// [0, low) without `high`), by legacy masked rejection sampling.
pub fn randint(
    rng: &mut Rng,
    low: &Array,
    high: Option<&Array>,
    size: Option<&[usize]>,
    limits: &Limits,
) -> OpResult<Array> {
    randint_as(rng, low, high, size, IntKind::Int64, limits)
}

/// randint with `dtype=`: bounds outside the dtype's range are refused as
/// NumPy refuses them, and bool draws follow NumPy's bit buffer.
pub fn randint_as(
    rng: &mut Rng,
    low: &Array,
    high: Option<&Array>,
    size: Option<&[usize]>,
    kind: IntKind,
    limits: &Limits,
) -> OpResult<Array> {
    let zero = Array::scalar_int(0);
    let (lo_arg, hi_arg, lo_i, hi_i) = match high {
        Some(h) => (low, h, 0, 1),
        None => (&zero, low, 0, 0),
    };
    let m = param_rule(
        &[(lo_i, &Meta::of(lo_arg)), (hi_i, &Meta::of(hi_arg))],
        size,
        DType::Int64,
    )?;
    check_meta(&m, limits)?;
    let shape = m.concrete().expect("values have known shapes");
    let lo = int_bound(lo_i, lo_arg, &shape)?;
    let hi = int_bound(hi_i, hi_arg, &shape)?;
    if let Some(k) = (0..lo.len()).find(|&k| lo[k] >= hi[k]) {
        return Err(fail(RandomError::EmptyRange {
            low: lo[k],
            high: hi[k],
        }));
    }
    let (min, end) = kind.span();
    if let Some(k) = (0..lo.len()).find(|&k| (lo[k] as i128) < min || hi[k] as i128 > end) {
        return Err(fail(RandomError::BoundOutOfRange {
            low: lo[k],
            high: hi[k],
            dtype: kind.name(),
        }));
    }
    let mut k = 0;
    if kind == IntKind::Bool {
        let (mut buf, mut left) = (0u32, 0);
        return Ok(Array::Bool(filled_by(&shape, || {
            let (off, range) = (lo[k] == 1, hi[k] - 1 - lo[k]);
            k += 1;
            if range == 0 {
                return off;
            }
            if left == 0 {
                buf = rng.next_u32();
                left = 31;
            } else {
                buf >>= 1;
                left -= 1;
            }
            buf & 1 != 0
        })));
    }
    Ok(Array::Int(filled_by(&shape, || {
        let range = (hi[k] as i128 - 1 - lo[k] as i128) as u64;
        let x = rng.bounded(lo[k] as u64, range) as i64;
        k += 1;
        x
    })))
}

/// The rule of `choice(a, size, replace, p)`. `a` is a population size
/// (a whole number) or a vector to draw from; the result has `size`'s
/// shape and a's dtype (int64 for a size).
pub fn choice_rule(
    a: &Meta,
    size: Option<&[usize]>,
    replace: bool,
    p: Option<&Meta>,
) -> OpResult<Meta> {
    let (population, dtype) = match a.ndim() {
        0 if matches!(a.dtype, DType::Int64 | DType::Bool) => (Dim::Unknown, DType::Int64),
        0 => return Err(fail_at(0, RandomError::ChoiceNotInteger)),
        1 => (a.shape[0].clone(), a.dtype),
        _ => {
            return Err(fail_at(
                0,
                RandomError::ChoiceNotVector {
                    shape: a.shape.clone(),
                },
            ));
        }
    };
    if let Some(p) = p {
        let fits = p.ndim() == 1
            && match (&p.shape[0], &population) {
                (Dim::Known(x), Dim::Known(y)) => x == y,
                _ => true,
            };
        if !fits || p.dtype == DType::Complex128 {
            return Err(fail(RandomError::ProbShape {
                shape: p.shape.clone(),
                population,
            }));
        }
    }
    let shape = size.unwrap_or(&[]);
    let count: usize = shape.iter().product();
    if !replace
        && let Dim::Known(n) = population
        && count > n
    {
        return Err(fail(RandomError::SampleTooLarge {
            size: count,
            population: n,
        }));
    }
    sized(Meta::new(shape, dtype))
}

/// `numpy.random.choice` as RandomState draws it.
pub fn choice(
    rng: &mut Rng,
    a: &Array,
    size: Option<&[usize]>,
    replace: bool,
    p: Option<&Array>,
    limits: &Limits,
) -> OpResult<Array> {
    let m = choice_rule(&Meta::of(a), size, replace, p.map(Meta::of).as_ref())?;
    check_meta(&m, limits)?;
    let shape = size.unwrap_or(&[]).to_vec();
    let count: usize = shape.iter().product();
    let population: i64 = if a.ndim() == 0 {
        a.to_i64_array()
            .ok()
            .and_then(|v| v.iter().next().copied())
            .unwrap_or(0)
    } else {
        a.shape()[0] as i64
    };
    if population <= 0 && count != 0 {
        return Err(fail_at(0, RandomError::ChoiceEmpty { population }));
    }
    let probs = match p {
        None => None,
        Some(p) => {
            let v: Vec<f64> = p
                .to_f64_array()
                .map_err(|_| fail(RandomError::ProbNan))?
                .iter()
                .copied()
                .collect();
            let mut atol = f64::EPSILON.sqrt();
            if p.dtype() == DType::Float32 {
                atol = atol.max((f32::EPSILON as f64).sqrt());
            }
            let sum = kahan_sum(&v);
            if sum.is_nan() {
                return Err(fail(RandomError::ProbNan));
            }
            if let Some(&x) = v.iter().find(|&&x| x < 0.0) {
                return Err(fail(RandomError::ProbNegative { value: x }));
            }
            if (sum - 1.0).abs() > atol {
                return Err(fail(RandomError::ProbSum { sum, atol }));
            }
            Some(v)
        }
    };
    let n = population.max(0) as usize;
    let idx: Vec<i64> = if replace {
        match &probs {
            Some(p) => {
                let cdf = cdf_of(p);
                (0..count)
                    .map(|_| search_right(&cdf, rng.next_f64()) as i64)
                    .collect()
            }
            None => (0..count)
                .map(|_| rng.bounded(0, n as u64 - 1) as i64)
                .collect(),
        }
    } else {
        if count > n {
            return Err(fail(RandomError::SampleTooLarge {
                size: count,
                population: n,
            }));
        }
        match probs {
            Some(p) => unique_weighted(rng, p, count)?,
            None => {
                // The whole population is shuffled, then cut (NumPy's
                // `permutation(pop_size)[:size]`).
                super::limits::check_alloc(&[n], DType::Int64, limits)?;
                let mut all: Vec<i64> = (0..n as i64).collect();
                shuffle_slice(rng, &mut all);
                all.truncate(count);
                all
            }
        }
    };
    let idx = ArrayD::from_shape_vec(IxDyn(&shape), idx).expect("count is the shape's product");
    if a.ndim() == 0 {
        return Ok(Array::Int(idx));
    }
    Ok(map_array!(a, x => {
        let flat: Vec<_> = idx.iter().map(|&i| x[[i as usize]]).collect();
        ArrayD::from_shape_vec(IxDyn(&shape), flat).expect("same count")
    }))
}

/// NumPy's `kahan_sum` of the probabilities.
fn kahan_sum(v: &[f64]) -> f64 {
    let Some((&first, rest)) = v.split_first() else {
        return 0.0;
    };
    let (mut sum, mut c) = (first, 0.0);
    for &x in rest {
        let y = x - c;
        let t = sum + y;
        c = (t - sum) - y;
        sum = t;
    }
    sum
}

/// `p.cumsum()` (sequential, as NumPy accumulates) divided by its last.
fn cdf_of(p: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    let mut cdf: Vec<f64> = p
        .iter()
        .map(|&x| {
            acc += x;
            acc
        })
        .collect();
    if let Some(&last) = cdf.last() {
        for c in &mut cdf {
            *c /= last;
        }
    }
    cdf
}

/// `searchsorted(cdf, x, side="right")`: the first index whose value is
/// greater than x.
fn search_right(cdf: &[f64], x: f64) -> usize {
    cdf.partition_point(|&c| c <= x)
}

/// choice without replacement with weights, as RandomState does it: draw
/// the missing count at once, keep the first occurrence of each new index,
/// zero the found ones' weights, repeat.
fn unique_weighted(rng: &mut Rng, mut p: Vec<f64>, size: usize) -> OpResult<Vec<i64>> {
    let nonzero = p.iter().filter(|&&x| x > 0.0).count();
    if nonzero < size {
        return Err(fail(RandomError::FewerNonZero { nonzero, size }));
    }
    let mut found: Vec<i64> = Vec::with_capacity(size);
    while found.len() < size {
        let x: Vec<f64> = (0..size - found.len()).map(|_| rng.next_f64()).collect();
        for &f in &found {
            p[f as usize] = 0.0;
        }
        let cdf = cdf_of(&p);
        let mut seen = std::collections::HashSet::new();
        for u in x {
            let i = search_right(&cdf, u) as i64;
            if seen.insert(i) {
                found.push(i);
            }
        }
    }
    Ok(found)
}

/// The legacy Fisher-Yates shuffle: for i from n-1 down to 1, swap item i
/// with item `random_interval(i)`.
fn shuffle_slice<T>(rng: &mut Rng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = rng.interval(i as u64) as usize;
        v.swap(i, j);
    }
}

/// The rule of `permutation(x)`: for a whole number n, an int64 vector of
/// length n (`n` when the caller knows it); for an array, its own metadata.
pub fn permutation_rule(x: &Meta, n: Option<i64>) -> OpResult<Meta> {
    match x.ndim() {
        0 if matches!(x.dtype, DType::Int64 | DType::Bool) => {
            let len = n.map_or(Dim::Unknown, |n| Dim::Known(n.max(0) as usize));
            sized(Meta::with_dims(vec![len], DType::Int64))
        }
        0 => Err(fail_at(0, RandomError::NeedsAxis { shuffle: false })),
        _ => Ok(x.clone()),
    }
}

/// The rule of `shuffle(x)`: x's own metadata; x must have an axis.
pub fn shuffle_rule(x: &Meta) -> OpResult<Meta> {
    if x.ndim() == 0 {
        return Err(fail_at(0, RandomError::NeedsAxis { shuffle: true }));
    }
    Ok(x.clone())
}

/// `numpy.random.permutation(x)`: a shuffled `arange(n)` for a whole
/// number, else a copy of x with its first axis shuffled.
pub fn permutation(rng: &mut Rng, x: &Array, limits: &Limits) -> OpResult<Array> {
    if x.ndim() == 0 {
        let n = x.to_i64_array().ok().and_then(|v| v.iter().next().copied());
        let m = permutation_rule(&Meta::of(x), n)?;
        check_meta(&m, limits)?;
        let mut v: Vec<i64> = (0..n.unwrap_or(0).max(0)).collect();
        shuffle_slice(rng, &mut v);
        return Ok(Array::Int(
            ArrayD::from_shape_vec(IxDyn(&[v.len()]), v).expect("1-D"),
        ));
    }
    shuffle(rng, x)
}

/// `numpy.random.shuffle(x)` as a value: x with its first axis shuffled
/// (the same draws and swaps as NumPy's in-place shuffle).
pub fn shuffle(rng: &mut Rng, x: &Array) -> OpResult<Array> {
    shuffle_rule(&Meta::of(x))?;
    let n = x.shape()[0];
    let mut order: Vec<usize> = (0..n).collect();
    shuffle_slice(rng, &mut order);
    Ok(map_array!(x, v => v.select(Axis(0), &order)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lim() -> Limits {
        Limits::default()
    }

    fn f64s(a: &Array) -> Vec<f64> {
        match a {
            Array::F64(v) => v.iter().copied().collect(),
            other => panic!("expected float64, got {:?}", other.dtype()),
        }
    }

    fn i64s(a: &Array) -> Vec<i64> {
        match a {
            Array::Int(v) => v.iter().copied().collect(),
            other => panic!("expected int64, got {:?}", other.dtype()),
        }
    }

    #[test]
    fn mt19937_matches_the_reference_outputs() {
        // The reference mt19937ar.c's first outputs for init_genrand(5489)
        // (C++'s std::mt19937 default) and for init_by_array {0x123,
        // 0x234, 0x345, 0x456}.
        let mut r = Rng::new(5489);
        assert_eq!(r.next_u32(), 3_499_211_612);
        assert_eq!(r.next_u32(), 581_869_302);
        let mut r = Rng::from_key(&[0x123, 0x234, 0x345, 0x456]);
        let got: Vec<u32> = (0..5).map(|_| r.next_u32()).collect();
        assert_eq!(
            got,
            vec![
                1_067_595_299,
                955_945_823,
                477_289_528,
                4_107_218_783,
                4_228_976_476
            ]
        );
    }

    #[test]
    fn seed_zero_gives_numpys_first_numbers() {
        // np.random.seed(0); np.random.rand(), then randint(5, size=5)
        // after seed(0) (NumPy 2.4).
        assert_eq!(
            f64s(&rand(&mut Rng::new(0), &[1], &lim()).unwrap()),
            vec![0.5488135039273248]
        );
        let five = Array::scalar_int(5);
        let mut r = Rng::new(0);
        let _ = randint(
            &mut r,
            &Array::scalar_int(0),
            Some(&Array::scalar_int(1 << 40)),
            Some(&[3]),
            &lim(),
        );
        assert_eq!(
            i64s(&randint(&mut r, &five, None, Some(&[5]), &lim()).unwrap()),
            vec![3, 1, 3, 2, 4]
        );
        let key = seeded(&Array::Int(ndarray::arr1(&[1i64, 2]).into_dyn())).unwrap();
        assert_eq!(
            f64s(&rand(&mut key.clone(), &[1], &lim()).unwrap()),
            vec![0.5845141492495678]
        );
    }

    #[test]
    fn draws_continue_the_stream_and_keep_the_spare_normal() {
        let mut r = Rng::new(9);
        let mut first = f64s(&randn(&mut r, &[3], &lim()).unwrap());
        first.extend(f64s(&randn(&mut r, &[3], &lim()).unwrap()));
        assert_eq!(first, f64s(&randn(&mut Rng::new(9), &[6], &lim()).unwrap()));
    }

    #[test]
    fn refusals_carry_the_facts() {
        let mut r = Rng::new(1);
        let err = randint(
            &mut r,
            &Array::scalar_int(3),
            Some(&Array::scalar_int(3)),
            None,
            &lim(),
        );
        assert!(matches!(
            err,
            Err(OpError::Random {
                err: RandomError::EmptyRange { low: 3, high: 3 },
                ..
            })
        ));
        assert!(seeded(&Array::scalar_int(-1)).is_err());
        assert!(seeded(&Array::scalar_int(1 << 32)).is_err());
        let big = rand(&mut r, &[1 << 40, 1 << 40], &lim());
        assert!(matches!(big, Err(OpError::Limit { .. })));
        let s = shuffle(&mut r, &Array::scalar_int(3));
        assert!(s.is_err());
        let c = choice(
            &mut r,
            &Array::scalar_int(3),
            Some(&[4]),
            false,
            None,
            &lim(),
        );
        assert!(matches!(
            c,
            Err(OpError::Random {
                err: RandomError::SampleTooLarge { .. },
                ..
            })
        ));
    }

    #[test]
    fn shuffle_is_a_permutation_of_the_rows() {
        let x =
            Array::Int(ndarray::Array::from_shape_vec(IxDyn(&[5, 2]), (0..10).collect()).unwrap());
        let y = shuffle(&mut Rng::new(3), &x).unwrap();
        let mut rows: Vec<i64> = i64s(&y).chunks(2).map(|c| c[0]).collect();
        assert!(i64s(&y).chunks(2).all(|c| c[1] == c[0] + 1));
        rows.sort();
        assert_eq!(rows, vec![0, 2, 4, 6, 8]);
        // permutation of an array is the same draw as shuffle.
        assert_eq!(permutation(&mut Rng::new(3), &x, &lim()).unwrap(), y);
    }

    #[test]
    fn entropy_generators_differ() {
        let a = Rng::from_entropy().next_u64();
        let b = Rng::from_entropy().next_u64();
        assert_ne!(a, b);
    }
}
