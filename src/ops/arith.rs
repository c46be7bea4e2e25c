//! Elementwise operators `+ - * / // % ^`, comparisons and `& |`, plus the
//! prefix operators. Shape rule: broadcasting. Dtype rule: NumPy promotion,
//! except that integer overflow and integer division by zero are errors.

use std::borrow::Cow;

use ndarray::{ArrayD, IxDyn};

use super::broadcast::{as_dtype, broadcast_dims, broadcast_shapes, zip_map};
use super::error::{OpError, OpResult};
use crate::kernel::Exec;
use crate::kernel::elementwise::{self, Src};
use crate::syntax::{BinOp, UnOp};
use crate::value::{Array, C64, DType, Elem, Meta, promote};

/// The rule of a binary operator: broadcasting for the shape, NumPy's
/// promotion for the dtype (`/` gives float64 for integers, comparisons give
/// bool), and the dtypes an operator refuses. `@` and `\` have rules of their
/// own. `exponent_nonneg` says, for `^` on integers, whether every exponent is
/// known to be ≥ 0 (int64 result) or some is negative (float64); `None`
/// leaves both possible.
pub fn binary_rule(
    op: BinOp,
    lhs: &Meta,
    rhs: &Meta,
    exponent_nonneg: Option<bool>,
) -> OpResult<Meta> {
    match op {
        BinOp::MatMul => return super::matmul::matmul_rule(lhs, rhs),
        BinOp::LeftDiv => return super::linalg::solve_rule(lhs, rhs),
        _ => {}
    }
    let shape = broadcast_dims(&lhs.shape, &rhs.shape)?;
    let dt = promote(lhs.dtype, lhs.is_scalar(), rhs.dtype, rhs.is_scalar());
    let (dtype, alt) = binary_dtype(op, dt, exponent_nonneg)?;
    let meta = Meta::with_dims(shape, dtype);
    Ok(match alt {
        Some(alt) => meta.or_dtype(alt),
        None => meta,
    })
}

/// The result dtype of `op` computed in `dt`, with a second possibility
/// where the values decide.
fn binary_dtype(
    op: BinOp,
    dt: DType,
    exponent_nonneg: Option<bool>,
) -> OpResult<(DType, Option<DType>)> {
    use DType::*;
    let refuse = || Err(OpError::dtype(op.name(), dt));
    let one = |d| Ok((d, None));
    match op {
        BinOp::Add | BinOp::Mul => one(dt),
        BinOp::Sub if dt == Bool => refuse(),
        BinOp::Sub => one(dt),
        BinOp::Div => one(match dt {
            Bool | Int64 => Float64,
            other => other,
        }),
        BinOp::FloorDiv | BinOp::Mod => match dt {
            Bool | Int64 => one(Int64),
            Complex128 => refuse(),
            other => one(other),
        },
        BinOp::Pow => match (dt, exponent_nonneg) {
            (Bool | Int64, Some(true)) => one(Int64),
            (Bool | Int64, Some(false)) => one(Float64),
            (Bool | Int64, None) => Ok((Int64, Some(Float64))),
            (other, _) => one(other),
        },
        BinOp::Eq | BinOp::Ne => one(Bool),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge if dt == Complex128 => refuse(),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => one(Bool),
        BinOp::And | BinOp::Or => match dt {
            Bool | Int64 => one(dt),
            _ => refuse(),
        },
        BinOp::MatMul | BinOp::LeftDiv => unreachable!("rules of their own"),
    }
}

/// For `^`: whether every exponent in `b` is ≥ 0, when that decides the
/// dtype (integer or bool exponents); `None` otherwise.
pub fn exponent_nonneg(b: &Array) -> Option<bool> {
    match b {
        Array::Int(x) => Some(x.iter().all(|&e| e >= 0)),
        Array::Bool(_) => Some(true),
        _ => None,
    }
}

/// The rule of a prefix operator: the shape stays; `-` and `+` refuse bools,
/// `!` takes only bools.
pub fn unary_rule(op: UnOp, x: &Meta) -> OpResult<Meta> {
    let refused = match op {
        UnOp::Plus | UnOp::Neg => x.dtype == DType::Bool,
        UnOp::Not => x.dtype != DType::Bool,
    };
    if refused {
        return Err(OpError::dtype(unary_name(op), x.dtype));
    }
    Ok(x.clone())
}

/// The operation's name in messages.
fn unary_name(op: UnOp) -> &'static str {
    match op {
        UnOp::Plus => "positive",
        UnOp::Neg => "negative",
        UnOp::Not => "logical not",
    }
}

/// The rule of `'`: the last two axes swap; vectors and scalars stay.
pub fn adjoint_rule(x: &Meta) -> Meta {
    let mut out = x.clone();
    let n = out.ndim();
    if n >= 2 {
        out.shape.swap(n - 2, n - 1);
    }
    out
}

/// The dtype both operands are converted to before the kernel runs.
fn operand_dtype(a: &Array, b: &Array) -> DType {
    promote(a.dtype(), a.is_scalar(), b.dtype(), b.is_scalar())
}

/// Both operands in the kernel's dtype, borrowed when they already have it.
fn pair<'a, T: Elem>(a: &'a Array, b: &'a Array) -> (Cow<'a, ArrayD<T>>, Cow<'a, ArrayD<T>>) {
    (as_dtype::<T>(a), as_dtype::<T>(b))
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
pub fn binary(op: BinOp, a: &Array, b: &Array, exec: &Exec) -> OpResult<Array> {
    match op {
        BinOp::MatMul => return super::matmul::matmul(a, b, exec),
        BinOp::LeftDiv => return super::linalg::solve(a, b, exec),
        _ => {}
    }
    let out = binary_rule(op, &Meta::of(a), &Meta::of(b), exponent_nonneg(b))?;
    let dt = operand_dtype(a, b);
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul => arithmetic(op, a, b, dt, exec),
        BinOp::Div => divide(a, b, dt, exec),
        BinOp::FloorDiv => floor_divide(a, b, dt),
        BinOp::Mod => modulo(a, b, dt),
        BinOp::Pow => power(a, b, dt, out.dtype),
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            compare(op, a, b, dt)
        }
        BinOp::And | BinOp::Or => logical(op, a, b, dt),
        BinOp::MatMul | BinOp::LeftDiv => unreachable!("handled above"),
    }
}

fn arithmetic(op: BinOp, a: &Array, b: &Array, dt: DType, exec: &Exec) -> OpResult<Array> {
    if let Some(r) = fast_float(op, a, b, dt, exec) {
        return r;
    }
    let name = op.name();
    Ok(match dt {
        DType::Bool => {
            // NumPy: bool + bool is "or", bool * bool is "and", bool - bool is refused.
            let (x, y) = pair::<bool>(a, b);
            match op {
                BinOp::Add => Array::Bool(zip_map(&x, &y, |p, q| p | q)?),
                BinOp::Mul => Array::Bool(zip_map(&x, &y, |p, q| p & q)?),
                _ => {
                    return Err(OpError::DType {
                        op: name.to_string(),
                        dtype: DType::Bool,
                    });
                }
            }
        }
        DType::Int64 => {
            let (x, y) = pair::<i64>(a, b);
            match op {
                BinOp::Add => checked_ints(&x, &y, name, i64::checked_add)?,
                BinOp::Sub => checked_ints(&x, &y, name, i64::checked_sub)?,
                _ => checked_ints(&x, &y, name, i64::checked_mul)?,
            }
        }
        DType::Float32 => {
            let (x, y) = pair::<f32>(a, b);
            Array::F32(match op {
                BinOp::Add => zip_map(&x, &y, |p, q| p + q)?,
                BinOp::Sub => zip_map(&x, &y, |p, q| p - q)?,
                _ => zip_map(&x, &y, |p, q| p * q)?,
            })
        }
        DType::Float64 => {
            let (x, y) = pair::<f64>(a, b);
            Array::F64(match op {
                BinOp::Add => zip_map(&x, &y, |p, q| p + q)?,
                BinOp::Sub => zip_map(&x, &y, |p, q| p - q)?,
                _ => zip_map(&x, &y, |p, q| p * q)?,
            })
        }
        DType::Complex128 => {
            let (x, y) = pair::<C64>(a, b);
            Array::C128(match op {
                BinOp::Add => zip_map(&x, &y, |p, q| p + q)?,
                BinOp::Sub => zip_map(&x, &y, |p, q| p - q)?,
                _ => zip_map(&x, &y, |p, q| p * q)?,
            })
        }
    })
}

// Fast paths. Float and complex `+ - * /` cannot fail, so when every
// operand is contiguous with the result's shape (or 0-d) they run as one
// SIMD loop per operator over the buffers, on several threads when large
// (kernel::elementwise), instead of ndarray's generic zip.

/// Element types with the four float operators.
trait Field:
    Elem
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
{
}
// A bound, not a trait of its own: the fast paths are taken for float32,
// float64 and complex128 only (`fast_float`).
impl<T> Field for T where
    T: Elem
        + std::ops::Add<Output = T>
        + std::ops::Sub<Output = T>
        + std::ops::Mul<Output = T>
        + std::ops::Div<Output = T>
{
}

/// `a op b` by the fast path, or `None` when it does not apply.
fn fast_float(op: BinOp, a: &Array, b: &Array, dt: DType, exec: &Exec) -> Option<OpResult<Array>> {
    match dt {
        DType::Float32 => fast_field::<f32>(op, a, b, exec),
        DType::Float64 => fast_field::<f64>(op, a, b, exec),
        // NumPy's complex division differs from num-complex's for a zero
        // divisor (see complex_div), so it keeps the general path.
        DType::Complex128 if op != BinOp::Div => fast_field::<C64>(op, a, b, exec),
        _ => None,
    }
}

fn fast_field<T: Field>(op: BinOp, a: &Array, b: &Array, exec: &Exec) -> Option<OpResult<Array>> {
    match op {
        BinOp::Add => fast2::<T>(a, b, |x, y| x + y, exec),
        BinOp::Sub => fast2::<T>(a, b, |x, y| x - y, exec),
        BinOp::Mul => fast2::<T>(a, b, |x, y| x * y, exec),
        BinOp::Div => fast2::<T>(a, b, |x, y| x / y, exec),
        _ => None,
    }
}

/// The shape of the fast path's result: that of the operands that are not
/// 0-d, which must agree; `None` when all are 0-d or shapes differ.
fn fast_shape<'a>(operands: &[&'a Array]) -> Option<&'a [usize]> {
    let mut shape: Option<&[usize]> = None;
    for a in operands {
        if a.ndim() > 0 {
            match shape {
                Some(s) if s != a.shape() => return None,
                _ => shape = Some(a.shape()),
            }
        }
    }
    shape
}

/// An operand as a kernel input: a 0-d array (of any dtype that widens to
/// `T`) as a scalar, else a contiguous C-order buffer already of type `T`.
fn src<T: Elem>(a: &Array) -> Option<Src<'_, T>> {
    if a.ndim() == 0 {
        let v = as_dtype::<T>(a);
        return v.first().copied().map(Src::Scalar);
    }
    T::borrow(a)?.as_slice().map(Src::Slice)
}

fn fast2<T: Elem>(
    a: &Array,
    b: &Array,
    f: impl Fn(T, T) -> T + Sync,
    exec: &Exec,
) -> Option<OpResult<Array>> {
    let shape = fast_shape(&[a, b])?;
    let (x, y) = (src::<T>(a)?, src::<T>(b)?);
    let n = shape.iter().product();
    Some(match elementwise::new2(exec, n, x, y, f) {
        Some(out) => Ok(wrap(shape, out)),
        None => Err(OpError::Interrupted),
    })
}

fn wrap<T: Elem>(shape: &[usize], data: Vec<T>) -> Array {
    T::wrap(ArrayD::from_shape_vec(IxDyn(shape), data).expect("length matches the shape"))
}

/// `acc = acc op other` (or `other op acc` when `acc_left` is false) in
/// `acc`'s own buffer, for an operand that is a temporary of the evaluator.
/// `None` (and `acc` untouched) when the result would not fit in `acc`: a
/// different dtype or shape, or an operator that can fail. `Some(Err)` only
/// for an interruption, after which `acc` holds partial results.
pub fn binary_in_place(
    op: BinOp,
    acc: &mut Array,
    other: &Array,
    acc_left: bool,
    exec: &Exec,
) -> Option<OpResult<()>> {
    let dt = acc.dtype();
    let (l, r) = if acc_left {
        (&*acc, other)
    } else {
        (other, &*acc)
    };
    if acc.ndim() == 0 || operand_dtype(l, r) != dt || fast_shape(&[l, r])? != acc.shape() {
        return None;
    }
    match dt {
        DType::Float32 => in_place_field::<f32>(op, acc, other, acc_left, exec),
        DType::Float64 => in_place_field::<f64>(op, acc, other, acc_left, exec),
        DType::Complex128 if op != BinOp::Div => {
            in_place_field::<C64>(op, acc, other, acc_left, exec)
        }
        _ => None,
    }
}

fn in_place_field<T: Field>(
    op: BinOp,
    acc: &mut Array,
    other: &Array,
    acc_left: bool,
    exec: &Exec,
) -> Option<OpResult<()>> {
    let y = src::<T>(other)?;
    let buf = T::borrow_mut(acc)?.as_slice_mut()?;
    let (l, r) = if acc_left {
        (Src::Out, y)
    } else {
        (y, Src::Out)
    };
    let done = match op {
        BinOp::Add => elementwise::map2(exec, buf, l, r, |x, y| x + y),
        BinOp::Sub => elementwise::map2(exec, buf, l, r, |x, y| x - y),
        BinOp::Mul => elementwise::map2(exec, buf, l, r, |x, y| x * y),
        BinOp::Div => elementwise::map2(exec, buf, l, r, |x, y| x / y),
        _ => return None,
    };
    Some(if done {
        Ok(())
    } else {
        Err(OpError::Interrupted)
    })
}

/// Whether `a * b` takes the fast path, so it cannot fail and `mul_add` may
/// be tried: the same float or complex dtype, contiguous, shapes equal or 0-d.
pub fn mul_add_candidate(a: &Array, b: &Array) -> bool {
    a.dtype() == b.dtype()
        && matches!(
            a.dtype(),
            DType::Float32 | DType::Float64 | DType::Complex128
        )
        && fast_shape(&[a, b]).is_some()
        && [a, b].iter().all(|x| x.ndim() == 0 || c_contiguous(x))
}

/// Whether `mul_add(a, b, c)` runs the fused kernel: `a * b` is a
/// candidate and `c` has the same dtype and layout.
pub fn mul_add_applies(a: &Array, b: &Array, c: &Array) -> bool {
    mul_add_candidate(a, b)
        && c.dtype() == a.dtype()
        && fast_shape(&[a, b, c]).is_some()
        && (c.ndim() == 0 || c_contiguous(c))
}

fn c_contiguous(a: &Array) -> bool {
    match a {
        Array::Bool(x) => x.is_standard_layout(),
        Array::Int(x) => x.is_standard_layout(),
        Array::F32(x) => x.is_standard_layout(),
        Array::F64(x) => x.is_standard_layout(),
        Array::C128(x) => x.is_standard_layout(),
    }
}

/// `a * b + c` in one pass, rounding after the product and after the sum
/// exactly as two separate operations would (no fused multiply-add), so the
/// result equals NumPy's `a * b + c`. `None` when the fast path does not
/// apply (then evaluate the two operations).
pub fn mul_add(a: &Array, b: &Array, c: &Array, exec: &Exec) -> Option<OpResult<Array>> {
    let dt = a.dtype();
    if b.dtype() != dt || c.dtype() != dt {
        return None;
    }
    match dt {
        DType::Float32 => mul_add_field::<f32>(a, b, c, exec),
        DType::Float64 => mul_add_field::<f64>(a, b, c, exec),
        DType::Complex128 => mul_add_field::<C64>(a, b, c, exec),
        _ => None,
    }
}

fn mul_add_field<T: Field>(
    a: &Array,
    b: &Array,
    c: &Array,
    exec: &Exec,
) -> Option<OpResult<Array>> {
    let shape = fast_shape(&[a, b, c])?;
    let (x, y, z) = (src::<T>(a)?, src::<T>(b)?, src::<T>(c)?);
    let n = shape.iter().product();
    Some(
        match elementwise::new3(exec, n, x, y, z, |p, q, r| p * q + r) {
            Some(out) => Ok(wrap(shape, out)),
            None => Err(OpError::Interrupted),
        },
    )
}

/// True division: integers give float64, as in NumPy.
fn divide(a: &Array, b: &Array, dt: DType, exec: &Exec) -> OpResult<Array> {
    if let Some(r) = fast_float(BinOp::Div, a, b, dt, exec) {
        return r;
    }
    Ok(match dt {
        DType::Bool | DType::Int64 | DType::Float64 => {
            let (x, y) = pair::<f64>(a, b);
            Array::F64(zip_map(&x, &y, |p, q| p / q)?)
        }
        DType::Float32 => {
            let (x, y) = pair::<f32>(a, b);
            Array::F32(zip_map(&x, &y, |p, q| p / q)?)
        }
        DType::Complex128 => {
            let (x, y) = pair::<C64>(a, b);
            Array::C128(zip_map(&x, &y, complex_div)?)
        }
    })
}

/// Complex division as NumPy's loop does it (Smith's method), so `1/0j`
/// is `inf+nanj` and `1/(-inf+1j)` is `-0-0j` (`cmath::div`).
fn complex_div(p: C64, q: C64) -> C64 {
    super::cmath::div(p, q)
}

pub(super) fn int_floor_div(x: i64, y: i64) -> Option<i64> {
    let q = x.checked_div(y)?;
    if (x % y != 0) && ((x < 0) != (y < 0)) {
        Some(q - 1)
    } else {
        Some(q)
    }
}

pub(super) fn int_mod(x: i64, y: i64) -> i64 {
    // i64::MIN % -1 overflows in Rust; mathematically it is 0.
    let r = x.checked_rem(y).unwrap_or(0);
    if r != 0 && ((r < 0) != (y < 0)) {
        r + y
    } else {
        r
    }
}

/// Python's float floor division, which NumPy follows.
pub(super) fn float_floor_div(a: f64, b: f64) -> f64 {
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
pub(super) fn float_mod(a: f64, b: f64) -> f64 {
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
type IntPair<'a> = (Cow<'a, ArrayD<i64>>, Cow<'a, ArrayD<i64>>);

fn int_args<'a>(a: &'a Array, b: &'a Array, op: &str) -> OpResult<IntPair<'a>> {
    let (x, y) = pair::<i64>(a, b);
    // A zero divisor only matters if something is divided by it: with an
    // empty result (`zeros(0) // [0]`) nothing is.
    let empty = broadcast_shapes(x.shape(), y.shape())?.contains(&0);
    if !empty && y.iter().any(|&v| v == 0) {
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
            let (x, y) = pair::<f32>(a, b);
            Ok(Array::F32(zip_map(&x, &y, |p, q| {
                float_floor_div(p as f64, q as f64) as f32
            })?))
        }
        DType::Float64 => {
            let (x, y) = pair::<f64>(a, b);
            Ok(Array::F64(zip_map(&x, &y, float_floor_div)?))
        }
        DType::Complex128 => Err(OpError::DType {
            op: "floor_divide".into(),
            dtype: dt,
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
            let (x, y) = pair::<f32>(a, b);
            Ok(Array::F32(zip_map(&x, &y, |p, q| {
                float_mod(p as f64, q as f64) as f32
            })?))
        }
        DType::Float64 => {
            let (x, y) = pair::<f64>(a, b);
            Ok(Array::F64(zip_map(&x, &y, float_mod)?))
        }
        DType::Complex128 => Err(OpError::DType {
            op: "mod".into(),
            dtype: dt,
        }),
    }
}

pub(super) fn int_pow(base: i64, exp: i64) -> Option<i64> {
    match base {
        0 => Some(if exp == 0 { 1 } else { 0 }),
        1 => Some(1),
        -1 => Some(if exp % 2 == 0 { 1 } else { -1 }),
        _ => base.checked_pow(u32::try_from(exp).ok()?),
    }
}

/// `a ^ b` computed in `dt`; `out` is the rule's result dtype, which for
/// integers says whether an exponent is negative.
fn power(a: &Array, b: &Array, dt: DType, out: DType) -> OpResult<Array> {
    match dt {
        // NumPy refuses integers to negative powers; we answer in float64.
        DType::Bool | DType::Int64 if out == DType::Float64 => {
            let (fx, fy) = pair::<f64>(a, b);
            Ok(Array::F64(zip_map(&fx, &fy, f64::powf)?))
        }
        DType::Bool | DType::Int64 => {
            let (x, y) = pair::<i64>(a, b);
            checked_ints(&x, &y, "power", int_pow)
        }
        DType::Float32 => {
            let (x, y) = pair::<f32>(a, b);
            Ok(Array::F32(zip_map(&x, &y, f32::powf)?))
        }
        DType::Float64 => {
            let (x, y) = pair::<f64>(a, b);
            Ok(Array::F64(zip_map(&x, &y, f64::powf)?))
        }
        DType::Complex128 => {
            let (x, y) = pair::<C64>(a, b);
            Ok(Array::C128(zip_map(&x, &y, complex_pow)?))
        }
    }
}

/// `z^w` with exact small integer powers, so `(2j)^2` is `-4+0j` and not
/// `-4+4.9e-16j` as `exp(w log z)` would give.
pub fn complex_pow(z: C64, w: C64) -> C64 {
    if w == C64::new(0.0, 0.0) {
        return C64::new(1.0, 0.0);
    }
    if w.im == 0.0 && w.re.fract() == 0.0 && w.re.abs() < 100.0 && z != C64::new(0.0, 0.0) {
        return super::cmath::powi(z, w.re as i32);
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
            let (x, y) = pair::<bool>(a, b);
            cmp(op, &x, &y)
        }
        DType::Int64 => {
            let (x, y) = pair::<i64>(a, b);
            cmp(op, &x, &y)
        }
        DType::Float32 => {
            let (x, y) = pair::<f32>(a, b);
            cmp(op, &x, &y)
        }
        DType::Float64 => {
            let (x, y) = pair::<f64>(a, b);
            cmp(op, &x, &y)
        }
        DType::Complex128 => {
            let (x, y) = pair::<C64>(a, b);
            match op {
                BinOp::Eq => Ok(Array::Bool(zip_map(&x, &y, |p, q| p == q)?)),
                BinOp::Ne => Ok(Array::Bool(zip_map(&x, &y, |p, q| p != q)?)),
                _ => Err(OpError::DType {
                    op: op.name().into(),
                    dtype: dt,
                }),
            }
        }
    }
}

fn logical(op: BinOp, a: &Array, b: &Array, dt: DType) -> OpResult<Array> {
    match dt {
        DType::Bool => {
            let (x, y) = pair::<bool>(a, b);
            Ok(Array::Bool(if op == BinOp::And {
                zip_map(&x, &y, |p, q| p & q)?
            } else {
                zip_map(&x, &y, |p, q| p | q)?
            }))
        }
        // On integers `&` and `|` are bitwise, as in NumPy.
        DType::Int64 => {
            let (x, y) = pair::<i64>(a, b);
            Ok(Array::Int(if op == BinOp::And {
                zip_map(&x, &y, |p, q| p & q)?
            } else {
                zip_map(&x, &y, |p, q| p | q)?
            }))
        }
        _ => Err(OpError::DType {
            op: op.name().into(),
            dtype: dt,
        }),
    }
}

/// Evaluates a prefix operator.
pub fn unary(op: UnOp, a: &Array) -> OpResult<Array> {
    unary_rule(op, &Meta::of(a))?;
    match op {
        UnOp::Plus => match a {
            Array::Bool(_) => Err(OpError::DType {
                op: "positive".into(),
                dtype: DType::Bool,
            }),
            _ => Ok(a.clone()),
        },
        UnOp::Neg => match a {
            Array::Bool(_) => Err(OpError::DType {
                op: "negative".into(),
                dtype: DType::Bool,
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
