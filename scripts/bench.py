"""The body of scripts/bench: each case runs in tensorcalc (a fresh process
that times only the kernel with tic()/toc()) and in NumPy (a fresh process,
same sizes, timed with perf_counter), alternately, for several rounds; the
table shows medians and the ratio numpy_time / tensorcalc_time (> 1 means
tensorcalc is faster)."""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

# OpenBLAS workarounds that may be set on this machine slow a current NumPy:
# drop them for the NumPy side only.
NP_ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}

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


def case(label, setup, expr, threads=1, reps=1, group="kernel"):
    """setup: list of (dtype, name, shape); expr: the same text in both."""
    return dict(label=label, setup=setup, expr=expr, threads=threads, reps=reps, group=group)


def cases(quick):
    out = []
    sizes = [8, 64, 256, 1024] if quick else [8, 64, 256, 1024, 2048]
    for dt in ["float32", "float64", "complex128", "int64"]:
        for n in sizes:
            if dt == "int64" and n > 1024:
                continue  # NumPy's int64 product takes ~20 s at 2048
            for t in [1, 2]:
                reps = 2000 if n == 8 else (50 if n == 64 else 1)
                out.append(case(f"matmul {dt} n={n} t={t}", [(dt, "A", (n, n)), (dt, "B", (n, n))], "A @ B", t, reps))
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


def run_tc(binary, c):
    prog = " ".join(tc_make(*s) for s in c["setup"])
    body = "; ".join([f"R = {c['expr']}"] * c["reps"])
    # One untimed product first, as NumPy's side does: the first call pays
    # for one-time set-up (thread pool, packing buffers, page faults).
    prog += f" R = {c['expr']}; tic(); {body}; t = toc(); t"
    env = dict(os.environ, TENSORCALC_THREADS=str(c["threads"]))
    r = subprocess.run([binary, "--json", "-e", prog], capture_output=True, text=True, env=env, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])["data"] / c["reps"]


def run_np(c):
    lines = [
        "import time, numpy as np",
        "from threadpoolctl import threadpool_limits",
        "rng = np.random.default_rng(0)",
    ]
    lines += [np_make(*s) for s in c["setup"]]
    lines += [
        f"with threadpool_limits({c['threads']}):",
        f"    R = {numpy_expr(c['expr'])}",  # untimed warm-up, as in run_tc
        "    t0 = time.perf_counter()",
        f"    for _ in range({c['reps']}):",
        f"        R = {numpy_expr(c['expr'])}",
        "    print((time.perf_counter() - t0) / %d)" % c["reps"],
    ]
    r = subprocess.run([PY, "-c", "\n".join(lines)], capture_output=True, text=True, env=NP_ENV, check=True)
    return float(r.stdout.strip())


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


def fmt_t(t):
    return f"{t * 1e3:10.3f} ms" if t >= 1e-4 else f"{t * 1e6:10.2f} µs"


def main():
    global PY
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="skip n=2048 and the 4096 memory case")
    ap.add_argument("--only", default="", help="run cases whose label contains this text")
    ap.add_argument("--plot", action="store_true", help="only the pictures of 10^7 points")
    args = ap.parse_args()
    PY = sys.executable
    info = subprocess.run(
        [PY, "-c", "import numpy, threadpoolctl, json; print(numpy.__version__); "
         "print(json.dumps([(i['internal_api'], i.get('architecture'), i.get('version')) for i in threadpoolctl.threadpool_info()]))"],
        capture_output=True, text=True, env=NP_ENV, check=True).stdout.split("\n")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    print(f"CPU: {cpu}, {os.cpu_count()} cores; NumPy {info[0]}; BLAS: {info[1]}")
    print(f"rounds: {args.rounds} (median); ratio = NumPy time / tensorcalc time, > 1 means tensorcalc is faster\n")
    print(f"| {'case':34} | {'tensorcalc':>13} | {'NumPy':>13} | {'ratio':>7} |")
    print(f"| {'-' * 34} | {'-' * 13} | {'-' * 13} | {'-' * 7} |")
    if args.plot:
        plot_cases(args.bin, args.rounds)
        return
    for c in cases(args.quick):
        if args.only and args.only not in c["label"]:
            continue
        tc, npt = [], []
        for _ in range(args.rounds):
            tc.append(run_tc(args.bin, c))
            npt.append(run_np(c))
        a, b = statistics.median(tc), statistics.median(npt)
        print(f"| {c['label']:34} | {fmt_t(a)} | {fmt_t(b)} | {b / a:6.2f}× |", flush=True)
    if args.only:
        return
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
