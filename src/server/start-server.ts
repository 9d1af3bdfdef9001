/**
 * Starts a server: log key (created on first start), optional witness key, store, start-up
 * verification of the ledger, routes, listen. `close` finishes in-flight requests, writes what
 * was acknowledged, publishes a final checkpoint, and closes the store: nothing acknowledged is
 * lost (every append is committed before its 200 is sent).
 */
import { mkdir } from "node:fs/promises";
import type { NoteSigner } from "../ledger/index.js";
import { LedgerService } from "../ledger/service/index.js";
import { TOOL_INFO } from "../scan/report/index.js";
import { openStore } from "../store/index.js";
import type { Store } from "../store/store.js";
import { accessControl } from "./access.js";
import type { App } from "./app-types.js";
import { createApp } from "./create-app.js";
import { loadOrCreateLogKey } from "./log-key.js";
import { registerRoutes } from "./routes/index.js";
import { type ServerConfig, signedHeadPath } from "./server-config.js";
import { AlertRecorder } from "./telemetry/alert-recorder.js";
import { InlineEngine } from "./telemetry/telemetry-engine.js";
import { TelemetryIngest } from "./telemetry/telemetry-ingest.js";
import { WorkerEngine } from "./telemetry/worker-engine.js";
import { parseWebhookUrl, WebhookDispatcher } from "./webhook.js";
import { readWitnessKey } from "./witness-key.js";

export interface RunningServer {
  /** `http://host:port`, with the port the system chose for port 0. */
  readonly url: string;
  readonly app: App;
  readonly service: LedgerService;
  readonly store: Store;
  readonly telemetry: TelemetryIngest;
  readonly webhook: WebhookDispatcher;
  readonly verifierKey: string;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const webhookUrls = (config.webhooks ?? []).map(parseWebhookUrl);
  await mkdir(config.home, { recursive: true, mode: 0o700 });
  const key = await loadOrCreateLogKey(config.home, config.origin);
  const witness: NoteSigner | undefined =
    config.witnessKeyPath === undefined ? undefined : await readWitnessKey(config.witnessKeyPath);
  const store = await openStore({
    home: config.home,
    ...(config.dbUrl === undefined ? {} : { url: config.dbUrl }),
  });
  let app: App | undefined;
  let telemetry: TelemetryIngest | undefined;
  try {
    app = await createApp({
      bodyLimit: config.bodyLimit,
      logLevel: config.logLevel,
      logStream: config.logStream,
      version: TOOL_INFO.version,
    });
    const service = await LedgerService.start({
      store,
      origin: key.origin,
      logSigner: key.signer,
      logVerifier: key.verifier,
      witnessSigner: witness,
      signedHeadPath: signedHeadPath(config.home, config.dbUrl),
      publishIntervalMs: config.publishIntervalMs,
      log: app.log,
    });
    let url = "";
    const webhook = new WebhookDispatcher({
      urls: webhookUrls,
      server: () => url,
      log: app.log,
      attempts: config.webhookAttempts,
      backoffMs: config.webhookBackoffMs,
    });
    const ingest = new TelemetryIngest({
      store,
      // The server's own Monitor runs on its own thread; a test's Monitor runs on this one.
      engine:
        config.monitor === undefined
          ? new WorkerEngine({ log: app.log, module: config.telemetryWorker })
          : new InlineEngine(config.monitor),
      recorder: new AlertRecorder({ store, service, webhook, log: app.log }),
      log: app.log,
      tickMs: config.monitorTickMs,
    });
    telemetry = ingest;
    registerRoutes(app, {
      service,
      store,
      access: accessControl(store, config.publicLedger),
      telemetry: ingest,
    });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    url = `http://${host}:${port}`;
    const running = app;
    let closing: Promise<void> | undefined;
    return {
      url,
      app,
      service,
      store,
      telemetry: ingest,
      webhook,
      verifierKey: key.verifierKey,
      close: () => {
        closing ??= (async () => {
          await running.close();
          // Pending alerts reach the ledger before it closes, and webhooks get a short grace.
          await ingest.close();
          await webhook.close();
          await service.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await telemetry?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}
