/**
 * `serve --webhook URL`: posts every alert as JSON to each URL, in the background. Ingest never
 * waits for a webhook: each URL has a bounded queue delivered in order by one sender, with a
 * timeout per attempt and a few retries with exponential backoff. An alert that does not fit the
 * queue, or that still fails after the last retry, is dropped, counted and logged.
 */
import type { ServiceLog } from "../ledger/service/index.js";
import { ServerError } from "./server-error.js";
import type { AlertJson } from "./telemetry/alert-json.js";

export interface WebhookOptions {
  readonly urls: readonly string[];
  /** Identifies this server in every payload (its URL). */
  readonly server: () => string;
  readonly log: ServiceLog;
  /** Alerts waiting per URL before new ones are dropped (default 1,000). */
  readonly queueLimit?: number | undefined;
  /** Milliseconds one POST may take (default 5,000). */
  readonly timeoutMs?: number | undefined;
  /** Attempts per alert (default 4: the first and three retries). */
  readonly attempts?: number | undefined;
  /** Backoff before retry n is `backoffMs * 2^(n-1)` (default 500 ms). */
  readonly backoffMs?: number | undefined;
}

export interface WebhookPayload {
  readonly alert: AlertJson;
  /** The ledger entry recording the alert; null when its append is still pending. */
  readonly ledger_index: number | null;
  readonly server: string;
}

export interface WebhookStats {
  readonly delivered: number;
  readonly dropped: number;
}

/** What `close` waits for queued deliveries before abandoning them. */
const CLOSE_GRACE_MS = 2000;

/** Checks `serve --webhook` values: absolute http: or https: URLs. */
export function parseWebhookUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ServerError("INVALID_CONFIG", `Cannot use webhook "${value}": it is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ServerError(
      "INVALID_CONFIG",
      `Cannot use webhook "${value}": scheme "${url.protocol}" is not http: or https:`,
    );
  }
  return url.toString();
}

class WebhookTarget {
  readonly #queue: WebhookPayload[] = [];
  #running: Promise<void> | undefined;
  readonly #abort = new AbortController();
  delivered = 0;
  dropped = 0;

  readonly url: string;
  readonly options: WebhookOptions;

  constructor(url: string, options: WebhookOptions) {
    this.url = url;
    this.options = options;
  }

  enqueue(payload: WebhookPayload): void {
    if (this.#abort.signal.aborted || this.#queue.length >= (this.options.queueLimit ?? 1000)) {
      this.#drop(payload, "the queue is full");
      return;
    }
    this.#queue.push(payload);
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  async close(): Promise<void> {
    const running = this.#running;
    if (running !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_GRACE_MS);
      });
      await Promise.race([running, grace]);
      clearTimeout(timer);
    }
    this.#abort.abort();
    await this.#running;
    for (const payload of this.#queue.splice(0)) this.#drop(payload, "the server is closing");
  }

  async #drain(): Promise<void> {
    for (let payload = this.#queue.shift(); payload !== undefined; payload = this.#queue.shift()) {
      if (this.#abort.signal.aborted) {
        this.#drop(payload, "the server is closing");
        continue;
      }
      const failure = await this.#deliver(payload);
      if (failure === undefined) this.delivered++;
      else this.#drop(payload, failure);
    }
  }

  /** Undefined once delivered; otherwise why the last attempt failed. */
  async #deliver(payload: WebhookPayload): Promise<string | undefined> {
    const attempts = this.options.attempts ?? 4;
    const backoff = this.options.backoffMs ?? 500;
    const body = JSON.stringify(payload);
    let failure = "no attempt was made";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        const aborted = await sleep(backoff * 2 ** (attempt - 2), this.#abort.signal);
        if (aborted) return `${failure} (the server is closing)`;
      }
      try {
        const response = await fetch(this.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: AbortSignal.any([
            this.#abort.signal,
            AbortSignal.timeout(this.options.timeoutMs ?? 5000),
          ]),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return undefined;
        failure = `HTTP ${response.status}`;
        // Retrying cannot fix a refusal, except "too many requests" and "timeout".
        if (response.status < 500 && response.status !== 408 && response.status !== 429) {
          return failure;
        }
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
    }
    return failure;
  }

  #drop(payload: WebhookPayload, reason: string): void {
    this.dropped++;
    this.options.log.warn(
      { webhook: this.url, run: payload.alert.run, detector: payload.alert.detector, reason },
      `Cannot deliver alert to webhook: ${reason} (${this.dropped} dropped so far)`,
    );
  }
}

export class WebhookDispatcher {
  readonly #targets: WebhookTarget[];
  readonly #options: WebhookOptions;

  constructor(options: WebhookOptions) {
    this.#options = options;
    this.#targets = options.urls.map((url) => new WebhookTarget(url, options));
  }

  /** Queues one alert for every URL; never waits and never throws. */
  send(alert: AlertJson, ledgerIndex: number | null): void {
    if (this.#targets.length === 0) return;
    const payload: WebhookPayload = {
      alert,
      ledger_index: ledgerIndex,
      server: this.#options.server(),
    };
    for (const target of this.#targets) target.enqueue(payload);
  }

  stats(): WebhookStats {
    let delivered = 0;
    let dropped = 0;
    for (const t of this.#targets) {
      delivered += t.delivered;
      dropped += t.dropped;
    }
    return { delivered, dropped };
  }

  /** Gives queued deliveries a short grace, then abandons (and counts) the rest. */
  async close(): Promise<void> {
    await Promise.all(this.#targets.map((t) => t.close()));
  }
}

/** Resolves true if `signal` aborted first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(false);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
