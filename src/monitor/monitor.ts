/**
 * The detectors over a stream of telemetry, one state per run. The same object serves the offline
 * `monitor analyze` (records of files, then `finish`) and the server (records as they arrive,
 * `tick` on a timer for detectors that fire on silence, such as hangs).
 *
 * STUB: the detectors are being written; the API below is the contract.
 */
import type { Alert, TelemetryRecord } from "./telemetry.js";

export interface MonitorOptions {
  /** Seconds without progress, beyond the learned step time, before a hang is declared. */
  readonly hangSeconds?: number | undefined;
}

export class Monitor {
  readonly #alerts = new Map<string, Alert[]>();

  readonly options: MonitorOptions;

  constructor(options: MonitorOptions = {}) {
    this.options = options;
  }

  /** Feeds one record; returns the alerts it raised (already kept in `alerts(run)`). */
  add(record: TelemetryRecord): Alert[] {
    if (!this.#alerts.has(record.run)) this.#alerts.set(record.run, []);
    return [];
  }

  /** Detectors that fire on silence (hangs), evaluated at wall time `now` (Unix seconds). */
  tick(_now: number): Alert[] {
    return [];
  }

  /** End of the data (offline analysis): evaluates what can only be decided at the end. */
  finish(): Alert[] {
    return [];
  }

  runs(): string[] {
    return [...this.#alerts.keys()];
  }

  alerts(run: string): readonly Alert[] {
    return this.#alerts.get(run) ?? [];
  }
}
