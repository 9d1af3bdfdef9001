"""Where records go: a per-rank JSON-lines file and, optionally, a trainguard server that a
background thread POSTs batches to. Training never waits for the network: the queue is bounded
and what does not fit (or fails to send) is counted and reported in `dropped`.

A record is written to the file before write() returns (one write system call, no fsync), so a
SIGKILL loses nothing already written. With background=True (chosen by the monitor when the model
lives on an accelerator, where reading a tensor waits for the device) the record is handed to a
writer thread instead (a queue hand-off of about a microsecond) which resolves its tensors,
encodes and writes it; the file is flushed whenever that thread has caught up. A SIGKILL then
loses the records still in the queue: those of the last step or two, unless the writer thread is
starved."""

import os
import queue
import threading
import time
import urllib.request

from ._util import dumps, fast_dumps, splice

_STOP = object()
# the writer thread may fall this many records behind before write() waits for it
MAX_BACKLOG = 10000


class Sink:
    def __init__(self, path=None, server=None, token=None, max_queue=10000, batch=500,
                 background=False, resolve=None, encode=None):
        self._lock = threading.Lock()
        self._file = None
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self._file = open(path, "a", encoding="utf-8", buffering=1 if not background else -1)
        self._resolve = resolve
        self._encode = encode
        self.dropped = 0
        self._reported_dropped = 0
        self._queue = None
        self._thread = None
        self._stop = threading.Event()
        if server:
            self._url = server.rstrip("/") + "/v1/telemetry"
            self._token = token
            self._batch = batch
            self._queue = queue.Queue(maxsize=max_queue)
            self._thread = threading.Thread(
                target=self._post_loop, name="trainguard-monitor-post", daemon=True
            )
            self._thread.start()
        self._pending = None
        self._writer = None
        if background:
            self._pending = queue.SimpleQueue()
            self._writer = threading.Thread(
                target=self._write_loop, name="trainguard-monitor-writer", daemon=True
            )
            self._writer.start()

    def write(self, record, lazy=False):
        """Write `record` (a dict). lazy: it may hold tensors, read when it is written: by
        `encode` (the record's JSON line, or None when it cannot), else by `resolve` (turns them
        into numbers in place; the record is then encoded as any other)."""
        pending = self._pending
        if pending is not None and self._writer is not None:
            if pending.qsize() > MAX_BACKLOG:
                while pending.qsize() > MAX_BACKLOG // 2 and self._writer.is_alive():
                    time.sleep(0.001)
            pending.put((record, lazy))
            return
        self._write_now(record, lazy)

    def _write_now(self, record, lazy, flush=True):
        with self._lock:
            line = None
            if lazy and self._encode is not None:
                try:
                    line = self._encode(record)
                except Exception:  # the general path below
                    line = None
            if line is not None:
                if self.dropped != self._reported_dropped:  # the field dumps would append
                    line = '%s,"dropped":%d}' % (line[:-1], self.dropped)
                    self._reported_dropped = self.dropped
            else:
                line = self._encode_general(record, lazy)
            if self._file is not None:
                try:
                    self._file.write(line + "\n")
                    if flush:
                        self._file.flush()
                except (OSError, ValueError):
                    pass
            if self._queue is not None:
                try:
                    self._queue.put_nowait(line)
                except queue.Full:
                    self.dropped += 1

    def _encode_general(self, record, lazy):
        raw = None
        if lazy and self._resolve is not None:
            try:
                raw = self._resolve(record)
            except Exception:  # never break training; the record goes out as far as it can
                pass
        if self.dropped != self._reported_dropped:
            record["dropped"] = self.dropped
            self._reported_dropped = self.dropped
        line = (fast_dumps(record) if lazy else None) or dumps(record)
        if raw:
            line = splice(line, raw)
        return line

    def _write_loop(self):
        pending = self._pending
        while True:
            item = pending.get()
            if item is _STOP:
                self._flush()
                return
            try:
                self._write_now(item[0], item[1], flush=False)
            except Exception:
                pass
            if pending.empty():
                self._flush()

    def _flush(self):
        with self._lock:
            if self._file is not None:
                try:
                    self._file.flush()
                except (OSError, ValueError):
                    pass

    def _post(self, lines):
        body = ('{"records":[' + ",".join(lines) + "]}").encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self._token:
            headers["Authorization"] = "Bearer " + self._token
        req = urllib.request.Request(self._url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                resp.read()
                ok = 200 <= resp.status < 300
        except Exception:  # network, HTTP error: count and go on
            ok = False
        if not ok:
            with self._lock:
                self.dropped += len(lines)

    def _post_loop(self):
        while True:
            try:
                first = self._queue.get(timeout=0.5)
            except queue.Empty:
                if self._stop.is_set():
                    return
                continue
            lines = [first]
            deadline = time.monotonic() + 0.2
            while len(lines) < self._batch and time.monotonic() < deadline:
                try:
                    lines.append(self._queue.get(timeout=0.05))
                except queue.Empty:
                    if self._stop.is_set():
                        break
            self._post(lines)

    def close(self, timeout=5.0):
        writer = self._writer
        if writer is not None:
            self._writer = None  # later writes go straight to the file
            self._pending.put(_STOP)
            if writer is not threading.current_thread():
                writer.join(timeout)
            self._drain()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        with self._lock:
            if self._file is not None:
                try:
                    self._file.close()
                except OSError:
                    pass
                self._file = None

    def _drain(self):
        """Records the writer thread did not get to (it was stopped or timed out)."""
        while True:
            try:
                item = self._pending.get_nowait()
            except queue.Empty:
                return
            if item is not _STOP:
                self._write_now(item[0], item[1])
