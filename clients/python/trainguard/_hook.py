"""The environment-wide load hook, switched on by TRAINGUARD_GUARD=1|enforce|warn through the
`trainguard-guard.pth` file: torch.load, pickle.load, pickle.loads, pickle.Unpickler(f).load()
(and _pickle.Unpickler, pickle._Unpickler), numpy.load (when it may unpickle) and joblib.load
check their bytes first and then load from the checked copy."""

import functools
import io
import os
import sys

from . import _config
from ._check import check_bytes, read_file_for_check
from ._errors import UnsafeModelError
from ._import_hook import patch_when_imported
from ._source import read_source
from ._suspend import active, suspended
from ._unpickler import guarded_unpickler

_mode = "enforce"
_installed = False


def _check(data, path, what):
    _enforce(lambda: check_bytes(data, path=path), what)


def _enforce(check, what):
    try:
        check()
    except UnsafeModelError as error:
        if _mode != "warn":
            raise
        sys.stderr.write("trainguard: warning: %s loads anyway (TRAINGUARD_GUARD=warn): %s\n" % (what, error))


def _wrap(original, guarded):
    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        if active():
            return original(*args, **kwargs)
        return guarded(original, *args, **kwargs)

    wrapper.__trainguard_original__ = original
    return wrapper


def _no_restore(consumed):
    """A path has no stream position to put back."""


def _load_stream(original, source, args, kwargs, what):
    if isinstance(source, (str, bytes, os.PathLike)):
        data, check = read_file_for_check(source)
        _enforce(check, what)
        restore = _no_restore
    else:
        data, path, restore = read_source(source)
        _check(data, path, what)
    buffer = io.BytesIO(data)
    with suspended():
        result = original(buffer, *args, **kwargs)
    restore(buffer.tell())
    return result


def _pickle_load(original, file, *args, **kwargs):
    return _load_stream(original, file, args, kwargs, "pickle.load")


def _pickle_loads(original, data, *args, **kwargs):
    if isinstance(data, str):
        return original(data, *args, **kwargs)  # pickle.loads rejects str; let it say so
    _check(bytes(data), None, "pickle.loads")
    with suspended():
        return original(data, *args, **kwargs)


def _torch_load(original, f, *args, **kwargs):
    kwargs.pop("mmap", None)
    return _load_stream(original, f, args, kwargs, "torch.load")


def _numpy_load(original, file, *args, **kwargs):
    allow_pickle = kwargs.get("allow_pickle", args[1] if len(args) > 1 else False)
    if not allow_pickle:
        return original(file, *args, **kwargs)  # numpy refuses to unpickle anything
    kwargs.pop("mmap_mode", None)
    args = (None,) + args[1:] if args else args
    return _load_stream(original, file, args, kwargs, "numpy.load")


def _joblib_load(original, filename, *args, **kwargs):
    kwargs.pop("mmap_mode", None)
    return _load_stream(original, filename, args, kwargs, "joblib.load")


def _patch(module, name, guarded):
    current = getattr(module, name, None)
    if current is None or hasattr(current, "__trainguard_original__"):
        return
    setattr(module, name, _wrap(current, guarded))


def _patch_unpickler(module, name, what):
    current = getattr(module, name, None)
    if current is None or hasattr(current, "__trainguard_original__"):
        return
    setattr(module, name, guarded_unpickler(current, _check, what))


def _patch_unpicklers(pickle):
    """pickle.Unpickler is _pickle.Unpickler (C); pickle._Unpickler is the Python one. One guarded
    subclass of the C class serves both names that refer to it."""
    _patch_unpickler(pickle, "_Unpickler", "pickle._Unpickler.load")
    try:
        import _pickle
    except ImportError:  # an interpreter without the C accelerator: pickle.Unpickler is Python
        _pickle = None
    if _pickle is not None and pickle.Unpickler is _pickle.Unpickler:
        _patch_unpickler(_pickle, "Unpickler", "pickle.Unpickler.load")
        pickle.Unpickler = _pickle.Unpickler
    else:
        _patch_unpickler(pickle, "Unpickler", "pickle.Unpickler.load")


def _patch_torch(torch):
    _patch(torch, "load", _torch_load)
    serialization = getattr(torch, "serialization", None)
    if serialization is not None:
        serialization.load = torch.load


def _patch_numpy(numpy):
    _patch(numpy, "load", _numpy_load)


def _patch_joblib(joblib):
    _patch(joblib, "load", _joblib_load)


def _exempt_multiprocessing(reduction):
    """multiprocessing (and torch's DataLoader workers) bind ForkingPickler.loads = pickle.loads at
    import. Those bytes come from this job's own child processes through pipes, not from a file
    anyone else could write, and checking every batch would cost a daemon round trip each."""
    forking = getattr(reduction, "ForkingPickler", None)
    loads = getattr(forking, "loads", None)
    if loads is not None and hasattr(loads, "__trainguard_original__"):
        forking.loads = loads.__trainguard_original__


def _exempt_peer_unpickler(module):
    """torch.distributed binds `_unpickler = pickle.Unpickler` at import and unpickles with it the
    objects the job's own ranks exchange (all_gather_object, broadcast_object_list, RPC). Like
    ForkingPickler's, those bytes come from the job's processes, not from a file, and a check per
    collective would cost a round trip and a temporary file each: they keep the original class."""
    current = getattr(module, "_unpickler", None)
    original = getattr(current, "__trainguard_original__", None)
    if original is not None:
        module._unpickler = original


def activate(mode=None):
    """Installs the hook (idempotent). mode: "enforce" or "warn"; default from TRAINGUARD_GUARD."""
    global _mode, _installed
    chosen = mode or _config.guard_mode()
    if chosen is None:
        return False
    _mode = chosen
    if _installed:
        return True
    _installed = True
    import pickle

    _patch(pickle, "load", _pickle_load)
    _patch(pickle, "loads", _pickle_loads)
    _patch_unpicklers(pickle)
    patch_when_imported(
        {
            "torch": _patch_torch,
            "numpy": _patch_numpy,
            "joblib": _patch_joblib,
            "multiprocessing.reduction": _exempt_multiprocessing,
            "torch.distributed.distributed_c10d": _exempt_peer_unpickler,
            "torch.distributed.rpc.internal": _exempt_peer_unpickler,
        }
    )
    return True
