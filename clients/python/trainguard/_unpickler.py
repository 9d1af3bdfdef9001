"""`pickle.Unpickler(f).load()` used directly (and `_pickle.Unpickler`, `pickle._Unpickler`).

The hook replaces those classes with subclasses that hand the unpickler a stand-in stream. The
unpickler only ever reads from the stand-in, and the stand-in holds nothing until the first
`load()`: that reads what remains of the real stream once (`read_source`: by path when the
stream is a regular file at offset 0), has those bytes checked, and serves exactly them from an
in-memory copy. After each `load()` the real stream is repositioned after what was consumed, so
code that reads several pickles in a row keeps working. Bytes that were not checked are never
unpickled: the stand-in has no other source.

An unpickler made inside a guarded load (torch.load builds its own `pickle.Unpickler` subclass)
reads the real stream directly: those bytes were checked by the outer load.
"""

import io

from ._source import read_source
from ._suspend import active, suspended


class _CheckedStream:
    """The file the unpickler is given: empty until `prepare`, then the checked bytes only."""

    def __init__(self, source, check, what):
        self._source = source
        self._check = check
        self._what = what
        self._buffer = None
        self._restore = None

    def prepare(self):
        if self._buffer is None:
            data, path, restore = read_source(self._source)
            self._check(data, path, self._what)
            self._buffer = io.BytesIO(data)
            self._restore = restore
        return self._buffer

    def reposition(self):
        if self._buffer is not None and self._restore is not None:
            self._restore(self._buffer.tell())

    # The methods an unpickler takes from its file (C: read, readline, readinto, peek optional).
    def read(self, *args):
        return self.prepare().read(*args)

    def readline(self, *args):
        return self.prepare().readline(*args)

    def readinto(self, target):
        return self.prepare().readinto(target)


def guarded_unpickler(original, check, what):
    """A subclass of the unpickler class `original` that checks its bytes before each load."""

    class GuardedUnpickler(original):
        def __init__(self, file, *args, **kwargs):
            stream = None if active() else _CheckedStream(file, check, what)
            self.__stream = stream
            super().__init__(file if stream is None else stream, *args, **kwargs)

        def load(self):
            stream = self.__stream
            if stream is None:
                return super().load()
            stream.prepare()
            try:
                with suspended():
                    return super().load()
            finally:
                stream.reposition()

    GuardedUnpickler.__name__ = original.__name__
    GuardedUnpickler.__qualname__ = original.__qualname__
    GuardedUnpickler.__module__ = original.__module__
    GuardedUnpickler.__doc__ = original.__doc__
    GuardedUnpickler.__trainguard_original__ = original
    return GuardedUnpickler
