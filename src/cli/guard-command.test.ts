import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type GuardServer, startGuardServer } from "../guard/index.js";
import { cli } from "./cli-test-run.js";

/** `pickle.dumps([1, 2], protocol=2)` and a REDUCE of `posix.system('id')`. */
const CLEAN_PICKLE = Buffer.from("80025d7100284b014b02652e", "hex");
const EVIL_PICKLE = Buffer.from(
  "800263706f7369780a73797374656d0a71005802000000696471018571025271032e",
  "hex",
);

describe("trainguard guard", () => {
  let dir: string;
  let server: GuardServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "trainguard-guard-cli-"));
    server = await startGuardServer({ socketPath: join(dir, "guard.sock") });
    await writeFile(join(dir, "clean.pkl"), CLEAN_PICKLE);
    await writeFile(join(dir, "evil.pkl"), EVIL_PICKLE);
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("check exits 0 for a clean file and 1 for a dangerous one", async () => {
    const clean = await cli(["guard", "check", "--socket", server.socketPath, "clean.pkl"], dir);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(JSON.parse(clean.stdout).verdict, "clean");
    const evil = await cli(["guard", "check", "--socket", server.socketPath, "evil.pkl"], dir);
    assert.equal(evil.code, 1);
    assert.equal(JSON.parse(evil.stdout).verdict, "dangerous");
  });

  it("check exits 2 when no daemon listens", async () => {
    const run = await cli(["guard", "check", "--socket", join(dir, "none.sock"), "clean.pkl"], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^trainguard: Cannot ask the guard daemon/);
  });

  it("serve exits 2 when its socket path is a regular file", async () => {
    const run = await cli(["guard", "serve", "--socket", "clean.pkl"], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Cannot listen on .*: it exists and is not a socket/);
  });
});
