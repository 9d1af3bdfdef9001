/**
 * Lists the regular files under a watched folder. Symbolic links are never followed (to files or
 * directories): a link could point anywhere, and the file it points to is watched where it is, if
 * it is inside a watched folder. The trainguard home (quarantine, state) is skipped when it lies
 * inside a watched folder, so quarantined files are not found again.
 */
import type { Dirent } from "node:fs";
import { readdir, realpath } from "node:fs/promises";
import { dirname, join, sep } from "node:path";

/** Deeper trees are not walked: a bound against hostile or looping layouts. */
export const MAX_WALK_DEPTH = 64;

export const isInside = (root: string, path: string) =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

export async function walkTree(
  root: string,
  skip: string,
  visit: (path: string) => Promise<void>,
): Promise<void> {
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_WALK_DEPTH || isInside(skip, dir)) return;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // vanished or unreadable since it was listed; the next rescan sees it again
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile()) await visit(path);
    }
  };
  await walk(root, 0);
}

/**
 * Whether a path reported by a file-system event really lies in the tree: its parent directory,
 * with every link resolved, must be inside the (resolved) root, so an event under a linked
 * directory is not followed out of the tree.
 */
export async function parentInside(root: string, path: string): Promise<boolean> {
  try {
    return isInside(root, await realpath(dirname(path)));
  } catch {
    return false;
  }
}
