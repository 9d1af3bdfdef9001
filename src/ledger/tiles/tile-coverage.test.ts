import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tileCoverage, tilesAddedBetween, tilesForSize } from "./tile-coverage.js";
import { formatTilePath } from "./tile-path.js";

const paths = (tiles: Iterable<{ level: number; index: number; width: number }>) =>
  [...tiles].map(formatTilePath);

describe("tiles covering a tree", () => {
  it("size 70,000 is the C2SP tlog-tiles example", () => {
    // "273 full level 0 tiles, one partial level 0 tile of width 112, one full level 1 tile, one
    // partial level 1 tile of width 17, and one partial level 2 tile of width 1."
    assert.deepEqual(tileCoverage(70_000), [
      { level: 0, full: 273, partial: 112 },
      { level: 1, full: 1, partial: 17 },
      { level: 2, full: 0, partial: 1 },
    ]);
    const all = [...tilesForSize(70_000)];
    assert.equal(all.length, 273 + 1 + 1 + 1 + 1);
    assert.deepEqual(all.slice(272, 274).map(formatTilePath), ["tile/0/272", "tile/0/273.p/112"]);
    assert.deepEqual(all.slice(274).map(formatTilePath), [
      "tile/1/000",
      "tile/1/001.p/17",
      "tile/2/000.p/1",
    ]);
  });

  it("size 256 is one full level 0 tile and a partial level 1 tile of width 1", () => {
    assert.deepEqual(paths(tilesForSize(256)), ["tile/0/000", "tile/1/000.p/1"]);
  });

  it("the empty tree has no tiles and sizes past 2^53 are refused", () => {
    assert.deepEqual(paths(tilesForSize(0)), []);
    assert.throws(() => tileCoverage(2 ** 53), { code: "OUT_OF_RANGE" });
    assert.throws(() => [...tilesAddedBetween(-1, 5)], { code: "OUT_OF_RANGE" });
  });

  it("tilesAddedBetween lists exactly what is new at the larger size", () => {
    assert.deepEqual(paths(tilesAddedBetween(250, 260)), [
      "tile/0/000",
      "tile/0/001.p/4",
      "tile/1/000.p/1",
    ]);
    assert.deepEqual(paths(tilesAddedBetween(260, 260)), []);
    assert.deepEqual(paths(tilesAddedBetween(257, 258)), ["tile/0/001.p/2"]);
    // Growing 65535 -> 65536 completes tiles on two levels at once.
    assert.deepEqual(paths(tilesAddedBetween(65_535, 65_536)), [
      "tile/0/255",
      "tile/1/000",
      "tile/2/000.p/1",
    ]);
  });

  it("the tiles added over any sequence of growths are the tiles of the final size", () => {
    const steps = [0, 1, 255, 256, 300, 511, 512, 4_000, 65_536, 70_000];
    const full = new Set<string>();
    for (let i = 1; i < steps.length; i++) {
      for (const t of tilesAddedBetween(steps[i - 1]!, steps[i]!)) {
        if (t.width === 256) full.add(formatTilePath(t));
      }
    }
    const expected = paths(tilesForSize(70_000)).filter((p) => !p.includes(".p/"));
    assert.deepEqual([...full].sort(), expected.sort());
  });
});
