/**
 * startWatcher() on real folders: reacts to new files through events, never quarantines a file
 * that is still being written, and saves its state when stopped.
 */
import assert from "node:assert/strict";
import { existsSync, symlinkSync, writeFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BENIGN, EVIL, longEvil } from "./test-support/pickles.js";
import { recordingConfig, tmp, waitFor } from "./test-support/watch-dirs.js";
import { loadWatchState, watchStatePath } from "./watch-state.js";
import { startWatcher } from "./watcher.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startWatcher()", { timeout: 60_000 }, () => {
  it("scans a file dropped into a watched folder and quarantines it if dangerous", async () => {
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    const { config, outcomes } = recordingConfig([dir], home);
    const watcher = await startWatcher(config);
    try {
      await sleep(100);
      writeFileSync(join(dir, "evil.pkl"), EVIL);
      writeFileSync(join(dir, "good.pkl"), BENIGN);
      assert.ok(await waitFor(() => outcomes.length >= 2), "no verdicts within 15 s");
    } finally {
      await watcher.stop();
    }
    assert.equal(existsSync(join(dir, "evil.pkl")), false);
    assert.equal(existsSync(join(dir, "good.pkl")), true);
    const state = await loadWatchState(watchStatePath(home));
    assert.equal(state.get(join(dir, "good.pkl"))?.verdict, "clean");
    assert.ok(state.get(join(dir, "evil.pkl"))?.quarantineId !== undefined);
  });

  it("does not quarantine a file while it is being written, only once it settles", async () => {
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    const path = join(dir, "slow.pkl");
    const bytes = longEvil(400);
    const chunks = 10;
    const step = Math.ceil(bytes.length / chunks);
    // Appends every 200 ms; the file must stay unchanged for two seconds to be scanned.
    const { config, outcomes } = recordingConfig([dir], home, { settleMs: 2000 });
    const watcher = await startWatcher(config);
    try {
      for (let i = 0; i < chunks; i += 1) {
        await appendFile(path, bytes.subarray(i * step, (i + 1) * step));
        await sleep(200);
        assert.equal(outcomes.length, 0, `scanned while being written (chunk ${i})`);
        assert.ok(existsSync(path), `quarantined while being written (chunk ${i})`);
      }
      assert.ok(await waitFor(() => outcomes.length >= 1), "not scanned after it settled");
    } finally {
      await watcher.stop();
    }
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.result.verdict, "dangerous");
    assert.equal(outcomes[0]?.quarantined?.size, bytes.length);
    assert.equal(existsSync(path), false);
  });

  it("does not follow a link to an outside folder that appears while it runs", async () => {
    const outside = tmp("tg-outside-");
    writeFileSync(join(outside, "evil.pkl"), EVIL);
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    const { config, outcomes } = recordingConfig([dir], home);
    const watcher = await startWatcher(config);
    try {
      await sleep(100);
      symlinkSync(outside, join(dir, "linked"));
      symlinkSync(join(outside, "evil.pkl"), join(dir, "linked.pkl"));
      writeFileSync(join(dir, "marker.pkl"), BENIGN);
      assert.ok(await waitFor(() => outcomes.length >= 1));
      await sleep(500);
    } finally {
      await watcher.stop();
    }
    assert.deepEqual(
      outcomes.map((o) => o.path),
      [join(dir, "marker.pkl")],
    );
    assert.ok(existsSync(join(outside, "evil.pkl")));
  });

  it("finds files that events missed with the periodic rescan", async () => {
    const dir = tmp("tg-watch-");
    const home = tmp("tg-home-");
    writeFileSync(join(dir, "before.pkl"), BENIGN);
    const { config, outcomes } = recordingConfig([dir], home, { rescanIntervalMs: 300 });
    const watcher = await startWatcher(config);
    try {
      assert.ok(await waitFor(() => outcomes.length >= 1));
    } finally {
      await watcher.stop();
    }
    assert.equal(outcomes[0]?.path, join(dir, "before.pkl"));
  });
});
