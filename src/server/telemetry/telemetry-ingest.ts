/**
 * The server's telemetry path: check a request's records, store them as chunks (one row per
 * run, all in one transaction; see telemetry-chunks.ts), feed them to the server-wide Monitor in
 * order (telemetry-engine.ts: on its own thread by default), and record whatever alerts they
 * raise. A timer calls
 * `monitor.tick` for the detectors that fire on silence (hangs). The Monitor lives in memory: a
 * restarted server starts with an empty one, and its detectors learn again from new records.
 */

import type { ServiceLog } from "../../ledger/service/index.js";
import type { Alert, Monitor } from "../../monitor/index.js";
import type { Store } from "../../store/index.js";
import type { Principal } from "../tokens.js";
import { type AlertRecorder, NO_TOKEN, type RecordedAlert } from "./alert-recorder.js";
import type { BodyKind } from "./decode-records.js";
import type { Committed, TelemetryEngine } from "./telemetry-engine.js";

/** What the server needs of a Monitor; tests inject a subclass with a detector of their own. */
export type AlertMonitor = Pick<Monitor, "add" | "tick">;

/**
 * Alerts one request records at most. A detector that fires on every record (a log replayed
 * out of order) must not turn each telemetry record into a ledger entry; the rest are counted
 * in the answer (`suppressed`) and logged.
 */
export const MAX_ALERTS_PER_REQUEST = 1000;

/** How often silence detectors are evaluated by default. */
export const DEFAULT_TICK_MS = 2000;

export interface TelemetryIngestOptions {
  readonly store: Store;
  /** Decoding and detectors: on the server's thread or its own (telemetry-engine.ts). */
  readonly engine: TelemetryEngine;
  readonly recorder: AlertRecorder;
  readonly log: ServiceLog;
  /** Milliseconds between `monitor.tick` calls (default 2,000). */
  readonly tickMs?: number | undefined;
}

export interface IngestResult {
  readonly accepted: number;
  readonly alerts: readonly RecordedAlert[];
  /** Alerts raised beyond MAX_ALERTS_PER_REQUEST: counted and logged, not recorded. */
  readonly suppressed: number;
}

export class TelemetryIngest {
  readonly #options: TelemetryIngestOptions;
  readonly #timer: NodeJS.Timeout;
  #ticking: Promise<void> | undefined;

  constructor(options: TelemetryIngestOptions) {
    this.#options = options;
    this.#timer = setInterval(() => {
      this.#ticking ??= this.tick(Date.now() / 1000).then(() => {
        this.#ticking = undefined;
      });
    }, options.tickMs ?? DEFAULT_TICK_MS).unref();
  }

  /**
   * Checks the body, stores its records (all or none), then runs the detectors over them and
   * records their alerts.
   */
  async ingest(kind: BodyKind, bytes: Buffer, principal: Principal): Promise<IngestResult> {
    const { engine, store, log } = this.#options;
    const prepared = await engine.prepare(kind, bytes, {
      receivedAt: Date.now(),
      principal: principal.name,
    });
    try {
      await store.insertTelemetry(prepared.chunks);
    } catch (error) {
      engine.abort(prepared.id);
      throw error;
    }
    const raised = this.#logFailures(await engine.commit(prepared.id));
    const suppressed = Math.max(0, raised.length - MAX_ALERTS_PER_REQUEST);
    if (suppressed > 0) {
      log.warn(
        { suppressed, raised: raised.length, run: raised[MAX_ALERTS_PER_REQUEST]?.run },
        `Cannot record every alert of one request: ${suppressed} beyond ${MAX_ALERTS_PER_REQUEST} suppressed`,
      );
    }
    const alerts = await this.#options.recorder.record(raised.slice(0, MAX_ALERTS_PER_REQUEST), {
      principal: principal.name,
      tokenId: principal.tokenId,
    });
    return { accepted: prepared.accepted, alerts, suppressed };
  }

  #logFailures(committed: Committed): readonly Alert[] {
    for (const failure of committed.failures) {
      this.#options.log.error(
        { err: failure.message, run: failure.run },
        "Cannot run detectors on record",
      );
    }
    return committed.alerts;
  }

  /** Evaluates silence detectors at `now` (Unix seconds) and records their alerts. */
  async tick(now: number): Promise<readonly RecordedAlert[]> {
    let raised: readonly Alert[];
    try {
      raised = this.#logFailures(await this.#options.engine.tick(now));
    } catch (error) {
      this.#options.log.error({ err: error }, "Cannot run silence detectors");
      return [];
    }
    return this.#options.recorder.record(raised, { tokenId: NO_TOKEN }).catch((error: unknown) => {
      this.#options.log.error({ err: error }, "Cannot record alerts of silence detectors");
      return [];
    });
  }

  /** Stops the timer, waits for a tick in progress, then flushes pending alerts. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#ticking;
    await this.#options.engine.close();
    await this.#options.recorder.close();
  }
}
