/**
 * The last (size, root) this server signed, kept in a file beside the log key and written before
 * each signature (research/signing-ledger.md, "Ledger design"). The database holds the signed
 * checkpoints too, but whoever can rewrite the database could also delete its newest checkpoints;
 * this copy lets the server refuse to sign a tree that does not extend what it already signed.
 */
import { readFile } from "node:fs/promises";
import { writeFileDurably } from "../durable-file.js";
import { LedgerServiceError } from "./service-error.js";

export interface SignedHead {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
}

/** The file is tiny; anything larger was not written by us. */
const MAX_FILE_BYTES = 4096;

export async function readSignedHead(path: string): Promise<SignedHead | undefined> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_FILE_BYTES) throw corrupt(path, `${bytes.length} bytes`);
    text = bytes.toString("utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt(path, "not JSON");
  }
  const { origin, size, root } = (value ?? {}) as Record<string, unknown>;
  const rootHash = typeof root === "string" ? Buffer.from(root, "base64") : undefined;
  if (
    typeof origin !== "string" ||
    typeof size !== "number" ||
    !Number.isSafeInteger(size) ||
    size < 0 ||
    rootHash === undefined ||
    rootHash.length !== 32
  ) {
    throw corrupt(path, "not {origin, size, root}");
  }
  return { origin, size, rootHash: new Uint8Array(rootHash) };
}

/** Writes the head durably: a temporary file, fsync, then an atomic rename over the old one. */
export async function writeSignedHead(path: string, head: SignedHead): Promise<void> {
  const text = `${JSON.stringify({
    origin: head.origin,
    size: head.size,
    root: Buffer.from(head.rootHash).toString("base64"),
  })}\n`;
  await writeFileDurably(path, text);
}

function corrupt(path: string, state: string): LedgerServiceError {
  return new LedgerServiceError(
    "LEDGER_TAMPERED",
    `Cannot read the last signed tree head "${path}": ${state}`,
  );
}
