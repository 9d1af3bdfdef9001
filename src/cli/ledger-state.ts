/**
 * The last checkpoint `ledger verify` accepted for a log, kept between runs so the next run can
 * check the log only grew (RFC 9162 §2.1.4). Default: $XDG_CONFIG_HOME/trainguard/ledger/ (or
 * ~/.config/…), one file per origin. The saved note is re-verified with the log key on every
 * read, so an edited state file is refused rather than trusted.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { type NoteVerifier, openCheckpoint, writeFileDurably } from "../ledger/index.js";
import type { TrustedHead } from "../server/verify-ledger.js";
import { InputError } from "./read-input.js";

const MAX_STATE_BYTES = 64 * 1024;

export function defaultStatePath(origin: string, env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  const safe = origin.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);
  const tag = createHash("sha256").update(origin).digest("hex").slice(0, 8);
  return join(config, "trainguard", "ledger", `${safe}-${tag}.json`);
}

/** The saved head, or undefined if this client never verified the log. */
export async function readLedgerState(
  path: string,
  origin: string,
  logKey: NoteVerifier,
): Promise<TrustedHead | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new InputError(`Cannot read state file "${path}": ${(error as Error).message}`);
  }
  if (bytes.length > MAX_STATE_BYTES) {
    throw new InputError(`Cannot read state file "${path}": ${bytes.length} bytes is too large`);
  }
  let note: unknown;
  try {
    note = (JSON.parse(bytes.toString("utf8")) as { note?: unknown }).note;
  } catch {
    throw new InputError(`Cannot read state file "${path}": not JSON`);
  }
  if (typeof note !== "string") {
    throw new InputError(`Cannot read state file "${path}": no checkpoint note`);
  }
  try {
    const { checkpoint } = openCheckpoint(note, origin, [logKey]);
    return { size: checkpoint.size, rootHash: checkpoint.rootHash, note };
  } catch (error) {
    throw new InputError(
      `Cannot use state file "${path}": its checkpoint does not verify with the log key (${(error as Error).message})`,
    );
  }
}

/** Saves the head durably (temporary file, fsync, rename). */
export async function writeLedgerState(path: string, head: TrustedHead): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const text = `${JSON.stringify({ size: head.size, root: Buffer.from(head.rootHash).toString("base64"), note: head.note }, null, 2)}\n`;
  await writeFileDurably(path, text);
}
