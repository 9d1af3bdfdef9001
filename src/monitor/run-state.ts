/**
 * What the monitor knows of one run, shared by its detectors: the ranks' start records (one per
 * attempt), world size, declared schedule and recorded changes, and a table that gathers the step
 * records of all ranks for a step so cross-rank detectors compare like with like.
 */
import type { ChangeRecord, StartRecord, StepRecord, TelemetryRecord } from "./telemetry.js";

/**
 * A step is compared once all ranks reported it, or once the run is this many steps past it (a
 * rank died or stopped reporting). Ranks deliver in batches, so one may arrive hundreds of steps
 * behind the others and must still be compared: the lag is large, and memory is bounded by
 * MAX_PENDING_ROWS instead.
 */
export const STEP_FLUSH_LAG = 1024;
export const MAX_PENDING_ROWS = 200_000;

/** Returned for the records that complete no step (most of them), instead of a new empty array. */
const NONE_READY: ReadonlyArray<readonly [number, Map<number, StepRecord>]> = Object.freeze([]);

export class RunState {
  readonly run: string;
  /** Every start record, in arrival order (several per rank across restarts). */
  readonly starts: StartRecord[] = [];
  readonly changes: ChangeRecord[] = [];
  /** Each rank's newest start: read by detectors on every step record, so not a scan. */
  readonly #latestStart = new Map<number, StartRecord>();
  readonly ranks = new Set<number>();
  worldSize = 0;
  /** Lowest rank seen: where run-wide values (the all-reduced norm) are read once. */
  minRank = Number.POSITIVE_INFINITY;
  maxStep = -1;
  /** Time of the record that first reached `maxStep`. */
  lastProgressTime = Number.NaN;
  lastTime = Number.NaN;
  readonly #pending = new Map<number, Map<number, StepRecord>>();
  #pendingRows = 0;

  constructor(run: string) {
    this.run = run;
  }

  /** Updates the shared facts; returns the steps now complete, oldest first. */
  observe(record: TelemetryRecord): ReadonlyArray<readonly [number, Map<number, StepRecord>]> {
    this.ranks.add(record.rank);
    if (record.rank < this.minRank) this.minRank = record.rank;
    if (Number.isFinite(record.time) && !(record.time <= this.lastTime))
      this.lastTime = record.time;
    if (record.type === "start") {
      this.starts.push(record);
      this.#latestStart.set(record.rank, record);
      if (record.worldSize !== undefined)
        this.worldSize = Math.max(this.worldSize, record.worldSize);
      return NONE_READY;
    }
    if (record.type === "change") {
      this.changes.push(record);
      return NONE_READY;
    }
    if (record.type !== "step") return NONE_READY;
    if (record.worldSize !== undefined) this.worldSize = Math.max(this.worldSize, record.worldSize);
    if (record.step > this.maxStep) {
      this.maxStep = record.step;
      this.lastProgressTime = record.time;
    }
    let row = this.#pending.get(record.step);
    if (row === undefined) {
      row = new Map();
      this.#pending.set(record.step, row);
    }
    if (!row.has(record.rank)) this.#pendingRows++;
    row.set(record.rank, record);
    let ready: Array<[number, Map<number, StepRecord>]> | undefined;
    const expected = Math.max(this.worldSize, 1);
    if (row.size >= expected) {
      ready = [[record.step, row]];
      this.#release(record.step, row);
    }
    if (this.maxStep - this.#oldest() >= STEP_FLUSH_LAG || this.#pendingRows > MAX_PENDING_ROWS) {
      ready ??= [];
      // Oldest first in insertion order (steps arrive nearly in order; no sort per record), and
      // past the row cap down to three quarters of it, so the next record does not flush again.
      const target =
        this.#pendingRows > MAX_PENDING_ROWS
          ? (MAX_PENDING_ROWS * 3) / 4
          : Number.POSITIVE_INFINITY;
      for (const [step, rows] of this.#pending) {
        if (this.maxStep - step < STEP_FLUSH_LAG && this.#pendingRows <= target) break;
        ready.push([step, rows]);
        this.#release(step, rows);
      }
    }
    if (ready === undefined) return NONE_READY;
    return ready.length > 1 ? ready.sort((a, b) => a[0] - b[0]) : ready;
  }

  #release(step: number, rows: Map<number, StepRecord>): void {
    this.#pending.delete(step);
    this.#pendingRows -= rows.size;
  }

  /** The oldest step still waiting, tracked lazily (steps mostly complete in order). */
  #oldest(): number {
    for (const step of this.#pending.keys()) return step;
    return this.maxStep;
  }

  /** End of data: every step still waiting for a rank, oldest first. */
  drain(): Array<[number, Map<number, StepRecord>]> {
    const rest = [...this.#pending].sort((a, b) => a[0] - b[0]);
    this.#pending.clear();
    this.#pendingRows = 0;
    return rest;
  }

  #anchor: { readonly recordTime: number; readonly now: number } | undefined;

  /**
   * The training hosts' time at server time `now`: the newest record time seen plus the server
   * time elapsed since a tick first saw it. Silence is measured on this clock, so a skewed host
   * clock, or records replayed long after they were written, do not look like silence.
   */
  hostTime(now: number): number {
    const latest = this.lastTime;
    if (Number.isNaN(latest)) return Number.NaN;
    if (this.#anchor === undefined || this.#anchor.recordTime !== latest) {
      this.#anchor = { recordTime: latest, now };
    }
    return latest + (now - this.#anchor.now);
  }

  /** The newest start record of a rank (the current attempt), if any. */
  startOf(rank: number): StartRecord | undefined {
    return this.#latestStart.get(rank);
  }
}
