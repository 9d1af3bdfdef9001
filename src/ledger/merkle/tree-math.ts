import { LedgerError } from "../ledger-error.js";

/**
 * Indexes and sizes are JavaScript numbers restricted to safe integers (< 2^53), not bigints:
 * 2^53 leaves is 28,000 years at 10,000 appends/s, numbers index arrays and database rows
 * directly, and bigint arithmetic would slow every proof. Values from the network above 2^53 - 1
 * are rejected, never rounded. Bit operators in JavaScript truncate to 32 bits, so this file
 * (and every caller) uses division and remainder instead of shifts and masks.
 */
export function assertTreeSize(size: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new LedgerError(
      "OUT_OF_RANGE",
      `Cannot use ${what}: "${String(size)}" is not a non-negative safe integer`,
    );
  }
}

/** Throws OUT_OF_RANGE unless 0 <= index < size. */
export function assertIndexInTree(index: number, size: number): void {
  assertTreeSize(size, "tree size");
  assertTreeSize(index, "leaf index");
  if (index >= size) {
    throw new LedgerError(
      "OUT_OF_RANGE",
      `Cannot use leaf index ${index}: the tree has only ${size} leaves`,
    );
  }
}

/** The largest power of two strictly smaller than n, for n >= 2 (the split k of RFC 9162 §2.1.1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** floor(n / 2) without 32-bit truncation. */
export function half(n: number): number {
  return Math.floor(n / 2);
}

/** Whether the least significant bit of n is set (RFC 9162 §2.1.3.2 "LSB"). */
export function lsb(n: number): boolean {
  return n % 2 === 1;
}

/** Number of set bits in n. */
export function popcount(n: number): number {
  let count = 0;
  for (let v = n; v > 0; v = half(v)) if (lsb(v)) count++;
  return count;
}

/** Whether n is an exact power of two (1, 2, 4, ...). */
export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && popcount(n) === 1;
}
