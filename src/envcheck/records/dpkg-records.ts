/**
 * Loads the Debian packages that own files below the checked directory, from the dpkg info
 * directory (`/var/lib/dpkg/info` unless told otherwise): `.md5sums` for content, `.list` for
 * ownership of directories, symlinks and files without a checksum.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { EnvCheckError } from "../env-error.js";
import { LIMITS } from "../limits.js";
import { dpkgPackageName, parseDpkgList, parseMd5sums } from "./dpkg-md5sums.js";
import { toRootRelative } from "./env-path.js";
import { decodeUtf8, readBounded } from "./read-bounded.js";
import type { Distribution, RecordedFile } from "./recorded-file.js";

export const DEFAULT_DPKG_INFO = "/var/lib/dpkg/info";

interface Collected {
  readonly files: Map<string, RecordedFile>;
  recordPath: string;
}

/** Maps an absolute dpkg path to a path relative to the root, trying each spelling of the root. */
function relativeTo(roots: readonly string[], absolute: string): string | undefined {
  for (const root of roots) {
    const relative = toRootRelative("", absolute, root);
    if (relative !== undefined) return relative;
  }
  return undefined;
}

async function readText(path: string): Promise<string> {
  const { bytes } = await readBounded(path, LIMITS.maxDpkgFileBytes, "the dpkg record");
  return decodeUtf8(bytes, "the dpkg record", path);
}

/**
 * Every package with a path below one of `roots` (the root as given and its real path).
 * `recordPath` of each distribution is the absolute path of its `.md5sums` (or `.list`).
 */
export async function loadDpkgRecords(
  infoDir: string,
  roots: readonly string[],
): Promise<Distribution[]> {
  let names: string[];
  try {
    names = await readdir(infoDir);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new EnvCheckError(
      "BAD_RECORD",
      `Cannot list the dpkg info directory "${infoDir}": ${errno}`,
    );
  }
  if (names.length > LIMITS.maxDpkgInfoFiles) {
    throw new EnvCheckError(
      "LIMIT",
      `Cannot list the dpkg info directory "${infoDir}": too many files`,
    );
  }
  const needles = roots.map((root) => (root.endsWith("/") ? root : `${root}/`));
  const packages = new Map<string, Collected>();
  const collected = (name: string, recordPath: string): Collected => {
    let entry = packages.get(name);
    if (entry === undefined) {
      entry = { files: new Map(), recordPath };
      packages.set(name, entry);
    }
    return entry;
  };
  // md5sums first so their checksummed entries win over the bare .list entries.
  const sorted = [...names].sort((a, b) => {
    const rank = (n: string) => (n.endsWith(".md5sums") ? 0 : 1);
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  });
  for (const fileName of sorted) {
    const isMd5 = fileName.endsWith(".md5sums");
    if (!isMd5 && !fileName.endsWith(".list")) continue;
    const path = join(infoDir, fileName);
    const text = await readText(path);
    // md5sums paths have no leading "/": test for the root without it.
    if (!needles.some((needle) => text.includes(isMd5 ? needle.slice(1) : needle))) continue;
    const name = dpkgPackageName(fileName);
    if (isMd5) {
      for (const entry of parseMd5sums(text, path)) {
        const relative = relativeTo(roots, entry.path);
        if (relative === undefined || relative === "") continue;
        collected(name, path).files.set(relative, {
          path: relative,
          type: "file",
          digest: { algorithm: "md5", hex: entry.md5 },
        });
      }
    } else {
      for (const absolute of parseDpkgList(text, path)) {
        const relative = relativeTo(roots, absolute);
        if (relative === undefined || relative === "") continue;
        const files = collected(name, path).files;
        if (!files.has(relative)) files.set(relative, { path: relative, type: "listed" });
      }
    }
    if (packages.size > LIMITS.maxDistributions) {
      throw new EnvCheckError(
        "LIMIT",
        `Cannot load the dpkg records: more than ${LIMITS.maxDistributions} packages`,
      );
    }
  }
  return [...packages].map(([name, { files, recordPath }]) => ({
    name,
    version: undefined,
    kind: "dpkg" as const,
    recordPath,
    files: [...files.values()],
    outsideRoot: 0,
  }));
}
