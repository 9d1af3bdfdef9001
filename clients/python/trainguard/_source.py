"""Reads what a loader was given (a path or an open binary stream) into memory, once."""

import io
import os


def read_source(source):
    """Returns (bytes, absolute path or None, restore) where restore(consumed) repositions a stream.

    A path is read whole. A stream is read from its position to its end; a stream opened on a
    regular file at position 0 keeps its path, so the daemon can check (and cache) it by path.
    """
    if isinstance(source, (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(source))
        with open(path, "rb") as handle:
            return handle.read(), path, lambda consumed: None
    start = None
    try:
        if source.seekable():
            start = source.tell()
    except (AttributeError, OSError, ValueError):
        start = None
    data = source.read()
    if not isinstance(data, bytes):
        data = bytes(data)
    path = None
    name = getattr(source, "name", None)
    if start == 0 and isinstance(name, str) and os.path.isfile(name) and not isinstance(source, io.BytesIO):
        path = os.path.abspath(name)

    def restore(consumed):
        if start is not None:
            source.seek(start + consumed)

    return data, path, restore
