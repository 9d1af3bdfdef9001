"""The check in front of every load: the bytes about to be unpickled are the bytes that were scanned.

Design (docs/guard.md, "Check and load the same bytes"): the caller reads the file ONCE into
memory and hashes it. The daemon reads the path, hashes and scans the bytes it read, and returns
their SHA-256. The check passes only when both digests are equal, and the caller then unpickles
from its in-memory copy, never from the path again. A swap before the daemon's read gives a
digest mismatch ("changed"); a swap after it is never read. Bytes that have no path of their own
(pickle.loads, an open stream) are written to a private 0600 file in a 0700 directory and checked
the same way. The CLI fallback always scans such a private copy, since it returns no digest.
"""

import hashlib
import os
import shutil
import tempfile

from . import _cli, _config, _daemon
from ._errors import UnsafeModelError

MAX_FINDINGS_IN_MESSAGE = 5


def _describe(findings):
    shown = []
    for finding in findings[:MAX_FINDINGS_IN_MESSAGE]:
        if finding.get("verdict") == "clean":
            continue
        location = finding.get("location") or {}
        where = location.get("member") or ""
        if "offset" in location:
            where = "%s@%s" % (where, location["offset"])
        shown.append("%s %s %s" % (finding.get("rule"), finding.get("message"), where))
    rest = len(findings) - MAX_FINDINGS_IN_MESSAGE
    if rest > 0:
        shown.append("and %d more" % rest)
    return "; ".join(s.strip() for s in shown)


def _private_copy(data):
    directory = tempfile.mkdtemp(prefix="trainguard-")  # mode 0700
    path = os.path.join(directory, "bytes")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return directory, path


def _verify_request(path, signature, public_key, required):
    """{"signature", "publicKey"} when a signature is present or required; None otherwise."""
    if path is None:
        if required:
            raise UnsafeModelError(
                "not-verified", "Cannot verify in-memory bytes: a signature is required", path=path
            )
        return None
    signature = signature or path + ".sig"
    key = public_key or _config.public_key()
    present = os.path.exists(signature)
    if not present and not required:
        return None
    if not present or key is None:
        raise UnsafeModelError(
            "not-verified",
            "Cannot verify '%s': %s"
            % (path, "no signature at '%s'" % signature if not present else "no public key configured (TRAINGUARD_PUBLIC_KEY)"),
            path=path,
        )
    return {"signature": os.path.abspath(signature), "publicKey": os.path.abspath(key)}


def _same_bytes(reply, digest, name, path):
    """A reply that would let the load go on must be about the very bytes we hold."""
    if reply.get("sha256") != digest and reply.get("verdict") in ("clean", "suspicious"):
        raise UnsafeModelError(
            "changed",
            "Cannot load %s: it changed between being read and being checked" % name,
            path=path,
        )


def _ask(data, digest, path, verify):
    """The reply of the daemon (or the CLI) for exactly `data`."""
    if path is not None:
        reply = _daemon.ask(dict(path=path, **({"verify": verify} if verify else {})))
        if reply is not None:
            _same_bytes(reply, digest, "'%s'" % path, path)
            return reply
    directory, copy = _private_copy(data)
    try:
        reply = _daemon.ask({"path": copy})
        if reply is not None:
            _same_bytes(reply, digest, "bytes", path)
            return reply
        if verify is not None:
            raise UnsafeModelError(
                "not-verified",
                "Cannot verify '%s' without the guard daemon (`trainguard guard serve`)" % path,
                path=path,
            )
        return _cli.scan(copy)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def check_bytes(data, path=None, signature=None, public_key=None, require_signature=None):
    """Raises UnsafeModelError unless `data` (read from `path`, if any) may be unpickled.

    Returns the reply: {"verdict", "findings", "sha256"?, "verified"?, ...}.
    """
    data = bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    if path is not None:
        path = os.path.abspath(path)
    required = _config.require_signature() if require_signature is None else require_signature
    verify = _verify_request(path, signature, public_key, required)
    reply = _ask(data, digest, path, verify)
    name = "'%s'" % path if path is not None else "bytes"
    verdict = reply.get("verdict")
    findings = reply.get("findings") or []
    allowed = ("clean", "suspicious") if _config.allow_suspicious() else ("clean",)
    if verdict not in allowed:
        raise UnsafeModelError(
            "not-clean",
            "Cannot load %s: it is %s: %s" % (name, verdict, _describe(findings) or "no details"),
            path=path,
            verdict=verdict,
            findings=findings,
        )
    if verify is not None and reply.get("verified") is not True:
        raise UnsafeModelError(
            "not-verified",
            "Cannot load %s: its signature does not verify: %s"
            % (name, "; ".join(reply.get("verifyFindings") or []) or "no details"),
            path=path,
            verdict=verdict,
            findings=findings,
        )
    return reply
