/**
 * Any change to a signed model or its signature fails verification, and the report says which
 * file changed and how. Vectors are copied to a temporary directory before being tampered with.
 */
import assert from "node:assert/strict";
import {
  appendFile,
  chmod,
  cp,
  mkdtemp,
  readFile,
  rm,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { IntegrityError, signModel, type VerifyOptions, verifyModel } from "./index.js";
import { writeModel } from "./test-support/model-dir.js";
import { OMS_FIXTURES, VECTOR_PUBLIC_KEY, VECTOR_ROOT } from "./test-support/oms-vectors.js";
import { ecKey } from "./test-support/test-pki.js";

let dir = "";
let counter = 0;
const publicKeyPem = await readFile(VECTOR_PUBLIC_KEY, "utf8");
const rootPem = await readFile(VECTOR_ROOT, "utf8");

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "trainguard-tamper-"));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A writable copy of a vector folder. */
async function copyVector(name: string): Promise<string> {
  counter += 1;
  const target = join(dir, `${counter}`, name);
  await cp(join(OMS_FIXTURES, name), target, { recursive: true });
  for (const file of ["model.sig", "signme-1", "signme-2", "ignore-me"]) {
    await chmod(join(target, file), 0o644).catch(() => {});
  }
  return target;
}

type Trust = Pick<VerifyOptions, "publicKeyPem" | "trustedCertificatesPem">;

async function verifyCopy(
  model: string,
  options: VerifyOptions = {},
  trust: Trust = { publicKeyPem },
) {
  const signaturePath = join(model, "model.sig");
  return verifyModel(model, await readFile(signaturePath, "utf8"), {
    ...trust,
    signaturePath,
    ignorePaths: ["ignore-me"],
    ...options,
  });
}

const kinds = (report: { findings: { kind: string; path: string }[] }) =>
  report.findings.map((f) => `${f.kind} ${f.path}`);

describe("tampering with a signed model", () => {
  it("an appended byte is reported as modified, naming the file", async () => {
    const model = await copyVector("v1.1.0-elliptic-key");
    await appendFile(join(model, "signme-2"), "!");
    const report = await verifyCopy(model);
    assert.equal(report.verified, false);
    assert.deepEqual(kinds(report), ["modified signme-2"]);
    assert.match(report.findings[0]?.detail ?? "", /content changed/);
  });

  it("a flipped byte of the same length is reported as modified", async () => {
    const model = await copyVector("v1.1.0-certificate");
    const bytes = await readFile(join(model, "signme-1"));
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await writeFile(join(model, "signme-1"), bytes);
    const report = await verifyCopy(model, {}, { trustedCertificatesPem: [rootPem] });
    assert.deepEqual(kinds(report), ["modified signme-1"]);
  });

  it("a removed file is reported as missing", async () => {
    const model = await copyVector("v1.1.0-elliptic-key");
    await unlink(join(model, "signme-1"));
    assert.deepEqual(kinds(await verifyCopy(model)), ["missing signme-1"]);
  });

  it("an added file, even empty, is reported as unexpected", async () => {
    const model = await copyVector("v1.0.1-elliptic-key");
    await writeFile(join(model, "extra.bin"), "");
    assert.deepEqual(kinds(await verifyCopy(model)), ["unexpected extra.bin"]);
  });

  it("an added directory's files are reported as unexpected", async () => {
    const model = await copyVector("v1.0.1-elliptic-key");
    await writeModel(model, { "sub/payload.pkl": "x" });
    assert.deepEqual(kinds(await verifyCopy(model)), ["unexpected sub/payload.pkl"]);
  });

  it("a symbolic link is refused unless --allow-symlinks, then hashed as its target", async () => {
    const model = await copyVector("v1.1.0-elliptic-key");
    await unlink(join(model, "signme-2"));
    await writeFile(
      join(dir, "outside"),
      await readFile(join(OMS_FIXTURES, "v1.1.0-elliptic-key/signme-2")),
    );
    await symlink(join(dir, "outside"), join(model, "signme-2"));
    assert.deepEqual(kinds(await verifyCopy(model)), ["symlink signme-2", "missing signme-2"]);
    assert.equal((await verifyCopy(model, { allowSymlinks: true })).verified, true);
  });

  it("a changed payload byte fails the signature, and no file is hashed", async () => {
    const model = await copyVector("v1.1.0-elliptic-key");
    const bundle = JSON.parse(await readFile(join(model, "model.sig"), "utf8"));
    const payload = Buffer.from(bundle.dsseEnvelope.payload, "base64");
    payload[payload.length - 2] = 0x20;
    bundle.dsseEnvelope.payload = payload.toString("base64");
    await writeFile(join(model, "model.sig"), JSON.stringify(bundle));
    const report = await verifyCopy(model);
    assert.deepEqual(kinds(report), ["signature "]);
    assert.equal(report.stats.files, 0);
  });

  it("another key fails with a key-hint finding", async () => {
    const model = await copyVector("v1.1.0-elliptic-key");
    const report = await verifyCopy(model, {}, { publicKeyPem: ecKey("P-384").publicKeyPem });
    assert.deepEqual(kinds(report), ["signature "]);
    assert.match(report.findings[0]?.detail ?? "", /key hint/);
  });

  it("a certificate bundle against an unrelated root fails the chain", async () => {
    const model = await copyVector("v1.1.0-certificate");
    const leafPem = await readFile(
      join(OMS_FIXTURES, "keys/certificate/signing-key-cert.pem"),
      "utf8",
    );
    const report = await verifyCopy(model, {}, { trustedCertificatesPem: [leafPem] });
    assert.deepEqual(kinds(report), ["signature "]);
    assert.match(report.findings[0]?.detail ?? "", /certificate chain/);
  });

  it("a key bundle checked against certificates is a signature finding", async () => {
    const model = await copyVector("v1.1.0-elliptic-key");
    const report = await verifyCopy(model, {}, { trustedCertificatesPem: [rootPem] });
    assert.deepEqual(kinds(report), ["signature "]);
  });

  it("a truncated signature file is MALFORMED_SIGNATURE (could not check)", async () => {
    const model = await copyVector("v1.1.0-elliptic-key");
    const text = await readFile(join(model, "model.sig"), "utf8");
    await assert.rejects(
      verifyModel(model, text.slice(0, 200), { publicKeyPem }),
      (error) => error instanceof IntegrityError && error.code === "MALFORMED_SIGNATURE",
    );
  });
});

describe("tampering with a shards signature", () => {
  it("reports a grown file as modified and an added empty file as unexpected", async () => {
    const key = ecKey("P-256");
    const model = join(dir, "shards-model");
    await writeModel(model, { "w.bin": "0123456789abcdef0123", "x.bin": "abc" });
    const signaturePath = join(dir, "shards.sig");
    const { bundleJson } = await signModel(model, {
      privateKeyPem: key.privateKeyPem,
      serialization: "shards",
      shardSize: 8,
    });
    await writeFile(signaturePath, bundleJson);
    await appendFile(join(model, "w.bin"), "more");
    await writeFile(join(model, "empty"), "");
    await writeFile(join(model, "x.bin"), "");
    const report = await verifyModel(model, bundleJson, {
      publicKeyPem: key.publicKeyPem,
      signaturePath,
    });
    assert.deepEqual(kinds(report), ["unexpected empty", "modified w.bin", "modified x.bin"]);
  });

  it("refuses to sign shards of a model holding an empty file", async () => {
    const key = ecKey("P-256");
    const model = join(dir, "shards-empty");
    await writeModel(model, { a: "x", b: "" });
    await assert.rejects(
      signModel(model, { privateKeyPem: key.privateKeyPem, serialization: "shards" }),
      (error) => error instanceof IntegrityError && error.code === "UNSIGNABLE_MODEL",
    );
  });
});
