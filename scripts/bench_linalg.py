"""inv, solve, svd and eigh at n = 512: tensorcalc (faer) against NumPy
(LAPACK on OpenBLAS), alternately in the same run, at 1 and 2 threads.

Each measurement is a fresh process that builds the inputs, runs the
operation once untimed (the first call pays for one-time set-up), then times
REPS calls: tensorcalc with its built-in tic()/toc(), NumPy with
perf_counter under threadpool_limits. The table shows the median over the
rounds and the ratio NumPy time / tensorcalc time (> 1: tensorcalc faster).

Usage: scripts/bench --linalg [--rounds N] (or run this file with a Python
that has numpy and threadpoolctl, passing --bin).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

# OpenBLAS workarounds that may be set on this machine slow a current NumPy:
# drop them for the NumPy side only, as scripts/bench.py does.
NP_ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}

N = 512
REPS = 3

TC_SETUP = f"seed(0); A = randn({N}, {N}); S = A @ A'; b = randn({N});"
TC_OPS = {
    "inv": "X = inv(A)",
    "solve": "X = solve(A, b)",
    "svd": "U, s, Vh = svd(A)",
    "eigh": "w, V = eigh(S)",
}
NP_SETUP = f"rng = np.random.default_rng(0); A = rng.standard_normal(({N}, {N})); S = A @ A.T; b = rng.standard_normal({N})"
NP_OPS = {
    "inv": "X = np.linalg.inv(A)",
    "solve": "X = np.linalg.solve(A, b)",
    "svd": "U, s, Vh = np.linalg.svd(A)",
    "eigh": "w, V = np.linalg.eigh(S)",
}


def run_tc(binary, op, threads):
    body = "; ".join([TC_OPS[op]] * REPS)
    prog = f"{TC_SETUP} {TC_OPS[op]}; tic(); {body}; t = toc(); t"
    env = dict(os.environ, TENSORCALC_THREADS=str(threads))
    r = subprocess.run([binary, "--json", "-e", prog], capture_output=True, text=True, env=env, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])["data"] / REPS


def run_np(op, threads):
    prog = "\n".join([
        "import time, numpy as np",
        "from threadpoolctl import threadpool_limits",
        NP_SETUP,
        f"with threadpool_limits({threads}):",
        f"    {NP_OPS[op]}",
        "    t0 = time.perf_counter()",
        f"    for _ in range({REPS}):",
        f"        {NP_OPS[op]}",
        f"    print((time.perf_counter() - t0) / {REPS})",
    ])
    r = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, env=NP_ENV, check=True)
    return float(r.stdout.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    blas = subprocess.run(
        [sys.executable, "-c", "import numpy, threadpoolctl; print(numpy.__version__, "
         "[(i['internal_api'], i.get('architecture'), i.get('version')) for i in threadpoolctl.threadpool_info()])"],
        capture_output=True, text=True, env=NP_ENV, check=True).stdout.strip()
    print(f"n = {N}; NumPy {blas}; {REPS} calls per process, median of {args.rounds} rounds")
    print("ratio = NumPy time / tensorcalc time, > 1 means tensorcalc is faster\n")
    print(f"| {'case':15} | {'tensorcalc':>11} | {'NumPy':>11} | {'ratio':>6} |")
    print(f"| {'-' * 15} | {'-' * 11} | {'-' * 11} | {'-' * 6} |")
    for op in TC_OPS:
        for t in [1, 2]:
            tc, npt = [], []
            for _ in range(args.rounds):  # alternately, so load changes hit both alike
                tc.append(run_tc(args.bin, op, t))
                npt.append(run_np(op, t))
            a, b = statistics.median(tc), statistics.median(npt)
            print(f"| {op + f' n={N} t={t}':15} | {a * 1e3:8.2f} ms | {b * 1e3:8.2f} ms | {b / a:5.2f}× |", flush=True)


if __name__ == "__main__":
    main()
