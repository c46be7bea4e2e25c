//! NumPy's broadcasting rule: align shapes from the right; two axes fit when
//! they are equal or one of them is 1; missing axes count as 1.

use ndarray::{ArrayD, ArrayViewD, IxDyn, Zip};

use super::error::{OpError, OpResult};

/// The broadcast shape of two operands, or the first clash from the right.
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
                lhs: lhs.to_vec(),
                rhs: rhs.to_vec(),
                axis_from_right: k,
            });
        };
    }
    Ok(out)
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
