import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ResultCache } from "./result-cache.js";

describe("ResultCache", () => {
  it("evicts the least recently used entry past its capacity", () => {
    const cache = new ResultCache<number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    assert.equal(cache.get("a"), 1);
    cache.set("c", 3);
    assert.equal(cache.get("b"), undefined);
    assert.equal(cache.get("a"), 1);
    assert.equal(cache.get("c"), 3);
    assert.equal(cache.size, 2);
  });
});
