/** restoreFile(): puts a quarantined file back, never over an existing one. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readQuarantineIndex } from "./quarantine-index.js";
import { restoreFile } from "./restore-file.js";
import { EVIL } from "./test-support/pickles.js";
import { recordingConfig, tmp } from "./test-support/watch-dirs.js";
import { watchOnce } from "./watcher.js";

async function quarantined() {
  const dir = tmp("tg-watch-");
  const home = tmp("tg-home-");
  writeFileSync(join(dir, "evil.pkl"), EVIL, { mode: 0o640 });
  const { config, outcomes } = recordingConfig([dir], home);
  await watchOnce(config);
  const id = outcomes[0]?.quarantined?.id;
  assert.ok(id !== undefined);
  return { dir, home, id };
}

describe("restoreFile()", () => {
  it("moves the file back with its permissions and drops it from the index", async () => {
    const { dir, home, id } = await quarantined();
    const restored = await restoreFile(home, id);
    assert.equal(restored.restoredTo, join(dir, "evil.pkl"));
    assert.deepEqual(readFileSync(join(dir, "evil.pkl")), EVIL);
    assert.equal(statSync(join(dir, "evil.pkl")).mode & 0o777, 0o640);
    assert.deepEqual(await readQuarantineIndex(home), []);
    assert.equal(existsSync(join(home, "quarantine", id)), false);
  });

  it("leaves a restored, unchanged file alone on the next pass", async () => {
    const { dir, home, id } = await quarantined();
    await restoreFile(home, id);
    const again = recordingConfig([dir], home);
    const summary = await watchOnce(again.config);
    assert.equal(summary.scanned, 0);
    assert.ok(existsSync(join(dir, "evil.pkl")));
  });

  it("restores to --to when asked", async () => {
    const { home, id } = await quarantined();
    const to = join(tmp("tg-elsewhere-"), "inspect.pkl");
    await restoreFile(home, id, to);
    assert.deepEqual(readFileSync(to), EVIL);
  });

  it("refuses to overwrite an existing file with TARGET_EXISTS and keeps the entry", async () => {
    const { dir, home, id } = await quarantined();
    writeFileSync(join(dir, "evil.pkl"), "mine");
    await assert.rejects(restoreFile(home, id), { code: "TARGET_EXISTS" });
    assert.equal(readFileSync(join(dir, "evil.pkl"), "utf8"), "mine");
    assert.equal((await readQuarantineIndex(home)).length, 1);
  });

  it("refuses an unknown id with UNKNOWN_ID", async () => {
    const { home } = await quarantined();
    await assert.rejects(restoreFile(home, "nope"), { code: "UNKNOWN_ID" });
  });
});

describe("the quarantine index", () => {
  it("is refused with BAD_INDEX when an entry points outside the quarantine", async () => {
    const home = tmp("tg-home-");
    mkdirSync(join(home, "quarantine"));
    const entry = { id: "x", originalPath: "/tmp/a", storedPath: "/etc/passwd" };
    writeFileSync(
      join(home, "quarantine", "index.json"),
      JSON.stringify({ version: 1, entries: [entry] }),
    );
    await assert.rejects(restoreFile(home, "x", join(home, "stolen")), { code: "BAD_INDEX" });
    assert.equal(existsSync(join(home, "stolen")), false);
  });
});
