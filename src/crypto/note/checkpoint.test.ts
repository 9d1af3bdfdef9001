import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from "./checkpoint.js";
import { parseSignerKey, parseVerifierKey } from "./note-keys.js";
import { openCheckpoint, signCheckpoint } from "./open-checkpoint.js";
import { signNote } from "./sign-note.js";
import { loadGoNoteVectors, VECTORS_ORIGIN, WITNESSED } from "./test-support/vectors.js";

const vectors = loadGoNoteVectors();
const signer = parseSignerKey(vectors.signer_key);
const verifier = parseVerifierKey(vectors.verifier_key);
const root = new Uint8Array(32).fill(0xab);
const ROOT64 = Buffer.from(root).toString("base64");

describe("signed checkpoints", () => {
  it("signing the vector checkpoints with the Go key gives Go's notes exactly", () => {
    assert.equal(vectors.checkpoints.length, 4);
    for (const { note, size } of vectors.checkpoints) {
      const checkpoint: Checkpoint = {
        origin: VECTORS_ORIGIN,
        size: Number(size),
        rootHash: new Uint8Array(Buffer.from(vectors.roots[Number(size) - 1]!, "base64")),
        extensions: [],
      };
      assert.equal(signCheckpoint(checkpoint, [signer]), note);
    }
  });

  it("openCheckpoint verifies each vector note with the Go verifier key", () => {
    for (const { note, size } of vectors.checkpoints) {
      const { checkpoint } = openCheckpoint(note, VECTORS_ORIGIN, [verifier]);
      assert.equal(checkpoint.size, Number(size));
      assert.equal(
        Buffer.from(checkpoint.rootHash).toString("base64"),
        vectors.roots[Number(size) - 1],
      );
    }
  });

  it("a validly signed checkpoint of another log is ORIGIN_MISMATCH", () => {
    const note = vectors.checkpoints[0]!.note;
    assert.throws(() => openCheckpoint(note, "example.test/other", [verifier]), {
      code: "ORIGIN_MISMATCH",
    });
  });

  it("opens a real witnessed checkpoint with the log's key", () => {
    const { checkpoint, note } = openCheckpoint(WITNESSED.note, WITNESSED.origin, [
      parseVerifierKey(WITNESSED.logKey),
    ]);
    assert.equal(checkpoint.size, 1432088532);
    assert.equal(note.verified.length, 1);
    assert.equal(note.unverified.length, 5);
  });

  it("round-trips extension lines", () => {
    const cp = { origin: "o", size: 0, rootHash: root, extensions: ["ext one", "— x"] };
    const text = formatCheckpoint(cp);
    assert.equal(text, `o\n0\n${ROOT64}\next one\n— x\n`);
    assert.deepEqual(parseCheckpoint(text), cp);
  });
});

describe("parseCheckpoint refuses malformed checkpoints built in code", () => {
  const cases: [string, string, string][] = [
    ["two lines", `o\n5\n`, "MALFORMED_CHECKPOINT"],
    ["no final newline", `o\n5\n${ROOT64}`, "MALFORMED_CHECKPOINT"],
    ["an empty origin", `\n5\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["an empty extension line", `o\n5\n${ROOT64}\n\next\n`, "MALFORMED_CHECKPOINT"],
    ["a trailing empty line", `o\n5\n${ROOT64}\n\n`, "MALFORMED_CHECKPOINT"],
    ["a leading zero", `o\n05\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["a plus sign", `o\n+5\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["a negative size", `o\n-5\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["a hex size", `o\n0x5\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["an exponent", `o\n5e3\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["a space after the size", `o\n5 \n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["Arabic-Indic digits", `o\n\u0665\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["a size of 2^53", `o\n9007199254740992\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["a size of 2^64", `o\n18446744073709551616\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["a 31-byte root", `o\n5\n${Buffer.alloc(31).toString("base64")}\n`, "MALFORMED_CHECKPOINT"],
    ["a 33-byte root", `o\n5\n${Buffer.alloc(33).toString("base64")}\n`, "MALFORMED_CHECKPOINT"],
    ["an unpadded root", `o\n5\n${ROOT64.replace("=", "")}\n`, "MALFORMED_CHECKPOINT"],
    ["a hex root", `o\n5\n${Buffer.from(root).toString("hex")}\n`, "MALFORMED_CHECKPOINT"],
    ["a carriage return", `o\r\n5\n${ROOT64}\n`, "MALFORMED_CHECKPOINT"],
    ["17 extension lines", `o\n5\n${ROOT64}\n${"e\n".repeat(17)}`, "LIMIT_EXCEEDED"],
  ];
  for (const [what, text, code] of cases) {
    it(`${what} is ${code}`, () => {
      assert.throws(() => parseCheckpoint(text), { code });
    });
  }

  it("the largest safe size is accepted", () => {
    assert.equal(parseCheckpoint(`o\n9007199254740991\n${ROOT64}\n`).size, 2 ** 53 - 1);
  });

  it("formatCheckpoint refuses lines that would not parse back", () => {
    const base = { origin: "o", size: 1, rootHash: root, extensions: [] as string[] };
    for (const bad of [
      { ...base, origin: "" },
      { ...base, origin: "a\nb" },
      { ...base, size: -1 },
      { ...base, size: 2 ** 53 },
      { ...base, rootHash: new Uint8Array(31) },
      { ...base, extensions: [""] },
      { ...base, extensions: ["a\nb"] },
    ]) {
      assert.throws(() => formatCheckpoint(bad), { code: "MALFORMED_CHECKPOINT" });
    }
  });

  it("a signed note whose text is not a checkpoint is MALFORMED_CHECKPOINT", () => {
    const note = signNote("just text\n", [signer]);
    assert.throws(() => openCheckpoint(note, "just text", [verifier]), {
      code: "MALFORMED_CHECKPOINT",
    });
  });
});
