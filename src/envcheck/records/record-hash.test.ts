import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { EnvCheckError } from "../env-error.js";
import { parseRecordHash, parseRecordSize } from "./record-hash.js";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof EnvCheckError ? error.code : "other";
  }
  return undefined;
}

describe("parseRecordHash()", () => {
  const digest = createHash("sha256").update("x").digest();

  it("decodes url-safe base64 without padding to hex", () => {
    assert.deepEqual(parseRecordHash(`sha256=${digest.toString("base64url")}`, "R"), {
      kind: "sha256",
      hex: digest.toString("hex"),
    });
  });

  it("returns other algorithms as unsupported so the file is reported unverified", () => {
    assert.deepEqual(parseRecordHash("sha512=abc", "R"), {
      kind: "unsupported",
      algorithm: "sha512",
    });
  });

  it("refuses padding, standard base64, wrong lengths, non-canonical bits and missing names", () => {
    const b64 = digest.toString("base64url");
    assert.equal(
      code(() => parseRecordHash(`sha256=${b64}=`, "R")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseRecordHash(`sha256=${b64.slice(1)}`, "R")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseRecordHash(`sha256=${"+".repeat(43)}`, "R")),
      "BAD_RECORD",
    );
    // the last character carries 2 unused bits: "B" instead of "A" decodes to the same bytes
    const zero = Buffer.alloc(32).toString("base64url");
    assert.equal(
      code(() => parseRecordHash(`sha256=${zero.slice(0, -1)}B`, "R")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseRecordHash(`=${b64}`, "R")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseRecordHash("nohash", "R")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseRecordHash("SHA 256=x", "R")),
      "BAD_RECORD",
    );
  });
});

describe("parseRecordSize()", () => {
  it("reads decimal byte counts and an empty field", () => {
    assert.equal(parseRecordSize("0", "R"), 0);
    assert.equal(parseRecordSize("1234", "R"), 1234);
    assert.equal(parseRecordSize("", "R"), undefined);
  });

  it("refuses signs, leading zeros, exponents and huge values", () => {
    for (const bad of ["-1", "+1", "01", "1e3", "0x10", "99999999999999999", " 1"]) {
      assert.equal(
        code(() => parseRecordSize(bad, "R")),
        "BAD_RECORD",
        bad,
      );
    }
  });
});
