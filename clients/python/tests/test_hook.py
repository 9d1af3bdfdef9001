"""TRAINGUARD_GUARD through the .pth file, in fresh interpreters with a temporary site dir."""

import os
import pickle
import shutil

from support import PTH_FILE, Custom, TempDirTest, needs_daemon, needs_numpy, needs_torch, run_python

REPORT = """
def attempt(fn):
    try:
        fn()
        print("LOADED")
    except Exception as error:
        print("BLOCKED", type(error).__name__, getattr(error, "code", ""))
"""


class HookTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.site = self.path("site")
        os.mkdir(self.site)
        shutil.copy(PTH_FILE, self.site)

    def run_guarded(self, code, mode="1"):
        done = run_python(REPORT + code, {"TRAINGUARD_GUARD": mode}, site_dir=self.site)
        self.assertEqual(done.returncode, 0, done.stderr.decode())
        return done.stdout.decode().strip(), done.stderr.decode()

    @needs_daemon
    def test_pickle_load_is_blocked(self):
        path = self.write("evil.pkl", self.evil_bytes())
        out, _ = self.run_guarded("import pickle\nattempt(lambda: pickle.load(open(%r, 'rb')))" % path)
        self.assertEqual(out, "BLOCKED UnsafeModelError not-clean")
        self.assertNoMarker()

    @needs_daemon
    def test_pickle_loads_is_blocked_and_clean_bytes_load(self):
        code = "import pickle\nattempt(lambda: pickle.loads(%r))\nattempt(lambda: pickle.loads(%r))"
        out, _ = self.run_guarded(code % (self.evil_bytes(), pickle.dumps({"a": 1})))
        self.assertEqual(out.splitlines(), ["BLOCKED UnsafeModelError not-clean", "LOADED"])
        self.assertNoMarker()

    @needs_daemon
    @needs_torch
    def test_torch_load_is_blocked_and_a_benign_checkpoint_loads(self):
        evil, benign = self.evil_checkpoint(), self.benign_checkpoint()
        code = "import torch\nattempt(lambda: torch.load(%r))\nattempt(lambda: torch.load(%r))"
        out, _ = self.run_guarded(code % (evil, benign))
        self.assertEqual(out.splitlines(), ["BLOCKED UnsafeModelError not-clean", "LOADED"])
        self.assertNoMarker()

    @needs_daemon
    @needs_numpy
    def test_numpy_load_with_allow_pickle_is_blocked(self):
        path = self.write("evil.npy", self.evil_bytes())
        code = "import numpy\nattempt(lambda: numpy.load(%r, allow_pickle=True))" % path
        out, _ = self.run_guarded(code)
        self.assertEqual(out, "BLOCKED UnsafeModelError not-clean")
        self.assertNoMarker()

    @needs_daemon
    def test_warn_mode_loads_a_suspicious_pickle_with_a_warning(self):
        path = self.write("custom.pkl", pickle.dumps(Custom()))
        code = "import pickle, support\nattempt(lambda: pickle.load(open(%r, 'rb')))" % path
        out, err = self.run_guarded(code, mode="warn")
        self.assertEqual(out, "LOADED")
        self.assertIn("trainguard: warning:", err)

    def test_multiprocessing_ipc_is_not_checked(self):
        code = "import multiprocessing.reduction as r, pickle\nprint(hasattr(pickle.loads, '__trainguard_original__'), hasattr(r.ForkingPickler.loads, '__trainguard_original__'))"
        out, _ = self.run_guarded(code)
        self.assertEqual(out, "True False")

    def test_nothing_is_patched_when_the_variable_is_unset(self):
        done = run_python(
            "import pickle\nprint(hasattr(pickle.load, '__trainguard_original__'))", {}, site_dir=self.site
        )
        self.assertEqual(done.stdout.decode().strip(), "False")
        self.assertEqual(done.stderr.decode(), "")

    def test_a_broken_install_never_stops_the_interpreter(self):
        env = {"TRAINGUARD_GUARD": "1", "PYTHONPATH": ""}  # trainguard is not importable
        done = run_python("print('started')", env, site_dir=self.site, cwd=self.dir)
        self.assertEqual(done.returncode, 0)
        self.assertEqual(done.stdout.decode().strip(), "started")
        self.assertIn("Cannot install the load guard", done.stderr.decode())
