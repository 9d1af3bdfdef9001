/**
 * Compares what a signature lists with what the model holds now, file by file (the reference
 * compares name-to-digest maps, `Manifest.__eq__`; we also say which file differs and how).
 * Shards are grouped back into their files, so a finding always names a file.
 */
import { comparePaths, parseShardName } from "./path-order.js";
import type { ManifestResource, Serialization, VerifyFinding } from "./types.js";

interface FileEntry {
  /** Resource name → "algorithm:digest". */
  readonly parts: Map<string, string>;
  /** One past the last byte covered (shards) or 0 (files). */
  size: number;
}

function group(
  resources: readonly ManifestResource[],
  serialization: Serialization,
): Map<string, FileEntry> {
  const files = new Map<string, FileEntry>();
  for (const resource of resources) {
    const shard = serialization === "shards" ? parseShardName(resource.name) : undefined;
    const path = shard?.path ?? resource.name;
    let entry = files.get(path);
    if (entry === undefined) {
      entry = { parts: new Map(), size: 0 };
      files.set(path, entry);
    }
    entry.parts.set(resource.name, `${resource.algorithm}:${resource.digest}`);
    if (shard !== undefined) entry.size = Math.max(entry.size, shard.end);
  }
  return files;
}

const short = (value: string) => (value.length > 24 ? `${value.slice(0, 24)}…` : value);

function describeChange(signed: FileEntry, now: FileEntry, serialization: Serialization): string {
  if (serialization === "shards") {
    if (signed.size !== now.size)
      return `size changed: signed ${signed.size} bytes, now ${now.size}`;
    const changed = [...signed.parts].filter(([name, value]) => now.parts.get(name) !== value);
    const [first] = changed;
    return first === undefined
      ? "shards differ"
      : `content changed in ${changed.length} of ${signed.parts.size} shards (first: ${first[0]})`;
  }
  const [[, before] = ["", ""]] = signed.parts;
  const [[, after] = ["", ""]] = now.parts;
  const algorithm = (value: string) => value.slice(0, value.lastIndexOf(":"));
  if (algorithm(before) !== algorithm(after)) {
    return `hash algorithm differs: signed ${algorithm(before)}, computed ${algorithm(after)}`;
  }
  return `content changed: signed digest ${short(before)}, now ${short(after)}`;
}

function sameEntry(a: FileEntry, b: FileEntry): boolean {
  if (a.parts.size !== b.parts.size) return false;
  for (const [name, value] of a.parts) if (b.parts.get(name) !== value) return false;
  return true;
}

/**
 * Findings for every file that differs. `emptyNow` lists files present but empty: in shards mode
 * they have no resource, so one the signature covered shows as modified rather than missing.
 */
export function compareManifests(
  signed: readonly ManifestResource[],
  now: readonly ManifestResource[],
  serialization: Serialization,
  emptyNow: ReadonlySet<string> = new Set(),
): VerifyFinding[] {
  const before = group(signed, serialization);
  const after = group(now, serialization);
  const findings: VerifyFinding[] = [];
  for (const [path, entry] of before) {
    const current = after.get(path);
    if (current === undefined) {
      findings.push(
        emptyNow.has(path)
          ? { kind: "modified", path, detail: `size changed: signed ${entry.size} bytes, now 0` }
          : { kind: "missing", path, detail: "signed, but not in the model" },
      );
    } else if (!sameEntry(entry, current)) {
      findings.push({
        kind: "modified",
        path,
        detail: describeChange(entry, current, serialization),
      });
    }
  }
  for (const path of after.keys()) {
    if (!before.has(path))
      findings.push({ kind: "unexpected", path, detail: "in the model, but not signed" });
  }
  return findings.sort((a, b) => comparePaths(a.path, b.path));
}
