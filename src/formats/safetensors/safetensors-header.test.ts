import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { readSafetensorsHeader, tensorByteSize } from "./safetensors-header.js";
import { parseStrictJson } from "./strict-json.js";
import { buildSafetensors, validSafetensors } from "./test-support/safetensors-writer.js";

describe("readSafetensorsHeader()", () => {
  it("reads tensors and metadata and never reads tensor data", async () => {
    const bytes = validSafetensors();
    const source = new BufferSource(bytes);
    const header = await readSafetensorsHeader(source);
    assert.deepEqual(
      header.tensors.map((t) => [
        t.name,
        t.dtype,
        t.shape.map(Number),
        Number(t.begin),
        Number(t.end),
      ]),
      [
        ["weight", "F32", [2, 2], 0, 16],
        ["bias", "U8", [3], 16, 19],
      ],
    );
    assert.equal(header.metadata.get("format"), "pt");
    assert.equal(source.bytesRead, 8 + header.headerSize);
  });

  it("accepts an empty file, trailing space padding, null metadata and zero-size tensors", async () => {
    await readSafetensorsHeader(new BufferSource(buildSafetensors("{}      ")));
    // Leading whitespace: serde_json accepts it, and so does the reference (no '{' check).
    await readSafetensorsHeader(new BufferSource(buildSafetensors("\n {}")));
    await readSafetensorsHeader(
      new BufferSource(
        buildSafetensors({
          __metadata__: null,
          e: { dtype: "F16", shape: [0, 3], data_offsets: [0, 0] },
        }),
      ),
    );
  });

  it("sizes sub-byte dtypes in bits", () => {
    assert.equal(tensorByteSize({ name: "a", dtype: "F4", shape: [4n] }), 2n);
    assert.equal(tensorByteSize({ name: "a", dtype: "F6_E2M3", shape: [4n] }), 3n);
  });
});

describe("parseStrictJson()", () => {
  it("keeps integers exact as bigint and reads escapes", () => {
    const value = parseStrictJson(
      '{"n": 18446744073709551615, "s": "a\\u00e9\\n", "f": 1.5e3}',
      "t",
    );
    assert.ok(value instanceof Map);
    assert.equal(value.get("n"), 18446744073709551615n);
    assert.equal(value.get("s"), "aé\n");
    assert.equal(value.get("f"), 1500);
  });
});
