/**
 * The reference implementation's signatures (fixtures/oms, v0.2.0 to v1.1.0) verify exactly as
 * its own tests verify them, and our serialization reproduces its statements.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { IntegrityError, readManifest, signModel, verifyModel } from "./index.js";
import {
  KEYLESS_VECTORS,
  OMS_FIXTURES,
  VECTOR_PUBLIC_KEY,
  VECTOR_ROOT,
  VECTORS,
  type Vector,
} from "./test-support/oms-vectors.js";

const publicKeyPem = readFileSync(VECTOR_PUBLIC_KEY, "utf8");
const rootPem = readFileSync(VECTOR_ROOT, "utf8");
const privateKeyPem = readFileSync(join(OMS_FIXTURES, "keys/certificate/signing-key.pem"), "utf8");

function trust(vector: Vector) {
  return vector.method === "key" ? { publicKeyPem } : { trustedCertificatesPem: [rootPem] };
}

function signaturePath(dir: string): string {
  return join(OMS_FIXTURES, dir, "model.sig");
}

function payloadOf(dir: string) {
  const bundle = JSON.parse(readFileSync(signaturePath(dir), "utf8"));
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, "base64").toString("utf8"));
}

describe("OMS interop vectors", () => {
  for (const vector of VECTORS) {
    it(`verifyModel() accepts ${vector.dir}/${vector.model} as the reference does`, async () => {
      const report = await verifyModel(
        join(OMS_FIXTURES, vector.dir, vector.model),
        readFileSync(signaturePath(vector.dir), "utf8"),
        {
          ...trust(vector),
          signaturePath: signaturePath(vector.dir),
          ignorePaths: [...vector.ignore],
        },
      );
      assert.deepEqual(report.findings, []);
      assert.equal(report.verified, true);
      assert.equal(
        report.signer?.keyHint,
        "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e",
      );
    });
  }

  for (const dir of KEYLESS_VECTORS) {
    it(`verifyModel() refuses keyless ${dir} with KEYLESS_UNSUPPORTED, never passing it`, async () => {
      await assert.rejects(
        verifyModel(join(OMS_FIXTURES, dir), readFileSync(signaturePath(dir), "utf8"), {
          publicKeyPem,
          signaturePath: signaturePath(dir),
        }),
        (error) => error instanceof IntegrityError && error.code === "KEYLESS_UNSUPPORTED",
      );
    });
  }

  it("v1.1.0's signer-chosen ignore-me is a finding unless the verifier names or allows it", async () => {
    const dir = "v1.1.0-elliptic-key";
    const text = readFileSync(signaturePath(dir), "utf8");
    const base = { publicKeyPem, signaturePath: signaturePath(dir) };
    const strict = await verifyModel(join(OMS_FIXTURES, dir), text, base);
    assert.equal(strict.verified, false);
    assert.deepEqual(
      strict.findings.map((f) => [f.kind, f.path]),
      [["ignore-path", "ignore-me"]],
    );
    const allowed = await verifyModel(join(OMS_FIXTURES, dir), text, {
      ...base,
      allowSignerIgnorePaths: true,
    });
    assert.equal(allowed.verified, true);
  });

  it("v1.0.1 (no ignore_paths) reports ignore-me as unexpected when the verifier does not ignore it", async () => {
    const dir = "v1.0.1-certificate";
    const report = await verifyModel(
      join(OMS_FIXTURES, dir),
      readFileSync(signaturePath(dir), "utf8"),
      {
        trustedCertificatesPem: [rootPem],
        signaturePath: signaturePath(dir),
      },
    );
    assert.deepEqual(
      report.findings.map((f) => [f.kind, f.path]),
      [["unexpected", "ignore-me"]],
    );
  });

  it("the v1.1.0 key hint is hex SHA-256 of the SPKI PEM, and pins work against it", async () => {
    const dir = "v1.1.0-elliptic-key";
    const options = { publicKeyPem, signaturePath: signaturePath(dir), ignorePaths: ["ignore-me"] };
    const text = readFileSync(signaturePath(dir), "utf8");
    const hint = JSON.parse(text).verificationMaterial.publicKey.hint;
    assert.equal(
      (await verifyModel(join(OMS_FIXTURES, dir), text, { ...options, expectKeyHint: hint }))
        .verified,
      true,
    );
    const wrong = await verifyModel(join(OMS_FIXTURES, dir), text, {
      ...options,
      expectKeyHint: "00".repeat(32),
    });
    assert.deepEqual(
      wrong.findings.map((f) => f.kind),
      ["identity"],
    );
  });

  it("--expect-identity matches the vector certificate's common name and refuses others", async () => {
    const dir = "v1.1.0-certificate";
    const text = readFileSync(signaturePath(dir), "utf8");
    const options = {
      trustedCertificatesPem: [rootPem],
      signaturePath: signaturePath(dir),
      ignorePaths: ["ignore-me"],
    };
    const ok = await verifyModel(join(OMS_FIXTURES, dir), text, {
      ...options,
      expectIdentity: "intermediate-ca",
    });
    assert.equal(ok.verified, true);
    const bad = await verifyModel(join(OMS_FIXTURES, dir), text, {
      ...options,
      expectIdentity: "someone@else",
    });
    assert.deepEqual(
      bad.findings.map((f) => f.kind),
      ["identity"],
    );
  });

  for (const dir of ["v1.1.0-elliptic-key", "v1.0.1-elliptic-key", "v1.1.0-certificate"]) {
    it(`our files-mode statement for ${dir} has exactly the reference's resources and root`, async () => {
      const reference = payloadOf(dir);
      const result = await signModel(join(OMS_FIXTURES, dir), {
        privateKeyPem,
        ignorePaths: ["ignore-me"],
        signaturePath: signaturePath(dir),
      });
      const ours = JSON.parse(
        Buffer.from(JSON.parse(result.bundleJson).dsseEnvelope.payload, "base64").toString(),
      );
      assert.deepEqual(
        ours.predicate.resources,
        reference.predicate.resources.map((r: Record<string, string>) => ({
          algorithm: r.algorithm,
          digest: r.digest,
          name: r.name,
        })),
      );
      assert.deepEqual(ours.subject, reference.subject);
      assert.deepEqual(
        [...ours.predicate.serialization.ignore_paths].sort(),
        [
          ...(reference.predicate.serialization.ignore_paths ??
            ours.predicate.serialization.ignore_paths),
        ].sort(),
      );
      assert.equal(ours.predicate.serialization.method, "files");
      assert.equal(ours.predicate.serialization.hash_type, "sha256");
    });
  }

  it('a single-file model is the resource "." named after the file, as in v1.0.0', async () => {
    const dir = "v1.0.0-elliptic-key";
    const reference = payloadOf(dir);
    const { manifest } = await signModel(join(OMS_FIXTURES, dir, "signme-1"), { privateKeyPem });
    assert.equal(manifest.modelName, reference.subject[0].name);
    assert.deepEqual(
      manifest.resources.map((r) => [r.name, r.digest]),
      [[".", reference.predicate.resources[0].digest]],
    );
  });

  it("readManifest() reads v1.1.0 and the v0.2 compat predicate without verifying", () => {
    const v110 = readManifest(readFileSync(signaturePath("v1.1.0-certificate"), "utf8"));
    assert.equal(v110.modelName, "v1.1.0-certificate");
    assert.equal(v110.serialization, "files");
    assert.deepEqual(
      v110.resources.map((r) => r.name),
      ["signme-1", "signme-2"],
    );
    assert.ok(v110.ignorePaths.includes("ignore-me"));
    const v020 = readManifest(readFileSync(signaturePath("v0.2.0-certificate"), "utf8"));
    assert.equal(v020.modelName, "compat-undefined-not-present");
    assert.deepEqual(
      v020.resources.map((r) => r.name),
      ["signme-1", "signme-2"],
    );
    const keyless = readManifest(readFileSync(signaturePath("v1.1.0-sigstore"), "utf8"));
    assert.equal(keyless.resources.length, 2);
  });
});
