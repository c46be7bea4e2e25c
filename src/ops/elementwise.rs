//! Elementwise functions (`sqrt`, `sin`, `abs`, `round`, ...) and the binary
//! ones that broadcast (`maximum`, `minimum`, `clip`, `complex`), with their
//! rules (and the casts' rule). Integers and bools go to float64 for
//! transcendental functions, float32 stays float32, as NumPy.

use ndarray::ArrayD;
use num_complex::ComplexFloat;

use super::broadcast::{broadcast_dims, zip_map};
use super::error::{OpError, OpResult};
use crate::value::{Array, C64, DType, Meta, promote};

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
            Func::Sqrt => super::cmath::sqrt(z),
            // A real argument keeps its signed-zero imaginary part, so
            // exp(710+0j) is inf+0j rather than inf*(cos 0 + i sin 0) = inf+nanj.
            Func::Exp if z.im == 0.0 => C64::new(z.re.exp(), z.im),
            Func::Exp => z.exp(),
            Func::Log => ln(z),
            Func::Log2 => ln(z) / std::f64::consts::LN_2,
            Func::Log10 => ln(z) / std::f64::consts::LN_10,
            Func::Sin => super::cmath::sin(z),
            Func::Cos => super::cmath::cos(z),
            Func::Tan => super::cmath::tan(z),
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
            Func::Arcsin => super::cmath::asin(z),
            Func::Arccos => super::cmath::acos(z),
            Func::Arctan => super::cmath::atan(z),
            // C99 Annex G special values, and Kahan's tanh next to a pole.
            Func::Sinh => super::cmath::sinh(z),
            Func::Cosh => super::cmath::cosh(z),
            Func::Tanh => super::cmath::tanh(z),
            Func::Floor => C64::new(z.re.floor(), z.im.floor()),
            Func::Ceil => C64::new(z.re.ceil(), z.im.ceil()),
            Func::Round => C64::new(z.re.round_ties_even(), z.im.round_ties_even()),
            Func::Sign => super::cmath::sign(z),
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
            });
        }
        DType::Bool | DType::Int64 if f.keeps_ints() => DType::Int64,
        DType::Bool | DType::Int64 => DType::Float64,
        DType::Complex128 if f.complex_to_real() => DType::Float64,
        other => other,
    })
}

/// The rule of every one-argument function: the shape stays, the dtype is
/// `func_dtype`'s.
pub fn func_rule(f: Func, x: &Meta) -> OpResult<Meta> {
    Ok(x.retyped(func_dtype(f, x.dtype)?))
}

/// The rule of `round(x, decimals)`: the number of decimals never changes
/// the dtype (ints stay ints, bools become float64 either way), so it is
/// `round(x)`'s.
pub fn round_rule(x: &Meta) -> OpResult<Meta> {
    func_rule(Func::Round, x)
}

/// The rule of a cast: same shape, the target dtype. The refusals (NaN to
/// int64, an imaginary part to a real dtype) depend on the values, so they
/// come from the kernel.
pub fn cast_rule(x: &Meta, to: DType) -> Meta {
    x.retyped(to)
}

/// The rule of `maximum` and `minimum`: operands promote (0-d ones as NumPy
/// scalars), complex numbers are refused, shapes broadcast.
pub fn extremum_rule(x: &Meta, y: &Meta, take_max: bool) -> OpResult<Meta> {
    let dt = promote(x.dtype, x.is_scalar(), y.dtype, y.is_scalar());
    if dt == DType::Complex128 {
        return Err(OpError::DType {
            op: if take_max { "maximum" } else { "minimum" }.into(),
            dtype: dt,
        });
    }
    Ok(Meta::with_dims(broadcast_dims(&x.shape, &y.shape)?, dt))
}

/// The rule of `clip(x, lo, hi)`, which is `minimum(maximum(x, lo), hi)`.
pub fn clip_rule(x: &Meta, lo: &Meta, hi: &Meta) -> OpResult<Meta> {
    extremum_rule(&extremum_rule(x, lo, true)?, hi, false)
}

/// The rule of `complex(re, im)`: the parts broadcast and the result is
/// complex128. A complex part is refused by the kernel only when it has an
/// imaginary part, which the values decide.
pub fn complex_rule(re: &Meta, im: &Meta) -> OpResult<Meta> {
    Ok(Meta::with_dims(
        broadcast_dims(&re.shape, &im.shape)?,
        DType::Complex128,
    ))
}

/// Applies an elementwise function.
pub fn apply(f: Func, a: &Array) -> OpResult<Array> {
    let out = func_rule(f, &Meta::of(a))?.dtype;
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
    let dt = extremum_rule(&Meta::of(a), &Meta::of(b), take_max)?.dtype;
    let (x, y) = (a.widen(dt), b.widen(dt));
    Ok(match (x, y) {
        (Array::Bool(x), Array::Bool(y)) => Array::Bool(pick(&x, &y, take_max, |_| false)?),
        (Array::Int(x), Array::Int(y)) => Array::Int(pick(&x, &y, take_max, |_| false)?),
        (Array::F32(x), Array::F32(y)) => Array::F32(pick(&x, &y, take_max, f32::is_nan)?),
        (Array::F64(x), Array::F64(y)) => Array::F64(pick(&x, &y, take_max, f64::is_nan)?),
        _ => unreachable!("extremum_rule refuses complex operands"),
    })
}

/// `clip(a, lo, hi)` = `minimum(maximum(a, lo), hi)`.
pub fn clip(a: &Array, lo: &Array, hi: &Array) -> OpResult<Array> {
    extremum(&extremum(a, lo, true)?, hi, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Dim;
    use ndarray::IxDyn;

    fn ints(shape: &[usize], v: Vec<i64>) -> Array {
        Array::Int(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    fn c128(shape: &[usize]) -> Array {
        let n = shape.iter().product();
        Array::C128(ArrayD::from_shape_vec(IxDyn(shape), vec![C64::new(1.0, 0.0); n]).unwrap())
    }

    #[test]
    fn func_rule_keeps_the_shape_and_gives_func_dtype() {
        let m = Meta::new(&[2, 3], DType::Int64);
        assert_eq!(
            func_rule(Func::Sqrt, &m),
            Ok(Meta::new(&[2, 3], DType::Float64))
        );
        assert_eq!(
            func_rule(Func::Abs, &m),
            Ok(Meta::new(&[2, 3], DType::Int64))
        );
        let z = Meta::with_dims(vec![Dim::Unknown], DType::Complex128);
        assert_eq!(
            func_rule(Func::Abs, &z),
            Ok(Meta::with_dims(vec![Dim::Unknown], DType::Float64))
        );
        assert!(matches!(
            func_rule(Func::Sign, &Meta::scalar(DType::Bool)),
            Err(OpError::DType {
                dtype: DType::Bool,
                ..
            })
        ));
        assert!(matches!(
            func_rule(Func::Floor, &z),
            Err(OpError::DType {
                dtype: DType::Complex128,
                ..
            })
        ));
        // The kernel gives what the rule predicts, for every function.
        let a = ints(&[2, 2], vec![-1, 0, 2, 3]);
        for f in Func::ALL {
            let r = apply(f, &a).unwrap();
            assert_eq!(func_rule(f, &Meta::of(&a)), Ok(Meta::of(&r)), "{f:?}");
        }
    }

    #[test]
    fn round_rule_ignores_decimals() {
        for dt in DType::ALL {
            let m = Meta::new(&[2], dt);
            assert_eq!(round_rule(&m), func_rule(Func::Round, &m));
        }
        let b = Array::Bool(ArrayD::from_elem(IxDyn(&[2]), true));
        assert_eq!(
            round_rule(&Meta::of(&b)),
            Ok(Meta::of(&round(&b, 2).unwrap()))
        );
        let i = ints(&[1], vec![15]);
        assert_eq!(
            round_rule(&Meta::of(&i)),
            Ok(Meta::of(&round(&i, -1).unwrap()))
        );
    }

    #[test]
    fn cast_rule_takes_the_target_dtype() {
        let m = Meta::new(&[3, 1], DType::Complex128);
        assert_eq!(
            cast_rule(&m, DType::Int64),
            Meta::new(&[3, 1], DType::Int64)
        );
    }

    #[test]
    fn extremum_clip_and_complex_rules() {
        let v = Meta::new(&[3], DType::Float32);
        let s = Meta::scalar(DType::Int64);
        assert_eq!(
            extremum_rule(&v, &s, true),
            Ok(Meta::new(&[3], DType::Float32))
        );
        let col = Meta::new(&[2, 1], DType::Int64);
        assert_eq!(
            extremum_rule(&v, &col, false),
            Ok(Meta::new(&[2, 3], DType::Float64))
        );
        assert!(matches!(
            extremum_rule(&v, &Meta::scalar(DType::Complex128), true),
            Err(OpError::DType { op, dtype: DType::Complex128, }) if op == "maximum"
        ));
        assert!(matches!(
            extremum_rule(&v, &Meta::new(&[2], DType::Int64), true),
            Err(OpError::Broadcast { .. })
        ));
        // int64 then float32, both arrays: float64, as NumPy.
        assert_eq!(
            clip_rule(&col, &s, &v),
            Ok(Meta::new(&[2, 3], DType::Float64))
        );
        assert!(matches!(
            clip_rule(&col, &s, &Meta::new(&[3, 1], DType::Int64)),
            Err(OpError::Broadcast { lhs, .. }) if lhs == super::super::broadcast::known(&[2, 1])
        ));
        assert_eq!(
            complex_rule(&col, &v),
            Ok(Meta::new(&[2, 3], DType::Complex128))
        );
        assert!(matches!(
            complex_rule(&col, &Meta::new(&[3, 3], DType::Int64)),
            Err(OpError::Broadcast { .. })
        ));
        // The kernels agree with the rules and refuse what they refuse.
        let a = ints(&[2, 1], vec![1, 5]);
        let b = ints(&[3], vec![0, 2, 9]);
        let r = extremum(&a, &b, true).unwrap();
        assert_eq!(
            extremum_rule(&Meta::of(&a), &Meta::of(&b), true),
            Ok(Meta::of(&r))
        );
        assert_eq!(
            extremum(&a, &c128(&[1]), false),
            extremum_rule(&Meta::of(&a), &Meta::of(&c128(&[1])), false).map(|_| unreachable!())
        );
    }
}
