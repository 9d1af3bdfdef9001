/**
 * The telemetry engine on its own thread. Decoding a body and running the detectors cost about
 * 10 µs per record; on the server's thread that capped ingest near 60,000 records/s while the
 * second core idled. Here the event loop only reads requests and writes the ledger, and the
 * thread gets a young generation large enough that a request's records (a batch of 5,000 is
 * tens of MB of short-lived objects) die there instead of being copied by every scavenge.
 *
 * A request's body moves to the thread (transferred, not copied) and, when its stored text is a
 * range of it, back again with the chunk metadata: the store writes those bytes as they are. If
 * the thread dies (a bug, out of memory), waiting requests fail with INTERNAL and the next
 * request starts a new thread, whose detectors begin again with no history: the log says so.
 */
import { isUtf8 } from "node:buffer";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { ServiceLog } from "../../ledger/service/index.js";
import { ServerError } from "../server-error.js";
import type { BodyKind } from "./decode-records.js";
import type { ChunkContext } from "./telemetry-chunks.js";
import type { Committed, Prepared, TelemetryEngine } from "./telemetry-engine.js";
import type { WorkerData, WorkerReply, WorkerRequest, WorkerSettings } from "./worker-protocol.js";

/**
 * Young generation of the telemetry thread (96 MB: two 32 MB semi-spaces). V8's default (16 MB
 * semi-spaces) makes every scavenge during a 5,000-record batch copy the batch's live records;
 * a larger semi-space gave about 15 % more records/s in an earlier bench:ingest trial, and 192 MB
 * no more than 96 on this machine.
 */
export const TELEMETRY_YOUNG_GENERATION_MB = 96;
/** How long `close` waits for requests in flight (the HTTP server has stopped taking new ones). */
const CLOSE_WAIT_MS = 10_000;

/**
 * Loads the thread's module: from the sources (tests, development) through tsx's loader, which
 * a worker does not inherit; from dist/ directly.
 */
const BOOT = `
const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsx !== undefined) (await import(workerData.tsx)).register();
  await import(workerData.module);
})();
`;

function workerModule(override: URL | undefined): { module: string; tsx?: string } {
  const fromSources = import.meta.url.endsWith(".ts");
  const module = (
    override ??
    new URL(fromSources ? "./telemetry-worker.ts" : "./telemetry-worker.js", import.meta.url)
  ).href;
  return module.endsWith(".ts") ? { module, tsx: import.meta.resolve("tsx/esm/api") } : { module };
}

/** A view over the whole of an ArrayBuffer of its own (not a slice of Node's Buffer pool). */
function ownsBuffer(view: Uint8Array): view is Uint8Array<ArrayBuffer> {
  return (
    view.buffer instanceof ArrayBuffer &&
    view.byteOffset === 0 &&
    view.byteLength === view.buffer.byteLength
  );
}

export interface WorkerEngineOptions extends WorkerSettings {
  readonly log: ServiceLog;
  readonly youngGenerationMb?: number | undefined;
  /** The thread's module (tests: one that fails on purpose); default telemetry-worker. */
  readonly module?: URL | undefined;
}

type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, "seq"> : never) : never;

/** A running thread and the port for everything but prepares (see telemetry-thread.ts). */
interface Thread {
  readonly worker: Worker;
  readonly monitorPort: MessagePort;
}

interface Waiting {
  readonly resolve: (reply: WorkerReply & { ok: true }) => void;
  readonly reject: (error: unknown) => void;
}

export class WorkerEngine implements TelemetryEngine {
  readonly #options: WorkerEngineOptions;
  readonly #waiting = new Map<number, Waiting>();
  #thread: Thread | undefined;
  #seq = 0;
  #started = 0;
  #closed = false;
  /** Called when the last waiting request is answered (set by `close`). */
  #idle: (() => void) | undefined;

  constructor(options: WorkerEngineOptions) {
    this.#options = options;
  }

  #start(): Thread {
    if (this.#thread !== undefined) return this.#thread;
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = { hangSeconds: this.#options.hangSeconds, monitorPort: port2 };
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { ...workerModule(this.#options.module), ...data },
      transferList: [port2],
      resourceLimits: {
        maxYoungGenerationSizeMb: this.#options.youngGenerationMb ?? TELEMETRY_YOUNG_GENERATION_MB,
      },
    });
    if (this.#started++ > 0) {
      this.#options.log.error(
        { restarts: this.#started - 1 },
        "Telemetry thread restarted: its detectors start again without the runs' history",
      );
    }
    worker.on("message", (reply: WorkerReply) => {
      const waiting = this.#waiting.get(reply.seq);
      if (waiting === undefined) return;
      this.#waiting.delete(reply.seq);
      if (reply.ok) waiting.resolve(reply);
      else waiting.reject(new ServerError(reply.code, reply.message));
      if (this.#waiting.size === 0) this.#idle?.();
    });
    // Commits, aborts and ticks go on port1: the thread takes them before waiting prepares.
    const thread: Thread = { worker, monitorPort: port1 };
    const fail = (error: unknown) => {
      if (this.#thread !== thread) return;
      this.#thread = undefined;
      port1.close();
      if (!this.#closed) this.#options.log.error({ err: error }, "Telemetry thread stopped");
      const failure = new ServerError(
        "INTERNAL",
        "Cannot ingest telemetry: the telemetry thread stopped",
        {
          cause: error,
        },
      );
      for (const waiting of this.#waiting.values()) waiting.reject(failure);
      this.#waiting.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`telemetry thread exited with code ${code}`)));
    this.#thread = thread;
    return thread;
  }

  #call(request: Request, transfer: ArrayBuffer[] = []): Promise<WorkerReply & { ok: true }> {
    if (this.#closed) {
      return Promise.reject(
        new ServerError("INTERNAL", "Cannot ingest telemetry: the server is closing"),
      );
    }
    const { worker, monitorPort } = this.#start();
    const seq = this.#seq++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(seq, { resolve, reject });
      (request.op === "prepare" ? worker : monitorPort).postMessage({ ...request, seq }, transfer);
    });
  }

  async prepare(kind: BodyKind, bytes: Buffer, context: ChunkContext): Promise<Prepared> {
    // The body moves to the thread when it is the whole of its buffer (a request body of more
    // than 4 KB is), else it is copied. When the stored text is a range of it (a single-run
    // body), the thread moves it back and the range is stored as bytes: never decoded here.
    const view = ownsBuffer(bytes) ? bytes : new Uint8Array(bytes);
    const reply = await this.#call({ op: "prepare", kind, bytes: view, context }, [view.buffer]);
    const chunks = reply.chunks ?? [];
    const prepared = { id: reply.id ?? -1, accepted: reply.accepted ?? 0 };
    const range = reply.textRange;
    if (range === undefined) return { ...prepared, chunks };
    if (reply.bytes === undefined) {
      throw new ServerError("INTERNAL", "Cannot store telemetry: the thread kept the body");
    }
    const stored = reply.bytes.subarray(range[0], range[1]);
    // Invalid UTF-8 is stored as its decoding (U+FFFD for each bad sequence), as before.
    const body = isUtf8(stored)
      ? stored
      : Buffer.from(stored.buffer, stored.byteOffset, stored.length).toString("utf8");
    // The buffer came back from the thread and holds nothing else: the store may move it on.
    const bodyMovable = body === stored ? true : undefined;
    return { ...prepared, chunks: chunks.map((chunk) => ({ ...chunk, body, bodyMovable })) };
  }

  async commit(id: number): Promise<Committed> {
    const reply = await this.#call({ op: "commit", id });
    return { alerts: reply.alerts ?? [], failures: reply.failures ?? [] };
  }

  abort(id: number): void {
    this.#call({ op: "abort", id }).catch(() => undefined);
  }

  async tick(now: number): Promise<Committed> {
    const reply = await this.#call({ op: "tick", now });
    return { alerts: reply.alerts ?? [], failures: reply.failures ?? [] };
  }

  /** Waits (up to CLOSE_WAIT_MS) for the requests in flight, then stops the thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#waiting.size > 0) {
      await new Promise<void>((resolve) => {
        this.#idle = resolve;
        setTimeout(resolve, CLOSE_WAIT_MS).unref();
      });
    }
    this.#closed = true;
    const thread = this.#thread;
    this.#thread = undefined;
    thread?.monitorPort.close();
    await thread?.worker.terminate();
  }
}
