/**
 * Interleaves the records of several files by time, the way a server would have received them,
 * without ever reordering one file's records: each file is a rank's or a tool's own log, whose
 * order is the evidence (a step regression must stay a regression). A record without a time goes
 * out as soon as it reaches the head of its file.
 */
import type { TelemetryRecord } from "./telemetry.js";

function fileOf(record: TelemetryRecord): string {
  const source = record.source ?? "";
  const colon = source.lastIndexOf(":");
  return colon < 0 ? source : source.slice(0, colon);
}

export function mergeByTime(records: readonly TelemetryRecord[]): TelemetryRecord[] {
  const files = new Map<string, TelemetryRecord[]>();
  for (const record of records) {
    const file = fileOf(record);
    const list = files.get(file);
    if (list === undefined) files.set(file, [record]);
    else list.push(record);
  }
  const queues = [...files.values()];
  const heads = queues.map(() => 0);
  const out: TelemetryRecord[] = [];
  for (;;) {
    let best = -1;
    let bestTime = Number.POSITIVE_INFINITY;
    for (let q = 0; q < queues.length; q++) {
      const record = queues[q]?.[heads[q] ?? 0];
      if (record === undefined) continue;
      const time = Number.isFinite(record.time) ? record.time : Number.NEGATIVE_INFINITY;
      if (best < 0 || time < bestTime) {
        best = q;
        bestTime = time;
      }
    }
    if (best < 0) return out;
    const index = heads[best] ?? 0;
    out.push(queues[best]?.[index] as TelemetryRecord);
    heads[best] = index + 1;
  }
}
