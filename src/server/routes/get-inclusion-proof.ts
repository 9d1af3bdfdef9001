/**
 * `GET /v1/proof/inclusion?index=I&size=N`: the RFC 9162 §2.1.3 inclusion proof of entry I in the
 * tree of the first N entries, as base64 hashes from the leaf up. 400 unless 0 <= I < N <= size.
 */
import { Type } from "typebox";
import { proveInclusion } from "../../ledger/index.js";
import type { App, RouteContext } from "../app-types.js";
import { ServerError } from "../server-error.js";
import { Base64Hash, BEARER, ErrorSchema, TreeNumber } from "./common-schemas.js";
import { logSizeAtLeast } from "./ledger-size.js";

const QuerySchema = Type.Object(
  { index: TreeNumber, size: TreeNumber },
  { additionalProperties: false },
);
const ProofSchema = Type.Object({
  index: TreeNumber,
  size: TreeNumber,
  hashes: Type.Array(Base64Hash),
});

export function registerGetInclusionProof(app: App, context: RouteContext): void {
  app.get(
    "/v1/proof/inclusion",
    {
      schema: {
        summary: "Inclusion proof of an entry in a tree size (RFC 9162 §2.1.3)",
        security: BEARER,
        querystring: QuerySchema,
        response: { 200: ProofSchema, 400: ErrorSchema, 401: ErrorSchema },
      },
      onRequest: context.access.hook("ledger-read"),
    },
    async (request) => {
      const { index, size } = request.query;
      const logSize = await logSizeAtLeast(context, size);
      if (size > logSize || index >= size) {
        throw new ServerError(
          "INVALID_REQUEST",
          `Cannot prove inclusion of entry ${index} in size ${size}: need index < size <= ${logSize}`,
        );
      }
      const proof = await proveInclusion(index, size, context.store);
      return { index, size, hashes: proof.map((h) => Buffer.from(h).toString("base64")) };
    },
  );
}
