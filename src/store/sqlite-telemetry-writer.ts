/**
 * SQLite telemetry inserts on a worker thread. better-sqlite3 is synchronous: a request's chunks
 * are megabytes of text, and writing them (WAL append, fsync at commit) would block the event
 * loop for tens of milliseconds per request while the detectors wait. The worker holds its own
 * connection to the same file (same pragmas); SQLite's write lock and busy_timeout order it with
 * the main connection's ledger appends exactly as they order two server processes.
 *
 * The worker is plain JavaScript evaluated from a string, so it runs the same from the sources
 * (tsx) and from dist/. It starts on the first insert and stops at `close()`.
 */
import { Worker } from "node:worker_threads";
import type { TelemetryChunk } from "./store.js";
import { StoreError } from "./store-error.js";

/** Columns of table `telemetry` the writer fills, in `chunkParams` order. */
export const TELEMETRY_COLUMNS = [
  "run",
  "format",
  "count",
  "min_rank",
  "max_rank",
  "min_step",
  "max_step",
  "min_time",
  "max_time",
  "received_at",
  "principal",
  "body",
] as const;

/** A chunk's column values, its body as text (PostgreSQL, and SQLite without a writer thread). */
export function chunkParams(c: TelemetryChunk): unknown[] {
  const body = c.body;
  if (typeof body === "string") return rowParams(c, body);
  // A view of the bytes, not Buffer.from(body), which would copy them before decoding.
  return rowParams(c, Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
}

function rowParams(c: TelemetryChunk, body: string | Uint8Array): unknown[] {
  return [
    c.run,
    c.format,
    c.count,
    c.minRank,
    c.maxRank,
    c.minStep,
    c.maxStep,
    c.minTime,
    c.maxTime,
    c.receivedAt,
    c.principal,
    body,
  ];
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
const Database = createRequire(workerData.from)("better-sqlite3");
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
db.pragma("busy_timeout = " + workerData.busyTimeoutMs);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
const insert = db.prepare(workerData.sql);
const insertAll = db.transaction((rows) => { for (const row of rows) insert.run(row); });
parentPort.on("message", ({ id, rows }) => {
  try {
    insertAll.immediate(rows);
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, code: error && error.code, message: String(error && error.message) });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly code?: string;
  readonly message?: string;
}

interface Waiting {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface SqliteTelemetryWriterOptions {
  /** The database file (`<home>/trainguard.db`). */
  readonly file: string;
  readonly busyTimeoutMs: number;
}

export class SqliteTelemetryWriter {
  readonly #options: SqliteTelemetryWriterOptions;
  readonly #waiting = new Map<number, Waiting>();
  readonly #inFlight = new Set<Promise<void>>();
  #worker: Worker | undefined;
  #nextId = 1;

  constructor(options: SqliteTelemetryWriterOptions) {
    this.#options = options;
  }

  /** Inserts the chunks in one `BEGIN IMMEDIATE` transaction on the worker's connection. */
  insert(chunks: readonly TelemetryChunk[]): Promise<void> {
    const worker = this.#start();
    const id = this.#nextId++;
    const done = new Promise<void>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
    });
    // Referenced only while an insert is in flight: an idle writer never holds the process open.
    if (this.#inFlight.size === 0) worker.ref();
    this.#inFlight.add(done);
    const settle = () => {
      this.#inFlight.delete(done);
      if (this.#inFlight.size === 0) worker.unref();
    };
    done.then(settle, settle);
    // Byte bodies travel as bytes (bound as a blob, cast to TEXT by the statement): a movable
    // body's buffer is moved, any other body's bytes copied once (cloning a view would copy the
    // whole buffer under it).
    const transfer: ArrayBuffer[] = [];
    const rows = chunks.map((c) => {
      const body = c.body;
      if (typeof body === "string") return rowParams(c, body);
      if (c.bodyMovable === true && body.buffer instanceof ArrayBuffer) {
        if (!transfer.includes(body.buffer)) transfer.push(body.buffer);
        return rowParams(c, body);
      }
      const copy = new Uint8Array(body);
      transfer.push(copy.buffer);
      return rowParams(c, copy);
    });
    worker.postMessage({ id, rows }, transfer);
    return done;
  }

  /** Waits for the inserts in flight, then stops the worker. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const columns = TELEMETRY_COLUMNS.join(", ");
    // The body is bound as text or as its UTF-8 bytes; CAST stores the bytes as that text.
    const params = TELEMETRY_COLUMNS.map((c) => (c === "body" ? "CAST(? AS TEXT)" : "?")).join(
      ", ",
    );
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        from: import.meta.url,
        file: this.#options.file,
        busyTimeoutMs: Math.trunc(this.#options.busyTimeoutMs),
        sql: `insert into telemetry (${columns}) values (${params})`,
      },
    });
    worker.unref();
    worker.on("message", (reply: Reply) => {
      const waiting = this.#waiting.get(reply.id);
      if (waiting === undefined) return;
      this.#waiting.delete(reply.id);
      if (reply.message === undefined) waiting.resolve();
      else waiting.reject(writeError(reply));
    });
    const fail = (error: unknown) => {
      if (this.#worker === worker) this.#worker = undefined;
      const message = error instanceof Error ? error.message : String(error);
      for (const waiting of this.#waiting.values()) {
        waiting.reject(
          new Error(`Cannot store telemetry: the writer thread stopped: ${message}`, {
            cause: error,
          }),
        );
      }
      this.#waiting.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}

function writeError(reply: Reply): Error {
  const cause = Object.assign(new Error(reply.message), { code: reply.code });
  if (reply.code === "SQLITE_BUSY") {
    return new StoreError("BUSY", "Cannot store telemetry: another writer held the database", {
      cause,
    });
  }
  return cause;
}
