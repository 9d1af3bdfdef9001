import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cosignatureMessage,
  cosignatureSigner,
  cosignatureVerifier,
  parseCosignature,
} from "./cosignature.js";
import { ed25519FromSeed } from "./ed25519.js";
import { SIGNATURE_TYPE_COSIGNATURE_V1 } from "./key-id.js";
import { parseNote } from "./note.js";
import { formatSignerKey, parseSignerKey, parseVerifierKey } from "./note-keys.js";
import { openCheckpoint } from "./open-checkpoint.js";
import { openNote } from "./open-note.js";
import { appendSignatures } from "./sign-note.js";
import { loadGoNoteVectors, VECTORS_ORIGIN, WITNESSED } from "./test-support/vectors.js";

const vectors = loadGoNoteVectors();
const logVerifier = parseVerifierKey(vectors.verifier_key);
const seed = new Uint8Array(32).fill(3);
const witness = cosignatureSigner("witness.example/w1", seed, () => 1_700_000_000);
const witnessKey = cosignatureVerifier("witness.example/w1", ed25519FromSeed(seed).publicKey);

describe("tlog-cosignature/v1", () => {
  it("the signed message is the header, the time line and the checkpoint text", () => {
    const text = new TextEncoder().encode("origin\n5\nAAAA\n");
    assert.equal(
      Buffer.from(cosignatureMessage(1679315147, text)).toString("utf8"),
      "cosignature/v1\ntime 1679315147\norigin\n5\nAAAA\n",
    );
  });

  it("verifies a real cosignature from the public witness network and reads its time", () => {
    const remora = parseVerifierKey(WITNESSED.witnessKey);
    const { note } = openCheckpoint(WITNESSED.note, WITNESSED.origin, [remora]);
    assert.equal(note.verified.length, 1);
    assert.equal(parseCosignature(note.verified[0]!.signature).time, WITNESSED.witnessTime);
  });

  it("a witness cosigns a Go vector checkpoint and both signatures verify", () => {
    const cosigned = appendSignatures(vectors.checkpoints[2]!.note, [witness]);
    const { note } = openCheckpoint(cosigned, VECTORS_ORIGIN, [logVerifier, witnessKey]);
    assert.equal(note.verified.length, 2);
    const cosignature = parseCosignature(note.verified[1]!.signature);
    assert.equal(cosignature.time, 1_700_000_000);
    assert.equal(cosignature.signature.length, 64);
  });

  it("the signature is the big-endian u64 time followed by the Ed25519 signature", () => {
    const sig = witness.sign(new TextEncoder().encode("x\n"));
    assert.equal(sig.length, 72);
    assert.equal(Buffer.from(sig.subarray(0, 8)).readBigUInt64BE(0), 1_700_000_000n);
  });

  it("changing the time or the checkpoint text breaks the cosignature", () => {
    const cosigned = appendSignatures(vectors.checkpoints[2]!.note, [witness]);
    const sig = parseNote(cosigned).signatures[1]!;
    const bytes = Uint8Array.from(sig.signature);
    bytes[7]! ^= 1; // time 1_700_000_001: the signed message changes with it
    const text = new TextEncoder().encode(parseNote(cosigned).text);
    assert.equal(witnessKey.verify(text, sig.signature), true);
    assert.equal(witnessKey.verify(text, bytes), false);
    assert.equal(witnessKey.verify(new TextEncoder().encode("other\n"), sig.signature), false);
    assert.throws(() => openNote(cosigned.replace("\n32\n", "\n33\n"), [witnessKey]), {
      code: "INVALID_SIGNATURE",
    });
  });

  it("a cosigner's key ID uses type 0x04, so an Ed25519 verifier ignores its lines", () => {
    const cosigned = appendSignatures(vectors.checkpoints[0]!.note, [witness]);
    assert.equal(witnessKey.type, SIGNATURE_TYPE_COSIGNATURE_V1);
    const opened = openNote(cosigned, [logVerifier]);
    assert.equal(opened.unverified.length, 1);
  });

  it("parses a 0x04 signer key and stamps the clock's time", () => {
    const key = formatSignerKey("w", SIGNATURE_TYPE_COSIGNATURE_V1, seed);
    const signer = parseSignerKey(key, { now: () => 42 });
    assert.equal(parseCosignature(signer.sign(Uint8Array.of(0x0a))).time, 42);
  });
});

describe("malformed cosignatures built in code", () => {
  it("wrong lengths are MALFORMED_COSIGNATURE, and verify() returns false", () => {
    for (const length of [0, 8, 64, 71, 73]) {
      assert.throws(() => parseCosignature(new Uint8Array(length)), {
        code: "MALFORMED_COSIGNATURE",
      });
      assert.equal(witnessKey.verify(Uint8Array.of(0x0a), new Uint8Array(length)), false);
    }
  });

  it("a time past 2^53 - 1 is MALFORMED_COSIGNATURE", () => {
    const bytes = new Uint8Array(72);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n - 1n);
    assert.throws(() => parseCosignature(bytes), { code: "MALFORMED_COSIGNATURE" });
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 53n);
    assert.throws(() => parseCosignature(bytes), { code: "MALFORMED_COSIGNATURE" });
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 53n - 1n);
    assert.equal(parseCosignature(bytes).time, 2 ** 53 - 1);
  });

  it("a clock giving a negative or fractional time cannot sign", () => {
    for (const time of [-1, 1.5, Number.NaN]) {
      const bad = cosignatureSigner("w", seed, () => time);
      assert.throws(() => bad.sign(Uint8Array.of(0x0a)), { code: "MALFORMED_COSIGNATURE" });
    }
  });
});
