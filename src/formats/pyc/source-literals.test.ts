import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declaredEncoding, decodePythonSource } from "./source-decode.js";
import { LITERAL_SEPARATOR, scanPythonSource } from "./source-literals.js";
import { NAMED_CHAR_WILDCARD } from "./string-escapes.js";

const groups = (source: string) => scanPythonSource(source).literalText.split(LITERAL_SEPARATOR);

describe("scanPythonSource", () => {
  it("decodes escapes the way the compiler does, and leaves raw strings alone", () => {
    assert.deepEqual(groups(String.raw`a = "t\tq\"\x41\101\u00e9\U0001F600\q"`), [
      't\tq"AA\u00e9\u{1F600}\\q',
    ]);
    assert.deepEqual(groups(String.raw`a = r"\d+\n"`), ["\\d+\\n"]);
    assert.deepEqual(groups(String.raw`a = b"\xff\777"`), ["\xff\xff"]);
    assert.deepEqual(groups("a = 'one\\\ntwo'"), ["onetwo"]);
  });

  it("joins adjacent literals across lines and comments, and separates others", () => {
    const source = 'x = ("ab"  # note\n     "cd" rb"\\e")\ny = "ef" + "gh"\n';
    assert.deepEqual(groups(source), ["abcd\\e", "ef", "gh"]);
  });

  it("reads triple-quoted strings with embedded quotes and newlines", () => {
    assert.deepEqual(groups("d = '''it's\n\"here\"'''"), ['it\'s\n"here"']);
  });

  it("stands in a wildcard for \\N{...} escapes", () => {
    const scan = scanPythonSource("s = '\\N{BULLET} item'");
    assert.deepEqual(scan.wildcardLiterals, [`${NAMED_CHAR_WILDCARD} item`]);
  });

  it("reads f-strings: literal parts, {{ }}, self-documenting fields and format specs", () => {
    const scan = scanPythonSource('s = f"a{{b}}{x!r:>{width}}c{y = }d"');
    assert.ok(scan.literalText.includes("a{b}"));
    assert.ok(scan.literalText.includes(">"));
    assert.ok(scan.literalText.includes("cy = "));
    assert.ok(
      scan.identifiers.has("x") && scan.identifiers.has("width") && scan.identifiers.has("y"),
    );
  });

  it("reads PEP 701 f-strings that reuse their quote inside a field", () => {
    const scan = scanPythonSource('s = f"{d["key"]} and {f"{inner}"}" + "after"');
    assert.ok(scan.literals.has("key"));
    assert.ok(scan.identifiers.has("inner"));
    assert.ok(scan.literals.has("after"));
  });

  it("keeps a field after a backslash in raw f-strings", () => {
    const scan = scanPythonSource('k = rf"C:\\{sys.winver}"');
    assert.ok(scan.identifiers.has("winver"));
  });

  it("collects identifiers from code but not from comments or plain strings", () => {
    const scan = scanPythonSource("import os  # subprocess\nos.system('rm')\n");
    assert.ok(scan.identifiers.has("os") && scan.identifiers.has("system"));
    assert.ok(!scan.identifiers.has("subprocess") && !scan.identifiers.has("rm"));
  });
});

describe("decodePythonSource", () => {
  const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

  it("honours a PEP 263 declaration on line 1 or 2, and normalises newlines", () => {
    assert.equal(
      declaredEncoding(bytes("#!/usr/bin/python\n# -*- coding: latin-1 -*-\n")),
      "latin-1",
    );
    assert.equal(declaredEncoding(bytes("x = 1\n# coding: latin-1\n")), "utf-8");
    assert.equal(
      decodePythonSource(bytes("# coding: latin-1\r\ns = '\xe9'\r")),
      "# coding: latin-1\ns = '\u00e9'\n",
    );
    assert.equal(
      decodePythonSource(bytes("# vim: set fileencoding=cp1252 :\ns='\x80'")).at(-2),
      "\u20ac",
    );
  });

  it("strips a UTF-8 byte order mark", () => {
    assert.equal(decodePythonSource(Uint8Array.of(0xef, 0xbb, 0xbf, 0x78)), "x");
  });
});
