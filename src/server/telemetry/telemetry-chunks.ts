/**
 * A checked request body into the chunks it is stored as: one per run, holding that run's
 * records in request order. The text is reused, never rebuilt from the parsed records where it
 * can be avoided: an NDJSON chunk is the run's lines joined (the body itself when it holds one
 * run and needed no change); a JSON body of a single run is stored as received, and one mixing
 * runs becomes one NDJSON chunk per run of its elements' texts (re-serialised only when the
 * body went through JSON.parse: see DecodedBody.recordText).
 */
import type { TelemetryRecord } from "../../monitor/index.js";
import type { TelemetryChunk } from "../../store/index.js";
import type { DecodedBody } from "./decode-records.js";

export interface ChunkContext {
  readonly receivedAt: number;
  readonly principal: string;
}

/** The text a single-run body is stored as. */
export function storedText(body: DecodedBody): string {
  return body.text ?? body.records.map((_, i) => body.recordText(i)).join("\n");
}

/**
 * `wholeText` gives a single-run body's text (default storedText; the telemetry thread leaves
 * it to the thread that holds the bytes).
 */
export function telemetryChunks(
  body: DecodedBody,
  context: ChunkContext,
  wholeText: (body: DecodedBody) => string = storedText,
): TelemetryChunk[] {
  const { records } = body;
  const run = records[0]!.run;
  let single = true;
  for (let i = 1; i < records.length; i++) {
    if (records[i]!.run !== run) {
      single = false;
      break;
    }
  }
  if (single) {
    return [chunk(records, undefined, body.kind, wholeText(body), context)];
  }
  const groups = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!.run;
    const group = groups.get(r);
    if (group === undefined) groups.set(r, [i]);
    else group.push(i);
  }
  return [...groups.values()].map((indexes) =>
    chunk(records, indexes, "ndjson", indexes.map((i) => body.recordText(i)).join("\n"), context),
  );
}

/** A chunk of `records[i]` for each of `indexes`, or of all records when it is undefined. */
function chunk(
  records: readonly TelemetryRecord[],
  indexes: readonly number[] | undefined,
  format: TelemetryChunk["format"],
  body: string,
  context: ChunkContext,
): TelemetryChunk {
  const count = indexes === undefined ? records.length : indexes.length;
  let minRank = Number.POSITIVE_INFINITY;
  let maxRank = Number.NEGATIVE_INFINITY;
  let minStep = Number.POSITIVE_INFINITY;
  let maxStep = Number.NEGATIVE_INFINITY;
  let minTime = Number.POSITIVE_INFINITY;
  let maxTime = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    const r = records[indexes === undefined ? k : indexes[k]!]!;
    if (r.rank < minRank) minRank = r.rank;
    if (r.rank > maxRank) maxRank = r.rank;
    const step = "step" in r ? r.step : undefined;
    if (step !== undefined && Number.isSafeInteger(step)) {
      if (step < minStep) minStep = step;
      if (step > maxStep) maxStep = step;
    }
    if (Number.isFinite(r.time)) {
      if (r.time < minTime) minTime = r.time;
      if (r.time > maxTime) maxTime = r.time;
    }
  }
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    run: records[indexes === undefined ? 0 : indexes[0]!]!.run,
    format,
    count,
    minRank,
    maxRank,
    minStep: finite(minStep),
    maxStep: finite(maxStep),
    minTime: finite(minTime),
    maxTime: finite(maxTime),
    receivedAt: context.receivedAt,
    principal: context.principal,
    body,
  };
}
