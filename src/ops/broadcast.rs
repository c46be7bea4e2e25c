//! NumPy's broadcasting rule: align shapes from the right; two axes fit when
//! they are equal or one of them is 1; missing axes count as 1.

use std::borrow::Cow;

use ndarray::{ArrayD, ArrayViewD, IxDyn, Zip};

use super::error::{OpError, OpResult};
use crate::value::{Array, Dim, Elem};

/// The broadcasting rule over metadata: the broadcast shape of two
/// operands, or the first clash from the right. An unknown length against a
/// known one `n` gives `n` (the unknown one must be `n` or 1); against 1 or
/// another unknown it stays unknown. Symbolic lengths match when equal
/// (`n` and `n`, or `d = 64` and 64) and clash otherwise (`n` and `m`, `n`
/// and 3); only a length known to be 1 stretches.
pub fn broadcast_dims(lhs: &[Dim], rhs: &[Dim]) -> OpResult<Vec<Dim>> {
    let n = lhs.len().max(rhs.len());
    let one = Dim::Known(1);
    let mut out = vec![Dim::Unknown; n];
    for k in 0..n {
        let a = if k < lhs.len() {
            &lhs[lhs.len() - 1 - k]
        } else {
            &one
        };
        let b = if k < rhs.len() {
            &rhs[rhs.len() - 1 - k]
        } else {
            &one
        };
        out[n - 1 - k] = if b.is_one() {
            a.clone()
        } else if a.is_one() {
            b.clone()
        } else if a.clash(b) {
            return Err(OpError::Broadcast {
                lhs: lhs.to_vec(),
                rhs: rhs.to_vec(),
                axis_from_right: k,
            });
        } else {
            a.pick(b)
        };
    }
    Ok(out)
}

/// `broadcast_dims` for concrete shapes, without building `Dim`s on the
/// common path (every elementwise operator calls it).
pub fn broadcast_shapes(lhs: &[usize], rhs: &[usize]) -> OpResult<Vec<usize>> {
    let n = lhs.len().max(rhs.len());
    let mut out = vec![0; n];
    for k in 0..n {
        let a = if k < lhs.len() {
            lhs[lhs.len() - 1 - k]
        } else {
            1
        };
        let b = if k < rhs.len() {
            rhs[rhs.len() - 1 - k]
        } else {
            1
        };
        out[n - 1 - k] = if a == b || b == 1 {
            a
        } else if a == 1 {
            b
        } else {
            return Err(OpError::Broadcast {
                lhs: known(lhs),
                rhs: known(rhs),
                axis_from_right: k,
            });
        };
    }
    Ok(out)
}

/// The broadcast trap: both operands were stretched, and along axes of the
/// same length, so the result repeats a length the operands shared
/// (`(200, 1) - (200,)` gives 200×200). Returns that length. A deliberate
/// outer combination (`(3, 1) + (4,)`) stretches along different lengths
/// and is not a trap.
pub fn stretched_both(lhs: &[Dim], rhs: &[Dim], out: &[Dim]) -> Option<Dim> {
    let n = out.len();
    let one = Dim::Known(1);
    let len = |s: &'_ [Dim], k: usize| -> Dim {
        // k counts from the right; a missing axis is a stretched 1.
        if k < s.len() {
            s[s.len() - 1 - k].clone()
        } else {
            one.clone()
        }
    };
    let mut lhs_stretched = Vec::new();
    let mut rhs_stretched = Vec::new();
    for k in 0..n {
        let o = &out[n - 1 - k];
        if o.is_one() || *o == Dim::Unknown || o.value() == Some(0) {
            continue;
        }
        if len(lhs, k).is_one() {
            lhs_stretched.push(o.clone());
        }
        if len(rhs, k).is_one() {
            rhs_stretched.push(o.clone());
        }
    }
    lhs_stretched
        .into_iter()
        .find(|o| rhs_stretched.iter().any(|r| r.same(o) == Some(true)))
}

/// A concrete shape as metadata.
pub fn known(shape: &[usize]) -> Vec<Dim> {
    shape.iter().map(|&d| Dim::Known(d)).collect()
}

/// A view of `a` broadcast to `shape`, which the caller got from
/// `broadcast_shapes` (or checked with `can_broadcast_to`).
pub fn view_as<'a, T>(a: &'a ArrayD<T>, shape: &[usize]) -> ArrayViewD<'a, T> {
    a.broadcast(IxDyn(shape))
        .expect("shape was checked by broadcast_shapes")
}

/// Whether `from` broadcasts to exactly `to` (for `broadcast_to` and indexed
/// assignment, where the target shape is fixed).
pub fn can_broadcast_to(from: &[usize], to: &[usize]) -> bool {
    from.len() <= to.len()
        && from
            .iter()
            .rev()
            .zip(to.iter().rev())
            .all(|(&f, &t)| f == t || f == 1)
}

/// Applies `f` elementwise over two broadcast operands.
pub fn zip_map<A: Copy, B: Copy, C>(
    a: &ArrayD<A>,
    b: &ArrayD<B>,
    f: impl FnMut(A, B) -> C,
) -> OpResult<ArrayD<C>> {
    let mut f = f;
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    if a.shape() == b.shape() {
        return Ok(Zip::from(a).and(b).map_collect(|&x, &y| f(x, y)));
    }
    let (av, bv) = (view_as(a, &shape), view_as(b, &shape));
    Ok(Zip::from(&av).and(&bv).map_collect(|&x, &y| f(x, y)))
}

/// An operand in a kernel's dtype: borrowed when it already has it, so an
/// operation never copies an operand just to read it.
pub fn as_dtype<T: Elem>(a: &Array) -> Cow<'_, ArrayD<T>> {
    match T::borrow(a) {
        Some(x) => Cow::Borrowed(x),
        None => Cow::Owned(T::take(a.widen(T::DTYPE))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trap_is_a_shared_length_stretched_on_both_sides() {
        let trap = |a: &[usize], b: &[usize]| {
            let out = broadcast_shapes(a, b).unwrap();
            stretched_both(&known(a), &known(b), &known(&out)).and_then(|d| d.value())
        };
        assert_eq!(trap(&[200, 1], &[200]), Some(200));
        assert_eq!(trap(&[200], &[200, 1]), Some(200));
        assert_eq!(trap(&[3, 1], &[4]), None);
        assert_eq!(trap(&[200, 1], &[200, 1]), None);
        assert_eq!(trap(&[200], &[200]), None);
        assert_eq!(trap(&[5, 1, 4], &[5, 4]), Some(5));
        assert_eq!(trap(&[4, 1], &[1, 4]), Some(4));
    }

    #[test]
    fn symbols_match_themselves_and_their_values_and_clash_otherwise() {
        let (n, m) = (Dim::symbol("n", None), Dim::symbol("m", None));
        let d = Dim::symbol("d", Some(64));
        let one = Dim::Known(1);
        let s = |dims: &[&Dim]| dims.iter().map(|&x| x.clone()).collect::<Vec<Dim>>();
        assert_eq!(broadcast_dims(&s(&[&n]), &s(&[&n])), Ok(s(&[&n])));
        assert_eq!(broadcast_dims(&s(&[&n, &one]), &s(&[&d])), Ok(s(&[&n, &d])));
        assert!(broadcast_dims(&s(&[&n]), &s(&[&m])).is_err());
        assert!(broadcast_dims(&s(&[&n]), &known(&[3])).is_err());
        assert_eq!(broadcast_dims(&s(&[&d]), &known(&[64])), Ok(s(&[&d])));
        assert!(broadcast_dims(&s(&[&d]), &known(&[32])).is_err());
        // The trap with a symbol: (n, 1) - (n,) gives n×n.
        let out = broadcast_dims(&s(&[&n, &one]), &s(&[&n])).unwrap();
        assert_eq!(stretched_both(&s(&[&n, &one]), &s(&[&n]), &out), Some(n));
    }

    #[test]
    fn unknown_lengths_match_anything_and_known_ones_clash() {
        let u = Dim::Unknown;
        assert_eq!(
            broadcast_dims(&known(&[2, 1]), &known(&[3])),
            Ok(known(&[2, 3]))
        );
        assert_eq!(
            broadcast_dims(&known(&[2, 3]), &known(&[4])),
            Err(OpError::Broadcast {
                lhs: known(&[2, 3]),
                rhs: known(&[4]),
                axis_from_right: 0
            })
        );
        assert_eq!(
            broadcast_dims(&[u.clone(), Dim::Known(1)], &known(&[4])),
            Ok(vec![u.clone(), Dim::Known(4)])
        );
        assert_eq!(
            broadcast_dims(std::slice::from_ref(&u), &known(&[5])),
            Ok(known(&[5]))
        );
        assert_eq!(
            broadcast_dims(std::slice::from_ref(&u), &known(&[1])),
            Ok(vec![u.clone()])
        );
        assert_eq!(
            broadcast_dims(std::slice::from_ref(&u), std::slice::from_ref(&u)),
            Ok(vec![u.clone()])
        );
        assert!(broadcast_dims(&[u.clone(), Dim::Known(2)], &known(&[3])).is_err());
        // The concrete rule gives the same clash.
        assert_eq!(
            broadcast_shapes(&[2, 3], &[4]),
            broadcast_dims(&known(&[2, 3]), &known(&[4])).map(|_| vec![])
        );
    }
}
