import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { checkNpyDataFits, npyDataSize } from "./data-size.js";
import { parseNpyHeader, readNpyHeader } from "./npy-header.js";
import { buildNpy } from "./test-support/npy-writer.js";

/** Headers written by the installed numpy, when there is one: [expression, header bytes as hex]. */
function numpySamples(): [string, string][] | null {
  const script = `
import io, json, numpy as np
exprs = [
  "np.zeros((2, 3), '<f4')", "np.zeros(5, '|u1')", "np.zeros((), '<i8')",
  "np.zeros((2, 2), '>f8', order='F')", "np.array([b'ab'], '|S10')", "np.array(['x'], '<U5')",
  "np.zeros(3, '<M8[ns]')", "np.zeros(2, '|V8')", "np.array([None, 1], dtype=object)",
  "np.zeros(2, [('a', '<f4'), ('b', '<i2', (3,))])",
  "np.zeros(2, [('a', '<f4'), ('n', [('x', 'O'), ('y', '|b1')])])",
  "np.zeros(1, np.dtype({'names': ['a'], 'formats': ['<f8'], 'titles': ['T']}))",
]
out = []
for e in exprs:
    f = io.BytesIO()
    np.lib.format.write_array(f, eval(e), allow_pickle=True)
    out.append([e, f.getvalue().hex()])
big = io.BytesIO()
np.lib.format.write_array(big, np.zeros(1, [('f%d' % i, '<f4') for i in range(4000)]))
out.append(["wide", big.getvalue().hex()])
print(json.dumps(out))`;
  try {
    return JSON.parse(
      execFileSync("/usr/bin/python3", ["-c", script], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    );
  } catch {
    return null;
  }
}

const samples = numpySamples();
const headerOf = (expr: string) => {
  const hex = samples?.find(([e]) => e === expr)?.[1];
  assert.ok(hex !== undefined, expr);
  return {
    bytes: Uint8Array.from(Buffer.from(hex, "hex")),
    header: parseNpyHeader(Buffer.from(hex, "hex")),
  };
};

describe("parseNpyHeader", () => {
  it("reads a version 1.0 header built in code", () => {
    const bytes = buildNpy(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
      new Uint8Array(24),
    );
    const header = parseNpyHeader(bytes);
    assert.deepEqual(header.version, [1, 0]);
    assert.equal(header.dataOffset, 128);
    assert.equal(header.headerLength, 118);
    assert.deepEqual(header.shape, [2, 3]);
    assert.equal(header.itemSize, 4);
    assert.equal(header.hasObject, false);
    assert.equal(npyDataSize(header), 24);
    checkNpyDataFits(header, bytes.length);
  });

  it("reads versions 2.0 and 3.0 with a u32 length, 3.0 as UTF-8", () => {
    const v2 = parseNpyHeader(
      buildNpy("{'descr': '|u1', 'fortran_order': True, 'shape': (7,)}", new Uint8Array(), 2),
    );
    assert.deepEqual([v2.version, v2.fortranOrder, v2.dataOffset % 64], [[2, 0], true, 0]);
    const v3 = parseNpyHeader(
      buildNpy(
        "{'descr': [('é', '<f8')], 'fortran_order': False, 'shape': ()}",
        new Uint8Array(),
        3,
      ),
    );
    assert.equal(v3.descr.kind === "structured" && v3.descr.fields[0]!.name, "é");
    assert.equal(npyDataSize(v3), 8);
  });

  it("reads only the header through a ByteSource", async () => {
    const source = new BufferSource(
      buildNpy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (100000,)}",
        new Uint8Array(800_000),
      ),
    );
    const header = await readNpyHeader(source);
    assert.equal(npyDataSize(header), 800_000);
    assert.ok(source.bytesRead <= 12 + header.dataOffset);
  });

  it("parses a header near the hard cap and flags it as over numpy's own limit", () => {
    const fields = Array.from({ length: 40_000 }, (_, i) => `('f${i}', '<f4')`).join(", ");
    const header = parseNpyHeader(
      buildNpy(
        `{'descr': [${fields}], 'fortran_order': False, 'shape': (1,)}`,
        new Uint8Array(),
        2,
      ),
    );
    assert.equal(header.itemSize, 160_000);
    assert.equal(header.overNumpyHeaderLimit, true);
  });

  it("finds object fields at any depth", () => {
    const nested =
      "{'descr': [('a', '<f4'), ('n', [('x', [('deep', '|O')])], (2,))], 'fortran_order': False, 'shape': (1,)}";
    const header = parseNpyHeader(buildNpy(nested, new Uint8Array()));
    assert.equal(header.hasObject, true);
    assert.equal(header.itemSize, null);
    assert.equal(npyDataSize(header), null);
  });

  it("sizes every dtype string numpy writes", () => {
    const size = (descr: string) =>
      parseNpyHeader(
        buildNpy(`{'descr': '${descr}', 'fortran_order': False, 'shape': (1,)}`, new Uint8Array()),
      ).itemSize;
    assert.deepEqual(
      ["<f4", "|u1", "<M8[ns]", "<m8[25s]", "|O", "|S10", "<U5", "|V8", "|b1", "<c16"].map(size),
      [4, 1, 8, 8, null, 10, 20, 8, 1, 16],
    );
  });

  it("sizes subarray fields and (dtype, shape) descrs", () => {
    const header = parseNpyHeader(
      buildNpy(
        "{'descr': [('a', '<f4'), ('b', '<i2', (3, 2)), ('', '|V2')], 'fortran_order': False, 'shape': (5,)}",
        new Uint8Array(),
      ),
    );
    assert.equal(header.itemSize, 4 + 12 + 2);
    assert.equal(npyDataSize(header), 90);
  });

  it("agrees with what the installed numpy writes", {
    skip: samples === null && "numpy not available",
  }, () => {
    const expectations: [string, number[], number | null, boolean, boolean][] = [
      ["np.zeros((2, 3), '<f4')", [2, 3], 4, false, false],
      ["np.zeros(5, '|u1')", [5], 1, false, false],
      ["np.zeros((), '<i8')", [], 8, false, false],
      ["np.zeros((2, 2), '>f8', order='F')", [2, 2], 8, false, true],
      ["np.array([b'ab'], '|S10')", [1], 10, false, false],
      ["np.array(['x'], '<U5')", [1], 20, false, false],
      ["np.zeros(3, '<M8[ns]')", [3], 8, false, false],
      ["np.zeros(2, '|V8')", [2], 8, false, false],
      ["np.array([None, 1], dtype=object)", [2], null, true, false],
      ["np.zeros(2, [('a', '<f4'), ('b', '<i2', (3,))])", [2], 10, false, false],
      ["np.zeros(2, [('a', '<f4'), ('n', [('x', 'O'), ('y', '|b1')])])", [2], null, true, false],
      [
        "np.zeros(1, np.dtype({'names': ['a'], 'formats': ['<f8'], 'titles': ['T']}))",
        [1],
        8,
        false,
        false,
      ],
    ];
    for (const [expr, shape, itemSize, hasObject, fortran] of expectations) {
      const { bytes, header } = headerOf(expr);
      assert.deepEqual(
        [header.shape, header.itemSize, header.hasObject, header.fortranOrder],
        [shape, itemSize, hasObject, fortran],
        expr,
      );
      if (!hasObject) assert.equal(header.dataOffset + npyDataSize(header)!, bytes.length, expr);
    }
    const wide = headerOf("wide").header;
    assert.deepEqual([wide.version[0], wide.overNumpyHeaderLimit, wide.itemSize], [2, true, 16000]);
  });
});
