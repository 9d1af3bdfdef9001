/**
 * Recursive, sorted directory walk for the readers. Symlinks are followed only when they resolve
 * inside the argument's tree (a log directory must not lead the reader to /etc); each real
 * directory is entered once, so link cycles end, and each file is found once.
 */
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";

/** Log trees are shallow: run/rank/plugin; MLflow metric keys add a few levels. */
const MAX_DEPTH = 32;
/** Files found in one walk. */
export const MAX_WALK_FILES = 100_000;

export type WalkEntry =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "mlflow-run"; readonly path: string }
  /** A directory that could not be listed, or a limit reached. */
  | { readonly kind: "problem"; readonly path: string; readonly message: string };

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function inside(root: string, target: string): boolean {
  return target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** An MLflow run directory holds `meta.yaml` and a `metrics/` directory. */
async function isMlflowRun(dir: string, names: readonly string[]): Promise<boolean> {
  if (!names.includes("meta.yaml") || !names.includes("metrics")) return false;
  const [meta, metrics] = await Promise.all([
    lstat(path.join(dir, "meta.yaml")).catch(() => undefined),
    lstat(path.join(dir, "metrics")).catch(() => undefined),
  ]);
  return meta?.isFile() === true && metrics?.isDirectory() === true;
}

export async function* walk(root: string): AsyncGenerator<WalkEntry> {
  const realRoot = await realpath(root);
  const entered = new Set<string>();
  /** `dev:ino` of the files found, so a file linked twice is read once. */
  const seenFiles = new Set<string>();
  let found = 0;
  let stopped = false;

  async function* visit(dir: string, depth: number): AsyncGenerator<WalkEntry> {
    const real = await realpath(dir).catch(() => undefined);
    if (real === undefined || entered.has(real)) return;
    entered.add(real);
    if (depth > MAX_DEPTH) {
      yield {
        kind: "problem",
        path: dir,
        message: `Cannot walk directory: deeper than ${MAX_DEPTH}`,
      };
      return;
    }
    let names: string[];
    try {
      names = (await readdir(dir)).sort(byName);
    } catch (error) {
      const message = `Cannot walk directory: ${(error as NodeJS.ErrnoException).code ?? "error"}`;
      yield { kind: "problem", path: dir, message };
      return;
    }
    if (await isMlflowRun(dir, names)) {
      found += 1;
      yield { kind: "mlflow-run", path: dir };
      return;
    }
    for (const name of names) {
      if (stopped) return;
      if (found >= MAX_WALK_FILES) {
        stopped = true;
        const message = `Cannot walk directory: more than ${MAX_WALK_FILES} files`;
        yield { kind: "problem", path: dir, message };
        return;
      }
      const full = path.join(dir, name);
      let info = await lstat(full).catch(() => undefined);
      if (info === undefined) continue;
      if (info.isSymbolicLink()) {
        const target = await realpath(full).catch(() => undefined);
        if (target === undefined || !inside(realRoot, target)) continue;
        info = await stat(target).catch(() => undefined);
        if (info === undefined) continue;
      }
      if (info.isDirectory()) {
        yield* visit(full, depth + 1);
      } else if (info.isFile()) {
        const id = `${info.dev}:${info.ino}`;
        if (seenFiles.has(id)) continue;
        seenFiles.add(id);
        found += 1;
        yield { kind: "file", path: full };
      }
    }
  }

  yield* visit(root, 0);
}
