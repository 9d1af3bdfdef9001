import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { DEFAULT_GGUF_LIMITS, readGgufHeader } from "./gguf-header.js";
import { buildGguf, encodeGgufString } from "./test-support/gguf-writer.js";

const isCode = (code: string) => (error: unknown) =>
  error instanceof FormatError && error.code === code;
const read = (bytes: Uint8Array) => readGgufHeader(new BufferSource(bytes));
const F32 = 0;

describe("readGgufHeader on malformed input", () => {
  it("rejects bad magic as MALFORMED and short inputs as TRUNCATED", async () => {
    await assert.rejects(read(buildGguf({ magic: "GGUG" })), isCode("MALFORMED"));
    await assert.rejects(read(buildGguf().subarray(0, 10)), isCode("TRUNCATED"));
  });

  it("rejects version 1 and unknown versions as UNSUPPORTED", async () => {
    for (const version of [1, 4, 0xffff_ffff]) {
      await assert.rejects(read(buildGguf({ version })), isCode("UNSUPPORTED"));
    }
  });

  it("rejects huge tensor and key/value counts as LIMIT_EXCEEDED before reading on", async () => {
    const source = new BufferSource(buildGguf({ tensorCount: 1n << 60n }));
    await assert.rejects(readGgufHeader(source), isCode("LIMIT_EXCEEDED"));
    await assert.rejects(read(buildGguf({ kvCount: 100_001n })), isCode("LIMIT_EXCEEDED"));
  });

  it("rejects counts larger than the entries present as TRUNCATED", async () => {
    await assert.rejects(read(buildGguf({ kvCount: 5n })), isCode("TRUNCATED"));
  });

  it("rejects a string length over the bound as LIMIT_EXCEEDED", async () => {
    const bytes = buildGguf({ kv: [["a", { type: "string", value: "x" }]] });
    new DataView(bytes.buffer).setBigUint64(24 + 9 + 4, 1n << 40n, true);
    await assert.rejects(read(bytes), isCode("LIMIT_EXCEEDED"));
  });

  it("rejects keys that are not UTF-8, unknown value types and bad bools as MALFORMED", async () => {
    const bad = buildGguf({ kv: [["ab", { type: "u32", value: 1 }]] });
    bad[24 + 8] = 0xff;
    await assert.rejects(read(bad), isCode("MALFORMED"));
    const raw = { type: "raw", id: 13, bytes: new Uint8Array(8) } as const;
    await assert.rejects(read(buildGguf({ kv: [["a", raw]] })), isCode("MALFORMED"));
    await assert.rejects(
      read(buildGguf({ kv: [["a", { type: "bool", value: 2 }]] })),
      isCode("MALFORMED"),
    );
  });

  it("rejects duplicate keys and a non-u32 or non-power-of-two alignment as MALFORMED", async () => {
    const one = { type: "u32", value: 1 } as const;
    await assert.rejects(
      read(
        buildGguf({
          kv: [
            ["a", one],
            ["a", one],
          ],
        }),
      ),
      isCode("MALFORMED"),
    );
    await assert.rejects(
      read(buildGguf({ kv: [["general.alignment", { type: "u32", value: 24 }]] })),
      isCode("MALFORMED"),
    );
    await assert.rejects(
      read(buildGguf({ kv: [["general.alignment", { type: "string", value: "32" }]] })),
      isCode("MALFORMED"),
    );
  });

  it("rejects arrays nested too deep or too long as LIMIT_EXCEEDED", async () => {
    // An array of arrays of arrays ...: each level is item type 9 and count 1.
    const level = [9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
    const nested = Uint8Array.from(Array.from({ length: 20 }, () => level).flat());
    await assert.rejects(
      read(buildGguf({ kv: [["a", { type: "raw", id: 9, bytes: nested }]] })),
      isCode("LIMIT_EXCEEDED"),
    );
    const long = { type: "array", itemType: 4, count: 1n << 50n, bytes: new Uint8Array() } as const;
    await assert.rejects(read(buildGguf({ kv: [["a", long]] })), isCode("LIMIT_EXCEEDED"));
  });

  it("rejects an array of strings that ends early as TRUNCATED", async () => {
    const strings = {
      type: "array",
      itemType: 8,
      count: 3n,
      bytes: encodeGgufString("x"),
    } as const;
    await assert.rejects(read(buildGguf({ kv: [["a", strings]] })), isCode("TRUNCATED"));
  });

  it("rejects a metadata region over the bound as LIMIT_EXCEEDED", async () => {
    const bytes = buildGguf({ kv: [["a", { type: "string", value: "x".repeat(4096) }]] });
    const limits = { ...DEFAULT_GGUF_LIMITS, maxMetadataBytes: 1024 };
    await assert.rejects(readGgufHeader(new BufferSource(bytes), limits), isCode("LIMIT_EXCEEDED"));
  });

  it("rejects tensors with too many dims, unaligned offsets or duplicate names as MALFORMED", async () => {
    const t = (name: string, offset: bigint, dims = [4n]) => ({ name, dims, type: F32, offset });
    await assert.rejects(
      read(buildGguf({ tensors: [t("a", 0n, [1n, 1n, 1n, 1n, 1n])], dataBytes: 64 })),
      isCode("MALFORMED"),
    );
    await assert.rejects(
      read(buildGguf({ tensors: [t("a", 4n)], dataBytes: 64 })),
      isCode("MALFORMED"),
    );
    await assert.rejects(
      read(buildGguf({ tensors: [t("a", 0n), t("a", 32n)], dataBytes: 64 })),
      isCode("MALFORMED"),
    );
  });

  it("rejects tensor data past the end of the file as TRUNCATED and unknown types as UNSUPPORTED", async () => {
    const t = { name: "a", dims: [64n], type: F32, offset: 0n };
    await assert.rejects(read(buildGguf({ tensors: [t], dataBytes: 100 })), isCode("TRUNCATED"));
    await assert.rejects(
      read(buildGguf({ tensors: [{ ...t, type: 4 }], dataBytes: 256 })),
      isCode("UNSUPPORTED"),
    );
    await assert.rejects(
      read(buildGguf({ tensors: [{ ...t, dims: [1n << 40n, 1n << 40n] }] })),
      isCode("LIMIT_EXCEEDED"),
    );
  });
});
