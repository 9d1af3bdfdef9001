"""TRAINGUARD_GUARD through the .pth file, in fresh interpreters with a temporary site dir."""

import io
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
    def test_unpickler_load_used_directly_is_blocked(self):
        path = self.write("evil.pkl", self.evil_bytes())
        code = (
            "import io, pickle, _pickle\n"
            "attempt(lambda: pickle.Unpickler(open(%r, 'rb')).load())\n"
            "attempt(lambda: _pickle.Unpickler(io.BytesIO(open(%r, 'rb').read())).load())\n"
            "attempt(lambda: pickle._Unpickler(open(%r, 'rb')).load())\n"
            "class Mine(pickle.Unpickler):\n"
            "    def find_class(self, module, name):\n"
            "        return super().find_class(module, name)\n"
            "attempt(lambda: Mine(open(%r, 'rb')).load())\n"
            "print(pickle.Unpickler is _pickle.Unpickler, pickle.Unpickler.__name__)"
        )
        out, _ = self.run_guarded(code % (path, path, path, path))
        blocked = "BLOCKED UnsafeModelError not-clean"
        self.assertEqual(out.splitlines(), [blocked, blocked, blocked, blocked, "True Unpickler"])
        self.assertNoMarker()

    @needs_daemon
    def test_unpickler_reads_several_pickles_and_leaves_the_stream_after_them(self):
        data = b"HEADER" + pickle.dumps({"a": 1}) + pickle.dumps([2, 3], protocol=4)
        path = self.write("two.pkl", data)
        code = (
            "import io, pickle\n"
            "for f in (open(%r, 'rb'), io.BytesIO(%r)):\n"
            "    f.seek(6)\n"
            "    u = pickle.Unpickler(f)\n"
            "    first = u.load()\n"
            "    after_first = f.tell()\n"
            "    print(first, after_first, u.load(), f.tell())\n"
            "    print(pickle._Unpickler(io.BytesIO(%r)).load())\n"
        )
        out, _ = self.run_guarded(code % (path, data, pickle.dumps("py")))
        first_end = 6 + len(pickle.dumps({"a": 1}))
        line = "{'a': 1} %d [2, 3] %d" % (first_end, len(data))
        self.assertEqual(out.splitlines(), [line, "py", line, "py"])

    @needs_daemon
    def test_unpickler_keeps_persistent_load_and_memo_of_a_subclass(self):
        class Tagged:
            def __reduce__(self):
                return (str, ("unused",))

        class Pickler(pickle.Pickler):
            def persistent_id(self, obj):
                return "tag" if isinstance(obj, Tagged) else None

        buffer = io.BytesIO()
        Pickler(buffer, protocol=2).dump({"t": Tagged()})
        path = self.write("pid.pkl", buffer.getvalue())
        code = (
            "import pickle\n"
            "class Mine(pickle.Unpickler):\n"
            "    def persistent_load(self, pid):\n"
            "        return 'resolved:' + pid\n"
            "print(Mine(open(%r, 'rb')).load())\n"
            "u = pickle.Unpickler(open(%r, 'rb'))\n"
            "u.persistent_load = lambda pid: 'attr:' + pid\n"
            "print(u.load())\n"
        )
        out, _ = self.run_guarded(code % (path, path))
        self.assertEqual(out.splitlines(), ["{'t': 'resolved:tag'}", "{'t': 'attr:tag'}"])

    @needs_daemon
    def test_unpickler_refuses_a_file_replaced_after_it_was_opened(self):
        path = self.write("model.pkl", self.evil_bytes())
        clean = self.write("clean.pkl", pickle.dumps({"a": 1}))
        code = (
            "import os, pickle\n"
            "f = open(%r, 'rb')\n"
            "u = pickle.Unpickler(f)\n"
            "os.replace(%r, %r)\n"
            "attempt(u.load)\n"
        )
        out, _ = self.run_guarded(code % (path, clean, path))
        # The handle still reads the old (evil) bytes while the path now names a clean file:
        # the daemon's digest of the clean file differs from the client's, so nothing loads.
        self.assertEqual(out, "BLOCKED UnsafeModelError changed")
        self.assertNoMarker()

    @needs_daemon
    @needs_torch
    def test_torch_load_still_builds_its_own_unpickler_inside_a_guarded_load(self):
        benign = self.benign_checkpoint()
        code = "import torch, pickle\nattempt(lambda: torch.load(%r))\nattempt(lambda: torch.load(%r, pickle_module=pickle))"
        out, _ = self.run_guarded(code % (benign, benign))
        self.assertEqual(out.splitlines(), ["LOADED", "LOADED"])

    @needs_daemon
    def test_warn_mode_loads_a_suspicious_pickle_with_a_warning(self):
        path = self.write("custom.pkl", pickle.dumps(Custom()))
        code = "import pickle, support\nattempt(lambda: pickle.load(open(%r, 'rb')))" % path
        out, err = self.run_guarded(code, mode="warn")
        self.assertEqual(out, "LOADED")
        self.assertIn("trainguard: warning:", err)

    @needs_daemon
    @needs_numpy
    def test_warn_mode_also_warns_about_a_missing_required_signature_for_a_path(self):
        path = self.write("plain.pkl", pickle.dumps([1]))
        code = "import numpy\nattempt(lambda: numpy.load(%r, allow_pickle=True))" % path
        done = run_python(
            REPORT + code,
            {"TRAINGUARD_GUARD": "warn", "TRAINGUARD_REQUIRE_SIGNATURE": "1"},
            site_dir=self.site,
        )
        self.assertEqual(done.stdout.decode().strip(), "LOADED", done.stderr.decode())
        self.assertIn("trainguard: warning:", done.stderr.decode())
        self.assertIn("no signature at", done.stderr.decode())

    def test_multiprocessing_ipc_is_not_checked(self):
        code = "import multiprocessing.reduction as r, pickle\nprint(hasattr(pickle.loads, '__trainguard_original__'), hasattr(r.ForkingPickler.loads, '__trainguard_original__'))"
        out, _ = self.run_guarded(code)
        self.assertEqual(out, "True False")

    @needs_torch
    def test_torch_distributed_peer_objects_are_not_checked(self):
        code = (
            "import pickle, torch.distributed.distributed_c10d as c10d\n"
            "print(hasattr(pickle.Unpickler, '__trainguard_original__'), c10d._unpickler is pickle.Unpickler.__trainguard_original__)"
        )
        out, _ = self.run_guarded(code)
        self.assertEqual(out, "True True")

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
