/**
 * The telemetry thread (started by worker-engine.ts): an InlineEngine with the server's
 * Monitor, answering one message at a time, in order. Errors travel back as data: a
 * ServerError's code and message, or anything else as INTERNAL.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Monitor } from "../../monitor/index.js";
import { ServerError } from "../server-error.js";
import { InlineEngine } from "./telemetry-engine.js";
import type { WorkerReply, WorkerRequest, WorkerSettings } from "./worker-protocol.js";

const settings = workerData as WorkerSettings;
const engine = new InlineEngine(new Monitor({ hangSeconds: settings.hangSeconds }));
const port = parentPort;
if (port === null) throw new Error("Cannot start the telemetry thread: not in a worker");

function answer(request: WorkerRequest): WorkerReply {
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

port.on("message", (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = answer(request);
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
port.postMessage({ seq: -1, ok: true });
