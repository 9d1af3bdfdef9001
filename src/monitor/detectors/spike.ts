/**
 * Loss and gradient-norm spikes, the way large runs watch for them: a value above the mean + 6σ of
 * the last 128 (OLMo-core's stability monitor) or above 10× the maximum of the first 100 values
 * (Megatron's "spiky loss"). Spikes happen in healthy runs, so one spike is a warning; a non-finite
 * value, or a spike rate of several in a window, is high.
 */
import type { Detector, DetectorContext } from "../detector.js";
import { fmt, Window } from "../stats.js";
import type { StepRecord, TelemetryRecord } from "../telemetry.js";

export const SPIKE_WINDOW = 128;
export const SPIKE_SIGMAS = 6;
/** Samples needed before the mean and deviation mean anything. */
export const SPIKE_MIN_SAMPLES = 20;
const EARLY_SAMPLES = 100;
const EARLY_FACTOR = 10;
/** Spikes within the last RATE_WINDOW steps that make the spiking persistent. */
const RATE_WINDOW = 50;
const RATE_COUNT = 3;
/**
 * Most spike steps a series keeps. A level shift (a resume from an older checkpoint, a replayed
 * log) makes every later value a spike, since spikes stay out of the window: the list must not
 * grow with the run, nor be scanned whole on every record.
 */
const KEPT_SPIKES = 4 * RATE_WINDOW;

type Metric = "loss" | "grad_norm";

interface Series {
  readonly window: Window;
  earlyMax: number;
  earlyCount: number;
  /** Steps of the recent spikes, in arrival order (at most KEPT_SPIKES). */
  spikes: number[];
}

export class Spike implements Detector {
  readonly name = "spike";
  /** Loss per rank, and the all-reduced norm once: keyed by number, no key string per record. */
  readonly #loss = new Map<number, Series>();
  #gradNorm: Series | undefined;

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    if (record.type !== "step") return;
    this.#observe(record, "loss", record.loss, context);
    // The all-reduced norm is the same on every rank: watch it once, on the lowest rank seen.
    if (record.rank === context.state.minRank) {
      this.#observe(record, "grad_norm", record.gradNorm, context);
    }
  }

  #observe(
    record: StepRecord,
    metric: Metric,
    value: number | undefined,
    context: DetectorContext,
  ): void {
    if (value === undefined) return;
    const rank = metric === "loss" ? record.rank : null;
    if (!Number.isFinite(value)) {
      context.emit({
        severity: "high",
        rank,
        step: record.step,
        message: `${metric} became ${value} at step ${record.step}${rank === null ? "" : ` on rank ${rank}`}`,
        evidence: { metric, value: String(value), source: record.source },
        key: `nonfinite${metric}${rank ?? ""}`,
      });
      return;
    }
    let series = rank === null ? this.#gradNorm : this.#loss.get(rank);
    if (series === undefined) {
      series = {
        window: new Window(SPIKE_WINDOW),
        earlyMax: Number.NEGATIVE_INFINITY,
        earlyCount: 0,
        spikes: [],
      };
      if (rank === null) this.#gradNorm = series;
      else this.#loss.set(rank, series);
    }
    const windowMean = series.window.mean();
    const windowStd = series.window.standardDeviation();
    const limit = windowMean + SPIKE_SIGMAS * windowStd;
    const bySigma = series.window.size >= SPIKE_MIN_SAMPLES && value > limit;
    const byEarly = series.earlyCount >= EARLY_SAMPLES && value > EARLY_FACTOR * series.earlyMax;
    if (series.earlyCount < EARLY_SAMPLES) {
      series.earlyMax = Math.max(series.earlyMax, value);
      series.earlyCount++;
    }
    if (!(bySigma || byEarly)) {
      series.window.push(value);
      return;
    }
    // A spike is kept out of the window so it does not widen the band it is judged by.
    const spikes = series.spikes;
    spikes.push(record.step);
    const since = record.step - RATE_WINDOW;
    let recent = 0;
    for (let i = 0; i < spikes.length; i++) if ((spikes[i] as number) > since) recent++;
    if (spikes.length > KEPT_SPIKES) {
      series.spikes = spikes.filter((s) => s > since).slice(-KEPT_SPIKES / 2);
    }
    const persistent = recent >= RATE_COUNT;
    const key = persistent
      ? `rate${metric}${rank ?? ""}`
      : `spike${metric}${rank ?? ""}${record.step}`;
    if (context.emitted(key)) return;
    context.emit({
      severity: persistent ? "high" : "warning",
      rank,
      step: record.step,
      message: persistent
        ? `${metric} spiked ${recent} times in the last ${RATE_WINDOW} steps${rank === null ? "" : ` on rank ${rank}`} (now ${fmt(value)})`
        : `${metric} spiked to ${fmt(value)} at step ${record.step}${rank === null ? "" : ` on rank ${rank}`} (limit ${fmt(bySigma ? limit : EARLY_FACTOR * series.earlyMax)})`,
      evidence: {
        metric,
        value,
        window_mean: windowMean,
        window_std: windowStd,
        limit: bySigma ? limit : EARLY_FACTOR * series.earlyMax,
        rule: bySigma ? "mean+6sigma" : "10x early max",
        spikes_in_window: recent,
      },
      key,
    });
  }
}
