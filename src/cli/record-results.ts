/**
 * `--server URL` (or TRAINGUARD_SERVER) on the checking commands: their results are also
 * appended to a trainguard server's ledger as events, authenticated with TRAINGUARD_TOKEN. When
 * recording was asked for and fails, the command exits 2: a result that was meant to be on the
 * record and is not has not been fully handled.
 */
import { randomUUID } from "node:crypto";
import type { EventInput } from "../events/index.js";
import { cannotMessage, printError } from "./errors.js";
import type { CliIo } from "./io.js";

export const SERVER_OPTION_HELP =
  "also record the results as events on this trainguard server (or TRAINGUARD_SERVER; token in TRAINGUARD_TOKEN)";

export interface RecordTarget {
  readonly url: string;
  readonly token: string;
  /** Links every event of this command run. */
  readonly correlationUid: string;
}

/**
 * Where to record, undefined when nothing is to be recorded, or null (after printing why) when
 * the flag or environment is unusable.
 */
export function recordTarget(
  server: string | undefined,
  io: CliIo,
): RecordTarget | undefined | null {
  const env = io.env ?? process.env;
  const url = server ?? env.TRAINGUARD_SERVER;
  if (url === undefined || url === "") return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    printError(io, `Cannot use server '${url}': not a URL`);
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    printError(io, `Cannot use server '${url}': expected http:// or https://`);
    return null;
  }
  const token = env.TRAINGUARD_TOKEN;
  if (token === undefined || token === "") {
    printError(io, `Cannot record results on '${url}': TRAINGUARD_TOKEN is not set`);
    return null;
  }
  return { url: parsed.toString(), token, correlationUid: randomUUID() };
}

/** Posts the events; prints why and returns false when the server did not take them all. */
export async function recordResults(
  target: RecordTarget,
  events: readonly EventInput[],
  io: CliIo,
): Promise<boolean> {
  if (events.length === 0) return true;
  try {
    const { postEvents } = await import("../server/client.js");
    await postEvents(target.url, target.token, events);
    return true;
  } catch (error) {
    printError(io, cannotMessage(error, `Cannot record results on '${target.url}'`));
    return false;
  }
}
