/** `GET /checkpoint`: the newest signed checkpoint, a C2SP signed note (tlog-checkpoint). */
import { Type } from "typebox";
import type { App, RouteContext } from "../app-types.js";
import { ServerError } from "../server-error.js";
import { BEARER, ErrorSchema } from "./common-schemas.js";

export function registerGetCheckpoint(app: App, context: RouteContext): void {
  app.get(
    "/checkpoint",
    {
      schema: {
        summary: "The newest signed checkpoint (C2SP signed note, text/plain)",
        security: BEARER,
        response: { 200: Type.String(), 401: ErrorSchema, 404: ErrorSchema },
      },
      onRequest: context.access.hook("ledger-read"),
    },
    async (_request, reply) => {
      const latest = await context.service.latestCheckpoint();
      if (latest === undefined) {
        throw new ServerError("NOT_FOUND", "Cannot serve checkpoint: none has been signed yet");
      }
      // A checkpoint is replaced within a second under load; clients must not cache it long.
      return reply
        .type("text/plain; charset=utf-8")
        .header("cache-control", "no-cache")
        .send(latest.note);
    },
  );
}
