/**
 * The ledger as a server runs it: start-up verification, group-committed appends of exact entry
 * bytes, and a checkpoint publisher. After a failed verification the service still serves what
 * is stored (so clients can find the damage) but refuses appends and never signs again.
 */

import { ledgerAppendPlan } from "../../store/index.js";
import type { CheckpointRecord, Store } from "../../store/store.js";
import { MAX_ENTRY_SIZE, type NoteSigner, type NoteVerifier } from "../index.js";
import { AppendBatcher } from "./append-batcher.js";
import { CheckpointPublisher } from "./checkpoint-publisher.js";
import { LedgerServiceError } from "./service-error.js";
import type { ServiceLog } from "./service-log.js";
import { checkLedgerAtStartup } from "./startup-check.js";

export interface LedgerServiceOptions {
  readonly store: Store;
  /** The checkpoint origin line, e.g. `trainguard.local/ledger`. */
  readonly origin: string;
  readonly logSigner: NoteSigner;
  readonly logVerifier: NoteVerifier;
  /** A witness key that cosigns every checkpoint (C2SP tlog-cosignature/v1). */
  readonly witnessSigner?: NoteSigner | undefined;
  /** File that keeps the last signed head outside the database. */
  readonly signedHeadPath?: string | undefined;
  readonly publishIntervalMs?: number | undefined;
  readonly log: ServiceLog;
}

export type LedgerState =
  | { readonly status: "ready" }
  | { readonly status: "tampered"; readonly reason: string }
  | { readonly status: "closed" };

export interface AppendOutcome {
  /** Index of the first appended entry; the others follow in order. */
  readonly firstIndex: number;
  readonly count: number;
}

export class LedgerService {
  readonly #options: LedgerServiceOptions;
  readonly #batcher: AppendBatcher;
  #publisher: CheckpointPublisher | undefined;
  #state: LedgerState = { status: "ready" };

  private constructor(options: LedgerServiceOptions) {
    this.#options = options;
    this.#batcher = new AppendBatcher(async (entries) => {
      const result = await options.store.appendEntries(entries, ledgerAppendPlan);
      return result.firstIndex;
    });
  }

  /**
   * Verifies the stored log and starts the publisher. Tampering found here does not throw: the
   * service starts in the `tampered` state and logs why. An unreachable database throws.
   */
  static async start(options: LedgerServiceOptions): Promise<LedgerService> {
    const service = new LedgerService(options);
    const check = await checkLedgerAtStartup({
      store: options.store,
      origin: options.origin,
      verifier: options.logVerifier,
      signedHeadPath: options.signedHeadPath,
    });
    if (!check.ok) {
      service.#tampered(check.reason);
      return service;
    }
    service.#publisher = new CheckpointPublisher({
      store: options.store,
      origin: options.origin,
      signers:
        options.witnessSigner === undefined
          ? [options.logSigner]
          : [options.logSigner, options.witnessSigner],
      verifier: options.logVerifier,
      signedHeadPath: options.signedHeadPath,
      lastSigned: check.lastSigned,
      intervalMs: options.publishIntervalMs,
      log: options.log,
      onHalt: (error) => service.#tampered(error.message),
    });
    // Appends acknowledged before a crash may have no checkpoint yet; an empty log gets one too.
    await service.#publisher.publish();
    return service;
  }

  get state(): LedgerState {
    return this.#state;
  }

  get origin(): string {
    return this.#options.origin;
  }

  get store(): Store {
    return this.#options.store;
  }

  /** Appends entries, exactly as given, and resolves once they are committed. */
  async append(entries: readonly Uint8Array[]): Promise<AppendOutcome> {
    this.#assertWritable();
    if (entries.length === 0) {
      throw new LedgerServiceError("INVALID_APPEND", "Cannot append entries: none were given");
    }
    for (const [i, entry] of entries.entries()) {
      if (entry.length > MAX_ENTRY_SIZE) {
        throw new LedgerServiceError(
          "INVALID_APPEND",
          `Cannot append entry ${i}: it is ${entry.length} bytes, over ${MAX_ENTRY_SIZE}`,
        );
      }
    }
    const firstIndex = await this.#batcher.submit(entries);
    this.#publisher?.notify();
    return { firstIndex, count: entries.length };
  }

  /** The newest signed checkpoint in the store. */
  latestCheckpoint(): Promise<CheckpointRecord | undefined> {
    return this.#options.store.latestCheckpoint();
  }

  /** Signs a checkpoint of the current tree now (tests, shutdown). */
  async publishNow(): Promise<CheckpointRecord | undefined> {
    this.#assertWritable();
    return this.#publisher?.publish();
  }

  /** Waits for queued appends, publishes a final checkpoint, and refuses further appends. */
  async close(): Promise<void> {
    if (this.#state.status === "closed") return;
    const wasReady = this.#state.status === "ready";
    this.#state = { status: "closed" };
    await this.#batcher.idle();
    if (wasReady) await this.#publisher?.close();
  }

  #assertWritable(): void {
    if (this.#state.status === "tampered") {
      throw new LedgerServiceError(
        "LEDGER_TAMPERED",
        `Cannot append to the ledger: ${this.#state.reason}`,
      );
    }
    if (this.#state.status === "closed") {
      throw new LedgerServiceError("CLOSED", "Cannot append to the ledger: the server is closing");
    }
  }

  #tampered(reason: string): void {
    if (this.#state.status === "tampered") return;
    this.#state = { status: "tampered", reason };
    this.#options.log.error({ reason }, "Cannot trust the stored ledger: refusing to sign");
  }
}
