import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat, statfs, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type CachedScan, checkFile } from "./check-file.js";
import { CTIME_MARGIN_NS } from "./identity-proof.js";
import type { FileIdentity } from "./protocol.js";
import { ResultCache } from "./result-cache.js";

/** `pickle.dumps([1, 2], protocol=2)` and `pickle.dumps([1, 3], protocol=2)`. */
const CLEAN = Buffer.from("80025d7100284b014b02652e", "hex");
const OTHER = Buffer.from("80025d7100284b014b03652e", "hex");
const EXT4 = 0xef53;
const TMPFS = 0x01021994;

async function identityOf(path: string): Promise<FileIdentity> {
  const s = await stat(path, { bigint: true });
  return {
    dev: String(s.dev),
    ino: String(s.ino),
    size: String(s.size),
    mtimeNs: String(s.mtimeNs),
    ctimeNs: String(s.ctimeNs),
  };
}

const fsType = async (path: string) => Number((await statfs(path)).type);

describe("checkFile() with the client's identity (the warm path)", async () => {
  let dir: string;
  let settled: string;
  let fresh: string;
  let shm: string | undefined;
  const trusted = new Set([EXT4, 0x58465342, 0x9123683e]);
  const cache = () => ({ scan: {}, cache: new ResultCache<CachedScan>() });
  const skip = (await fsType(tmpdir()).then((t) => !trusted.has(t)))
    ? "the temporary directory is not on ext4, XFS or Btrfs"
    : false;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "trainguard-identity-"));
    settled = join(dir, "settled.pkl");
    fresh = join(dir, "fresh.pkl");
    await writeFile(settled, CLEAN);
    if (existsSync("/dev/shm") && (await fsType("/dev/shm")) === TMPFS) {
      shm = await mkdtemp("/dev/shm/trainguard-identity-");
      await writeFile(join(shm, "m.pkl"), CLEAN);
    }
    // ctime cannot be set back: wait until it is older than the margin.
    await sleep(Number(CTIME_MARGIN_NS / 1_000_000n) + 200);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    if (shm !== undefined) await rm(shm, { recursive: true, force: true });
  });

  it("says sameFile and hashes nothing when the identity proves the content", {
    skip,
  }, async () => {
    const options = cache();
    const identity = await identityOf(settled);
    const first = await checkFile(settled, undefined, options, identity);
    assert.equal(first.verdict, "clean");
    assert.equal(first.sameFile, true);
    assert.equal(first.sha256, undefined);
    const warm = await checkFile(settled, undefined, options, identity);
    assert.deepEqual([warm.cached, warm.sameFile], [true, true]);
  });

  it("falls back to a digest for another identity, no identity, or a signature", {
    skip,
  }, async () => {
    const options = cache();
    const identity = await identityOf(settled);
    await checkFile(settled, undefined, options, identity);
    const digest = createHash("sha256").update(CLEAN).digest("hex");
    const other = { ...identity, mtimeNs: "1" };
    const mismatch = await checkFile(settled, undefined, options, other);
    assert.deepEqual([mismatch.sameFile, mismatch.sha256], [false, digest]);
    const plain = await checkFile(settled, undefined, options);
    assert.deepEqual([plain.sameFile, plain.sha256], [undefined, digest]);
  });

  it("gives no proof for a file changed within the margin, then upgrades once it settles", {
    skip,
  }, async () => {
    const options = cache();
    await writeFile(fresh, OTHER);
    const first = await checkFile(fresh, undefined, options, await identityOf(fresh));
    assert.equal(first.sameFile, false);
    assert.equal(first.sha256, createHash("sha256").update(OTHER).digest("hex"));
    // utimes moves ctime to now too: the file is still too recent.
    await utimes(fresh, 1, 1);
    const touched = await checkFile(fresh, undefined, options, await identityOf(fresh));
    assert.equal(touched.sameFile, false);
    await sleep(Number(CTIME_MARGIN_NS / 1_000_000n) + 200);
    const later = await checkFile(fresh, undefined, options, await identityOf(fresh));
    assert.deepEqual([later.cached, later.sameFile], [false, true]);
  });

  it("gives no proof on tmpfs, where mmap writes leave ctime alone", async (t) => {
    if (shm === undefined) {
      t.skip("no tmpfs at /dev/shm");
      return;
    }
    // Settled like the ext4 file above: only the filesystem differs.
    const path = join(shm, "m.pkl");
    const reply = await checkFile(path, undefined, cache(), await identityOf(path));
    assert.equal(reply.sameFile, false);
    assert.equal(typeof reply.sha256, "string");
  });
});
