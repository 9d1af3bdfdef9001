/**
 * Request bodies of `POST /v1/telemetry` into telemetry records, with the JSON text they are
 * stored as: `{"records": [...]}` (application/json) or one record per line
 * (application/x-ndjson, the file format of docs/monitor.md). The body is parsed once (JSON) or
 * each line once (NDJSON), and nothing is re-serialised. Every record is checked by the monitor's
 * own parser; the first bad one refuses the whole request, naming its index.
 */
import { parseTelemetryRecord, TelemetryError, type TelemetryRecord } from "../../monitor/index.js";
import { ServerError } from "../server-error.js";

/** Most records in one request; the body limit (8 MiB) usually binds first (~14,000 records). */
export const MAX_TELEMETRY_RECORDS = 100_000;
/** Ranks are stored in an int4 column (PostgreSQL `integer`). */
const MAX_RANK = 2 ** 31 - 1;

export type BodyKind = "json" | "ndjson";

/** A checked request body: its records, and the text to store them as. */
export type DecodedBody = DecodedJson | DecodedNdjson;

export interface DecodedJson {
  readonly kind: "json";
  readonly records: readonly TelemetryRecord[];
  /** The body as valid JSON: as received, or with Python's bare NaN/Infinity quoted. */
  readonly text: string;
  /** The parsed array elements, `records[i]` read from `elements[i]`. */
  readonly elements: readonly unknown[];
}

export interface DecodedNdjson {
  readonly kind: "ndjson";
  readonly records: readonly TelemetryRecord[];
  /** Each record's line as sent (without CR), or with Python's bare NaN/Infinity quoted. */
  readonly lines: readonly string[];
  /**
   * `lines` joined by LF, when the body is exactly that plus at most one final LF (no CR, blank
   * line or rewrite): the body text itself, so a single-run chunk needs no copy.
   */
  readonly joined: string | undefined;
}

export function decodeTelemetryBody(kind: BodyKind, text: string): DecodedBody {
  return kind === "json" ? decodeJson(text) : decodeNdjson(text);
}

function decodeJson(text: string): DecodedJson {
  const { value, text: rewritten } = parseLenient(text, "request body");
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid('Cannot accept request body: it is not an object {"records": [...]}');
  }
  const keys = Object.keys(value);
  const extra = keys.filter((k) => k !== "records");
  if (extra.length > 0) {
    throw invalid(`Cannot accept request body: unknown property "${extra[0]!.slice(0, 64)}"`);
  }
  const elements = (value as { records?: unknown }).records;
  if (!Array.isArray(elements)) {
    throw invalid('Cannot accept request body: "records" is not an array');
  }
  checkCount(elements.length);
  const records = new Array<TelemetryRecord>(elements.length);
  for (let i = 0; i < elements.length; i++) records[i] = checkRecord(elements[i], `#${i}`);
  return { kind: "json", records, text: rewritten ?? text, elements };
}

function decodeNdjson(text: string): DecodedNdjson {
  const records: TelemetryRecord[] = [];
  const lines: string[] = [];
  let start = 0;
  let line = 0;
  let verbatim = true;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    line++;
    const cr = text.charCodeAt(end - 1) === 13;
    const raw = text.slice(start, cr ? end - 1 : end);
    start = end + 1;
    if (cr) verbatim = false;
    if (raw.trim() === "") {
      verbatim = false;
      continue;
    }
    if (records.length === MAX_TELEMETRY_RECORDS) checkCount(records.length + 1);
    const where = `#${records.length} (line ${line})`;
    const { value, text: json } = parseLenient(raw, `telemetry record ${where}`);
    records.push(checkRecord(value, where));
    if (json !== undefined) verbatim = false;
    lines.push(json ?? raw);
  }
  checkCount(records.length);
  const final = text.endsWith("\n") ? text.length - 1 : text.length;
  return { kind: "ndjson", records, lines, joined: verbatim ? text.slice(0, final) : undefined };
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
