//! Elementwise functions (`sqrt`, `sin`, `abs`, `round`, ...) and the binary
//! ones that broadcast (`maximum`, `minimum`, `clip`). Integers and bools go
//! to float64 for transcendental functions, float32 stays float32, as NumPy.

use ndarray::ArrayD;
use num_complex::ComplexFloat;

use super::broadcast::zip_map;
use super::error::{OpError, OpResult};
use crate::value::{Array, C64, DType, promote};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Abs,
    Sqrt,
    Exp,
    Log,
    Log2,
    Log10,
    Sin,
    Cos,
    Tan,
    Arcsin,
    Arccos,
    Arctan,
    Sinh,
    Cosh,
    Tanh,
    Floor,
    Ceil,
    Round,
    Sign,
    Real,
    Imag,
    Conj,
    Angle,
}

impl Func {
    pub const ALL: [Func; 23] = [
        Func::Abs,
        Func::Sqrt,
        Func::Exp,
        Func::Log,
        Func::Log2,
        Func::Log10,
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Arcsin,
        Func::Arccos,
        Func::Arctan,
        Func::Sinh,
        Func::Cosh,
        Func::Tanh,
        Func::Floor,
        Func::Ceil,
        Func::Round,
        Func::Sign,
        Func::Real,
        Func::Imag,
        Func::Conj,
        Func::Angle,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Func::Abs => "abs",
            Func::Sqrt => "sqrt",
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Log2 => "log2",
            Func::Log10 => "log10",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Arcsin => "arcsin",
            Func::Arccos => "arccos",
            Func::Arctan => "arctan",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Tanh => "tanh",
            Func::Floor => "floor",
            Func::Ceil => "ceil",
            Func::Round => "round",
            Func::Sign => "sign",
            Func::Real => "real",
            Func::Imag => "imag",
            Func::Conj => "conj",
            Func::Angle => "angle",
        }
    }

    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    fn real(self, x: f64) -> f64 {
        match self {
            Func::Abs => x.abs(),
            Func::Sqrt => x.sqrt(),
            Func::Exp => x.exp(),
            Func::Log => x.ln(),
            Func::Log2 => x.log2(),
            Func::Log10 => x.log10(),
            Func::Sin => x.sin(),
            Func::Cos => x.cos(),
            Func::Tan => x.tan(),
            Func::Arcsin => x.asin(),
            Func::Arccos => x.acos(),
            Func::Arctan => x.atan(),
            Func::Sinh => x.sinh(),
            Func::Cosh => x.cosh(),
            Func::Tanh => x.tanh(),
            Func::Floor => x.floor(),
            Func::Ceil => x.ceil(),
            Func::Round => x.round_ties_even(),
            Func::Sign => {
                if x.is_nan() {
                    x
                } else if x == 0.0 {
                    0.0
                } else {
                    x.signum()
                }
            }
            Func::Real | Func::Conj => x,
            Func::Imag => 0.0,
            Func::Angle => {
                if x < 0.0 {
                    std::f64::consts::PI
                } else {
                    0.0f64.atan2(x)
                }
            }
        }
    }

    fn complex(self, z: C64) -> C64 {
        let ln = |z: C64| z.ln();
        match self {
            Func::Abs => C64::new(z.norm(), 0.0),
            Func::Sqrt => z.sqrt(),
            // A real argument keeps its signed-zero imaginary part, so
            // exp(710+0j) is inf+0j rather than inf*(cos 0 + i sin 0) = inf+nanj.
            Func::Exp if z.im == 0.0 => C64::new(z.re.exp(), z.im),
            Func::Exp => z.exp(),
            Func::Log => ln(z),
            Func::Log2 => ln(z) / std::f64::consts::LN_2,
            Func::Log10 => ln(z) / std::f64::consts::LN_10,
            Func::Sin => z.sin(),
            Func::Cos => z.cos(),
            Func::Tan => z.tan(),
            // On the branch cuts (real |x| > 1) C99 and NumPy take the side
            // given by the sign of the zero imaginary part.
            Func::Arcsin if z.im == 0.0 && z.re.abs() > 1.0 => C64::new(
                std::f64::consts::FRAC_PI_2.copysign(z.re),
                z.re.abs().acosh().copysign(z.im),
            ),
            Func::Arccos if z.im == 0.0 && z.re.abs() > 1.0 => C64::new(
                if z.re > 0.0 {
                    0.0
                } else {
                    std::f64::consts::PI
                },
                -z.re.abs().acosh().copysign(z.im),
            ),
            Func::Arcsin => z.asin(),
            Func::Arccos => z.acos(),
            Func::Arctan => z.atan(),
            Func::Sinh => z.sinh(),
            Func::Cosh => z.cosh(),
            // For large |re| the textbook formula overflows to nan; the limit
            // is ±1 (C99 ctanh).
            Func::Tanh if z.re.abs() > 20.0 => {
                C64::new(1.0f64.copysign(z.re), 0.0f64.copysign((2.0 * z.im).sin()))
            }
            Func::Tanh => z.tanh(),
            Func::Floor => C64::new(z.re.floor(), z.im.floor()),
            Func::Ceil => C64::new(z.re.ceil(), z.im.ceil()),
            Func::Round => C64::new(z.re.round_ties_even(), z.im.round_ties_even()),
            Func::Sign => {
                let n = z.norm();
                if n == 0.0 { C64::new(0.0, 0.0) } else { z / n }
            }
            Func::Real => C64::new(z.re, 0.0),
            Func::Imag => C64::new(z.im, 0.0),
            Func::Conj => z.conj(),
            Func::Angle => C64::new(z.arg(), 0.0),
        }
    }

    /// Functions that return a real result for complex input.
    fn complex_to_real(self) -> bool {
        matches!(self, Func::Abs | Func::Real | Func::Imag | Func::Angle)
    }

    /// Functions that keep integers as integers.
    fn keeps_ints(self) -> bool {
        matches!(
            self,
            Func::Abs
                | Func::Floor
                | Func::Ceil
                | Func::Round
                | Func::Sign
                | Func::Real
                | Func::Imag
                | Func::Conj
        )
    }
}

/// The dtype `f` gives for an input of dtype `dt`.
pub fn func_dtype(f: Func, dt: DType) -> OpResult<DType> {
    Ok(match dt {
        DType::Bool if f == Func::Sign => return Err(OpError::dtype("sign", dt)),
        // NumPy keeps bools for these (floor(true) is true, imag(true) false).
        DType::Bool
            if matches!(
                f,
                Func::Abs | Func::Real | Func::Imag | Func::Conj | Func::Floor | Func::Ceil
            ) =>
        {
            DType::Bool
        }
        // NumPy rounds bools to float16; float64 is the nearest dtype here.
        DType::Bool if f == Func::Round => DType::Float64,
        DType::Complex128 if matches!(f, Func::Floor | Func::Ceil) => {
            return Err(OpError::DType {
                op: f.name().to_string(),
                dtype: dt,
                hint: Some(
                    "round the parts separately: complex(floor(real(z)), floor(imag(z)))".into(),
                ),
            });
        }
        DType::Bool | DType::Int64 if f.keeps_ints() => DType::Int64,
        DType::Bool | DType::Int64 => DType::Float64,
        DType::Complex128 if f.complex_to_real() => DType::Float64,
        other => other,
    })
}

/// Applies an elementwise function.
pub fn apply(f: Func, a: &Array) -> OpResult<Array> {
    let out = func_dtype(f, a.dtype())?;
    Ok(match (a, out) {
        (Array::Bool(x), DType::Bool) => Array::Bool(if f == Func::Imag {
            x.mapv(|_| false)
        } else {
            x.clone()
        }),
        (Array::Bool(_) | Array::Int(_), DType::Int64) => {
            let x = a.to_i64_array().expect("bool and int widen to int64");
            Array::Int(match f {
                Func::Abs => {
                    if x.iter().any(|&v| v == i64::MIN) {
                        return Err(OpError::overflow("abs"));
                    }
                    x.mapv(i64::abs)
                }
                Func::Sign => x.mapv(i64::signum),
                Func::Imag => x.mapv(|_| 0),
                _ => x,
            })
        }
        (Array::F32(x), DType::Float32) => Array::F32(x.mapv(|v| f.real(v as f64) as f32)),
        (_, DType::Float64) if a.dtype() != DType::Complex128 => {
            let x = a.to_f64_array().expect("real dtypes widen to float64");
            Array::F64(x.mapv(|v| f.real(v)))
        }
        (Array::C128(z), DType::Float64) => Array::F64(z.mapv(|v| f.complex(v).re)),
        (Array::C128(z), DType::Complex128) => Array::C128(z.mapv(|v| f.complex(v))),
        _ => unreachable!("func_dtype covers {:?} -> {out:?}", a.dtype()),
    })
}

/// `round(x, decimals)`, half to even as NumPy.
pub fn round(a: &Array, decimals: i64) -> OpResult<Array> {
    if decimals == 0 {
        return apply(Func::Round, a);
    }
    let scale = 10f64.powi(decimals.clamp(-400, 400) as i32);
    let r = |v: f64| (v * scale).round_ties_even() / scale;
    Ok(match a {
        // NumPy rounds bools in float16; float64 is the nearest dtype here.
        Array::Bool(_) => Array::F64(a.to_f64_array().expect("bool widens").mapv(r)),
        Array::Int(_) if decimals >= 0 => a.clone(),
        Array::Int(_) => {
            let x = a.to_f64_array().expect("widen");
            Array::Int(x.mapv(|v| r(v) as i64))
        }
        Array::F32(x) => Array::F32(x.mapv(|v| r(v as f64) as f32)),
        Array::F64(x) => Array::F64(x.mapv(r)),
        Array::C128(z) => Array::C128(z.mapv(|v| C64::new(r(v.re), r(v.im)))),
    })
}

fn pick<T: PartialOrd + Copy>(
    x: &ArrayD<T>,
    y: &ArrayD<T>,
    take_max: bool,
    is_nan: fn(T) -> bool,
) -> OpResult<ArrayD<T>> {
    zip_map(x, y, |p, q| {
        if is_nan(p) {
            p
        } else if is_nan(q) {
            q
        } else if (p >= q) == take_max {
            p
        } else {
            q
        }
    })
}

/// `maximum`/`minimum`: broadcasting, NaN propagates (NumPy).
pub fn extremum(a: &Array, b: &Array, take_max: bool) -> OpResult<Array> {
    let name = if take_max { "maximum" } else { "minimum" };
    let dt = promote(a.dtype(), a.is_scalar(), b.dtype(), b.is_scalar());
    let (x, y) = (a.widen(dt), b.widen(dt));
    Ok(match (x, y) {
        (Array::Bool(x), Array::Bool(y)) => Array::Bool(pick(&x, &y, take_max, |_| false)?),
        (Array::Int(x), Array::Int(y)) => Array::Int(pick(&x, &y, take_max, |_| false)?),
        (Array::F32(x), Array::F32(y)) => Array::F32(pick(&x, &y, take_max, f32::is_nan)?),
        (Array::F64(x), Array::F64(y)) => Array::F64(pick(&x, &y, take_max, f64::is_nan)?),
        _ => {
            return Err(OpError::DType {
                op: name.into(),
                dtype: dt,
                hint: Some("complex numbers are not ordered; compare abs(z) or real(z)".into()),
            });
        }
    })
}

/// `clip(a, lo, hi)` = `minimum(maximum(a, lo), hi)`.
pub fn clip(a: &Array, lo: &Array, hi: &Array) -> OpResult<Array> {
    extremum(&extremum(a, lo, true)?, hi, false)
}
