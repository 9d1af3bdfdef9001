import { StoreError } from "./store-error.js";

/** Entries one `readEntries` or `scanEntries` call returns at most (bounds memory per request). */
export const MAX_READ_ENTRIES = 10_000;

/** Entries one `appendEntries` call accepts at most (bounds the time the log lock is held). */
export const MAX_APPEND_ENTRIES = 100_000;

/**
 * Telemetry chunks one `insertTelemetry` call accepts at most (bounds one transaction): one per
 * run of a request, and a request holds at most 100,000 records.
 */
export const MAX_TELEMETRY_CHUNKS = 100_000;

/** Telemetry chunks one read returns at most: each may hold a whole request (8 MiB). */
export const MAX_READ_CHUNKS = 64;

/** Telemetry or alert rows one read returns at most. */
export const MAX_READ_ROWS = 10_000;

/** Stored-hash rows one `scanStoredHashes` call returns at most. */
export const MAX_SCAN_HASHES = 4 * MAX_READ_ENTRIES;

/** Throws OUT_OF_RANGE unless `value` is a non-negative safe integer. */
export function assertIndex(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new StoreError("OUT_OF_RANGE", `Cannot use ${what} "${value}": it is not an index`);
  }
}

/** Checks [start, end) is a well-formed range of at most `max` items. */
export function assertRange(start: number, end: number, max: number, what: string): void {
  assertIndex(start, `${what} start`);
  assertIndex(end, `${what} end`);
  if (end < start) {
    throw new StoreError(
      "OUT_OF_RANGE",
      `Cannot read ${what} [${start}, ${end}): end is before start`,
    );
  }
  if (end - start > max) {
    throw new StoreError(
      "LIMIT_EXCEEDED",
      `Cannot read ${what} [${start}, ${end}): more than ${max} per call`,
    );
  }
}
