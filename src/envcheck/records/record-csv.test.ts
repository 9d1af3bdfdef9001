import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EnvCheckError } from "../env-error.js";
import { parseCsv } from "./record-csv.js";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof EnvCheckError ? error.code : "other";
  }
  return undefined;
}

describe("parseCsv()", () => {
  it("reads rows ended by LF or CRLF, quoted fields with commas and doubled quotes", () => {
    const text = 'a.py,sha256=x,1\r\n"b,c.py",,\n"say ""hi"".py",sha256=y,2\n\n';
    assert.deepEqual(parseCsv(text, "RECORD"), [
      ["a.py", "sha256=x", "1"],
      ["b,c.py", "", ""],
      ['say "hi".py', "sha256=y", "2"],
    ]);
  });

  it("keeps a last row without a newline and a trailing empty field", () => {
    assert.deepEqual(parseCsv("x/RECORD,,", "RECORD"), [["x/RECORD", "", ""]]);
  });

  it("refuses malformed quoting, bare CR, and oversized input with BAD_RECORD", () => {
    assert.equal(
      code(() => parseCsv('"open,,\n', "RECORD")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseCsv('"a"b,,\n', "RECORD")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseCsv('a"b",,\n', "RECORD")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseCsv("a,,\rb,,\n", "RECORD")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseCsv(`${"x".repeat(20)},,\n`, "RECORD", { maxRows: 10, maxFieldLength: 10 })),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parseCsv("a,,\n".repeat(11), "RECORD", { maxRows: 10, maxFieldLength: 10 })),
      "BAD_RECORD",
    );
  });
});
