/**
 * Runs the Python client's unittest suite (clients/python/tests) against a real guard daemon, with
 * /usr/bin/python3 (torch 1.13 and numpy on the reference machine; torch tests skip without it).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type GuardServer, startGuardServer } from "./guard-server.js";

const PYTHON = process.env.TRAINGUARD_TEST_PYTHON ?? "/usr/bin/python3";
const CLIENT_ROOT = fileURLToPath(new URL("../../clients/python/", import.meta.url));
const CLI_MAIN = fileURLToPath(new URL("../cli/main.ts", import.meta.url));
/** The suite starts a few interpreters that import torch; allow for a slow machine. */
const TIMEOUT_MS = 180_000;

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: CLIENT_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

describe("Python client (clients/python)", {
  skip: existsSync(PYTHON) ? false : `${PYTHON} is missing`,
}, () => {
  let dir: string;
  let server: GuardServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "trainguard-py-"));
    server = await startGuardServer({ socketPath: join(dir, "guard.sock") });
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("passes its unittest suite against a running daemon", { timeout: TIMEOUT_MS }, async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TRAINGUARD_GUARD_SOCKET: server.socketPath,
      TRAINGUARD_TEST_CLI: `${process.execPath} --import tsx ${CLI_MAIN}`,
      PYTHONPATH: CLIENT_ROOT,
      PYTHONDONTWRITEBYTECODE: "1",
    };
    delete env.TRAINGUARD_GUARD;
    const { code, output } = await run(
      PYTHON,
      ["-m", "unittest", "discover", "-v", "-s", "tests", "-t", "tests"],
      env,
    );
    for (const line of output.split("\n")) {
      if (/skipped/.test(line)) console.log(`# ${line}`);
    }
    assert.equal(code, 0, output);
    assert.match(output, /^OK/m);
  });
});
