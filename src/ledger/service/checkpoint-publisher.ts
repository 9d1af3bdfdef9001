/**
 * Signs and saves checkpoints. After an append it waits `intervalMs` (so a busy log signs one
 * checkpoint per interval, not per request), then signs the tree as stored. Before signing it
 * proves, with the ledger library, that the new tree extends both the newest checkpoint in the
 * database and the last head this process signed (RFC 9162 §2.1.4); if either proof fails it
 * halts for good and never signs again (research/signing-ledger.md, "Ledger design").
 */

import type { CheckpointRecord, Store } from "../../store/store.js";
import {
  type NoteSigner,
  type NoteVerifier,
  openCheckpoint,
  proveConsistency,
  signCheckpoint,
  treeHashAt,
  verifyConsistency,
} from "../index.js";
import { hashesEqual } from "../merkle/hash.js";
import { LedgerServiceError } from "./service-error.js";
import type { ServiceLog } from "./service-log.js";
import { type SignedHead, writeSignedHead } from "./signed-head-file.js";
import { isStorageCorruption } from "./storage-corruption.js";

/** Default wait between an append and the checkpoint covering it; well under the 1 s target. */
export const DEFAULT_PUBLISH_INTERVAL_MS = 200;

export interface PublisherOptions {
  readonly store: Store;
  readonly origin: string;
  /** The log key first, then any witness cosigner (C2SP tlog-cosignature). */
  readonly signers: readonly NoteSigner[];
  /** The log key's verifier, to check checkpoints other replicas saved. */
  readonly verifier: NoteVerifier;
  /** Where the last signed head is kept, if anywhere. */
  readonly signedHeadPath?: string | undefined;
  /** The head read from that file at start-up, already checked against the tree. */
  readonly lastSigned?: SignedHead | undefined;
  readonly intervalMs?: number | undefined;
  readonly log: ServiceLog;
  /** Called once when the publisher halts on an inconsistent tree. */
  readonly onHalt: (error: LedgerServiceError) => void;
}

interface TreeHead {
  readonly size: number;
  readonly rootHash: Uint8Array;
}

export class CheckpointPublisher {
  readonly #options: PublisherOptions;
  readonly #intervalMs: number;
  #lastSigned: TreeHead | undefined;
  /** The size of the newest stored checkpoint whose signature was checked. */
  #checkedSize = -1;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #dirty = false;
  #halted = false;
  #closed = false;

  constructor(options: PublisherOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? DEFAULT_PUBLISH_INTERVAL_MS;
    this.#lastSigned = options.lastSigned;
  }

  get halted(): boolean {
    return this.#halted;
  }

  /** An append committed: a checkpoint will cover it within about one interval. */
  notify(): void {
    this.#dirty = true;
    this.#schedule();
  }

  /** Publishes now if anything is pending, waits for it, and stops scheduling. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#running !== undefined) await this.#running;
    if (this.#dirty) await this.#publishLogged();
  }

  /** Signs a checkpoint of the current tree unless the newest stored one already covers it. */
  async publish(): Promise<CheckpointRecord | undefined> {
    const { store, origin, signers, signedHeadPath } = this.#options;
    if (this.#halted) {
      throw new LedgerServiceError("LEDGER_TAMPERED", "Cannot sign checkpoint: the log is halted");
    }
    this.#dirty = false;
    const size = await store.ledgerSize();
    const latest = await store.latestCheckpoint();
    if (latest !== undefined) this.#checkStored(latest);
    if (latest !== undefined && latest.size >= size) return latest;
    let rootHash: Uint8Array;
    try {
      rootHash = await treeHashAt(size, store);
    } catch (error) {
      if (!isStorageCorruption(error)) throw error;
      this.#halt(`the stored hashes of the tree of size ${size} cannot be read`, error);
    }
    await this.#checkExtends(latest, size, rootHash, "the newest stored checkpoint");
    await this.#checkExtends(this.#lastSigned, size, rootHash, "the last head this server signed");
    if (signedHeadPath !== undefined) {
      await writeSignedHead(signedHeadPath, { origin, size, rootHash });
    }
    const note = signCheckpoint({ origin, size, rootHash, extensions: [] }, signers);
    const record = { size, rootHash, note, createdAt: Date.now() };
    try {
      await store.saveCheckpoint(record);
    } catch (error) {
      // Another replica sharing the database saved this size or a newer one first.
      const now = await store.latestCheckpoint();
      if (now === undefined || now.size < size) throw error;
      this.#lastSigned = { size, rootHash };
      return now;
    }
    this.#lastSigned = { size, rootHash };
    return record;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#running !== undefined) return;
    if (this.#halted || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#publishLogged().finally(() => {
        this.#running = undefined;
        if (this.#dirty) this.#schedule();
      });
    }, this.#intervalMs);
  }

  async #publishLogged(): Promise<void> {
    try {
      const record = await this.publish();
      if (record !== undefined) {
        this.#options.log.info({ size: record.size }, "checkpoint published");
      }
    } catch (error) {
      if (this.#halted) return;
      // A transient failure (database busy or unreachable): try again after an interval.
      this.#dirty = true;
      this.#options.log.error({ err: error }, "Cannot publish checkpoint");
    }
  }

  /** A stored checkpoint must be a note by our key for our origin with the row's size and root. */
  #checkStored(latest: CheckpointRecord): void {
    if (latest.size === this.#checkedSize) return;
    const { origin, verifier } = this.#options;
    let valid = false;
    try {
      const { checkpoint } = openCheckpoint(latest.note, origin, [verifier]);
      valid = checkpoint.size === latest.size && hashesEqual(checkpoint.rootHash, latest.rootHash);
    } catch {
      valid = false;
    }
    if (!valid) {
      this.#halt(`the stored checkpoint of size ${latest.size} is not signed by the log key`);
    }
    this.#checkedSize = latest.size;
  }

  async #checkExtends(
    previous: TreeHead | undefined,
    size: number,
    rootHash: Uint8Array,
    what: string,
  ): Promise<void> {
    if (previous === undefined || previous.size === 0) return;
    if (previous.size > size) {
      this.#halt(`the log has ${size} entries, fewer than the ${previous.size} of ${what}`);
    }
    try {
      const proof = await proveConsistency(previous.size, size, this.#options.store);
      verifyConsistency(previous.size, size, previous.rootHash, rootHash, proof);
    } catch (error) {
      // A database that is down is retried; one whose hashes are missing or wrong is not.
      if (!isStorageCorruption(error)) throw error;
      this.#halt(`the tree of size ${size} does not extend ${what} (size ${previous.size})`, error);
    }
  }

  #halt(state: string, cause?: unknown): never {
    const error = new LedgerServiceError(
      "LEDGER_TAMPERED",
      `Cannot sign checkpoint: ${state}`,
      cause === undefined ? undefined : { cause },
    );
    if (!this.#halted) {
      this.#halted = true;
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#options.onHalt(error);
    }
    throw error;
  }
}
