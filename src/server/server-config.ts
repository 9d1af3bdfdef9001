/** Everything `trainguard serve` can be told, with the defaults the CLI applies. */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { AlertMonitor } from "./telemetry/telemetry-ingest.js";

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = "127.0.0.1";

export interface ServerConfig {
  /** The home directory: log key, last signed head, and the SQLite database by default. */
  readonly home: string;
  readonly port: number;
  readonly host: string;
  /** `postgres://…`; without it, SQLite in `home`. */
  readonly dbUrl?: string | undefined;
  /** Serve the ledger reads (checkpoint, tiles, entries, proofs) without a token. */
  readonly publicLedger: boolean;
  /** The checkpoint origin; default the log key's name, `trainguard.local/ledger` for a new key. */
  readonly origin?: string | undefined;
  /** A cosignature/v1 signer key file whose cosignature every checkpoint carries. */
  readonly witnessKeyPath?: string | undefined;
  readonly bodyLimit?: number | undefined;
  readonly logLevel?: string | undefined;
  readonly logStream?: NodeJS.WritableStream | undefined;
  readonly publishIntervalMs?: number | undefined;
  /** URLs every alert is posted to (`serve --webhook`, repeatable). */
  readonly webhooks?: readonly string[] | undefined;
  /** The detectors; default a new `Monitor` (tests inject one with a detector of their own). */
  readonly monitor?: AlertMonitor | undefined;
  /**
   * The telemetry thread's module (default telemetry-worker.ts); a bench passes one whose
   * Monitor raises nothing. Ignored when `monitor` is given (that Monitor runs inline).
   */
  readonly telemetryWorker?: URL | undefined;
  /** Milliseconds between `monitor.tick` calls (default 2,000). */
  readonly monitorTickMs?: number | undefined;
  /** Webhook delivery: attempts per alert and first backoff (tests shorten them). */
  readonly webhookAttempts?: number | undefined;
  readonly webhookBackoffMs?: number | undefined;
}

/**
 * The file keeping the last head this home signed, one per database: switching `--db` to
 * another database is legitimate, but the same database losing signed entries is not. The name
 * hashes the URL without its password.
 */
export function signedHeadPath(home: string, dbUrl: string | undefined): string {
  if (dbUrl === undefined) return join(home, "signed-head.sqlite.json");
  let identity = dbUrl;
  try {
    const url = new URL(dbUrl);
    url.password = "";
    identity = url.toString();
  } catch {
    // An unparsable URL fails when the store opens it; the name does not matter then.
  }
  const tag = createHash("sha256").update(identity).digest("hex").slice(0, 16);
  return join(home, `signed-head.${tag}.json`);
}
