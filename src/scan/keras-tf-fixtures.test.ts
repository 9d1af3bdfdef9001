/**
 * Every Keras and SavedModel fixture (written by scripts/fixtures/generate_keras_tf.py the way
 * Keras 2, Keras 3 and TensorFlow write them) gets the verdict its manifest expects.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { FileSource } from "../formats/byte-source.js";
import { scanKerasOrTf } from "./test-support/keras-tf-context.js";
import type { Verdict } from "./types.js";

const ROOT = fileURLToPath(new URL("../../fixtures/formats/", import.meta.url));

interface Entry {
  readonly path: string;
  readonly expect: Verdict;
  readonly description: string;
}

const manifest = JSON.parse(readFileSync(join(ROOT, "keras-tf-manifest.json"), "utf8")) as Entry[];

describe("Keras and SavedModel scanners on the fixture corpus", () => {
  for (const entry of manifest) {
    it(`${entry.path} is ${entry.expect}`, async () => {
      const source = await FileSource.open(join(ROOT, entry.path));
      try {
        const result = await scanKerasOrTf(source);
        assert.equal(
          result.verdict,
          entry.expect,
          `${entry.description}\n${JSON.stringify(result.findings, null, 1).slice(0, 2000)}`,
        );
      } finally {
        await source.close();
      }
    });
  }
});
