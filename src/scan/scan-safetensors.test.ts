import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildSafetensors,
  validSafetensors,
} from "../formats/safetensors/test-support/safetensors-writer.js";
import { isSafetensors, scanSafetensors } from "./scan-safetensors.js";
import { runScanner } from "./test-support/model-format-context.js";

describe("scanSafetensors()", () => {
  it("calls a valid file clean with no findings and reads only its header", async () => {
    const bytes = validSafetensors();
    const result = await runScanner(scanSafetensors, bytes);
    assert.equal(result.format, "safetensors");
    assert.equal(result.verdict, "clean");
    assert.deepEqual(result.findings, []);
    assert.ok(result.bytesRead < bytes.length);
  });

  it("reports every violation of the reference rules as safetensors/malformed", async () => {
    const t = (dtype: string, shape: number[], offsets: number[]) => ({
      dtype,
      shape,
      data_offsets: offsets,
    });
    const cases: [string, Uint8Array][] = [
      ["header past the file", buildSafetensors("{}", 0, 500n)],
      [
        "duplicate key",
        buildSafetensors(
          '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}',
          1,
        ),
      ],
      ["non-string metadata", buildSafetensors({ __metadata__: { n: 1 } })],
      ["unknown dtype", buildSafetensors({ a: t("Q4", [1], [0, 1]) }, 1)],
      ["size mismatch", buildSafetensors({ a: t("F32", [2], [0, 4]) }, 4)],
      ["gap", buildSafetensors({ a: t("U8", [1], [0, 1]), b: t("U8", [1], [2, 3]) }, 3)],
      ["overlap", buildSafetensors({ a: t("U8", [2], [0, 2]), b: t("U8", [2], [1, 3]) }, 3)],
      ["trailing bytes", buildSafetensors({ a: t("U8", [1], [0, 1]) }, 9)],
      ["not JSON", buildSafetensors("{nope}")],
    ];
    for (const [what, bytes] of cases) {
      const result = await runScanner(scanSafetensors, bytes);
      assert.deepEqual(result.rules, ["safetensors/malformed"], what);
      assert.equal(result.verdict, "unscannable", what);
    }
  });
});

describe("isSafetensors()", () => {
  it("recognises a plausible length followed by '{'", () => {
    const bytes = validSafetensors();
    assert.equal(isSafetensors(bytes.subarray(0, 512), bytes.length), true);
  });

  it("refuses lengths past the file, over the cap, and headers not starting with '{'", () => {
    assert.equal(isSafetensors(buildSafetensors("{}", 0, 900n), 10), false);
    assert.equal(isSafetensors(buildSafetensors("{}", 0, 100_000_001n), 200_000_000), false);
    const spaced = buildSafetensors("  {}");
    assert.equal(isSafetensors(spaced, spaced.length), true);
    const noBrace = buildSafetensors("[1]");
    assert.equal(isSafetensors(noBrace, noBrace.length), false);
    assert.equal(isSafetensors(new Uint8Array(4), 4), false);
  });
});
