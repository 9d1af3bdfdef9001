import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  fingerprint,
  kerasMetadata,
  layerMetadata,
  savedObject,
} from "../formats/tf/test-support/side-file-writer.js";
import { scanBuffer } from "./scan-file.js";

const LAMBDA = layerMetadata("Lambda", {
  name: "lambda",
  function: ["4wEAAAAAAAAAAAAAAAEAAAAEAAAAQwAAAHMMAAAAdABkAYMBfABTAKkCTmcAAA==", null, null],
  function_type: "lambda",
  module: "__main__",
  output_shape: null,
  arguments: {},
});
const model = (...layers: string[]) =>
  kerasMetadata(
    savedObject({ nodePath: "root", identifier: "_tf_keras_sequential", metadata: "{}" }),
    ...layers.map((metadata, i) =>
      savedObject({
        nodeId: i + 1,
        nodePath: `root.layer-${i}`,
        identifier: "_tf_keras_layer",
        metadata,
      }),
    ),
  );
const scan = async (bytes: Uint8Array) => {
  const result = await scanBuffer(bytes, "keras_metadata.pb");
  return { ...result, rules: result.findings.map((f) => f.rule) };
};

describe("scan() of keras_metadata.pb", () => {
  it("calls Keras's own layers clean", async () => {
    const result = await scan(model(layerMetadata("Dense", { name: "dense", units: 4 })));
    assert.equal(result.format, "keras-savedmodel-metadata");
    assert.equal(result.verdict, "clean");
    assert.deepEqual(result.rules, []);
  });

  it("reports a Lambda layer in a node's metadata as keras/lambda", async () => {
    const result = await scan(model(layerMetadata("Dense", { name: "d" }), LAMBDA));
    assert.equal(result.verdict, "dangerous");
    // The Lambda's `module: "__main__"` is also a module outside Keras.
    assert.deepEqual(result.rules, ["keras/lambda", "keras/unsafe-module"]);
    assert.match(result.findings[0]?.message ?? "", /node 2 'root.layer-1'/);
  });

  it("reports a Lambda nested in a model node's model_config", async () => {
    const root = JSON.stringify({
      class_name: "Sequential",
      model_config: { class_name: "Sequential", config: { layers: [JSON.parse(LAMBDA)] } },
    });
    const result = await scan(kerasMetadata(savedObject({ nodePath: "root", metadata: root })));
    assert.ok(result.rules.includes("keras/lambda"));
    assert.equal(result.verdict, "dangerous");
  });

  it("reports a module outside Keras and a dangerous one", async () => {
    const custom = JSON.stringify({ class_name: "MyLayer", module: "mypkg.layers", config: {} });
    assert.equal((await scan(model(custom))).verdict, "suspicious");
    const evil = JSON.stringify({ class_name: "system", module: "os", config: {} });
    const result = await scan(model(evil));
    assert.equal(result.verdict, "dangerous");
    assert.deepEqual(result.rules, ["keras/unsafe-module"]);
  });

  it("reports metadata that is not JSON as keras/malformed", async () => {
    const result = await scan(model("{not json"));
    assert.deepEqual(result.rules, ["keras/malformed"]);
    assert.equal(result.verdict, "unscannable");
  });

  it("reports a truncated file as tf/malformed", async () => {
    const bytes = model(LAMBDA);
    const result = await scan(bytes.subarray(0, bytes.length - 10));
    assert.equal(result.format, "keras-savedmodel-metadata");
    assert.deepEqual(result.rules, ["tf/malformed"]);
  });
});

describe("scan() of fingerprint.pb", () => {
  it("calls a fingerprint clean", async () => {
    const result = await scan(fingerprint());
    assert.equal(result.format, "tf-fingerprint");
    assert.equal(result.verdict, "clean");
  });

  it("reports a damaged fingerprint as tf/malformed", async () => {
    const good = fingerprint();
    const result = await scan(Uint8Array.from([...good, 0x40, 0x01]));
    assert.equal(result.format, "tf-fingerprint");
    assert.deepEqual(result.rules, ["tf/malformed"]);
    assert.equal(result.verdict, "unscannable");
  });
});
