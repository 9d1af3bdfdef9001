/**
 * The files of a model, as the reference serializer sees them (`_filesystem.walk_paths`): the
 * model path itself when it is a file (named "."), or every regular file below it, by
 * model-relative POSIX path. Ignored paths are not entered. Symbolic links are never followed
 * into directories; they are reported, or with `allowSymlinks` hashed when they point to a file.
 */
import type { Dirent, Stats } from "node:fs";
import { lstat, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { isIgnored } from "./ignore-paths.js";
import { IntegrityError } from "./integrity-error.js";

/** A tree deeper or larger than this is not a model; refusing it keeps the walk bounded. */
export const MAX_DEPTH = 256;
export const MAX_ENTRIES = 2_000_000;

export interface ModelFile {
  /** Model-relative POSIX path; "." for a single-file model. */
  readonly name: string;
  readonly path: string;
  readonly size: number;
}

export interface ModelTree {
  readonly isDirectory: boolean;
  /** Regular files (and, when allowed, symbolic links to them), in walk order. */
  readonly files: ModelFile[];
  /** Symbolic links that were not followed. */
  readonly symlinks: string[];
  /** FIFOs, sockets, devices: never hashed. */
  readonly special: string[];
}

export interface WalkOptions {
  readonly ignorePaths: readonly string[];
  readonly allowSymlinks: boolean;
}

async function statOrFail(path: string, follow: boolean): Promise<Stats> {
  try {
    return follow ? await stat(path) : await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new IntegrityError("IO", `Cannot read the model "${path}": ${code}`, { cause: error });
  }
}

async function listDirectory(path: string): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new IntegrityError("IO", `Cannot list the model directory "${path}": ${code}`, {
      cause: error,
    });
  }
}

export async function walkModel(root: string, options: WalkOptions): Promise<ModelTree> {
  const tree: ModelTree = { isDirectory: false, files: [], symlinks: [], special: [] };
  const top = await statOrFail(root, false);
  if (top.isSymbolicLink() && !options.allowSymlinks) {
    tree.symlinks.push(".");
    return tree;
  }
  const target = top.isSymbolicLink() ? await statOrFail(root, true) : top;
  if (target.isFile()) {
    tree.files.push({ name: ".", path: root, size: target.size });
    return tree;
  }
  if (!target.isDirectory()) {
    tree.special.push(".");
    return tree;
  }
  const result: ModelTree = { ...tree, isDirectory: true };
  const pending: { readonly name: string; readonly depth: number }[] = [{ name: "", depth: 0 }];
  let entries = 0;
  while (pending.length > 0) {
    const directory = pending.pop();
    if (directory === undefined) break;
    for (const entry of await listDirectory(join(root, directory.name))) {
      entries += 1;
      if (entries > MAX_ENTRIES) {
        throw new IntegrityError(
          "UNSIGNABLE_MODEL",
          `Cannot walk the model "${root}": over ${MAX_ENTRIES} entries`,
        );
      }
      const name = directory.name === "" ? entry.name : `${directory.name}/${entry.name}`;
      if (isIgnored(name, options.ignorePaths)) continue;
      const path = join(root, name);
      if (entry.isSymbolicLink()) {
        if (!options.allowSymlinks) {
          result.symlinks.push(name);
          continue;
        }
        // Python's glob("**/*") does not descend into linked directories; neither do we.
        const linked = await stat(path).catch(() => undefined);
        if (linked?.isFile() === true) result.files.push({ name, path, size: linked.size });
        else if (linked === undefined) result.special.push(name);
        continue;
      }
      if (entry.isDirectory()) {
        if (directory.depth + 1 > MAX_DEPTH) {
          throw new IntegrityError(
            "UNSIGNABLE_MODEL",
            `Cannot walk the model "${root}": deeper than ${MAX_DEPTH}`,
          );
        }
        pending.push({ name, depth: directory.depth + 1 });
      } else if (entry.isFile()) {
        const info = await statOrFail(path, false);
        result.files.push({ name, path, size: info.size });
      } else {
        result.special.push(name);
      }
    }
  }
  return result;
}
