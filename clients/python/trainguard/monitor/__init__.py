"""trainguard.monitor: training telemetry for trainguard's detectors (docs/monitor.md).

    import trainguard.monitor
    torch.manual_seed(SEED); numpy.random.seed(SEED); random.seed(SEED)
    trainguard.monitor.seeded()          # only if the model is built between seeding and start()
    mon = trainguard.monitor.start(model, optimizer, seed=SEED, config=CFG, dataloader=loader,
                                   lr_schedule={"kind": "constant", "lr": 0.1}, out="telemetry/")
    ...                                  # train as usual: every optimizer.step() writes a record
    mon.close()

Call start() (or seeded()) right after seeding, before anything consumes the RNG: the `start`
record compares the RNG states then with the states recomputed from `seed`. Standard library
only; torch (1.13 or 2.x) is imported by start(). `python -m trainguard.monitor launch` starts the
ranks of a data-parallel job (torchrun's role) and records how each one ended.
"""

from ._core import Monitor, seeded

__all__ = ["Monitor", "seeded", "start"]


def start(model, optimizer, **options):
    """Start monitoring `optimizer` training `model` (a module or a DistributedDataParallel).

    out: directory; each rank appends to `<out>/<run>.rank<r>.jsonl` (default $TRAINGUARD_OUT).
    server: trainguard server URL (default $TRAINGUARD_SERVER; token $TRAINGUARD_TOKEN); records
      are POSTed in the background to `<server>/v1/telemetry`, never blocking training.
    run: run id, shared by all ranks and restarts (default $TRAINGUARD_RUN, else generated).
    Other keyword options (Monitor's parameters): seed, config (dict), dataloader (its batch
      indices are digested), lr_schedule (the declared schedule, docs/monitor.md), token,
      digest_every (10), audit_every (10; 0 = never), heartbeat_interval (5 s; 0 = none),
      sketch_dim (32; 0 = no sketch), sketch_seed,
      sketch_kind ("dense" N(0,1)/sqrt(k) matrix up to 2**14 values, else "sparse"), capture_loss
      (True), handle_signals (True), background_writer (None: a writer thread when the model is
      on an accelerator; see _sink.py).
    """
    return Monitor(model, optimizer, **options)
