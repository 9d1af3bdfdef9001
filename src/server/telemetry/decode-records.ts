/**
 * Request bodies of `POST /v1/telemetry` into telemetry records, each with the JSON text that is
 * stored: `{"records": [...]}` (application/json) or one record per line
 * (application/x-ndjson, the file format of docs/monitor.md). Every record is checked by the
 * monitor's own parser; the first bad one refuses the whole request, naming its index.
 */
import { parseTelemetryRecord, TelemetryError, type TelemetryRecord } from "../../monitor/index.js";
import { ServerError } from "../server-error.js";

/** Most records in one request; the body limit (8 MiB) usually binds first (~14,000 records). */
export const MAX_TELEMETRY_RECORDS = 100_000;
/** Ranks are stored in an int4 column (PostgreSQL `integer`). */
const MAX_RANK = 2 ** 31 - 1;

export interface DecodedRecord {
  readonly record: TelemetryRecord;
  /** Valid JSON text of the record: the NDJSON line, or the re-serialised array element. */
  readonly text: string;
}

export type BodyKind = "json" | "ndjson";

export function decodeTelemetryBody(kind: BodyKind, text: string): DecodedRecord[] {
  return kind === "json" ? decodeJson(text) : decodeNdjson(text);
}

function decodeJson(text: string): DecodedRecord[] {
  const { value } = parseLenient(text, "request body");
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid('Cannot accept request body: it is not an object {"records": [...]}');
  }
  const keys = Object.keys(value);
  const extra = keys.filter((k) => k !== "records");
  if (extra.length > 0) {
    throw invalid(`Cannot accept request body: unknown property "${extra[0]!.slice(0, 64)}"`);
  }
  const records = (value as { records?: unknown }).records;
  if (!Array.isArray(records)) {
    throw invalid('Cannot accept request body: "records" is not an array');
  }
  checkCount(records.length);
  return records.map((element, i) => ({
    record: checkRecord(element, `#${i}`),
    text: JSON.stringify(element),
  }));
}

function decodeNdjson(text: string): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.slice(start, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    if (raw.trim() === "") continue;
    if (out.length === MAX_TELEMETRY_RECORDS) checkCount(out.length + 1);
    const where = `#${out.length} (line ${line})`;
    const { value, text: json } = parseLenient(raw, `telemetry record ${where}`);
    out.push({ record: checkRecord(value, where), text: json ?? raw });
  }
  checkCount(out.length);
  return out;
}

function checkCount(count: number): void {
  if (count === 0) throw invalid("Cannot accept request body: it holds no records");
  if (count > MAX_TELEMETRY_RECORDS) {
    throw invalid(
      `Cannot accept request body: more than ${MAX_TELEMETRY_RECORDS} records in one request`,
    );
  }
}

function checkRecord(value: unknown, where: string): TelemetryRecord {
  let record: TelemetryRecord;
  try {
    record = parseTelemetryRecord(value, where);
  } catch (error) {
    if (error instanceof TelemetryError) throw invalid(error.message, error);
    throw error;
  }
  if (record.rank > MAX_RANK) {
    throw invalid(`Cannot read telemetry record ${where}: "rank" is over ${MAX_RANK}`);
  }
  // PostgreSQL text cannot hold U+0000; refuse it for both stores alike.
  if (record.run.includes("\u0000")) {
    throw invalid(`Cannot read telemetry record ${where}: "run" contains U+0000`);
  }
  return record;
}

/**
 * JSON.parse, then a second chance for Python's bare `NaN`, `Infinity` and `-Infinity` tokens
 * (json.dumps writes them by default; docs/monitor.md accepts them): outside strings they become
 * the strings the wire format uses. `text` is the rewritten JSON when a rewrite was needed.
 */
export function parseLenient(text: string, what: string): { value: unknown; text?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch {
    // fall through to the rewrite
  }
  const rewritten = quoteNonFinite(text);
  if (rewritten !== undefined) {
    try {
      return { value: JSON.parse(rewritten), text: rewritten };
    } catch {
      // reported below
    }
  }
  throw invalid(`Cannot parse ${what}: it is not valid JSON`);
}

const BARE_TOKENS = ["-Infinity", "Infinity", "NaN"] as const;

/** `text` with bare non-finite tokens quoted, or undefined when it has none. */
export function quoteNonFinite(text: string): string | undefined {
  if (!/NaN|Infinity/.test(text)) return undefined;
  let out = "";
  let copied = 0;
  let inString = false;
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    const token = BARE_TOKENS.find((t) => text.startsWith(t, i));
    if (token !== undefined) {
      out += `${text.slice(copied, i)}"${token}"`;
      i += token.length - 1;
      copied = i + 1;
      changed = true;
    }
  }
  return changed ? out + text.slice(copied) : undefined;
}

function invalid(message: string, cause?: unknown): ServerError {
  return new ServerError("INVALID_REQUEST", message, cause === undefined ? {} : { cause });
}
