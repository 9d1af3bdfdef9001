/**
 * Steps only go forward. When a rank's step counter goes back, the run redid work: legitimate when
 * it restarted from a checkpoint it recorded loading, suspicious when nothing explains it (the
 * "reversed training steps" of the reference incident). Logs from TensorBoard or MLflow carry no
 * checkpoint records; there a restart marker (SessionLog START, a new start record) makes the
 * regression a warning rather than high.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { TelemetryRecord } from "../telemetry.js";

interface RankProgress {
  maxStep: number;
  /** Step of the checkpoint loaded since the last regression, if any. */
  loadedStep: number | undefined;
  restarted: boolean;
}

export class LogRollback implements Detector {
  readonly name = "log_rollback";
  readonly #ranks = new Map<number, RankProgress>();

  #progress(rank: number): RankProgress {
    let progress = this.#ranks.get(rank);
    if (progress === undefined) {
      progress = { maxStep: -1, loadedStep: undefined, restarted: false };
      this.#ranks.set(rank, progress);
    }
    return progress;
  }

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    const progress = this.#progress(record.rank);
    if (record.type === "start") {
      progress.restarted = progress.maxStep >= 0;
      return;
    }
    if (record.type === "checkpoint" && record.action === "load") {
      progress.loadedStep = record.step;
      return;
    }
    if (record.type !== "step") return;
    if (record.step <= progress.maxStep) {
      this.#regression(record.rank, record.step, progress, context);
      // The run now follows a new trajectory: later steps are judged against it, not the old one.
      progress.maxStep = record.step;
    }
    progress.maxStep = Math.max(progress.maxStep, record.step);
    progress.loadedStep = undefined;
    progress.restarted = false;
  }

  #regression(rank: number, step: number, progress: RankProgress, context: DetectorContext): void {
    const redone = progress.maxStep - step + 1;
    const evidence = { from_step: progress.maxStep, to_step: step, steps_redone: redone };
    if (progress.loadedStep !== undefined) {
      context.emit({
        severity: "info",
        rank,
        step,
        message: `rank ${rank} restarted from its checkpoint of step ${progress.loadedStep}; ${redone} steps redone`,
        evidence: { ...evidence, loaded_step: progress.loadedStep },
        key: `load${rank}${step}`,
      });
      return;
    }
    context.emit({
      severity: progress.restarted ? "warning" : "high",
      rank,
      step,
      message: progress.restarted
        ? `rank ${rank} restarted and went back from step ${progress.maxStep} to ${step} without a recorded checkpoint load`
        : `rank ${rank}'s steps went back from ${progress.maxStep} to ${step} with no restart or checkpoint load to explain it`,
      evidence,
      key: `back${rank}${step}`,
    });
  }
}
