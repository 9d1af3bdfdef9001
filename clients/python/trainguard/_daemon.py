"""Asks the guard daemon (`trainguard guard serve`) over its Unix socket: one JSON line each way."""

import json
import os
import socket
import stat

from . import _config
from ._errors import GuardUnavailableError

MAX_REPLY_BYTES = 16 * 1024 * 1024


def _usable(path):
    """Only a socket owned by this user: anyone else's socket could answer "clean" to anything."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISSOCK(st.st_mode) and st.st_uid == os.getuid()


def ask(request, socket_path=None):
    """Returns the reply dict, or None when no daemon of ours listens (so the caller falls back)."""
    path = socket_path or _config.socket_path()
    if not hasattr(socket, "AF_UNIX") or not _usable(path):
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(_config.timeout_s())
        try:
            conn.connect(path)
        except OSError:
            return None
        conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
        chunks = []
        size = 0
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if b"\n" in chunk or size > MAX_REPLY_BYTES:
                break
    except OSError as error:
        raise GuardUnavailableError("Cannot ask the guard daemon at '%s': %s" % (path, error))
    finally:
        conn.close()
    line = b"".join(chunks).split(b"\n", 1)[0]
    try:
        reply = json.loads(line.decode("utf-8"))
    except ValueError:
        raise GuardUnavailableError("Cannot read the guard daemon's reply: it is not JSON")
    if not isinstance(reply, dict):
        raise GuardUnavailableError("Cannot read the guard daemon's reply: it is not an object")
    if "error" in reply:
        error = reply.get("error") or {}
        raise GuardUnavailableError(
            "Cannot check with the guard daemon: %s (%s)" % (error.get("message"), error.get("code"))
        )
    return reply
