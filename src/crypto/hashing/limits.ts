/**
 * Sizes that trade throughput against memory and per-message overhead; see README.md beside this
 * file for the measurements behind them.
 */

/**
 * Bytes read per `fs.readSync` into each worker's reused buffer. 1–16 MiB all hash at the same
 * rate from the page cache here (~1.8 GB/s SHA-256 per core), so take the smallest in the 4–16 MiB
 * range the signing research recommends (`research/signing-ledger.md`, performance targets).
 */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * A range at least this long is sent to a worker alone; shorter ones are grouped, in the caller's
 * order, until a batch holds this many bytes. 16 MiB takes ~9 ms to hash at 1.8 GB/s, against
 * ~0.1 ms for a message round trip.
 */
export const BATCH_BYTES = 16 * 1024 * 1024;

/** At most this many ranges per batch, so many tiny files still spread over all workers. */
export const BATCH_MAX_JOBS = 256;

/**
 * A call whose ranges total at most this many bytes, in at most MAIN_THREAD_MAX_JOBS ranges, is
 * hashed on the calling thread: it takes about a millisecond, less than starting one worker
 * (~30 ms from `dist/`, ~150 ms under tsx).
 */
export const MAIN_THREAD_MAX_BYTES = 1024 * 1024;
export const MAIN_THREAD_MAX_JOBS = 64;

/** An idle worker is terminated after this long; idle workers never keep the process alive. */
export const IDLE_WORKER_MS = 10_000;

/** Least time between two `onProgress` calls. */
export const PROGRESS_INTERVAL_MS = 100;
