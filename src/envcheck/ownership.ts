/**
 * Who owns what in a site directory. A distribution owns the top-level names it lists files in
 * (`torch/` for `torch/nn/functional.py`, `six.py`), and every directory on the way to a listed
 * file; the nearest owned directory names the package an unlisted file is blamed on.
 */
import { posix } from "node:path";
import type { Distribution } from "./records/recorded-file.js";

export interface Ownership {
  /** Top-level names below a site dir → owning distributions (root-relative key "site/name"). */
  readonly topLevel: ReadonlyMap<string, ReadonlySet<string>>;
  /** Root-relative directory → first distribution (by name) listing a file below it. */
  readonly directoryOwner: ReadonlyMap<string, string>;
}

export function buildOwnership(
  siteDirs: readonly string[],
  distributions: readonly Distribution[],
): Ownership {
  const topLevel = new Map<string, Set<string>>();
  const directoryOwner = new Map<string, string>();
  const sorted = [...distributions].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const dist of sorted) {
    for (const file of dist.files) {
      for (const siteDir of siteDirs) {
        const prefix = siteDir === "" ? "" : `${siteDir}/`;
        if (!file.path.startsWith(prefix)) continue;
        const rest = file.path.slice(prefix.length);
        if (rest === "") continue;
        const slash = rest.indexOf("/");
        const top = prefix + (slash === -1 ? rest : rest.slice(0, slash));
        let owners = topLevel.get(top);
        if (owners === undefined) {
          owners = new Set();
          topLevel.set(top, owners);
        }
        owners.add(dist.name);
        for (
          let dir = posix.dirname(file.path);
          dir.length >= top.length;
          dir = posix.dirname(dir)
        ) {
          if (!directoryOwner.has(dir)) directoryOwner.set(dir, dist.name);
          if (dir === top) break;
        }
        if (file.type === "directory" || file.type === "listed") {
          if (!directoryOwner.has(file.path)) directoryOwner.set(file.path, dist.name);
        }
      }
    }
  }
  return { topLevel, directoryOwner };
}

/** The owner of the nearest owned directory above `path`, or null. */
export function ownerOf(ownership: Ownership, path: string): string | null {
  for (let dir = posix.dirname(path); dir !== "." && dir !== ""; dir = posix.dirname(dir)) {
    const owner = ownership.directoryOwner.get(dir);
    if (owner !== undefined) return owner;
  }
  return null;
}
