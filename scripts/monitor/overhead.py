#!/usr/bin/python3
"""Measures the client's overhead on the harness model: wall and CPU seconds per step (steps 5..end, averaged
over ranks) without the monitor, with its defaults (digest_every=10, audit_every=10, heartbeat
5 s) and with the harness settings (1, 1, 0.5 s). Runs are interleaved and repeated; medians.

    /usr/bin/python3 scripts/monitor/overhead.py [--nproc 4] [--steps 200] [--repeats 5]
                                                 [--hidden 64] [--in-process [--block 100]]
"""

import argparse
import json
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


def in_process(hidden, repeats, block=100, options=None):
    """One process, one-rank gloo DDP: a plain model and a monitored one (default settings)
    trained in alternating blocks of steps, so both see the same machine noise. Prints the
    median and the minimum over blocks."""
    import socket
    import time

    import torch
    import torch.distributed as dist

    sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
    import trainguard.monitor

    torch.set_num_threads(1)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:%d" % port, rank=0,
                            world_size=1)
    gen = torch.Generator().manual_seed(0)
    data = torch.utils.data.TensorDataset(torch.randn(16384, 32, generator=gen),
                                          torch.randint(0, 10, (16384,), generator=gen))

    def job():
        model = torch.nn.Sequential(torch.nn.Linear(32, hidden), torch.nn.ReLU(),
                                    torch.nn.Linear(hidden, 10))
        loader = torch.utils.data.DataLoader(data, batch_size=128, shuffle=True)
        ddp = torch.nn.parallel.DistributedDataParallel(model)
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
        return ddp, opt, loader

    plain = job()
    watched = job()
    with tempfile.TemporaryDirectory() as tmp:
        mon = trainguard.monitor.start(watched[0], watched[1], seed=0, dataloader=watched[2],
                                       out=tmp, run="overhead", **(options or {}))

        def run(ddp, opt, loader):
            batches = iter(loader)
            t0 = time.process_time()
            for _ in range(block):
                x, y = next(batches)
                opt.zero_grad()
                torch.nn.functional.cross_entropy(ddp(x), y).backward()
                opt.step()
            return (time.process_time() - t0) / block

        run(*plain), run(*watched)
        times = {"off": [], "default": []}
        for i in range(repeats):  # each pair in both orders: neither always runs second
            pair = (("off", plain), ("default", watched))
            for name, job_ in pair if i % 2 == 0 else pair[::-1]:
                times[name].append(run(*job_))
        mon.close()
    dist.destroy_process_group()
    base = statistics.median(times["off"])
    for name, vals in times.items():
        med = statistics.median(vals)
        print("in-process cpu %-8s median %.3f ms/step, min %.3f  overhead %+.3f ms/step, "
              "%+.1f%% (median), %+.1f%% (min)" % (
                  name, med * 1000, min(vals) * 1000, (med - base) * 1000, (med / base - 1) * 100,
                  (min(vals) / min(times["off"]) - 1) * 100))
    # the difference of adjacent blocks cancels the machine's slower drifts (other jobs)
    paired = statistics.median(w - o for o, w in zip(times["off"], times["default"]))
    print("in-process cpu overhead, median of paired blocks: %+.3f ms/step (%+.1f%%)" % (
        paired * 1000, paired / base * 100))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--nproc", type=int, default=4)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--hidden", type=int, default=64, help="MLP width (harness: 64)")
    p.add_argument("--in-process", action="store_true",
                   help="alternate a plain and a monitored model in one process (less noise)")
    p.add_argument("--block", type=int, default=100,
                   help="--in-process: steps per block (plain and monitored blocks alternate)")
    p.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                   help="--in-process: a start() option, e.g. sketch_kind=sparse (repeatable)")
    a = p.parse_args()
    if a.in_process:
        options = {}
        for item in a.option:
            name, _, value = item.partition("=")
            try:
                value = json.loads(value)
            except ValueError:
                pass
            options[name] = value
        return in_process(a.hidden, a.repeats * 4, block=a.block, options=options)
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
