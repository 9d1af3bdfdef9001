/** Small robust statistics the detectors share. Empty inputs give NaN, never throw. */

/**
 * Up to this many values, `median` sorts a copy in a reused buffer by insertion: detectors call it
 * on every step with a value per rank, and this spares an array and a sort call each time.
 */
const SMALL_MEDIAN = 32;
const scratch = new Float64Array(SMALL_MEDIAN);

export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  if (n > SMALL_MEDIAN) return sortedMedian(values);
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    // NaN makes the comparator below inconsistent, and then the order depends on the sort
    // algorithm: keep Array.prototype.sort's exact result for that case.
    if (Number.isNaN(value)) return sortedMedian(values);
    scratch[i] = value;
  }
  // Insertion sort, stable under the same comparator (a − b) as the general path, so equal keys
  // (0 and −0) keep their order and the median is bit-for-bit the same.
  for (let i = 1; i < n; i++) {
    const value = scratch[i] as number;
    let j = i - 1;
    while (j >= 0 && (scratch[j] as number) - value > 0) {
      scratch[j + 1] = scratch[j] as number;
      j--;
    }
    scratch[j + 1] = value;
  }
  const mid = n >> 1;
  return n % 2 === 1
    ? (scratch[mid] as number)
    : ((scratch[mid - 1] as number) + (scratch[mid] as number)) / 2;
}

function sortedMedian(values: readonly number[]): number {
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
 * and deviation cost O(1) per value (the server runs detectors on every record it ingests). The
 * values sit in a ring buffer: dropping the oldest is an index step, not an array shift.
 */
export class Window {
  readonly #ring: Float64Array;
  /** Index of the oldest value. */
  #head = 0;
  #size = 0;
  readonly capacity: number;
  #sum = 0;
  #squares = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#ring = new Float64Array(capacity);
  }

  push(value: number): void {
    // Same arithmetic order as adding then evicting, so the running sums stay bit-for-bit those
    // of a window that briefly held capacity + 1 values.
    this.#sum += value;
    this.#squares += value * value;
    if (this.capacity === 0) {
      this.#sum -= value;
      this.#squares -= value * value;
      return;
    }
    // The head stays at 0 until the window is full, so filling appends at `size`.
    if (this.#size < this.capacity) {
      this.#ring[this.#size] = value;
      this.#size++;
      return;
    }
    const old = this.#ring[this.#head] as number;
    this.#ring[this.#head] = value;
    this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
    this.#sum -= old;
    this.#squares -= old * old;
  }

  mean(): number {
    return this.#size === 0 ? Number.NaN : this.#sum / this.#size;
  }

  standardDeviation(): number {
    const n = this.#size;
    if (n < 2) return Number.NaN;
    const variance = (this.#squares - (this.#sum * this.#sum) / n) / (n - 1);
    return Math.sqrt(Math.max(0, variance));
  }

  /** How many values are below `limit`, without copying them. */
  countBelow(limit: number): number {
    // Order does not matter here, and the values fill slots 0 to size − 1 (see `push`).
    let count = 0;
    for (let i = 0; i < this.#size; i++) if ((this.#ring[i] as number) < limit) count++;
    return count;
  }

  /** The values, oldest first: a copy, for the rare reader that needs them all. */
  get values(): readonly number[] {
    const values: number[] = [];
    for (let i = 0; i < this.#size; i++) {
      values.push(this.#ring[(this.#head + i) % this.capacity] as number);
    }
    return values;
  }

  get size(): number {
    return this.#size;
  }

  get full(): boolean {
    return this.#size === this.capacity;
  }
}

/** 3 significant digits for messages. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3))
    return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}
