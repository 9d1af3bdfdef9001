/**
 * The guard daemon: a Unix-socket server that answers one JSON line per request line. Listens on a
 * socket file of mode 0600 (only its user can ask), bounds each request line, answers requests on
 * one connection in order, and on `close()` stops accepting, waits for checks in flight, and
 * removes its socket file.
 */
import { chmod, lstat, unlink } from "node:fs/promises";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { ScanOptions } from "../scan/index.js";
import { type CachedScan, checkFile } from "./check-file.js";
import { GuardError } from "./guard-error.js";
import { errorReply, MAX_REQUEST_BYTES, parseRequest } from "./protocol.js";
import { ResultCache } from "./result-cache.js";

export interface GuardServerOptions {
  readonly socketPath: string;
  readonly scan?: ScanOptions;
  readonly cacheEntries?: number;
}

export interface GuardServer {
  readonly socketPath: string;
  /** Stops accepting, finishes checks in flight, closes connections and removes the socket. */
  close(): Promise<void>;
}

/** A socket file nobody answers on is left by a daemon that died; anything else is not ours. */
async function removeStaleSocket(path: string): Promise<void> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch {
    return;
  }
  if (!stats.isSocket()) {
    throw new GuardError(
      "socket-unavailable",
      `Cannot listen on "${path}": it exists and is not a socket`,
    );
  }
  const alive = await new Promise<boolean>((resolve) => {
    const probe = createConnection(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (alive) {
    throw new GuardError(
      "socket-unavailable",
      `Cannot listen on "${path}": a daemon already answers there`,
    );
  }
  await unlink(path);
}

function serveConnection(
  socket: Socket,
  handle: (line: string) => Promise<string>,
  track: (p: Promise<unknown>) => void,
): void {
  let pending: Buffer = Buffer.alloc(0);
  let queue: Promise<unknown> = Promise.resolve();
  const send = (reply: string): void => {
    if (!socket.destroyed) socket.write(`${reply}\n`);
  };
  socket.on("data", (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      const end = pending.indexOf(0x0a);
      if (end === -1) break;
      if (end > MAX_REQUEST_BYTES) {
        tooLarge();
        return;
      }
      const line = pending.subarray(0, end).toString("utf8");
      pending = pending.subarray(end + 1);
      queue = queue.then(async () => send(await handle(line)));
      track(queue);
    }
    if (pending.length > MAX_REQUEST_BYTES) tooLarge();
  });
  function tooLarge(): void {
    const error = new GuardError(
      "request-too-large",
      `Cannot read request: the line is over ${MAX_REQUEST_BYTES} bytes`,
    );
    pending = Buffer.alloc(0);
    socket.removeAllListeners("data");
    void queue.then(() => socket.end(`${JSON.stringify(errorReply(error))}\n`));
  }
  socket.on("error", () => socket.destroy());
}

export async function startGuardServer(options: GuardServerOptions): Promise<GuardServer> {
  const { socketPath } = options;
  const cache = new ResultCache<CachedScan>(options.cacheEntries);
  const scan = options.scan ?? {};
  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>): void => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  };
  const handle = async (line: string): Promise<string> => {
    try {
      const request = parseRequest(line);
      return JSON.stringify(
        await checkFile(request.path, request.verify, { scan, cache }, request.identity),
      );
    } catch (error) {
      const guardError =
        error instanceof GuardError
          ? error
          : new GuardError("bad-request", `Cannot check request: ${(error as Error).message}`);
      return JSON.stringify(errorReply(guardError));
    }
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    serveConnection(socket, handle, track);
  });
  await removeStaleSocket(socketPath);
  // Create the socket with no permissions for group and others from the first instant.
  const oldMask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error) =>
        reject(
          new GuardError(
            "socket-unavailable",
            `Cannot listen on "${socketPath}": ${error.message}`,
            { cause: error },
          ),
        ),
      );
      server.listen(socketPath, () => resolve());
    });
  } finally {
    process.umask(oldMask);
  }
  await chmod(socketPath, 0o600);
  let closing: Promise<void> | undefined;
  return {
    socketPath,
    close(): Promise<void> {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.allSettled([...inFlight]);
        for (const socket of sockets) socket.end();
        for (const socket of sockets) socket.destroy();
        await stopped;
        await unlink(socketPath).catch(() => undefined);
      })();
      return closing;
    },
  };
}
