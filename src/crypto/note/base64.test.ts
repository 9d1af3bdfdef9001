import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeBase64Strict, encodeBase64 } from "./base64.js";

describe("strict base64 (RFC 4648 §4)", () => {
  it("decodes canonical base64 of every length", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) % 256);
      assert.deepEqual(decodeBase64Strict(encodeBase64(bytes)), bytes);
    }
  });

  it("refuses every other spelling Buffer.from would accept", () => {
    for (const text of [
      "AQI", // missing padding
      "AQ", // missing padding
      "AQJ=", // non-zero padding bits
      "AR==", // non-zero padding bits
      "AQ==AQ==", // padding in the middle
      "AQ=", // short padding
      "A===",
      "AQI=\n",
      " AQI=",
      "AQ I=",
      "_-8=", // URL-safe alphabet
      "AQI=====",
      "ÀQI=",
    ]) {
      assert.equal(decodeBase64Strict(text), undefined, JSON.stringify(text));
    }
  });
});
