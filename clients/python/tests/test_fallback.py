"""Without a daemon: the trainguard CLI checks a private copy; without either, nothing loads."""

import os
import pickle
import unittest
from unittest import mock

import trainguard

from support import TempDirTest

CLI = os.environ.get("TRAINGUARD_TEST_CLI")


class FallbackTest(TempDirTest):
    def no_daemon(self, cli):
        return mock.patch.dict(
            os.environ,
            {"TRAINGUARD_GUARD_SOCKET": self.path("nobody.sock"), "TRAINGUARD_CLI": cli},
        )

    @unittest.skipUnless(CLI, "TRAINGUARD_TEST_CLI is not set: skipped")
    def test_the_cli_refuses_a_malicious_pickle_when_no_daemon_listens(self):
        with self.no_daemon(CLI):
            with self.assertRaises(trainguard.UnsafeModelError) as caught:
                trainguard.check_bytes(self.evil_bytes())
        self.assertEqual(caught.exception.verdict, "dangerous")
        self.assertNoMarker()

    @unittest.skipUnless(CLI, "TRAINGUARD_TEST_CLI is not set: skipped")
    def test_the_cli_passes_a_clean_pickle_when_no_daemon_listens(self):
        with self.no_daemon(CLI):
            self.assertEqual(trainguard.check_bytes(pickle.dumps([1, 2]))["verdict"], "clean")

    def test_nothing_loads_when_neither_daemon_nor_cli_can_check(self):
        with self.no_daemon(self.path("no-such-cli")):
            with self.assertRaises(trainguard.GuardUnavailableError) as caught:
                trainguard.check_bytes(pickle.dumps([1]))
        self.assertEqual(caught.exception.code, "unavailable")
        self.assertIsInstance(caught.exception, trainguard.UnsafeModelError)


if __name__ == "__main__":
    unittest.main()
