/** Every non-canonical spelling of a tile path, built in code, is refused. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEntryBundlePath, parseTilePath } from "./tile-path.js";

describe("parseTilePath refuses non-canonical paths", () => {
  const malformed = [
    "",
    "tile/0/67",
    "tile/0/0067",
    "tile/0/x000/067",
    "tile/0/x001/x234/67",
    "tile/0/001/234/067",
    "tile/0/x001/x234",
    "tile/00/000",
    "tile/01/000",
    "tile/64/000",
    "tile/-1/000",
    "tile/0/000.p/0",
    "tile/0/000.p/256",
    "tile/0/000.p/012",
    "tile/0/000.p/",
    "tile/0/000.p",
    "tile/0/000/",
    "/tile/0/000",
    "tile/0/000?x=1",
    "tile/0/X001/000",
    "tile/0/x001//000",
    "tile/entries/000",
    "tile/0/\u0660\u0660\u0660",
    `tile/0/${"x001/".repeat(20)}000`,
    `tile/0/000${" ".repeat(1_000_000)}`,
  ];
  for (const path of malformed) {
    it(`refuses ${JSON.stringify(path.slice(0, 40))}`, () => {
      assert.throws(() => parseTilePath(path), { code: "MALFORMED_TILE_PATH" });
    });
  }

  it("refuses an index a safe-integer tree cannot reach", () => {
    assert.throws(() => parseTilePath("tile/0/x999/x999/x999/x999/x999/999"), {
      code: "OUT_OF_RANGE",
    });
    assert.throws(() => parseTilePath("tile/6/001"), { code: "OUT_OF_RANGE" });
    assert.throws(() => parseTilePath("tile/63/000"), { code: "OUT_OF_RANGE" });
  });
});

describe("parseEntryBundlePath refuses non-canonical paths", () => {
  for (const path of [
    "tile/entries/67",
    "tile/entries/x000/067",
    "tile/entries/000.p/256",
    "tile/entries/000.p/0",
    "tile/0/000",
    "tile/entries/",
    "tile/entries",
  ]) {
    it(`refuses ${JSON.stringify(path)}`, () => {
      assert.throws(() => parseEntryBundlePath(path), { code: "MALFORMED_TILE_PATH" });
    });
  }
});
