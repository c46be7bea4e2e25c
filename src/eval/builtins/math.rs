//! Built-ins: math.

use super::*;

/// `round`'s decimals: positional argument 1 or keyword `decimals`.
fn decimals(a: &Args) -> EResult<i64> {
    if a.len() > 1 {
        a.int(1)
    } else {
        Ok(a.kw_int("decimals")?.unwrap_or(0))
    }
}

pub(super) static TABLE: &[Builtin] = &[
    // ----------------------------------------------------------- elementwise
    elementwise!(
        "abs",
        Func::Abs,
        "Absolute value; for complex numbers the modulus (a float64).",
        "abs([-1.5, 2, -3])"
    ),
    elementwise!(
        "sqrt",
        Func::Sqrt,
        "Square root. Negative real input gives nan, as in NumPy; use complex128(x) for complex roots.",
        "sqrt([1, 4, 9])"
    ),
    elementwise!("exp", Func::Exp, "e raised to x.", "exp([0, 1])"),
    elementwise!(
        "log",
        Func::Log,
        "Natural logarithm; log(0) is -inf and negative input gives nan.",
        "log([1, e])"
    ),
    elementwise!(
        "log2",
        Func::Log2,
        "Base-2 logarithm.",
        "log2([1, 8, 1024])"
    ),
    elementwise!(
        "log10",
        Func::Log10,
        "Base-10 logarithm.",
        "log10([1, 100, 0.001])"
    ),
    elementwise!(
        "sin",
        Func::Sin,
        "Sine of an angle in radians.",
        "sin([0, pi/2])"
    ),
    elementwise!(
        "cos",
        Func::Cos,
        "Cosine of an angle in radians.",
        "cos([0, pi])"
    ),
    elementwise!(
        "tan",
        Func::Tan,
        "Tangent of an angle in radians.",
        "tan(pi/4)"
    ),
    elementwise!(
        "arcsin",
        Func::Arcsin,
        "Inverse sine, in radians.",
        "arcsin(1)"
    ),
    elementwise!(
        "arccos",
        Func::Arccos,
        "Inverse cosine, in radians.",
        "arccos(0)"
    ),
    elementwise!(
        "arctan",
        Func::Arctan,
        "Inverse tangent, in radians.",
        "arctan(1)"
    ),
    elementwise!("sinh", Func::Sinh, "Hyperbolic sine.", "sinh(1)"),
    elementwise!("cosh", Func::Cosh, "Hyperbolic cosine.", "cosh(0)"),
    elementwise!(
        "tanh",
        Func::Tanh,
        "Hyperbolic tangent, the classic activation function.",
        "tanh([-1, 0, 1])"
    ),
    elementwise!(
        "floor",
        Func::Floor,
        "Rounds down. Integers stay integers.",
        "floor([-1.5, 1.5])"
    ),
    elementwise!(
        "ceil",
        Func::Ceil,
        "Rounds up. Integers stay integers.",
        "ceil([-1.5, 1.5])"
    ),
    builtin!(
        "elementwise",
        "round",
        "round(x, decimals=0)",
        1,
        2,
        ["decimals"],
        "Rounds to the given number of decimals; halves go to the even neighbour, as in NumPy (round(2.5) is 2).",
        "round([0.5, 1.5, 2.675], 2)",
        rule: |a| {
            decimals(a)?;
            predicted(a, ew::round_rule(&a.meta(0)?))
        },
        run: |_, a| {
            let d = decimals(a)?;
            done(a, ew::round(a.array(0)?, d))
        }
    ),
    elementwise!(
        "sign",
        Func::Sign,
        "-1, 0 or 1 by the sign of x (z/|z| for complex).",
        "sign([-2, 0, 3])"
    ),
    elementwise!("real", Func::Real, "The real part.", "real(3 + 4j)"),
    elementwise!("imag", Func::Imag, "The imaginary part.", "imag(3 + 4j)"),
    elementwise!(
        "conj",
        Func::Conj,
        "The complex conjugate; real values are unchanged.",
        "conj(3 + 4j)"
    ),
    elementwise!(
        "angle",
        Func::Angle,
        "The argument (phase) in radians.",
        "angle(1j)"
    ),
    builtin!(
        "elementwise",
        "complex",
        "complex(re, im)",
        2,
        2,
        [],
        "The complex number re + im·j, element by element with broadcasting (Python's complex). Exact where re + im*1j is not: with an infinite or nan imaginary part, or a negative zero.",
        "complex([1, 2], [3, -4])",
        rule: |a| predicted(a, ew::complex_rule(&a.meta(0)?, &a.meta(1)?)),
        run: |_, a| {
            // A complex part is refused for its imaginary part, a value.
            let part = |i: usize| {
                let x = a.array(i)?;
                x.to_f64_array().map_err(|e| {
                    let (msg, help) = cast_error_text(&e, "float64");
                    a.error(ErrorKind::Domain, Some(i), msg, x.dtype().name())
                        .help(help)
                })
            };
            done(
                a,
                crate::ops::broadcast::zip_map(&part(0)?, &part(1)?, C64::new).map(Array::C128),
            )
        }
    ),
    builtin!(
        "elementwise",
        "maximum",
        "maximum(x, y)",
        2,
        2,
        [],
        "The larger of x and y, element by element, with broadcasting; nan wins.",
        "maximum([1, 5, 3], 2)",
        rule: |a| predicted(a, ew::extremum_rule(&a.meta(0)?, &a.meta(1)?, true)),
        run: |_, a| done(a, ew::extremum(a.array(0)?, a.array(1)?, true))
    ),
    builtin!(
        "elementwise",
        "minimum",
        "minimum(x, y)",
        2,
        2,
        [],
        "The smaller of x and y, element by element, with broadcasting; nan wins.",
        "minimum([1, 5, 3], 2)",
        rule: |a| predicted(a, ew::extremum_rule(&a.meta(0)?, &a.meta(1)?, false)),
        run: |_, a| done(a, ew::extremum(a.array(0)?, a.array(1)?, false))
    ),
    builtin!(
        "elementwise",
        "clip",
        "clip(x, lo, hi)",
        3,
        3,
        [],
        "Limits every element to the range [lo, hi].",
        "clip([1, 5, 9], 2, 6)",
        rule: |a| predicted(a, ew::clip_rule(&a.meta(0)?, &a.meta(1)?, &a.meta(2)?)),
        run: |_, a| done(a, ew::clip(a.array(0)?, a.array(1)?, a.array(2)?))
    ), // ----------------------------------------------------------------- casts
    cast_fn!("bool", DType::Bool, "bool([0, 1, 2])"),
    cast_fn!("int64", DType::Int64, "int64([1.9, -1.9])"),
    cast_fn!("float32", DType::Float32, "float32([26])"),
    cast_fn!("float64", DType::Float64, "float64([1, 2])"),
    cast_fn!("complex128", DType::Complex128, "complex128([1, 2])"),
];
