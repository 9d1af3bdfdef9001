import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deflateSync, gzipSync } from "node:zlib";
import { FormatError } from "../format-error.js";
import { decompressBounded } from "./decompress-bounded.js";

const throwsCode = (fn: () => unknown, code: string): void => {
  assert.throws(fn, (error: unknown) => error instanceof FormatError && error.code === code);
};
const payload = new TextEncoder().encode("some compressible text ".repeat(200));

describe("decompressBounded on malformed input", () => {
  it("reports cut gzip and zlib streams as TRUNCATED", () => {
    const gz = gzipSync(payload);
    const z = deflateSync(payload);
    throwsCode(
      () => decompressBounded("gzip", gz.subarray(0, gz.length - 6), 1 << 20),
      "TRUNCATED",
    );
    throwsCode(() => decompressBounded("zlib", z.subarray(0, 10), 1 << 20), "TRUNCATED");
    throwsCode(() => decompressBounded("gzip", new Uint8Array(), 1 << 20), "TRUNCATED");
  });

  it("reports corrupt streams and garbage after a gzip member as MALFORMED", () => {
    throwsCode(
      () => decompressBounded("zlib", new Uint8Array([0x78, 0x9c, 0xff, 0xff, 0xff]), 100),
      "MALFORMED",
    );
    throwsCode(
      () => decompressBounded("gzip", new Uint8Array([0x1f, 0x8b, 0x09, 0, 0, 0, 0, 0, 0, 3]), 100),
      "MALFORMED",
    );
    const trailing = new Uint8Array([...gzipSync("a"), ...new TextEncoder().encode("junk")]);
    throwsCode(() => decompressBounded("gzip", trailing, 100), "MALFORMED");
  });

  it("reports a wrong zlib checksum as MALFORMED", () => {
    const z = deflateSync(payload);
    z[z.length - 1]! ^= 0xff;
    throwsCode(() => decompressBounded("zlib", z, 1 << 20), "MALFORMED");
  });
});
