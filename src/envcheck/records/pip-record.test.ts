import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EnvCheckError } from "../env-error.js";
import { parseDistInfoName, parsePipRecord } from "./pip-record.js";

const HASH = `sha256=${Buffer.alloc(32, 1).toString("base64url")}`;
const SITE = "lib/python3.11/site-packages";

function parse(text: string, siteDir = SITE) {
  return parsePipRecord({ siteDir, distInfo: "pkg-1.0.dist-info", absoluteRoot: "/env", text });
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof EnvCheckError ? error.code : "other";
  }
  return undefined;
}

describe("parsePipRecord()", () => {
  it("resolves paths against the site directory, including scripts in ../../../bin", () => {
    const dist = parse(
      [
        `pkg/__init__.py,${HASH},12`,
        `../../../bin/pkg-run,${HASH},7`,
        "pkg/__pycache__/__init__.cpython-311.pyc,,",
        "pkg-1.0.dist-info/RECORD,,",
        "pkg/notes.txt,,",
      ].join("\n"),
    );
    assert.equal(dist.name, "pkg");
    assert.equal(dist.version, "1.0");
    assert.deepEqual(
      dist.files.map((file) => [
        file.path,
        file.type,
        file.digest?.hex.slice(0, 4),
        file.selfEntry,
      ]),
      [
        [`${SITE}/pkg/__init__.py`, "file", "0101", undefined],
        ["bin/pkg-run", "file", "0101", undefined],
        [`${SITE}/pkg/__pycache__/__init__.cpython-311.pyc`, "bytecode", undefined, undefined],
        [`${SITE}/pkg-1.0.dist-info/RECORD`, "file", undefined, true],
        [`${SITE}/pkg/notes.txt`, "file", undefined, undefined],
      ],
    );
  });

  it("counts entries that climb out of the root instead of reading them", () => {
    const dist = parse(`../../bin/x,${HASH},1\n/etc/passwd,${HASH},1\npkg/a.py,${HASH},1\n`, "");
    assert.equal(dist.outsideRoot, 2);
    assert.deepEqual(
      dist.files.map((file) => file.path),
      ["pkg/a.py"],
    );
  });

  it("refuses rows with the wrong column count, NUL in a path, bad hashes and sizes", () => {
    assert.equal(
      code(() => parse("pkg/a.py,x\n")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse(`pkg/a.py,${HASH},1,extra\n`)),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse(`pkg/\0a.py,${HASH},1\n`)),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse(`,${HASH},1\n`)),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse("pkg/a.py,sha256=short,1\n")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse(`pkg/a.py,${HASH},-1\n`)),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse(`${"a/".repeat(3000)}x,${HASH},1\n`)),
      "BAD_RECORD",
    );
  });
});

describe("parseDistInfoName()", () => {
  it("splits at the first dash", () => {
    assert.deepEqual(parseDistInfoName("foo_bar-1.0.post1.dist-info"), {
      name: "foo_bar",
      version: "1.0.post1",
    });
    assert.deepEqual(parseDistInfoName("odd.dist-info"), { name: "odd", version: undefined });
  });
});
