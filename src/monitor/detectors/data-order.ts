/**
 * Data-order provenance, the second half of `seed_provenance`. The client digests the sample
 * indices of every batch (`batch_digest`). Ranks of one data-parallel step must train on different
 * samples; a step redone after a restart must draw the same samples as the first time (a
 * resumable sampler) or the run is no longer the one its seed describes; and two runs declaring the
 * same seed and configuration must draw the same first batches. An edited data loader, the
 * reference incident's "data loading" change, breaks one of these.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { StepRecord, TelemetryRecord } from "../telemetry.js";

/** Redone steps are compared over this many most recent steps per rank (memory stays bounded). */
const REMEMBERED_STEPS = 4096;
/** Up to this many ranks, a step's digests are compared by a scan, not a map (no hashing). */
const LINEAR_RANKS = 16;

export class DataOrder implements Detector {
  readonly name = "seed_provenance";
  readonly #seen = new Map<number, Map<number, string>>();

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    if (record.type !== "step" || record.batchDigest === undefined) return;
    this.#checkRedone(record, record.batchDigest, context);
    const start = context.state.startOf(record.rank);
    if (start?.seed === undefined || start.configDigest === undefined) return;
    const other = context.runs.batch(
      start.seed,
      start.configDigest,
      record.run,
      record.rank,
      record.step,
      record.batchDigest,
    );
    if (other === undefined) return;
    context.emit({
      severity: "warning",
      rank: record.rank,
      step: record.step,
      message:
        `rank ${record.rank} drew different samples at step ${record.step} than run ${other.run}, ` +
        `which declares the same seed (${start.seed}) and configuration`,
      evidence: {
        batch_digest: record.batchDigest,
        other_run: other.run,
        other_batch_digest: other.digest,
      },
      key: "batches-across-runs",
    });
  }

  #checkRedone(record: StepRecord, digest: string, context: DetectorContext): void {
    let steps = this.#seen.get(record.rank);
    if (steps === undefined) {
      steps = new Map();
      this.#seen.set(record.rank, steps);
    }
    const before = steps.get(record.step);
    steps.set(record.step, digest);
    if (steps.size > REMEMBERED_STEPS) {
      steps.delete(record.step - REMEMBERED_STEPS);
      if (steps.size > 2 * REMEMBERED_STEPS) steps.clear();
    }
    if (before === undefined || before === digest) return;
    context.emit({
      severity: "warning",
      rank: record.rank,
      step: record.step,
      message:
        `rank ${record.rank} redid step ${record.step} on different samples than the first time: ` +
        "the data order changed across the restart",
      evidence: { batch_digest: digest, first_batch_digest: before },
      key: `redone${record.rank}`,
    });
  }

  // The ranks and digests seen so far at the step being compared (the first `#stepDigests` of
  // each), in the rows' order: reused for every step, and searched in order, so a digest is found
  // at its first rank as a map would. Linear in the rank count; past LINEAR_RANKS a map is used.
  readonly #digestRanks: number[] = [];
  readonly #digests: string[] = [];
  #stepDigests = 0;
  readonly #byDigest = new Map<string, number>();

  /** The first rank that already reported `digest` at this step, recording `rank` if none did. */
  #firstWith(digest: string, rank: number, large: boolean): number | undefined {
    if (large) {
      const other = this.#byDigest.get(digest);
      if (other === undefined) this.#byDigest.set(digest, rank);
      return other;
    }
    for (let i = 0; i < this.#stepDigests; i++) {
      if (this.#digests[i] === digest) return this.#digestRanks[i];
    }
    this.#digests[this.#stepDigests] = digest;
    this.#digestRanks[this.#stepDigests] = rank;
    this.#stepDigests++;
    return undefined;
  }

  onStep(step: number, rows: ReadonlyMap<number, StepRecord>, context: DetectorContext): void {
    const large = rows.size > LINEAR_RANKS;
    if (large) this.#byDigest.clear();
    this.#stepDigests = 0;
    for (const [rank, row] of rows) {
      if (row.batchDigest === undefined) continue;
      const other = this.#firstWith(row.batchDigest, rank, large);
      if (other === undefined) continue;
      context.emit({
        severity: "high",
        rank,
        step,
        message: `ranks ${other} and ${rank} trained on the same samples at step ${step}: the data is not sharded across ranks`,
        evidence: { batch_digest: row.batchDigest, ranks: [other, rank] },
        key: `shared${rank}`,
      });
    }
  }
}
