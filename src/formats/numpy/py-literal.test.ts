import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePyLiteral } from "./py-literal.js";

describe("parsePyLiteral", () => {
  it("parses the dict numpy writes", () => {
    const value = parsePyLiteral(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }          \n",
    );
    assert.deepEqual(value, {
      kind: "dict",
      entries: [
        ["descr", "<f4"],
        ["fortran_order", false],
        ["shape", { kind: "tuple", items: [3n, 4n] }],
      ],
    });
  });

  it("tells tuples from parenthesised values", () => {
    assert.deepEqual(parsePyLiteral("()"), { kind: "tuple", items: [] });
    assert.deepEqual(parsePyLiteral("(5,)"), { kind: "tuple", items: [5n] });
    assert.equal(parsePyLiteral("(5)"), 5n);
    assert.deepEqual(parsePyLiteral("[(1, 2), ]"), {
      kind: "list",
      items: [{ kind: "tuple", items: [1n, 2n] }],
    });
  });

  it("parses both quotes, escapes, u prefixes and Python 2 longs", () => {
    assert.equal(parsePyLiteral(`"it's"`), "it's");
    assert.equal(parsePyLiteral(String.raw`'a\'b\\c\x41\u00e9\n'`), "a'b\\cAé\n");
    assert.equal(parsePyLiteral("u'x'"), "x");
    assert.equal(parsePyLiteral("10L"), 10n);
    assert.equal(parsePyLiteral("-3"), -3n);
    assert.equal(parsePyLiteral("None"), null);
    assert.equal(parsePyLiteral("True"), true);
  });

  it("parses deeply nested tuples in linear time", () => {
    const depth = 30;
    const text = `${"(1, ".repeat(depth)}2${")".repeat(depth)}`;
    const start = Date.now();
    assert.ok(parsePyLiteral(text));
    assert.ok(Date.now() - start < 500);
  });
});
