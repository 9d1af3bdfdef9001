/** End-to-end tests of `trainguard sign`, checked by `trainguard verify`. */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SAMPLE_MODEL, writeModel } from "../integrity/test-support/model-dir.js";
import { ecKey } from "../integrity/test-support/test-pki.js";
import { cli } from "./cli-test-run.js";

let dir = "";
let keyFile = "";
let pubFile = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "trainguard-sign-cli-"));
  const key = ecKey("P-256");
  keyFile = join(dir, "key.pem");
  pubFile = join(dir, "key.pub.pem");
  await writeFile(keyFile, key.privateKeyPem);
  await writeFile(pubFile, key.publicKeyPem);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("trainguard sign", () => {
  it("writes PATH/model.sig for a directory, which verify accepts", async () => {
    const model = join(dir, "model-a");
    await writeModel(model, SAMPLE_MODEL);
    const run = await cli(["sign", model, "--private-key", keyFile]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Signed .*: 6 files, sha256; signature written to .*model\.sig/);
    const verify = await cli([
      "verify",
      model,
      "--signature",
      join(model, "model.sig"),
      "--public-key",
      pubFile,
    ]);
    assert.equal(verify.code, 0, verify.stdout);
  });

  it("writes FILE.sig beside a single file, in shards of blake2b, with JSON output", async () => {
    const file = join(dir, "weights.bin");
    await writeFile(file, "0123456789".repeat(10));
    const run = await cli([
      "sign",
      file,
      "--private-key",
      keyFile,
      "--serialization",
      "shards",
      "--shard-size",
      "32",
      "--hash",
      "blake2b",
      "--format",
      "json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.manifest.serialization, "shards");
    assert.equal(out.manifest.resources, 4);
    assert.ok((await stat(`${file}.sig`)).isFile());
    const verify = await cli([
      "verify",
      file,
      "--signature",
      `${file}.sig`,
      "--public-key",
      pubFile,
    ]);
    assert.equal(verify.code, 0, verify.stdout);
  });

  it("records --ignore-paths relative to the working directory as model-relative paths", async () => {
    const model = join(dir, "model-b");
    await writeModel(model, { "w.bin": "w", "notes/readme.md": "r" });
    const sig = join(dir, "b.sig");
    const run = await cli(
      [
        "sign",
        model,
        "--private-key",
        keyFile,
        "--signature",
        sig,
        "--ignore-paths",
        "model-b/notes",
      ],
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    const bundle = JSON.parse(await readFile(sig, "utf8"));
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, "base64").toString());
    assert.ok(statement.predicate.serialization.ignore_paths.includes("notes"));
    const strict = await cli(["verify", model, "--signature", sig, "--public-key", pubFile]);
    assert.equal(strict.code, 1);
    const named = await cli([
      "verify",
      model,
      "--signature",
      sig,
      "--public-key",
      pubFile,
      "--ignore-paths",
      join(model, "notes"),
    ]);
    assert.equal(named.code, 0, named.stdout);
  });

  it("exits 2 for a missing key, a non-EC key, and --shard-size without shards", async () => {
    const model = join(dir, "model-c");
    await writeModel(model, { w: "w" });
    assert.equal((await cli(["sign", model, "--private-key", join(dir, "nope.pem")])).code, 2);
    const rsa = join(dir, "rsa.pem");
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await writeFile(rsa, privateKey.export({ type: "pkcs8", format: "pem" }));
    const run = await cli(["sign", model, "--private-key", rsa]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /not an elliptic-curve key/);
    assert.equal(
      (await cli(["sign", model, "--private-key", keyFile, "--shard-size", "8"])).code,
      2,
    );
  });

  it("sign --help and verify --help exit 0 and list the contract flags", async () => {
    const sign = await cli(["sign", "--help"]);
    assert.equal(sign.code, 0);
    for (const flag of [
      "--private-key",
      "--certificate-chain",
      "--signature",
      "--serialization",
      "--shard-size",
      "--hash",
      "--ignore-paths",
    ]) {
      assert.ok(sign.stdout.includes(flag), flag);
    }
    const verify = await cli(["verify", "--help"]);
    assert.equal(verify.code, 0);
    for (const flag of [
      "--public-key",
      "--allow-symlinks",
      "--allow-signer-ignore-paths",
      "--expect-key-hint",
      "--expect-identity",
      "--format",
    ]) {
      assert.ok(verify.stdout.includes(flag), flag);
    }
  });
});
