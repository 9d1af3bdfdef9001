import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { makePki } from "../../integrity/test-support/test-pki.js";
import { CryptoError } from "../crypto-error.js";
import { certificatesFromPem } from "./pem-certificates.js";
import {
  certificateIdentities,
  checkSigningUsage,
  verifyCertificateChain,
} from "./verify-chain.js";

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "trainguard-x509-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const chainInvalid = (error: unknown) =>
  error instanceof CryptoError && error.code === "CHAIN_INVALID";
const one = (pem: string) => certificatesFromPem(pem, "test");

describe("verifyCertificateChain()", () => {
  it("builds leaf → intermediate → root and reports the SAN as an identity", async () => {
    const pki = makePki(await mkdtemp(join(dir, "a-")), "P-256");
    const chain = [...one(pki.leaf.certificatePem), ...one(pki.intermediatePem)];
    const result = verifyCertificateChain({ chain, trusted: one(pki.rootPem) });
    assert.equal(result.path.length, 3);
    checkSigningUsage(result.leaf);
    assert.ok(certificateIdentities(result.leaf).includes("signer@example.com"));
    assert.ok(certificateIdentities(result.leaf).includes("test-signer"));
  });

  it("accepts the intermediate from the trusted set when the bundle has only the leaf", async () => {
    const pki = makePki(await mkdtemp(join(dir, "b-")), "P-384");
    const trusted = [...one(pki.rootPem), ...one(pki.intermediatePem)];
    assert.equal(
      verifyCertificateChain({ chain: one(pki.leaf.certificatePem), trusted }).path.length,
      3,
    );
  });

  it("refuses a chain to another root, and an empty trust set", async () => {
    const a = makePki(await mkdtemp(join(dir, "c-")), "P-256");
    const b = makePki(await mkdtemp(join(dir, "d-")), "P-256");
    const chain = [...one(a.leaf.certificatePem), ...one(a.intermediatePem)];
    assert.throws(() => verifyCertificateChain({ chain, trusted: one(b.rootPem) }), chainInvalid);
    assert.throws(() => verifyCertificateChain({ chain, trusted: [] }), chainInvalid);
  });

  it("checkSigningUsage() refuses a leaf with neither digitalSignature nor codeSigning", async () => {
    const pki = makePki(
      await mkdtemp(join(dir, "e-")),
      "P-256",
      "keyUsage=critical,keyEncipherment\nextendedKeyUsage=serverAuth",
    );
    const [leaf] = one(pki.leaf.certificatePem);
    assert.ok(leaf);
    assert.throws(() => checkSigningUsage(leaf), chainInvalid);
  });

  it("checkSigningUsage() accepts codeSigning without digitalSignature, as the reference does", async () => {
    const pki = makePki(
      await mkdtemp(join(dir, "f-")),
      "P-256",
      "keyUsage=critical,keyEncipherment\nextendedKeyUsage=codeSigning",
    );
    const [leaf] = one(pki.leaf.certificatePem);
    assert.ok(leaf);
    checkSigningUsage(leaf);
  });
});
