/** A minimal client of the guard daemon, for `trainguard guard check`, tests and the benchmark. */
import { createConnection } from "node:net";
import { GuardError } from "./guard-error.js";
import type { GuardErrorReply, GuardReply, GuardRequest } from "./protocol.js";

/** Reply lines carry up to `maxFindings` findings; 16 MiB is far above any real one. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;

/** Sends one raw line and resolves with the reply line (without the newline). */
export function sendLine(socketPath: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let received: Buffer = Buffer.alloc(0);
    const fail = (message: string, cause?: unknown): void => {
      socket.destroy();
      reject(
        new GuardError("no-reply", `Cannot ask the guard daemon at "${socketPath}": ${message}`, {
          cause,
        }),
      );
    };
    socket.once("connect", () => socket.write(line.endsWith("\n") ? line : `${line}\n`));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(0x0a);
      if (end !== -1) {
        socket.end();
        resolve(received.subarray(0, end).toString("utf8"));
      } else if (received.length > MAX_REPLY_BYTES) {
        fail("the reply is too large");
      }
    });
    socket.once("error", (error) => fail(error.message, error));
    socket.once("close", () => fail("the connection closed before a reply"));
  });
}

export async function requestCheck(
  socketPath: string,
  request: GuardRequest,
): Promise<GuardReply | GuardErrorReply> {
  const line = await sendLine(socketPath, JSON.stringify(request));
  try {
    return JSON.parse(line) as GuardReply | GuardErrorReply;
  } catch (error) {
    throw new GuardError("no-reply", `Cannot read the guard daemon's reply: it is not JSON`, {
      cause: error,
    });
  }
}
