/**
 * The detectors over a stream of telemetry, one state per run. The same object serves the offline
 * `monitor analyze` (records of files, then `finish`) and the server (records as they arrive,
 * `tick` on a timer for detectors that fire on silence, such as hangs).
 */
import { CrossRunIndex } from "./cross-run-index.js";
import type { AlertDraft, Detector, DetectorContext } from "./detector.js";
import { createDetectors } from "./detectors/index.js";
import { RunState, type StepRows } from "./run-state.js";
import type { Alert, TelemetryRecord } from "./telemetry.js";

export interface MonitorOptions {
  /** Least seconds without progress before a hang is declared (default 3; grows with step time). */
  readonly hangSeconds?: number | undefined;
}

interface RunEntry {
  readonly state: RunState;
  readonly detectors: Detector[];
  /** One context per detector, made once: `add` runs for every record the server ingests. */
  readonly contexts: DetectorContext[];
  readonly alerts: Alert[];
  /**
   * Keys of the alerts raised, per detector name (two detectors may share one). Detectors ask
   * `emitted` on every step once a rank is flagged, so no name-and-key string is built per call.
   */
  readonly keys: Map<string, Set<string>>;
  readonly fresh: Alert[];
}

export class Monitor {
  readonly options: MonitorOptions;
  readonly #runs = new Map<string, RunEntry>();
  readonly #index = new CrossRunIndex();

  constructor(options: MonitorOptions = {}) {
    this.options = options;
  }

  #entry(run: string): RunEntry {
    let entry = this.#runs.get(run);
    if (entry === undefined) {
      const detectors = createDetectors({ hangSeconds: this.options.hangSeconds });
      const made: RunEntry = {
        state: new RunState(run),
        detectors,
        contexts: [],
        alerts: [],
        keys: new Map(),
        fresh: [],
      };
      made.contexts.push(...detectors.map((d) => this.#context(made, d)));
      this.#runs.set(run, made);
      entry = made;
    }
    return entry;
  }

  #context(entry: RunEntry, detector: Detector): DetectorContext {
    const raised = entry.keys.get(detector.name) ?? new Set<string>();
    entry.keys.set(detector.name, raised);
    return {
      state: entry.state,
      runs: this.#index,
      emitted: (key: string) => raised.has(key),
      emit: (draft: AlertDraft) => {
        const key = draft.key ?? `${draft.severity}:${draft.rank}`;
        if (raised.has(key)) return;
        raised.add(key);
        const alert: Alert = {
          detector: detector.name,
          severity: draft.severity,
          run: entry.state.run,
          rank: draft.rank,
          step: draft.step,
          message: draft.message,
          evidence: draft.evidence ?? {},
        };
        entry.alerts.push(alert);
        entry.fresh.push(alert);
      },
    };
  }

  #each(entry: RunEntry, call: (detector: Detector, context: DetectorContext) => void): void {
    for (let i = 0; i < entry.detectors.length; i++) {
      call(entry.detectors[i] as Detector, entry.contexts[i] as DetectorContext);
    }
  }

  // `add` and `#steps` run for every record the server ingests: plain loops, no closure per call.
  #steps(entry: RunEntry, rows: StepRows): void {
    const { detectors, contexts } = entry;
    for (let i = 0; i < detectors.length; i++) {
      (detectors[i] as Detector).onStep?.(rows.step, rows, contexts[i] as DetectorContext);
    }
  }

  #take(entry: RunEntry): Alert[] {
    // Most records raise nothing: a new empty array is cheaper than splicing one out.
    if (entry.fresh.length === 0) return [];
    return entry.fresh.splice(0, entry.fresh.length);
  }

  /** Feeds one record; returns the alerts it raised (also kept in `alerts(run)`). */
  add(record: TelemetryRecord): Alert[] {
    const entry = this.#entry(record.run);
    const ready = entry.state.observe(record);
    const { detectors, contexts } = entry;
    for (let i = 0; i < detectors.length; i++) {
      (detectors[i] as Detector).onRecord?.(record, contexts[i] as DetectorContext);
    }
    for (let i = 0; i < ready.length; i++) this.#steps(entry, ready[i] as StepRows);
    return this.#take(entry);
  }

  /** Detectors that fire on silence (hangs), evaluated at wall time `now` (Unix seconds). */
  tick(now: number): Alert[] {
    const raised: Alert[] = [];
    for (const entry of this.#runs.values()) {
      this.#each(entry, (d, c) => d.onTick?.(now, c));
      raised.push(...this.#take(entry));
    }
    return raised;
  }

  /** End of the data (offline analysis): compares the steps still waiting for a rank, then ends. */
  finish(): Alert[] {
    const raised: Alert[] = [];
    for (const entry of this.#runs.values()) {
      for (const rows of entry.state.drain()) this.#steps(entry, rows);
      this.#each(entry, (d, c) => d.onFinish?.(c));
      raised.push(...this.#take(entry));
    }
    return raised;
  }

  runs(): string[] {
    return [...this.#runs.keys()];
  }

  alerts(run: string): readonly Alert[] {
    return this.#runs.get(run)?.alerts ?? [];
  }
}
