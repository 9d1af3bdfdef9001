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
const NONE_READY: readonly StepRows[] = Object.freeze([]);

/** Up to this many ranks a step's rows are found by a scan; past it, through a map. */
const SCANNED_RANKS = 16;

/**
 * The step records of one step, a record per rank, in the order the ranks first reported (a
 * rank that reports the step again replaces its record in place, as a Map would). Detectors walk
 * it by index: no iterator or entry array per step, and a rank's record is found by a scan
 * while there are few ranks (no hashing).
 */
export class StepRows {
  readonly step: number;
  /** `ranks[i]` reported `records[i]`. */
  readonly ranks: number[] = [];
  readonly records: StepRecord[] = [];
  /** Rank → index, built once there are more than SCANNED_RANKS ranks. */
  #index: Map<number, number> | undefined;

  constructor(step: number) {
    this.step = step;
  }

  get size(): number {
    return this.ranks.length;
  }

  #indexOf(rank: number): number {
    if (this.#index !== undefined) return this.#index.get(rank) ?? -1;
    const ranks = this.ranks;
    for (let i = 0; i < ranks.length; i++) if (ranks[i] === rank) return i;
    return -1;
  }

  get(rank: number): StepRecord | undefined {
    const i = this.#indexOf(rank);
    return i < 0 ? undefined : this.records[i];
  }

  /** Sets a rank's record; true when the rank is new to this step. */
  set(rank: number, record: StepRecord): boolean {
    const i = this.#indexOf(rank);
    if (i >= 0) {
      this.records[i] = record;
      return false;
    }
    this.ranks.push(rank);
    this.records.push(record);
    if (this.#index !== undefined) this.#index.set(rank, this.ranks.length - 1);
    else if (this.ranks.length > SCANNED_RANKS) {
      this.#index = new Map(this.ranks.map((r, k) => [r, k]));
    }
    return true;
  }

  /** The lowest rank that reported. */
  minRank(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const rank of this.ranks) if (rank < min) min = rank;
    return min;
  }
}

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
  readonly #pending = new Map<number, StepRows>();
  /**
   * The pending steps in the order they were first seen, released ones included until the head
   * passes them: the oldest pending step without iterating the map, whose iteration skips the
   * holes its deletions leave (thousands of them when a rank delivers a batch of steps, on every
   * record). Step numbers, not rows, so a released row is not kept alive here.
   */
  #order: number[] = [];
  #head = 0;
  #pendingRows = 0;

  constructor(run: string) {
    this.run = run;
  }

  /** Updates the shared facts; returns the steps now complete, oldest first. */
  observe(record: TelemetryRecord): readonly StepRows[] {
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
      row = new StepRows(record.step);
      this.#pending.set(record.step, row);
      this.#order.push(record.step);
    }
    if (row.set(record.rank, record)) this.#pendingRows++;
    let ready: StepRows[] | undefined;
    const expected = Math.max(this.worldSize, 1);
    if (row.size >= expected) {
      ready = [row];
      this.#release(row);
    }
    if (this.maxStep - this.#oldest() >= STEP_FLUSH_LAG || this.#pendingRows > MAX_PENDING_ROWS) {
      ready ??= [];
      // Oldest first in insertion order (steps arrive nearly in order; no sort per record), and
      // past the row cap down to three quarters of it, so the next record does not flush again.
      const target =
        this.#pendingRows > MAX_PENDING_ROWS
          ? (MAX_PENDING_ROWS * 3) / 4
          : Number.POSITIVE_INFINITY;
      for (let rows = this.#first(); rows !== undefined; rows = this.#first()) {
        if (this.maxStep - rows.step < STEP_FLUSH_LAG && this.#pendingRows <= target) break;
        ready.push(rows);
        this.#release(rows);
      }
    }
    if (ready === undefined) return NONE_READY;
    return ready.length > 1 ? ready.sort((a, b) => a.step - b.step) : ready;
  }

  #release(rows: StepRows): void {
    this.#pending.delete(rows.step);
    this.#pendingRows -= rows.size;
  }

  /**
   * The pending step seen first, if any: the queue's head, past released steps. (A step released
   * and then reported again is found at its first place in the queue: it is the older one.)
   */
  #first(): StepRows | undefined {
    const order = this.#order;
    let rows: StepRows | undefined;
    while (this.#head < order.length) {
      rows = this.#pending.get(order[this.#head] as number);
      if (rows !== undefined) break;
      this.#head++;
    }
    if (this.#head >= 1024 && this.#head * 2 >= order.length) {
      this.#order = order.slice(this.#head);
      this.#head = 0;
    }
    return rows;
  }

  /** The oldest step still waiting, tracked lazily (steps mostly complete in order). */
  #oldest(): number {
    const first = this.#first();
    if (first !== undefined) return first.step;
    return this.maxStep;
  }

  /** End of data: every step still waiting for a rank, oldest first. */
  drain(): StepRows[] {
    const rest = [...this.#pending.values()].sort((a, b) => a.step - b.step);
    this.#pending.clear();
    this.#order = [];
    this.#head = 0;
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
