/** Broken and hostile Keras configs, built in code: each is a FormatError with a code. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FormatError } from "../format-error.js";
import {
  MAX_CONFIG_DEPTH,
  MAX_CONFIG_NODES,
  parseKerasConfig,
  walkKerasConfig,
} from "./walk-config.js";

const code = (run: () => unknown, expected: FormatError["code"]) =>
  assert.throws(run, (error: unknown) => error instanceof FormatError && error.code === expected);

describe("Keras config parsing on malformed input", () => {
  it("rejects text that is not JSON", () => {
    for (const text of ["", "{", '{"class_name": "Dense",}', "\u0000", '{"a": 1} trailing']) {
      code(() => parseKerasConfig(text), "MALFORMED");
    }
  });

  it("rejects a config truncated anywhere", () => {
    const text = JSON.stringify({
      class_name: "Sequential",
      config: { layers: [{ class_name: "Dense" }] },
    });
    for (let end = 0; end < text.length; end++)
      code(() => parseKerasConfig(text.slice(0, end)), "MALFORMED");
  });

  it("bounds nesting depth", () => {
    const deep = `${"[".repeat(MAX_CONFIG_DEPTH + 1)}${"]".repeat(MAX_CONFIG_DEPTH + 1)}`;
    code(() => walkKerasConfig(parseKerasConfig(deep)), "LIMIT_EXCEEDED");
  });

  it("turns a parser stack overflow into MALFORMED", () => {
    const deep = `${"[".repeat(2_000_000)}${"]".repeat(2_000_000)}`;
    assert.throws(
      () => walkKerasConfig(parseKerasConfig(deep)),
      (error: unknown) => error instanceof FormatError,
    );
  });

  it("bounds the number of values walked", () => {
    const wide = `[${"0,".repeat(MAX_CONFIG_NODES)}0]`;
    code(() => walkKerasConfig(parseKerasConfig(wide)), "LIMIT_EXCEEDED");
  });
});
