/**
 * Run ids and ranks for logs that do not carry them, taken from where the file sits: the run is
 * the path below the argument it was found under, and a `rank<N>` directory or name suffix gives
 * the rank (`job/rank3/metrics.jsonl` and `job/metrics-rank3.jsonl` are rank 3 of run `job/…`).
 */
import path from "node:path";

/** A whole path segment `rank3`, `rank_3`, `rank-3`. */
const RANK_SEGMENT = /^rank[_-]?(\d{1,6})$/i;
/** A name ending in `-rank3`, `_rank3`, `.rank3`. */
const RANK_SUFFIX = /[._-]rank[_-]?(\d{1,6})$/i;

export interface RunIdentity {
  readonly run: string;
  readonly rank: number | undefined;
}

/**
 * `relative` is the path below the argument, `/`- or platform-separated, without extension;
 * `fallback` names the run when nothing is left once rank segments are removed.
 */
export function runIdentity(relative: string, fallback: string): RunIdentity {
  let rank: number | undefined;
  const kept: string[] = [];
  for (const segment of relative.split(/[\\/]/)) {
    if (segment === "" || segment === ".") continue;
    const whole = RANK_SEGMENT.exec(segment);
    if (whole) {
      rank = Number(whole[1]);
      continue;
    }
    const suffix = RANK_SUFFIX.exec(segment);
    if (suffix) rank = Number(suffix[1]);
    kept.push(suffix ? segment.slice(0, suffix.index) : segment);
  }
  return { run: kept.length > 0 ? kept.join("/") : fallback, rank };
}

/** The file path below `root` (the argument) without its extension, `/`-separated. */
export function relativeStem(root: string, file: string): string {
  const relative = path.relative(root, file);
  const ext = path.extname(relative);
  return (ext ? relative.slice(0, -ext.length) : relative).split(path.sep).join("/");
}
