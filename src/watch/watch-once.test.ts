/** watchOnce() on real folders: quarantine, index, state across restarts, symbolic links. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { scanFile } from "../scan/index.js";
import { readQuarantineIndex } from "./quarantine-index.js";
import { BENIGN, EVIL } from "./test-support/pickles.js";
import { recordingConfig, tmp } from "./test-support/watch-dirs.js";
import { loadWatchState, watchStatePath } from "./watch-state.js";
import { watchOnce } from "./watcher.js";

describe("watchOnce()", () => {
  it("quarantines a dangerous pickle, indexes it, and leaves a benign one", async () => {
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "evil.pkl"), EVIL, { mode: 0o644 });
    writeFileSync(join(dir, "good.pkl"), BENIGN);
    const { config, outcomes } = recordingConfig([dir], home);
    const summary = await watchOnce(config);
    assert.deepEqual(summary, { scanned: 2, unchanged: 0, unsettled: 0, allClean: false });
    assert.equal(existsSync(join(dir, "sub", "evil.pkl")), false);
    assert.equal(existsSync(join(dir, "good.pkl")), true);
    const evil = outcomes.find((o) => o.path.endsWith("evil.pkl"));
    assert.equal(evil?.result.verdict, "dangerous");
    const [entry, ...rest] = await readQuarantineIndex(home);
    assert.equal(rest.length, 0);
    assert.equal(entry?.id, evil?.quarantined?.id);
    assert.equal(entry?.originalPath, join(dir, "sub", "evil.pkl"));
    assert.equal(entry?.sha256, createHash("sha256").update(EVIL).digest("hex"));
    assert.equal(entry?.verdict, "dangerous");
    assert.equal(entry?.findings[0]?.rule, "pickle/dangerous-global");
    assert.equal(entry?.mode, 0o644);
    assert.ok(entry !== undefined && entry.by.length > 0);
    assert.equal(statSync(entry?.storedPath ?? "").mode & 0o777, 0o400);
    assert.equal(statSync(join(home, "quarantine")).mode & 0o777, 0o700);
    assert.equal(statSync(join(home, "quarantine", entry?.id ?? "")).mode & 0o777, 0o700);
  });

  it("after a restart scans only new and changed files", async () => {
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    writeFileSync(join(dir, "a.pkl"), BENIGN);
    writeFileSync(join(dir, "b.pkl"), BENIGN);
    assert.equal((await watchOnce(recordingConfig([dir], home).config)).scanned, 2);
    const state = await loadWatchState(watchStatePath(home));
    assert.equal(state.get(join(dir, "a.pkl"))?.verdict, "clean");

    const again = recordingConfig([dir], home);
    assert.deepEqual(await watchOnce(again.config), {
      scanned: 0,
      unchanged: 2,
      unsettled: 0,
      allClean: true,
    });
    assert.equal(again.outcomes.length, 0);

    writeFileSync(join(dir, "b.pkl"), EVIL);
    writeFileSync(join(dir, "c.pkl"), BENIGN);
    const third = recordingConfig([dir], home);
    const summary = await watchOnce(third.config);
    assert.deepEqual(summary, { scanned: 2, unchanged: 1, unsettled: 0, allClean: false });
    assert.deepEqual(third.outcomes.map((o) => [o.path, o.result.verdict]).sort(), [
      [join(dir, "b.pkl"), "dangerous"],
      [join(dir, "c.pkl"), "clean"],
    ]);
  });

  it("a file last seen suspicious keeps the pass from being all clean", async () => {
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    writeFileSync(join(dir, "broken.pkl"), EVIL.subarray(0, 5));
    const first = await watchOnce(recordingConfig([dir], home).config);
    assert.equal(first.allClean, false);
    const second = await watchOnce(recordingConfig([dir], home).config);
    assert.deepEqual(second, { scanned: 0, unchanged: 1, unsettled: 0, allClean: false });
  });

  it("widened quarantine moves unscannable files too", async () => {
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    writeFileSync(join(dir, "broken.pkl"), EVIL.subarray(0, 5));
    const { config, outcomes } = recordingConfig([dir], home, {
      quarantine: new Set(["dangerous", "unscannable"]),
    });
    await watchOnce(config);
    assert.equal(outcomes[0]?.result.verdict, "unscannable");
    assert.ok(outcomes[0]?.quarantined !== undefined);
    assert.equal(existsSync(join(dir, "broken.pkl")), false);
  });

  it("does not follow symbolic links out of the tree", async () => {
    const outside = tmp("tg-outside-");
    writeFileSync(join(outside, "evil.pkl"), EVIL);
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    symlinkSync(join(outside, "evil.pkl"), join(dir, "link.pkl"));
    symlinkSync(outside, join(dir, "linked-dir"));
    const { config, outcomes } = recordingConfig([dir], home);
    const summary = await watchOnce(config);
    assert.equal(summary.scanned, 0);
    assert.equal(outcomes.length, 0);
    assert.equal(existsSync(join(outside, "evil.pkl")), true);
    assert.deepEqual(await readQuarantineIndex(home), []);
  });

  it("never scans its own home when the home is inside a watched folder", async () => {
    const dir = tmp("tg-watch-");
    const home = join(dir, ".trainguard");
    writeFileSync(join(dir, "evil.pkl"), EVIL);
    await watchOnce(recordingConfig([dir], home).config);
    const second = recordingConfig([dir], home);
    assert.deepEqual(await watchOnce(second.config), {
      scanned: 0,
      unchanged: 0,
      unsettled: 0,
      allClean: true,
    });
  });

  it("refuses a folder that does not exist with NOT_FOUND", async () => {
    const home = tmp("tg-home-");
    await assert.rejects(watchOnce(recordingConfig([join(home, "nope")], home).config), {
      code: "NOT_FOUND",
    });
    writeFileSync(join(home, "file.pkl"), BENIGN);
    await assert.rejects(watchOnce(recordingConfig([join(home, "file.pkl")], home).config), {
      code: "NOT_FOUND",
    });
  });
});

describe("watchOnce() and a file written while it is scanned", () => {
  it("neither records nor quarantines a stale verdict, and scans the file again", async () => {
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    const path = join(dir, "growing.pkl");
    writeFileSync(path, EVIL.subarray(0, 10));
    let scans = 0;
    const { config, outcomes } = recordingConfig([dir], home, {
      scanFile: async (file, options) => {
        scans += 1;
        const result = await scanFile(file, options);
        // The writer finishes the file while the first scan runs.
        if (scans === 1) writeFileSync(path, EVIL);
        return result;
      },
    });
    await watchOnce(config);
    assert.equal(scans, 2);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.result.verdict, "dangerous");
    assert.equal(outcomes[0]?.quarantined?.sha256, createHash("sha256").update(EVIL).digest("hex"));
  });
});

describe("watchOnce() and a file that never stops changing", () => {
  it("gives up on it without scanning or quarantining it, and is not clean", async () => {
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    const path = join(dir, "busy.pkl");
    writeFileSync(path, EVIL);
    const { config, outcomes, problems } = recordingConfig([dir], home, {
      settleMs: 1500,
      onceMaxWaitMs: 2500,
    });
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await appendFile(path, "x");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const summary = await watchOnce(config);
      assert.deepEqual(summary, { scanned: 0, unchanged: 0, unsettled: 1, allClean: false });
    } finally {
      writing = false;
      await writer;
    }
    assert.equal(outcomes.length, 0);
    assert.ok(existsSync(path));
    assert.match(problems[0] ?? "", /still changing/);
  });
});
