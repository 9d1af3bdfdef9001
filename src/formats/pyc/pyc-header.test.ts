import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { magicForVersion, supportedVersions, versionForMagic } from "./magic.js";
import { readPycHeader } from "./pyc-header.js";
import { concat, i32 } from "./test-support/marshal-writer.js";

const magic311 = magicForVersion({ major: 3, minor: 11 });

describe("readPycHeader", () => {
  it("reads a timestamp header's mtime and size", () => {
    const header = readPycHeader(concat(magic311, i32(0), i32(1_700_000_000), i32(1234)));
    assert.equal(header.kind, "timestamp");
    assert.deepEqual(header.version, { major: 3, minor: 11 });
    assert.ok(header.kind === "timestamp");
    assert.equal(header.sourceMtime, 1_700_000_000);
    assert.equal(header.sourceSize, 1234);
  });

  it("reads checked and unchecked hash-based headers (PEP 552 flags)", () => {
    const hash = [1, 2, 3, 4, 5, 6, 7, 8];
    for (const [flags, checked] of [
      [0b01, false],
      [0b11, true],
    ] as const) {
      const header = readPycHeader(concat(magic311, i32(flags), hash));
      assert.ok(header.kind === "hash");
      assert.equal(header.checkSource, checked);
      assert.deepEqual([...header.sourceHash], hash);
    }
  });

  it("treats check_source without hash_based as a timestamp pyc, as CPython does", () => {
    assert.equal(readPycHeader(concat(magic311, i32(0b10), i32(0), i32(0))).kind, "timestamp");
  });

  it("maps each release magic number to its version and back", () => {
    assert.deepEqual(versionForMagic(Uint8Array.of(0xa7, 0x0d, 0x0d, 0x0a)), {
      major: 3,
      minor: 11,
    });
    assert.deepEqual(versionForMagic(Uint8Array.of(0x42, 0x0d, 0x0d, 0x0a)), {
      major: 3,
      minor: 7,
    });
    for (const version of supportedVersions()) {
      assert.deepEqual(versionForMagic(magicForVersion(version)), version);
    }
  });
});
