"""trainguard.load and check_bytes against a real daemon."""

import hashlib
import os
import pickle
import time
import unittest
from unittest import mock

import trainguard
from trainguard import _check, _daemon

from support import Custom, TempDirTest, needs_daemon, needs_torch


@needs_daemon
class LoadTest(TempDirTest):
    @needs_torch
    def test_load_returns_a_benign_checkpoint(self):
        state = trainguard.load(self.benign_checkpoint(), map_location="cpu")
        self.assertEqual(state["step"], 3)
        self.assertEqual(float(state["weight"].sum()), 15.0)

    @needs_torch
    def test_load_refuses_a_checkpoint_with_os_system_and_runs_nothing(self):
        path = self.evil_checkpoint()
        with self.assertRaises(trainguard.UnsafeModelError) as caught:
            trainguard.load(path)
        self.assertEqual(caught.exception.code, "not-clean")
        self.assertEqual(caught.exception.verdict, "dangerous")
        self.assertIn("system' (process)", str(caught.exception))  # posix.system
        self.assertIn("dangerous", str(caught.exception))
        self.assertNoMarker()

    @needs_torch
    def test_load_refuses_a_raw_malicious_pickle(self):
        path = self.write("evil.pkl", self.evil_bytes())
        with self.assertRaises(trainguard.UnsafeModelError):
            trainguard.load(path)
        self.assertNoMarker()

    def test_check_bytes_names_the_findings_of_pickle_bytes(self):
        with self.assertRaises(trainguard.UnsafeModelError) as caught:
            trainguard.check_bytes(self.evil_bytes())
        self.assertTrue(any(".system'" in f["message"] for f in caught.exception.findings))
        self.assertNoMarker()

    def test_check_bytes_refuses_suspicious_unless_allowed(self):
        data = pickle.dumps(Custom())
        with self.assertRaises(trainguard.UnsafeModelError) as caught:
            trainguard.check_bytes(data)
        self.assertEqual(caught.exception.verdict, "suspicious")
        with mock.patch.dict(os.environ, {"TRAINGUARD_ALLOW": "suspicious"}):
            self.assertEqual(trainguard.check_bytes(data)["verdict"], "suspicious")

    def test_second_check_of_an_unchanged_file_is_cached(self):
        path = self.write("plain.pkl", pickle.dumps({"a": [1, 2, 3]}))
        with open(path, "rb") as handle:
            data = handle.read()
        trainguard.check_bytes(data, path=path)
        self.assertTrue(trainguard.check_bytes(data, path=path)["cached"])

    def test_required_signature_that_is_missing_refuses_the_load(self):
        path = self.write("plain.pkl", pickle.dumps([1]))
        with self.assertRaises(trainguard.UnsafeModelError) as caught:
            with open(path, "rb") as handle:
                trainguard.check_bytes(handle.read(), path=path, require_signature=True)
        self.assertEqual(caught.exception.code, "not-verified")

    @needs_torch
    def test_load_by_path_with_a_required_signature_that_is_missing_is_refused(self):
        path = self.benign_checkpoint()
        with self.assertRaises(trainguard.UnsafeModelError) as caught:
            trainguard.load(path, require_signature=True)
        self.assertEqual(caught.exception.code, "not-verified")


@needs_daemon
class SameBytesTest(TempDirTest):
    """The bytes unpickled are the bytes scanned (docs/guard.md, "Check and load the same bytes")."""

    @needs_torch
    def test_a_file_swapped_before_the_daemon_reads_it_loads_only_what_the_daemon_checked(self):
        import torch

        path = self.path("model.pt")
        torch.save({"ok": True}, path)
        benign = open(path, "rb").read()
        with open(path, "wb") as handle:
            handle.write(self.evil_bytes())
        real_ask = _daemon.ask

        def swap_then_ask(request, socket_path=None):
            with open(path, "wb") as handle:  # the daemon now sees benign bytes ...
                handle.write(benign)
            return real_ask(request, socket_path)

        with mock.patch.object(_daemon, "ask", swap_then_ask):
            # ... and the client reads after the reply: it loads those, never the evil ones.
            self.assertEqual(trainguard.load(path), {"ok": True})
        self.assertNoMarker()

    @needs_torch
    def test_a_file_swapped_in_place_after_the_check_is_refused(self):
        import torch

        path = self.path("model.pt")
        torch.save({"ok": True}, path)
        real_ask = _daemon.ask

        def ask_then_swap(request, socket_path=None):
            reply = real_ask(request, socket_path)
            with open(path, "wb") as handle:
                handle.write(self.evil_bytes())
            return reply

        with mock.patch.object(_daemon, "ask", ask_then_swap):
            with self.assertRaises(trainguard.UnsafeModelError) as caught:
                trainguard.load(path)
        # The identity moved (size, ctime) and the digests differ: nothing is unpickled.
        self.assertEqual(caught.exception.code, "changed")
        self.assertNoMarker()

    @needs_torch
    def test_a_file_renamed_over_after_the_check_is_never_read(self):
        import torch

        path = self.path("model.pt")
        torch.save({"ok": True}, path)
        evil = self.write("evil.pt", self.evil_bytes())
        real_ask = _daemon.ask

        def ask_then_rename(request, socket_path=None):
            reply = real_ask(request, socket_path)
            os.replace(evil, path)  # the client's descriptor still names the checked file
            return reply

        with mock.patch.object(_daemon, "ask", ask_then_rename):
            self.assertEqual(trainguard.load(path), {"ok": True})
        self.assertNoMarker()

    @needs_torch
    def test_an_old_unchanged_file_loads_without_hashing_on_the_warm_path(self):
        import torch

        path = self.path("model.pt")
        torch.save({"ok": True}, path)
        settled = time.time() - 10
        os.utime(path, (settled, settled))
        time.sleep(2.2)  # ctime (set by utime) must be older than the daemon's 2-second margin
        trainguard.load(path)
        with open(path, "rb") as handle:
            identity = _check._identity(os.fstat(handle.fileno()))
        if not _daemon.ask({"path": path, "identity": identity}).get("sameFile"):
            self.skipTest("the temporary directory's filesystem gives no identity proof (tmpfs?)")
        with mock.patch.object(hashlib, "sha256", side_effect=AssertionError("hashed")):
            self.assertEqual(trainguard.load(path), {"ok": True})


if __name__ == "__main__":
    unittest.main()
