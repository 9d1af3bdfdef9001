/** moveFile(): never overwrites; across file systems copies, keeps the mtime, and unlinks. */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { identify } from "./file-identity.js";
import { moveFile } from "./move-file.js";
import { EVIL } from "./test-support/pickles.js";
import { tmp } from "./test-support/watch-dirs.js";

/** A tmpfs on most Linux systems: another file system than the temporary directory. */
const SHM = "/dev/shm";
const otherFs =
  existsSync(SHM) && statSync(SHM).dev !== statSync(tmp("tg-move-")).dev
    ? false
    : "no second file system at /dev/shm";

describe("moveFile()", () => {
  it("moves within a file system and keeps the inode", async () => {
    const dir = tmp("tg-move-");
    writeFileSync(join(dir, "a"), EVIL);
    const before = await identify(join(dir, "a"));
    await moveFile(join(dir, "a"), join(dir, "b"), before);
    assert.equal(existsSync(join(dir, "a")), false);
    assert.equal((await identify(join(dir, "b")))?.ino, before?.ino);
  });

  it("refuses to overwrite with TARGET_EXISTS", async () => {
    const dir = tmp("tg-move-");
    writeFileSync(join(dir, "a"), EVIL);
    writeFileSync(join(dir, "b"), "keep");
    await assert.rejects(moveFile(join(dir, "a"), join(dir, "b")), { code: "TARGET_EXISTS" });
    assert.equal(readFileSync(join(dir, "b"), "utf8"), "keep");
    assert.ok(existsSync(join(dir, "a")));
  });

  it("refuses a file that changed since it was scanned", async () => {
    const dir = tmp("tg-move-");
    writeFileSync(join(dir, "a"), EVIL);
    const scanned = await identify(join(dir, "a"));
    writeFileSync(join(dir, "a"), Buffer.concat([EVIL, EVIL]));
    await assert.rejects(moveFile(join(dir, "a"), join(dir, "b"), scanned), { code: "IO" });
    assert.equal(existsSync(join(dir, "b")), false);
  });

  it("copies across file systems, keeps the mtime, and removes the source", {
    skip: otherFs,
  }, async () => {
    const dir = tmp("tg-move-");
    const other = mkdtempSync(join(SHM, "tg-move-"));
    writeFileSync(join(dir, "a"), EVIL);
    const before = await identify(join(dir, "a"));
    await moveFile(join(dir, "a"), join(other, "a"), before);
    assert.equal(existsSync(join(dir, "a")), false);
    assert.deepEqual(readFileSync(join(other, "a")), EVIL);
    const after = await identify(join(other, "a"));
    // utimes takes seconds as a double: millisecond precision survives for certain.
    assert.equal(
      BigInt(after?.mtimeNs ?? 0) / 1_000_000n,
      BigInt(before?.mtimeNs ?? 0) / 1_000_000n,
    );
  });
});
