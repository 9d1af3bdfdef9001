import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readSavedModel } from "./read-saved-model.js";
import { isSavedModelHead } from "./sniff-saved-model.js";
import { savedModelBytes, tf2Model } from "./test-support/saved-model-writer.js";

describe("readSavedModel()", () => {
  it("reads graph nodes, library functions, function attributes and the saver", () => {
    const model = readSavedModel(savedModelBytes(tf2Model()));
    assert.equal(model.schemaVersion, 1);
    const [graph] = model.metaGraphs;
    assert.ok(graph);
    assert.deepEqual(graph.tags, ["serve"]);
    assert.deepEqual(
      graph.nodes.map((n) => n.op),
      [
        "Placeholder",
        "StatefulPartitionedCall",
        "StatefulPartitionedCall",
        "StatefulPartitionedCall",
      ],
    );
    assert.deepEqual(graph.nodes[1]?.calls, ["serve_fn"]);
    assert.deepEqual(
      graph.functions.map((f) => f.name),
      ["serve_fn", "save_fn", "restore_fn"],
    );
    assert.deepEqual(graph.saver, {
      saveTensorName: "StatefulPartitionedCall_1:0",
      restoreOpName: "StatefulPartitionedCall_2",
    });
  });

  it("reads functions named in list attributes (Case branches)", () => {
    const model = readSavedModel(
      savedModelBytes({ nodes: [{ name: "case", op: "Case", listFuncs: ["a", "b"] }] }),
    );
    assert.deepEqual(model.metaGraphs[0]?.nodes[0]?.calls, ["a", "b"]);
  });

  it("reads every meta graph", () => {
    const model = readSavedModel(savedModelBytes({ tags: ["serve"] }, { tags: ["train"] }));
    assert.deepEqual(
      model.metaGraphs.map((g) => g.tags),
      [["serve"], ["train"]],
    );
  });
});

describe("isSavedModelHead()", () => {
  it("recognises a SavedModel", () => {
    const bytes = savedModelBytes(tf2Model());
    assert.equal(isSavedModelHead(bytes.subarray(0, 512), bytes.length), true);
  });

  it("rejects an ONNX-like header (ir_version then a producer_name string)", () => {
    const onnx = new Uint8Array([
      0x08,
      0x07,
      0x12,
      0x07,
      ...new TextEncoder().encode("pytorch"),
      0x1a,
      0x01,
      0x32,
    ]);
    assert.equal(isSavedModelHead(onnx, onnx.length), false);
  });

  it("rejects text, pickles and empty input", () => {
    for (const head of [
      new TextEncoder().encode('{"a": 1}'),
      new Uint8Array([0x80, 0x04]),
      new Uint8Array(),
    ]) {
      assert.equal(isSavedModelHead(head, head.length), false);
    }
  });
});
