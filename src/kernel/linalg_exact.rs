//! Exact integer determinants by fraction-free (Bareiss) elimination: every
//! intermediate is itself a minor of the matrix, so the divisions are exact
//! and `det([[1, 2], [3, 4]])` is -2, not -2.0000000000000004.

use ndarray::ArrayView2;

/// The determinant of a square int64 matrix, or `None` if it (or a minor met
/// on the way) does not fit: intermediates are held in i128, so only
/// matrices whose minors exceed 2^127 fail before the final fit into i64.
pub fn det_i64(a: ArrayView2<i64>) -> Option<i64> {
    let n = a.nrows();
    let mut m: Vec<Vec<i128>> = a
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|&v| v as i128).collect())
        .collect();
    let mut negate = false;
    let mut prev: i128 = 1;
    for k in 0..n {
        if m[k][k] == 0 {
            // Any row below with a non-zero in this column will do: the
            // elimination is exact, so there is no accuracy to pivot for.
            let Some(p) = (k + 1..n).find(|&i| m[i][k] != 0) else {
                return Some(0);
            };
            m.swap(k, p);
            negate = !negate;
        }
        let (top, below) = m.split_at_mut(k + 1);
        let row_k = &top[k];
        let pivot = row_k[k];
        for row in below.iter_mut() {
            let lead = row[k];
            for (x, &above) in row[k + 1..].iter_mut().zip(&row_k[k + 1..]) {
                let num = x
                    .checked_mul(pivot)?
                    .checked_sub(lead.checked_mul(above)?)?;
                *x = num / prev;
            }
            row[k] = 0;
        }
        prev = pivot;
    }
    let d = if n == 0 { 1 } else { m[n - 1][n - 1] };
    let d = if negate { d.checked_neg()? } else { d };
    i64::try_from(d).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn small_determinants_are_exact() {
        assert_eq!(det_i64(array![[1, 2], [3, 4]].view()), Some(-2));
        assert_eq!(det_i64(array![[0, 1], [1, 0]].view()), Some(-1));
        assert_eq!(
            det_i64(array![[1, 2, 3], [4, 5, 6], [7, 8, 9]].view()),
            Some(0)
        );
        assert_eq!(
            det_i64(array![[2, 0, 1], [1, 3, 2], [1, 1, 2]].view()),
            Some(6)
        );
        assert_eq!(
            det_i64(ndarray::Array2::<i64>::zeros((0, 0)).view()),
            Some(1)
        );
    }

    #[test]
    fn overflow_is_reported() {
        let big = i64::MAX / 2;
        assert_eq!(det_i64(array![[big, 0], [0, big]].view()), None);
        assert_eq!(det_i64(array![[i64::MIN]].view()), Some(i64::MIN));
    }
}
