"""Where records go: a per-rank JSON-lines file (flushed per record) and, optionally, a trainguard
server that a background thread POSTs batches to. Training never waits for the network: the queue
is bounded and what does not fit (or fails to send) is counted and reported in `dropped`."""

import os
import queue
import threading
import time
import urllib.request

from ._util import dumps


class Sink:
    def __init__(self, path=None, server=None, token=None, max_queue=10000, batch=500):
        self._lock = threading.Lock()
        self._file = None
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self._file = open(path, "a", encoding="utf-8", buffering=1)
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

    def write(self, record):
        with self._lock:
            if self.dropped != self._reported_dropped:
                record["dropped"] = self.dropped
                self._reported_dropped = self.dropped
            line = dumps(record)
            if self._file is not None:
                try:
                    self._file.write(line + "\n")
                    self._file.flush()
                except (OSError, ValueError):
                    pass
            if self._queue is not None:
                try:
                    self._queue.put_nowait(line)
                except queue.Full:
                    self.dropped += 1

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
