/**
 * Signatures trainguard writes verify with trainguard and with an independent checker written
 * from the OMS specification, for every combination of serialization, hash, curve and key type.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { signModel, verifyModel } from "./index.js";
import { SAMPLE_MODEL, writeModel } from "./test-support/model-dir.js";
import { checkIndependently } from "./test-support/oms-checker.js";
import { makePki, type TestCurve, type TestPki } from "./test-support/test-pki.js";

let dir = "";
const pki = new Map<TestCurve, TestPki>();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "trainguard-sign-"));
  for (const curve of ["P-256", "P-384"] as const) {
    const pkiDir = join(dir, `pki-${curve}`);
    await mkdir(pkiDir);
    pki.set(curve, makePki(pkiDir, curve));
  }
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const combos = (["files", "shards"] as const).flatMap((serialization) =>
  (["sha256", "blake2b"] as const).flatMap((hash) =>
    (["P-256", "P-384"] as const).flatMap((curve) =>
      (["key", "certificate"] as const).map((method) => ({ serialization, hash, curve, method })),
    ),
  ),
);

describe("signModel() round trip", () => {
  for (const { serialization, hash, curve, method } of combos) {
    it(`signs ${serialization}/${hash} with a ${curve} ${method}; both verifiers accept it`, async () => {
      const keys = pki.get(curve);
      assert.ok(keys);
      const model = join(dir, `${serialization}-${hash}-${curve}-${method}`, "my-model");
      await writeModel(model, SAMPLE_MODEL);
      const signaturePath = join(model, "model.sig");
      const result = await signModel(model, {
        privateKeyPem: keys.leaf.privateKeyPem,
        ...(method === "certificate"
          ? { certificateChainPem: [keys.leaf.certificatePem, keys.intermediatePem] }
          : {}),
        hashAlgorithm: hash,
        serialization,
        shardSize: 16,
        signaturePath,
      });
      await writeModel(model, { "model.sig": result.bundleJson });
      const trust =
        method === "key" ? { publicKeyPem: keys.leaf.publicKeyPem } : { rootPem: keys.rootPem };
      const checked = checkIndependently(result.bundleJson, model, trust);
      assert.equal(checked.statement.subject[0]?.name, "my-model");
      assert.deepEqual(checked.statement.predicate.resources, result.manifest.resources);

      const report = await verifyModel(model, await readFile(signaturePath, "utf8"), {
        ...(method === "key"
          ? { publicKeyPem: keys.leaf.publicKeyPem }
          : { trustedCertificatesPem: [keys.rootPem] }),
        signaturePath,
      });
      assert.deepEqual(report.findings, []);
      assert.equal(report.verified, true);
      assert.equal(report.signer?.method, method);
      assert.equal(report.signer?.curve, curve);
    });
  }

  it("writes resources in the reference order: a/b, a-b, a.txt, d0/d1/f0, f10, f2", async () => {
    const keys = pki.get("P-256");
    assert.ok(keys);
    const model = join(dir, "order");
    await writeModel(model, SAMPLE_MODEL);
    const { manifest } = await signModel(model, { privateKeyPem: keys.leaf.privateKeyPem });
    assert.deepEqual(
      manifest.resources.map((r) => r.name),
      ["a/b", "a-b", "a.txt", "d0/d1/f0", "f10", "f2"],
    );
    assert.deepEqual(manifest.ignorePaths, [".git", ".gitattributes", ".github", ".gitignore"]);
  });

  it("shards: names are path:start:end, shard_size is written as 16.0, algorithm sha256-sharded-16", async () => {
    const keys = pki.get("P-256");
    assert.ok(keys);
    const model = join(dir, "shard-format");
    await writeModel(model, { w: "0123456789abcdefXYZ" });
    const result = await signModel(model, {
      privateKeyPem: keys.leaf.privateKeyPem,
      serialization: "shards",
      shardSize: 16,
    });
    assert.deepEqual(
      result.manifest.resources.map((r) => `${r.name} ${r.algorithm}`),
      ["w:0:16 sha256-sharded-16", "w:16:19 sha256-sharded-16"],
    );
    const payload = Buffer.from(
      JSON.parse(result.bundleJson).dsseEnvelope.payload,
      "base64",
    ).toString();
    assert.match(payload, /"shard_size": 16\.0,/);
    assert.match(payload, /^\{\n {2}"_type": "https:\/\/in-toto\.io\/Statement\/v1",\n/);
  });

  it('writes a key bundle like the reference: hint, empty tlogEntries, keyid ""', async () => {
    const keys = pki.get("P-384");
    assert.ok(keys);
    const model = join(dir, "bundle-shape");
    await writeModel(model, { w: "x" });
    const bundle = JSON.parse(
      (await signModel(model, { privateKeyPem: keys.leaf.privateKeyPem })).bundleJson,
    );
    assert.deepEqual(Object.keys(bundle), ["mediaType", "verificationMaterial", "dsseEnvelope"]);
    assert.deepEqual(Object.keys(bundle.verificationMaterial), ["publicKey", "tlogEntries"]);
    assert.match(bundle.verificationMaterial.publicKey.hint, /^[0-9a-f]{64}$/);
    assert.deepEqual(bundle.verificationMaterial.tlogEntries, []);
    assert.equal(bundle.dsseEnvelope.signatures[0].keyid, "");
  });
});
