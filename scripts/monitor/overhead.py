#!/usr/bin/python3
"""Measures the client's overhead on the harness model: wall and CPU seconds per step (steps 5..end, averaged
over ranks) without the monitor, with its defaults (digest_every=10, audit_every=10, heartbeat
5 s) and with the harness settings (1, 1, 0.5 s). Runs are interleaved and repeated; medians.

    /usr/bin/python3 scripts/monitor/overhead.py [--nproc 4] [--steps 200] [--repeats 5]
                                                 [--hidden 64]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CONFIGS = {
    "off": ["--no-monitor"],
    "default": ["--digest-every", "10", "--audit-every", "10", "--heartbeat", "5"],
    "harness": ["--digest-every", "1", "--audit-every", "1", "--heartbeat", "0.5"],
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--nproc", type=int, default=4)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--hidden", type=int, default=64, help="MLP width (harness: 64)")
    a = p.parse_args()
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "clients", "python"))
    results = {k: [] for k in CONFIGS}
    cpu = {k: [] for k in CONFIGS}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.repeats):
            for name, extra in CONFIGS.items():
                tf = os.path.join(tmp, "%s-%d.txt" % (name, i))
                cmd = [sys.executable, "-m", "trainguard.monitor", "launch", "--nproc",
                       str(a.nproc), "--out", os.path.join(tmp, "tele"), "--run", "%s%d" % (name, i),
                       "--", os.path.join(HERE, "train.py"), "--seed", "1", "--steps",
                       str(a.steps), "--hidden", str(a.hidden), "--time-file", tf] + extra
                subprocess.run(cmd, env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL)
                with open(tf) as f:
                    rows = [line.split() for line in f if line.strip()]
                results[name].append(sum(float(r[1]) for r in rows) / len(rows))
                cpu[name].append(sum(float(r[2]) for r in rows) / len(rows))
    for label, table in (("wall", results), ("cpu", cpu)):
        base = statistics.median(table["off"])
        for name, vals in table.items():
            med = statistics.median(vals)
            print("%-4s %-8s median %.3f ms/step  (runs: %s)  overhead %+.1f%%" % (
                label, name, med * 1000, ", ".join("%.3f" % (v * 1000) for v in vals),
                (med / base - 1) * 100))


if __name__ == "__main__":
    main()
