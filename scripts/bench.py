"""The body of scripts/bench: each case runs in tensorcalc and in NumPy, a
fresh process on each side per round, alternately for several rounds, with
several timed calls per process after an untimed one (benchlib.py says how).
The table shows the median and minimum of both sides, their ratios
numpy_time / tensorcalc_time (> 1 means tensorcalc is faster), the spread
between processes and the load average."""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import NP_ENV, alternate, fmt_t, np_times, preamble, row, tc_times

DT = {"float32": "float32", "float64": "float64", "complex128": "complex128", "int64": "int64"}


def tc_make(dtype, name, shape):
    dims = ", ".join(map(str, shape))
    base = f"rand({dims})"
    if dtype == "float32":
        return f"{name} = float32({base});"
    if dtype == "complex128":
        return f"{name} = {base} + {base} * 1j;"
    if dtype == "int64":
        return f"{name} = int64({base} * 100);"
    return f"{name} = {base};"


def np_make(dtype, name, shape):
    s = repr(tuple(shape))
    if dtype == "float32":
        return f"{name} = rng.random({s}, dtype=np.float32)"
    if dtype == "complex128":
        return f"{name} = rng.random({s}) + rng.random({s}) * 1j"
    if dtype == "int64":
        return f"{name} = (rng.random({s}) * 100).astype(np.int64)"
    return f"{name} = rng.random({s})"


def case(label, setup, expr, threads=1, reps=1, group="kernel", heavy=False):
    """setup: list of (dtype, name, shape); expr: the same text in both;
    heavy: a call takes seconds on one side, so fewer calls per process."""
    return dict(label=label, setup=setup, expr=expr, threads=threads, reps=reps, group=group, heavy=heavy)


def cases(quick):
    out = []
    sizes = [8, 64, 256, 1024] if quick else [8, 64, 256, 1024, 2048]
    for dt in ["float32", "float64", "complex128", "int64"]:
        for n in sizes:
            if dt == "int64" and n > 1024:
                continue  # NumPy's int64 product takes ~20 s at 2048
            for t in [1, 2]:
                reps = 2000 if n == 8 else (50 if n == 64 else 1)
                heavy = n >= 2048 or (dt == "int64" and n >= 1024)
                out.append(case(f"matmul {dt} n={n} t={t}", [(dt, "A", (n, n)), (dt, "B", (n, n))], "A @ B", t, reps, heavy=heavy))
    for t in [1, 2]:
        out.append(case(f"A' @ B f64 1024 t={t}", [("float64", "A", (1024, 1024)), ("float64", "B", (1024, 1024))], "A' @ B", t))
        out.append(case(f"A @ B f64 1024 (same run) t={t}", [("float64", "A", (1024, 1024)), ("float64", "B", (1024, 1024))], "A @ B", t))
        out.append(case(f"batched 64x128x128 f64 t={t}", [("float64", "A", (64, 128, 128)), ("float64", "B", (64, 128, 128))], "A @ B", t))
    for n in [10**6, 10**7]:
        for t in [1, 2]:
            e = "1e6" if n == 10**6 else "1e7"
            three = [("float64", "A", (n,)), ("float64", "B", (n,)), ("float64", "C", (n,))]
            out.append(case(f"A + B {e} t={t}", three, "A + B", t, 5))
            out.append(case(f"A * B + C {e} t={t}", three, "A * B + C", t, 5))
    for t in [1, 2]:
        out.append(case(f"sum 1e7 t={t}", [("float64", "A", (10**7,))], "sum(A)", t, 5))
    return out


def numpy_expr(expr):
    return expr.replace("A' @ B", "A.T @ B").replace("sum(A)", "np.sum(A)")


def run_tc(binary, c, calls):
    setup = " ".join(tc_make(*s) for s in c["setup"])
    stmt = f"R = {c['expr']}"
    return tc_times(binary, setup, stmt, stmt, calls, c["reps"], c["threads"])


def run_np(c, calls):
    setup = "rng = np.random.default_rng(0)\n" + "\n".join(np_make(*s) for s in c["setup"])
    stmt = f"R = {numpy_expr(c['expr'])}"
    return np_times(setup, stmt, stmt, calls, c["reps"], c["threads"])


def wall(cmd, env=None, rounds=5):
    ts = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env, check=True)
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def peak_rss(cmd, env=None):
    """Peak resident memory of one child, in MiB (from wait4's rusage)."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, cmd
    return ru.ru_maxrss / 1024


# Loops and statements: the interpreter's own cost per statement. On a
# loaded machine a process's wall time says more about the scheduler than
# about the process, so each side is measured by the CPU time (user + system,
# from wait4) of a fresh process running the loop, minus that of the same
# process running it zero times (start-up, `import numpy`, the set-up), and
# the rounds alternate. (label, tensorcalc script, Python script), with {n}
# for the trip count.
LOOPS = [
    ("scalar loop 10^6 (vs CPython)", 10**6,
     "s = 0;\nfor i in arange(1, {n} + 1)\n  s = s + i;\nend\n",
     "s = 0\nfor i in range(1, {n} + 1):\n    s = s + i\n"),
    ("8x8 matmul loop 10^5", 10**5,
     "A = rand(8, 8); B = rand(8, 8);\nfor k in arange({n})\n  C = A @ B;\nend\n",
     "import numpy as np\nA = np.random.rand(8, 8); B = np.random.rand(8, 8)\n"
     "for k in range({n}):\n    C = A @ B\n"),
    ("64x64 matmul loop 10^4", 10**4,
     "A = rand(64, 64); B = rand(64, 64);\nfor k in arange({n})\n  C = A @ B;\nend\n",
     "import numpy as np\nA = np.random.rand(64, 64); B = np.random.rand(64, 64)\n"
     "for k in range({n}):\n    C = A @ B\n"),
    # The same 10 000 statements in both languages, parsing included.
    ("10 000 statements, same script", 10**4,
     "A = rand(8, 8); B = rand(8, 8);\n{stmts}",
     "import numpy as np\nA = np.random.rand(8, 8); B = np.random.rand(8, 8)\n{stmts}"),
]


def cpu(cmd, env):
    """CPU seconds (user + system) of one child process."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, cmd
    return ru.ru_utime + ru.ru_stime


def loop_cases(binary, rounds):
    """The loops above, tensorcalc and Python alternating in every round;
    median and minimum of each side."""
    # Single-threaded on both sides: these are per-statement costs.
    env = dict(os.environ, TENSORCALC_THREADS="1")
    np_env = dict(NP_ENV, OPENBLAS_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as d:
        for label, n, tc_src, py_src in LOOPS:
            files = {}
            for k in (n, 0):
                for side, src, ext in (("tc", tc_src, "la"), ("py", py_src, "py")):
                    stmts = ("C = A @ B;\n" if side == "tc" else "C = A @ B\n") * k
                    path = os.path.join(d, f"{side}{k}.{ext}")
                    with open(path, "w") as f:
                        f.write(src.format(n=k, stmts=stmts))
                    files[side, k] = path
            tc, npt = [], []
            for _ in range(rounds):
                tc.append(cpu([binary, files["tc", n]], env) - cpu([binary, files["tc", 0]], env))
                npt.append(cpu([PY, files["py", n]], np_env) - cpu([PY, files["py", 0]], np_env))
            report(label, tc, npt)


def report(label, tc, npt):
    a, b = statistics.median(tc), statistics.median(npt)
    print(f"| {label:34} | {fmt_t(a)} | {fmt_t(b)} | {b / a:6.2f}× | "
          f"min {fmt_t(min(tc)).strip()} vs {fmt_t(min(npt)).strip()}: {min(npt) / min(tc):.2f}×", flush=True)


def plot_cases(binary, rounds):
    """Pictures of 10^7 points: the whole process drawing one (stdout to a
    pipe, 80x24) minus the same process without the picture, alternated;
    against NumPy binning the same points to the same dots
    (np.histogram2d onto the 146x84 dots of an 80x24 picture)."""
    n = 10**7
    cases = [
        ("plot(y) 1e7", "y = randn(%d);" % n, "plot(y)",
         "y = rng.standard_normal(%d); x = np.arange(%d)" % (n, n)),
        ("plot(x, y) 1e7, x sorted", "x = linspace(0, 1, %d); y = randn(%d);" % (n, n), "plot(x, y)",
         "x = np.linspace(0, 1, %d); y = rng.standard_normal(%d)" % (n, n)),
        ("scatter(x, y) 1e7, x random", "x = rand(%d); y = randn(%d);" % (n, n), "scatter(x, y)",
         "x = rng.random(%d); y = rng.standard_normal(%d)" % (n, n)),
    ]
    for label, setup, pic, np_setup in cases:
        full, base = [], []
        for _ in range(rounds):
            full.append(wall([binary, "-e", setup, "-e", pic], rounds=1))
            base.append(wall([binary, "-e", setup], rounds=1))
        diffs = [f - b for f, b in zip(full, base)]
        prog = "\n".join([
            "import time, numpy as np",
            "rng = np.random.default_rng(0)",
            np_setup,
            "ts = []",
            "for _ in range(%d):" % rounds,
            "    t0 = time.perf_counter(); np.histogram2d(x, y, bins=(146, 84)); ts.append(time.perf_counter() - t0)",
            "ts.sort(); print(ts[len(ts) // 2], ts[0])",
        ])
        r = subprocess.run([PY, "-c", prog], capture_output=True, text=True, env=NP_ENV, check=True)
        np_med, np_min = map(float, r.stdout.split())
        med = statistics.median(diffs)
        print(f"| {label:34} | {fmt_t(med)} | {fmt_t(np_med)} | {np_med / med:6.2f}× | min {fmt_t(min(full) - min(base)).strip()} vs {fmt_t(np_min).strip()}", flush=True)


def main():
    global PY
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", type=int, default=5, help="timed calls per process (3 for the slowest cases)")
    ap.add_argument("--quick", action="store_true", help="skip n=2048 and the 4096 memory case")
    ap.add_argument("--only", default="", help="run cases whose label contains one of these comma-separated texts")
    ap.add_argument("--plot", action="store_true", help="only the pictures of 10^7 points")
    ap.add_argument("--loops", action="store_true", help="only the loops and the 10 000 statements")
    ap.add_argument("--processes", action="store_true",
                    help="only the whole-process table (statements, start-up, --check, long scripts)")
    args = ap.parse_args()
    PY = sys.executable
    preamble(args.rounds, args.calls)
    if args.plot:
        plot_cases(args.bin, args.rounds)
        return
    if args.loops:
        loop_cases(args.bin, args.rounds)
        return
    for c in [] if args.processes else cases(args.quick):
        if args.only and not any(o in c["label"] for o in args.only.split(",")):
            continue
        calls = min(args.calls, 3) if c.get("heavy") else args.calls
        a, b, loads = alternate(args.rounds, lambda: run_tc(args.bin, c, calls), lambda: run_np(c, calls))
        print(row(c["label"], a, b, loads), flush=True)
    if args.only:
        return
    # Whole processes from here on (medians of `rounds` runs), in a table
    # of their own.
    print(f"\nwhole processes, medians of {args.rounds} runs\n")
    print(f"| {'case':34} | {'tensorcalc':>12} | {'NumPy':>12} | {'ratio':>7} |")
    print(f"| {'-' * 34} | {'-' * 12} | {'-' * 12} | {'-' * 7} |")
    # A script of 10 000 statements `C = A @ B;` on 8×8, whole process, and
    # the same loop in Python (whole process, including `import numpy`).
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, "loop.la")
        with open(script, "w") as f:
            f.write("A = rand(8, 8); B = rand(8, 8);\n" + "C = A @ B;\n" * 10000)
        pyloop = "import numpy as np\nA = np.random.rand(8, 8); B = np.random.rand(8, 8)\nfor _ in range(10000):\n    C = A @ B\n"
        tcw = wall([args.bin, script], rounds=args.rounds)
        npw = wall([PY, "-c", pyloop], env=NP_ENV, rounds=args.rounds)
        print(f"| {'10 000 statements (whole process)':34} | {fmt_t(tcw)} | {fmt_t(npw)} | {npw / tcw:6.2f}× |")
        loop_cases(args.bin, args.rounds)
        tcs = wall([args.bin, "-e", "1+1"], rounds=max(args.rounds, 9))
        nps = wall([PY, "-c", "import numpy"], env=NP_ENV, rounds=max(args.rounds, 9))
        print(f"| {'start-up (-e 1+1 / import numpy)':34} | {fmt_t(tcs)} | {fmt_t(nps)} | {nps / tcs:6.2f}× |")
        # --check of a 10 000-line lesson: the rules only, whole process, at
        # two sizes an order of magnitude apart; the peak memory must not
        # depend on the sizes (nothing is allocated for the arrays).
        for scale in (1, 10):
            lesson = os.path.join(d, f"check{scale}.la")
            with open(lesson, "w") as f:
                f.write(f"W = randn({512 * scale}, {256 * scale}); b = randn({512 * scale}); "
                        f"X = randn({1000 * scale}, {256 * scale});\n")
                for i in range(10000):
                    f.write([f"h{i} = X @ W' + b\n", f"s{i} = sum(h{i - 1}, axis=0)\n",
                             f"z{i} = tanh(h{i - 2}) * 2\n", f"m{i} = mean(z{i - 1})\n"][i % 4])
            t = wall([args.bin, "--check", lesson], rounds=args.rounds)
            mem = peak_rss([args.bin, "--check", lesson])
            print(f"| {f'--check 10 000 lines (sizes ×{scale})':34} | {fmt_t(t)} | {mem:10.1f} MiB | target < 100 ms |")
        # The same lesson in symbols (`dim n, d, h`).
        lesson = os.path.join(d, "check_symbolic.la")
        with open(lesson, "w") as f:
            f.write("dim n, d, h\nW = randn(h, d); b = randn(h); X = randn(n, d);\n")
            for i in range(10000):
                f.write([f"h{i} = X @ W' + b\n", f"s{i} = sum(h{i - 1}, axis=0)\n",
                         f"z{i} = tanh(h{i - 2}) * 2\n", f"m{i} = mean(z{i - 1})\n"][i % 4])
        t = wall([args.bin, "--check", lesson], rounds=args.rounds)
        mem = peak_rss([args.bin, "--check", lesson])
        print(f"| {'--check 10 000 lines (dim n, d, h)':34} | {fmt_t(t)} | {mem:10.1f} MiB | target < 100 ms |")
        # Memory must not grow with a script's length: 10^5 and 10^6 lines
        # of `x = rand(100); y = x + 1;` (the second 26 MB, so --max-input).
        for lines in (10**5, 10**6):
            script = os.path.join(d, f"long{lines}.la")
            with open(script, "w") as f:
                f.write("x = rand(100); y = x + 1;\n" * lines)
            mem = peak_rss([args.bin, "--max-input", "100M", script])
            print(f"| {f'script of {lines:,} lines':34} | {'':13} | {mem:10.1f} MiB | target < 200 MiB |")
    plot_cases(args.bin, args.rounds)
    if not args.quick:
        n = 4096
        mib = 3 * n * n * 8 / 2**20
        tc = peak_rss([args.bin, "-e", f"A = rand({n}, {n}); B = rand({n}, {n}); C = A' @ B;"])
        npm = peak_rss([PY, "-c", f"import numpy as np\nA = np.random.rand({n}, {n}); B = np.random.rand({n}, {n}); C = A.T @ B"], env=NP_ENV)
        print(f"\npeak memory of A' @ B at {n}: tensorcalc {tc:.0f} MiB, NumPy {npm:.0f} MiB; "
              f"3 matrices = {mib:.0f} MiB, target ≤ {mib * 1.1:.0f} MiB")


if __name__ == "__main__":
    main()
