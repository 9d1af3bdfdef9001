import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { checkNpyDataFits, npyDataSize } from "./data-size.js";
import { parseNpyHeader, readNpyHeader } from "./npy-header.js";
import { parsePyLiteral } from "./py-literal.js";
import { buildNpy } from "./test-support/npy-writer.js";

const isCode = (code: string) => (error: unknown) =>
  error instanceof FormatError && error.code === code;
const header =
  (dict: string, major: 1 | 2 | 3 = 1) =>
  () =>
    parseNpyHeader(buildNpy(dict, new Uint8Array(), major));
const dict = (descr: string, shape = "(1,)", fortran = "False") =>
  `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}}`;

describe("parseNpyHeader on malformed input", () => {
  it("rejects bad magic as MALFORMED and short prefixes as TRUNCATED", () => {
    assert.throws(
      () => parseNpyHeader(new TextEncoder().encode("\x93NUMPZ\x01\x00\x10\x00")),
      isCode("MALFORMED"),
    );
    assert.throws(() => parseNpyHeader(new Uint8Array([0x93, 0x4e, 0x55])), isCode("TRUNCATED"));
    assert.throws(
      () => parseNpyHeader(buildNpy(dict("'<f4'"), new Uint8Array(), 2).subarray(0, 11)),
      isCode("TRUNCATED"),
    );
  });

  it("rejects unknown versions as UNSUPPORTED", () => {
    const bytes = buildNpy(dict("'<f4'"), new Uint8Array());
    for (const [major, minor] of [
      [4, 0],
      [1, 1],
      [0, 0],
    ] as const) {
      const copy = bytes.slice();
      copy[6] = major;
      copy[7] = minor;
      assert.throws(() => parseNpyHeader(copy), isCode("UNSUPPORTED"));
    }
  });

  it("rejects a header longer than the input as TRUNCATED", async () => {
    const bytes = buildNpy(dict("'<f4'"), new Uint8Array(), 1, 5000);
    assert.throws(() => parseNpyHeader(bytes), isCode("TRUNCATED"));
    await assert.rejects(readNpyHeader(new BufferSource(bytes)), isCode("TRUNCATED"));
  });

  it("rejects a header length over the hard cap as LIMIT_EXCEEDED before reading it", async () => {
    const bytes = buildNpy(dict("'<f4'"), new Uint8Array(), 2, 0x7fff_ffff);
    assert.throws(() => parseNpyHeader(bytes), isCode("LIMIT_EXCEEDED"));
    const source = new BufferSource(bytes);
    await assert.rejects(readNpyHeader(source), isCode("LIMIT_EXCEEDED"));
    assert.ok(source.bytesRead <= 12);
  });

  it("rejects invalid UTF-8 in a version 3.0 header as MALFORMED", () => {
    const bytes = buildNpy(dict("'<f4'"), new Uint8Array(), 3);
    bytes[14] = 0xff;
    assert.throws(() => parseNpyHeader(bytes), isCode("MALFORMED"));
  });

  it("rejects headers that are not the three-key dict as MALFORMED", () => {
    for (const text of [
      "['descr']",
      "{'descr': '<f4', 'shape': (1,)}",
      `{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}`,
      `{'descr': '<f4', 'descr': '|O', 'fortran_order': False, 'shape': (1,)}`,
      dict("'<f4'", "[1]"),
      dict("'<f4'", "3"),
      dict("'<f4'", "(-1,)"),
      dict("'<f4'", "(True,)"),
      dict("'<f4'", "(1,)", "0"),
      dict("5"),
      dict("[('a',)]"),
      dict("[(1, '<f4')]"),
      dict("[('a', '<f4', 'x')]"),
      `${dict("'<f4'")} junk`,
      "{'descr': '<f4' 'fortran_order': False, 'shape': (1,)}",
      "{'descr': __import__('os').system('x'), 'fortran_order': False, 'shape': (1,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,)}",
      "{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}",
      "{",
    ]) {
      assert.throws(header(text), isCode("MALFORMED"), text);
    }
  });

  it("rejects dtype spellings that could hide objects as UNSUPPORTED", () => {
    for (const descr of ["'object'", "'float32'", "'f4,O'", "'<f4 '", "'P'"]) {
      assert.throws(header(dict(descr)), isCode("UNSUPPORTED"), descr);
    }
  });

  it("rejects nesting past the depth limit as LIMIT_EXCEEDED", () => {
    assert.throws(
      () => parsePyLiteral(`${"[".repeat(100)}${"]".repeat(100)}`),
      isCode("LIMIT_EXCEEDED"),
    );
    assert.throws(
      header(dict(`${"[('a', ".repeat(40)}'<f4'${")]".repeat(40)}`)),
      isCode("LIMIT_EXCEEDED"),
    );
  });

  it("rejects shapes and sizes that overflow as LIMIT_EXCEEDED", () => {
    assert.throws(header(dict("'<f4'", "(99999999999999999999,)")), isCode("LIMIT_EXCEEDED"));
    const big = parseNpyHeader(
      buildNpy(dict("'<f8'", "(4294967296, 4294967296)"), new Uint8Array()),
    );
    assert.throws(() => npyDataSize(big), isCode("LIMIT_EXCEEDED"));
    assert.throws(header(dict("[('a', '|S99999999999', (99999999,))]")), isCode("LIMIT_EXCEEDED"));
  });

  it("reports data shorter than the header promises as TRUNCATED", () => {
    const bytes = buildNpy(dict("'<f4'", "(10,)"), new Uint8Array(39));
    assert.throws(() => checkNpyDataFits(parseNpyHeader(bytes), bytes.length), isCode("TRUNCATED"));
  });

  it("throws only FormatError for random corruptions of a header", () => {
    const base = buildNpy(
      dict("[('a', '<f4'), ('b', [('c', '|O')], (2,))]", "(3, 4)"),
      new Uint8Array(8),
      3,
    );
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 3000; round++) {
      const bytes = base.slice();
      for (let k = 0; k <= random(3); k++) bytes[random(bytes.length)] = random(256);
      try {
        parseNpyHeader(bytes);
      } catch (error) {
        assert.ok(error instanceof FormatError, `round ${round}: ${String(error)}`);
      }
    }
  });
});
