/**
 * Who may call what. Every write needs a valid bearer token; ledger reads (checkpoint, tiles,
 * entries, proofs) need one too unless the server runs with `--public-ledger`; health, readiness
 * and the OpenAPI document are open. The check runs in `onRequest`, before the body is read, so
 * an unauthenticated client cannot make the server parse anything.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Store } from "../store/store.js";
import { ServerError } from "./server-error.js";
import { authenticate, type Principal } from "./tokens.js";

export type Access = "public" | "ledger-read" | "write";

export interface AccessControl {
  /** The `onRequest` hook for a route of this access level. */
  hook(access: Access): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** The principal `hook` authenticated for this request. */
  principalOf(request: FastifyRequest): Principal;
}

export function accessControl(store: Store, publicLedger: boolean): AccessControl {
  const principals = new WeakMap<FastifyRequest, Principal>();
  return {
    hook: (access) => async (request, reply) => {
      if (access === "public" || (access === "ledger-read" && publicLedger)) return;
      const principal = await authenticate(store, request.headers.authorization);
      if (principal === undefined) {
        reply.header("www-authenticate", 'Bearer realm="trainguard"');
        throw new ServerError(
          "UNAUTHENTICATED",
          "Cannot authenticate request: no valid bearer token (missing, unknown, expired or revoked)",
        );
      }
      principals.set(request, principal);
    },
    principalOf: (request) => {
      const principal = principals.get(request);
      if (principal === undefined) {
        throw new ServerError("INTERNAL", "Cannot find the principal of an authenticated request");
      }
      return principal;
    },
  };
}
