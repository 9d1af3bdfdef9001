/** How tiles, entry bundles and raw entries go out: bytes, cached long since they never change. */
import type { FastifyReply } from "fastify";
import { TILE_WIDTH } from "../../ledger/index.js";

export const IMMUTABLE = "public, max-age=31536000, immutable";

export function sendBytes(reply: FastifyReply, bytes: Uint8Array, cacheControl: string) {
  return reply
    .type("application/octet-stream")
    .header("cache-control", cacheControl)
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export function sendTileBytes(reply: FastifyReply, bytes: Uint8Array, width: number) {
  // A partial tile is immutable too, but a client should move on to the fuller one soon.
  return sendBytes(reply, bytes, width === TILE_WIDTH ? IMMUTABLE : "public, max-age=60");
}
