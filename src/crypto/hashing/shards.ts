/**
 * Splits a file into the byte ranges OMS "shards" serialization hashes: consecutive
 * [start, end) ranges of `shardSize` bytes, the last one shorter.
 */
import type { HashTask } from "./types.js";

/**
 * The shard tasks of a file of `size` bytes. An empty file has no shards, as in OMS (which is why
 * an added or removed empty file goes unnoticed in that mode; see research/signing-ledger.md).
 */
export function fileShards(path: string, size: number, shardSize: number): HashTask[] {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(
      `Cannot shard '${path}': size must be a non-negative integer, got '${size}'`,
    );
  }
  if (!Number.isSafeInteger(shardSize) || shardSize < 1) {
    throw new RangeError(
      `Cannot shard '${path}': shard size must be a positive integer, got '${shardSize}'`,
    );
  }
  const shards: HashTask[] = [];
  for (let start = 0; start < size; start += shardSize) {
    shards.push({ path, start, end: Math.min(size, start + shardSize) });
  }
  return shards;
}
