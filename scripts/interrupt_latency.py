#!/usr/bin/env python3
"""Ctrl-C latency in a script: for each long computation, start the release
binary, wait until the statement before it has printed, let the long one run
a moment, send SIGINT, and time until the process exits. Checks the exit
status (130) and the one-line message naming the statement; prints the
latencies (median, 90th percentile, maximum) per case. Standard library only.

Usage: scripts/interrupt_latency.py [--bin target/release/tensorcalc] [--runs 10] [--only TEXT]
"""
import argparse
import os
import random
import signal
import statistics
import subprocess
import time

CASES = [
    ("matmul 4000x4000", "A = rand(4000, 4000); 1", "B = A @ A"),
    ("inv 4000x4000", "A = rand(4000, 4000) + 4000 * eye(4000); 1", "B = inv(A)"),
    ("for-loop 10^8", "s = 0; 1", "for i in arange(100000000); s += i; end"),
    ("while-loop", "k = 0; 1", "while true; k += 1; end"),
    ("sort 10^8", "x = rand(100000000); 1", "y = sort(x)"),
    ("einsum 1000x1000", "A = rand(1000, 1000); 1", 'B = einsum("ij,jk->ik", A, A)'),
    ("svd 2000x2000", "A = rand(2000, 2000); 1", "S = svd(A)"),
]


def one(binary, setup, long, rng):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.Popen(
        [binary, "-e", setup, "-e", long],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    # The setup's `1` is printed when it is done and the long one starts.
    p.stdout.readline()
    time.sleep(0.3 + 0.4 * rng.random())
    if p.poll() is not None:
        raise SystemExit(f"{long!r} finished before the interrupt; make it longer")
    sent = time.perf_counter()
    p.send_signal(signal.SIGINT)
    p.wait()
    took = time.perf_counter() - sent
    err = p.stderr.read().decode()
    ok = p.returncode == 130 and err.strip() == f"tensorcalc: interrupted at <arg>:1: {long}"
    return took, ok, p.returncode, err.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/tensorcalc")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    rng = random.Random(15)
    with open("/proc/loadavg") as f:
        print("load average:", f.read().strip())
    print(f"{'case':<18} {'runs':>4} {'median ms':>10} {'p90 ms':>8} {'max ms':>8} {'min ms':>8}  ok")
    for name, setup, long in CASES:
        if a.only not in name:
            continue
        times, bad = [], []
        for _ in range(a.runs):
            took, ok, rc, err = one(a.bin, setup, long, rng)
            times.append(took * 1000)
            if not ok:
                bad.append((rc, err))
        times.sort()
        p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
        print(
            f"{name:<18} {len(times):>4} {statistics.median(times):>10.1f} {p90:>8.1f} "
            f"{times[-1]:>8.1f} {times[0]:>8.1f}  {len(times) - len(bad)}/{len(times)}",
            flush=True,
        )
        for rc, err in bad[:2]:
            print(f"    status {rc}: {err[:200]}")
    with open("/proc/loadavg") as f:
        print("load average:", f.read().strip())


if __name__ == "__main__":
    main()
