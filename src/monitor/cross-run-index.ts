/**
 * Facts that only mean something across runs: runs that declare the same seed and configuration
 * must start from the same parameters and draw the same first batches.
 */
export interface Provenance {
  readonly run: string;
  readonly initParamDigest: string;
}

export class CrossRunIndex {
  readonly #first = new Map<string, Provenance>();

  /** The first run seen with this seed and configuration, recording this one if it is the first. */
  claim(seed: number, configDigest: string, provenance: Provenance): Provenance {
    const key = `${seed}\u0000${configDigest}`;
    const first = this.#first.get(key);
    if (first !== undefined) return first;
    this.#first.set(key, provenance);
    return provenance;
  }
}
