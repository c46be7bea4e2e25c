//! Built-ins: reductions.

use super::*;

pub(super) static TABLE: &[Builtin] = &[
    // ------------------------------------------------------------ reductions
    reduction!(
        "sum",
        Reduce::Sum,
        ["dtype", "initial", "where"],
        "sum(x, axis=None, keepdims=false, dtype=None, initial=None, where=true)",
        "Sum of the elements, over all of them, along axis, or along several (axis=[0, 2]); initial= is added, where= leaves elements out, dtype= accumulates in that dtype. Integer sums that overflow are an error.",
        "sum([[1, 2], [4, 3]])"
    ),
    reduction!(
        "prod",
        Reduce::Prod,
        ["dtype", "initial", "where"],
        "prod(x, axis=None, keepdims=false, dtype=None, initial=None, where=true)",
        "Product of the elements, over all of them or along axis.",
        "prod([1, 2, 3, 4])"
    ),
    reduction!(
        "mean",
        Reduce::Mean,
        ["dtype"],
        "mean(x, axis=None, keepdims=false, dtype=None)",
        "Arithmetic mean, over all elements or along axis.",
        "mean([[1, 2], [3, 4]], axis=0)"
    ),
    reduction!(
        "min",
        Reduce::Min,
        ["initial", "where"],
        "min(x, axis=None, keepdims=false, initial=None, where=true)",
        "Smallest element, over all or along axis; nan if any element is nan.",
        "min([3, 1, 2])"
    ),
    reduction!(
        "max",
        Reduce::Max,
        ["initial", "where"],
        "max(x, axis=None, keepdims=false, initial=None, where=true)",
        "Largest element, over all or along axis; nan if any element is nan.",
        "max([[1, 5], [7, 2]], axis=1)"
    ),
    reduction!(
        "argmin",
        Reduce::ArgMin,
        "Index of the smallest element (of the flattened array unless axis is given).",
        "argmin([3, 1, 2])"
    ),
    reduction!(
        "argmax",
        Reduce::ArgMax,
        "Index of the largest element (of the flattened array unless axis is given).",
        "argmax([[1, 5], [7, 2]])"
    ),
    builtin!(
        "reductions",
        "std",
        "std(x, axis=None, keepdims=false, ddof=0, dtype=None)",
        1,
        2,
        ["axis", "keepdims", "ddof", "dtype"],
        "Standard deviation; ddof=1 gives the sample (unbiased-variance) version.",
        "std([1, 2, 3, 4])",
        rule: |a| reduction_rule(a, Reduce::Std),
        run: |_, a| reduction(a, Reduce::Std)
    ),
    builtin!(
        "reductions",
        "var",
        "var(x, axis=None, keepdims=false, ddof=0, dtype=None)",
        1,
        2,
        ["axis", "keepdims", "ddof", "dtype"],
        "Variance: the mean squared distance from the mean; ddof=1 divides by n-1.",
        "var([1, 2, 3, 4])",
        rule: |a| reduction_rule(a, Reduce::Var),
        run: |_, a| reduction(a, Reduce::Var)
    ),
    reduction!(
        "all",
        Reduce::All,
        "Whether every element is true (non-zero).",
        "all([true, false])"
    ),
    reduction!(
        "any",
        Reduce::Any,
        "Whether at least one element is true (non-zero).",
        "any([0, 0, 1])"
    ),
];
