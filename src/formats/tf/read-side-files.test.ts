import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isFingerprintHead, readFingerprint } from "./read-fingerprint.js";
import { isKerasMetadataHead, readKerasMetadata } from "./read-keras-metadata.js";
import { isSavedModelHead } from "./sniff-saved-model.js";
import { savedModelBytes, tf2Model } from "./test-support/saved-model-writer.js";
import {
  fingerprint,
  kerasMetadata,
  layerMetadata,
  savedObject,
} from "./test-support/side-file-writer.js";

const dense = layerMetadata("Dense", { name: "dense", units: 4 });

describe("readKerasMetadata()", () => {
  it("reads every node's id, path, identifier and metadata text", () => {
    const bytes = kerasMetadata(
      savedObject({ nodePath: "root", identifier: "_tf_keras_sequential", metadata: "{}" }),
      savedObject({
        nodeId: 1,
        nodePath: "root.layer-0",
        identifier: "_tf_keras_layer",
        metadata: dense,
      }),
    );
    assert.equal(isKerasMetadataHead(bytes.subarray(0, 512), bytes.length), true);
    assert.deepEqual(readKerasMetadata(bytes), [
      { nodeId: 0, nodePath: "root", identifier: "_tf_keras_sequential", metadata: "{}" },
      { nodeId: 1, nodePath: "root.layer-0", identifier: "_tf_keras_layer", metadata: dense },
    ]);
  });

  it("is not taken for text that starts with newlines, or for a SavedModel", () => {
    const text = new TextEncoder().encode('\n\n\n"hello" *2 world\n');
    assert.equal(isKerasMetadataHead(text, text.length), false);
    const model = savedModelBytes(tf2Model());
    assert.equal(isKerasMetadataHead(model.subarray(0, 512), model.length), false);
  });
});

describe("readFingerprint()", () => {
  it("reads the five hashes, the version and the uuid", () => {
    const bytes = fingerprint();
    assert.equal(isFingerprintHead(bytes, bytes.length), true);
    const read = readFingerprint(bytes);
    assert.equal(read.hashes.get(1), "12345678901234567890");
    assert.equal(read.hashes.size, 5);
    assert.equal(read.version?.producer, 1);
    assert.equal(read.uuid, "1d8a5c3e-7b44-4b9a-9c1e-0f2b3a4d5e6f");
    assert.equal(readFingerprint(fingerprint(null)).uuid, undefined);
  });

  it("is not taken for a SavedModel, and a SavedModel is not taken for it", () => {
    const model = savedModelBytes(tf2Model());
    assert.equal(isFingerprintHead(model.subarray(0, 512), model.length), false);
    const bytes = fingerprint();
    assert.equal(isSavedModelHead(bytes, bytes.length), false);
  });
});
