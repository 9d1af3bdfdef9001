/**
 * `GET /tile/entries/<N>[.p/<W>]`: the entry bundle (C2SP tlog-tiles "Log entries") of entries
 * 256N .. 256N + W - 1, each uint16 length-prefixed, exactly as stored. 404 beyond the checkpoint.
 */
import { encodeEntryBundle, parseEntryBundlePath, TILE_WIDTH } from "../../ledger/index.js";
import type { App, RouteContext } from "../app-types.js";
import { ServerError } from "../server-error.js";
import { BEARER, ErrorSchema } from "./common-schemas.js";
import { checkpointSize } from "./ledger-size.js";
import { sendTileBytes } from "./tile-reply.js";

/** Fastify's wildcard parameter; the path parser bounds its length before matching. */
function wildcard(params: unknown): string {
  return (params as { "*"?: string })["*"] ?? "";
}

export function registerGetEntryBundle(app: App, context: RouteContext): void {
  app.get(
    "/tile/entries/*",
    {
      schema: {
        summary: "An entry bundle (C2SP tlog-tiles)",
        security: BEARER,
        response: { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
      onRequest: context.access.hook("ledger-read"),
    },
    async (request, reply) => {
      const path = `tile/entries/${wildcard(request.params)}`;
      const bundle = parseEntryBundlePath(path);
      const start = bundle.index * TILE_WIDTH;
      const end = start + bundle.width;
      if (end > (await checkpointSize(context))) {
        throw new ServerError("NOT_FOUND", `Cannot serve "${path}": it is beyond the checkpoint`);
      }
      const entries = await context.store.readEntries(start, end);
      return sendTileBytes(reply, encodeEntryBundle(entries), bundle.width);
    },
  );
}
