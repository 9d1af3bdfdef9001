/**
 * The watcher's memory across restarts: `<home>/watch-state.json`, path → the identity of the
 * file last scanned there and its verdict. A file whose identity still matches is not scanned
 * again. Written atomically (temporary file, fsync, rename), so a crash leaves the old or the
 * new state, never a torn one.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeFileDurably } from "../ledger/index.js";
import type { Verdict } from "../scan/index.js";
import type { FileIdentity } from "./file-identity.js";
import { WatchError } from "./watch-error.js";

export const WATCH_STATE_FILE = "watch-state.json";
const STATE_VERSION = 1;
const VERDICTS: readonly string[] = ["clean", "suspicious", "dangerous", "unscannable"];
const DECIMAL = /^[0-9]{1,20}$/;

export interface StateEntry extends FileIdentity {
  readonly verdict: Verdict;
  readonly scannedAt: string;
  /** Set when the file was moved to quarantine; a restored, unchanged file is left alone. */
  readonly quarantineId?: string;
}

export type WatchState = Map<string, StateEntry>;

export const watchStatePath = (home: string) => join(home, WATCH_STATE_FILE);

function isEntry(value: unknown): value is StateEntry {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    [v.dev, v.ino, v.size, v.mtimeNs].every((x) => typeof x === "string" && DECIMAL.test(x)) &&
    typeof v.verdict === "string" &&
    VERDICTS.includes(v.verdict) &&
    typeof v.scannedAt === "string" &&
    (v.quarantineId === undefined || typeof v.quarantineId === "string")
  );
}

/** An empty state when the file does not exist yet; a WatchError when it is not ours. */
export async function loadWatchState(path: string): Promise<WatchState> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new WatchError("IO", `Cannot read watch state '${path}': ${(error as Error).message}`);
  }
  const bad = (state: string) =>
    new WatchError("BAD_STATE", `Cannot read watch state '${path}': ${state}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad("not JSON (delete it to rescan everything)");
  }
  const doc = parsed as { version?: unknown; files?: unknown };
  if (doc.version !== STATE_VERSION || typeof doc.files !== "object" || doc.files === null)
    throw bad(`not version ${STATE_VERSION} (delete it to rescan everything)`);
  const state: WatchState = new Map();
  for (const [file, entry] of Object.entries(doc.files)) {
    if (!isEntry(entry)) throw bad(`entry for '${file}' is malformed`);
    state.set(file, entry);
  }
  return state;
}

export async function saveWatchState(path: string, state: WatchState): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const files = Object.fromEntries([...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFileDurably(path, `${JSON.stringify({ version: STATE_VERSION, files }, null, 1)}\n`);
}
