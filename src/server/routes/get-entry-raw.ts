/** `GET /v1/entries/<index>/raw`: one ledger entry, the exact bytes its leaf hash covers. */
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import { StoreError } from "../../store/index.js";
import type { App, RouteContext } from "../app-types.js";
import { ServerError } from "../server-error.js";
import { BEARER, ErrorSchema } from "./common-schemas.js";
import { logSizeAtLeast } from "./ledger-size.js";
import { IMMUTABLE, sendBytes } from "./tile-reply.js";

/** Canonical decimal only, so one entry has one URL; 16 digits bound it below 2^53. */
const ParamsSchema = Type.Object({
  index: Type.String({ pattern: "^(0|[1-9][0-9]{0,15})$" }),
});

export function registerGetEntryRaw(app: App, context: RouteContext): void {
  app.get(
    "/v1/entries/:index/raw",
    {
      schema: {
        summary: "One ledger entry's exact bytes (application/octet-stream)",
        security: BEARER,
        params: ParamsSchema,
        response: { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
      onRequest: context.access.hook("ledger-read"),
    },
    async (request, reply) => {
      const index = Number(request.params.index);
      const size = Number.isSafeInteger(index) ? await logSizeAtLeast(context, index + 1) : 0;
      if (!Number.isSafeInteger(index) || index >= size) {
        throw new ServerError("NOT_FOUND", `Cannot serve entry ${index}: the log has ${size}`);
      }
      const [entry] = await context.store.readEntries(index, index + 1).catch((error: unknown) => {
        if (error instanceof StoreError && error.code === "STORAGE_INCONSISTENT") return [];
        throw error;
      });
      if (entry === undefined) {
        throw new ServerError(
          "NOT_FOUND",
          `Cannot serve entry ${index}: its row is missing from the database`,
        );
      }
      return sendBytes(reply as FastifyReply, entry, IMMUTABLE);
    },
  );
}
