//! Binary operators on two 0-d operands of bool, int64 or float64: the
//! numbers a scalar loop (`s = s + i`) computes, without the broadcasting
//! machinery, the shape rule's allocations or ndarray's iterators. The
//! results are exactly those of `arith::binary` (same dtype by NumPy's
//! promotion, same value); whatever `arith::binary` would refuse or report
//! (int64 overflow, integer division by zero, a dtype the operator refuses)
//! is left to it, so errors keep their one source.

use ndarray::{ArrayD, IxDyn};

use super::arith::{float_floor_div, float_mod, int_floor_div, int_mod, int_pow};
use crate::syntax::BinOp;
use crate::value::{Array, DType, promote};

/// The number of a 0-d operand, or a result of the scalar path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    F64(f64),
}

impl Scalar {
    /// The number of a 0-d bool, int64 or float64 array.
    pub fn of(a: &Array) -> Option<Scalar> {
        if a.ndim() != 0 {
            return None;
        }
        match a {
            Array::Bool(x) => x.first().map(|&v| Scalar::Bool(v)),
            Array::Int(x) => x.first().map(|&v| Scalar::Int(v)),
            Array::F64(x) => x.first().map(|&v| Scalar::F64(v)),
            Array::F32(_) | Array::C128(_) => None,
        }
    }

    pub fn dtype(self) -> DType {
        match self {
            Scalar::Bool(_) => DType::Bool,
            Scalar::Int(_) => DType::Int64,
            Scalar::F64(_) => DType::Float64,
        }
    }

    /// The value widened to int64 (bool only; promotion never narrows).
    fn int(self) -> i64 {
        match self {
            Scalar::Bool(v) => v as i64,
            Scalar::Int(v) => v,
            Scalar::F64(_) => unreachable!("float64 never widens to int64"),
        }
    }

    /// The value widened to float64, as `Array::widen` converts it.
    fn float(self) -> f64 {
        match self {
            Scalar::Bool(v) => v as u8 as f64,
            Scalar::Int(v) => v as f64,
            Scalar::F64(v) => v,
        }
    }

    fn bool(self) -> bool {
        match self {
            Scalar::Bool(v) => v,
            _ => unreachable!("only bool stays bool"),
        }
    }

    /// A new 0-d array holding the number.
    pub fn array(self) -> Array {
        let shape = IxDyn(&[]);
        match self {
            Scalar::Bool(v) => Array::Bool(ArrayD::from_elem(shape, v)),
            Scalar::Int(v) => Array::Int(ArrayD::from_elem(shape, v)),
            Scalar::F64(v) => Array::F64(ArrayD::from_elem(shape, v)),
        }
    }

    /// Writes the number into `into` when that is a 0-d array of the same
    /// dtype (a temporary whose buffer can be reused); `false` otherwise.
    pub fn store(self, into: &mut Array) -> bool {
        if into.ndim() != 0 {
            return false;
        }
        let slot = match (into, self) {
            (Array::Bool(x), Scalar::Bool(v)) => x.first_mut().map(|s| *s = v),
            (Array::Int(x), Scalar::Int(v)) => x.first_mut().map(|s| *s = v),
            (Array::F64(x), Scalar::F64(v)) => x.first_mut().map(|s| *s = v),
            _ => None,
        };
        slot.is_some()
    }
}

/// `a op b` for two scalars, as `arith::binary` computes it on 0-d arrays;
/// `None` where it would fail (so it reports the error) and for `@` and
/// `\`, which have rules of their own.
pub fn binary(op: BinOp, a: Scalar, b: Scalar) -> Option<Scalar> {
    use Scalar::{Bool, F64, Int};
    let dt = promote(a.dtype(), true, b.dtype(), true);
    Some(match (op, dt) {
        (BinOp::MatMul | BinOp::LeftDiv, _) => return None,
        // NumPy: bool + bool is "or", bool * bool is "and", bool - bool is refused.
        (BinOp::Add, DType::Bool) => Bool(a.bool() | b.bool()),
        (BinOp::Mul, DType::Bool) => Bool(a.bool() & b.bool()),
        (BinOp::Add, DType::Int64) => Int(a.int().checked_add(b.int())?),
        (BinOp::Sub, DType::Int64) => Int(a.int().checked_sub(b.int())?),
        (BinOp::Mul, DType::Int64) => Int(a.int().checked_mul(b.int())?),
        (BinOp::Add, DType::Float64) => F64(a.float() + b.float()),
        (BinOp::Sub, DType::Float64) => F64(a.float() - b.float()),
        (BinOp::Mul, DType::Float64) => F64(a.float() * b.float()),
        (BinOp::Div, _) => F64(a.float() / b.float()),
        (BinOp::FloorDiv, DType::Bool | DType::Int64) => match b.int() {
            0 => return None,
            y => Int(int_floor_div(a.int(), y)?),
        },
        (BinOp::Mod, DType::Bool | DType::Int64) => match b.int() {
            0 => return None,
            y => Int(int_mod(a.int(), y)),
        },
        (BinOp::FloorDiv, DType::Float64) => F64(float_floor_div(a.float(), b.float())),
        (BinOp::Mod, DType::Float64) => F64(float_mod(a.float(), b.float())),
        // A negative integer exponent answers in float64 (the rule's
        // `exponent_nonneg`); bool exponents count as non-negative.
        (BinOp::Pow, DType::Bool | DType::Int64) if b.int() < 0 => F64(a.float().powf(b.float())),
        (BinOp::Pow, DType::Bool | DType::Int64) => Int(int_pow(a.int(), b.int())?),
        (BinOp::Pow, DType::Float64) => F64(a.float().powf(b.float())),
        (BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge, _) => {
            let ord = match dt {
                DType::Bool => a.bool().partial_cmp(&b.bool()),
                DType::Int64 => a.int().partial_cmp(&b.int()),
                _ => a.float().partial_cmp(&b.float()),
            };
            Bool(compare(op, ord))
        }
        (BinOp::And, DType::Bool) => Bool(a.bool() & b.bool()),
        (BinOp::Or, DType::Bool) => Bool(a.bool() | b.bool()),
        // On integers `&` and `|` are bitwise, as in NumPy.
        (BinOp::And, DType::Int64) => Int(a.int() & b.int()),
        (BinOp::Or, DType::Int64) => Int(a.int() | b.int()),
        // bool - bool, and `&`/`|` on float64: refused by the rule.
        _ => return None,
    })
}

/// A comparison from the ordering of the operands (`None`: a NaN, where
/// only `!=` holds).
fn compare(op: BinOp, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match (op, ord) {
        (BinOp::Ne, o) => o != Some(Equal),
        (_, None) => false,
        (BinOp::Eq, Some(o)) => o == Equal,
        (BinOp::Lt, Some(o)) => o == Less,
        (BinOp::Le, Some(o)) => o != Greater,
        (BinOp::Gt, Some(o)) => o == Greater,
        (_, Some(o)) => o != Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::Exec;
    use crate::ops::arith;

    /// Every operator on every pair of a few numbers of each dtype gives
    /// what the general kernel gives on 0-d arrays, or leaves it to the
    /// general kernel exactly where that one fails.
    #[test]
    fn agrees_with_the_general_kernel() {
        let numbers = [
            Scalar::Bool(false),
            Scalar::Bool(true),
            Scalar::Int(0),
            Scalar::Int(-7),
            Scalar::Int(3),
            Scalar::Int(i64::MAX),
            Scalar::Int(i64::MIN),
            Scalar::F64(0.0),
            Scalar::F64(-2.5),
            Scalar::F64(f64::NAN),
            Scalar::F64(f64::INFINITY),
        ];
        let ops = [
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::FloorDiv,
            BinOp::Mod,
            BinOp::Pow,
            BinOp::Eq,
            BinOp::Ne,
            BinOp::Lt,
            BinOp::Le,
            BinOp::Gt,
            BinOp::Ge,
            BinOp::And,
            BinOp::Or,
        ];
        let exec = Exec::from_env().single();
        for op in ops {
            for a in numbers {
                for b in numbers {
                    let general = arith::binary(op, &a.array(), &b.array(), &exec);
                    match (binary(op, a, b), general) {
                        (Some(s), Ok(g)) => {
                            assert_eq!(s.dtype(), g.dtype(), "{a:?} {op:?} {b:?}");
                            let both_nan = s.array().first_c64().is_some_and(|z| z.re.is_nan())
                                && g.first_c64().is_some_and(|z| z.re.is_nan());
                            assert!(
                                s.array() == g || both_nan,
                                "{a:?} {op:?} {b:?}: {s:?} vs {g:?}"
                            );
                        }
                        (None, Err(_)) => {}
                        (s, g) => panic!("{a:?} {op:?} {b:?}: scalar path {s:?}, general {g:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn stores_only_into_a_scalar_of_its_dtype() {
        let mut x = Array::scalar_int(1);
        assert!(Scalar::Int(5).store(&mut x));
        assert_eq!(x, Array::scalar_int(5));
        assert!(!Scalar::F64(5.0).store(&mut x));
        let mut v = Array::Int(ArrayD::from_elem(IxDyn(&[1]), 1));
        assert!(!Scalar::Int(5).store(&mut v));
    }
}
