"""solve, inv, det, cholesky, eigh and svd at n = 128, 512 and 2048:
tensorcalc (faer) against NumPy (LAPACK on OpenBLAS), alternately in the
same run, at 1 and 2 threads, several calls per process (benchlib.py says
how). At n = 2048 a call takes seconds, so fewer calls are timed and the
untimed first call is made at n = 256 (it pays for the thread pool and the
code's first run; the buffers of a 2048 call are fresh on both sides).

Usage: scripts/bench --linalg [--rounds N] [--calls N] [--sizes 128,512]
[--only TEXT] (or run this file with a Python that has numpy and
threadpoolctl, passing --bin).
"""

import argparse
import re

from benchlib import alternate, np_times, preamble, row, tc_times

TC_OPS = {
    "solve": "X = solve(A, b)",
    "inv": "X = inv(A)",
    "det": "d = det(A)",
    "cholesky": "L = cholesky(S)",
    "eigh": "w, V = eigh(S)",
    "svd": "U, s, Vh = svd(A)",
}
NP_OPS = {
    "solve": "X = np.linalg.solve(A, b)",
    "inv": "X = np.linalg.inv(A)",
    "det": "d = np.linalg.det(A)",
    "cholesky": "L = np.linalg.cholesky(S)",
    "eigh": "w, V = np.linalg.eigh(S)",
    "svd": "U, s, Vh = np.linalg.svd(A)",
}


def tc_setup(n):
    # S = A A' + n I: symmetric positive definite and well conditioned.
    return f"seed(0); A = randn({n}, {n}); S = A @ A' + {n} * eye({n}); b = randn({n});"


def np_setup(n):
    return (f"rng = np.random.default_rng(0); A = rng.standard_normal(({n}, {n})); "
            f"S = A @ A.T + {n} * np.eye({n}); b = rng.standard_normal({n})")


def small(stmt, w=256):
    """`stmt` on the leading w×w block (and w entries of b): the untimed
    first call at n = 2048."""
    stmt = re.sub(r"\(([AS])\b", rf"(\1[:{w}, :{w}]", stmt)
    return re.sub(r", b\)", f", b[:{w}])", stmt)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", type=int, default=5, help="timed calls per process (2 at n = 2048)")
    ap.add_argument("--sizes", default="128,512,2048")
    ap.add_argument("--only", default="", help="run cases whose label contains one of these comma-separated texts")
    args = ap.parse_args()
    preamble(args.rounds, args.calls)
    for n in map(int, args.sizes.split(",")):
        big = n >= 2048
        calls = min(args.calls, 2) if big else args.calls
        for op in TC_OPS:
            for t in [1, 2]:
                label = f"{op} n={n} t={t}"
                if args.only and not any(o in label for o in args.only.split(",")):
                    continue
                if big:
                    tc_warm, np_warm = small(TC_OPS[op]), small(NP_OPS[op])
                else:
                    tc_warm, np_warm = TC_OPS[op], NP_OPS[op]
                a, b, loads = alternate(
                    args.rounds,
                    lambda: tc_times(args.bin, tc_setup(n), tc_warm, TC_OPS[op], calls, 1, t),
                    lambda: np_times(np_setup(n), np_warm, NP_OPS[op], calls, 1, t),
                )
                print(row(label, a, b, loads), flush=True)


if __name__ == "__main__":
    main()
