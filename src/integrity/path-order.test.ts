import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareCodePoints, comparePaths, parseShardName } from "./path-order.js";
import { toPythonJson } from "./python-json.js";

describe("path order", () => {
  it("comparePaths() sorts component by component, as PurePosixPath: a/b < a-b < a.txt", () => {
    assert.deepEqual(["a.txt", "a-b", "a/b", "a"].sort(comparePaths), ["a", "a/b", "a-b", "a.txt"]);
  });

  it("compareCodePoints() orders astral characters after U+FFFD, as Python does", () => {
    assert.ok(compareCodePoints("\u{1F600}", "\uFFFD") > 0);
    assert.ok("\u{1F600}" < "\uFFFD");
  });

  it("parseShardName() splits from the right and refuses non-canonical offsets", () => {
    assert.deepEqual(parseShardName("a:b:0:8"), { path: "a:b", start: 0, end: 8 });
    for (const bad of ["a:08:9", "a:8:8", "a:-1:2", "a:1", "a:1:2e3"])
      assert.equal(parseShardName(bad), undefined);
  });
});

describe("toPythonJson()", () => {
  it("writes Python's json.dumps(indent=2) layout, floats with .0 and escaped non-ASCII", () => {
    const text = toPythonJson({ a: [1, { pythonFloat: 8 }], b: {}, c: [], d: "é\u007f" });
    assert.equal(
      text,
      '{\n  "a": [\n    1,\n    8.0\n  ],\n  "b": {},\n  "c": [],\n  "d": "\\u00e9\u007f"\n}',
    );
  });
});
