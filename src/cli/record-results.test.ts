/**
 * `scan`, `verify` and `env verify` with `--server`: the real CLI posts its results to a real
 * server (SQLite), and the ledger entries read back are one event per file checked.
 */
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeSitePackages } from "../envcheck/test-support/site-packages.js";
import { writeModel } from "../integrity/test-support/model-dir.js";
import { startTestServer, type TestServer } from "../server/test-support/test-server.js";
import { type TestDatabase, testDialects } from "../store/test-support/dialects.js";
import { cli } from "./cli-test-run.js";

const [sqlite] = await testDialects();
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const EVIL = Buffer.from("80048c026f738c0673797374656d938c0269648552942e", "hex");
const BENIGN = Buffer.from("80047d948c0161944b01732e", "hex");

interface Entry {
  readonly activity: string;
  readonly correlation_uid: string;
  readonly resources: { uid: string; hashes?: { algorithm: string; value: string }[] }[];
  readonly outcome: { status: string; code?: string };
  readonly actor: { principal: string };
}

describe("--server records results as ledger events", { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let server: TestServer;
  let seen = 0;
  before(async () => {
    db = await (sqlite as NonNullable<typeof sqlite>).fresh();
    server = await startTestServer(db);
  });
  after(async () => {
    await server.server.close();
    await db.drop();
  });

  /** Entries appended since the last call. */
  async function newEntries(): Promise<Entry[]> {
    const out: Entry[] = [];
    for (;;) {
      const response = await server.request(`/v1/entries/${seen}/raw`);
      if (response.status !== 200) return out;
      out.push(JSON.parse(await response.text()) as Entry);
      seen += 1;
    }
  }

  const env = () => ({ TRAINGUARD_TOKEN: server.token });

  it("scan: one event per file, with its SHA-256 and verdict", async () => {
    const dir = tmp("tg-rec-scan-");
    writeFileSync(join(dir, "evil.pkl"), EVIL);
    writeFileSync(join(dir, "good.pkl"), BENIGN);
    const run = await cli(["scan", dir, "--server", server.url, "--quiet"], undefined, env());
    assert.equal(run.code, 1, run.stderr);
    const entries = await newEntries();
    assert.equal(entries.length, 2);
    const evil = entries.find((e) => e.resources[0]?.uid.endsWith("evil.pkl"));
    assert.equal(evil?.activity, "scan.file");
    assert.equal(evil?.outcome.code, "dangerous");
    assert.equal(evil?.actor.principal, "test-runner");
    assert.deepEqual(evil?.resources[0]?.hashes, [
      { algorithm: "sha256", value: createHash("sha256").update(EVIL).digest("hex") },
    ]);
    assert.equal(entries[0]?.correlation_uid, entries[1]?.correlation_uid);
  });

  it("verify: one event per signed file, the tampered one a failure", async () => {
    const dir = tmp("tg-rec-verify-");
    const model = join(dir, "model");
    await writeModel(model, { "weights.bin": "w".repeat(100), "config.json": "{}" });
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    writeFileSync(join(dir, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(join(dir, "key.pub"), publicKey.export({ type: "spki", format: "pem" }));
    const sig = join(dir, "model.sig");
    const signed = await cli([
      "sign",
      model,
      "--private-key",
      join(dir, "key.pem"),
      "--signature",
      sig,
    ]);
    assert.equal(signed.code, 0, signed.stderr);
    writeFileSync(join(model, "config.json"), '{"lr": 10}');
    const args = ["verify", model, "--signature", sig, "--public-key", join(dir, "key.pub")];
    const run = await cli([...args, "--server", server.url], undefined, env());
    assert.equal(run.code, 1, run.stderr);
    const entries = await newEntries();
    assert.deepEqual(
      entries.map((e) => [e.activity, e.resources[0]?.uid.split("/").pop(), e.outcome.code]).sort(),
      [
        ["verify.file", "config.json", "modified"],
        ["verify.file", "weights.bin", "verified"],
      ],
    );
  });

  it("env verify: one event per finding and one for the environment", async () => {
    const site = join(tmp("tg-rec-env-"), "site-packages");
    await writeSitePackages(site, "demo", "1.0", { "demo/__init__.py": "x = 1\n" });
    writeFileSync(join(site, "demo", "__init__.py"), "import os\n");
    const run = await cli(
      ["env", "verify", site, "--server", server.url, "--quiet"],
      undefined,
      env(),
    );
    assert.equal(run.code, 1, run.stderr);
    const entries = await newEntries();
    const kinds = entries.map((e) => `${e.activity}:${e.outcome.code}`).sort();
    assert.deepEqual(kinds, ["env.check:findings", "env.finding:modified"]);
    assert.ok(readFileSync(join(site, "demo", "__init__.py")).length > 0);
  });

  it("exits 2 when the token is missing or the server cannot take the events", async () => {
    const dir = tmp("tg-rec-err-");
    writeFileSync(join(dir, "good.pkl"), BENIGN);
    const noToken = await cli(["scan", dir, "--server", server.url], undefined, {
      TRAINGUARD_TOKEN: "",
    });
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /TRAINGUARD_TOKEN is not set/);
    const badToken = await cli(["scan", dir, "--server", server.url], undefined, {
      TRAINGUARD_TOKEN: "tg_bad_token",
    });
    assert.equal(badToken.code, 2);
    assert.match(badToken.stderr, /^trainguard: Cannot /m);
    const viaEnv = await cli(["scan", dir], undefined, { ...env(), TRAINGUARD_SERVER: server.url });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal((await newEntries()).length, 1);
  });
});
