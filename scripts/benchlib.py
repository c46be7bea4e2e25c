"""What scripts/bench.py and scripts/bench_linalg.py share: timing several
calls in one process on both sides, alternating the two sides round by round,
recording the machine's load, and summarising.

One process on each side builds the inputs, makes one untimed call (the
first call pays for one-time set-up: thread pool, packing buffers, page
faults) and repeats it untimed until WARM seconds have passed (a thread
started by the first call was seen to take 2-4 ms to run for the first time
on these virtual machines; OpenBLAS's threads start when NumPy is imported,
before anything is timed), then times CALLS calls one by one (tensorcalc with tic()/toc(),
NumPy with perf_counter). A call that is too short to time alone is a group
of REPS statements, timed together and divided by REPS, so the interpreter's
cost per statement is counted. Rounds alternate which side goes first, so a
change of load hits both alike. The summary gives the median and the minimum
over every call of every round, and the spread: the slowest process's median
over the fastest's, which shows a call that is slow in one process and not in
the next."""

import json
import os
import statistics
import subprocess
import sys

# OpenBLAS workarounds that may be set on this machine slow a current NumPy:
# drop them for the NumPy side only.
NP_ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}


# Seconds of untimed repetition of the warm-up call, on both sides.
WARM = 0.02


def load1():
    """The 1-minute load average."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def numpy_info():
    """NumPy's version and its BLAS (from threadpoolctl)."""
    out = subprocess.run(
        [sys.executable, "-c", "import numpy, threadpoolctl, json; print(numpy.__version__); "
         "print(json.dumps([(i['internal_api'], i.get('architecture'), i.get('version')) for i in threadpoolctl.threadpool_info()]))"],
        capture_output=True, text=True, env=NP_ENV, check=True).stdout.split("\n")
    return out[0], out[1]


def tc_times(binary, setup, warm, stmt, calls, reps, threads):
    """Per-call seconds of `stmt` in one tensorcalc process."""
    body = "; ".join([stmt] * reps)
    timed = " ".join(f"tic(); {body}; t{i} = toc();" for i in range(calls))
    names = ", ".join(f"t{i}" for i in range(calls))
    prog = f"{setup} {warm}; tic(); while toc() < {WARM}; {warm}; end; {timed} [{names}]"
    env = dict(os.environ, TENSORCALC_THREADS=str(threads))
    r = subprocess.run([binary, "--json", "-e", prog], capture_output=True, text=True, env=env, check=True)
    return [t / reps for t in json.loads(r.stdout.strip().splitlines()[-1])["data"]]


def np_times(setup, warm, stmt, calls, reps, threads):
    """Per-call seconds of `stmt` in one NumPy process (BLAS limited to
    `threads` by threadpoolctl)."""
    prog = "\n".join([
        "import time, json, numpy as np",
        "from threadpoolctl import threadpool_limits",
        setup,
        f"with threadpool_limits({threads}):",
        f"    {warm}",
        "    w0 = time.perf_counter()",
        f"    while time.perf_counter() - w0 < {WARM}:",
        f"        {warm}",
        "    ts = []",
        f"    for _ in range({calls}):",
        "        t0 = time.perf_counter()",
        f"        for _ in range({reps}):",
        f"            {stmt}",
        f"        ts.append((time.perf_counter() - t0) / {reps})",
        "    print(json.dumps(ts))",
    ])
    r = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, env=NP_ENV, check=True)
    return json.loads(r.stdout)


def alternate(rounds, tc, np_):
    """Runs `tc()` and `np_()` (each a list of per-call times from one
    process) `rounds` times, alternating which goes first; returns both
    lists of per-process lists and the load range seen."""
    a, b, loads = [], [], [load1()]
    for r in range(rounds):
        if r % 2 == 0:
            a.append(tc())
            b.append(np_())
        else:
            b.append(np_())
            a.append(tc())
        loads.append(load1())
    return a, b, (min(loads), max(loads))


def summary(per_process):
    """(median, minimum, spread) over every call of every process."""
    every = [t for p in per_process for t in p]
    medians = [statistics.median(p) for p in per_process]
    return statistics.median(every), min(every), max(medians) / min(medians)


def fmt_t(t):
    return f"{t * 1e3:9.3f} ms" if t >= 1e-4 else f"{t * 1e6:9.2f} µs"


HEADER = (f"| {'case':30} | {'tensorcalc med':>14} | {'min':>12} | {'NumPy med':>12} | {'min':>12} "
          f"| {'ratio med':>9} | {'ratio min':>9} | {'spread tc/np':>12} | {'load':>9} |")
RULE = (f"| {'-' * 30} | {'-' * 14} | {'-' * 12} | {'-' * 12} | {'-' * 12} "
        f"| {'-' * 9} | {'-' * 9} | {'-' * 12} | {'-' * 9} |")


def row(label, a, b, loads):
    """One table row: medians, minimums, the ratios NumPy / tensorcalc of
    both, each side's spread between processes, and the load range."""
    am, amin, aspread = summary(a)
    bm, bmin, bspread = summary(b)
    return (f"| {label:30} | {fmt_t(am):>14} | {fmt_t(amin):>12} | {fmt_t(bm):>12} | {fmt_t(bmin):>12} "
            f"| {bm / am:8.2f}× | {bmin / amin:8.2f}× | {aspread:5.2f}/{bspread:4.2f}  | {loads[0]:4.2f}–{loads[1]:4.2f} |")


def preamble(rounds, calls):
    version, blas = numpy_info()
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores; NumPy {version}; BLAS: {blas}")
    print(f"load average at start: {open('/proc/loadavg').read().strip()}")
    print(f"{rounds} alternating rounds, {calls} timed calls per process after a 20 ms warm-up; "
          "median and minimum over all calls")
    print("ratio = NumPy time / tensorcalc time, > 1 means tensorcalc is faster; spread = slowest "
          "process median / fastest; load = 1-minute load average during the case\n")
    print(HEADER)
    print(RULE)
