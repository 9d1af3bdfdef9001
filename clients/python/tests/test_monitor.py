"""trainguard.monitor: record encoding, sinks, the launcher (no torch needed) and, with torch, the
records of a short single-process training run and of a one-rank gloo DDP run."""

import http.server
import json
import math
import os
import random
import socket
import sys
import threading
import time
import unittest

from trainguard.monitor import _launch, _util
from trainguard.monitor._sink import Sink

from support import HAVE_NUMPY, HAVE_TORCH, TempDirTest, needs_torch


def read_records(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class EncodingTest(unittest.TestCase):
    def test_non_finite_numbers_become_strings(self):
        line = _util.dumps({"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5]})
        self.assertEqual(json.loads(line), {"a": "NaN", "b": ["Infinity", "-Infinity", 1.5]})

    def test_fast_encodings_match_the_reference(self):
        rng = random.Random(5)
        for _ in range(20000):
            values = [rng.choice([-1, 1]) * 10 ** rng.uniform(-9, 9) for _ in range(4)]
            values[rng.randrange(4)] = rng.choice([0.0, -0.0, 1.0, 3.0, 1e5, 1e-5, 1e16, 0.5,
                                                   float("nan"), float("inf"), values[0]])
            text = _util.sketch_json(values)
            if text is not None:
                self.assertEqual(text, _util.dumps([float("%.6g" % v) for v in values]))
        record = {"type": "step", "run": "a b\"c", "rank": 0, "time": 1.5, "step": 3, "x": None,
                  "optimizer": {"lr": 0.1, "nesterov": 1}, "digest": "ab12", "sketch": "\x00"}
        line = _util.fast_dumps(record)
        self.assertEqual(line, _util.dumps(record))
        self.assertEqual(json.loads(_util.splice(line, {"sketch": "[1.5,-2.0]"}))["sketch"],
                         [1.5, -2.0])
        self.assertIsNone(_util.fast_dumps({"loss": float("nan")}))
        self.assertIsNone(_util.fast_dumps({"flag": True}))

    def test_indices_digest(self):
        def reference(indices):
            return _util.sha256_hex("[" + ",".join(str(int(i)) for i in indices) + "]")

        for indices in ([], [0], [3, 1, 2], list(range(-5, 300, 7)), [True, 2], [1.0, 2],
                        (4, 5)):
            self.assertEqual(_util.indices_digest(indices), reference(indices))
        with self.assertRaises(TypeError):
            _util.indices_digest([[1, 2]])

    def test_config_digest_is_canonical(self):
        self.assertEqual(_util.config_digest({"b": 1, "a": [1, 2]}),
                         _util.config_digest({"a": [1, 2], "b": 1}))
        self.assertNotEqual(_util.config_digest({"a": 1}), _util.config_digest({"a": 2}))

    def test_hparams_are_numbers_only(self):
        hp = _util.numeric_hparams(
            {"params": [], "lr": 0.1, "nesterov": True, "betas": (0.9, 0.99), "foreach": None,
             "name": "x"}, drop=("params", "lr"))
        self.assertEqual(hp, {"nesterov": 1, "betas.0": 0.9, "betas.1": 0.99})

    def test_python_rng_expected_matches_seeding(self):
        state = random.getstate()
        try:
            random.seed(123)
            self.assertEqual(_util.rng_digest()["python"], _util.rng_expected(123)["python"])
            random.random()
            self.assertNotEqual(_util.rng_digest()["python"], _util.rng_expected(123)["python"])
        finally:
            random.setstate(state)

    def test_stack_is_innermost_last(self):
        def inner():
            return _util.short_stack(sys._getframe())

        stack = inner()
        self.assertEqual(stack[-1], "test_monitor:inner")
        self.assertEqual(stack[-2], "test_monitor:test_stack_is_innermost_last")


class StartupHooksTest(TempDirTest):
    def test_pth_import_lines_are_listed(self):
        with open(self.path("evil.pth"), "w") as f:
            f.write("/some/dir\nimport os; os.environ.setdefault('X', '1')\n")
        sys.path.append(self.dir)
        try:
            hooks = _util.startup_hooks()
        finally:
            sys.path.remove(self.dir)
        mine = [h for h in hooks if "evil.pth" in h]
        self.assertEqual(mine, ["pth %s: import os; os.environ.setdefault('X', '1')"
                                % self.path("evil.pth")])


class _Collector(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers.get("Authorization"), json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class SinkTest(TempDirTest):
    def test_file_and_server(self):
        _Collector.received = []
        server = http.server.HTTPServer(("127.0.0.1", 0), _Collector)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = "http://127.0.0.1:%d/" % server.server_address[1]
            sink = Sink(self.path("out/r.rank0.jsonl"), url, "tok")
            for i in range(3):
                sink.write({"type": "step", "run": "r", "rank": 0, "time": 1.0, "step": i})
            sink.close()
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual([r["step"] for r in read_records(self.path("out/r.rank0.jsonl"))],
                         [0, 1, 2])
        records = [r for _, _, body in _Collector.received for r in body["records"]]
        self.assertEqual([r["step"] for r in records], [0, 1, 2])
        path, auth, _ = _Collector.received[0]
        self.assertEqual((path, auth), ("/v1/telemetry", "Bearer tok"))

    def test_unreachable_server_is_counted_as_dropped(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        sink = Sink(self.path("r.jsonl"), "http://127.0.0.1:%d" % port, None, max_queue=2)
        t0 = time.monotonic()
        for i in range(50):
            sink.write({"type": "step", "run": "r", "rank": 0, "time": 1.0, "step": i})
        self.assertLess(time.monotonic() - t0, 1.0, "writes waited for the network")
        time.sleep(0.3)
        sink.write({"type": "step", "run": "r", "rank": 0, "time": 1.0, "step": 50})
        sink.close()
        last = read_records(self.path("r.jsonl"))[-1]
        self.assertGreater(last.get("dropped", 0), 0)


class LaunchTest(TempDirTest):
    def script(self, body):
        path = self.path("rank.py")
        with open(path, "w") as f:
            f.write("import os, sys, time\nrank = int(os.environ['RANK'])\n" + body)
        return path

    def launcher_records(self, run):
        return sorted(read_records(self.path("out/%s.launcher.jsonl" % run)),
                      key=lambda r: r["rank"])

    def test_completed(self):
        script = self.script("assert os.environ['WORLD_SIZE'] == '2'\n"
                             "assert os.environ['TRAINGUARD_RUN'] == 'ok'\n")
        code = _launch.launch(2, [script], out=self.path("out"), run="ok")
        self.assertEqual(code, 0)
        recs = self.launcher_records("ok")
        self.assertEqual([(r["rank"], r["code"], r["signal"], r["reason"], r["source"])
                          for r in recs],
                         [(0, 0, None, "completed", "launcher"), (1, 0, None, "completed",
                                                                  "launcher")])

    def test_failure_terminates_the_others(self):
        script = self.script("if rank == 1:\n    sys.exit(3)\ntime.sleep(30)\n")
        code = _launch.launch(3, [script], out=self.path("out"), run="f", grace=0.2)
        self.assertEqual(code, 1)
        recs = self.launcher_records("f")
        self.assertEqual((recs[1]["code"], recs[1].get("reason")), (3, None))
        for r in (recs[0], recs[2]):
            self.assertEqual(r["signal"], "SIGTERM")
            self.assertEqual(r["reason"], "terminated by launcher after rank 1 failed")

    def test_timeout(self):
        script = self.script("time.sleep(30)\n")
        t0 = time.monotonic()
        code = _launch.launch(2, [script], out=self.path("out"), run="t", timeout=0.5)
        self.assertLess(time.monotonic() - t0, 10)
        self.assertEqual(code, 1)
        self.assertEqual([r["reason"] for r in self.launcher_records("t")], ["timeout", "timeout"])


if HAVE_TORCH:
    import torch


@needs_torch
class TrainingTest(TempDirTest):
    def train(self, optimizer_factory, steps=4, tamper_at=None, **options):
        import trainguard.monitor

        torch.manual_seed(7)
        random.seed(7)
        if HAVE_NUMPY:
            import numpy

            numpy.random.seed(7)
        trainguard.monitor.seeded()
        data = torch.utils.data.TensorDataset(torch.randn(64, 8), torch.randint(0, 3, (64,)))
        loader = torch.utils.data.DataLoader(data, batch_size=8, shuffle=True)
        model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
        opt = optimizer_factory(model.parameters())
        options.setdefault("digest_every", 1)
        options.setdefault("audit_every", 1)
        options.setdefault("heartbeat_interval", 0)
        mon = trainguard.monitor.start(model, opt, seed=7, config={"k": 1}, dataloader=loader,
                                       lr_schedule={"kind": "constant", "lr": 0.1},
                                       out=self.path("tele"), run="t", **options)
        try:
            step = 0
            for x, y in loader:
                if step == steps:
                    break
                opt.zero_grad()
                torch.nn.functional.cross_entropy(model(x), y).backward()
                if tamper_at is not None and step >= tamper_at:
                    mon.step(loss=float("nan"))  # explicit loss override
                opt.step()
                step += 1
            path = self.path("ckpt.pt")
            torch.save(model.state_dict(), path)
            mon.checkpoint_saved(path, step - 1)
            mon.change(step, {"lr": 0.05}, "planned")
        finally:
            mon.close()
        return read_records(self.path("tele/t.rank0.jsonl")), model

    def test_sgd_records(self):
        recs, model = self.train(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9,
                                                           weight_decay=1e-4, nesterov=True))
        types = [r["type"] for r in recs]
        self.assertEqual(types, ["start"] + ["step"] * 4 + ["checkpoint", "change", "exit"])
        start = recs[0]
        self.assertEqual(start["rng_digest"], start["rng_expected"])
        self.assertEqual(start["hparams"]["momentum"], 0.9)
        self.assertEqual(start["sketch_dim"], 32)
        steps = recs[1:5]
        self.assertEqual([r["step"] for r in steps], [0, 1, 2, 3])
        for r in steps:
            for field in ("loss", "lr", "grad_norm", "local_grad_norm", "param_digest",
                          "rng_digest", "batch_digest", "config_digest", "step_time",
                          "optimizer", "update_check"):
                self.assertIn(field, r)
            self.assertEqual(len(r["grad_sketch"]), 32)
            self.assertLess(r["update_check"]["rel_err"], 1e-6)
        self.assertEqual(len({r["batch_digest"] for r in steps}), 4)
        self.assertEqual(steps[-1]["param_digest"], _util.param_digest(model.parameters()))
        self.assertEqual(recs[5]["param_digest"], steps[-1]["param_digest"])
        self.assertEqual(recs[5]["digest"], _util.file_digest(self.path("ckpt.pt")))
        self.assertEqual((recs[-1]["code"], recs[-1]["reason"], recs[-1]["source"], recs[-1]["step"]),
                         (0, "completed", "self", 3))

    def test_adam_audit_is_clean(self):
        recs, _ = self.train(lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1))
        errs = [r["update_check"]["rel_err"] for r in recs if "update_check" in r]
        self.assertEqual(len(errs), 4)
        self.assertLess(max(errs), 1e-5)

    def test_update_the_optimizer_did_not_compute_is_caught(self):
        class TamperedSGD(torch.optim.SGD):
            calls = 0

            def step(self, closure=None):  # 3x the declared lr from the third step on
                TamperedSGD.calls += 1
                saved = self.param_groups[0]["lr"]
                if TamperedSGD.calls > 2:
                    self.param_groups[0]["lr"] = saved * 3
                try:
                    return super().step(closure)
                finally:
                    self.param_groups[0]["lr"] = saved

        recs, _ = self.train(lambda p: TamperedSGD(p, lr=0.1, momentum=0.9), tamper_at=2)
        steps = [r for r in recs if r["type"] == "step"]
        errs = [r["update_check"]["rel_err"] for r in steps]
        self.assertLess(max(errs[:2]), 1e-6)
        self.assertGreater(min(errs[2:]), 0.1)
        self.assertEqual(steps[2]["loss"], "NaN")

    def test_background_writer_writes_the_same_records(self):
        def strip(recs):  # times and the pid differ between runs
            return [{k: v for k, v in r.items() if k not in ("time", "step_time", "pid")}
                    for r in recs]

        factory = lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)  # noqa: E731
        inline, _ = self.train(factory)
        os.rename(self.path("tele/t.rank0.jsonl"), self.path("inline.jsonl"))
        threaded, _ = self.train(factory, background_writer=True)
        self.assertEqual(strip(threaded), strip(inline))

    def test_step_encoder_writes_the_lines_of_the_general_path(self):
        from trainguard.monitor import _core

        def strip(recs):  # times differ between runs
            return [{k: v for k, v in r.items() if k not in ("time", "step_time", "pid")}
                    for r in recs]

        factory = lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)  # noqa: E731
        encoded, _ = self.train(factory, tamper_at=3)
        os.rename(self.path("tele/t.rank0.jsonl"), self.path("encoded.jsonl"))
        saved = _core.Monitor._encode_step
        _core.Monitor._encode_step = lambda self, rec: None
        try:
            general, _ = self.train(factory, tamper_at=3)
        finally:
            _core.Monitor._encode_step = saved
        self.assertEqual(strip(encoded), strip(general))
        self.assertEqual(encoded[4]["loss"], "NaN")  # a non-finite value takes the general path

    def test_digest_every(self):
        recs, _ = self.train(lambda p: torch.optim.SGD(p, lr=0.1), digest_every=2, audit_every=3)
        steps = [r for r in recs if r["type"] == "step"]
        self.assertEqual(["param_digest" in r for r in steps], [True, False, True, False])
        self.assertEqual(["update_check" in r for r in steps], [True, False, False, True])

    def test_ddp_one_rank_reports_pre_reduce_statistics(self):
        import torch.distributed as dist

        if not dist.is_available() or dist.is_initialized():
            self.skipTest("torch.distributed unavailable or already initialized")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        dist.init_process_group("gloo", init_method="tcp://127.0.0.1:%d" % port, rank=0,
                                world_size=1)
        try:
            for kind in ("dense", "sparse"):
                with self.subTest(sketch_kind=kind):
                    self.check_ddp_run(kind)
        finally:
            dist.destroy_process_group()

    def check_ddp_run(self, kind):
        import trainguard.monitor

        model = torch.nn.Linear(4, 2)
        ddp = torch.nn.parallel.DistributedDataParallel(model)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        mon = trainguard.monitor.start(ddp, opt, seed=1, out=self.path("tele"), run=kind,
                                       heartbeat_interval=0, digest_every=1, audit_every=1,
                                       sketch_kind=kind)
        for _ in range(3):
            opt.zero_grad()
            ddp(torch.randn(5, 4)).pow(2).mean().backward()
            opt.step()
        # one rank: the bucket's sketch is the projection of .grad, parameter by parameter
        params = list(model.parameters())
        expected = sum(mon._project([p], p.grad) for p in params)
        mon.close()
        recs = read_records(self.path("tele/%s.rank0.jsonl" % kind))
        self.assertEqual(recs[0]["sketch_kind"], kind)
        steps = [r for r in recs if r["type"] == "step"]
        self.assertEqual(len(steps), 3)
        for r in steps:
            self.assertAlmostEqual(r["local_grad_norm"], r["grad_norm"], places=5)
            self.assertIn("wait_time", r)
            self.assertEqual(len(r["grad_sketch"]), 32)
            self.assertTrue(all(math.isfinite(v) for v in r["grad_sketch"]))
            self.assertLess(r["update_check"]["rel_err"], 1e-6)
        for got, want in zip(steps[-1]["grad_sketch"], expected.tolist()):
            self.assertAlmostEqual(got, want, places=5)


@needs_torch
class HeartbeatTest(TempDirTest):
    def test_heartbeat_names_the_training_thread_frames(self):
        import trainguard.monitor

        model = torch.nn.Linear(2, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        mon = trainguard.monitor.start(model, opt, seed=1, out=self.path("tele"), run="h",
                                       heartbeat_interval=0.05)

        def waiting_in_a_known_function():
            time.sleep(0.3)

        waiting_in_a_known_function()
        mon.close()
        beats = [r for r in read_records(self.path("tele/h.rank0.jsonl"))
                 if r["type"] == "heartbeat"]
        self.assertGreater(len(beats), 1)
        self.assertEqual(beats[1]["stack"][-1], "test_monitor:waiting_in_a_known_function")
        self.assertIsNone(beats[1]["step"])


EXIT_SCRIPT = """
import sys, time, torch, trainguard.monitor
model = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
mon = trainguard.monitor.start(model, opt, seed=1, out=sys.argv[1], run="x",
                               heartbeat_interval=0)
model(torch.ones(1, 2)).sum().backward()
opt.step()
if sys.argv[2] == "raise":
    raise RuntimeError("boom")
print("ready", flush=True)
time.sleep(30)
"""


@needs_torch
class ExitTest(TempDirTest):
    def run_script(self, mode):
        import subprocess

        script = self.path("job.py")
        with open(script, "w") as f:
            f.write(EXIT_SCRIPT)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
            + [p for p in [os.environ.get("PYTHONPATH")] if p]))
        return subprocess.Popen([sys.executable, script, self.path("tele"), mode], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def test_uncaught_exception_writes_an_error_exit(self):
        proc = self.run_script("raise")
        _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(b"boom", err)
        last = read_records(self.path("tele/x.rank0.jsonl"))[-1]
        self.assertEqual((last["type"], last["code"], last["reason"], last["source"], last["step"]),
                         ("exit", 1, "error", "self", 0))

    def test_sigterm_writes_an_exit_and_still_ends_the_process(self):
        import signal

        proc = self.run_script("wait")
        self.assertEqual(proc.stdout.readline().strip(), b"ready")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, -signal.SIGTERM)
        last = read_records(self.path("tele/x.rank0.jsonl"))[-1]
        self.assertEqual((last["type"], last["signal"], last["reason"], last["code"]),
                         ("exit", "SIGTERM", "terminated", None))


if __name__ == "__main__":
    unittest.main()
