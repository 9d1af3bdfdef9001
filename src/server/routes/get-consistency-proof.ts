/**
 * `GET /v1/proof/consistency?old=M&new=N`: the RFC 9162 §2.1.4 proof that the tree of the first M
 * entries is a prefix of the tree of the first N, as base64 hashes. 400 unless 1 <= M <= N <= size.
 */
import { Type } from "typebox";
import { proveConsistency } from "../../ledger/index.js";
import type { App, RouteContext } from "../app-types.js";
import { ServerError } from "../server-error.js";
import { Base64Hash, BEARER, ErrorSchema, TreeNumber } from "./common-schemas.js";
import { logSizeAtLeast } from "./ledger-size.js";

const QuerySchema = Type.Object(
  { old: TreeNumber, new: TreeNumber },
  { additionalProperties: false },
);
const ProofSchema = Type.Object({
  old: TreeNumber,
  new: TreeNumber,
  hashes: Type.Array(Base64Hash),
});

export function registerGetConsistencyProof(app: App, context: RouteContext): void {
  app.get(
    "/v1/proof/consistency",
    {
      schema: {
        summary: "Consistency proof between two tree sizes (RFC 9162 §2.1.4)",
        security: BEARER,
        querystring: QuerySchema,
        response: { 200: ProofSchema, 400: ErrorSchema, 401: ErrorSchema },
      },
      onRequest: context.access.hook("ledger-read"),
    },
    async (request) => {
      const { old: oldSize, new: newSize } = request.query;
      const logSize = await logSizeAtLeast(context, newSize);
      if (oldSize < 1 || oldSize > newSize || newSize > logSize) {
        throw new ServerError(
          "INVALID_REQUEST",
          `Cannot prove consistency of size ${oldSize} with ${newSize}: need 1 <= old <= new <= ${logSize}`,
        );
      }
      const proof = await proveConsistency(oldSize, newSize, context.store);
      return {
        old: oldSize,
        new: newSize,
        hashes: proof.map((h) => Buffer.from(h).toString("base64")),
      };
    },
  );
}
