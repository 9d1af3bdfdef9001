/**
 * Facts that only mean something across runs: runs that declare the same seed and configuration
 * must start from the same parameters and draw the same first batches.
 */
export interface Provenance {
  readonly run: string;
  readonly initParamDigest: string;
}

/** Steps at the start of a run whose batches are compared across runs. */
export const BATCH_STEPS_COMPARED = 16;

export class CrossRunIndex {
  readonly #first = new Map<string, Provenance>();
  readonly #batches = new Map<
    string,
    { readonly run: string; readonly digests: Map<string, string> }
  >();

  /** The first run seen with this seed and configuration, recording this one if it is the first. */
  claim(seed: number, configDigest: string, provenance: Provenance): Provenance {
    const key = `${seed}\u0000${configDigest}`;
    const first = this.#first.get(key);
    if (first !== undefined) return first;
    this.#first.set(key, provenance);
    return provenance;
  }

  /**
   * Compares a batch digest of an early step with the first run declaring the same seed and
   * configuration; returns that run and its digest when they differ, recording it otherwise.
   */
  batch(
    seed: number,
    configDigest: string,
    run: string,
    rank: number,
    step: number,
    digest: string,
  ): { readonly run: string; readonly digest: string } | undefined {
    if (step >= BATCH_STEPS_COMPARED) return undefined;
    const key = `${seed}\u0000${configDigest}`;
    let first = this.#batches.get(key);
    if (first === undefined) {
      first = { run, digests: new Map() };
      this.#batches.set(key, first);
    }
    const slot = `${rank}:${step}`;
    const known = first.digests.get(slot);
    if (first.run === run) {
      if (known === undefined) first.digests.set(slot, digest);
      return undefined;
    }
    return known === undefined || known === digest ? undefined : { run: first.run, digest: known };
  }
}
