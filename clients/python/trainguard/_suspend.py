"""While one guarded load runs, the loaders it calls inside (torch's legacy format calls
pickle.load, numpy.load calls pickle.load) must not check the same bytes again."""

import contextlib
import threading

_state = threading.local()


def active():
    return getattr(_state, "depth", 0) > 0


@contextlib.contextmanager
def suspended():
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1
