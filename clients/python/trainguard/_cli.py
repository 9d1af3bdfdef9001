"""The slow path when no daemon listens: `trainguard scan --format json FILE` in a subprocess."""

import json
import os
import shlex
import shutil
import subprocess

from ._errors import GuardUnavailableError


def _command():
    configured = os.environ.get("TRAINGUARD_CLI")
    if configured:
        return shlex.split(configured)
    found = shutil.which("trainguard")
    return [found] if found else None


def scan(path):
    """Scans one file with the CLI; returns {"verdict", "findings"}."""
    command = _command()
    if command is None:
        raise GuardUnavailableError(
            "Cannot check '%s': no guard daemon listens and no trainguard CLI is on PATH "
            "(set TRAINGUARD_CLI or start `trainguard guard serve`)" % path,
            path=path,
        )
    try:
        done = subprocess.run(
            command + ["scan", "--format", "json", "--no-progress", path],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            check=False,
        )
    except OSError as error:
        raise GuardUnavailableError("Cannot run the trainguard CLI: %s" % error, path=path)
    if done.returncode not in (0, 1):
        raise GuardUnavailableError(
            "Cannot check '%s' with the trainguard CLI: exit %d: %s"
            % (path, done.returncode, done.stderr.decode("utf-8", "replace").strip()),
            path=path,
        )
    try:
        report = json.loads(done.stdout.decode("utf-8"))
        result = report["files"][0]
        return {"verdict": result["verdict"], "findings": result.get("findings", [])}
    except (ValueError, KeyError, IndexError, TypeError):
        raise GuardUnavailableError("Cannot read the trainguard CLI's report", path=path)
