/**
 * The Python client (clients/python, trainguard.monitor) against a real server: a short torch
 * training enabled in two lines with `server=` sends its telemetry to POST /v1/telemetry, and the
 * server's detectors catch a learning rate that is not the declared one. Skips without torch.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type TestDatabase, testDialects } from "../store/test-support/dialects.js";
import { startTestServer, type TestServer } from "./test-support/test-server.js";

const PYTHON = process.env.TRAINGUARD_TEST_PYTHON ?? "/usr/bin/python3";
const CLIENT = fileURLToPath(new URL("../../clients/python/", import.meta.url));
const hasTorch =
  existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;

const SCRIPT = `
import os, torch, trainguard.monitor
torch.manual_seed(3)
model = torch.nn.Linear(8, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
mon = trainguard.monitor.start(model, opt, seed=3, config={"lr": 0.1}, run="py-live",
                               lr_schedule={"kind": "constant", "lr": 0.1},
                               heartbeat_interval=0, digest_every=1, audit_every=1)
for step in range(6):
    x = torch.randn(16, 8)
    loss = model(x).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
mon.close()
`;

const [sqlite] = await testDialects();

describe("trainguard.monitor (Python) sending to a real server", {
  skip: hasTorch ? false : `${PYTHON} cannot import torch`,
}, () => {
  let db: TestDatabase;
  let t: TestServer;

  before(async () => {
    if (sqlite === undefined) throw new Error("Cannot find the SQLite test dialect");
    db = await sqlite.fresh();
    t = await startTestServer(db);
  });
  after(async () => {
    await t?.server.close();
    await db?.drop();
  });

  it("delivers every record and the server flags the undeclared learning rate", async () => {
    const result = spawnSync(PYTHON, ["-c", SCRIPT], {
      env: {
        ...process.env,
        PYTHONPATH: CLIENT,
        PYTHONDONTWRITEBYTECODE: "1",
        TRAINGUARD_SERVER: t.url,
        TRAINGUARD_TOKEN: t.token,
      },
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.equal(result.status, 0, result.stderr);
    const deadline = Date.now() + 5000;
    let alerts: Array<{ detector: string; severity: string; step: number | null }> = [];
    while (Date.now() < deadline) {
      const body = (await (await t.request("/v1/alerts?run=py-live")).json()) as {
        runs: { alerts: typeof alerts }[];
      };
      alerts = body.runs.flatMap((r) => r.alerts);
      if (alerts.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lr = alerts.find((a) => a.detector === "optimizer_audit");
    assert.equal(lr?.severity, "high", JSON.stringify(alerts));
    assert.equal(lr?.step, 0);
  });
});
