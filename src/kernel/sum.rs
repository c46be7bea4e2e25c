//! NumPy's pairwise summation of a contiguous run, in exactly NumPy's order:
//! runs longer than `leaf` split at `split(n)` and the halves are added; a
//! leaf uses `width` interleaved accumulators combined as a balanced tree,
//! then adds its leftover elements in order. The two halves of a long run are
//! independent, so they may run on two threads without changing a bit.

use std::ops::Add;

use super::exec::Exec;

/// The shape of the summation for one element type.
pub struct Pairwise {
    pub width: usize,
    pub leaf: usize,
    pub split: fn(usize) -> usize,
}

/// Runs longer than this may split across threads.
const PARALLEL: usize = 1 << 16;
/// The widest leaf supported (NumPy's real sums use 8).
const MAX_WIDTH: usize = 8;

/// The pairwise sum of `x` (`zero` for an empty run).
pub fn pairwise<T: Copy + Send + Sync + Add<Output = T>>(
    exec: &Exec,
    x: &[T],
    zero: T,
    pw: &Pairwise,
) -> T {
    assert!(pw.width <= MAX_WIDTH && pw.width > 0 && pw.leaf >= pw.width);
    if x.len() >= 2 * PARALLEL && exec.threads() > 1 {
        exec.with_pool(|| parallel(x, zero, pw))
    } else {
        serial(x, zero, pw)
    }
}

fn parallel<T: Copy + Send + Sync + Add<Output = T>>(x: &[T], zero: T, pw: &Pairwise) -> T {
    if x.len() < PARALLEL || x.len() <= pw.leaf {
        return serial(x, zero, pw);
    }
    let h = (pw.split)(x.len());
    let (l, r) = rayon::join(
        || parallel(&x[..h], zero, pw),
        || parallel(&x[h..], zero, pw),
    );
    l + r
}

fn serial<T: Copy + Add<Output = T>>(x: &[T], zero: T, pw: &Pairwise) -> T {
    let n = x.len();
    if n < pw.width {
        return x.iter().fold(zero, |acc, &v| acc + v);
    }
    if n <= pw.leaf {
        return leaf(x, pw.width);
    }
    let h = (pw.split)(n);
    serial(&x[..h], zero, pw) + serial(&x[h..], zero, pw)
}

/// One leaf; needs `width <= x.len()`. The accumulators live in a fixed
/// array, so the loop over a chunk is one vector add for width 8.
fn leaf<T: Copy + Add<Output = T>>(x: &[T], width: usize) -> T {
    if width == MAX_WIDTH {
        let mut acc: [T; MAX_WIDTH] = x[..MAX_WIDTH].try_into().expect("8 elements");
        let full = x.len() - x.len() % MAX_WIDTH;
        for chunk in x[MAX_WIDTH..full].chunks_exact(MAX_WIDTH) {
            for (r, &v) in acc.iter_mut().zip(chunk) {
                *r = *r + v;
            }
        }
        let t = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        return x[full..].iter().fold(t, |s, &v| s + v);
    }
    let mut acc = [x[0]; MAX_WIDTH];
    acc[..width].copy_from_slice(&x[..width]);
    let full = x.len() - x.len() % width;
    for chunk in x[width..full].chunks_exact(width) {
        for (r, &v) in acc.iter_mut().zip(chunk) {
            *r = *r + v;
        }
    }
    x[full..].iter().fold(tree(&acc[..width]), |s, &v| s + v)
}

fn tree<T: Copy + Add<Output = T>>(r: &[T]) -> T {
    if r.len() == 1 {
        return r[0];
    }
    let h = r.len() / 2;
    tree(&r[..h]) + tree(&r[h..])
}
