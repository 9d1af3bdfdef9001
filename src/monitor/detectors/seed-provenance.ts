/**
 * The seed a job declares must be the seed it runs with. Right after seeding, the client digests
 * the RNG states (`rng_digest`) and the states recomputed from the declared seed with fresh
 * generators (`rng_expected`); a startup hook or an edited `manual_seed` makes them differ. Across
 * runs, two runs that declare the same seed and configuration must start from the same parameters.
 * A seed that changes when a run restarts is reported too.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { StartRecord, TelemetryRecord } from "../telemetry.js";

export class SeedProvenance implements Detector {
  readonly name = "seed_provenance";
  readonly #firstSeed = new Map<number, number>();

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    if (record.type !== "start") return;
    this.#checkStates(record, context);
    this.#checkRestartSeed(record, context);
    this.#checkAcrossRuns(record, context);
  }

  #checkStates(start: StartRecord, context: DetectorContext): void {
    const actual = start.rngDigest;
    const expected = start.rngExpected;
    if (actual === undefined || expected === undefined) return;
    const differing = Object.keys(expected).filter(
      (k) => actual[k] !== undefined && actual[k] !== expected[k],
    );
    if (differing.length === 0) return;
    context.emit({
      severity: "high",
      rank: start.rank,
      step: null,
      message:
        `rank ${start.rank}'s ${differing.join(", ")} random state${differing.length > 1 ? "s do" : " does"} ` +
        `not match the declared seed ${start.seed ?? "?"}: something changed the seed or consumed ` +
        "random numbers before training started",
      evidence: {
        generators: differing,
        seed: start.seed,
        rng_digest: actual,
        rng_expected: expected,
        source: start.source,
      },
      key: `rng${start.rank}`,
    });
  }

  #checkRestartSeed(start: StartRecord, context: DetectorContext): void {
    if (start.seed === undefined) return;
    const first = this.#firstSeed.get(start.rank);
    if (first === undefined) {
      this.#firstSeed.set(start.rank, start.seed);
      return;
    }
    if (first === start.seed) return;
    context.emit({
      severity: "warning",
      rank: start.rank,
      step: null,
      message: `rank ${start.rank} restarted with seed ${start.seed}, not the seed ${first} the run started with`,
      evidence: { first_seed: first, seed: start.seed },
      key: `restart-seed${start.rank}`,
    });
  }

  #checkAcrossRuns(start: StartRecord, context: DetectorContext): void {
    if (start.rank !== 0 || context.state.starts.filter((s) => s.rank === 0).length > 1) return;
    const { seed, configDigest, initParamDigest } = start;
    if (seed === undefined || configDigest === undefined || initParamDigest === undefined) return;
    const first = context.runs.claim(seed, configDigest, { run: start.run, initParamDigest });
    if (first.run === start.run || first.initParamDigest === initParamDigest) return;
    context.emit({
      severity: "warning",
      rank: 0,
      step: null,
      message:
        `run ${start.run} declares the same seed (${seed}) and configuration as run ${first.run} ` +
        "but started from different parameters",
      evidence: {
        other_run: first.run,
        init_param_digest: initParamDigest,
        other_init_param_digest: first.initParamDigest,
        config_digest: configDigest,
      },
      key: "cross-run",
    });
  }
}
