/**
 * `quarantine restore`: moves a quarantined file back to where it came from (or `to`), never
 * over an existing file, gives it back its permission bits and drops it from the index.
 */
import { chmod, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { moveFile } from "./move-file.js";
import { type QuarantineEntry, updateQuarantineIndex } from "./quarantine-index.js";
import { WatchError } from "./watch-error.js";

export interface Restored {
  readonly entry: QuarantineEntry;
  readonly restoredTo: string;
}

export async function restoreFile(home: string, id: string, to?: string): Promise<Restored> {
  return updateQuarantineIndex(home, async (entries) => {
    const at = entries.findIndex((e) => e.id === id);
    const entry = entries[at];
    if (entry === undefined)
      throw new WatchError("UNKNOWN_ID", `Cannot restore '${id}': no such quarantine entry`);
    const target = to === undefined ? entry.originalPath : resolve(to);
    try {
      await moveFile(entry.storedPath, target);
    } catch (error) {
      if (error instanceof WatchError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new WatchError("IO", `Cannot restore '${id}' to '${target}': ${code}`, {
        cause: error,
      });
    }
    await chmod(target, entry.mode & 0o777).catch(() => undefined);
    await rm(dirname(entry.storedPath), { recursive: true, force: true });
    entries.splice(at, 1);
    return { entry, restoredTo: target };
  });
}
