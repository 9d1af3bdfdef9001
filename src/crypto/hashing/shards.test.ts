import assert from "node:assert/strict";
import { test } from "node:test";
import { fileShards } from "./shards.js";

test("fileShards() covers the file in shard-size ranges, the last one shorter", () => {
  assert.deepEqual(fileShards("m", 20, 8), [
    { path: "m", start: 0, end: 8 },
    { path: "m", start: 8, end: 16 },
    { path: "m", start: 16, end: 20 },
  ]);
  assert.deepEqual(fileShards("m", 16, 8).at(-1), { path: "m", start: 8, end: 16 });
  assert.deepEqual(fileShards("m", 3, 1_000_000_000), [{ path: "m", start: 0, end: 3 }]);
});

test("fileShards() gives an empty file no shards, as OMS does", () => {
  assert.deepEqual(fileShards("empty", 0, 8), []);
});

test("fileShards() rejects a size or shard size that is not an integer in range", () => {
  assert.throws(() => fileShards("m", -1, 8), RangeError);
  assert.throws(() => fileShards("m", 1.5, 8), RangeError);
  assert.throws(() => fileShards("m", 10, 0), RangeError);
  assert.throws(() => fileShards("m", 10, Number.POSITIVE_INFINITY), RangeError);
});
