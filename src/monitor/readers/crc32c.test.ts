import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32c, maskedCrc32c } from "./crc32c.js";

test("crc32c() gives the CRC-32C check value 0xE3069283 for the digits 1 to 9", () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
});

test("crc32c() of no bytes is 0 and of 32 zero bytes is the RFC 3720 B.4 vector", () => {
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
});

test("maskedCrc32c() rotates right by 15 and adds 0xa282ead8", () => {
  const bytes = new TextEncoder().encode("123456789");
  const c = 0xe3069283;
  const expected = ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;
  assert.equal(maskedCrc32c(bytes), expected);
});
