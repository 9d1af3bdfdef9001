import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatNote, MAX_NOTE_SIGNATURES, MAX_NOTE_SIZE, parseNote } from "./note.js";
import { loadGoNoteVectors, PETER, WITNESSED } from "./test-support/vectors.js";

const vectors = loadGoNoteVectors();
const SIG = "— a AAAAAQE=\n"; // key name "a", key ID 1, one signature byte

describe("parseNote and formatNote", () => {
  it("split Go's checkpoint notes and put them back together byte for byte", () => {
    for (const { note } of [
      ...vectors.checkpoints,
      { note: PETER.note },
      { note: WITNESSED.note },
    ]) {
      const parsed = parseNote(note);
      assert.equal(formatNote(parsed.text, parsed.signatures), note);
    }
    const peter = parseNote(PETER.note);
    assert.equal(peter.text, PETER.text);
    assert.deepEqual(
      peter.signatures.map((s) => [s.name, s.keyId, s.signature.length]),
      [["PeterNeumann", 0xc74f20a3, 64]],
    );
  });

  it("the text ends at the last blank line, so it may hold blank lines itself", () => {
    assert.equal(parseNote(`a\n\nb\n\n\n${SIG}`).text, "a\n\nb\n\n");
    assert.equal(parseNote(`\n\n${SIG}`).text, "\n");
  });

  it("reads bytes as UTF-8 without dropping a byte-order mark", () => {
    const bytes = new TextEncoder().encode(`\ufeffx\n\n${SIG}`);
    assert.equal(parseNote(bytes).text, "\ufeffx\n");
  });

  it("accepts 100 signatures", () => {
    const lines = Array.from({ length: MAX_NOTE_SIGNATURES }, (_, i) => `— k${i} AAAAAQE=\n`);
    assert.equal(parseNote(`t\n\n${lines.join("")}`).signatures.length, 100);
  });
});

describe("parseNote refuses malformed notes built in code", () => {
  const cases: [string, string | Uint8Array, string][] = [
    ["an empty note", "", "MALFORMED_NOTE"],
    ["no blank line", `text\n${SIG}`, "MALFORMED_NOTE"],
    ["no signature", "text\n\n", "MALFORMED_NOTE"],
    ["a signature line without its newline", `text\n\n${SIG.slice(0, -1)}`, "MALFORMED_NOTE"],
    ["a blank line after the signatures", `text\n\n${SIG}\n`, "MALFORMED_NOTE"],
    ["a hyphen instead of an em dash", `text\n\n- a AAAAAQE=\n`, "MALFORMED_NOTE"],
    ["an en dash", `text\n\n\u2013 a AAAAAQE=\n`, "MALFORMED_NOTE"],
    ["no space after the dash", `text\n\n—a AAAAAQE=\n`, "MALFORMED_NOTE"],
    ["two spaces after the name", `text\n\n— a  AAAAAQE=\n`, "MALFORMED_NOTE"],
    ["no signature after the name", `text\n\n— a\n`, "MALFORMED_NOTE"],
    ["an empty key name", `text\n\n—  AAAAAQE=\n`, "MALFORMED_NOTE"],
    ["a name with a plus", `text\n\n— a+b AAAAAQE=\n`, "MALFORMED_NOTE"],
    ["a signature of only a key ID", `text\n\n— a AAAAAQ==\n`, "MALFORMED_NOTE"],
    ["an empty signature", `text\n\n— a \n`, "MALFORMED_NOTE"],
    ["base64 with a trailing space", `text\n\n— a AAAAAQE= \n`, "MALFORMED_NOTE"],
    ["unpadded base64", `text\n\n— a AAAAAQE\n`, "MALFORMED_NOTE"],
    ["non-zero padding bits", `text\n\n— a AAAAAQF=\n`, "MALFORMED_NOTE"],
    ["a carriage return", `text\r\n\n${SIG}`, "MALFORMED_NOTE"],
    ["a tab", `te\txt\n\n${SIG}`, "MALFORMED_NOTE"],
    ["a NUL byte", `te\u0000xt\n\n${SIG}`, "MALFORMED_NOTE"],
    ["a lone surrogate", `te\ud800xt\n\n${SIG}`, "MALFORMED_NOTE"],
    [
      "invalid UTF-8 bytes",
      Uint8Array.of(0x74, 0xff, 0x0a, 0x0a, ...Buffer.from(SIG)),
      "MALFORMED_NOTE",
    ],
    [
      "an overlong UTF-8 newline",
      Uint8Array.of(0x74, 0xc0, 0x8a, 0x0a, 0x0a, ...Buffer.from(SIG)),
      "MALFORMED_NOTE",
    ],
    ["the same key twice", `text\n\n${SIG}${SIG}`, "DUPLICATE_SIGNATURE"],
    ["the same key twice with other bytes", `text\n\n${SIG}— a AAAAAQI=\n`, "DUPLICATE_SIGNATURE"],
    [
      "101 signatures",
      `t\n\n${Array.from({ length: 101 }, (_, i) => `— k${i} AAAAAQE=\n`).join("")}`,
      "LIMIT_EXCEEDED",
    ],
    ["a note over 1 MiB", `${"x".repeat(MAX_NOTE_SIZE)}\n\n${SIG}`, "LIMIT_EXCEEDED"],
    ["bytes over 1 MiB", new Uint8Array(MAX_NOTE_SIZE + 1).fill(0x78), "LIMIT_EXCEEDED"],
  ];
  for (const [what, note, code] of cases) {
    it(`${what} is ${code}`, () => {
      assert.throws(() => parseNote(note), { code });
    });
  }
});

describe("formatNote refuses what could not be parsed back", () => {
  const sig = { name: "a", keyId: 1, signature: Uint8Array.of(1) };
  it("text without a final newline, with a control character, or no signatures", () => {
    assert.throws(() => formatNote("text", [sig]), { code: "MALFORMED_NOTE" });
    assert.throws(() => formatNote("te\u0007xt\n", [sig]), { code: "MALFORMED_NOTE" });
    assert.throws(() => formatNote("text\n", []), { code: "MALFORMED_NOTE" });
    assert.throws(() => formatNote("text\n", [{ ...sig, name: "a b" }]), {
      code: "MALFORMED_NOTE",
    });
  });
});
