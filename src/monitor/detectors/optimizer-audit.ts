/**
 * The optimizer must do what the job declared. Three checks on every step record: the learning
 * rate against the declared schedule (as amended by recorded `change` records), the other
 * hyperparameters against the declared ones, and the client's recomputation of the update
 * (`update_check.rel_err`): an optimizer edited on every rank keeps the replicas in agreement and
 * its param_groups honest, but applies an update that the recomputation does not reproduce.
 */
import type { Detector, DetectorContext } from "../detector.js";
import { scheduledLr } from "../lr-schedule.js";
import { fmt } from "../stats.js";
import type { LrSchedule, StepRecord, TelemetryRecord } from "../telemetry.js";

/** Relative tolerance for learning rates and hyperparameters (float32 round-trips, pow()). */
export const HPARAM_TOLERANCE = 1e-4;
/** Relative error of a recomputed update above which the optimizer did something else. */
export const UPDATE_TOLERANCE = 1e-3;
/** This many mismatched updates make the finding critical. */
const UPDATE_CRITICAL_COUNT = 3;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= HPARAM_TOLERANCE * Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

export class OptimizerAudit implements Detector {
  readonly name = "optimizer_audit";
  readonly #updateMismatches = new Map<number, number>();

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    if (record.type !== "step") return;
    this.#checkLr(record, context);
    this.#checkHparams(record, context);
    this.#checkUpdate(record, context);
  }

  #expectedLr(
    record: StepRecord,
    context: DetectorContext,
  ): { lr: number; basis: string } | undefined {
    const changes = context.state.changes
      .filter((c) => c.step <= record.step && c.changes.lr !== undefined)
      .sort((a, b) => a.step - b.step);
    const last = changes.at(-1);
    if (last !== undefined) {
      return {
        lr: last.changes.lr ?? Number.NaN,
        basis: `change recorded at step ${last.step}`,
      };
    }
    const schedule: LrSchedule | undefined = context.state.startOf(record.rank)?.lrSchedule;
    if (schedule === undefined) return undefined;
    return { lr: scheduledLr(schedule, record.step), basis: `declared ${schedule.kind} schedule` };
  }

  #checkLr(record: StepRecord, context: DetectorContext): void {
    const lr = record.lr ?? record.optimizer?.lr;
    if (lr === undefined) return;
    const expected = this.#expectedLr(record, context);
    if (expected === undefined || close(lr, expected.lr) || context.emitted(`lr${record.rank}`))
      return;
    context.emit({
      severity: "high",
      rank: record.rank,
      step: record.step,
      message:
        `rank ${record.rank} used learning rate ${fmt(lr)} at step ${record.step}; the ` +
        `${expected.basis} prescribes ${fmt(expected.lr)}`,
      evidence: { lr, expected_lr: expected.lr, basis: expected.basis, source: record.source },
      key: `lr${record.rank}`,
    });
  }

  #checkHparams(record: StepRecord, context: DetectorContext): void {
    const declared = context.state.startOf(record.rank)?.hparams;
    if (declared === undefined || record.optimizer === undefined) return;
    for (const name in record.optimizer) {
      const value = record.optimizer[name] as number;
      const want = declared[name];
      if (name === "lr" || want === undefined || close(value, want)) continue;
      const changed = context.state.changes.some(
        (c) => c.step <= record.step && c.changes[name] === value,
      );
      if (changed) continue;
      context.emit({
        severity: "high",
        rank: record.rank,
        step: record.step,
        message: `rank ${record.rank}'s optimizer ${name} is ${fmt(value)} at step ${record.step}; the job declared ${fmt(want)}`,
        evidence: { hyperparameter: name, value, declared: want, source: record.source },
        key: `hp${record.rank}${name}`,
      });
    }
  }

  #checkUpdate(record: StepRecord, context: DetectorContext): void {
    const err = record.updateRelErr;
    if (err === undefined || !(Number.isNaN(err) || err > UPDATE_TOLERANCE)) return;
    const count = (this.#updateMismatches.get(record.rank) ?? 0) + 1;
    this.#updateMismatches.set(record.rank, count);
    if (count !== 1 && count !== UPDATE_CRITICAL_COUNT) return;
    const critical = count >= UPDATE_CRITICAL_COUNT;
    context.emit({
      severity: critical ? "critical" : "high",
      rank: record.rank,
      step: record.step,
      message:
        `rank ${record.rank}'s optimizer applied an update that differs from the recomputed one by ` +
        `${fmt(err * 100)}% at step ${record.step}` +
        (critical ? ` (${count} steps so far): the optimizer code is not the one declared` : ""),
      evidence: {
        rel_err: err,
        tolerance: UPDATE_TOLERANCE,
        mismatched_steps: count,
        source: record.source,
      },
      key: `update${record.rank}${critical ? "c" : "h"}`,
    });
  }
}
