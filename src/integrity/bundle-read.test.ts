/** Malformed and unsupported signature files, built in code; every one is refused with a code. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BUNDLE_MEDIA_TYPE, parseBundle } from "./bundle-read.js";
import { IntegrityError, type IntegrityErrorCode } from "./integrity-error.js";
import { readStatement } from "./statement-read.js";

const code = (expected: IntegrityErrorCode) => (error: unknown) =>
  error instanceof IntegrityError && error.code === expected;

function bundle(
  overrides: Record<string, unknown> = {},
  envelope: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { hint: "ab" }, tlogEntries: [] },
    dsseEnvelope: {
      payload: Buffer.from("{}").toString("base64"),
      payloadType: "application/vnd.in-toto+json",
      signatures: [{ sig: "MEUCIQ==", keyid: "" }],
      ...envelope,
    },
    ...overrides,
  });
}

const statement = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("parseBundle() on malformed input", () => {
  it("reads a well-formed key bundle", () => {
    const parsed = parseBundle(bundle());
    assert.deepEqual(parsed.material, { kind: "publicKey", hint: "ab" });
  });

  it("refuses non-JSON, arrays and truncated text as MALFORMED_SIGNATURE", () => {
    for (const text of ["", "not json", "[]", bundle().slice(0, 50)]) {
      assert.throws(() => parseBundle(text), code("MALFORMED_SIGNATURE"));
    }
  });

  it("refuses another media type as UNSUPPORTED_SIGNATURE", () => {
    const text = bundle({ mediaType: "application/vnd.dev.sigstore.bundle+json;version=0.1" });
    assert.throws(() => parseBundle(text), code("UNSUPPORTED_SIGNATURE"));
  });

  it("refuses zero or two DSSE signatures", () => {
    assert.throws(() => parseBundle(bundle({}, { signatures: [] })), code("MALFORMED_SIGNATURE"));
    const two = [{ sig: "AA==" }, { sig: "AA==" }];
    assert.throws(() => parseBundle(bundle({}, { signatures: two })), code("MALFORMED_SIGNATURE"));
  });

  it("refuses a signature that is not base64 or is oversized", () => {
    assert.throws(
      () => parseBundle(bundle({}, { signatures: [{ sig: "**" }] })),
      code("MALFORMED_SIGNATURE"),
    );
    const long = "A".repeat(4096);
    assert.throws(
      () => parseBundle(bundle({}, { signatures: [{ sig: long }] })),
      code("MALFORMED_SIGNATURE"),
    );
  });

  it("refuses a bundle with no key material, and an empty certificate chain", () => {
    assert.throws(
      () => parseBundle(bundle({ verificationMaterial: {} })),
      code("MALFORMED_SIGNATURE"),
    );
    const empty = { x509CertificateChain: { certificates: [] } };
    assert.throws(
      () => parseBundle(bundle({ verificationMaterial: empty })),
      code("MALFORMED_SIGNATURE"),
    );
  });

  it("recognises a keyless Sigstore certificate as its own kind", () => {
    const keyless = { certificate: { rawBytes: "AA==" }, tlogEntries: [] };
    assert.deepEqual(parseBundle(bundle({ verificationMaterial: keyless })).material, {
      kind: "keyless",
    });
  });
});

describe("readStatement() on malformed statements", () => {
  const base = {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: "m", digest: { sha256: "00".repeat(32) } }],
    predicateType: "https://model_signing/signature/v1.0",
    predicate: {
      serialization: { method: "files", hash_type: "sha256", allow_symlinks: false },
      resources: [{ name: "a", algorithm: "sha256", digest: "11".repeat(32) }],
    },
  };

  it("reads a statement and reports a root that does not match its resources", () => {
    const read = readStatement(statement(base));
    assert.equal(read.rootMatches, false);
    assert.equal(read.manifest.resources.length, 1);
  });

  it("refuses two subjects, a duplicate resource and a non-hex digest", () => {
    const twoSubjects = { ...base, subject: [...base.subject, ...base.subject] };
    assert.throws(() => readStatement(statement(twoSubjects)), code("MALFORMED_SIGNATURE"));
    const dup = {
      ...base,
      predicate: {
        ...base.predicate,
        resources: [...base.predicate.resources, ...base.predicate.resources],
      },
    };
    assert.throws(() => readStatement(statement(dup)), code("MALFORMED_SIGNATURE"));
    const bad = {
      ...base,
      predicate: {
        ...base.predicate,
        resources: [{ name: "a", algorithm: "sha256", digest: "zz" }],
      },
    };
    assert.throws(() => readStatement(statement(bad)), code("MALFORMED_SIGNATURE"));
  });

  it("refuses shard names that are not path:start:end and a fractional shard size", () => {
    const serialization = {
      method: "shards",
      hash_type: "sha256",
      allow_symlinks: false,
      shard_size: 8,
    };
    const badName = {
      ...base,
      predicate: { serialization, resources: [{ name: "a:8:0", algorithm: "x", digest: "00" }] },
    };
    assert.throws(() => readStatement(statement(badName)), code("MALFORMED_SIGNATURE"));
    const badSize = {
      ...base,
      predicate: { serialization: { ...serialization, shard_size: 8.5 }, resources: [] },
    };
    assert.throws(() => readStatement(statement(badSize)), code("MALFORMED_SIGNATURE"));
  });

  it("refuses unknown predicate and statement types as UNSUPPORTED_SIGNATURE", () => {
    assert.throws(
      () => readStatement(statement({ ...base, predicateType: "x" })),
      code("UNSUPPORTED_SIGNATURE"),
    );
    assert.throws(
      () => readStatement(statement({ ...base, _type: "x" })),
      code("UNSUPPORTED_SIGNATURE"),
    );
  });

  it("refuses a payload that is not UTF-8 JSON", () => {
    assert.throws(() => readStatement(Uint8Array.from([0xff, 0xfe])), code("MALFORMED_SIGNATURE"));
  });
});
