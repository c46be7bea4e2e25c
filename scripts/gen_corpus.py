#!/usr/bin/env python3
"""Generate the differential corpus in tests/data/corpus/: NumPy's answers for
tensorcalc programs, replayed by tests/corpus.rs with no Python.

Each area (binary operators, unary functions, reductions, ...) is one JSONL
file. A line is one case:

    {"id": "binop/add/int64-float64/2x3-3", "program": "a = ...; b = ...; a + b",
     "expect": {"shape": [2, 3], "dtype": "float64", "data": [flat, row-major]}}

or, where NumPy raises, `"error": "ValueError"` instead of "expect". The value
is what the LAST statement of the program displays. Data is flat (row-major);
floats are shortest repr, NaN and infinities are "nan", "inf", "-inf", complex
numbers are [re, im].

A case may carry its own tolerance, `"rtol"` (relative, for every float
dtype) and `"atol"` (absolute); the linear-algebra cases do (see
gen_linalg), the others use the replay's defaults.

Cases where tensorcalc deliberately differs from NumPy (README, "Where
tensorcalc differs from NumPy") carry `"deviation": "<key>"` and `"numpy": ...`
(what NumPy gives); their "expect"/"error" is then tensorcalc's documented
behaviour, which is what the replay checks.

Run by hand, outside the repo's build, from any directory:

    python3 -m venv "$VENV" && "$VENV"/bin/pip install numpy scipy
    "$VENV"/bin/python scripts/gen_corpus.py

The output is deterministic (a fixed random seed, fixed case order).
"""

import itertools
import json
import math
import pathlib
import random
import sys
import warnings

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"
DTYPES = ["bool", "int64", "float32", "float64", "complex128"]
RNG = random.Random(20260611)
I64_MIN, I64_MAX = -(2**63), 2**63 - 1

warnings.simplefilter("ignore")
np.seterr(all="ignore")


# ------------------------------------------------------------ operands


def make(shape, dtype, special=False):
    """A small array of `dtype` with values chosen so that integer results
    stay far from overflow; `special` mixes in NaN, infinities and -0.0."""
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        vals = [RNG.random() < 0.5 for _ in range(n)]
    elif dtype == "int64":
        vals = [RNG.randint(-4, 5) for _ in range(n)]
    elif dtype in ("float32", "float64"):
        pool = [-2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.25, 0.1, 7.0, -0.75]
        if special:
            pool = pool + [math.nan, math.inf, -math.inf, -0.0, 1e300, -1e-300]
        vals = [RNG.choice(pool) for _ in range(n)]
    else:
        pool = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 3.0]
        re_pool = pool + [math.nan, math.inf, -math.inf] if special else pool
        vals = [complex(RNG.choice(re_pool), RNG.choice(pool)) for _ in range(n)]
    return np.array(vals, dtype=dtype).reshape(shape)


def num_lit(v, dtype):
    """tensorcalc source for one element."""
    if dtype == "bool":
        return "true" if v else "false"
    if dtype == "int64":
        v = int(v)
        return str(v) if v != I64_MIN else "(-9223372036854775807 - 1)"
    if dtype in ("float32", "float64"):
        v = float(v)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        r = repr(v)
        return r
    z = complex(v)
    re = num_lit(z.real, "float64")
    if math.isnan(z.imag) or math.isinf(z.imag):
        im = ("nan" if math.isnan(z.imag) else "inf") + "*1j"
        if z.imag < 0:
            return f"{re} - {im}"
        return f"{re} + {im}"
    sign = "-" if math.copysign(1.0, z.imag) < 0 else "+"
    return f"{re}{sign}{abs(z.imag)!r}j"


def nested(arr, dtype):
    if arr.ndim == 0:
        return num_lit(arr[()], dtype)
    return "[" + ", ".join(nested(sub, dtype) for sub in arr) + "]"


def lit(arr):
    """tensorcalc source that builds exactly `arr` (shape and dtype)."""
    dtype = arr.dtype.name
    if arr.size == 0:
        dims = ", ".join(str(d) for d in arr.shape)
        return f'zeros({dims}, dtype="{dtype}")'
    body = nested(arr, dtype)
    if dtype == "float32":
        return f"float32({body})"
    if arr.ndim == 0 and body.startswith("-") or dtype == "complex128" and arr.ndim == 0:
        return f"({body})"
    if dtype == "float64" and arr.ndim > 0 and all(
        num_lit(v, "float64") in ("nan", "inf", "-inf") for v in arr.ravel()
    ):
        return f"float64({body})"
    if dtype == "complex128" and arr.ndim > 0:
        return f"complex128({body})"
    return body


def dims(shape):
    return "x".join(str(d) for d in shape) if shape else "0d"


# ------------------------------------------------------------ encoding


def enc_float(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def enc_elem(x, dtype):
    if dtype == "bool":
        return bool(x)
    if dtype == "int64":
        return int(x)
    if dtype in ("float32", "float64"):
        return enc_float(x)
    z = complex(x)
    return [enc_float(z.real), enc_float(z.imag)]


def encode(value):
    if isinstance(value, str):
        return {"shape": [], "dtype": "str", "data": value}
    arr = np.asarray(value)
    dtype = arr.dtype.name
    if dtype not in DTYPES:
        if MODE[0] == "numpy":
            kind = {"c": "complex128", "f": "float64", "b": "bool"}.get(arr.dtype.kind, "int64")
            return {"shape": [int(d) for d in arr.shape], "dtype": dtype,
                    "data": [enc_elem(v, kind) for v in arr.ravel()]}
        raise Unsupported(dtype)
    return {
        "shape": [int(d) for d in arr.shape],
        "dtype": dtype,
        "data": [enc_elem(v, dtype) for v in arr.ravel()],
    }


class Unsupported(Exception):
    """NumPy gave a dtype tensorcalc does not have (int8, float16, ...)."""


class TcError(Exception):
    """tensorcalc's documented behaviour for this case is an error."""


Err = object()
MODE = ["tc"]  # "tc": apply tensorcalc's documented deviations; "numpy": plain NumPy
HITS = []  # deviation keys met while computing the current case


def deviate(key, tc):
    """In "tc" mode, records `key` and returns tensorcalc's result `tc` (or
    raises TcError); in "numpy" mode returns None so NumPy carries on."""
    if MODE[0] == "numpy":
        return None
    HITS.append(key)
    if tc is Err:
        raise TcError(key)
    return tc


def run(compute, mode):
    MODE[0] = mode
    HITS.clear()
    try:
        return ("value", encode(compute()))
    except TcError:
        return ("tc-error", None)
    except Unsupported:
        raise
    except Exception as e:  # noqa: BLE001 - NumPy's error is the expectation
        return ("error", type(e).__name__)
    finally:
        MODE[0] = "tc"


CASES = {}


def add(area, cid, program, compute):
    """Runs `compute` (NumPy with tensorcalc's deviations, then plain NumPy)
    and records the case."""
    rec = {"id": cid, "program": program}
    try:
        tc = run(compute, "tc")
        hits = sorted(set(HITS))
        plain = run(compute, "numpy")
    except Unsupported as u:
        raise SystemExit(f"{cid}: NumPy dtype {u} without a deviation rule; program: {program}")
    if "float32-weak-scalar" in hits and tc == plain:
        hits.remove("float32-weak-scalar")
    if tc[0] == "value":
        rec["expect"] = tc[1]
    else:
        rec["error"] = tc[1] or "tensorcalc"
    if hits:
        rec["deviation"] = ",".join(hits)
        rec["numpy"] = plain[1] if plain[0] == "value" else {"error": plain[1]}
    CASES.setdefault(area, []).append(rec)


# ------------------------------------------------------------ NumPy models


def weak(a, b):
    """tensorcalc's weak-scalar rule: a 0-d bool/int64/float64 operand does
    not widen a float32 operand (even a 0-d one), as a Python scalar in NumPy."""
    if a.ndim == 0 and b.dtype == np.float32 and a.dtype.name in ("bool", "int64", "float64"):
        if MODE[0] == "numpy":
            return a
        HITS.append("float32-weak-scalar")
        return a.item()
    return a


def operands(a, b):
    return weak(a, b), weak(b, a)


def check_i64(values):
    """int64 overflow is an error in tensorcalc (NumPy wraps)."""
    for v in values:
        if v < I64_MIN or v > I64_MAX:
            deviate("int-overflow", Err)


def bool_small_int(key, f, a, b):
    """`//`, `%`, `^` on two bools: NumPy gives int8, tensorcalc int64."""
    r = np.asarray(f(a, b))
    if r.dtype == np.int8:
        return r if MODE[0] == "numpy" else deviate(key, r.astype(np.int64))
    return r


def is_int(x):
    return np.asarray(x).dtype.kind in "bi"


def both_intlike(a, b):
    return is_int(a) and is_int(b)


def int_div_checks(a, b, key):
    if both_intlike(a, b):
        bb = np.broadcast_arrays(np.asarray(a), np.asarray(b))[1]
        if np.any(bb == 0):
            deviate(key, Err)


def complex_order(a, b=None):
    for x in (a, b):
        if x is not None and np.asarray(x).dtype.kind == "c":
            deviate("complex-order", Err)


def np_add(a, b):
    a, b = operands(a, b)
    r = np.add(a, b)
    if both_intlike(a, b) and np.asarray(r).dtype == np.int64:
        check_i64(int(x) + int(y) for x, y in np.broadcast(a, b))
    return r


def np_sub(a, b):
    a, b = operands(a, b)
    r = np.subtract(a, b)
    if both_intlike(a, b) and np.asarray(r).dtype == np.int64:
        check_i64(int(x) - int(y) for x, y in np.broadcast(a, b))
    return r


def np_mul(a, b):
    a, b = operands(a, b)
    r = np.multiply(a, b)
    if both_intlike(a, b) and np.asarray(r).dtype == np.int64:
        check_i64(int(x) * int(y) for x, y in np.broadcast(a, b))
    return r


def np_div(a, b):
    a, b = operands(a, b)
    return np.true_divide(a, b)


def np_floordiv(a, b):
    a, b = operands(a, b)
    np.broadcast_shapes(np.shape(a), np.shape(b))
    if np.asarray(a).dtype.kind == "c" or np.asarray(b).dtype.kind == "c":
        return np.floor_divide(a, b)
    int_div_checks(a, b, "int-div-zero")
    return bool_small_int("bool-int8", np.floor_divide, a, b)


def np_mod(a, b):
    a, b = operands(a, b)
    np.broadcast_shapes(np.shape(a), np.shape(b))
    if np.asarray(a).dtype.kind == "c" or np.asarray(b).dtype.kind == "c":
        return np.remainder(a, b)
    int_div_checks(a, b, "int-div-zero")
    return bool_small_int("bool-int8", np.remainder, a, b)


def np_pow(a, b):
    a, b = operands(a, b)
    np.broadcast_shapes(np.shape(a), np.shape(b))
    aa, bb = np.asarray(a), np.asarray(b)
    if aa.dtype == np.bool_ and bb.dtype == np.bool_:
        return bool_small_int("bool-int8", np.power, a, b)
    if aa.dtype.kind in "bi" and bb.dtype.kind in "bi":
        if np.any(bb < 0) and MODE[0] == "tc":
            return deviate("int-negative-power", np.power(aa.astype(np.float64), bb.astype(np.float64)))
        check_i64(int(x) ** int(y) for x, y in np.broadcast(aa, bb))
    return np.power(a, b)


def cmp(f):
    def g(a, b):
        a, b = operands(a, b)
        if f not in (np.equal, np.not_equal):
            np.broadcast_shapes(np.shape(a), np.shape(b))
            complex_order(a, b)
        return f(a, b)

    return g


def np_and(a, b):
    a, b = operands(a, b)
    return np.bitwise_and(a, b)


def np_or(a, b):
    a, b = operands(a, b)
    return np.bitwise_or(a, b)


def np_matmul(a, b):
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        raise ValueError("matmul: scalar operand")
    r = np.matmul(a, b)
    if both_intlike(a, b) and np.asarray(r).dtype == np.int64:
        x = np.asarray(a).astype(object)
        y = np.asarray(b).astype(object)
        check_i64(np.asarray(np.matmul(x, y)).ravel().tolist() if r.size else [])
    return r


BINOPS = {
    "add": ("+", np_add),
    "sub": ("-", np_sub),
    "mul": ("*", np_mul),
    "div": ("/", np_div),
    "floordiv": ("//", np_floordiv),
    "mod": ("%", np_mod),
    "pow": ("^", np_pow),
    "eq": ("==", cmp(np.equal)),
    "ne": ("!=", cmp(np.not_equal)),
    "lt": ("<", cmp(np.less)),
    "le": ("<=", cmp(np.less_equal)),
    "gt": (">", cmp(np.greater)),
    "ge": (">=", cmp(np.greater_equal)),
    "and": ("&", np_and),
    "or": ("|", np_or),
}

BROADCAST_PAIRS = [
    ((), ()),
    ((), (3,)),
    ((4,), ()),
    ((3,), (3,)),
    ((1,), (3,)),
    ((2, 3), (3,)),
    ((2, 3), (2, 1)),
    ((2, 1), (1, 3)),
    ((0,), (1,)),
    ((0, 3), (3,)),
    ((2, 0), (2, 1)),
    ((), (0,)),
    ((4, 1, 3), (2, 3)),
    ((1, 2, 1), (3, 1, 2)),
    ((2, 3), (3, 2)),
    ((3,), (4,)),
    ((0,), (2,)),
    ((1, 1), (2, 2, 2)),
]


def gen_binops():
    for name, (sym, f) in BINOPS.items():
        for da, db in itertools.product(DTYPES, DTYPES):
            for sa, sb in BROADCAST_PAIRS:
                a, b = make(sa, da), make(sb, db)
                prog = f"a = {lit(a)}; b = {lit(b)}; a {sym} b"
                cid = f"binop/{name}/{da}-{db}/{dims(sa)}-{dims(sb)}"
                add("binop", cid, prog, lambda f=f, a=a, b=b: f(a, b))
            # special values: NaN, infinities, -0.0, zero divisors
            if da in ("bool", "int64") and db in ("bool", "int64"):
                continue
            for k in range(2):
                a, b = make((6,), da, special=True), make((6,), db, special=True)
                prog = f"a = {lit(a)}; b = {lit(b)}; a {sym} b"
                add("binop", f"binop/{name}/{da}-{db}/special{k}", prog, lambda f=f, a=a, b=b: f(a, b))
        # scalars of each dtype against a float32 array (the weak-scalar rule)
        for ds in ("bool", "int64", "float64", "complex128"):
            a, s = make((3,), "float32"), make((), ds)
            add("binop", f"binop/{name}/float32-scalar-{ds}", f"a = {lit(a)}; a {sym} {lit(s)}",
                lambda f=f, a=a, s=s: f(a, s))
            add("binop", f"binop/{name}/scalar-{ds}-float32", f"a = {lit(a)}; {lit(s)} {sym} a",
                lambda f=f, a=a, s=s: f(s, a))


MATMUL_PAIRS = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 2)),
    ((2, 3), (3, 4)),
    ((1, 3), (3, 1)),
    ((2, 2, 3), (3, 2)),
    ((3,), (2, 3, 2)),
    ((2, 2, 3), (2, 3, 1)),
    ((2, 1, 2, 3), (3, 3, 2)),
    ((0, 3), (3, 2)),
    ((2, 0), (0, 3)),
    ((0,), (0,)),
    ((2, 3), (2, 3)),
    ((3,), (4,)),
    ((2, 2, 3), (3, 3, 2)),
    ((), (3,)),
]


def gen_matmul():
    for da, db in itertools.product(DTYPES, DTYPES):
        for sa, sb in MATMUL_PAIRS:
            a, b = make(sa, da), make(sb, db)
            for form in ("op", "fn"):
                prog = f"a = {lit(a)}; b = {lit(b)}; " + ("a @ b" if form == "op" else "matmul(a, b)")
                add("matmul", f"matmul/{form}/{da}-{db}/{dims(sa)}-{dims(sb)}", prog,
                    lambda a=a, b=b: np_matmul(a, b))
    # large integer products overflow
    a = np.array([[2**40, 2**40]], dtype=np.int64)
    b = np.array([[2**30], [2**30]], dtype=np.int64)
    add("matmul", "matmul/overflow/int64", f"a = {lit(a)}; b = {lit(b)}; a @ b", lambda: np_matmul(a, b))


# ------------------------------------------------------------ unary


def np_neg(a):
    r = np.negative(a)
    if a.dtype == np.int64:
        check_i64(-int(x) for x in a.ravel())
    return r


def np_not(a):
    if a.dtype != np.bool_:
        deviate("not-on-numbers", Err)
    return np.logical_not(a)


def np_ctranspose(a):
    # tensorcalc's `'` conjugates whatever the rank (a vector keeps its
    # single axis); NumPy's conj of bools would be int8.
    t = np.swapaxes(a, -1, -2) if a.ndim >= 2 else a
    return t if a.dtype == np.bool_ else np.conj(t)


UNARY_OPS = {
    "neg": ("-{}", np_neg),
    "pos": ("+{}", np.positive),
    "not": ("!{}", np_not),
    "ctranspose": ("{}'", np_ctranspose),
}


def float16_rule(f):
    """NumPy gives float16 for float functions of bools; tensorcalc float64."""

    def g(a):
        r = np.asarray(f(a))
        if MODE[0] == "numpy":
            return r
        if r.dtype == np.float16:
            return deviate("bool-float16", np.asarray(f(a.astype(np.float64))))
        if r.dtype == np.int8:
            if f is np.conj:
                # conj of bools: NumPy int8, tensorcalc keeps bool
                return deviate("conj-bool", a)
            return deviate("bool-int8", r.astype(np.int64))
        return r

    return g


def ordered(f):
    def g(*xs):
        complex_order(*xs[:2]) if len(xs) > 1 else complex_order(xs[0])
        for x in xs[2:]:
            complex_order(x)
        return f(*xs)

    return g


def np_abs(a):
    if a.dtype == np.int64:
        check_i64(abs(int(x)) for x in a.ravel())
    return np.abs(a)


FUNCS = {
    "abs": np_abs,
    "sqrt": np.sqrt,
    "exp": np.exp,
    "log": np.log,
    "log2": np.log2,
    "log10": np.log10,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "arcsin": np.arcsin,
    "arccos": np.arccos,
    "arctan": np.arctan,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "tanh": np.tanh,
    "floor": np.floor,
    "ceil": np.ceil,
    "round": np.round,
    "sign": np.sign,
    "real": np.real,
    "imag": np.imag,
    "conj": np.conj,
    "angle": np.angle,
}


def gen_unary():
    shapes = [(), (4,), (2, 3), (0, 2)]
    for name, (fmt, f) in UNARY_OPS.items():
        for dt in DTYPES:
            for sh in shapes + [(2, 2, 3)]:
                a = make(sh, dt)
                add("unary", f"unary/{name}/{dt}/{dims(sh)}", f"a = {lit(a)}; " + fmt.format("a"),
                    lambda f=f, a=a: f(a))
    for name, f in FUNCS.items():
        g = float16_rule(f)
        for dt in DTYPES:
            for sh in shapes:
                a = make(sh, dt)
                add("func", f"func/{name}/{dt}/{dims(sh)}", f"{name}({lit(a)})", lambda g=g, a=a: g(a))
            if dt in ("float32", "float64", "complex128"):
                for k in range(3):
                    a = make((6,), dt, special=True)
                    add("func", f"func/{name}/{dt}/special{k}", f"{name}({lit(a)})", lambda g=g, a=a: g(a))
            if dt in ("float64", "complex128"):
                # domain edges: negative logs and roots, |x| > 1 for arcsin
                a = np.array([-4.0, -1.0, -0.25, 0.0, 0.25, 1.0, 2.0, 100.0, 710.0, -710.0], dtype=dt)
                add("func", f"func/{name}/{dt}/domain", f"{name}({lit(a)})", lambda g=g, a=a: g(a))
    for dec in (-1, 0, 1, 2):
        for dt in ("int64", "float64", "float32", "complex128"):
            a = make((5,), dt)
            if dt != "int64":
                a = (a * 1.37).astype(dt)
            add("func", f"func/round/{dt}/decimals{dec}", f"round({lit(a)}, decimals={dec})",
                lambda a=a, dec=dec: np.round(a, dec))
    for name, f in (("maximum", np.maximum), ("minimum", np.minimum)):
        g = ordered(lambda a, b, f=f: f(*operands(a, b)))
        for da, db in itertools.product(DTYPES, DTYPES):
            for sa, sb in [((3,), (3,)), ((2, 3), (3,)), ((), (2,)), ((0,), (1,)), ((2,), (3,))]:
                a, b = make(sa, da), make(sb, db)
                add("func", f"func/{name}/{da}-{db}/{dims(sa)}-{dims(sb)}", f"{name}({lit(a)}, {lit(b)})",
                    lambda g=g, a=a, b=b: g(a, b))
            if da in ("float32", "float64") and db in ("float32", "float64"):
                a, b = make((6,), da, special=True), make((6,), db, special=True)
                add("func", f"func/{name}/{da}-{db}/special", f"{name}({lit(a)}, {lit(b)})",
                    lambda g=g, a=a, b=b: g(a, b))
    for dt in DTYPES:
        for lo, hi in [(-1, 2), (0.5, 1.5), (2, -1), (True, True)]:
            a = make((2, 3), dt)
            lo_a, hi_a = np.asarray(lo), np.asarray(hi)
            prog = f"clip({lit(a)}, {lit(lo_a)}, {lit(hi_a)})"

            def c(a=a, lo_a=lo_a, hi_a=hi_a):
                complex_order(a)
                return np.clip(a, weak(lo_a, a), weak(hi_a, a))

            add("func", f"func/clip/{dt}/{lo}-{hi}", prog, c)


# ------------------------------------------------------------ casts


def np_cast(a, to):
    if a.dtype.kind == "c" and to != "complex128" and to != "bool":
        if np.any(a.imag != 0):
            deviate("complex-to-real", Err)
        a = a.real
    if to == "int64" and a.dtype.kind == "f":
        bad = ~np.isfinite(a) | (a >= 2.0**63) | (a < -(2.0**63))
        if np.any(bad):
            deviate("float-to-int", Err)
    return a.astype(to)


def gen_casts():
    for src, to in itertools.product(DTYPES, DTYPES):
        for sh in [(), (5,), (2, 3), (0, 3)]:
            a = make(sh, src)
            add("cast", f"cast/{src}-{to}/{dims(sh)}", f"{to}({lit(a)})", lambda a=a, to=to: np_cast(a, to))
        if src in ("float32", "float64", "complex128"):
            a = make((6,), src, special=True)
            add("cast", f"cast/{src}-{to}/special", f"{to}({lit(a)})", lambda a=a, to=to: np_cast(a, to))
    for v in [1e19, -1e19, 9.2e18, -9.2e18, 2.0**63, 0.9999, -0.9999, 2.5, -2.5, 1e300]:
        a = np.array([v])
        add("cast", f"cast/float64-int64/value{v!r}", f"int64({lit(a)})", lambda a=a: np_cast(a, "int64"))
    for v in [1 + 0j, 1 + 1e-300j, 0j, -3.5 + 0j]:
        a = np.array([v])
        for to in ("int64", "float64", "float32", "bool"):
            add("cast", f"cast/complex-{to}/value{v!r}", f"{to}({lit(a)})", lambda a=a, to=to: np_cast(a, to))
    for v in [3.4e38, 3.5e38, 1e-46, -1e39]:
        a = np.array([v])
        add("cast", f"cast/float64-float32/value{v!r}", f"float32({lit(a)})", lambda a=a: a.astype(np.float32))


# ------------------------------------------------------------ reductions


def red_model(name):
    npf = {
        "sum": np.sum, "prod": np.prod, "mean": np.mean, "min": np.min, "max": np.max,
        "argmin": np.argmin, "argmax": np.argmax, "std": np.std, "var": np.var,
        "all": np.all, "any": np.any,
    }[name]

    def f(a, axis, keepdims, ddof=None):
        if name in ("min", "max", "argmin", "argmax"):
            complex_order(a)
        kw = {"keepdims": keepdims}
        if axis is not None:
            kw["axis"] = axis
        if ddof is not None:
            kw["ddof"] = ddof
        if name in ("argmin", "argmax") and axis is None and keepdims:
            # NumPy keeps every axis as size 1
            pass
        r = npf(a, **kw)
        r = np.asarray(r)
        if name in ("sum", "prod") and r.dtype == np.int64 and a.size:
            obj = a.astype(object)
            exact = np.sum(obj, **kw) if name == "sum" else np.prod(obj, **kw)
            check_i64(np.asarray(exact).ravel().tolist())
        if r.dtype == np.float16 and MODE[0] == "tc":
            return deviate("bool-float16", np.asarray(npf(a.astype(np.float64), **kw)))
        return r

    return f


REDUCTIONS = ["sum", "prod", "mean", "min", "max", "argmin", "argmax", "std", "var", "all", "any"]


def gen_reductions():
    shapes = [(), (4,), (2, 3), (2, 1, 3), (0,), (2, 0)]
    for name in REDUCTIONS:
        f = red_model(name)
        for dt in DTYPES:
            for sh in shapes:
                a = make(sh, dt)
                for axis in [None, 0, -1, 3] + ([1] if len(sh) >= 2 else []):
                    for keep in (False, True):
                        args = lit(a)
                        if axis is not None:
                            args += f", axis={axis}"
                        if keep:
                            args += ", keepdims=true"
                        cid = f"reduce/{name}/{dt}/{dims(sh)}/axis{axis}/keep{int(keep)}"
                        add("reduce", cid, f"{name}({args})", lambda f=f, a=a, axis=axis, keep=keep: f(a, axis, keep))
            if dt in ("float32", "float64", "complex128"):
                for k in range(2):
                    a = make((2, 3), dt, special=True)
                    for axis in (None, 1):
                        args = lit(a) + ("" if axis is None else f", axis={axis}")
                        add("reduce", f"reduce/{name}/{dt}/special{k}/axis{axis}", f"{name}({args})",
                            lambda f=f, a=a, axis=axis: f(a, axis, False))
        # positional axis
        a = make((2, 3), "int64")
        add("reduce", f"reduce/{name}/int64/positional-axis", f"{name}({lit(a)}, 1)", lambda f=f, a=a: f(a, 1, False))
    for name in ("std", "var"):
        f = red_model(name)
        for dt in ("int64", "float64", "complex128"):
            for ddof in (0, 1, 2, 3):
                a = make((3,), dt)
                add("reduce", f"reduce/{name}/{dt}/ddof{ddof}", f"{name}({lit(a)}, ddof={ddof})",
                    lambda f=f, a=a, ddof=ddof: f(a, None, False, ddof))
    big = np.array([I64_MAX, 1], dtype=np.int64)
    add("reduce", "reduce/sum/int64/overflow", f"sum({lit(big)})", lambda: red_model("sum")(big, None, False))
    big = np.array([2**32, 2**32], dtype=np.int64)
    add("reduce", "reduce/prod/int64/overflow", f"prod({lit(big)})", lambda: red_model("prod")(big, None, False))


# ------------------------------------------------------------ shapes


def gen_shapes():
    for dt in DTYPES:
        a = make((2, 3, 2), dt)
        la = lit(a)
        for shp in [(12,), (3, 4), (2, 6), (-1,), (3, -1), (-1, 2, 3), (2, 2, 3), (5,), (-1, -1), (0, -1), (12, 1, 1), (-2, 6)]:
            form = ", ".join(map(str, shp))

            def r(a=a, shp=shp):
                if any(s < -1 for s in shp):
                    deviate("reshape-negative", Err)
                return np.reshape(a, shp)

            add("shape", f"shape/reshape/{dt}/{dims(shp)}", f"reshape({la}, {form})", r)
            add("shape", f"shape/reshape-list/{dt}/{dims(shp)}", f"reshape({la}, [{form}])", r)
        e = make((0, 3), dt)
        for shp in [(3, 0), (0,), (-1, 3), (0, -1), (1, 0, 3)]:
            form = ", ".join(map(str, shp))
            add("shape", f"shape/reshape-empty/{dt}/{dims(shp)}", f"reshape({lit(e)}, [{form}])",
                lambda e=e, shp=shp: np.reshape(e, shp))
        add("shape", f"shape/transpose/{dt}", f"transpose({la})", lambda a=a: np.transpose(a))
        for axes in [(1, 0, 2), (2, 0, 1), (0, 1, 2), (-1, 0, 1), (0, 0, 1), (0, 1), (0, 1, 3)]:
            form = ", ".join(map(str, axes))
            add("shape", f"shape/transpose-axes/{dt}/{dims(axes)}", f"transpose({la}, [{form}])",
                lambda a=a, axes=axes: np.transpose(a, axes))
            add("shape", f"shape/transpose-args/{dt}/{dims(axes)}", f"transpose({la}, {form})",
                lambda a=a, axes=axes: np.transpose(a, axes))
        add("shape", f"shape/flatten/{dt}", f"flatten({la})", lambda a=a: a.flatten())
        z = make((), dt)
        add("shape", f"shape/flatten0d/{dt}", f"flatten({lit(z)})", lambda z=z: z.flatten())
        s = make((1, 3, 1), dt)
        for axis in [None, 0, 2, -1, 1, 3]:
            args = lit(s) + ("" if axis is None else f", axis={axis}")
            add("shape", f"shape/squeeze/{dt}/axis{axis}", f"squeeze({args})",
                lambda s=s, axis=axis: np.squeeze(s, axis=axis))
        v = make((3,), dt)
        for axis in [0, 1, -1, -2, 2, -3]:
            add("shape", f"shape/expand_dims/{dt}/axis{axis}", f"expand_dims({lit(v)}, {axis})",
                lambda v=v, axis=axis: np.expand_dims(v, axis))
            add("shape", f"shape/expand_dims-kw/{dt}/axis{axis}", f"expand_dims({lit(v)}, axis={axis})",
                lambda v=v, axis=axis: np.expand_dims(v, axis))
        for tgt in [(2, 3), (4, 1, 3), (3,), (0, 3), (2,), (1,)]:
            form = ", ".join(map(str, tgt))
            add("shape", f"shape/broadcast_to/{dt}/{dims(tgt)}", f"broadcast_to({lit(v)}, [{form}])",
                lambda v=v, tgt=tgt: np.broadcast_to(v, tgt))
    for da, db in itertools.product(DTYPES, DTYPES):
        for sa, sb, axis in [((2,), (3,), 0), ((2, 3), (1, 3), 0), ((2, 3), (2, 2), 1), ((2, 3), (2, 2), -1),
                             ((2, 3), (2, 2), 0), ((0, 3), (2, 3), 0), ((2,), (2, 1), 0), ((2, 3), (2, 3), 2),
                             ((), (2,), 0)]:
            a, b = make(sa, da), make(sb, db)
            add("shape", f"shape/concatenate/{da}-{db}/{dims(sa)}-{dims(sb)}/axis{axis}",
                f"concatenate({lit(a)}, {lit(b)}, axis={axis})",
                lambda a=a, b=b, axis=axis: np.concatenate([a, b], axis=axis))
        for sa, sb, axis in [((2,), (2,), 0), ((2,), (2,), 1), ((2, 3), (2, 3), -1), ((2,), (3,), 0), ((2, 3), (2, 3), 3),
                             ((), (), 0)]:
            a, b = make(sa, da), make(sb, db)
            add("shape", f"shape/stack/{da}-{db}/{dims(sa)}-{dims(sb)}/axis{axis}",
                f"stack({lit(a)}, {lit(b)}, axis={axis})",
                lambda a=a, b=b, axis=axis: np.stack([a, b], axis=axis))
        for sa, sb in [((2,), (3,)), ((2, 3), (2, 1)), ((), (2,)), ((2, 3), (3,)), ((2, 3), (1, 3))]:
            a, b = make(sa, da), make(sb, db)
            add("shape", f"shape/hstack/{da}-{db}/{dims(sa)}-{dims(sb)}", f"hstack({lit(a)}, {lit(b)})",
                lambda a=a, b=b: np.hstack([a, b]))
            add("shape", f"shape/vstack/{da}-{db}/{dims(sa)}-{dims(sb)}", f"vstack({lit(a)}, {lit(b)})",
                lambda a=a, b=b: np.vstack([a, b]))
    a, b, c = make((2,), "int64"), make((3,), "int64"), make((1,), "float64")
    add("shape", "shape/concatenate/three", f"concatenate({lit(a)}, {lit(b)}, {lit(c)})",
        lambda: np.concatenate([a, b, c]))


# ------------------------------------------------------------ construction


def gen_construct():
    for fname, npf in (("zeros", np.zeros), ("ones", np.ones), ("empty", np.zeros)):
        for shp in [(3,), (2, 3), (0,), (2, 0, 3), (1, 1, 1, 1)]:
            for dt in [None] + DTYPES:
                kw = "" if dt is None else f', dtype="{dt}"'
                form = ", ".join(map(str, shp))
                f = lambda shp=shp, dt=dt, npf=npf: npf(shp, dtype=dt or "float64")
                add("construct", f"construct/{fname}/{dt}/{dims(shp)}", f"{fname}({form}{kw})", f)
                add("construct", f"construct/{fname}-list/{dt}/{dims(shp)}", f"{fname}([{form}]{kw})", f)
        for bad in ["-1", "2.5", "nan", "inf", "-inf", "1e6, 1e6, 1e6", "[2, -3]", "1j", '"a"']:
            add("construct", f"construct/{fname}/bad/{bad}", f"{fname}({bad})", raiser(ValueError))
    for shp in [3, (2, 3), (0,)]:
        for val in [2, 2.5, True, 1j, -0.0]:
            for dt in [None, "float32", "int64", "bool", "complex128"]:
                v = np.asarray(val)
                form = str(shp) if isinstance(shp, int) else "[" + ", ".join(map(str, shp)) + "]"
                kw = "" if dt is None else f', dtype="{dt}"'

                def fl(shp=shp, v=v, dt=dt):
                    if dt in ("int64", "float32") and v.imag != 0:
                        return deviate("complex-to-real", Err)
                    if dt is not None:
                        return np_cast(np.full(shp, v), dt)
                    return np.full(shp, v)

                add("construct", f"construct/full/{dims(shp if not isinstance(shp, int) else (shp,))}/{val!r}/{dt}",
                    f"full({form}, {lit(v)}{kw})", fl)
    for n, m, k in [(3, None, 0), (2, 4, 0), (3, 3, 1), (3, 3, -1), (2, 3, 5), (0, None, 0), (3, 2, -2)]:
        for dt in [None, "int64", "bool", "complex128", "float32"]:
            args = str(n) + ("" if m is None else f", {m}") + ("" if k == 0 else f", k={k}")
            args += "" if dt is None else f', dtype="{dt}"'
            add("construct", f"construct/eye/{n}-{m}-{k}/{dt}", f"eye({args})",
                lambda n=n, m=m, k=k, dt=dt: np.eye(n, m, k, dtype=dt or "float64"))
    for args in [(5,), (2, 7), (1, 10, 3), (10, 1, -3), (0.5, 3), (0, 1, 0.25), (5, 1), (3, 3), (1, 2, 0.1),
                 (-3,), (0,), (2.5,), (1, 2, 0), (0, 10, 2.5)]:
        form = ", ".join(repr(x) for x in args)
        add("construct", f"construct/arange/{form}", f"arange({form})", lambda args=args: np.arange(*args))
        for dt in ("float64", "int64", "float32"):
            def ar(args=args, dt=dt):
                if dt == "int64" and any(isinstance(x, float) for x in args) and MODE[0] == "tc":
                    # NumPy computes the step in int64 after truncating
                    # start + step; tensorcalc truncates the float sequence.
                    r = np.arange(*args, dtype=np.float64)
                    t = np.trunc(r).astype(np.int64)
                    if not np.array_equal(t, np.arange(*args, dtype=dt)):
                        return deviate("arange-int64-float-step", t)
                return np.arange(*args, dtype=dt)

            add("construct", f"construct/arange/{form}/{dt}", f'arange({form}, dtype="{dt}")', ar)
    for start, stop, num, endpoint in [(0, 1, 5, True), (0, 1, 5, False), (1, -1, 3, True), (0, 1, 1, True),
                                       (0, 1, 0, True), (2, 2, 4, True), (0, 10, None, True), (0.5, 1.5, 4, False),
                                       (0, 1, -1, True), (0, 1, 1, False), (-3, 7, 11, True)]:
        args = f"{start}, {stop}" + ("" if num is None else f", num={num}") + ("" if endpoint else ", endpoint=false")
        add("construct", f"construct/linspace/{args}", f"linspace({args})",
            lambda start=start, stop=stop, num=num, endpoint=endpoint: np.linspace(start, stop, 50 if num is None else num, endpoint=endpoint))
    for dt in DTYPES:
        for sh in [(3,), (2, 3), (3, 3), (0,), ()]:
            a = make(sh, dt)
            for k in (0, 1, -1, 4):
                args = lit(a) + ("" if k == 0 else f", k={k}")
                add("construct", f"construct/diag/{dt}/{dims(sh)}/k{k}", f"diag({args})",
                    lambda a=a, k=k: np.diag(a, k))


def raiser(exc):
    def f():
        raise exc()

    return f


def eval_bad(text):
    vals = {"nan": math.nan, "inf": math.inf, "true": True, "1j": 1j}
    if text in vals:
        return vals[text]
    v = eval(text)  # noqa: S307 - our own literals
    if isinstance(v, float) and v == 1e6:
        return (int(1e6),) * 3
    if isinstance(v, tuple):
        if any(isinstance(x, float) for x in v):
            raise MemoryError("too big")
        return v
    if isinstance(v, list):
        return tuple(v)
    return v


# ------------------------------------------------------------ introspection


def gen_introspection():
    for dt in DTYPES:
        for sh in [(), (3,), (2, 3), (0, 4), (2, 1, 3)]:
            a = make(sh, dt)
            la = lit(a)
            add("intro", f"intro/shape/{dt}/{dims(sh)}", f"shape({la})", lambda a=a: np.array(a.shape, dtype=np.int64))
            add("intro", f"intro/ndim/{dt}/{dims(sh)}", f"ndim({la})", lambda a=a: np.int64(a.ndim))
            add("intro", f"intro/size/{dt}/{dims(sh)}", f"size({la})", lambda a=a: np.int64(a.size))
            add("intro", f"intro/len/{dt}/{dims(sh)}", f"len({la})", lambda a=a: np.int64(len(a)))
            add("intro", f"intro/dtype/{dt}/{dims(sh)}", f"dtype({la})", lambda a=a: a.dtype.name)
            add("intro", f"intro/isscalar/{dt}/{dims(sh)}", f"isscalar({la})", lambda a=a: np.bool_(a.ndim == 0))


# ------------------------------------------------------------ products


def exact_int_check(r, a, b, f):
    if np.asarray(r).dtype == np.int64 and np.asarray(r).size:
        ex = f(np.asarray(a).astype(object), np.asarray(b).astype(object))
        check_i64(np.asarray(ex).ravel().tolist())


def gen_products():
    pairs = [((3,), (3,)), ((2, 3), (3,)), ((2, 3), (3, 2)), ((), (3,)), ((3,), (4,)), ((0,), (0,)),
             ((2, 2, 3), (3, 2)), ((2, 3), (2, 3))]
    for da, db in itertools.product(DTYPES, DTYPES):
        for sa, sb in pairs:
            a, b = make(sa, da), make(sb, db)
            pr = f"a = {lit(a)}; b = {lit(b)}; "
            tag = f"{da}-{db}/{dims(sa)}-{dims(sb)}"
            add("product", f"product/dot/{tag}", pr + "dot(a, b)", lambda a=a, b=b: np.dot(a, b))
            add("product", f"product/inner/{tag}", pr + "inner(a, b)", lambda a=a, b=b: np.inner(a, b))
            add("product", f"product/outer/{tag}", pr + "outer(a, b)", lambda a=a, b=b: np.outer(a, b))
            add("product", f"product/kron/{tag}", pr + "kron(a, b)", lambda a=a, b=b: np.kron(a, b))
            add("product", f"product/vdot/{tag}", pr + "vdot(a, b)", lambda a=a, b=b: np.vdot(a, b))
        for sa, sb in [((3,), (3,)), ((2, 3), (2, 3)), ((2,), (2,)), ((2,), (3,)), ((4,), (4,)), ((3, 2), (3, 2))]:
            a, b = make(sa, da), make(sb, db)
            add("product", f"product/cross/{da}-{db}/{dims(sa)}-{dims(sb)}", f"cross({lit(a)}, {lit(b)})",
                lambda a=a, b=b: np.cross(a, b))
        for sa, sb, axes in [((2, 3), (3, 2), 1), ((2, 3), (2, 3), 2), ((2, 3, 4), (3, 4, 2), 2), ((3,), (2,), 0),
                             ((2, 3), (4, 2), 1), ((2, 3), (3, 2), "[[1], [0]]"), ((2, 3), (2, 3), "[[0, 1], [0, 1]]")]:
            a, b = make(sa, da), make(sb, db)
            ax = axes if isinstance(axes, int) else eval(axes)  # noqa: S307
            add("product", f"product/tensordot/{da}-{db}/{dims(sa)}-{dims(sb)}/{axes}",
                f"tensordot({lit(a)}, {lit(b)}, axes={axes})", lambda a=a, b=b, ax=ax: np.tensordot(a, b, axes=ax))
    for dt in DTYPES:
        for sh, off in [((3, 3), 0), ((2, 3), 1), ((3, 2), -1), ((3, 3), 5), ((2, 2, 2), 0), ((3,), 0), ((0, 0), 0)]:
            a = make(sh, dt)
            args = lit(a) + ("" if off == 0 else f", offset={off}")
            add("product", f"product/trace/{dt}/{dims(sh)}/off{off}", f"trace({args})", lambda a=a, off=off: np.trace(a, off))
        for spec, shapes in [("ij,jk->ik", [(2, 3), (3, 2)]), ("ij->ji", [(2, 3)]), ("ii->i", [(3, 3)]),
                             ("ii", [(3, 3)]), ("ij->", [(2, 3)]), ("i,i->", [(3,), (3,)]), ("i,j->ij", [(2,), (3,)]),
                             ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]), ("ij,jk", [(2, 3), (3, 2)]),
                             ("ij,jk->ik", [(2, 3), (2, 2)]), ("...ij->...ji", [(2, 2, 3)]), ("ijk->kji", [(2, 3, 1)])]:
            ops = [make(s, dt) for s in shapes]
            args = ", ".join(lit(o) for o in ops)
            add("product", f"product/einsum/{dt}/{spec}/{'-'.join(map(dims, shapes))}", f'einsum("{spec}", {args})',
                lambda spec=spec, ops=ops: np.einsum(spec, *ops))


# ------------------------------------------------------------ indexing


def gen_indexing():
    for dt in DTYPES:
        v = make((6,), dt)
        m = make((3, 4), dt)
        t = make((2, 3, 4), dt)
        for name, arr in (("v", v), ("m", m), ("t", t)):
            pr = f"a = {lit(arr)}; "
            items = ["0", "-1", "2", "-4", "6", "-7", ":", "1:", ":-1", "::2", "::-1", "4:1:-1", "-2:", "10:", "-10:2",
                     "1:1", "5:0:-2", "::3", "...", "[0, 2]", "[-1, 0, -1]", "[5]", "[]", "0:3:0"]
            if arr.ndim >= 2:
                items += ["0, 0", "-1, -1", "1, :", ":, 1", "::-1, ::2", "..., 0", "0, ...", "[0, 2], [1, 3]",
                          "[0, 2], :", ":, [0, -1]", "1:, [True, False, True, True]", "0, 1, 2", "[0, 1], 1:3",
                          "[[0], [1]], [1, 2]"]
            if arr.ndim == 3:
                items += ["0, :, [1, 2]", "[0, 1], :, [1, 2]", "..., 1:3", "1, ..., ::-2", ":, [0, 2], [1, 3]",
                          "[1], [2], [3]"]
            for it in items:
                src = it.replace("True", "true").replace("False", "false")
                cid = f"index/{dt}/{name}/[{it}]"

                def ix(arr=arr, it=it):
                    key = eval(f"(lambda x: x[{it}])")  # noqa: S307
                    if "[]" in it:
                        return arr[np.array([], dtype=np.int64)]
                    return key(arr)

                add("index", cid, pr + f"a[{src}]", ix)
            # masks
            mask = make(arr.shape, "bool")
            add("index", f"index/{dt}/{name}/mask", pr + f"k = {lit(mask)}; a[k]", lambda arr=arr, mask=mask: arr[mask])
            add("index", f"index/{dt}/{name}/mask-gt", pr + "a[real(a) > 0]" if dt != "bool" else pr + "a[a]",
                (lambda arr=arr: arr[np.real(arr) > 0]) if dt != "bool" else (lambda arr=arr: arr[arr]))
            bad = make((arr.shape[0] + 1,), "bool")
            add("index", f"index/{dt}/{name}/mask-bad", pr + f"a[{lit(bad)}]", lambda arr=arr, bad=bad: arr[bad])
            if arr.ndim >= 2:
                rowmask = make((arr.shape[0],), "bool")
                add("index", f"index/{dt}/{name}/rowmask", pr + f"a[{lit(rowmask)}]", lambda arr=arr, r=rowmask: arr[r])
            add("index", f"index/{dt}/{name}/float-index", pr + "a[1.5]", lambda: (_ for _ in ()).throw(IndexError()))
        # scalar indexing is an error
        s = make((), dt)
        add("index", f"index/{dt}/scalar/0", f"a = {lit(s)}; a[0]", lambda s=s: s[0])
    # assignment
    for dt in DTYPES:
        for vdt in DTYPES:
            for it, shape_v in [("0", ()), ("-1", ()), ("1:3", (2,)), ("::2", (3,)), ("[0, 4]", (2,)), (":", ()),
                                ("[true, false, true, false, true, false]", ()), ("2:4", (3,)), ("9", ())]:
                a = make((6,), dt)
                val = make(shape_v, vdt)
                prog = f"a = {lit(a)}; a[{it}] = {lit(val)}; a"
                py_it = it.replace("true", "True").replace("false", "False")

                def asg(a=a, val=val, py_it=py_it, dt=dt):
                    b = a.copy()
                    key = eval(f"(lambda: (lambda x: x[{py_it}]))")()  # noqa: S307
                    _ = key(b)  # raises IndexError when out of range
                    v = val
                    if v.dtype.kind == "c" and b.dtype.kind != "c":
                        if np.any(v.imag != 0):
                            deviate("complex-to-real", Err)
                        v = v.real
                    if b.dtype == np.int64 and v.dtype.kind == "f" and not np.all(np.isfinite(v)):
                        deviate("float-to-int", Err)
                    exec(f"b[{py_it}] = v")  # noqa: S102
                    return b

                add("index", f"assign/{dt}/{vdt}/[{it}]/{dims(shape_v)}", prog, asg)
    for dt in ("int64", "float64"):
        m = make((3, 4), dt)
        for it, sh in [("0, 0", ()), (":, 1", (3,)), ("1, :", (4,)), (":, :", (1, 4)), ("[0, 2], 1:3", (2, 2)),
                       ("-1", ()), (":, 1", (2,))]:
            val = make(sh, dt)
            prog = f"a = {lit(m)}; a[{it}] = {lit(val)}; a"

            def asg2(m=m, it=it, val=val):
                b = m.copy()
                exec(f"b[{it}] = val")  # noqa: S102
                return b

            add("index", f"assign/{dt}/m/[{it}]/{dims(sh)}", prog, asg2)
    a = np.array([1, 2, 3])
    add("index", "assign/int64/nan", "a = [1, 2, 3]; a[0] = nan; a", lambda: np_assign_nan())
    add("index", "assign/int64/huge", "a = [1, 2, 3]; a[0] = 1e30; a", lambda: np_assign_huge())


def np_assign_nan():
    b = np.array([1, 2, 3])
    b[0] = np.nan
    return b


def np_assign_huge():
    b = np.array([1, 2, 3])
    b[0] = 1e30
    return b


# ------------------------------------------------------------ expressions


class Node:
    def __init__(self, src, val, prec):
        self.src, self.val, self.prec = src, val, prec


# Our precedence levels: 1 |, 2 &, 3 comparisons, 4 + -, 5 * / // % @, 6 prefix, 7 ^, 8 postfix
EXPR_BIN = [("+", 4, np_add), ("-", 4, np_sub), ("*", 5, np_mul), ("/", 5, np_div), ("^", 7, np_pow),
            ("//", 5, np_floordiv), ("%", 5, np_mod), ("<", 3, cmp(np.less)), ("==", 3, cmp(np.equal)),
            ("&", 2, np_and), ("|", 1, np_or), ("@", 5, np_matmul)]


def paren(n, need):
    return n.src if n.prec >= need else f"({n.src})"


def rand_expr(leaves, depth):
    if depth == 0 or RNG.random() < 0.25:
        name, val = RNG.choice(leaves)
        return Node(name if not name.startswith("-") else f"({name})", val, 9)
    r = RNG.random()
    if r < 0.15:
        x = rand_expr(leaves, depth - 1)
        kind = RNG.choice(["neg", "fn", "t"])
        if kind == "neg":
            # `-x^y` parses as -(x^y): the operand must bind tighter than prefix
            return Node("-" + paren(x, 7), Lazy(lambda x=x: np_neg(force(x.val))), 6)
        if kind == "t":
            return Node(paren(x, 8) + "'", Lazy(lambda x=x: np_ctranspose(np.asarray(force(x.val)))), 8)
        fn = RNG.choice(["abs", "exp", "floor", "sum", "sqrt", "sin"])
        f = float16_rule({"abs": np_abs, "exp": np.exp, "floor": np.floor, "sum": red_sum, "sqrt": np.sqrt,
                          "sin": np.sin}[fn])
        return Node(f"{fn}({x.src})", Lazy(lambda f=f, x=x: f(np.asarray(force(x.val)))), 9)
    sym, prec, f = RNG.choice(EXPR_BIN)
    a, b = rand_expr(leaves, depth - 1), rand_expr(leaves, depth - 1)
    if sym == "^":
        # right-associative: the left side must bind tighter
        src = f"{paren(a, prec + 1)} {sym} {paren(b, prec)}"
    else:
        src = f"{paren(a, prec)} {sym} {paren(b, prec + 1)}"
    return Node(src, Lazy(lambda f=f, a=a, b=b: f(np.asarray(force(a.val)), np.asarray(force(b.val)))), prec)


def red_sum(a):
    return red_model("sum")(a, None, False)


class Lazy:
    def __init__(self, f):
        self.f = f


def force(v):
    while isinstance(v, Lazy):
        v = v.f()
    return v


def gen_expressions(n):
    for i in range(n):
        shapes = RNG.choice([[(), (), ()], [(3,), (3,), ()], [(2, 2), (2, 2), (2,)], [(2, 3), (3,), ()]])
        dts = [RNG.choice(["int64", "int64", "float64", "bool", "complex128", "float32"]) for _ in shapes]
        vals = [make(s, d) for s, d in zip(shapes, dts)]
        leaves = list(zip("abc", vals))
        for j in range(3):
            leaves.append((num_lit(v := RNG.choice([2, 3, 0.5, -1]), "int64" if isinstance(v, int) else "float64"),
                           np.asarray(v)))
        e = rand_expr(leaves, RNG.randint(1, 4))
        prog = "; ".join(f"{k} = {lit(v)}" for k, v in zip("abc", vals)) + "; " + e.src
        add("expr", f"expr/{i}", prog, lambda e=e: force(e.val))
    # the pinned corner cases
    for src, val in [("-2^2", -4), ("2^3^2", 512), ("-2 ^ -2", -0.25), ("2 * 3 + 4", 10), ("2 + 3 * 4", 14),
                     ("10 - 3 - 2", 5), ("2 ** 3", 8), ("1 < 2 == true", True), ("7 // 2 * 2", 6),
                     ("true | false & false", True), ("-3 % 5", 2), ("7 % -3", -2), ("-7 // 2", -4),
                     ("2 ^ 0.5", 2**0.5), ("(-8) ^ (1 / 3)", math.nan), ("0 ^ 0", 1), ("0.0 ^ -1", math.inf)]:
        add("expr", f"expr/pinned/{src}", src, lambda val=val: np.asarray(val) if not isinstance(val, float) else np.float64(val))


# ------------------------------------------------------------ overflow and limits


def gen_limits():
    cases = [
        ("9223372036854775807 + 1", "add"), ("9223372036854775807 * 2", "mul"), ("-9223372036854775807 - 2", "sub"),
        ("2 ^ 63", "pow"), ("2 ^ 62", None), ("-(-9223372036854775807 - 1)", "neg"), ("abs(-9223372036854775807 - 1)", "abs"),
        ("3 ^ 40", "pow"), ("(-2) ^ 63", None), ("9223372036854775807 - 1", None),
        ("(-9223372036854775807 - 1) // -1", "div"), ("(-9223372036854775807 - 1) % -1", None),
    ]
    for src, kind in cases:
        ints = {}

        def model(src=src):
            v = eval(src.replace("^", "**").replace("abs", "abs"))  # noqa: S307 - Python ints are exact
            if isinstance(v, list):
                v = v[0]
            if isinstance(v, int):
                check_i64([v])
            return np.int64(v)

        add("limits", f"limits/int64/{src}", src, model)
    big, one = np.array([I64_MAX]), np.array([1])
    add("limits", "limits/int64/vector-add", "[9223372036854775807] + [1]", lambda: np_add(big, one))
    add("limits", "limits/int64/literal-too-big", "9223372036854775808", lambda: (_ for _ in ()).throw(OverflowError()))
    add("limits", "limits/zeros-huge", "zeros(1e6, 1e6)", lambda: (_ for _ in ()).throw(MemoryError()))
    add("limits", "limits/ones-int-huge", "ones(1000000, 1000000)", lambda: (_ for _ in ()).throw(MemoryError()))


# ------------------------------------------------------------ linear algebra

# Decompositions are not unique (signs, phases, order), so these cases
# compare quantities that are: products of the factors (Q @ R, P @ L @ U,
# U @ diag(S) @ Vh), absolute values of factors whose columns are unique up
# to a unit factor, eigenvalues through symmetric functions (sum, prod, ...),
# projectors N @ N', and residuals rounded to 0. Values are compared with a
# per-case "rtol" and a norm-wise "atol" = rtol * max |expected|: 1e-9 for
# float64 and complex128, 1e-4 for float32 input (tensorcalc computes float32
# in float64 and rounds; LAPACK computes in float32). A separate generator
# keeps the other areas' output unchanged.

LRNG = random.Random(20261127)
LA_DTYPES = ["float64", "complex128", "float32", "int64"]


def la_val(dt, lo=-5.0, hi=5.0):
    if dt == "int64":
        v = 0
        while v == 0:
            v = LRNG.randint(-6, 6)
        return v
    if dt == "bool":
        return LRNG.random() < 0.6
    x = 0.0
    while abs(x) < 0.05:
        x = round(LRNG.uniform(lo, hi), 2)
    if dt == "complex128":
        return complex(x, round(LRNG.uniform(lo, hi), 2))
    return x


def la_raw(shape, dt):
    n = int(np.prod(shape)) if shape else 1
    return np.array([la_val(dt) for _ in range(n)], dtype=dt).reshape(shape)


def la_mat(shape, dt, max_cond=50.0):
    """Random entries, each matrix of the stack well conditioned."""
    for _ in range(1000):
        a = la_raw(shape, dt)
        if dt == "bool" or 0 in shape[-2:]:
            return a
        c = np.linalg.cond(a.astype(np.complex128 if dt == "complex128" else np.float64))
        if np.all(c < max_cond):
            return a
    raise SystemExit(f"no well-conditioned {shape} {dt}")


def la_lowrank(shape, rank, dt):
    """An exactly rank-deficient matrix: small integer factors C @ D."""
    *b, m, n = shape
    c = np.array([LRNG.randint(-3, 3) for _ in range(int(np.prod(b + [m, rank])))]).reshape(b + [m, rank])
    d = np.array([LRNG.randint(-3, 3) for _ in range(int(np.prod(b + [rank, n])))]).reshape(b + [rank, n])
    a = c @ d
    if dt == "complex128":
        a = a + 1j * (c @ np.roll(d, 1, axis=-1))  # still rank <= rank
    return a.astype(dt)


def la_dup(n, dt):
    """An exactly singular matrix: a repeated row stays exactly repeated
    under any order of elimination, so LU finds an exact zero pivot."""
    a = la_mat((n - 1, n), dt, 1e6)
    if dt == "complex128":
        # complex LU may round a repeated row differently; a zero column is exact
        a = la_mat((n, n), dt, 1e6)
        a[:, LRNG.randrange(n)] = 0
        return a
    i, j = LRNG.sample(range(n), 2)
    rows = list(a)
    rows.insert(i, rows[j if j < n - 1 else 0])
    return np.array(rows, dtype=dt)


def la_herm(n, dt, batch=(), pd=True):
    b = la_mat(tuple(batch) + (n, n), "complex128" if dt == "complex128" else "float64", 1e6)
    h = b @ np.conj(np.swapaxes(b, -1, -2))
    if pd:
        h = h + n * np.eye(n)
    else:
        h = (b + np.conj(np.swapaxes(b, -1, -2))) / 2
    return h.astype(dt)


def la_case(cid, program, compute, rtol=None, atol=None):
    """Adds a case to linalg.jsonl, with its tolerance."""
    add("linalg", "linalg/" + cid, program, compute)
    rec = CASES["linalg"][-1]
    exp = rec.get("expect")
    if exp is None or exp["dtype"] not in ("float32", "float64", "complex128"):
        return
    if rtol is None:
        rtol = 1e-4 if "float32" in program else 1e-9
    rec["rtol"] = rtol
    mags = []
    for v in exp["data"]:
        z = complex(*v) if isinstance(v, list) and not isinstance(v[0], str) else v
        if isinstance(z, (int, float, complex)) and not isinstance(z, bool) and math.isfinite(abs(z)):
            mags.append(abs(z))
    big = max(mags, default=0.0)
    if atol is None:
        atol = rtol * big
    if atol > 0:
        rec["atol"] = float(f"{atol:.3g}")


def tc_only(key, numpy_f, tc_f):
    """NumPy's answer in "numpy" mode; tensorcalc's documented one (`key`) otherwise."""
    if MODE[0] == "numpy":
        return numpy_f()
    deviate(key, None)
    return tc_f()


def exact_det(a):
    from fractions import Fraction

    m = [[Fraction(int(x)) for x in row] for row in a.tolist()]
    n = len(m)
    det = Fraction(1)
    for c in range(n):
        p = next((r for r in range(c, n) if m[r][c] != 0), None)
        if p is None:
            return 0
        if p != c:
            m[c], m[p] = m[p], m[c]
            det = -det
        det *= m[c][c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for k in range(c, n):
                m[r][k] -= f * m[c][k]
    return int(det)


def np_det_int(a):
    def tc():
        count = int(np.prod(a.shape[:-2]))
        flat = a.astype(np.int64).reshape((count,) + a.shape[-2:])
        vals = [exact_det(m) if m.size else 1 for m in flat]
        check_i64(vals)
        return np.array(vals, dtype=np.int64).reshape(a.shape[:-2])

    return tc_only("det-exact-int", lambda: np.linalg.det(a), tc)


def ct(x):
    return np.conj(np.swapaxes(x, -1, -2))


def r6(x, d=6):
    return np.round(x, d)


def shp(dims_):
    return "x".join(str(d) for d in dims_)


def np_pinv(a):
    r = np.linalg.pinv(a)
    if a.size == 0 and r.dtype == np.int64:
        # NumPy returns an empty array of the input dtype; tensorcalc float64 as for any int input
        return tc_only("pinv-empty-int", lambda: r, lambda: r.astype(np.float64))
    return r


def np_eigh_nan(f, a):
    if np.isnan(a).any():
        # NumPy reads one triangle and returns garbage; tensorcalc refuses nan/inf input
        return tc_only("eigh-nan", lambda: f(a), lambda: deviate("eigh-nan", Err))
    return f(a)


def lstsq_part(a, b, idx, rcond=None):
    r = np.linalg.lstsq(a, b, rcond=rcond)[idx]
    if idx == 2:
        # NumPy's rank is int32, a dtype tensorcalc does not have
        return tc_only("int32-rank", lambda: r, lambda: np.int64(r))
    return r


def gen_linalg():
    import scipy.linalg as sl

    la = np.linalg
    sq_shapes = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (2, 3, 3), (2, 2, 2, 2)]
    # ---- det
    for dt in LA_DTYPES + ["bool"]:
        for sh in sq_shapes:
            a = la_mat(sh, dt)
            f = (lambda a=a: np_det_int(a)) if dt in ("int64", "bool") else (lambda a=a: la.det(a))
            la_case(f"det/{dt}/{shp(sh)}", f"det({lit(a)})", f)
        s = la_dup(3, dt if dt != "bool" else "int64")
        f = (lambda s=s: np_det_int(s)) if dt in ("int64", "bool") else (lambda s=s: r6(la.det(s)))
        la_case(f"det/{dt}/singular", f"det({lit(s)})" if dt in ("int64", "bool") else f"round(det({lit(s)}), 6)", f)
        for bad in [(2, 3), (3,), ()]:
            a = la_raw(bad, dt)
            la_case(f"det/{dt}/bad-{shp(bad) or '0d'}", f"det({lit(a)})", lambda a=a: la.det(a))
    big = np.array([[3037000500, 1], [-3037000500, 3037000500]], dtype=np.int64)
    la_case("det/int64/overflow", f"det({lit(big)})", lambda: np_det_int(big))
    for k in range(6):
        a = la_raw((4, 4), "int64")
        la_case(f"det/int64/exact{k}", f"det({lit(a)})", lambda a=a: np_det_int(a))
    for dt in ("float64", "complex128"):
        for k, zc in enumerate([[[0, 1, 2], [0, 3, 4], [0, 5, 7]], [[1, 0, 2], [2, 0, 4], [3, 0, 7]], [[0, 1], [0, 2]]]):
            zc = np.array(zc, dtype=dt)
            la_case(f"det/{dt}/zero-column{k}", f"det({lit(zc)})", lambda zc=zc: la.det(zc))
            la_case(f"lu/{dt}/zero-column{k}/L", f"P, L, U = lu({lit(zc)}); L", lambda zc=zc: sl.lu(zc)[1])
            la_case(f"lu/{dt}/zero-column{k}/PLU", f"P, L, U = lu({lit(zc)}); P @ L @ U",
                    lambda zc=zc: np.matmul(np.matmul(*sl.lu(zc)[:2]), sl.lu(zc)[2]))
    nanm = np.array([[math.nan, 1.0], [2.0, 3.0]])
    la_case("det/float64/nan", f"det({lit(nanm)})", lambda: la.det(nanm))

    # ---- inv
    for dt in LA_DTYPES + ["bool"]:
        for sh in sq_shapes:
            a = la_mat(sh, dt) if dt != "bool" else np.eye(sh[-1], dtype=bool) if len(sh) == 2 else la_mat(sh, dt)
            la_case(f"inv/{dt}/{shp(sh)}", f"inv({lit(a)})", lambda a=a: la.inv(a))
            if 0 not in sh and len(sh) == 2 and dt != "bool":
                la_case(f"inv/{dt}/{shp(sh)}/identity", f"A = {lit(a)}; A @ inv(A)", lambda a=a: a @ la.inv(a),
                        atol=1e-9 if dt != "float32" else 1e-4)
        if dt != "bool":
            for n in (2, 3, 4):
                s = la_dup(n, dt)
                la_case(f"inv/{dt}/singular-{n}x{n}", f"inv({lit(s)})", lambda s=s: la.inv(s))
            z = np.zeros((2, 2), dtype=dt)
            la_case(f"inv/{dt}/zero", f"inv({lit(np.array([[0, 0], [0, 0]], dtype=dt))})", lambda z=z: la.inv(z))
        for bad in [(2, 3), (3,), (), (2, 2, 3)]:
            a = la_raw(bad, dt)
            la_case(f"inv/{dt}/bad-{shp(bad) or '0d'}", f"inv({lit(a)})", lambda a=a: la.inv(a))

    # ---- solve and A \ b
    solve_shapes = [((1, 1), (1,)), ((2, 2), (2,)), ((3, 3), (3,)), ((3, 3), (3, 2)), ((4, 4), (4, 1)),
                    ((2, 3, 3), (2, 3, 2)), ((2, 3, 3), (3, 2)), ((2, 3, 3), (3,)), ((2, 3, 3), (1, 3, 4)),
                    ((0, 0), (0,)), ((0, 0), (0, 2)), ((3, 3), (2,)), ((2, 3, 3), (2, 3)), ((3, 3), (4, 1)),
                    ((2, 3), (2,)), ((3,), (3,)), ((2, 3, 3), (3, 3, 1))]
    for da, db in [("float64", "float64"), ("complex128", "complex128"), ("float32", "float32"),
                   ("int64", "int64"), ("float64", "complex128"), ("int64", "float64"), ("float32", "float64"),
                   ("complex128", "int64")]:
        for sa, sb in solve_shapes:
            a, b = la_mat(sa, da) if len(sa) >= 2 and sa[-1] == sa[-2] else la_raw(sa, da), la_raw(sb, db)
            tag = f"{da}-{db}/{shp(sa)}-{shp(sb)}"
            la_case(f"solve/{tag}", f"solve({lit(a)}, {lit(b)})", lambda a=a, b=b: la.solve(a, b))
            if (da, db) == ("float64", "float64") or sa in ((3, 3), (2, 3, 3)) and len(sb) == 1 + (len(sa) > 2):
                la_case(f"backslash/{tag}", f"A = {lit(a)}; b = {lit(b)}; A \\ b", lambda a=a, b=b: la.solve(a, b))
        s = la_dup(3, da)
        b = la_raw((3,), db)
        la_case(f"solve/{da}-{db}/singular", f"solve({lit(s)}, {lit(b)})", lambda s=s, b=b: la.solve(s, b))
        la_case(f"backslash/{da}-{db}/singular", f"{lit(s)} \\ {lit(b)}", lambda s=s, b=b: la.solve(s, b))
    a, b = la_mat((3, 3), "float64"), la_raw((3,), "float64")
    la_case("solve/residual", f"A = {lit(a)}; b = {lit(b)}; x = A \\ b; round(norm(A @ x - b), 9)",
            lambda: r6(la.norm(a @ la.solve(a, b) - b), 9))

    # ---- lstsq
    for dt in ["float64", "complex128", "float32", "int64"]:
        for sa, sb, rank in [((4, 2), (4,), None), ((5, 3), (5, 2), None), ((3, 3), (3,), None),
                             ((2, 4), (2,), None), ((2, 4), (2, 3), None), ((4, 3), (4,), 2), ((3, 4), (3, 2), 1),
                             ((1, 1), (1,), None), ((4, 2), (3,), None), ((2, 3, 2), (2, 3), None), ((4,), (4,), None)]:
            a = la_lowrank(sa, rank, dt) if rank else la_mat(sa, dt) if len(sa) == 2 else la_raw(sa, dt)
            b = la_raw(sb, dt)
            pr = f"A = {lit(a)}; b = {lit(b)}; x, res, rk, sv = lstsq(A, b); "
            tag = f"{dt}/{shp(sa)}-{shp(sb)}" + (f"/rank{rank}" if rank else "")
            for part, idx in [("x", 0), ("res", 1), ("rk", 2), ("sv", 3)][: 4 if dt in ("float64", "complex128") else 2]:
                la_case(f"lstsq/{tag}/{part}", pr + part, lambda a=a, b=b, idx=idx: lstsq_part(a, b, idx),
                        atol=1e-8 if part == "res" else None)
    a, b = la_mat((4, 2), "float64"), la_raw((4,), "float64")
    la_case("lstsq/float64/rcond", f"x, res, rk, sv = lstsq({lit(a)}, {lit(b)}, rcond=0.9); rk",
            lambda: lstsq_part(a, b, 2, rcond=0.9))

    # ---- matrix_rank
    for dt in LA_DTYPES:
        for sh, rank in [((3, 3), None), ((3, 3), 2), ((3, 3), 1), ((4, 2), None), ((2, 5), 1), ((4, 4), 3),
                         ((2, 3, 3), 2), ((1, 1), None), ((3,), None), ((0, 0), None), ((2, 0), None)]:
            a = la_lowrank(sh, rank, dt) if rank else la_mat(sh, dt) if len(sh) == 2 and 0 not in sh else la_raw(sh, dt)
            la_case(f"matrix_rank/{dt}/{shp(sh)}" + (f"/rank{rank}" if rank else ""), f"matrix_rank({lit(a)})",
                    lambda a=a: la.matrix_rank(a))
        la_case(f"matrix_rank/{dt}/zeros", f"matrix_rank(zeros(3, 3, dtype=\"{dt}\"))",
                lambda dt=dt: la.matrix_rank(np.zeros((3, 3), dtype=dt)))
        la_case(f"matrix_rank/{dt}/zero-vector", f"matrix_rank(zeros(3, dtype=\"{dt}\"))",
                lambda dt=dt: la.matrix_rank(np.zeros(3, dtype=dt)))
        a = la_mat((3, 3), dt)
        for tol in (0.5, 100.0):
            la_case(f"matrix_rank/{dt}/tol{tol}", f"matrix_rank({lit(a)}, tol={tol})",
                    lambda a=a, tol=tol: la.matrix_rank(a, tol=tol))
        h = la_herm(3, "complex128" if dt == "complex128" else "float64")
        la_case(f"matrix_rank/{dt}/hermitian", f"matrix_rank({lit(h)}, hermitian=true)",
                lambda h=h: la.matrix_rank(h, hermitian=True))

    # ---- norm
    vec_ords = [None, 1, 2, "inf", "-inf", 0, 3, -1, 0.5]
    mat_ords = [None, '"fro"', '"nuc"', 1, -1, 2, -2, "inf", "-inf"]

    def py_ord(o):
        return {"inf": np.inf, "-inf": -np.inf, '"fro"': "fro", '"nuc"': "nuc"}.get(o, o) if isinstance(o, str) else o

    for dt in LA_DTYPES + ["bool"]:
        v = la_raw((5,), dt)
        for o in vec_ords:
            arg = "" if o is None else f", ord={o}"
            la_case(f"norm/{dt}/vector/ord={o}", f"norm({lit(v)}{arg})", lambda v=v, o=o: la.norm(v, py_ord(o)))
        m = la_mat((3, 4), dt)
        for o in mat_ords:
            arg = "" if o is None else f", ord={o}"
            la_case(f"norm/{dt}/matrix/ord={o}", f"norm({lit(m)}{arg})", lambda m=m, o=o: la.norm(m, py_ord(o)))
        t = la_raw((2, 3, 4), dt)
        for o in [None, 1, 2, "inf", '"fro"']:
            for ax in (["0", "-1", "[1, 2]", "[2, 0]", "[1, 1]", "3"] if dt == "float64" else ["-1", "[2, 0]"]):
                axp = eval(ax.replace("[", "(").replace("]", ")"))
                arg = ("" if o is None else f", ord={o}") + f", axis={ax}"
                la_case(f"norm/{dt}/2x3x4/ord={o}/axis={ax}", f"norm({lit(t)}{arg})",
                        lambda t=t, o=o, axp=axp: la.norm(t, py_ord(o), axis=axp))
            for ax in (["-1", "[0, 2]"] if dt in ("float64", "complex128") else []):
                axp = eval(ax.replace("[", "(").replace("]", ")"))
                arg = ("" if o is None else f", ord={o}") + f", axis={ax}, keepdims=true"
                la_case(f"norm/{dt}/2x3x4/ord={o}/axis={ax}/keepdims", f"norm({lit(t)}{arg})",
                        lambda t=t, o=o, axp=axp: la.norm(t, py_ord(o), axis=axp, keepdims=True))
        la_case(f"norm/{dt}/2x3x4/default", f"norm({lit(t)})", lambda t=t: la.norm(t))
        la_case(f"norm/{dt}/2x3x4/keepdims", f"norm({lit(t)}, keepdims=true)", lambda t=t: la.norm(t, keepdims=True))
        la_case(f"norm/{dt}/2x3x4/ord=1-no-axis", f"norm({lit(t)}, ord=1)", lambda t=t: la.norm(t, 1))
        la_case(f"norm/{dt}/matrix/ord=3", f"norm({lit(m)}, ord=3)", lambda m=m: la.norm(m, 3))
        la_case(f"norm/{dt}/vector/ord=fro", f'norm({lit(v)}, ord="fro")', lambda v=v: la.norm(v, "fro"))
        z = la_raw((), dt)
        la_case(f"norm/{dt}/0d", f"norm({lit(z)})", lambda z=z: la.norm(z))
    for o in [None, 1, 2, "inf", '"fro"', '"nuc"']:
        arg = "" if o is None else f", ord={o}"
        e = np.zeros((0, 3))
        la_case(f"norm/float64/0x3/ord={o}", f"norm(zeros(0, 3){arg})", lambda e=e, o=o: la.norm(e, py_ord(o)))
    la_case("norm/float64/empty-vector", "norm(zeros(0))", lambda: la.norm(np.zeros(0)))
    sp = np.array([1.0, math.inf, 2.0])
    la_case("norm/float64/inf", f"norm({lit(sp)})", lambda: la.norm(sp))

    # ---- cond
    for dt in LA_DTYPES:
        for sh in [(3, 3), (2, 2), (1, 1), (2, 3, 3), (3, 2), (2, 4)]:
            a = la_mat(sh, dt)
            for p in [None, 1, -1, 2, -2, "inf", "-inf", '"fro"', '"nuc"'] if sh in ((3, 3), (2, 3, 3), (3, 2)) else [None]:
                arg = "" if p is None else f", p={p}"
                la_case(f"cond/{dt}/{shp(sh)}/p={p}", f"cond({lit(a)}{arg})", lambda a=a, p=p: la.cond(a, py_ord(p)),
                        rtol=1e-8 if dt != "float32" else 1e-4)
        s = la_lowrank((3, 3), 2, dt)
        la_case(f"cond/{dt}/singular/huge", f"cond({lit(s)}) > 1e13", lambda s=s: np.bool_(la.cond(s) > 1e13))
        for p in [1, "inf", '"fro"']:
            z = np.zeros((2, 2), dtype=dt)
            la_case(f"cond/{dt}/zero/p={p}", f"cond(zeros(2, 2, dtype=\"{dt}\"), p={p})",
                    lambda z=z, p=p: la.cond(z, py_ord(p)))
        z = la_raw((3,), dt)
        la_case(f"cond/{dt}/vector", f"cond({lit(z)})", lambda z=z: la.cond(z))

    # ---- pinv
    for dt in LA_DTYPES:
        for sh, rank in [((3, 3), None), ((4, 2), None), ((2, 4), None), ((3, 3), 1), ((4, 3), 2), ((1, 1), None),
                         ((2, 3, 2), None), ((1, 3), None), ((0, 0), None), ((3, 0), None)]:
            a = la_lowrank(sh, rank, dt) if rank else la_mat(sh, dt) if 0 not in sh else np.zeros(sh, dtype=dt)
            tag = f"{dt}/{shp(sh)}" + (f"/rank{rank}" if rank else "")
            la_case(f"pinv/{tag}", f"pinv({lit(a)})", lambda a=a: np_pinv(a))
            if 0 not in sh and len(sh) == 2:
                la_case(f"pinv/{tag}/penrose", f"A = {lit(a)}; X = pinv(A); round(norm(A @ X @ A - A) + norm(X @ A @ X - X) + "
                        f"norm((A @ X)' - A @ X) + norm((X @ A)' - X @ A), {6 if dt != 'float32' else 3})",
                        lambda a=a, dt=dt: r6(sum(la.norm(q) for q in [a @ la.pinv(a) @ a - a,
                                                                          la.pinv(a) @ a @ la.pinv(a) - la.pinv(a),
                                                                          ct(a @ la.pinv(a)) - a @ la.pinv(a),
                                                                          ct(la.pinv(a) @ a) - la.pinv(a) @ a]),
                                              6 if dt != "float32" else 3))
        a = la_mat((3, 3), dt)
        la_case(f"pinv/{dt}/rcond", f"pinv({lit(a)}, rcond=0.5)", lambda a=a: la.pinv(a, rcond=0.5))
        z = la_raw((3,), dt)
        la_case(f"pinv/{dt}/vector", f"pinv({lit(z)})", lambda z=z: la.pinv(z))

    # ---- eig, eigvals
    for dt in LA_DTYPES:
        for sh in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (2, 3, 3)] if dt in ("float64", "complex128") else [(2, 2), (4, 4), (2, 3, 3)]:
            a = la_mat(sh, dt)
            la_ = lit(a)
            d6 = 6 if dt != "float32" else 3
            batched = len(sh) > 2

            def ev(a=a):
                return la.eigvals(a)

            def c64ok(f, a=a, dt=dt):
                # NumPy gives complex64 for float32 input with complex eigenvalues; tensorcalc complex128.
                if dt == "float32" and np.iscomplexobj(la.eigvals(a)):
                    return tc_only("no-complex64", f, lambda: f(a.astype(np.float64)))
                return f()

            for name, src, g in [
                ("sum", "sum(eigvals(A), axis=-1)", lambda x: np.sum(la.eigvals(x), axis=-1)),
                ("prod", "prod(eigvals(A), axis=-1)", lambda x: np.prod(la.eigvals(x), axis=-1)),
                ("sumsq", "sum(eigvals(A) ^ 2, axis=-1)", lambda x: np.sum(la.eigvals(x) ** 2, axis=-1)),
                ("sumabs", "sum(abs(eigvals(A)), axis=-1)", lambda x: np.sum(np.abs(la.eigvals(x)), axis=-1)),
                ("radius", "max(abs(eigvals(A)), axis=-1)", lambda x: np.max(np.abs(la.eigvals(x)), axis=-1)),
                ("dtype", "eigvals(A) * 0", lambda x: la.eigvals(x) * 0),
                ("eig-values-sum", "w, v = eig(A); sum(w, axis=-1)", lambda x: np.sum(la.eig(x)[0], axis=-1)),
                ("eig-unit", f"w, v = eig(A); round(norm(v, axis=-2), {d6})",
                 lambda x, d6=d6: r6(la.norm(la.eig(x)[1], axis=-2), d6)),
                ("eig-residual", f"w, v = eig(A); round(norm(A @ v - v * {'expand_dims(w, 1)' if batched else 'w'}), {d6})",
                 lambda x, d6=d6: r6(la.norm(x @ la.eig(x)[1] - la.eig(x)[1] * la.eig(x)[0][..., None, :]), d6)),
            ]:
                la_case(f"eig/{dt}/{shp(sh)}/{name}", f"A = {la_}; {src}", lambda g=g, a=a, c=c64ok: c(lambda x=a: g(x)),
                        atol=1e-8 if dt != "float32" else 1e-3)
        for name, a in [("rotation", np.array([[0.0, -1.0], [1.0, 0.0]])), ("triangular", np.array([[2.0, 1.0], [0.0, 3.0]])),
                        ("defective", np.array([[1.0, 1.0], [0.0, 1.0]])), ("zero", np.zeros((3, 3))),
                        ("empty", np.zeros((0, 0)))]:
            a = a.astype(dt)
            la_case(f"eigvals/{dt}/{name}/sum", f"sum(eigvals({lit(a)}))",
                    lambda a=a: (lambda f: tc_only("no-complex64", f, lambda: np.sum(la.eigvals(a.astype(np.float64))))
                                 if a.dtype == np.float32 and np.iscomplexobj(la.eigvals(a)) else f())(
                        lambda: np.sum(la.eigvals(a))), atol=1e-9 if dt != "float32" else 1e-5)
        z = la_raw((1, 1), dt)
        la_case(f"eigvals/{dt}/1x1", f"eigvals({lit(z)})", lambda z=z: la.eigvals(z))
        for bad in [(2, 3), (3,)]:
            b = la_raw(bad, dt)
            la_case(f"eigvals/{dt}/bad-{shp(bad)}", f"eigvals({lit(b)})", lambda b=b: la.eigvals(b))
            la_case(f"eig/{dt}/bad-{shp(bad)}", f"w, v = eig({lit(b)}); w", lambda b=b: la.eig(b)[0])
    nanm = np.array([[math.nan, 1.0], [2.0, 3.0]])
    la_case("eigvals/float64/nan", f"eigvals({lit(nanm)})", lambda: la.eigvals(nanm))

    # ---- eigh, eigvalsh
    for dt in ["float64", "complex128", "float32"]:
        for sh in [(1, 1), (2, 2), (3, 3), (4, 4), (6, 6), (2, 3, 3)]:
            n = sh[-1]
            a = la_herm(n, dt, batch=sh[:-2], pd=False)
            la_ = lit(a)
            batched = len(sh) > 2
            d6 = 6 if dt != "float32" else 3
            for name, src, g in [
                ("eigvalsh", "eigvalsh(A)", lambda x: la.eigvalsh(x)),
                ("w", "w, v = eigh(A); w", lambda x: la.eigh(x)[0]),
                ("absv", "w, v = eigh(A); abs(v)", lambda x: np.abs(la.eigh(x)[1])),
                ("orthonormal", f"w, v = eigh(A); round(v' @ v, {d6})", lambda x, d6=d6: r6(ct(la.eigh(x)[1]) @ la.eigh(x)[1], d6)),
                ("residual", f"w, v = eigh(A); round(norm(A @ v - v * {'expand_dims(w, 1)' if batched else 'w'}), {d6})",
                 lambda x, d6=d6: r6(la.norm(x @ la.eigh(x)[1] - la.eigh(x)[1] * la.eigh(x)[0][..., None, :]), d6)),
            ]:
                la_case(f"eigh/{dt}/{shp(sh)}/{name}", f"A = {la_}; {src}", lambda g=g, a=a: g(a),
                        atol=1e-8 if dt != "float32" else 1e-3)
        # only one triangle is read
        b = la_mat((3, 3), dt)
        for uplo in ("L", "U"):
            la_case(f"eigvalsh/{dt}/UPLO={uplo}", f'eigvalsh({lit(b)}, UPLO="{uplo}")',
                    lambda b=b, uplo=uplo: la.eigvalsh(b, UPLO=uplo))
            la_case(f"eigh/{dt}/UPLO={uplo}", f'w, v = eigh({lit(b)}, UPLO="{uplo}"); w',
                    lambda b=b, uplo=uplo: la.eigh(b, UPLO=uplo)[0])
        e = np.zeros((0, 0), dtype=dt)
        la_case(f"eigvalsh/{dt}/0x0", f"eigvalsh({lit(e)})", lambda e=e: la.eigvalsh(e))
        for bad in [(2, 3), (3,)]:
            x = la_raw(bad, dt)
            la_case(f"eigvalsh/{dt}/bad-{shp(bad)}", f"eigvalsh({lit(x)})", lambda x=x: la.eigvalsh(x))
    ia = la_herm(3, "float64", pd=False).round().astype(np.int64)
    la_case("eigvalsh/int64", f"eigvalsh({lit(ia)})", lambda: la.eigvalsh(ia))
    la_case("eigvalsh/float64/nan", f"eigvalsh({lit(nanm)})", lambda: np_eigh_nan(la.eigvalsh, nanm))
    la_case("eigh/float64/nan", f"w, v = eigh({lit(nanm.T)}); w", lambda: np_eigh_nan(lambda x: la.eigh(x)[0], nanm.T))

    # ---- svd
    for dt in LA_DTYPES:
        for sh, rank in [((1, 1), None), ((2, 2), None), ((3, 3), None), ((4, 2), None), ((2, 4), None), ((5, 3), None),
                         ((3, 3), 1), ((4, 3), 2), ((2, 3, 2), None), ((2, 2, 4), None), ((1, 4), None)][
                             slice(None) if dt == "float64" else slice(2, 10, 1)]:
            a = la_lowrank(sh, rank, dt) if rank else la_mat(sh, dt)
            la_ = lit(a)
            tag = f"{dt}/{shp(sh)}" + (f"/rank{rank}" if rank else "")
            d6 = 6 if dt != "float32" else 3
            k = min(sh[-2:])
            cases = [
                ("values", "svd(A, compute_uv=false)", lambda x: la.svd(x, compute_uv=False)),
                ("S", "U, S, Vh = svd(A); S", lambda x: la.svd(x)[1]),
                ("reduced", "U, S, Vh = svd(A, full_matrices=false); U * expand_dims(S, -2) @ Vh",
                 lambda x: (la.svd(x, full_matrices=False)[0] * la.svd(x, full_matrices=False)[1][..., None, :])
                 @ la.svd(x, full_matrices=False)[2]),
                ("full-shapes", "U, S, Vh = svd(A); concatenate([shape(U), shape(Vh)])",
                 lambda x: np.array(la.svd(x)[0].shape + la.svd(x)[2].shape)),
                ("full-U-orthonormal", f"U, S, Vh = svd(A); round(U' @ U, {d6})",
                 lambda x, d6=d6: r6(ct(la.svd(x)[0]) @ la.svd(x)[0], d6)),
                ("full-Vh-orthonormal", f"U, S, Vh = svd(A); round(Vh @ Vh', {d6})",
                 lambda x, d6=d6: r6(la.svd(x)[2] @ ct(la.svd(x)[2]), d6)),
            ]
            if dt != "float64":
                cases = [c for c in cases if c[0] not in ("full-U-orthonormal", "full-Vh-orthonormal")]
            if not rank:
                cases += [
                    ("absU", "U, S, Vh = svd(A, full_matrices=false); abs(U)", lambda x: np.abs(la.svd(x, full_matrices=False)[0])),
                    ("absVh", "U, S, Vh = svd(A, full_matrices=false); abs(Vh)", lambda x: np.abs(la.svd(x, full_matrices=False)[2])),
                ]
            for name, src, g in cases:
                la_case(f"svd/{tag}/{name}", f"A = {la_}; {src}", lambda g=g, a=a: g(a))
        for bad in [(3,), ()]:
            x = la_raw(bad, dt)
            la_case(f"svd/{dt}/bad-{shp(bad) or '0d'}", f"svd({lit(x)})", lambda x=x: la.svd(x))
        e = np.zeros((0, 0), dtype=dt)
        la_case(f"svd/{dt}/0x0", f"svd({lit(e)}, compute_uv=false)", lambda e=e: la.svd(e, compute_uv=False))
        e = np.zeros((3, 0), dtype=dt)
        la_case(f"svd/{dt}/3x0", f"svd({lit(e)}, compute_uv=false)", lambda e=e: la.svd(e, compute_uv=False))
    la_case("svd/float64/nan", f"svd({lit(nanm)})", lambda: la.svd(nanm)[1])

    # ---- qr
    for dt in LA_DTYPES:
        for sh in [(1, 1), (2, 2), (3, 3), (4, 2), (2, 4), (5, 3), (2, 3, 2), (2, 2, 3)] if dt == "float64" else \
                [(3, 3), (4, 2), (2, 4), (2, 3, 2)]:
            a = la_mat(sh, dt)
            la_ = lit(a)
            d6 = 6 if dt != "float32" else 3
            for name, src, g in [
                ("QR", "Q, R = qr(A); Q @ R", lambda x: np.matmul(*la.qr(x))),
                ("absR", "Q, R = qr(A); abs(R)", lambda x: np.abs(la.qr(x)[1])),
                ("absQ", "Q, R = qr(A); abs(Q)", lambda x: np.abs(la.qr(x)[0])),
                ("orthonormal", f"Q, R = qr(A); round(Q' @ Q, {d6})", lambda x, d6=d6: r6(ct(la.qr(x)[0]) @ la.qr(x)[0], d6)),
                ("complete-QR", 'Q, R = qr(A, mode="complete"); Q @ R', lambda x: np.matmul(*la.qr(x, mode="complete"))),
                ("complete-shapes", 'Q, R = qr(A, mode="complete"); concatenate([shape(Q), shape(R)])',
                 lambda x: np.array(la.qr(x, mode="complete")[0].shape + la.qr(x, mode="complete")[1].shape)),
                ("complete-orthonormal", f'Q, R = qr(A, mode="complete"); round(Q @ Q\', {d6})',
                 lambda x, d6=d6: r6(la.qr(x, mode="complete")[0] @ ct(la.qr(x, mode="complete")[0]), d6)),
                ("r", 'abs(qr(A, mode="r"))', lambda x: np.abs(la.qr(x, mode="r"))),
            ]:
                la_case(f"qr/{dt}/{shp(sh)}/{name}", f"A = {la_}; {src}", lambda g=g, a=a: g(a))
        x = la_raw((3,), dt)
        la_case(f"qr/{dt}/bad-3", f"Q, R = qr({lit(x)}); R", lambda x=x: la.qr(x)[1])
        x = la_mat((2, 2), dt)
        la_case(f"qr/{dt}/bad-mode", f'Q, R = qr({lit(x)}, mode="bogus"); R', lambda x=x: la.qr(x, mode="bogus")[1])
        la_case(f"qr/{dt}/unpack-3", f"Q, R, X = qr({lit(x)}); R", lambda: (_ for _ in ()).throw(ValueError()))

    # ---- lu (SciPy)
    for dt in LA_DTYPES:
        for sh in [(1, 1), (2, 2), (3, 3), (4, 4), (4, 2), (2, 4), (5, 3), (2, 3, 3)]:
            a = la_mat(sh, dt)
            la_ = lit(a)
            for name, src, g in [
                ("PLU", "P, L, U = lu(A); P @ L @ U", lambda x: np.matmul(np.matmul(*sl.lu(x)[:2]), sl.lu(x)[2])),
                # SciPy's P is real, except for a 1x1 complex input (a quirk of
                # its 1x1 path); tensorcalc's P is real for every input.
                ("P", "P, L, U = lu(A); P", lambda x: np.real(sl.lu(x)[0])),
                ("L", "P, L, U = lu(A); L", lambda x: sl.lu(x)[1]),
                ("U", "P, L, U = lu(A); U", lambda x: sl.lu(x)[2]),
            ]:
                la_case(f"lu/{dt}/{shp(sh)}/{name}", f"A = {la_}; {src}", lambda g=g, a=a: g(a))
        s = la_lowrank((3, 3), 2, dt)
        la_case(f"lu/{dt}/singular/PLU", f"A = {lit(s)}; P, L, U = lu(A); P @ L @ U",
                lambda s=s: sl.lu(s)[0] @ sl.lu(s)[1] @ sl.lu(s)[2], atol=1e-9 if dt != "float32" else 1e-4)
        x = la_raw((3,), dt)
        la_case(f"lu/{dt}/bad-3", f"P, L, U = lu({lit(x)}); U", lambda x=x: sl.lu(x)[2])

    # ---- cholesky
    for dt in ["float64", "complex128", "float32", "int64"]:
        for sh in [(1, 1), (2, 2), (3, 3), (5, 5), (2, 3, 3)]:
            a = la_herm(sh[-1], dt if dt != "int64" else "float64", batch=sh[:-2])
            if dt == "int64":
                a = np.round(a).astype(np.int64)
            la_ = lit(a)
            la_case(f"cholesky/{dt}/{shp(sh)}", f"cholesky({la_})", lambda a=a: la.cholesky(a))
            la_case(f"cholesky/{dt}/{shp(sh)}/upper", f"cholesky({la_}, upper=true)", lambda a=a: la.cholesky(a, upper=True))
            la_case(f"cholesky/{dt}/{shp(sh)}/LLH", f"A = {la_}; L = cholesky(A); L @ L'",
                    lambda a=a: la.cholesky(a) @ ct(la.cholesky(a)))
        nd = la_herm(3, dt if dt != "int64" else "float64", pd=False)
        nd = nd - (np.max(np.abs(nd)) * 4) * np.eye(3, dtype=nd.dtype)
        if dt == "int64":
            nd = np.round(nd).astype(np.int64)
        la_case(f"cholesky/{dt}/not-pd", f"cholesky({lit(nd)})", lambda nd=nd: la.cholesky(nd))
        z = la_raw((2, 3), dt)
        la_case(f"cholesky/{dt}/bad-2x3", f"cholesky({lit(z)})", lambda z=z: la.cholesky(z))
        e = np.zeros((0, 0), dtype=dt)
        la_case(f"cholesky/{dt}/0x0", f"cholesky({lit(e)})", lambda e=e: la.cholesky(e))
        # only the lower triangle is read
        lo = la_herm(3, dt if dt != "int64" else "float64")
        if dt == "int64":
            lo = np.round(lo).astype(np.int64)
        lo = lo + np.triu(np.ones((3, 3), dtype=lo.dtype) * 7, 1)
        la_case(f"cholesky/{dt}/lower-only", f"cholesky({lit(lo)})", lambda lo=lo: la.cholesky(lo))

    # ---- matrix_power
    def np_mpow(a, n):
        r = la.matrix_power(a, n)
        if a.dtype == np.int64 and n > 0 and a.size:
            for m in a.reshape((-1,) + a.shape[-2:]):
                ex = np.identity(m.shape[0], dtype=object)
                for _ in range(n):
                    ex = np.dot(ex, m.astype(object))
                check_i64(np.asarray(ex).ravel().tolist())
        return r

    for dt in LA_DTYPES + ["bool"]:
        for sh in [(2, 2), (3, 3), (1, 1), (2, 3, 3), (0, 0)]:
            a = la_mat(sh, dt) if dt != "int64" else la_raw(sh, dt).clip(-2, 2)
            for n in [0, 1, 2, 3, 5, -1, -2] if dt == "float64" or len(sh) == 2 and sh[0] == 3 else [0, 2, -1]:
                if dt == "bool" and n < 0:
                    continue
                la_case(f"matrix_power/{dt}/{shp(sh)}/{n}", f"matrix_power({lit(a)}, {n})",
                        lambda a=a, n=n: np_mpow(a, n), rtol=1e-8 if dt != "float32" else 1e-4)
        z = la_raw((2, 3), dt)
        la_case(f"matrix_power/{dt}/bad-2x3", f"matrix_power({lit(z)}, 2)", lambda z=z: la.matrix_power(z, 2))
        if dt != "bool":
            s = la_dup(3, dt)
            la_case(f"matrix_power/{dt}/singular/-1", f"matrix_power({lit(s)}, -1)", lambda s=s: la.matrix_power(s, -1))
    fib = np.array([[1, 1], [1, 0]])
    for n in [10, 50, 90, 92, 93]:
        la_case(f"matrix_power/int64/fib{n}", f"matrix_power({lit(fib)}, {n})", lambda n=n: np_mpow(fib, n))

    # ---- null_space and orth (SciPy)
    for dt in LA_DTYPES:
        for sh, rank in [((3, 3), None), ((3, 3), 2), ((3, 3), 1), ((2, 4), None), ((4, 2), None), ((4, 4), 2),
                         ((2, 5), 1), ((1, 3), None), ((3, 1), None)][: 9 if dt in ("float64", "complex128") else 4]:
            a = la_lowrank(sh, rank, dt) if rank else la_mat(sh, dt)
            la_ = lit(a)
            tag = f"{dt}/{shp(sh)}" + (f"/rank{rank}" if rank else "")
            for fn, f in (("null_space", sl.null_space), ("orth", sl.orth)):
                la_case(f"{fn}/{tag}/shape", f"shape({fn}({la_}))", lambda f=f, a=a: np.array(f(a).shape))
                la_case(f"{fn}/{tag}/projector", f"N = {fn}({la_}); N @ N'", lambda f=f, a=a: f(a) @ ct(f(a)),
                        atol=1e-9 if dt != "float32" else 1e-4)
                la_case(f"{fn}/{tag}/orthonormal", f"N = {fn}({la_}); round(N' @ N, 6)",
                        lambda f=f, a=a: r6(ct(f(a)) @ f(a), 6 if dt != "float32" else 3) if dt != "float32" else r6(ct(f(a)) @ f(a), 3))
            la_case(f"null_space/{tag}/residual", f"A = {la_}; round(norm(A @ null_space(A)), {6 if dt != 'float32' else 3})",
                    lambda a=a: r6(la.norm(a @ sl.null_space(a)), 6 if dt != "float32" else 3))
        z = np.zeros((2, 3), dtype=dt)
        for fn, f in (("null_space", sl.null_space), ("orth", sl.orth)):
            la_case(f"{fn}/{dt}/zero", f"{fn}(zeros(2, 3, dtype=\"{dt}\"))", lambda f=f, z=z: f(z))
            a = la_mat((3, 3), dt)
            la_case(f"{fn}/{dt}/rcond", f"shape({fn}({lit(a)}, rcond=0.5))", lambda f=f, a=a: np.array(f(a, rcond=0.5).shape))
            x = la_raw((3,), dt)
            la_case(f"{fn}/{dt}/bad-3", f"{fn}({lit(x)})", lambda f=f, x=x: f(x))


# ------------------------------------------------------------ random streams


def gen_random():
    """NumPy's legacy streams (np.random.seed, RandomState): 1 000 values of
    each generator after several seeds, compared exactly ("rtol": 0, so
    floats must agree to the last bit). Regenerate only this area with
    `python -c 'import gen_corpus as g; g.gen_random(); g.write_areas()'`
    from scripts/ (the other areas' files stay as they are)."""
    r = np.random
    seeds = [("0", 0), ("1", 1), ("42", 42), ("4294967295", 2**32 - 1), ("[1, 2, 3]", [1, 2, 3])]
    gens = [
        ("rand", "rand(1000)", lambda: r.rand(1000)),
        ("rand-2d", "rand(40, 25)", lambda: r.rand(40, 25)),
        ("randn", "randn(1000)", lambda: r.randn(1000)),
        ("randn-spare", "randn(3); randn(997)", lambda: (r.randn(3), r.randn(997))[1]),
        ("randint-small", "randint(0, 10, size=1000)", lambda: r.randint(0, 10, size=1000)),
        ("randint-one-arg", "randint(6, size=[10, 100])", lambda: r.randint(6, size=(10, 100))),
        ("randint-32", "randint(0, 4294967296, size=1000)", lambda: r.randint(0, 2**32, size=1000)),
        ("randint-64", "randint(-5, 1099511627776, size=1000)", lambda: r.randint(-5, 2**40, size=1000)),
        ("randint-full", "randint(-9223372036854775807, 9223372036854775807, size=1000)",
         lambda: r.randint(-(2**63) + 1, 2**63 - 1, size=1000)),
        ("randint-array", "randint([0, 10, 100], [5, 20, 1000], size=[334, 3])",
         lambda: r.randint([0, 10, 100], [5, 20, 1000], size=(334, 3))),
        ("uniform", "uniform(-3, 5, size=1000)", lambda: r.uniform(-3, 5, size=1000)),
        ("uniform-default", "uniform(size=1000)", lambda: r.uniform(size=1000)),
        ("normal", "normal(1.5, 0.25, size=1000)", lambda: r.normal(1.5, 0.25, size=1000)),
        ("normal-array", "normal([0, 10], [1, 3], size=[500, 2])",
         lambda: r.normal([0, 10], [1, 3], size=(500, 2))),
        ("choice-int", "choice(7, size=1000)", lambda: r.choice(7, size=1000)),
        ("choice-p", "choice([1.5, 2.5, 3.5, 4.5], size=1000, p=[0.1, 0.2, 0.3, 0.4])",
         lambda: r.choice([1.5, 2.5, 3.5, 4.5], size=1000, p=[0.1, 0.2, 0.3, 0.4])),
        ("choice-noreplace", "choice(1000, size=1000, replace=false)",
         lambda: r.choice(1000, size=1000, replace=False)),
        ("choice-noreplace-p", "choice(50, size=20, replace=false, p=linspace(1, 50, 50) / 1275)",
         lambda: r.choice(50, size=20, replace=False, p=np.linspace(1, 50, 50) / 1275)),
        ("permutation", "permutation(1000)", lambda: r.permutation(1000)),
        ("permutation-2d", "permutation(reshape(arange(2000), 1000, 2))",
         lambda: r.permutation(np.arange(2000).reshape(1000, 2))),
        ("shuffle", "shuffle(arange(1000))", lambda: (lambda x: (r.shuffle(x), x)[1])(np.arange(1000))),
        ("mixed", "rand(3); randn(5); randint(9, size=7); uniform(size=4); normal(size=1); choice(5, size=3); rand(1000)",
         lambda: (r.rand(3), r.randn(5), r.randint(9, size=7), r.uniform(size=4), r.normal(size=1),
                  r.choice(5, size=3), r.rand(1000))[-1]),
    ]
    for stext, sval in seeds:
        for gid, prog, f in gens:
            def compute(sval=sval, f=f):
                r.seed(sval)
                return f()
            cid = f"random/{gid}/seed{stext.replace(' ', '')}"
            add("random", cid, f"seed({stext}); {prog}", compute)
            CASES["random"][-1]["rtol"] = 0
    for cid, prog, f in [
        ("seed-negative", "seed(-1)", lambda: r.seed(-1)),
        ("seed-too-large", "seed(4294967296)", lambda: r.seed(2**32)),
        ("randint-empty", "randint(3, 3)", lambda: r.randint(3, 3)),
        ("normal-negative-scale", "normal(0, -1)", lambda: r.normal(0, -1)),
        ("choice-p-sum", "choice(3, p=[0.5, 0.5, 0.5])", lambda: r.choice(3, p=[0.5, 0.5, 0.5])),
        ("choice-too-many", "choice(3, size=4, replace=false)", lambda: r.choice(3, size=4, replace=False)),
        ("shuffle-scalar", "shuffle(3)", lambda: r.shuffle(3)),
    ]:
        add("random", f"random/error/{cid}", prog, f)


# ------------------------------------------------------------ arrays


def gen_arrays():
    """The array functions that cut, index and grow arrays (meshgrid, split,
    array_split, take, take_along_axis, nonzero, where(cond), searchsorted,
    pad), None in an index, and the reduction extras (several axes, dtype=,
    initial=, where=) over dtypes and shapes (area "arrays"). Regenerate only
    this area with `python -c 'import gen_corpus as g; g.gen_arrays();
    g.write_areas()'` from scripts/. Results that are tuples are unpacked
    and one part shown: `a, b = split(x, 2); b`."""

    def names(n):
        return ", ".join(f"r{i}" for i in range(n))

    def parts(cid, program, f, n, pick):
        """A case per shown part of an n-part result (unpacked; one part
        alone is picked as a tuple's, `nonzero(x)[0]`)."""
        for i in pick:
            prog = f"{program}[0]" if n == 1 else f"{names(n)} = {program}; r{i}"
            add("arrays", f"{cid}/part{i}", prog, lambda f=f, i=i: f()[i])

    for dt in DTYPES:
        for sa, sb in [((3,), (2,)), ((2, 2), (3,)), ((0,), (2,))]:
            a, b = make(sa, dt), make(sb, dt)
            for ix in ("xy", "ij"):
                cid = f"arrays/meshgrid/{dt}/{dims(sa)}-{dims(sb)}/{ix}"
                prog = f'meshgrid({lit(a)}, {lit(b)}, indexing="{ix}")'
                parts(cid, prog, lambda a=a, b=b, ix=ix: np.meshgrid(a, b, indexing=ix), 2, [0, 1])
        a, b, c = make((2,), dt), make((3,), dt), make((4,), "float64")
        prog = f"meshgrid({lit(a)}, {lit(b)}, {lit(c)})"
        parts(f"arrays/meshgrid/{dt}/three", prog, lambda a=a, b=b, c=c: np.meshgrid(a, b, c), 3, [0, 2])

    for dt in DTYPES:
        for shape, axis in [((6,), 0), ((4, 3), 0), ((4, 3), 1), ((2, 6, 2), -2)]:
            x = make(shape, dt)
            n = shape[axis]
            for cuts in [2, 3, [1, 3], [-2], [0, 10], [3, 1]]:
                for fname, npf in (("split", np.split), ("array_split", np.array_split)):
                    try:
                        count = len(npf(x, cuts, axis=axis))
                    except Exception:  # noqa: BLE001 - an unequal split is a case too
                        add("arrays", f"arrays/{fname}/{dt}/{dims(shape)}/axis{axis}/{cuts}".replace(" ", ""),
                            f"{fname}({lit(x)}, {cuts}, axis={axis})",
                            lambda x=x, cuts=cuts, npf=npf, axis=axis: npf(x, cuts, axis=axis))
                        continue
                    cid = f"arrays/{fname}/{dt}/{dims(shape)}/axis{axis}/{cuts}".replace(" ", "")
                    prog = f"{fname}({lit(x)}, {cuts}, axis={axis})"
                    parts(cid, prog, lambda x=x, cuts=cuts, npf=npf, axis=axis: npf(x, cuts, axis=axis),
                          count, sorted({0, count - 1}))
            del n

    for dt in DTYPES:
        x = make((3, 4), dt)
        for idx, axis in [([0, 5, -1], None), ([[2, 0], [1, 1]], None), ([3, 0], 1), ([[1], [0]], 0), (2, 1),
                          ([], None), ([0, 12], None)]:
            ax = "" if axis is None else f", axis={axis}"
            cid = f"arrays/take/{dt}/{idx}/axis{axis}".replace(" ", "")
            ilit = "zeros(0, dtype=\"int64\")" if idx == [] else str(idx)
            add("arrays", cid, f"take({lit(x)}, {ilit}{ax})",
                lambda x=x, idx=idx, axis=axis: np.take(x, np.array(idx, dtype=np.int64), axis=axis))
        y = make((3, 4), dt)
        if dt != "complex128":
            add("arrays", f"arrays/take_along_axis/{dt}/argsort1",
                f"a = {lit(y)}; take_along_axis(a, argsort(a, axis=1), axis=1)",
                lambda y=y: np.take_along_axis(y, np.argsort(y, axis=1, kind="stable"), axis=1))
            add("arrays", f"arrays/take_along_axis/{dt}/argmax0",
                f"a = {lit(y)}; take_along_axis(a, argmax(a, axis=0, keepdims=true), axis=0)",
                lambda y=y: np.take_along_axis(y, np.argmax(y, axis=0, keepdims=True), axis=0))
        ind = np.array([[0, 3], [1, -1], [2, 2]])
        add("arrays", f"arrays/take_along_axis/{dt}/explicit",
            f"take_along_axis({lit(y)}, {lit(ind)}, axis=-1)",
            lambda y=y, ind=ind: np.take_along_axis(y, ind, axis=-1))
        ind = np.array([[0, 1, 2, 0]])
        add("arrays", f"arrays/take_along_axis/{dt}/broadcast",
            f"take_along_axis({lit(y)}, {lit(ind)}, axis=0)",
            lambda y=y, ind=ind: np.take_along_axis(y, ind, axis=0))
        add("arrays", f"arrays/take_along_axis/{dt}/ndim",
            f"take_along_axis({lit(y)}, [0, 1], axis=1)",
            lambda y=y: np.take_along_axis(y, np.array([0, 1]), axis=1))

    for dt in DTYPES:
        for shape in [(5,), (2, 3), (2, 2, 3), (0, 2)]:
            x = make(shape, dt)
            nd = len(shape)
            parts(f"arrays/nonzero/{dt}/{dims(shape)}", f"nonzero({lit(x)})", lambda x=x: np.nonzero(x),
                  nd, sorted({0, nd - 1}))
            parts(f"arrays/where1/{dt}/{dims(shape)}", f"where({lit(x)})", lambda x=x: np.where(x),
                  nd, [nd - 1])
    add("arrays", "arrays/nonzero/0d", "nonzero(5)", lambda: np.nonzero(np.int64(5)))

    for dt in DTYPES:
        a = np.sort(make((7,), dt)) if dt != "complex128" else make((7,), dt)
        for v in [make((), dt), make((4,), dt), make((2, 3), dt)]:
            for side in ("left", "right"):
                cid = f"arrays/searchsorted/{dt}/{dims(v.shape)}/{side}"

                def compute(a=a, v=v, side=side):
                    complex_order(a, v)
                    return np.asarray(np.searchsorted(a, v, side=side)).astype(np.int64)
                add("arrays", cid, f'searchsorted({lit(a)}, {lit(v)}, side="{side}")', compute)
    a = np.array([1.0, 2.0, 2.0, 3.0, np.nan])
    for v in [np.array([2.0, np.nan, -np.inf, np.inf, 2.5])]:
        for side in ("left", "right"):
            add("arrays", f"arrays/searchsorted/nan/{side}", f'searchsorted({lit(a)}, {lit(v)}, side="{side}")',
                lambda a=a, v=v, side=side: np.searchsorted(a, v, side=side).astype(np.int64))
    add("arrays", "arrays/searchsorted/mixed", "searchsorted([1, 3, 5], [2.5, 3.0, true])",
        lambda: np.searchsorted([1, 3, 5], [2.5, 3.0, True]).astype(np.int64))
    add("arrays", "arrays/searchsorted/2d", "searchsorted([[1, 2], [3, 4]], 2)",
        lambda: np.searchsorted(np.array([[1, 2], [3, 4]]), 2))

    modes = ["constant", "edge", "reflect", "symmetric", "wrap"]
    for dt in DTYPES:
        for shape in [(3,), (2, 3), (1, 2, 2)]:
            x = make(shape, dt)
            nd = len(shape)
            for width in [1, [2, 1], [[1, 0]] * nd, 5, 0]:
                for mode in modes:
                    wid = str(width).replace(" ", "")
                    cid = f"arrays/pad/{dt}/{dims(shape)}/{wid}/{mode}"
                    add("arrays", cid, f'pad({lit(x)}, {width}, mode="{mode}")',
                        lambda x=x, width=width, mode=mode: np.pad(x, width, mode=mode))
        x = make((2, 2), dt)
        cv = make((), dt)
        add("arrays", f"arrays/pad/{dt}/constant_values", f"pad({lit(x)}, [1, 2], constant_values={lit(cv)})",
            lambda x=x, cv=cv: np.pad(x, [1, 2], constant_values=cv))
    x = np.arange(6).reshape(2, 3)
    add("arrays", "arrays/pad/constant_values_per_axis",
        "pad(reshape(arange(6), [2, 3]), [[1, 1], [2, 1]], constant_values=[[7, 8], [-1, -2]])",
        lambda: np.pad(np.arange(6).reshape(2, 3), [[1, 1], [2, 1]], constant_values=[[7, 8], [-1, -2]]))
    for cid, prog, f in [
        ("negative", "pad([1, 2], -1)", lambda: np.pad([1, 2], -1)),
        ("bad-shape", "pad([1, 2], [1, 2, 3])", lambda: np.pad([1, 2], [1, 2, 3])),
        ("empty-edge", 'pad(zeros(0), 2, mode="edge")', lambda: np.pad(np.zeros(0), 2, mode="edge")),
        ("empty-constant", "pad(zeros(0), 2)", lambda: np.pad(np.zeros(0), 2)),
    ]:
        add("arrays", f"arrays/pad/error/{cid}", prog, f)

    for dt in DTYPES:
        x = make((3, 2), dt)
        add("arrays", f"arrays/newaxis/{dt}/mid", f"x = {lit(x)}; x[:, None]", lambda x=x: x[:, None])
        add("arrays", f"arrays/newaxis/{dt}/front", f"x = {lit(x)}; x[None]", lambda x=x: x[None])
        add("arrays", f"arrays/newaxis/{dt}/both", f"x = {lit(x)}; x[None, 1, None, ::-1]",
            lambda x=x: x[None, 1, None, ::-1])
        add("arrays", f"arrays/newaxis/{dt}/ellipsis", f"x = {lit(x)}; x[..., None]", lambda x=x: x[..., None])
        add("arrays", f"arrays/newaxis/{dt}/advanced", f"x = {lit(x)}; x[[0, 2], None]",
            lambda x=x: x[[0, 2], None])
        add("arrays", f"arrays/newaxis/{dt}/split-advanced", f"x = {lit(x)}; x[[0, 2], None, [1, 0]]",
            lambda x=x: x[[0, 2], None, [1, 0]])

    for dt in DTYPES:
        x = make((2, 3, 4), dt)
        for name in ("sum", "prod", "mean", "max", "min", "std", "var", "all", "any"):
            if dt == "complex128" and name in ("max", "min"):
                continue
            npf = {"all": np.all, "any": np.any}.get(name) or getattr(np, name)
            for axis in [[0, 2], [-1, 0], [0, 1, 2], []]:
                for keep in (False, True):
                    cid = f"arrays/reduce-axes/{name}/{dt}/{axis}/keep{keep}".replace(" ", "")
                    prog = f"{name}({lit(x)}, axis={axis}, keepdims={str(keep).lower()})"
                    if axis == []:
                        prog = f'{name}({lit(x)}, axis=zeros(0, dtype="int64"), keepdims={str(keep).lower()})'

                    def compute(x=x, axis=axis, keep=keep, npf=npf, name=name):
                        r = npf(x, axis=tuple(axis), keepdims=keep)
                        if name in ("sum", "prod") and x.dtype == np.bool_:
                            r = np.asarray(r).astype(np.int64)
                        if name in ("mean", "std", "var") and x.dtype == np.bool_:
                            r = np.asarray(npf(x.astype(np.float64), axis=tuple(axis), keepdims=keep))
                        check_i64(np.asarray(r).ravel().tolist()) if np.asarray(r).dtype == np.int64 else None
                        return r
                    add("arrays", cid, prog, compute)
            add("arrays", f"arrays/reduce-axes/{name}/{dt}/none", f"{name}({lit(x)}, axis=None)",
                lambda x=x, npf=npf, name=name: np.asarray(
                    npf(x.astype(np.float64) if (name in ("mean", "std", "var") and x.dtype == np.bool_) else x,
                        axis=None)).astype(np.int64 if (name in ("sum", "prod") and x.dtype == np.bool_) else
                                           (x.dtype if name in ("sum", "prod", "max", "min") else None) or
                                           np.asarray(npf(x, axis=None)).dtype))
    for dt in DTYPES:
        x = make((3, 4), dt)
        for name in ("sum", "prod", "max", "min"):
            if dt == "complex128" and name in ("max", "min"):
                continue
            npf = getattr(np, name)
            for init in [2, -1.5]:
                for axis in [None, 0, [0, 1]]:
                    ax = "" if axis is None else f", axis={axis}"
                    cid = f"arrays/initial/{name}/{dt}/{init}/axis{axis}".replace(" ", "")

                    def compute(x=x, init=init, axis=axis, npf=npf, name=name):
                        ax = tuple(axis) if isinstance(axis, list) else axis
                        y = x.astype(np.int64) if (x.dtype == np.bool_ and name in ("sum", "prod")) else x
                        return np.asarray(npf(y, axis=ax, initial=init))
                    add("arrays", cid, f"{name}({lit(x)}{ax}, initial={init})", compute)
            mask = make((3, 4), "bool")
            for axis in [None, 1]:
                ax = "" if axis is None else f", axis={axis}"
                cid = f"arrays/where/{name}/{dt}/axis{axis}"
                init = ", initial=0" if name in ("max", "min") else ""

                def compute(x=x, mask=mask, axis=axis, npf=npf, name=name):
                    y = x.astype(np.int64) if (x.dtype == np.bool_ and name in ("sum", "prod")) else x
                    kw = {"initial": 0} if name in ("max", "min") else {}
                    return np.asarray(npf(y, axis=axis, where=mask, **kw))
                add("arrays", cid, f"{name}({lit(x)}{ax}, where={lit(mask)}{init})", compute)
        add("arrays", f"arrays/initial/max-empty/{dt}", f'max(zeros(0, 3, dtype="{dt}"), axis=0, initial=1)',
            lambda dt=dt: np.max(np.zeros((0, 3), dtype=dt), axis=0, initial=1)) if dt != "complex128" else None
    add("arrays", "arrays/where/max-no-initial", "max([1, 2], where=[true, false])",
        lambda: np.max([1, 2], where=[True, False]))
    for dt in DTYPES:
        x = make((2, 3), dt)
        for name in ("sum", "prod", "mean", "cumsum", "cumprod"):
            for to in ("int64", "float32", "float64", "complex128"):
                if name == "mean" and to == "int64":
                    continue
                if dt == "complex128" and to != "complex128":
                    continue
                cid = f"arrays/dtype/{name}/{dt}-{to}"
                add("arrays", cid, f'{name}({lit(x)}, dtype="{to}")',
                    lambda x=x, name=name, to=to: np.asarray(getattr(np, name)(x, dtype=to)))
            cid = f"arrays/dtype/{name}/{dt}-float32/axis0"
            if dt != "complex128":
                add("arrays", cid, f'{name}({lit(x)}, axis=0, dtype="float32")',
                    lambda x=x, name=name: np.asarray(getattr(np, name)(x, axis=0, dtype="float32")))

    for dt in DTYPES:
        for shape in [(2, 3), (3,)]:
            v = make(shape[-1:], dt)
            add("arrays", f"arrays/full/{dt}/{dims(shape)}", f"full({list(shape)}, {lit(v)})",
                lambda shape=shape, v=v: np.full(shape, v))
    add("arrays", "arrays/full/column", "full([2, 3], [[1], [2]])", lambda: np.full((2, 3), [[1], [2]]))
    add("arrays", "arrays/full/mismatch", "full([2, 3], [1, 2])", lambda: np.full((2, 3), [1, 2]))
    for sh in [(2, 3, 4), (5,)]:
        for ax in [0, -1]:
            add("arrays", f"arrays/size/{dims(sh)}/{ax}", f"size(zeros({', '.join(map(str, sh))}), {ax})",
                lambda sh=sh, ax=ax: np.int64(np.size(np.zeros(sh), ax)))
    add("arrays", "arrays/size/bad-axis", "size(zeros(2, 3), 2)", lambda: np.size(np.zeros((2, 3)), 2))

    r = np.random
    for stext, sval in [("0", 0), ("1", 1), ("42", 42)]:
        for gid, prog, f in [
            ("bool", 'randint(0, 2, size=1000, dtype="bool")', lambda: r.randint(0, 2, size=1000, dtype=bool)),
            ("bool-one", 'randint(1, 2, size=10, dtype="bool")', lambda: r.randint(1, 2, size=10, dtype=bool)),
            ("int32", 'randint(-5, 100, size=1000, dtype="int32")',
             lambda: r.randint(-5, 100, size=1000, dtype=np.int32).astype(np.int64)),
            ("int32-wide", 'randint(-2147483648, 2147483647, size=1000, dtype="int32")',
             lambda: r.randint(-2**31, 2**31 - 1, size=1000, dtype=np.int32).astype(np.int64)),
            ("bool-then-rand", 'randint(0, 2, size=5, dtype="bool"); rand(3)',
             lambda: (r.randint(0, 2, size=5, dtype=bool), r.rand(3))[1]),
        ]:
            def compute(sval=sval, f=f):
                r.seed(sval)
                return f()
            add("arrays", f"arrays/randint-dtype/{gid}/seed{stext}", f"seed({stext}); {prog}", compute)
            CASES["arrays"][-1]["rtol"] = 0
    add("arrays", "arrays/randint-dtype/bool-range", 'randint(0, 3, dtype="bool")',
        lambda: r.randint(0, 3, dtype=bool))
    add("arrays", "arrays/randint-dtype/int32-range", 'randint(0, 2147483649, dtype="int32")',
        lambda: r.randint(0, 2**31 + 1, dtype=np.int32))


def write_areas():
    """Writes the areas computed so far, leaving other files alone."""
    for area, recs in CASES.items():
        lines = [json.dumps(r, ensure_ascii=False, allow_nan=False, separators=(",", ":")) for r in recs]
        (OUT / f"{area}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")



# ------------------------------------------------------------ statistics and einops

def own_rng(seed, area):
    """Runs a generator with its own random stream, so adding it leaves
    every other area's operands (and output) unchanged, and so it can run
    alone (`gen_corpus.py stats einops` needs neither SciPy nor the rest)."""

    def wrap(gen):
        def run():
            global RNG
            saved, RNG = RNG, random.Random(seed)
            try:
                gen()
            finally:
                RNG = saved

        run.area = area
        return run

    return wrap


@own_rng(20261202, "stats")
def gen_stats():
    """Issue 14 part C: median, percentile, quantile, average, cov,
    corrcoef, ptp, the nan-reductions, histogram, bincount (area "stats")."""
    real = ["int64", "float32", "float64"]
    for dt in real:
        for shape in [(5,), (4,), (2, 3), (3, 4), (2, 3, 2)]:
            a = make(shape, dt)
            pre = f"a = {lit(a)}; "
            tag = f"{dt}/{dims(shape)}"
            add("stats", f"stats/median/{tag}", pre + "median(a)", lambda a=a: np.median(a))
            add("stats", f"stats/median0/{tag}", pre + "median(a, axis=0)", lambda a=a: np.median(a, axis=0))
            add("stats", f"stats/median-1k/{tag}", pre + "median(a, axis=-1, keepdims=true)",
                lambda a=a: np.median(a, axis=-1, keepdims=True))
            add("stats", f"stats/percentile/{tag}", pre + "percentile(a, 30)", lambda a=a: np.percentile(a, 30))
            add("stats", f"stats/percentile-q/{tag}", pre + "percentile(a, [0, 25, 62.5, 100], axis=0)",
                lambda a=a: np.percentile(a, [0, 25, 62.5, 100], axis=0))
            for m in ["linear", "lower", "higher", "nearest", "midpoint"]:
                add("stats", f"stats/quantile-{m}/{tag}", pre + f'quantile(a, [0.1, 0.5, 0.75], method="{m}")',
                    lambda a=a, m=m: np.quantile(a, [0.1, 0.5, 0.75], method=m))
                add("stats", f"stats/quantile-{m}-s/{tag}", pre + f'quantile(a, 0.3, axis=-1, method="{m}")',
                    lambda a=a, m=m: np.quantile(a, 0.3, axis=-1, method=m))
            add("stats", f"stats/ptp/{tag}", pre + "ptp(a)", lambda a=a: np.ptp(a))
            add("stats", f"stats/ptp0/{tag}", pre + "ptp(a, axis=0)", lambda a=a: np.ptp(a, axis=0))
            add("stats", f"stats/average/{tag}", pre + "average(a)", lambda a=a: np.average(a))
            w = make(shape, "int64") + 5
            add("stats", f"stats/average-w/{tag}", pre + f"average(a, weights={lit(w)})",
                lambda a=a, w=w: np.average(a, weights=w))
            w1 = make((shape[0],), dt)
            w1[0] = 2  # never a zero sum of weights
            add("stats", f"stats/average-w1/{tag}", pre + f"m, s = average(a, axis=0, weights={lit(w1)}, returned=true); m",
                lambda a=a, w1=w1: np.average(a, axis=0, weights=w1, returned=True)[0])
            add("stats", f"stats/average-sw/{tag}", pre + f"m, s = average(a, axis=0, weights={lit(w1)}, returned=true); s",
                lambda a=a, w1=w1: np.average(a, axis=0, weights=w1, returned=True)[1])
            add("stats", f"stats/hist/{tag}", pre + "c, e = histogram(a); c", lambda a=a: np.histogram(a)[0])
            add("stats", f"stats/hist-e/{tag}", pre + "c, e = histogram(a, 4); e", lambda a=a: np.histogram(a, 4)[1])
            add("stats", f"stats/hist-range/{tag}", pre + "c, e = histogram(a, bins=3, range=[-1, 2]); c",
                lambda a=a: np.histogram(a, bins=3, range=(-1, 2))[0])
            add("stats", f"stats/hist-edges/{tag}", pre + "c, e = histogram(a, [-2, 0, 0.5, 3]); c",
                lambda a=a: np.histogram(a, [-2, 0, 0.5, 3])[0])
        for shape in [(3, 4), (2, 5), (4,)]:
            a = make(shape, dt)
            pre = f"a = {lit(a)}; "
            tag = f"{dt}/{dims(shape)}"
            add("stats", f"stats/cov/{tag}", pre + "cov(a)", lambda a=a: np.cov(a))
            add("stats", f"stats/cov-T/{tag}", pre + "cov(a, rowvar=false)", lambda a=a: np.cov(a, rowvar=False))
            add("stats", f"stats/cov-bias/{tag}", pre + "cov(a, bias=true)", lambda a=a: np.cov(a, bias=True))
            add("stats", f"stats/cov-ddof/{tag}", pre + "cov(a, ddof=0)", lambda a=a: np.cov(a, ddof=0))
            add("stats", f"stats/corrcoef/{tag}", pre + "corrcoef(a)", lambda a=a: np.corrcoef(a))
    for dt in ["float64", "float32"]:
        for k in range(4):
            a = make((2, 4), dt, special=True)
            a[k % 2, :] = np.nan if k == 3 else a[k % 2, :]
            pre = f"a = {lit(a)}; "
            tag = f"{dt}/special{k}"
            for name in ["nansum", "nanmean", "nanmax", "nanmin", "nanstd"]:
                f = getattr(np, name)
                add("stats", f"stats/{name}/{tag}", pre + f"{name}(a)", lambda a=a, f=f: f(a))
                add("stats", f"stats/{name}1/{tag}", pre + f"{name}(a, axis=1)", lambda a=a, f=f: f(a, axis=1))
            add("stats", f"stats/nanstd-ddof/{tag}", pre + "nanstd(a, axis=0, ddof=1)",
                lambda a=a: np.nanstd(a, axis=0, ddof=1))
            add("stats", f"stats/median-nan/{tag}", pre + "median(a, axis=1)", lambda a=a: np.median(a, axis=1))
    for dt in ["int64", "bool", "complex128"]:
        a = make((2, 3), dt)
        pre = f"a = {lit(a)}; "
        for name in ["nansum", "nanmean", "nanstd"]:
            f = getattr(np, name)
            add("stats", f"stats/{name}/{dt}", pre + f"{name}(a, axis=0)", lambda a=a, f=f: f(a, axis=0))
    for shape, mx in [((6,), 4), ((9,), 2), ((3,), 7)]:
        x = np.array([RNG.randint(0, mx) for _ in range(shape[0])], dtype=np.int64)
        w = make(shape, "float64")
        tag = f"{dims(shape)}-{mx}"
        add("stats", f"stats/bincount/{tag}", f"bincount({lit(x)})", lambda x=x: np.bincount(x))
        add("stats", f"stats/bincount-w/{tag}", f"bincount({lit(x)}, weights={lit(w)})",
            lambda x=x, w=w: np.bincount(x, weights=w))
        add("stats", f"stats/bincount-min/{tag}", f"bincount({lit(x)}, minlength=8)",
            lambda x=x: np.bincount(x, minlength=8))
    add("stats", "stats/bincount/negative", "bincount([1, -1])", lambda: np.bincount(np.array([1, -1])))
    add("stats", "stats/percentile/out-of-range", "percentile([1, 2], 101)", lambda: np.percentile([1, 2], 101))
    add("stats", "stats/average/zero-weights", "average([1, 2], weights=[1, -1])",
        lambda: np.average([1, 2], weights=[1, -1]))
    add("stats", "stats/hist/nan", "c, e = histogram([1, nan]); c", lambda: np.histogram([1, np.nan])[0])


@own_rng(20261203, "einops")
def gen_einops():
    """einops' rearrange, reduce and repeat, compared with the einops
    package itself (area "einops")."""
    import einops

    cases = [
        ("rearrange", (2, 3, 4), "b c (h w) -> b h w c", {"h": 2}, None),
        ("rearrange", (2, 3, 4), "b c w -> b (c w)", {}, None),
        ("rearrange", (2, 3, 4), "b c w -> (b c) w", {}, None),
        ("rearrange", (2, 3, 4), "b c w -> w b c", {}, None),
        ("rearrange", (2, 3, 4), "b ... -> b (...)", {}, None),
        ("rearrange", (2, 3, 4), "... w -> w ...", {}, None),
        ("rearrange", (2, 3, 4), "b c (h w) -> (b h) (w c)", {"w": 2}, None),
        ("rearrange", (2, 3, 4), "b c w -> b 1 c w 1", {}, None),
        ("rearrange", (2, 1, 4), "b 1 w -> b w", {}, None),
        ("rearrange", (2, 1, 4), "b () w -> w b", {}, None),
        ("rearrange", (6, 4), "(a b) c -> a (b c)", {"a": 3}, None),
        ("rearrange", (6, 4), "(a b) c -> b a c", {"a": 3, "b": 2}, None),
        ("rearrange", (2, 3, 5), "b c (h w) -> b h w c", {"h": 2}, None),
        ("rearrange", (2, 3), "a b -> a", {}, None),
        ("rearrange", (2, 3), "a b c -> a b c", {}, None),
        ("rearrange", (6,), "(a b) -> a b", {}, None),
        ("reduce", (2, 3, 4), "b c w -> b c", {}, "sum"),
        ("reduce", (2, 3, 4), "b c w -> b", {}, "max"),
        ("reduce", (2, 3, 4), "b c w -> c", {}, "min"),
        ("reduce", (2, 3, 4), "b c w -> b c", {}, "prod"),
        ("reduce", (2, 3, 4), "b c (h w) -> b h c", {"h": 2}, "sum"),
        ("reduce", (2, 3, 4), "b ... -> b", {}, "sum"),
        ("reduce", (2, 3, 4), "b c w -> b c 1", {}, "max"),
        ("reduce", (2, 3, 4), "b c w -> ", {}, "sum"),
        ("reduce", (2, 3, 4), "b c w -> b c w", {}, "sum"),
        ("repeat", (2, 3), "h w -> h w c", {"c": 3}, None),
        ("repeat", (2, 3), "h w -> (h 2) w", {}, None),
        ("repeat", (2, 3), "h w -> (r h) w", {"r": 2}, None),
        ("repeat", (2, 3), "h w -> h (w r)", {"r": 2}, None),
        ("repeat", (2, 3), "h w -> c h w", {"c": 2}, None),
        ("repeat", (2, 3), "h w -> h w c", {}, None),
        ("repeat", (2, 3), "... w -> ... w c", {"c": 2}, None),
    ]
    for k, (fn, shape, pat, lengths, red) in enumerate(cases):
        for dt in ["int64", "float64", "float32", "bool"]:
            if fn == "reduce" and dt == "bool":
                continue
            a = make(shape, dt)
            kw = "".join(f", {n}={v}" for n, v in lengths.items())
            red_arg = f', "{red}"' if red else ""
            prog = f'a = {lit(a)}; {fn}(a, "{pat}"{red_arg}{kw})'
            f = getattr(einops, fn)
            args = (red,) if red else ()
            add("einops", f"einops/{fn}/{k}/{dt}/{dims(shape)}", prog,
                lambda a=a, f=f, pat=pat, args=args, lengths=lengths: f(a, pat, *args, **lengths))
    for dt in ["float64", "float32"]:
        a = make((2, 3, 4), dt)
        add("einops", f"einops/reduce/mean/{dt}", f'a = {lit(a)}; reduce(a, "b c w -> b w", "mean")',
            lambda a=a: einops.reduce(a, "b c w -> b w", "mean"))

# ------------------------------------------------------------ main


def gen_everyday():
    """Issue 14's everyday functions and deep-learning helpers over dtypes
    and shapes (area "everyday")."""

    def np_softmax(x, axis=-1):
        x = np.asarray(x, dtype=np.float32 if x.dtype == np.float32 else np.float64)
        m = np.max(x, axis=axis, keepdims=True)
        e = np.exp(x - m)
        return e / np.sum(e, axis=axis, keepdims=True)

    def np_lse(x):
        x = np.asarray(x, dtype=np.float32 if x.dtype == np.float32 else np.float64)
        m = np.max(x)
        return m + np.log(np.sum(np.exp(x - m)))

    funcs = [
        ("sort", "sort(a)", lambda a: np.sort(a, kind="stable"), DTYPES[:4]),
        ("argsort", "argsort(a)", lambda a: np.argsort(a, kind="stable"), DTYPES[:4]),
        ("cumsum", "cumsum(a)", lambda a: np.cumsum(a), DTYPES[:4]),
        ("cumsum0", "cumsum(a, axis=0)", lambda a: np.cumsum(a, axis=0), DTYPES[:4]),
        ("diff", "diff(a)", lambda a: np.diff(a), DTYPES[1:4]),
        ("flip", "flip(a)", lambda a: np.flip(a), DTYPES),
        ("roll", "roll(a, 2)", lambda a: np.roll(a, 2), DTYPES),
        ("tril", "tril(a)", lambda a: np.tril(a), DTYPES),
        ("triu", "triu(a, 1)", lambda a: np.triu(a, 1), DTYPES),
        ("count_nonzero", "count_nonzero(a)", lambda a: np.int64(np.count_nonzero(a)), DTYPES),
        ("isnan", "isnan(a)", lambda a: np.isnan(a), DTYPES[1:]),
        ("trunc", "trunc(a)", lambda a: np.trunc(a), DTYPES[2:4]),
        ("expm1", "expm1(a)", lambda a: np.expm1(a), DTYPES[2:4]),
        ("log1p", "log1p(a)", lambda a: np.log1p(a), DTYPES[2:4]),
        ("cbrt", "cbrt(a)", lambda a: np.cbrt(a), DTYPES[2:4]),
        ("square", "square(a)", lambda a: np.square(a), DTYPES[1:]),
        ("softmax", "softmax(a)", np_softmax, DTYPES[1:4]),
        ("logsumexp", "logsumexp(a)", np_lse, DTYPES[1:4]),
    ]
    for name, program, f, dtypes in funcs:
        for dtype in dtypes:
            for shape in [(4,), (2, 3), (2, 3, 2)]:
                if name in ("tril", "triu") and len(shape) < 2:
                    continue
                a = make(shape, dtype)
                cid = f"everyday/{name}/{dtype}/{dims(shape)}"
                add("everyday", cid, f"a = {lit(a)}; {program}", lambda a=a, f=f: f(a))


@own_rng(20261214, "everyday2")
def gen_everyday2():
    """Issue 14's remaining everyday functions (the *_like constructors,
    identity, logspace, the reshaping helpers, argwhere, unique, the
    predicates, NumPy's further elementwise math and the deep-learning
    helpers) over dtypes and shapes, with their axis arguments and the
    cases where NumPy raises (area "everyday2"). Needs SciPy for
    log_softmax and expit."""
    import scipy.special as sps

    area = "everyday2"
    shapes = [(), (0,), (4,), (2, 3), (0, 3), (2, 3, 2)]

    def case(cid, program, compute):
        add(area, f"{area}/{cid}", program, compute)

    # -------------------------------------------------- constructors
    def np_full_like(a, v, dt=None):
        # The fill value is converted (complex to real, nan to int64 are
        # errors even for an empty array), then broadcast.
        v = np_cast(np.asarray(v), dt or a.dtype.name)
        return np.array(np.broadcast_to(v, a.shape))

    for dt in DTYPES:
        for sh in shapes:
            a = make(sh, dt)
            pre = f"a = {lit(a)}; "
            tag = f"{dt}/{dims(sh)}"
            case(f"zeros_like/{tag}", pre + "zeros_like(a)", lambda a=a: np.zeros_like(a))
            case(f"ones_like/{tag}", pre + "ones_like(a)", lambda a=a: np.ones_like(a))
            # empty_like's data is whatever NumPy's memory held: compare
            # the shape and the dtype only.
            case(f"empty_like-shape/{tag}", pre + "shape(empty_like(a))",
                 lambda a=a: np.array(np.empty_like(a).shape, dtype=np.int64))
            case(f"empty_like-dtype/{tag}", pre + "dtype(empty_like(a))", lambda a=a: np.empty_like(a).dtype.name)
            for v in [2, -1.5, True, 1j, 3.75]:
                case(f"full_like/{tag}/{v!r}", pre + f"full_like(a, {lit(np.asarray(v))})",
                     lambda a=a, v=v: np_full_like(a, v))
        for to in DTYPES:
            a = make((2, 3), dt)
            pre = f"a = {lit(a)}; "
            tag = f"{dt}-{to}"
            case(f"zeros_like-dtype/{tag}", pre + f'zeros_like(a, dtype="{to}")',
                 lambda a=a, to=to: np.zeros_like(a, dtype=to))
            case(f"ones_like-dtype/{tag}", pre + f'ones_like(a, dtype="{to}")',
                 lambda a=a, to=to: np.ones_like(a, dtype=to))
            case(f"empty_like-dtype/{tag}", pre + f'dtype(empty_like(a, dtype="{to}"))',
                 lambda a=a, to=to: np.empty_like(a, dtype=to).dtype.name)
            case(f"full_like-dtype/{tag}", pre + f'full_like(a, 2.5, dtype="{to}")',
                 lambda a=a, to=to: np_full_like(a, 2.5, to))
    for dt in DTYPES:
        a = make((2, 3), dt)
        pre = f"a = {lit(a)}; "
        for v in ([7, 8, 9], [[1], [2]], [1, 2], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]):
            va = np.array(v)
            case(f"full_like-array/{dt}/{dims(va.shape)}", pre + f"full_like(a, {lit(va)})",
                 lambda a=a, va=va: np_full_like(a, va))
    for v in ["nan", "inf"]:
        case(f"full_like/int64/{v}", f"full_like([1, 2], {v})",
             lambda v=v: np_full_like(np.array([1, 2]), float(v)))
    for n in [0, 1, 3]:
        for dt in [None] + DTYPES:
            kw = "" if dt is None else f', dtype="{dt}"'
            case(f"identity/{n}/{dt}", f"identity({n}{kw})", lambda n=n, dt=dt: np.identity(n, dtype=dt or "float64"))
    case("identity/negative", "identity(-1)", lambda: np.identity(-1))
    case("identity/float", "identity(2.5)", lambda: np.identity(2.5))
    for args in [(0, 3, 4), (0, 3), (1, -1, 5), (0, 1, 1), (0, 1, 0), (-2, 2, 5), (0.5, 2.5, 3), (0, 1, -1),
                 (0, 3, 4, False), (0, 3, 1, False), (0, 10, 11, True, 2), (0, 4, 5, True, 0.5),
                 (1, 3, 3, False, 2.718281828459045), (0, 5, 6, True, -2), (0, 1, -1, True, 2)]:
        form = ", ".join({True: "true", False: "false"}.get(x, repr(x)) if isinstance(x, bool) else repr(x)
                         for x in args)
        case(f"logspace/{form}", f"logspace({form})", lambda args=args: np.logspace(*args))
        if len(args) == 5:
            names = ["num", "endpoint", "base"]
            kw = dict(zip(names, args[2:]))
            kform = ", ".join(f"{k}={'true' if v is True else 'false' if v is False else repr(v)}"
                              for k, v in kw.items())
            case(f"logspace-kw/{form}", f"logspace({args[0]!r}, {args[1]!r}, {kform})",
                 lambda args=args, kw=kw: np.logspace(args[0], args[1], **kw))
            case(f"logspace-base/{form}", f"logspace({args[0]!r}, {args[1]!r}, {args[2]!r}, base={args[4]!r})",
                 lambda args=args: np.logspace(args[0], args[1], args[2], base=args[4]))

    # -------------------------------------------------- shapes
    for dt in DTYPES:
        for sh in shapes:
            a = make(sh, dt)
            pre = f"a = {lit(a)}; "
            tag = f"{dt}/{dims(sh)}"
            for reps in ["2", "[2, 1]", "[1, 2, 2]", "[2]", "0", "[0, 2]", "[1]"]:
                r = json.loads(reps)
                case(f"tile/{tag}/{reps}", pre + f"tile(a, {reps})", lambda a=a, r=r: np.tile(a, r))
            case(f"fliplr/{tag}", pre + "fliplr(a)", lambda a=a: np.fliplr(a))
            case(f"flipud/{tag}", pre + "flipud(a)", lambda a=a: np.flipud(a))
            for i, j in [(0, 1), (-1, 0), (0, 0), (1, -1), (0, 2), (0, 3), (-4, 0)]:
                case(f"swapaxes/{tag}/{i},{j}", pre + f"swapaxes(a, {i}, {j})",
                     lambda a=a, i=i, j=j: np.swapaxes(a, i, j))
                case(f"moveaxis/{tag}/{i},{j}", pre + f"moveaxis(a, {i}, {j})",
                     lambda a=a, i=i, j=j: np.moveaxis(a, i, j))
            case(f"atleast_1d/{tag}", pre + "atleast_1d(a)", lambda a=a: np.atleast_1d(a))
            case(f"atleast_2d/{tag}", pre + "atleast_2d(a)", lambda a=a: np.atleast_2d(a))
            case(f"ravel/{tag}", pre + "ravel(a)", lambda a=a: np.ravel(a))
            case(f"argwhere/{tag}", pre + "argwhere(a)", lambda a=a: np.argwhere(a))
            case(f"unique/{tag}", pre + "unique(a)", lambda a=a: np.unique(a))
            case(f"unique-counts/{tag}", pre + "v, c = unique(a, return_counts=true); c",
                 lambda a=a: np.unique(a, return_counts=True)[1].astype(np.int64))
            case(f"unique-values/{tag}", pre + "v, c = unique(a, return_counts=true); v",
                 lambda a=a: np.unique(a, return_counts=True)[0])
    for k in range(3):
        for dt in ["float64", "float32", "complex128"]:
            a = make((8,), dt, special=True)
            a[k] = a[k + 3] = np.nan
            pre = f"a = {lit(a)}; "
            case(f"unique/{dt}/special{k}", pre + "unique(a)", lambda a=a: np.unique(a))
            case(f"unique-counts/{dt}/special{k}", pre + "v, c = unique(a, return_counts=true); c",
                 lambda a=a: np.unique(a, return_counts=True)[1].astype(np.int64))
            case(f"argwhere/{dt}/special{k}", pre + "argwhere(a)", lambda a=a: np.argwhere(a))
    a = np.array([3, 1, 3, 3, 2, 1, 0, 3], dtype=np.int64).reshape(2, 4)
    case("unique/int64/repeats", f"v, c = unique({lit(a)}, return_counts=true); c",
         lambda: np.unique(a, return_counts=True)[1].astype(np.int64))

    # -------------------------------------------------- predicates
    for dt in DTYPES:
        for sh in shapes:
            a = make(sh, dt)
            tag = f"{dt}/{dims(sh)}"
            case(f"isinf/{tag}", f"isinf({lit(a)})", lambda a=a: np.isinf(a))
            case(f"isfinite/{tag}", f"isfinite({lit(a)})", lambda a=a: np.isfinite(a))
        if dt in ("float32", "float64", "complex128"):
            for k in range(3):
                a = make((6,), dt, special=True)
                case(f"isinf/{dt}/special{k}", f"isinf({lit(a)})", lambda a=a: np.isinf(a))
                case(f"isfinite/{dt}/special{k}", f"isfinite({lit(a)})", lambda a=a: np.isfinite(a))
    pairs = [((4,), (4,)), ((2, 3), (3,)), ((), (2, 2)), ((0,), (1,)), ((2,), (3,)), ((2, 1, 3), (2, 1))]
    for da, db in itertools.product(DTYPES, DTYPES):
        for sa, sb in pairs:
            a, b = make(sa, da), make(sb, db)
            if sa == sb:
                b = b.copy()
                b.ravel()[::2] = a.ravel()[::2].astype(db) if np.can_cast(a.dtype, b.dtype) else b.ravel()[::2]
            pre = f"a = {lit(a)}; b = {lit(b)}; "
            tag = f"{da}-{db}/{dims(sa)}-{dims(sb)}"
            case(f"isclose/{tag}", pre + "isclose(a, b)", lambda a=a, b=b: np.isclose(a, b))
            case(f"allclose/{tag}", pre + "allclose(a, b)", lambda a=a, b=b: np.bool_(np.allclose(a, b)))
            case(f"array_equal/{tag}", pre + "array_equal(a, b)", lambda a=a, b=b: np.bool_(np.array_equal(a, b)))
    for dt in ["float64", "float32", "complex128"]:
        for k in range(3):
            a = make((6,), dt, special=True)
            b = a.copy()
            b[::2] = make((3,), dt, special=True)
            pre = f"a = {lit(a)}; b = {lit(b)}; "
            tag = f"{dt}/special{k}"
            case(f"isclose/{tag}", pre + "isclose(a, b)", lambda a=a, b=b: np.isclose(a, b))
            case(f"isclose-nan/{tag}", pre + "isclose(a, b, equal_nan=true)",
                 lambda a=a, b=b: np.isclose(a, b, equal_nan=True))
            case(f"allclose-nan/{tag}", pre + "allclose(a, a, equal_nan=true)",
                 lambda a=a: np.bool_(np.allclose(a, a, equal_nan=True)))
            case(f"array_equal/{tag}", pre + "array_equal(a, a)", lambda a=a: np.bool_(np.array_equal(a, a)))
    x = np.array([1.0, 100.0, 1e-9, 0.0, -5.0])
    y = np.array([1.00002, 100.002, 0.0, 1e-9, -5.0001])
    pre = f"x = {lit(x)}; y = {lit(y)}; "
    for args, kw in [("", {}), (", 1e-3", {"rtol": 1e-3}), (", 0, 1e-3", {"rtol": 0, "atol": 1e-3}),
                     (", rtol=1e-4", {"rtol": 1e-4}), (", atol=0", {"atol": 0}),
                     (", rtol=0, atol=0", {"rtol": 0, "atol": 0})]:
        case(f"isclose/tol{args}", pre + f"isclose(x, y{args})", lambda kw=kw: np.isclose(x, y, **kw))
        case(f"isclose/tol-swapped{args}", pre + f"isclose(y, x{args})", lambda kw=kw: np.isclose(y, x, **kw))
        case(f"allclose/tol{args}", pre + f"allclose(x, y{args})", lambda kw=kw: np.bool_(np.allclose(x, y, **kw)))

    # -------------------------------------------------- elementwise math
    unary = [
        ("exp2", np.exp2, DTYPES),
        ("deg2rad", np.deg2rad, DTYPES),
        ("rad2deg", np.rad2deg, DTYPES),
    ]
    for name, f, dts in unary:
        g = float16_rule(f)
        for dt in dts:
            for sh in shapes:
                a = make(sh, dt)
                case(f"{name}/{dt}/{dims(sh)}", f"{name}({lit(a)})", lambda g=g, a=a: g(a))
            if dt in ("float32", "float64", "complex128"):
                a = make((6,), dt, special=True)
                case(f"{name}/{dt}/special", f"{name}({lit(a)})", lambda g=g, a=a: g(a))

    def np_reciprocal(a):
        if a.dtype.kind in "bi" and np.any(a == 0):
            deviate("int-div-zero", Err)
        r = np.reciprocal(a)
        if r.dtype == np.int8 and MODE[0] == "tc":
            return deviate("bool-int8", r.astype(np.int64))
        return r

    for dt in DTYPES:
        for sh in shapes:
            a = make(sh, dt)
            if dt in ("bool", "int64"):
                a = np.where(a == 0, 1, a).astype(dt)
            case(f"reciprocal/{dt}/{dims(sh)}", f"reciprocal({lit(a)})", lambda a=a: np_reciprocal(a))
        if dt in ("float32", "float64", "complex128"):
            a = make((6,), dt, special=True)
            case(f"reciprocal/{dt}/special", f"reciprocal({lit(a)})", lambda a=a: np_reciprocal(a))
    for dt in ("int64", "bool"):
        a = np.array([1, 0], dtype=dt)
        case(f"reciprocal/{dt}/zero", f"reciprocal({lit(a)})", lambda a=a: np_reciprocal(a))

    def real2(f):
        """hypot and arctan2: weak scalars; bools give float16 in NumPy."""

        def g(a, b):
            a, b = operands(a, b)
            r = np.asarray(f(a, b))
            if r.dtype == np.float16 and MODE[0] == "tc":
                return deviate("bool-float16", np.asarray(f(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))))
            return r

        return g

    def np_fmod(a, b):
        a, b = operands(a, b)
        np.broadcast_shapes(np.shape(a), np.shape(b))
        if np.asarray(a).dtype.kind == "c" or np.asarray(b).dtype.kind == "c":
            return np.fmod(a, b)
        int_div_checks(a, b, "int-div-zero")
        return bool_small_int("bool-int8", np.fmod, a, b)

    binary = [
        ("hypot", real2(np.hypot)),
        ("arctan2", real2(np.arctan2)),
        ("power", np_pow),
        ("mod", np_mod),
        ("fmod", np_fmod),
    ]
    bpairs = [((4,), (4,)), ((2, 3), (3,)), ((), (2, 2)), ((), ()), ((0,), (1,)), ((2,), (3,)), ((2, 1, 3), (2, 1))]
    for name, f in binary:
        for da, db in itertools.product(DTYPES, DTYPES):
            for sa, sb in bpairs:
                a, b = make(sa, da), make(sb, db)
                if name in ("mod", "fmod") and db in ("bool", "int64"):
                    b = np.where(b == 0, 3, b).astype(db)
                if name == "power" and db == "int64":
                    b = np.abs(b) % 4
                case(f"{name}/{da}-{db}/{dims(sa)}-{dims(sb)}", f"{name}({lit(a)}, {lit(b)})",
                     lambda f=f, a=a, b=b: f(a, b))
        for dt in ("float64", "float32"):
            a, b = make((6,), dt, special=True), make((6,), dt, special=True)
            case(f"{name}/{dt}/special", f"{name}({lit(a)}, {lit(b)})", lambda f=f, a=a, b=b: f(a, b))
    for name, f in (("mod", np_mod), ("fmod", np_fmod)):
        a = np.array([-7, 7, -7, 7, 0])
        b = np.array([3, 3, -3, -3, 5])
        case(f"{name}/int64/signs", f"{name}({lit(a)}, {lit(b)})", lambda f=f: f(a, b))
        af = a.astype(np.float64) + 0.5
        case(f"{name}/float64/signs", f"{name}({lit(af)}, {lit(b)})", lambda f=f, af=af: f(af, b))
        case(f"{name}/int64/zero", f"{name}([1, 2], [1, 0])", lambda f=f: f(np.array([1, 2]), np.array([1, 0])))
        case(f"{name}/float64/zero", f"{name}([1.5, -2.0], 0.0)", lambda f=f: f(np.array([1.5, -2.0]), np.array(0.0)))
    case("power/int64/negative", "power([2, 4], [-1, 2])", lambda: np_pow(np.array([2, 4]), np.array([-1, 2])))
    case("power/float64/fractional", "power([-8.0, 4.0], [1 / 3, 0.5])",
         lambda: np_pow(np.array([-8.0, 4.0]), np.array([1 / 3, 0.5])))

    # -------------------------------------------------- deep learning
    def np_log_softmax(a, axis):
        # The softmax family shifts by the maximum: complex has no order.
        complex_order(a)
        try:
            return sps.log_softmax(a, axis=axis)
        except np.exceptions.AxisError:
            raise
        except ValueError:
            # SciPy's maximum of an empty lane; tensorcalc: nothing in,
            # nothing out.
            if a.size == 0 and MODE[0] == "tc":
                return deviate("softmax-empty", np.zeros(a.shape, np.float32 if a.dtype == np.float32 else np.float64))
            raise

    def soft_case(cid, program, a, axis):
        case(cid, program, lambda: np_log_softmax(a, axis))
        if a.dtype == np.float32:
            # SciPy computes in float32 (log of a sum near 1); tensorcalc in
            # float64, then rounds: an absolute tolerance for SciPy's error.
            CASES[area][-1]["atol"] = 1e-6

    for dt in DTYPES[1:]:
        for sh in shapes:
            a = make(sh, dt)
            pre = f"a = {lit(a)}; "
            tag = f"{dt}/{dims(sh)}"
            soft_case(f"log_softmax/{tag}", pre + "log_softmax(a)", a, -1)
            for ax in (0, 1, -2, None):
                soft_case(f"log_softmax/{tag}/axis{ax}", pre + f"log_softmax(a, axis={'None' if ax is None else ax})",
                          a, ax)
    for dt in ("float64", "float32"):
        a = np.array([[1000.0, 1000.0, -1000.0], [-1e300, 0.0, 1.0]], dtype=dt)
        soft_case(f"log_softmax/{dt}/large", f"log_softmax({lit(a)})", a, -1)

    def np_expit(a):
        r = np.asarray(sps.expit(a))
        if r.dtype == np.float16 and MODE[0] == "tc":
            return deviate("bool-float16", sps.expit(a.astype(np.float64)))
        return r

    def np_relu(a):
        complex_order(a)
        if a.dtype == np.bool_ and MODE[0] == "tc":
            # max(b, false) is b: bools stay bools (NumPy's maximum(b, 0): int64).
            return deviate("relu-bool", a)
        return np.maximum(a, 0)

    for dt in DTYPES:
        for sh in shapes:
            a = make(sh, dt)
            tag = f"{dt}/{dims(sh)}"
            for name in ("sigmoid", "expit"):
                case(f"{name}/{tag}", f"{name}({lit(a)})", lambda a=a: np_expit(a))
            case(f"relu/{tag}", f"relu({lit(a)})", lambda a=a: np_relu(a))
        if dt in ("float32", "float64"):
            a = make((6,), dt, special=True)
            case(f"sigmoid/{dt}/special", f"sigmoid({lit(a)})", lambda a=a: np_expit(a))
            case(f"relu/{dt}/special", f"relu({lit(a)})", lambda a=a: np_relu(a))
            a = np.array([-1000.0, -40.0, -1e-8, 0.0, 1e-8, 40.0, 1000.0], dtype=dt)
            case(f"sigmoid/{dt}/tails", f"sigmoid({lit(a)})", lambda a=a: np_expit(a))

    def np_one_hot(labels, n=None):
        labels = np.asarray(labels)
        if n is None:
            n = int(np.max(labels)) + 1
        if labels.dtype.kind == "i" and np.any(labels < 0):
            # PyTorch's rule: a label is a class, 0 to n - 1 (NumPy's
            # eye(n)[labels] counts a negative one from the end).
            deviate("one-hot-negative", Err)
        return np.eye(n, dtype=np.int64)[labels]

    for sh in shapes:
        labels = np.array([RNG.randint(0, 4) for _ in range(int(np.prod(sh)))], dtype=np.int64).reshape(sh)
        for n in (None, 5, 4):
            arg = "" if n is None else f", {n}"
            case(f"one_hot/{dims(sh)}/{n}", f"one_hot({lit(labels)}{arg})",
                 lambda labels=labels, n=n: np_one_hot(labels, n))
        case(f"one_hot-kw/{dims(sh)}", f"one_hot({lit(labels)}, n=6)", lambda labels=labels: np_one_hot(labels, 6))
    case("one_hot/too-small", "one_hot([0, 3], 3)", lambda: np_one_hot([0, 3], 3))
    case("one_hot/negative", "one_hot([0, -1], 3)", lambda: np_one_hot([0, -1], 3))
    case("one_hot/float", "one_hot([0.0, 1.0], 3)", lambda: np_one_hot(np.array([0.0, 1.0]), 3))
    case("one_hot/zero-classes", "one_hot(zeros(0, dtype=\"int64\"), 0)", lambda: np_one_hot(np.zeros(0, dtype=np.int64), 0))


def main():
    # `gen_corpus.py AREA...` rewrites only those areas' files (the others
    # stay as committed, whatever NumPy version runs this).
    only = set(sys.argv[1:])
    alone = [gen_stats, gen_einops, gen_everyday2]
    if only and only <= {g.area for g in alone}:
        for g in alone:
            if g.area in only:
                g()
        write(only)
        return
    gen_binops()
    gen_matmul()
    gen_unary()
    gen_casts()
    gen_reductions()
    gen_shapes()
    gen_construct()
    gen_introspection()
    gen_products()
    gen_indexing()
    gen_expressions(1500)
    gen_limits()
    gen_linalg()
    gen_everyday()
    gen_random()
    gen_arrays()
    for g in alone:
        g()
    write(only)


def write(only):
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.jsonl"):
        if not only or old.stem in only:
            old.unlink()
    total = 0
    seen = set()
    for area, recs in CASES.items():
        if only and area not in only:
            continue
        for r in recs:
            if r["id"] in seen:
                sys.exit(f"duplicate id {r['id']}")
            seen.add(r["id"])
        lines = [json.dumps(r, ensure_ascii=False, allow_nan=False, separators=(",", ":")) for r in recs]
        (OUT / f"{area}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        total += len(recs)
        print(f"{area}: {len(recs)}")
    print(f"wrote {total} cases to {OUT} (numpy {np.__version__})")


if __name__ == "__main__":
    main()
