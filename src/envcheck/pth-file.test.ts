import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analysePth } from "./pth-file.js";

describe("analysePth()", () => {
  it("counts lines site.py executes: 'import ' and 'import\\t' at the start only", () => {
    const result = analysePth(
      "# comment\nimport os\nimport\tsys\n  import indented\nimporter\n/some/path\n\n",
    );
    assert.equal(result.executableLines, 2);
    assert.equal(result.firstExecutable, "import os");
    assert.equal(result.pathLines, 3);
  });

  it("splits on CR and CRLF as Python's universal newlines do", () => {
    assert.equal(analysePth("/path\rimport os\r\nimport sys").executableLines, 2);
  });

  it("treats a line after a UTF-8 BOM as executable (Python 3.13 strips it)", () => {
    assert.equal(analysePth("\ufeffimport os\n").executableLines, 1);
  });

  it("shortens a very long executed line for the report", () => {
    const result = analysePth(`import os;${"x".repeat(500)}\n`);
    assert.ok((result.firstExecutable ?? "").length <= 121);
  });
});
