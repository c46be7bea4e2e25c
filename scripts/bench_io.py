#!/usr/bin/env python3
"""Data in and out against NumPy in the same run (run through `scripts/bench
--io [--rounds N] [--gb G] [--calls K]`): load and save of a float64 .npy
(1 GB by default), and loadtxt of a CSV of 10^6 numbers.

What is timed, and why it is fair to both:
- Each measurement is a fresh process that first does every operation once
  untimed (the first call pays for one-time set-up: page faults of a new heap,
  code paging in), then times K calls of each, in the process (tensorcalc's
  tic()/toc(), NumPy's time.perf_counter) around the call alone.
- Rounds alternate which program runs first (ABBA), so neither always runs
  while the other's writes are still being flushed.
- Before every process the harness removes the previous process's outputs
  and runs sync, so each starts with the same page cache state: the input
  .npy and CSV cached (both read them in the warm-up), none of our dirty data.
- save is timed in two target states, identical for both programs:
  * "new path": the file does not exist. This is the cost of writing the
    data, and the figure the issue's requirement is judged on.
  * "over an existing file": the target holds an earlier save of the same
    size, written out to disk and dropped from the page cache (a file saved
    some time ago). np.save truncates it in place (O_TRUNC at open frees the
    old blocks and pages, then writes); tensorcalc writes a temporary file
    and renames it over the target (rename frees the old file), because a
    save must never leave a half-written file. Both free the old file inside
    the timed window; the atomic write also holds the old and the new data
    at once, so it needs fresh page-cache pages where np.save reuses the ones
    it just freed. This row shows what atomicity costs; it is not judged.
Peak memory is the maximum RSS (/usr/bin/time -v, else getrusage) of a
process that only loads, against the array's bytes. Reports medians and
minimums over the rounds (each round's figure is the median of its K calls)
and the load average before and after."""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import numpy as np


def peak_rss(cmd):
    """Max RSS (bytes) of one fresh child running cmd."""
    if os.access("/usr/bin/time", os.X_OK):
        r = subprocess.run(["/usr/bin/time", "-v", *cmd], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        return int(m.group(1)) * 1024
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) * 1024


def tc_run(binary, code):
    out = subprocess.run([binary, "--json", "-e", code], check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()
    return json.loads(out[-1])["data"]


def np_run(code):
    out = subprocess.run([sys.executable, "-c", code], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def tc_program(big, csv, saves, k, with_reads):
    """tensorcalc: warm-up, then K timed calls of each; the times as a list."""
    lines = [f'A = load("{big}")']
    names = []
    if with_reads:
        lines.append(f'M = loadtxt("{csv}", delimiter=",")')
        for i in range(k):
            lines.append(f'tic(); A = load("{big}"); l{i} = toc()')
            names.append(f"l{i}")
    for i, p in enumerate(saves):
        lines.append(f'tic(); save("{p}", A); s{i} = toc()')
        if i > 0:
            names.append(f"s{i}")
    if with_reads:
        for i in range(k):
            lines.append(f'tic(); M = loadtxt("{csv}", delimiter=","); t{i} = toc()')
            names.append(f"t{i}")
    return "; ".join(lines) + "; [" + ", ".join(names) + "]"


def np_program(big, csv, saves, k, with_reads):
    """NumPy: the same calls in the same order."""
    lines = ["import numpy as np, time, json", f"A = np.load({big!r})", "r = []"]
    clock = "t = time.perf_counter(); {}; dt = time.perf_counter() - t"
    if with_reads:
        lines.append(f"M = np.loadtxt({csv!r}, delimiter=',')")
        for _ in range(k):
            lines += [clock.format(f"A = np.load({big!r})"), "r.append(dt)"]
    for i, p in enumerate(saves):
        lines.append(clock.format(f"np.save({p!r}, A)"))
        if i > 0:
            lines.append("r.append(dt)")
    if with_reads:
        for _ in range(k):
            lines += [clock.format(f"M = np.loadtxt({csv!r}, delimiter=',')"), "r.append(dt)"]
    lines.append("print(json.dumps(r))")
    return "\n".join(lines)


def clear(paths):
    """Removes outputs (their dirty pages are dropped, never written) and
    flushes what is left, outside any timed window."""
    for p in paths:
        if os.path.exists(p):
            os.remove(p)
    os.sync()


def saved_earlier(src, paths):
    """Each path: a copy of src written out to disk and not in the cache."""
    for p in paths:
        shutil.copyfile(src, p)
        fd = os.open(p, os.O_RDONLY)
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--gb", type=float, default=1.0)
    ap.add_argument("--calls", type=int, default=3, help="timed calls of each operation per process")
    a = ap.parse_args()
    k = a.calls
    d = tempfile.mkdtemp(dir=os.environ.get("BENCH_DIR"))
    n = int(a.gb * 1e9 / 8)
    big = os.path.join(d, "big.npy")
    np.save(big, np.random.default_rng(0).standard_normal(n))
    csv = os.path.join(d, "m.csv")
    np.savetxt(csv, np.random.default_rng(1).standard_normal((1000, 1000)), delimiter=",")
    # The first save of each process is its warm-up (to a new path).
    fresh = [os.path.join(d, f"new{i}.npy") for i in range(k + 1)]
    over = [os.path.join(d, "warm.npy")] + [os.path.join(d, f"old{i}.npy") for i in range(k)]
    before = os.getloadavg()
    tc = {"reads": [], "over": []}
    nps = {"reads": [], "over": []}
    for r in range(a.rounds):
        order = [("tc", tc), ("np", nps)]
        if r % 2:
            order.reverse()
        for kind in ("reads", "over"):
            for who, store in order:
                clear(fresh + over)
                saves = fresh
                if kind == "over":
                    saved_earlier(big, over[1:])
                    saves = over
                    os.sync()
                with_reads = kind == "reads"
                if who == "tc":
                    t = tc_run(a.bin, tc_program(big, csv, saves, k, with_reads))
                else:
                    t = np_run(np_program(big, csv, saves, k, with_reads))
                store[kind].append(t)
    clear(fresh + over)
    after = os.getloadavg()

    def column(store, kind, part):
        """Per round, the median of that round's K calls."""
        return [statistics.median(t[part * k:(part + 1) * k]) for t in store[kind]]

    rows = [
        (f"load {a.gb:g} GB float64 .npy", "reads", 0),
        (f"save {a.gb:g} GB float64 .npy, new path", "reads", 1),
        (f"save {a.gb:g} GB float64 .npy, over an existing file", "over", 0),
        ("loadtxt 10^6 numbers (1000x1000 CSV)", "reads", 2),
    ]
    print(f"rounds {a.rounds} ({k} timed calls each per process), load average "
          f"{before[0]:.2f} {before[1]:.2f} {before[2]:.2f} before, "
          f"{after[0]:.2f} {after[1]:.2f} {after[2]:.2f} after")
    print("| case | tensorcalc median | min | NumPy median | min | ratio (median) | ratio (min) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, kind, part in rows:
        t, p = column(tc, kind, part), column(nps, kind, part)
        mt, mp = statistics.median(t), statistics.median(p)
        print(f"| {label} | {mt*1e3:.1f} ms | {min(t)*1e3:.1f} ms | {mp*1e3:.1f} ms | "
              f"{min(p)*1e3:.1f} ms | {mp/mt:.2f}× | {min(p)/min(t):.2f}× |")
    print("(ratio: NumPy time / tensorcalc time; above 1, tensorcalc is faster)")
    size = n * 8
    peak_tc = peak_rss([a.bin, "-e", f'A = load("{big}"); size(A)'])
    peak_np = peak_rss([sys.executable, "-c", f"import numpy as np; A = np.load({big!r}); print(A.size)"])
    print(f"peak RSS of a load: tensorcalc {peak_tc/size:.3f}× the array, NumPy {peak_np/size:.3f}×")
    peak_tc = peak_rss([a.bin, "-e", f'A = load("{big}"); save("{fresh[0]}", A)'])
    peak_np = peak_rss([sys.executable, "-c", f"import numpy as np; A = np.load({big!r}); np.save({fresh[0]!r}, A)"])
    print(f"peak RSS of load + save: tensorcalc {peak_tc/size:.3f}× the array, NumPy {peak_np/size:.3f}×")
    clear(fresh + over + [big, csv])
    os.rmdir(d)


if __name__ == "__main__":
    main()
