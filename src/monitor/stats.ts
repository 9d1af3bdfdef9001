/** Small robust statistics the detectors share. Empty inputs give NaN, never throw. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/**
 * A fixed-capacity window of the latest values, with a running sum and sum of squares so its mean
 * and deviation cost O(1) per value (the server runs detectors on every record it ingests).
 */
export class Window {
  readonly #values: number[] = [];
  readonly capacity: number;
  #sum = 0;
  #squares = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  push(value: number): void {
    this.#values.push(value);
    this.#sum += value;
    this.#squares += value * value;
    if (this.#values.length > this.capacity) {
      const old = this.#values.shift() ?? 0;
      this.#sum -= old;
      this.#squares -= old * old;
    }
  }

  mean(): number {
    return this.#values.length === 0 ? Number.NaN : this.#sum / this.#values.length;
  }

  standardDeviation(): number {
    const n = this.#values.length;
    if (n < 2) return Number.NaN;
    const variance = (this.#squares - (this.#sum * this.#sum) / n) / (n - 1);
    return Math.sqrt(Math.max(0, variance));
  }

  get values(): readonly number[] {
    return this.#values;
  }

  get size(): number {
    return this.#values.length;
  }

  get full(): boolean {
    return this.#values.length === this.capacity;
  }
}

/** 3 significant digits for messages. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3))
    return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}
