/**
 * Hashes every task it can and reports, per task, a digest or the error that stopped it. The
 * engine stats all files first and names the first one it cannot hash, so k bad files cost k + 1
 * calls instead of one call per file.
 */
import { HashError } from "./hash-error.js";
import { hashFiles } from "./hash-files.js";
import type { HashOptions, HashResult, HashTask } from "./types.js";

export async function hashFilesSettled(
  tasks: readonly HashTask[],
  options: HashOptions,
): Promise<Array<HashResult | Error>> {
  const out: Array<HashResult | Error | undefined> = new Array(tasks.length).fill(undefined);
  let pending = tasks.map((task, index) => ({ task, index }));
  while (pending.length > 0) {
    try {
      const results = await hashFiles(
        pending.map((p) => p.task),
        options,
      );
      pending.forEach((p, i) => {
        out[p.index] = results[i] ?? new Error("Cannot hash: no digest returned");
      });
      return out as Array<HashResult | Error>;
    } catch (error) {
      const failed = error instanceof Error ? error : new Error(String(error));
      const bad =
        error instanceof HashError ? pending.findIndex((p) => p.task.path === error.path) : -1;
      if (bad < 0) {
        for (const p of pending) out[p.index] = failed;
        return out as Array<HashResult | Error>;
      }
      out[(pending[bad] as { index: number }).index] = failed;
      pending = pending.filter((_, i) => i !== bad);
    }
  }
  return out as Array<HashResult | Error>;
}
