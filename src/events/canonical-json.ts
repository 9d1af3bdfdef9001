/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme) for the values an event can hold:
 * object keys sorted by UTF-16 code units (RFC 8785 §3.2.3), strings and numbers serialised as
 * ECMAScript's JSON.stringify does (§3.2.2), no whitespace. The same event always gives the same
 * bytes, so its leaf hash is reproducible by anyone holding the event.
 */
import { EventError } from "./event-error.js";

/** A JSON value as JSON.parse returns it. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Deepest nesting we serialise. Validated events nest at most five levels; the bound keeps a
 * hostile value from exhausting the stack even if a schema changes.
 */
export const MAX_CANONICAL_DEPTH = 16;

/** A lone UTF-16 surrogate cannot be encoded as UTF-8; RFC 8785 §3.2.2.2 rejects it. */
const LONE_SURROGATE = /\p{Cs}/u;

export function canonicalJson(value: JsonValue): string {
  return serialise(value, 0);
}

/** The canonical UTF-8 bytes of `value`. */
export function canonicalJsonBytes(value: JsonValue): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalJson(value), "utf8"));
}

function serialise(value: JsonValue, depth: number): string {
  if (depth > MAX_CANONICAL_DEPTH) {
    throw new EventError(
      "INVALID_EVENT",
      `Cannot canonicalise event: nested deeper than ${MAX_CANONICAL_DEPTH}`,
    );
  }
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    // JSON.parse never yields NaN or Infinity, but a caller could pass them.
    if (!Number.isFinite(value)) {
      throw new EventError("INVALID_EVENT", `Cannot canonicalise number "${value}": not finite`);
    }
    return JSON.stringify(value);
  }
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) {
      throw new EventError("INVALID_EVENT", "Cannot canonicalise string: it has a lone surrogate");
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => serialise(v, depth + 1)).join(",")}]`;
  const keys = Object.keys(value).sort();
  const members: string[] = [];
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    members.push(`${serialise(key, depth + 1)}:${serialise(member, depth + 1)}`);
  }
  return `{${members.join(",")}}`;
}
