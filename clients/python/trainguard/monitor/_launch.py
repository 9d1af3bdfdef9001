"""A minimal torchrun for one host: starts N ranks, ends the job when one fails or on timeout,
and records how every rank ended in `<out>/<run>.launcher.jsonl` (`exit` records, source
"launcher")."""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

from ._util import dumps

USAGE = (
    "python -m trainguard.monitor launch --nproc N [--out DIR] [--run ID] [--timeout SEC]\n"
    "       [--master-port P] [--grace SEC] -- script.py args..."
)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _signal_name(num):
    try:
        return signal.Signals(num).name
    except ValueError:
        return "SIG%d" % num


def _last_step(path):
    """Last completed step in a rank's telemetry file (None if unknown)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 262144))
            lines = f.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get("type", "step") in ("step", "heartbeat", "exit") and isinstance(
            rec.get("step"), int
        ):
            return rec["step"]
    return None


def launch(nproc, argv, out="telemetry", run=None, timeout=None, master_port=None, grace=3.0,
           kill_grace=5.0, python=None):
    run = run or os.environ.get("TRAINGUARD_RUN") or "run-%s-%s" % (
        time.strftime("%Y%m%dT%H%M%S", time.gmtime()),
        uuid.uuid4().hex[:8],
    )
    os.makedirs(out, exist_ok=True)
    port = master_port or _free_port()
    python = python or sys.executable
    procs = []
    for rank in range(nproc):
        env = dict(os.environ)
        env.update(
            MASTER_ADDR="127.0.0.1",
            MASTER_PORT=str(port),
            RANK=str(rank),
            LOCAL_RANK=str(rank),
            WORLD_SIZE=str(nproc),
            LOCAL_WORLD_SIZE=str(nproc),
            TRAINGUARD_RUN=run,
            TRAINGUARD_OUT=out,
        )
        procs.append(subprocess.Popen([python] + list(argv), env=env))
    log_path = os.path.join(out, "%s.launcher.jsonl" % run)
    reasons = {}  # rank -> reason the launcher ended it
    ended = {}
    first_failure = None
    term_at = None  # when the launcher decided to end the survivors
    kill_at = None
    started = time.monotonic()
    interrupted = []

    def on_signal(signum, frame):
        interrupted.append(signum)

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with open(log_path, "a", encoding="utf-8", buffering=1) as log:
            while len(ended) < nproc:
                now = time.monotonic()
                for rank, proc in enumerate(procs):
                    if rank in ended or proc.poll() is None:
                        continue
                    rc = proc.returncode
                    ended[rank] = rc
                    code, sig = (rc, None) if rc >= 0 else (None, _signal_name(-rc))
                    reason = reasons.get(rank)
                    if reason is None and rc == 0:
                        reason = "completed"
                    rec = {
                        "type": "exit",
                        "run": run,
                        "rank": rank,
                        "time": time.time(),
                        "step": _last_step(os.path.join(out, "%s.rank%d.jsonl" % (run, rank))),
                        "code": code,
                        "signal": sig,
                        "source": "launcher",
                    }
                    if reason is not None:
                        rec["reason"] = reason
                    log.write(dumps(rec) + "\n")
                    log.flush()
                    if rc != 0 and first_failure is None and rank not in reasons:
                        first_failure = rank
                        sys.stderr.write(
                            "trainguard launch: rank %d exited with %s\n"
                            % (rank, code if sig is None else sig)
                        )
                        if term_at is None:
                            term_at = now + grace
                if term_at is None and interrupted:
                    term_at = now
                    for rank in range(nproc):
                        reasons.setdefault(rank, "terminated by launcher (%s)"
                                           % _signal_name(interrupted[0]))
                if term_at is None and timeout is not None and now - started > timeout:
                    term_at = now
                    for rank in range(nproc):
                        reasons.setdefault(rank, "timeout")
                    sys.stderr.write("trainguard launch: timeout after %gs\n" % timeout)
                if term_at is not None and now >= term_at and kill_at is None:
                    kill_at = now + kill_grace
                    for rank, proc in enumerate(procs):
                        if rank not in ended and proc.poll() is None:
                            if first_failure is not None:
                                reasons.setdefault(
                                    rank, "terminated by launcher after rank %d failed"
                                    % first_failure
                                )
                            try:
                                proc.send_signal(signal.SIGTERM)
                            except OSError:
                                pass
                if kill_at is not None and now >= kill_at:
                    for rank, proc in enumerate(procs):
                        if rank not in ended and proc.poll() is None:
                            try:
                                proc.kill()
                            except OSError:
                                pass
                    kill_at = now + 3600
                time.sleep(0.05)
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    failed = [r for r, rc in ended.items() if rc != 0]
    return 0 if not failed else 1


def main(argv):
    if not argv or argv[0] != "launch":
        sys.stderr.write("usage: " + USAGE + "\n")
        return 2
    argv = argv[1:]
    if "--" in argv:
        i = argv.index("--")
        opts, script = argv[:i], argv[i + 1:]
    else:
        opts, script = argv, []
    parser = argparse.ArgumentParser(prog="python -m trainguard.monitor launch", usage=USAGE)
    parser.add_argument("--nproc", type=int, required=True)
    parser.add_argument("--out", default=os.environ.get("TRAINGUARD_OUT") or "telemetry")
    parser.add_argument("--run")
    parser.add_argument("--timeout", type=float)
    parser.add_argument("--master-port", type=int)
    parser.add_argument("--grace", type=float, default=3.0,
                        help="seconds between a rank's failure and SIGTERM to the others")
    args = parser.parse_args(opts)
    if not script or args.nproc < 1:
        parser.error("give --nproc >= 1 and the script after --")
    return launch(args.nproc, script, out=args.out, run=args.run, timeout=args.timeout,
                  master_port=args.master_port, grace=args.grace)
