/**
 * The order of resources in a signature. The reference sorts manifest keys as Python
 * `PurePosixPath`s (`manifest.Manifest.resource_descriptors`): component by component, each
 * component compared by Unicode code point, so `a/b` < `a-b` < `a.txt`. Shards sort by path,
 * then by start and end offsets as integers.
 */

/** Python's `str` order: by code point, not by UTF-16 code unit as `<` on JS strings. */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done === true || y.done === true) {
      return x.done === true ? (y.done === true ? 0 : -1) : 1;
    }
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

export function comparePaths(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  const common = Math.min(left.length, right.length);
  for (let i = 0; i < common; i += 1) {
    const order = compareCodePoints(left[i] ?? "", right[i] ?? "");
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

export interface ShardName {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

export function shardName(shard: ShardName): string {
  return `${shard.path}:${shard.start}:${shard.end}`;
}

const OFFSET = /^(0|[1-9][0-9]{0,15})$/;

/**
 * `path:start:end`, split from the right so that a path holding `:` still parses. Undefined when
 * the offsets are not canonical decimal integers with start < end.
 */
export function parseShardName(name: string): ShardName | undefined {
  const second = name.lastIndexOf(":");
  const first = second > 0 ? name.lastIndexOf(":", second - 1) : -1;
  if (first < 0) return undefined;
  const start = name.slice(first + 1, second);
  const end = name.slice(second + 1);
  if (!OFFSET.test(start) || !OFFSET.test(end)) return undefined;
  const shard = { path: name.slice(0, first), start: Number(start), end: Number(end) };
  return shard.start < shard.end && Number.isSafeInteger(shard.end) ? shard : undefined;
}

export function compareShards(a: ShardName, b: ShardName): number {
  return comparePaths(a.path, b.path) || a.start - b.start || a.end - b.end;
}
