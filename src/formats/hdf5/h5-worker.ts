/**
 * Runs h5wasm in a worker thread. HDF5's C code can loop for a long time or abort on hostile
 * files (seen when fuzzing: `Aborted(native code called abort())`, and scans that never end);
 * a synchronous wasm call cannot be interrupted on the main thread, but a worker can be
 * terminated. One worker is reused; it is replaced after a timeout, a crash or an abort.
 */
import { Worker } from "node:worker_threads";
import { FormatError } from "../format-error.js";

/** Opening a file and reading root attributes touches metadata only: milliseconds when sound. */
export const HDF5_REQUEST_TIMEOUT_MS = 4_000;
/** Loading and compiling the 4 MB wasm module, on a slow shared machine. */
const STARTUP_TIMEOUT_MS = 60_000;
const MAX_ATTRIBUTES = 1024;

export interface WorkerRequest {
  readonly path: string;
  readonly wanted: readonly string[];
  readonly maxBytes: number;
}

export type WorkerReply =
  | { readonly ok: true; readonly names: string[]; readonly values: [string, unknown][] }
  | {
      readonly ok: false;
      readonly stage: "open" | "read" | "limit";
      readonly message: string;
      /** The wasm module aborted: it cannot be used again. */
      readonly dead: boolean;
    };

// Plain JavaScript run with `eval: true`, so it needs no build step under tsx or from dist/.
// HDF5's and Emscripten's diagnostics ("Aborted(...)") are not ours to print: silence the
// console before the module binds it (piping the worker's stdio instead kept processes alive).
const WORKER_SOURCE = `
console.error = console.warn = console.log = () => {};
const { parentPort, workerData } = require("node:worker_threads");
const ready = import(workerData.h5url).then(async (m) => {
  const lib = m.default;
  const module = await lib.ready;
  module.activate_throwing_error_handler();
  return lib;
});
ready.then(() => parentPort.postMessage({ ready: true }), (e) => parentPort.postMessage({ ready: false, message: String(e) }));
const text = (e) => String((e && e.message) || e);
const isDead = (e) => e instanceof WebAssembly.RuntimeError || /Aborted/.test(text(e));
parentPort.on("message", async ({ path, wanted, maxBytes }) => {
  const lib = await ready;
  let file;
  try {
    file = new lib.File(path, "r");
  } catch (e) {
    parentPort.postMessage({ ok: false, stage: "open", message: text(e), dead: isDead(e) });
    return;
  }
  try {
    const attrs = file.attrs;
    const names = Object.keys(attrs);
    if (names.length > ${MAX_ATTRIBUTES}) {
      parentPort.postMessage({ ok: false, stage: "limit", message: names.length + " root attributes", dead: false });
      return;
    }
    const values = [];
    for (const name of wanted) {
      const attribute = attrs[name];
      if (attribute === undefined) continue;
      const meta = attribute.metadata;
      if (!meta.vlen && meta.size * Math.max(1, meta.total_size) > maxBytes) {
        parentPort.postMessage({ ok: false, stage: "limit", message: "attribute '" + name + "' over " + maxBytes + " bytes", dead: false });
        return;
      }
      values.push([name, attribute.value]);
    }
    parentPort.postMessage({ ok: true, names, values });
  } catch (e) {
    parentPort.postMessage({ ok: false, stage: "read", message: text(e), dead: isDead(e) });
  } finally {
    try { file.close(); } catch {}
  }
});
`;

interface Live {
  readonly worker: Worker;
  readonly started: Promise<void>;
}

let live: Live | undefined;
let queue: Promise<unknown> = Promise.resolve();

function stop(target: Live): void {
  if (live === target) live = undefined;
  void target.worker.terminate();
}

function start(): Live {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { h5url: import.meta.resolve("h5wasm/node") },
  });
  worker.unref();
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("h5wasm did not start")), STARTUP_TIMEOUT_MS);
    worker.once("message", (m: { ready: boolean; message?: string }) => {
      clearTimeout(timer);
      if (m.ready) resolve();
      else reject(new Error(m.message ?? "h5wasm did not start"));
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  const made: Live = { worker, started };
  started.catch(() => stop(made));
  return made;
}

async function ask(request: WorkerRequest, timeoutMs: number): Promise<WorkerReply> {
  live ??= start();
  const current = live;
  try {
    await current.started;
  } catch (error) {
    stop(current);
    throw error;
  }
  const { worker } = current;
  return new Promise<WorkerReply>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onFail);
      worker.off("exit", onFail);
    };
    const onMessage = (reply: WorkerReply) => {
      done();
      if (!reply.ok && reply.dead) stop(current);
      resolve(reply);
    };
    const onFail = (error: unknown) => {
      done();
      stop(current);
      reject(
        new FormatError("MALFORMED", `Cannot read HDF5 file: the reader failed (${String(error)})`),
      );
    };
    const timer = setTimeout(() => {
      done();
      stop(current);
      reject(
        new FormatError("LIMIT_EXCEEDED", `Cannot read HDF5 file: no answer in ${timeoutMs} ms`),
      );
    }, timeoutMs);
    worker.on("message", onMessage);
    worker.once("error", onFail);
    worker.once("exit", onFail);
    // The worker stays unref'd; the pending timer keeps the process alive until the reply.
    worker.postMessage(request);
  });
}

/** Sends one request to the HDF5 worker; requests run one at a time. */
export function askHdf5Worker(
  request: WorkerRequest,
  timeoutMs: number = HDF5_REQUEST_TIMEOUT_MS,
): Promise<WorkerReply> {
  const next = queue.then(() => ask(request, timeoutMs));
  queue = next.catch(() => undefined);
  return next;
}
