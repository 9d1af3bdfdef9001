/**
 * What `trainguard ledger verify` checks, in order: the checkpoint is signed by the log key (and
 * cosigned by the witness when one is required); it is consistent with the last checkpoint this
 * client accepted (RFC 9162 §2.1.4, so the log was only appended to); and, with `full`, every
 * entry it covers hashes to its root. Problems are findings; a failure to talk to the server
 * throws (the caller exits 2).
 */
import {
  NoteError,
  type NoteVerifier,
  type OpenedCheckpoint,
  openCheckpoint,
  verifyConsistency,
} from "../ledger/index.js";
import type { LedgerClient } from "./ledger-client.js";
import { verifyEntries } from "./verify-entries.js";

/** A checkpoint a client accepted: what it keeps between runs. */
export interface TrustedHead {
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly note: string;
}

export type LedgerProblemKind = "signature" | "witness" | "rollback" | "consistency" | "entry";

export interface LedgerProblem {
  readonly kind: LedgerProblemKind;
  readonly index?: number;
  readonly message: string;
}

export interface LedgerVerifyOptions {
  readonly client: LedgerClient;
  readonly origin: string;
  readonly logKey: NoteVerifier;
  /** Require a cosignature by this witness key. */
  readonly witnessKey?: NoteVerifier | undefined;
  /** The last checkpoint accepted before, if any. */
  readonly previous?: TrustedHead | undefined;
  readonly full: boolean;
}

export interface LedgerVerifyReport {
  readonly origin: string;
  /** The server's checkpoint, when its signature verified. */
  readonly checkpoint?: TrustedHead | undefined;
  readonly previousSize?: number | undefined;
  readonly witnessed: boolean;
  readonly full: boolean;
  readonly problems: readonly LedgerProblem[];
}

export async function verifyLedger(options: LedgerVerifyOptions): Promise<LedgerVerifyReport> {
  const { client, origin, logKey, witnessKey, previous, full } = options;
  const note = await client.checkpoint();
  const base = { origin, previousSize: previous?.size, witnessed: false, full };
  let opened: OpenedCheckpoint;
  try {
    opened = openCheckpoint(
      note,
      origin,
      witnessKey === undefined ? [logKey] : [logKey, witnessKey],
    );
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    return { ...base, problems: [{ kind: "signature", message: error.message }] };
  }
  const signedBy = (key: NoteVerifier) =>
    opened.note.verified.some((s) => s.name === key.name && s.keyId === key.keyId);
  const checkpoint = { size: opened.checkpoint.size, rootHash: opened.checkpoint.rootHash, note };
  const problems: LedgerProblem[] = [];
  if (!signedBy(logKey)) {
    problems.push({
      kind: "signature",
      message: "Cannot verify checkpoint: the log key did not sign it",
    });
  }
  const witnessed = witnessKey !== undefined && signedBy(witnessKey);
  if (witnessKey !== undefined && !witnessed) {
    problems.push({
      kind: "witness",
      message: `Cannot verify checkpoint: the witness "${witnessKey.name}" did not cosign it`,
    });
  }
  if (problems.length > 0) return { ...base, checkpoint, problems };
  if (previous !== undefined) {
    const problem = await checkGrowth(client, previous, checkpoint);
    if (problem !== undefined) problems.push(problem);
  }
  if (full) {
    for (const p of await verifyEntries(client, checkpoint.size, checkpoint.rootHash)) {
      problems.push({ kind: "entry", ...p });
    }
  }
  return { ...base, checkpoint, witnessed, problems };
}

async function checkGrowth(
  client: LedgerClient,
  previous: TrustedHead,
  current: TrustedHead,
): Promise<LedgerProblem | undefined> {
  if (previous.size > current.size) {
    return {
      kind: "rollback",
      message: `Cannot accept checkpoint of size ${current.size}: size ${previous.size} was seen before`,
    };
  }
  if (previous.size === 0) return undefined;
  const proof =
    previous.size === current.size
      ? []
      : await client.consistencyProof(previous.size, current.size);
  try {
    verifyConsistency(previous.size, current.size, previous.rootHash, current.rootHash, proof);
  } catch (error) {
    return {
      kind: "consistency",
      message: `Cannot verify that size ${current.size} extends size ${previous.size} seen before: ${
        error instanceof Error ? error.message : String(error)
      }`,
    };
  }
  return undefined;
}
