import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { readTarEntries } from "./read-entries.js";
import { buildTar, paxRecord, type TestTarEntry } from "./test-support/tar-writer.js";
import type { TarLimits } from "./types.js";

async function rejectsWith(
  bytes: Uint8Array,
  code: string,
  limits: Partial<TarLimits> = {},
): Promise<void> {
  await assert.rejects(readTarEntries(new BufferSource(bytes), limits), (error: unknown) => {
    assert.ok(error instanceof FormatError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}
const tar = (...entries: TestTarEntry[]) => buildTar(entries);

describe("readTarEntries on malformed input", () => {
  it("rejects a bad header checksum as MALFORMED", async () => {
    await rejectsWith(tar({ name: "a", checksum: 1234 }), "MALFORMED");
    await rejectsWith(tar({ name: "a" }, { name: "b", checksum: 1 }), "MALFORMED");
    await rejectsWith(new TextEncoder().encode("not a tar file ".repeat(40)), "MALFORMED");
  });

  it("rejects non-octal and negative sizes as MALFORMED", async () => {
    await rejectsWith(tar({ name: "a", poke: [[124, 0x39]] }), "MALFORMED");
    await rejectsWith(tar({ name: "a", poke: [[124, 0xff]] }), "MALFORMED");
  });

  it("rejects base-256 sizes past 2^53 as LIMIT_EXCEEDED", async () => {
    await rejectsWith(
      tar({
        name: "a",
        poke: [
          [124, 0x80],
          [125, 0x7f],
        ],
      }),
      "LIMIT_EXCEEDED",
    );
  });

  it("rejects a partial header block and data past the end as TRUNCATED", async () => {
    const whole = tar({ name: "a", data: "x".repeat(1000) });
    await rejectsWith(whole.subarray(0, 300), "TRUNCATED");
    await rejectsWith(whole.subarray(0, 512 + 999), "TRUNCATED");
    await rejectsWith(tar({ name: "a", size: 1 << 30 }), "TRUNCATED");
  });

  it("rejects too many entries as LIMIT_EXCEEDED", async () => {
    await rejectsWith(tar({ name: "a" }, { name: "b" }, { name: "c" }), "LIMIT_EXCEEDED", {
      maxEntries: 2,
    });
  });

  it("rejects oversized long-name and pax blocks and long names as LIMIT_EXCEEDED", async () => {
    await rejectsWith(
      tar({ name: "L", typeflag: "L", size: 1 << 29 }, { name: "a" }),
      "LIMIT_EXCEEDED",
    );
    await rejectsWith(
      tar({ name: "L", typeflag: "L", data: "n".repeat(5000) }, { name: "a" }),
      "LIMIT_EXCEEDED",
    );
    await rejectsWith(
      tar({ name: "x", typeflag: "x", data: paxRecord("path", "p".repeat(300)) }, { name: "a" }),
      "LIMIT_EXCEEDED",
      {
        maxNameLength: 100,
      },
    );
  });

  it("rejects an endless run of extended headers as LIMIT_EXCEEDED", async () => {
    const run = Array.from(
      { length: 40 },
      (): TestTarEntry => ({ name: "x", typeflag: "x", data: paxRecord("mtime", "1") }),
    );
    await rejectsWith(tar(...run, { name: "a" }), "LIMIT_EXCEEDED");
  });

  it("rejects an extended header with no entry after it", async () => {
    await rejectsWith(tar({ name: "L", typeflag: "L", data: "name" }), "MALFORMED");
    const cut = tar({ name: "L", typeflag: "L", data: "name" });
    await rejectsWith(cut.subarray(0, 1024), "TRUNCATED");
  });

  it("rejects malformed pax records and sizes as MALFORMED", async () => {
    for (const data of [
      "x path=a\n",
      "99 path=a\n",
      "8 patha\n",
      "9 path=a!",
      "0 a=b\n",
      paxRecord("size", "-1"),
    ]) {
      await rejectsWith(tar({ name: "x", typeflag: "x", data }, { name: "a" }), "MALFORMED");
    }
  });

  it("refuses sparse entries and global pax sizes as UNSUPPORTED", async () => {
    await rejectsWith(tar({ name: "s", typeflag: "S" }), "UNSUPPORTED");
    await rejectsWith(
      tar({ name: "x", typeflag: "x", data: paxRecord("GNU.sparse.map", "0,1") }, { name: "a" }),
      "UNSUPPORTED",
    );
    await rejectsWith(
      tar({ name: "g", typeflag: "g", data: paxRecord("size", "5") }, { name: "a" }),
      "UNSUPPORTED",
    );
  });

  it("throws only FormatError for random corruptions", async () => {
    const base = buildTar([
      { name: "L", typeflag: "L", data: "long/name" },
      { name: "a", data: "x".repeat(700) },
      { name: "x", typeflag: "x", data: paxRecord("path", "p") + paxRecord("size", "2") },
      { name: "b", data: "yy" },
    ]);
    let seed = 99;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 2000; round++) {
      const bytes = base.slice();
      for (let k = 0; k <= random(4); k++) bytes[random(bytes.length)] = random(256);
      // Half the rounds re-sign the corrupted header so the mutation reaches the fields.
      if (round % 2 === 0) for (const at of [0, 1024, 2560, 3584]) resign(bytes, at);
      try {
        await readTarEntries(new BufferSource(bytes));
      } catch (error) {
        assert.ok(error instanceof FormatError, `round ${round}: ${String(error)}`);
      }
    }
  });
});

function resign(bytes: Uint8Array, at: number): void {
  let sum = 8 * 0x20;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += bytes[at + i]!;
  bytes.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, "0")}\0 `), at + 148);
}
