import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { ggmlTensorBytes, readGgufHeader } from "./gguf-header.js";
import { buildGguf, encodeGgufString, LLAMA3_TEMPLATE } from "./test-support/gguf-writer.js";

describe("readGgufHeader()", () => {
  it("reads metadata and tensor infos of a v3 file without reading tensor data", async () => {
    const vocab = ["a", "b", "c"].map(encodeGgufString);
    const bytes = buildGguf({
      kv: [
        ["general.architecture", { type: "string", value: "llama" }],
        ["general.alignment", { type: "u32", value: 64 }],
        ["tokenizer.chat_template", { type: "string", value: LLAMA3_TEMPLATE }],
        [
          "tokenizer.ggml.tokens",
          {
            type: "array",
            itemType: 8,
            count: 3n,
            bytes: Uint8Array.from(vocab.flatMap((v) => [...v])),
          },
        ],
        [
          "tokenizer.ggml.scores",
          { type: "array", itemType: 6, count: 3n, bytes: new Uint8Array(12) },
        ],
      ],
      tensors: [
        { name: "tok.weight", dims: [4n, 2n], type: 0, offset: 0n },
        { name: "q.weight", dims: [32n], type: 8, offset: 64n },
      ],
      alignment: 64,
      dataBytes: 64 + 34,
    });
    const source = new BufferSource(bytes);
    const header = await readGgufHeader(source);
    assert.equal(header.version, 3);
    assert.equal(header.alignment, 64);
    assert.equal(header.metadata.get("general.architecture"), "llama");
    assert.equal(header.metadata.get("tokenizer.chat_template"), LLAMA3_TEMPLATE);
    assert.deepEqual(
      header.tensors.map((t) => t.name),
      ["tok.weight", "q.weight"],
    );
    assert.equal(header.dataOffset % 64, 0);
    assert.equal(header.dataOffset + 64 + 34, bytes.length);
    assert.ok(source.bytesRead <= bytes.length);
  });

  it("reads version 2 files", async () => {
    assert.equal((await readGgufHeader(new BufferSource(buildGguf({ version: 2 })))).version, 2);
  });

  it("sizes quantized tensors by block", () => {
    assert.equal(ggmlTensorBytes({ name: "q", dims: [256n, 2n], type: 12 }), 288n);
  });
});
