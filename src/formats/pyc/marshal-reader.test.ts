import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { marshalEqual } from "./marshal-equal.js";
import { readMarshal } from "./marshal-reader.js";
import type { CodeObject, MarshalValue } from "./marshal-types.js";
import { readPyc } from "./read-pyc.js";
import { concat, i32, m } from "./test-support/marshal-writer.js";
import { interpreters, runPython } from "./test-support/python.js";

const v311 = { major: 3, minor: 11 } as const;
const value = (bytes: Uint8Array) => readMarshal(bytes, 0, v311).value;
const char = (c: string) => c.charCodeAt(0);

describe("readMarshal", () => {
  it("reads singletons, ints, longs and floats", () => {
    assert.deepEqual(value(Uint8Array.of(char("N"))), { kind: "none" });
    assert.deepEqual(value(Uint8Array.of(char("T"))), { kind: "bool", value: true });
    assert.deepEqual(value(Uint8Array.of(char("."))), { kind: "ellipsis" });
    assert.deepEqual(value(Uint8Array.of(char("S"))), { kind: "stop-iteration" });
    assert.deepEqual(value(m.int(-5)), { kind: "int", value: -5n });
    // 2**45 + 3 = digits [3, 0, 1] in base 2**15
    assert.deepEqual(value(m.long([3, 0, 1])), { kind: "int", value: 2n ** 30n + 3n });
    assert.deepEqual(value(m.long([1, 0x7fff, 0x7fff], true)), {
      kind: "int",
      value: -(2n ** 45n - 2n ** 15n + 1n),
    });
    const g = concat([char("g")], new Uint8Array(new Float64Array([1.5]).buffer));
    assert.deepEqual(value(g), { kind: "float", value: 1.5 });
    const f = Uint8Array.of(char("f"), 4, ...new TextEncoder().encode("-inf"));
    assert.deepEqual(value(f), { kind: "float", value: Number.NEGATIVE_INFINITY });
  });

  it("reads each string type, including lone surrogates written with surrogatepass", () => {
    assert.deepEqual(value(m.str("abc")), { kind: "str", value: "abc" });
    assert.deepEqual(value(m.unicode([0xc3, 0xa9])), { kind: "str", value: "\u00e9" });
    assert.deepEqual(value(m.unicode([0xed, 0xa0, 0x80])), { kind: "str", value: "\ud800" });
    const ascii = concat([char("A")], i32(2), [char("h"), char("i")]);
    assert.deepEqual(value(ascii), { kind: "str", value: "hi" });
    assert.deepEqual(value(m.bytes([0, 255])), { kind: "bytes", value: Uint8Array.of(0, 255) });
  });

  it("resolves FLAG_REF references to the same object, numbered when each starts", () => {
    // (ref0:("a",) , "a" as ref1?) : the outer tuple is ref 0, "x" is ref 1
    const bytes = m.refTuple(m.str("x", true), m.ref(1), m.ref(1));
    const result = value(bytes);
    assert.ok(result.kind === "tuple");
    assert.equal(result.items.length, 3);
    assert.equal(result.items[0], result.items[1]);
    assert.deepEqual(result.items[2], { kind: "str", value: "x" });
  });

  it("reads dicts up to their NULL terminator and sets", () => {
    const dict = concat([char("{")], m.str("k"), m.int(1), [char("0")]);
    assert.deepEqual(value(dict), {
      kind: "dict",
      entries: [
        [
          { kind: "str", value: "k" },
          { kind: "int", value: 1n },
        ],
      ],
    });
    const set = concat([char(">")], i32(1), m.none());
    assert.deepEqual(value(set), { kind: "frozenset", items: [{ kind: "none" }] });
  });

  it("reads a 3.11 code object and reports where it ends", () => {
    const bytes = concat(m.code311({ names: ["print"], consts: [m.str("hi"), m.none()] }), [9]);
    const { value: code, end } = readMarshal(bytes, 0, v311);
    assert.equal(end, bytes.length - 1);
    assert.ok(code.kind === "code");
    assert.deepEqual(code.code.names, ["print"]);
    assert.equal(code.code.qualname, "<module>");
    assert.equal(code.code.filename, "mod.py");
  });
});

/** What CPython itself says about a code object tree, for comparison with ours. */
const DUMP = `
import marshal, sys, json
def walk(co):
    consts = []
    for c in co.co_consts:
        if hasattr(c, "co_code"): consts.append(walk(c))
        elif isinstance(c, str): consts.append("s:" + c.encode("utf-8", "surrogatepass").hex())
        elif isinstance(c, bytes): consts.append("b:" + c.hex())
        elif isinstance(c, bool) or c is None: consts.append(repr(c))
        elif isinstance(c, int): consts.append("i:" + str(c))
        else: consts.append("?")
    return {"name": co.co_name, "qualname": getattr(co, "co_qualname", None),
            "filename": co.co_filename, "names": list(co.co_names),
            "varnames": list(co.co_varnames), "first": co.co_firstlineno, "consts": consts}
for p in sys.argv[1:]:
    print(json.dumps(walk(marshal.loads(open(p, "rb").read()[16:]))))
`;

const SAMPLE = `"""Module docstring."""
import os.path as osp
from collections import *
X = 2 ** 100 + 7
Y = -(2 ** 70)
S = "caf\\u00e9 \\ud800 \\U0001F600" "joined"
B = b"\\x00\\xff" * 3

class Widget(object):
    """A widget."""
    __slots__ = ("a", "__b")

    def method(self, a, b=1.5, *args, c=1j, **kw) -> None:
        def inner():
            return [x for x in args if x] + list(kw)
        return inner, lambda: self.__b, {1, 2}, {"k": a}, f"{a!r:>{b}}"

async def agen():
    async with osp as ctx:
        yield ctx
`;

function plain(co: CodeObject): unknown {
  const varnames =
    co.localKinds === undefined
      ? co.localNames
      : co.localNames.filter((_, i) => (co.localKinds![i]! & 0x20) !== 0);
  return {
    name: co.name,
    qualname: co.qualname ?? null,
    filename: co.filename,
    names: co.names,
    varnames,
    first: co.firstLineNo,
    consts: co.consts.map(plainConst),
  };
}

function plainConst(c: MarshalValue): unknown {
  switch (c.kind) {
    case "code":
      return plain(c.code);
    case "str":
      return `s:${Buffer.from(surrogatePass(c.value)).toString("hex")}`;
    case "bytes":
      return `b:${Buffer.from(c.value).toString("hex")}`;
    case "none":
      return "None";
    case "bool":
      return c.value ? "True" : "False";
    case "int":
      return `i:${c.value}`;
    default:
      return "?";
  }
}

/** UTF-8 with lone surrogates encoded as three bytes, like Python's "surrogatepass". */
function surrogatePass(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 63),
        0x80 | ((cp >> 6) & 63),
        0x80 | (cp & 63),
      );
  }
  return out;
}

describe("readPyc on caches written by CPython", () => {
  it("reads what each installed interpreter writes as CPython reads it back", (t) => {
    const available = interpreters();
    if (available.length === 0) {
      t.skip("no python3 interpreter installed");
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), "trainguard-pyc-"));
    try {
      const source = join(dir, "sample.py");
      writeFileSync(source, SAMPLE);
      for (const { path, version } of available) {
        const pyc = join(dir, `sample-${version}.pyc`);
        runPython(
          path,
          "import py_compile, sys; py_compile.compile(sys.argv[1], sys.argv[2], doraise=True)",
          source,
          pyc,
        );
        const ours = readPyc(readFileSync(pyc));
        assert.equal(ours.trailing, 0);
        assert.equal(`${ours.header.version.major}.${ours.header.version.minor}`, version);
        const theirs = JSON.parse(runPython(path, DUMP, pyc).toString());
        assert.deepEqual(plain(ours.code), theirs, `${path} (${version})`);
        assert.ok(
          marshalEqual({ kind: "code", code: ours.code }, { kind: "code", code: ours.code }),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
