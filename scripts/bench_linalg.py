#!/usr/bin/env python3
"""Times inv, solve, svd and eigh at n = 512 in tensorcalc (the release
binary) and in NumPy, in the same run, and prints the medians and the ratio.

The language has no timer yet, so each tensorcalc measurement is the wall
time of a script that runs the operation REPS times, minus the median time
of a baseline script that only builds the same inputs, divided by REPS.
Process start-up and input generation thus cancel out.

Usage: python3 scripts/bench_linalg.py [path/to/tensorcalc] (needs numpy;
build first with `cargo build --release`).
"""

import statistics
import subprocess
import sys
import time

import numpy as np

N = 512
REPS = 5  # operations per tensorcalc script
RUNS = 7  # scripts per measurement; the median is kept
BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/tensorcalc"

SETUP = f"seed(0);\nA = randn({N}, {N});\nS = A @ A';\nb = randn({N});\n"
OPS = {
    "inv": "X = inv(A);",
    "solve": "X = solve(A, b);",
    "svd": "U, s, Vh = svd(A);",
    "eigh": "w, V = eigh(S);",
}


def wall(program: str) -> float:
    t = time.perf_counter()
    subprocess.run([BIN, "-e", program], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def tensorcalc_ms(op: str) -> float:
    body = SETUP + "\n".join([op] * REPS)
    full, base = [], []
    for _ in range(RUNS):  # interleaved, so load changes hit both alike
        base.append(wall(SETUP))
        full.append(wall(body))
    return (statistics.median(full) - statistics.median(base)) / REPS * 1e3


def numpy_ms(op: str) -> float:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((N, N))
    s = a @ a.T
    b = rng.standard_normal(N)
    f = {
        "inv": lambda: np.linalg.inv(a),
        "solve": lambda: np.linalg.solve(a, b),
        "svd": lambda: np.linalg.svd(a),
        "eigh": lambda: np.linalg.eigh(s),
    }[op]
    f()
    times = []
    for _ in range(RUNS * REPS):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def main() -> None:
    print(f"n = {N}; numpy {np.__version__}; medians of {RUNS} runs x {REPS} reps")
    print(f"{'op':6} {'numpy ms':>9} {'tensorcalc ms':>14} {'speed vs numpy':>15}")
    for name, op in OPS.items():
        npt = numpy_ms(name)
        tct = tensorcalc_ms(op)
        print(f"{name:6} {npt:9.2f} {tct:14.2f} {npt / tct:14.2f}x")


if __name__ == "__main__":
    main()
