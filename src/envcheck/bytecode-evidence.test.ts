import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CodeObject, MarshalValue } from "../formats/pyc/index.js";
import { LITERAL_SEPARATOR, scanPythonSource } from "../formats/pyc/index.js";
import {
  hasStarImport,
  hasStringAnnotations,
  LiteralIndex,
  percentFormatPieces,
  unexplainedInCode,
} from "./bytecode-evidence.js";

function code(fields: Partial<CodeObject>): CodeObject {
  return {
    argCount: 0,
    posOnlyArgCount: 0,
    kwOnlyArgCount: 0,
    stackSize: 0,
    flags: 0,
    bytecode: new Uint8Array(),
    consts: [],
    names: [],
    localNames: [],
    localKinds: undefined,
    freeVars: [],
    cellVars: [],
    filename: "/env/mod.py",
    name: "<module>",
    qualname: "<module>",
    firstLineNo: 1,
    lineTable: new Uint8Array(),
    exceptionTable: new Uint8Array(),
    ...fields,
  };
}

const str = (value: string): MarshalValue => ({ kind: "str", value });

function check(source: string, root: CodeObject, minor = 11): string | undefined {
  const scan = scanPythonSource(source);
  const formatPieces = percentFormatPieces(scan.literalText.split(LITERAL_SEPARATOR));
  return unexplainedInCode(root, {
    scan,
    basename: "mod.py",
    lineCount: source.split("\n").length,
    stringAnnotations: hasStringAnnotations(source),
    starImport: hasStarImport(source),
    returnAnnotation: source.includes("->"),
    literalIndex: new LiteralIndex([...scan.literals, ...formatPieces.split(LITERAL_SEPARATOR)]),
    formatPieces,
    version: { major: 3, minor },
  });
}

describe("unexplainedInCode", () => {
  it("accepts names and strings the source spells, and reports one it does not", () => {
    const source = "import os\nos.getcwd('x')\n";
    assert.equal(check(source, code({ names: ["os", "getcwd"], consts: [str("x")] })), undefined);
    assert.match(check(source, code({ names: ["os", "system"] })) ?? "", /name "system"/);
    assert.match(check(source, code({ consts: [str("rm -rf /")] })) ?? "", /string constant/);
  });

  it("looks into nested code objects and constant tuples", () => {
    const inner = code({
      name: "f",
      qualname: "f",
      consts: [{ kind: "tuple", items: [str("evil")] }],
    });
    const root = code({ consts: [{ kind: "code", code: inner }] });
    assert.match(check("def f(): return ('good',)\n", root) ?? "", /"evil".*"f"/);
  });

  it("reports a co_filename that names another file, and a first line past the end", () => {
    assert.match(check("x = 1\n", code({ filename: "/env/other.py" })) ?? "", /co_filename/);
    assert.match(check("x = 1\n", code({ firstLineNo: 40 })) ?? "", /past the source/);
  });

  it("accepts what the compiler derives: mangled names, qualnames, folded and %-split strings", () => {
    const source = [
      "class _Box:",
      "    def __init__(self):",
      "        self.__x = '#' + '-' * 3",
      "        print('%s is %5s' % (1, 2), 'a' 'b')",
      "from m import *",
    ].join("\n");
    const method = code({
      name: "__init__",
      qualname: "_Box.__init__",
      names: ["_Box__x", "print"],
      localNames: ["self"],
      consts: [str("#---"), str(" is "), str(">5"), str("ab"), str("*")],
    });
    assert.equal(check(source, code({ consts: [{ kind: "code", code: method }] })), undefined);
  });

  it("accepts unparsed annotations only under from __future__ import annotations", () => {
    const root = code({ consts: [str("Dict[str, int]")] });
    const plain = "def f(x: Dict[str, int]): pass\n";
    assert.equal(check(`from __future__ import annotations\n${plain}`, root), undefined);
    assert.match(check(plain, root) ?? "", /Dict/);
  });

  it("accepts 3.13's dedented docstrings but not on earlier versions", () => {
    const source = 'def f():\n    """First.\n\n    Second line.\n    """\n';
    const f = code({ name: "f", qualname: "f", consts: [str("First.\n\nSecond line.\n")] });
    const root = code({ consts: [{ kind: "code", code: f }] });
    assert.equal(check(source, root, 13), undefined);
    assert.notEqual(check(source, root, 12), undefined);
  });
});
