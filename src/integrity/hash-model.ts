/**
 * Hashes a model into resources the way the reference serializers do (`_serialization/file.py`,
 * `file_shard.py`): one digest per file, or one per shard of `shardSize` bytes (the last shard
 * shorter; an empty file has no shard). All hashing goes through the hashing engine.
 */
import { type HashAlgorithm, type HashTask, hashFiles } from "../crypto/hashing/index.js";
import { IntegrityError } from "./integrity-error.js";
import { comparePaths, compareShards, shardName } from "./path-order.js";
import type { HashProgress, ManifestResource, Serialization } from "./types.js";
import type { ModelFile } from "./walk-model.js";

export interface HashModelOptions {
  readonly algorithm: HashAlgorithm;
  readonly serialization: Serialization;
  readonly shardSize: number;
  readonly onProgress?: HashProgress | undefined;
}

interface Item {
  readonly name: string;
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

/** The resource `algorithm` the reference records (`ShardedFileHasher.digest_name`). */
export function resourceAlgorithm(
  algorithm: string,
  serialization: Serialization,
  shardSize: number,
): string {
  return serialization === "shards" ? `${algorithm}-sharded-${shardSize}` : algorithm;
}

function itemsOf(files: readonly ModelFile[], options: HashModelOptions): Item[] {
  if (options.serialization === "files") {
    return [...files]
      .sort((a, b) => comparePaths(a.name, b.name))
      .map((file) => ({ name: file.name, path: file.path, start: 0, end: file.size }));
  }
  const items: Item[] = [];
  for (const file of files) {
    for (let start = 0; start < file.size; start += options.shardSize) {
      const end = Math.min(start + options.shardSize, file.size);
      items.push({ name: file.name, path: file.path, start, end });
    }
  }
  return items.sort((a, b) =>
    compareShards(
      { path: a.name, start: a.start, end: a.end },
      { path: b.name, start: b.start, end: b.end },
    ),
  );
}

export interface HashedModel {
  readonly resources: ManifestResource[];
  readonly bytes: number;
}

export async function hashModel(
  files: readonly ModelFile[],
  options: HashModelOptions,
): Promise<HashedModel> {
  const items = itemsOf(files, options);
  const total = items.reduce((sum, item) => sum + (item.end - item.start), 0);
  // Files mode hashes whole files as they are when read; shards hash the ranges planned here.
  const tasks: HashTask[] = items.map((item) =>
    options.serialization === "files"
      ? { path: item.path }
      : { path: item.path, start: item.start, end: item.end },
  );
  const { onProgress } = options;
  let results: Awaited<ReturnType<typeof hashFiles>>;
  try {
    results = await hashFiles(tasks, {
      algorithm: options.algorithm,
      ...(onProgress === undefined
        ? {}
        : { onProgress: (done: number) => onProgress(done, total) }),
    });
  } catch (error) {
    // HashError messages name the file and the reason ("Cannot hash 'x': ...").
    const state = error instanceof Error ? error.message : String(error);
    throw new IntegrityError("IO", `Cannot hash the model: ${state}`, { cause: error });
  }
  const algorithm = resourceAlgorithm(options.algorithm, options.serialization, options.shardSize);
  const resources = items.map((item, index) => ({
    name:
      options.serialization === "files"
        ? item.name
        : shardName({ path: item.name, start: item.start, end: item.end }),
    algorithm,
    digest: Buffer.from(results[index]?.digest ?? []).toString("hex"),
  }));
  const bytes = results.reduce((sum, result) => sum + (result.end - result.start), 0);
  return { resources, bytes };
}
