import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CryptoError } from "../crypto-error.js";
import { readChildren, readTlv } from "./der-reader.js";

const malformed = (error: unknown) => error instanceof CryptoError && error.code === "MALFORMED";

describe("readTlv() on malformed DER", () => {
  it("reads a short-form and a long-form length", () => {
    assert.deepEqual(readTlv(Uint8Array.from([0x04, 0x01, 0xaa]), 0), { tag: 4, start: 2, end: 3 });
    const long = Uint8Array.from([0x04, 0x81, 0x80, ...new Array(128).fill(0)]);
    assert.deepEqual(readTlv(long, 0), { tag: 4, start: 3, end: 131 });
  });

  it("refuses a length that runs past the end", () => {
    assert.throws(() => readTlv(Uint8Array.from([0x30, 0x05, 0x00]), 0), malformed);
  });

  it("refuses the indefinite form, non-minimal lengths and 5-byte lengths", () => {
    assert.throws(() => readTlv(Uint8Array.from([0x30, 0x80, 0x00, 0x00]), 0), malformed);
    assert.throws(() => readTlv(Uint8Array.from([0x04, 0x81, 0x01, 0xaa]), 0), malformed);
    assert.throws(() => readTlv(Uint8Array.from([0x04, 0x85, 1, 0, 0, 0, 0]), 0), malformed);
  });

  it("refuses a truncated header and high tag numbers", () => {
    assert.throws(() => readTlv(Uint8Array.from([0x30]), 0), malformed);
    assert.throws(() => readTlv(Uint8Array.from([0x1f, 0x01, 0x00]), 0), malformed);
  });

  it("readChildren() bounds the number of elements", () => {
    const bytes = Uint8Array.from([0x30, 0x06, 0x05, 0x00, 0x05, 0x00, 0x05, 0x00]);
    assert.equal(readChildren(bytes, readTlv(bytes, 0)).length, 3);
    assert.throws(() => readChildren(bytes, readTlv(bytes, 0), 2), malformed);
  });
});
