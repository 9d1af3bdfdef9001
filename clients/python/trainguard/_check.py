"""The check in front of every load: the bytes about to be unpickled are the bytes that were scanned.

Design (docs/guard.md, "Check and load the same bytes"): the caller reads the file ONCE into
memory and hashes it. The daemon reads the path, hashes and scans the bytes it read, and returns
their SHA-256. The check passes only when both digests are equal, and the caller then unpickles
from its in-memory copy, never from the path again. A swap before the daemon's read gives a
digest mismatch ("changed"); a swap after it is never read. Bytes that have no path of their own
(pickle.loads, an open stream) are written to a private 0600 file in a 0700 directory and checked
the same way. The CLI fallback always scans such a private copy, since it returns no digest.

Warm path (docs/guard.md, "Warm path"): for a file given by path, the client opens it, sends the
identity of its descriptor (dev, inode, size, mtime_ns, ctime_ns), and reads only after the reply.
When the daemon answers `sameFile` (that identity proves the scanned content from the scan on) and
the descriptor's identity is the same after the read, the bytes read are the bytes scanned and
nobody hashes them. Otherwise the digests are compared as above.
"""

import hashlib
import os
import shutil
import stat
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


def _judge(reply, path, verify):
    """Raises UnsafeModelError unless the reply lets the load go on."""
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
    return _judge(reply, path, verify)


IDENTITY_FIELDS = ("dev", "ino", "size", "mtimeNs", "ctimeNs")


def _identity(st):
    """The descriptor's identity as the daemon compares it, or None when it cannot be sent."""
    values = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if not stat.S_ISREG(st.st_mode) or any(v < 0 for v in values):
        return None
    return dict(zip(IDENTITY_FIELDS, (str(v) for v in values)))


def read_file_for_check(path, signature=None, public_key=None, require_signature=None):
    """Reads the file at `path` once. Returns (data, check): `check()` raises UnsafeModelError
    unless `data` may be unpickled, and returns the reply.

    The daemon is asked before the read, with the identity of the open descriptor; the read comes
    after the reply, so a `sameFile` reply covers it (see the module docstring).
    """
    path = os.path.abspath(os.fsdecode(path))
    required = _config.require_signature() if require_signature is None else require_signature
    refused = None
    reply = None
    with open(path, "rb", buffering=0) as handle:
        identity = _identity(os.fstat(handle.fileno()))
        try:
            verify = _verify_request(path, signature, public_key, required) if identity else None
        except UnsafeModelError as error:
            refused, identity = error, None  # raised by check(), so warn mode can report it
        if identity is not None:
            request = dict(path=path, identity=identity, **({"verify": verify} if verify else {}))
            reply = _daemon.ask(request)
        data = handle.readall()
        after = _identity(os.fstat(handle.fileno()))

    def check():
        if refused is not None:
            raise refused
        if reply is None:
            # No daemon (or not a regular file): check the bytes themselves, as for a stream.
            return check_bytes(data, path, signature, public_key, require_signature)
        if not (reply.get("sameFile") is True and after == identity):
            _same_bytes(reply, hashlib.sha256(data).hexdigest(), "'%s'" % path, path)
        return _judge(reply, path, verify)

    return data, check
