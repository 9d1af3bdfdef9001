/**
 * What a server checks before it accepts appends or signs anything: the rows are internally
 * consistent (every entry hashes to its stored leaf hash, every stored subtree hash to its
 * children, no gaps: `verifyLedgerStorage`), the newest stored checkpoint is signed by the log
 * key and its root is the stored tree's root at that size, and the tree extends the last head
 * this server signed (kept outside the database). An entry edited, deleted or reordered in the
 * database fails one of these.
 */

import { verifyLedgerStorage } from "../../store/index.js";
import type { Store } from "../../store/store.js";
import { type NoteVerifier, openCheckpoint, treeHashAt } from "../index.js";
import { hashesEqual } from "../merkle/hash.js";
import { readSignedHead, type SignedHead } from "./signed-head-file.js";
import { isStorageCorruption } from "./storage-corruption.js";

export type StartupCheck =
  | { readonly ok: true; readonly size: number; readonly lastSigned: SignedHead | undefined }
  | { readonly ok: false; readonly reason: string };

export interface StartupCheckOptions {
  readonly store: Store;
  readonly origin: string;
  readonly verifier: NoteVerifier;
  readonly signedHeadPath?: string | undefined;
}

export async function checkLedgerAtStartup(options: StartupCheckOptions): Promise<StartupCheck> {
  const { store, origin, verifier, signedHeadPath } = options;
  const storage = await verifyLedgerStorage(store);
  if (!storage.ok) {
    const at = storage.firstBadIndex === undefined ? "" : ` at entry ${storage.firstBadIndex}`;
    return fail(`the stored ledger is damaged${at}: ${storage.detail ?? "no detail"}`);
  }
  const size = await store.ledgerSize();
  const latest = await store.latestCheckpoint();
  if (latest !== undefined) {
    try {
      const { checkpoint } = openCheckpoint(latest.note, origin, [verifier]);
      if (checkpoint.size !== latest.size || !hashesEqual(checkpoint.rootHash, latest.rootHash)) {
        return fail(`the stored checkpoint of size ${latest.size} does not match its note`);
      }
    } catch (error) {
      return fail(
        `the stored checkpoint of size ${latest.size} is not signed by the log key`,
        error,
      );
    }
    const problem = await rootProblem(store, size, latest, "the newest checkpoint");
    if (problem !== undefined) return { ok: false, reason: problem };
  }
  let lastSigned: SignedHead | undefined;
  if (signedHeadPath !== undefined) {
    try {
      lastSigned = await readSignedHead(signedHeadPath);
    } catch (error) {
      return fail("the last signed head file is unreadable", error);
    }
    if (lastSigned !== undefined && lastSigned.origin !== origin) {
      return fail(`the last signed head is for origin "${lastSigned.origin}", not "${origin}"`);
    }
    if (lastSigned !== undefined) {
      const problem = await rootProblem(store, size, lastSigned, "the last signed head");
      if (problem !== undefined) return { ok: false, reason: problem };
    }
  }
  return { ok: true, size, lastSigned };
}

async function rootProblem(
  store: Store,
  size: number,
  head: { readonly size: number; readonly rootHash: Uint8Array },
  what: string,
): Promise<string | undefined> {
  if (head.size > size) {
    return `the log has ${size} entries, fewer than the ${head.size} of ${what}`;
  }
  try {
    const root = await treeHashAt(head.size, store);
    if (!hashesEqual(root, head.rootHash)) {
      return `the stored tree of size ${head.size} has another root than ${what}`;
    }
  } catch (error) {
    if (!isStorageCorruption(error)) throw error;
    return `the stored hashes of the tree of size ${head.size} cannot be read (${describe(error)})`;
  }
  return undefined;
}

function fail(state: string, cause?: unknown): StartupCheck {
  return { ok: false, reason: cause === undefined ? state : `${state} (${describe(cause)})` };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
