/** Schemas shared by several routes: the error body, base64 hashes, indexes and sizes. */
import { Type } from "typebox";

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String(),
    message: Type.String(),
  },
  { additionalProperties: false },
);

/** Tree sizes and indexes: non-negative safe integers (ledger/merkle/tree-math.ts). */
export const TreeNumber = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** Standard base64 of a 32-byte SHA-256 hash. */
export const Base64Hash = Type.String({ pattern: "^[A-Za-z0-9+/]{43}=$" });

export const BEARER = [{ bearer: [] }];

/** Error responses every authenticated route can give, for the OpenAPI document. */
export const AUTH_ERRORS = { 400: ErrorSchema, 401: ErrorSchema };
