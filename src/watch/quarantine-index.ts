/**
 * `<home>/quarantine/index.json`: where every quarantined file came from, what it was, who moved
 * it and when. The folder is 0700; each file sits in `<home>/quarantine/<id>/` read-only (0400).
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileDurably } from "../ledger/index.js";
import type { Severity, Verdict } from "../scan/index.js";
import { withLock } from "./index-lock.js";
import { isInside } from "./walk-tree.js";
import { WatchError } from "./watch-error.js";

const INDEX_VERSION = 1;

export interface FindingSummary {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export interface QuarantineEntry {
  readonly id: string;
  readonly originalPath: string;
  /** Where the file is now, inside the quarantine folder. */
  readonly storedPath: string;
  readonly sha256: string;
  readonly size: number;
  /** The file's permission bits before quarantine, put back by restore. */
  readonly mode: number;
  readonly verdict: Verdict;
  readonly format: string;
  readonly findingCount: number;
  readonly findings: readonly FindingSummary[];
  readonly quarantinedAt: string;
  readonly by: string;
}

export const quarantineDir = (home: string) => join(home, "quarantine");
const indexPath = (home: string) => join(quarantineDir(home), "index.json");

export async function ensureQuarantineDir(home: string): Promise<string> {
  const dir = quarantineDir(home);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export async function readQuarantineIndex(home: string): Promise<QuarantineEntry[]> {
  const path = indexPath(home);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new WatchError(
      "IO",
      `Cannot read quarantine index '${path}': ${(error as Error).message}`,
    );
  }
  let doc: { version?: unknown; entries?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new WatchError("BAD_INDEX", `Cannot read quarantine index '${path}': not JSON`);
  }
  if (doc.version !== INDEX_VERSION || !Array.isArray(doc.entries))
    throw new WatchError("BAD_INDEX", `Cannot read quarantine index '${path}': unknown layout`);
  for (const entry of doc.entries as unknown[]) {
    const e = entry as Partial<Record<keyof QuarantineEntry, unknown>>;
    if (
      typeof e.id !== "string" ||
      typeof e.originalPath !== "string" ||
      typeof e.storedPath !== "string" ||
      !isInside(quarantineDir(home), e.storedPath)
    )
      throw new WatchError("BAD_INDEX", `Cannot read quarantine index '${path}': bad entry`);
  }
  return doc.entries as QuarantineEntry[];
}

/** Read, change and write the index under its lock. */
export async function updateQuarantineIndex<T>(
  home: string,
  change: (entries: QuarantineEntry[]) => Promise<T>,
): Promise<T> {
  await ensureQuarantineDir(home);
  return withLock(`${indexPath(home)}.lock`, async () => {
    const entries = await readQuarantineIndex(home);
    const result = await change(entries);
    await writeFileDurably(
      indexPath(home),
      `${JSON.stringify({ version: INDEX_VERSION, entries }, null, 1)}\n`,
    );
    return result;
  });
}
