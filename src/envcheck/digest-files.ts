/**
 * Hashes the recorded files: SHA-256 through the hashing engine in one batch (pip RECORD, conda),
 * MD5 with node:crypto for Debian's md5sums (the engine hashes SHA-256 and BLAKE2b only). A file
 * that cannot be read is returned as an error for that file alone, never as a digest.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { hashFilesSettled } from "../crypto/hashing/index.js";
import type { DigestAlgorithm } from "./records/recorded-file.js";

export type DigestOutcome = { readonly hex: string } | { readonly error: string };

/** (done, total, path): files finished out of all files, and the file being hashed. */
export type FileProgress = (done: number, total: number, path: string) => void;

export interface DigestTask {
  /** Relative to root. */
  readonly path: string;
  readonly algorithm: DigestAlgorithm;
  /** Size from lstat, for progress. */
  readonly size: number;
}

const CHUNK = 1024 * 1024;

function errorText(error: unknown): string {
  return (
    (error as NodeJS.ErrnoException).code ??
    (error instanceof Error ? error.message : String(error))
  );
}

async function md5File(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const hash = createHash("md5");
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let pos = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, pos);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      pos += bytesRead;
    }
    return hash.digest("hex");
  } finally {
    await handle.close();
  }
}

/** Maps hashed bytes back to the index of the file being hashed, for a file-count progress bar. */
function byteProgress(
  tasks: readonly DigestTask[],
  offset: number,
  total: number,
  report: FileProgress,
) {
  const ends: number[] = [];
  let sum = 0;
  for (const task of tasks) {
    sum += task.size;
    ends.push(sum);
  }
  let index = 0;
  return (bytesDone: number) => {
    while (index < ends.length && (ends[index] ?? 0) <= bytesDone) index += 1;
    const current = tasks[Math.min(index, tasks.length - 1)];
    report(offset + index, total, current?.path ?? "");
  };
}

/** Digests for every task, keyed by `${algorithm}:${path}`. */
export async function digestFiles(
  root: string,
  tasks: readonly DigestTask[],
  workers: number | undefined,
  onProgress: FileProgress = () => {},
): Promise<Map<string, DigestOutcome>> {
  const out = new Map<string, DigestOutcome>();
  const sha = tasks.filter((task) => task.algorithm === "sha256");
  const md5 = tasks.filter((task) => task.algorithm === "md5");
  const total = tasks.length;
  if (sha.length > 0) {
    const progress = byteProgress(sha, 0, total, onProgress);
    const results = await hashFilesSettled(
      sha.map((task) => ({ path: join(root, task.path) })),
      {
        algorithm: "sha256",
        ...(workers === undefined ? {} : { workers }),
        onProgress: (bytesDone) => progress(bytesDone),
      },
    );
    sha.forEach((task, i) => {
      const result = results[i];
      out.set(
        `sha256:${task.path}`,
        result === undefined
          ? { error: "no digest returned" }
          : result instanceof Error
            ? { error: errorText(result) }
            : { hex: Buffer.from(result.digest).toString("hex") },
      );
    });
  }
  let done = sha.length;
  for (const task of md5) {
    onProgress(done, total, task.path);
    try {
      out.set(`md5:${task.path}`, { hex: await md5File(join(root, task.path)) });
    } catch (error) {
      out.set(`md5:${task.path}`, { error: errorText(error) });
    }
    done += 1;
  }
  if (total > 0) onProgress(total, total, "");
  return out;
}
