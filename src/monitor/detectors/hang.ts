/**
 * A hang is silence while the ranks are alive: no rank finished a step for many times the usual
 * step time, yet heartbeats keep arriving. NCCL/gloo timeouts take minutes to hours (BLOOM hung
 * for three); this fires after `HANG_FACTOR` × the p99 step time (at least `minSeconds`). The
 * culprit is found like ByteRobust's stack aggregation: ranks blocked in the collective share a
 * stack; the rank whose stack differs from the majority, or whose heartbeats stopped, holds the
 * others up.
 */
import type { Detector, DetectorContext } from "../detector.js";
import { fmt, quantile, Window } from "../stats.js";
import type { HeartbeatRecord, TelemetryRecord } from "../telemetry.js";

export const HANG_FACTOR = 20;
export const DEFAULT_MIN_HANG_SECONDS = 3;
/** Innermost frames that make a stack's signature. */
const SIGNATURE_FRAMES = 3;
const THRESHOLD_REFRESH = 50;

export class Hang implements Detector {
  readonly name = "hang";
  readonly minSeconds: number;
  readonly #stepTimes = new Window(200);
  readonly #lastStepTime = new Map<number, number>();
  readonly #heartbeats = new Map<number, HeartbeatRecord>();
  readonly #exited = new Set<number>();
  #lastProgress = Number.NaN;
  #lastProgressStep = -1;

  constructor(minSeconds = DEFAULT_MIN_HANG_SECONDS) {
    this.minSeconds = minSeconds;
  }

  #threshold = Number.NaN;
  #samplesSinceThreshold = 0;

  /** Step times the threshold was computed from. */
  #thresholdSamples = 0;

  /**
   * Recomputed every THRESHOLD_REFRESH step times (a sort per record would dominate ingest),
   * and on every new step time while fewer than that were known: a threshold computed before
   * the first step (heartbeats during start-up) is the floor, and must not stay it.
   */
  threshold(): number {
    const fresh = this.#samplesSinceThreshold;
    if (
      Number.isNaN(this.#threshold) ||
      fresh >= THRESHOLD_REFRESH ||
      (fresh > 0 && this.#thresholdSamples < THRESHOLD_REFRESH)
    ) {
      const p99 = quantile(this.#stepTimes.values, 0.99);
      this.#threshold = Math.max(this.minSeconds, Number.isFinite(p99) ? HANG_FACTOR * p99 : 0);
      this.#samplesSinceThreshold = 0;
      this.#thresholdSamples = this.#stepTimes.size;
    }
    return this.#threshold;
  }

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    if (!Number.isFinite(record.time)) return;
    switch (record.type) {
      case "heartbeat":
        if (record.time <= this.#lastProgress) return;
        this.#heartbeats.set(record.rank, record);
        // A heartbeat is the clock offline: the hang is reported when it would have been live.
        // Every rank's latest stack is wanted for the culprit, so wait for a full round of beats.
        if (this.#heartbeats.size >= context.state.ranks.size) this.#check(record.time, context);
        return;
      case "exit":
        this.#check(record.time, context);
        // A rank that ended is not alive: its last heartbeats must not make a later gap a hang.
        this.#exited.add(record.rank);
        this.#heartbeats.delete(record.rank);
        return;
      case "start":
        this.#exited.delete(record.rank);
        this.#progress(record.time, context);
        return;
      case "step": {
        const previous = this.#lastStepTime.get(record.rank);
        const duration =
          record.stepTime ?? (previous === undefined ? undefined : record.time - previous);
        if (duration !== undefined && Number.isFinite(duration) && duration >= 0) {
          this.#stepTimes.push(duration);
          this.#samplesSinceThreshold++;
        }
        this.#lastStepTime.set(record.rank, record.time);
        if (record.step > this.#lastProgressStep) this.#lastProgressStep = record.step;
        this.#progress(record.time, context);
        return;
      }
      default:
        return;
    }
  }

  /** `now` is the server's clock; silence is measured on the hosts' (RunState.hostTime). */
  onTick(now: number, context: DetectorContext): void {
    const hostNow = context.state.hostTime(now);
    if (!Number.isNaN(hostNow)) this.#check(hostNow, context);
  }

  onFinish(context: DetectorContext): void {
    this.#check(context.state.lastTime, context);
  }

  #progress(time: number, context: DetectorContext): void {
    if (time > this.#lastProgress || Number.isNaN(this.#lastProgress)) {
      this.#check(time, context);
      this.#lastProgress = time;
      // Progress comes with nearly every step record; clearing a map allocates a new table even
      // when it is empty, so only clear one that holds beats.
      if (this.#heartbeats.size > 0) this.#heartbeats.clear();
    }
  }

  /** Raises a hang if the silence up to `now` is too long and some rank was alive in it. */
  #check(now: number, context: DetectorContext): void {
    const silence = now - this.#lastProgress;
    const threshold = this.threshold();
    if (!(silence > threshold) || this.#heartbeats.size === 0) return;
    const culprit = this.#culprit(context);
    const step = this.#lastProgressStep + 1;
    context.emit({
      severity: "high",
      rank: culprit.ranks.length === 1 ? (culprit.ranks[0] ?? null) : null,
      step,
      message:
        `no rank finished step ${step} for ${fmt(silence)} s (limit ${fmt(threshold)} s) while ranks were alive` +
        (culprit.ranks.length > 0 ? `: ${culprit.why}` : ""),
      evidence: {
        silent_seconds: silence,
        threshold_seconds: threshold,
        last_completed_step: this.#lastProgressStep,
        culprit_ranks: culprit.ranks,
        stacks: Object.fromEntries([...this.#heartbeats].map(([r, h]) => [r, h.stack ?? []])),
      },
      key: `hang${this.#lastProgress}`,
    });
  }

  #culprit(context: DetectorContext): { ranks: number[]; why: string } {
    const alive = [...this.#heartbeats.keys()];
    const silent = [...context.state.ranks].filter(
      (r) => !alive.includes(r) && !this.#exited.has(r) && r >= 0,
    );
    const groups = new Map<string, number[]>();
    for (const [rank, heartbeat] of this.#heartbeats) {
      const signature = (heartbeat.stack ?? []).slice(-SIGNATURE_FRAMES).join(" < ");
      groups.set(signature, [...(groups.get(signature) ?? []), rank]);
    }
    const sorted = [...groups].sort((a, b) => b[1].length - a[1].length);
    const [largest, second] = sorted;
    if (largest !== undefined && second !== undefined && largest[1].length > second[1].length) {
      const ranks = sorted
        .slice(1)
        .flatMap(([, r]) => r)
        .sort((a, b) => a - b);
      const where = sorted[1]?.[0] ?? "";
      return {
        ranks,
        why: `rank${ranks.length > 1 ? "s" : ""} ${ranks.join(", ")} ${ranks.length > 1 ? "are" : "is"} in ${where || "another place"} while the others wait in ${largest[0] || "the same place"}`,
      };
    }
    if (silent.length > 0 && alive.length > 0) {
      return {
        ranks: silent,
        why: `rank${silent.length > 1 ? "s" : ""} ${silent.join(", ")} stopped sending heartbeats`,
      };
    }
    return { ranks: [], why: "" };
  }
}
