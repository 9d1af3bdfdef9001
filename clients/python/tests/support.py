"""Shared helpers: files built in code, and the environment the node:test wrapper provides.

The wrapper (src/guard/python-client.test.ts) starts a real daemon and sets
TRAINGUARD_GUARD_SOCKET, and TRAINGUARD_TEST_CLI to a command that runs the trainguard CLI.
"""

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_ROOT = os.path.dirname(HERE)
PTH_FILE = os.path.join(CLIENT_ROOT, "trainguard-guard.pth")

try:
    import torch  # noqa: F401

    HAVE_TORCH = True
except ImportError:
    HAVE_TORCH = False

try:
    import numpy  # noqa: F401

    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

needs_torch = unittest.skipUnless(HAVE_TORCH, "torch is not installed for this Python: skipped")
needs_numpy = unittest.skipUnless(HAVE_NUMPY, "numpy is not installed for this Python: skipped")
needs_daemon = unittest.skipUnless(
    os.environ.get("TRAINGUARD_GUARD_SOCKET"),
    "TRAINGUARD_GUARD_SOCKET is not set (run through src/guard/python-client.test.ts): skipped",
)


class Marker:
    """Pickles to os.system('echo marker > PATH'): a REDUCE the scanner must call dangerous."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, ("echo marker > '%s'" % self.path,))


class Custom:
    """A class outside the allowlist: pickles of it are suspicious, not dangerous."""

    def __init__(self, value=1):
        self.value = value


class TempDirTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="trainguard-test-")
        self.marker = os.path.join(self.dir, "marker")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, data):
        path = self.path(name)
        with open(path, "wb") as handle:
            handle.write(data)
        return path

    def evil_bytes(self):
        return pickle.dumps(Marker(self.marker), protocol=2)

    def assertNoMarker(self):
        self.assertFalse(os.path.exists(self.marker), "the payload ran: the marker file exists")

    def benign_checkpoint(self, name="benign.pt"):
        import torch

        path = self.path(name)
        torch.save({"weight": torch.arange(6, dtype=torch.float32).reshape(2, 3), "step": 3}, path)
        return path

    def evil_checkpoint(self, name="evil.pt"):
        import torch

        path = self.path(name)
        torch.save({"weight": torch.zeros(2), "payload": Marker(self.marker)}, path)
        return path


def run_python(code, env_extra, site_dir=None, cwd=None):
    """Runs code in a fresh `python3 -S` (no site-packages) that adds site_dir, like a venv would."""
    prelude = "import site, sys\n"
    if site_dir is not None:
        prelude += "site.addsitedir(%r)\n" % site_dir
    env = dict(os.environ)
    env.pop("TRAINGUARD_GUARD", None)
    env["PYTHONPATH"] = os.pathsep.join([CLIENT_ROOT, HERE] + _system_site_dirs())
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-S", "-c", prelude + code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        check=False,
    )


def _system_site_dirs():
    """torch and numpy live in the system's site directories, which -S leaves out."""
    import site

    return [d for d in site.getsitepackages() if os.path.isdir(d)]
