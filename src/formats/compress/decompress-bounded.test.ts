import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deflateSync, gzipSync } from "node:zlib";
import { FormatError } from "../format-error.js";
import { decompressBounded } from "./decompress-bounded.js";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const throwsCode = (fn: () => unknown, code: string): void => {
  assert.throws(fn, (error: unknown) => error instanceof FormatError && error.code === code);
};

describe("decompressBounded", () => {
  it("decompresses gzip, including every member of a multi-member file", () => {
    const two = new Uint8Array([...gzipSync("first "), ...gzipSync("second")]);
    assert.equal(text(decompressBounded("gzip", two, 100)), "first second");
  });

  it("decompresses zlib", () => {
    assert.equal(text(decompressBounded("zlib", deflateSync("hello"), 5)), "hello");
  });

  it("stops a decompression bomb at the output cap with LIMIT_EXCEEDED", () => {
    const bomb = gzipSync(new Uint8Array(10_000_000));
    throwsCode(() => decompressBounded("gzip", bomb, 1_000_000), "LIMIT_EXCEEDED");
    throwsCode(() => decompressBounded("zlib", deflateSync("hello"), 4), "LIMIT_EXCEEDED");
  });

  it("stops output past the ratio cap with LIMIT_EXCEEDED", () => {
    const input = deflateSync(new Uint8Array(100_000));
    throwsCode(() => decompressBounded("zlib", input, 1_000_000, 10), "LIMIT_EXCEEDED");
    assert.equal(decompressBounded("zlib", input, 1_000_000, 1000).length, 100_000);
  });

  it("refuses formats Node 20 cannot decompress with UNSUPPORTED", () => {
    for (const kind of ["bzip2", "xz", "lzma", "zstd", "7z"] as const) {
      throwsCode(() => decompressBounded(kind, new Uint8Array(4), 100), "UNSUPPORTED");
    }
  });
});
