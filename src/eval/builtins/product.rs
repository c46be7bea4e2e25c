//! Built-ins: product.

use super::*;

/// The rule of a product of two operands.
fn binary_rule(a: &Args, rule: fn(&Meta, &Meta) -> OpResult<Meta>) -> EResult<Kind> {
    predicted(a, rule(&a.meta(0)?, &a.meta(1)?))
}

/// tensordot's `axes`: positional argument 2 or the keyword, a count ≥ 0 or
/// a 2×k array of axes; 2 when absent.
fn tensor_axes(a: &Args) -> EResult<TensorAxes> {
    let spec = if a.len() > 2 {
        Some((a.value(2), a.span(2)))
    } else {
        a.kw("axes")
    };
    Ok(match spec {
        None => TensorAxes::Count(2),
        Some((Value::Array(x), span)) => {
            let ints = x
                .to_i64_array()
                .ok()
                .filter(|_| matches!(x.dtype(), DType::Int64 | DType::Bool));
            match (x.ndim(), ints) {
                (0, Some(v)) if v.iter().all(|&n| n >= 0) => {
                    TensorAxes::Count(*v.iter().next().expect("0-d") as usize)
                }
                (2, Some(v)) if v.shape()[0] == 2 => TensorAxes::Pairs(
                    v.index_axis(Axis(0), 0).iter().copied().collect(),
                    v.index_axis(Axis(0), 1).iter().copied().collect(),
                ),
                _ => {
                    return Err(crate::diagnostic::Diagnostic::error(
                        ErrorKind::Type,
                        "tensordot: axes must be a count ≥ 0 or two lists of axes [[...], [...]]",
                    )
                    .primary(span, Value::Array(x.clone()).describe())
                    .note(format!("signature: {}", a.builtin.signature)));
                }
            }
        }
        Some((_, span)) => {
            return Err(crate::diagnostic::Diagnostic::error(
                ErrorKind::Type,
                "tensordot: axes must be a number or a 2×k array",
            )
            .primary(span, "here"));
        }
    })
}

/// trace's `offset`: positional argument 1 or the keyword, 0 when absent.
fn trace_offset(a: &Args) -> EResult<i64> {
    if a.len() > 1 {
        a.int(1)
    } else {
        Ok(a.kw_int("offset")?.unwrap_or(0))
    }
}

pub(super) static TABLE: &[Builtin] = &[
    // -------------------------------------------------------------- products
    builtin!(
        "products",
        "dot",
        "dot(x, y)",
        2,
        2,
        [],
        "NumPy's dot: scalars multiply, vectors give their inner product, matrices their matrix product; higher ranks sum over the last axis of x and the second-to-last of y.",
        "dot([1, 2, 3], [4, 5, 6])",
        rule: |a| binary_rule(a, products::dot_rule),
        run: |_, a| done(a, products::dot(a.array(0)?, a.array(1)?, &a.limits, &a.exec))
    ),
    builtin!(
        "products",
        "vdot",
        "vdot(x, y)",
        2,
        2,
        [],
        "Inner product of the flattened arrays, conjugating x first (the Hermitian inner product).",
        "vdot([2j, 3j], [2j, 3j])",
        rule: |a| binary_rule(a, products::vdot_rule),
        run: |_, a| done(a, products::vdot(a.array(0)?, a.array(1)?))
    ),
    builtin!(
        "products",
        "inner",
        "inner(x, y)",
        2,
        2,
        [],
        "Sums over the last axes of x and y; for vectors the inner product, without conjugation.",
        "inner([1, 2, 3], [4, 5, 6])",
        rule: |a| binary_rule(a, products::inner_rule),
        run: |_, a| done(a, products::inner(a.array(0)?, a.array(1)?, &a.limits, &a.exec))
    ),
    builtin!(
        "products",
        "outer",
        "outer(x, y)",
        2,
        2,
        [],
        "Every element of x times every element of y: an m×n matrix from vectors of lengths m and n.",
        "outer([1, 2], [3, 4, 5])",
        rule: |a| Ok(products::outer_rule(&a.meta(0)?, &a.meta(1)?).into()),
        run: |_, a| done(a, products::outer(a.array(0)?, a.array(1)?, &a.limits))
    ),
    builtin!(
        "products",
        "cross",
        "cross(x, y)",
        2,
        2,
        [],
        "Cross product of 3-vectors (or 2-vectors, giving a scalar), along the last axis.",
        "cross([1, 2, 3], [4, 5, 6])",
        rule: |a| binary_rule(a, products::cross_rule),
        run: |_, a| done(a, products::cross(a.array(0)?, a.array(1)?, &a.limits))
    ),
    builtin!(
        "products",
        "matmul",
        "matmul(x, y)",
        2,
        2,
        [],
        "The matrix product, the same as x @ y (numpy.matmul): vectors act as rows on the left and columns on the right, and leading axes are batches.",
        "matmul([[1, 0], [0, 1]], [1, 2])",
        rule: matmul_rule,
        run: |_, a| matmul_call(a)
    ),
    builtin!(
        "products",
        "kron",
        "kron(x, y)",
        2,
        2,
        [],
        "The Kronecker product: each element of x times the whole of y, as blocks.",
        "kron(eye(2), [[1, 2], [3, 4]])",
        rule: |a| Ok(products::kron_rule(&a.meta(0)?, &a.meta(1)?).into()),
        run: |_, a| done(a, products::kron(a.array(0)?, a.array(1)?, &a.limits))
    ),
    builtin!(
        "products",
        "tensordot",
        "tensordot(x, y, axes=2)",
        2,
        3,
        ["axes"],
        "Sums products over axes: axes=n pairs the last n axes of x with the first n of y; axes=[[i...], [j...]] names them.",
        "tensordot(ones(2, 3, 4), ones(3, 4, 5), axes=2)",
        rule: |a| {
            let axes = tensor_axes(a)?;
            predicted(a, products::tensordot_rule(&a.meta(0)?, &a.meta(1)?, &axes))
        },
        run: |_, a| {
            let axes = tensor_axes(a)?;
            done(a, products::tensordot(a.array(0)?, a.array(1)?, &axes, &a.limits, &a.exec))
        }
    ),
    builtin!(
        "products",
        "trace",
        "trace(x, offset=0)",
        1,
        2,
        ["offset"],
        "Sum of the diagonal (of the first two axes), or of the diagonal offset above it.",
        "trace([[1, 2], [3, 4]])",
        rule: |a| {
            trace_offset(a)?;
            predicted(a, products::trace_rule(&a.meta(0)?))
        },
        run: |_, a| {
            let offset = trace_offset(a)?;
            done(a, products::trace(a.array(0)?, offset, &a.exec))
        }
    ),
    builtin!(
        "products",
        "einsum",
        "einsum(\"subscripts\", x, ...) or einsum(x, [0, 1], y, [1, 2], [0, 2])",
        2,
        MANY,
        [],
        "Einstein summation: letters name axes; letters repeated across inputs and missing from the output are summed. \"ij,jk->ik\" is a matrix product, \"ii\" a trace, \"i,j->ij\" an outer product; \"...\" stands for the remaining axes, which broadcast (\"...ij,...jk->...ik\" is a batched product). NumPy's sublist form gives each operand a list of axis numbers (0 to 51) and ends with the output's list.",
        "einsum(\"...ij->...ji\", ones(2, 2, 3))",
        rule: |a| {
            let (spec, ops) = einsum_form(a)?;
            let metas = ops.iter().map(|&i| a.meta(i)).collect::<EResult<Vec<_>>>()?;
            predicted(a, products::einsum_rule(&spec, &metas).map_err(|e| einsum_blame(e, &ops)))
        },
        run: |_, a| {
            let (spec, ops) = einsum_form(a)?;
            let arrays = ops.iter().map(|&i| a.array(i).cloned()).collect::<EResult<Vec<_>>>()?;
            done(a, products::einsum(&spec, &arrays, &a.limits, &a.exec).map_err(|e| einsum_blame(e, &ops)))
        }
    ),
];

/// The spec of an einsum call and the positions of its operands: the
/// subscripts string then operands, or NumPy's sublist form (operand, list,
/// operand, list, ..., output list), whose numbers 0-25 and 26-51 stand for
/// the letters A-Z and a-z as in NumPy.
fn einsum_form(a: &Args) -> EResult<(String, Vec<usize>)> {
    if let Value::Str(s) = a.value(0) {
        return Ok((s.clone(), (1..a.len()).collect()));
    }
    let pairs = a.len() / 2;
    let sublist = |i: usize| -> EResult<String> {
        let x = a.array(i)?;
        let bad = || {
            a.error(
                ErrorKind::Type,
                Some(i),
                "a sublist must be a list of whole numbers from 0 to 51",
                format!("this is {}", a.value(i).describe()),
            )
        };
        if x.ndim() > 1
            || matches!(
                x.dtype(),
                DType::Float32 | DType::Float64 | DType::Complex128
            )
        {
            return Err(bad());
        }
        let v = x.to_i64_array().map_err(|_| bad())?;
        v.iter()
            .map(|&n| match n {
                0..=25 => Ok((b'A' + n as u8) as char),
                26..=51 => Ok((b'a' + (n - 26) as u8) as char),
                _ => Err(bad()),
            })
            .collect()
    };
    let mut terms = Vec::with_capacity(pairs);
    for k in 0..pairs {
        terms.push(sublist(2 * k + 1)?);
    }
    let mut spec = terms.join(",");
    if a.len() % 2 == 1 {
        spec.push_str("->");
        spec.push_str(&sublist(a.len() - 1)?);
    }
    Ok((spec, (0..pairs).map(|k| 2 * k).collect()))
}

/// Points an einsum error at the argument it is about: operand k is
/// argument `ops[k]`, and the spec (argument 0) is the first sublist in the
/// sublist form.
fn einsum_blame(e: crate::ops::OpError, ops: &[usize]) -> crate::ops::OpError {
    match e {
        crate::ops::OpError::Product { err, arg: Some(j) } => {
            let arg = match j {
                0 if ops.first() == Some(&0) => 1,
                0 => 0,
                j => ops.get(j - 1).copied().unwrap_or(j),
            };
            crate::ops::OpError::Product {
                err,
                arg: Some(arg),
            }
        }
        other => other,
    }
}
