/**
 * `env diff A.sig B.sig`: what changed between two environment snapshots, file by file, grouped
 * by package where the path shows one. The manifests are read without checking the signatures
 * (check each with `trainguard verify` first); a shard signature is compared per file.
 */
import { type Manifest, readManifest } from "../integrity/index.js";
import { EnvCheckError } from "./env-error.js";
import { snapshotPackageOf } from "./snapshot-package.js";

export type DiffChange = "added" | "removed" | "changed";

export interface DiffEntry {
  readonly change: DiffChange;
  readonly path: string;
  readonly package: string | null;
}

export interface SnapshotDiff {
  readonly hashAlgorithm: string;
  readonly entries: readonly DiffEntry[];
  readonly counts: Readonly<Record<DiffChange, number>>;
  /** Package (or "" for none) → its entries. */
  readonly byPackage: ReadonlyMap<string, readonly DiffEntry[]>;
}

/** Path → every resource digest of that file, joined (one for files, several for shards). */
function fileDigests(manifest: Manifest): Map<string, string> {
  const files = new Map<string, string[]>();
  for (const resource of manifest.resources) {
    let path = resource.name;
    if (manifest.serialization === "shards") {
      const match = /^(.*):\d+:\d+$/.exec(resource.name);
      path = match?.[1] ?? resource.name;
    }
    const list = files.get(path);
    const value = `${resource.name}=${resource.digest}`;
    if (list === undefined) files.set(path, [value]);
    else list.push(value);
  }
  return new Map([...files].map(([path, parts]) => [path, parts.sort().join(",")]));
}

function read(json: string, label: string): Manifest {
  try {
    return readManifest(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new EnvCheckError("SNAPSHOT", `Cannot read the snapshot ${label}: ${message}`, {
      cause: error,
    });
  }
}

export function diffSnapshots(beforeJson: string, afterJson: string): SnapshotDiff {
  const before = read(beforeJson, "A");
  const after = read(afterJson, "B");
  if (before.hashAlgorithm !== after.hashAlgorithm) {
    throw new EnvCheckError(
      "SNAPSHOT",
      `Cannot compare the snapshots: hashed with "${before.hashAlgorithm}" and "${after.hashAlgorithm}"`,
    );
  }
  const a = fileDigests(before);
  const b = fileDigests(after);
  const entries: DiffEntry[] = [];
  const packageOf = (path: string) => snapshotPackageOf(path, after.modelName);
  for (const [path, digest] of a) {
    const now = b.get(path);
    if (now === undefined) entries.push({ change: "removed", path, package: packageOf(path) });
    else if (now !== digest) entries.push({ change: "changed", path, package: packageOf(path) });
  }
  for (const path of b.keys()) {
    if (!a.has(path)) entries.push({ change: "added", path, package: packageOf(path) });
  }
  entries.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  const counts = { added: 0, removed: 0, changed: 0 };
  const byPackage = new Map<string, DiffEntry[]>();
  for (const entry of entries) {
    counts[entry.change] += 1;
    const key = entry.package ?? "";
    const group = byPackage.get(key);
    if (group === undefined) byPackage.set(key, [entry]);
    else group.push(entry);
  }
  return { hashAlgorithm: after.hashAlgorithm, entries, counts, byPackage };
}
