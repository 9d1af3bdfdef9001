import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { magicForVersion } from "./magic.js";
import { sipHash24 } from "./siphash.js";
import { sourceHash } from "./source-hash.js";
import { interpreters, runPython } from "./test-support/python.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const bytes = (text: string) => new TextEncoder().encode(text);

/** importlib.util.source_hash(b"x=1\n").hex() printed by each interpreter. */
const RECORDED: readonly (readonly [number, string])[] = [
  [7, "5e9bd3d48344ffeb"],
  [8, "435849b49c105023"],
  [9, "aebb0098f8efd1f2"],
  [10, "a5895a49575becf9"],
  [11, "f71da1d5f9e80d87"],
  [12, "2cf26ebe71328671"],
  [13, "9f719b8a1d6be2fb"],
];

describe("sipHash", () => {
  it("matches the SipHash-2-4 test vector of the paper (appendix A)", () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => i);
    const message = Uint8Array.from({ length: 15 }, (_, i) => i);
    // 0xa129ca6149be45e5, little-endian
    assert.equal(hex(sipHash24(key, message)), "e545be4961ca29a1");
  });

  it("rejects keys that are not 16 bytes", () => {
    assert.throws(() => sipHash24(new Uint8Array(8), new Uint8Array()), RangeError);
  });
});

describe("sourceHash", () => {
  it("matches importlib.util.source_hash as recorded from CPython 3.7 to 3.13", () => {
    for (const [minor, expected] of RECORDED) {
      assert.equal(hex(sourceHash(bytes("x=1\n"), magicForVersion({ major: 3, minor }))), expected);
    }
  });

  it("matches every installed interpreter on inputs of every block remainder", (t) => {
    const available = interpreters();
    if (available.length === 0) {
      t.skip("no python3 interpreter installed");
      return;
    }
    const inputs = Array.from({ length: 20 }, (_, n) => "ab\u00e9\n".repeat(n).slice(0, n * 3));
    const script =
      "import sys, importlib.util\n" +
      "for s in sys.argv[1:]: print(importlib.util.source_hash(s.encode()).hex(), importlib.util.MAGIC_NUMBER.hex())";
    for (const { path } of available) {
      const lines = runPython(path, script, ...inputs)
        .toString()
        .trim()
        .split("\n");
      lines.forEach((line, i) => {
        const [expected, magic] = line.split(" ");
        const actual = sourceHash(bytes(inputs[i]!), Uint8Array.from(Buffer.from(magic!, "hex")));
        assert.equal(hex(actual), expected, `${path} on ${JSON.stringify(inputs[i])}`);
      });
    }
  });
});
