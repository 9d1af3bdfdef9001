/**
 * Runs `trainguard serve`: starts the server, prints where it listens, and on SIGTERM or SIGINT
 * (close-with-grace) finishes in-flight requests and signs a final checkpoint before exiting.
 */
import closeWithGrace from "close-with-grace";
import { startServer } from "../server/start-server.js";
import { resolveHome } from "../store/index.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** How long in-flight requests may take to finish after a signal before the process exits 1. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface ServeOptions {
  readonly home?: string | undefined;
  readonly port: number;
  readonly host: string;
  readonly db?: string | undefined;
  readonly publicLedger?: true | undefined;
  readonly origin?: string | undefined;
  readonly witnessKey?: string | undefined;
  readonly webhook?: string[] | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

export async function runServe(options: ServeOptions, io: CliIo): Promise<ExitCode> {
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      home: resolveHome(options.home),
      port: options.port,
      host: options.host,
      dbUrl: options.db,
      publicLedger: options.publicLedger === true,
      origin: options.origin,
      witnessKeyPath: options.witnessKey,
      webhooks: options.webhook,
      logLevel: options.logLevel,
    });
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot start server"));
    return ExitCode.CouldNotCheck;
  }
  io.stdout.write(`trainguard listening on ${server.url}\n`);
  const state = server.service.state;
  if (state.status === "tampered") {
    printError(io, `Cannot trust the stored ledger (serving reads only): ${state.reason}`);
  }
  const log = server.app.log;
  closeWithGrace(
    { delay: SHUTDOWN_GRACE_MS, logger: { error: (m: unknown) => log.error(m) } },
    async ({ signal, err }) => {
      if (err !== undefined) log.error({ err }, "shutting down after an unexpected error");
      else log.info({ signal }, "shutting down");
      await server.close();
    },
  );
  // close-with-grace exits the process once the server has closed.
  return new Promise<ExitCode>(() => undefined);
}
