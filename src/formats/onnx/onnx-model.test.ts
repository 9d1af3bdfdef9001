import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { readOnnxModel } from "./onnx-model.js";
import { sniffOnnx } from "./sniff-onnx.js";
import {
  fn,
  graph,
  graphAttr,
  lenField,
  model,
  node,
  opset,
  tensor,
} from "./test-support/onnx-writer.js";

describe("readOnnxModel()", () => {
  it("collects operators, opsets, functions and external data at every depth", async () => {
    const inner = graph([node("MyOp", "com.example")], [tensor("deep", "../deep.bin")]);
    const bytes = model(
      graph(
        [node("Relu"), node("If", "", [graphAttr("then_branch", inner)]), node("Local", "local")],
        [tensor("w"), tensor("e", "weights.bin")],
      ),
      [opset("", 17), opset("local", 1)],
      [fn("Local", "local", [node("Add")])],
    );
    const found = await readOnnxModel(new BufferSource(bytes));
    assert.equal(found.irVersion, 8n);
    assert.deepEqual(found.opsetDomains, ["", "local"]);
    assert.deepEqual(found.nodes.map((n) => `${n.domain}:${n.opType}`).sort(), [
      ":Add",
      ":If",
      ":Relu",
      "com.example:MyOp",
      "local:Local",
    ]);
    assert.deepEqual(found.functions, [{ domain: "local", opType: "Local" }]);
    assert.deepEqual(
      found.externalData.map((d) => [d.tensor, d.location]),
      [
        ["deep", "../deep.bin"],
        ["e", "weights.bin"],
      ],
    );
  });

  it("steps over raw_data without reading it", async () => {
    const big = [...lenField(8, "w"), ...lenField(9, new Array(200_000).fill(1))];
    const bytes = model(graph([node("Relu")], [big]));
    const source = new BufferSource(bytes);
    await readOnnxModel(source);
    assert.ok(source.bytesRead < 140_000, `read ${source.bytesRead}`);
  });
});

describe("sniffOnnx()", () => {
  it("recognises models by their first fields", () => {
    const bytes = model(graph([node("Relu")]));
    assert.equal(sniffOnnx(bytes, bytes.length), true);
    assert.equal(sniffOnnx(bytes.subarray(0, 24), bytes.length), true);
    const cut = bytes.subarray(0, bytes.length - 8);
    assert.equal(sniffOnnx(cut, cut.length), true, "a truncated model is still ONNX");
  });

  it("refuses text, pickles, random bytes and a model with no graph", () => {
    const text = new TextEncoder().encode('{"a": 1}');
    assert.equal(sniffOnnx(text, text.length), false);
    assert.equal(sniffOnnx(Uint8Array.from([0x80, 0x02, 0x7d, 0x71]), 4), false);
    assert.equal(sniffOnnx(Uint8Array.from([0x08, 0x08]), 2), false);
    const zeros = new Uint8Array(100);
    zeros.set([0x08, 0x08, 0x12, 0x50]);
    assert.equal(sniffOnnx(zeros, 100), false);
    assert.equal(sniffOnnx(Uint8Array.from([0x08, 0x00, 0x3a, 0x00]), 4), false);
    let state = 7;
    for (let n = 0; n < 2000; n += 1) {
      const random = Uint8Array.from({ length: 512 }, () => {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        return state >> 16;
      });
      random[0] = 0x08;
      assert.equal(sniffOnnx(random, 1 << 20), false, `random ${n}`);
    }
  });
});
