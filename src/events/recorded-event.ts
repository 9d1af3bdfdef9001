/**
 * The event as the ledger records it: what the client sent plus what only the server may state
 * (who was authenticated, when the server received it, a unique id). Its canonical JSON bytes are
 * the ledger entry exactly; the leaf hash is SHA-256(0x00 || bytes) (RFC 9162 §2.1.1).
 */
import { randomUUID } from "node:crypto";
import { canonicalJson, canonicalJsonBytes, type JsonValue } from "./canonical-json.js";
import { EventError } from "./event-error.js";
import type { EventInput } from "./event-schema.js";

/** The first member of every recorded event; bump it when the meaning of a field changes. */
export const EVENT_SCHEMA = "trainguard.event/v1";

/** C2SP tlog-tiles entries are uint16 length-prefixed, so an entry is at most 65,535 bytes. */
export const MAX_EVENT_BYTES = 0xffff;

/** What the server knows about the request an event came in. */
export interface RecordContext {
  /** The principal the bearer token maps to. */
  readonly principal: string;
  readonly tokenId: string;
  /** Server time, milliseconds since the epoch. */
  readonly time: number;
}

export type RecordedEvent = Omit<EventInput, "actor"> & {
  readonly schema: typeof EVENT_SCHEMA;
  readonly event_uid: string;
  readonly time: number;
  readonly actor: NonNullable<EventInput["actor"]> & {
    readonly principal: string;
    readonly token_uid: string;
  };
};

/** The recorded form of a validated event, server fields last so they override any claim. */
export function recordEvent(input: EventInput, context: RecordContext): RecordedEvent {
  return {
    ...input,
    schema: EVENT_SCHEMA,
    event_uid: randomUUID(),
    time: context.time,
    actor: { ...input.actor, principal: context.principal, token_uid: context.tokenId },
  };
}

/** The exact ledger entry for a recorded event; EVENT_TOO_LARGE past 65,535 bytes. */
export function eventBytes(event: RecordedEvent): Uint8Array {
  const bytes = canonicalJsonBytes(event as unknown as JsonValue);
  if (bytes.length > MAX_EVENT_BYTES) {
    throw new EventError(
      "EVENT_TOO_LARGE",
      `Cannot record event: its canonical form is ${bytes.length} bytes, over ${MAX_EVENT_BYTES}`,
    );
  }
  return bytes;
}

/**
 * Reads a ledger entry back. Only bytes that are the canonical form of a JSON object with our
 * schema tag are events; anything else is INVALID_EVENT (the entry was not written by us).
 */
export function parseEventBytes(bytes: Uint8Array): RecordedEvent {
  if (bytes.length > MAX_EVENT_BYTES) {
    throw new EventError("EVENT_TOO_LARGE", `Cannot parse event: ${bytes.length} bytes`);
  }
  let value: unknown;
  const text = Buffer.from(bytes).toString("utf8");
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new EventError("INVALID_EVENT", "Cannot parse event: not JSON", { cause });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EventError("INVALID_EVENT", "Cannot parse event: not a JSON object");
  }
  if ((value as { schema?: unknown }).schema !== EVENT_SCHEMA) {
    throw new EventError("INVALID_EVENT", `Cannot parse event: schema is not "${EVENT_SCHEMA}"`);
  }
  if (canonicalJson(value as JsonValue) !== text) {
    throw new EventError("INVALID_EVENT", "Cannot parse event: bytes are not canonical JSON");
  }
  return value as RecordedEvent;
}
