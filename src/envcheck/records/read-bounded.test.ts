import assert from "node:assert/strict";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EnvCheckError } from "../env-error.js";
import { decodeUtf8, readBounded } from "./read-bounded.js";

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof EnvCheckError ? error.code : "other";
  }
  return undefined;
}

describe("readBounded()", () => {
  let work = "";
  before(async () => {
    work = await mkdtemp(join(tmpdir(), "tg-envcheck-read-"));
    await writeFile(join(work, "small"), "abc");
    await writeFile(join(work, "big"), "x".repeat(100));
    await symlink(join(work, "small"), join(work, "link"));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("reads a file within the bound", async () => {
    assert.equal(
      (await readBounded(join(work, "small"), 10, "the record")).bytes.toString(),
      "abc",
    );
  });

  it("refuses a larger file, or truncates it when allowed", async () => {
    assert.equal(await code(readBounded(join(work, "big"), 10, "the record")), "BAD_RECORD");
    const read = await readBounded(join(work, "big"), 10, "the .pth", "IO", true);
    assert.equal(read.bytes.length, 10);
    assert.equal(read.truncated, true);
  });

  it("refuses symbolic links, directories and missing files", async () => {
    assert.equal(await code(readBounded(join(work, "link"), 10, "the record")), "BAD_RECORD");
    assert.equal(await code(readBounded(work, 10, "the record")), "BAD_RECORD");
    assert.equal(await code(readBounded(join(work, "none"), 10, "the record", "IO")), "IO");
  });
});

describe("decodeUtf8()", () => {
  it("refuses invalid UTF-8 instead of replacing it", () => {
    assert.throws(
      () => decodeUtf8(Buffer.from([0x61, 0xff]), "the record", "R"),
      (error: unknown) => {
        return error instanceof EnvCheckError && error.code === "BAD_RECORD";
      },
    );
  });
});
