import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { signModel } from "../integrity/index.js";
import { ecKey } from "../integrity/test-support/test-pki.js";
import { type CachedScan, checkFile } from "./check-file.js";
import { ResultCache } from "./result-cache.js";

/** `pickle.dumps([1, 2], protocol=2)`. */
const CLEAN_PICKLE = Buffer.from("80025d7100284b014b02652e", "hex");

describe("checkFile() with a signature", () => {
  let dir: string;
  let model: string;
  let signature: string;
  let publicKey: string;
  const options = { scan: {}, cache: new ResultCache<CachedScan>() };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "trainguard-guard-verify-"));
    model = join(dir, "model.pkl");
    signature = join(dir, "model.pkl.sig");
    publicKey = join(dir, "key.pub.pem");
    await writeFile(model, CLEAN_PICKLE);
    const key = ecKey("P-256");
    await writeFile(publicKey, key.publicKeyPem);
    const signed = await signModel(model, {
      privateKeyPem: key.privateKeyPem,
      signaturePath: signature,
    });
    await writeFile(signature, signed.bundleJson);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("verifies a signature that signs the scanned bytes", async () => {
    const reply = await checkFile(model, { signature, publicKey }, options);
    assert.equal(reply.verdict, "clean");
    assert.equal(reply.verified, true, JSON.stringify(reply.verifyFindings));
  });

  it("does not verify once the file changed", async () => {
    await writeFile(model, Buffer.from("80025d7100284b014b03652e", "hex"));
    const reply = await checkFile(model, { signature, publicKey }, options);
    assert.equal(reply.verdict, "clean");
    assert.equal(reply.verified, false);
  });

  it("rejects a signature file it cannot read with verify-input-unreadable", async () => {
    await assert.rejects(
      checkFile(model, { signature: join(dir, "absent.sig"), publicKey }, options),
      (error) => (error as { code?: string }).code === "verify-input-unreadable",
    );
  });
});

describe("checkFile() on a file over the read bound", () => {
  const fixture = fileURLToPath(
    new URL("../../fixtures/benign/training_checkpoint.pt", import.meta.url),
  );

  it("hashes it through the descriptor, scans it by path, and caches the result", async () => {
    const options = {
      scan: { limits: { maxReadBytes: 8192 } },
      cache: new ResultCache<CachedScan>(),
    };
    const bytes = await readFile(fixture);
    assert.ok(bytes.length > 8192);
    const first = await checkFile(fixture, undefined, options);
    assert.equal(first.verdict, "clean", JSON.stringify(first.findings));
    assert.equal(first.sha256, createHash("sha256").update(bytes).digest("hex"));
    assert.equal((await checkFile(fixture, undefined, options)).cached, true);
  });
});
