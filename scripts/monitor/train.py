"""Data-parallel CPU training for the monitor harness: 4 ranks (gloo, DDP), a tiny MLP on a fixed
synthetic dataset, deterministic. Started by `python3 -m trainguard.monitor launch`; see
scripts/monitor/README.md. `--sabotage NAME` turns on one of the attacks in sabotage.py."""

import argparse
import glob
import os
import random
import re
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sabotage  # noqa: E402

import trainguard.monitor  # noqa: E402

DATA_SEED = 1234
N_SAMPLES = 16384


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--steps", type=int, default=50, help="total steps of the run")
    p.add_argument("--stop-after", type=int, help="end this launch after this step (phase 1)")
    p.add_argument("--save-at", default="", help="comma-separated steps to checkpoint after")
    p.add_argument("--ckpt-dir", default="ckpt")
    p.add_argument("--resume", help="checkpoint path, or 'latest'")
    p.add_argument("--lr-change", help="STEP:LR, a planned change recorded with mon.change")
    p.add_argument("--sabotage", default="")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--hidden", type=int, default=64, help="hidden width (overhead runs)")
    p.add_argument("--digest-every", type=int, default=1)
    p.add_argument("--audit-every", type=int, default=1)
    p.add_argument("--heartbeat", type=float, default=0.5)
    p.add_argument("--no-monitor", action="store_true", help="overhead baseline")
    p.add_argument("--time-file", help="append 'rank seconds-per-step' here (overhead runs)")
    return p.parse_args()


def dataset():
    g = torch.Generator().manual_seed(DATA_SEED)
    x = torch.randn(N_SAMPLES, 32, generator=g)
    teacher = torch.randn(32, 10, generator=g)
    y = (x @ teacher + 0.5 * torch.randn(N_SAMPLES, 10, generator=g)).argmax(dim=1)
    return TensorDataset(x, y)


def latest_checkpoint(directory):
    found = []
    for path in glob.glob(os.path.join(directory, "step*.pt")):
        m = re.search(r"step(\d+)\.pt$", path)
        if m:
            found.append((int(m.group(1)), path))
    return max(found)[1] if found else None


def main():
    args = parse_args()
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)
    if not args.no_monitor:
        trainguard.monitor.seeded()  # the model below consumes the RNG before start()

    data = dataset()
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(data, batch_size=args.batch_size, sampler=sampler, drop_last=True)
    h = args.hidden
    model = torch.nn.Sequential(torch.nn.Linear(32, h), torch.nn.ReLU(), torch.nn.Linear(h, 10))
    sabotage.install(args.sabotage, rank, model)
    ddp = DistributedDataParallel(model)
    # DDP rebuilds its gradient buckets after the first backward, and the bucket layout changes
    # the all-reduce's summation order. One warm-up pass (no optimizer step, no RNG use) gives
    # every launch, fresh or resumed, the same layout: restarts stay bitwise identical.
    ddp(torch.zeros(1, 32)).sum().backward()
    model.zero_grad(set_to_none=True)
    lr, momentum, wd = 0.1, 0.9, 1e-4
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=wd)
    config = {
        "model": "mlp-32-%d-10" % h,
        "optimizer": "sgd",
        "lr": lr,
        "momentum": momentum,
        "weight_decay": wd,
        "batch_size": args.batch_size,
        "steps": args.steps,
        "data_seed": DATA_SEED,
        "samples": N_SAMPLES,
        "world_size": world,
    }
    mon = None
    if not args.no_monitor:
        mon = trainguard.monitor.start(
            ddp,
            opt,
            seed=args.seed,
            config=config,
            dataloader=loader,
            lr_schedule={"kind": "constant", "lr": lr},
            digest_every=args.digest_every,
            audit_every=args.audit_every,
            heartbeat_interval=args.heartbeat,
        )

    step = 0
    rng_restore = None
    if args.resume:
        path = latest_checkpoint(args.ckpt_dir) if args.resume == "latest" else args.resume
        ckpt = torch.load(path, map_location="cpu", weights_only=False)
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        rng_restore = ckpt["rng"]
        if mon is not None:
            mon.checkpoint_loaded(path, ckpt["step"])
        step = ckpt["step"] + 1
    save_at = {int(s) for s in args.save_at.split(",") if s}
    change_step, change_lr = None, None
    if args.lr_change:
        s, v = args.lr_change.split(":")
        change_step, change_lr = int(s), float(v)
    last = args.steps - 1 if args.stop_after is None else min(args.stop_after, args.steps - 1)

    per_epoch = len(loader)
    epoch, skip = divmod(step, per_epoch)
    t_first = None
    while step <= last:
        sampler.set_epoch(epoch)
        batches = iter(loader)
        for _ in range(skip):
            next(batches)
        skip = 0
        if rng_restore is not None:  # after iter(): it draws the loader's base seed
            torch.set_rng_state(rng_restore["torch"])
            np.random.set_state(rng_restore["numpy"])
            random.setstate(rng_restore["python"])
            rng_restore = None
        for x, y in batches:
            if step > last:
                break
            if step == 5 and t_first is None:
                t_first = time.perf_counter()
                c_first = time.process_time()
            if change_step is not None and step == change_step:
                for group in opt.param_groups:
                    group["lr"] = change_lr
                if mon is not None:
                    mon.change(change_step, {"lr": change_lr}, reason="planned decay")
            sabotage.STATE["step"] = step
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(ddp(x), y)
            loss.backward()
            opt.step()
            if step in save_at and rank == 0:
                os.makedirs(args.ckpt_dir, exist_ok=True)
                path = os.path.join(args.ckpt_dir, "step%d.pt" % step)
                torch.save(
                    {
                        "model": model.state_dict(),
                        "optimizer": opt.state_dict(),
                        "step": step,
                        "rng": {
                            "torch": torch.get_rng_state(),
                            "numpy": np.random.get_state(),
                            "python": random.getstate(),
                        },
                    },
                    path,
                )
                if mon is not None:
                    mon.checkpoint_saved(path, step)
            sabotage.after_step(args.sabotage, rank, step)
            step += 1
        epoch += 1
    if args.time_file and t_first is not None:
        n = max(1, last - 4)
        with open(args.time_file, "a") as f:  # rank, wall and CPU seconds per step
            f.write("%d %.6f %.6f\n" % (rank, (time.perf_counter() - t_first) / n,
                                        (time.process_time() - c_first) / n))
    if mon is not None:
        mon.close()
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
