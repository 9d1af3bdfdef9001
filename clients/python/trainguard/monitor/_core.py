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
# Up to this many matrix values (64 KB: 512 parameters at k = 32) the projection is dense; beyond,
# its k multiply-adds per parameter per step (a matrix k times the model's size read every step)
# cost more than the few-percent budget of a small step (k * 2826 values took 70-100 us on the
# 2-core test machine): the sparse projection, O(numel), takes over.
DENSE_SKETCH_FLOATS = 1 << 14
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
                        # on the host: the number now (about 1 us); on an accelerator, reading it
                        # would wait for the device: a copy is kept and read when the record is
                        # written (_Lazy)
                        value = (float(self.item()) if self.device.type == "cpu"
                                 else self.detach().clone())
                        for mon in _active:
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
        background_writer=None,
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
        if background_writer is None:  # reading a device tensor waits for the device
            background_writer = any(p.device.type != "cpu" for p in model.parameters())
        # the constant text of step records (see _encode_step)
        self._head = '{"type":"step","run":%s,"rank":%s,"time":' % (
            _util.dumps(self.run), _util.dumps(self.rank))
        self._mid = ',"world_size":%s,"step":' % (_util.dumps(self.world_size),)
        self._tail = ',"config_digest":%s,"step_time":' % (_util.dumps(self.config_digest),)
        self._hp_text = (None, None)
        self._sink = Sink(path, server or None, token, background=bool(background_writer),
                          resolve=_resolve, encode=self._encode_step)

        self.params = [p for p in model.parameters()]
        self._param_index = {id(p): i for i, p in enumerate(self.params)}
        self._sketch_rows = {}
        self._plans = {}
        self.next_step = 0  # next step to complete
        self.last_step = None
        self._captured_loss = None
        self._loss_override = None
        self._phase = "init"
        # this step's communication-hook statistics (tensors; see _take_grad_stats)
        self._g_local, self._g_sketch, self._g_reduced, self._g_waits, self._g_buckets = (
            [], None, [], [], [])
        self._hp_cache = None
        self._ws = self.world_size
        self._bucket_has_buffer = True
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
        """The projection of the concatenated values of `params`, on `device`: built once per
        parameter list and device, then cached (never regenerated)."""
        key = ("bucket", str(device)) + tuple(map(id, params))
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

    def _project_into(self, out, rows, flat):
        """out += sketch of the float32 vector `flat` (one fused operation per bucket for the
        dense projection, two for the sparse one); `out` stays on the device."""
        if self.sketch_kind == "dense":
            return out.addmv_(rows, flat)
        index, weight = rows
        if out.device.type == "cpu":
            # on the host scatter_add_ adds in the same order as index_add_ (the same bits)
            # in about 60% of its time
            return out.scatter_add_(0, index, flat * weight)
        return out.index_add_(0, index, flat * weight)

    def _project(self, params, flat):
        """Sketch of the gradient values `flat` of `params`, as a host tensor."""
        torch = self._torch
        flat = flat.detach().reshape(-1).to(torch.float32)
        rows = self._bucket_rows(params, flat.device)
        out = torch.zeros(self.sketch_dim, device=flat.device)
        return self._project_into(out, rows, flat).cpu()

    def _bucket_plan(self, bucket, buf):
        """(projection or None) for a DDP bucket, cached by bucket index and checked against
        the bucket's parameters (a C-level comparison of their ids) and its buffer's dtype, so
        a bucket rebuild gets its own projection."""
        index = bucket.index()
        self._g_buckets.append(index)
        ids = tuple(map(id, bucket.parameters()))
        plan = self._plans.get(index)
        if plan is None or plan[0] != ids or plan[1] is not buf.dtype:
            rows = None
            if self.sketch_dim and sum(p.numel() for p in bucket.parameters()) == buf.numel():
                rows = self._bucket_rows(bucket.parameters(), buf.device)
            plan = (ids, buf.dtype, rows)
            self._plans[index] = plan
        return plan[2]

    def _comm_hook(self, state, bucket):
        buf = bucket.buffer() if self._bucket_has_buffer else bucket.get_tensor()
        torch = self._torch
        try:
            src = flat = buf.detach()
            if flat.dtype is not torch.float32:
                flat = flat.to(torch.float32)
                if src.dtype is not torch.float64:
                    src = flat
            rows = self._bucket_plan(bucket, buf)
            # norms and sketch stay tensors (no host copy, no device sync) until the record is
            # written; one vector_norm and one fused projection per bucket
            self._g_local.append(torch.linalg.vector_norm(src))
            if rows is not None:
                acc = self._g_sketch
                if acc is None:
                    acc = self._g_sketch = torch.zeros(self.sketch_dim, device=flat.device)
                self._project_into(acc, rows, flat)
        except Exception as e:  # never break training
            self._hook_error(e)
        ws = self._ws
        if ws != 1:
            buf.div_(ws)
        t0 = time.perf_counter()
        fut = self.dist.all_reduce(buf, async_op=True).get_future()
        reduced, waits = self._g_reduced, self._g_waits

        def done(f):
            waits.append(time.perf_counter() - t0)
            out = f.value()[0]
            try:  # the all-reduced gradient (grad_norm): the values the optimizer will receive
                t = out.detach()
                if t.dtype is not torch.float32 and t.dtype is not torch.float64:
                    t = t.to(torch.float32)
                reduced.append(torch.linalg.vector_norm(t))
            except Exception:
                pass
            return out

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
            import torch.distributed as dist

            self._bucket_has_buffer = hasattr(dist.GradBucket, "buffer")
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
        # a copy now (the sampler may reuse its list); the digest when the record is written
        indices = _Indices(indices)
        with self._lock:
            if getattr(self._loader, "num_workers", 0) == 0:
                self._batches.clear()
            self._batches.append(indices)

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

    def _step_grad_norm(self):
        """Global norm of the gradients the optimizer sees now (a tensor: read later)."""
        torch = self._torch
        grads = [p.grad for p in self.params if p.grad is not None]
        if not grads:
            return 0.0
        foreach = getattr(torch, "_foreach_norm", None)
        if foreach is not None:
            try:
                return torch.linalg.vector_norm(torch.stack(foreach([g.detach() for g in grads])))
            except Exception:  # mixed devices or dtypes
                pass
        return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g.detach())
                                                     .to(grads[0].device) for g in grads]))

    def _before_step(self):
        self._phase = "optimizer"
        pre = {"lr": self.optimizer.param_groups[0].get("lr")}
        if not self._hooked:
            params = self._grad_params()
            if params:
                torch = self._torch
                flat = torch.cat([p.grad.detach().reshape(-1) for p in params])
                if flat.dtype is not torch.float32:
                    flat = flat.to(torch.float32)
                norm = torch.linalg.vector_norm(flat)
                pre["grad_norm"] = pre["local_grad_norm"] = norm
                if self.sketch_dim:
                    rows = self._bucket_rows(params, flat.device)
                    pre["sketch"] = self._project_into(
                        torch.zeros(self.sketch_dim, device=flat.device), rows, flat)
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

    def _take_grad_stats(self):
        """This step's statistics from the communication hook, and fresh lists for the next."""
        stats = (self._g_local, self._g_sketch, self._g_reduced, self._g_waits, self._g_buckets)
        self._g_local, self._g_sketch, self._g_reduced, self._g_waits, self._g_buckets = (
            [], None, [], [], [])
        return stats

    def _optimizer_hparams(self):
        """numeric_hparams of param group 0, recomputed only when the group's values change."""
        snap = dict(self.optimizer.param_groups[0])
        snap.pop("params", None)
        cached = self._hp_cache
        if cached is not None and cached[0] == snap:
            return cached[1]
        hp = _util.numeric_hparams(snap)
        # a cached value must not change behind our back: only immutable values are compared
        if all(v is None or type(v) in _IMMUTABLE for v in snap.values()):
            self._hp_cache = (snap, hp)
        else:
            self._hp_cache = None
        return hp

    def _after_step(self, pre):
        pre = pre or {}
        now = time.perf_counter()
        step = self.next_step
        with self._lock:
            batch = self._batches.popleft() if self._batches else None
        loss = self._loss_override if self._loss_override is not None else self._captured_loss
        self._loss_override = self._captured_loss = None
        rec = {"type": "step", "run": self.run, "rank": self.rank, "time": time.time(),
               "world_size": self.world_size, "step": step}
        if loss is not None:
            rec["loss"] = loss
        lr = pre.get("lr")
        if lr is not None:
            rec["lr"] = float(lr)
        if self._hooked:
            local, sketch, reduced, waits, buckets = self._take_grad_stats()
            if reduced and len(set(buckets)) == len(buckets):
                rec["grad_norm"] = _Norms(reduced)
            else:  # no (or more than one) all-reduce this step: the gradients themselves
                rec["grad_norm"] = self._step_grad_norm()
            rec["local_grad_norm"] = _Norms(local)
            rec["wait_time"] = sum(waits)
        else:
            if "grad_norm" in pre:
                rec["grad_norm"] = pre["grad_norm"]
            if "local_grad_norm" in pre:
                rec["local_grad_norm"] = pre["local_grad_norm"]
            sketch = pre.get("sketch")
        if sketch is not None:
            rec["grad_sketch"] = sketch
        if step % self.digest_every == 0:
            rec["param_digest"] = _util.param_digest(self.params)
            rec["rng_digest"] = _util.rng_digest()
        if batch is not None:
            rec["batch_digest"] = batch  # an _Indices copy (_batch_fetched)
        rec["config_digest"] = self.config_digest
        rec["step_time"] = now - self._t_prev
        rec["optimizer"] = self._optimizer_hparams()
        if pre.get("audit") is not None:
            err = self._audit(pre["audit"], self._torch)
            if err is not None:
                rec["update_check"] = {"rel_err": err}
        self._sink.write(rec, True)
        self.last_step = step
        self.next_step = step + 1
        self._phase = "train"
        self._t_prev = time.perf_counter()

    def _encode_step(self, rec):
        """The JSON line of a step record built by _after_step: the text _resolve and fast_dumps
        give, in one pass over its known fields in their order (tensors read here, the constant
        fields written from cached text). None when the record holds something else (a
        non-finite number, another field): the sink then takes the general path."""
        get = rec.get
        t = rec["time"]
        st = rec["step_time"]
        step = rec["step"]
        if type(step) is not int:
            return None
        out = [self._head, repr(t), self._mid, repr(step)]
        total = t + st  # non-finite when any number is: a single check at the end
        count = 9  # type, run, rank, time, world_size, step, config_digest, step_time, optimizer
        v = get("loss")
        if v is not None:
            if type(v) is not float and type(v) is not int:
                v = float(v.item())
            total += v
            out.append(',"loss":')
            out.append(repr(v))
            count += 1
        v = get("lr")
        if v is not None:
            total += v
            out.append(',"lr":')
            out.append(repr(v))
            count += 1
        for key, prefix in _NORM_FIELDS:
            v = get(key)
            if v is not None:
                v = _number(v)
                total += v
                out.append(prefix)
                out.append(repr(v))
                count += 1
        v = get("wait_time")
        if v is not None:
            total += v
            out.append(',"wait_time":')
            out.append(repr(v))
            count += 1
        v = get("grad_sketch")
        if v is not None:
            values = v.tolist()
            text = _util.sketch_json(values)
            out.append(',"grad_sketch":')
            out.append(text if text is not None
                       else _util.dumps([float("%.6g" % x) for x in values]))
            count += 1
        v = get("param_digest")
        if v is not None:
            out.append(',"param_digest":')
            out.append(_util.dumps(v))
            count += 1
        v = get("rng_digest")
        if v is not None:
            out.append(',"rng_digest":')
            out.append(_util.dumps(v))
            count += 1
        v = get("batch_digest")
        if v is not None:
            out.append(',"batch_digest":"')
            out.append(_util.indices_digest(v))
            out.append('"')
            count += 1
        out.append(self._tail)
        out.append(repr(st))
        v = rec["optimizer"]
        cached = self._hp_text
        if cached[0] is not v:
            cached = self._hp_text = (v, _util.dumps(v))
        out.append(',"optimizer":')
        out.append(cached[1])
        v = get("update_check")
        if v is not None:
            out.append(',"update_check":')
            out.append(_util.dumps(v))
            count += 1
        if count != len(rec) or total - total != 0:
            return None
        out.append("}")
        return "".join(out)

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
        sums = []
        for hp, items in groups:
            if kind != "sgd" and hp.get("amsgrad"):
                return None
            for p, before, grad, state in items:
                expected = _expected_update(kind, hp, before, grad, state, torch)
                if expected is None:
                    return None
                # differences of nearby values (Sterbenz: exact in the parameters' dtype),
                # squared and summed in double: a quarter of the time of pow(2) on double copies
                sums.append(torch.sum((p.detach() - expected).double().square_()))
                sums.append(torch.sum((expected - before).double().square_()))
        num = den = 0.0
        for i in range(0, len(sums), 2):
            num += float(sums[i])
            den += float(sums[i + 1])
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


_IMMUTABLE = (bool, int, float, str, tuple)


_NORM_FIELDS = (("grad_norm", ',"grad_norm":'), ("local_grad_norm", ',"local_grad_norm":'))


def _number(v):
    """A norm field's value as _resolve computes it."""
    if isinstance(v, _Norms):
        if len(v) == 1:
            n = float(v[0])
            return math.sqrt(n * n)
        return math.sqrt(sum(float(n) ** 2 for n in v))
    return v if type(v) is float else float(v)  # repr() of a float subclass may not be JSON


class _Norms(list):
    """Norm tensors of disjoint parts of one vector (buckets): its norm when written."""


class _Indices(list):
    """A batch's sample indices: batch_digest when written."""


def _resolve(rec):
    """Turns the tensors a step record holds into numbers: run when the record is written
    (on the training thread for host tensors, on the writer thread for device tensors)."""
    loss = rec.get("loss")
    if loss is not None and not isinstance(loss, (float, int)):
        rec["loss"] = float(loss.item())
    for key in ("grad_norm", "local_grad_norm"):
        v = rec.get(key)
        if v is None or isinstance(v, float):
            continue
        if isinstance(v, _Norms):
            if len(v) == 1:
                n = float(v[0])
                rec[key] = math.sqrt(n * n)
            else:
                rec[key] = math.sqrt(sum(float(n) ** 2 for n in v))
        else:
            rec[key] = float(v)
    raw = None
    sketch = rec.get("grad_sketch")
    if sketch is not None and not isinstance(sketch, list):
        values = sketch.tolist()
        text = _util.sketch_json(values)
        if text is not None:  # spliced into the line by the sink: the same text, 3x faster
            rec["grad_sketch"] = _util.PLACEHOLDER
            raw = {"grad_sketch": text}
        else:
            rec["grad_sketch"] = [float("%.6g" % v) for v in values]
    batch = rec.get("batch_digest")
    if isinstance(batch, _Indices):
        try:
            rec["batch_digest"] = _util.indices_digest(batch)
        except (TypeError, ValueError):
            del rec["batch_digest"]
    return raw


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
