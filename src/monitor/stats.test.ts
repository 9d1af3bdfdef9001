import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { median, Window } from "./stats.js";

/** The array-backed window the ring buffer replaced: push, then shift past capacity. */
class ShiftWindow {
  readonly values: number[] = [];
  sum = 0;
  squares = 0;
  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }
  push(value: number): void {
    this.values.push(value);
    this.sum += value;
    this.squares += value * value;
    if (this.values.length > this.capacity) {
      const old = this.values.shift() ?? 0;
      this.sum -= old;
      this.squares -= old * old;
    }
  }
  mean(): number {
    return this.values.length === 0 ? Number.NaN : this.sum / this.values.length;
  }
  standardDeviation(): number {
    const n = this.values.length;
    if (n < 2) return Number.NaN;
    return Math.sqrt(Math.max(0, (this.squares - (this.sum * this.sum) / n) / (n - 1)));
  }
}

/** `median` as it was: a sorted copy. */
function sortedMedian(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Deterministic values with repeats, signed zeros and a wide range of magnitudes. */
function series(n: number, seed: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const pick = x % 7;
    out.push(
      pick === 0 ? -0 : pick === 1 ? 0 : pick === 2 ? 1 : (x / 2147483648 - 0.5) * 10 ** (x % 9),
    );
  }
  return out;
}

describe("Window", () => {
  it("Window keeps the running sums, values and counts of a shifted array, bit for bit", () => {
    for (const capacity of [0, 1, 3, 20, 128]) {
      const ring = new Window(capacity);
      const reference = new ShiftWindow(capacity);
      for (const value of series(3 * capacity + 7, capacity + 1)) {
        ring.push(value);
        reference.push(value);
        assert.ok(Object.is(ring.mean(), reference.mean()));
        assert.ok(Object.is(ring.standardDeviation(), reference.standardDeviation()));
        assert.deepEqual(ring.values, reference.values);
        assert.equal(ring.size, reference.values.length);
        assert.equal(ring.full, reference.values.length === capacity);
        assert.equal(ring.countBelow(0), reference.values.filter((v) => v < 0).length);
      }
    }
  });
});

describe("median", () => {
  it("median() gives the sorted-copy median, signed zeros and infinities included", () => {
    const cases: number[][] = [
      [],
      [3],
      [0, -0, -0],
      [-0, 0, -0],
      [-0, 0],
      [Number.POSITIVE_INFINITY, 1, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      [2, Number.NaN, 1, 0],
      [Number.NaN],
    ];
    for (let n = 1; n <= 40; n++) cases.push(series(n, n));
    for (const values of cases) {
      const copy = [...values];
      assert.ok(Object.is(median(values), sortedMedian(values)), `median of ${values.join()}`);
      assert.deepEqual(values, copy);
    }
  });
});
