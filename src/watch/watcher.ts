/**
 * `trainguard watch`: file-system events (`fs.watch`, recursive; Linux since Node 19.1) tell the
 * engine which files to look at, and a periodic rescan catches what events miss (network file
 * systems, overflowing event queues, folders created before their watch was set up). A timer
 * scans files as they settle; the state is saved after each batch and on stop.
 */
import { type FSWatcher, watch } from "node:fs";
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { parentInside, walkTree } from "./walk-tree.js";
import { createWatchEngine, type WatchEngine } from "./watch-engine.js";
import type { PassSummary, WatchConfig } from "./watch-types.js";

/** How often settled files are looked for when none is known to be due sooner. */
const IDLE_TICK_MS = 1000;
/** The shortest wait between ticks, so a burst of events is handled in one batch. */
const MIN_TICK_MS = 50;
/** How long a single pass waits for changing files: this many settle times, at least a minute. */
const ONCE_WAIT_FACTOR = 30;
const ONCE_MIN_WAIT_MS = 60_000;

export interface RunningWatcher {
  /** Resolves once the watcher has stopped and saved its state. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A single pass: every new or changed file is scanned once it has settled. */
export async function watchOnce(config: WatchConfig): Promise<PassSummary> {
  const engine = await createWatchEngine(config);
  try {
    await engine.rescan();
    // A file that never stops changing (a log, a stuck writer) must not hang a cron job.
    const deadline =
      Date.now() +
      (config.onceMaxWaitMs ?? Math.max(ONCE_MIN_WAIT_MS, config.settleMs * ONCE_WAIT_FACTOR));
    for (let due = engine.nextDue(); due !== undefined; due = engine.nextDue()) {
      if (Date.now() > deadline) {
        for (const path of engine.abandonPending())
          config.onProblem?.(`Cannot scan '${path}': it was still changing when the pass ended`);
        break;
      }
      await sleep(Math.max(due, MIN_TICK_MS));
      await engine.processSettled();
    }
  } finally {
    await engine.save();
  }
  return engine.summary();
}

function watchRoot(
  engine: WatchEngine,
  root: string,
  onProblem: (m: string) => void,
): FSWatcher | undefined {
  let watcher: FSWatcher;
  try {
    watcher = watchEvents(root, engine, onProblem);
  } catch (error) {
    // Out of inotify watches (ENOSPC), or no recursive watch here: the rescans still run.
    onProblem(`Cannot watch '${root}' for events (rescans only): ${String(error)}`);
    return undefined;
  }
  watcher.on("error", (error) => onProblem(`Cannot watch '${root}': ${error.message}`));
  return watcher;
}

function watchEvents(root: string, engine: WatchEngine, onProblem: (m: string) => void): FSWatcher {
  return watch(root, { recursive: true, persistent: true }, (_event, name) => {
    if (name === null) return;
    const path = join(root, name.toString());
    void (async () => {
      if (!(await parentInside(root, path))) return;
      await engine.observe(path);
      // A new folder's files may have arrived before the folder's own watch: walk it (a real
      // folder only: readdir would follow a link to one, out of the tree).
      const info = await lstat(path).catch(() => undefined);
      if (info?.isDirectory() === true) await walkTree(path, engine.home, engine.observe);
    })().catch((error: unknown) => onProblem(`Cannot look at '${path}': ${String(error)}`));
  });
}

/** Runs until stop(): events, periodic rescans, and scans as files settle. */
export async function startWatcher(config: WatchConfig): Promise<RunningWatcher> {
  const engine = await createWatchEngine(config);
  const problem = config.onProblem ?? (() => undefined);
  let stopping = false;
  let wake: (() => void) | undefined;
  const watchers = engine.roots.map((root) => watchRoot(engine, root, problem));
  let nextRescan = 0;
  const loop = async () => {
    while (!stopping) {
      try {
        if (Date.now() >= nextRescan) {
          await engine.rescan();
          nextRescan = Date.now() + config.rescanIntervalMs;
        }
        await engine.processSettled(() => stopping);
        await engine.save();
      } catch (error) {
        problem(`Cannot complete a watch pass: ${String(error)}`);
      }
      const due = Math.min(engine.nextDue() ?? IDLE_TICK_MS, nextRescan - Date.now());
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.max(MIN_TICK_MS, Math.min(due, IDLE_TICK_MS)));
      });
    }
    for (const watcher of watchers) watcher?.close();
    await engine.save();
  };
  const done = loop();
  return {
    done,
    stop: async () => {
      stopping = true;
      wake?.();
      await done;
    },
  };
}
