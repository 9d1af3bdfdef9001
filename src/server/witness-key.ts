/**
 * The optional witness key (`--witness-key FILE`): a C2SP tlog-cosignature/v1 signer key
 * (`PRIVATE+KEY+<name>+<id>+<base64(0x04 || seed)>`) whose cosignature every checkpoint carries,
 * so a client that requires it (`ledger verify --witness VKEY`) trusts no checkpoint the log key
 * alone signed. `trainguard ledger witness-key` makes one.
 */
import { readFile, stat } from "node:fs/promises";
import { generateNoteKeys, type NoteSigner, parseSignerKey } from "../ledger/index.js";
import { ServerError } from "./server-error.js";

/** Signature type of cosignature/v1 keys (C2SP tlog-cosignature). */
export const COSIGNATURE_KEY_TYPE = 0x04;
const MAX_KEY_FILE_BYTES = 4096;

export async function readWitnessKey(path: string): Promise<NoteSigner> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > MAX_KEY_FILE_BYTES) throw invalid(path, `${info.size} bytes is not a key file`);
    if ((info.mode & 0o077) !== 0) throw invalid(path, "others can read it; chmod 600 it");
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof ServerError) throw error;
    throw invalid(path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  const line = text.split("\n")[0] ?? "";
  let signer: NoteSigner;
  try {
    signer = parseSignerKey(line);
  } catch (error) {
    throw invalid(path, error instanceof Error ? error.message : String(error));
  }
  // Only type 0x04 keys sign cosignatures; a plain Ed25519 key here would be a second log key.
  const type = Buffer.from(line.split("+").slice(4).join("+"), "base64")[0];
  if (type !== COSIGNATURE_KEY_TYPE) throw invalid(path, "it is not a cosignature/v1 (0x04) key");
  return signer;
}

/** A new witness key pair: the signer key for the file and the verifier key for clients. */
export function generateWitnessKeys(name: string): { signerKey: string; verifierKey: string } {
  return generateNoteKeys(name, COSIGNATURE_KEY_TYPE);
}

function invalid(path: string, state: string): ServerError {
  return new ServerError("INVALID_CONFIG", `Cannot use witness key "${path}": ${state}`);
}
