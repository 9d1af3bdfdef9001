/**
 * The small client other commands use to record their results on a server
 * (`--server URL` / TRAINGUARD_SERVER, token in TRAINGUARD_TOKEN).
 */
import type { EventInput } from "../events/index.js";
import { httpRequest } from "./http-request.js";
import { ServerError } from "./server-error.js";

/** The server accepts up to 10,000 events per request; this client sends at most this many. */
export const POST_BATCH_SIZE = 1000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Appends events (in batches) and returns their ledger indexes, in order. */
export async function postEvents(
  serverUrl: string,
  token: string,
  events: readonly EventInput[],
): Promise<number[]> {
  const indexes: number[] = [];
  for (let i = 0; i < events.length; i += POST_BATCH_SIZE) {
    const batch = events.slice(i, i + POST_BATCH_SIZE);
    const response = await httpRequest(new URL("/v1/events", serverUrl).toString(), {
      method: "POST",
      token,
      body: { events: batch },
      maxBytes: MAX_RESPONSE_BYTES,
    });
    const parsed = parseIndexes(response.body, batch.length);
    indexes.push(...parsed);
  }
  return indexes;
}

function parseIndexes(body: Uint8Array, count: number): number[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw new ServerError("BAD_RESPONSE", "Cannot read the server's answer: not JSON");
  }
  const indexes = (value as { indexes?: unknown }).indexes;
  if (
    !Array.isArray(indexes) ||
    indexes.length !== count ||
    !indexes.every((i) => Number.isSafeInteger(i) && i >= 0)
  ) {
    throw new ServerError("BAD_RESPONSE", `Cannot read the server's answer: not ${count} indexes`);
  }
  return indexes as number[];
}
