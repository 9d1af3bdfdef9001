/**
 * The CPU side of `POST /v1/telemetry`: decode and check a body, and, once its chunks are
 * stored, run the detectors over its records. Two steps, so the Monitor only ever sees records
 * that were stored (a failed store aborts the request and the client's retry is not a
 * duplicate). `InlineEngine` does it on the calling thread; `WorkerEngine` (worker-engine.ts)
 * runs an InlineEngine on its own thread so the server's event loop keeps serving HTTP.
 */
import type { Alert, TelemetryRecord } from "../../monitor/index.js";
import type { TelemetryChunk } from "../../store/index.js";
import { ServerError } from "../server-error.js";
import { type BodyKind, decodeTelemetryBody } from "./decode-records.js";
import { type ChunkContext, storedText, telemetryChunks } from "./telemetry-chunks.js";
import type { AlertMonitor } from "./telemetry-ingest.js";

export interface Prepared {
  /** Names the request in `commit` and `abort`. */
  readonly id: number;
  readonly accepted: number;
  readonly chunks: readonly TelemetryChunk[];
  /**
   * Set when the single chunk's text was left out (`prepareNow` with `deferText`): it is the
   * body's bytes in this range, decoded as UTF-8.
   */
  readonly textRange?: readonly [number, number] | undefined;
}

/** A detector that threw on a record: logged, and the other detectors go on. */
export interface DetectorFailure {
  readonly run: string;
  readonly message: string;
}

export interface Committed {
  readonly alerts: readonly Alert[];
  readonly failures: readonly DetectorFailure[];
}

export interface TelemetryEngine {
  /**
   * Checks the body (ServerError INVALID_REQUEST on the first bad record) into its chunks. It
   * may take `bytes` (a thread moves them): the caller must not use them afterwards.
   */
  prepare(kind: BodyKind, bytes: Buffer, context: ChunkContext): Promise<Prepared>;
  /** Runs the detectors over a prepared request's records, once they are stored. */
  commit(id: number): Promise<Committed>;
  /** Forgets a prepared request whose store failed. */
  abort(id: number): void;
  /** Silence detectors at `now` (Unix seconds). */
  tick(now: number): Promise<Committed>;
  close(): Promise<void>;
}

/** Decoding and detectors on the calling thread (the worker's, or the server's with a test Monitor). */
export class InlineEngine implements TelemetryEngine {
  readonly #monitor: AlertMonitor;
  /** Prepared requests' records (not their bodies: the bytes may have moved on, see prepareNow). */
  readonly #pending = new Map<number, readonly TelemetryRecord[]>();
  #next = 0;

  constructor(monitor: AlertMonitor) {
    this.#monitor = monitor;
  }

  prepare(kind: BodyKind, bytes: Buffer, context: ChunkContext): Promise<Prepared> {
    try {
      return Promise.resolve(this.prepareNow(kind, bytes, context));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * With `deferText`, a single-run body's text is left to the caller, who stores that range of
   * the bytes (`textRange`) as it is, instead of a decoded copy. Once this returns, the engine
   * no longer reads `bytes`: the caller may hand them on.
   */
  prepareNow(kind: BodyKind, bytes: Buffer, context: ChunkContext, deferText = false): Prepared {
    const body = decodeTelemetryBody(kind, bytes);
    let textRange: readonly [number, number] | undefined;
    const chunks = telemetryChunks(body, context, (whole) => {
      if (!deferText || whole.textRange === undefined) return storedText(whole);
      textRange = whole.textRange;
      return "";
    });
    const id = this.#next++;
    this.#pending.set(id, body.records);
    return { id, accepted: body.records.length, chunks, textRange };
  }

  commit(id: number): Promise<Committed> {
    return Promise.resolve(this.commitNow(id));
  }

  commitNow(id: number): Committed {
    const records = this.#pending.get(id);
    if (records === undefined) {
      throw new ServerError("INTERNAL", `Cannot run detectors: request ${id} is not prepared`);
    }
    this.#pending.delete(id);
    const alerts: Alert[] = [];
    const failures: DetectorFailure[] = [];
    for (const record of records) {
      try {
        const raised = this.#monitor.add(record);
        if (raised.length > 0) alerts.push(...raised);
      } catch (error) {
        // A detector's bug must not undo an acknowledged store or hide the other detectors.
        failures.push({ run: record.run, message: String((error as Error)?.stack ?? error) });
      }
    }
    return { alerts, failures };
  }

  abort(id: number): void {
    this.#pending.delete(id);
  }

  tick(now: number): Promise<Committed> {
    return Promise.resolve(this.tickNow(now));
  }

  tickNow(now: number): Committed {
    try {
      return { alerts: this.#monitor.tick(now), failures: [] };
    } catch (error) {
      return {
        alerts: [],
        failures: [{ run: "", message: String((error as Error)?.stack ?? error) }],
      };
    }
  }

  close(): Promise<void> {
    this.#pending.clear();
    return Promise.resolve();
  }
}
