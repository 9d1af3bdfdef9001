/**
 * The body of a telemetry thread (started by worker-engine.ts): an InlineEngine over the Monitor
 * `monitorFor` makes, answering one message at a time (commits before waiting prepares, below;
 * each kind in the order sent). Errors travel back as data: a
 * ServerError's code and message, or anything else as INTERNAL. telemetry-worker.ts is the
 * server's thread; a bench's thread brings a Monitor of its own.
 */
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { ServerError } from "../server-error.js";
import { InlineEngine } from "./telemetry-engine.js";
import type { AlertMonitor } from "./telemetry-ingest.js";
import type { WorkerData, WorkerReply, WorkerRequest, WorkerSettings } from "./worker-protocol.js";

export function serveTelemetry(monitorFor: (settings: WorkerSettings) => AlertMonitor): void {
  const port = parentPort;
  if (port === null) throw new Error("Cannot start the telemetry thread: not in a worker");
  const data = workerData as WorkerData;
  const engine = new InlineEngine(monitorFor(data));
  const handle = (request: WorkerRequest) => {
    let reply: WorkerReply;
    const transfer: ArrayBuffer[] = [];
    try {
      reply = answer(engine, request, transfer);
    } catch (error) {
      reply =
        error instanceof ServerError
          ? { seq: request.seq, ok: false, code: error.code, message: error.message }
          : {
              seq: request.seq,
              ok: false,
              code: "INTERNAL",
              message: String((error as Error)?.stack ?? error),
            };
    }
    port.postMessage(reply, transfer);
  };
  // Commits, aborts and ticks come on a port of their own and go before any waiting prepare: a
  // prepared request's records then live only until its store ends, not also behind the
  // requests that arrived meanwhile (records that live long are copied by every scavenge, the
  // thread's largest cost after parsing). Prepares touch no detector state, so the order of
  // Monitor updates is the order of the commits, as before.
  const monitorPort = data.monitorPort;
  monitorPort.on("message", handle);
  port.on("message", (request: WorkerRequest) => {
    let waiting = receiveMessageOnPort(monitorPort);
    for (; waiting !== undefined; waiting = receiveMessageOnPort(monitorPort)) {
      handle(waiting.message as WorkerRequest);
    }
    handle(request);
  });
}

/** `transfer` receives the buffers the reply moves back to the server. */
function answer(
  engine: InlineEngine,
  request: WorkerRequest,
  transfer: ArrayBuffer[],
): WorkerReply {
  switch (request.op) {
    case "prepare": {
      const view = request.bytes;
      const bytes = Buffer.from(view.buffer, view.byteOffset, view.length);
      const prepared = engine.prepareNow(request.kind, bytes, request.context, true);
      if (prepared.textRange === undefined) return { seq: request.seq, ok: true, ...prepared };
      // The server stores that range of the bytes as they are: they go back to it, moved.
      if (view.buffer instanceof ArrayBuffer) transfer.push(view.buffer);
      return { seq: request.seq, ok: true, ...prepared, bytes: view };
    }
    case "commit":
      return { seq: request.seq, ok: true, ...engine.commitNow(request.id) };
    case "abort":
      engine.abort(request.id);
      return { seq: request.seq, ok: true };
    case "tick":
      return { seq: request.seq, ok: true, ...engine.tickNow(request.now) };
  }
}
