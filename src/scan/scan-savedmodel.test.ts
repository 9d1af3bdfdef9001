import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../formats/byte-source.js";
import {
  type MetaGraphSpec,
  savedModelBytes,
  tf2Model,
} from "../formats/tf/test-support/saved-model-writer.js";
import { isSavedModel, scanSavedModel } from "./scan-savedmodel.js";
import { testContext } from "./test-support/keras-tf-context.js";

async function scan(bytes: Uint8Array, maxReadBytes?: number) {
  const ctx = testContext([], maxReadBytes === undefined ? {} : { maxReadBytes });
  const { format } = await scanSavedModel(new BufferSource(bytes), "m/saved_model.pb", ctx);
  const findings = ctx.collector.findings;
  return { format, verdict: ctx.collector.verdict, rules: findings.map((f) => f.rule), findings };
}
const scanGraphs = (...graphs: MetaGraphSpec[]) => scan(savedModelBytes(...graphs));

describe("scanSavedModel()", () => {
  it("calls a TF 2 model with its traced save and restore functions clean", async () => {
    const bytes = savedModelBytes(tf2Model());
    assert.equal(isSavedModel(bytes.subarray(0, 512), bytes.length), true);
    assert.deepEqual(await scan(bytes), {
      format: "tf-savedmodel",
      verdict: "clean",
      rules: [],
      findings: [],
    });
  });

  it("calls TF 1 saver nodes under save/ clean", async () => {
    const result = await scanGraphs({
      nodes: [
        { name: "x", op: "Placeholder" },
        { name: "save/SaveV2", op: "SaveV2" },
        { name: "save_1/RestoreV2", op: "RestoreV2" },
      ],
    });
    assert.equal(result.verdict, "clean");
  });

  for (const op of [
    "ReadFile",
    "WriteFile",
    "MatchingFiles",
    "PyFunc",
    "EagerPyFunc",
    "ImmutableConst",
  ]) {
    it(`reports ${op} in a serving function as tf/file-op`, async () => {
      const result = await scanGraphs(tf2Model([{ name: "n", op }]));
      assert.equal(result.verdict, "dangerous");
      assert.deepEqual(result.rules, ["tf/file-op"]);
    });
  }

  it("reports SaveV2 outside the saver (serving function, top-level graph)", async () => {
    const serving = await scanGraphs(tf2Model([{ name: "SaveV2", op: "SaveV2" }]));
    assert.deepEqual(serving.rules, ["tf/file-op"]);
    const graph = await scanGraphs({ nodes: [{ name: "evil/SaveV2", op: "SaveV2" }] });
    assert.deepEqual(graph.rules, ["tf/file-op"]);
  });

  it("reports a restore op inside the save function, and ReadFile even there", async () => {
    const result = await scanGraphs(
      tf2Model(
        [],
        [
          { name: "r", op: "RestoreV2" },
          { name: "f", op: "ReadFile" },
        ],
      ),
    );
    assert.equal(result.findings.length, 2);
    assert.ok(result.rules.every((rule) => rule === "tf/file-op"));
  });

  it("follows functions called through nested function attributes", async () => {
    const graph = tf2Model();
    const result = await scanGraphs({
      ...graph,
      functions: [
        ...(graph.functions ?? []).filter((f) => f.name !== "save_fn"),
        {
          name: "save_fn",
          nodes: [{ name: "call", op: "PartitionedCall", funcs: ["inner_save"] }],
        },
        { name: "inner_save", nodes: [{ name: "s", op: "SaveV2" }] },
      ],
    });
    assert.equal(result.verdict, "clean");
  });

  it("reports an op outside the standard list once per op as tf/custom-op", async () => {
    const result = await scanGraphs(
      tf2Model([
        { name: "a", op: "MyKernel" },
        { name: "b", op: "MyKernel" },
      ]),
    );
    assert.equal(result.verdict, "suspicious");
    assert.deepEqual(result.rules, ["tf/custom-op"]);
    assert.match(result.findings[0]?.message ?? "", /'MyKernel' \(2 nodes/);
  });

  it("accepts a library function called as an op", async () => {
    const result = await scanGraphs({
      nodes: [{ name: "call", op: "my_fn" }],
      functions: [{ name: "my_fn", nodes: [{ name: "m", op: "MatMul" }] }],
    });
    assert.equal(result.verdict, "clean");
  });

  it("checks every meta graph", async () => {
    const result = await scanGraphs(tf2Model(), {
      tags: ["train"],
      nodes: [{ name: "r", op: "ReadFile" }],
    });
    assert.match(result.findings[0]?.message ?? "", /meta graph 1 \[train\]/);
  });

  it("reports a truncated SavedModel as tf/malformed", async () => {
    const bytes = savedModelBytes(tf2Model());
    const result = await scan(bytes.subarray(0, bytes.length - 3));
    assert.deepEqual(result.rules, ["tf/malformed"]);
    assert.equal(result.verdict, "unscannable");
  });

  it("reports a node without an op as tf/malformed", async () => {
    const result = await scanGraphs({ nodes: [{ name: "n", op: "" }] });
    assert.deepEqual(result.rules, ["tf/malformed"]);
  });

  it("reports an input over maxReadBytes as scan/limit-exceeded", async () => {
    const result = await scan(savedModelBytes(tf2Model()), 10);
    assert.deepEqual(result.rules, ["scan/limit-exceeded"]);
  });
});
