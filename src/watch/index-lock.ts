/**
 * A lock file beside the quarantine index, so the watcher and `trainguard quarantine restore`
 * (separate processes) never lose each other's index updates. `open(..., "wx")` is atomic
 * (O_CREAT|O_EXCL); a lock older than STALE_LOCK_MS is from a process that died and is broken.
 */
import { open, rm, stat } from "node:fs/promises";
import { WatchError } from "./watch-error.js";

const LOCK_WAIT_MS = 10_000;
const STALE_LOCK_MS = 60_000;
const RETRY_MS = 25;

export async function withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx", 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = await stat(lockPath).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rm(lockPath, { force: true });
      else if (Date.now() > deadline)
        throw new WatchError("LOCKED", `Cannot lock '${lockPath}': held by another process`);
      else await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}
