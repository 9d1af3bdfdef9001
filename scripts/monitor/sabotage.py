"""The harness's attacks (scripts/monitor/README.md). Each is installed in the rank it targets
before training starts and acts from its onset step; the training script only sets STATE["step"].
Private generators keep the global RNG streams untouched, as a careful attacker would."""

import os
import random
import signal
import time

import torch

STATE = {"step": 0}

OPTIM_ONSET = 15
GRAD_ONSET = 10
SLEEP_ONSET = 10
KILL_STEP = 25
HANG_STEP = 20


def _tamper_sgd():
    """What an edited torch/optim/sgd.py would do: from the onset step the update uses 3x the
    learning rate, while param_groups still show the declared value."""
    original = torch.optim.SGD.step

    def step(self, closure=None):
        if STATE["step"] < OPTIM_ONSET:
            return original(self, closure)
        saved = [g["lr"] for g in self.param_groups]
        for g in self.param_groups:
            g["lr"] = g["lr"] * 3.0
        try:
            return original(self, closure)
        finally:
            for g, lr in zip(self.param_groups, saved):
                g["lr"] = lr

    torch.optim.SGD.step = step


def _sleepy_sgd():
    original = torch.optim.SGD.step
    coin = random.Random(4242)

    def step(self, closure=None):
        if STATE["step"] >= SLEEP_ONSET and coin.random() < 0.3:
            time.sleep(coin.uniform(0.2, 0.4))
        return original(self, closure)

    torch.optim.SGD.step = step


def _grad_hooks(model, transform):
    for p in model.parameters():
        p.register_hook(lambda g: transform(g) if STATE["step"] >= GRAD_ONSET else g)


def install(name, rank, model):
    if name == "optim_one_rank" and rank == 2 or name == "optim_all_ranks":
        _tamper_sgd()
    elif name == "grad_noise" and rank == 1:
        gen = torch.Generator().manual_seed(777)

        def noisy(g):
            rms = g.pow(2).mean().sqrt()
            return g + 5.0 * rms * torch.randn(g.shape, generator=gen)

        _grad_hooks(model, noisy)
    elif name == "grad_flip" and rank == 3:
        _grad_hooks(model, lambda g: -g)
    elif name == "random_sleeps" and rank == 0:
        _sleepy_sgd()


def _stall():
    while True:
        time.sleep(1.0)


def after_step(name, rank, step):
    if name == "rank_killed" and rank == 2 and step == KILL_STEP:
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "rank_hung" and rank == 1 and step == HANG_STEP:
        _stall()
