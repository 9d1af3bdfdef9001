/**
 * The log's Ed25519 note key, kept in the home directory (file mode 0600) and generated on first
 * start. The key name is the checkpoint origin, as in C2SP tlog-checkpoint deployments. The file
 * holds the signer key and the verifier key, one per line; `trainguard ledger key` prints the
 * second.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  generateNoteKeys,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
} from "../ledger/index.js";
import { ServerError } from "./server-error.js";

export const LOG_KEY_FILE = "log-key";
export const DEFAULT_ORIGIN = "trainguard.local/ledger";
/** Group and other permission bits: a signing key readable by anyone else is refused. */
const SHARED_MODE_BITS = 0o077;
const MAX_KEY_FILE_BYTES = 4096;

export interface LogKey {
  readonly origin: string;
  readonly signer: NoteSigner;
  readonly verifier: NoteVerifier;
  /** `name+keyhash+base64`, what clients pass to `ledger verify --key`. */
  readonly verifierKey: string;
}

/** Reads the home directory's log key, creating it (for `origin`) if there is none. */
export async function loadOrCreateLogKey(home: string, origin?: string): Promise<LogKey> {
  const path = join(home, LOG_KEY_FILE);
  try {
    return await readKeyFile(path, origin);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const keys = generateNoteKeys(origin ?? DEFAULT_ORIGIN);
  await mkdir(home, { recursive: true, mode: 0o700 });
  // Write aside, then link into place: link fails if another server created the key meanwhile,
  // so two processes starting on one home never end up signing with different keys.
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, `${keys.signerKey}\n${keys.verifierKey}\n`, {
    mode: 0o600,
    flag: "wx",
  });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  return readKeyFile(path, origin);
}

/** Reads an existing log key; INVALID_CONFIG when there is none or it is unusable. */
export async function readLogKey(home: string): Promise<LogKey> {
  const path = join(home, LOG_KEY_FILE);
  try {
    return await readKeyFile(path, undefined);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ServerError(
        "INVALID_CONFIG",
        `Cannot read log key "${path}": it does not exist (start \`trainguard serve\` once)`,
      );
    }
    throw error;
  }
}

async function readKeyFile(path: string, origin: string | undefined): Promise<LogKey> {
  const info = await stat(path);
  if ((info.mode & SHARED_MODE_BITS) !== 0) {
    throw invalid(
      path,
      `mode ${(info.mode & 0o777).toString(8)} lets others read it; chmod 600 it`,
    );
  }
  if (info.size > MAX_KEY_FILE_BYTES) throw invalid(path, `${info.size} bytes is not a key file`);
  const [signerKey, verifierKey] = (await readFile(path, "utf8")).split("\n");
  let signer: NoteSigner;
  let verifier: NoteVerifier;
  try {
    signer = parseSignerKey(signerKey ?? "");
    verifier = parseVerifierKey(verifierKey ?? "");
  } catch (error) {
    throw invalid(path, error instanceof Error ? error.message : String(error));
  }
  const probe = randomBytes(32);
  if (
    signer.name !== verifier.name ||
    signer.keyId !== verifier.keyId ||
    !verifier.verify(probe, signer.sign(probe))
  ) {
    throw invalid(path, "its verifier key does not belong to its signer key");
  }
  if (origin !== undefined && origin !== signer.name) {
    throw invalid(path, `it is the key of origin "${signer.name}", not "${origin}"`);
  }
  return { origin: signer.name, signer, verifier, verifierKey: verifierKey! };
}

function invalid(path: string, state: string): ServerError {
  return new ServerError("INVALID_CONFIG", `Cannot use log key "${path}": ${state}`);
}
