import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { crc32 } from "./crc32.js";

describe("crc32", () => {
  it("matches the standard check value for '123456789'", () => {
    // The CRC-32/ISO-HDLC check value from the CRC catalogue.
    assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  });

  it("is 0 for no bytes and continues across chunks", () => {
    assert.equal(crc32(new Uint8Array()), 0);
    const whole = new TextEncoder().encode("hello, world");
    assert.equal(crc32(whole.subarray(5), crc32(whole.subarray(0, 5))), crc32(whole));
  });
});
