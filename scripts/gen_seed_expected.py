#!/usr/bin/env python3
"""Generate tests/data/seed_numpy.jsonl: NumPy's answers for the seed article.

Every operation that the seed article (shared/seed/README.md, beside the repository) demonstrates
is listed below as a case: a snake_case name, a tensorcalc program, the dtype
NumPy must give, and a function computing the same value with NumPy. The output
has one JSON object per line,

    {"name": ..., "program": ..., "expect": {"shape": [...], "dtype": ..., "data": ...}}

where "expect" follows tensorcalc's `--json` contract and is the value that the
LAST statement of the program displays. The Rust tests read this file, so no
Python is needed at test time.

Run by hand, outside the repo's build, from any directory:

    python3 -m venv "$VENV" && "$VENV"/bin/pip install numpy
    "$VENV"/bin/python scripts/gen_seed_expected.py

The output is deterministic: cases keep the article's order (Scalars, Vectors,
Matrices, Tensors), keys keep a fixed order, and floats are written with
Python's shortest round-tripping repr.
"""

import json
import math
import pathlib
import sys

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "seed_numpy.jsonl"

# NumPy dtype name -> tensorcalc dtype name. Anything else is an error.
DTYPES = {
    "bool": "bool",
    "int64": "int64",
    "float32": "float32",
    "float64": "float64",
    "complex128": "complex128",
}

# Shared operands, as the article defines them.
X = [1, 2, 3]
Y = [4, 5, 6]
M23 = [[1, 2, 3], [4, 5, 6]]
A = [[1, 2], [4, 3]]
B = [[3, 4], [3, 10]]
T = [[1, 2], [3, 4]]
Z = [2j, 3j]


def ones33():
    return np.ones((3, 3), dtype="float32")


# (name, program, expected dtype, numpy function)
CASES = [
    # ------------------------------------------------------------ scalars
    ("scalar_int", "a = 5\na", "int64", lambda: np.int64(5)),
    ("scalar_float", "b = 7.5\nb", "float64", lambda: np.float64(7.5)),
    ("scalar_int_dtype", "a = 5; dtype(a)", "str", lambda: np.asarray(5).dtype.name),
    ("scalar_float_dtype", "b = 7.5; dtype(b)", "str", lambda: np.asarray(7.5).dtype.name),
    ("scalar_complex_dtype", "dtype(2j)", "str", lambda: np.asarray(2j).dtype.name),
    ("scalar_bool_dtype", "dtype(true)", "str", lambda: np.asarray(True).dtype.name),
    ("scalar_add", "a = 5; b = 7.5; a + b", "float64", lambda: np.int64(5) + np.float64(7.5)),
    ("scalar_sub", "a = 5; b = 7.5; a - b", "float64", lambda: np.int64(5) - np.float64(7.5)),
    ("scalar_mul", "a = 5; b = 7.5; a * b", "float64", lambda: np.int64(5) * np.float64(7.5)),
    ("scalar_div", "a = 5; b = 7.5; a / b", "float64", lambda: np.int64(5) / np.float64(7.5)),
    ("scalar_mixed_dtype", "a = 5; b = 7.5; dtype(a + b)", "str",
     lambda: (np.int64(5) + np.float64(7.5)).dtype.name),
    ("isscalar_float", "isscalar(3.1)", "bool", lambda: np.isscalar(3.1)),
    ("isscalar_list", "isscalar([3.1])", "bool", lambda: np.isscalar([3.1])),
    ("isscalar_bool", "isscalar(false)", "bool", lambda: np.isscalar(False)),
    ("isscalar_variable", "a = 5; isscalar(a)", "bool", lambda: np.isscalar(np.int64(5))),
    # ------------------------------------------------------------ vectors
    ("vector_literal", "x = [1, 2, 3]\nx", "int64", lambda: np.array(X)),
    ("vector_concatenate", "x = [1, 2, 3]; y = [4, 5, 6]; concatenate(x, y)", "int64",
     lambda: np.concatenate([np.array(X), np.array(Y)])),
    ("vector_add", "x = [1, 2, 3]; y = [4, 5, 6]; x + y", "int64",
     lambda: np.array(X) + np.array(Y)),
    ("vector_cross", "x = [1, 2, 3]; y = [4, 5, 6]; cross(x, y)", "int64",
     lambda: np.cross(np.array(X), np.array(Y))),
    ("vector_dot", "x = [1, 2, 3]; y = [4, 5, 6]; dot(x, y)", "int64",
     lambda: np.dot(np.array(X), np.array(Y))),
    ("vector_index_first", "x = [1, 2, 3]; x[0]", "int64", lambda: np.array(X)[0]),
    ("vector_index_last", "x = [1, 2, 3]; x[2]", "int64", lambda: np.array(X)[2]),
    ("vector_len", "x = [1, 2, 3]; len(x)", "int64", lambda: np.int64(len(np.array(X)))),
    ("vector_ndim", "x = [1, 2, 3]; ndim(x)", "int64", lambda: np.int64(np.ndim(X))),
    # ----------------------------------------------------------- matrices
    ("matrix_shape", "A = [[1, 2, 3], [4, 5, 6]]; shape(A)", "int64",
     lambda: np.array(np.shape(M23), dtype=np.int64)),
    ("matrix_rows_literal", "[1, 2, 3; 4, 5, 6]", "int64", lambda: np.array(M23)),
    ("matrix_ndim", "A = [[1, 2, 3], [4, 5, 6]]; ndim(A)", "int64", lambda: np.int64(np.ndim(M23))),
    ("matrix_size", "A = [[1, 2, 3], [4, 5, 6]]; size(A)", "int64", lambda: np.int64(np.size(M23))),
    ("matrix_element", "A = [[1, 2, 3], [4, 5, 6]]; A[1, 2]", "int64", lambda: np.array(M23)[1, 2]),
    ("matrix_column", "A = [[1, 2, 3], [4, 5, 6]]; A[:, 0]", "int64", lambda: np.array(M23)[:, 0]),
    ("matrix_sum", "A = [[1, 2], [4, 3]]; sum(A)", "int64", lambda: np.sum(np.array(A))),
    ("matrix_add_matrix", "A = [[1, 2], [4, 3]]; B = [[3, 4], [3, 10]]; A + B", "int64",
     lambda: np.array(A) + np.array(B)),
    ("matrix_add_matrix_shape", "A = [[1, 2], [4, 3]]; B = [[3, 4], [3, 10]]; shape(A + B)", "int64",
     lambda: np.array((np.array(A) + np.array(B)).shape, dtype=np.int64)),
    ("matrix_add_scalar", "A = [[1, 2], [4, 3]]; A + 1", "int64", lambda: np.array(A) + 1),
    ("matrix_mul_scalar", "A = [[1, 2], [4, 3]]; A * 3", "int64", lambda: np.array(A) * 3),
    ("matmul_identity_vector", "[[1, 0], [0, 1]] @ [1, 2]", "int64",
     lambda: np.matmul(np.array([[1, 0], [0, 1]]), np.array([1, 2]))),
    ("matmul_function", "matmul([[1, 0], [0, 1]], [1, 2])", "int64",
     lambda: np.matmul(np.array([[1, 0], [0, 1]]), np.array([1, 2]))),
    ("matmul_complex_vectors", "[2j, 3j] @ [2j, 3j]", "complex128",
     lambda: np.matmul(np.array(Z), np.array(Z))),
    ("vdot_complex_vectors", "vdot([2j, 3j], [2j, 3j])", "complex128",
     lambda: np.vdot(np.array(Z), np.array(Z))),
    ("matmul_matrix_vector", "A = [[1, 2, 3], [4, 5, 6]]; x = [1, 2, 3]; A @ x", "int64",
     lambda: np.array(M23) @ np.array(X)),
    ("matmul_matrix_matrix", "A = [[1, 2], [4, 3]]; B = [[3, 4], [3, 10]]; A @ B", "int64",
     lambda: np.array(A) @ np.array(B)),
    ("transpose_postfix", "A = [[1, 2], [3, 4]]; A'", "int64", lambda: np.array(T).conj().T),
    ("transpose_function", "A = [[1, 2], [3, 4]]; transpose(A)", "int64",
     lambda: np.transpose(np.array(T))),
    ("transpose_rect", "A = [[1, 2, 3], [4, 5, 6]]; A'", "int64", lambda: np.array(M23).conj().T),
    ("transpose_rect_shape", "A = [[1, 2, 3], [4, 5, 6]]; shape(A')", "int64",
     lambda: np.array(np.array(M23).T.shape, dtype=np.int64)),
    ("transpose_conj_complex", "C = [1 + 2j, 3; 4, 5j]; C'", "complex128",
     lambda: np.array([[1 + 2j, 3], [4, 5j]]).conj().T),
    # ------------------------------------------------------------ tensors
    ("tensor_from_list", "float32([26])", "float32", lambda: np.array([26], dtype=np.float32)),
    ("tensor_from_list_dtype", "dtype(float32([26]))", "str",
     lambda: np.array([26], dtype=np.float32).dtype.name),
    ("tensor_from_shape", "t = zeros(5, 3); shape(t)", "int64",
     lambda: np.array(np.zeros((5, 3)).shape, dtype=np.int64)),
    ("tensor_from_shape_dtype", "dtype(zeros(5, 3))", "str", lambda: np.zeros((5, 3)).dtype.name),
    ("tensor_rank3_ndim", "ndim(zeros(2, 3, 4))", "int64", lambda: np.int64(np.zeros((2, 3, 4)).ndim)),
    ("tensor_ones_add",
     'a = ones(3, 3, dtype="float32"); b = ones(3, 3, dtype="float32"); a + b', "float32",
     lambda: ones33() + ones33()),
    ("tensor_ones_sub",
     'a = ones(3, 3, dtype="float32"); b = ones(3, 3, dtype="float32"); a - b', "float32",
     lambda: ones33() - ones33()),
    ("tensor_ones_mul",
     'a = ones(3, 3, dtype="float32"); b = ones(3, 3, dtype="float32"); a * b', "float32",
     lambda: ones33() * ones33()),
    ("tensor_ones_div",
     'a = ones(3, 3, dtype="float32"); b = ones(3, 3, dtype="float32"); a / b', "float32",
     lambda: ones33() / ones33()),
]


def encode_float(x):
    """A float as JSON: repr-exact number, or "nan" / "inf" / "-inf"."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def encode_scalar(x, dtype):
    if dtype == "bool":
        return bool(x)
    if dtype == "int64":
        return int(x)
    if dtype in ("float32", "float64"):
        # float(np.float32) is exact, so the value printed is the float32's
        # exact value as a double (shortest repr of that double).
        return encode_float(x)
    if dtype == "complex128":
        return [encode_float(x.real), encode_float(x.imag)]
    raise AssertionError(dtype)


def encode_data(arr, dtype):
    if arr.ndim == 0:
        return encode_scalar(arr[()], dtype)
    return [encode_data(sub, dtype) for sub in arr]


def to_json_value(name, value, want):
    """NumPy result -> tensorcalc --json value; fail on an unexpected dtype."""
    if isinstance(value, str):
        got = "str"
        if got != want:
            sys.exit(f"{name}: NumPy gave a string, expected dtype {want}")
        return {"shape": [], "dtype": "str", "data": value}
    if not isinstance(value, (np.ndarray, np.generic)):
        # np.isscalar etc. return plain Python values.
        if not isinstance(value, (bool, int, float, complex)):
            sys.exit(f"{name}: unexpected Python type {type(value).__name__}")
    arr = np.asarray(value)
    got = DTYPES.get(arr.dtype.name)
    if got is None:
        sys.exit(f"{name}: NumPy dtype {arr.dtype.name} has no tensorcalc equivalent")
    if got != want:
        sys.exit(f"{name}: NumPy gave dtype {got}, the case expects {want}")
    return {"shape": [int(n) for n in arr.shape], "dtype": got, "data": encode_data(arr, got)}


def main():
    names = [c[0] for c in CASES]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        sys.exit(f"duplicate case names: {dupes}")
    lines = []
    for name, program, want, compute in CASES:
        expect = to_json_value(name, compute(), want)
        record = {"name": name, "program": program, "expect": expect}
        lines.append(json.dumps(record, ensure_ascii=False, allow_nan=False))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} cases to {OUT} (numpy {np.__version__})")


if __name__ == "__main__":
    main()
