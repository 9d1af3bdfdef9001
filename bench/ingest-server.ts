/**
 * bench:ingest's server with the detectors off (BENCH_DETECTORS=0): the server of `trainguard
 * serve` whose telemetry thread has a Monitor that raises nothing, so the figures are those of
 * the HTTP, parsing, validation and storage path alone. Prints the line `spawnServer` waits
 * for; exits on SIGTERM.
 * Usage: ingest-server.ts --home DIR [--db URL] [--log-level LEVEL].
 */
import { parseArgs } from "node:util";
import { startServer } from "../src/server/start-server.js";

const { values } = parseArgs({
  options: { home: { type: "string" }, db: { type: "string" }, "log-level": { type: "string" } },
});
if (values.home === undefined) throw new Error("Cannot start bench server: --home is missing");
const server = await startServer({
  home: values.home,
  port: 0,
  host: "127.0.0.1",
  dbUrl: values.db,
  publicLedger: false,
  logLevel: values["log-level"] ?? "warn",
  // The same telemetry thread as the real server's, with a Monitor that raises nothing.
  telemetryWorker: new URL("./silent-telemetry-worker.ts", import.meta.url),
});
process.stdout.write(`trainguard listening on ${server.url}\n`);
process.once("SIGTERM", () => {
  void server.close().finally(() => process.exit(0));
});
