import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FormatError } from "../format-error.js";
import { magicForVersion } from "./magic.js";
import { MAX_LONG_DIGITS } from "./marshal-long.js";
import { MAX_MARSHAL_DEPTH, readMarshal } from "./marshal-reader.js";
import { readPycHeader } from "./pyc-header.js";
import { readPyc } from "./read-pyc.js";
import { decodePythonSource } from "./source-decode.js";
import { MAX_FSTRING_DEPTH, scanPythonSource } from "./source-literals.js";
import { concat, i32, m } from "./test-support/marshal-writer.js";

const isCode = (code: string) => (error: unknown) =>
  error instanceof FormatError && error.code === code;
const v311 = { major: 3, minor: 11 } as const;
const read = (bytes: Uint8Array | readonly number[]) => () =>
  readMarshal(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), 0, v311);
const magic = magicForVersion(v311);
const char = (c: string) => c.charCodeAt(0);

describe("readPycHeader on malformed input", () => {
  it("rejects a header shorter than 16 bytes as TRUNCATED", () => {
    assert.throws(() => readPycHeader(concat(magic, i32(0))), isCode("TRUNCATED"));
    assert.throws(() => readPycHeader(new Uint8Array()), isCode("TRUNCATED"));
  });

  it("rejects magic without CRLF as MALFORMED", () => {
    const bytes = concat([0xa7, 0x0d, 0x0a, 0x0a], new Uint8Array(12));
    assert.throws(() => readPycHeader(bytes), isCode("MALFORMED"));
  });

  it("rejects unknown and pre-release magic numbers as UNSUPPORTED", () => {
    for (const number of [3379, 3450, 62211, 0]) {
      const bytes = concat([number & 0xff, number >> 8, 0x0d, 0x0a], new Uint8Array(12));
      assert.throws(() => readPycHeader(bytes), isCode("UNSUPPORTED"));
    }
  });

  it("rejects flag bits PEP 552 does not define as MALFORMED", () => {
    assert.throws(
      () => readPycHeader(concat(magic, i32(4), new Uint8Array(8))),
      isCode("MALFORMED"),
    );
  });

  it("rejects a pyc whose body is not a code object as MALFORMED", () => {
    const header = concat(magic, new Uint8Array(12));
    assert.throws(() => readPyc(concat(header, m.none())), isCode("MALFORMED"));
    assert.throws(() => readPyc(header), isCode("TRUNCATED"));
  });
});

describe("readMarshal on malformed input", () => {
  it("rejects unknown type codes, and NULL outside a dict, as MALFORMED", () => {
    assert.throws(read([char("?")]), isCode("MALFORMED"));
    assert.throws(read([0x01]), isCode("MALFORMED"));
    assert.throws(read([char("0")]), isCode("MALFORMED"));
    assert.throws(read(m.tuple(Uint8Array.of(char("0")))), isCode("MALFORMED"));
  });

  it("rejects 3.14 slices as UNSUPPORTED", () => {
    assert.throws(read([char(":"), char("N"), char("N"), char("N")]), isCode("UNSUPPORTED"));
  });

  it("rejects input that ends inside a value as TRUNCATED", () => {
    assert.throws(read([]), isCode("TRUNCATED"));
    assert.throws(read([char("i"), 1, 2]), isCode("TRUNCATED"));
    assert.throws(read(m.str("hello").subarray(0, 4)), isCode("TRUNCATED"));
    assert.throws(read(m.tuple(m.none(), m.none()).subarray(0, 3)), isCode("TRUNCATED"));
    assert.throws(read(m.code311().subarray(0, 40)), isCode("TRUNCATED"));
    assert.throws(read([char("{"), char("N")]), isCode("TRUNCATED"));
  });

  it("rejects negative sizes as MALFORMED and sizes past the input before allocating", () => {
    assert.throws(read(concat([char("s")], i32(-1))), isCode("MALFORMED"));
    assert.throws(read(concat([char("(")], i32(0x7fff_ffff))), isCode("TRUNCATED"));
    assert.throws(read(concat([char("u")], i32(1000), [0x41])), isCode("TRUNCATED"));
  });

  it("rejects references that are out of range, flagged, or into an unfinished object", () => {
    assert.throws(read(m.ref(0)), isCode("MALFORMED"));
    assert.throws(read(m.tuple(m.str("a", true), m.ref(1))), isCode("MALFORMED"));
    assert.throws(read(m.tuple(m.str("a", true), m.ref(-1))), isCode("MALFORMED"));
    // A tuple that contains itself: CPython allows the cycle, compiled code never has one.
    assert.throws(read(m.refTuple(m.ref(0))), isCode("MALFORMED"));
    assert.throws(read([char("r") | 0x80, 0, 0, 0, 0]), isCode("MALFORMED"));
    assert.throws(read([char("N") | 0x80]), isCode("MALFORMED"));
  });

  it("rejects nesting past MAX_MARSHAL_DEPTH as LIMIT_EXCEEDED", () => {
    const depth = MAX_MARSHAL_DEPTH + 1;
    const bytes = concat(new Array(depth).fill([char(")"), 1]).flat(), m.none());
    assert.throws(read(bytes), isCode("LIMIT_EXCEEDED"));
    const fine = concat(new Array(depth - 2).fill([char(")"), 1]).flat(), m.none());
    assert.doesNotThrow(read(fine));
  });

  it("rejects malformed longs: digit out of range, zero top digit, too many digits", () => {
    assert.throws(read(m.long([0x8000])), isCode("MALFORMED"));
    assert.throws(read(m.long([1, 0])), isCode("MALFORMED"));
    const huge = concat([char("l")], i32(MAX_LONG_DIGITS + 1));
    assert.throws(read(huge), isCode("LIMIT_EXCEEDED"));
    assert.throws(read(concat([char("l")], i32(-3), [1, 0])), isCode("TRUNCATED"));
  });

  it("rejects non-ASCII in ASCII strings and invalid UTF-8 in unicode strings", () => {
    assert.throws(read([char("z"), 1, 0xe9]), isCode("MALFORMED"));
    assert.throws(read(concat([char("a")], i32(1), [0x80])), isCode("MALFORMED"));
    for (const raw of [[0xc0, 0x80], [0xff], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]) {
      assert.throws(read(m.unicode(raw)), isCode("MALFORMED"));
    }
  });

  it("rejects text floats that are not numbers", () => {
    assert.throws(read([char("f"), 3, char("1"), char("x"), char("2")]), isCode("MALFORMED"));
  });

  it("rejects code objects with mistyped fields", () => {
    const good = m.code311({ names: ["a"] });
    assert.doesNotThrow(read(good));
    // co_names holding an int
    const badNames = concat(
      good.subarray(0, 1 + 20 + 7 + 3),
      m.tuple(m.int(1)),
      good.subarray(1 + 20 + 7 + 3 + m.tuple(m.str("a")).length),
    );
    assert.throws(read(badNames), isCode("MALFORMED"));
    // negative argcount
    const negative = good.slice();
    negative.set(i32(-1), 1);
    assert.throws(read(negative), isCode("MALFORMED"));
  });

  it("rejects a localsplusnames/kinds length mismatch", () => {
    const code = concat(
      [char("c")],
      i32(0),
      i32(0),
      i32(0),
      i32(0),
      i32(0),
      m.bytes([]),
      m.tuple(),
      m.tuple(),
      m.tuple(m.str("x")),
      m.bytes([]),
      m.str("f.py"),
      m.str("f"),
      m.str("f"),
      i32(1),
      m.bytes([]),
      m.bytes([]),
    );
    assert.throws(read(code), isCode("MALFORMED"));
  });
});

describe("source decoding and scanning on malformed input", () => {
  const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

  it("rejects an unknown declared encoding as UNSUPPORTED", () => {
    assert.throws(
      () => decodePythonSource(bytes("# coding: klingon\nx = 1\n")),
      isCode("UNSUPPORTED"),
    );
  });

  it("rejects source that is not valid in its encoding as MALFORMED", () => {
    assert.throws(() => decodePythonSource(bytes("x = '\xff'\n")), isCode("MALFORMED"));
    assert.throws(
      () => decodePythonSource(bytes("# coding: ascii\nx = '\xe9'\n")),
      isCode("MALFORMED"),
    );
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf, ...bytes("# coding: latin-1\n"));
    assert.throws(() => decodePythonSource(bom), isCode("MALFORMED"));
  });

  it("rejects f-strings nested past MAX_FSTRING_DEPTH as LIMIT_EXCEEDED", () => {
    const depth = MAX_FSTRING_DEPTH + 2;
    const source = `${'f"{'.repeat(depth)}x${'}"'.repeat(depth)}`;
    assert.throws(() => scanPythonSource(source), isCode("LIMIT_EXCEEDED"));
  });

  it("scans unterminated strings and stray quotes without throwing", () => {
    for (const source of [
      "'abc",
      '"""abc',
      "f'{",
      "f'{x",
      "rb'\\",
      "x = '\\",
      "f'{x!r",
      "f'{x:{'",
    ]) {
      assert.doesNotThrow(() => scanPythonSource(source), source);
    }
  });
});
