/**
 * Turns the caller's tasks into checked ranges of stat'ed files, and groups ranges into batches
 * for the workers. A single digest cannot be split across threads, so parallelism comes from many
 * ranges (many files, or OMS shards); batches are ordered longest first so that the last range to
 * finish is a short one (longest-processing-time-first scheduling).
 */
import { statFiles } from "./file-identity.js";
import { HashError } from "./hash-error.js";
import { BATCH_BYTES, BATCH_MAX_JOBS } from "./limits.js";
import type { HashTask } from "./types.js";
import type { RangeJob } from "./wire.js";

function checkOffset(task: HashTask, name: "start" | "end", value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot hash '${task.path}': ${name} must be a non-negative integer, got '${value}'`,
    );
  }
}

/**
 * Stats every file and resolves each task to a range within it. Throws HashError for a file that
 * is missing, unreadable or not a regular file, and for a range past the end of its file (the
 * file is not the size the caller expected: CHANGED); RangeError for a malformed range.
 */
export async function resolveJobs(tasks: readonly HashTask[]): Promise<RangeJob[]> {
  for (const task of tasks) {
    if (task.start !== undefined) checkOffset(task, "start", task.start);
    if (task.end !== undefined) checkOffset(task, "end", task.end);
    if (task.start !== undefined && task.end !== undefined && task.start > task.end) {
      throw new RangeError(
        `Cannot hash '${task.path}': start '${task.start}' is after end '${task.end}'`,
      );
    }
  }
  const identities = await statFiles(tasks.map((task) => task.path));
  return tasks.map((task, index) => {
    const identity = identities.get(task.path);
    if (identity === undefined) throw new Error(`Cannot hash '${task.path}': missing stat`);
    const size = Number(identity.size);
    const start = task.start ?? 0;
    const end = task.end ?? size;
    if (end > size || start > end) {
      throw new HashError(
        "CHANGED",
        task.path,
        `Cannot hash '${task.path}' bytes [${start}, ${end}): file has ${size} bytes`,
      );
    }
    return { index, path: task.path, start, end, identity };
  });
}

const lengthOf = (job: RangeJob): number => job.end - job.start;

/**
 * Long ranges go alone, longest first; short ones are grouped in the caller's order (files of
 * one directory stay together) up to BATCH_BYTES or BATCH_MAX_JOBS, and queued after the long ones.
 */
export function planBatches(jobs: readonly RangeJob[]): RangeJob[][] {
  const long = jobs
    .filter((job) => lengthOf(job) >= BATCH_BYTES)
    .sort((a, b) => lengthOf(b) - lengthOf(a) || a.index - b.index);
  const batches = long.map((job) => [job]);
  let current: RangeJob[] = [];
  let currentBytes = 0;
  for (const job of jobs) {
    if (lengthOf(job) >= BATCH_BYTES) continue;
    current.push(job);
    currentBytes += lengthOf(job);
    if (currentBytes >= BATCH_BYTES || current.length >= BATCH_MAX_JOBS) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
