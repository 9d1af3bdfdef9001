import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { archiveRootFolder } from "./archive-root.js";
import { sniffZip } from "./end-record.js";
import { readZipDirectory } from "./read-directory.js";
import { buildZip, type TestEntry, type TestZipOptions } from "./test-support/zip-writer.js";
import type { ZipAnomalyCode, ZipArchive } from "./types.js";

const read = (entries: TestEntry[], options?: TestZipOptions): Promise<ZipArchive> =>
  readZipDirectory(new BufferSource(buildZip(entries, options)));
const codes = (archive: ZipArchive): ZipAnomalyCode[] => archive.anomalies.map((a) => a.code);
const torchLike: TestEntry[] = [
  { name: "archive/data.pkl", data: "\x80\x02}q\x00." },
  { name: "archive/byteorder", data: "little" },
  { name: "archive/data/0", data: new Uint8Array(256), method: 8 },
  { name: "archive/version", data: "3\n" },
];

describe("readZipDirectory", () => {
  it("lists entries with local data offsets and reports no anomalies for a plain archive", async () => {
    const archive = await read(torchLike);
    assert.deepEqual(
      archive.entries.map((e) => e.name),
      torchLike.map((e) => e.name),
    );
    assert.deepEqual(archive.anomalies, []);
    assert.deepEqual(archive.gaps, []);
    assert.equal(archive.startOffset, 0);
    const first = archive.entries[0]!;
    assert.equal(first.localHeaderOffset, 0);
    assert.equal(first.dataOffset, 30 + "archive/data.pkl".length);
    assert.equal(archive.entries[2]!.method, 8);
    assert.equal(archiveRootFolder(archive.entries), "archive");
  });

  it("takes the root folder from the first entry, whatever it is called", async () => {
    const archive = await read([{ name: "anything/data.pkl" }, { name: "other/x" }]);
    assert.equal(archiveRootFolder(archive.entries), "anything");
    assert.equal(archiveRootFolder((await read([{ name: "flat.pkl" }])).entries), null);
  });

  it("reads only the directory and headers, never member data", async () => {
    const source = new BufferSource(buildZip([{ name: "a/big", data: new Uint8Array(1 << 20) }]));
    await readZipDirectory(source);
    assert.ok(source.bytesRead < 70_000, `read ${source.bytesRead} bytes`);
  });

  it("computes dataOffset from the LOCAL header's extra length, not the central one", async () => {
    const padding = new Uint8Array([0x46, 0x42, 10, 0, ...new Array(10).fill(0x5a)]);
    const archive = await read([{ name: "a/data.pkl", data: "x", localExtra: padding }]);
    assert.equal(archive.entries[0]!.dataOffset, 30 + 10 + padding.length);
    assert.deepEqual(archive.anomalies, []);
  });

  it("reports a duplicated name", async () => {
    const archive = await read([{ name: "a/data.pkl" }, { name: "a/data.pkl", data: "2" }]);
    assert.deepEqual(codes(archive), ["duplicate-name"]);
  });

  it("reports a local name that differs from the central name (CVE-2025-1944)", async () => {
    const archive = await read([{ name: "a/data.pkl", localName: "a/datap.kl" }]);
    assert.deepEqual(codes(archive), ["local-name-mismatch"]);
    assert.equal(archive.entries[0]!.localName, "a/datap.kl");
  });

  it("reports CRC, size and method differences between local and central headers", async () => {
    assert.deepEqual(codes(await read([{ name: "a", data: "x", localCrc: 1 }])), [
      "local-header-mismatch",
    ]);
    assert.deepEqual(codes(await read([{ name: "a", data: "x", localCompressedSize: 0 }])), [
      "local-header-mismatch",
    ]);
  });

  it("reports encryption and unusual flag bits in either header (CVE-2025-1945)", async () => {
    const central = await read([{ name: "a", flags: 0x1, localFlags: 0x1 }]);
    assert.deepEqual(codes(central).sort(), ["encrypted", "encrypted", "flag-bits", "flag-bits"]);
    const localOnly = await read([{ name: "a", localFlags: 0x20 }]);
    assert.deepEqual(codes(localOnly).sort(), ["flag-bits", "local-header-mismatch"]);
    assert.deepEqual(
      codes(await read([{ name: "a", flags: 0x800 | 0x8 | 0x2, descriptor: true }])),
      [],
    );
  });

  it("reports a compression method other than stored or deflated", async () => {
    assert.deepEqual(codes(await read([{ name: "a", method: 14 }])), ["unknown-compression"]);
  });

  it("reports archive and entry comments", async () => {
    const archive = await read([{ name: "a", comment: "hi" }], { comment: "note" });
    assert.deepEqual(codes(archive).sort(), ["comment", "comment"]);
  });

  it("reports bytes between members, after the directory, inside it, and after the comment", async () => {
    const gap = await read([{ name: "a", after: new Uint8Array(7) }, { name: "b" }]);
    assert.deepEqual(codes(gap), ["data-outside-members"]);
    assert.deepEqual(gap.gaps, [{ offset: 31, length: 7 }]);
    assert.deepEqual(codes(await read([{ name: "a" }], { beforeEnd: new Uint8Array(3) })), [
      "data-outside-members",
    ]);
    assert.deepEqual(codes(await read([{ name: "a" }], { trailing: new Uint8Array(3) })), [
      "data-outside-members",
    ]);
    assert.deepEqual(codes(await read([{ name: "a" }], { directorySlack: new Uint8Array(46) })), [
      "data-outside-members",
    ]);
  });

  it("reports two entries sharing one local header", async () => {
    const archive = await read([
      { name: "a", data: "x" },
      { name: "b", localOffsetOf: 0 },
    ]);
    assert.ok(codes(archive).includes("overlapping-members"));
    assert.ok(codes(archive).includes("local-name-mismatch"));
  });

  it("recognises data descriptors with and without a signature", async () => {
    for (const descriptor of [true, "unsigned"] as const) {
      const archive = await read([
        { name: "a", data: "hello", method: 8, descriptor },
        { name: "b", data: "x" },
      ]);
      assert.deepEqual(archive.anomalies, [], String(descriptor));
    }
  });

  it("finds a zip appended to a pickle and reports the prefix (technique 24)", async () => {
    const prefix = new Uint8Array([0x80, 0x02, 0x4e, 0x2e]);
    const archive = await read(torchLike, { prefix });
    assert.equal(archive.startOffset, 4);
    assert.equal(archive.entries[0]!.localHeaderOffset, 4);
    assert.deepEqual(archive.gaps, [{ offset: 0, length: 4 }]);
    assert.deepEqual(codes(archive), ["data-outside-members"]);
  });

  it("reads zip64 end records and zip64 extra fields", async () => {
    const archive = await read(
      [
        { name: "a/x", data: "abc", zip64: true },
        { name: "a/y", data: "defg", method: 8, zip64: true },
      ],
      { zip64End: true, saturateEnd: true },
    );
    assert.deepEqual(archive.anomalies, []);
    assert.equal(archive.entries[1]!.uncompressedSize, 4);
    assert.equal(archive.entries[1]!.localHeaderOffset, archive.entries[0]!.dataOffset + 3);
  });

  it("reports end records that disagree with the zip64 record", async () => {
    const bytes = buildZip([{ name: "a" }], { zip64End: true });
    const eocd = bytes.length - 22;
    bytes[eocd + 10] = 0; // total entries 0 in the 32-bit record, 1 in the zip64 record
    bytes[eocd + 8] = 0;
    const archive = await readZipDirectory(new BufferSource(bytes));
    assert.equal(archive.entries.length, 1);
    assert.deepEqual(codes(archive), ["multiple-eocd"]);
  });

  it("uses the last end record and reports an earlier plausible one", async () => {
    const bytes = buildZip([{ name: "a" }]);
    const eocd = bytes.slice(bytes.length - 22);
    const doubled = new Uint8Array([...bytes, ...eocd]);
    const archive = await readZipDirectory(new BufferSource(doubled));
    assert.equal(archive.eocdOffset, bytes.length);
    assert.ok(codes(archive).includes("multiple-eocd"));
  });

  it("sniffs archives by their end record", async () => {
    assert.equal(await sniffZip(new BufferSource(buildZip([{ name: "a" }]))), true);
    assert.equal(
      await sniffZip(new BufferSource(buildZip([{ name: "a" }], { prefix: new Uint8Array(9) }))),
      true,
    );
    assert.equal(await sniffZip(new BufferSource(new Uint8Array(100))), false);
    assert.equal(await sniffZip(new BufferSource(new Uint8Array(3))), false);
  });
});
