/**
 * The server's telemetry path: store a request's records as chunks (one row per run, all in one
 * transaction; see telemetry-chunks.ts), feed them to the server-wide Monitor in order, and
 * record whatever alerts they raise. A timer calls
 * `monitor.tick` for the detectors that fire on silence (hangs). The Monitor lives in memory: a
 * restarted server starts with an empty one, and its detectors learn again from new records.
 */

import type { ServiceLog } from "../../ledger/service/index.js";
import type { Alert, Monitor } from "../../monitor/index.js";
import type { Store } from "../../store/index.js";
import type { Principal } from "../tokens.js";
import { type AlertRecorder, NO_TOKEN, type RecordedAlert } from "./alert-recorder.js";
import type { DecodedBody } from "./decode-records.js";
import { telemetryChunks } from "./telemetry-chunks.js";

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
  readonly monitor: AlertMonitor;
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

  /** Stores the records (all or none), then feeds them to the monitor and records its alerts. */
  async ingest(body: DecodedBody, principal: Principal): Promise<IngestResult> {
    const { records } = body;
    const chunks = telemetryChunks(body, { receivedAt: Date.now(), principal: principal.name });
    await this.#options.store.insertTelemetry(chunks);
    const raised: Alert[] = [];
    for (const record of records) {
      try {
        const alerts = this.#options.monitor.add(record);
        if (alerts.length > 0) raised.push(...alerts);
      } catch (error) {
        // A detector's bug must not undo an acknowledged store or hide the other detectors.
        this.#options.log.error({ err: error, run: record.run }, "Cannot run detectors on record");
      }
    }
    const suppressed = Math.max(0, raised.length - MAX_ALERTS_PER_REQUEST);
    if (suppressed > 0) {
      this.#options.log.warn(
        { suppressed, raised: raised.length, run: raised[MAX_ALERTS_PER_REQUEST]?.run },
        `Cannot record every alert of one request: ${suppressed} beyond ${MAX_ALERTS_PER_REQUEST} suppressed`,
      );
    }
    const alerts = await this.#options.recorder.record(raised.slice(0, MAX_ALERTS_PER_REQUEST), {
      principal: principal.name,
      tokenId: principal.tokenId,
    });
    return { accepted: records.length, alerts, suppressed };
  }

  /** Evaluates silence detectors at `now` (Unix seconds) and records their alerts. */
  async tick(now: number): Promise<readonly RecordedAlert[]> {
    let raised: Alert[];
    try {
      raised = this.#options.monitor.tick(now);
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
    await this.#options.recorder.close();
  }
}
