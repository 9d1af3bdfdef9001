import type { ZipAnomaly, ZipGap } from "./types.js";

/** A byte range some zip structure claims: a member, the central directory, an end record. */
export interface Region {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  /** Set for members, so anomalies can name the entry. */
  readonly entry?: string;
}

/**
 * Walks the claimed regions in file order. Unclaimed bytes are gaps (hidden payloads, prefixed
 * polyglots); regions that share bytes are overlaps (the "overlapping files" zip bomb, or a second
 * reader seeing different content). A region starting inside the previous one is an overlap even
 * when it starts at the same offset, as two entries pointing at one local header do.
 */
export function analyseLayout(
  size: number,
  regions: readonly Region[],
): { gaps: ZipGap[]; anomalies: ZipAnomaly[] } {
  const sorted = regions
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const gaps: ZipGap[] = [];
  const anomalies: ZipAnomaly[] = [];
  let cursor = 0;
  let holder: Region | undefined;
  for (const region of sorted) {
    if (region.start > cursor) {
      gaps.push({ offset: cursor, length: region.start - cursor });
    } else if (holder !== undefined && region.start < cursor) {
      const base = { code: "overlapping-members" as const, offset: region.start };
      anomalies.push({
        ...base,
        ...(region.entry !== undefined
          ? { entry: region.entry }
          : holder.entry !== undefined
            ? { entry: holder.entry }
            : {}),
        detail: `${region.label} overlaps ${holder.label}`,
      });
    }
    if (region.end > cursor) {
      cursor = region.end;
      holder = region;
    }
  }
  if (size > cursor) gaps.push({ offset: cursor, length: size - cursor });
  for (const gap of gaps) {
    anomalies.push({
      code: "data-outside-members",
      offset: gap.offset,
      detail: `"${gap.length}" bytes belong to no member or directory record`,
    });
  }
  return { gaps, anomalies };
}
