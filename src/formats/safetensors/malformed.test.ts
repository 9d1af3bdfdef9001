import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { readSafetensorsHeader } from "./safetensors-header.js";
import { parseStrictJson } from "./strict-json.js";
import { buildSafetensors } from "./test-support/safetensors-writer.js";

const isCode = (code: string) => (error: unknown) =>
  error instanceof FormatError && error.code === code;
const read = (bytes: Uint8Array) => readSafetensorsHeader(new BufferSource(bytes));
const tensor = (dtype: string, shape: unknown[], offsets: unknown[]) => ({
  dtype,
  shape,
  data_offsets: offsets,
});

describe("readSafetensorsHeader on malformed input", () => {
  it("rejects inputs shorter than the length prefix as TRUNCATED", async () => {
    await assert.rejects(read(new Uint8Array(5)), isCode("TRUNCATED"));
  });

  it("rejects a header length over 100,000,000 as LIMIT_EXCEEDED without reading it", async () => {
    const source = new BufferSource(buildSafetensors("{}", 0, 100_000_001n));
    await assert.rejects(readSafetensorsHeader(source), isCode("LIMIT_EXCEEDED"));
    assert.equal(source.bytesRead, 8);
    await assert.rejects(read(buildSafetensors("{}", 0, 1n << 63n)), isCode("LIMIT_EXCEEDED"));
  });

  it("rejects a header length past the end of the file as TRUNCATED", async () => {
    await assert.rejects(read(buildSafetensors("{}", 0, 3n)), isCode("TRUNCATED"));
  });

  it("rejects invalid UTF-8, a non-object and trailing characters as MALFORMED", async () => {
    const bad = buildSafetensors('{"a":"xx"}');
    bad[14] = 0xff;
    await assert.rejects(read(bad), isCode("MALFORMED"));
    await assert.rejects(read(buildSafetensors("[]")), isCode("MALFORMED"));
    await assert.rejects(read(buildSafetensors("{} x")), isCode("MALFORMED"));
    await assert.rejects(read(buildSafetensors('{"a":')), isCode("MALFORMED"));
  });

  it("rejects duplicate keys as MALFORMED", async () => {
    const header = `{"a":${JSON.stringify(tensor("U8", [1], [0, 1]))},"a":${JSON.stringify(tensor("U8", [1], [0, 1]))}}`;
    await assert.rejects(read(buildSafetensors(header, 1)), isCode("MALFORMED"));
  });

  it("rejects __metadata__ that is not a string-to-string object as MALFORMED", async () => {
    await assert.rejects(read(buildSafetensors({ __metadata__: { a: 1 } })), isCode("MALFORMED"));
    await assert.rejects(read(buildSafetensors({ __metadata__: ["a"] })), isCode("MALFORMED"));
  });

  it("rejects unknown dtypes and bad shapes or offsets as MALFORMED", async () => {
    const cases: object[] = [
      { t: tensor("F128", [1], [0, 16]) },
      { t: tensor("F32", [-1], [0, 4]) },
      { t: tensor("F32", [1.5], [0, 4]) },
      { t: tensor("F32", [1], [0]) },
      { t: tensor("F32", [1], [0, 4, 8]) },
      { t: "F32" },
    ];
    for (const header of cases)
      await assert.rejects(read(buildSafetensors(header, 16)), isCode("MALFORMED"));
  });

  it("rejects a byte range that does not match shape × dtype size as MALFORMED", async () => {
    await assert.rejects(
      read(buildSafetensors({ t: tensor("F32", [2], [0, 4]) }, 4)),
      isCode("MALFORMED"),
    );
    // 2^62 × 2^3 elements of 4 bytes overflows u64.
    const huge = { t: tensor("F32", [2 ** 62, 8], [0, 0]) };
    await assert.rejects(
      read(
        buildSafetensors(
          JSON.stringify(huge).replace("4611686018427388000", "4611686018427387904"),
        ),
      ),
      isCode("MALFORMED"),
    );
    // 3 F4 elements are 12 bits: not whole bytes.
    await assert.rejects(
      read(buildSafetensors({ t: tensor("F4", [3], [0, 1]) }, 1)),
      isCode("MALFORMED"),
    );
  });

  it("rejects gaps, overlaps, a start past 0, and bytes after the last tensor as MALFORMED", async () => {
    const cases: [object, number][] = [
      [{ a: tensor("U8", [2], [0, 2]), b: tensor("U8", [2], [3, 5]) }, 5],
      [{ a: tensor("U8", [2], [0, 2]), b: tensor("U8", [2], [1, 3]) }, 3],
      [{ a: tensor("U8", [2], [1, 3]) }, 3],
      [{ a: tensor("U8", [2], [0, 2]) }, 3],
      [{ a: tensor("U8", [2], [0, 2]) }, 1],
      [{ a: tensor("U8", [0], [2, 1]) }, 2],
    ];
    for (const [header, data] of cases) {
      await assert.rejects(read(buildSafetensors(header, data)), isCode("MALFORMED"));
    }
  });
});

describe("parseStrictJson on malformed input", () => {
  it("rejects nesting past the serde_json limit as LIMIT_EXCEEDED", () => {
    assert.throws(
      () => parseStrictJson("[".repeat(200) + "]".repeat(200), "t"),
      isCode("LIMIT_EXCEEDED"),
    );
  });

  it("rejects bad escapes, control characters and bare words as MALFORMED", () => {
    for (const text of ['"\\q"', '"a\u0001"', "tru", "01", "-", "{'a':1}", "[1,]"]) {
      assert.throws(() => parseStrictJson(text, "t"), isCode("MALFORMED"), text);
    }
  });
});
