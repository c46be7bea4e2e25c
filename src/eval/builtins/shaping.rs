//! Built-ins: shaping. Each entry's rule and run share one parser of the
//! constant arguments, so both refuse the same calls in the same order.

use super::*;

/// transpose's permutation, if given.
fn transpose_axes(a: &Args) -> EResult<Option<Vec<i64>>> {
    if a.len() > 1 {
        int_list(a, 1).map(Some)
    } else {
        Ok(None)
    }
}

/// expand_dims's axis, which is required.
fn expand_axis(a: &Args) -> EResult<i64> {
    a.axis(1)?
        .ok_or_else(|| a.error(ErrorKind::Type, None, "missing axis", "give axis=..."))
}

pub(super) static TABLE: &[Builtin] = &[
    // ----------------------------------------------------------------- shape
    builtin!(
        "shape",
        "reshape",
        "reshape(x, shape...)",
        2,
        MANY,
        [],
        "The same elements in a new shape (row-major order). One size may be -1 and is then inferred.",
        "reshape(arange(6), [2, -1])",
        rule: |a| {
            let x = a.meta(0)?;
            let to = match a.reshape_request(1)? {
                Some(to) => to,
                None => {
                    let shape = int_list(a, 1)?;
                    if shape.iter().any(|&n| n < -1) {
                        return predicted(a, shp::reshape_rule(&x, &shape));
                    }
                    let len = |n: i64| (n >= 0).then_some(Dim::Known(n as usize));
                    shape.into_iter().map(len).collect()
                }
            };
            predicted(a, shp::reshape_dims_rule(&x, &to))
        },
        run: |_, a| {
            let shape = int_list(a, 1)?;
            done(a, shp::reshape(a.array(0)?, &shape, &a.limits))
        }
    ),
    builtin!(
        "shape",
        "transpose",
        "transpose(x, axes=reversed)",
        1,
        MANY,
        [],
        "Reverses the axes (for a matrix: rows become columns), or permutes them as axes says. Unlike `'` it never conjugates.",
        "transpose([[1, 2], [3, 4]])",
        rule: |a| {
            let axes = transpose_axes(a)?;
            predicted(a, shp::transpose_rule(&a.meta(0)?, axes.as_deref()))
        },
        run: |_, a| {
            let axes = transpose_axes(a)?;
            done(a, shp::transpose(a.array(0)?, axes.as_deref()))
        }
    ),
    builtin!(
        "shape",
        "flatten",
        "flatten(x)",
        1,
        1,
        [],
        "All elements as a vector, in row-major order.",
        "flatten([[1, 2], [3, 4]])",
        rule: |a| Ok(shp::flatten_rule(&a.meta(0)?).into()),
        run: |_, a| Ok(Value::Array(shp::flatten(a.array(0)?)))
    ),
    builtin!(
        "shape",
        "squeeze",
        "squeeze(x, axis=None)",
        1,
        2,
        ["axis"],
        "Removes axes of length 1 (all of them, or just axis).",
        "shape(squeeze(ones(1, 3, 1)))",
        rule: |a| {
            let axis = a.axis(1)?;
            predicted(a, shp::squeeze_rule(&a.meta(0)?, axis))
        },
        run: |_, a| {
            let axis = a.axis(1)?;
            done(a, shp::squeeze(a.array(0)?, axis))
        }
    ),
    builtin!(
        "shape",
        "expand_dims",
        "expand_dims(x, axis)",
        1,
        2,
        ["axis"],
        "Inserts an axis of length 1 at position axis: expand_dims(x, 1) turns a vector into a column.",
        "shape(expand_dims([1, 2, 3], 1))",
        rule: |a| {
            let axis = expand_axis(a)?;
            predicted(a, shp::expand_dims_rule(&a.meta(0)?, axis))
        },
        run: |_, a| {
            let axis = expand_axis(a)?;
            done(a, shp::expand_dims(a.array(0)?, axis))
        }
    ),
    builtin!(
        "shape",
        "concatenate",
        "concatenate(x, y, ..., axis=0)",
        1,
        MANY,
        ["axis"],
        "Joins arrays end to end along an existing axis; all other axes must agree. One array argument is split into its rows first, as NumPy does with a list.",
        "concatenate([1, 2, 3], [4, 5, 6])",
        rule: |a| {
            let axis = a.kw_int("axis")?.unwrap_or(0);
            predicted(a, shp::concatenate_rule(&meta_list(a)?, axis))
        },
        run: |_, a| {
            let axis = a.kw_int("axis")?.unwrap_or(0);
            done(a, shp::concatenate(&array_list(a)?, axis, &a.limits))
        }
    ),
    builtin!(
        "shape",
        "stack",
        "stack(x, y, ..., axis=0)",
        1,
        MANY,
        ["axis"],
        "Joins equally shaped arrays along a new axis.",
        "stack([1, 2], [3, 4])",
        rule: |a| {
            let axis = a.kw_int("axis")?.unwrap_or(0);
            predicted(a, shp::stack_rule(&meta_list(a)?, axis))
        },
        run: |_, a| {
            let axis = a.kw_int("axis")?.unwrap_or(0);
            done(a, shp::stack(&array_list(a)?, axis, &a.limits))
        }
    ),
    builtin!(
        "shape",
        "hstack",
        "hstack(x, y, ...)",
        1,
        MANY,
        [],
        "Joins horizontally: vectors end to end, matrices side by side (along axis 1).",
        "hstack([[1], [2]], [[3], [4]])",
        rule: |a| predicted(a, shp::hstack_rule(&meta_list(a)?)),
        run: |_, a| done(a, shp::hstack(&array_list(a)?, &a.limits))
    ),
    builtin!(
        "shape",
        "vstack",
        "vstack(x, y, ...)",
        1,
        MANY,
        [],
        "Joins vertically: vectors become rows of a matrix; matrices are put one under the other.",
        "vstack([1, 2], [3, 4])",
        rule: |a| predicted(a, shp::vstack_rule(&meta_list(a)?)),
        run: |_, a| done(a, shp::vstack(&array_list(a)?, &a.limits))
    ),
    builtin!(
        "shape",
        "broadcast_to",
        "broadcast_to(x, shape)",
        2,
        MANY,
        [],
        "x repeated to the given shape by NumPy's broadcasting rule.",
        "broadcast_to([1, 2, 3], [2, 3])",
        rule: |a| {
            let shape = a.shape_from(1, a.len())?;
            predicted(a, shp::broadcast_to_rule(&a.meta(0)?, &shape))
        },
        run: |_, a| {
            let shape = a.shape_from(1, a.len())?;
            done(a, shp::broadcast_to(a.array(0)?, &shape, &a.limits))
        }
    ),
];
