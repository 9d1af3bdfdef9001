/**
 * Data-parallel replicas must hold bit-identical parameters after every step (Megatron's
 * check_param_hashes_across_dp_replicas). A rank whose parameter digest differs from the
 * majority's at a step was changed outside the all-reduced update: a tampered optimizer or weight
 * write on that rank, or silent data corruption. False positives are very rare, hence critical.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { StepRows } from "../run-state.js";
import type { StepRecord } from "../telemetry.js";

export class ReplicaDivergence implements Detector {
  readonly name = "replica_divergence";
  #divergentSteps = 0;

  onStep(step: number, rows: StepRows, context: DetectorContext): void {
    const { ranks: rowRanks, records } = rows;
    // Replicas nearly always agree: one pass finds that, and no map is made.
    let first: string | undefined;
    let agree = true;
    for (let k = 0; k < records.length && agree; k++) {
      const digest = (records[k] as StepRecord).paramDigest;
      if (digest === undefined) continue;
      if (first === undefined) first = digest;
      else agree = digest === first;
    }
    if (agree) return;
    const byDigest = new Map<string, number[]>();
    for (let k = 0; k < records.length; k++) {
      const digest = (records[k] as StepRecord).paramDigest;
      if (digest === undefined) continue;
      const ranks = byDigest.get(digest) ?? [];
      ranks.push(rowRanks[k] as number);
      byDigest.set(digest, ranks);
    }
    this.#divergentSteps++;
    const groups = [...byDigest.values()].sort(
      (a, b) => b.length - a.length || (a[0] ?? 0) - (b[0] ?? 0),
    );
    const majority = groups[0] ?? [];
    // A tie has no majority: compare with replica 0's group, as Megatron compares with DP rank 0.
    const tie = groups.length > 1 && (groups[1]?.length ?? 0) === majority.length;
    const reference = tie ? (groups.find((g) => g.includes(rows.minRank())) ?? majority) : majority;
    reference.sort((a, b) => a - b);
    for (const group of groups) {
      if (group === reference) continue;
      for (const rank of group) {
        context.emit({
          severity: "critical",
          rank,
          step,
          message:
            `rank ${rank}'s parameters differ from rank${reference.length > 1 ? "s" : ""} ` +
            `${reference.join(", ")} after step ${step}: the replicas are no longer identical`,
          evidence: {
            digest: rows.get(rank)?.paramDigest,
            reference_digest: rows.get(reference[0] ?? 0)?.paramDigest,
            reference_ranks: reference,
            ranks_reporting: [...rowRanks].sort((a, b) => a - b),
            divergent_steps_so_far: this.#divergentSteps,
          },
          key: `rank${rank}`,
        });
      }
    }
  }
}
