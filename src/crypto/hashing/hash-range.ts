/**
 * Hashes one range of one file with synchronous reads into a caller-owned, reused buffer: the
 * fastest way to get bytes from the page cache into the hash on a thread that has nothing else to
 * do (no streams, no per-chunk allocation). Used by workers and, for tiny calls, the main thread.
 */
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import type { HashAlgorithm } from "./algorithm.js";
import { NODE_HASH_NAME } from "./algorithm.js";
import { identityChange, identityOf } from "./file-identity.js";
import { fsError, HashError } from "./hash-error.js";
import type { SharedProgress } from "./shared-progress.js";
import type { RangeJob } from "./wire.js";

/**
 * O_NONBLOCK: if the path was swapped for a FIFO after the stat, open() returns at once instead
 * of waiting for a writer, and the identity check below rejects it. No effect on regular files.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

function checkSame(job: RangeJob, fd: number, when: string): void {
  let after: ReturnType<typeof identityOf>;
  try {
    after = identityOf(fstatSync(fd, { bigint: true }));
  } catch (error) {
    throw fsError(job.path, "stat", error);
  }
  const change = identityChange(job.identity, after);
  if (change !== undefined) {
    throw new HashError("CHANGED", job.path, `Cannot hash '${job.path}': ${change} ${when}`);
  }
}

/**
 * Returns the digest of bytes [job.start, job.end) of the file, or undefined if the call was
 * aborted meanwhile. Throws HashError when the file cannot be read or is not the stat'ed file.
 */
export function hashRange(
  job: RangeJob,
  algorithm: HashAlgorithm,
  buffer: Buffer,
  progress: SharedProgress,
): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(job.path, OPEN_FLAGS);
  } catch (error) {
    throw fsError(job.path, "open", error);
  }
  try {
    checkSame(job, fd, "after it was listed");
    const hash = createHash(NODE_HASH_NAME[algorithm]);
    for (let position = job.start; position < job.end; ) {
      if (progress.aborted) return undefined;
      let read: number;
      try {
        read = readSync(fd, buffer, 0, Math.min(buffer.length, job.end - position), position);
      } catch (error) {
        throw fsError(job.path, "read", error);
      }
      if (read === 0) {
        throw new HashError(
          "CHANGED",
          job.path,
          `Cannot hash '${job.path}': file ended at byte ${position} while reading up to ${job.end}`,
        );
      }
      hash.update(buffer.subarray(0, read));
      position += read;
      progress.add(read);
    }
    checkSame(job, fd, "while it was hashed");
    return hash.digest();
  } finally {
    closeSync(fd);
  }
}
