/**
 * The watcher's state machine, without timers or file-system events (watcher.ts adds those):
 * files are observed, wait until their identity (dev, inode, size, mtime) stayed the same for
 * `settleMs`, are scanned, and are checked again after the scan: a file that changed while it was
 * scanned is neither recorded nor quarantined but waits to settle again. This is what keeps a
 * checkpoint that is still being written out of quarantine.
 */
import { mkdir, realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { scanFile } from "../scan/index.js";
import { type FileIdentity, identify, sameIdentity } from "./file-identity.js";
import { quarantineFile } from "./quarantine-file.js";
import { isInside, walkTree } from "./walk-tree.js";
import { WatchError } from "./watch-error.js";
import { loadWatchState, saveWatchState, type WatchState, watchStatePath } from "./watch-state.js";
import type { PassSummary, WatchConfig } from "./watch-types.js";

interface Pending {
  readonly identity: FileIdentity;
  readonly since: number;
}

export interface WatchEngine {
  readonly roots: readonly string[];
  readonly home: string;
  /** Notes a file (from an event or a walk); it is scanned once it has settled. */
  observe(path: string): Promise<void>;
  /** Walks every root and observes every regular file; forgets files that are gone. */
  rescan(): Promise<void>;
  /** Scans the files that have settled; stops early (between files) once `stopping()` is true. */
  processSettled(stopping?: () => boolean): Promise<void>;
  /** Milliseconds until the next pending file may have settled, or undefined when none waits. */
  nextDue(): number | undefined;
  save(): Promise<void>;
  /** Stops waiting for files that have not settled; they make the pass not clean. */
  abandonPending(): string[];
  summary(): PassSummary;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function createWatchEngine(config: WatchConfig): Promise<WatchEngine> {
  const roots: string[] = [];
  for (const root of config.roots) {
    // A folder named on the command line is the user's choice: a link to one is followed once.
    const real = await realpath(root).catch(() => undefined);
    const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
    if (real === undefined || info?.isDirectory() !== true)
      throw new WatchError("NOT_FOUND", `Cannot watch '${root}': no such directory`);
    roots.push(real);
  }
  const home = resolve(config.home);
  const statePath = watchStatePath(home);
  const state: WatchState = await loadWatchState(statePath);
  const pending = new Map<string, Pending>();
  let dirty = false;
  let scanned = 0;
  let unchanged = 0;
  let unsettled = 0;
  let allClean = true;
  await mkdir(home, { recursive: true, mode: 0o700 });
  const homeReal = await realpath(home);

  const observe = async (path: string): Promise<void> => {
    if (isInside(homeReal, path)) return;
    const identity = await identify(path);
    if (identity === null) {
      pending.delete(path);
      return;
    }
    const known = state.get(path);
    if (sameIdentity(known, identity)) {
      if (!pending.has(path)) {
        unchanged += 1;
        if (known?.verdict !== "clean") allClean = false;
      }
      pending.delete(path);
      return;
    }
    const waiting = pending.get(path);
    if (!sameIdentity(waiting?.identity, identity))
      pending.set(path, { identity, since: Date.now() });
  };

  const scanOne = async (path: string, identity: FileIdentity): Promise<void> => {
    const result = await (config.scanFile ?? scanFile)(path, config.scanOptions ?? {});
    scanned += 1;
    const after = await identify(path);
    if (!sameIdentity(identity, after)) {
      // Written to while it was scanned: this verdict is about bytes that are gone.
      if (after === null) pending.delete(path);
      else pending.set(path, { identity: after, since: Date.now() });
      return;
    }
    pending.delete(path);
    if (result.verdict !== "clean") allClean = false;
    let quarantined: Awaited<ReturnType<typeof quarantineFile>> | undefined;
    let failed = false;
    if (config.quarantine.has(result.verdict)) {
      try {
        quarantined = await quarantineFile(home, path, result, identity);
      } catch (error) {
        // Not recorded as handled, so the next rescan scans it and tries again.
        failed = true;
        config.onProblem?.(`Cannot quarantine '${path}': ${errorText(error)}`);
      }
    }
    if (!failed) {
      state.set(path, {
        ...identity,
        verdict: result.verdict,
        scannedAt: new Date().toISOString(),
        ...(quarantined === undefined ? {} : { quarantineId: quarantined.id }),
      });
      dirty = true;
    }
    await config.onVerdict({
      path,
      result,
      ...(quarantined === undefined ? {} : { quarantined }),
    });
  };

  const processSettled = async (stopping: () => boolean = () => false): Promise<void> => {
    const now = Date.now();
    for (const [path, waiting] of [...pending]) {
      if (stopping()) return;
      if (now - waiting.since < config.settleMs) continue;
      const identity = await identify(path);
      if (identity === null) pending.delete(path);
      else if (!sameIdentity(waiting.identity, identity))
        pending.set(path, { identity, since: Date.now() });
      else await scanOne(path, identity);
    }
  };

  const rescan = async (): Promise<void> => {
    for (const root of roots) await walkTree(root, homeReal, observe);
    // Forget files that are gone, except quarantined ones: a restored file that is unchanged
    // was put back on purpose and is not quarantined again.
    for (const [path, entry] of [...state]) {
      if (entry.quarantineId === undefined && (await identify(path)) === null) {
        state.delete(path);
        dirty = true;
      }
    }
  };

  return {
    roots,
    home,
    observe,
    rescan,
    processSettled,
    nextDue: () => {
      let due: number | undefined;
      const now = Date.now();
      for (const waiting of pending.values()) {
        const left = Math.max(0, waiting.since + config.settleMs - now);
        due = due === undefined ? left : Math.min(due, left);
      }
      return due;
    },
    save: async () => {
      if (!dirty) return;
      dirty = false;
      await saveWatchState(statePath, state);
    },
    abandonPending: () => {
      const paths = [...pending.keys()];
      pending.clear();
      unsettled += paths.length;
      if (paths.length > 0) allClean = false;
      return paths;
    },
    summary: () => ({ scanned, unchanged, unsettled, allClean }),
  };
}
