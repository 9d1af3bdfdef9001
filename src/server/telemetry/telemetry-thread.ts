/**
 * The body of a telemetry thread (started by worker-engine.ts): an InlineEngine over the Monitor
 * `monitorFor` makes, answering one message at a time, in order. Errors travel back as data: a
 * ServerError's code and message, or anything else as INTERNAL. telemetry-worker.ts is the
 * server's thread; a bench's thread brings a Monitor of its own.
 */
import { parentPort, workerData } from "node:worker_threads";
import { ServerError } from "../server-error.js";
import { InlineEngine } from "./telemetry-engine.js";
import type { AlertMonitor } from "./telemetry-ingest.js";
import type { WorkerReply, WorkerRequest, WorkerSettings } from "./worker-protocol.js";

export function serveTelemetry(monitorFor: (settings: WorkerSettings) => AlertMonitor): void {
  const port = parentPort;
  if (port === null) throw new Error("Cannot start the telemetry thread: not in a worker");
  const engine = new InlineEngine(monitorFor(workerData as WorkerSettings));
  port.on("message", (request: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      reply = answer(engine, request);
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
    port.postMessage(reply);
  });
}

function answer(engine: InlineEngine, request: WorkerRequest): WorkerReply {
  switch (request.op) {
    case "prepare": {
      const bytes = Buffer.from(
        request.bytes.buffer,
        request.bytes.byteOffset,
        request.bytes.length,
      );
      // The server keeps its copy of the bytes: it decodes the stored text itself.
      const prepared = engine.prepareNow(request.kind, bytes, request.context, true);
      return { seq: request.seq, ok: true, ...prepared };
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
