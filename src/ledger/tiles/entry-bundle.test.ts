import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeEntryBundle, encodeEntryBundle, MAX_ENTRY_SIZE } from "./entry-bundle.js";

describe("entry bundles", () => {
  it("entries are big-endian uint16 length-prefixed", () => {
    const bundle = encodeEntryBundle([Uint8Array.of(0xaa), new Uint8Array(0), Uint8Array.of(1, 2)]);
    assert.deepEqual([...bundle], [0, 1, 0xaa, 0, 0, 0, 2, 1, 2]);
    assert.deepEqual(decodeEntryBundle(bundle, 3), [
      Uint8Array.of(0xaa),
      new Uint8Array(0),
      Uint8Array.of(1, 2),
    ]);
  });

  it("round-trips a full bundle with a 65,535-byte entry", () => {
    const entries = Array.from({ length: 256 }, (_, i) => new Uint8Array(i).fill(i));
    entries[7] = new Uint8Array(MAX_ENTRY_SIZE).fill(7);
    assert.deepEqual(decodeEntryBundle(encodeEntryBundle(entries), 256), entries);
  });

  it("decoding a subarray reads from its own offset", () => {
    const bundle = encodeEntryBundle([Uint8Array.of(9, 9)]);
    const padded = new Uint8Array(bundle.length + 5);
    padded.set(bundle, 5);
    assert.deepEqual(decodeEntryBundle(padded.subarray(5), 1), [Uint8Array.of(9, 9)]);
  });

  it("encoding refuses entries over 65,535 bytes and counts outside 1..256", () => {
    assert.throws(() => encodeEntryBundle([new Uint8Array(MAX_ENTRY_SIZE + 1)]), {
      code: "LIMIT_EXCEEDED",
    });
    assert.throws(() => encodeEntryBundle([]), { code: "MALFORMED_ENTRY_BUNDLE" });
    const tooMany = Array.from({ length: 257 }, () => new Uint8Array(0));
    assert.throws(() => encodeEntryBundle(tooMany), { code: "MALFORMED_ENTRY_BUNDLE" });
  });
});

describe("decodeEntryBundle refuses malformed bundles built in code", () => {
  const good = encodeEntryBundle([Uint8Array.of(1, 2, 3), Uint8Array.of(4)]);

  it("a truncated length prefix or entry", () => {
    for (let cut = 0; cut < good.length; cut++) {
      assert.throws(() => decodeEntryBundle(good.subarray(0, cut), 2), {
        code: "MALFORMED_ENTRY_BUNDLE",
      });
    }
  });

  it("trailing bytes after the expected entries", () => {
    assert.throws(() => decodeEntryBundle(Uint8Array.of(...good, 0), 2), {
      code: "MALFORMED_ENTRY_BUNDLE",
    });
    assert.throws(() => decodeEntryBundle(good, 1), { code: "MALFORMED_ENTRY_BUNDLE" });
  });

  it("fewer entries than the width", () => {
    assert.throws(() => decodeEntryBundle(good, 3), { code: "MALFORMED_ENTRY_BUNDLE" });
  });

  it("a length prefix pointing past the end", () => {
    assert.throws(() => decodeEntryBundle(Uint8Array.of(0xff, 0xff, 1, 2), 1), {
      code: "MALFORMED_ENTRY_BUNDLE",
    });
  });

  it("a width outside 1..256", () => {
    for (const width of [0, 257, Number.NaN]) {
      assert.throws(() => decodeEntryBundle(good, width), { code: "MALFORMED_ENTRY_BUNDLE" });
    }
  });

  it("more bytes than the largest possible bundle", () => {
    assert.throws(() => decodeEntryBundle(new Uint8Array(256 * 65_537 + 1), 256), {
      code: "LIMIT_EXCEEDED",
    });
  });
});
