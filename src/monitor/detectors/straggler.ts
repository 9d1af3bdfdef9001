/**
 * Under synchronous data parallelism every rank waits at the all-reduce for the slowest one, so
 * step times are equal and say nothing; the time each rank spent *waiting* does. The rank that
 * waited far less than the others at a step is the one they waited for. A rank that is that late
 * again and again within a window is a straggler: a slow host, or sleeps slipped into its code.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { StepRows } from "../run-state.js";
import { fmt, median } from "../stats.js";
import type { StepRecord } from "../telemetry.js";

/** A rank is late at a step when the others waited this much longer than it did. */
export const LATE_SECONDS = 0.1;
export const STRAGGLER_WINDOW = 50;
export const STRAGGLER_COUNT = 5;

export class Straggler implements Detector {
  readonly name = "straggler";
  readonly #late = new Map<number, Array<{ step: number; lateness: number }>>();

  // Per-step scratch, reused so a step allocates nothing: the ranks with a finite wait, in the
  // rows' order, their waits (the first `n` entries hold this step's), and the waits of all but
  // one of them. Lengths are set only when the number of ranks changes: it is a runtime call.
  readonly #ranks: number[] = [];
  readonly #waits: number[] = [];
  readonly #others: number[] = [];

  onStep(step: number, rows: StepRows, context: DetectorContext): void {
    const ranks = this.#ranks;
    const waits = this.#waits;
    const others = this.#others;
    let n = 0;
    for (let k = 0; k < rows.size; k++) {
      const wait = (rows.records[k] as StepRecord).waitTime;
      if (wait !== undefined && Number.isFinite(wait)) {
        ranks[n] = rows.ranks[k] as number;
        waits[n] = wait;
        n++;
      }
    }
    if (n < 2) return;
    for (let i = 0; i < n; i++) {
      const rank = ranks[i] as number;
      const wait = waits[i] as number;
      let k = 0;
      for (let j = 0; j < n; j++) if (ranks[j] !== rank) others[k++] = waits[j] as number;
      if (others.length !== k) others.length = k;
      const lateness = median(others) - wait;
      if (!(lateness > LATE_SECONDS)) continue;
      const history = (this.#late.get(rank) ?? []).filter((h) => h.step > step - STRAGGLER_WINDOW);
      history.push({ step, lateness });
      this.#late.set(rank, history);
      if (history.length < STRAGGLER_COUNT || context.emitted(`rank${rank}`)) continue;
      const typical = median(history.map((h) => h.lateness));
      context.emit({
        severity: "high",
        rank,
        step,
        message:
          `rank ${rank} held the other ranks up by a median of ${fmt(typical)} s on ${history.length} ` +
          `of the last ${STRAGGLER_WINDOW} steps`,
        evidence: {
          late_steps: history.map((h) => h.step),
          median_lateness_seconds: typical,
          late_seconds: LATE_SECONDS,
          window: STRAGGLER_WINDOW,
        },
        key: `rank${rank}`,
      });
    }
  }
}
