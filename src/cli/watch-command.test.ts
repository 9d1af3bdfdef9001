/**
 * `trainguard watch` and `trainguard quarantine` as a user runs them: the real CLI in a child
 * process on real folders, and `--server` recording against a real server (SQLite).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestServer, type TestServer } from "../server/test-support/test-server.js";
import { type TestDatabase, testDialects } from "../store/test-support/dialects.js";
import { cli } from "./cli-test-run.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "src", "cli", "main.ts");
const TSX = import.meta.resolve("tsx");
const EVIL = Buffer.from("80048c026f738c0673797374656d938c0269648552942e", "hex");
const BENIGN = Buffer.from("80047d948c0161944b01732e", "hex");
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe("trainguard watch --once and quarantine", { timeout: 120_000 }, () => {
  it("quarantines, exits 1, lists, restores, and refuses to overwrite", async () => {
    const dir = tmp("tg-cli-watch-");
    const home = tmp("tg-cli-home-");
    writeFileSync(join(dir, "evil.pkl"), EVIL);
    writeFileSync(join(dir, "good.pkl"), BENIGN);
    const run = await cli([
      "watch",
      dir,
      "--once",
      "--home",
      home,
      "--settle-ms",
      "100",
      "--format",
      "json",
    ]);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 2);
    const evil = lines.find((l) => l.verdict === "dangerous") as { quarantined: { id: string } };
    assert.ok(evil.quarantined.id.length > 0);
    assert.equal(existsSync(join(dir, "evil.pkl")), false);

    const again = await cli(["watch", dir, "--once", "--home", home, "--settle-ms", "100"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, "");

    const list = await cli(["quarantine", "list", "--home", home, "--format", "json"]);
    assert.equal(list.code, 0, list.stderr);
    const { entries } = JSON.parse(list.stdout) as {
      entries: { id: string; originalPath: string }[];
    };
    assert.deepEqual(
      entries.map((e) => [e.id, e.originalPath]),
      [[evil.quarantined.id, join(dir, "evil.pkl")]],
    );
    const text = await cli(["quarantine", "list", "--home", home]);
    assert.match(text.stdout, /^1 quarantined file\n/);

    writeFileSync(join(dir, "evil.pkl"), "someone else's");
    const refused = await cli(["quarantine", "restore", evil.quarantined.id, "--home", home]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /exists/);
    assert.equal(readFileSync(join(dir, "evil.pkl"), "utf8"), "someone else's");

    const to = join(tmp("tg-cli-to-"), "back.pkl");
    const restored = await cli([
      "quarantine",
      "restore",
      evil.quarantined.id,
      "--home",
      home,
      "--to",
      to,
    ]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(readFileSync(to), EVIL);
  });

  it("exits 2 for a folder that does not exist and for a bad --quarantine", async () => {
    const home = tmp("tg-cli-home-");
    const missing = await cli(["watch", join(home, "nope"), "--once", "--home", home]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot watch/);
    const bad = await cli(["watch", home, "--once", "--quarantine", "clean"]);
    assert.equal(bad.code, 2);
  });
});

describe("trainguard watch (running)", { timeout: 120_000 }, () => {
  it("reacts to a new file within seconds and exits 0 on SIGTERM with its state saved", async () => {
    const dir = tmp("tg-cli-watch-");
    const home = tmp("tg-cli-home-");
    const child = spawn(
      process.execPath,
      [
        "--import",
        TSX,
        MAIN,
        "watch",
        dir,
        "--home",
        home,
        "--settle-ms",
        "300",
        "--format",
        "json",
      ],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    try {
      assert.ok(await waitFor(() => stderr.includes("watching")), `not started: ${stderr}`);
      writeFileSync(join(dir, "evil.pkl"), EVIL);
      assert.ok(await waitFor(() => stdout.includes("evil.pkl")), `no verdict: ${stderr}`);
      const line = JSON.parse(stdout.trim().split("\n")[0] ?? "") as { verdict: string };
      assert.equal(line.verdict, "dangerous");
      assert.ok(await waitFor(() => !existsSync(join(dir, "evil.pkl"))));
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0, stderr);
    const state = JSON.parse(readFileSync(join(home, "watch-state.json"), "utf8")) as {
      files: Record<string, { verdict: string }>;
    };
    assert.equal(state.files[join(dir, "evil.pkl")]?.verdict, "dangerous");
  });
});

interface Entry {
  readonly activity: string;
  readonly resources: { uid: string; hashes?: { algorithm: string; value: string }[] }[];
  readonly outcome: { code?: string };
  readonly details: Record<string, unknown>;
}

describe("trainguard watch --server", { timeout: 120_000 }, async () => {
  const [sqlite] = await testDialects();
  let db: TestDatabase;
  let server: TestServer;
  before(async () => {
    db = await (sqlite as NonNullable<typeof sqlite>).fresh();
    server = await startTestServer(db);
  });
  after(async () => {
    await server.server.close();
    await db.drop();
  });

  it("records watch.scan for every verdict and watch.quarantine for the moved file", async () => {
    const dir = tmp("tg-cli-watch-");
    const home = tmp("tg-cli-home-");
    writeFileSync(join(dir, "evil.pkl"), EVIL);
    writeFileSync(join(dir, "good.pkl"), BENIGN);
    const run = await cli(
      ["watch", dir, "--once", "--home", home, "--settle-ms", "100", "--server", server.url],
      undefined,
      { TRAINGUARD_TOKEN: server.token },
    );
    assert.equal(run.code, 1, run.stderr);
    const entries: Entry[] = [];
    for (let i = 0; ; i += 1) {
      const response = await server.request(`/v1/entries/${i}/raw`);
      if (response.status !== 200) break;
      entries.push(JSON.parse(await response.text()) as Entry);
    }
    const kinds = entries
      .map((e) => `${e.activity}:${e.outcome.code}:${e.resources[0]?.uid.split("/").pop()}`)
      .sort();
    assert.deepEqual(kinds, [
      "watch.quarantine:quarantined:evil.pkl",
      "watch.scan:clean:good.pkl",
      "watch.scan:dangerous:evil.pkl",
    ]);
    const sha = createHash("sha256").update(EVIL).digest("hex");
    for (const e of entries.filter((x) => x.resources[0]?.uid.endsWith("evil.pkl")))
      assert.deepEqual(e.resources[0]?.hashes, [{ algorithm: "sha256", value: sha }]);
  });

  it("exits 2 when the server cannot be reached", async () => {
    const dir = tmp("tg-cli-watch-");
    writeFileSync(join(dir, "good.pkl"), BENIGN);
    const run = await cli(
      [
        "watch",
        dir,
        "--once",
        "--home",
        tmp("tg-cli-home-"),
        "--settle-ms",
        "100",
        "--server",
        "http://127.0.0.1:9",
      ],
      undefined,
      { TRAINGUARD_TOKEN: "tg_x" },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Cannot reach/);
  });
});
