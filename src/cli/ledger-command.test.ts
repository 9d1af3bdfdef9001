/**
 * `trainguard serve`, `token`, `ledger key|witness-key|verify` end to end: real servers, the real
 * CLI for the commands that print, and `ledger verify` exit codes for each kind of problem.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { generateNoteKeys, openCheckpoint, parseVerifierKey } from "../ledger/index.js";
import { LOG_KEY_FILE } from "../server/log-key.js";
import { captureIo } from "../server/test-support/capture-io.js";
import { spawnServer } from "../server/test-support/child-server.js";
import {
  sampleEvent,
  startTestServer,
  type TestServer,
  waitForCheckpoint,
} from "../server/test-support/test-server.js";
import { testDialects } from "../store/test-support/dialects.js";
import { cli } from "./cli-test-run.js";
import { runLedgerVerify } from "./run-ledger-verify.js";

const [sqlite] = await testDialects();
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

async function sqliteServer(overrides = {}): Promise<TestServer & { drop(): Promise<void> }> {
  const db = await sqlite!.fresh();
  const t = await startTestServer(db, overrides);
  return Object.assign(t, {
    drop: async () => {
      await t.server.close();
      await db.drop();
    },
  });
}

async function append(t: TestServer, count: number, first = 0): Promise<void> {
  const events = Array.from({ length: count }, (_, i) => sampleEvent(first + i));
  assert.equal((await t.request("/v1/events", { json: { events } })).status, 200);
}

async function verify(t: TestServer, extra: Record<string, unknown> & { state: string }) {
  const io = captureIo();
  const code = await runLedgerVerify(
    { server: t.url, key: t.server.verifierKey, token: t.token, format: "text", ...extra },
    io,
    {},
  );
  return { code, out: io.out(), err: io.err() };
}

describe("trainguard serve, token and ledger key", () => {
  it("serve --port 0 prints its URL first; token create and ledger key work on its home", {
    timeout: 60_000,
  }, async () => {
    const home = tmp("tg-cli-serve-");
    const server = await spawnServer(["--home", home, "--log-level", "warn"]);
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
      const key = await cli(["ledger", "key", "--home", home]);
      assert.equal(key.code, 0, key.stderr);
      assert.match(key.stdout, /^trainguard\.local\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+\n$/);
      assert.equal(statSync(join(home, LOG_KEY_FILE)).mode & 0o777, 0o600);
      const created = await cli([
        "token",
        "create",
        "--home",
        home,
        "--principal",
        "alice",
        "--expires-in",
        "1h",
      ]);
      assert.equal(created.code, 0, created.stderr);
      const token = created.stdout.trim();
      assert.match(token, /^tg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      const response = await fetch(`${server.url}/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(sampleEvent(1)),
      });
      assert.equal(response.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const note = await (
        await fetch(`${server.url}/checkpoint`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
      assert.equal(
        openCheckpoint(note, "trainguard.local/ledger", [parseVerifierKey(key.stdout.trim())])
          .checkpoint.size,
        1,
      );
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0, server.stderr());
    }
  });

  it("token create refuses a bad principal or duration with exit 2", async () => {
    const home = tmp("tg-cli-token-");
    assert.equal((await cli(["token", "create", "--home", home, "--principal", "a b"])).code, 2);
    const bad = await cli([
      "token",
      "create",
      "--home",
      home,
      "--principal",
      "a",
      "--expires-in",
      "soon",
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^trainguard: Cannot parse duration "soon"/);
    assert.equal((await cli(["ledger", "key", "--home", home])).code, 2);
    assert.equal((await cli(["serve", "--port", "70000"])).code, 2);
  });
});

describe("trainguard ledger verify", () => {
  it("exits 0, saves the checkpoint, and checks growth on the next run", async () => {
    const t = await sqliteServer();
    try {
      const state = join(tmp("tg-state-"), "state.json");
      await append(t, 10);
      await waitForCheckpoint(t, 10);
      let run = await verify(t, { state });
      assert.equal(run.code, 0, run.err);
      assert.match(
        run.out,
        /^OK ledger trainguard\.local\/ledger: checkpoint size 10 signed, first checkpoint seen/,
      );
      await append(t, 290, 10);
      await waitForCheckpoint(t, 300);
      run = await verify(t, { state, full: true });
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /consistent with size 10 seen before, all 300 entries recomputed/);
    } finally {
      await t.drop();
    }
  });

  it("exits 1 when the log key did not sign the checkpoint", async () => {
    const t = await sqliteServer();
    try {
      await waitForCheckpoint(t, 0);
      const other = generateNoteKeys("trainguard.local/ledger").verifierKey;
      const run = await verify(t, { key: other, state: join(tmp("tg-state-"), "s.json") });
      assert.equal(run.code, 1);
      assert.match(run.out, /^TAMPERED .*\n {2}signature: /);
    } finally {
      await t.drop();
    }
  });

  it("exits 1 when a server with the same key presents a history that forks from the saved one", async () => {
    const first = await sqliteServer();
    const forkHome = tmp("tg-fork-");
    copyFileSync(join(first.home, LOG_KEY_FILE), join(forkHome, LOG_KEY_FILE));
    const state = join(tmp("tg-state-"), "state.json");
    try {
      await append(first, 5);
      await waitForCheckpoint(first, 5);
      assert.equal((await verify(first, { state })).code, 0);
    } finally {
      await first.drop();
    }
    const fork = await sqliteServer({ home: forkHome });
    try {
      await append(fork, 8, 100);
      await waitForCheckpoint(fork, 8);
      const run = await verify(fork, { state });
      assert.equal(run.code, 1, run.err);
      assert.match(run.out, /consistency: Cannot verify that size 8 extends size 5/);
      // The saved state is kept: a second run still sees the fork.
      assert.equal((await verify(fork, { state })).code, 1);
    } finally {
      await fork.drop();
    }
  });

  it("exits 2 when the server cannot be reached or the key is malformed", async () => {
    const state = join(tmp("tg-state-"), "s.json");
    const key = generateNoteKeys("x.example/log").verifierKey;
    const io = captureIo();
    assert.equal(
      await runLedgerVerify({ server: "http://127.0.0.1:9", key, format: "text", state }, io, {}),
      2,
    );
    assert.match(io.err(), /^trainguard: Cannot reach/);
    const bad = captureIo();
    assert.equal(
      await runLedgerVerify(
        { server: "http://127.0.0.1:9", key: "nope", format: "text", state },
        bad,
        {},
      ),
      2,
    );
    const noServer = captureIo();
    assert.equal(await runLedgerVerify({ key, format: "text", state }, noServer, {}), 2);
  });

  it("a witness cosigns every checkpoint; --witness requires its cosignature", async () => {
    const dir = tmp("tg-witness-");
    const keyFile = join(dir, "witness.key");
    const made = await cli([
      "ledger",
      "witness-key",
      "--out",
      keyFile,
      "--name",
      "witness.example/w1",
    ]);
    assert.equal(made.code, 0, made.stderr);
    const witness = made.stdout.trim();
    assert.equal(
      (await cli(["ledger", "witness-key", "--out", keyFile])).code,
      2,
      "never overwritten",
    );
    const witnessed = await sqliteServer({ witnessKeyPath: keyFile });
    try {
      await append(witnessed, 3);
      const note = await waitForCheckpoint(witnessed, 3);
      assert.equal((note.match(/^— /gm) ?? []).length, 2);
      const run = await verify(witnessed, { witness, state: join(dir, "a.json"), format: "json" });
      assert.equal(run.code, 0, run.err);
      assert.equal((JSON.parse(run.out) as { witnessed: boolean }).witnessed, true);
    } finally {
      await witnessed.drop();
    }
    const alone = await sqliteServer();
    try {
      await append(alone, 3);
      await waitForCheckpoint(alone, 3);
      const run = await verify(alone, { witness, state: join(dir, "b.json") });
      assert.equal(run.code, 1);
      assert.match(
        run.out,
        /witness: Cannot verify checkpoint: the witness "witness\.example\/w1" did not cosign it/,
      );
    } finally {
      await alone.drop();
    }
  });
});
