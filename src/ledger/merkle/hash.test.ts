import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { EMPTY_TREE_HASH, leafHash, nodeHash } from "./hash.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("RFC 9162 §2.1.1 hashing", () => {
  it("the empty tree hashes to SHA-256 of nothing", () => {
    assert.equal(
      hex(EMPTY_TREE_HASH),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("leafHash prefixes 0x00: the empty leaf gives the RFC 6962 test value", () => {
    assert.equal(
      hex(leafHash(new Uint8Array(0))),
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    );
  });

  it("nodeHash prefixes 0x01, so a leaf and a node over the same bytes differ", () => {
    const l = leafHash(Uint8Array.of(1));
    const r = leafHash(Uint8Array.of(2));
    const expected = createHash("sha256").update(Uint8Array.of(1)).update(l).update(r).digest();
    assert.equal(hex(nodeHash(l, r)), expected.toString("hex"));
    assert.notEqual(hex(nodeHash(l, r)), hex(leafHash(Buffer.concat([l, r]))));
  });
});
