/**
 * A bounded walk of a directory tree that never follows symbolic links: a link is reported as a
 * link, so an attacker cannot point the walk outside the environment or into a loop.
 */
import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { EnvCheckError } from "./env-error.js";
import { LIMITS } from "./limits.js";

export type EntryType = "file" | "symlink" | "directory" | "other";

export interface WalkEntry {
  /** Relative to the environment root, forward slashes. */
  readonly path: string;
  readonly type: EntryType;
}

/** Shared across walks of one check, so the total number of entries is bounded. */
export interface WalkBudget {
  entries: number;
  readonly maxEntries: number;
  readonly maxDepth: number;
}

export function newWalkBudget(
  maxEntries: number = LIMITS.maxWalkEntries,
  maxDepth: number = LIMITS.maxWalkDepth,
): WalkBudget {
  return { entries: 0, maxEntries, maxDepth };
}

function typeOf(entry: Dirent): EntryType {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isDirectory()) return "directory";
  if (entry.isFile()) return "file";
  return "other";
}

/** Lists one directory (relative to root) with the type of each entry, sorted by name. */
export async function listDirectory(
  root: string,
  relative: string,
  budget: WalkBudget,
): Promise<WalkEntry[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, relative), { withFileTypes: true });
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new EnvCheckError("IO", `Cannot list the directory "${relative}": ${errno}`, {
      cause: error,
    });
  }
  budget.entries += entries.length;
  if (budget.entries > budget.maxEntries) {
    throw new EnvCheckError(
      "LIMIT",
      `Cannot walk the environment: more than ${budget.maxEntries} entries`,
    );
  }
  return entries
    .map((entry) => ({
      path: relative === "" ? entry.name : `${relative}/${entry.name}`,
      type: typeOf(entry),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Every entry below `relative` (not including it), depth first. `skipDirectory` prunes a
 * directory's contents (the directory itself is still yielded).
 */
export async function walkTree(
  root: string,
  relative: string,
  budget: WalkBudget,
  skipDirectory: (path: string) => boolean = () => false,
): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (depth > budget.maxDepth) {
      throw new EnvCheckError(
        "LIMIT",
        `Cannot walk the directory "${dir}": nested deeper than ${budget.maxDepth}`,
      );
    }
    for (const entry of await listDirectory(root, dir, budget)) {
      out.push(entry);
      if (entry.type === "directory" && !skipDirectory(entry.path))
        await visit(entry.path, depth + 1);
    }
  };
  await visit(relative, 0);
  return out;
}
