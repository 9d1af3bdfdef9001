"""trainguard.load: check, then torch.load from the bytes that were checked."""

import io
import os

from ._check import check_bytes, read_file_for_check
from ._source import read_source
from ._suspend import suspended


def _no_restore(consumed):
    """A path has no stream position to put back."""


def original(function):
    """The function the load hook wrapped, or the function itself."""
    return getattr(function, "__trainguard_original__", function)


def load(f, *args, signature=None, public_key=None, require_signature=None, **kwargs):
    """Like torch.load(f, ...), after trainguard found the file clean (and verified, when a
    signature is present or required). Raises trainguard.UnsafeModelError otherwise; nothing of
    the file is unpickled then.

    `signature` defaults to `<f>.sig`, `public_key` to TRAINGUARD_PUBLIC_KEY, `require_signature`
    to TRAINGUARD_REQUIRE_SIGNATURE. `mmap=True` is ignored: the checked bytes are in memory.
    """
    import torch

    if isinstance(f, (str, bytes, os.PathLike)):
        data, check = read_file_for_check(f, signature, public_key, require_signature)
        check()
        restore = _no_restore
    else:
        data, path, restore = read_source(f)
        check_bytes(
            data,
            path=path,
            signature=signature,
            public_key=public_key,
            require_signature=require_signature,
        )
    kwargs.pop("mmap", None)
    buffer = io.BytesIO(data)
    with suspended():
        result = original(torch.load)(buffer, *args, **kwargs)
    restore(buffer.tell())
    return result
