#!/usr/bin/env python3
"""Soak: resident memory over a long session must stay flat. Runs the binary
on a script of --statements statements (default 10^6), and through a
pseudo-terminal at the prompt for --prompt statements (default 10^5), a mix
of assignments that replace earlier arrays, a user function, loops, branches
and indexing. Every 1000th statement prints a mark; at each mark VmRSS is
read from /proc/PID/status. Prints RSS at the start, after the first 1000
statements, at the end, the maximum, and the growth from statement 1000 to
the end (the issue asks for at most 10%). Exits 1 if it grew more.
Linux only, standard library only.

Usage: scripts/soak.py [--bin target/release/tensorcalc] [--statements N] [--prompt N] [--only script|prompt]
"""
import argparse
import fcntl
import os
import pty
import select
import subprocess
import sys
import tempfile
import time

MIX = [
    "v{a} = rand(20, 20) @ ones(20, 4);",
    "s = sum(twice(v{b}));",
    "for k in arange(5); acc = k * 2 + 1; end",
    "w = v{a}[0:10, 1] + {i};",
    "z = ones(3, 4)' @ ones(3, 2);",
    "if s > 0; p = 1; else; p = 2; end",
    "t = [1, 2, 3] * {i} - mean(w);",
]


def statement(i):
    if i % 1000 == 999:
        # 5 KiB of output, more than the one-page pipe holds: the process
        # waits at each mark until it is read, so the reading is taken there.
        return "mark = ones(900, 1)"
    return MIX[i % len(MIX)].format(a=i % 50, b=(i * 7) % 50, i=i)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def report(kind, n, samples, seconds):
    """samples: (statements done, KiB)."""
    start = samples[0][1]
    at1000 = next(k for s, k in samples if s >= 1000)
    end = samples[-1][1]
    peak = max(k for _, k in samples)
    growth = (end - at1000) / at1000 * 100
    print(
        f"{kind}: {n} statements in {seconds:.1f} s; RSS start {start / 1024:.1f} MiB, "
        f"after 1000 {at1000 / 1024:.1f} MiB, end {end / 1024:.1f} MiB, max {peak / 1024:.1f} MiB; "
        f"growth after 1000: {growth:+.1f}%",
        flush=True,
    )
    return growth


def soak_script(binary, n):
    setup = "twice(x) = 2 * x + 1\nw = ones(10); s = 0;\n" + "".join(
        f"v{a} = ones(20, 4);\n" for a in range(50)
    )
    with tempfile.NamedTemporaryFile("w", suffix=".la", delete=False) as f:
        f.write(setup)
        for i in range(n):
            f.write(statement(i))
            f.write("\n")
        # Time for the last sample before the process exits.
        f.write("for k in arange(3000000); end\n")
        path = f.name
    t0 = time.perf_counter()
    p = subprocess.Popen(
        [binary, "--max-input", "1G", "--max-parse-steps", "1000000000000", path],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, NO_COLOR="1"),
    )
    fcntl.fcntl(p.stdout.fileno(), fcntl.F_SETPIPE_SZ, 4096)
    samples = []
    # The first sample once the process has read and parsed its input: the
    # first mark; before it, what the process holds is still changing.
    time.sleep(0.05)
    samples.append((0, rss_kib(p.pid)))
    marks = 0
    for line in p.stdout:
        if line.startswith(b"mark = "):
            marks += 1
            kib = rss_kib(p.pid)
            if kib:
                samples.append((marks * 1000, kib))
    p.wait()
    os.unlink(path)
    if p.returncode != 0:
        sys.exit(f"the script failed: {p.stderr.read().decode()[:400]}")
    return report("script", n, samples, time.perf_counter() - t0)


def soak_prompt(binary, n):
    home = tempfile.mkdtemp()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(
            HOME=home, TERM="xterm-256color", NO_COLOR="1",
            TENSORCALC_HISTORY=os.path.join(home, "history"),
        )
        os.execv(binary, [binary])
    buf = bytearray()

    def wait_for(needle, timeout=30):
        deadline = time.time() + timeout
        while needle not in buf:
            r, _, _ = select.select([fd], [], [], max(0, deadline - time.time()))
            if not r:
                sys.exit(f"no {needle!r} at the prompt; screen: {bytes(buf[-400:])!r}")
            buf.extend(os.read(fd, 65536))

    def enter(line, needle=b">> "):
        del buf[:]
        os.write(fd, line.encode() + b"\r")
        wait_for(b"\n")
        del buf[: buf.index(b"\n") + 1]
        wait_for(needle)

    wait_for(b">> ")
    t0 = time.perf_counter()
    for line in ["twice(x) = 2 * x + 1", "w = ones(10); s = 0;"] + [
        f"v{a} = ones(20, 4);" for a in range(50)
    ]:
        enter(line)
    samples = [(0, rss_kib(pid))]
    for i in range(n):
        s = statement(i)
        if s.startswith("mark"):
            enter(s)
            samples.append((i + 1, rss_kib(pid)))
        else:
            enter(s)
    os.write(fd, b"\x04")
    os.waitpid(pid, 0)
    return report("prompt", n, samples, time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/tensorcalc")
    ap.add_argument("--statements", type=int, default=1_000_000)
    ap.add_argument("--prompt", type=int, default=100_000)
    ap.add_argument("--only", choices=["script", "prompt"])
    a = ap.parse_args()
    with open("/proc/loadavg") as f:
        print("load average:", f.read().strip())
    worst = []
    if a.only in (None, "script"):
        worst.append(soak_script(a.bin, a.statements))
    if a.only in (None, "prompt"):
        worst.append(soak_prompt(a.bin, a.prompt))
    with open("/proc/loadavg") as f:
        print("load average:", f.read().strip())
    sys.exit(1 if max(worst) > 10 else 0)


if __name__ == "__main__":
    main()
