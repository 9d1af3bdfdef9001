/**
 * A rank that feeds noise or a flipped gradient into the all-reduce leaves the replicas in
 * agreement (they all apply the same poisoned mean), so parameter digests are blind to it. Its own
 * pre-reduce gradient gives it away: its norm sits far from the other ranks' (windowed mean of
 * log(norm / median) above 0.5) or its sketch points away from the mean of the others
 * (leave-one-out cosine below 0 on most steps of the window). Robust statistics over a window,
 * not per-step z-scores, which reach 187 on a clean 4-rank run (research note §2).
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { StepRows } from "../run-state.js";
import { fmt, median, Window } from "../stats.js";
import type { StepRecord } from "../telemetry.js";

export const GRADIENT_WINDOW = 20;
/** Window mean of log(norm / median of ranks); honest ranks stay within ±0.16 in the prototype. */
export const NORM_LOG_RATIO_LIMIT = 0.5;
/** Share of the window's steps on which the leave-one-out cosine must be negative. */
export const NEGATIVE_COSINE_SHARE = 0.5;
/** Leave-one-out comparisons need at least this many ranks. */
const MIN_RANKS = 3;

interface RankWindows {
  readonly logRatio: Window;
  readonly cosine: Window;
}

export class GradientOutlier implements Detector {
  readonly name = "gradient_outlier";
  readonly #windows = new Map<number, RankWindows>();

  #windowsOf(rank: number): RankWindows {
    let windows = this.#windows.get(rank);
    if (windows === undefined) {
      windows = { logRatio: new Window(GRADIENT_WINDOW), cosine: new Window(GRADIENT_WINDOW) };
      this.#windows.set(rank, windows);
    }
    return windows;
  }

  // Per-step scratch, reused so a step allocates nothing: the ranks with a usable norm or sketch,
  // in the rows' order (the order the sums below are taken in), and their values. Lengths are
  // set only when the number of ranks changes: setting one is a runtime call.
  readonly #normRanks: number[] = [];
  readonly #norms: number[] = [];
  readonly #sketchRanks: number[] = [];
  readonly #sketches: Array<readonly number[]> = [];
  #sum = new Float64Array(0);

  onStep(step: number, rows: StepRows, context: DetectorContext): void {
    const normRanks = this.#normRanks;
    const norms = this.#norms;
    const sketchRanks = this.#sketchRanks;
    const sketches = this.#sketches;
    let normCount = 0;
    let sketchCount = 0;
    const { ranks, records } = rows;
    for (let k = 0; k < ranks.length; k++) {
      const rank = ranks[k] as number;
      const row = records[k] as StepRecord;
      if (
        row.localGradNorm !== undefined &&
        Number.isFinite(row.localGradNorm) &&
        row.localGradNorm > 0
      ) {
        normRanks[normCount] = rank;
        norms[normCount] = row.localGradNorm;
        normCount++;
      }
      if (row.gradSketch !== undefined && row.gradSketch.length > 0) {
        sketchRanks[sketchCount] = rank;
        sketches[sketchCount] = row.gradSketch;
        sketchCount++;
      }
    }
    if (normRanks.length !== normCount) normRanks.length = norms.length = normCount;
    if (sketchRanks.length !== sketchCount) sketchRanks.length = sketches.length = sketchCount;
    if (normCount >= MIN_RANKS) this.#checkNorms(step, normRanks, norms, context);
    if (sketchCount >= MIN_RANKS) this.#checkSketches(step, sketchRanks, sketches, context);
  }

  #checkNorms(
    step: number,
    ranks: readonly number[],
    norms: readonly number[],
    context: DetectorContext,
  ): void {
    const mid = median(norms);
    for (let r = 0; r < ranks.length; r++) {
      const rank = ranks[r] as number;
      const norm = norms[r] as number;
      const window = this.#windowsOf(rank).logRatio;
      window.push(Math.log(norm / mid));
      if (!window.full) continue;
      const score = window.mean();
      if (Math.abs(score) > NORM_LOG_RATIO_LIMIT && !context.emitted(`norm${rank}`)) {
        context.emit({
          severity: "high",
          rank,
          step,
          message:
            `rank ${rank}'s own gradient norm before all-reduce was ${fmt(Math.exp(score))}× the ` +
            `median of the ranks over the last ${window.capacity} steps: noise or scaling injected before the all-reduce`,
          evidence: {
            window_mean_log_ratio: score,
            limit: NORM_LOG_RATIO_LIMIT,
            window: window.capacity,
            local_grad_norm: norm,
            median_local_grad_norm: mid,
          },
          key: `norm${rank}`,
        });
      }
    }
  }

  /**
   * Sums the first `dim` values of the sketches into `this.#sum`; false if a sum is NaN. The values
   * are read as they are, not `?? 0`: on a holey array (the object parser's `new Array(n)`) that
   * check makes the loop several times slower. A missing value turns its sum into NaN, so only
   * then does the caller need to read the sketches again with missing values as 0 (null already
   * counts as 0 in arithmetic, as `?? 0` makes it).
   */
  #sumSketches(sketches: ReadonlyArray<readonly number[]>, dim: number): boolean {
    if (this.#sum.length < dim) this.#sum = new Float64Array(dim);
    const sum = this.#sum;
    sum.fill(0, 0, dim);
    for (const sketch of sketches) {
      for (let i = 0; i < dim; i++) sum[i] = (sum[i] as number) + (sketch[i] as number);
    }
    let total = 0;
    for (let i = 0; i < dim; i++) total += sum[i] as number;
    return !Number.isNaN(total);
  }

  #checkSketches(
    step: number,
    ranks: readonly number[],
    sketches: Array<readonly number[]>,
    context: DetectorContext,
  ): void {
    // Leave-one-out mean of the others is (sum − own) / (n − 1); its cosine with `own` needs
    // only dot(own, sum) and |sum − own|², so one pass per rank and no vector is allocated.
    let dim = Number.POSITIVE_INFINITY;
    for (const sketch of sketches) dim = Math.min(dim, sketch.length);
    if (!this.#sumSketches(sketches, dim)) {
      // Rare (a missing or non-finite value): dense copies with missing values as 0, summed again.
      for (let r = 0; r < sketches.length; r++) {
        const sketch = sketches[r] as readonly number[];
        sketches[r] = Array.from({ length: dim }, (_, i) => sketch[i] ?? 0);
      }
      this.#sumSketches(sketches, dim);
    }
    const sum = this.#sum;
    for (let r = 0; r < ranks.length; r++) {
      const rank = ranks[r] as number;
      const sketch = sketches[r] as readonly number[];
      let dot = 0;
      let own = 0;
      let rest = 0;
      for (let i = 0; i < dim; i++) {
        const x = sketch[i] as number;
        const y = (sum[i] as number) - x;
        dot += x * y;
        own += x * x;
        rest += y * y;
      }
      const value = own === 0 || rest === 0 ? Number.NaN : dot / Math.sqrt(own * rest);
      if (Number.isNaN(value)) continue;
      const window = this.#windowsOf(rank).cosine;
      window.push(value);
      if (!window.full) continue;
      const negative = window.countBelow(0);
      const score = window.mean();
      if (
        negative >= NEGATIVE_COSINE_SHARE * window.capacity &&
        score < 0 &&
        !context.emitted(`cos${rank}`)
      ) {
        context.emit({
          severity: "high",
          rank,
          step,
          message:
            `rank ${rank}'s gradient before all-reduce pointed against the other ranks' on ` +
            `${negative} of the last ${window.capacity} steps (mean leave-one-out cosine ${fmt(score)}): ` +
            "a flipped or poisoned gradient",
          evidence: {
            window_mean_cosine: score,
            negative_steps: negative,
            window: window.capacity,
            cosine: value,
          },
          key: `cos${rank}`,
        });
      }
    }
  }
}
