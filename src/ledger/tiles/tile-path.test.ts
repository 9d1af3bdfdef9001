import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatEntryBundlePath,
  formatTilePath,
  parseEntryBundlePath,
  parseTilePath,
} from "./tile-path.js";

describe("C2SP tlog-tiles paths", () => {
  it("encodes N in 3-digit groups, all but the last starting with x", () => {
    assert.equal(formatTilePath({ level: 0, index: 1234067, width: 256 }), "tile/0/x001/x234/067");
    assert.equal(formatTilePath({ level: 2, index: 0, width: 256 }), "tile/2/000");
    assert.equal(formatTilePath({ level: 1, index: 999, width: 17 }), "tile/1/999.p/17");
    assert.equal(formatTilePath({ level: 0, index: 1000, width: 1 }), "tile/0/x001/000.p/1");
    assert.equal(
      formatEntryBundlePath({ index: 1234067, width: 112 }),
      "tile/entries/x001/x234/067.p/112",
    );
    assert.equal(formatEntryBundlePath({ index: 5, width: 256 }), "tile/entries/005");
  });

  it("parse inverts format for hash tiles and entry bundles", () => {
    const tiles = [
      { level: 0, index: 0, width: 256 },
      { level: 0, index: 1234067, width: 8 },
      { level: 5, index: 2, width: 255 },
      { level: 1, index: 1_000_000_000, width: 256 },
    ];
    for (const tile of tiles) assert.deepEqual(parseTilePath(formatTilePath(tile)), tile);
    for (const { index, width } of tiles) {
      const bundle = { index, width };
      assert.deepEqual(parseEntryBundlePath(formatEntryBundlePath(bundle)), bundle);
    }
  });

  it("format rejects impossible tiles", () => {
    for (const tile of [
      { level: 64, index: 0, width: 256 },
      { level: 0, index: -1, width: 256 },
      { level: 0, index: 0, width: 0 },
      { level: 0, index: 0, width: 257 },
      { level: 0, index: 0.5, width: 1 },
      { level: 7, index: 0, width: 1 },
    ]) {
      assert.throws(() => formatTilePath(tile), { code: "OUT_OF_RANGE" }, JSON.stringify(tile));
    }
  });
});
