/**
 * `GET /tile/<L>/<N>[.p/<W>]`: a hash tile (C2SP tlog-tiles), the `W` stored hashes at tree level
 * 8L from index 256N. Served for any width whose hashes lie inside the newest checkpoint's tree;
 * 404 beyond it. Tile contents never change, so full tiles are cacheable forever.
 */
import { parseTilePath, readTile, TILE_HEIGHT, TILE_WIDTH } from "../../ledger/index.js";
import type { App, RouteContext } from "../app-types.js";
import { ServerError } from "../server-error.js";
import { BEARER, ErrorSchema } from "./common-schemas.js";
import { checkpointSize } from "./ledger-size.js";
import { sendTileBytes } from "./tile-reply.js";

/** Fastify's wildcard parameter; the path parser bounds its length before matching. */
function wildcard(params: unknown): string {
  return (params as { "*"?: string })["*"] ?? "";
}

export function registerGetTile(app: App, context: RouteContext): void {
  app.get(
    "/tile/*",
    {
      schema: {
        summary: "A hash tile (C2SP tlog-tiles)",
        security: BEARER,
        response: { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
      onRequest: context.access.hook("ledger-read"),
    },
    async (request, reply) => {
      const path = `tile/${wildcard(request.params)}`;
      const tile = parseTilePath(path);
      // The tile's last hash covers leaves up to (256N + W) * 256^L; all must be signed.
      const end = (tile.index * TILE_WIDTH + tile.width) * 2 ** (TILE_HEIGHT * tile.level);
      if (end > (await checkpointSize(context))) {
        throw new ServerError("NOT_FOUND", `Cannot serve "${path}": it is beyond the checkpoint`);
      }
      return sendTileBytes(reply, await readTile(tile, context.store), tile.width);
    },
  );
}
