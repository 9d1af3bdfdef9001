#!/usr/bin/env python3
"""Sanity checks that the recorded fixtures really carry each variant's signal (stdlib only).

    python3 scripts/monitor/check.py        # prints one line per check, exits 1 on a failure
"""

import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNS = os.path.join(ROOT, "fixtures", "monitor", "runs")
failures = []


def load(variant):
    recs = []
    d = os.path.join(RUNS, variant)
    for fn in sorted(os.listdir(d)):
        with open(os.path.join(d, fn)) as f:
            recs.extend(json.loads(line) for line in f if line.strip())
    return recs


def steps(recs):
    """(rank, step) -> last step record (restarts overwrite earlier ones)."""
    return {(r["rank"], r["step"]): r for r in recs if r.get("type", "step") == "step"}


def check(name, ok, detail=""):
    print("%s %s %s" % ("ok  " if ok else "FAIL", name, detail))
    if not ok:
        failures.append(name)


def digests_by_step(recs):
    out = {}
    for (rank, step), r in steps(recs).items():
        out.setdefault(step, {})[rank] = r.get("param_digest")
    return out


def first_divergent(recs):
    for step, by_rank in sorted(digests_by_step(recs).items()):
        if len(set(by_rank.values())) > 1:
            return step
    return None


def main():
    base = load("control_seed1")
    base_steps = steps(base)
    for v in ("control_seed1", "control_seed2", "control_seed3", "control_seed1_rerun",
              "control_restart", "control_lr_change"):
        recs = load(v)
        check("%s: replicas agree every step" % v, first_divergent(recs) is None)
        s = [r for r in recs if r["type"] == "start"]
        check("%s: rng_digest == rng_expected" % v,
              all(r["rng_digest"] == r["rng_expected"] for r in s))
        errs = [r["update_check"]["rel_err"] for r in recs if "update_check" in r]
        check("%s: update_check clean" % v, max(errs) < 1e-5, "max rel_err %.2g" % max(errs))
    rerun = steps(load("control_seed1_rerun"))
    same = all(rerun[k]["param_digest"] == base_steps[k]["param_digest"]
               and rerun[k]["rng_digest"] == base_steps[k]["rng_digest"]
               and rerun[k]["batch_digest"] == base_steps[k]["batch_digest"] for k in base_steps)
    check("rerun bitwise identical to control_seed1", same and len(rerun) == len(base_steps))
    restart = steps(load("control_restart"))
    check("control_restart matches control_seed1 at every step (incl. after resume)",
          all(restart[k]["param_digest"] == base_steps[k]["param_digest"] for k in base_steps)
          and len(restart) == len(base_steps))
    lrc = steps(load("control_lr_change"))
    check("control_lr_change: lr 0.1 before 20, 0.05 from 20",
          lrc[(0, 19)]["lr"] == 0.1 and lrc[(0, 20)]["lr"] == 0.05)

    seed = load("seed_hook")
    s = [r for r in seed if r["type"] == "start"]
    check("seed_hook: rng_digest['torch'] != rng_expected['torch'] on all ranks",
          all(r["rng_digest"]["torch"] != r["rng_expected"]["torch"] for r in s) and len(s) == 4)
    check("seed_hook: sitecustomize listed in startup_hooks",
          all(any("hooks/sitecustomize.py" in h for h in r["startup_hooks"]) for r in s))
    check("seed_hook: init params differ from control_seed1",
          s[0]["init_param_digest"] != [r for r in base if r["type"] == "start"][0]["init_param_digest"])

    one = load("optim_one_rank")
    check("optim_one_rank: digests diverge first at step 15", first_divergent(one) == 15,
          "first divergent %s" % first_divergent(one))
    st = steps(one)
    check("optim_one_rank: rank 2 rel_err jumps at 15 only on rank 2",
          st[(2, 14)]["update_check"]["rel_err"] < 1e-5 and st[(2, 15)]["update_check"]["rel_err"] > 0.5
          and st[(0, 15)]["update_check"]["rel_err"] < 1e-5)
    allr = load("optim_all_ranks")
    st = steps(allr)
    check("optim_all_ranks: replicas agree", first_divergent(allr) is None)
    check("optim_all_ranks: rel_err jumps from 15 on all ranks",
          all(st[(r, 15)]["update_check"]["rel_err"] > 0.5 and st[(r, 14)]["update_check"]["rel_err"] < 1e-5
              for r in range(4)), "rank0 step15 %.3g" % st[(0, 15)]["update_check"]["rel_err"])

    for v, bad in (("grad_noise", 1), ("grad_flip", 3)):
        recs = load(v)
        st = steps(recs)
        check("%s: replicas agree" % v, first_divergent(recs) is None)
        ratio = []
        cos = []
        for step in range(10, 50):
            norms = [st[(r, step)]["local_grad_norm"] for r in range(4)]
            med = sorted(norms)[1:3]
            ratio.append(math.log(norms[bad] / (sum(med) / 2)))
            sk = [st[(r, step)]["grad_sketch"] for r in range(4)]
            others = [sum(sk[r][i] for r in range(4) if r != bad) for i in range(32)]
            dot = sum(a * b for a, b in zip(sk[bad], others))
            na = math.sqrt(sum(a * a for a in sk[bad])) * math.sqrt(sum(b * b for b in others))
            cos.append(dot / na)
        pre = [math.log(st[(bad, s)]["local_grad_norm"] /
                        sorted(st[(r, s)]["local_grad_norm"] for r in range(4))[1]) for s in range(10)]
        check("%s: rank %d log(norm/median) from step 10 / before" % (v, bad), True,
              "mean %.2f / %.2f; LOO cosine mean %.2f" % (sum(ratio) / len(ratio),
                                                          sum(pre) / len(pre), sum(cos) / len(cos)))
        if v == "grad_noise":
            check("grad_noise: rank 1 norm far above", sum(ratio) / len(ratio) > 1.0)
        else:
            check("grad_flip: rank 3 leave-one-out cosine < 0", sum(cos) / len(cos) < 0)

    w = load("weights_at_load")
    ck = [r for r in w if r["type"] == "checkpoint" and r["rank"] == 0]
    save = [r for r in ck if r["action"] == "save"][0]
    loadr = [r for r in ck if r["action"] == "load"][0]
    check("weights_at_load: file digest changed between save and load", save["digest"] != loadr["digest"])
    check("weights_at_load: post-load param digest != saved", save["param_digest"] != loadr["param_digest"])

    o = load("old_checkpoint_resume")
    ck = [r for r in o if r["type"] == "checkpoint" and r["rank"] == 0]
    check("old_checkpoint_resume: saves 10,20,29 then load 10",
          [(r["action"], r["step"]) for r in ck] == [("save", 10), ("save", 20), ("save", 29), ("load", 10)])
    r0 = [r["step"] for r in o if r.get("type") == "step" and r["rank"] == 0]
    check("old_checkpoint_resume: step regression 29 -> 11 in rank 0's log",
          any(a == 29 and b == 11 for a, b in zip(r0, r0[1:])))

    for v in ("rank_killed", "rank_hung"):
        ex = [r for r in load(v) if r["type"] == "exit"]
        for r in sorted(ex, key=lambda r: (r["source"], r["rank"])):
            print("     %s: rank %d %s step=%s code=%s signal=%s reason=%s" % (
                v, r["rank"], r["source"], r.get("step"), r.get("code"), r.get("signal"),
                r.get("reason")))
    k = [r for r in load("rank_killed") if r["type"] == "exit" and r["source"] == "launcher"]
    check("rank_killed: launcher saw rank 2 SIGKILL at step 25",
          any(r["rank"] == 2 and r["signal"] == "SIGKILL" and r["step"] == 25 for r in k))
    h = load("rank_hung")
    hb = [r for r in h if r["type"] == "heartbeat" and r["rank"] == 1 and r["step"] == 20]
    check("rank_hung: rank 1 heartbeats at step 20 with a sleep frame",
          len(hb) >= 3 and any("sabotage:_stall" in hb[-1]["stack"][-1] for _ in [0]),
          "%d heartbeats; last stack tail %s" % (len(hb), hb[-1]["stack"][-2:] if hb else None))
    k = [r for r in h if r["type"] == "exit" and r["source"] == "launcher"]
    check("rank_hung: launcher timeout for all ranks", len(k) == 4 and all(r.get("reason") == "timeout" for r in k))

    rs = steps(load("random_sleeps"))
    t0 = [rs[(0, s)]["step_time"] for s in range(10, 50)]
    w1 = [rs[(1, s)]["wait_time"] for s in range(10, 50)]
    slow = sum(1 for t in t0 if t > 0.15)
    check("random_sleeps: rank 0 slow steps from 10", slow >= 5,
          "%d slow steps; rank1 mean wait %.3f" % (slow, sum(w1) / len(w1)))

    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
