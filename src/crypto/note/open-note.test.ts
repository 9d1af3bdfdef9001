import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ed25519FromSeed } from "./ed25519.js";
import { ed25519Signer, ed25519Verifier } from "./ed25519-note-key.js";
import { parseSignerKey, parseVerifierKey } from "./note-keys.js";
import { openNote } from "./open-note.js";
import { appendSignatures, signNote } from "./sign-note.js";
import type { NoteVerifier } from "./signer.js";
import { loadGoNoteVectors, PETER } from "./test-support/vectors.js";

const vectors = loadGoNoteVectors();
const goVerifier = parseVerifierKey(vectors.verifier_key);
const peter = parseVerifierKey(PETER.verifierKey);
const seed = (n: number) => new Uint8Array(32).fill(n);
const signer = (name: string, n: number) => ed25519Signer(name, seed(n));
const verifier = (name: string, n: number) =>
  ed25519Verifier(name, ed25519FromSeed(seed(n)).publicKey);

const alice = signer("alice.example/log", 1);
const aliceKey = verifier("alice.example/log", 1);
const bob = signer("bob.example/witness", 2);
const bobKey = verifier("bob.example/witness", 2);

/** Replaces the base64 of signature line `line` (0-based) with a copy whose byte `at` flips. */
function tamperSignature(note: string, line: number, at: number): string {
  const split = note.lastIndexOf("\n\n") + 2;
  const lines = note.slice(split).split("\n");
  const [dash, name, b64] = lines[line]!.split(" ") as [string, string, string];
  const bytes = Buffer.from(b64, "base64");
  bytes[at]! ^= 0x01;
  lines[line] = `${dash} ${name} ${bytes.toString("base64")}`;
  return note.slice(0, split) + lines.join("\n");
}

describe("openNote", () => {
  it("verifies Go's checkpoint notes and the sumdb/note example", () => {
    for (const { note } of vectors.checkpoints) {
      const opened = openNote(note, [goVerifier]);
      assert.equal(opened.verified.length, 1);
      assert.equal(opened.unverified.length, 0);
    }
    assert.equal(openNote(PETER.note, [peter]).text, PETER.text);
  });

  it("ignores signatures by unknown keys, even one sharing a known key's name or ID", () => {
    const impostor = signer("alice.example/log", 9); // same name, other key (other ID)
    const note = signNote("text\n", [alice, impostor, bob]);
    const opened = openNote(note, [aliceKey]);
    assert.deepEqual(
      opened.verified.map((s) => s.keyId),
      [alice.keyId],
    );
    assert.equal(opened.unverified.length, 2);
    // A signature line with a known key ID under another name is unknown too.
    const renamed = note.replace("— bob.example/witness ", "— carol.example ");
    assert.equal(openNote(renamed, [aliceKey]).unverified.length, 2);
  });

  it("rejects the whole note when a known key's signature fails", () => {
    const note = signNote("text\n", [alice, bob]);
    for (const at of [4, 5, 40, 67]) {
      assert.throws(() => openNote(tamperSignature(note, 1, at), [aliceKey, bobKey]), {
        code: "INVALID_SIGNATURE",
      });
    }
    // Only bob's signature is bad, and alice's alone would verify: still rejected.
    assert.throws(() => openNote(tamperSignature(note, 1, 10), [aliceKey, bobKey]), {
      code: "INVALID_SIGNATURE",
    });
    // Without bob's key, his bad signature is just unknown.
    assert.equal(openNote(tamperSignature(note, 1, 10), [aliceKey]).verified.length, 1);
  });

  it("rejects a note whose text changed after signing", () => {
    const note = vectors.checkpoints[1]!.note;
    assert.throws(() => openNote(note.replace("\n7\n", "\n8\n"), [goVerifier]), {
      code: "INVALID_SIGNATURE",
    });
    assert.throws(() => openNote(note.replace("example.test", "example.tesu"), [goVerifier]), {
      code: "INVALID_SIGNATURE",
    });
  });

  it("flipping any bit of a Go checkpoint signature is INVALID_SIGNATURE", () => {
    const note = vectors.checkpoints[0]!.note;
    for (let at = 4; at < 68; at += 3) {
      assert.throws(() => openNote(tamperSignature(note, 0, at), [goVerifier]), {
        code: "INVALID_SIGNATURE",
      });
    }
  });

  it("flipping a bit of the key ID makes the signature unknown, so nothing verifies", () => {
    const note = vectors.checkpoints[0]!.note;
    assert.throws(() => openNote(tamperSignature(note, 0, 0), [goVerifier]), {
      code: "NO_VERIFIED_SIGNATURE",
    });
  });

  it("requires at least one signature by a known key", () => {
    assert.throws(() => openNote(signNote("text\n", [bob]), [aliceKey]), {
      code: "NO_VERIFIED_SIGNATURE",
    });
    assert.throws(() => openNote(PETER.note, []), { code: "NO_VERIFIED_SIGNATURE" });
  });

  it("refuses two trusted keys with the same name and key ID", () => {
    assert.throws(() => openNote(PETER.note, [peter, peter]), { code: "AMBIGUOUS_VERIFIERS" });
  });

  it("a known key's signature of the wrong length is INVALID_SIGNATURE", () => {
    const note = PETER.note.replace(
      / \S+\n$/,
      ` ${Buffer.from([0xc7, 0x4f, 0x20, 0xa3, 1]).toString("base64")}\n`,
    );
    assert.throws(() => openNote(note, [peter]), { code: "INVALID_SIGNATURE" });
  });

  it("accepts 16 cosigners, as signed-note requires", () => {
    const signers = Array.from({ length: 16 }, (_, i) => signer(`w${i}.example`, i + 10));
    const keys: NoteVerifier[] = signers.map((_, i) => verifier(`w${i}.example`, i + 10));
    const opened = openNote(signNote("checkpoint\n", signers), keys);
    assert.equal(opened.verified.length, 16);
  });
});

describe("signNote and appendSignatures", () => {
  it("signNote reproduces the sumdb/note example signature", () => {
    assert.equal(signNote(PETER.text, [parseSignerKey(PETER.signerKey)]), PETER.note);
  });

  it("appendSignatures keeps existing lines and adds new ones after them", () => {
    const once = signNote("text\n", [alice]);
    const twice = appendSignatures(once, [bob]);
    assert.ok(twice.startsWith(once));
    assert.equal(openNote(twice, [aliceKey, bobKey]).verified.length, 2);
  });

  it("appendSignatures refuses to sign twice with the same key", () => {
    assert.throws(() => appendSignatures(signNote("text\n", [alice]), [alice]), {
      code: "DUPLICATE_SIGNATURE",
    });
  });

  it("signNote refuses text that is not note text", () => {
    assert.throws(() => signNote("no newline", [alice]), { code: "MALFORMED_NOTE" });
    assert.throws(() => signNote("a\u0000\n", [alice]), { code: "MALFORMED_NOTE" });
    assert.throws(() => signNote("text\n", []), { code: "MALFORMED_NOTE" });
  });
});
