#!/usr/bin/python3
"""Regenerates the monitor fixtures: runs every harness variant (4 ranks each, through
`python3 -m trainguard.monitor launch`) and writes fixtures/monitor/runs/<variant>/*.jsonl and
fixtures/monitor/expected.json. Needs torch (Debian's /usr/bin/python3 has 1.13).

    /usr/bin/python3 scripts/monitor/record.py [variant ...]     # default: all
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLIENT = os.path.join(ROOT, "clients", "python")
TRAIN = os.path.join(HERE, "train.py")
FIXTURES = os.path.join(ROOT, "fixtures", "monitor")
WORK = os.path.join(tempfile.gettempdir(), "trainguard-monitor-record")
NPROC = 4
STEPS = 50

# Entries of the recording machine's own environment (not part of the harness) are dropped from
# the committed `startup_hooks`; env_digest is left as computed.
HOST_HOOKS = ("_sandboxing_egress_ca.pth",)

SEED_HOOK = '''"""Attacker's sitecustomize: every torch.manual_seed(s) seeds s + 1 instead."""
import torch

_manual_seed = torch.manual_seed


def manual_seed(seed):
    return _manual_seed(int(seed) + 1)


torch.manual_seed = manual_seed
'''


class _Perturb:
    """Pickled in place of a weight tensor: unpickling runs Tensor.add(weight, delta)."""

    def __init__(self, weight, delta):
        self.weight, self.delta = weight, delta

    def __reduce__(self):
        import torch

        return (torch.Tensor.add, (self.weight, self.delta))


def poison_checkpoint(path):
    """Replace a checkpoint by an attacker copy whose pickle perturbs the weights at load time."""
    import torch

    ckpt = torch.load(path, map_location="cpu")
    gen = torch.Generator().manual_seed(99)
    for name in ("0.weight", "2.weight"):
        w = ckpt["model"][name]
        ckpt["model"][name] = _Perturb(w, 0.05 * torch.randn(w.shape, generator=gen))
    buf = io.BytesIO()
    torch.save(ckpt, buf)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def V(kind, description, phases, seed=1, onset=None, rank=None, expect=(), between=None):
    return {
        "kind": kind,
        "description": description,
        "phases": phases,
        "seed": seed,
        "onset_step": onset,
        "rank": rank,
        "expect": list(expect),
        "between": between,
    }


FULL = [[]]
RESTART = [["--stop-after", "29", "--save-at", "29"], ["--resume", "latest"]]

VARIANTS = {
    "control_seed1": V("control", "clean run, seed 1", FULL, seed=1),
    "control_seed2": V("control", "clean run, declared seed 2", FULL, seed=2),
    "control_seed3": V("control", "clean run, declared seed 3", FULL, seed=3),
    "control_seed1_rerun": V(
        "control", "same seed and config as control_seed1: bitwise-identical digests", FULL, seed=1
    ),
    "control_restart": V(
        "control",
        "trains to step 29 and checkpoints, exits; a second launch with the same run id resumes "
        "from the latest checkpoint (step 29) and continues to step 49",
        RESTART,
    ),
    "control_lr_change": V(
        "control",
        "planned lr change 0.1 -> 0.05 from step 20, recorded with mon.change",
        [["--lr-change", "20:0.05"]],
    ),
    "seed_hook": V(
        "sabotage",
        "a sitecustomize.py on PYTHONPATH makes torch.manual_seed(s) seed s+1; the job still "
        "declares seed 1 (all ranks, from the start: rng_digest != rng_expected, init params "
        "differ from control_seed1)",
        [["--sabotage", "seed_hook"]],
        onset=0,
        expect=["seed_provenance"],
    ),
    "optim_one_rank": V(
        "sabotage",
        "SGD.step tampered on rank 2 only from step 15 (update uses 3x lr; param_groups still "
        "show 0.1), as an edited sgd.py on one host",
        [["--sabotage", "optim_one_rank"]],
        onset=15,
        rank=2,
        expect=["replica_divergence", "optimizer_audit"],
    ),
    "optim_all_ranks": V(
        "sabotage",
        "the same SGD.step tamper on all ranks from step 15: param digests stay in agreement, "
        "update_check rel_err jumps",
        [["--sabotage", "optim_all_ranks"]],
        onset=15,
        expect=["optimizer_audit"],
    ),
    "grad_noise": V(
        "sabotage",
        "rank 1 adds Gaussian noise (5x the gradient's RMS) to its gradients before all-reduce "
        "from step 10 (param.register_hook); param digests stay in agreement",
        [["--sabotage", "grad_noise"]],
        onset=10,
        rank=1,
        expect=["gradient_outlier"],
    ),
    "grad_flip": V(
        "sabotage",
        "rank 3 negates its gradients before all-reduce from step 10",
        [["--sabotage", "grad_flip"]],
        onset=10,
        rank=3,
        expect=["gradient_outlier"],
    ),
    "weights_at_load": V(
        "sabotage",
        "phase 1 checkpoints at step 29; the file is replaced by an attacker copy whose pickle "
        "(__reduce__ -> Tensor.add) perturbs both weight matrices when torch.load unpickles it; "
        "phase 2 resumes from it (load digest and post-load param digest differ from the save)",
        RESTART,
        onset=30,
        expect=["checkpoint_chain"],
        between=lambda wd: poison_checkpoint(os.path.join(wd, "ckpt", "step29.pt")),
    ),
    "rank_killed": V(
        "sabotage",
        "rank 2 SIGKILLs itself right after completing step 25 (onset_step = last step it "
        "completed); the launcher ends the others",
        [["--sabotage", "rank_killed"]],
        onset=25,
        rank=2,
        expect=["kill_attribution"],
    ),
    "rank_hung": V(
        "sabotage",
        "rank 1 stops after completing step 20 in an endless time.sleep loop (onset_step = last "
        "step it completed); the others block in all-reduce; heartbeats continue; the launcher's "
        "--timeout ends the run",
        [["--sabotage", "rank_hung"]],
        onset=20,
        rank=1,
        expect=["hang"],
    ),
    "random_sleeps": V(
        "sabotage",
        "rank 0 sleeps 0.2-0.4 s inside optimizer.step with probability 0.3 from step 10",
        [["--sabotage", "random_sleeps"]],
        onset=10,
        rank=0,
        expect=["straggler"],
    ),
    "old_checkpoint_resume": V(
        "sabotage",
        "phase 1 checkpoints at steps 10, 20 and 29; phase 2 resumes from the step-10 checkpoint "
        "although step 29 is the latest (steps 11-29 are logged twice)",
        [["--stop-after", "29", "--save-at", "10,20,29"], ["--resume", "ckpt/step10.pt"]],
        onset=11,
        expect=["checkpoint_chain", "log_rollback"],
    ),
}


def run_id(name):
    return "mon-" + name.replace("_", "-")


def launch(name, spec, wd, args, timeout):
    env = dict(os.environ)
    path = [CLIENT]
    if name == "seed_hook":
        hooks = os.path.join(wd, "hooks")
        os.makedirs(hooks, exist_ok=True)
        with open(os.path.join(hooks, "sitecustomize.py"), "w") as f:
            f.write(SEED_HOOK)
        path.insert(0, hooks)
    env["PYTHONPATH"] = os.pathsep.join(path)
    env.pop("TRAINGUARD_SERVER", None)
    cmd = [
        sys.executable, "-m", "trainguard.monitor", "launch", "--nproc", str(NPROC),
        "--out", "telemetry", "--run", run_id(name), "--timeout", str(timeout), "--",
        TRAIN, "--seed", str(spec["seed"]), "--steps", str(STEPS),
    ] + args
    with open(os.path.join(wd, "launch.log"), "a") as log:
        log.write("$ %s\n" % " ".join(cmd))
        log.flush()
        return subprocess.call(cmd, cwd=wd, env=env, stdout=log, stderr=subprocess.STDOUT)


def clean_line(line):
    rec = json.loads(line)
    if rec.get("type") != "start" or not isinstance(rec.get("startup_hooks"), list):
        return line
    rec["startup_hooks"] = [
        h for h in rec["startup_hooks"] if not any(x in h for x in HOST_HOOKS)
    ]
    return json.dumps(rec, separators=(",", ":"), ensure_ascii=False) + "\n"


def record(name, spec):
    wd = os.path.join(WORK, name)
    shutil.rmtree(wd, ignore_errors=True)
    os.makedirs(wd)
    codes = []
    for i, args in enumerate(spec["phases"]):
        if i and spec["between"]:
            spec["between"](wd)
        timeout = 25 if name == "rank_hung" else 180
        codes.append(launch(name, spec, wd, args, timeout))
    dest = os.path.join(FIXTURES, "runs", name)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    tele = os.path.join(wd, "telemetry")
    for fn in sorted(os.listdir(tele)):
        with open(os.path.join(tele, fn), encoding="utf-8") as src, open(
            os.path.join(dest, fn), "w", encoding="utf-8"
        ) as dst:
            for line in src:
                dst.write(clean_line(line) if line.strip() else line)
    return codes


def write_expected():
    out = {"variants": {}}
    for name, spec in VARIANTS.items():
        out["variants"][name] = {
            "kind": spec["kind"],
            "run": run_id(name),
            "description": spec["description"],
            "seed": spec["seed"],
            "onset_step": spec["onset_step"],
            "rank": spec["rank"],
            "expect": spec["expect"],
        }
    with open(os.path.join(FIXTURES, "expected.json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


def main(argv):
    names = argv or list(VARIANTS)
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        sys.exit("unknown variant(s): %s" % ", ".join(unknown))
    os.makedirs(WORK, exist_ok=True)
    for name in names:
        t0 = time.time()
        codes = record(name, VARIANTS[name])
        print("%-24s launcher exit %s  %.1fs" % (name, codes, time.time() - t0), flush=True)
    write_expected()


if __name__ == "__main__":
    main(sys.argv[1:])
