/**
 * Bearer tokens: `tg_<id>_<secret>`, a public id (16 hex digits) that finds the token's row and a
 * 256-bit secret (base64url, 43 characters) of which only SHA-256 is stored. Comparison of the
 * hashes is constant-time (crypto.timingSafeEqual), so response time says nothing about a guess.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const TOKEN_PREFIX = "tg_";
const ID_BYTES = 8;
/** 256 bits: guessing is hopeless even at a billion tries a second. */
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^tg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** Principal names: a user, service or workload id; no spaces or control characters. */
export const PRINCIPAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:/+-]{0,127}$/;

export interface ParsedToken {
  readonly id: string;
  readonly secret: string;
}

export interface NewToken extends ParsedToken {
  /** The whole token as the user sees it, once. */
  readonly token: string;
  readonly secretHash: Uint8Array;
}

export function generateToken(): NewToken {
  const id = randomBytes(ID_BYTES).toString("hex");
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  return { id, secret, token: `${TOKEN_PREFIX}${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** The id and secret of a well-formed token; undefined for anything else. */
export function parseToken(token: string): ParsedToken | undefined {
  const match = TOKEN_PATTERN.exec(token);
  if (match === null) return undefined;
  return { id: match[1]!, secret: match[2]! };
}

export function hashSecret(secret: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(secret, "utf8").digest());
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}
