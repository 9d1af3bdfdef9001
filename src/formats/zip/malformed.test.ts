import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { readZipDirectory } from "./read-directory.js";
import { buildZip, type TestEntry } from "./test-support/zip-writer.js";
import { DEFAULT_ZIP_LIMITS } from "./types.js";

const entries: TestEntry[] = [
  { name: "a/data.pkl", data: "pickle" },
  { name: "a/data/0", data: new Uint8Array(64), method: 8 },
];

async function rejectsWith(
  bytes: Uint8Array,
  code: string,
  limits = DEFAULT_ZIP_LIMITS,
): Promise<void> {
  await assert.rejects(readZipDirectory(new BufferSource(bytes), limits), (error: unknown) => {
    assert.ok(error instanceof FormatError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

function patch(bytes: Uint8Array, offset: number, value: number, width: 2 | 4 | 8): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (width === 2) view.setUint16(offset, value, true);
  else if (width === 4) view.setUint32(offset, value >>> 0, true);
  else view.setBigUint64(offset, BigInt(value), true);
  return copy;
}

const zip = buildZip(entries);
const eocd = zip.length - 22;
const cdOffset = new DataView(zip.buffer).getUint32(eocd + 16, true);

describe("readZipDirectory on malformed input", () => {
  it("rejects input without an end record as MALFORMED", async () => {
    await rejectsWith(new Uint8Array(10), "MALFORMED");
    await rejectsWith(new Uint8Array(1000), "MALFORMED");
    await rejectsWith(zip.subarray(0, eocd + 10), "MALFORMED");
  });

  it("rejects an entry count over the limit as LIMIT_EXCEEDED", async () => {
    await rejectsWith(zip, "LIMIT_EXCEEDED", { ...DEFAULT_ZIP_LIMITS, maxEntries: 1 });
    const absurd = buildZip([{ name: "a" }], {
      zip64End: true,
      saturateEnd: true,
      entryCount: 2 ** 40,
    });
    await rejectsWith(absurd, "LIMIT_EXCEEDED");
  });

  it("rejects a central directory over the size limit as LIMIT_EXCEEDED", async () => {
    await rejectsWith(zip, "LIMIT_EXCEEDED", {
      ...DEFAULT_ZIP_LIMITS,
      maxCentralDirectoryBytes: 50,
    });
  });

  it("rejects names over the length limit as LIMIT_EXCEEDED", async () => {
    await rejectsWith(zip, "LIMIT_EXCEEDED", { ...DEFAULT_ZIP_LIMITS, maxNameLength: 5 });
  });

  it("rejects more entries than the directory can hold as MALFORMED", async () => {
    await rejectsWith(patch(patch(zip, eocd + 10, 9, 2), eocd + 8, 9, 2), "MALFORMED");
  });

  it("rejects a directory that ends inside an entry as TRUNCATED", async () => {
    // 2 entries need at least 92 bytes; claim 93 so the second entry's name runs out.
    const short = buildZip(entries, { directorySize: 93 });
    await rejectsWith(short, "TRUNCATED");
  });

  it("rejects a directory that would end after the end record as MALFORMED", async () => {
    await rejectsWith(patch(zip, eocd + 16, eocd, 4), "MALFORMED");
  });

  it("rejects a bad central header signature as MALFORMED", async () => {
    await rejectsWith(patch(zip, cdOffset, 0x12345678, 4), "MALFORMED");
  });

  it("rejects a bad local header signature as MALFORMED", async () => {
    await rejectsWith(patch(zip, 0, 0x12345678, 4), "MALFORMED");
  });

  it("rejects member data that runs past the end of the file as TRUNCATED", async () => {
    await rejectsWith(patch(zip, cdOffset + 20, 0x7fff_0000, 4), "TRUNCATED");
  });

  it("rejects a local header offset past the end as TRUNCATED", async () => {
    await rejectsWith(patch(zip, cdOffset + 42, 0x7fff_0000, 4), "TRUNCATED");
  });

  it("rejects a saturated size without a zip64 extra as MALFORMED", async () => {
    await rejectsWith(patch(zip, cdOffset + 20, 0xffffffff, 4), "MALFORMED");
  });

  it("rejects an extra field block that runs past the extra data as MALFORMED", async () => {
    const bytes = buildZip([{ name: "a", data: "x", zip64: true }]);
    const cd = new DataView(bytes.buffer).getUint32(bytes.length - 22 + 16, true);
    await rejectsWith(patch(bytes, cd + 46 + 1 + 2, 200, 2), "MALFORMED");
  });

  it("rejects zip64 values past 2^53 as LIMIT_EXCEEDED", async () => {
    const bytes = buildZip([{ name: "a", data: "x", zip64: true }]);
    const cd = new DataView(bytes.buffer).getUint32(bytes.length - 22 + 16, true);
    const huge = bytes.slice();
    new DataView(huge.buffer).setBigUint64(cd + 46 + 1 + 4, 2n ** 60n, true);
    await rejectsWith(huge, "LIMIT_EXCEEDED");
  });

  it("rejects a zip64 locator that points at nothing as MALFORMED", async () => {
    const bytes = buildZip(entries, { zip64End: true });
    const locator = bytes.length - 22 - 20;
    const broken = patch(bytes, locator - 56, 0, 4); // wipe the record's signature
    await rejectsWith(broken, "MALFORMED");
  });

  it("rejects a zip64 record whose size field runs into the locator as MALFORMED", async () => {
    const bytes = buildZip(entries, { zip64End: true });
    await rejectsWith(patch(bytes, bytes.length - 22 - 20 - 56 + 4, 1000, 8), "MALFORMED");
  });

  it("rejects multi-disk archives as UNSUPPORTED", async () => {
    await rejectsWith(patch(zip, eocd + 4, 2, 2), "UNSUPPORTED");
    await rejectsWith(patch(zip, eocd + 8, 1, 2), "UNSUPPORTED");
  });

  it("throws only FormatError for thousands of random corruptions", async () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const base = buildZip(
      [...entries, { name: "a/c", data: "zzz", method: 8, descriptor: true, comment: "c" }],
      {
        comment: "note",
      },
    );
    for (let round = 0; round < 3000; round++) {
      const bytes = base.slice();
      for (let k = 0; k <= random(4); k++) bytes[random(bytes.length)] = random(256);
      const cut = random(8) === 0 ? bytes.subarray(0, random(bytes.length)) : bytes;
      try {
        await readZipDirectory(new BufferSource(cut));
      } catch (error) {
        assert.ok(error instanceof FormatError, `round ${round}: ${String(error)}`);
      }
    }
  });
});
