#!/usr/bin/env python3
"""Writes the small NumPy files tests/io.rs reads (tests/data/io/), once, in a
throwaway venv with numpy installed:

    python3 -m venv "$VENV" && "$VENV/bin/pip" install numpy      # any scratch directory
    "$VENV/bin/python" scripts/gen_io_fixtures.py

Each array's values are chosen so the test can rebuild them without Python:
`specials` holds +-0, +-inf, NaN and subnormals; `seq` is arange(6) in the
dtype, shape 2x3. Files: <dtype>_<order>_<endian>.npy, 0-d, empty, and
archives (stored and deflated). A manifest lists each file with its values'
bytes in hex (little-endian, C order, our widened dtype) for bit-for-bit checks.
"""
import json
import os
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "io")
os.makedirs(OUT, exist_ok=True)
manifest = []

WIDE = {"bool": "bool", "int8": "int64", "int16": "int64", "int32": "int64",
        "int64": "int64", "uint8": "int64", "uint16": "int64", "uint32": "int64",
        "uint64": "int64", "float16": "float32", "float32": "float32",
        "float64": "float64", "complex64": "complex128", "complex128": "complex128"}


def record(name, a):
    wide = np.ascontiguousarray(a.astype(WIDE[a.dtype.name]).astype(
        np.dtype(WIDE[a.dtype.name]).newbyteorder("<")))
    manifest.append({"file": name, "dtype": WIDE[a.dtype.name], "shape": list(a.shape),
                     "hex": wide.tobytes().hex()})


for dt in WIDE:
    seq = np.arange(6).astype(dt).reshape(2, 3)
    if dt == "bool":
        seq = (np.arange(6) % 2 == 0).reshape(2, 3)
    for order in ("C", "F"):
        for endian in ("<", ">"):
            a = np.asarray(seq, order=order)
            a = a.astype(a.dtype.newbyteorder(endian), order=order)
            name = f"{dt}_{order}_{'le' if endian == '<' else 'be'}.npy"
            np.save(os.path.join(OUT, name), a)
            record(name, a)

f64 = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -2.2250738585072014e-308 / 3, 1.5])
f32 = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-40, 1.5], dtype=np.float32)
c128 = (f64 + 1j * f64[::-1]).astype(np.complex128)
for name, a in [("specials_float64.npy", f64), ("specials_float32.npy", f32),
                ("specials_complex128.npy", c128),
                ("int64_extremes.npy", np.array([-2**63, 2**63 - 1, 0, -1], dtype=np.int64)),
                ("scalar_0d.npy", np.array(2.5)),
                ("empty_0x3.npy", np.zeros((0, 3))),
                ("empty_int.npy", np.zeros((0,), dtype=np.int64))]:
    np.save(os.path.join(OUT, name), a)
    record(name, a)

np.save(os.path.join(OUT, "uint64_too_big.npy"), np.array([1, 2**63], dtype=np.uint64))
np.save(os.path.join(OUT, "strings.npy"), np.array(["ab", "c"]))
np.save(os.path.join(OUT, "datetime.npy"), np.array(["2024-01-01"], dtype="datetime64[D]"))
np.save(os.path.join(OUT, "structured.npy"), np.zeros(2, dtype=[("x", "<f8"), ("y", "<i4")]))
np.save(os.path.join(OUT, "object.npy"), np.array([1, "a"], dtype=object), allow_pickle=True)

X = np.arange(6, dtype=np.float64).reshape(3, 2) / 4
y = np.array([1, 0, 1], dtype=np.int32)
np.savez(os.path.join(OUT, "multi.npz"), X=X, y=y)
np.savez_compressed(os.path.join(OUT, "compressed.npz"), X=X, y=y, **{"bad-name": np.array(True)})
manifest.append({"file": "multi.npz", "names": ["X", "y"]})

# Text: what np.savetxt writes for a small matrix, and a CSV to load.
M = np.array([[1.0, 0.5], [-2.0, 1e-7]])
np.savetxt(os.path.join(OUT, "savetxt_default.txt"), M)
np.savetxt(os.path.join(OUT, "savetxt_csv.txt"), M, delimiter=",", header="a,b", fmt="%.6g")
# np.save's bytes for arrays we also write, to compare ours with.
np.save(os.path.join(OUT, "written_by_numpy_f64.npy"), np.array([[1.5, -0.0], [np.inf, np.nan]]))
np.save(os.path.join(OUT, "written_by_numpy_i64.npy"), np.arange(5))
np.save(os.path.join(OUT, "written_by_numpy_c128.npy"), np.array([1 + 2j, -0.0 - 1j]))
np.save(os.path.join(OUT, "written_by_numpy_bool.npy"), np.array([True, False]))
np.save(os.path.join(OUT, "written_by_numpy_f32.npy"), np.array([1.5, 2], dtype=np.float32))

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=0)
print(len(manifest), "fixtures")
