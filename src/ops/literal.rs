//! Array literals `[a, b, ...]`: the rule (every element has the first one's
//! shape; the dtype is their common one) and the kernel that stacks them.

use ndarray::{ArrayD, IxDyn};

use super::error::{OpError, OpResult};
use crate::value::{Array, DType, Dim, Meta, promote};

/// The rule of an array literal over its elements' metadata: a new first
/// axis of their count. An empty literal is a float64 vector of length 0.
pub fn literal_rule(elems: &[Meta]) -> OpResult<Meta> {
    let Some(first) = elems.first() else {
        return Ok(Meta::new(&[0], DType::Float64));
    };
    let mut dtype = first.dtype;
    for (i, m) in elems.iter().enumerate().skip(1) {
        let fits =
            m.ndim() == first.ndim() && m.shape.iter().zip(&first.shape).all(|(a, b)| !a.clash(b));
        if !fits {
            return Err(OpError::Ragged {
                element: i,
                shape: m.shape.clone(),
                first: first.shape.clone(),
            });
        }
        dtype = promote(dtype, false, m.dtype, false);
    }
    let mut shape = vec![Dim::Known(elems.len())];
    shape.extend(first.shape.iter().cloned());
    Ok(Meta::with_dims(shape, dtype))
}

/// Stacks the elements of a literal whose rule gave `out` (concrete).
pub fn stack(parts: &[&Array], out: &Meta) -> OpResult<Array> {
    let shape = out.concrete().unwrap_or_default();
    let parts: Vec<Array> = parts.iter().map(|a| a.widen(out.dtype)).collect();
    let n = shape.iter().product();
    macro_rules! collect {
        ($variant:ident) => {{
            let mut data = Vec::with_capacity(n);
            for p in &parts {
                if let Array::$variant(x) = p {
                    data.extend(x.iter().copied());
                }
            }
            // The rule made every part the first one's shape, so the
            // lengths agree.
            Array::$variant(ArrayD::from_shape_vec(IxDyn(&shape), data).expect("sizes match"))
        }};
    }
    Ok(match out.dtype {
        DType::Bool => collect!(Bool),
        DType::Int64 => collect!(Int),
        DType::Float32 => collect!(F32),
        DType::Float64 => collect!(F64),
        DType::Complex128 => collect!(C128),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_must_agree_and_dtypes_promote() {
        let row = |n, dt| Meta::new(&[n], dt);
        let m = literal_rule(&[row(2, DType::Int64), row(2, DType::Float64)]).unwrap();
        assert_eq!(m, Meta::new(&[2, 2], DType::Float64));
        assert_eq!(
            literal_rule(&[row(2, DType::Int64), row(3, DType::Int64)]),
            Err(OpError::Ragged {
                element: 1,
                shape: vec![Dim::Known(3)],
                first: vec![Dim::Known(2)],
            })
        );
        let unknown = Meta::with_dims(vec![Dim::Unknown], DType::Bool);
        assert!(literal_rule(&[row(2, DType::Bool), unknown]).is_ok());
    }
}
