"""The in-process monitor: wraps one optimizer (and DDP's gradient communication, the dataloader's
sampler and Tensor.backward) and writes the records of docs/monitor.md."""

import atexit
import collections
import getpass
import math
import os
import signal
import socket
import sys
import threading
import time
import uuid

from . import _util
from ._sink import Sink

SKETCH_DIM = 32
# Up to this many matrix values (4 MB) the projection is dense; beyond, reading a matrix 32x the
# model's size every step costs more than the step: the sparse projection takes over.
DENSE_SKETCH_FLOATS = 1 << 20
_seeded_snapshot = None
_active = []  # monitors whose loss capture is on
_backward_lock = threading.Lock()
_orig_backward = None


def seeded():
    """Snapshot the RNG states now. Call it right after seeding when the model is built (which
    consumes the RNG) between seeding and start(); start() then reports this snapshot."""
    global _seeded_snapshot
    _seeded_snapshot = _util.rng_digest()
    return _seeded_snapshot


def _warn(message):
    try:
        sys.stderr.write("trainguard.monitor: %s\n" % (message,))
    except Exception:
        pass


def _install_backward_capture(torch):
    global _orig_backward
    with _backward_lock:
        if _orig_backward is not None:
            return
        orig = torch.Tensor.backward

        def backward(self, *args, **kwargs):
            if _active:
                try:
                    if self.numel() == 1:
                        value = float(self.detach().reshape(()).item())
                        for mon in list(_active):
                            mon._captured_loss = value
                except Exception:
                    pass
            return orig(self, *args, **kwargs)

        backward.__wrapped__ = orig
        torch.Tensor.backward = backward
        _orig_backward = orig


def _remove_backward_capture(torch):
    global _orig_backward
    with _backward_lock:
        if _orig_backward is not None and not _active:
            torch.Tensor.backward = _orig_backward
            _orig_backward = None


class Monitor:
    """Created by trainguard.monitor.start(); see its documentation."""

    def __init__(
        self,
        model,
        optimizer,
        seed=None,
        config=None,
        dataloader=None,
        lr_schedule=None,
        out=None,
        server=None,
        run=None,
        token=None,
        digest_every=10,
        audit_every=10,
        heartbeat_interval=5.0,
        sketch_dim=SKETCH_DIM,
        sketch_seed=None,
        sketch_kind=None,
        capture_loss=True,
        handle_signals=True,
    ):
        import torch

        self._torch = torch
        self._lock = threading.Lock()
        self._closed = False
        self.model = model
        self.optimizer = optimizer
        self.seed = seed
        self.config = config if config is not None else {}
        self.digest_every = max(1, int(digest_every))
        self.audit_every = max(0, int(audit_every))
        self.sketch_dim = int(sketch_dim)
        numel = sum(p.numel() for p in model.parameters())
        if sketch_kind is None:
            sketch_kind = "dense" if self.sketch_dim * numel <= DENSE_SKETCH_FLOATS else "sparse"
        if sketch_kind not in ("dense", "sparse"):
            raise ValueError('sketch_kind must be "dense" or "sparse"')
        self.sketch_kind = sketch_kind
        self.dist = None
        self.rank, self.world_size = 0, 1
        try:
            import torch.distributed as dist

            if dist.is_available() and dist.is_initialized():
                self.dist = dist
                self.rank, self.world_size = dist.get_rank(), dist.get_world_size()
        except Exception:
            pass
        if self.dist is None:
            self.rank = int(os.environ.get("RANK", "0") or 0)
            self.world_size = int(os.environ.get("WORLD_SIZE", "1") or 1)
        self.run = run or os.environ.get("TRAINGUARD_RUN") or self._shared_run_id()
        self.config_digest = _util.config_digest(self.config)
        if sketch_seed is None:
            sketch_seed = int(self.config_digest[:8], 16) ^ (int(seed or 0) & 0xFFFFFFFF)
        self.sketch_seed = int(sketch_seed)
        out = out if out is not None else os.environ.get("TRAINGUARD_OUT")
        server = server if server is not None else os.environ.get("TRAINGUARD_SERVER")
        token = token if token is not None else os.environ.get("TRAINGUARD_TOKEN")
        path = os.path.join(out, "%s.rank%d.jsonl" % (self.run, self.rank)) if out else None
        self.path = path
        self._sink = Sink(path, server or None, token)

        self.params = [p for p in model.parameters()]
        self._param_index = {id(p): i for i, p in enumerate(self.params)}
        self._sketch_rows = {}
        self.next_step = 0  # next step to complete
        self.last_step = None
        self._captured_loss = None
        self._loss_override = None
        self._phase = "init"
        self._local_sq = 0.0
        self._local_sketch = None
        self._wait = 0.0
        self._hooked = False
        self._batches = collections.deque()
        self._loader = None
        self._sampler_restore = None
        self._train_thread = threading.get_ident()

        hooks = _util.startup_hooks()
        global _seeded_snapshot
        snapshot = _seeded_snapshot if _seeded_snapshot is not None else _util.rng_digest()
        _seeded_snapshot = None
        start = {
            "type": "start",
            "world_size": self.world_size,
            "seed": seed,
            "config": self.config,
            "config_digest": self.config_digest,
            "env_digest": _util.env_digest(hooks),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "user": _user(),
            "sketch_seed": self.sketch_seed,
            "sketch_dim": self.sketch_dim,
            "sketch_kind": self.sketch_kind,
            "digest_every": self.digest_every,
            "audit_every": self.audit_every,
            "rng_digest": snapshot,
            "rng_expected": _util.rng_expected(seed),
            "init_param_digest": _util.param_digest(self.params),
            "lr_schedule": lr_schedule,
            "hparams": _util.numeric_hparams(optimizer.param_groups[0], drop=("params", "lr")),
            "startup_hooks": hooks,
        }
        self._write(start)

        self._wrap_optimizer()
        self._register_comm_hook()
        if dataloader is not None:
            self._wrap_loader(dataloader)
        if capture_loss:
            _active.append(self)
            _install_backward_capture(torch)
        self._t_prev = time.perf_counter()
        self._phase = "train"

        self._hb_stop = threading.Event()
        self._hb_thread = None
        if heartbeat_interval and heartbeat_interval > 0:
            self._hb_thread = threading.Thread(
                target=self._heartbeat_loop,
                args=(float(heartbeat_interval),),
                name="trainguard-monitor-heartbeat",
                daemon=True,
            )
            self._hb_thread.start()
        atexit.register(self._atexit)
        self._prev_excepthook = sys.excepthook
        sys.excepthook = self._excepthook
        self._sigterm_handler = None
        if handle_signals:
            self._install_sigterm()

    # --- records ------------------------------------------------------------------------------

    def _write(self, record):
        full = {"type": record.pop("type"), "run": self.run, "rank": self.rank, "time": time.time()}
        full.update(record)
        self._sink.write(full)

    def _shared_run_id(self):
        run = "run-%s-%s" % (time.strftime("%Y%m%dT%H%M%S", time.gmtime()), uuid.uuid4().hex[:8])
        if self.dist is not None and self.world_size > 1:
            try:
                box = [run]
                self.dist.broadcast_object_list(box, src=0)
                run = box[0]
            except Exception:
                pass
        return run

    # --- gradients ----------------------------------------------------------------------------

    def _rows(self, index, numel):
        """Projection of parameter `index` (`numel` values), generated from sketch_seed and the
        parameter's position only, so every rank (and every bucket layout) agrees. "dense": a
        (k, numel) matrix of N(0,1)/sqrt(k). "sparse": each coordinate goes to one of the k
        outputs (uniform) with an N(0,1) weight: O(numel) time and 12 bytes per value."""
        key = (index, numel)
        rows = self._sketch_rows.get(key)
        if rows is None:
            torch = self._torch
            gen = torch.Generator().manual_seed((self.sketch_seed * 1000003 + index) % (1 << 62))
            k = self.sketch_dim
            if self.sketch_kind == "dense":
                rows = torch.randn(k, numel, generator=gen) / math.sqrt(k)
            else:
                rows = (torch.randint(0, k, (numel,), generator=gen),
                        torch.randn(numel, generator=gen))
            self._sketch_rows[key] = rows
        return rows

    def _bucket_rows(self, params, device):
        key = ("bucket", str(device)) + tuple(id(p) for p in params)
        rows = self._sketch_rows.get(key)
        if rows is None:
            torch = self._torch
            parts = [self._rows(self._param_index.get(id(p), -1), p.numel()) for p in params]
            if self.sketch_kind == "dense":
                rows = torch.cat(parts, dim=1).to(device)
            else:
                rows = (torch.cat([h for h, _ in parts]).to(device),
                        torch.cat([w for _, w in parts]).to(device))
            self._sketch_rows[key] = rows
        return rows

    def _project(self, params, flat):
        """Sketch of the gradient values `flat` of `params`, on their device (no copy to the
        host but the k results)."""
        torch = self._torch
        flat = flat.detach().reshape(-1).to(torch.float32)
        rows = self._bucket_rows(params, flat.device)
        if self.sketch_kind == "dense":
            return rows.matmul(flat).cpu()
        index, weight = rows
        out = torch.zeros(self.sketch_dim, device=flat.device).index_add_(0, index, flat * weight)
        return out.cpu()

    def _comm_hook(self, state, bucket):
        buf = bucket.buffer() if hasattr(bucket, "buffer") else bucket.get_tensor()
        try:
            params = bucket.parameters() if hasattr(bucket, "parameters") else None
            sq = float(buf.detach().norm()) ** 2
            sk = None
            if (self.sketch_dim and params is not None
                    and sum(p.numel() for p in params) == buf.numel()):
                sk = self._project(params, buf)
            with self._lock:
                self._local_sq += sq
                if sk is not None:
                    self._local_sketch = sk if self._local_sketch is None else self._local_sketch + sk
        except Exception as e:  # never break training
            self._hook_error(e)
        dist = self.dist
        ws = dist.get_world_size()
        buf.div_(ws)
        t0 = time.perf_counter()
        fut = dist.all_reduce(buf, async_op=True).get_future()

        def done(f):
            with self._lock:
                self._wait += time.perf_counter() - t0
            return f.value()[0]

        return fut.then(done)

    def _hook_error(self, e):
        if not getattr(self, "_hook_warned", False):
            self._hook_warned = True
            _warn("gradient statistics failed: %r" % (e,))

    def _register_comm_hook(self):
        register = getattr(self.model, "register_comm_hook", None)
        if register is None or self.dist is None:
            return
        try:
            register(None, self._comm_hook)
            self._hooked = True
        except Exception as e:  # a hook is already registered: no pre-reduce statistics
            _warn("cannot register the DDP communication hook (%r): local_grad_norm and "
                  "grad_sketch are not reported" % (e,))

    # --- dataloader ---------------------------------------------------------------------------

    def _wrap_loader(self, loader):
        attr = "batch_sampler" if getattr(loader, "batch_sampler", None) is not None else "sampler"
        sampler = getattr(loader, attr, None)
        if sampler is None:
            return
        base = type(sampler)
        mon = self
        single = attr == "sampler"

        def __iter__(self):
            for item in base.__iter__(self):
                mon._batch_fetched([item] if single else item)
                yield item

        try:
            sampler.__class__ = type(base.__name__, (base,), {"__iter__": __iter__})
        except TypeError as e:
            _warn("cannot record batch indices (%r)" % (e,))
            return
        self._loader = loader
        self._sampler_restore = (sampler, base)

    def _batch_fetched(self, indices):
        try:
            digest = _util.indices_digest([int(i) for i in indices])
        except (TypeError, ValueError):
            return
        with self._lock:
            if getattr(self._loader, "num_workers", 0) == 0:
                self._batches.clear()
            self._batches.append(digest)

    # --- optimizer ----------------------------------------------------------------------------

    def _wrap_optimizer(self):
        orig = self.optimizer.step
        mon = self

        def step(*args, **kwargs):
            if mon._closed:
                return orig(*args, **kwargs)
            pre = None
            try:
                pre = mon._before_step()
            except Exception as e:
                mon._hook_error(e)
            result = orig(*args, **kwargs)
            try:
                mon._after_step(pre)
            except Exception as e:
                mon._hook_error(e)
            return result

        step.__wrapped__ = orig
        self._orig_step = orig
        self._step_wrapper = step
        self.optimizer.step = step

    def _grad_params(self):
        return [p for p in self.params if p.grad is not None]

    def _before_step(self):
        torch = self._torch
        self._phase = "optimizer"
        pre = {"lr": self.optimizer.param_groups[0].get("lr")}
        params = self._grad_params()
        if not self._hooked and params:
            flat = torch.cat([p.grad.detach().reshape(-1) for p in params])
            pre["grad_norm"] = float(flat.norm())
            pre["local_grad_norm"] = pre["grad_norm"]
            if self.sketch_dim:
                pre["sketch"] = self._project(params, flat)
        elif params:
            pre["grad_norm"] = float(torch.stack([p.grad.detach().norm() for p in params]).norm())
        else:
            pre["grad_norm"] = 0.0
        if self.audit_every and self.next_step % self.audit_every == 0:
            pre["audit"] = self._snapshot()
        return pre

    def _snapshot(self):
        groups = []
        for group in self.optimizer.param_groups:
            items = []
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.optimizer.state.get(p, {})
                items.append(
                    (
                        p,
                        p.detach().clone(),
                        p.grad.detach().clone(),
                        {
                            k: (v.detach().clone() if hasattr(v, "detach") else v)
                            for k, v in state.items()
                        },
                    )
                )
            groups.append(({k: v for k, v in group.items() if k != "params"}, items))
        return groups

    def _after_step(self, pre):
        pre = pre or {}
        torch = self._torch
        now = time.perf_counter()
        with self._lock:
            local_sq, local_sketch, wait = self._local_sq, self._local_sketch, self._wait
            self._local_sq, self._local_sketch, self._wait = 0.0, None, 0.0
            batch = self._batches.popleft() if self._batches else None
        step = self.next_step
        loss = self._loss_override if self._loss_override is not None else self._captured_loss
        self._loss_override = self._captured_loss = None
        rec = {"type": "step", "world_size": self.world_size, "step": step}
        if loss is not None:
            rec["loss"] = loss
        if pre.get("lr") is not None:
            rec["lr"] = float(pre["lr"])
        if "grad_norm" in pre:
            rec["grad_norm"] = pre["grad_norm"]
        if self._hooked:
            rec["local_grad_norm"] = math.sqrt(local_sq)
            sketch = local_sketch
            rec["wait_time"] = wait
        else:
            if "local_grad_norm" in pre:
                rec["local_grad_norm"] = pre["local_grad_norm"]
            sketch = pre.get("sketch")
        if sketch is not None:
            rec["grad_sketch"] = [float("%.6g" % v) for v in sketch.tolist()]
        if step % self.digest_every == 0:
            rec["param_digest"] = _util.param_digest(self.params)
            rec["rng_digest"] = _util.rng_digest()
        if batch is not None:
            rec["batch_digest"] = batch
        rec["config_digest"] = self.config_digest
        rec["step_time"] = now - self._t_prev
        rec["optimizer"] = _util.numeric_hparams(self.optimizer.param_groups[0])
        if pre.get("audit") is not None:
            err = self._audit(pre["audit"], torch)
            if err is not None:
                rec["update_check"] = {"rel_err": err}
        self._write(rec)
        self.last_step = step
        self.next_step = step + 1
        self._phase = "train"
        self._t_prev = time.perf_counter()

    def _audit(self, groups, torch):
        kind = None
        optim = torch.optim
        if isinstance(self.optimizer, optim.SGD):
            kind = "sgd"
        elif isinstance(self.optimizer, optim.AdamW):
            kind = "adamw"
        elif isinstance(self.optimizer, optim.Adam):
            kind = "adam"
        if kind is None:
            return None
        num = 0.0
        den = 0.0
        for hp, items in groups:
            if kind != "sgd" and hp.get("amsgrad"):
                return None
            for p, before, grad, state in items:
                expected = _expected_update(kind, hp, before, grad, state, torch)
                if expected is None:
                    return None
                after = p.detach().double()
                expected = expected.double()
                num += float((after - expected).pow(2).sum())
                den += float((expected - before.double()).pow(2).sum())
        return math.sqrt(num) / max(math.sqrt(den), 1e-30)

    # --- explicit events ----------------------------------------------------------------------

    def step(self, loss=None):
        """Override the loss reported for the step being computed (instead of the captured one)."""
        if loss is not None:
            self._loss_override = float(loss)

    def checkpoint_saved(self, path, step):
        self._write(
            {
                "type": "checkpoint",
                "action": "save",
                "step": int(step),
                "path": str(path),
                "digest": _util.file_digest(path),
                "param_digest": _util.param_digest(self.params),
            }
        )

    def checkpoint_loaded(self, path, step):
        """Record a restore from `path` holding `step`; the next step reported is step + 1."""
        self._write(
            {
                "type": "checkpoint",
                "action": "load",
                "step": int(step),
                "path": str(path),
                "digest": _util.file_digest(path),
                "param_digest": _util.param_digest(self.params),
            }
        )
        self.next_step = int(step) + 1
        self.last_step = int(step)
        self._t_prev = time.perf_counter()

    def change(self, step, changes, reason=None):
        self._write({"type": "change", "step": int(step), "changes": dict(changes), "reason": reason})

    # --- heartbeat ----------------------------------------------------------------------------

    def _heartbeat_loop(self, interval):
        while not self._hb_stop.wait(interval):
            try:
                frame = sys._current_frames().get(self._train_thread)
                self._write(
                    {
                        "type": "heartbeat",
                        "step": self.last_step,
                        "stack": _util.short_stack(frame) if frame is not None else [],
                        "phase": self._phase,
                    }
                )
            except Exception:
                pass

    # --- exit ---------------------------------------------------------------------------------

    def _exit_record(self, code, signal_name=None, reason=None, **extra):
        with self._lock:
            if self._closed:
                return False
            self._closed = True
        rec = {
            "type": "exit",
            "step": self.last_step,
            "code": code,
            "signal": signal_name,
            "reason": reason,
            "source": "self",
        }
        rec.update(extra)
        self._write(rec)
        return True

    def close(self, code=0, reason="completed"):
        """Write the `exit` record and stop the monitor's threads and patches."""
        self._exit_record(code, None, reason)
        self._shutdown()

    def _shutdown(self):
        try:
            atexit.unregister(self._atexit)
        except Exception:
            pass
        if sys.excepthook == self._excepthook:
            sys.excepthook = self._prev_excepthook
        if self._sigterm_handler is not None:
            try:
                if signal.getsignal(signal.SIGTERM) is self._sigterm_handler:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
            except (ValueError, OSError):
                pass
            self._sigterm_handler = None
        self._hb_stop.set()
        if self._hb_thread is not None and self._hb_thread is not threading.current_thread():
            self._hb_thread.join(2.0)
        if self in _active:
            _active.remove(self)
            _remove_backward_capture(self._torch)
        # unwrap only if nothing (an LR scheduler) wrapped our wrapper since; else it passes through
        wrapper = getattr(self, "_step_wrapper", None)
        if wrapper is not None and getattr(self.optimizer, "__dict__", {}).get("step") is wrapper:
            del self.optimizer.step
        if self._sampler_restore is not None:
            sampler, base = self._sampler_restore
            try:
                sampler.__class__ = base
            except TypeError:
                pass
            self._sampler_restore = None
        self._sink.close()

    def _atexit(self):
        if not self._closed:
            self._exit_record(None, None, "exit without close()")
            self._shutdown()

    def _excepthook(self, etype, value, tb):
        try:
            if not issubclass(etype, KeyboardInterrupt):
                self._exit_record(1, None, "error", error=("%s: %s" % (etype.__name__, value))[:1000])
            else:
                self._exit_record(None, "SIGINT", "interrupted")
            self._shutdown()
        finally:
            (self._prev_excepthook or sys.__excepthook__)(etype, value, tb)

    def _install_sigterm(self):
        self._sigterm_handler = None
        if threading.current_thread() is not threading.main_thread():
            return
        try:
            if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
                return

            def on_term(signum, frame):
                try:
                    self._exit_record(None, "SIGTERM", "terminated")
                    self._sink.close()
                finally:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    os.kill(os.getpid(), signal.SIGTERM)

            signal.signal(signal.SIGTERM, on_term)
            self._sigterm_handler = on_term
        except (ValueError, OSError):
            pass


def _expected_update(kind, hp, p, g, state, torch):
    lr = float(hp["lr"])
    wd = float(hp.get("weight_decay", 0) or 0)
    if hp.get("maximize"):
        g = -g
    if kind == "sgd":
        momentum = float(hp.get("momentum", 0) or 0)
        dampening = float(hp.get("dampening", 0) or 0)
        # the operations of torch's SGD, in the parameters' dtype: a clean step matches exactly
        d = g.add(p, alpha=wd) if wd != 0 else g
        if momentum != 0:
            buf = state.get("momentum_buffer")
            buf = d.clone() if buf is None else buf.mul(momentum).add(d, alpha=1 - dampening)
            d = d.add(buf, alpha=momentum) if hp.get("nesterov") else buf
        return p.add(d, alpha=-lr)
    b1, b2 = (float(b) for b in hp.get("betas", (0.9, 0.999)))
    eps = float(hp.get("eps", 1e-8))
    t = state.get("step", 0)
    t = float(t.item() if hasattr(t, "item") else t) + 1
    m = state.get("exp_avg")
    v = state.get("exp_avg_sq")
    m = torch.zeros_like(p) if m is None else m
    v = torch.zeros_like(p) if v is None else v
    if kind == "adamw":
        p_base = p * (1 - lr * wd)
    else:
        p_base = p
        if wd != 0:
            g = g + wd * p
    m = m * b1 + g * (1 - b1)
    v = v * b2 + g * g * (1 - b2)
    bc1 = 1 - b1 ** t
    bc2 = 1 - b2 ** t
    denom = v.sqrt() / math.sqrt(bc2) + eps
    return p_base - (lr / bc1) * m / denom


def _user():
    try:
        return getpass.getuser()
    except Exception:
        return str(os.getuid()) if hasattr(os, "getuid") else None
