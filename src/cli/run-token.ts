/** Runs `trainguard token create` and `token revoke` against the store the server uses. */

import { parseDuration } from "../server/duration.js";
import { createToken } from "../server/tokens.js";
import { openStore, resolveHome } from "../store/index.js";
import type { Store } from "../store/store.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

export interface StoreOptions {
  readonly home?: string | undefined;
  readonly db?: string | undefined;
}

export interface TokenCreateOptions extends StoreOptions {
  readonly principal: string;
  readonly expiresIn?: string | undefined;
  readonly format: "text" | "json";
}

export async function runTokenCreate(options: TokenCreateOptions, io: CliIo): Promise<ExitCode> {
  return withStore(options, io, "Cannot create token", async (store) => {
    const expiresInMs =
      options.expiresIn === undefined ? undefined : parseDuration(options.expiresIn);
    const created = await createToken(store, { principal: options.principal, expiresInMs });
    if (options.format === "json") {
      const expiresAt =
        created.expiresAt === null ? null : new Date(created.expiresAt).toISOString();
      io.stdout.write(
        `${JSON.stringify({ token: created.token, id: created.id, principal: created.principal, expires_at: expiresAt })}\n`,
      );
    } else {
      io.stdout.write(`${created.token}\n`);
    }
  });
}

export async function runTokenRevoke(
  id: string,
  options: StoreOptions,
  io: CliIo,
): Promise<ExitCode> {
  return withStore(options, io, "Cannot revoke token", async (store) => {
    await store.revokeToken(id);
    io.stdout.write(`revoked ${id}\n`);
  });
}

async function withStore(
  options: StoreOptions,
  io: CliIo,
  fallback: string,
  work: (store: Store) => Promise<void>,
): Promise<ExitCode> {
  let store: Store | undefined;
  try {
    store = await openStore({
      home: resolveHome(options.home),
      ...(options.db === undefined ? {} : { url: options.db }),
    });
    await work(store);
    return ExitCode.Clean;
  } catch (error) {
    printError(io, cannotMessage(error, fallback));
    return ExitCode.CouldNotCheck;
  } finally {
    await store?.close();
  }
}
