import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cosignatureSigner, cosignatureVerifier } from "./cosignature.js";
import { ed25519Signer, ed25519Verifier } from "./ed25519-note-key.js";
import { SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519 } from "./key-id.js";
import {
  formatSignerKey,
  formatVerifierKey,
  generateNoteKeys,
  parseSignerKey,
  parseVerifierKey,
} from "./note-keys.js";
import {
  loadGoNoteVectors,
  PETER,
  PUBLISHED_VERIFIER_KEYS,
  WITNESSED,
} from "./test-support/vectors.js";

const vectors = loadGoNoteVectors();
const text = new TextEncoder().encode("hello\n");

describe("note key strings", () => {
  it("parses the Go vector keys and derives key ID 1e8432f8 from name, type and key", () => {
    const signer = parseSignerKey(vectors.signer_key);
    const verifier = parseVerifierKey(vectors.verifier_key);
    assert.equal(signer.name, "example.test/trainguard-vectors");
    assert.equal(signer.keyId, 0x1e8432f8);
    assert.equal(verifier.keyId, 0x1e8432f8);
    assert.equal(verifier.type, SIGNATURE_TYPE_ED25519);
    assert.ok(verifier.verify(text, signer.sign(text)));
  });

  it("formats the Go vector keys back byte for byte from the seed and public key", () => {
    const seed = Buffer.from(vectors.signer_key.split("+").at(-1)!, "base64").subarray(1);
    const publicKey = Buffer.from(vectors.verifier_key.split("+").at(-1)!, "base64").subarray(1);
    assert.equal(formatSignerKey("example.test/trainguard-vectors", 1, seed), vectors.signer_key);
    assert.equal(
      formatVerifierKey("example.test/trainguard-vectors", 1, publicKey),
      vectors.verifier_key,
    );
  });

  it("accepts published keys of other implementations, including a '+' inside the base64", () => {
    for (const key of [...PUBLISHED_VERIFIER_KEYS, WITNESSED.logKey]) {
      const verifier = parseVerifierKey(key);
      assert.equal(verifier.type, SIGNATURE_TYPE_ED25519);
      assert.equal(key.split("+")[1], verifier.keyId.toString(16).padStart(8, "0"));
    }
    assert.equal(parseVerifierKey(WITNESSED.witnessKey).type, SIGNATURE_TYPE_COSIGNATURE_V1);
    assert.equal(parseSignerKey(PETER.signerKey).keyId, 0xc74f20a3);
  });

  it("generateNoteKeys makes working key pairs of both types", () => {
    for (const type of [SIGNATURE_TYPE_ED25519, SIGNATURE_TYPE_COSIGNATURE_V1]) {
      const { signerKey, verifierKey } = generateNoteKeys("ledger.example/test", type);
      const signer = parseSignerKey(signerKey, { now: () => 1_700_000_000 });
      const verifier = parseVerifierKey(verifierKey);
      assert.equal(signer.keyId, verifier.keyId);
      assert.ok(verifier.verify(text, signer.sign(text)));
    }
    const a = generateNoteKeys("x");
    const b = generateNoteKeys("x");
    assert.notEqual(a.signerKey, b.signerKey);
  });

  it("the same key under types 0x01 and 0x04 has different key IDs", () => {
    const seed = new Uint8Array(32).fill(7);
    const ed = parseSignerKey(formatSignerKey("w", SIGNATURE_TYPE_ED25519, seed));
    const co = parseSignerKey(formatSignerKey("w", SIGNATURE_TYPE_COSIGNATURE_V1, seed));
    assert.notEqual(ed.keyId, co.keyId);
  });
});

describe("malformed key strings built in code are refused", () => {
  const good = vectors.verifier_key;
  const [name, hex, b64] = [
    good.slice(0, good.indexOf("+")),
    good.split("+")[1]!,
    good.split("+")[2]!,
  ];
  const raw = Buffer.from(b64, "base64");
  const withKey = (bytes: Uint8Array) => `${name}+${hex}+${Buffer.from(bytes).toString("base64")}`;

  const cases: [string, string, string][] = [
    ["no plus at all", name, "MALFORMED_KEY"],
    ["no key after the ID", `${name}+${hex}`, "MALFORMED_KEY"],
    ["an empty name", `+${hex}+${b64}`, "MALFORMED_KEY"],
    ["a name with a space", `a b+${hex}+${b64}`, "MALFORMED_KEY"],
    ["a name with a no-break space", `a\u00a0b+${hex}+${b64}`, "MALFORMED_KEY"],
    ["a name with a newline", `a\nb+${hex}+${b64}`, "MALFORMED_KEY"],
    ["a 7-digit key ID", `${name}+${hex.slice(1)}+${b64}`, "MALFORMED_KEY"],
    ["an uppercase key ID", `${name}+${hex.toUpperCase()}+${b64}`, "MALFORMED_KEY"],
    ["a 9-digit key ID", `${name}+0${hex}+${b64}`, "MALFORMED_KEY"],
    ["a key ID that is not hex", `${name}+${hex.slice(0, 7)}g+${b64}`, "MALFORMED_KEY"],
    [
      "base64 without its padding",
      withKey(Buffer.concat([raw, Buffer.of(0)])).replace(/=+$/, ""),
      "MALFORMED_KEY",
    ],
    [
      "URL-safe base64",
      `${name}+${hex}+${b64.replace(/\//g, "_").replace(/\+/g, "-")}_`,
      "MALFORMED_KEY",
    ],
    ["base64 with a space", `${name}+${hex}+${b64.slice(0, 4)} ${b64.slice(4)}`, "MALFORMED_KEY"],
    ["a truncated key", withKey(raw.subarray(0, 32)), "MALFORMED_KEY"],
    ["a key with a trailing byte", withKey(Buffer.concat([raw, Buffer.of(0)])), "MALFORMED_KEY"],
    ["no key bytes", `${name}+${hex}+`, "MALFORMED_KEY"],
    [
      "an ECDSA (0x02) key",
      withKey(Buffer.concat([Buffer.of(2), raw.subarray(1)])),
      "UNSUPPORTED_KEY_TYPE",
    ],
    [
      "an unknown 0xff key",
      withKey(Buffer.concat([Buffer.of(0xff), raw.subarray(1)])),
      "UNSUPPORTED_KEY_TYPE",
    ],
    ["a key ID of another key", `${name}+530d903a+${b64}`, "KEY_ID_MISMATCH"],
    ["a key under another name", `other${good.slice(name.length)}`, "KEY_ID_MISMATCH"],
    ["an enormous string", `${name}+${hex}+${"A".repeat(100_000)}`, "MALFORMED_KEY"],
  ];
  for (const [what, key, code] of cases) {
    it(`verifier key with ${what} is ${code}`, () => {
      assert.throws(() => parseVerifierKey(key), { code });
    });
  }

  it("base64 with non-zero padding bits is MALFORMED_KEY", () => {
    // 33 bytes encode without padding, so build a 34-byte key and flip a spare bit of its "=".
    const padded = withKey(Buffer.concat([raw, Buffer.of(0)]));
    const last = padded.at(-3)!;
    const flipped = `${padded.slice(0, -3)}${last === "A" ? "B" : "A"}${padded.slice(-2)}`;
    assert.throws(() => parseVerifierKey(flipped), { code: "MALFORMED_KEY" });
  });

  it("signer keys need the PRIVATE+KEY+ prefix and a matching key ID", () => {
    const skey = vectors.signer_key;
    assert.throws(() => parseSignerKey(skey.replace("PRIVATE+KEY+", "")), {
      code: "MALFORMED_KEY",
    });
    assert.throws(() => parseSignerKey(skey.replace("PRIVATE+", "private+")), {
      code: "MALFORMED_KEY",
    });
    assert.throws(() => parseSignerKey(skey.replace("1e8432f8", "1e8432f9")), {
      code: "KEY_ID_MISMATCH",
    });
    assert.throws(() => parseSignerKey(vectors.verifier_key), { code: "MALFORMED_KEY" });
  });

  it("formatting refuses invalid names and types", () => {
    const key = new Uint8Array(32);
    assert.throws(() => formatVerifierKey("a+b", 1, key), { code: "MALFORMED_KEY" });
    assert.throws(() => formatVerifierKey("", 1, key), { code: "MALFORMED_KEY" });
    assert.throws(() => formatVerifierKey("a", 2, key), { code: "UNSUPPORTED_KEY_TYPE" });
    assert.throws(() => generateNoteKeys("a b"), { code: "MALFORMED_KEY" });
  });
});

describe("raw key material of the wrong size", () => {
  it("is MALFORMED_KEY when formatting or building signers and verifiers", () => {
    for (const bytes of [new Uint8Array(31), new Uint8Array(33), new Uint8Array(0)]) {
      assert.throws(() => formatSignerKey("a", 1, bytes), { code: "MALFORMED_KEY" });
      assert.throws(() => ed25519Signer("a", bytes), { code: "MALFORMED_KEY" });
      assert.throws(() => ed25519Verifier("a", bytes), { code: "MALFORMED_KEY" });
      assert.throws(() => cosignatureSigner("a", bytes), { code: "MALFORMED_KEY" });
      assert.throws(() => cosignatureVerifier("a", bytes), { code: "MALFORMED_KEY" });
    }
  });
});
