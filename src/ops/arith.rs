//! Elementwise operators `+ - * / // % ^`, comparisons and `& |`, plus the
//! prefix operators. Shape rule: broadcasting. Dtype rule: NumPy promotion,
//! except that integer overflow and integer division by zero are errors.

use ndarray::ArrayD;

use super::broadcast::{broadcast_shapes, zip_map};
use super::error::{OpError, OpResult};
use crate::eval::{Array, C64, DType, promote};
use crate::syntax::{BinOp, UnOp};

/// The result shape of an elementwise operator.
pub fn binary_shape(lhs: &[usize], rhs: &[usize]) -> OpResult<Vec<usize>> {
    broadcast_shapes(lhs, rhs)
}

/// The dtype both operands are converted to before the kernel runs.
fn operand_dtype(a: &Array, b: &Array) -> DType {
    promote(a.dtype(), a.is_scalar(), b.dtype(), b.is_scalar())
}

fn pair<T>(
    a: &Array,
    b: &Array,
    to: DType,
    get: impl Fn(Array) -> ArrayD<T>,
) -> (ArrayD<T>, ArrayD<T>) {
    (get(a.widen(to)), get(b.widen(to)))
}

fn ints(x: Array) -> ArrayD<i64> {
    match x {
        Array::Int(a) => a,
        _ => unreachable!("widened to int64"),
    }
}
fn f32s(x: Array) -> ArrayD<f32> {
    match x {
        Array::F32(a) => a,
        _ => unreachable!("widened to float32"),
    }
}
fn f64s(x: Array) -> ArrayD<f64> {
    match x {
        Array::F64(a) => a,
        _ => unreachable!("widened to float64"),
    }
}
fn c64s(x: Array) -> ArrayD<C64> {
    match x {
        Array::C128(a) => a,
        _ => unreachable!("widened to complex128"),
    }
}
fn bools(x: Array) -> ArrayD<bool> {
    match x {
        Array::Bool(a) => a,
        _ => unreachable!("widened to bool"),
    }
}

/// Runs a checked int64 kernel; `None` from `f` means overflow.
fn checked_ints(
    a: &ArrayD<i64>,
    b: &ArrayD<i64>,
    op: &str,
    f: impl Fn(i64, i64) -> Option<i64>,
) -> OpResult<Array> {
    let mut overflow = false;
    let r = zip_map(a, b, |x, y| {
        f(x, y).unwrap_or_else(|| {
            overflow = true;
            0
        })
    })?;
    if overflow {
        Err(OpError::overflow(op))
    } else {
        Ok(Array::Int(r))
    }
}

/// Evaluates an elementwise binary operator (everything but `@`).
pub fn binary(op: BinOp, a: &Array, b: &Array) -> OpResult<Array> {
    match op {
        BinOp::MatMul => return super::matmul::matmul(a, b),
        BinOp::LeftDiv => return super::linalg::solve(a, b),
        _ => {}
    }
    binary_shape(a.shape(), b.shape())?;
    let dt = operand_dtype(a, b);
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul => arithmetic(op, a, b, dt),
        BinOp::Div => divide(a, b, dt),
        BinOp::FloorDiv => floor_divide(a, b, dt),
        BinOp::Mod => modulo(a, b, dt),
        BinOp::Pow => power(a, b, dt),
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            compare(op, a, b, dt)
        }
        BinOp::And | BinOp::Or => logical(op, a, b, dt),
        BinOp::MatMul | BinOp::LeftDiv => unreachable!("handled above"),
    }
}

fn arithmetic(op: BinOp, a: &Array, b: &Array, dt: DType) -> OpResult<Array> {
    let name = op.name();
    Ok(match dt {
        DType::Bool => {
            // NumPy: bool + bool is "or", bool * bool is "and", bool - bool is refused.
            let (x, y) = pair(a, b, dt, bools);
            match op {
                BinOp::Add => Array::Bool(zip_map(&x, &y, |p, q| p | q)?),
                BinOp::Mul => Array::Bool(zip_map(&x, &y, |p, q| p & q)?),
                _ => {
                    return Err(OpError::DType {
                        op: name.to_string(),
                        dtype: DType::Bool,
                        hint: Some(
                            "convert first: int64(a) - int64(b), or use a != b for exclusive or"
                                .into(),
                        ),
                    });
                }
            }
        }
        DType::Int64 => {
            let (x, y) = pair(a, b, dt, ints);
            match op {
                BinOp::Add => checked_ints(&x, &y, name, i64::checked_add)?,
                BinOp::Sub => checked_ints(&x, &y, name, i64::checked_sub)?,
                _ => checked_ints(&x, &y, name, i64::checked_mul)?,
            }
        }
        DType::Float32 => {
            let (x, y) = pair(a, b, dt, f32s);
            Array::F32(match op {
                BinOp::Add => zip_map(&x, &y, |p, q| p + q)?,
                BinOp::Sub => zip_map(&x, &y, |p, q| p - q)?,
                _ => zip_map(&x, &y, |p, q| p * q)?,
            })
        }
        DType::Float64 => {
            let (x, y) = pair(a, b, dt, f64s);
            Array::F64(match op {
                BinOp::Add => zip_map(&x, &y, |p, q| p + q)?,
                BinOp::Sub => zip_map(&x, &y, |p, q| p - q)?,
                _ => zip_map(&x, &y, |p, q| p * q)?,
            })
        }
        DType::Complex128 => {
            let (x, y) = pair(a, b, dt, c64s);
            Array::C128(match op {
                BinOp::Add => zip_map(&x, &y, |p, q| p + q)?,
                BinOp::Sub => zip_map(&x, &y, |p, q| p - q)?,
                _ => zip_map(&x, &y, |p, q| p * q)?,
            })
        }
    })
}

/// True division: integers give float64, as in NumPy.
fn divide(a: &Array, b: &Array, dt: DType) -> OpResult<Array> {
    Ok(match dt {
        DType::Bool | DType::Int64 | DType::Float64 => {
            let (x, y) = pair(a, b, DType::Float64, f64s);
            Array::F64(zip_map(&x, &y, |p, q| p / q)?)
        }
        DType::Float32 => {
            let (x, y) = pair(a, b, dt, f32s);
            Array::F32(zip_map(&x, &y, |p, q| p / q)?)
        }
        DType::Complex128 => {
            let (x, y) = pair(a, b, dt, c64s);
            Array::C128(zip_map(&x, &y, complex_div)?)
        }
    })
}

/// Complex division that gives IEEE results for a zero divisor, as NumPy
/// does (`1/0j` is `inf+nanj`), rather than num-complex's NaN everywhere.
fn complex_div(p: C64, q: C64) -> C64 {
    if q.im == 0.0 {
        C64::new(p.re / q.re, p.im / q.re)
    } else {
        p / q
    }
}

fn int_floor_div(x: i64, y: i64) -> Option<i64> {
    let q = x.checked_div(y)?;
    if (x % y != 0) && ((x < 0) != (y < 0)) {
        Some(q - 1)
    } else {
        Some(q)
    }
}

fn int_mod(x: i64, y: i64) -> i64 {
    // i64::MIN % -1 overflows in Rust; mathematically it is 0.
    let r = x.checked_rem(y).unwrap_or(0);
    if r != 0 && ((r < 0) != (y < 0)) {
        r + y
    } else {
        r
    }
}

/// Python's float floor division, which NumPy follows.
fn float_floor_div(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        return a / b;
    }
    let m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 && ((b < 0.0) != (m < 0.0)) {
        div -= 1.0;
    }
    if div == 0.0 {
        return (0.0f64).copysign(a / b);
    }
    let fl = div.floor();
    if div - fl > 0.5 { fl + 1.0 } else { fl }
}

/// Python's float modulo: the result takes the divisor's sign.
fn float_mod(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        return f64::NAN;
    }
    let mut m = a % b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
        }
    } else {
        m = (0.0f64).copysign(b);
    }
    m
}

/// Integer operands of `//` and `%`, refusing a zero divisor up front.
fn int_args(a: &Array, b: &Array, op: &str) -> OpResult<(ArrayD<i64>, ArrayD<i64>)> {
    let (x, y) = pair(a, b, DType::Int64, ints);
    if y.iter().any(|&v| v == 0) {
        return Err(OpError::DivideByZero { op: op.to_string() });
    }
    Ok((x, y))
}

fn floor_divide(a: &Array, b: &Array, dt: DType) -> OpResult<Array> {
    match dt {
        DType::Bool | DType::Int64 => {
            let (x, y) = int_args(a, b, "floor_divide")?;
            checked_ints(&x, &y, "floor_divide", int_floor_div)
        }
        DType::Float32 => {
            let (x, y) = pair(a, b, dt, f32s);
            Ok(Array::F32(zip_map(&x, &y, |p, q| {
                float_floor_div(p as f64, q as f64) as f32
            })?))
        }
        DType::Float64 => {
            let (x, y) = pair(a, b, dt, f64s);
            Ok(Array::F64(zip_map(&x, &y, float_floor_div)?))
        }
        DType::Complex128 => Err(OpError::DType {
            op: "floor_divide".into(),
            dtype: dt,
            hint: Some("complex numbers have no floor; divide with `/`".into()),
        }),
    }
}

fn modulo(a: &Array, b: &Array, dt: DType) -> OpResult<Array> {
    match dt {
        DType::Bool | DType::Int64 => {
            let (x, y) = int_args(a, b, "mod")?;
            Ok(Array::Int(zip_map(&x, &y, int_mod)?))
        }
        DType::Float32 => {
            let (x, y) = pair(a, b, dt, f32s);
            Ok(Array::F32(zip_map(&x, &y, |p, q| {
                float_mod(p as f64, q as f64) as f32
            })?))
        }
        DType::Float64 => {
            let (x, y) = pair(a, b, dt, f64s);
            Ok(Array::F64(zip_map(&x, &y, float_mod)?))
        }
        DType::Complex128 => Err(OpError::DType {
            op: "mod".into(),
            dtype: dt,
            hint: Some("complex numbers have no remainder".into()),
        }),
    }
}

fn int_pow(base: i64, exp: i64) -> Option<i64> {
    match base {
        0 => Some(if exp == 0 { 1 } else { 0 }),
        1 => Some(1),
        -1 => Some(if exp % 2 == 0 { 1 } else { -1 }),
        _ => base.checked_pow(u32::try_from(exp).ok()?),
    }
}

fn power(a: &Array, b: &Array, dt: DType) -> OpResult<Array> {
    match dt {
        DType::Bool | DType::Int64 => {
            let (x, y) = pair(a, b, DType::Int64, ints);
            if y.iter().any(|&e| e < 0) {
                // NumPy refuses integers to negative powers; we answer in float64.
                let (fx, fy) = pair(a, b, DType::Float64, f64s);
                return Ok(Array::F64(zip_map(&fx, &fy, f64::powf)?));
            }
            checked_ints(&x, &y, "power", int_pow)
        }
        DType::Float32 => {
            let (x, y) = pair(a, b, dt, f32s);
            Ok(Array::F32(zip_map(&x, &y, f32::powf)?))
        }
        DType::Float64 => {
            let (x, y) = pair(a, b, dt, f64s);
            Ok(Array::F64(zip_map(&x, &y, f64::powf)?))
        }
        DType::Complex128 => {
            let (x, y) = pair(a, b, dt, c64s);
            Ok(Array::C128(zip_map(&x, &y, complex_pow)?))
        }
    }
}

/// `z^w` with exact small integer powers, so `(2j)^2` is `-4+0j` and not
/// `-4+4.9e-16j` as `exp(w log z)` would give.
pub fn complex_pow(z: C64, w: C64) -> C64 {
    if w.im == 0.0 && w.re.fract() == 0.0 && w.re.abs() <= 64.0 {
        let n = w.re as i32;
        let p = z.powi(n.abs());
        return if n < 0 {
            complex_div(C64::new(1.0, 0.0), p)
        } else {
            p
        };
    }
    if z == C64::new(0.0, 0.0) {
        return if w.re > 0.0 {
            C64::new(0.0, 0.0)
        } else {
            C64::new(f64::NAN, f64::NAN)
        };
    }
    z.powc(w)
}

fn compare(op: BinOp, a: &Array, b: &Array, dt: DType) -> OpResult<Array> {
    fn cmp<T: PartialOrd + Copy>(op: BinOp, x: &ArrayD<T>, y: &ArrayD<T>) -> OpResult<Array> {
        Ok(Array::Bool(zip_map(x, y, |p, q| match op {
            BinOp::Eq => p == q,
            BinOp::Ne => p != q,
            BinOp::Lt => p < q,
            BinOp::Le => p <= q,
            BinOp::Gt => p > q,
            _ => p >= q,
        })?))
    }
    match dt {
        DType::Bool => {
            let (x, y) = pair(a, b, dt, bools);
            cmp(op, &x, &y)
        }
        DType::Int64 => {
            let (x, y) = pair(a, b, dt, ints);
            cmp(op, &x, &y)
        }
        DType::Float32 => {
            let (x, y) = pair(a, b, dt, f32s);
            cmp(op, &x, &y)
        }
        DType::Float64 => {
            let (x, y) = pair(a, b, dt, f64s);
            cmp(op, &x, &y)
        }
        DType::Complex128 => {
            let (x, y) = pair(a, b, dt, c64s);
            match op {
                BinOp::Eq => Ok(Array::Bool(zip_map(&x, &y, |p, q| p == q)?)),
                BinOp::Ne => Ok(Array::Bool(zip_map(&x, &y, |p, q| p != q)?)),
                _ => Err(OpError::DType {
                    op: op.name().into(),
                    dtype: dt,
                    hint: Some("complex numbers are not ordered; compare abs(z) or real(z)".into()),
                }),
            }
        }
    }
}

fn logical(op: BinOp, a: &Array, b: &Array, dt: DType) -> OpResult<Array> {
    match dt {
        DType::Bool => {
            let (x, y) = pair(a, b, dt, bools);
            Ok(Array::Bool(if op == BinOp::And {
                zip_map(&x, &y, |p, q| p & q)?
            } else {
                zip_map(&x, &y, |p, q| p | q)?
            }))
        }
        // On integers `&` and `|` are bitwise, as in NumPy.
        DType::Int64 => {
            let (x, y) = pair(a, b, dt, ints);
            Ok(Array::Int(if op == BinOp::And {
                zip_map(&x, &y, |p, q| p & q)?
            } else {
                zip_map(&x, &y, |p, q| p | q)?
            }))
        }
        _ => Err(OpError::DType {
            op: op.name().into(),
            dtype: dt,
            hint: Some("`&` and `|` take bools (or integers, bitwise); compare first, e.g. (x > 0) & (y > 0)".into()),
        }),
    }
}

/// Evaluates a prefix operator.
pub fn unary(op: UnOp, a: &Array) -> OpResult<Array> {
    match op {
        UnOp::Plus => match a {
            Array::Bool(_) => Err(OpError::DType {
                op: "positive".into(),
                dtype: DType::Bool,
                hint: Some("convert first: +int64(b)".into()),
            }),
            _ => Ok(a.clone()),
        },
        UnOp::Neg => match a {
            Array::Bool(_) => Err(OpError::DType {
                op: "negative".into(),
                dtype: DType::Bool,
                hint: Some("use !b for logical not, or -int64(b)".into()),
            }),
            Array::Int(x) => {
                if x.iter().any(|&v| v == i64::MIN) {
                    return Err(OpError::overflow("negative"));
                }
                Ok(Array::Int(x.mapv(|v| -v)))
            }
            Array::F32(x) => Ok(Array::F32(x.mapv(|v| -v))),
            Array::F64(x) => Ok(Array::F64(x.mapv(|v| -v))),
            Array::C128(x) => Ok(Array::C128(x.mapv(|v| -v))),
        },
        UnOp::Not => match a {
            Array::Bool(x) => Ok(Array::Bool(x.mapv(|v| !v))),
            _ => Err(OpError::DType {
                op: "logical not".into(),
                dtype: a.dtype(),
                hint: Some("`!` takes bools; for numbers write x == 0".into()),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_floor_division_and_modulo_take_numpy_signs() {
        assert_eq!(int_floor_div(7, -2), Some(-4));
        assert_eq!(int_floor_div(-7, 2), Some(-4));
        assert_eq!(int_floor_div(i64::MIN, -1), None);
        assert_eq!(int_mod(-7, 2), 1);
        assert_eq!(int_mod(7, -2), -1);
        assert_eq!(int_mod(i64::MIN, -1), 0);
    }

    #[test]
    fn float_floor_division_and_modulo_match_python() {
        assert_eq!(float_floor_div(7.5, -2.0), -4.0);
        assert_eq!(float_mod(-7.5, 2.0), 0.5);
        assert_eq!(float_mod(7.5, -2.0), -0.5);
        assert!(float_mod(1.0, 0.0).is_nan());
        assert_eq!(float_floor_div(1.0, 0.0), f64::INFINITY);
        assert!(float_mod(-0.0, 3.0).is_sign_positive());
    }

    #[test]
    fn powers_are_exact_or_refused() {
        assert_eq!(int_pow(2, 62), Some(1 << 62));
        assert_eq!(int_pow(2, 63), None);
        assert_eq!(int_pow(-1, 1_000_000_000_001), Some(-1));
        assert_eq!(int_pow(0, 0), Some(1));
        assert_eq!(
            complex_pow(C64::new(0.0, 2.0), C64::new(2.0, 0.0)),
            C64::new(-4.0, 0.0)
        );
    }
}
