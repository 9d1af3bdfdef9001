/**
 * Reading telemetry back record by record: the chunks of a run, page by page in arrival order,
 * each split into its records' JSON text. Memory stays bounded by one page of chunks whatever the
 * length of the run.
 */
import { MAX_READ_CHUNKS } from "./range-checks.js";
import type { Store, StoredTelemetryChunk } from "./store.js";
import { StoreError } from "./store-error.js";

/** One record read back: its JSON text and the chunk that holds it. */
export interface StoredTelemetryRecord {
  readonly chunk: StoredTelemetryChunk;
  /** The record's JSON text: the NDJSON line as stored, or a "json" chunk's element re-serialised. */
  readonly text: string;
}

/** The records' JSON text of one chunk, in their order; throws if the body does not match. */
export function chunkRecordTexts(chunk: StoredTelemetryChunk): string[] {
  let texts: string[];
  if (chunk.format === "ndjson") {
    texts = chunk.body.split("\n");
  } else {
    let records: unknown;
    try {
      records = (JSON.parse(chunk.body) as { records?: unknown }).records;
    } catch (error) {
      throw inconsistent(chunk, "its body is not valid JSON", error);
    }
    if (!Array.isArray(records)) throw inconsistent(chunk, 'its body has no "records" array');
    texts = records.map((r) => JSON.stringify(r));
  }
  if (texts.length !== chunk.count) {
    throw inconsistent(chunk, `it holds ${texts.length} records, not ${chunk.count}`);
  }
  return texts;
}

/** Every stored record of `run`, in arrival order, read `pageChunks` chunks at a time. */
export async function* telemetryRecords(
  store: Pick<Store, "readTelemetry">,
  run: string,
  pageChunks = 8,
): AsyncGenerator<StoredTelemetryRecord> {
  const page = Math.min(Math.max(1, pageChunks), MAX_READ_CHUNKS);
  let afterId = 0;
  for (;;) {
    const chunks = await store.readTelemetry(run, afterId, page);
    for (const chunk of chunks) {
      for (const text of chunkRecordTexts(chunk)) yield { chunk, text };
      afterId = chunk.id;
    }
    if (chunks.length < page) return;
  }
}

function inconsistent(chunk: StoredTelemetryChunk, state: string, cause?: unknown): StoreError {
  return new StoreError(
    "STORAGE_INCONSISTENT",
    `Cannot read telemetry chunk ${chunk.id}: ${state}`,
    cause === undefined ? {} : { cause },
  );
}
