/**
 * Request bodies of `POST /v1/telemetry` into telemetry records, with the JSON text they are
 * stored as: `{"records": [...]}` (application/json) or one record per line
 * (application/x-ndjson, the file format of docs/monitor.md). The body is parsed once (JSON) or
 * each line once (NDJSON), and nothing is re-serialised where its text can be cut. Every record
 * is checked by the monitor's own parser; the first bad one refuses the whole request, naming
 * its index.
 */
import {
  parseTelemetryRecord,
  type StepRecord,
  TelemetryError,
  type TelemetryRecord,
} from "../../monitor/index.js";
import { DECLINED, JsonCursor } from "../../monitor/json-cursor.js";
import { StepParser } from "../../monitor/parse-step-bytes.js";
import { ServerError } from "../server-error.js";

/** Most records in one request; the body limit (8 MiB) usually binds first (~14,000 records). */
export const MAX_TELEMETRY_RECORDS = 100_000;
/** Ranks are stored in an int4 column (PostgreSQL `integer`). */
const MAX_RANK = 2 ** 31 - 1;

export type BodyKind = "json" | "ndjson";

/**
 * A checked request body: its records, and the text to store them as. Step records, the bulk of
 * telemetry, are read straight from the bytes (parse-step-bytes.ts); anything that fast path
 * declines goes through JSON.parse and parseTelemetryRecord, which also word every refusal.
 */
export interface DecodedBody {
  readonly kind: BodyKind;
  readonly records: readonly TelemetryRecord[];
  /**
   * The body as stored when it holds one run: a JSON body as received (or with Python's bare
   * NaN/Infinity quoted); an NDJSON body without its final LF when it is exactly its records'
   * lines (no CR, blank line or rewrite), else undefined and the lines are joined.
   */
  readonly text: string | undefined;
  /**
   * When `text` is a range of the body's bytes decoded (as sent, not rewritten): that range, so
   * a thread that still holds the bytes can decode it itself (worker-engine.ts).
   */
  readonly textRange: readonly [number, number] | undefined;
  /** Record i's JSON text: its line as sent (without CR), or its array element. */
  recordText(i: number): string;
}

export function decodeTelemetryBody(kind: BodyKind, body: Buffer | string): DecodedBody {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  if (kind === "ndjson") return decodeNdjson(bytes);
  return decodeJsonFast(bytes) ?? decodeJson(bytes.toString());
}

/** `{"records": [step, …]}` read without JSON.parse, or undefined to take the slow path. */
function decodeJsonFast(bytes: Buffer): DecodedBody | undefined {
  const c = new JsonCursor(bytes);
  c.limit = bytes.length;
  const parser = new StepParser(bytes);
  const records: StepRecord[] = [];
  const spans: number[] = [];
  try {
    c.expect(0x7b);
    c.ws();
    c.stringSpan();
    if (!c.spanIs("records")) return undefined;
    c.expect(0x3a);
    c.expect(0x5b);
    for (;;) {
      c.ws();
      const start = c.pos;
      const record = parser.parse(start, bytes.length, false, undefined);
      if (record === undefined || record.rank > MAX_RANK) return undefined;
      if (records.length === MAX_TELEMETRY_RECORDS) return undefined;
      records.push(record);
      spans.push(start, parser.end);
      c.pos = parser.end;
      const next = c.ws();
      c.pos++;
      if (next === 0x5d) break;
      if (next !== 0x2c) return undefined;
    }
    c.expect(0x7d);
    if (c.ws() !== undefined) return undefined;
  } catch (error) {
    if (error === DECLINED) return undefined;
    throw error;
  }
  const textRange = [0, bytes.length] as const;
  const text = textOf(bytes, textRange);
  return {
    kind: "json",
    records,
    get text() {
      return text();
    },
    textRange,
    recordText: (i) => bytes.toString("utf8", spans[2 * i], spans[2 * i + 1]),
  };
}

function decodeJson(text: string): DecodedBody {
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
  // Its elements' texts cannot be cut from a rewritten body without a second parser.
  return {
    kind: "json",
    records,
    text: rewritten ?? text,
    textRange: undefined,
    recordText: (i) => JSON.stringify(elements[i]),
  };
}

const LF = 0x0a;
const CR = 0x0d;

function decodeNdjson(bytes: Buffer): DecodedBody {
  const parser = new StepParser(bytes);
  const records: TelemetryRecord[] = [];
  /** Each record's line: bytes[spans[2i], spans[2i + 1]). */
  const spans: number[] = [];
  /** Lines stored other than as sent (bare NaN/Infinity quoted), by record index. */
  const rewritten = new Map<number, string>();
  const n = bytes.length;
  let start = 0;
  let line = 0;
  let verbatim = true;
  while (start < n) {
    let end = bytes.indexOf(LF, start);
    if (end === -1) end = n;
    line++;
    let stop = end;
    if (stop > start && bytes[stop - 1] === CR) {
      stop--;
      verbatim = false;
    }
    const lineStart = start;
    start = end + 1;
    if (records.length === MAX_TELEMETRY_RECORDS) checkCount(records.length + 1);
    const fast = parser.parse(lineStart, stop, true, undefined);
    if (fast !== undefined && fast.rank <= MAX_RANK) {
      records.push(fast);
      spans.push(lineStart, stop);
      continue;
    }
    const raw = bytes.toString("utf8", lineStart, stop);
    if (raw.trim() === "") {
      verbatim = false;
      continue;
    }
    const where = `#${records.length} (line ${line})`;
    const { value, text: json } = parseLenient(raw, `telemetry record ${where}`);
    records.push(checkRecord(value, where));
    spans.push(lineStart, stop);
    if (json !== undefined) {
      verbatim = false;
      rewritten.set(records.length - 1, json);
    }
  }
  checkCount(records.length);
  const final = n > 0 && bytes[n - 1] === LF ? n - 1 : n;
  const textRange = verbatim ? ([0, final] as const) : undefined;
  const text = textOf(bytes, textRange);
  return {
    kind: "ndjson",
    records,
    get text() {
      return text();
    },
    textRange,
    recordText: (i) => rewritten.get(i) ?? bytes.toString("utf8", spans[2 * i], spans[2 * i + 1]),
  };
}

/**
 * A body's stored text, decoded from `range` of its bytes on first use and then kept: the
 * telemetry thread never needs it (the server decodes its own copy), the inline path once.
 */
function textOf(bytes: Buffer, range: readonly [number, number] | undefined) {
  let text: string | undefined;
  return (): string | undefined => {
    if (range === undefined) return undefined;
    text ??= bytes.toString("utf8", range[0], range[1]);
    return text;
  };
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
