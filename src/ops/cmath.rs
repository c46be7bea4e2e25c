//! Complex functions with C99 Annex G special values (infinite and NaN
//! parts), as NumPy's npymath and the C library give them: division by
//! Smith's method as NumPy's loop does it, `sqrt`, `sign`, and the
//! hyperbolic and circular functions after FreeBSD's msun (`s_csinh.c`,
//! `s_ccosh.c`, `s_ctanh.c`), whose `tanh` is Kahan's formulation: it stays
//! accurate next to a pole (`tanh(pi/2 j)` is 1.633e16j, not nan+inf j);
//! the inverse functions' special values follow Annex G's tables.

// `y - y` is how msun turns an infinity or a NaN into a NaN (and a finite
// y into a zero) without a branch; the formulas are kept as written there.
#![allow(clippy::eq_op)]

use crate::value::C64;

/// `p / q` as NumPy's complex128 divide loop computes it.
pub fn div(p: C64, q: C64) -> C64 {
    let (ar, ai) = (q.re.abs(), q.im.abs());
    if ar >= ai {
        if ar == 0.0 && ai == 0.0 {
            return C64::new(p.re / ar, p.im / ar);
        }
        let rat = q.im / q.re;
        let scl = 1.0 / (q.re + q.im * rat);
        C64::new((p.re + p.im * rat) * scl, (p.im - p.re * rat) * scl)
    } else if ai >= ar {
        let rat = q.re / q.im;
        let scl = 1.0 / (q.im + q.re * rat);
        C64::new((p.re * rat + p.im) * scl, (p.im * rat - p.re) * scl)
    } else {
        // A NaN part: neither comparison holds.
        C64::new(f64::NAN, f64::NAN)
    }
}

/// The textbook product, as NumPy multiplies inside `pow` (no special
/// cases, so an infinite part times a zero gives NaN as NumPy's does).
fn mul(a: C64, b: C64) -> C64 {
    C64::new(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
}

/// `z^n` for a whole n with |n| < 100 as NumPy's `nc_pow` computes it: by
/// squaring, starting from 1, then `1 / z^|n|` for a negative n.
pub fn powi(z: C64, n: i32) -> C64 {
    match n {
        1 => return z,
        2 => return mul(z, z),
        3 => return mul(z, mul(z, z)),
        _ => {}
    }
    let mut m = n.unsigned_abs();
    let (mut acc, mut p) = (C64::new(1.0, 0.0), z);
    loop {
        if m & 1 == 1 {
            acc = mul(acc, p);
        }
        m >>= 1;
        if m == 0 {
            break;
        }
        p = mul(p, p);
    }
    if n < 0 {
        div(C64::new(1.0, 0.0), acc)
    } else {
        acc
    }
}

/// C99 `csqrt`.
pub fn sqrt(z: C64) -> C64 {
    let (x, y) = (z.re, z.im);
    if y.is_infinite() {
        return C64::new(f64::INFINITY, y);
    }
    if x.is_nan() {
        return C64::new(x, f64::NAN);
    }
    if x.is_infinite() {
        if y.is_nan() {
            return if x > 0.0 {
                C64::new(x, y)
            } else {
                C64::new(y, f64::INFINITY)
            };
        }
        return if x > 0.0 {
            C64::new(x, 0.0f64.copysign(y))
        } else {
            C64::new(0.0, f64::INFINITY.copysign(y))
        };
    }
    if y.is_nan() {
        return C64::new(f64::NAN, f64::NAN);
    }
    if x == 0.0 && y == 0.0 {
        return C64::new(0.0, y);
    }
    z.sqrt()
}

/// NumPy 2's complex `sign`: z / |z|, with the direction of an infinite
/// part when one part is infinite.
pub fn sign(z: C64) -> C64 {
    let n = z.re.hypot(z.im);
    if n.is_nan() {
        return C64::new(f64::NAN, f64::NAN);
    }
    if n.is_infinite() {
        return match (z.re.is_infinite(), z.im.is_infinite()) {
            (true, true) => C64::new(f64::NAN, f64::NAN),
            (true, false) => C64::new(1.0f64.copysign(z.re), 0.0),
            _ => C64::new(0.0, 1.0f64.copysign(z.im)),
        };
    }
    if n == 0.0 {
        return C64::new(0.0, 0.0);
    }
    C64::new(z.re / n, z.im / n)
}

/// exp(|x|) / 2 split so it does not overflow before it is multiplied by
/// cos or sin (|x| from 710 to 1455): returns (a, b) with a·b = exp(|x|)/2.
fn half_exp(ax: f64) -> (f64, f64) {
    if ax < 709.0 {
        (ax.exp() * 0.5, 1.0)
    } else {
        let h = (ax * 0.5).exp();
        (h * 0.5, h)
    }
}

/// C99 `csinh` (FreeBSD's algorithm).
pub fn sinh(z: C64) -> C64 {
    let (x, y) = (z.re, z.im);
    if x.is_finite() && y.is_finite() {
        if y == 0.0 {
            return C64::new(x.sinh(), y);
        }
        if x.abs() < 22.0 {
            return C64::new(x.sinh() * y.cos(), x.cosh() * y.sin());
        }
        let (a, b) = half_exp(x.abs());
        return C64::new(a.copysign(x) * y.cos() * b, a * y.sin() * b);
    }
    if x == 0.0 && !y.is_finite() {
        return C64::new(x, y - y);
    }
    if y == 0.0 && !x.is_finite() {
        return if x.is_infinite() {
            C64::new(x, y)
        } else {
            C64::new(x, 0.0f64.copysign(y))
        };
    }
    if x.is_finite() && !y.is_finite() {
        return C64::new(y - y, x * (y - y));
    }
    if x.is_infinite() {
        if !y.is_finite() {
            return C64::new(x * x, x * (y - y));
        }
        return C64::new(x * y.cos(), f64::INFINITY * y.sin());
    }
    C64::new((x * x) * (y - y), (x + x) * (y - y))
}

/// C99 `ccosh` (FreeBSD's algorithm).
pub fn cosh(z: C64) -> C64 {
    let (x, y) = (z.re, z.im);
    if x.is_finite() && y.is_finite() {
        if y == 0.0 {
            return C64::new(x.cosh(), x * y);
        }
        if x.abs() < 22.0 {
            return C64::new(x.cosh() * y.cos(), x.sinh() * y.sin());
        }
        let (a, b) = half_exp(x.abs());
        return C64::new(a * y.cos() * b, a.copysign(x) * y.sin() * b);
    }
    if x == 0.0 && !y.is_finite() {
        return C64::new(y - y, x * 0.0f64.copysign(y));
    }
    if y == 0.0 && !x.is_finite() {
        return C64::new(x * x, 0.0f64.copysign(x) * y);
    }
    if x.is_finite() && !y.is_finite() {
        return C64::new(y - y, x * (y - y));
    }
    if x.is_infinite() {
        if !y.is_finite() {
            return C64::new(x * x, x * (y - y));
        }
        return C64::new((x * x) * y.cos(), x * y.sin());
    }
    C64::new((x * x) * (y - y), (x + y) * (y - y))
}

/// C99 `ctanh`: Kahan's formulation (FreeBSD's `s_ctanh.c`).
pub fn tanh(z: C64) -> C64 {
    let (x, y) = (z.re, z.im);
    if x.is_nan() {
        return C64::new(x, if y == 0.0 { y } else { x * y });
    }
    if x.is_infinite() {
        let s = if y.is_infinite() {
            y
        } else {
            y.sin() * y.cos()
        };
        return C64::new(1.0f64.copysign(x), 0.0f64.copysign(s));
    }
    if !y.is_finite() {
        return C64::new(y - y, y - y);
    }
    if x.abs() >= 22.0 {
        let e = (-x.abs()).exp();
        return C64::new(1.0f64.copysign(x), 4.0 * y.sin() * y.cos() * e * e);
    }
    let t = y.tan();
    let beta = 1.0 + t * t;
    let s = x.sinh();
    let rho = (1.0 + s * s).sqrt();
    let denom = 1.0 + beta * s * s;
    C64::new((beta * rho * s) / denom, t / denom)
}

/// i·z and its inverse, for the circular functions in terms of the
/// hyperbolic ones.
fn times_i(z: C64) -> C64 {
    C64::new(-z.im, z.re)
}

/// `sin z = -i sinh(i z)`.
pub fn sin(z: C64) -> C64 {
    let w = sinh(times_i(z));
    C64::new(w.im, -w.re)
}

/// `cos z = cosh(i z)`.
pub fn cos(z: C64) -> C64 {
    cosh(times_i(z))
}

/// `tan z = -i tanh(i z)`.
pub fn tan(z: C64) -> C64 {
    let w = tanh(times_i(z));
    C64::new(w.im, -w.re)
}

/// C99 `casinh` for a non-finite part (Annex G's table, first quadrant,
/// then odd in x and conjugate-symmetric in y); finite values go to the
/// library's formula.
pub fn asinh(z: C64) -> C64 {
    if z.re.is_finite() && z.im.is_finite() {
        return z.asinh();
    }
    let (x, y) = (z.re.abs(), z.im.abs());
    let nan = f64::NAN;
    let w = if x.is_nan() {
        // (NaN, +0) keeps the zero; (NaN, inf) is (inf, NaN).
        if y.is_infinite() {
            C64::new(f64::INFINITY, nan)
        } else if y == 0.0 {
            C64::new(nan, 0.0)
        } else {
            C64::new(nan, nan)
        }
    } else if y.is_nan() {
        if x.is_infinite() {
            C64::new(f64::INFINITY, nan)
        } else {
            C64::new(nan, nan)
        }
    } else if x.is_infinite() && y.is_infinite() {
        C64::new(f64::INFINITY, std::f64::consts::FRAC_PI_4)
    } else if x.is_infinite() {
        C64::new(f64::INFINITY, 0.0)
    } else {
        C64::new(f64::INFINITY, std::f64::consts::FRAC_PI_2)
    };
    C64::new(w.re.copysign(z.re), w.im.copysign(z.im))
}

/// C99 `catanh` for a non-finite part, as `asinh`.
pub fn atanh(z: C64) -> C64 {
    if z.re.is_finite() && z.im.is_finite() {
        return z.atanh();
    }
    let (x, y) = (z.re.abs(), z.im.abs());
    let nan = f64::NAN;
    let half_pi = std::f64::consts::FRAC_PI_2;
    let w = if x.is_nan() {
        if y.is_infinite() {
            C64::new(0.0, half_pi)
        } else {
            C64::new(nan, nan)
        }
    } else if y.is_nan() {
        if x.is_infinite() {
            C64::new(0.0, nan)
        } else {
            C64::new(nan, nan)
        }
    } else {
        // An infinite part, the other finite or infinite.
        C64::new(0.0, half_pi)
    };
    C64::new(w.re.copysign(z.re), w.im.copysign(z.im))
}

/// `asin z = -i asinh(i z)`.
pub fn asin(z: C64) -> C64 {
    if z.re.is_finite() && z.im.is_finite() {
        return z.asin();
    }
    let w = asinh(times_i(z));
    C64::new(w.im, -w.re)
}

/// `acos z = pi/2 - asin z` gives Annex G's `cacos` for every non-finite
/// case (the signed zeros it would lose are all at finite points).
pub fn acos(z: C64) -> C64 {
    if z.re.is_finite() && z.im.is_finite() {
        return z.acos();
    }
    let w = asin(z);
    C64::new(std::f64::consts::FRAC_PI_2 - w.re, -w.im)
}

/// `atan z = -i atanh(i z)`.
pub fn atan(z: C64) -> C64 {
    if z.re.is_finite() && z.im.is_finite() {
        return z.atan();
    }
    let w = atanh(times_i(z));
    C64::new(w.im, -w.re)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(re: f64, im: f64) -> C64 {
        C64::new(re, im)
    }

    fn bits(z: C64) -> (u64, u64) {
        (z.re.to_bits(), z.im.to_bits())
    }

    #[test]
    #[allow(clippy::approx_constant)] // 1.5707963 is the point near pi/2
    fn tanh_stays_accurate_next_to_its_pole() {
        // NumPy: tanh(pi/2 j) = 0+1.633123935319537e16j.
        let w = tanh(c(0.0, std::f64::consts::FRAC_PI_2));
        assert_eq!(w.re, 0.0);
        assert!((w.im - 1.633123935319537e16).abs() <= 1e-12 * 1.633123935319537e16);
        // NumPy: tanh(1.5707963j) = 0+37320539.634217upj.
        let w = tanh(c(0.0, 1.5707963));
        let want = 1.5707963f64.tan();
        assert!((w.im - want).abs() <= 1e-12 * want, "{w}");
        let w = tan(c(std::f64::consts::FRAC_PI_2, 0.0));
        assert!((w.re - 1.633123935319537e16).abs() <= 1e4, "{w}");
    }

    #[test]
    fn annex_g_special_values() {
        let inf = f64::INFINITY;
        assert_eq!(bits(div(c(1.0, 0.0), c(-inf, 1.0))), bits(c(-0.0, -0.0)));
        assert_eq!(bits(sqrt(c(-inf, -1.0))), bits(c(0.0, -inf)));
        assert_eq!(sign(c(inf, 1.0)), c(1.0, 0.0));
        assert_eq!(tanh(c(inf, 2.0)).re, 1.0);
        assert_eq!(sinh(c(inf, 0.0)), c(inf, 0.0));
        assert_eq!(cosh(c(-inf, 0.0)).re, inf);
        let (h, q) = (std::f64::consts::FRAC_PI_2, std::f64::consts::FRAC_PI_4);
        assert_eq!(acos(c(-inf, inf)), c(3.0 * q, -inf));
        assert_eq!(acos(c(inf, -1.0)), c(0.0, inf));
        assert_eq!(asin(c(-inf, -1.0)), c(-h, -inf));
        assert_eq!(atan(c(inf, 1.5)), c(h, 0.0));
        assert!(acos(c(nan(), inf)).im == -inf);
    }

    fn nan() -> f64 {
        f64::NAN
    }
}
