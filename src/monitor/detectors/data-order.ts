/**
 * Data-order provenance, the second half of `seed_provenance`. The client digests the sample
 * indices of every batch (`batch_digest`). Ranks of one data-parallel step must train on different
 * samples; a step redone after a restart must draw the same samples as the first time (a
 * resumable sampler) or the run is no longer the one its seed describes; and two runs declaring the
 * same seed and configuration must draw the same first batches. An edited data loader, the
 * reference incident's "data loading" change, breaks one of these.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { StepRows } from "../run-state.js";
import type { StepRecord, TelemetryRecord } from "../telemetry.js";

/** Redone steps are compared over this many most recent steps per rank (memory stays bounded). */
const REMEMBERED_STEPS = 4096;
/** Up to this many ranks, a step's digests are compared by a scan, not a map (no hashing). */
const LINEAR_RANKS = 16;

export class DataOrder implements Detector {
  readonly name = "seed_provenance";
  readonly #seen = new Map<number, RecentSteps>();

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
      steps = new RecentSteps();
      this.#seen.set(record.rank, steps);
    }
    const before = steps.swap(record.step, digest);
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

  onStep(step: number, rows: StepRows, context: DetectorContext): void {
    const large = rows.size > LINEAR_RANKS;
    if (large) this.#byDigest.clear();
    this.#stepDigests = 0;
    for (let k = 0; k < rows.size; k++) {
      const rank = rows.ranks[k] as number;
      const row = rows.records[k] as StepRecord;
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

/**
 * A rank's batch digests of its most recent steps: a ring indexed by step, so a record costs two
 * array writes, not a map insertion and deletion. It holds the newest step of each residue
 * modulo its capacity, and doubles (up to REMEMBERED_STEPS) when a step would push out one less
 * than that many steps older, so a short run does not allocate the whole window.
 */
class RecentSteps {
  #steps = new Float64Array(256).fill(-1);
  #digests: string[] = new Array<string>(256).fill("");

  /** Records `digest` for `step`; returns the digest that step had before, if remembered. */
  swap(step: number, digest: string): string | undefined {
    let slot = step % this.#steps.length;
    for (;;) {
      const held = this.#steps[slot] as number;
      const evicts = held >= 0 && held !== step && Math.abs(step - held) < REMEMBERED_STEPS;
      if (!evicts || this.#steps.length >= REMEMBERED_STEPS) break;
      this.#grow();
      slot = step % this.#steps.length;
    }
    const before = this.#steps[slot] === step ? this.#digests[slot] : undefined;
    this.#steps[slot] = step;
    this.#digests[slot] = digest;
    return before;
  }

  #grow(): void {
    const steps = this.#steps;
    const digests = this.#digests;
    const size = steps.length * 2;
    this.#steps = new Float64Array(size).fill(-1);
    this.#digests = new Array<string>(size).fill("");
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as number;
      if (step < 0) continue;
      this.#steps[step % size] = step;
      this.#digests[step % size] = digests[i] as string;
    }
  }
}
