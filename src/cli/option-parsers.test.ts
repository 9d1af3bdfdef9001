import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidArgumentError } from "@commander-js/extra-typings";
import { collect, parsePositiveInteger } from "./option-parsers.js";

describe("parsePositiveInteger()", () => {
  it("accepts plain decimal digits", () => {
    assert.equal(parsePositiveInteger("1"), 1);
    assert.equal(parsePositiveInteger("5000000"), 5_000_000);
    assert.equal(parsePositiveInteger(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  });

  for (const value of [
    "0",
    "-1",
    "+5",
    "07",
    "1.5",
    "1e3",
    "0x10",
    " 1",
    "",
    "abc",
    "9007199254740993",
  ]) {
    it(`refuses ${JSON.stringify(value)} with InvalidArgumentError`, () => {
      assert.throws(() => parsePositiveInteger(value), InvalidArgumentError);
    });
  }
});

describe("collect()", () => {
  it("appends each repeated value in order", () => {
    assert.deepEqual(collect("b", collect("a", undefined)), ["a", "b"]);
  });
});
