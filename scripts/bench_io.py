#!/usr/bin/env python3
"""Data in and out against NumPy in the same run (run through `scripts/bench
--io`): load and save of a float64 .npy (1 GB by default), and loadtxt of a
CSV of 10^6 numbers. Rounds alternate tensorcalc and NumPy; times are taken
inside each process (tic/toc, time.perf_counter) around the call alone, peak
memory is the child's max RSS in a process that only loads. Reports medians
and minimums and the load average."""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np


def child_peak(cmd):
    """Max RSS (bytes) of one fresh child running cmd."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(after, before) * 1024


def tc_times(binary, code):
    out = subprocess.run([binary, "--json", "-e", code], check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()
    return json.loads(out[-1])["data"]


def np_times(code):
    out = subprocess.run([sys.executable, "-c", code], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--gb", type=float, default=1.0)
    a = ap.parse_args()
    d = tempfile.mkdtemp(dir=os.environ.get("BENCH_DIR"))
    n = int(a.gb * 1e9 / 8)
    big = os.path.join(d, "big.npy")
    np.save(big, np.random.default_rng(0).standard_normal(n))
    csv = os.path.join(d, "m.csv")
    np.savetxt(csv, np.random.default_rng(1).standard_normal((1000, 1000)), delimiter=",")
    out_tc, out_np = os.path.join(d, "tc.npy"), os.path.join(d, "np.npy")
    tc_code = (f'tic(); A = load("{big}"); t1 = toc(); tic(); save("{out_tc}", A); t2 = toc(); '
               f'tic(); M = loadtxt("{csv}", delimiter=","); t3 = toc(); [t1, t2, t3]')
    np_code = ("import numpy as np, time, json\n"
               f"t = time.perf_counter(); A = np.load({big!r}); t1 = time.perf_counter() - t\n"
               f"t = time.perf_counter(); np.save({out_np!r}, A); t2 = time.perf_counter() - t\n"
               f"t = time.perf_counter(); M = np.loadtxt({csv!r}, delimiter=','); t3 = time.perf_counter() - t\n"
               "print(json.dumps([t1, t2, t3]))")
    tc, nps = [], []
    for _ in range(a.rounds):
        tc.append(tc_times(a.bin, tc_code))
        nps.append(np_times(np_code))
    load_avg = os.getloadavg()
    labels = [f"load {a.gb:g} GB float64 .npy", f"save {a.gb:g} GB float64 .npy",
              "loadtxt 10^6 numbers (1000x1000 CSV)"]
    print(f"rounds {a.rounds}, load average {load_avg[0]:.2f} {load_avg[1]:.2f} {load_avg[2]:.2f}")
    print("| case | tensorcalc median | min | NumPy median | min | ratio (median) | ratio (min) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for i, label in enumerate(labels):
        t = [r[i] for r in tc]
        p = [r[i] for r in nps]
        mt, mp = statistics.median(t), statistics.median(p)
        print(f"| {label} | {mt*1e3:.1f} ms | {min(t)*1e3:.1f} ms | {mp*1e3:.1f} ms | "
              f"{min(p)*1e3:.1f} ms | {mp/mt:.2f}× | {min(p)/min(t):.2f}× |")
    size = n * 8
    peak_tc = child_peak([a.bin, "-e", f'A = load("{big}"); size(A)'])
    peak_np = child_peak([sys.executable, "-c", f"import numpy as np; A = np.load({big!r}); print(A.size)"])
    print(f"peak RSS of a load: tensorcalc {peak_tc/size:.3f}× the array, NumPy {peak_np/size:.3f}×")
    peak_tc = child_peak([a.bin, "-e", f'A = load("{big}"); save("{out_tc}", A)'])
    print(f"peak RSS of load + save: tensorcalc {peak_tc/size:.3f}× the array")
    for f in (big, csv, out_tc, out_np):
        os.remove(f)


if __name__ == "__main__":
    main()
