/** Starts real servers (port 0) on a fresh test database of each dialect, for the API suites. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestDatabase } from "../../store/test-support/dialects.js";
import type { ServerConfig } from "../server-config.js";
import { type RunningServer, startServer } from "../start-server.js";
import { createToken } from "../tokens.js";

export interface TestServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly home: string;
  readonly token: string;
  /** Sends a request with the token (unless `token: null`) and JSON body, if any. */
  request(path: string, init?: TestRequest): Promise<Response>;
}

export interface TestRequest {
  readonly method?: string;
  readonly json?: unknown;
  readonly body?: string;
  readonly contentType?: string;
  readonly token?: string | null;
}

/** Publishing fast keeps the tests short; the default (200 ms) is tested on its own. */
export const TEST_PUBLISH_INTERVAL_MS = 20;

export async function startTestServer(
  db: TestDatabase,
  overrides: Partial<ServerConfig> = {},
): Promise<TestServer> {
  const home = overrides.home ?? db.options.home ?? mkdtempSync(join(tmpdir(), "tg-server-"));
  const server = await startServer({
    home,
    port: 0,
    host: "127.0.0.1",
    dbUrl: db.options.url,
    publicLedger: false,
    logLevel: "silent",
    publishIntervalMs: TEST_PUBLISH_INTERVAL_MS,
    ...overrides,
  });
  const { token } = await createToken(server.store, { principal: "test-runner" });
  return {
    server,
    url: server.url,
    home,
    token,
    request: (path, init = {}) => {
      const headers: Record<string, string> = {};
      const bearer = init.token === undefined ? token : init.token;
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      let body = init.body;
      if (init.json !== undefined) body = JSON.stringify(init.json);
      if (body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
      return fetch(`${server.url}${path}`, {
        method: init.method ?? (body === undefined ? "GET" : "POST"),
        headers,
        ...(body === undefined ? {} : { body }),
      });
    },
  };
}

/** Polls until the server's checkpoint covers `size` entries (it must within a second). */
export async function waitForCheckpoint(
  test: TestServer,
  size: number,
  timeoutMs = 2000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await test.request("/checkpoint");
    const note = await response.text();
    if (response.status === 200 && Number(note.split("\n")[1]) >= size) return note;
    if (Date.now() > deadline)
      throw new Error(`Cannot see checkpoint of size ${size}: last ${note}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A minimal valid event; `n` makes each one distinct. */
export function sampleEvent(n: number): Record<string, unknown> {
  return {
    activity: "scan.file",
    class_uid: 1001,
    severity_id: 1,
    resources: [
      {
        type: "model",
        uid: `models/m${n}.pt`,
        hashes: [{ algorithm: "sha256", value: n.toString(16).padStart(64, "0") }],
      },
    ],
    outcome: { status: "success" },
    correlation_uid: "run-1",
    details: { n },
  };
}
