/**
 * Hostile bytes never crash the safetensors, GGUF, ONNX and SavedModel side-file scanners: every mutation of a valid
 * file ends in a report (clean or with findings), never in an exception.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ByteSource } from "../formats/byte-source.js";
import { buildGguf, LLAMA3_TEMPLATE } from "../formats/gguf/test-support/gguf-writer.js";
import { graph, graphAttr, model, node, tensor } from "../formats/onnx/test-support/onnx-writer.js";
import { validSafetensors } from "../formats/safetensors/test-support/safetensors-writer.js";
import {
  fingerprint,
  kerasMetadata,
  layerMetadata,
  savedObject,
} from "../formats/tf/test-support/side-file-writer.js";
import type { ScanContext } from "./context.js";
import { scanGguf } from "./scan-gguf.js";
import { scanOnnx } from "./scan-onnx.js";
import { scanSafetensors } from "./scan-safetensors.js";
import { scanKerasMetadata, scanTfFingerprint } from "./scan-savedmodel-sidecars.js";
import { runScanner } from "./test-support/model-format-context.js";

type Scanner = (
  s: ByteSource,
  m: string | undefined,
  c: ScanContext,
) => Promise<{ format: string }>;

function* mutations(seed: Uint8Array, count: number): Generator<Uint8Array> {
  let state = 12345;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % Math.max(n, 1);
  };
  for (let i = 0; i < count; i += 1) {
    const bytes = seed.slice();
    for (let k = 0; k <= next(4); k += 1) bytes[next(bytes.length)] = next(256);
    yield next(5) === 0 ? bytes.subarray(0, next(bytes.length)) : bytes;
  }
}

const SEEDS: [string, Scanner, Uint8Array][] = [
  ["safetensors", scanSafetensors, validSafetensors()],
  [
    "gguf",
    scanGguf,
    buildGguf({
      kv: [["tokenizer.chat_template", { type: "string", value: LLAMA3_TEMPLATE }]],
      tensors: [{ name: "w", dims: [8n], type: 0, offset: 0n }],
      dataBytes: 32,
    }),
  ],
  [
    "onnx",
    scanOnnx,
    model(graph([node("If", "", [graphAttr("g", graph([node("Relu")], [tensor("t", "a.bin")]))])])),
  ],
  [
    "keras_metadata.pb",
    scanKerasMetadata,
    kerasMetadata(
      savedObject({ nodePath: "root", metadata: layerMetadata("Dense", { name: "d", units: 2 }) }),
    ),
  ],
  ["fingerprint.pb", scanTfFingerprint, fingerprint()],
];

describe("model format scanners on mutated input", () => {
  for (const [name, scan, seed] of SEEDS) {
    it(`${name}: 1500 mutations each end in a report`, async () => {
      for (const bytes of mutations(seed, 1500)) {
        const result = await runScanner(scan, bytes);
        assert.ok(["clean", "suspicious", "dangerous", "unscannable"].includes(result.verdict));
      }
    });
  }
});
