import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { readZipDirectory } from "./read-directory.js";
import { readZipMember } from "./read-member.js";
import { buildZip, type TestEntry } from "./test-support/zip-writer.js";
import type { ZipEntry } from "./types.js";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

async function open(
  entries: TestEntry[],
): Promise<{ source: BufferSource; entries: readonly ZipEntry[] }> {
  const source = new BufferSource(buildZip(entries));
  return { source, entries: (await readZipDirectory(source)).entries };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(
    promise,
    (error: unknown) => error instanceof FormatError && error.code === code,
  );
}

describe("readZipMember", () => {
  it("reads stored and deflated members and checks their CRC", async () => {
    const { source, entries } = await open([
      { name: "a", data: "stored bytes" },
      { name: "b", data: "deflated ".repeat(50), method: 8 },
    ]);
    const stored = await readZipMember(source, entries[0]!, 1000);
    assert.equal(text(stored.bytes), "stored bytes");
    assert.equal(stored.crcOk, true);
    const deflated = await readZipMember(source, entries[1]!, 1000);
    assert.equal(text(deflated.bytes), "deflated ".repeat(50));
    assert.equal(deflated.crcOk, true);
  });

  it("returns the bytes of a member whose CRC is wrong, with crcOk false (CVE-2025-10156)", async () => {
    const { source, entries } = await open([{ name: "a", data: "patched", crc: 1234 }]);
    const member = await readZipMember(source, entries[0]!, 1000);
    assert.equal(text(member.bytes), "patched");
    assert.equal(member.crcOk, false);
  });

  it("reads a member behind a local name and extra that differ from the central ones", async () => {
    const { source, entries } = await open([
      {
        name: "a/data.pkl",
        localName: "a/datap.kl",
        localExtra: new Uint8Array([0x46, 0x42, 2, 0, 9, 9]),
        data: "payload",
      },
    ]);
    assert.equal(text((await readZipMember(source, entries[0]!, 100)).bytes), "payload");
  });

  it("refuses a declared size over the cap with LIMIT_EXCEEDED", async () => {
    const { source, entries } = await open([{ name: "a", data: new Uint8Array(2000), method: 8 }]);
    await rejectsWith(readZipMember(source, entries[0]!, 1999), "LIMIT_EXCEEDED");
  });

  it("refuses deflate output larger than declared (a size lie) with MALFORMED", async () => {
    const { source, entries } = await open([{ name: "a", data: new Uint8Array(5000), method: 8 }]);
    const lying: ZipEntry = { ...entries[0]!, uncompressedSize: 100 };
    await rejectsWith(readZipMember(source, lying, 1000), "MALFORMED");
    await rejectsWith(
      readZipMember(source, { ...entries[0]!, uncompressedSize: 6000 }, 10_000),
      "MALFORMED",
    );
  });

  it("reports a cut deflate stream as TRUNCATED and garbage as MALFORMED", async () => {
    const { source, entries } = await open([
      { name: "a", data: "some text ".repeat(100), method: 8 },
    ]);
    await rejectsWith(
      readZipMember(source, { ...entries[0]!, compressedSize: 5 }, 10_000),
      "TRUNCATED",
    );
    const garbage = await open([
      { name: "g", data: new Uint8Array([0xff, 0xff, 0xff, 0xff]), method: 0 },
    ]);
    await rejectsWith(
      readZipMember(garbage.source, { ...garbage.entries[0]!, method: 8 }, 10_000),
      "MALFORMED",
    );
  });

  it("refuses methods other than stored and deflated with UNSUPPORTED", async () => {
    const { source, entries } = await open([{ name: "a", method: 12, data: "BZh9" }]);
    await rejectsWith(readZipMember(source, entries[0]!, 100), "UNSUPPORTED");
  });

  it("refuses a stored member whose sizes differ with MALFORMED", async () => {
    const { source, entries } = await open([{ name: "a", data: "abc" }]);
    await rejectsWith(
      readZipMember(source, { ...entries[0]!, uncompressedSize: 2 }, 100),
      "MALFORMED",
    );
  });
});
