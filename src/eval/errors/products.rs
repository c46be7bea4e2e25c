//! Words for the refusals of products (`ops::products::ProductError`):
//! shape errors for operands that do not fit, domain errors for constant
//! arguments (tensordot's axes, einsum's subscripts) that make no sense.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::ops::products::ProductError;
use crate::value::shape_text;

/// The diagnostic for a product `op` that refused its arguments.
pub fn diagnostic(op: &str, err: &ProductError) -> Diagnostic {
    use ProductError::*;
    let kind = match err {
        TensordotPairs { .. }
        | TensordotRepeated { .. }
        | EinsumEllipsis
        | EinsumOperands { .. }
        | EinsumSubscript { .. }
        | EinsumOutputRepeated { .. }
        | EinsumOutputUnknown { .. } => ErrorKind::Domain,
        _ => ErrorKind::Shape,
    };
    Diagnostic::error(kind, format!("{op}: {}", text(err)))
}

fn text(err: &ProductError) -> String {
    use ProductError::*;
    match err {
        DotAligned {
            lhs,
            rhs,
            lhs_axis,
            rhs_axis,
        } => format!(
            "shapes {} and {} not aligned: axis {lhs_axis} of the first has {} \
             but axis {rhs_axis} of the second has {}",
            shape_text(lhs),
            shape_text(rhs),
            lhs[*lhs_axis],
            rhs[*rhs_axis]
        ),
        VdotSizes {
            lhs,
            rhs,
            lhs_len,
            rhs_len,
        } => format!(
            "shapes {} and {} have different numbers of elements ({lhs_len} and {rhs_len})",
            shape_text(lhs),
            shape_text(rhs)
        ),
        InnerLast { lhs, rhs } => format!(
            "last axes differ: shapes {} and {}",
            shape_text(lhs),
            shape_text(rhs)
        ),
        TensordotCount { count, shape } => format!(
            "cannot sum over {count} axes of a {} array",
            shape_text(shape)
        ),
        TensordotPairs { lhs, rhs } => {
            format!("{lhs} axes of the first operand paired with {rhs} of the second")
        }
        TensordotRepeated { axis, operand } => {
            format!("axis {axis} of operand {operand} is listed twice")
        }
        TensordotSummed {
            lhs,
            rhs,
            lhs_axis,
            rhs_axis,
        } => format!(
            "shapes {} and {} differ on summed axes: \
             axis {lhs_axis} has {} but axis {rhs_axis} has {}",
            shape_text(lhs),
            shape_text(rhs),
            lhs[*lhs_axis],
            rhs[*rhs_axis]
        ),
        CrossLength { shape } => format!(
            "the last axis must have length 2 or 3, got shape {}",
            shape_text(shape)
        ),
        CrossBroadcast { lhs, rhs } => format!(
            "shapes {} and {} do not broadcast outside the last axis",
            shape_text(lhs),
            shape_text(rhs)
        ),
        TraceRank { shape } => format!(
            "the array needs at least 2 axes, got shape {}",
            shape_text(shape)
        ),
        EinsumEllipsis => "the operands have axes under '...' but the output has no '...' \
             to put them; add '...' to the output, or name those axes and sum them"
            .to_string(),
        EinsumOperands { named, given } => {
            format!("the subscripts name {named} operands but {given} were given")
        }
        EinsumSubscript { found } => {
            format!("invalid subscript '{found}'; subscripts are letters")
        }
        EinsumOutputRepeated { label } => {
            format!("output subscript '{label}' appears more than once")
        }
        EinsumOutputUnknown { label } => {
            format!("output subscript '{label}' does not appear in the inputs")
        }
        EinsumRank {
            operand,
            shape,
            subscripts,
            named,
            ellipsis,
        } => format!(
            "operand {operand} has shape {} but subscripts '{subscripts}' name {}{named} axes",
            shape_text(shape),
            if *ellipsis { "at least " } else { "" }
        ),
        EinsumDiagonal {
            operand,
            shape,
            label,
            first,
            second,
        } => format!(
            "operand {operand} (shape {}) repeats subscript '{label}' \
             over axes of sizes {first} and {second}",
            shape_text(shape)
        ),
        EinsumSize {
            label,
            earlier,
            size,
            operand,
            shape,
        } => format!(
            "subscript '{label}' has size {earlier} in an earlier operand \
             but {size} in operand {operand} (shape {})",
            shape_text(shape)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Dim;

    fn dims(v: &[usize]) -> Vec<Dim> {
        v.iter().map(|&n| Dim::Known(n)).collect()
    }

    #[test]
    fn shape_errors_name_shapes_and_axes() {
        let d = diagnostic(
            "dot",
            &ProductError::DotAligned {
                lhs: dims(&[2, 3]),
                rhs: dims(&[2, 3]),
                lhs_axis: 1,
                rhs_axis: 0,
            },
        );
        assert_eq!(d.kind, ErrorKind::Shape);
        assert_eq!(
            d.message,
            "dot: shapes 2×3 and 2×3 not aligned: axis 1 of the first has 3 but axis 0 of the second has 2"
        );
        let d = diagnostic(
            "einsum",
            &ProductError::EinsumSize {
                label: 'i',
                earlier: 3,
                size: 2,
                operand: 1,
                shape: vec![Dim::Unknown, Dim::Known(2)],
            },
        );
        assert_eq!(
            d.message,
            "einsum: subscript 'i' has size 3 in an earlier operand but 2 in operand 1 (shape ?×2)"
        );
        let d = diagnostic(
            "tensordot",
            &ProductError::TensordotSummed {
                lhs: dims(&[2, 3, 4]),
                rhs: dims(&[4, 3]),
                lhs_axis: 1,
                rhs_axis: 0,
            },
        );
        assert_eq!(
            d.message,
            "tensordot: shapes 2×3×4 and 4×3 differ on summed axes: axis 1 has 3 but axis 0 has 4"
        );
    }

    #[test]
    fn constant_argument_errors_are_domain_errors() {
        let d = diagnostic("einsum", &ProductError::EinsumSubscript { found: '1' });
        assert_eq!(d.kind, ErrorKind::Domain);
        assert_eq!(
            d.message,
            "einsum: invalid subscript '1'; subscripts are letters"
        );
        let d = diagnostic(
            "tensordot",
            &ProductError::TensordotPairs { lhs: 1, rhs: 2 },
        );
        assert_eq!(d.kind, ErrorKind::Domain);
    }
}
