/**
 * Every alert a detector raises is kept three ways: a row of the `alerts` table (what
 * `GET /v1/alerts` reads, surviving restarts), an audit event in the ledger (the same canonical
 * bytes POST /v1/events would append), and a webhook delivery. A ledger append that fails is
 * retried at once a few times; if it still fails, the request is answered with `ledger_index:
 * null` and the alert stays pending, retried in the background until it is recorded.
 */
import { eventBytes, recordEvent } from "../../events/index.js";
import {
  type LedgerService,
  LedgerServiceError,
  type ServiceLog,
} from "../../ledger/service/index.js";
import type { Alert } from "../../monitor/index.js";
import type { AlertRow, Store } from "../../store/index.js";
import type { WebhookDispatcher } from "../webhook.js";
import { type AlertJson, alertEvent, alertRow, rowJson } from "./alert-json.js";

/** The principal of every alert event: the server's detectors raised it, not the client. */
export const MONITOR_PRINCIPAL = "trainguard-monitor";
/** `actor.token_uid` of alerts raised by the timer (silence detectors), not by a request. */
export const NO_TOKEN = "none";

export interface RecordedAlert extends AlertJson {
  /** The ledger entry that records the alert; null while its append is pending. */
  readonly ledger_index: number | null;
}

/** Who caused the alerts: the token whose records raised them, or none (the timer). */
export interface AlertCause {
  readonly principal?: string | undefined;
  readonly tokenId: string;
}

export interface AlertRecorderOptions {
  readonly store: Store;
  readonly service: Pick<LedgerService, "append">;
  readonly webhook?: WebhookDispatcher | undefined;
  readonly log: ServiceLog;
  /** Waits before the immediate retries of a failed append (default 100 and 400 ms). */
  readonly retryDelaysMs?: readonly number[] | undefined;
  /** How often pending alerts are retried in the background (default 5 s). */
  readonly pendingRetryMs?: number | undefined;
}

interface Pending {
  readonly rows: readonly AlertRow[];
  readonly ids: readonly number[] | undefined;
  readonly entries: readonly Uint8Array[];
}

/** Alerts kept for background retries at most; past it they stay only in the alerts table. */
const MAX_PENDING_ALERTS = 10_000;

export class AlertRecorder {
  readonly #options: AlertRecorderOptions;
  readonly #pending: Pending[] = [];
  #pendingCount = 0;
  #timer: NodeJS.Timeout | undefined;
  #retrying: Promise<void> | undefined;

  constructor(options: AlertRecorderOptions) {
    this.#options = options;
  }

  /** Alerts whose ledger append is still pending. */
  get pending(): number {
    return this.#pendingCount;
  }

  async record(alerts: readonly Alert[], cause: AlertCause): Promise<RecordedAlert[]> {
    if (alerts.length === 0) return [];
    const { store, log } = this.#options;
    const time = Date.now();
    const rows = alerts.map((a) => alertRow(a, time));
    const ids = await this.#retry(() => store.insertAlerts(rows)).catch((error: unknown) => {
      log.error({ err: error, alerts: rows.length }, "Cannot store alerts in the alerts table");
      return undefined;
    });
    const entries = rows.map((row) =>
      eventBytes(
        recordEvent(alertEvent(row, cause.principal), {
          principal: MONITOR_PRINCIPAL,
          tokenId: cause.tokenId,
          time,
        }),
      ),
    );
    const batch: Pending = { rows, ids, entries };
    const firstIndex = await this.#retry(() => this.#options.service.append(entries)).then(
      (outcome) => outcome.firstIndex,
      (error: unknown) => {
        log.error({ err: error, alerts: rows.length }, "Cannot append alerts to the ledger yet");
        this.#enqueue(batch);
        return undefined;
      },
    );
    if (firstIndex !== undefined) await this.#recorded(batch, firstIndex);
    return rows.map((row, i) => ({
      ...rowJson(row),
      ledger_index: firstIndex === undefined ? null : firstIndex + i,
    }));
  }

  /** Stops the background retries after one last attempt for what is pending. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#retrying;
    await this.#retryPending();
    if (this.#pendingCount > 0) {
      this.#options.log.error(
        { alerts: this.#pendingCount },
        "Cannot append pending alerts to the ledger before closing: they stay in the alerts table with no ledger index",
      );
    }
  }

  async #recorded(batch: Pending, firstIndex: number): Promise<void> {
    const { store, webhook, log } = this.#options;
    if (batch.ids !== undefined) {
      await store.setAlertLedgerIndexes(batch.ids, firstIndex).catch((error: unknown) => {
        log.error({ err: error, firstIndex }, "Cannot store the ledger indexes of alerts");
      });
    }
    for (const [i, row] of batch.rows.entries()) webhook?.send(rowJson(row), firstIndex + i);
  }

  #enqueue(batch: Pending): void {
    if (this.#pendingCount + batch.rows.length > MAX_PENDING_ALERTS) {
      this.#options.log.error(
        { alerts: batch.rows.length },
        "Cannot keep alerts for a later ledger append: too many are pending",
      );
      return;
    }
    this.#pending.push(batch);
    this.#pendingCount += batch.rows.length;
    this.#timer ??= setInterval(() => {
      this.#retrying ??= this.#retryPending().finally(() => {
        this.#retrying = undefined;
      });
    }, this.#options.pendingRetryMs ?? 5000).unref();
  }

  async #retryPending(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending[0]!;
      let firstIndex: number;
      try {
        firstIndex = (await this.#options.service.append(batch.entries)).firstIndex;
      } catch {
        return;
      }
      this.#pending.shift();
      this.#pendingCount -= batch.rows.length;
      await this.#recorded(batch, firstIndex);
    }
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Runs `fn`, retrying after each configured delay unless the error cannot be transient. */
  async #retry<T>(fn: () => Promise<T>): Promise<T> {
    const delays = this.#options.retryDelaysMs ?? [100, 400];
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const permanent =
          error instanceof LedgerServiceError &&
          (error.code === "LEDGER_TAMPERED" || error.code === "INVALID_APPEND");
        const delay = delays[attempt];
        if (permanent || delay === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
