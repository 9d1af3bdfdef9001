/** Creating tokens and checking the bearer token of a request against the store. */
import type { Store } from "../store/store.js";
import { ServerError } from "./server-error.js";
import { generateToken, PRINCIPAL_PATTERN, parseToken, secretMatches } from "./token-format.js";

/** Who a request is authenticated as. */
export interface Principal {
  readonly name: string;
  readonly tokenId: string;
}

export interface CreateTokenOptions {
  readonly principal: string;
  /** Lifetime in milliseconds; without it the token lasts until revoked. */
  readonly expiresInMs?: number | undefined;
  /** Milliseconds since the epoch; default the clock. */
  readonly now?: number | undefined;
}

export interface CreatedToken {
  /** The token to hand to the client; it is not stored and cannot be shown again. */
  readonly token: string;
  readonly id: string;
  readonly principal: string;
  readonly expiresAt: number | null;
}

export async function createToken(
  store: Store,
  options: CreateTokenOptions,
): Promise<CreatedToken> {
  if (!PRINCIPAL_PATTERN.test(options.principal)) {
    throw new ServerError(
      "INVALID_CONFIG",
      `Cannot create token for principal "${options.principal}": use 1-128 letters, digits and ._@:/+-`,
    );
  }
  const now = options.now ?? Date.now();
  const expiresAt = options.expiresInMs === undefined ? null : now + options.expiresInMs;
  const fresh = generateToken();
  await store.createToken({
    id: fresh.id,
    principal: options.principal,
    secretHash: fresh.secretHash,
    createdAt: now,
    expiresAt,
    revoked: false,
  });
  return { token: fresh.token, id: fresh.id, principal: options.principal, expiresAt };
}

/** Longest Authorization header we look at; a real one is 67 characters. */
const MAX_AUTHORIZATION_LENGTH = 256;
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The principal of an `Authorization: Bearer <token>` header, or undefined when the header is
 * missing or the token is malformed, unknown, revoked or expired (one answer for all, so a caller
 * learns nothing about which tokens exist).
 */
export async function authenticate(
  store: Store,
  authorization: string | undefined,
  now: number = Date.now(),
): Promise<Principal | undefined> {
  if (authorization === undefined || authorization.length > MAX_AUTHORIZATION_LENGTH) {
    return undefined;
  }
  const token = BEARER.exec(authorization)?.[1];
  const parsed = token === undefined ? undefined : parseToken(token);
  if (parsed === undefined) return undefined;
  const record = await store.findToken(parsed.id);
  if (record === undefined || !secretMatches(parsed.secret, record.secretHash)) return undefined;
  if (record.revoked || (record.expiresAt !== null && record.expiresAt <= now)) return undefined;
  return { name: record.principal, tokenId: record.id };
}
