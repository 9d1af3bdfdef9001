import { FormatError } from "../format-error.js";

/**
 * A strict RFC 8259 JSON reader for headers whose keys must be unique (serde_json, which the
 * safetensors reference uses, is strict where `JSON.parse` is lenient: `JSON.parse` keeps the last
 * of two equal keys, so a header could mean one thing to us and another to a loader). Integers
 * are kept as bigint so that sizes past 2^53 are checked exactly, not rounded.
 */
export type JsonValue =
  | null
  | boolean
  | string
  | bigint
  | number
  | readonly JsonValue[]
  | ReadonlyMap<string, JsonValue>;

/** serde_json's default recursion limit. */
export const MAX_JSON_DEPTH = 128;

const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

export function parseStrictJson(text: string, what: string): JsonValue {
  let pos = 0;
  const fail = (state: string): never => {
    throw new FormatError("MALFORMED", `Cannot read ${what} JSON: ${state} at character ${pos}`);
  };
  const ws = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      pos += 1;
    }
  };
  const string = (): string => {
    pos += 1; // opening quote
    let out = "";
    for (;;) {
      if (pos >= text.length) fail("unterminated string");
      const c = text[pos]!;
      pos += 1;
      if (c === '"') return out;
      if (c.charCodeAt(0) < 0x20) fail("control character in string");
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = text[pos];
      pos += 1;
      if (e === "u") {
        const hex = text.slice(pos, pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
        out += String.fromCharCode(Number.parseInt(hex, 16));
        pos += 4;
      } else if (e !== undefined && e in ESCAPES) out += ESCAPES[e];
      else fail("bad escape");
    }
  };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_JSON_DEPTH) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read ${what} JSON: nested over ${MAX_JSON_DEPTH}`,
      );
    }
    ws();
    const c = text[pos];
    if (c === "{") {
      pos += 1;
      const map = new Map<string, JsonValue>();
      ws();
      if (text[pos] === "}") {
        pos += 1;
        return map;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail("expected a key");
        const key = string();
        if (map.has(key)) fail(`duplicate key "${key}"`);
        ws();
        if (text[pos] !== ":") fail("expected ':'");
        pos += 1;
        map.set(key, value(depth + 1));
        ws();
        if (text[pos] === ",") pos += 1;
        else if (text[pos] === "}") {
          pos += 1;
          return map;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      pos += 1;
      const list: JsonValue[] = [];
      ws();
      if (text[pos] === "]") {
        pos += 1;
        return list;
      }
      for (;;) {
        list.push(value(depth + 1));
        ws();
        if (text[pos] === ",") pos += 1;
        else if (text[pos] === "]") {
          pos += 1;
          return list;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    for (const [word, result] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return result;
      }
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (match === null || match[0] === "" || match[0] === "-") return fail("unexpected character");
    pos += match[0].length;
    return INTEGER.test(match[0]) ? BigInt(match[0]) : Number(match[0]);
  };
  const result = value(0);
  ws();
  if (pos !== text.length) fail("trailing characters");
  return result;
}
